/**
 * Versions and "not found": without vantagepoint.version the role record tells the role model (6.x: no Connect
 * field, no Administrator type), so no ignored field is written and a second run writes 0; a 404 for one record
 * while the collection answers is "does not exist", named, never "not available on this server".
 */
import assert from "node:assert/strict";
import { Emulator, EmulatorOptions, startEmulator } from "../../emulator";
import {
  connectAdminRoleProvider as adminRole,
  ConnectAdminRoleInputs,
  ConnectAdminRoleOutputs,
} from "../../components/vantagepoint/connectAdminRole";
import {
  connectApiClientProvider as apiClient,
  ConnectApiClientInputs,
} from "../../components/vantagepoint/connectApiClient";
import { describeRoleModel, readAdminRole, roleModelOf } from "../../lib/vantagepoint";
import { runDoctor } from "../../cli/doctor";
import { connectionFor, errorOf, fastClient, fastRetryEnv } from "./helpers";

describe("roleModelOf: the role record's fields tell the version", () => {
  it("a configured version wins; Connect means 7.0+, ConnectAdministration alone before 7.0, neither is assumed", () => {
    assert.deepEqual(roleModelOf({ Role: "X", ConnectAdministration: "Y" }, "7.1"), {
      version: "7.1",
      label: "7.1",
      source: "configured",
      evidence: "vantagepoint.version",
      permissionField: "Connect",
      administratorType: true,
    });
    const seven = roleModelOf({ Role: "ADMIN", Connect: "N", Type: "Accounting" });
    assert.deepEqual(
      [seven.version, seven.source, seven.permissionField, seven.administratorType, seven.evidence],
      ["7.0", "probed", "Connect", true, "role ADMIN has a Connect field"],
    );
    const six = roleModelOf({ Role: "ADMIN", connectadministration: "N", Type: "Accounting" });
    assert.deepEqual(
      [six.version, six.label, six.source, six.permissionField, six.administratorType],
      ["6.0", "before 7.0", "probed", "ConnectAdministration", false],
    );
    const neither = roleModelOf({ Role: "ADMIN", Type: "Accounting" });
    assert.deepEqual(
      [neither.version, neither.source, neither.permissionField, neither.administratorType],
      ["7.0", "assumed", "Connect", true],
    );
    assert.match(neither.evidence, /set vantagepoint\.version/);
    assert.equal(
      describeRoleModel(six),
      "Vantagepoint version before 7.0 (probed: role ADMIN has ConnectAdministration and no Connect field)",
    );
    assert.equal(describeRoleModel(roleModelOf(undefined, "6.5")), "Vantagepoint version 6.5 (configured)");
  });
});

async function withServer<T>(options: EmulatorOptions, fn: (emu: Emulator) => Promise<T>): Promise<T> {
  const restore = fastRetryEnv();
  const emu = await startEmulator(options);
  try {
    return await fn(emu);
  } finally {
    await emu.stop();
    restore();
  }
}

function roleInputs(emu: Emulator, role: string, version?: string): ConnectAdminRoleInputs {
  return {
    vpconnectResource: "ConnectAdminRole",
    connection: connectionFor(emu),
    role,
    requireAdministratorType: true,
    ...(version ? { version } : {}),
  };
}

/** The JSON of every role and API authorization: what must not change outside the one role written. */
function others(emu: Emulator, exceptRole: string): string {
  const roles = [...emu.state.roles].filter(([k]) => k !== exceptRole.toLowerCase());
  return JSON.stringify([
    roles,
    [...emu.state.apiAuthorizations],
    [...emu.state.users],
    [...emu.state.employees],
  ]);
}

/** A 6.x server that ignores role fields it does not have, and answers 404 for a missing record. */
const SIX: EmulatorOptions = { version: "6.0", unknownRoleFields: "ignore", missingRecord: "404" };

