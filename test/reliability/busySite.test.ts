/**
 * Adversarial: a site of 3,000 employees and ~2,500 users on the emulator's busy profile (pages filled by a byte
 * budget, inserts while paging, reads lagging writes by 1.5 s, replies lost after the write committed). For each way
 * of keying new employees the roster converges within 2 runs, a third run writes nothing, no employee is created
 * twice (employees counted per email before and after), and no record outside the roster changes; doctor's findings
 * equal the truth computed from the emulator's own records, or "could not check" when a list cannot be read.
 */
import "./support/tally";
import assert from "node:assert/strict";
import { connectRosterProvider, rosterInputsFor } from "./support/providers";
import type { ConnectRosterOutputs } from "./support/providers";
import { startEmulator } from "../../emulator";
import type { Emulator } from "../../emulator";
import type { Rec } from "../../emulator/seed";
import { checkConfigurer, checkConnectUsers, indexPeople } from "../../lib/doctor/checks";
import { runDoctorChecks } from "../../lib/doctor/collect";
import type { DoctorFinding } from "../../lib/doctor/model";
import { VantagepointClient } from "../../lib/vantagepoint";
import type { EmployeeRecord, NewEmployeeRule, RosterEntry, UserRecord } from "../../lib/vantagepoint";

const EMPLOYEES = 3000;
const USER_SHARE = 0.83;
// 16 KiB pages: about 140 of the 500 rows asked for, a different count each page.
const BUSY = { readLagMs: 1500, lostReplyEvery: 9, insertsWhilePaging: 3, pageBytes: 16 * 1024 };

const lower = (s: unknown) =>
  String(s ?? "")
    .trim()
    .toLowerCase();

/** Employees per email (trimmed, case-insensitive), empty emails left out. */
function employeesPerEmail(emu: Emulator): Map<string, number> {
  const out = new Map<string, number>();
  for (const e of emu.state.employees.values()) {
    const k = lower(e.EMail);
    if (k) out.set(k, (out.get(k) ?? 0) + 1);
  }
  return out;
}

function snapshot(m: Map<string, Rec>): Map<string, string> {
  return new Map([...m].map(([k, v]) => [k, JSON.stringify(v)]));
}

/**
 * A roster from the seeded site, people taken from the back of the table (a read that stops early misses them):
 * 40 who have an employee and a user, 40 who have an employee and no user, and 40 new people.
 */
function rosterFor(emu: Emulator, keyed: boolean): RosterEntry[] {
  const linked = new Set([...emu.state.users.values()].map((u) => String(u.Employee)));
  const employees = [...emu.state.employees.values()].reverse().filter((e) => e.Status === "A" && e.EMail);
  const withUser = employees.filter((e) => linked.has(String(e.Employee))).slice(0, 40);
  const userOf = new Map([...emu.state.users.values()].map((u) => [String(u.Employee), u]));
  const withoutUser = employees.filter((e) => !linked.has(String(e.Employee))).slice(0, 40);
  return [
    ...withUser.map((e) => ({
      userId: String(userOf.get(String(e.Employee))!.Username),
      email: String(e.EMail),
      firstName: String(e.FirstName),
      lastName: String(e.LastName),
    })),
    ...withoutUser.map((e, i) => ({
      userId: `adopted.${i}@contoso.example`,
      email: String(e.EMail),
      firstName: String(e.FirstName),
      lastName: String(e.LastName),
    })),
    ...Array.from({ length: 40 }, (_, i) => ({
      userId: `new.person${i}@contoso.example`,
      email: `new.person${i}@contoso.example`,
      firstName: "New",
      lastName: `Person ${i}`,
      ...(keyed ? { employee: `N${String(i).padStart(4, "0")}` } : {}),
    })),
  ];
}

const sortFindings = (f: readonly DoctorFinding[]) =>
  f.map((x) => `${x.kind} ${x.location} ${x.message}`).sort();

