/**
 * The doctor's checks, pure: each takes what was read from Vantagepoint (or why it could not be read) and
 * returns one DoctorCheck. No HTTP here, so every rule is tested without a server.
 */
import {
  fingerprintApiAuthorization,
  legacyFingerprintApiAuthorization,
  manualApiClientSteps,
  unchangedSinceAdopted,
} from "../vantagepoint/apiClient";
import type { AdminRoleState } from "../vantagepoint/adminRole";
import { administratorTypeRequired, manualRoleSteps, roleTypesOf } from "../vantagepoint/adminRole";
import { describeRoleModel } from "../vantagepoint/roleModel";
import { emailProblem } from "../vantagepoint/roster";
import { idKey, sameId } from "../vantagepoint/identifiers";
import type { ApiAuthorizationRecord, EmployeeRecord, UserRecord } from "../vantagepoint/types";
import { DOCTOR_POLICIES, recordUrn, statusOf } from "./model";
import type { DoctorCheck, DoctorFinding, DoctorPrerequisite } from "./model";

function check(
  id: DoctorPrerequisite,
  findings: DoctorFinding[],
  couldNotCheck: string | undefined,
  checked: number,
  okReason: string,
  details: string[] = [],
): DoctorCheck {
  const status = statusOf(findings, couldNotCheck);
  const reason =
    status === "broken"
      ? `${findings.length} problem${findings.length === 1 ? "" : "s"}${couldNotCheck ? `; also: ${couldNotCheck}` : ""}`
      : status === "could-not-check"
        ? couldNotCheck!
        : okReason;
  return { id, ...DOCTOR_POLICIES[id], status, reason, findings, details, checked };
}

/** Every check could not run for the same reason (the token grant failed, bad connection settings). */
export function allCouldNotCheck(reason: string): DoctorCheck[] {
  return (["P3", "P4", "P5", "P6"] as const).map((id) => check(id, [], reason, 0, ""));
}

// ---- P3 ----------------------------------------------------------------------------------------

/** One role to look at, why, and what was read (or why it could not be). */
export interface RoleObservation {
  role: string;
  /** Why this role matters, e.g. "the stack's vantagepoint.adminRole" or "role of configurer PJONES". */
  because: string;
  state?: AdminRoleState;
  /** Could not be read: the reason (an unavailable roles endpoint carries the manual steps). */
  problem?: string;
}

export function checkAdminRole(
  observations: readonly RoleObservation[],
  requireAdministratorType: boolean,
  missingReason?: string,
): DoctorCheck {
  const findings: DoctorFinding[] = [];
  const problems: string[] = [];
  if (missingReason) problems.push(missingReason);
  for (const o of observations) {
    const where = recordUrn("role", o.role);
    // The role model read with the role (configured, probed from its fields, or assumed): before 7.0 no type.
    const needsType = administratorTypeRequired(requireAdministratorType, o.state?.model);
    const steps = manualRoleSteps(o.role, needsType);
    if (o.problem !== undefined || !o.state) {
      problems.push(o.problem ?? `role "${o.role}" could not be read`);
      continue;
    }
    if (!o.state.exists) {
      findings.push({
        kind: "role-missing",
        location: where,
        message: `role "${o.role}" (${o.because}) does not exist in Vantagepoint; create it in Settings > Security > Roles or name an existing role.`,
      });
      continue;
    }
    if (!o.state.connectAdministration) {
      findings.push({
        kind: "role-without-connect-administration",
        location: where,
        message: `role "${o.role}" (${o.because}) does not grant Connect Administration. ${steps}`,
      });
    }
    // A role may be of several types at once (Deltek's CRM documentation): Administrator must be among them.
    const types = o.state.roleTypes ?? roleTypesOf(o.state.roleType);
    if (needsType && !types.some((t) => sameId(t, "Administrator"))) {
      findings.push({
        kind: "role-not-administrator-type",
        location: where,
        message: `role "${o.role}" (${o.because}) has type${types.length === 1 ? "" : "s"} "${types.join(", ") || "(none)"}"; from Vantagepoint 7.0 the Connect role must have Administrator among its types. ${steps}`,
      });
    }
  }
  const checkedRoles = observations.filter((o) => o.state).map((o) => o.role);
  const model = observations.find((o) => o.state?.model)?.state?.model;
  const typeChecked = administratorTypeRequired(requireAdministratorType, model);
  return check(
    "P3",
    findings,
    problems.length ? unique(problems).join(" ") : undefined,
    checkedRoles.length,
    `role${checkedRoles.length === 1 ? "" : "s"} ${checkedRoles.map((r) => `"${r}"`).join(", ")} grant${checkedRoles.length === 1 ? "s" : ""} Connect Administration${typeChecked ? ` and ${checkedRoles.length === 1 ? "is" : "are"} of type Administrator` : ""}`,
    model ? [describeRoleModel(model)] : [],
  );
}

