import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { startEmulator, Emulator, CONNECT_API_NAME, CONNECT_CLIENT_ID } from "../../emulator";
import {
  connectApiClientProvider as provider,
  ConnectApiClientInputs,
  ConnectApiClientOutputs,
} from "../../components/vantagepoint/connectApiClient";
import { connectionFor, SENTINEL_CLIENT_SECRET, SENTINEL_PASSWORD, errorOf, useEmulator } from "./helpers";

/** The fingerprint releases before issue 17 stored: the Client ID exactly as the server spelled it. */
function preIssue17Fingerprint(rec: Record<string, unknown>): string {
  const canon = ["ClientId", "Name", "CallbackUrl", "Scopes", "AllowPasswordGrant"].map((f) => [
    f,
    rec[f] === undefined || rec[f] === null ? "" : String(rec[f]),
  ]);
  return createHash("sha256").update(JSON.stringify(canon)).digest("hex").slice(0, 32);
}

const CONNECT_SECRET_SENTINEL = "Sentinel-Connect-Secret-0c7a";

function inputsFor(emu: Emulator, extra: Partial<ConnectApiClientInputs> = {}): ConnectApiClientInputs {
  return {
    vpconnectResource: "ConnectApiClient",
    connection: connectionFor(emu),
    name: CONNECT_API_NAME,
    allowCreate: false,
    ...extra,
  };
}