describe("busy site: up to 3,000 employees and 2,500 users, pages by size, inserts while paging, lagging reads, lost replies", function () {
  this.timeout(180_000);
  let restore: string | undefined;
  before(() => {
    restore = process.env.VPCONNECT_RETRY_BASE_MS;
    process.env.VPCONNECT_RETRY_BASE_MS = "1";
  });
  after(() => {
    if (restore === undefined) delete process.env.VPCONNECT_RETRY_BASE_MS;
    else process.env.VPCONNECT_RETRY_BASE_MS = restore;
  });

  // The whole site for the mode that created duplicates before (sequence); a smaller one for the others (CI time).
  const modes: Array<{
    name: string;
    rule: NewEmployeeRule;
    keyed: boolean;
    serverKeys?: boolean;
    employees: number;
  }> = [
    {
      name: "newEmployees.key: sequence",
      rule: { key: "sequence", prefix: "C" },
      keyed: false,
      employees: EMPLOYEES,
    },
    {
      name: "keyed creates (roster.newEmployees.key: roster)",
      rule: { key: "roster" },
      keyed: true,
      employees: 1200,
    },
    {
      name: "newEmployees.key: server",
      rule: { key: "server" },
      keyed: false,
      serverKeys: true,
      employees: 1200,
    },
  ];
  for (const mode of modes) {
    it(`roster with ${mode.name}: converged within 2 runs, then 0 writes, 0 duplicates, nothing else changed; doctor = truth`, async () => {
      const emu = await startEmulator({
        profile: "busy",
        busy: BUSY,
        seed: { employees: mode.employees, userShare: USER_SHARE },
        ...(mode.serverKeys ? { employeeKeys: "server" as const } : {}),
      });
      try {
        assert.ok(emu.state.users.size >= mode.employees * 0.8, `users ${emu.state.users.size}`);
        const entries = rosterFor(emu, mode.keyed);
        const inputs = {
          ...rosterInputsFor({ ...emu.connection(), pageSize: 500 }, entries),
          newEmployees: mode.rule,
        };
        const employeesBefore = snapshot(emu.state.employees);
        const usersBefore = snapshot(emu.state.users);
        const perEmailBefore = employeesPerEmail(emu);

        // Run 1 may stop people whose reply was lost (never "the server lost it"); run 2 finishes; run 3 writes 0.
        let outs: ConnectRosterOutputs | undefined;
        let runs = 0;
        for (; runs < 2 && !outs; runs++) {
          try {
            outs = (await connectRosterProvider.create(inputs)).outs as ConnectRosterOutputs;
          } catch (e) {
            const message = (e as Error).message;
            assert.doesNotMatch(message, /lost or changed it/, message);
            for (const line of message
              .split("\n")
              .slice(1)
              .filter((l) => /^\s+- /.test(l)))
              assert.match(line, /reply was lost|\.\.\. and \d+ more/, line);
          }
        }
        assert.ok(outs, "converged within 2 runs");
        // the run says how many records each list read: every employee at least (more if someone hired meanwhile)
        const listed = outs.lastRun.listed ?? {};
        assert.ok((listed["/employee"] ?? 0) >= mode.employees, JSON.stringify(listed));
        // reads lag writes: let them catch up before the check run, as a re-run a minute later would
        await new Promise((r) => setTimeout(r, BUSY.readLagMs + 100));
        emu.resetCounters();
        const third = await connectRosterProvider.update!("roster", outs, inputs);
        assert.equal(emu.counters.writes, 0, "last run writes nothing");
        assert.equal((third.outs as ConnectRosterOutputs).lastRun.writes, 0);

        // 0 duplicate employees: every roster email is on exactly one employee, and no other email gained one.
        const perEmailAfter = employeesPerEmail(emu);
        for (const e of entries)
          assert.equal(perEmailAfter.get(lower(e.email)), 1, `employees with ${e.email}`);
        for (const [email, n] of perEmailAfter)
          assert.ok(n <= Math.max(1, perEmailBefore.get(email) ?? 0), `${email} is on ${n} employees`);

        // 0 records outside the roster changed (records someone else inserted while paging are not ours to judge).
        const ownedEmployees = new Set(outs.people.map((p) => p.employee));
        const ownedUsers = new Set(entries.map((e) => lower(e.userId)));
        for (const [key, was] of employeesBefore)
          if (!ownedEmployees.has(key))
            assert.equal(JSON.stringify(emu.state.employees.get(key)), was, `employee ${key} changed`);
        for (const [key, was] of usersBefore)
          if (!ownedUsers.has(key))
            assert.equal(JSON.stringify(emu.state.users.get(key)), was, `user ${key} changed`);

        // doctor: the roster's people plus 30 seeded users from the back of the table, whatever their state.
        const extra = [...emu.state.users.values()]
          .reverse()
          .filter((u) => !ownedUsers.has(lower(u.Username)))
          .slice(0, 30)
          .map((u) => ({ userId: String(u.Username) }));
        const people = [...entries.map((e) => ({ userId: e.userId })), ...extra];
        const configurer = { userId: entries[0].userId };
        const client = new VantagepointClient({ ...emu.connection(), pageSize: 500 });
        let checks;
        try {
          checks = await runDoctorChecks(client, {
            adminRole: "ADMIN",
            requireAdministratorType: true,
            configurer,
            roster: people,
            apiUser: emu.credentials.username,
            connectClientName: "Vantagepoint Connect",
          });
        } finally {
          client.close();
        }
        const truthIndex = indexPeople(
          [...emu.state.users.values()] as UserRecord[],
          [...emu.state.employees.values()] as EmployeeRecord[],
        );
        const truthP4 = checkConfigurer({ index: truthIndex }, configurer);
        const truthP5 = checkConnectUsers(
          { index: truthIndex },
          { roster: people, apiUser: emu.credentials.username, configurer },
        );
        const p4 = checks.find((c) => c.id === "P4")!;
        const p5 = checks.find((c) => c.id === "P5")!;
        assert.deepEqual(sortFindings(p4.findings), sortFindings(truthP4.findings));
        assert.deepEqual(sortFindings(p5.findings), sortFindings(truthP5.findings));
        assert.ok(truthP5.findings.length > 0, "the truth has findings to compare (the extra users)");
      } finally {
        await emu.stop();
      }
    });
  }

  it("a list that cannot be read to its end: the roster writes nothing, doctor says could-not-check with no findings", async () => {
    const emu = await startEmulator({
      profile: "busy",
      busy: { ...BUSY, lostReplyEvery: 0 },
      seed: { employees: 600, userShare: USER_SHARE },
    });
    try {
      // The fifth page of employees and every one after it fails (503), past every retry.
      emu.faults.add({ kind: "503", method: "GET", path: "/employee", nth: 5, count: Infinity });
      const entries = rosterFor(emu, false);
      const inputs = rosterInputsFor({ ...emu.connection(), pageSize: 500 }, entries);
      await assert.rejects(connectRosterProvider.create(inputs), /503/);
      assert.equal(emu.counters.writes, 0, "nothing written from part of a list");
      const client = new VantagepointClient(
        { ...emu.connection(), pageSize: 500 },
        { sleep: async () => undefined },
      );
      try {
        const checks = await runDoctorChecks(client, {
          adminRole: "ADMIN",
          requireAdministratorType: true,
          configurer: { userId: entries[0].userId },
          roster: entries.map((e) => ({ userId: e.userId })),
          apiUser: emu.credentials.username,
          connectClientName: "Vantagepoint Connect",
        });
        for (const id of ["P4", "P5"]) {
          const c = checks.find((x) => x.id === id)!;
          assert.equal(c.status, "could-not-check", id);
          assert.deepEqual(c.findings, [], id);
        }
      } finally {
        client.close();
      }
    } finally {
      await emu.stop();
    }
  });
});
