/**
 * The arguments @pulumi/policy's analyzer hands a policy (node_modules/@pulumi/policy/server.js,
 * `makeAnalyzeRpcFun` / `makeAnalyzeStackRpcFun`), built from captured resources: type checks, options, the
 * provider, stack tags, `notApplicable`, and the read-watching proxies that tell which resources a policy examined.
 */
import type { Policy, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { unknownCheckingProxy } from "@pulumi/policy";
import { providerUrnOf } from "../mockRuntime";
import { engineToPolicy, wireToEngine } from "../plain";
import type { CapturedResource, PlainView } from "../program";

/** What `notApplicable(reason)` throws. */
export class NotApplicableError extends Error {
  constructor(readonly reason?: string) {
    super(reason ?? "Policy does not apply");
  }
}

export function throwNotApplicable(reason?: string): never {
  throw new NotApplicableError(reason);
}

/** Whether a policy threw "not applicable" (also a pack's own copy of the class, recognised by name). */
export function isNotApplicable(e: unknown): e is NotApplicableError {
  return e instanceof NotApplicableError || (e as Error)?.constructor?.name === "NotApplicableError";
}

/** The engine's empty stack tags map (read-only). */
export const STACK_TAGS = Object.freeze({
  entries: () => new Map<string, string>().entries(),
  forEach: () => undefined,
  get: () => undefined,
  has: () => false,
  keys: () => new Map<string, string>().keys(),
  size: 0,
  values: () => new Map<string, string>().values(),
  [Symbol.iterator]: () => new Map<string, string>()[Symbol.iterator](),
});

export function getPulumiType(obj: unknown): string | undefined {
  const t = (obj as { __pulumiType?: unknown } | undefined)?.__pulumiType;
  return typeof t === "string" && t.length > 0 ? t : undefined;
}

/** server.js isTypeOf: the class's `__pulumiType`, else its `isInstance`. */
export function isTypeOf(type: string, resourceClass: unknown): boolean {
  const pulumiType = getPulumiType(resourceClass);
  if (pulumiType) return type === pulumiType;
  const isInstance = (resourceClass as { isInstance?: unknown } | undefined)?.isInstance;
  return typeof isInstance === "function" && isInstance({ __pulumiType: type }) === true;
}

export function isResourcePolicy(p: Policy): p is ResourceValidationPolicy {
  const v = (p as ResourceValidationPolicy).validateResource;
  if (typeof v === "function") return true;
  if (Array.isArray(v)) return v.every((f) => typeof f === "function");
  return typeof (p as ResourceValidationPolicy).remediateResource === "function";
}

export function isStackPolicy(p: Policy): p is StackValidationPolicy {
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
export function policyProps(v: PlainView | undefined, which: "inputs" | "outputs"): Record<string, unknown> {
  if (v?.engine) return engineToPolicy(wireToEngine(v.engine[which])) as Record<string, unknown>;
  return structuredClone(v?.[which] ?? {});
}

/**
 * `target` seen through a proxy that calls `onRead` when a policy reads any of its fields. A policy written
 * `if (args.type !== X) return;` reads nothing of the other resources, so they do not count as resources it
 * applies to; reading inputs, outputs or options does. The name and URN do not count (destructuring the
 * arguments reads them whatever the type).
 */
export function watched<T extends object>(target: T, onRead: () => void): T {
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

/** The resource options a policy sees (`opts`). */
export function optsOf(r: CapturedResource) {
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

/** A resource's provider as a policy sees it (`provider`): its type, inputs, URN and name. */
export type ProviderLookup = (
  r: CapturedResource,
) => { type: string; props: unknown; urn: string; name: string } | undefined;

export function providerLookup(
  byUrn: ReadonlyMap<string, CapturedResource>,
  view: ReadonlyMap<string, PlainView>,
): ProviderLookup {
  return (r) => {
    if (!r.provider) return undefined;
    const p = byUrn.get(providerUrnOf(r.provider));
    if (!p) return undefined;
    return {
      type: p.type,
      props: unknownCheckingProxy(policyProps(view.get(p.urn), "inputs")),
      urn: p.urn,
      name: p.name,
    };
  };
}

/** A resource policy's (or remediation's) arguments for one resource, `props` given. */
export function resourceArgs(
  r: CapturedResource,
  props: Record<string, unknown>,
  getConfig: () => unknown,
  providerOf: ProviderLookup,
  opts: object = optsOf(r),
): Record<string, unknown> {
  const type = r.type;
  const args: Record<string, unknown> = {
    type,
    props,
    urn: r.urn,
    name: r.name,
    opts,
    stackTags: STACK_TAGS,
    isType: (cls: unknown) => isTypeOf(type, cls),
    asType: (cls: unknown) => (isTypeOf(type, cls) ? props : undefined),
    getConfig,
    notApplicable: throwNotApplicable,
  };
  const provider = providerOf(r);
  if (provider) args.provider = provider;
  return args;
}

/** The `resources` argument of a stack policy: outputs as props, parent and dependencies linked as objects. */
export function buildStackResources(
  resources: readonly CapturedResource[],
  view: ReadonlyMap<string, PlainView>,
  providerOf: ProviderLookup,
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
