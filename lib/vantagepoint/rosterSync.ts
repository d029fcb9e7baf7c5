/** Reads the roster's current state in pages and applies a plan with bounded concurrency. No Pulumi import. */
import type { VantagepointClient } from "./client";
import { VantagepointError } from "./errors";
import { sameId } from "./identifiers";
import { rereadWithin } from "./unknownOutcome";
import { EMPLOYEE_KEY_SETTING, planDeactivation, planRoster } from "./roster";
import type { NewEmployeeRule, RosterOp, RosterPlan, RosterState } from "./roster";
import type { EmployeeRecord, RosterEntry, RosterPerson, UserRecord } from "./types";

export const EMPLOYEE_FIELDS = ["Employee", "FirstName", "LastName", "EMail", "Status"];
export const USER_FIELDS = ["Username", "Employee", "Status", "Role"];

/**
 * Checks that records have the field types the roster logic relies on (key text, EMail/Status/Employee text or
 * empty). A reply with, say, a numeric EMail is not Vantagepoint's list: stop with a clear error rather than plan
 * writes from it.
 */
export function checkRecords<T extends Record<string, unknown>>(
  client: VantagepointClient,
  path: string,
  records: T[],
  key: string,
  textFields: readonly string[],
): T[] {
  const fail = (hint: string) =>
    new VantagepointError({
      method: "GET",
      path,
      status: 200,
      kind: "malformed",
      hint,
      knownSecrets: client.knownSecrets,
    });
  records.forEach((record, index) => {
    const id = record[key];
    if (typeof id !== "string" || id.trim() === "") {
      throw fail(
        `Record ${index + 1} has ${id === undefined ? "no" : `a ${typeof id}`} ${key} where text was expected; check that connection.paths point at Vantagepoint's hubs.`,
      );
    }
    for (const field of textFields) {
      const value = record[field];
      if (value !== undefined && value !== null && typeof value !== "string") {
        throw fail(
          `${key} ${JSON.stringify(id).slice(0, 40)} has ${field} of type ${Array.isArray(value) ? "list" : typeof value} where text was expected; nothing was written.`,
        );
      }
    }
  });
  return records;
}

/** A hub the server does not have (404/405/501 on its path): the part it serves becomes manual steps. */
export function hubMissing(e: unknown): boolean {
  return e instanceof VantagepointError && (e.status === 404 || e.status === 405 || e.status === 501);
}

/**
 * Reads all employees and users (only the fields the roster needs), one paged list each. The users hub has no
 * public REST source: when the server does not have it, `users` is undefined and the roster still fixes the
 * employees, reporting the user steps as manual ones.
 */
export async function readRosterState(client: VantagepointClient): Promise<RosterState> {
  // allSettled, not all: when one list fails the other must finish before the caller returns, or it keeps
  // sending requests (token refreshes included) after the operation is over.
  const [employeeList, userList] = await Promise.allSettled([
    client.list<EmployeeRecord>(client.paths.employees, { fieldFilter: EMPLOYEE_FIELDS }),
    client.list<UserRecord>(client.paths.users, { fieldFilter: USER_FIELDS }),
  ]);
  if (employeeList.status === "rejected") throw employeeList.reason;
  if (userList.status === "rejected" && !hubMissing(userList.reason)) throw userList.reason;
  const employees = checkRecords(client, client.paths.employees, employeeList.value, "Employee", [
    "EMail",
    "Status",
  ]);
  if (userList.status === "rejected") return { employees };
  return {
    employees,
    users: checkRecords(client, client.paths.users, userList.value, "Username", [
      "Employee",
      "Status",
      "Role",
    ]),
  };
}

/** Shortest pause between two whole-state re-reads of the post-run check (each is a full read of both lists). */
export const RECHECK_MIN_PAUSE_MS = 1_000;

export interface RosterRunResult {
  plan: RosterPlan;
  people: RosterPerson[];
  /** Writes the server accepted. */
  writes: number;
  /** Which part went through the API and which is left as manual steps (plan.manualSteps). */
  hubs: { employees: "api"; users: "api" | "manual" };
}

