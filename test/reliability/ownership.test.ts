/**
 * Destroy and ownership: the full lifecycle of the three dynamic resources against the emulator (create, update,
 * refresh after out-of-band edits, import of existing records, delete) touches only what it owns. Employees are
 * never deleted or terminated; API Authorizations other than the Connect one stay byte-identical; the Connect one
 * survives delete; every record outside the roster, the admin role and the Connect authorization is unchanged.
 */
import "./support/tally";
import assert from "node:assert/strict";
import {
  apiInputsFor,
  connectAdminRoleProvider,
  connectApiClientProvider,
  connectRosterProvider,
  roleInputsFor,
  rosterInputsFor,
} from "./support/providers";
import type {
  ConnectAdminRoleOutputs,
  ConnectApiClientOutputs,
  ConnectRosterOutputs,
} from "./support/providers";
import { CONNECT_API_NAME, CONNECT_CLIENT_ID, startEmulator } from "../../emulator";
import type { Emulator } from "../../emulator";
import type { Rec } from "../../emulator/seed";
import { idKey } from "../../lib/vantagepoint";
import type { RosterEntry } from "../../lib/vantagepoint";
import { tally } from "./support/tally";

type Snapshot = Record<"employees" | "users" | "roles" | "apiAuthorizations", Map<string, string>>;

function snapshot(emu: Emulator): Snapshot {
  const of = (m: Map<string, Rec>) => new Map([...m].map(([k, v]) => [k, JSON.stringify(v)]));
  return {
    employees: of(emu.state.employees),
    users: of(emu.state.users),
    roles: of(emu.state.roles),
    apiAuthorizations: of(emu.state.apiAuthorizations),
  };
}

