/**
 * Roster logic, pure: validate entries, match them to current employees and users, and plan exactly
 * the writes needed. Never plans employee deletion or termination.
 */
import type {
  EmployeeRecord,
  EmployeeStatus,
  RosterEntry,
  RosterPerson,
  UserRecord,
  UserStatus,
} from "./types";
import { idKey, sameId } from "./identifiers";

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

// ---- planning -------------------------------------------------------------------------------------

export type RosterOp =
  | { kind: "createEmployee"; index: number; userId: string; record: Record<string, string> }
  | {
      kind: "updateEmployee";
      index: number;
      userId: string;
      employee: string;
      fields: Record<string, string>;
      changes: Array<"email" | "status">;
    }
  | {
      kind: "createUser";
      index: number;
      userId: string;
      record: Record<string, string>;
      employeeFromCreate: boolean;
    }
  | {
      kind: "updateUser";
      index: number;
      userId: string;
      username: string;
      fields: Record<string, string>;
      changes: Array<"link" | "status" | "role">;
      employeeFromCreate: boolean;
    };

export interface RosterPlan {
  /** Employee writes; run before user writes. */
  employeeOps: RosterOp[];
  /** User writes; createUser/updateUser with employeeFromCreate take the key from that entry's createEmployee. */
  userOps: RosterOp[];
  /** Problems that stop an entry from being planned (ambiguous matches, records that belong to someone else). */
  conflicts: RosterIssue[];
  /** Per entry: what the server holds now (the user's linked employee when it has one). */
  observed: RosterPerson[];
  /** Per entry: the person as it will be once the plan is applied. */
  expected: RosterPerson[];
  /** Steps to do by hand in Vantagepoint (the users hub is not available through the API). */
  manualSteps: string[];
  /** What the run summary says besides the writes: a rehire relinked, a terminated record brought back by name. */
  notes: string[];
}

export interface RosterState {
  employees: EmployeeRecord[];
  /** Undefined when the server has no users hub: employees are still planned, user steps become manual. */
  users?: UserRecord[];
}

/**
 * How new employees are keyed and what they get (stack config `roster.newEmployees`). Real integration code always
 * sends the key (`Employee`) and also EmployeeCompany, HomeCompany, Org, HireDate and Type on create; whether a
 * server numbers employees itself has no public source, so it is the site's setting.
 */
export interface NewEmployeeRule {
  /**
   * "roster": each row's employee key; "sequence": `prefix` plus a zero-padded number above every existing key
   * with that prefix; "server": the site numbers them (key read from the reply or its Location header). Left out:
   * the row's key when it has one, else none (a server that needs one stops the run with one error naming this).
   */
  key?: string;
  /** Sequence prefix, e.g. "C" gives C00001 (default none). */
  prefix?: string;
  /** Sequence digits, zero-padded (default 5). */
  digits?: number;
  /** Fields every new employee gets, as the API spells them (Org, EmployeeCompany, HomeCompany, Type, HireDate). */
  defaults?: Record<string, string>;
}

export interface PlanOptions {
  newEmployees?: NewEmployeeRule;
  /** People as the last run or refresh recorded them: the employee recorded for a user ID is the roster's own. */
  previous?: readonly RosterPerson[];
}

/** The stack config's roster.newEmployees, in the user's words. */
export interface NewEmployeesSetting {
  key?: "roster" | "sequence" | "server";
  prefix?: string;
  digits?: number;
  org?: string;
  employeeCompany?: string;
  homeCompany?: string;
  type?: string;
  /** "today" or YYYY-MM-DD. */
  hireDate?: string;
}

/** roster.newEmployees as the provider takes it (fields as the API spells them; dates as the API writes them). */
export function newEmployeeRule(setting: NewEmployeesSetting | undefined): NewEmployeeRule | undefined {
  if (!setting) return undefined;
  const defaults: Record<string, string> = {};
  if (setting.org) defaults.Org = setting.org;
  if (setting.employeeCompany) defaults.EmployeeCompany = setting.employeeCompany;
  if (setting.homeCompany) defaults.HomeCompany = setting.homeCompany;
  if (setting.type) defaults.Type = setting.type;
  if (setting.hireDate)
    defaults.HireDate = setting.hireDate === "today" ? "today" : `${setting.hireDate}T00:00:00`;
  return {
    ...(setting.key ? { key: setting.key } : {}),
    ...(setting.key === "sequence" ? { prefix: setting.prefix ?? "", digits: setting.digits ?? 5 } : {}),
    ...(Object.keys(defaults).length ? { defaults } : {}),
  };
}

