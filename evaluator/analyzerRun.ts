/**
 * One offline deployment's policy evaluation through Pulumi's analyzer: the resources of the program run, put
 * in the shape and order the engine sends them (default providers included), through every started pack
 * (evaluator/analyzer.ts), folded into the report's policies, evaluations, violations and errors. The engine's
 * view of the resources (default providers included) is built in engineViews.ts (re-exported here).
 */
import { isDeepStrictEqual } from "node:util";
import type { Policy } from "@pulumi/policy";
import type {
  EnforcementLevel,
  ReportError,
  ReportEvaluation,
  ReportPolicy,
  ReportViolation,
} from "../lib/reports/model";
import { policyMessage, type AnalyzeResult, type EngineResource, type PackAnalyzer } from "./analyzer";
import { releasePropertyBytes } from "./analyzerMessages";
import { engineViews, withEngineResources, type EngineView } from "./engineViews";
import type { EvaluationResult } from "./evaluate";
import { prerequisiteOf, remediationMessage } from "./evaluate";
import type { ResolvedPolicyConfig } from "./packConfig";
import { engineToPolicy, scrubString, wireToEngine } from "./plain";

export { engineViews, withEngineResources };
export type { EngineView };

/**
 * How many resources' calls are in flight at once. Each holds its request's bytes until it is answered: with every
 * resource in flight together a 100,000-person roster's shards held ~50 MB of request bytes at once, which the
 * process's allocator kept after they were freed (issue 21 item 4, npm run bench:config). Eight keep the pack busy.
 */
const IN_FLIGHT = 8;

/** A started pack with the levels and config the engine would Configure it with. */
export interface AnalyzerPack {
  analyzer: PackAnalyzer;
  resolved: ReadonlyMap<string, ResolvedPolicyConfig>;
  /** The pack's policy objects when also loaded in-process (for report metadata such as configKey). */
  policies?: readonly Policy[];
}

/** Milliseconds spent in Remediate/Analyze and in AnalyzeStack. */
export interface AnalyzerTimings {
  analyzeMs: number;
  analyzeStackMs: number;
}

/**
 * Runs Remediate and Analyze per resource, then AnalyzeStack, on every pack, as the engine does, and folds the
 * answers into the report's shape. `secrets` are scrubbed from every message.
 */
