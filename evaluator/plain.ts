/**
 * Turning Pulumi's wire values into plain JSON, and keeping secrets out of what the checker reports.
 * Pure (no Pulumi import): the signatures are Pulumi's wire constants.
 */
import { SECRET_MARKER } from "../lib/reports/model";

/** Pulumi's wire signatures (see @pulumi/pulumi/runtime/rpc.js). */
export const SIG = {
  key: "4dabf18193072939515e22adb298388d",
  secret: "1b47061264138c4ac30d75fd1eb44270",
  resource: "5cf8f73096256a8f31e491e813e4eb8e",
  output: "d0e6a833031e9bbcd3f4e8bde6ca49a4",
  asset: "c44067f5952c0a294b673a41bacd8c17",
  archive: "0def7320c3a5731c473e5ecbe6d01bc7",
} as const;

/** The wire value of an unknown (computed) property. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export function isSecretWrapper(value: unknown): boolean {
  return (
    value !== null && typeof value === "object" && (value as Record<string, unknown>)[SIG.key] === SIG.secret
  );
}

/**
 * Serialized properties (wire form) to plain JSON, the way the engine hands them to an analyzer: secrets
 * unwrapped, resource references downgraded to their id (custom) or URN (component), unknowns dropped.
 */
export function wireToPlain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(wireToPlain);
  if (value === UNKNOWN) return undefined;
  if (value === null || typeof value !== "object") return value;
  const obj = value as Record<string, unknown>;
  switch (obj[SIG.key]) {
    case SIG.secret:
      return wireToPlain(obj.value);
    case SIG.resource:
      return typeof obj.id === "string" && obj.id !== "" ? obj.id : obj.urn;
    case SIG.output:
      return obj.known === false ? undefined : wireToPlain(obj.value);
    default:
      break;
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    const plain = wireToPlain(v);
    if (plain !== undefined) out[k] = plain;
  }
  return out;
}

/** Any JS value to plain JSON (functions dropped, cycles cut, Pulumi Outputs/Resources described). */
export function toPlain(value: unknown, seen = new WeakSet<object>()): unknown {
  if (value === null || value === undefined) return value ?? null;
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "function" || typeof value === "symbol") return undefined;
  if (typeof value !== "object") return value;
  if (seen.has(value)) return "[circular]";
  seen.add(value);
  try {
    if (isSecretWrapper(value)) return toPlain((value as { value: unknown }).value, seen);
    if (value instanceof Date) return value.toISOString();
    if (Array.isArray(value)) return value.map((v) => toPlain(v, seen) ?? null);
    const obj = value as Record<string, unknown>;
    if (obj.__pulumiOutput === true) return "[output]";
    if (obj.__pulumiResource === true) return "[resource]";
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(obj)) {
      const plain = toPlain(v, seen);
      if (plain !== undefined) out[k] = plain;
    }
    return out;
  } finally {
    seen.delete(value);
  }
}

/**
 * A deep copy of data (plain objects and lists) that shares its strings and other primitives, which are immutable:
 * structuredClone copies every string, and a roster shard's inputs hold a 220 KB text that every policy got a copy
 * of (140 MB of allocation in a 100,000-person check). Anything else (a Date, a Map) is copied by structuredClone.
 */
export function copyData<T>(value: T): T {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map(copyData) as T;
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return structuredClone(value);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const child = copyData((value as Record<string, unknown>)[key]);
    if (key === "__proto__")
      Object.defineProperty(out, key, { value: child, enumerable: true, writable: true, configurable: true });
    else out[key] = child;
  }
  return out as T;
}

/**
 * A deep copy of `value` in which the value at each dotted path (`a.b[2].c`) that is present is replaced by
 * `replace(current)`; paths that do not exist are skipped. The one path walker behind maskPaths and wrapSecretPaths.
 */
function replaceAtPaths<T>(value: T, paths: readonly string[], replace: (current: unknown) => unknown): T {
  if (paths.length === 0) return value;
  const copy = copyData(value) as unknown;
  for (const dotted of paths) {
    const parts = splitDotted(dotted);
    if (parts.length === 0) continue;
    let node: unknown = copy;
    for (let i = 0; i < parts.length - 1; i++) {
      if (node === null || typeof node !== "object") break;
      node = (node as Record<string, unknown>)[parts[i]!];
    }
    const last = parts[parts.length - 1]!;
    if (node !== null && typeof node === "object" && last in (node as object)) {
      const record = node as Record<string, unknown>;
      record[last] = replace(record[last]);
    }
  }
  return copy as T;
}