/** Employee fields a new-employee default may set (as the API spells them). */
export const NEW_EMPLOYEE_DEFAULT_FIELDS = [
  "Org",
  "EmployeeCompany",
  "HomeCompany",
  "Type",
  "HireDate",
] as const;

/** Problems with a NewEmployeeRule, each naming the field under `prefix`. */
export function newEmployeeRuleIssues(
  rule: unknown,
  prefix: string,
): Array<{ field: string; message: string }> {
  if (rule === undefined || rule === null) return [];
  if (typeof rule !== "object" || Array.isArray(rule))
    return [{ field: prefix, message: `${prefix} must be an object with key, prefix, digits and defaults` }];
  const r = rule as Record<string, unknown>;
  const out: Array<{ field: string; message: string }> = [];
  const add = (f: string, m: string) => out.push({ field: `${prefix}.${f}`, message: `${prefix}.${f} ${m}` });
  if (r.key !== undefined && !["roster", "sequence", "server"].includes(String(r.key)))
    add("key", 'must be "roster", "sequence" or "server"');
  if (r.prefix !== undefined && (typeof r.prefix !== "string" || !/^[A-Za-z0-9._-]{0,12}$/.test(r.prefix)))
    add("prefix", "must be up to 12 letters, digits, '.', '_' or '-', e.g. \"C\"");
  if (
    r.digits !== undefined &&
    (!Number.isInteger(r.digits) || (r.digits as number) < 1 || (r.digits as number) > 12)
  )
    add("digits", "must be a whole number from 1 to 12");
  if (r.defaults !== undefined) {
    if (!r.defaults || typeof r.defaults !== "object" || Array.isArray(r.defaults))
      add("defaults", "must be an object");
    else
      for (const [k, v] of Object.entries(r.defaults)) {
        if (!(NEW_EMPLOYEE_DEFAULT_FIELDS as readonly string[]).includes(k))
          add(`defaults.${k}`, `is not known; use ${NEW_EMPLOYEE_DEFAULT_FIELDS.join(", ")}`);
        else if (typeof v !== "string" || v.trim() === "") add(`defaults.${k}`, "must be text");
      }
  }
  return out;
}

/** Setting to name when a server needs employee keys. */
export const EMPLOYEE_KEY_SETTING = "roster.newEmployees.key";

function asEmployeeStatus(s: unknown): EmployeeStatus {
  return s === "I" || s === "T" ? s : s === "A" ? "A" : "I";
}
function asUserStatus(s: unknown): UserStatus {
  return s === "A" ? "A" : "I";
}

