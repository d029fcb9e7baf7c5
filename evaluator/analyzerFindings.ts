/**
 * What the packs' analyzers answered, folded into the report's shape (policies with their counts, evaluations,
 * violations, errors) as the engine would show it. Used by analyzerRun.ts, which makes the calls.
 */
import type { Policy } from "@pulumi/policy";
import type {
  EnforcementLevel,
  ReportError,
  ReportEvaluation,
  ReportPolicy,
  ReportViolation,
} from "../lib/reports/model";
import { policyMessage, type AnalyzeResult, type EngineResource, type PackAnalyzer } from "./analyzer";
import type { EvaluationResult } from "./evaluate";
import { prerequisiteOf, remediationMessage } from "./evaluate";
import type { ResolvedPolicyConfig } from "./packConfig";
import { scrubString } from "./plain";

/** A started pack with the levels and config the engine would Configure it with. */
export interface AnalyzerPack {
  analyzer: PackAnalyzer;
  resolved: ReadonlyMap<string, ResolvedPolicyConfig>;
  /** The pack's policy objects when also loaded in-process (for report metadata such as configKey). */
  policies?: readonly Policy[];
}

/** A call that failed: the policy @pulumi/policy named (empty when none) and the error's own message. */
export interface CallFailure {
  policy: string;
  message: string;
}

type AnalyzerPolicy = PackAnalyzer["info"]["policies"][number];

/** The report's entry for one of a pack's policies, before any resource is analyzed. */
function policyReport(pack: AnalyzerPack, p: AnalyzerPolicy): ReportPolicy {
  const own = pack.policies?.find((o) => o.name === p.name) as
    (Policy & { configKey?: unknown; prerequisite?: unknown }) | undefined;
  const prerequisite = own
    ? prerequisiteOf(own)
    : (p.tags.find((t) => /^(P[1-8]|baseline)$/.test(t)) ?? null);
  const level = pack.resolved.get(p.name)?.level;
  return {
    pack: pack.analyzer.info.name,
    name: p.name,
    description: p.description,
    level: level ?? p.enforcementLevel,
    prerequisite,
    kind: p.kind,
    ...(p.severity ? { severity: p.severity } : {}),
    ...(p.remediationSteps ? { remediationSteps: p.remediationSteps } : {}),
    ...(typeof own?.configKey === "string" ? { configKey: own.configKey } : {}),
    results: { evaluated: 0, passed: 0, violations: 0, notApplicable: 0, errors: 0 },
    // The analyzer's own view until `withApplicability` refines it: every resource not declared not applicable.
    applicable: 0,
    durationMs: 0,
    ...(level === "disabled" ? { notChecked: "disabled by configuration (enforcement level disabled)" } : {}),
  };
}

/** One evaluation's findings; `secrets` are scrubbed from every message it keeps. */
export class Findings {
  readonly policies: ReportPolicy[] = [];
  readonly evaluations: ReportEvaluation[] = [];
  readonly violations: ReportViolation[] = [];
  readonly errors: ReportError[] = [];
  readonly notes: string[] = [];
  private readonly reports = new Map<string, ReportPolicy>();
  private readonly byUrn: ReadonlyMap<string, EngineResource>;

  constructor(
    private readonly packs: readonly AnalyzerPack[],
    resources: readonly EngineResource[],
    private readonly secrets: readonly string[],
  ) {
    this.byUrn = new Map(resources.map((r) => [r.urn, r]));
    for (const pack of packs)
      for (const p of pack.analyzer.info.policies) {
        const report = policyReport(pack, p);
        this.reports.set(`${report.pack}/${p.name}`, report);
        this.policies.push(report);
        if (report.level === "disabled")
          this.evaluations.push({
            pack: report.pack,
            policy: p.name,
            urn: null,
            outcome: "disabled",
            messages: ["disabled by configuration"],
          });
      }
  }

  clean(text: string): string {
    return scrubString(text, this.secrets);
  }

  result(): EvaluationResult {
    const { policies, evaluations, violations, errors, notes } = this;
    return { policies, evaluations, violations, errors, notes };
  }

  /** The prerequisite of a pack's policy (null when the pack does not have it). */
  prerequisiteOf(pack: string, policy: string): string | null {
    return this.reports.get(`${pack}/${policy}`)?.prerequisite ?? null;
  }