/** A deep copy of `value` with every dotted path (`a.b[2].c`) replaced by SECRET_MARKER where present. */
export function maskPaths<T>(value: T, paths: readonly string[]): T {
  return replaceAtPaths(value, paths, () => SECRET_MARKER);
}

/** Replaces any occurrence of a known secret inside strings (keys and values) with SECRET_MARKER. */
export function scrubSecrets<T>(value: T, secrets: readonly string[]): T {
  const list = secrets
    .filter((s) => s.length >= 4 && s !== SECRET_MARKER)
    .sort((a, b) => b.length - a.length);
  if (list.length === 0) return value;
  const scrub = (v: unknown): unknown => {
    if (typeof v === "string") return scrubString(v, list);
    if (Array.isArray(v)) return v.map(scrub);
    if (v === null || typeof v !== "object") return v;
    const out: Record<string, unknown> = {};
    for (const [k, child] of Object.entries(v)) out[scrubString(k, list)] = scrub(child);
    return out;
  };
  return scrub(value) as T;
}

/**
 * Each secrets list sorted longest first, once per list (scrubSecrets passes one list for every string); sorted
 * again if the list has grown since.
 */
const sortedLists = new WeakMap<readonly string[], readonly string[]>();

function longestFirst(secrets: readonly string[]): readonly string[] {
  let sorted = sortedLists.get(secrets);
  if (!sorted || sorted.length !== secrets.length) {
    sorted = [...secrets].sort((a, b) => b.length - a.length || (a < b ? -1 : a > b ? 1 : 0));
    sortedLists.set(secrets, sorted);
  }
  return sorted;
}

export function scrubString(text: string, secrets: readonly string[]): string {
  let out = text;
  // Longest first: a secret that contains another would otherwise be cut up by the shorter one's marker and the
  // rest of it left in plaintext; and the result does not depend on the order the secrets were seen in.
  for (const s of longestFirst(secrets))
    if (s.length >= 4 && out.includes(s)) out = out.split(s).join(SECRET_MARKER);
  return out;
}

function splitDotted(dotted: string): string[] {
  const parts: string[] = [];
  for (const m of dotted.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) parts.push(m[1] ?? m[2]!);
  return parts;
}

/**
 * Serialized properties (wire form) as the engine hands them to an analyzer
 * (sdk/go/common/resource/plugin/analyzer_plugin.go, MarshalProperties with KeepUnknowns, KeepSecrets,
 * SkipInternalKeys): unknowns kept as the unknown sentinel, secrets kept as secret wrappers, resource
 * references downgraded to their id (custom) or URN (component), output values to their value (unknown when
 * not known, a secret wrapper when secret), and top-level keys starting with `__` dropped (nested ones kept).
 */
export function wireToEngine(value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k.startsWith("__") || v === undefined) continue;
    out[k] = engineValue(v);
  }
  return out;
}

function engineValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(engineValue);
  if (value === null || typeof value !== "object") return value;
  const obj = value as Record<string, unknown>;
  switch (obj[SIG.key]) {
    case SIG.secret:
      return { [SIG.key]: SIG.secret, value: engineValue(obj.value) };
    case SIG.resource: {
      const id = obj.id;
      if (id !== undefined && id !== null && id !== "") return engineValue(id);
      return obj.urn;
    }
    case SIG.output: {
      const inner = obj.known === false || !("value" in obj) ? UNKNOWN : engineValue(obj.value);
      return obj.secret === true ? { [SIG.key]: SIG.secret, value: inner } : inner;
    }
    default:
      break;
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (v !== undefined) out[k] = engineValue(v);
  return out;
}

/**
 * Engine-shaped properties as @pulumi/policy's analyzer hands them to a policy (server.js deserializeProperties
 * with proxySecrets false): secrets unwrapped to their values, unknowns left as the unknown sentinel (the
 * policy's unknownCheckingProxy turns a read of one into "can't run policy during preview").
 */
export function engineToPolicy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(engineToPolicy);
  if (value === null || typeof value !== "object") return value;
  const obj = value as Record<string, unknown>;
  if (isSecretWrapper(obj)) return engineToPolicy(obj.value);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (v !== undefined) out[k] = engineToPolicy(v);
  return out;
}

/** Wraps the values at dotted `paths` (`a.b[2].c`, top-level when a plain key) of a copy of `value` as secrets. */
export function wrapSecretPaths(
  value: Record<string, unknown>,
  paths: readonly string[],
): Record<string, unknown> {
  return replaceAtPaths(value, paths, (current) =>
    isSecretWrapper(current) ? current : { [SIG.key]: SIG.secret, value: current },
  );
}
