/**
 * Evaluates policy packs against captured resources, giving each policy exactly the arguments the engine's
 * analyzer gives (node_modules/@pulumi/policy/server.js, `makeAnalyzeRpcFun` / `makeAnalyzeStackRpcFun`):
 *
 * - resource policies: `{ type, props, urn, name, opts, stackTags, isType, asType, getConfig, notApplicable,
 *   provider? }`, props = the resource's inputs wrapped in `unknownCheckingProxy`;
 * - stack policies: `{ resources: [{ type, props, urn, name, opts, dependencies, propertyDependencies, parent?,
 *   isType, asType, provider? }], getConfig, stackTags, notApplicable }`, props = outputs;
 * - `reportViolation(message, urn?)` (a string, or an object with name/message/urn/enforcementLevel).
 *
 * Levels: `disabled` skips; `advisory` never fails; `mandatory` fails the gate; `remediate`: as the engine,
 * every resource is first remediated by the policies at `remediate` that can (a change is reported at level
 * "remediate"), the remediated inputs are analyzed, and a violation still reported is mandatory.
 * A policy that throws is an error result (the engine would fail the update), never a crash.
 *
 * For the reports, each policy also records which resources it applies to (`applicable`: the resources it
 * examined, see `watched`), the time spent in it, and why it checked nothing when it did not (`notChecked`).
 *
 * The parts, in evaluator/evaluation/: the arguments a policy gets (policyArgs.ts), remediation (remediation.ts),
 * resource and stack policies (resourcePolicy.ts, stackPolicy.ts), and what a policy's run records (scope.ts).
 */
import type { Policy } from "@pulumi/policy";
import { policyChecked } from "../lib/reports/model";
import type { ReportPolicy } from "../lib/reports/model";
import { scrubString } from "./plain";
import type { CapturedResource, PlainView } from "./program";
import { isResourcePolicy, isStackPolicy, providerLookup } from "./evaluation/policyArgs";
import { remediateResources } from "./evaluation/remediation";
import { evaluateResourcePolicy } from "./evaluation/resourcePolicy";
import { startPolicyRun } from "./evaluation/scope";
import type { EvaluationScope } from "./evaluation/scope";
import type { EvaluatedPack, EvaluationResult } from "./evaluation/types";
import { evaluateStackPolicy } from "./evaluation/stackPolicy";

export { prerequisiteOf } from "./evaluation/policyArgs";
export { remediationMessage } from "./evaluation/remediation";

export type { EvaluatedPack, EvaluationResult } from "./evaluation/types";

/**
 * Runs every enabled policy of every pack over `resources`. `view` gives each resource's plaintext inputs
 * and outputs (what the engine hands to policies); `secrets` are scrubbed from every message.
 */
export async function evaluatePolicies(
  packs: readonly EvaluatedPack[],
  resources: readonly CapturedResource[],
  view: ReadonlyMap<string, PlainView>,
  secrets: readonly string[] = [],
): Promise<EvaluationResult> {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const scope: EvaluationScope = {
    resources,
    view,
    byUrn,
    providerOf: providerLookup(byUrn, view),
    remediated: new Map(),
    clean: (s) => scrubString(s, secrets),
    out: { policies: [], evaluations: [], violations: [], errors: [], notes: [] },
  };
  // The engine remediates each resource before analyzing it, and analyzes the remediated inputs.
  await remediateResources(scope, packs);
  for (const pack of packs) {
    for (const policy of pack.policies) await evaluatePolicy(scope, pack, policy);
  }
  return scope.out;
}

/** One policy of a pack: skipped when disabled, else evaluated as the resource or stack policy it is. */
async function evaluatePolicy(scope: EvaluationScope, pack: EvaluatedPack, policy: Policy): Promise<void> {
  const run = startPolicyRun(scope, pack, policy);
  if (run.configured === "disabled") {
    scope.out.evaluations.push({
      pack: pack.name,
      policy: policy.name,
      urn: null,
      outcome: "disabled",
      messages: ["disabled by configuration"],
    });
    run.report.notChecked = "disabled by configuration (enforcement level disabled)";
    return;
  }
  if (run.kind === "resource" && isResourcePolicy(policy)) return evaluateResourcePolicy(run, policy);
  if (run.kind === "stack" && isStackPolicy(policy)) return evaluateStackPolicy(run, policy);
  scope.out.notes.push(
    `${pack.name}/${policy.name}: neither validateResource, remediateResource nor validateStack; skipped`,
  );
  run.report.notChecked = "the policy has neither validateResource, remediateResource nor validateStack";
}

/**
 * Refines the analyzer's policies with what the in-process run of the same policies measured: the resources
 * each applies to (the analyzer only knows which it was told are not applicable), the time spent in it, and why
 * it checked nothing. Violations, errors and levels stay the analyzer's. Policies the probe did not run keep
 * the analyzer's counts.
 */
export function withApplicability(analyzed: ReportPolicy[], probe: readonly ReportPolicy[]): ReportPolicy[] {
  const byKey = new Map(probe.map((p) => [`${p.pack}/${p.name}`, p]));
  return analyzed.map((p) => {
    const measured = byKey.get(`${p.pack}/${p.name}`);
    if (!measured) return p;
    const { notChecked: _analyzers, ...rest } = p;
    // A violation or an error means the analyzer's run examined the resource, whatever the probe saw.
    const floor = p.kind === "resource" && (p.results.violations > 0 || p.results.errors > 0) ? 1 : 0;
    const out: ReportPolicy = {
      ...rest,
      applicable: Math.max(measured.applicable, floor),
      durationMs: measured.durationMs,
    };
    if (!policyChecked(out))
      out.notChecked = measured.notChecked ?? p.notChecked ?? "it examined no resource of this stack";
    return out;
  });
}
