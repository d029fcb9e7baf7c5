import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { captureWarnings, installMocks, Harness } from "../support/pulumiMocks";
import { ConnectAdminRole, ConnectApiClient, ConnectRoster } from "../../components/vantagepoint";
import { startEmulator } from "../../emulator";
import { connectionFor, SENTINEL_CLIENT_SECRET, SENTINEL_PASSWORD } from "./helpers";

const DYNAMIC = "pulumi-nodejs:dynamic:Resource";
const CONNECT_SECRET = "Sentinel-Connect-Secret-mocks";

const connection = {
  url: "https://vp.example.com/vantagepoint/api",
  database: "VP",
  username: "VPCONNECT",
  password: SENTINEL_PASSWORD,
  clientId: "cid",
  clientSecret: SENTINEL_CLIENT_SECRET,
};

describe("Vantagepoint dynamic resources under setMocks", () => {
  let harness: Harness;
  before(async () => {
    harness = await installMocks();
  });
  after(() => harness.restore());
  beforeEach(() => harness.reset());

  it('warns in the preview wherever onDelete "deactivateUsers" is set, and never for the default', async () => {
    const warnings = captureWarnings();
    try {
      const entries = [{ userId: "jdoe", email: "jane@example.com", firstName: "Jane", lastName: "Doe" }];
      new ConnectRoster("quiet", { connection, entries });
      new ConnectRoster("loud", { connection, entries, onDelete: "deactivateUsers" });
      await harness.settle();
      const deactivation = warnings.messages.filter((m) => m.includes("deactivateUsers"));
      assert.equal(deactivation.length, 1, warnings.messages.join("\n"));
      assert.match(
        deactivation[0]!,
        /Connect then deletes that Connect user and removes the Vantagepoint data from their mailbox/,
      );
    } finally {
      warnings.stop();
    }
  });

  it("constructs all three; closure serialization succeeds; options and secrets are set", async () => {
    const roster = new ConnectRoster("roster", {
      connection,
      entries: [
        { userId: "jdoe", email: "jane@example.com", firstName: "Jane", lastName: "Doe", configurer: true },
      ],
    });
    const role = new ConnectAdminRole("role", { connection, role: "ADMIN" });
    const api = new ConnectApiClient("api", { connection, clientSecret: CONNECT_SECRET });
    const api2 = new ConnectApiClient(
      "api-unprotected",
      { connection },
      { protect: false, retainOnDelete: false },
    );
    await harness.settle();

    const dyn = harness.ofType(DYNAMIC);
    assert.deepEqual(dyn.map((r) => `${r.name}:${r.inputs.vpconnectResource}`).sort(), [
      "api-unprotected:ConnectApiClient",
      "api:ConnectApiClient",
      "role:ConnectAdminRole",
      "roster:ConnectRoster",
    ]);
    for (const r of dyn) {
      assert.equal(typeof r.inputs.__provider, "string");
      assert.match(r.inputs.__provider, /exports\.handler/);
      for (const s of [SENTINEL_PASSWORD, SENTINEL_CLIENT_SECRET, CONNECT_SECRET])
        assert.ok(!r.inputs.__provider.includes(s), "no secret in the serialized provider");
      assert.ok(r.secretPaths.includes("connection"), `${r.name}: connection is a secret input`);
      assert.ok(r.additionalSecretOutputs.includes("connection"));
    }
    const byName = (n: string) => dyn.find((r) => r.name === n)!;
    assert.deepEqual([byName("api").protect, byName("api").retainOnDelete], [true, true]);
    assert.ok(byName("api").additionalSecretOutputs.includes("clientSecret"));
    assert.ok(byName("api").secretPaths.includes("clientSecret"));
    assert.deepEqual(
      [byName("api-unprotected").protect, byName("api-unprotected").retainOnDelete],
      [false, false],
    );
    assert.equal(byName("roster").inputs.onDelete, "detach");
    assert.equal(byName("role").inputs.requireAdministratorType, true);
    assert.equal(byName("api").inputs.name, "Vantagepoint Connect");
    assert.equal(byName("api").inputs.allowCreate, false);
    // additionalSecretOutputs is applied by the engine (checked above as an option), not by mocks.
    void [roster, role, api, api2];
  });

  it("the serialized ConnectRoster provider runs in a plain node process (as the engine's provider host does)", async function () {
    this.timeout(60000);
    const roster = new ConnectRoster("roster2", { connection, entries: [] });
    void roster;
    await harness.settle();
    const text = harness.ofType(DYNAMIC).find((r) => r.name === "roster2")!.inputs.__provider as string;
    const emu = await startEmulator({ seed: { employees: 20 } });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vpconnect-provider-"));
    try {
      const file = path.join(dir, "provider.js");
      fs.writeFileSync(file, text);
      const inputs = {
        vpconnectResource: "ConnectRoster",
        connection: connectionFor(emu),
        entries: [
          { userId: "host.test", email: "host.test@example.com", firstName: "Host", lastName: "Test" },
        ],
        onDelete: "detach",
        newEmployees: { key: "sequence", prefix: "H" },
      };
      const script = `
        const rfs = require("require-from-string");
        const provider = rfs(require("fs").readFileSync(${JSON.stringify(file)}, "utf8")).handler();
        const inputs = JSON.parse(process.argv[1]);
        (async () => {
          const checked = await provider.check({}, inputs);
          const created = await provider.create(checked.inputs);
          console.log(JSON.stringify({ failures: checked.failures, people: created.outs.people }));
        })().catch((e) => { console.error(e.message); process.exit(1); });`;
      const env = { ...process.env };
      delete env.TS_NODE_TRANSPILE_ONLY;
      const out = await new Promise<string>((resolve, reject) =>
        execFile(
          process.execPath,
          ["-e", script, JSON.stringify(inputs)],
          { cwd: path.resolve(__dirname, "../.."), env: { ...env, NODE_OPTIONS: "" } },
          (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout)),
        ),
      );
      const result = JSON.parse(out.trim().split("\n").pop()!);
      assert.deepEqual(result.failures, []);
      assert.equal(result.people[0].userId, "host.test");
      assert.equal(result.people[0].linked, true);
      assert.equal(emu.state.users.get("host.test")!.Employee, result.people[0].employee);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      await emu.stop();
    }
  });
});
