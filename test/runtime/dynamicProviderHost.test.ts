/**
 * The Vantagepoint providers in Pulumi's own dynamic provider host (`@pulumi/pulumi/cmd/dynamic-provider`),
 * started as the CLI starts it and driven over gRPC as the engine drives it, with the `__provider` the SDK
 * serialized when the program ran (captured from a run under mocks), against the project's emulator.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CONNECT_CLIENT_ID, startEmulator, type Emulator } from "../../emulator";
import {
  ProviderCallError,
  startDynamicProviderHost,
  startEngine,
  runtimeOptionsOf,
  type DynamicProviderHost,
  type EngineServer,
} from "../../evaluator/grpc";
import { SERIALIZED_SECRET_MESSAGE } from "../../evaluator/program";
import {
  captureDynamicResources,
  copyProject,
  ROOT,
  runCapturing,
  secretsIn,
  type CapturedDynamic,
} from "./support";
import { rosterEntriesOf } from "../../lib/vantagepoint/rosterText";

const PROJECT = "vantagepoint-connect";
/** Stand-ins for the stack's two secrets: they must never appear in a serialized provider or the host's output. */
const PASSWORD = "Pw-sentinel-7Kq2-host";
const CLIENT_SECRET = "Cs-sentinel-9Vx4-host";

async function startHost(engine: EngineServer, programDir: string): Promise<DynamicProviderHost> {
  return startDynamicProviderHost({
    programDir,
    engineAddress: engine.address,
    project: PROJECT,
    runtimeOptions: runtimeOptionsOf(programDir),
    env: { VPCONNECT_RETRY_BASE_MS: "5" },
  });
}

