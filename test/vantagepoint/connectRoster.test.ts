import assert from "node:assert/strict";
import { Emulator, FaultSpec, startEmulator } from "../../emulator";
import {
  connectRosterProvider as provider,
  ConnectRosterInputs,
  ConnectRosterOutputs,
} from "../../components/vantagepoint/connectRoster";
import { removalDigest } from "../../lib/vantagepoint";
import type { RosterEntry } from "../../lib/vantagepoint";
import { connectionFor, SENTINEL_CLIENT_SECRET, SENTINEL_PASSWORD, errorOf, useEmulator } from "./helpers";

const people = (n: number, offset = 0): RosterEntry[] =>
  Array.from({ length: n }, (_, i) => ({
    userId: `person${i + offset}@contoso.example`,
    email: `person${i + offset}@contoso.example`,
    firstName: "Person",
    lastName: `Number ${i + offset}`,
  }));

function inputsFor(
  emu: Emulator,
  entries: RosterEntry[],
  extra: Partial<ConnectRosterInputs> = {},
): ConnectRosterInputs {
  return {
    vpconnectResource: "ConnectRoster",
    connection: connectionFor(emu, { pageSize: 50 }),
    entries,
    onDelete: "detach",
    newEmployees: { key: "sequence", prefix: "C" },
    ...extra,
  };
}

function employeesWithEmail(emu: Emulator, email: string) {
  return [...emu.state.employees.values()].filter(
    (e) => String(e.EMail).toLowerCase() === email.toLowerCase(),
  );
}

describe("ConnectRoster on a server whose page cap is below pageSize", () => {
  it("finds people beyond the server's first page instead of creating them again", async () => {
    const emu = await startEmulator({ maxPageSize: 100 });
    try {
      // The last employees in the list: beyond the first page of 100 the server answers.
      const linked = new Set([...emu.state.users.values()].map((u) => String(u.Employee)));
      const existing = [...emu.state.employees.values()]
        .filter(
          (e) =>
            e.Status === "A" &&
            e.EMail &&
            !linked.has(String(e.Employee)) &&
            employeesWithEmail(emu, String(e.EMail)).length === 1,
        )
        .slice(-3);
      assert.equal(existing.length, 3);
      const entries: RosterEntry[] = existing.map((e, i) => ({
        userId: `capped${i}@contoso.example`,
        email: String(e.EMail),
        firstName: String(e.FirstName),
        lastName: String(e.LastName),
      }));
      const before = emu.state.employees.size;
      await provider.create({
        ...inputsFor(emu, entries),
        connection: connectionFor(emu, { pageSize: 500 }),
      });
      assert.equal(emu.state.employees.size, before, "no employee was created twice");
      for (const e of entries) assert.equal(employeesWithEmail(emu, e.email).length, 1);
    } finally {
      await emu.stop();
    }
  });
});

