/**
 * Employee matching and ownership, pure: index the server's employees and users, resolve each roster entry to its
 * own employee (by key, email, name, rehire) without taking a record that belongs to someone else, and describe
 * what the server holds per entry (split out of roster.ts).
 */
import type {
  EmployeeRecord,
  EmployeeStatus,
  RosterEntry,
  RosterPerson,
  UserRecord,
  UserStatus,
} from "./types";
import { idKey } from "./identifiers";

export interface RosterState {
  employees: EmployeeRecord[];
  /** Undefined when the server has no users hub: employees are still planned, user steps become manual. */
  users?: UserRecord[];
}

function asEmployeeStatus(s: unknown): EmployeeStatus {
  return s === "I" || s === "T" ? s : s === "A" ? "A" : "I";
}
export function asUserStatus(s: unknown): UserStatus {
  return s === "A" ? "A" : "I";
}

/** Everything the planner looks records up by. */
export interface Index {
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

export function indexState(
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
export function describeEmployee(e: EmployeeRecord): string {
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
export function otherPerson(ix: Index, emp: EmployeeRecord, i: number): string | undefined {
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

export type Resolution =
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
export function resolveEmployee(ix: Index, entry: RosterEntry, i: number): Resolution {
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
 * What the server holds for entry i: the employee the user is linked to when it has one (else the one the
 * entry resolves to), and "linked" only when the user links that employee and it does not carry another
 * person's email.
 */
export function observedPerson(
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
