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
 */
import { isDeepStrictEqual } from "node:util";
import type { Policy, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { unknownCheckingProxy, UnknownValueError } from "@pulumi/policy";
import { policyChecked } from "../lib/reports/model";
import type {
  EnforcementLevel,
  ReportError,
  ReportEvaluation,
  ReportPolicy,
  ReportViolation,
} from "../lib/reports/model";
import type { ResolvedPolicyConfig } from "./packConfig";
import { engineToPolicy, scrubString, wireToEngine } from "./plain";
import type { CapturedResource, PlainView } from "./program";

export interface EvaluatedPack {
  name: string;
  version: string;
  policies: Policy[];
  /** Effective level and config per policy name. */
  resolved: Map<string, ResolvedPolicyConfig>;
}

export interface EvaluationResult {
  policies: ReportPolicy[];
  evaluations: ReportEvaluation[];
  violations: ReportViolation[];
  errors: ReportError[];
  notes: string[];
}

class NotApplicableError extends Error {
  constructor(readonly reason?: string) {
    super(reason ?? "Policy does not apply");
  }
}

function throwNotApplicable(reason?: string): never {
  throw new NotApplicableError(reason);
}

/** The engine's empty stack tags map (read-only). */
const STACK_TAGS = Object.freeze({
  entries: () => new Map<string, string>().entries(),
  forEach: () => undefined,
  get: () => undefined,
  has: () => false,
  keys: () => new Map<string, string>().keys(),
  size: 0,
  values: () => new Map<string, string>().values(),
  [Symbol.iterator]: () => new Map<string, string>()[Symbol.iterator](),
});

function getPulumiType(obj: unknown): string | undefined {
  const t = (obj as { __pulumiType?: unknown } | undefined)?.__pulumiType;
  return typeof t === "string" && t.length > 0 ? t : undefined;
}

/** server.js isTypeOf: the class's `__pulumiType`, else its `isInstance`. */
function isTypeOf(type: string, resourceClass: unknown): boolean {
  const pulumiType = getPulumiType(resourceClass);
  if (pulumiType) return type === pulumiType;
  const isInstance = (resourceClass as { isInstance?: unknown } | undefined)?.isInstance;
  return typeof isInstance === "function" && isInstance({ __pulumiType: type }) === true;
}

function isResourcePolicy(p: Policy): p is ResourceValidationPolicy {
  const v = (p as ResourceValidationPolicy).validateResource;
  if (typeof v === "function") return true;
  if (Array.isArray(v)) return v.every((f) => typeof f === "function");
  return typeof (p as ResourceValidationPolicy).remediateResource === "function";
}

function isStackPolicy(p: Policy): p is StackValidationPolicy {
  return typeof (p as StackValidationPolicy).validateStack === "function";
}

/** The policy's prerequisite: its `prerequisite` field, else a `P1`..`P8`/`baseline` tag. */
export function prerequisiteOf(p: Policy): string | null {
  const own = (p as { prerequisite?: unknown }).prerequisite;
  if (typeof own === "string" && own) return own;
  const tag = (p as { tags?: unknown }).tags;
  if (Array.isArray(tag)) {
    const found = tag.find((t) => typeof t === "string" && /^(P[1-8]|baseline)$/.test(t));
    if (found) return found as string;
  }
  return null;
}

/**
 * A resource's properties as the analyzer hands them to a policy: the engine-shaped properties (unknowns kept,
 * top-level `__` keys dropped) with secrets unwrapped; the plain view when no engine shape was recorded.
 */
function policyProps(v: PlainView | undefined, which: "inputs" | "outputs"): Record<string, unknown> {
  if (v?.engine) return engineToPolicy(wireToEngine(v.engine[which])) as Record<string, unknown>;
  return structuredClone(v?.[which] ?? {});
}

/** The violation entry for a remediation that changed a resource's inputs (level "remediate"). */
export function remediationMessage(description: string): string {
  return `Remediated: ${description} (the policy changed the inputs; pulumi up deploys the changed values)`;
}

/**
 * `target` seen through a proxy that calls `onRead` when a policy reads any of its fields. A policy written
 * `if (args.type !== X) return;` reads nothing of the other resources, so they do not count as resources it
 * applies to; reading inputs, outputs or options does. The name and URN do not count (destructuring the
 * arguments reads them whatever the type).
 */
function watched<T extends object>(target: T, onRead: () => void): T {
  return new Proxy(target, {
    get(t, key, receiver) {
      if (typeof key === "string") onRead();
      return Reflect.get(t, key, receiver) as unknown;
    },
    has(t, key) {
      onRead();
      return Reflect.has(t, key);
    },
    ownKeys(t) {
      onRead();
      return Reflect.ownKeys(t);
    },
  });
}

/** Why a policy that examined nothing checked nothing, for the reports. */
function notCheckedReason(
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

function optsOf(r: CapturedResource) {
  return {
    protect: r.protect,
    ignoreChanges: r.ignoreChanges,
    aliases: [] as string[],
    customTimeouts: r.customTimeouts,
    additionalSecretOutputs: r.additionalSecretOutputs,
    ...(r.deleteBeforeReplace !== undefined ? { deleteBeforeReplace: r.deleteBeforeReplace } : {}),
    ...(r.parent ? { parent: r.parent } : {}),
  };
}

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
  const policies: ReportPolicy[] = [];
  const evaluations: ReportEvaluation[] = [];
  const violations: ReportViolation[] = [];
  const errors: ReportError[] = [];
  const notes: string[] = [];
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const clean = (s: string) => scrubString(s, secrets);

  const providerOf = (r: CapturedResource) => {
    if (!r.provider) return undefined;
    const urn = r.provider.split("::").slice(0, -1).join("::");
    const p = byUrn.get(urn);
    if (!p) return undefined;
    return {
      type: p.type,
      props: unknownCheckingProxy(policyProps(view.get(p.urn), "inputs")),
      urn: p.urn,
      name: p.name,
    };
  };

  // The engine remediates each resource (every pack, every policy at "remediate" that can) before analyzing
  // it, and analyzes the remediated inputs (pkg/resource/deploy/step_generator.go); so does this.
  const remediated = new Map<string, Record<string, unknown>>();
  for (const r of resources) {
    let current = policyProps(view.get(r.urn), "inputs");
    for (const pack of packs) {
      for (const policy of pack.policies) {
        const resolved = pack.resolved.get(policy.name);
        const remediate = (policy as ResourceValidationPolicy).remediateResource;
        if (resolved?.level !== "remediate" || typeof remediate !== "function") continue;
        const fast = getPulumiType(remediate);
        if (fast && fast !== r.type) continue;
        const props = unknownCheckingProxy(structuredClone(current));
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
        const provider = providerOf(r);
        if (provider) args.provider = provider;
        const prerequisite = prerequisiteOf(policy);
        try {
          const result = (await Promise.resolve(remediate(args as never))) as unknown;
          if (!result) continue;
          const next = JSON.parse(JSON.stringify(result)) as Record<string, unknown>;
          if (isDeepStrictEqual(next, current)) continue;
          current = next;
          remediated.set(r.urn, current);
          violations.push({
            pack: pack.name,
            policy: policy.name,
            level: "remediate",
            urn: r.urn,
            message: remediationMessage(policy.description),
            prerequisite,
            resourceType: r.type,
            resourceName: r.name,
          });
        } catch (e) {
          if (e instanceof NotApplicableError || (e as Error)?.constructor?.name === "NotApplicableError")
            continue;
          const from = `remediation '${policy.name}' from policy pack '${pack.name}@v${pack.version}'`;
          if (e instanceof UnknownValueError) {
            violations.push({
              pack: pack.name,
              policy: policy.name,
              level: "advisory",
              urn: r.urn,
              message: clean(`can't run ${from} during preview: ${(e as Error).message}`),
              prerequisite,
              resourceType: r.type,
              resourceName: r.name,
            });
          } else {
            errors.push({
              pack: pack.name,
              policy: policy.name,
              urn: r.urn,
              message: clean(`${(e as Error)?.message ?? String(e)}`),
            });
          }
        }
      }
    }
  }

  for (const pack of packs) {
    for (const policy of pack.policies) {
      const resolved = pack.resolved.get(policy.name) ?? {
        level: "advisory" as EnforcementLevel,
        config: {},
      };
      const configured = resolved.level;
      const prerequisite = prerequisiteOf(policy);
      const kind: "resource" | "stack" = isStackPolicy(policy) ? "stack" : "resource";
      const results = { evaluated: 0, passed: 0, violations: 0, notApplicable: 0, errors: 0 };
      const notApplicableReasons: string[] = [];
      /** Runs one validate call and adds its time to the policy's. */
      const timed = async (run: () => unknown): Promise<void> => {
        const start = performance.now();
        try {
          await Promise.resolve(run());
        } finally {
          report.durationMs += performance.now() - start;
        }
      };
      const meta = policy as { configKey?: unknown; severity?: string; remediationSteps?: string };
      const report: ReportPolicy = {
        pack: pack.name,
        name: policy.name,
        description: policy.description,
        level: configured,
        prerequisite,
        kind,
        ...(meta.severity ? { severity: meta.severity } : {}),
        ...(meta.remediationSteps ? { remediationSteps: meta.remediationSteps } : {}),
        ...(typeof meta.configKey === "string" ? { configKey: meta.configKey } : {}),
        results,
        applicable: 0,
        durationMs: 0,
      };
      policies.push(report);
      /** Counts one evaluation that ran (the policy was applicable) and records its outcome. */
      const recordOutcome = (
        base: Omit<ReportEvaluation, "outcome" | "messages">,
        failure: string | undefined,
        messages: string[],
      ): void => {
        if (failure !== undefined) {
          results.errors++;
          errors.push({ pack: pack.name, policy: policy.name, urn: base.urn, message: failure });
          evaluations.push({ ...base, outcome: "error", messages: [failure, ...messages] });
        } else if (messages.length > 0) {
          results.violations += messages.length;
          evaluations.push({ ...base, outcome: "violation", messages });
        } else {
          results.passed++;
          evaluations.push({ ...base, outcome: "pass", messages: [] });
        }
      };
      if (configured === "disabled") {
        evaluations.push({
          pack: pack.name,
          policy: policy.name,
          urn: null,
          outcome: "disabled",
          messages: ["disabled by configuration"],
        });
        report.notChecked = "disabled by configuration (enforcement level disabled)";
        continue;
      }
      const getConfig = () => structuredClone(resolved.config);
      /** How server.js names the policy in "can't run ... during preview". */
      const policyFrom = `policy '${policy.name}' from policy pack '${pack.name}@v${pack.version}'`;

      /** Records what one policy run reported; returns the violations it added. */
      const makeReporter = (level: EnforcementLevel, defaultUrn: string | null, sink: string[]) => {
        return (message: unknown, urn?: string) => {
          let text: string;
          // The engine files a resource policy's violation under the analyzed resource whatever URN the
          // policy names (analyze_snapshot.go analyzeResource); a stack policy's under the URN it names when
          // that resource is in the stack, else under the stack (step_generator.go AnalyzeResources).
          const own = kind === "resource";
          let target = own ? defaultUrn : urn && byUrn.has(urn) ? urn : defaultUrn;
          let lvl = level;
          if (message !== null && typeof message === "object") {
            const info = message as {
              message?: string;
              description?: string;
              urn?: string;
              enforcementLevel?: EnforcementLevel;
            };
            text = info.message || info.description || policy.description;
            if (info.urn && !own && byUrn.has(info.urn)) target = info.urn;
            if (info.enforcementLevel) lvl = info.enforcementLevel;
          } else {
            text = typeof message === "string" && message ? message : policy.description;
          }
          text = clean(text);
          sink.push(text);
          const res = target ? byUrn.get(target) : undefined;
          violations.push({
            pack: pack.name,
            policy: policy.name,
            level: lvl,
            urn: target ?? null,
            message: text,
            prerequisite,
            ...(res ? { resourceType: res.type, resourceName: res.name } : {}),
            ...(meta.severity ? { severity: meta.severity } : {}),
          });
        };
      };

      if (kind === "resource" && isResourcePolicy(policy)) {
        if (!policy.validateResource) {
          notes.push(
            `${pack.name}/${policy.name}: remediation-only policy; offline nothing is remediated, so it was not evaluated`,
          );
          report.notChecked = "remediation-only policy (no validateResource): offline nothing is remediated";
          continue;
        }
        // Remediation ran above; a violation the engine still sees after remediating is mandatory.
        const level: EnforcementLevel = configured === "remediate" ? "mandatory" : configured;
        const validations = Array.isArray(policy.validateResource)
          ? policy.validateResource
          : [policy.validateResource];
        const fastType = Array.isArray(policy.validateResource)
          ? undefined
          : getPulumiType(policy.validateResource);
        for (const r of resources) {
          if (fastType && r.type !== fastType) {
            results.notApplicable++;
            continue;
          }
          const messages: string[] = [];
          const reportViolation = makeReporter(level, r.urn, messages);
          let applicable = false;
          let examined = false;
          const read = () => {
            examined = true;
          };
          let failure: string | undefined;
          for (const validation of validations) {
            const props = watched(
              unknownCheckingProxy(
                structuredClone(remediated.get(r.urn) ?? policyProps(view.get(r.urn), "inputs")),
              ),
              read,
            );
            const type = r.type;
            const args: Record<string, unknown> = {
              type,
              props,
              urn: r.urn,
              name: r.name,
              opts: watched(optsOf(r), read),
              stackTags: STACK_TAGS,
              isType: (cls: unknown) => isTypeOf(type, cls),
              asType: (cls: unknown) => (isTypeOf(type, cls) ? props : undefined),
              getConfig,
              notApplicable: throwNotApplicable,
            };
            const provider = providerOf(r);
            if (provider) args.provider = provider;
            try {
              await timed(() => validation(args as never, reportViolation as never));
              applicable = true;
            } catch (e) {
              if (
                e instanceof NotApplicableError ||
                (e as Error)?.constructor?.name === "NotApplicableError"
              ) {
                notApplicableReasons.push((e as NotApplicableError).reason ?? "Policy does not apply");
                continue;
              }
              applicable = true;
              if (e instanceof UnknownValueError) {
                makeReporter(
                  "advisory",
                  r.urn,
                  messages,
                )(`can't run ${policyFrom} during preview: ${(e as Error).message}`);
              } else {
                failure = clean(`${(e as Error)?.message ?? String(e)}`);
              }
            }
          }
          if (!applicable) {
            results.notApplicable++;
            continue;
          }
          if (examined || messages.length > 0 || failure !== undefined) report.applicable++;
          results.evaluated++;
          const base = {
            pack: pack.name,
            policy: policy.name,
            urn: r.urn,
            resourceType: r.type,
            resourceName: r.name,
          };
          recordOutcome(base, failure, messages);
        }
        if (report.applicable === 0)
          report.notChecked = notCheckedReason("resource", notApplicableReasons, fastType, resources.length);
        continue;
      }

      if (kind === "stack" && isStackPolicy(policy)) {
        // Stack policies cannot be remediated: the engine treats remediate as mandatory.
        const level: EnforcementLevel = configured === "remediate" ? "mandatory" : configured;
        const fastType = getPulumiType(policy.validateStack);
        if (fastType && !resources.some((r) => r.type === fastType)) {
          results.notApplicable++;
          report.notChecked = notCheckedReason("stack", [], fastType, resources.length);
          evaluations.push({
            pack: pack.name,
            policy: policy.name,
            urn: null,
            outcome: "notApplicable",
            messages: [`Policy only applies to resources of type '${fastType}'`],
          });
          continue;
        }
        const messages: string[] = [];
        const reportViolation = makeReporter(level, null, messages);
        let failure: string | undefined;
        let notApplicable: string | undefined;
        const examined = new Set<string>();
        try {
          const stackResources = buildStackResources(resources, view, providerOf, (urn) => examined.add(urn));
          await timed(() =>
            policy.validateStack(
              {
                resources: stackResources,
                getConfig,
                stackTags: STACK_TAGS,
                notApplicable: throwNotApplicable,
              } as never,
              reportViolation as never,
            ),
          );
        } catch (e) {
          if (e instanceof NotApplicableError || (e as Error)?.constructor?.name === "NotApplicableError") {
            notApplicable = (e as NotApplicableError).reason ?? "Policy does not apply";
          } else if (e instanceof UnknownValueError) {
            makeReporter(
              "advisory",
              null,
              messages,
            )(`can't run ${policyFrom} during preview: ${(e as Error).message}`);
          } else {
            failure = clean(`${(e as Error)?.message ?? String(e)}`);
          }
        }
        const base = { pack: pack.name, policy: policy.name, urn: null };
        report.applicable = examined.size;
        if (notApplicable !== undefined) {
          report.notChecked = notCheckedReason("stack", [notApplicable], undefined, resources.length);
          results.notApplicable++;
          evaluations.push({ ...base, outcome: "notApplicable", messages: [notApplicable] });
          continue;
        }
        results.evaluated++;
        recordOutcome(base, failure, messages);
        continue;
      }
      notes.push(
        `${pack.name}/${policy.name}: neither validateResource, remediateResource nor validateStack; skipped`,
      );
      report.notChecked = "the policy has neither validateResource, remediateResource nor validateStack";
    }
  }
  return { policies, evaluations, violations, errors, notes };
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

/** The `resources` argument of a stack policy: outputs as props, parent and dependencies linked as objects. */
function buildStackResources(
  resources: readonly CapturedResource[],
  view: ReadonlyMap<string, PlainView>,
  providerOf: (r: CapturedResource) => unknown,
  onRead: (urn: string) => void,
) {
  const built = resources.map((r) => {
    const read = () => onRead(r.urn);
    const props = watched(unknownCheckingProxy(policyProps(view.get(r.urn), "outputs")), read);
    const type = r.type;
    const resource: Record<string, unknown> = {
      type,
      props,
      urn: r.urn,
      name: r.name,
      opts: watched(optsOf(r), read),
      dependencies: [],
      propertyDependencies: {},
      isType: (cls: unknown) => isTypeOf(type, cls),
      asType: (cls: unknown) => (isTypeOf(type, cls) ? props : undefined),
    };
    const provider = providerOf(r);
    if (provider) resource.provider = provider;
    return { resource, source: r };
  });
  const byUrn = new Map(built.map((b) => [b.source.urn, b.resource]));
  for (const { resource, source } of built) {
    if (source.parent && byUrn.has(source.parent)) resource.parent = byUrn.get(source.parent);
    resource.dependencies = source.dependencies.map((d) => byUrn.get(d)).filter(Boolean);
    const deps: Record<string, unknown[]> = {};
    for (const [k, urns] of Object.entries(source.propertyDependencies))
      deps[k] = urns.map((d) => byUrn.get(d)).filter(Boolean);
    resource.propertyDependencies = deps;
  }
  return built.map((b) => b.resource);
}