describe("runtime: the providers in Pulumi's dynamic provider host", function () {
  this.timeout(120_000);
  let captured: CapturedDynamic[];
  let engine: EngineServer;
  let host: DynamicProviderHost;
  let emu: Emulator;

  before(async () => {
    captured = await captureDynamicResources({
      cwd: ROOT,
      stack: "dev",
      secretOverrides: { "vantagepoint.password": PASSWORD, "vantagepoint.clientSecret": CLIENT_SECRET },
    });
    engine = await startEngine();
    host = await startHost(engine, ROOT);
    emu = await startEmulator({ broken: ["roleWithoutConnectAdmin"] });
    const { config, secretKeys } = captured[0]!.stackConfig;
    assert.deepEqual(await host.configure(config, secretKeys), { acceptSecrets: false });
  });
  after(async () => {
    await host?.stop();
    await engine?.stop();
    await emu?.stop();
  });
  beforeEach(() => emu.reset());

  /** The resource of `kind` as the engine would send it: its inputs, pointed at the emulator, with __provider. */
  function resource(kind: string) {
    const r = captured.find((c) => c.kind === kind);
    assert.ok(r, `the program registers a ${kind}`);
    const news: Record<string, unknown> = {
      ...r.inputs,
      connection: emu.connection(),
      __provider: r.serializedProvider,
    };
    return { target: { urn: r.urn, name: r.name }, news };
  }

  it("the program registers the three providers, each serialized, with its engine URN", () => {
    assert.deepEqual(captured.map((c) => c.kind).sort(), [
      "ConnectAdminRole",
      "ConnectApiClient",
      "ConnectRoster",
    ]);
    for (const c of captured) {
      assert.match(c.serializedProvider, /exports\.handler = /);
      assert.match(c.urn, /::vantagepoint-connect:index:ConnectSite\$pulumi-nodejs:dynamic:Resource::/);
    }
  });

  it("no secret is captured in a serialized provider (the state stores __provider in plaintext)", () => {
    for (const c of captured) {
      assert.deepEqual(secretsIn(c.serializedProvider, [PASSWORD, CLIENT_SECRET]), [], c.kind);
      // The connection (with its password) travels as a secret input, never inside the closure.
      assert.equal((c.inputs.connection as { password?: string }).password, PASSWORD);
    }
  });

  it("a provider that captures a secret (a password read at module scope) is caught, and fails the check", async () => {
    const { captured: leaky, report } = await runCapturing({
      cwd: ROOT,
      stack: "dev",
      program: "test/fixtures/programs/leaky-provider/index.js",
      secretOverrides: { "vantagepoint.password": PASSWORD, "vantagepoint.clientSecret": CLIENT_SECRET },
    });
    assert.equal(leaky.length, 1);
    assert.deepEqual(secretsIn(leaky[0]!.serializedProvider, [PASSWORD, CLIENT_SECRET]), [PASSWORD]);
    // vpconnect check refuses it: pulumi up would write the password unencrypted into the state.
    assert.ok(report.programError?.includes(`leaky: ${SERIALIZED_SECRET_MESSAGE}`), report.programError);
    assert.notEqual(report.exitCode, 0);
    assert.deepEqual(
      secretsIn(JSON.stringify(report), [PASSWORD]),
      [],
      "the report itself holds no plaintext",
    );
  });

  it("ConnectAdminRole: check, create, read, diff, update and delete as the engine calls them", async () => {
    const { target, news } = resource("ConnectAdminRole");
    const admin = () => emu.state.roles.get("admin")!;
    assert.equal(admin().Connect, "N", "seeded without the Connect permission (named Connect from 7.0)");

    const bad = await host.check(target, {}, { ...news, role: " " });
    assert.deepEqual(
      bad.failures.map((f) => f.property),
      ["role"],
    );
    const checked = await host.check(target, {}, news);
    assert.deepEqual(checked.failures, []);
    assert.equal(
      checked.inputs.__provider,
      news.__provider,
      "the host keeps __provider in the checked inputs",
    );

    const created = await host.create(target, checked.inputs);
    assert.match(created.id, /^connect-admin-role-[0-9a-f]{12}-admin$/);
    assert.equal(created.properties.connectAdministration, true);
    assert.equal(admin().Connect, "Y", "create granted the Connect permission on the server");

    const read = await host.read(target, created.id, created.properties);
    assert.equal(read.id, created.id);
    assert.equal(read.properties.connectAdministration, true);
    assert.equal(
      read.properties.roleType,
      "Accounting,CRM,Administrator",
      "Administrator added, no type removed",
    );

    assert.equal((await host.diff(target, created.id, created.properties, checked.inputs)).changes, false);
    const renamed = (await host.check(target, created.properties, { ...news, role: "CONNECTADMIN" })).inputs;
    const diff = await host.diff(target, created.id, created.properties, renamed);
    assert.equal(diff.changes, true);
    assert.deepEqual(diff.replaces, []);
    assert.equal(emu.state.roles.get("connectadmin")!.Connect, "N");
    const updated = await host.update(target, created.id, created.properties, renamed);
    assert.equal(updated.properties.role, "CONNECTADMIN");
    assert.equal(emu.state.roles.get("connectadmin")!.Connect, "Y");

    const writes = emu.counters.writes;
    await host.delete(target, created.id, updated.properties);
    assert.equal(
      emu.counters.writes,
      writes,
      "delete leaves the grant (revoking could lock the configurer out)",
    );
  });

  it("ConnectApiClient: adopts, reads drift, diffs, re-adopts on update, never deletes", async () => {
    const { target, news } = resource("ConnectApiClient");
    const checked = await host.check(target, {}, news);
    assert.deepEqual(checked.failures, []);
    const created = await host.create(target, checked.inputs);
    assert.equal(created.id, CONNECT_CLIENT_ID);
    assert.equal(created.properties.clientId, CONNECT_CLIENT_ID);
    assert.equal(created.properties.drifted, false);

    const same = await host.read(target, created.id, created.properties);
    assert.equal(same.properties.drifted, false);
    emu.state.apiAuthorizations.get(CONNECT_CLIENT_ID)!.Scopes = "Everything";
    const drifted = await host.read(target, created.id, same.properties);
    assert.equal(drifted.properties.drifted, true, "refresh shows someone edited the record");
    const diff = await host.diff(target, created.id, drifted.properties, checked.inputs);
    assert.equal(diff.changes, true);

    const before = emu.snapshotApiAuthorizations();
    const updated = await host.update(target, created.id, drifted.properties, checked.inputs);
    assert.equal(updated.properties.clientId, CONNECT_CLIENT_ID);
    await host.delete(target, created.id, updated.properties);
    assert.equal(emu.snapshotApiAuthorizations(), before, "update re-adopts and delete writes nothing");
  });

  it("ConnectRoster: seeds the people, reads them, diffs and applies an added person, detaches on delete", async () => {
    const { target, news } = resource("ConnectRoster");
    // ConnectRoster writes its people as roster text; a list (as inputs held them before) is read the same way.
    assert.equal(typeof news.entries, "string");
    const entries = rosterEntriesOf(news.entries) as unknown as Array<Record<string, unknown>>;
    const checked = await host.check(target, {}, news);
    assert.deepEqual(checked.failures, []);
    const badEntries = [...entries, { ...entries[1], userId: "", email: "not-an-address" }];
    const bad = await host.check(target, {}, { ...news, entries: badEntries });
    assert.ok(
      bad.failures.some((f) => f.property.startsWith(`entries[${entries.length}].`)),
      JSON.stringify(bad.failures),
    );

    const created = await host.create(target, checked.inputs);
    for (const e of entries)
      assert.ok(emu.state.users.get(String(e.userId).toLowerCase()), `${e.userId} seeded`);
    const people = created.properties.people as Array<{ userId: string; linked: boolean }>;
    assert.equal(people.length, entries.length);

    const read = await host.read(target, created.id, created.properties);
    assert.ok((read.properties.people as Array<{ linked: boolean }>).every((p) => p.linked));

    const added = { userId: "NHOST", email: "new.host@example.com", firstName: "New", lastName: "Host" };
    const grown = (await host.check(target, created.properties, { ...news, entries: [...entries, added] }))
      .inputs;
    const diff = await host.diff(target, created.id, created.properties, grown);
    assert.equal(diff.changes, true);
    assert.equal(emu.state.users.get("nhost"), undefined);
    const updated = await host.update(target, created.id, created.properties, grown);
    assert.ok(emu.state.users.get("nhost"), "update seeded the added person");

    const writes = emu.counters.writes;
    await host.delete(target, created.id, updated.properties);
    assert.equal(emu.counters.writes, writes, "onDelete detach writes nothing");
  });

  it("a failed create reaches the engine as the provider's error, without the password", async () => {
    const { target, news } = resource("ConnectAdminRole");
    const wrong = { ...news, connection: { ...emu.connection(), password: PASSWORD } };
    const checked = await host.check(target, {}, wrong);
    await assert.rejects(host.create(target, checked.inputs), (e: Error) => {
      assert.ok(e instanceof ProviderCallError);
      assert.match(e.message, /invalid_grant|password|credentials/i);
      assert.deepEqual(secretsIn(e.message, [PASSWORD]), []);
      return true;
    });
    assert.deepEqual(secretsIn(host.output(), [PASSWORD, CLIENT_SECRET, emu.credentials.password]), []);
  });

  it("from another checkout: a provider serialized in a folder that is gone runs in a copy of the project", async () => {
    const base = fs.mkdtempSync(path.join(os.tmpdir(), "vp-checkouts-"));
    const first = copyProject(path.join(base, "first"));
    const second = copyProject(path.join(base, "second"));
    const otherEngine = await startEngine();
    let otherHost: DynamicProviderHost | undefined;
    try {
      // `pulumi up` ran in the first checkout: its serialized provider names that folder.
      const [roster] = (
        await captureDynamicResources({
          cwd: first,
          stack: "dev",
          secretOverrides: { "vantagepoint.password": PASSWORD, "vantagepoint.clientSecret": CLIENT_SECRET },
        })
      ).filter((c) => c.kind === "ConnectRoster");
      assert.ok(roster!.serializedProvider.includes(first), "the closure bakes in the first checkout's path");
      fs.rmSync(first, { recursive: true, force: true });
      // `pulumi refresh` / `up` / `destroy` from the second checkout: the host runs there.
      otherHost = await startHost(otherEngine, second);
      await otherHost.configure(roster!.stackConfig.config, roster!.stackConfig.secretKeys);
      const target = { urn: roster!.urn, name: roster!.name };
      const news = {
        ...roster!.inputs,
        connection: emu.connection(),
        __provider: roster!.serializedProvider,
      };
      const checked = await otherHost.check(target, {}, news);
      assert.deepEqual(checked.failures, []);
      const created = await otherHost.create(target, checked.inputs);
      const read = await otherHost.read(target, created.id, created.properties);
      assert.equal(
        (read.properties.people as unknown[]).length,
        rosterEntriesOf(roster!.inputs.entries).length,
      );
      await otherHost.delete(target, created.id, read.properties);
    } finally {
      await otherHost?.stop();
      await otherEngine.stop();
      fs.rmSync(base, { recursive: true, force: true });
    }
  });
});
