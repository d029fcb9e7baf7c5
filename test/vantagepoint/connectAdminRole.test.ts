import assert from "node:assert/strict";
import { startEmulator, Emulator } from "../../emulator";
import {
  connectAdminRoleProvider as provider,
  ConnectAdminRoleInputs,
  ConnectAdminRoleOutputs,
} from "../../components/vantagepoint/connectAdminRole";
import { connectionFor, SENTINEL_PASSWORD, errorOf, useEmulator } from "./helpers";

function inputsFor(emu: Emulator, role: string, requireAdministratorType = true): ConnectAdminRoleInputs {
  return {
    vpconnectResource: "ConnectAdminRole",
    connection: connectionFor(emu),
    role,
    requireAdministratorType,
  };
}

describe("ConnectAdminRole provider (against the emulator)", () => {
  let emu: Emulator;
  useEmulator({ credentials: { password: SENTINEL_PASSWORD } }, (started) => (emu = started));

  it("check requires a role and defaults requireAdministratorType to true", async () => {
    const bad = await provider.check!({} as ConnectAdminRoleInputs, {
      ...inputsFor(emu, ""),
      requireAdministratorType: undefined as never,
    });
    assert.deepEqual(
      bad.failures!.map((f) => f.property),
      ["role"],
    );
    assert.equal(bad.inputs!.requireAdministratorType, true);
  });

  it("grants Connect and adds Administrator to the types in one additive write; re-run writes nothing", async () => {
    const inputs = inputsFor(emu, "CONNECTADMIN");
    const created = await provider.create(inputs);
    const outs = created.outs as ConnectAdminRoleOutputs;
    assert.deepEqual(
      [outs.connectAdministration, outs.roleTypes, outs.available, outs.manualSteps],
      [true, ["Accounting", "CRM", "Administrator"], true, []],
    );
    assert.equal(
      emu.state.roles.get("connectadmin")!.Connect,
      "Y",
      "from 7.0 the permission is named Connect",
    );
    assert.equal(
      emu.state.roles.get("connectadmin")!.Type,
      "Accounting,CRM,Administrator",
      "no type removed",
    );
    assert.equal(emu.state.roles.get("connectadmin")!.Description, "Configures Connect"); // partial update
    assert.equal(emu.counters.writes, 1);
    emu.resetCounters();
    await provider.update!(created.id, outs, inputs);
    assert.equal(emu.counters.writes, 0);
  });

  it("leaves the type alone when requireAdministratorType is false", async () => {
    const created = await provider.create(inputsFor(emu, "PM", false));
    assert.equal((created.outs as ConnectAdminRoleOutputs).roleType, "Accounting,CRM");
    assert.equal(emu.state.roles.get("pm")!.Type, "Accounting,CRM");
    assert.equal(emu.state.roles.get("pm")!.Connect, "Y");
  });

  it("before 7.0 grants Connect Administration under its old name", async () => {
    const old = await startEmulator({ version: "6.0" });
    try {
      const inputs = { ...inputsFor(old, "PM", false), connection: connectionFor(old), version: "6.0" };
      await provider.create(inputs);
      assert.equal(old.state.roles.get("pm")!.ConnectAdministration, "Y");
      assert.equal(old.counters.writesAccepted, 1);
    } finally {
      await old.stop();
    }
  });

  it("a write of the pre-7.0 field to a 7.0 server is refused, not silently accepted (the gate fails)", async () => {
    const e = await errorOf(provider.create({ ...inputsFor(emu, "PM", false), version: "6.0" }));
    assert.match(e.message, /ConnectAdministration does not exist on security roles/);
  });

  it("read shows drift when someone removed the grant, and diff reports it", async () => {
    const inputs = inputsFor(emu, "ADMIN");
    const created = await provider.create(inputs);
    assert.equal(emu.counters.writes, 0); // ADMIN already had it
    emu.seedBroken(["roleWithoutConnectAdmin"]);
    const read = await provider.read!(created.id, created.outs as ConnectAdminRoleOutputs);
    const props = read.props as ConnectAdminRoleOutputs;
    assert.equal(props.connectAdministration, false);
    const d = await provider.diff!(created.id, props, inputs);
    assert.equal(d.changes, true);
    assert.deepEqual(Object.keys((d as { detailedDiff: object }).detailedDiff).sort(), [
      "connectAdministration",
      "roleType",
    ]);
  });

  it("names a missing role and how to fix it", async () => {
    const e = await errorOf(provider.create(inputsFor(emu, "NOSUCHROLE")));
    assert.match(e.message, /Role "NOSUCHROLE" does not exist.*Settings > Security > Roles/);
  });

  it("reports the manual steps (and writes nothing) where the server has no role endpoint", async () => {
    const off = await startEmulator({
      disable: { roles: true },
      credentials: { password: SENTINEL_PASSWORD },
    });
    try {
      const inputs = { ...inputsFor(off, "ADMIN"), connection: connectionFor(off) };
      const outs = (await provider.create(inputs)).outs as ConnectAdminRoleOutputs;
      assert.equal(outs.available, false);
      const e = { message: outs.manualSteps.join(" ") };
      assert.match(
        e.message,
        /not available through the API on this server \(404 on \/security\/role\/ADMIN/,
      );
      assert.match(
        e.message,
        /Settings > Security > Roles > ADMIN > Overview tab > Utilities > Integrations: tick "Connect Administration"/,
      );
      assert.match(
        e.message,
        /7\.0 and later: .*Utilities > Integrations > Connect: select Connect, and add Administrator to the role's types \(keep the types it has\)/,
      );
      assert.ok(!e.message.includes(SENTINEL_PASSWORD));
      assert.equal(off.counters.writes, 0);
      const read = await provider.read!("x", {
        ...inputs,
        connectAdministration: true,
        roleType: "Administrator",
        roleTypes: ["Administrator"],
        available: true,
        exists: true,
        manualSteps: [],
      });
      assert.equal((read.props as ConnectAdminRoleOutputs).available, false);
    } finally {
      await off.stop();
    }
  });

  it("uses a configured role path", async () => {
    const custom = await startEmulator({ paths: { roles: "/Settings/Roles" } });
    try {
      const inputs = {
        ...inputsFor(custom, "PM", false),
        connection: connectionFor(custom, { paths: { roles: "/Settings/Roles" } }),
      };
      await provider.create(inputs);
      assert.equal(custom.counters.byRoute["PUT /Settings/Roles/{key}"], 1);
    } finally {
      await custom.stop();
    }
  });

  it("delete writes nothing", async () => {
    emu.resetCounters();
    await provider.delete!("x", {
      ...inputsFor(emu, "ADMIN"),
      connectAdministration: true,
      roleType: "Administrator",
      roleTypes: ["Administrator"],
      available: true,
      exists: true,
      manualSteps: [],
    });
    assert.equal(emu.counters.requests, 0);
  });
});
