/**
 * ConnectAdminRole from adversarial starting states on busy servers (6.x and 7.0 role models, 404 for missing
 * records, case-insensitive keys): converged within two runs, the last writes 0, no record but the role changes,
 * and the preview after refresh shows exactly what the next run writes.
 */
import assert from "node:assert/strict";
import { Emulator, EmulatorOptions, startEmulator } from "../../emulator";
import {
  connectAdminRoleProvider as provider,
  ConnectAdminRoleInputs,
  ConnectAdminRoleOutputs,
} from "../../components/vantagepoint/connectAdminRole";
import { connectionFor, fastRetryEnv } from "./helpers";

interface Start {
  name: string;
  server: EmulatorOptions;
  /** The role as configured (another case than the server's, for some). */
  role: string;
  version?: string;
  arrange?: (emu: Emulator) => void;
  /** The role record after convergence: the fields that matter. */
  expect: Record<string, string | undefined>;
}

const BUSY: EmulatorOptions = { caseInsensitiveKeys: true, missingRecord: "404" };
const SIX: EmulatorOptions = { ...BUSY, version: "6.0", unknownRoleFields: "ignore" };

const STARTS: Start[] = [
  {
    name: "6.x, no version, role named in lower case",
    server: SIX,
    role: "connectadmin",
    expect: { ConnectAdministration: "Y", Connect: undefined, Type: "Accounting,CRM" },
  },
  {
    name: "6.x, already granted: nothing to write",
    server: SIX,
    role: "CONNECTADMIN",
    arrange: (emu) => (emu.state.roles.get("connectadmin")!.ConnectAdministration = "Y"),
    expect: { ConnectAdministration: "Y", Connect: undefined, Type: "Accounting,CRM" },
  },
  {
    name: "6.x, version configured 6.0",
    server: SIX,
    role: "PM",
    version: "6.0",
    expect: { ConnectAdministration: "Y", Connect: undefined, Type: "Accounting,CRM" },
  },
  {
    name: "7.0, no version, role named with other case",
    server: BUSY,
    role: "ConnectAdmin",
    expect: { Connect: "Y", ConnectAdministration: undefined, Type: "Accounting,CRM,Administrator" },
  },
  {
    name: "7.0, Administrator type spelled in lower case already there",
    server: BUSY,
    role: "PM",
    arrange: (emu) => (emu.state.roles.get("pm")!.Type = "Accounting,administrator"),
    expect: { Connect: "Y", Type: "Accounting,administrator" },
  },
  {
    name: "7.0, version configured 7.1, granted, types in another order",
    server: BUSY,
    role: "admin",
    version: "7.1",
    arrange: (emu) => (emu.state.roles.get("admin")!.Type = "Accounting,Administrator"),
    expect: { Connect: "Y", Type: "Accounting,Administrator" },
  },
];

function others(emu: Emulator, role: string): string {
  return JSON.stringify([
    [...emu.state.roles].filter(([k]) => k !== role.toLowerCase()),
    [...emu.state.users],
    [...emu.state.employees],
    [...emu.state.apiAuthorizations],
  ]);
}

describe("ConnectAdminRole from adversarial starting states on busy servers", () => {
  for (const start of STARTS) {
    it(start.name, async () => {
      const restore = fastRetryEnv();
      const emu = await startEmulator(start.server);
      try {
        start.arrange?.(emu);
        const before = others(emu, start.role);
        const inputs: ConnectAdminRoleInputs = {
          vpconnectResource: "ConnectAdminRole",
          connection: connectionFor(emu),
          role: start.role,
          requireAdministratorType: true,
          ...(start.version ? { version: start.version } : {}),
        };
        const writes: number[] = [];
        emu.resetCounters();
        const created = await provider.create(inputs);
        writes.push(emu.counters.writes);
        let outs = created.outs as ConnectAdminRoleOutputs;
        // Refresh, preview, run: the preview says "no change" exactly when the run writes 0.
        for (let run = 1; run < 3; run++) {
          outs = (await provider.read!(created.id, outs)).props as ConnectAdminRoleOutputs;
          const diff = await provider.diff!(created.id, outs, inputs);
          emu.resetCounters();
          outs = (await provider.update!(created.id, outs, inputs)).outs as ConnectAdminRoleOutputs;
          writes.push(emu.counters.writes);
          assert.equal(diff.changes, emu.counters.writes > 0, `run ${run + 1}: preview and writes agree`);
        }
        assert.ok(writes[0]! <= 1, `one write at most: ${writes.join(", ")}`);
        assert.deepEqual(writes.slice(1), [0, 0], `converged within two runs: ${writes.join(", ")}`);
        assert.equal(outs.connectAdministration, true);
        const rec = emu.state.roles.get(start.role.toLowerCase())!;
        for (const [field, value] of Object.entries(start.expect)) assert.equal(rec[field], value, field);
        assert.equal(others(emu, start.role), before, "0 records outside the role changed");
        assert.equal(outs.roleModel?.source, start.version ? "configured" : "probed");
      } finally {
        await emu.stop();
        restore();
      }
    });
  }
});
