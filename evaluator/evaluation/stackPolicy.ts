/**
 * A stack policy evaluated once over the whole stack, as server.js `makeAnalyzeStackRpcFun` calls it: every
 * resource with its outputs as `props`, parents and dependencies linked. Stack policies cannot be remediated:
 * the engine treats remediate as mandatory.
 */
import type { StackValidationPolicy } from "@pulumi/policy";
import { UnknownValueError } from "@pulumi/policy";
import type { EnforcementLevel } from "../../lib/reports/model";
import {
  buildStackResources,
  getPulumiType,
  isNotApplicable,
  STACK_TAGS,
  throwNotApplicable,
} from "./policyArgs";
import { makeReporter, notCheckedReason, recordOutcome, timed } from "./scope";
import type { PolicyRun } from "./scope";

/** Evaluates a stack policy (not disabled) over the scope's resources. */
export async function evaluateStackPolicy(run: PolicyRun, policy: StackValidationPolicy): Promise<void> {
  const { scope, report } = run;
  const level: EnforcementLevel = run.configured === "remediate" ? "mandatory" : run.configured;
  const base = { pack: run.pack.name, policy: policy.name, urn: null };
  const fastType = getPulumiType(policy.validateStack);
  if (fastType && !scope.resources.some((r) => r.type === fastType)) {
    report.results.notApplicable++;
    report.notChecked = notCheckedReason("stack", [], fastType, scope.resources.length);
    const messages = [`Policy only applies to resources of type '${fastType}'`];
    scope.out.evaluations.push({ ...base, outcome: "notApplicable", messages });
    return;
  }
  const messages: string[] = [];
  let failure: string | undefined;
  let notApplicable: string | undefined;
  const examined = new Set<string>();
  try {
    const resources = buildStackResources(scope.resources, scope.view, scope.providerOf, (urn) =>
      examined.add(urn),
    );
    const args = {
      resources,
      getConfig: run.getConfig,
      stackTags: STACK_TAGS,
      notApplicable: throwNotApplicable,
    };
    const reportViolation = makeReporter(run, level, null, messages);
    await timed(run, () => policy.validateStack(args as never, reportViolation as never));
  } catch (e) {
    if (isNotApplicable(e)) {
      notApplicable = e.reason ?? "Policy does not apply";
    } else if (e instanceof UnknownValueError) {
      makeReporter(
        run,
        "advisory",
        null,
        messages,
      )(`can't run ${run.from} during preview: ${(e as Error).message}`);
    } else {
      failure = scope.clean(`${(e as Error)?.message ?? String(e)}`);
    }
  }
  report.applicable = examined.size;
  if (notApplicable !== undefined) {
    report.notChecked = notCheckedReason("stack", [notApplicable], undefined, scope.resources.length);
    report.results.notApplicable++;
    scope.out.evaluations.push({ ...base, outcome: "notApplicable", messages: [notApplicable] });
    return;
  }
  report.results.evaluated++;
  recordOutcome(run, base, failure, messages);
}
