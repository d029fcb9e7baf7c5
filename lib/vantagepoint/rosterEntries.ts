/** Roster entries, pure: the email and user ID rules and the checks on a roster's entries (split out of roster.ts). */
import type { RosterEntry } from "./types";
import { idKey } from "./identifiers";

/** A problem with one roster entry: its index, the field and what to do. */
export interface RosterIssue {
  index: number;
  field: string;
  message: string;
}

const EMAIL_RE =
  /^[^\s@"<>(),;:\\[\]]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

/** ASCII control characters (a tab, NUL or DEL pasted with the value). */
const CONTROL_RE = /[\u0000-\u001f\u007f]/;

/** Why an email address is not valid, or undefined when it is. */
export function emailProblem(email: unknown): string | undefined {
  if (typeof email !== "string" || email.trim() === "")
    return "is required (Connect matches people by email)";
  if (email !== email.trim()) return "has spaces before or after it";
  if (CONTROL_RE.test(email)) return "contains control characters";
  if (email.length > 254) return "is longer than 254 characters";
  // Counted and cut by index: no array per address (a roster file holds 100,000 of them).
  const at = email.indexOf("@");
  if (at < 0 || email.indexOf("@", at + 1) >= 0) return "must contain exactly one @";
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  if (local.length > 64) return "has more than 64 characters before the @";
  if (local.startsWith(".") || local.endsWith(".") || local.includes(".."))
    return "has a misplaced dot before the @";
  if (!EMAIL_RE.test(email))
    return `is not a valid email address (expected name@example.com; domain "${domain}")`;
  return undefined;
}

/**
 * Why a Vantagepoint user ID breaks the Users form rules, or undefined. Without "@": at most 120
 * characters. As an email: at most 113 characters, at most 64 before "@" and 48 after, exactly one
 * "@", no "." right before "@".
 */
export function userIdProblem(userId: unknown): string | undefined {
  if (typeof userId !== "string" || userId.trim() === "") return "is required";
  if (userId !== userId.trim()) return "has spaces before or after it";
  // The stack config refuses these too (lib/people.ts): a pasted tab or NUL must not reach the Users form.
  if (CONTROL_RE.test(userId)) return "contains control characters";
  if (/\s/.test(userId)) return "must not contain spaces";
  const ats = (userId.match(/@/g) ?? []).length;
  if (ats === 0) {
    if (userId.length > 120)
      return `is ${userId.length} characters; a user ID without @ may have at most 120`;
    return undefined;
  }
  if (ats > 1) return "must contain at most one @";
  if (userId.length > 113) return `is ${userId.length} characters; a user ID with @ may have at most 113`;
  const [local, domain] = userId.split("@");
  if (local.length === 0) return "needs a name before the @";
  if (local.length > 64) return `has ${local.length} characters before the @; at most 64`;
  if (domain.length === 0) return "needs a domain after the @";
  if (domain.length > 48) return `has ${domain.length} characters after the @; at most 48`;
  if (local.endsWith(".")) return 'must not have "." right before the @';
  return undefined;
}

/** Key used for per-entry diffs and messages: the user ID (case-insensitive). */
export function rosterEntryKey(entry: Pick<RosterEntry, "userId">): string {
  return idKey(entry.userId);
}

/** Checks every entry; returns all issues (empty when valid). */
export function validateRosterEntries(entries: unknown): RosterIssue[] {
  const issues: RosterIssue[] = [];
  if (!Array.isArray(entries)) {
    return [
      {
        index: -1,
        field: "entries",
        message: "entries must be a list of people (userId, email, firstName, lastName)",
      },
    ];
  }
  const seenUser = new Map<string, number>();
  const seenEmail = new Map<string, number>();
  const seenEmployee = new Map<string, number>();
  entries.forEach((raw, index) => {
    if (!raw || typeof raw !== "object" || Array.isArray(raw)) {
      issues.push({
        index,
        field: "entry",
        message: `entries[${index}] must be an object with userId, email, firstName and lastName`,
      });
      return;
    }
    const e = raw as Record<string, unknown>;
    const add = (field: string, message: string) =>
      issues.push({ index, field, message: `entries[${index}].${field} ${message}` });
    const u = userIdProblem(e.userId);
    if (u) add("userId", `${u}${typeof e.userId === "string" && e.userId ? ` (got "${e.userId}")` : ""}`);
    const m = emailProblem(e.email);
    if (m) add("email", `${m}${typeof e.email === "string" && e.email ? ` (got "${e.email}")` : ""}`);
    for (const f of ["firstName", "lastName"]) {
      if (typeof e[f] !== "string" || (e[f] as string).trim() === "") add(f, "is required");
      else if ((e[f] as string).length > 100) add(f, "is longer than 100 characters");
    }
    if (
      e.employee !== undefined &&
      (typeof e.employee !== "string" || e.employee.trim() === "" || e.employee.length > 20)
    ) {
      add("employee", "must be an existing employee key (1 to 20 characters) or left out");
    }
    if (e.role !== undefined && (typeof e.role !== "string" || e.role.trim() === ""))
      add("role", "must be a role name or left out");
    if (e.configurer !== undefined && typeof e.configurer !== "boolean")
      add("configurer", "must be true or false");
    const dup = (map: Map<string, number>, value: unknown, field: string) => {
      if (typeof value !== "string" || value === "") return;
      const k = idKey(value);
      const first = map.get(k);
      if (first !== undefined)
        add(field, `"${value}" is already used by entries[${first}]; each person must appear once`);
      else map.set(k, index);
    };
    dup(seenUser, e.userId, "userId");
    dup(seenEmail, e.email, "email");
    dup(seenEmployee, e.employee, "employee");
  });
  return issues;
}