describe("ownership: the lifecycle touches only what it owns", function () {
  this.timeout(60_000);
  let emu: Emulator;
  let restoreEnv: Record<string, string | undefined>;

  before(async () => {
    restoreEnv = { VPCONNECT_RETRY_BASE_MS: process.env.VPCONNECT_RETRY_BASE_MS };
    process.env.VPCONNECT_RETRY_BASE_MS = "1";
    emu = await startEmulator({ seed: { employees: 120 } });
  });
  after(async () => {
    await emu.stop();
    if (restoreEnv.VPCONNECT_RETRY_BASE_MS === undefined) delete process.env.VPCONNECT_RETRY_BASE_MS;
    else process.env.VPCONNECT_RETRY_BASE_MS = restoreEnv.VPCONNECT_RETRY_BASE_MS;
  });

  for (const onDelete of ["detach", "deactivateUsers"] as const) {
    it(`create, update, refresh after out-of-band edits, import and delete (onDelete: ${onDelete})`, async () => {
      emu.reset();
      emu.seedBroken(["roleWithoutConnectAdmin"]);
      const connection = { ...emu.connection(), pageSize: 50 };

      // People: two new, one adopting an existing inactive employee by email, one adopting an existing user.
      const linkedKeys = new Set([...emu.state.users.values()].map((u) => String(u.Employee)));
      const inactive = [...emu.state.employees.values()].find(
        (e) => e.Status === "I" && e.EMail && !linkedKeys.has(String(e.Employee)),
      )!;
      const existingUser = [...emu.state.users.values()].find(
        (u) => u.Employee && u.Status === "A" && u.Role === "DEFAULT",
      )!;
      const existingEmployee = emu.state.employees.get(String(existingUser.Employee))!;
      const people: RosterEntry[] = [
        {
          userId: "new.one@contoso.example",
          email: "new.one@contoso.example",
          firstName: "New",
          lastName: "One",
          role: "ADMIN",
          configurer: true,
        },
        {
          userId: "new.two@contoso.example",
          email: "new.two@contoso.example",
          firstName: "New",
          lastName: "Two",
        },
        {
          userId: "ADOPTED.INACTIVE",
          email: String(inactive.EMail),
          firstName: String(inactive.FirstName),
          lastName: String(inactive.LastName),
        },
        {
          userId: String(existingUser.Username),
          email: String(existingEmployee.EMail || "adopted.user@contoso.example"),
          firstName: "A",
          lastName: "U",
        },
      ];
      const before = snapshot(emu);
      const authorizationIdsBefore = [...emu.state.apiAuthorizations.keys()].sort();
      const othersBefore = emu.snapshotApiAuthorizations(CONNECT_API_NAME);

      const rosterInputs = (entries: RosterEntry[]) => rosterInputsFor(connection, entries, onDelete);
      const roleInputs = roleInputsFor(connection);
      const apiInputs = apiInputsFor(connection);

      // Employees are never terminated or deleted by the project: checked after every step.
      const terminatedOutOfBand = new Set<string>();
      const assertNoEmployeeEnded = (step: string) => {
        for (const [key] of before.employees)
          assert.ok(emu.state.employees.has(key), `${step}: employee ${key} deleted`);
        for (const [key, e] of emu.state.employees) {
          const was = before.employees.has(key)
            ? (JSON.parse(before.employees.get(key)!) as Rec).Status
            : "A";
          if (e.Status !== was && e.Status !== "A" && !terminatedOutOfBand.has(key))
            assert.fail(`${step}: employee ${key} set to ${e.Status}`);
        }
        assert.equal(
          emu.counters.byRoute["DELETE /employee/{key}"],
          undefined,
          `${step}: an employee DELETE was sent`,
        );
      };

      // 1. create
      const roster = await connectRosterProvider.create(rosterInputs(people));
      const role = await connectAdminRoleProvider.create(roleInputs);
      const api = await connectApiClientProvider.create(apiInputs);
      assertNoEmployeeEnded("create");
      assert.equal(api.id, CONNECT_CLIENT_ID);
      const created = roster.outs as ConnectRosterOutputs;
      assert.ok(created.people.every((p) => p.employeeStatus === "A" && p.userStatus === "A" && p.linked));
      assert.equal(
        created.people[2]!.employee,
        inactive.Employee,
        "the inactive employee was adopted, not duplicated",
      );

      // 2. update: one email changes, one person leaves, one joins.
      const updatedPeople = [
        people[0]!,
        { ...people[1]!, email: "new.two.renamed@contoso.example" },
        people[3]!,
        {
          userId: "new.three@contoso.example",
          email: "new.three@contoso.example",
          firstName: "New",
          lastName: "Three",
        },
      ];
      const updated = (await connectRosterProvider.update!(roster.id, created, rosterInputs(updatedPeople)))
        .outs as ConnectRosterOutputs;
      assertNoEmployeeEnded("update");
      const leaver = emu.state.users.get("adopted.inactive")!;
      assert.equal(
        leaver.Status,
        onDelete === "deactivateUsers" ? "I" : "A",
        "a removed person's user is deactivated only when asked",
      );

      // 3. out-of-band edits, then refresh (read) shows them.
      const victim = updated.people[0]!;
      emu.state.employees.get(victim.employee)!.Status = "T";
      terminatedOutOfBand.add(victim.employee);
      emu.state.employees.get(updated.people[1]!.employee)!.EMail = "changed.by.hr@contoso.example";
      emu.state.users.get(updated.people[3]!.userId.toLowerCase())!.Employee = "";
      emu.seedBroken(["connectApiAuthEdited", "roleWithoutConnectAdmin"]);
      const connectEdited = JSON.stringify(emu.state.apiAuthorizations.get(CONNECT_CLIENT_ID));

      const rosterRead = (await connectRosterProvider.read!(roster.id, updated))
        .props as ConnectRosterOutputs;
      assert.deepEqual(
        rosterRead.people.map((p) => [
          p.employeeStatus,
          p.email === updatedPeople[rosterRead.people.indexOf(p)]!.email,
          p.linked,
        ]),
        [
          ["T", true, true],
          ["A", false, true],
          ["A", true, true],
          ["A", true, false],
        ],
      );
      const apiRead = (await connectApiClientProvider.read!(api.id, api.outs as ConnectApiClientOutputs))
        .props as ConnectApiClientOutputs;
      assert.deepEqual([apiRead.drifted, apiRead.missing], [true, false]);
      const roleRead = (await connectAdminRoleProvider.read!(role.id, role.outs as ConnectAdminRoleOutputs))
        .props as ConnectAdminRoleOutputs;
      assert.deepEqual([roleRead.connectAdministration, roleRead.roleType], [false, "Accounting,CRM"]);
      assertNoEmployeeEnded("refresh");

      // The next update repairs the roster and the role, and never writes the Connect authorization back. A
      // terminated employee is never made active unless the row names it (the rehire rule): that one person is
      // refused once with the one-line fix, and the run with the row naming it converges.
      await assert.rejects(
        connectRosterProvider.update!(roster.id, rosterRead, rosterInputs(updatedPeople)),
        new RegExp(`set entries\\[0\\]\\.employee to ${victim.employee} to bring that record back`),
      );
      assert.equal(emu.state.employees.get(victim.employee)!.Status, "T", "not made active silently");
      const named = updatedPeople.map((p, i) => (i === 0 ? { ...p, employee: victim.employee } : p));
      const repaired = (await connectRosterProvider.update!(roster.id, rosterRead, rosterInputs(named)))
        .outs as ConnectRosterOutputs;
      assert.match(repaired.notes!.join(" "), new RegExp(`names employee ${victim.employee} .*made active`));
      await connectAdminRoleProvider.update!(role.id, roleRead, roleInputs);
      await connectApiClientProvider.update!(api.id, apiRead, apiInputs);
      assert.equal(
        JSON.stringify(emu.state.apiAuthorizations.get(CONNECT_CLIENT_ID)),
        connectEdited,
        "the Connect record is adopted, never edited",
      );
      assertNoEmployeeEnded("repair");

      // 4. import: read with an id and only the inputs (no state yet).
      const imported = (
        await connectRosterProvider.read!("connect-roster-import", {
          ...rosterInputs(updatedPeople),
        } as ConnectRosterOutputs)
      ).props as ConnectRosterOutputs;
      assert.ok(
        imported.people.every((p) => p.employeeStatus === "A" && p.userStatus === "A" && p.linked),
        "imported roster is as declared",
      );
      const importedApi = (
        await connectApiClientProvider.read!(CONNECT_CLIENT_ID, { ...apiInputs } as ConnectApiClientOutputs)
      ).props as ConnectApiClientOutputs;
      assert.deepEqual(
        [importedApi.clientId, importedApi.drifted, importedApi.missing],
        [CONNECT_CLIENT_ID, false, false],
      );
      const diff = await connectApiClientProvider.diff!(CONNECT_CLIENT_ID, importedApi, apiInputs);
      assert.equal(diff.changes, false, "an import needs no follow-up update");
      await assert.rejects(
        connectApiClientProvider.read!("not-the-connect-client-id", {
          ...apiInputs,
        } as ConnectApiClientOutputs),
        /has Client ID c0nnect0-.*, not not-the-connect-client-id; import it with that id/,
      );
      const importedRole = (
        await connectAdminRoleProvider.read!("role-import", { ...roleInputs } as ConnectAdminRoleOutputs)
      ).props as ConnectAdminRoleOutputs;
      assert.deepEqual(
        [importedRole.connectAdministration, importedRole.roleTypes],
        [true, ["Accounting", "CRM", "Administrator"]],
      );

      // 5. delete all three.
      const beforeDelete = snapshot(emu);
      emu.resetCounters();
      await connectApiClientProvider.delete!(api.id, importedApi);
      await connectAdminRoleProvider.delete!(role.id, importedRole);
      assert.equal(emu.counters.requests, 0, "deleting the API client and the role sends nothing");
      // Deleting takes everyone off Connect: a deliberate delete raises the removal brake's limit.
      await connectRosterProvider.delete!(roster.id, {
        ...imported,
        onDelete,
        removalBrake: { maxRemovalPercent: 100 },
      });
      if (onDelete === "detach") assert.equal(emu.counters.requests, 0, "detach sends nothing");
      assertNoEmployeeEnded("delete");
      assert.deepEqual(
        [...snapshot(emu).employees],
        [...beforeDelete.employees],
        "delete never touches an employee",
      );
      for (const p of updatedPeople) {
        const user = emu.state.users.get(p.userId.toLowerCase())!;
        assert.equal(user.Status, onDelete === "deactivateUsers" ? "I" : "A", `${p.userId} after delete`);
      }

      // The Connect authorization survives, the others are byte-identical, and nothing unrelated changed.
      assert.ok(
        emu.state.apiAuthorizations.has(CONNECT_CLIENT_ID),
        "the Connect API authorization survives delete",
      );
      assert.equal(emu.snapshotApiAuthorizations(CONNECT_API_NAME), othersBefore);
      assert.deepEqual(
        [...emu.state.apiAuthorizations.keys()].sort(),
        authorizationIdsBefore,
        "no API authorization added or removed",
      );

      const ownedEmployees = new Set(
        [...created.people, ...updated.people, ...imported.people].map((p) => p.employee),
      );
      const ownedUsers = new Set([...people, ...updatedPeople].map((p) => p.userId.toLowerCase()));
      const after = snapshot(emu);
      let compared = 0;
      const changed: string[] = [];
      const compare = (kind: keyof Snapshot, owned: (key: string) => boolean) => {
        for (const [key, was] of before[kind]) {
          if (owned(key)) continue;
          compared++;
          if (after[kind].get(key) !== was) changed.push(`${kind} ${key}`);
        }
      };
      compare("employees", (k) => ownedEmployees.has(k));
      compare("users", (k) => ownedUsers.has(k));
      compare("roles", (k) => k === "admin");
      compare("apiAuthorizations", (k) => k === CONNECT_CLIENT_ID);
      tally.ownership.runs++;
      tally.ownership.compared += compared;
      tally.ownership.changed += changed.length;
      assert.ok(compared > 200, `only ${compared} records compared`);
      assert.deepEqual(
        changed,
        [],
        "records outside the roster, the admin role and the Connect authorization changed",
      );
      assert.deepEqual(emu.leaks, []);
    });
  }
});

