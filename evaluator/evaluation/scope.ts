/**
 * What one evaluation shares (the resources, their views, the provider lookup, the remediated inputs and the
 * result being filled) and what one policy's run records: its report entry, the outcome of each evaluation and
 * each violation, filed where the engine files it.
 */
import type { Policy } from "@pulumi/policy";
import type { EnforcementLevel, ReportEvaluation, ReportPolicy } from "../../lib/reports/model";
import type { EvaluatedPack, EvaluationResult } from "./types";
import type { ResolvedPolicyConfig } from "../packConfig";
import type { CapturedResource, PlainView } from "../program";
import { isStackPolicy, prerequisiteOf } from "./policyArgs";
import type { ProviderLookup } from "./policyArgs";

/** Shared by every policy of one evaluation. */
export interface EvaluationScope {
  resources: readonly CapturedResource[];
  view: ReadonlyMap<string, PlainView>;
  byUrn: ReadonlyMap<string, CapturedResource>;
  providerOf: ProviderLookup;
  /** Inputs after remediation, by URN (only resources a remediation changed). */
  remediated: Map<string, Record<string, unknown>>;
  /** Scrubs the run's secrets from a message. */
  clean: (text: string) => string;
  /** The result being filled. */
  out: EvaluationResult;
}

/** One policy's run: its place, its effective level and config, and its report entry. */
export interface PolicyRun {
  scope: EvaluationScope;
  pack: EvaluatedPack;
  policy: Policy;
  kind: "resource" | "stack";
  configured: EnforcementLevel;
  prerequisite: string | null;
  severity?: string;
  report: ReportPolicy;
  getConfig: () => unknown;
  /** How server.js names the policy in "can't run ... during preview". */
  from: string;
}

/** Starts a policy's run: its report entry is added to the result. */
export function startPolicyRun(scope: EvaluationScope, pack: EvaluatedPack, policy: Policy): PolicyRun {
  const resolved: ResolvedPolicyConfig = pack.resolved.get(policy.name) ?? { level: "advisory", config: {} };
  const prerequisite = prerequisiteOf(policy);
  const kind: "resource" | "stack" = isStackPolicy(policy) ? "stack" : "resource";
  const meta = policy as { configKey?: unknown; severity?: string; remediationSteps?: string };
  const report: ReportPolicy = {
    pack: pack.name,
    name: policy.name,
    description: policy.description,
    level: resolved.level,
    prerequisite,
    kind,
    ...(meta.severity ? { severity: meta.severity } : {}),
    ...(meta.remediationSteps ? { remediationSteps: meta.remediationSteps } : {}),
    ...(typeof meta.configKey === "string" ? { configKey: meta.configKey } : {}),
    results: { evaluated: 0, passed: 0, violations: 0, notApplicable: 0, errors: 0 },
    applicable: 0,
    durationMs: 0,
  };
  scope.out.policies.push(report);
  return {
    scope,
    pack,
    policy,
    kind,
    configured: resolved.level,
    prerequisite,
    ...(meta.severity ? { severity: meta.severity } : {}),
    report,
    getConfig: () => structuredClone(resolved.config),
    from: `policy '${policy.name}' from policy pack '${pack.name}@v${pack.version}'`,
  };
}

/** Runs one validate call and adds its time to the policy's. */
export async function timed(run: PolicyRun, call: () => unknown): Promise<void> {
  const start = performance.now();
  try {
    await Promise.resolve(call());
  } finally {
    run.report.durationMs += performance.now() - start;
  }
}

/** Counts one evaluation that ran (the policy was applicable) and records its outcome. */
export function recordOutcome(
  run: PolicyRun,
  base: Omit<ReportEvaluation, "outcome" | "messages">,
  failure: string | undefined,
  messages: string[],
): void {
  const { out } = run.scope;
  const results = run.report.results;
  if (failure !== undefined) {
    results.errors++;
    out.errors.push({ pack: run.pack.name, policy: run.policy.name, urn: base.urn, message: failure });
    out.evaluations.push({ ...base, outcome: "error", messages: [failure, ...messages] });
  } else if (messages.length > 0) {
    results.violations += messages.length;
    out.evaluations.push({ ...base, outcome: "violation", messages });
  } else {
    results.passed++;
    out.evaluations.push({ ...base, outcome: "pass", messages: [] });
  }
}

/**
 * The `reportViolation` a policy run is given: records each violation (its text into `sink`). The engine files a
 * resource policy's violation under the analyzed resource whatever URN the policy names (analyze_snapshot.go
 * analyzeResource); a stack policy's under the URN it names when that resource is in the stack, else under the
 * stack (step_generator.go AnalyzeResources).
 */
export function makeReporter(
  run: PolicyRun,
  level: EnforcementLevel,
  defaultUrn: string | null,
  sink: string[],
): (message: unknown, urn?: string) => void {
  const { byUrn, clean, out } = run.scope;
  const own = run.kind === "resource";
  return (message, urn) => {
    let text: string;
    let target = own ? defaultUrn : urn && byUrn.has(urn) ? urn : defaultUrn;
    let lvl = level;
    if (message !== null && typeof message === "object") {
      const info = message as {
        message?: string;
        description?: string;
        urn?: string;
        enforcementLevel?: EnforcementLevel;
      };
      text = info.message || info.description || run.policy.description;
      if (info.urn && !own && byUrn.has(info.urn)) target = info.urn;
      if (info.enforcementLevel) lvl = info.enforcementLevel;
    } else {
      text = typeof message === "string" && message ? message : run.policy.description;
    }
    text = clean(text);
    sink.push(text);
    const res = target ? byUrn.get(target) : undefined;
    out.violations.push({
      pack: run.pack.name,
      policy: run.policy.name,
      level: lvl,
      urn: target ?? null,
      message: text,
      prerequisite: run.prerequisite,
      ...(res ? { resourceType: res.type, resourceName: res.name } : {}),
      ...(run.severity ? { severity: run.severity } : {}),
    });
  };
}

/** Why a policy that examined nothing checked nothing, for the reports. */
export function notCheckedReason(
  kind: "resource" | "stack",
  reasons: readonly string[],
  fastType: string | undefined,
  resourceCount: number,
): string {
  const unique = [...new Set(reasons)];
  if (unique.length > 0)
    return `${unique.slice(0, 3).join(" ")}${unique.length > 3 ? ` (and ${unique.length - 3} more reasons)` : ""}`;
  if (fastType) return `the stack has no resource of type ${fastType}`;
  return kind === "stack"
    ? "it read none of the stack's resources"
    : `it examined none of the stack's ${resourceCount} resources (none is of a type it checks)`;
}