/** The next keys of a sequence rule: prefix + zero-padded number above every existing key with that prefix. */
export function sequenceKeys(existing: Iterable<string>, count: number, prefix = "", digits = 5): string[] {
  const taken = new Set<string>();
  let max = 0;
  const re = new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(\\d+)$`, "i");
  for (const k of existing) {
    taken.add(idKey(k));
    const m = re.exec(k);
    if (m) max = Math.max(max, Number(m[1]));
  }
  const out: string[] = [];
  for (let n = max + 1; out.length < count; n++) {
    const key = `${prefix}${String(n).padStart(digits, "0")}`;
    if (!taken.has(idKey(key))) out.push(key);
  }
  return out;
}

/** Everything the planner looks records up by. */
interface Index {
  entries: readonly RosterEntry[];
  empByKey: Map<string, EmployeeRecord>;
  empByEmail: Map<string, EmployeeRecord[]>;
  userByName: Map<string, UserRecord>;
  /** Employee key (lower) -> user names (lower) linked to it. */
  linkedUsers: Map<string, string[]>;
  rosterUsers: Set<string>;
  entryByEmail: Map<string, number>;
  /** User ID (lower) -> employee key (lower) the last run recorded for it. */
  previousKey: Map<string, string>;
  usersKnown: boolean;
}

function indexState(
  state: RosterState,
  entries: readonly RosterEntry[],
  previous: readonly RosterPerson[],
): Index {
  const ix: Index = {
    entries,
    empByKey: new Map(),
    empByEmail: new Map(),
    userByName: new Map(),
    linkedUsers: new Map(),
    rosterUsers: new Set(entries.map((e) => idKey(e.userId))),
    entryByEmail: new Map(),
    previousKey: new Map(),
    usersKnown: state.users !== undefined,
  };
  for (const e of state.employees) {
    if (!e || typeof e.Employee !== "string") continue;
    ix.empByKey.set(idKey(e.Employee), e);
    const k = idKey(e.EMail);
    if (k) ix.empByEmail.set(k, [...(ix.empByEmail.get(k) ?? []), e]);
  }
  for (const u of state.users ?? []) {
    if (!u || typeof u.Username !== "string") continue;
    ix.userByName.set(idKey(u.Username), u);
    const key = idKey(u.Employee);
    if (key) ix.linkedUsers.set(key, [...(ix.linkedUsers.get(key) ?? []), idKey(u.Username)]);
  }
  entries.forEach((e, i) => {
    if (!ix.entryByEmail.has(idKey(e.email))) ix.entryByEmail.set(idKey(e.email), i);
  });
  for (const p of previous) if (p.employee) ix.previousKey.set(idKey(p.userId), idKey(p.employee));
  return ix;
}

function userName(ix: Index, lowerName: string): string {
  return ix.userByName.get(lowerName)?.Username ?? lowerName;
}

/** "00042 (Maria Garcia, maria.garcia@example.com, terminated)" */
function describeEmployee(e: EmployeeRecord): string {
  const name = [e.FirstName, e.LastName].filter((x) => typeof x === "string" && x.trim()).join(" ");
  const status = e.Status === "T" ? "terminated" : e.Status === "I" ? "inactive" : "";
  const bits = [name, e.EMail ? String(e.EMail) : "no email", status].filter(Boolean);
  return `employee ${e.Employee} (${bits.join(", ")})`;
}

/** Why the employee's email belongs to a person other than entry i, or undefined. */
function emailOfOther(ix: Index, emp: EmployeeRecord, i: number): string | undefined {
  const email = idKey(emp.EMail);
  if (!email || email === idKey(ix.entries[i].email)) return undefined;
  const j = ix.entryByEmail.get(email);
  if (j !== undefined && j !== i) return `its email is that of entries[${j}] (${ix.entries[j].userId})`;
  const u = ix.userByName.get(email);
  if (u && idKey(u.Username) !== idKey(ix.entries[i].userId))
    return `its email is the user ID of user ${u.Username}`;
  return undefined;
}

/**
 * Why the employee belongs to a person other than entry i (linked to a user outside the roster, or carrying
 * another person's email), or undefined when the roster may treat it as entry i's.
 */
function otherPerson(ix: Index, emp: EmployeeRecord, i: number): string | undefined {
  const outsider = outsiderLink(ix, emp, i);
  if (outsider) return `it is linked to user ${outsider}, who is not in the roster`;
  return emailOfOther(ix, emp, i);
}

/** A name compared without case, accents or spacing. */
function nameKey(first: unknown, last: unknown): string {
  return `${String(first ?? "")} ${String(last ?? "")}`
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim()
    .toLowerCase();
}

/**
 * The roster may change this record's email for entry i: it has none, the same but for case, it is the same
 * person by name (first and last name as the roster has them), it was recorded for this user ID last run, or the
 * entry names it. Otherwise its email may be another person's whom the roster cannot see.
 */
function mayTakeEmail(ix: Index, emp: EmployeeRecord, i: number): boolean {
  const entry = ix.entries[i];
  const email = idKey(emp.EMail);
  return (
    email === "" ||
    email === idKey(entry.email) ||
    nameKey(emp.FirstName, emp.LastName) === nameKey(entry.firstName, entry.lastName) ||
    ix.previousKey.get(idKey(entry.userId)) === idKey(emp.Employee) ||
    (!!entry.employee && idKey(entry.employee) === idKey(emp.Employee))
  );
}

type Resolution =
  | { kind: "use"; emp: EmployeeRecord; relinkFrom?: EmployeeRecord; note?: string }
  | { kind: "create"; relinkFrom?: EmployeeRecord }
  | { kind: "conflict"; message: string };

/** Is the employee linked to a user outside the roster (other than entry i's own)? Then it is read, never written. */
function outsiderLink(ix: Index, emp: EmployeeRecord, i: number): string | undefined {
  const me = idKey(ix.entries[i].userId);
  const outsider = (ix.linkedUsers.get(idKey(emp.Employee)) ?? []).find(
    (u) => u !== me && !ix.rosterUsers.has(u),
  );
  return outsider ? userName(ix, outsider) : undefined;
}

function byEmail(ix: Index, entry: RosterEntry, i: number): Resolution {
  const all = ix.empByEmail.get(idKey(entry.email)) ?? [];
  const me = idKey(entry.userId);
  const head = `entries[${i}] (${entry.userId})`;
  // An employee a user outside the roster is linked to is that person's: never written, never linked to a second
  // user by the roster (that would give one person two users, or two people one employee).
  let candidates = all.filter((e) => !outsiderLink(ix, e, i));
  if (candidates.length > 1) {
    const free = candidates.filter(
      (c) => !(ix.linkedUsers.get(idKey(c.Employee)) ?? []).some((n) => n !== me),
    );
    if (free.length >= 1) candidates = free;
  }
  if (candidates.length > 1) {
    const active = candidates.filter((c) => c.Status === "A");
    if (active.length >= 1) candidates = active;
  }
  if (candidates.length > 1) {
    return {
      kind: "conflict",
      message: `${head}: the email ${entry.email} belongs to employees ${candidates.map((c) => c.Employee).join(", ")}; set entries[${i}].employee to the right one`,
    };
  }
  if (candidates.length === 1) {
    const c = candidates[0];
    // A terminated record is never made active unless the row names it (the rehire rule, terminated()).
    if (c.Status === "T") {
      return {
        kind: "conflict",
        message: `${head}: the only employee with the email ${entry.email} is ${describeEmployee(c)}; the roster does not bring back a terminated record it was not told to. If it is this person, set entries[${i}].employee to ${c.Employee} (the roster then makes it active); otherwise give this person their own email`,
      };
    }
    return { kind: "use", emp: c };
  }
  if (all.length > 0) {
    const e = all[0];
    return {
      kind: "conflict",
      message: `${head}: the email ${entry.email} is on ${describeEmployee(e)}, but it is linked to user ${outsiderLink(ix, e, i)}, who is not in the roster; the roster neither links a second user to that record nor creates a second employee with the same email. If user ${outsiderLink(ix, e, i)} is this person, use that user ID in the roster; otherwise give this person their own email`,
    };
  }
  return { kind: "create" };
}

/**
 * The rehire rule: a roster user linked to a terminated employee. A terminated employee is never made active
 * unless the row names it (entries[i].employee); Connect deleted that person's Connect user when the record was
 * terminated (Deltek's Connect troubleshooting topic), so bringing it back is a decision, not a side effect.
 * When exactly one active employee has the roster's email and name and is nobody else's, it is the person's new
 * record (a rehire): the user is relinked to it, the terminated record is left as it is, and the plan's notes say
 * so. Otherwise the entry is refused with the one-line fix: name the record to bring back, or link the new one.
 */
function terminated(
  ix: Index,
  entry: RosterEntry,
  i: number,
  old: EmployeeRecord,
  user: UserRecord,
): Resolution {
  const me = idKey(entry.userId);
  const name = nameKey(entry.firstName, entry.lastName);
  const rehired = (ix.empByEmail.get(idKey(entry.email)) ?? []).filter(
    (e) =>
      e !== old &&
      e.Status === "A" &&
      nameKey(e.FirstName, e.LastName) === name &&
      !(ix.linkedUsers.get(idKey(e.Employee)) ?? []).some((u) => u !== me) &&
      !emailOfOther(ix, e, i),
  );
  const head = `entries[${i}] (${entry.userId})`;
  if (rehired.length === 1)
    return {
      kind: "use",
      emp: rehired[0]!,
      relinkFrom: old,
      note: `${head}: user ${user.Username} was linked to ${describeEmployee(old)}; relinked to active employee ${rehired[0]!.Employee} with the same email and name (a rehire). The terminated record is left as it is.`,
    };
  const fix =
    rehired.length > 1
      ? `set entries[${i}].employee to the one that is this person (${rehired.map((e) => e.Employee).join(", ")} have this email and name)`
      : `set entries[${i}].employee to ${old.Employee} to bring that record back (the roster then makes it active), or link ${user.Username} to this person's new employee record in Settings > Security > Users`;
  return {
    kind: "conflict",
    message: `${head}: user ${user.Username} is linked to ${describeEmployee(old)}; the roster never makes a terminated record active unless the row names it. Fix: ${fix}`,
  };
}

