/**
 * Checks for hostile or absurd stack config that the per-key schema cannot see: a pass over every string and key
 * of the parsed config (control, bidi-override and invisible characters, JavaScript-reserved keys, absurd
 * nesting). The allow list as a whole, the VNet address space and secret rotation dates are site rules over the
 * args (lib/site), which the loader calls with stack keys.
 */
import { rotationFields, rotationPlan, rotationProblems, rotationStatus } from "../rotation";
import type { RotationPlan } from "../rotation";
import { isSecretValue } from "./secret";
import { unsafeTextProblem } from "./validators";

export type IssuePath = Array<string | number>;
export interface PathIssue {
  path: IssuePath;
  message: string;
}

/** Deeper than this, no stack config key goes (the deepest real key is 4 levels under a section). */
export const MAX_DEPTH = 16;

/**
 * Keys whose values are multi-line by nature (PEM certificates): line breaks are allowed there, every other
 * unsafe character is not. Written as the user writes keys, with `[]` for any list index. Add a key here
 * when its schema takes multi-line text.
 */
export const MULTILINE_KEYS = new Set(["site.backend.trustedRootCertificates[].pem"]);

/** `path` (from a section) as MULTILINE_KEYS writes it. */
function pattern(path: IssuePath): string {
  return path.reduce<string>(
    (out, part, i) => (typeof part === "number" ? `${out}[]` : i === 0 ? part : `${out}.${part}`),
    "",
  );
}

/** Keys that would reach an object's prototype machinery in JavaScript. */
const RESERVED_KEYS = new Set(["__proto__", "constructor", "prototype"]);

/**
 * Every string and key under `root` (a section, or a roster file entry): unsafe characters, reserved keys,
 * nesting past MAX_DEPTH. Secrets are skipped (never shown, never echoed). Iterative, so depth cannot
 * overflow the stack. A string or flat map with nothing to report is passed over without building its path: a
 * 100,000-person roster is 100,000 such maps (with a path and an entry list each it cost 770 MB of allocation).
 */
export function textIssues(root: unknown, base: IssuePath): PathIssue[] {
  if (isPlainText(root)) return []; // the common case, checked without building paths
  const out: PathIssue[] = [];
  const stack: Array<{ value: unknown; path: IssuePath }> = [{ value: root, path: base }];
  const visit = (path: IssuePath, key: string | number, child: unknown) => {
    if (typeof key === "string") {
      const keyProblem = unsafeTextProblem(key);
      if (keyProblem) {
        out.push({ path: [...path, key], message: `is a key that ${keyProblem}` });
        return;
      }
      if (RESERVED_KEYS.has(key)) {
        out.push({
          path: [...path, key],
          message: "is not a vpconnect key (a name JavaScript reserves); remove it",
        });
        return;
      }
    }
    // Nothing to report below it: a safe string, or a flat map or list of them above the depth limit.
    if (
      typeof child === "string"
        ? !MAYBE_UNSAFE.test(child)
        : isFlatPlainText(child, path.length + 1 - base.length)
    )
      return;
    stack.push({ value: child, path: [...path, key] });
  };
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (typeof value === "string") {
      const multiline = MULTILINE_KEYS.has(pattern(path));
      const problem = unsafeTextProblem(multiline ? value.replace(/\r?\n/g, " ") : value);
      if (problem) out.push({ path, message: problem });
      continue;
    }
    if (value === null || typeof value !== "object" || isSecretValue(value)) continue;
    if (path.length - base.length >= MAX_DEPTH) {
      out.push({
        path,
        message: `is nested more than ${MAX_DEPTH} levels deep; no vpconnect key goes that deep, so remove the extra levels`,
      });
      continue;
    }
    if (Array.isArray(value)) for (let i = 0; i < value.length; i++) visit(path, i, value[i]);
    else for (const key of Object.keys(value)) visit(path, key, (value as Record<string, unknown>)[key]);
  }
  return out.reverse();
}

/** isPlainText for a value `depth` levels under the root: an object there at MAX_DEPTH is reported, so never plain. */
function isFlatPlainText(value: unknown, depth: number): boolean {
  if (value !== null && typeof value === "object" && depth >= MAX_DEPTH && !isSecretValue(value))
    return false;
  return isPlainText(value);
}

/** Characters unsafeTextProblem would report (a cheap test first; the message comes from unsafeTextProblem). */
const MAYBE_UNSAFE =
  /[\u0000-\u001f\u007f-\u009f\u061c\u200b\u200e\u200f\u2028-\u202e\u2060\u2066-\u2069\ufeff\ufffd\ud800-\udfff]/;

/** True when a flat map or list holds only safe strings under ordinary keys (no allocation). */
function isPlainText(value: unknown): boolean {
  if (typeof value === "string") return !MAYBE_UNSAFE.test(value);
  if (value === null || typeof value !== "object" || isSecretValue(value)) return true;
  for (const key in value) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
    if (RESERVED_KEYS.has(key) || MAYBE_UNSAFE.test(key)) return false;
    const child = (value as Record<string, unknown>)[key];
    if (typeof child === "string") {
      if (MAYBE_UNSAFE.test(child)) return false;
    } else if (child !== null && typeof child === "object") return false; // nested: take the full walk
  }
  return true;
}

/** An Entra app section as parsed (the rotation keys the notes read). */
interface ParsedApp {
  displayName?: string;
  enabled?: boolean;
  secretRotatedOn: string;
  secretLifetimeDays: number;
  secretSlotBRotatedOn?: string;
  secretOverlapDays?: number;
  secretWarningDays?: number;
}

const LOGIN_FIELDS = rotationFields("entra.loginApp");

/** The login app's two-slot plan from its config section; throws RotationSettingsError or a date error. */
function loginPlan(app: ParsedApp): RotationPlan {
  return rotationPlan(
    {
      slotA: app.secretRotatedOn,
      slotB: app.secretSlotBRotatedOn,
      lifetimeDays: app.secretLifetimeDays,
      overlapDays: app.secretOverlapDays,
      warningDays: app.secretWarningDays,
    },
    LOGIN_FIELDS,
  );
}

/**
 * The login app's two-slot secret as `check`, doctor and the reports say it: the status line ("slot B active
 * since ..., slot A expires ...: paste B into Vantagepoint by ...") and the warnings (active slot expiring within
 * secretWarningDays, short overlap). Empty for a stack without a login app. The same rules as the component
 * (lib/rotation.ts).
 */
export function loginSecretNotes(
  entra: { loginMode?: string; loginApp?: ParsedApp } | undefined,
  now: Date,
): { status?: string; warnings: string[] } {
  const app = entra?.loginApp;
  if (!app || entra?.loginMode === "windows") return { warnings: [] };
  let plan: RotationPlan;
  try {
    plan = loginPlan(app);
  } catch {
    return { warnings: [] }; // reported as a config error
  }
  const warnings = rotationProblems(plan, now, LOGIN_FIELDS)
    .filter((p) => p.level === "warning")
    .map((p) => p.message);
  return { status: rotationStatus(plan, now), warnings };
}
