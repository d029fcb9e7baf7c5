/**
 * The doctor's people checks (P4 the configurer, P5 the Connect users), pure: users and employees indexed the way
 * Vantagepoint keys them, and every finding about one person. Split from ./checks.ts (which re-exports them).
 */
import { emailProblem } from "../vantagepoint/roster";
import { idKey, sameId } from "../vantagepoint/identifiers";
import type { EmployeeRecord, UserRecord } from "../vantagepoint/types";
import { check } from "./checkResult";
import { recordUrn } from "./model";
import type { DoctorCheck, DoctorFinding } from "./model";

/** A person doctor looks at: a user ID and, when the roster names it, the employee key expected. */
export interface PersonRef {
  userId: string;
  employee?: string;
}

/** Users and employees indexed the way Vantagepoint keys them (user names case-insensitively). */
export interface PeopleIndex {
  users: Map<string, UserRecord>;
  employees: Map<string, EmployeeRecord>;
}

export function indexPeople(users: readonly UserRecord[], employees: readonly EmployeeRecord[]): PeopleIndex {
  const u = new Map<string, UserRecord>();
  for (const r of users) if (r && typeof r.Username === "string") u.set(idKey(r.Username), r);
  const e = new Map<string, EmployeeRecord>();
  for (const r of employees) if (r && typeof r.Employee === "string") e.set(idKey(r.Employee), r);
  return { users: u, employees: e };
}

function employeeName(e: EmployeeRecord): string {
  const name = [e.FirstName, e.LastName].filter((x) => typeof x === "string" && x.trim()).join(" ");
  return name ? ` (${name})` : "";
}

/** The employee linked to a user, when the link resolves. */
export function linkedEmployee(index: PeopleIndex, userId: string): EmployeeRecord | undefined {
  const user = index.users.get(idKey(userId));
  const key = idKey(user?.Employee);
  return key ? index.employees.get(key) : undefined;
}

/**
 * Everything wrong with one person: the user exists and is active, is linked to an employee (the one the
 * roster names, when it names one), and that employee exists, is active and has a valid email address.
 */
export function personFindings(index: PeopleIndex, person: PersonRef, role: string): DoctorFinding[] {
  const out: DoctorFinding[] = [];
  const userUrn = recordUrn("user", person.userId);
  const user = index.users.get(idKey(person.userId));
  if (!user) {
    return [
      {
        kind: "user-missing",
        location: userUrn,
        message: `${role} ${person.userId} has no user record in Vantagepoint; create the user (Settings > Security > Users) or fix the user ID in the roster.`,
      },
    ];
  }
  const name = user.Username;
  if (user.Status !== undefined && user.Status !== "A") {
    out.push({
      kind: "user-inactive",
      location: recordUrn("user", name),
      message: `${role} ${name}'s user record is inactive; make it active in Settings > Security > Users, or take the person off the roster.`,
    });
  }
  const key = typeof user.Employee === "string" ? user.Employee.trim() : "";
  if (!key) {
    out.push({
      kind: "user-without-employee",
      location: recordUrn("user", name),
      message: `${role} ${name} is not linked to an employee record; link the user to the person's employee in Settings > Security > Users (Employee field).`,
    });
    return out;
  }
  if (person.employee && !sameId(person.employee, key)) {
    out.push({
      kind: "wrong-employee",
      location: recordUrn("user", name),
      message: `${role} ${name} is linked to employee ${key}, but the roster names employee ${person.employee}: the link points at the wrong record; fix the Employee field of user ${name} or the roster.`,
    });
  }
  const emp = index.employees.get(idKey(key));
  if (!emp) {
    out.push({
      kind: "employee-missing",
      location: recordUrn("employee", key),
      message: `${role} ${name} is linked to employee ${key}, which does not exist; link the user to an existing employee record.`,
    });
    return out;
  }
  const empUrn = recordUrn("employee", key);
  if (emp.Status === "T") {
    out.push({
      kind: "employee-terminated",
      location: empUrn,
      message: `employee ${key}${employeeName(emp)} is terminated while user ${name} is a Connect user; Connect stops syncing for them. Take them off the roster, or set the employee back to Active if terminating was a mistake.`,
    });
  } else if (emp.Status !== undefined && emp.Status !== "A") {
    out.push({
      kind: "employee-inactive",
      location: empUrn,
      message: `employee ${key}${employeeName(emp)} is inactive while user ${name} is a Connect user; Connect stops syncing for them. Set the employee to Active or take them off the roster.`,
    });
  }
  // Surrounding spaces are not part of the value (SQL Server compares without trailing ones; identifiers.ts).
  const email = typeof emp.EMail === "string" ? emp.EMail.trim() : "";
  if (email.trim() === "") {
    out.push({
      kind: "employee-without-email",
      location: empUrn,
      message: `employee ${key}${employeeName(emp)} (user ${name}) has no email address; Connect matches people by email: set it on the Employees hub (General tab).`,
    });
  } else {
    const problem = emailProblem(email);
    if (problem) {
      out.push({
        kind: "employee-invalid-email",
        location: empUrn,
        message: `employee ${key}${employeeName(emp)} (user ${name}): email ${JSON.stringify(email)} ${problem}; correct it on the Employees hub.`,
      });
    }
  }
  return out;
}

