/**
 * The rehire rule (lib/vantagepoint/roster.ts, terminated()): a terminated employee is never made active unless
 * the roster row names it, whether it is found by the user's link or by email. A user still linked to a terminated
 * employee, with an active employee of the same email and name that is nobody else's, is relinked to it (said in
 * the run's notes); otherwise that person is refused once with the one-line fix, after which the run converges.
 */
import assert from "node:assert/strict";
import { Emulator } from "../../emulator";
import {
  connectRosterProvider as provider,
  ConnectRosterInputs,
  ConnectRosterOutputs,
} from "../../components/vantagepoint/connectRoster";
import { planRoster } from "../../lib/vantagepoint";
import type { EmployeeRecord, RosterEntry, UserRecord } from "../../lib/vantagepoint";
import { connectionFor, errorOf, useEmulator } from "./helpers";

const rita: RosterEntry = {
  userId: "rita.rehire@contoso.example",
  email: "rita.rehire@contoso.example",
  firstName: "Rita",
  lastName: "Rehire",
};
const old: EmployeeRecord = {
  Employee: "R0001",
  FirstName: "Rita",
  LastName: "Rehire",
  EMail: "rita.rehire@contoso.example",
  Status: "T",
};
const rehired: EmployeeRecord = { ...old, Employee: "R0002", Status: "A" };
const user: UserRecord = { Username: "rita.rehire@contoso.example", Employee: "R0001", Status: "A" };

describe("the rehire rule in the planner", () => {
  it("a user linked to a terminated employee is relinked to the active one with the same email and name", () => {
    const plan = planRoster({ employees: [old, rehired], users: [user] }, [rita]);
    assert.deepEqual(plan.conflicts, []);
    assert.deepEqual(plan.employeeOps, [], "the terminated record is left as it is");
    assert.deepEqual(
      plan.userOps.map((o) => (o.kind === "updateUser" ? [o.username, o.fields] : o.kind)),
      [["rita.rehire@contoso.example", { Employee: "R0002" }]],
    );
    assert.deepEqual(plan.notes, [
      "entries[0] (rita.rehire@contoso.example): user rita.rehire@contoso.example was linked to employee R0001 (Rita Rehire, rita.rehire@contoso.example, terminated); relinked to active employee R0002 with the same email and name (a rehire). The terminated record is left as it is.",
    ]);
  });

  it("an active record with the email but another name is not taken for the rehire: refused with the fix", () => {
    const plan = planRoster({ employees: [old, { ...rehired, FirstName: "Rosa" }], users: [user] }, [rita]);
    assert.equal(plan.employeeOps.length + plan.userOps.length, 0);
    assert.equal(plan.conflicts.length, 1);
    assert.match(
      plan.conflicts[0]!.message,
      /never makes a terminated record active unless the row names it\. Fix: set entries\[0\]\.employee to R0001 to bring that record back/,
    );
  });

  it("an active record linked to another user is not taken either", () => {
    const plan = planRoster(
      {
        employees: [old, rehired],
        users: [user, { Username: "someone.else", Employee: "R0002", Status: "A" }],
      },
      [rita],
    );
    assert.equal(plan.conflicts.length, 1);
    assert.equal(plan.employeeOps.length + plan.userOps.length, 0);
  });

  it("a terminated record linked and alone is never reactivated silently; named by the row, it is, and said so", () => {
    const refused = planRoster({ employees: [old], users: [user] }, [rita]);
    assert.deepEqual(refused.employeeOps, []);
    assert.equal(refused.conflicts.length, 1);
    const named = planRoster({ employees: [old], users: [user] }, [{ ...rita, employee: "R0001" }]);
    assert.deepEqual(named.conflicts, []);
    assert.deepEqual(
      named.employeeOps.map((o) => (o.kind === "updateEmployee" ? o.fields : o.kind)),
      [{ Status: "A" }],
    );
    assert.match(named.notes.join(" "), /names employee R0001 .*: it is made active, as the row asks/);
  });

  it("found by email only, a terminated record is refused the same way, even if the last run recorded it", () => {
    const plan = planRoster({ employees: [old], users: [] }, [rita], {
      previous: [
        {
          userId: rita.userId,
          employee: "R0001",
          email: rita.email,
          employeeStatus: "A",
          userStatus: "A",
          linked: true,
        },
      ],
    });
    assert.deepEqual(plan.employeeOps, []);
    assert.equal(plan.conflicts.length, 1);
    assert.match(plan.conflicts[0]!.message, /set entries\[0\]\.employee to R0001/);
  });
});

