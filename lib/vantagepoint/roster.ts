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

/** A problem with one roster entry: its index, the field and what to do. */
export interface RosterIssue {
  index: number;
  field: string;
  message: string;
}

const EMAIL_RE =
  /^[^\s@"<>(),;:\\[\]]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

/** Why an email address is not valid, or undefined when it is. */
export function emailProblem(email: unknown): string | undefined {
  if (typeof email !== "string" || email.trim() === "")
    return "is required (Connect matches people by email)";
  if (email !== email.trim()) return "has spaces before or after it";
  if (email.length > 254) return "is longer than 254 characters";
  if ((email.match(/@/g) ?? []).length !== 1) return "must contain exactly one @";
  const [local, domain] = email.split("@");
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

const lower = (s: string | undefined | null) => (s ?? "").toLowerCase();

/** Key used for per-entry diffs and messages: the user ID (case-insensitive). */
export function rosterEntryKey(entry: Pick<RosterEntry, "userId">): string {
  return lower(entry.userId);
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
      const k = value.toLowerCase();
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
  /** Problems that stop an entry from being planned (ambiguous matches). */
  conflicts: RosterIssue[];
  /** Per entry: the matched employee key ("" when it will be created), as seen before any write. */
  observed: RosterPerson[];
  /** Per entry: the person as it will be once the plan is applied. */
  expected: RosterPerson[];
}

export interface RosterState {
  employees: EmployeeRecord[];
  users: UserRecord[];
}

function asEmployeeStatus(s: unknown): EmployeeStatus {
  return s === "I" || s === "T" ? s : s === "A" ? "A" : "I";
}
function asUserStatus(s: unknown): UserStatus {
  return s === "A" ? "A" : "I";
}

/**
 * Plans the writes that make each entry an active employee with that email, linked to an active user
 * with the given role. Matching: the entry's `employee` key if given, else the employee linked to the
 * user with that userId, else the employee with that email (case-insensitive).
 */
export function planRoster(state: RosterState, entries: readonly RosterEntry[]): RosterPlan {
  const empByKey = new Map<string, EmployeeRecord>();
  const empByEmail = new Map<string, EmployeeRecord[]>();
  for (const e of state.employees) {
    if (!e || typeof e.Employee !== "string") continue;
    empByKey.set(lower(e.Employee), e);
    if (e.EMail) {
      const k = lower(e.EMail.trim());
      empByEmail.set(k, [...(empByEmail.get(k) ?? []), e]);
    }
  }
  const userByName = new Map<string, UserRecord>();
  const linkedUsers = new Map<string, string[]>();
  for (const u of state.users) {
    if (!u || typeof u.Username !== "string") continue;
    userByName.set(lower(u.Username), u);
    if (u.Employee)
      linkedUsers.set(lower(u.Employee), [...(linkedUsers.get(lower(u.Employee)) ?? []), lower(u.Username)]);
  }

  const plan: RosterPlan = { employeeOps: [], userOps: [], conflicts: [], observed: [], expected: [] };
  const claimed = new Map<string, number>();
  const entryEmails = new Map<string, number>();
  entries.forEach((e, i) => {
    if (!entryEmails.has(lower(e.email))) entryEmails.set(lower(e.email), i);
  });
  /**
   * A user's link is trusted unless the linked employee carries the email of another person in this roster: then
   * the link is wrong (a restored server reused a key, or someone linked the wrong record) and following it would
   * give two people one employee. Such a user is matched by email instead and relinked.
   */
  const linkedEmployee = (user: UserRecord | undefined, index: number): EmployeeRecord | undefined => {
    if (!user?.Employee) return undefined;
    const linked = empByKey.get(lower(user.Employee));
    if (!linked) return undefined;
    const owner = entryEmails.get(lower((linked.EMail ?? "").trim()));
    return owner === undefined || owner === index ? linked : undefined;
  };

  entries.forEach((entry, index) => {
    const user = userByName.get(lower(entry.userId));
    let emp: EmployeeRecord | undefined;
    if (entry.employee) {
      emp = empByKey.get(lower(entry.employee));
    } else if (linkedEmployee(user, index)) {
      emp = linkedEmployee(user, index);
    } else {
      let candidates = empByEmail.get(lower(entry.email)) ?? [];
      if (candidates.length > 1) {
        const free = candidates.filter(
          (c) => !(linkedUsers.get(lower(c.Employee)) ?? []).some((n) => n !== lower(entry.userId)),
        );
        if (free.length >= 1) candidates = free;
      }
      if (candidates.length > 1) {
        const active = candidates.filter((c) => c.Status === "A");
        if (active.length >= 1) candidates = active;
      }
      if (candidates.length > 1) {
        plan.conflicts.push({
          index,
          field: "employee",
          message: `entries[${index}] (${entry.userId}): the email ${entry.email} belongs to employees ${candidates.map((c) => c.Employee).join(", ")}; set entries[${index}].employee to the right one`,
        });
        plan.observed.push(observedPerson(entry, undefined, user));
        plan.expected.push(observedPerson(entry, undefined, user));
        return;
      }
      emp = candidates[0];
    }
    if (emp) {
      const other = claimed.get(lower(emp.Employee));
      if (other !== undefined) {
        plan.conflicts.push({
          index,
          field: "employee",
          message: `entries[${index}] (${entry.userId}) and entries[${other}] resolve to the same employee ${emp.Employee}; set employee on one of them`,
        });
        plan.observed.push(observedPerson(entry, emp, user));
        plan.expected.push(observedPerson(entry, emp, user));
        return;
      }
      claimed.set(lower(emp.Employee), index);
    }
    plan.observed.push(observedPerson(entry, emp, user));

    let employeeKey = emp?.Employee ?? entry.employee ?? "";
    const employeeFromCreate = !emp;
    if (!emp) {
      const record: Record<string, string> = {
        FirstName: entry.firstName,
        LastName: entry.lastName,
        EMail: entry.email,
        Status: "A",
      };
      if (entry.employee) record.Employee = entry.employee;
      plan.employeeOps.push({ kind: "createEmployee", index, userId: entry.userId, record });
    } else {
      const fields: Record<string, string> = {};
      const changes: Array<"email" | "status"> = [];
      if ((emp.EMail ?? "") !== entry.email) {
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
    }

    if (!user) {
      const record: Record<string, string> = { Username: entry.userId, Employee: employeeKey, Status: "A" };
      if (entry.role) record.Role = entry.role;
      plan.userOps.push({ kind: "createUser", index, userId: entry.userId, record, employeeFromCreate });
    } else {
      const fields: Record<string, string> = {};
      const changes: Array<"link" | "status" | "role"> = [];
      if (employeeFromCreate || lower(user.Employee) !== lower(employeeKey)) {
        fields.Employee = employeeKey;
        changes.push("link");
      }
      if (user.Status !== "A") {
        fields.Status = "A";
        changes.push("status");
      }
      if (entry.role && lower(user.Role) !== lower(entry.role)) {
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
      userStatus: "A",
      linked: true,
      ...(entry.role ? { role: entry.role } : user?.Role ? { role: String(user.Role) } : {}),
      ...(entry.configurer !== undefined ? { configurer: entry.configurer } : {}),
    });
  });
  return plan;
}

function observedPerson(
  entry: RosterEntry,
  emp: EmployeeRecord | undefined,
  user: UserRecord | undefined,
): RosterPerson {
  return {
    userId: entry.userId,
    employee: emp?.Employee ?? "",
    email: emp?.EMail ?? "",
    employeeStatus: emp ? asEmployeeStatus(emp.Status) : "I",
    userStatus: user ? asUserStatus(user.Status) : "I",
    linked: !!(emp && user && lower(user.Employee) === lower(emp.Employee)),
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
    person.email === entry.email &&
    (!entry.employee || lower(person.employee) === lower(entry.employee)) &&
    (!entry.role || lower(person.role) === lower(entry.role))
  );
}

/** Plans deactivation of the given users (only those active now). Employees are never touched. */
export function planDeactivation(
  users: readonly UserRecord[],
  userIds: readonly string[],
): Array<{ username: string; fields: { Status: "I" } }> {
  const wanted = new Set(userIds.map(lower));
  return users
    .filter((u) => wanted.has(lower(u.Username)) && u.Status === "A")
    .map((u) => ({ username: u.Username, fields: { Status: "I" as const } }));
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
  const people = new Map(oldPeople.map((p) => [lower(p.userId), p]));
  const changes: EntryChange[] = [];
  for (const e of news) {
    const key = rosterEntryKey(e);
    const old = before.get(key);
    if (!old) {
      changes.push({ key: e.userId, kind: "add", fields: [] });
      continue;
    }
    const fields = ENTRY_FIELDS.filter((f) => (old[f] ?? undefined) !== (e[f] ?? undefined)).map(String);
    const person = people.get(key);
    if (person && !personMatches(e, person)) {
      if (person.email !== e.email && !fields.includes("email")) fields.push("email");
      if (person.employeeStatus !== "A") fields.push("employeeStatus");
      if (person.userStatus !== "A") fields.push("userStatus");
      if (!person.linked) fields.push("linked");
      if (e.role && lower(person.role) !== lower(e.role) && !fields.includes("role")) fields.push("role");
    }
    if (fields.length) changes.push({ key: e.userId, kind: "update", fields });
  }
  const now = new Set(news.map(rosterEntryKey));
  for (const e of olds)
    if (!now.has(rosterEntryKey(e))) changes.push({ key: e.userId, kind: "delete", fields: [] });
  return changes;
}