/** Which employee entry i is: the one it names, the one its user links (when that is theirs), or by email. */
function resolveEmployee(ix: Index, entry: RosterEntry, i: number): Resolution {
  const head = `entries[${i}] (${entry.userId})`;
  if (entry.employee) {
    const emp = ix.empByKey.get(idKey(entry.employee));
    if (!emp) return { kind: "create" };
    const other = otherPerson(ix, emp, i);
    if (other)
      return {
        kind: "conflict",
        message: `${head} names ${describeEmployee(emp)}, but ${other}; the roster does not change another person's record. Fix entries[${i}].employee, or correct that record in Vantagepoint first`,
      };
    return { kind: "use", emp };
  }
  const user = ix.userByName.get(idKey(entry.userId));
  const linkedKey = idKey(user?.Employee);
  const linked = linkedKey ? ix.empByKey.get(linkedKey) : undefined;
  if (!linked) return byEmail(ix, entry, i);
  if (linked.Status === "T") return terminated(ix, entry, i, linked, user!);
  const other = otherPerson(ix, linked, i);
  if (!other) {
    if (mayTakeEmail(ix, linked, i)) return { kind: "use", emp: linked };
    const found = (ix.empByEmail.get(idKey(entry.email)) ?? []).map((e) => e.Employee);
    return {
      kind: "conflict",
      message: `${head}: user ${user!.Username} is linked to ${describeEmployee(linked)}, whose email and name are not the roster's (${entry.email}, ${entry.firstName} ${entry.lastName}); the roster does not rewrite an email it cannot tell is this person's. If ${linked.Employee} is this person with a new address, set entries[${i}].employee to ${linked.Employee} (the roster then updates its email); if it is someone else, link ${user!.Username} to the right employee${found.length ? ` (${found.join(", ")} ${found.length === 1 ? "has" : "have"} ${entry.email})` : ""} in Settings > Security > Users or set entries[${i}].employee`,
    };
  }
  // Linked to a record also linked to someone outside the roster: usable as it is (nothing of theirs is written).
  if (!emailOfOther(ix, linked, i) && idKey(linked.EMail) === idKey(entry.email) && linked.Status === "A")
    return { kind: "use", emp: linked };
  // Linked to someone else's record: relink to this person's own.
  const found = byEmail(ix, entry, i);
  if (found.kind === "conflict")
    return {
      kind: "conflict",
      message: `${found.message} (user ${user!.Username} is linked to ${describeEmployee(linked)}, which is not theirs: ${other})`,
    };
  return { ...found, relinkFrom: linked };
}