describe("the rehire rule against the emulator", () => {
  let emu: Emulator;
  useEmulator({}, (started) => (emu = started));

  function inputs(entries: RosterEntry[]): ConnectRosterInputs {
    return {
      vpconnectResource: "ConnectRoster",
      connection: connectionFor(emu, { pageSize: 50 }),
      entries,
      onDelete: "detach",
      newEmployees: { key: "sequence", prefix: "C" },
    };
  }

  function arrange(withRehire: boolean): void {
    emu.state.employees.set("R0001", { ...old });
    if (withRehire) emu.state.employees.set("R0002", { ...rehired });
    emu.state.users.set("rita.rehire@contoso.example", {
      ...user,
      DisplayUsername: "Rita",
      Role: "DEFAULT",
    });
  }

  function employeesWithEmail(email: string): number {
    return [...emu.state.employees.values()].filter((e) => String(e.EMail).toLowerCase() === email).length;
  }

  function records(): Map<string, string> {
    const out = new Map<string, string>();
    for (const hub of ["employees", "users", "roles", "apiAuthorizations"] as const)
      for (const [k, v] of emu.state[hub]) out.set(`${hub}/${k}`, JSON.stringify(v));
    return out;
  }

  it("rehire: relinked in run 1 (said in notes), run 2 writes 0; only her user changed, no employee created", async () => {
    arrange(true);
    const before = records();
    const emails = employeesWithEmail(rita.email);
    emu.resetCounters();
    const created = await provider.create(inputs([rita]));
    const outs = created.outs as ConnectRosterOutputs;
    assert.equal(emu.counters.writes, 1);
    assert.match(outs.notes!.join(" "), /relinked to active employee R0002/);
    assert.equal(emu.state.users.get("rita.rehire@contoso.example")!.Employee, "R0002");
    assert.equal(emu.state.employees.get("R0001")!.Status, "T", "the terminated record stays terminated");
    emu.resetCounters();
    await provider.update!(created.id, outs, inputs([rita]));
    assert.equal(emu.counters.writes, 0, "the second run writes 0");
    const after = records();
    const changed = [...after.keys()].filter((k) => before.get(k) !== after.get(k));
    assert.deepEqual(changed, ["users/rita.rehire@contoso.example"]);
    assert.equal(employeesWithEmail(rita.email), emails, "no duplicate employee");
  });

  it("no rehire record: refused once with the one-line fix (nothing written for her), then converges", async () => {
    arrange(false);
    emu.resetCounters();
    const refused = await errorOf(provider.create(inputs([rita])));
    assert.match(refused.message, /set entries\[0\]\.employee to R0001 to bring that record back/);
    assert.equal(emu.counters.writes, 0);
    assert.equal(emu.state.employees.get("R0001")!.Status, "T", "never reactivated silently");
    const fixed = [{ ...rita, employee: "R0001" }];
    emu.resetCounters();
    const created = await provider.create(inputs(fixed));
    assert.equal(emu.counters.writes, 1);
    assert.equal(emu.state.employees.get("R0001")!.Status, "A");
    emu.resetCounters();
    await provider.update!(created.id, created.outs as ConnectRosterOutputs, inputs(fixed));
    assert.equal(emu.counters.writes, 0);
  });
});
