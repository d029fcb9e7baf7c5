/**
 * zod issues in the user's words: what was wrong and what is expected, for a stack key or an arg path alike.
 * Pure (zod only).
 */
import type { z } from "zod";
import { SecretValue } from "./secret";

/** Schema type names in the user's words (YAML has maps and lists, not records and arrays). */
const TYPE_WORDS: Record<string, string> = {
  string: "text",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
  array: "a list",
  object: "a map of keys",
  record: "a map of name: value",
  custom: "a secret",
};

/** Turns a zod issue into a sentence that says what was wrong and what is expected. */
export function describeIssue(issue: z.core.$ZodIssue, value: unknown): string {
  if (issue.code === "invalid_type") {
    const word = TYPE_WORDS[issue.expected] ?? `a ${issue.expected}`;
    if (value === undefined) return `is required (${word})`;
    // A schema's own wording ("must be a whole number of days") says more than the type name.
    if (!/^Invalid input/.test(issue.message)) return `${issue.message}, not ${describeValue(value)}`;
    const quote =
      issue.expected === "string" && (typeof value === "number" || typeof value === "boolean")
        ? `; put the value in quotes (YAML and JSON read an unquoted ${JSON.stringify(value)} as ${typeof value === "number" ? "a number, and a number loses leading zeros" : "true/false"})`
        : "";
    return `must be ${word}, not ${describeValue(value)}${quote}`;
  }
  if (issue.code === "invalid_value") return `${describeValue(value)} ${issue.message}`;
  if (issue.code === "custom" && issue.message === "must be a secret") {
    return value === undefined
      ? "is required (a secret)"
      : "must be a secret: run `pulumi config set --secret --path ...`";
  }
  if (issue.code === "custom") return issue.message;
  if (issue.code === "too_small" || issue.code === "too_big") {
    const message = /^Too (big|small)/.test(issue.message) ? sizeMessage(issue) : issue.message;
    if (Array.isArray(value) && value.length === 0) return `is empty; ${message}`;
    return `${describeValue(value)} ${message}`;
  }
  if (issue.code === "invalid_format")
    return `${describeValue(value)} ${issue.message.replace(/^Invalid input: /, "")}`;
  return issue.message;
}

/** zod's default "Too big: expected number to be <=730" in plain words. */
function sizeMessage(issue: z.core.$ZodIssueTooBig | z.core.$ZodIssueTooSmall): string {
  const big = issue.code === "too_big";
  const limit = Number(
    big ? (issue as z.core.$ZodIssueTooBig).maximum : (issue as z.core.$ZodIssueTooSmall).minimum,
  );
  const unit =
    issue.origin === "string"
      ? " characters"
      : issue.origin === "array" || issue.origin === "set"
        ? " items"
        : "";
  if (!big && limit === 1 && unit !== "") return "must not be empty";
  return `must be at ${big ? "most" : "least"} ${limit}${unit}`;
}

function describeValue(value: unknown): string {
  if (value instanceof SecretValue) return "a secret";
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (value !== null && typeof value === "object") return "an object";
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 60 ? `${text.slice(0, 57)}..."` : text;
}

/** The closest known key within a small edit distance, or undefined. */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance =
      candidate.toLowerCase() === word.toLowerCase()
        ? 0
        : editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (best === undefined || distance < best.distance) best = { candidate, distance };
  }
  if (!best) return undefined;
  return best.distance <= Math.max(1, Math.floor(best.candidate.length / 3)) ? best.candidate : undefined;
}

/** Edit distance where swapping two neighbouring letters counts as one edit (the commonest typo: "emial"). */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
      }
    }
  }
  return d[a.length]![b.length]!;
}

/** The keys the schema knows at a path (for "did you mean"). */
export function knownKeysAt(root: unknown, path: readonly PropertyKey[]): string[] {
  let schema: unknown = root;
  for (const part of path) {
    schema = unwrap(schema);
    if (typeof part === "number") schema = (schema as z.ZodArray)._zod?.def?.element;
    else schema = (schema as z.ZodObject).shape?.[String(part)];
    if (schema === undefined) return [];
  }
  const shape = (unwrap(schema) as z.ZodObject).shape;
  return shape ? Object.keys(shape) : [];
}

function unwrap(schema: unknown): unknown {
  let current = schema as
    { _zod?: { def?: { innerType?: unknown; in?: unknown; type?: string } } } | undefined;
  for (let i = 0; i < 10 && current?._zod?.def; i++) {
    const def = current._zod.def;
    if (def.innerType) current = def.innerType as typeof current;
    else if (def.type === "pipe" && def.in) current = def.in as typeof current;
    else break;
  }
  return current;
}
