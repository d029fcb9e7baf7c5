/**
 * Roster logic, pure: validate entries, match them to current employees and users, and plan exactly
 * the writes needed. Never plans employee deletion or termination. The entry rules are in rosterEntries.ts, the
 * new-employee rule in rosterNewEmployees.ts, matching and ownership in rosterMatching.ts; the
 * names this module exported before the split are re-exported here.
 */
import type { EmployeeRecord, RosterEntry, RosterPerson, UserRecord } from "./types";
import { idKey, sameId } from "./identifiers";
import type { RosterIssue } from "./rosterEntries";
import { rosterEntryKey } from "./rosterEntries";
import type { NewEmployeeRule } from "./rosterNewEmployees";
import { EMPLOYEE_KEY_SETTING, sequenceKeys } from "./rosterNewEmployees";
import type { RosterState } from "./rosterMatching";
import {
  asUserStatus,
  describeEmployee,
  indexState,
  observedPerson,
  otherPerson,
  resolveEmployee,
} from "./rosterMatching";

// Moved out of this module (issue 18 item 7), still importable from here.
export type { RosterIssue } from "./rosterEntries";
export { emailProblem, rosterEntryKey, userIdProblem, validateRosterEntries } from "./rosterEntries";
export type { NewEmployeeRule, NewEmployeesSetting } from "./rosterNewEmployees";
export {
  EMPLOYEE_KEY_SETTING,
  NEW_EMPLOYEE_DEFAULT_FIELDS,
  newEmployeeRule,
  newEmployeeRuleIssues,
  sequenceKeys,
} from "./rosterNewEmployees";
export type { RosterState } from "./rosterMatching";

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

export interface PlanOptions {
  newEmployees?: NewEmployeeRule;
  /** People as the last run or refresh recorded them: the employee recorded for a user ID is the roster's own. */
  previous?: readonly RosterPerson[];
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
