/**
 * A resource policy evaluated over every resource, as server.js `makeAnalyzeRpcFun` calls it: each validation
 * with the resource's (remediated) inputs as `props`; a violation still reported after remediation is mandatory.
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { unknownCheckingProxy, UnknownValueError } from "@pulumi/policy";
import type { EnforcementLevel } from "../../lib/reports/model";
import { copyData } from "../plain";
import type { CapturedResource } from "../program";
import { getPulumiType, isNotApplicable, optsOf, policyProps, resourceArgs, watched } from "./policyArgs";
import { makeReporter, notCheckedReason, recordOutcome, timed } from "./scope";
import type { PolicyRun } from "./scope";

/** Evaluates a resource policy (not disabled) over the scope's resources. */
export async function evaluateResourcePolicy(
  run: PolicyRun,
  policy: ResourceValidationPolicy,
): Promise<void> {
  const { scope, report } = run;
  if (!policy.validateResource) {
    scope.out.notes.push(
      `${run.pack.name}/${policy.name}: remediation-only policy; offline nothing is remediated, so it was not evaluated`,
    );
    report.notChecked = "remediation-only policy (no validateResource): offline nothing is remediated";
    return;
  }
  // Remediation ran first; a violation the engine still sees after remediating is mandatory.
  const level: EnforcementLevel = run.configured === "remediate" ? "mandatory" : run.configured;
  const validations = Array.isArray(policy.validateResource)
    ? policy.validateResource
    : [policy.validateResource];
  const fastType = Array.isArray(policy.validateResource)
    ? undefined
    : getPulumiType(policy.validateResource);
  const notApplicableReasons: string[] = [];
  for (const r of scope.resources) {
    if (fastType && r.type !== fastType) {
      report.results.notApplicable++;
      continue;
    }
    await validateOne(run, validations, level, r, notApplicableReasons);
  }
  if (report.applicable === 0)
    report.notChecked = notCheckedReason("resource", notApplicableReasons, fastType, scope.resources.length);
}

type Validation = Extract<ResourceValidationPolicy["validateResource"], (...args: never[]) => unknown>;

/** Every validation of the policy on one resource; counts and records the outcome. */
async function validateOne(
  run: PolicyRun,
  validations: readonly Validation[],
  level: EnforcementLevel,
  r: CapturedResource,
  notApplicableReasons: string[],
): Promise<void> {
  const { scope, report } = run;
  const messages: string[] = [];
  const reportViolation = makeReporter(run, level, r.urn, messages);
  let applicable = false;
  let examined = false;
  const read = () => {
    examined = true;
  };
  let failure: string | undefined;
  for (const validation of validations) {
    const inputs = scope.remediated.get(r.urn) ?? policyProps(scope.view.get(r.urn), "inputs");
    const props = watched(unknownCheckingProxy(copyData(inputs)), read);
    const args = resourceArgs(r, props, run.getConfig, scope.providerOf, watched(optsOf(r), read));
    try {
      await timed(run, () => validation(args as never, reportViolation as never));
      applicable = true;
    } catch (e) {
      if (isNotApplicable(e)) {
        notApplicableReasons.push(e.reason ?? "Policy does not apply");
        continue;
      }
      applicable = true;
      if (e instanceof UnknownValueError) {
        makeReporter(
          run,
          "advisory",
          r.urn,
          messages,
        )(`can't run ${run.from} during preview: ${(e as Error).message}`);
      } else {
        failure = scope.clean(`${(e as Error)?.message ?? String(e)}`);
      }
    }
  }
  if (!applicable) {
    report.results.notApplicable++;
    return;
  }
  if (examined || messages.length > 0 || failure !== undefined) report.applicable++;
  report.results.evaluated++;
  const base = {
    pack: run.pack.name,
    policy: run.policy.name,
    urn: r.urn,
    resourceType: r.type,
    resourceName: r.name,
  };
  recordOutcome(run, base, failure, messages);
}
