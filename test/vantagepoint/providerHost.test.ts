/**
 * The providers as the real engine runs them: serialized by Pulumi's closure serializer, stored in the state as
 * `__provider`, loaded with require-from-string by the dynamic-provider host, a plain `node` process (no ts-node
 * registered) whose working folder is the project folder. `pulumi refresh` and `pulumi destroy` run the copy stored
 * in the state, which may have been serialized in another checkout folder.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { Emulator } from "../../emulator";
import { connectRosterProvider, ConnectRosterInputs } from "../../components/vantagepoint/connectRoster";
import { connectionFor, withEmulator } from "./helpers";

const PROJECT = path.resolve(__dirname, "../..");

/** What cmd/dynamic-provider does with `__provider`: requireFromString(text).handler(), then one method. */
const HOST_SCRIPT = `
const requireFromString = require(${JSON.stringify(require.resolve("require-from-string", { paths: [path.dirname(require.resolve("@pulumi/pulumi"))] }))});
const [file, method, argsJson] = process.argv.slice(2);
const provider = requireFromString(require("node:fs").readFileSync(file, "utf8")).handler();
provider[method](...JSON.parse(argsJson)).then(
  (r) => { process.stdout.write(JSON.stringify({ ok: r ?? null })); process.exit(0); },
  (e) => { process.stdout.write(JSON.stringify({ error: String(e && e.message) })); process.exit(0); },
);
`;

interface HostReply {
  ok?: { failures?: unknown[]; id?: string; props?: { people: Array<{ userId: string; linked: boolean }> } };
  error?: string;
}

async function serialized(): Promise<string> {
  const sf = await pulumi.runtime.serializeFunction(() => connectRosterProvider, { allowSecrets: true });
  return sf.text;
}

/** Runs one provider method in a plain node process in the project folder, like the engine's host. */
function runInHost(dir: string, text: string, method: string, args: unknown[]): Promise<HostReply> {
  const providerFile = path.join(dir, "provider.js");
  const hostFile = path.join(dir, "host.js");
  fs.writeFileSync(providerFile, text);
  fs.writeFileSync(hostFile, HOST_SCRIPT);
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith("TS_NODE_") || k === "NODE_OPTIONS") delete env[k];
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [hostFile, providerFile, method, JSON.stringify(args)],
      { cwd: PROJECT, env, timeout: 60_000 },
      (err, stdout, stderr) => {
        if (err) return reject(new Error(`host failed: ${err.message}\n${stderr}`));
        try {
          resolve(JSON.parse(stdout));
        } catch {
          reject(new Error(`host printed no result: ${stdout}\n${stderr}`));
        }
      },
    );
  });
}

describe("Vantagepoint providers under the dynamic-provider host (plain node, serialized closure)", function () {
  this.timeout(120_000);
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "vp-host-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const inputsFor = (emu: Emulator): ConnectRosterInputs => ({
    vpconnectResource: "ConnectRoster",
    connection: connectionFor(emu, { pageSize: 50 }),
    entries: [
      {
        userId: "host.test@contoso.example",
        email: "host.test@contoso.example",
        firstName: "Host",
        lastName: "Test",
      },
    ],
    onDelete: "detach",
    newEmployees: { key: "sequence", prefix: "H" },
  });

  it("check and read work in a plain node process (the library is TypeScript: ts-node is registered there)", async () => {
    const text = await serialized();
    await withEmulator({}, async (emu) => {
      const inputs = inputsFor(emu);
      const checked = await runInHost(dir, text, "check", [{}, inputs]);
      assert.equal(checked.error, undefined);
      assert.deepEqual(checked.ok?.failures, []);
      const read = await runInHost(dir, text, "read", ["connect-roster-x", { ...inputs, people: [] }]);
      assert.equal(read.error, undefined);
      assert.equal(read.ok?.id, "connect-roster-x");
      assert.equal(read.ok?.props?.people.length, 1);
      // Not in Vantagepoint yet: read reports the person as not linked (it writes nothing).
      assert.equal(read.ok?.props?.people[0].userId, "host.test@contoso.example");
      assert.equal(read.ok?.props?.people[0].linked, false);
    });
  });

  it("refresh with a provider serialized in another checkout folder still loads the library", async () => {
    // The state written by `pulumi up` from another folder holds that folder's paths; refresh and destroy run it.
    const text = (await serialized()).split(PROJECT).join("/nonexistent/old-checkout/vantagepoint-connect");
    assert.ok(text.includes("/nonexistent/old-checkout/"), "the serialized provider bakes in a path");
    await withEmulator({}, async (emu) => {
      const inputs = inputsFor(emu);
      const read = await runInHost(dir, text, "read", ["connect-roster-x", { ...inputs, people: [] }]);
      assert.equal(read.error, undefined, read.error);
      assert.equal(read.ok?.props?.people.length, 1);
    });
  });
});