describe("ConnectRoster provider (against the emulator)", () => {
  let emu: Emulator;
  useEmulator(
    {
      credentials: { password: SENTINEL_PASSWORD, clientSecret: SENTINEL_CLIENT_SECRET },
    },
    (started) => (emu = started),
  );

  it("check rejects bad entries with index and field, and bad connections, without secrets", async () => {
    const entries = [
      ...people(2),
      { userId: "PERSON0@contoso.example", email: "x@contoso.example", firstName: "X", lastName: "Y" },
      { userId: "ok", email: "bad", firstName: "A", lastName: "B" },
    ];
    const inputs = inputsFor(emu, entries, { onDelete: "burn" as never });
    inputs.connection = { ...inputs.connection, url: `http://vp.example.com/api?pw=${SENTINEL_PASSWORD}` };
    const r = await provider.check!({} as ConnectRosterInputs, inputs);
    const props = r.failures!.map((f) => f.property);
    assert.deepEqual(props, ["connection.url", "entries[2].userId", "entries[3].email", "onDelete"]);
    assert.ok(!JSON.stringify(r.failures).includes(SENTINEL_PASSWORD));
    const ok = await provider.check!({} as ConnectRosterInputs, {
      ...inputsFor(emu, people(2)),
      onDelete: undefined as never,
    });
    assert.deepEqual(ok.failures, []);
    assert.equal(ok.inputs!.onDelete, "detach");
  });

  it("create makes active, linked people; re-run writes nothing; one changed email is exactly one write", async () => {
    const entries = people(120);
    const created = await provider.create(inputsFor(emu, entries));
    const outs = created.outs as ConnectRosterOutputs;
    assert.equal(outs.people.length, 120);
    for (const p of outs.people) {
      assert.deepEqual([p.employeeStatus, p.userStatus, p.linked], ["A", "A", true]);
      const user = emu.state.users.get(p.userId.toLowerCase())!;
      assert.equal(user.Employee, p.employee);
      assert.equal(emu.state.employees.get(p.employee)!.EMail, p.email);
    }
    assert.equal(outs.lastRun.writes, 240);

    emu.resetCounters();
    const rerun = await provider.update!(created.id, outs, inputsFor(emu, entries));
    assert.equal(emu.counters.writes, 0);
    assert.equal((rerun.outs as ConnectRosterOutputs).lastRun.writes, 0);
    // token + ceil(employees/50) + ceil(users/50), and the empty page that ends each list
    const expectedReads =
      1 + Math.ceil(emu.state.employees.size / 50) + 1 + Math.ceil(emu.state.users.size / 50) + 1;
    assert.equal(emu.counters.requests, expectedReads);

    const changed = entries.map((e, i) => (i === 7 ? { ...e, email: "new.address@contoso.example" } : e));
    const diff = await provider.diff!(
      created.id,
      rerun.outs as ConnectRosterOutputs,
      inputsFor(emu, changed),
    );
    assert.equal(diff.changes, true);
    assert.deepEqual((diff as { detailedDiff?: object }).detailedDiff, {
      "entries[person7@contoso.example]": { kind: "UPDATE", inputDiff: true },
    });
    emu.resetCounters();
    await provider.update!(created.id, rerun.outs as ConnectRosterOutputs, inputsFor(emu, changed));
    assert.equal(emu.counters.writes, 1);
    assert.equal(emu.counters.byRoute["PUT /employee/{key}"], 1);
    assert.equal(employeesWithEmail(emu, "new.address@contoso.example").length, 1);
  });

  it("diff with no change reports no changes", async () => {
    const inputs = inputsFor(emu, people(3));
    const created = await provider.create(inputs);
    const d = await provider.diff!(created.id, created.outs as ConnectRosterOutputs, inputs);
    assert.equal(d.changes, false);
  });

  it("adopts existing employees by email and users by userId, fixing only what differs", async () => {
    const linked = new Set([...emu.state.users.values()].map((u) => String(u.Employee)));
    const emp = [...emu.state.employees.values()].find(
      (e) => e.Status === "I" && e.EMail && !linked.has(String(e.Employee)),
    )!;
    const entries = [
      { userId: "adopted.one", email: String(emp.EMail), firstName: "A", lastName: "B", role: "PM" },
    ];
    emu.resetCounters();
    const created = await provider.create(inputsFor(emu, entries));
    const p = (created.outs as ConnectRosterOutputs).people[0];
    assert.equal(p.employee, emp.Employee);
    assert.equal(emu.state.employees.get(String(emp.Employee))!.Status, "A");
    assert.equal(emu.state.users.get("adopted.one")!.Role, "PM");
    assert.equal(emu.counters.writes, 2); // reactivate employee, create user
    assert.equal(emu.counters.byRoute["POST /employee"], undefined);
  });

  it("read refreshes drift (terminated, email changed, unlinked); the next update repairs it, a terminated record only once named", async () => {
    const entries = people(5);
    const created = await provider.create(inputsFor(emu, entries));
    const outs = created.outs as ConnectRosterOutputs;
    emu.state.employees.get(outs.people[0].employee)!.Status = "T";
    emu.state.employees.get(outs.people[1].employee)!.EMail = "someone.else@contoso.example";
    emu.state.users.get(outs.people[2].userId.toLowerCase())!.Employee = "";
    const read = await provider.read!(created.id, outs);
    const refreshed = read.props as ConnectRosterOutputs;
    assert.equal(refreshed.people[0].employeeStatus, "T");
    assert.equal(refreshed.people[1].email, "someone.else@contoso.example");
    assert.equal(refreshed.people[2].linked, false);
    const d = await provider.diff!(created.id, refreshed, inputsFor(emu, entries));
    assert.deepEqual(Object.keys((d as { detailedDiff: object }).detailedDiff).sort(), [
      "entries[person0@contoso.example]",
      "entries[person1@contoso.example]",
      "entries[person2@contoso.example]",
    ]);
    emu.resetCounters();
    // The rehire rule: a terminated employee is never made active unless the row names it. The others are repaired,
    // person0 is refused once with the one-line fix; with the row naming the record the next run converges.
    const refused = await errorOf(provider.update!(created.id, refreshed, inputsFor(emu, entries)));
    assert.match(
      refused.message,
      new RegExp(`set entries\\[0\\]\\.employee to ${outs.people[0].employee} to bring that record back`),
    );
    assert.equal(emu.counters.writes, 2);
    assert.equal(emu.state.employees.get(outs.people[0].employee)!.Status, "T");
    const named = entries.map((e, i) => (i === 0 ? { ...e, employee: outs.people[0].employee } : e));
    emu.resetCounters();
    await provider.update!(created.id, refreshed, inputsFor(emu, named));
    assert.equal(emu.counters.writes, 1);
    const again = (await provider.read!(created.id, outs)).props as ConnectRosterOutputs;
    assert.ok(again.people.every((p) => p.employeeStatus === "A" && p.userStatus === "A" && p.linked));
  });

  it("delete detaches by default (no requests) and deactivates users only on request, never employees", async () => {
    const entries = people(4);
    const created = await provider.create(inputsFor(emu, entries));
    const outs = created.outs as ConnectRosterOutputs;
    emu.resetCounters();
    await provider.delete!(created.id, outs);
    assert.equal(emu.counters.requests, 0);

    const before = JSON.stringify([...emu.state.employees.values()]);
    // Deleting takes all four off Connect: past the removal brake, so it needs the approval of exactly them.
    const approve = { count: 4, digest: removalDigest(entries.map((e) => e.userId)) };
    await provider.delete!(created.id, { ...outs, onDelete: "deactivateUsers", removalBrake: { approve } });
    assert.equal(JSON.stringify([...emu.state.employees.values()]), before);
    for (const p of outs.people) assert.equal(emu.state.users.get(p.userId.toLowerCase())!.Status, "I");
    assert.equal(emu.counters.byRoute["DELETE /employee/{key}"], undefined);
  });

  it("update with entries removed deactivates them only when onDelete is deactivateUsers", async () => {
    const entries = people(3);
    const created = await provider.create(inputsFor(emu, entries));
    await provider.update!(
      created.id,
      created.outs as ConnectRosterOutputs,
      inputsFor(emu, entries.slice(0, 2)),
    );
    assert.equal(emu.state.users.get(entries[2].userId.toLowerCase())!.Status, "A");
    await provider.update!(
      created.id,
      created.outs as ConnectRosterOutputs,
      inputsFor(emu, entries.slice(0, 2), { onDelete: "deactivateUsers" }),
    );
    assert.equal(emu.state.users.get(entries[2].userId.toLowerCase())!.Status, "I");
    assert.equal(emu.state.users.get(entries[1].userId.toLowerCase())!.Status, "A");
  });

  describe("faults: survived, or a clear error and a re-run converges", () => {
    const faults: Array<[string, FaultSpec]> = [
      [
        "429 with Retry-After",
        { kind: "429", method: "POST", path: "/employee", retryAfter: 1, nth: 3, count: 2 },
      ],
      ["503 on a read", { kind: "503", method: "GET", path: "/user", count: 2 }],
      [
        "503 after a create landed",
        { kind: "503", method: "POST", path: "/employee", nth: 4, afterHandling: true },
      ],
      ["connection reset before a create", { kind: "reset", method: "POST", path: "/user", nth: 2 }],
      [
        "connection reset after a create landed",
        { kind: "reset", method: "POST", path: "/user", nth: 5, afterHandling: true },
      ],
      ["slow reply (timeout, then retry)", { kind: "slow", method: "GET", path: "/employee", delayMs: 2300 }],
      ["token expiry mid-run", { kind: "expireToken", method: "POST", path: "/employee", nth: 6 }],
      ["HTML error page", { kind: "html", method: "POST", path: "/user", nth: 3 }],
      [
        "malformed JSON reply to a write",
        { kind: "malformed", method: "PUT", path: "/employee", afterHandling: true },
      ],
      ["truncated JSON list", { kind: "truncated", method: "GET", path: "/employee" }],
      [
        "restart mid-run (state back to seed, tokens revoked)",
        { kind: "restart", method: "POST", path: "/user", nth: 4 },
      ],
    ];
    for (const [name, spec] of faults) {
      it(name, async () => {
        const entries = people(12);
        // Half the people exist already with an old email, so PUTs happen too.
        await provider.create(
          inputsFor(
            emu,
            entries.slice(0, 6).map((e) => ({ ...e, email: e.email.replace("@", ".old@") })),
          ),
        );
        emu.faults.add(spec);
        let error: Error | undefined;
        try {
          await provider.create(inputsFor(emu, entries));
        } catch (e) {
          error = e as Error;
        }
        if (error) {
          assert.match(error.message, /Vantagepoint|roster was not fully applied/);
          assert.ok(
            !error.message.includes(SENTINEL_PASSWORD) && !error.message.includes(SENTINEL_CLIENT_SECRET),
          );
        }
        emu.faults.clear();
        const rerun = await provider.create(inputsFor(emu, entries));
        emu.resetCounters();
        await provider.update!(rerun.id, rerun.outs as ConnectRosterOutputs, inputsFor(emu, entries));
        assert.equal(emu.counters.writes, 0, "converged");
        for (const e of entries) {
          assert.equal(employeesWithEmail(emu, e.email).length, 1, `one employee for ${e.email}`);
          const u = emu.state.users.get(e.userId.toLowerCase())!;
          assert.equal(emu.state.employees.get(String(u.Employee))!.EMail, e.email);
        }
      });
    }
  });

  describe("secrets never appear in errors", () => {
    it("wrong client secret", async () => {
      const inputs = inputsFor(emu, people(1));
      inputs.connection = { ...inputs.connection, clientSecret: "Wrong-Sentinel-Secret-555" };
      const e = await errorOf(provider.create(inputs));
      assert.match(e.message, /POST \/token failed with 400: invalid_client/);
      assert.ok(!e.message.includes("Wrong-Sentinel-Secret-555"));
      assert.ok(!e.message.includes(SENTINEL_PASSWORD));
    });

    it("a server that echoes credentials and tokens", async () => {
      emu.faults.add({ kind: "echoSecrets", method: "GET", path: "/employee" });
      const e = await errorOf(provider.create(inputsFor(emu, people(1))));
      assert.match(e.message, /GET \/employee/);
      assert.ok(!e.message.includes(SENTINEL_PASSWORD), e.message);
      assert.match(e.message, /token \[REDACTED\]/);
    });

    it("a token endpoint that echoes the password", async () => {
      emu.faults.add({ kind: "echoSecrets", path: "/token" });
      const e = await errorOf(
        provider.read!("x", {
          ...inputsFor(emu, people(1)),
          people: [],
          lastRun: { requests: 0, writes: 0, writeAttempts: 0 },
          hubs: { employees: "api", users: "api" },
          manualSteps: [],
        }),
      );
      assert.ok(!e.message.includes(SENTINEL_PASSWORD), e.message);
      assert.ok(!e.message.includes(SENTINEL_CLIENT_SECRET), e.message);
    });

    it("no request carried credentials it should not have", () => {
      assert.deepEqual(emu.leaks, []);
    });
  });
});