export interface ApplyOptions {
  /** How new employees are keyed and what they get (roster.newEmployees). */
  newEmployees?: NewEmployeeRule;
  /** People as the last run recorded them (the employees the roster already owns). */
  previous?: readonly RosterPerson[];
  /** Called after each write with the writes done and planned (for a progress display). */
  onProgress?: (done: number, total: number) => void;
  /** Today, for a HireDate default of "today" (tests pin it). */
  now?: () => Date;
}

/** The rule with a HireDate of "today" made a date, as the API writes dates (2020-06-15T00:00:00). */
export function resolveNewEmployeeRule(
  rule: NewEmployeeRule | undefined,
  now: Date,
): NewEmployeeRule | undefined {
  if (!rule?.defaults?.HireDate || rule.defaults.HireDate.toLowerCase() !== "today") return rule;
  const day = now.toISOString().slice(0, 10);
  return { ...rule, defaults: { ...rule.defaults, HireDate: `${day}T00:00:00` } };
}

/** A 400 to a create without a key that says the key is needed: this site does not number employees. */
function keyRefused(e: unknown): boolean {
  if (!(e instanceof VantagepointError) || e.status !== 400) return false;
  return /\bemployee\b[^.]*\b(required|missing|must|empty)|\bkey\b[^.]*\b(required|missing)|required[^.]*\bemployee\b/i.test(
    e.serverMessage ?? "",
  );
}

/** Error for a roster run where some writes failed; the message names each person and the fix. */
export class RosterApplyError extends Error {
  constructor(
    readonly failures: Array<{ userId: string; op: string; message: string }>,
    readonly applied: number,
  ) {
    const shown = failures.slice(0, 10).map((f) => `  - ${f.userId}: ${f.op}: ${f.message}`);
    const more = failures.length > 10 ? [`  ... and ${failures.length - 10} more`] : [];
    super(
      [
        `The roster was not fully applied (${applied} writes done, ${failures.length} failed); run again to finish:`,
        ...shown,
        ...more,
      ].join("\n"),
    );
    this.name = "RosterApplyError";
  }
}

/**
 * The employee a create for `email` made, found by its natural key: the key when the create sent one (and the record
 * there has this email), else the email (for a server-numbered employee the email is the only natural key). Used
 * after a lost reply or an "already exists": undefined unless the record is the one the create would have made.
 */
async function findCreatedEmployee(
  client: VantagepointClient,
  email: string,
  key?: string,
): Promise<EmployeeRecord | undefined> {
  const same = (r: EmployeeRecord | undefined) => (r && sameId(r.EMail, email) ? r : undefined);
  if (key) {
    const r = await client.getOne<EmployeeRecord>(client.paths.employees, key, EMPLOYEE_FIELDS);
    return same(r) && sameId(r!.Employee, key) ? r : undefined;
  }
  const rows = await client.list<EmployeeRecord>(client.paths.employees, {
    fieldFilter: EMPLOYEE_FIELDS,
    filters: [{ name: "EMail", value: email, opp: "eq" }],
  });
  checkRecords(client, client.paths.employees, rows, "Employee", ["EMail", "Status"]);
  return rows.find((r) => same(r));
}

/** The user a create made, found by its user ID, when it links the employee the create sent (or none was sent). */
async function findCreatedUser(
  client: VantagepointClient,
  record: Record<string, string>,
): Promise<UserRecord | undefined> {
  const r = await client.getOne<UserRecord>(client.paths.users, record.Username, USER_FIELDS);
  if (!r || !sameId(r.Username, record.Username)) return undefined;
  return !record.Employee || sameId(r.Employee, record.Employee) ? r : undefined;
}

/**
 * Reads the current state, plans and applies only the differences. Writes employees first, then users.
 * Throws RosterApplyError listing failed people after attempting every write; a re-run converges.
 */
