/**
 * ConnectApiClient from adversarial starting states on a busy server (404 for a missing record, case-insensitive
 * keys): converged within two runs with 0 writes each (it only ever adopts), no other API Authorization or record
 * changed, and the preview after refresh shows no change.
 */
import assert from "node:assert/strict";
import { Emulator, startEmulator } from "../../emulator";
import { CONNECT_CLIENT_ID } from "../../emulator/seed";
import {
  connectApiClientProvider as provider,
  ConnectApiClientInputs,
  ConnectApiClientOutputs,
} from "../../components/vantagepoint/connectApiClient";
import { connectionFor, errorOf, fastRetryEnv } from "./helpers";

interface Start {
  name: string;
  clientId?: string;
  apiName: string;
  allowCreate: boolean;
  arrange?: (emu: Emulator) => void;
  /** The Client ID adopted, or the error expected. */
  expect: { clientId: string } | { error: RegExp };
}

const STARTS: Start[] = [
  {
    name: "Client ID configured in upper case",
    clientId: CONNECT_CLIENT_ID.toUpperCase(),
    apiName: "Vantagepoint Connect",
    allowCreate: false,
    expect: { clientId: CONNECT_CLIENT_ID.toUpperCase() },
  },
  {
    name: "the server answers the Client ID in upper case",
    clientId: CONNECT_CLIENT_ID,
    apiName: "Vantagepoint Connect",
    allowCreate: false,
    arrange: (emu) => {
      const rec = emu.state.apiAuthorizations.get(CONNECT_CLIENT_ID)!;
      emu.state.apiAuthorizations.delete(CONNECT_CLIENT_ID);
      emu.state.apiAuthorizations.set(CONNECT_CLIENT_ID.toUpperCase(), {
        ...rec,
        ClientId: CONNECT_CLIENT_ID.toUpperCase(),
      });
    },
    expect: { clientId: CONNECT_CLIENT_ID },
  },
  {
    name: "no Client ID, the name in another case and padded on the server; allowCreate does not create",
    apiName: "vantagepoint connect",
    allowCreate: true,
    arrange: (emu) => (emu.state.apiAuthorizations.get(CONNECT_CLIENT_ID)!.Name = "VANTAGEPOINT CONNECT  "),
    expect: { clientId: CONNECT_CLIENT_ID },
  },
  {
    name: "a mistyped Client ID (404 for it, the list answers): does not exist, nothing created",
    clientId: "c0nnect0-0000-4000-8000-0000000000ff",
    apiName: "Vantagepoint Connect",
    allowCreate: true,
    expect: { error: /Client ID c0nnect0-0000-4000-8000-0000000000ff .*does not exist on this server/ },
  },
];

function everything(emu: Emulator): string {
  return JSON.stringify([
    [...emu.state.apiAuthorizations],
    [...emu.state.roles],
    [...emu.state.users],
    [...emu.state.employees],
  ]);
}

describe("ConnectApiClient from adversarial starting states on a busy server", () => {
  for (const start of STARTS) {
    it(start.name, async () => {
      const restore = fastRetryEnv();
      const emu = await startEmulator({ caseInsensitiveKeys: true, missingRecord: "404" });
      try {
        start.arrange?.(emu);
        const before = everything(emu);
        const inputs: ConnectApiClientInputs = {
          vpconnectResource: "ConnectApiClient",
          connection: connectionFor(emu),
          name: start.apiName,
          ...(start.clientId ? { expectedClientId: start.clientId } : {}),
          allowCreate: start.allowCreate,
        };
        emu.resetCounters();
        if ("error" in start.expect) {
          assert.match((await errorOf(provider.create(inputs))).message, start.expect.error);
          assert.match(
            (await errorOf(provider.create(inputs))).message,
            start.expect.error,
            "the same every run",
          );
        } else {
          const created = await provider.create(inputs);
          let outs = created.outs as ConnectApiClientOutputs;
          assert.equal(outs.clientId, start.expect.clientId);
          for (let run = 1; run < 3; run++) {
            outs = (await provider.read!(created.id, outs)).props as ConnectApiClientOutputs;
            assert.deepEqual([outs.drifted, outs.missing], [false, false], `run ${run + 1}: no drift`);
            const diff = await provider.diff!(created.id, outs, inputs);
            assert.equal(diff.changes, false, `run ${run + 1}: the preview shows no change`);
            outs = (await provider.update!(created.id, outs, inputs)).outs as ConnectApiClientOutputs;
          }
        }
        assert.equal(emu.counters.writes, 0, "adopting never writes");
        assert.equal(everything(emu), before, "0 records changed");
      } finally {
        await emu.stop();
        restore();
      }
    });
  }
});