// ---- people (P4, P5) ---------------------------------------------------------------------------

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

// ---- P6 ----------------------------------------------------------------------------------------

export interface ApiClientRead {
  /** The authorizations named like the Connect one (already filtered by name). */
  hits?: readonly ApiAuthorizationRecord[];
  /** Could not be read: the reason (an unavailable endpoint carries the manual steps). */
  problem?: string;
}

/** P6: the Connect API Authorization exists once and (when an adopted fingerprint is given) is unchanged. */
export function checkApiClient(read: ApiClientRead, name: string, adoptedFingerprint?: string): DoctorCheck {
  if (!read.hits) return check("P6", [], read.problem ?? "API Authorizations could not be read", 0, "");
  const hits = read.hits;
  if (hits.length === 0) {
    return check(
      "P6",
      [
        {
          kind: "api-authorization-missing",
          location: recordUrn("apiauthorization", name),
          message: `no API Authorization named "${name}" exists: Connect cannot sign in. If someone deleted it while tidying Utilities > Integrations, open Connect's Sync Options as the configurer so Vantagepoint generates a new one, then enter its Client ID and Secret wherever Connect is set up. ${manualApiClientSteps(name)}`,
        },
      ],
      undefined,
      0,
      "",
    );
  }
  if (hits.length > 1) {
    return check(
      "P6",
      [
        {
          kind: "api-authorization-duplicated",
          location: recordUrn("apiauthorization", String(hits[0]!.ClientId)),
          message: `${hits.length} API Authorizations are named "${name}" (Client IDs ${hits.map((h) => h.ClientId).join(", ")}); find the one Connect uses and rename the others in Utilities > Integrations (deleting another integration's authorization breaks that integration).`,
        },
      ],
      undefined,
      hits.length,
      "",
    );
  }
  const hit = hits[0]!;
  const fingerprint = fingerprintApiAuthorization(hit);
  const details = [`Client ID ${hit.ClientId}`, `fingerprint ${fingerprint}`];
  const want = adoptedFingerprint?.trim().toLowerCase();
  if (
    want &&
    !unchangedSinceAdopted(want, { fingerprint, legacyFingerprint: legacyFingerprintApiAuthorization(hit) })
  ) {
    return check(
      "P6",
      [
        {
          kind: "api-authorization-changed",
          location: recordUrn("apiauthorization", String(hit.ClientId)),
          message: `the API Authorization "${name}" (Client ID ${hit.ClientId}) changed since it was adopted: fingerprint ${fingerprint}, adopted ${want}. Someone edited its name, callback URL, scopes or password-grant setting in Utilities > Integrations; compare it with what Connect needs and put it back, or run \`pulumi up\` to adopt the new state if the change was intended.`,
        },
      ],
      undefined,
      1,
      "",
      details,
    );
  }
  return check(
    "P6",
    [],
    undefined,
    1,
    want
      ? `"${name}" found (Client ID ${hit.ClientId}), unchanged since adopted`
      : `"${name}" found (Client ID ${hit.ClientId}, fingerprint ${fingerprint}); pass --adopted-fingerprint (the ConnectApiClient output) to detect edits`,
    details,
  );
}