describe("ConnectAdminRole on a 6.x server without vantagepoint.version", () => {
  it("writes ConnectAdministration (never the ignored Connect or Type), then 0 writes; says it probed", () =>
    withServer(SIX, async (emu) => {
      const before = others(emu, "CONNECTADMIN");
      const inputs = roleInputs(emu, "CONNECTADMIN");
      const created = await adminRole.create(inputs);
      const outs = created.outs as ConnectAdminRoleOutputs;
      const role = emu.state.roles.get("connectadmin")!;
      assert.deepEqual(
        [role.ConnectAdministration, role.Connect, role.Type],
        ["Y", undefined, "Accounting,CRM"],
        "the pre-7.0 field, and no type asked for before 7.0",
      );
      assert.deepEqual(
        [outs.connectAdministration, outs.roleModel?.source, outs.roleModel?.label],
        [true, "probed", "before 7.0"],
      );
      assert.equal(emu.counters.writes, 1);
      emu.resetCounters();
      const refreshed = await adminRole.read!(created.id, outs);
      const diff = await adminRole.diff!(created.id, refreshed.props as ConnectAdminRoleOutputs, inputs);
      assert.equal(diff.changes, false, "no Administrator type is shown as missing before 7.0");
      await adminRole.update!(created.id, refreshed.props as ConnectAdminRoleOutputs, inputs);
      assert.equal(emu.counters.writes, 0, "the second run writes 0");
      assert.equal(others(emu, "CONNECTADMIN"), before, "0 records outside the role changed");
    }));

  it("a role record with neither Connect nor ConnectAdministration (empty fields left out) is refused, 0 writes", () =>
    withServer(SIX, async (emu) => {
      const role = emu.state.roles.get("connectadmin")! as Record<string, unknown>;
      delete role.ConnectAdministration;
      delete role.Connect;
      const before = JSON.stringify(role);
      const e = await errorOf(adminRole.create(roleInputs(emu, "CONNECTADMIN")));
      assert.match(e.message, /nothing was written\. Set vantagepoint\.version to the site's version/);
      assert.equal(emu.counters.writes, 0);
      assert.equal(JSON.stringify(emu.state.roles.get("connectadmin")), before);
    }));

  it("a version configured wrongly (7.0 on a 6.x server that ignores Connect) is an error, never connectAdministration: true", () =>
    withServer(SIX, async (emu) => {
      const e = await errorOf(adminRole.create(roleInputs(emu, "CONNECTADMIN", "7.0")));
      assert.match(e.message, /accepted the write to role CONNECTADMIN .* but did not keep Connect/);
      assert.match(e.message, /Set vantagepoint\.version/);
    }));

  it("a 7.0 server probed: Connect and Administrator added, 0 writes on the second run", () =>
    withServer({ missingRecord: "404" }, async (emu) => {
      const inputs = roleInputs(emu, "CONNECTADMIN");
      const created = await adminRole.create(inputs);
      const role = emu.state.roles.get("connectadmin")!;
      assert.deepEqual([role.Connect, role.Type], ["Y", "Accounting,CRM,Administrator"]);
      assert.equal((created.outs as ConnectAdminRoleOutputs).roleModel?.source, "probed");
      emu.resetCounters();
      await adminRole.update!(created.id, created.outs as ConnectAdminRoleOutputs, inputs);
      assert.equal(emu.counters.writes, 0);
    }));
});

describe("not found is not 'not available' (a 404 for one record while the collection answers)", () => {
  it("a role that does not exist is named, the deployment fails, nothing is written", () =>
    withServer(SIX, async (emu) => {
      const e = await errorOf(adminRole.create(roleInputs(emu, "NOPE")));
      assert.match(e.message, /Role "NOPE" does not exist in Vantagepoint/);
      assert.doesNotMatch(e.message, /not available/);
      assert.equal(emu.counters.writes, 0);
    }));

  it("readAdminRole: a missing role exists: false, available: true", () =>
    withServer(SIX, async (emu) => {
      const { client } = fastClient(emu);
      const state = await readAdminRole(client, "NOPE");
      assert.deepEqual([state.exists, state.available], [false, true]);
      client.close();
    }));

  it("a missing roles collection is still 'not available' with the manual steps", () =>
    withServer({ ...SIX, disable: { roles: true } }, async (emu) => {
      const created = await adminRole.create(roleInputs(emu, "NOPE"));
      const outs = created.outs as ConnectAdminRoleOutputs;
      assert.equal(outs.available, false);
      assert.match(outs.manualSteps.join(" "), /Settings > Security > Roles/);
    }));

  it("a mistyped Client ID is 'does not exist', naming it; nothing is created", () =>
    withServer(SIX, async (emu) => {
      const inputs: ConnectApiClientInputs = {
        vpconnectResource: "ConnectApiClient",
        connection: connectionFor(emu),
        name: "Vantagepoint Connect",
        expectedClientId: "c0nnect0-0000-4000-8000-00000000000X",
        allowCreate: true,
      };
      const before = emu.state.apiAuthorizations.size;
      const e = await errorOf(apiClient.create(inputs));
      assert.match(e.message, /No API Authorization has Client ID c0nnect0-0000-4000-8000-00000000000X/);
      assert.match(e.message, /does not exist on this server/);
      assert.equal(emu.state.apiAuthorizations.size, before);
    }));
});

describe("doctor on a 6.x server without --vantagepoint-version", () => {
  it("probes the role model: no false role-not-administrator-type; the version on stderr in every format", () =>
    withServer(SIX, async (emu) => {
      emu.state.roles.get("connectadmin")!.ConnectAdministration = "Y"; // granted, types Accounting,CRM
      const c = emu.credentials;
      for (const format of ["table", "json"]) {
        let out = "";
        let err = "";
        const code = await runDoctor(
          [
            "--url",
            emu.url,
            "--database",
            c.database,
            "--username",
            c.username,
            "--client-id",
            c.clientId,
            "--admin-role",
            "CONNECTADMIN",
            "--format",
            format,
          ],
          {
            stdout: (t) => (out += t),
            stderr: (t) => (err += t),
            env: { VPCONNECT_PASSWORD: c.password, VPCONNECT_CLIENT_SECRET: c.clientSecret },
          },
        );
        assert.match(
          err,
          /doctor: Vantagepoint version before 7\.0 \(probed: role CONNECTADMIN has ConnectAdministration and no Connect field\)/,
          format,
        );
        assert.doesNotMatch(out, /role-not-administrator-type|must have Administrator/, format);
        assert.ok(code === 0 || code === 1, `${format}: exit ${code}`);
      }
    }));
});