export async function applyRoster(
  client: VantagepointClient,
  entries: readonly RosterEntry[],
  state?: RosterState,
  options: ApplyOptions = {},
): Promise<RosterRunResult> {
  const trouble = () =>
    client.counters.retries + client.counters.tokenGrants + client.counters.unknownOutcomes;
  const troubleBefore = trouble();
  const current = state ?? (await readRosterState(client));
  const newEmployees = resolveNewEmployeeRule(options.newEmployees, (options.now ?? (() => new Date()))());
  const planOptions = { newEmployees, previous: options.previous };
  const plan = planRoster(current, entries, planOptions);
  const hubs = { employees: "api" as const, users: current.users ? ("api" as const) : ("manual" as const) };
  const failures: Array<{ userId: string; op: string; message: string }> = [];
  for (const c of plan.conflicts)
    failures.push({ userId: entries[c.index]?.userId ?? String(c.index), op: "match", message: c.message });
  const createdKeys = new Map<number, string>();
  const failedIndex = new Set<number>();
  let applied = 0;
  const total = plan.employeeOps.length + plan.userOps.length;
  const landedOne = () => {
    applied++; // counted even without a callback (`?.` would skip evaluating its arguments)
    options.onProgress?.(applied, total);
  };

  // A server that needs employee keys refuses a keyless create: the first refusal stops the remaining keyless
  // creates (not sent), and they are reported once, naming the setting to add.
  let keylessRefusal: string | undefined;
  const notSent = new Error("not sent");
  const employeeResults = await client.writeAll(plan.employeeOps, async (op) => {
    if (op.kind === "createEmployee") {
      const keyless = !op.record.Employee;
      if (keyless && keylessRefusal !== undefined) throw notSent;
      const email = op.record.EMail;
      const landed = () => findCreatedEmployee(client, email, op.record.Employee);
      let created: { key?: string };
      try {
        created = await client.createRecord<EmployeeRecord>(
          client.paths.employees,
          op.record,
          "Employee",
          landed,
        );
      } catch (e) {
        if (keyless && keyRefused(e)) keylessRefusal ??= (e as VantagepointError).serverMessage ?? "";
        throw e;
      }
      const key =
        created.key ||
        op.record.Employee ||
        (await rereadWithin(landed, client.readLagMs, (ms) => client.sleep(ms)))?.Employee;
      if (!key) throw new Error("the employee was created but its key could not be read back");
      createdKeys.set(op.index, key);
    } else if (op.kind === "updateEmployee") {
      await client.update(client.paths.employees, op.employee, op.fields);
    }
    landedOne();
  });
  const keyless: string[] = [];
  employeeResults.forEach((r, i) => {
    if (r.ok) return;
    const op = plan.employeeOps[i];
    failedIndex.add(op.index);
    if (op.kind === "createEmployee" && !op.record.Employee && keylessRefusal !== undefined) {
      if (r.error === notSent || keyRefused(r.error)) {
        keyless.push(op.userId);
        return;
      }
    }
    failures.push({ userId: op.userId, op: describe(op), message: client.redact(r.error.message) });
  });
  if (keyless.length) {
    failures.unshift({
      userId:
        keyless.length === 1
          ? keyless[0]
          : `${keyless.length} people (${keyless.slice(0, 3).join(", ")}${keyless.length > 3 ? ", ..." : ""})`,
      op: "create employee",
      message: client.redact(
        `Vantagepoint refused to create an employee without a key (${keylessRefusal || "400"}): this site does not number new employees. Set ${EMPLOYEE_KEY_SETTING} ("sequence" with roster.newEmployees.prefix, or "roster" with an employee key on each row) and run again; the other creates were not sent and nothing is half-done.`,
      ),
    });
  }

  const userOps = plan.userOps.filter((op) => !failedIndex.has(op.index));
  const userResults = await client.writeAll(userOps, async (op) => {
    if (op.kind === "createUser") {
      const record = { ...op.record };
      if (op.employeeFromCreate) record.Employee = createdKeys.get(op.index) ?? record.Employee;
      plan.expected[op.index].employee = record.Employee;
      await client.create<UserRecord>(client.paths.users, record, () => findCreatedUser(client, record));
    } else if (op.kind === "updateUser") {
      const fields = { ...op.fields };
      if (op.employeeFromCreate) fields.Employee = createdKeys.get(op.index) ?? fields.Employee;
      if (fields.Employee !== undefined) plan.expected[op.index].employee = fields.Employee;
      await client.update(client.paths.users, op.username, fields);
    }
    landedOne();
  });
  userResults.forEach((r, i) => {
    if (!r.ok)
      failures.push({
        userId: userOps[i].userId,
        op: describe(userOps[i]),
        message: client.redact(r.error.message),
      });
  });
  for (const [index, key] of createdKeys) plan.expected[index].employee = key;

  if (failures.length) throw new RosterApplyError(failures, applied);
  // A run that needed retries or a new token (a restarted server revokes tokens) may have lost writes the
  // server acknowledged: read back and report what is missing instead of claiming success. A smooth run skips
  // this, so it costs nothing in the common case.
  const troubled = trouble() > troubleBefore + (state ? 0 : 1);
  if (applied === 0 || !troubled) return { plan, people: plan.expected, writes: applied, hubs };

  const recheck = async () =>
    planRoster(await readRosterState(client), entries, { ...planOptions, previous: plan.expected });
  // Reads may lag writes: what this run wrote can be invisible for up to readLagMs. Keep looking within that window
  // before saying the server lost anything.
  const settled = (p: RosterPlan) => p.conflicts.length + p.employeeOps.length + p.userOps.length === 0;
  let check!: RosterPlan;
  await rereadWithin(
    async () => {
      check = await recheck();
      return settled(check) ? check : undefined;
    },
    client.readLagMs,
    (ms) => client.sleep(Math.max(ms, RECHECK_MIN_PAUSE_MS)),
  );
  const pending = [
    ...check.conflicts.map((c) => ({
      userId: entries[c.index]?.userId ?? String(c.index),
      op: "match",
      message: c.message,
    })),
    ...[...check.employeeOps, ...check.userOps].map((op) => ({
      userId: op.userId,
      op: describe(op),
      message:
        "still needed after this run wrote it: the server lost or changed it during the run (restarted, restored or edited)",
    })),
  ];
  if (pending.length) throw new RosterApplyError(pending, applied);
  return { plan, people: check.expected, writes: applied, hubs };
}