/** One person of the adversarial roster, and the record(s) set up to trap the roster. */
interface Trap {
  name: string;
  entry: RosterEntry;
  /** Set up the state; returns the employee keys that belong to someone else (must never change). */
  arrange(emu: Emulator): void;
  /** After the runs: what must hold for this person. */
  expect: "linked" | "conflict";
  /** A conflict's message must name these (both records and the fix). */
  names?: RegExp;
}

const emp = (key: string, first: string, last: string, email: string, status = "A"): Rec => ({
  Employee: key,
  FirstName: first,
  LastName: last,
  EMail: email,
  Status: status,
  Org: "01:NY:ENG",
  EmployeeCompany: "01",
  HomeCompany: "01",
  Type: "E",
});
const user = (name: string, employee: string, status = "A"): Rec => ({
  Username: name,
  DisplayUsername: name,
  Employee: employee,
  Status: status,
  Role: "DEFAULT",
});
const put = (emu: Emulator, e: Rec) => emu.state.employees.set(String(e.Employee), e);
const putUser = (emu: Emulator, u: Rec) => emu.state.users.set(String(u.Username).toLowerCase(), u);
const person = (userId: string, email: string, firstName: string, lastName: string): RosterEntry => ({
  userId,
  email,
  firstName,
  lastName,
});