function unique<T>(xs: readonly T[]): T[] {
  return [...new Set(xs)];
}

// ---- P7 ----------------------------------------------------------------------------------------

/** What the stack manages for login (P7): the mode, and for Entra ID the tenant and the login app's client ID. */
export interface LoginExpectation {
  mode: "entraId" | "windows";
  tenantId?: string;
  /** The login app's client ID ("Server Client ID" in Vantagepoint's Active Directory settings), when known. */
  serverClientId?: string;
}

/** GET /LoginConfig[/{database}] as read (one open-source client documents it), or why it could not be read. */
export interface LoginConfigRead {
  config?: Record<string, unknown>;
  problem?: string;
}

const LOGIN_SCREEN = "Settings > General > Options, Active Directory";

/**
 * P7, read-only: LoginConfig's Entra login (WAADEnabled), tenant (WAADSettings.WAADTenant) and Server Client ID
 * (WAADSettings.WAADServerClientID) against what the stack manages. Nothing is ever written: login settings are
 * changed by hand.
 */
export function checkLoginConfig(read: LoginConfigRead, want: LoginExpectation): DoctorCheck {
  if (!read.config) return check("P7", [], read.problem ?? "LoginConfig could not be read", 0, "");
  const c = read.config;
  const settings = (c.WAADSettings ?? {}) as Record<string, unknown>;
  const entra = String(c.WAADEnabled ?? "").toUpperCase() === "Y";
  const tenant = typeof settings.WAADTenant === "string" ? settings.WAADTenant.trim() : "";
  const serverClientId =
    typeof settings.WAADServerClientID === "string" ? settings.WAADServerClientID.trim() : "";
  const where = recordUrn("loginconfig", String(c.database ?? ""));
  const findings: DoctorFinding[] = [];
  const drift = (message: string) => findings.push({ kind: "login-drift", location: where, message });
  if (want.mode === "entraId" && !entra)
    drift(
      `Vantagepoint's Entra ID (Azure AD) login is off (WAADEnabled ${JSON.stringify(c.WAADEnabled ?? "")}) while entra.loginMode is "entraId"; turn it on in ${LOGIN_SCREEN}, or set entra.loginMode to "windows".`,
    );
  if (want.mode === "windows" && entra)
    drift(
      `Vantagepoint's Entra ID (Azure AD) login is on while entra.loginMode is "windows"; Connect then signs people in through Entra, not Vantagepoint's OAuth flow. Set entra.loginMode to "entraId" or turn it off in ${LOGIN_SCREEN}.`,
    );
  if (
    want.mode === "entraId" &&
    entra &&
    want.tenantId &&
    tenant.toLowerCase() !== want.tenantId.toLowerCase()
  )
    drift(
      `Vantagepoint's login points at tenant ${tenant || "(none)"}, not entra.tenantId ${want.tenantId}; correct the tenant in ${LOGIN_SCREEN}.`,
    );
  if (
    want.mode === "entraId" &&
    entra &&
    want.serverClientId &&
    serverClientId.toLowerCase() !== want.serverClientId.toLowerCase()
  )
    drift(
      `Vantagepoint's Server Client ID is ${serverClientId || "(none)"}, not the login app this stack manages (${want.serverClientId}); enter the login app's client ID and secret in ${LOGIN_SCREEN}.`,
    );
  const details = [
    `WAADEnabled ${entra ? "Y" : "N"}`,
    ...(tenant ? [`tenant ${tenant}`] : []),
    ...(serverClientId ? [`Server Client ID ${serverClientId}`] : []),
  ];
  return check(
    "P7",
    findings,
    undefined,
    1,
    want.mode === "entraId"
      ? `Entra ID login on, tenant ${tenant || "(not shown)"}${want.serverClientId ? ", Server Client ID as managed" : " (pass --login-client-id, the stack's loginAppClientId output, to compare the Server Client ID)"}`
      : 'Entra ID login off, as entra.loginMode "windows" says',
    details,
  );
}
