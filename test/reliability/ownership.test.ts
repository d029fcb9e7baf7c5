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
      const inactive = [...emu.state.employees.values()].find((e) => e.Status === "I" && e.EMail)!;
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
      assert.deepEqual([roleRead.connectAdministration, roleRead.roleType], [false, "Standard"]);
      assertNoEmployeeEnded("refresh");

      // The next update repairs the roster and the role, and never writes the Connect authorization back.
      await connectRosterProvider.update!(roster.id, rosterRead, rosterInputs(updatedPeople));
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
      assert.deepEqual([importedRole.connectAdministration, importedRole.roleType], [true, "Administrator"]);

      // 5. delete all three.
      const beforeDelete = snapshot(emu);
      emu.resetCounters();
      await connectApiClientProvider.delete!(api.id, importedApi);
      await connectAdminRoleProvider.delete!(role.id, importedRole);
      assert.equal(emu.counters.requests, 0, "deleting the API client and the role sends nothing");
      await connectRosterProvider.delete!(roster.id, { ...imported, onDelete });
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
