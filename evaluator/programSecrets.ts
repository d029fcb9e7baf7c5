/**
 * Secrets in a program run: collecting the plaintext secret values a run sees (to scrub them from everything
 * captured), and the check that a dynamic resource's serialized provider holds none of them. Used by program.ts.
 */
import { SECRET_MARKER } from "../lib/reports/model";

/**
 * Why a dynamic resource whose serialized provider holds a secret fails the check: the SDK writes the provider's
 * closure into the `__provider` input, which the state stores in plaintext, and the engine's provider host loads it
 * from there (see test/runtime/dynamicProviderHost.test.ts).
 */
export const SERIALIZED_SECRET_MESSAGE =
  "its serialized provider (the __provider input) holds a secret value in plaintext, so pulumi up would store " +
  "that secret unencrypted in the state. Pass secrets to the provider as resource inputs (pulumi.secret) and read " +
  "them inside its methods; never capture config or variables holding secrets in the provider's code.";

/** Whether a serialized provider (the `__provider` text) contains any of the known secret values. */
export function secretInSerializedProvider(serialized: unknown, secrets: readonly string[]): boolean {
  return typeof serialized === "string" && secrets.some((s) => s.length >= 4 && serialized.includes(s));
}

/** Adds every string under `path` of `value` to `secrets`. */
export function collectAt(value: unknown, dotted: string, secrets: Set<string>): void {
  let node: unknown = value;
  for (const part of splitPath(dotted)) {
    if (node === null || typeof node !== "object") return;
    node = (node as Record<string, unknown>)[part];
  }
  collectAll(node, secrets);
}

/**
 * Field names under which a secret object (the engine marks a whole object secret when any field is) holds its
 * secret values: a password, a client secret, a token, a key, a PFX, a secret's value or data.
 */
const SECRET_FIELD = /(password|passwd|secret|token|credential|pfx|certificate|key|value|data)$/i;

/**
 * Adds the secret values in `value` to `secrets`, the set every captured text is scrubbed of. A secret string is
 * one value; in a secret object only the strings under secret field names are (its URL, database, user name and
 * paths stay readable: masking is by secret values, never by every string a secret object holds).
 */
export function collectAll(value: unknown, secrets: Set<string>, field?: string): void {
  if (typeof value === "string") {
    const secretHere = field === undefined || SECRET_FIELD.test(field);
    if (secretHere && value.length >= 4 && value !== SECRET_MARKER) secrets.add(value);
  } else if (typeof value === "number" || typeof value === "boolean") {
    return;
  } else if (Array.isArray(value)) {
    value.forEach((v) => collectAll(v, secrets, field));
  } else if (value !== null && typeof value === "object") {
    Object.entries(value).forEach(([k, v]) => collectAll(v, secrets, k));
  }
}

export function splitPath(dotted: string): string[] {
  const parts: string[] = [];
  for (const m of dotted.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) parts.push(m[1] ?? m[2]!);
  return parts;
}
