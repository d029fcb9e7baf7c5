/**
 * Remediation before analysis, as the engine does it: each resource is first remediated by every policy at level
 * "remediate" that can (every pack in order), and the remediated inputs are what the policies then analyze
 * (pkg/resource/deploy/step_generator.go). A change is reported at level "remediate".
 */
import { isDeepStrictEqual } from "node:util";
import type { Policy, ResourceValidationPolicy } from "@pulumi/policy";
import { unknownCheckingProxy, UnknownValueError } from "@pulumi/policy";
import type { EvaluatedPack } from "./types";
import { copyData } from "../plain";
import type { CapturedResource } from "../program";
import {
  getPulumiType,
  isNotApplicable,
  isTypeOf,
  optsOf,
  policyProps,
  prerequisiteOf,
  STACK_TAGS,
  throwNotApplicable,
} from "./policyArgs";
import type { EvaluationScope } from "./scope";

/** The violation entry for a remediation that changed a resource's inputs (level "remediate"). */
export function remediationMessage(description: string): string {
  return `Remediated: ${description} (the policy changed the inputs; pulumi up deploys the changed values)`;
}

/** Remediates every resource; the changed inputs land in `scope.remediated`. */
export async function remediateResources(
  scope: EvaluationScope,
  packs: readonly EvaluatedPack[],
): Promise<void> {
  for (const r of scope.resources) {
    let current = policyProps(scope.view.get(r.urn), "inputs");
    for (const pack of packs) {
      for (const policy of pack.policies) {
        const next = await remediateOne(scope, pack, policy, r, current);
        if (next === undefined) continue;
        current = next;
        scope.remediated.set(r.urn, current);
      }
    }
  }
}

/** One policy's remediation of one resource: the changed inputs, or undefined when it changed nothing. */
async function remediateOne(
  scope: EvaluationScope,
  pack: EvaluatedPack,
  policy: Policy,
  r: CapturedResource,
  current: Record<string, unknown>,
): Promise<Record<string, unknown> | undefined> {
  const resolved = pack.resolved.get(policy.name);
  const remediate = (policy as ResourceValidationPolicy).remediateResource;
  if (resolved?.level !== "remediate" || typeof remediate !== "function") return undefined;
  const fast = getPulumiType(remediate);
  if (fast && fast !== r.type) return undefined;
  const props = unknownCheckingProxy(copyData(current));
  const type = r.type;
  const args: Record<string, unknown> = {
    urn: r.urn,
    name: r.name,
    type,
    opts: optsOf(r),
    props,
    stackTags: STACK_TAGS,
    getConfig: () => structuredClone(resolved.config),
    isType: (cls: unknown) => isTypeOf(type, cls),
    asType: (cls: unknown) => (isTypeOf(type, cls) ? props : undefined),
    notApplicable: throwNotApplicable,
  };
  const provider = scope.providerOf(r);
  if (provider) args.provider = provider;
  const prerequisite = prerequisiteOf(policy);
  const violation = (level: "remediate" | "advisory", message: string) => ({
    pack: pack.name,
    policy: policy.name,
    level,
    urn: r.urn,
    message,
    prerequisite,
    resourceType: r.type,
    resourceName: r.name,
  });
  try {
    const result = (await Promise.resolve(remediate(args as never))) as unknown;
    if (!result) return undefined;
    const next = JSON.parse(JSON.stringify(result)) as Record<string, unknown>;
    if (isDeepStrictEqual(next, current)) return undefined;
    scope.out.violations.push(violation("remediate", remediationMessage(policy.description)));
    return next;
  } catch (e) {
    if (isNotApplicable(e)) return undefined;
    const from = `remediation '${policy.name}' from policy pack '${pack.name}@v${pack.version}'`;
    if (e instanceof UnknownValueError) {
      scope.out.violations.push(
        violation("advisory", scope.clean(`can't run ${from} during preview: ${(e as Error).message}`)),
      );
    } else {
      const message = scope.clean(`${(e as Error)?.message ?? String(e)}`);
      scope.out.errors.push({ pack: pack.name, policy: policy.name, urn: r.urn, message });
    }
    return undefined;
  }
}
