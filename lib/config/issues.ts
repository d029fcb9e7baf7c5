/** A stack-config problem (file, key, message), the error that lists them all, and how they are worded. */

import { escapeUnsafe, redactUrlCredentials } from "../values/validators";
import { NAMESPACE } from "./schema";

export interface ConfigIssue {
  /** The stack file (or "stack config" inside the engine). */
  file: string;
  /** Full key path, e.g. `vpconnect:allowList.connectIps[3]`. */
  key: string;
  /** What is wrong and what is expected. */
  message: string;
}

export class ConfigError extends Error {
  readonly issues: ConfigIssue[];
  constructor(issues: ConfigIssue[]) {
    // One place for what every message must not carry: control/bidi characters (escaped) and URL passwords.
    const safe = issues.map((i) => ({ file: clean(i.file), key: clean(i.key), message: clean(i.message) }));
    super(formatIssues(safe));
    this.name = "ConfigError";
    this.issues = safe;
  }
}

function clean(text: string): string {
  return redactUrlCredentials(escapeUnsafe(text));
}

export function formatIssues(issues: readonly ConfigIssue[]): string {
  const head = `${issues.length} problem${issues.length === 1 ? "" : "s"} in the stack config; nothing was created:`;
  return [head, ...issues.map((i) => `  ${i.file}: ${i.key}: ${i.message}`)].join("\n");
}

export function keyPath(path: readonly PropertyKey[]): string {
  let out = NAMESPACE + ":";
  path.forEach((part, index) => {
    if (typeof part === "number") out += `[${part}]`;
    else out += (index === 0 ? "" : ".") + String(part);
  });
  return out;
}

export function dedupe(issues: ConfigIssue[]): ConfigIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.key}\u0000${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