export async function evaluateWithAnalyzers(
  packs: readonly AnalyzerPack[],
  views: readonly EngineView[],
  secrets: readonly string[] = [],
): Promise<EvaluationResult & { timings: AnalyzerTimings }> {
  const policies: ReportPolicy[] = [];
  const evaluations: ReportEvaluation[] = [];
  const violations: ReportViolation[] = [];
  const errors: ReportError[] = [];
  const notes: string[] = [];
  const clean = (s: string) => scrubString(s, secrets);
  const byUrn = new Map(views.map((v) => [v.resource.urn, v.resource]));
  const timings: AnalyzerTimings = { analyzeMs: 0, analyzeStackMs: 0 };

  const reports = new Map<string, ReportPolicy>();
  const describe = new Map<string, string>();
  for (const { analyzer, resolved, policies: objects } of packs) {
    const pack = analyzer.info.name;
    for (const p of analyzer.info.policies) {
      const own = objects?.find((o) => o.name === p.name) as
        (Policy & { configKey?: unknown; prerequisite?: unknown }) | undefined;
      const prerequisite = own
        ? prerequisiteOf(own)
        : (p.tags.find((t) => /^(P[1-8]|baseline)$/.test(t)) ?? null);
      const report: ReportPolicy = {
        pack,
        name: p.name,
        description: p.description,
        level: resolved.get(p.name)?.level ?? p.enforcementLevel,
        prerequisite,
        kind: p.kind,
        ...(p.severity ? { severity: p.severity } : {}),
        ...(p.remediationSteps ? { remediationSteps: p.remediationSteps } : {}),
        ...(typeof own?.configKey === "string" ? { configKey: own.configKey } : {}),
        results: { evaluated: 0, passed: 0, violations: 0, notApplicable: 0, errors: 0 },
        // The analyzer's own view until `withApplicability` refines it: every resource not declared not applicable.
        applicable: 0,
        durationMs: 0,
        ...(resolved.get(p.name)?.level === "disabled"
          ? { notChecked: "disabled by configuration (enforcement level disabled)" }
          : {}),
      };
      reports.set(`${pack}/${p.name}`, report);
      describe.set(`${pack}/${p.name}`, p.description);
      policies.push(report);
      if (report.level === "disabled")
        evaluations.push({
          pack,
          policy: p.name,
          urn: null,
          outcome: "disabled",
          messages: ["disabled by configuration"],
        });
    }
  }

  const record = (
    pack: string,
    kind: "resource" | "stack",
    result: AnalyzeResult,
    target: EngineResource | null,
    failed?: { policy: string; message: string },
  ) => {
    const analyzerPolicies = packs.find((p) => p.analyzer.info.name === pack)!.analyzer.info.policies;
    if (failed && !analyzerPolicies.some((p) => p.name === failed.policy)) {
      errors.push({
        pack,
        policy: failed.policy || "(unknown)",
        urn: target?.urn ?? null,
        message: failed.message,
      });
      return;
    }
    for (const p of analyzerPolicies) {
      const report = reports.get(`${pack}/${p.name}`)!;
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
        errors.push({ pack, policy: p.name, urn: base.urn, message: failed.message });
        evaluations.push({ ...base, outcome: "error", messages: [failed.message] });
        continue;
      }
      if (failed) continue;
      const na = result.notApplicable.find((n) => n.policy === p.name);
      const mine = result.diagnostics.filter((d) => d.policy === p.name);
      if (na && mine.length === 0) {
        report.results.notApplicable++;
        if (report.results.evaluated === 0) report.notChecked = na.reason;
        if (kind === "stack") evaluations.push({ ...base, outcome: "notApplicable", messages: [na.reason] });
        continue;
      }
      report.results.evaluated++;
      report.applicable++;
      delete report.notChecked;
      if (mine.length === 0) {
        report.results.passed++;
        evaluations.push({ ...base, outcome: "pass", messages: [] });
        continue;
      }
      const messages: string[] = [];
      for (const d of mine) {
        // Engine: remediate still violating is mandatory; a resource violation is the analyzed resource's; a
        // stack violation keeps its URN only when that resource is in the stack (else the root stack's).
        const level: EnforcementLevel = d.level === "remediate" ? "mandatory" : d.level;
        const urn = kind === "resource" ? target!.urn : d.urn && byUrn.has(d.urn) ? d.urn : null;
        const message = clean(
          policyMessage(d.engineMessage, d.description || describe.get(`${pack}/${p.name}`)!),
        );
        const res = urn ? byUrn.get(urn) : undefined;
        messages.push(message);
        violations.push({
          pack,
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
      evaluations.push({ ...base, outcome: "violation", messages });
    }
  };

  // A policy that throws fails the whole call: @pulumi/policy answers "Error validating resource with policy
  // 'NAME' from policy pack 'PACK@vVERSION':\n<the error's stack>" (protoutil.js asGrpcError). The report
  // keeps the error's own message, as the in-process path does.
  const failureOf = (error: unknown): { policy: string; message: string } => {
    const text = String((error as { details?: string }).details ?? (error as Error).message ?? error);
    const policy = /(?:policy|remediation) '([^']+)' from policy pack/.exec(text)?.[1] ?? "";
    const thrown = text.includes(":\n") ? text.slice(text.indexOf(":\n") + 2) : text;
    const first = thrown.split("\n")[0]!.replace(/^[A-Za-z]*Error: /, "");
    return { policy, message: clean(first) };
  };

  const started = Date.now();
  // Several resources' calls are in flight together (the engine, too, analyzes resources as they register, not
  // one after another), at most IN_FLIGHT; each resource's own order stays Remediate on every pack, then Analyze.
  // What each resource found is applied in registration order, so the report's order does not depend on timing.
  const stepOf = async (v: EngineView): Promise<Array<() => void>> => {
    const actions: Array<() => void> = [];
    let inputs = v.inputs;
    let remediateInputs = v.remediateInputs;
    for (const { analyzer } of packs) {
      let remediations: Awaited<ReturnType<PackAnalyzer["remediate"]>>["remediations"];
      try {
        ({ remediations } = await analyzer.remediate(v.resource, remediateInputs));
      } catch (error) {
        const failed = failureOf(error);
        actions.push(() =>
          errors.push({
            pack: analyzer.info.name,
            policy: failed.policy || "(unknown)",
            urn: v.resource.urn,
            message: failed.message,
          }),
        );
        continue;
      }
      for (const r of remediations) {
        if (r.diagnostic) {
          const diagnostic = r.diagnostic;
          actions.push(() =>
            violations.push({
              pack: analyzer.info.name,
              policy: r.policy,
              level: "advisory",
              urn: v.resource.urn,
              message: clean(diagnostic),
              prerequisite: reports.get(`${analyzer.info.name}/${r.policy}`)?.prerequisite ?? null,
              resourceType: v.resource.type,
              resourceName: v.resource.name,
            }),
          );
        } else if (r.properties) {
          const next = wireToEngine(r.properties);
          if (isDeepStrictEqual(engineToPolicy(next), engineToPolicy(inputs))) continue;
          inputs = next;
          remediateInputs = r.properties;
          actions.push(() =>
            violations.push({
              pack: analyzer.info.name,
              policy: r.policy,
              level: "remediate",
              urn: v.resource.urn,
              message: remediationMessage(r.description),
              prerequisite: reports.get(`${analyzer.info.name}/${r.policy}`)?.prerequisite ?? null,
              resourceType: v.resource.type,
              resourceName: v.resource.name,
            }),
          );
        }
      }
    }
    const analyzed = await Promise.all(
      packs.map(({ analyzer }) =>
        analyzer.analyze(v.resource, inputs).then(
          (result) => () => record(analyzer.info.name, "resource", result, v.resource),
          (error: unknown) => () =>
            record(
              analyzer.info.name,
              "resource",
              { diagnostics: [], notApplicable: [] },
              v.resource,
              failureOf(error),
            ),
        ),
      ),
    );
    return [...actions, ...analyzed];
  };
  const found: Array<Array<() => void>> = [];
  let next = 0;
  const worker = async () => {
    while (next < views.length) {
      const index = next++;
      const v = views[index]!;
      found[index] = await stepOf(v);
      releasePropertyBytes([v.remediateInputs, v.inputs]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, views.length) }, worker));
  for (const actions of found) for (const apply of actions) apply();
  timings.analyzeMs = Date.now() - started;
  const stackStarted = Date.now();
  const stackResources = views.map((v) => ({ resource: v.resource, properties: v.outputs }));
  for (const { analyzer } of packs) {
    try {
      record(analyzer.info.name, "stack", await analyzer.analyzeStack(stackResources), null);
    } catch (error) {
      record(analyzer.info.name, "stack", { diagnostics: [], notApplicable: [] }, null, failureOf(error));
    }
  }
  releasePropertyBytes(stackResources.map((r) => r.properties));
  timings.analyzeStackMs = Date.now() - stackStarted;
  return { policies, evaluations, violations, errors, notes, timings };
}