const siteLocks = new Map<string, Promise<void>>();

/**
 * Runs `fn` once every earlier `withSiteLock` run for the same site (API root and database) in this process has
 * finished. Two reconciles of one roster at once (the engine runs resources in parallel; two roster resources may
 * name the same person) would otherwise both read "no such employee" and both create one: a duplicate. Inside
 * the lock each run reads the state the previous one left, so the second finds the people and writes nothing.
 */
export async function withSiteLock<T>(site: string, fn: () => Promise<T>): Promise<T> {
  const previous = siteLocks.get(site) ?? Promise.resolve();
  let release!: () => void;
  const mine = previous.then(() => new Promise<void>((resolve) => (release = resolve)));
  siteLocks.set(site, mine);
  await previous;
  try {
    return await fn();
  } finally {
    release();
    if (siteLocks.get(site) === mine) siteLocks.delete(site);
  }
}

/** Sets the given users inactive (never touches employees). Returns the number of writes. */
export async function deactivateUsers(
  client: VantagepointClient,
  userIds: readonly string[],
  users?: UserRecord[],
): Promise<number> {
  if (!userIds.length) return 0;
  const current = users ?? (await client.list<UserRecord>(client.paths.users, { fieldFilter: USER_FIELDS }));
  const ops = planDeactivation(current, userIds);
  const results = await client.writeAll(ops, (op) =>
    client.update(client.paths.users, op.username, op.fields),
  );
  const failed = results
    .map((r, i) =>
      r.ok
        ? undefined
        : { userId: ops[i].username, op: "deactivate user", message: client.redact(r.error.message) },
    )
    .filter((x): x is { userId: string; op: string; message: string } => !!x);
  if (failed.length) throw new RosterApplyError(failed, results.length - failed.length);
  return ops.length;
}

function describe(op: RosterOp): string {
  switch (op.kind) {
    case "createEmployee":
      return "create employee";
    case "updateEmployee":
      return `update employee ${op.employee} (${op.changes.join(", ")})`;
    case "createUser":
      return "create user";
    case "updateUser":
      return `update user (${op.changes.join(", ")})`;
  }
}