/**
 * Plans the writes that make each entry an active employee with that email, linked to an active user with the
 * given role, without ever changing a record that belongs to someone else: an employee linked to a user outside
 * the roster, or carrying another person's email, is never written; a roster user linked to such a record is
 * relinked to this person's own employee (found by email, or created), or the entry is reported as a conflict
 * naming both records and the fix. No run makes two active employees share an email.
 */
export function planRoster(
  state: RosterState,
  entries: readonly RosterEntry[],
  options: PlanOptions = {},
): RosterPlan {
  const ix = indexState(state, entries, options.previous ?? []);
  const rule = options.newEmployees ?? {};
  const plan: RosterPlan = {
    employeeOps: [],
    userOps: [],
    conflicts: [],
    observed: [],
    expected: [],
    manualSteps: [],
    notes: [],
  };
  const claimed = new Map<string, number>();
  const resolutions = entries.map((entry, index) => resolveEmployee(ix, entry, index));
  const creates = resolutions.filter((r, i) => r.kind === "create" && !entries[i].employee).length;
  const sequence =
    rule.key === "sequence"
      ? sequenceKeys(
          state.employees.map((e) => String(e?.Employee ?? "")),
          creates,
          rule.prefix ?? "",
          rule.digits ?? 5,
        )
      : [];
  // Emails as they will be: an update must not give an active employee an address another active one has.
  const activeByEmail = new Map<string, Set<string>>();
  for (const e of state.employees) {
    if (!e || e.Status !== "A" || !idKey(e.EMail)) continue;
    const k = idKey(e.EMail);
    activeByEmail.set(k, new Set([...(activeByEmail.get(k) ?? []), idKey(e.Employee)]));
  }

  entries.forEach((entry, index) => {
    const user = ix.usersKnown ? ix.userByName.get(idKey(entry.userId)) : undefined;
    const r = resolutions[index];
    const conflict = (message: string, emp?: EmployeeRecord) => {
      plan.conflicts.push({ index, field: "employee", message });
      plan.observed.push(observedPerson(ix, index, emp, user));
      plan.expected.push(observedPerson(ix, index, emp, user));
    };
    if (r.kind === "conflict") return conflict(r.message, undefined);
    const emp = r.kind === "use" ? r.emp : undefined;
    if (emp) {
      const other = claimed.get(idKey(emp.Employee));
      if (other !== undefined)
        return conflict(
          `entries[${index}] (${entry.userId}) and entries[${other}] resolve to the same employee ${emp.Employee}; set employee on one of them`,
          emp,
        );
      const wanted = idKey(entry.email);
      const sharing = [...(activeByEmail.get(wanted) ?? [])].filter((k) => k !== idKey(emp.Employee));
      const becomesActiveWithEmail = !(emp.Status === "A" && idKey(emp.EMail) === wanted);
      if (sharing.length && becomesActiveWithEmail)
        return conflict(
          `entries[${index}] (${entry.userId}): making ${describeEmployee(emp)} active with ${entry.email} would give two active employees one email (${sharing.map((k) => ix.empByKey.get(k)?.Employee ?? k).join(", ")} already has it); Connect would match the wrong person. Set entries[${index}].employee to the right record, or clear the address on the other one`,
          emp,
        );
      const theirs = otherPerson(ix, emp, index);
      const needsWrite = emp.Status !== "A" || idKey(emp.EMail) !== wanted;
      if (theirs && needsWrite)
        return conflict(
          `entries[${index}] (${entry.userId}) would have to change ${describeEmployee(emp)}, but ${theirs}; the roster does not change another person's record. Correct it in the Employees hub, or set entries[${index}].employee to this person's own record`,
          emp,
        );
      claimed.set(idKey(emp.Employee), index);
    }
    let employeeKey = emp?.Employee ?? entry.employee ?? "";
    const employeeFromCreate = !emp;
    if (!emp) {
      const record: Record<string, string> = {
        ...(rule.defaults ?? {}),
        FirstName: entry.firstName,
        LastName: entry.lastName,
        EMail: entry.email,
        Status: "A",
      };
      if (entry.employee) record.Employee = entry.employee;
      else if (rule.key === "sequence") record.Employee = sequence.shift()!;
      else if (rule.key === "roster")
        return conflict(
          `entries[${index}] (${entry.userId}) needs a new employee record and has no employee key; add it (the employee column), or set ${EMPLOYEE_KEY_SETTING} to "sequence" or "server"`,
        );
      if (record.Employee) employeeKey = record.Employee;
      plan.employeeOps.push({ kind: "createEmployee", index, userId: entry.userId, record });
      activeByEmail.set(idKey(entry.email), new Set([idKey(employeeKey || `new:${index}`)]));
    } else {
      const fields: Record<string, string> = {};
      const changes: Array<"email" | "status"> = [];
      // Someone else's record is used as it is. An email that differs from the roster's only in case or surrounding
      // spaces is the same address to the server (lib/vantagepoint/identifiers.ts): nothing is written for it.
      const readOnly = !!otherPerson(ix, emp, index);
      if (!sameId(emp.EMail, entry.email) && !readOnly) {
        fields.EMail = entry.email;
        changes.push("email");
      }
      if (emp.Status !== "A") {
        fields.Status = "A";
        changes.push("status");
      }
      if (changes.length)
        plan.employeeOps.push({
          kind: "updateEmployee",
          index,
          userId: entry.userId,
          employee: emp.Employee,
          fields,
          changes,
        });
      employeeKey = emp.Employee;
      activeByEmail.set(
        idKey(entry.email),
        new Set([...(activeByEmail.get(idKey(entry.email)) ?? []), idKey(emp.Employee)]),
      );
    }
    plan.observed.push(observedPerson(ix, index, emp, user));
    if (r.kind === "use" && r.note) plan.notes.push(r.note);
    if (emp?.Status === "T")
      plan.notes.push(
        `entries[${index}] (${entry.userId}) names ${describeEmployee(emp)}: it is made active, as the row asks.`,
      );

    if (!ix.usersKnown) {
      plan.manualSteps.push(
        `Settings > Security > Users: make sure user ${entry.userId} exists, is active, ${entry.role ? `has role ${entry.role}, ` : ""}and has Employee ${employeeKey || `(the new employee for ${entry.email})`}`,
      );
    } else if (!user) {
      const record: Record<string, string> = { Username: entry.userId, Employee: employeeKey, Status: "A" };
      if (entry.role) record.Role = entry.role;
      plan.userOps.push({ kind: "createUser", index, userId: entry.userId, record, employeeFromCreate });
    } else {
      const fields: Record<string, string> = {};
      const changes: Array<"link" | "status" | "role"> = [];
      if (employeeFromCreate || idKey(user.Employee) !== idKey(employeeKey)) {
        fields.Employee = employeeKey;
        changes.push("link");
      }
      if (user.Status !== "A") {
        fields.Status = "A";
        changes.push("status");
      }
      if (entry.role && idKey(user.Role) !== idKey(entry.role)) {
        fields.Role = entry.role;
        changes.push("role");
      }
      if (changes.length) {
        plan.userOps.push({
          kind: "updateUser",
          index,
          userId: entry.userId,
          username: user.Username,
          fields,
          changes,
          employeeFromCreate,
        });
      }
    }
    plan.expected.push({
      userId: entry.userId,
      employee: employeeKey,
      email: entry.email,
      employeeStatus: "A",
      userStatus: ix.usersKnown ? "A" : asUserStatus(user?.Status),
      linked: ix.usersKnown,
      ...(entry.role ? { role: entry.role } : user?.Role ? { role: String(user.Role) } : {}),
      ...(entry.configurer !== undefined ? { configurer: entry.configurer } : {}),
    });
  });
  return plan;
}

