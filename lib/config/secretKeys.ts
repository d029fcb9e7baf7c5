/**
 * The stack config's secrets as written: `{ secure: ... }` maps, values the engine marks secret, Pulumi ESC, and
 * plaintext refused with the command that encrypts it.
 */

import { SecretValue } from "../values/secret";
import { ciphertextProblem } from "../values/validators";
import { NAMESPACE, SECRET_PATHS } from "./schema";
import type { ConfigIssue } from "./issues";
import type { LoadOptions } from "./loadOptions";
import { getPath, isPlainObject, setPath } from "./valuePaths";

/**
 * Turns every secret in `input` into a SecretValue (in place): a `{ secure: ... }` map, a value the engine marks
 * secret, or one from `secretOverrides`; plaintext and malformed ciphertext are refused through `add`, and so is an
 * encrypted value at a key that is not a secret. Returns the required secrets taken to come from Pulumi ESC.
 */
export function readSecrets(
  input: Record<string, unknown>,
  options: Pick<LoadOptions, "environments" | "secretKeys" | "secretOverrides">,
  add: (key: string, message: string) => void,
): string[] {
  const fromEnvironments: string[] = [];
  for (const path of SECRET_PATHS) {
    const [section] = path.split(".") as [string];
    const value = getPath(input, path);
    if (value === undefined) {
      const sectionValue = input[section];
      if (
        options.environments?.length &&
        REQUIRED_SECRET_PATHS.includes(path) &&
        isPlainObject(sectionValue)
      ) {
        setPath(
          input,
          path,
          new SecretValue(
            options.secretOverrides?.[path as (typeof SECRET_PATHS)[number]],
            "(from Pulumi ESC)",
          ),
        );
        fromEnvironments.push(path);
      }
      continue;
    }
    const override = options.secretOverrides?.[path as (typeof SECRET_PATHS)[number]];
    if (isPlainObject(value) && "secure" in value) {
      const problem = secureValueProblem(value, `${NAMESPACE}:${path}`);
      if (problem) add(`${NAMESPACE}:${path}`, problem);
      setPath(
        input,
        path,
        new SecretValue(override, isSecureMarker(value) ? value.secure : "(malformed ciphertext)"),
      );
    } else if (typeof value === "string") {
      if (options.secretKeys?.has(`${NAMESPACE}:${section}`) || override !== undefined) {
        setPath(input, path, new SecretValue(override ?? value));
      } else {
        add(`${NAMESPACE}:${path}`, plaintextSecretMessage(path));
        setPath(input, path, new SecretValue(undefined, "(plaintext refused)"));
      }
    }
  }
  for (const path of findSecureMarkers(input)) {
    if (!SECRET_PATHS.includes(path)) {
      add(
        `${NAMESPACE}:${path}`,
        "is encrypted, but it is not a secret and must be readable by the offline check; set it in plaintext",
      );
    }
  }
  return fromEnvironments;
}

/** What is wrong with a `{ secure: ... }` map at a secret's key, or undefined. */
function secureValueProblem(value: Record<string, unknown>, key: string): string | undefined {
  if (Object.keys(value).length > 1)
    return `has keys beside \`secure:\`; run \`pulumi config set --secret --path '${key}' <value>\` to write it again`;
  return ciphertextProblem(value.secure, key);
}

function plaintextSecretMessage(path: string): string {
  return `is in plaintext; a secret must be encrypted: run \`pulumi config set --secret --path '${NAMESPACE}:${path}' <value>\` (or take it from a Pulumi ESC environment)`;
}

/**
 * Secrets written in plaintext in a stack file's `config` map (as parsed by parseStackFile). Inside the engine a
 * whole `vpconnect:vantagepoint` key is secret as soon as one of its leaves is, so the program cannot tell a
 * plaintext password beside an encrypted client secret from the values alone: it asks the stack file too.
 * Empty or malformed `secure:` values are reported too (the engine would fail to decrypt them).
 */
export function plaintextSecretIssues(
  stackConfig: Readonly<Record<string, unknown>>,
  source: string,
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const path of SECRET_PATHS) {
    const [section, ...rest] = path.split(".") as [string, ...string[]];
    const value = getPath(stackConfig[`${NAMESPACE}:${section}`], rest);
    const key = `${NAMESPACE}:${path}`;
    if (typeof value === "string") issues.push({ file: source, key, message: plaintextSecretMessage(path) });
    // An empty or malformed `secure:` value: the engine would fail to decrypt it; say so before anything runs.
    const problem = isPlainObject(value) && "secure" in value ? secureValueProblem(value, key) : undefined;
    if (problem) issues.push({ file: source, key, message: problem });
  }
  return issues;
}

function isSecureMarker(value: unknown): value is { secure: string } {
  return (
    value !== null &&
    typeof value === "object" &&
    !(value instanceof SecretValue) &&
    Object.keys(value).length === 1 &&
    typeof (value as { secure?: unknown }).secure === "string"
  );
}

function findSecureMarkers(value: unknown, prefix = ""): string[] {
  if (isSecureMarker(value)) return [prefix];
  if (value === null || typeof value !== "object" || value instanceof SecretValue) return [];
  const out: string[] = [];
  for (const [key, child] of Object.entries(value)) {
    const path = Array.isArray(value) ? `${prefix}[${key}]` : prefix ? `${prefix}.${key}` : key;
    out.push(...findSecureMarkers(child, path));
  }
  return out;
}

/** Secrets every stack needs (the Connect API client's secret is optional). */
const REQUIRED_SECRET_PATHS = ["vantagepoint.password", "vantagepoint.clientSecret"];