  /** A call that failed outside any one policy of the pack (or naming one it does not have). */
  callError(pack: string, failed: CallFailure, urn: string | null): void {
    this.errors.push({ pack, policy: failed.policy || "(unknown)", urn, message: failed.message });
  }

  /** A remediation's advisory diagnostic, or its change to the inputs (a "remediate" violation). */
  remediation(
    pack: string,
    r: { policy: string; description: string; diagnostic?: string },
    target: EngineResource,
  ): void {
    this.violations.push({
      pack,
      policy: r.policy,
      level: r.diagnostic ? "advisory" : "remediate",
      urn: target.urn,
      message: r.diagnostic ? this.clean(r.diagnostic) : remediationMessage(r.description),
      prerequisite: this.prerequisiteOf(pack, r.policy),
      resourceType: target.type,
      resourceName: target.name,
    });
  }

  /** One Analyze (a resource) or AnalyzeStack (null) answer of `pack`, or its failure, for every policy of its kind. */
  record(
    pack: string,
    kind: "resource" | "stack",
    result: AnalyzeResult,
    target: EngineResource | null,
    failed?: CallFailure,
  ): void {
    const policies = this.packs.find((p) => p.analyzer.info.name === pack)!.analyzer.info.policies;
    if (failed && !policies.some((p) => p.name === failed.policy)) {
      this.callError(pack, failed, target?.urn ?? null);
      return;
    }
    for (const p of policies) {
      const report = this.reports.get(`${pack}/${p.name}`)!;
      if (p.kind !== kind || report.level === "disabled") continue;
      const base = {
        pack,
        policy: p.name,
        urn: target?.urn ?? null,
        ...(target ? { resourceType: target.type, resourceName: target.name } : {}),
      };
      if (failed?.policy === p.name) {
        report.results.evaluated++;
        report.results.errors++;
        this.errors.push({ pack, policy: p.name, urn: base.urn, message: failed.message });
        this.evaluations.push({ ...base, outcome: "error", messages: [failed.message] });
      } else if (!failed) this.recordPolicy(report, p, kind, result, target, base);
    }
  }

  /** One policy's outcome in an answer: not applicable, a pass, or its violations. */
  private recordPolicy(
    report: ReportPolicy,
    p: AnalyzerPolicy,
    kind: "resource" | "stack",
    result: AnalyzeResult,
    target: EngineResource | null,
    base: Omit<ReportEvaluation, "outcome" | "messages">,
  ): void {
    const na = result.notApplicable.find((n) => n.policy === p.name);
    const mine = result.diagnostics.filter((d) => d.policy === p.name);
    if (na && mine.length === 0) {
      report.results.notApplicable++;
      if (report.results.evaluated === 0) report.notChecked = na.reason;
      if (kind === "stack")
        this.evaluations.push({ ...base, outcome: "notApplicable", messages: [na.reason] });
      return;
    }
    report.results.evaluated++;
    report.applicable++;
    delete report.notChecked;
    if (mine.length === 0) {
      report.results.passed++;
      this.evaluations.push({ ...base, outcome: "pass", messages: [] });
      return;
    }
    const messages: string[] = [];
    for (const d of mine) {
      // Engine: remediate still violating is mandatory; a resource violation is the analyzed resource's; a
      // stack violation keeps its URN only when that resource is in the stack (else the root stack's).
      const level: EnforcementLevel = d.level === "remediate" ? "mandatory" : d.level;
      const urn = kind === "resource" ? target!.urn : d.urn && this.byUrn.has(d.urn) ? d.urn : null;
      const message = this.clean(policyMessage(d.engineMessage, d.description || p.description));
      const res = urn ? this.byUrn.get(urn) : undefined;
      messages.push(message);
      this.violations.push({
        pack: base.pack,
        policy: p.name,
        level,
        urn,
        message,
        prerequisite: report.prerequisite,
        ...(res ? { resourceType: res.type, resourceName: res.name } : {}),
        ...(d.severity ? { severity: d.severity } : {}),
      });
    }
    report.results.violations += messages.length;
    this.evaluations.push({ ...base, outcome: "violation", messages });
  }
}