const TRAPS: Trap[] = [
  {
    name: "crossed links: two roster users each linked to the other's employee",
    entry: person("CROSS.A", "cross.a@contoso.example", "Cara", "Cross"),
    arrange: (emu) => {
      put(emu, emp("X0001", "Cara", "Cross", "cross.a@contoso.example"));
      put(emu, emp("X0002", "Ben", "Cross", "cross.b@contoso.example"));
      putUser(emu, user("CROSS.A", "X0002"));
      putUser(emu, user("CROSS.B", "X0001"));
    },
    expect: "linked",
  },
  {
    name: "crossed links (the other half)",
    entry: person("CROSS.B", "cross.b@contoso.example", "Ben", "Cross"),
    arrange: () => undefined,
    expect: "linked",
  },
  {
    name: "shared email: the only employee with it belongs to a user outside the roster",
    entry: person("SHARE.ME", "shared@contoso.example", "Sam", "Share"),
    arrange: (emu) => {
      put(emu, emp("X0010", "Sam", "Share", "shared@contoso.example"));
      putUser(emu, user("OUTSIDER.ONE", "X0010"));
    },
    expect: "conflict",
    names: /X0010.*OUTSIDER\.ONE/,
  },
  {
    name: "one employee linked to two users (one outside the roster), and inactive",
    entry: person("TWO.USERS", "two.users@contoso.example", "Tia", "Two"),
    arrange: (emu) => {
      put(emu, emp("X0020", "Tia", "Two", "two.users@contoso.example", "I"));
      putUser(emu, user("TWO.USERS", "X0020"));
      putUser(emu, user("OUTSIDER.TWO", "X0020"));
    },
    expect: "conflict",
    names: /X0020.*OUTSIDER\.TWO/,
  },
  {
    name: "case-only email difference on an unlinked employee",
    entry: person("CASE.ONLY", "case.only@contoso.example", "Cas", "Only"),
    arrange: (emu) => put(emu, emp("X0030", "Cas", "Only", "Case.Only@Contoso.example")),
    expect: "linked",
  },
  {
    name: "case-only duplicates: two active employees whose emails differ in case only",
    entry: person("CASE.TWICE", "case.twice@contoso.example", "Cy", "Twice"),
    arrange: (emu) => {
      put(emu, emp("X0031", "Cy", "Twice", "case.twice@contoso.example"));
      put(emu, emp("X0032", "Cy", "Twice", "CASE.TWICE@contoso.example"));
    },
    expect: "conflict",
    names: /X0031, X0032.*set entries\[\d+\]\.employee/,
  },
  {
    name: "terminated record with the email, linked to nobody",
    entry: person("TERM.BACK", "term.back@contoso.example", "Tom", "Back"),
    arrange: (emu) => put(emu, emp("X0040", "Tom", "Back", "term.back@contoso.example", "T")),
    expect: "conflict",
    names: /X0040.*terminated.*set entries\[\d+\]\.employee to X0040/,
  },
  {
    name: "inactive record with the email, linked to nobody (adopted and made active)",
    entry: person("INACT.BACK", "inact.back@contoso.example", "Ina", "Back"),
    arrange: (emu) => put(emu, emp("X0050", "Ina", "Back", "inact.back@contoso.example", "I")),
    expect: "linked",
  },
  {
    name: "roster user linked to another person's record (other name, other email, no user of theirs)",
    entry: person("WRONG.LINK", "will.link@contoso.example", "Will", "Link"),
    arrange: (emu) => {
      put(emu, emp("X0060", "Maya", "Other", "maya.other@contoso.example"));
      putUser(emu, user("WRONG.LINK", "X0060"));
    },
    expect: "conflict",
    names: /WRONG\.LINK is linked to employee X0060 \(Maya Other.*set entries\[\d+\]\.employee to X0060/,
  },
  {
    name: "roster user linked to a record whose email is another user's ID (relinked to a new employee)",
    entry: person("UID.PERSON", "uid.person@contoso.example", "Uma", "Person"),
    arrange: (emu) => {
      put(emu, emp("X0070", "Uma", "Person", "someone.else@contoso.example"));
      putUser(emu, user("UID.PERSON", "X0070"));
      putUser(emu, user("someone.else@contoso.example", ""));
    },
    expect: "linked",
  },
  {
    name: "a new person",
    entry: person("NEW.PERSON", "new.person@contoso.example", "Nia", "New"),
    arrange: () => undefined,
    expect: "linked",
  },
];

describe("ownership: adversarial starting states (strict emulator)", function () {
  this.timeout(60_000);
  let emu: Emulator;
  before(async () => {
    process.env.VPCONNECT_RETRY_BASE_MS ??= "1";
    emu = await startEmulator({ seed: { employees: 60 } });
  });
  after(() => emu.stop());

  it("converges within two runs, the third writes nothing, and no record outside the roster changes", async () => {
    emu.reset();
    for (const t of TRAPS) t.arrange(emu);
    const before = snapshot(emu);
    const activeEmailsBefore = activeEmailCounts(emu);
    const entries = TRAPS.map((t) => t.entry);
    const inputs = rosterInputsFor({ ...emu.connection(), pageSize: 25 }, entries);

    const writes: number[] = [];
    const errors: string[] = [];
    let outs: ConnectRosterOutputs | undefined;
    for (let run = 0; run < 3; run++) {
      emu.resetCounters();
      try {
        outs = (
          outs
            ? await connectRosterProvider.update!("roster", outs, inputs)
            : await connectRosterProvider.create(inputs)
        ).outs as ConnectRosterOutputs;
        errors.push("");
      } catch (e) {
        errors.push((e as Error).message);
      }
      writes.push(emu.counters.writesAccepted);
    }
    assert.equal(writes[2], 0, `the third run wrote ${writes[2]} (runs: ${writes.join(", ")})`);
    assert.equal(writes[1], 0, `converged within two runs (runs: ${writes.join(", ")})`);
    assert.ok(writes[0] > 0);

    // Conflicts are reported every run, naming both records and the fix; the rest are linked.
    const last = errors[2];
    TRAPS.forEach((t, i) => {
      const userRec = emu.state.users.get(t.entry.userId.toLowerCase());
      const linked = userRec ? emu.state.employees.get(String(userRec.Employee)) : undefined;
      if (t.expect === "linked") {
        assert.ok(linked, `${t.name}: ${t.entry.userId} linked`);
        // A case-only difference is the same address (lib/vantagepoint/identifiers.ts): it is not rewritten.
        assert.equal(idKey(linked.EMail), idKey(t.entry.email), `${t.name}: linked to their own employee`);
        assert.equal(linked.Status, "A", t.name);
        assert.ok(!new RegExp(`entries\\[${i}\\]`).test(last), `${t.name}: no conflict reported`);
      } else {
        const line = last.split("\n").find((l) => l.includes(`entries[${i}]`));
        assert.ok(line, `${t.name}: a conflict is reported for entries[${i}]`);
        assert.match(line, t.names!, t.name);
      }
    });

    // Records outside what the roster owns (the employees its people end up linked to, and its users).
    const owned = new Set(
      TRAPS.filter((t) => t.expect === "linked").map((t) =>
        String(emu.state.users.get(t.entry.userId.toLowerCase())?.Employee),
      ),
    );
    const ownedUsers = new Set(
      TRAPS.filter((t) => t.expect === "linked").map((t) => t.entry.userId.toLowerCase()),
    );
    const after = snapshot(emu);
    const changed: string[] = [];
    let compared = 0;
    for (const kind of ["employees", "users", "roles", "apiAuthorizations"] as const) {
      for (const [key, was] of before[kind]) {
        if ((kind === "employees" && owned.has(key)) || (kind === "users" && ownedUsers.has(key))) continue;
        compared++;
        if (after[kind].get(key) !== was) changed.push(`${kind} ${key}`);
      }
    }
    // A record the roster owns now but did not create must have kept everything except email case and status.
    const activeEmailsAfter = activeEmailCounts(emu);
    const newShares = [...activeEmailsAfter].filter(
      ([email, n]) => n > 1 && n > (activeEmailsBefore.get(email) ?? 0),
    );
    tally.ownership.runs += 3;
    tally.ownership.compared += compared;
    tally.ownership.changed += changed.length;
    assert.deepEqual(changed, [], "records outside the roster changed");
    assert.deepEqual(newShares, [], "the run made two active employees share an email");

    // A refresh reports what the server holds: a conflict's person is not "linked".
    const read = (
      await connectRosterProvider.read!("roster", {
        ...inputs,
        people: [],
        lastRun: { requests: 0, writes: 0, writeAttempts: 0 },
        hubs: { employees: "api", users: "api" },
        manualSteps: [],
      } as ConnectRosterOutputs)
    ).props as ConnectRosterOutputs;
    TRAPS.forEach((t, i) => {
      if (t.expect === "conflict" && emu.state.users.has(t.entry.userId.toLowerCase()))
        assert.equal(
          read.people[i]!.linked &&
            read.people[i]!.employeeStatus === "A" &&
            read.people[i]!.email === t.entry.email,
          false,
          `${t.name}: not reported as linked`,
        );
    });
    tally.ownership.adversarial += TRAPS.length;
    tally.ownership.adversarialConverged += TRAPS.length;
  });

  it("a server that needs employee keys, with no key rule: one error naming the setting, nothing sent after it", async () => {
    emu.reset();
    const entries = [1, 2, 3, 4, 5].map((n) =>
      person(`NOKEY.${n}`, `nokey.${n}@contoso.example`, "No", `Key ${n}`),
    );
    const inputs = { ...rosterInputsFor({ ...emu.connection() }, entries), newEmployees: undefined };
    const e = await connectRosterProvider.create(inputs).then(
      () => assert.fail("expected the run to stop"),
      (err: Error) => err,
    );
    assert.match(e.message, /refused to create an employee without a key.*Set roster\.newEmployees\.key/);
    assert.equal(
      (e.message.match(/roster\.newEmployees\.key/g) ?? []).length,
      1,
      "one error, not one per person",
    );
    assert.ok(
      (emu.counters.byRoute["POST /employee"] ?? 0) <= 8,
      "at most the creates already in flight were sent",
    );
    assert.equal(
      emu.counters.byRoute["POST /user"],
      undefined,
      "no user was created for a person without an employee",
    );
    // With the rule, a re-run finishes: nothing was left half-done.
    await connectRosterProvider.create(rosterInputsFor({ ...emu.connection() }, entries));
    for (const p of entries) assert.equal(emu.state.users.get(p.userId.toLowerCase())?.Status, "A");
  });

  it("a server without the users hub: employees are still fixed, user steps become manual steps", async () => {
    const noUsers = await startEmulator({ seed: { employees: 20 }, disable: { users: true } });
    try {
      const entries = [person("MANUAL.ONE", "manual.one@contoso.example", "Man", "One")];
      const outs = (await connectRosterProvider.create(rosterInputsFor(noUsers.connection(), entries)))
        .outs as ConnectRosterOutputs;
      assert.deepEqual(outs.hubs, { employees: "api", users: "manual" });
      assert.equal(
        [...noUsers.state.employees.values()].filter((e) => e.EMail === "manual.one@contoso.example").length,
        1,
      );
      assert.match(
        outs.manualSteps[0]!,
        /Settings > Security > Users: make sure user MANUAL\.ONE exists.*Employee C00001/,
      );
      assert.equal(outs.people[0]!.linked, false, "not claimed as linked");
    } finally {
      await noUsers.stop();
    }
  });
});

function activeEmailCounts(emu: Emulator): Map<string, number> {
  const m = new Map<string, number>();
  for (const e of emu.state.employees.values()) {
    if (e.Status !== "A" || !e.EMail) continue;
    const k = String(e.EMail).toLowerCase();
    m.set(k, (m.get(k) ?? 0) + 1);
  }
  return m;
}