/**
 * What the server holds for entry i: the employee the user is linked to when it has one (else the one the
 * entry resolves to), and "linked" only when the user links that employee and it does not carry another
 * person's email.
 */
function observedPerson(
  ix: Index,
  i: number,
  resolved: EmployeeRecord | undefined,
  user: UserRecord | undefined,
): RosterPerson {
  const entry = ix.entries[i];
  const linkedKey = idKey(user?.Employee);
  const emp = (linkedKey ? ix.empByKey.get(linkedKey) : undefined) ?? resolved;
  return {
    userId: entry.userId,
    employee: emp?.Employee ?? "",
    email: emp?.EMail ?? "",
    employeeStatus: emp ? asEmployeeStatus(emp.Status) : "I",
    userStatus: user ? asUserStatus(user.Status) : "I",
    // Linked means the user links a record that is this person's: not one carrying another person's email, nor
    // one whose email and name are both someone else's.
    linked: !!(
      emp &&
      user &&
      linkedKey === idKey(emp.Employee) &&
      !emailOfOther(ix, emp, i) &&
      mayTakeEmail(ix, emp, i)
    ),
    ...(user?.Role ? { role: String(user.Role) } : {}),
    ...(entry.configurer !== undefined ? { configurer: entry.configurer } : {}),
  };
}