/** Where P4 or P5 could not be read (users or employees unavailable), the reason; else undefined. */
export interface PeopleRead {
  index?: PeopleIndex;
  problem?: string;
}

/** P4: the configurer's user and employee. */
export function checkConfigurer(read: PeopleRead, configurer: PersonRef | undefined): DoctorCheck {
  if (!configurer) {
    return check(
      "P4",
      [],
      "nobody is named as the configurer: pass --configurer USERID, a roster whose configurer column is true, or --stack NAME (roster.configurer)",
      0,
      "",
    );
  }
  if (!read.index) return check("P4", [], read.problem ?? "users and employees could not be read", 0, "");
  const findings = personFindings(read.index, configurer, "configurer");
  const emp = linkedEmployee(read.index, configurer.userId);
  return check(
    "P4",
    findings,
    undefined,
    1,
    `configurer ${configurer.userId} is linked to active employee ${emp?.Employee ?? "?"} with a valid email`,
  );
}

export interface ConnectUsersInput {
  /** The roster's people (configurer left out; P4 covers them); undefined means "every active user". */
  roster?: readonly PersonRef[];
  /** The API user doctor signs in as (left out when no roster is given: it is an integration account). */
  apiUser?: string;
  /** The configurer (left out of P5, counted for duplicate emails). */
  configurer?: PersonRef;
}

/** Who P5 looks at: the roster, or every active user except the API user and the configurer. */
export function connectUsersOf(index: PeopleIndex, input: ConnectUsersInput): PersonRef[] {
  const skip = new Set(
    [input.configurer?.userId, input.roster ? undefined : input.apiUser]
      .filter((s): s is string => typeof s === "string")
      .map(idKey),
  );
  if (input.roster) return input.roster.filter((p) => !skip.has(idKey(p.userId)));
  return [...index.users.values()]
    .filter((u) => u.Status === "A" && !skip.has(idKey(u.Username)))
    .map((u) => ({ userId: u.Username }));
}

/**
 * P5: every Connect user is linked to an active employee with a valid email, and no email is shared by a
 * Connect user's employee and another employee (Connect matches people by email).
 */
export function checkConnectUsers(read: PeopleRead, input: ConnectUsersInput): DoctorCheck {
  if (!read.index) return check("P5", [], read.problem ?? "users and employees could not be read", 0, "");
  const index = read.index;
  const people = connectUsersOf(index, input);
  const findings: DoctorFinding[] = [];
  for (const p of people) findings.push(...personFindings(index, p, "Connect user"));

  // Duplicate emails: groups of employees sharing an address where at least one is a Connect user's.
  const connectEmployees = new Map<string, string>(); // employee key -> user
  for (const p of [...people, ...(input.configurer ? [input.configurer] : [])]) {
    const e = linkedEmployee(index, p.userId);
    if (e) connectEmployees.set(e.Employee, index.users.get(idKey(p.userId))?.Username ?? p.userId);
  }
  const byEmail = new Map<string, EmployeeRecord[]>();
  for (const e of index.employees.values()) {
    const email = idKey(e.EMail);
    if (!email) continue;
    byEmail.set(email, [...(byEmail.get(email) ?? []), e]);
  }
  for (const [email, group] of byEmail) {
    if (group.length < 2) continue;
    const ours = group.filter((e) => connectEmployees.has(e.Employee));
    if (ours.length === 0) continue;
    const keys = group.map((e) => e.Employee).sort();
    const users = ours.map((e) => `${connectEmployees.get(e.Employee)} (employee ${e.Employee})`);
    findings.push({
      kind: "duplicate-email",
      location: recordUrn("employee", ours[0]!.Employee),
      message: `email ${email} is on ${group.length} employees (${keys.join(", ")}); Connect matches people by email, so Connect user${ours.length === 1 ? "" : "s"} ${users.join(", ")} may sync to the wrong person. Give each employee their own address.`,
    });
  }
  return check(
    "P5",
    findings,
    undefined,
    people.length,
    `${people.length} Connect user${people.length === 1 ? "" : "s"} linked to active employees with valid, unique emails`,
  );
}