describe("ConnectApiClient provider (against the emulator)", () => {
  let emu: Emulator;
  useEmulator(
    {
      credentials: { password: SENTINEL_PASSWORD, clientSecret: SENTINEL_CLIENT_SECRET },
    },
    (started) => (emu = started),
  );

  it("check defaults name and allowCreate", async () => {
    const r = await provider.check!({} as ConnectApiClientInputs, {
      ...inputsFor(emu),
      name: undefined as never,
      allowCreate: undefined as never,
    });
    assert.deepEqual(r.failures, []);
    assert.equal(r.inputs!.name, "Vantagepoint Connect");
    assert.equal(r.inputs!.allowCreate, false);
  });

  it("adopts the Connect one; other API authorizations stay byte-identical through create, update and delete", async () => {
    const all = emu.snapshotApiAuthorizations();
    const others = emu.snapshotApiAuthorizations(CONNECT_API_NAME);
    const created = await provider.create(inputsFor(emu, { clientSecret: CONNECT_SECRET_SENTINEL }));
    const outs = created.outs as ConnectApiClientOutputs;
    assert.equal(created.id, CONNECT_CLIENT_ID);
    assert.equal(outs.clientId, CONNECT_CLIENT_ID);
    assert.equal(outs.clientSecret, CONNECT_SECRET_SENTINEL);
    assert.match(outs.fingerprint, /^[0-9a-f]{32}$/);
    assert.equal(outs.drifted, false);
    await provider.update!(created.id, outs, inputsFor(emu, { clientSecret: CONNECT_SECRET_SENTINEL }));
    await provider.delete!(created.id, outs);
    assert.equal(emu.snapshotApiAuthorizations(CONNECT_API_NAME), others);
    assert.equal(emu.snapshotApiAuthorizations(), all);
    assert.equal(emu.counters.writes, 0);
  });

  it("the fingerprint never includes the secret", async () => {
    const created = await provider.create(inputsFor(emu));
    const before = (created.outs as ConnectApiClientOutputs).fingerprint;
    [...emu.state.apiAuthorizations.values()].find((a) => a.Name === CONNECT_API_NAME)!.ClientSecret =
      "regenerated";
    const read = await provider.read!(created.id, created.outs as ConnectApiClientOutputs);
    assert.equal((read.props as ConnectApiClientOutputs).fingerprint, before);
    assert.equal((read.props as ConnectApiClientOutputs).drifted, false);
  });

  it("read and diff show drift when the Connect one was edited, and nothing is written back", async () => {
    const inputs = inputsFor(emu);
    const created = await provider.create(inputs);
    emu.seedBroken(["connectApiAuthEdited"]);
    const edited = emu.snapshotApiAuthorizations();
    const read = await provider.read!(created.id, created.outs as ConnectApiClientOutputs);
    const props = read.props as ConnectApiClientOutputs;
    assert.equal(props.drifted, true);
    assert.notEqual(props.fingerprint, props.adoptedFingerprint);
    const d = await provider.diff!(created.id, props, inputs);
    assert.equal(d.changes, true);
    assert.deepEqual((d as { detailedDiff: object }).detailedDiff, {
      fingerprint: { kind: "UPDATE", inputDiff: false },
    });
    const upd = await provider.update!(created.id, props, inputs);
    assert.equal((upd.outs as ConnectApiClientOutputs).drifted, false);
    assert.equal(emu.snapshotApiAuthorizations(), edited);
  });

  it("read shows a deleted Connect one as missing", async () => {
    const created = await provider.create(inputsFor(emu));
    emu.seedBroken(["connectApiAuthMissing"]);
    const props = (await provider.read!(created.id, created.outs as ConnectApiClientOutputs))
      .props as ConnectApiClientOutputs;
    assert.deepEqual([props.missing, props.drifted], [true, true]);
    const d = await provider.diff!(created.id, props, inputsFor(emu));
    assert.ok("clientId" in (d as { detailedDiff: object }).detailedDiff);
  });

  it("refuses to create when missing unless allowCreate", async () => {
    emu.seedBroken(["connectApiAuthMissing"]);
    const others = emu.snapshotApiAuthorizations();
    const e = await errorOf(provider.create(inputsFor(emu)));
    assert.match(
      e.message,
      /No API Authorization named "Vantagepoint Connect" exists.*allowCreate: true.*Utilities > Integrations/,
    );
    assert.equal(emu.counters.writes, 0);

    const created = await provider.create(inputsFor(emu, { allowCreate: true }));
    const outs = created.outs as ConnectApiClientOutputs;
    assert.equal(outs.created, true);
    assert.ok(
      outs.clientSecret && outs.clientSecret.length > 10,
      "the generated secret is kept (as a Pulumi secret by the class)",
    );
    assert.equal(emu.counters.byRoute["POST /apiauthorization"], 1);
    const after = JSON.parse(emu.snapshotApiAuthorizations()) as Array<{ Name: string }>;
    assert.equal(after.filter((a) => a.Name === CONNECT_API_NAME).length, 1);
    assert.equal(emu.snapshotApiAuthorizations(CONNECT_API_NAME), others);
  });

  it("a create whose reply was lost is re-read, not repeated", async () => {
    emu.seedBroken(["connectApiAuthMissing"]);
    emu.faults.add({ kind: "reset", method: "POST", path: "/apiauthorization", afterHandling: true });
    const created = await provider.create(inputsFor(emu, { allowCreate: true }));
    assert.ok((created.outs as ConnectApiClientOutputs).clientId);
    assert.equal(emu.counters.byRoute["POST /apiauthorization"], 1);
    assert.equal(
      [...emu.state.apiAuthorizations.values()].filter((a) => a.Name === CONNECT_API_NAME).length,
      1,
    );
  });

  it("names duplicates instead of picking one", async () => {
    emu.state.apiAuthorizations.set("dup", {
      ClientId: "dup",
      Name: "vantagepoint connect",
      ClientSecret: "x",
      CallbackUrl: "",
      Scopes: "",
      AllowPasswordGrant: "N",
    });
    const e = await errorOf(provider.create(inputsFor(emu)));
    assert.match(e.message, /2 API Authorizations are named "Vantagepoint Connect"/);
  });

  it("reports the manual steps (no failure, no secrets) where the server has no API authorization list", async () => {
    const off = await startEmulator({
      disable: { apiAuthorizations: true },
      credentials: { password: SENTINEL_PASSWORD, clientSecret: SENTINEL_CLIENT_SECRET },
    });
    try {
      const outs = (
        await provider.create({
          ...inputsFor(off, { clientSecret: CONNECT_SECRET_SENTINEL }),
          connection: connectionFor(off),
        })
      ).outs as ConnectApiClientOutputs;
      assert.equal(outs.available, false);
      const text = outs.manualSteps.join(" ");
      assert.match(
        text,
        /API Authorizations are not available through the API on this server \(404 on \/apiauthorization/,
      );
      assert.match(text, /Utilities > Integrations.*Do not generate a new secret/);
      for (const s of [SENTINEL_PASSWORD, SENTINEL_CLIENT_SECRET, CONNECT_SECRET_SENTINEL])
        assert.ok(!text.includes(s));
      assert.equal(off.counters.writes, 0);
    } finally {
      await off.stop();
    }
  });

  it("before 5.0 (one authorization per database, no list) keeps the configured Client ID and says what to check", async () => {
    const old = await startEmulator({ version: "3.5" });
    try {
      const outs = (
        await provider.create({
          ...inputsFor(old, { expectedClientId: "legacy-client" }),
          connection: connectionFor(old),
        })
      ).outs as ConnectApiClientOutputs;
      assert.deepEqual(
        [outs.available, outs.clientId, outs.identifiedBy],
        [false, "legacy-client", "clientId"],
      );
      assert.match(outs.manualSteps[0], /before 5\.0 there is one per database.*Client ID legacy-client/);
    } finally {
      await old.stop();
    }
  });

  it("identifies the Connect authorization by its Client ID; the name is only a hint", async () => {
    emu.state.apiAuthorizations.get(CONNECT_CLIENT_ID)!.Name = "Connect (renamed by someone tidying)";
    const outs = (await provider.create(inputsFor(emu, { expectedClientId: CONNECT_CLIENT_ID })))
      .outs as ConnectApiClientOutputs;
    assert.deepEqual(
      [outs.clientId, outs.identifiedBy, outs.available],
      [CONNECT_CLIENT_ID, "clientId", true],
    );
    assert.equal(emu.counters.byRoute["GET /apiauthorization/{key}"], 1, "one cheap read by Client ID");
    assert.equal(emu.counters.byRoute["GET /apiauthorization"], undefined, "no list needed");
  });

  it("by name only, it says which Client ID to configure", async () => {
    const outs = (await provider.create(inputsFor(emu))).outs as ConnectApiClientOutputs;
    assert.equal(outs.identifiedBy, "name");
    assert.match(
      outs.manualSteps[0],
      new RegExp(`set vantagepoint\\.connectApiClient\\.clientId to ${CONNECT_CLIENT_ID}`),
    );
  });

  it("never creates one for a configured Client ID that is gone, even when allowCreate", async () => {
    const before = emu.state.apiAuthorizations.size;
    const e = await errorOf(
      provider.create(inputsFor(emu, { expectedClientId: "deleted-client-id", allowCreate: true })),
    );
    assert.match(e.message, /No API Authorization has Client ID deleted-client-id.*nothing was created/);
    assert.equal(emu.state.apiAuthorizations.size, before);
    assert.equal(emu.counters.writes, 0);
  });

  it("refresh by Client ID shows drift when the record was edited", async () => {
    const created = await provider.create(inputsFor(emu, { expectedClientId: CONNECT_CLIENT_ID }));
    emu.seedBroken(["connectApiAuthEdited"]);
    const read = (await provider.read!(created.id, created.outs as ConnectApiClientOutputs))
      .props as ConnectApiClientOutputs;
    assert.deepEqual([read.drifted, read.missing], [true, false]);
  });

  it("a client adopted by an older release, Client ID upper-cased and padded on the server, is not drift", async () => {
    const rec = emu.state.apiAuthorizations.get(CONNECT_CLIENT_ID)! as unknown as Record<string, unknown>;
    rec.ClientId = `${CONNECT_CLIENT_ID.toUpperCase()}  `;
    const oldFp = preIssue17Fingerprint(rec);
    const created = await provider.create(inputsFor(emu));
    const adoptedBefore = {
      ...(created.outs as ConnectApiClientOutputs),
      fingerprint: oldFp,
      adoptedFingerprint: oldFp,
    };
    const read = (await provider.read!(created.id, adoptedBefore)).props as ConnectApiClientOutputs;
    assert.equal(read.drifted, false);
    assert.equal(read.adoptedFingerprint, oldFp);
    const diff = await provider.diff!(created.id, read, inputsFor(emu));
    assert.deepEqual([diff.changes, (diff as { detailedDiff: object }).detailedDiff], [false, {}]);
    // A real edit after that is still drift.
    rec.AllowPasswordGrant = "N";
    const edited = (await provider.read!(created.id, read)).props as ConnectApiClientOutputs;
    assert.equal(edited.drifted, true);
    assert.equal(emu.counters.writes, 0);
  });

  it("secrets never appear when the server echoes them", async () => {
    emu.faults.add({ kind: "echoSecrets", method: "GET", path: "/apiauthorization" });
    const e = await errorOf(provider.create(inputsFor(emu, { clientSecret: CONNECT_SECRET_SENTINEL })));
    for (const s of [SENTINEL_PASSWORD, SENTINEL_CLIENT_SECRET, CONNECT_SECRET_SENTINEL])
      assert.ok(!e.message.includes(s), e.message);
  });
});