/** True when the person is as the entry asks: active, linked, with that email and role. */
export function personMatches(entry: RosterEntry, person: RosterPerson | undefined): boolean {
  if (!person) return false;
  return (
    person.employeeStatus === "A" &&
    person.userStatus === "A" &&
    person.linked &&
    sameId(person.email, entry.email) &&
    (!entry.employee || idKey(person.employee) === idKey(entry.employee)) &&
    (!entry.role || idKey(person.role) === idKey(entry.role))
  );
}

/** Plans deactivation of the given users (only those active now). Employees are never touched. */
export function planDeactivation(
  users: readonly UserRecord[],
  userIds: readonly string[],
): Array<{ username: string; fields: { Status: "I" } }> {
  const wanted = new Set(userIds.map(idKey));
  return users
    .filter((u) => wanted.has(idKey(u.Username)) && u.Status === "A")
    .map((u) => ({ username: u.Username, fields: { Status: "I" as const } }));
}

/** Entry fields that are identifiers: compared as the server compares them (lib/vantagepoint/identifiers.ts). */
const IDENTIFIER_FIELDS: ReadonlySet<keyof RosterEntry> = new Set<keyof RosterEntry>([
  "userId",
  "email",
  "employee",
  "role",
]);

/** Is an entry field unchanged: identifiers by the identifier rule (a case-only change writes nothing), others exactly. */
function sameEntryField(field: keyof RosterEntry, a: unknown, b: unknown): boolean {
  if (IDENTIFIER_FIELDS.has(field) && typeof a === "string" && typeof b === "string") return sameId(a, b);
  return (a ?? undefined) === (b ?? undefined);
}

/** Fields compared per entry when diffing two rosters. */
export const ENTRY_FIELDS: ReadonlyArray<keyof RosterEntry> = [
  "userId",
  "email",
  "firstName",
  "lastName",
  "employee",
  "role",
  "configurer",
];

export interface EntryChange {
  key: string;
  kind: "add" | "update" | "delete";
  fields: string[];
}

/**
 * Compares old and new entries by user ID; `oldPeople` (from the last run or refresh) makes drift in
 * Vantagepoint (inactive, unlinked, changed email) count as a change of that entry.
 */
export function diffRosterEntries(
  olds: readonly RosterEntry[],
  news: readonly RosterEntry[],
  oldPeople: readonly RosterPerson[] = [],
): EntryChange[] {
  const before = new Map(olds.map((e) => [rosterEntryKey(e), e]));
  const people = new Map(oldPeople.map((p) => [idKey(p.userId), p]));
  const changes: EntryChange[] = [];
  for (const e of news) {
    const key = rosterEntryKey(e);
    const old = before.get(key);
    if (!old) {
      changes.push({ key: e.userId, kind: "add", fields: [] });
      continue;
    }
    const fields = ENTRY_FIELDS.filter((f) => !sameEntryField(f, old[f], e[f])).map(String);
    const person = people.get(key);
    if (person && !personMatches(e, person)) {
      if (!sameId(person.email, e.email) && !fields.includes("email")) fields.push("email");
      if (person.employeeStatus !== "A") fields.push("employeeStatus");
      if (person.userStatus !== "A") fields.push("userStatus");
      if (!person.linked) fields.push("linked");
      if (e.role && idKey(person.role) !== idKey(e.role) && !fields.includes("role")) fields.push("role");
    }
    if (fields.length) changes.push({ key: e.userId, kind: "update", fields });
  }
  const now = new Set(news.map(rosterEntryKey));
  for (const e of olds)
    if (!now.has(rosterEntryKey(e))) changes.push({ key: e.userId, kind: "delete", fields: [] });
  return changes;
}
