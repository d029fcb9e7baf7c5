/**
 * Secrets: the whole flow runs with a sentinel value for every secret (the Vantagepoint password and API client
 * secret, the Connect API client's secret): config loading, `vpconnect check` in every format while seeding the
 * emulator for real, the program under mocks, every provider operation, errors from bad passwords and from servers
 * that echo credentials, warnings and debug logging. Every produced byte is scanned; a sentinel may appear only
 * where it is marked secret (the mock harness records secret inputs in plaintext by design).
 */
import "./support/tally";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { inspect } from "node:util";
import { makeCheckCommand } from "../../cli/check";
import { captureIo } from "../support/io";
import {
  connectAdminRoleProvider,
  connectApiClientProvider,
  connectRosterProvider,
} from "../../components/vantagepoint";
import type { ConnectRosterOutputs } from "../../components/vantagepoint/connectRoster";
import { DEMO_CREDENTIALS, startEmulator } from "../../emulator";
import type { Emulator } from "../../emulator";
import { loadPacks, runCheck } from "../../evaluator/check";
import { providerExecutor } from "../../evaluator/dynamic";
import { ConfigError, loadStackConfig } from "../../lib/config/load";
import { readRosterFile } from "../../lib/config/rosterFile";
import { parseStackFile } from "../../lib/config/stackFile";
import { captureWarnings, installMocks } from "../support/pulumiMocks";
import type { Harness } from "../support/pulumiMocks";
import { ROOT } from "./support/badConfigs";
import { registered, runProgramUnderMocks } from "./support/program";
import { describeFindings, scan, SENTINEL_VALUES, SENTINELS, spellings } from "./support/sentinels";
import { tally } from "./support/tally";

const DEV_TEXT = fs.readFileSync(path.join(ROOT, "stacks/Pulumi.dev.yaml"), "utf8");
const WRONG_PASSWORD = "Sentinel-Wrong-Password-2c8e4b90";
const ALL_SECRETS = [...SENTINEL_VALUES, WRONG_PASSWORD];

/** Asserts `content` holds no sentinel in any spelling (and counts its bytes). */
function assertClean(source: string, content: string | Buffer, secrets: readonly string[] = ALL_SECRETS) {
  const text = typeof content === "string" ? content : content.toString("utf8");
  const findings = scan(source, text, secrets);
  assert.deepEqual(findings, [], describeFindings(findings, text));
}

/** Everything an error shows: message, stack, inspect (with cause and own properties). */
function errorText(error: unknown): string {
  return [String(error), (error as Error)?.stack ?? "", inspect(error, { depth: 8 })].join("\n");
}

/**
 * Walks a recorded value; a string holding a sentinel is allowed only at (or under) one of `secretPaths`.
 * Counts the bytes and every sentinel outside a secret path as a leak.
 */
function assertSentinelsOnlyAtSecretPaths(
  source: string,
  value: unknown,
  secretPaths: readonly string[],
): number {
  let atSecretPaths = 0;
  const leaks: string[] = [];
  const under = (p: string) =>
    secretPaths.some((s) => p === s || p.startsWith(`${s}.`) || p.startsWith(`${s}[`));
  const walk = (v: unknown, p: string) => {
    if (typeof v === "string") {
      const hit = ALL_SECRETS.some((secret) => spellings(secret).some((form) => v.includes(form)));
      if (hit && under(p)) atSecretPaths++;
      else if (hit) leaks.push(p);
    } else if (Array.isArray(v)) v.forEach((c, i) => walk(c, `${p}[${i}]`));
    else if (v !== null && typeof v === "object")
      for (const [k, c] of Object.entries(v)) walk(c, p ? `${p}.${k}` : k);
  };
  walk(value, "");
  tally.secrets.bytes += Buffer.byteLength(JSON.stringify(value) ?? "");
  tally.secrets.sources++;
  tally.secrets.leaks += leaks.length;
  assert.deepEqual(leaks, [], `${source}: a sentinel outside a secret-marked path`);
  return atSecretPaths;
}

/** The dev stack pointed at the emulator, with a Connect client secret and a role the emulator knows. */
function stackFileFor(emu: Emulator): string {
  const c = emu.credentials;
  return DEV_TEXT.replace(
    "apiUrl: https://vp-dev-web.corp.example.com/vantagepoint/api",
    `apiUrl: ${emu.url}`,
  )
    .replace("database: VP_DEV", `database: ${c.database}`)
    .replace("username: svc-pulumi", `username: ${c.username}`)
    .replace("clientId: vpconnect-provisioning", `clientId: ${c.clientId}`)
    .replace(
      "      name: Vantagepoint Connect",
      "      name: Vantagepoint Connect\n      clientSecret:\n        secure: v1:Y29ubmVjdHNlY3Jl:c2VjcmV0LWNpcGhlcnRleHQ=",
    )
    .replace("defaultRole: CONNECT", "defaultRole: PM");
}

const SECRET_OVERRIDES = {
  "vantagepoint.password": SENTINELS.password,
  "vantagepoint.clientSecret": SENTINELS.clientSecret,
  "vantagepoint.connectApiClient.clientSecret": SENTINELS.connectClientSecret,
};

describe("secrets: sentinels never appear in plaintext", function () {
  this.timeout(120_000);
  let emu: Emulator;
  let work: string;
  let stackFile: string;
  const savedEnv: Record<string, string | undefined> = {};

  before(async () => {
    for (const [k, v] of Object.entries({
      VPCONNECT_RETRY_BASE_MS: "1",
      VPCONNECT_RETRY_MAX_MS: "4",
      VPCONNECT_MAX_RETRY_AFTER_MS: "4",
    })) {
      savedEnv[k] = process.env[k];
      process.env[k] = v;
    }
    emu = await startEmulator({
      seed: { employees: 40 },
      credentials: { password: SENTINELS.password, clientSecret: SENTINELS.clientSecret },
    });
    work = fs.mkdtempSync(path.join(os.tmpdir(), "vpc-secrets-"));
    stackFile = path.join(work, "Pulumi.secrets.yaml");
    fs.writeFileSync(stackFile, stackFileFor(emu));
  });
  after(async () => {
    await emu.stop();
    fs.rmSync(work, { recursive: true, force: true });
    for (const [k, v] of Object.entries(savedEnv)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });
  beforeEach(() => emu.reset());

  it("config loading: the loaded config, printed every way, shows no secret", () => {
    const { config } = parseStackFile(fs.readFileSync(stackFile, "utf8"), "Pulumi.secrets.yaml");
    const loaded = loadStackConfig(config, {
      source: "Pulumi.secrets.yaml",
      secretOverrides: SECRET_OVERRIDES,
      readFile: (p) => fs.readFileSync(path.resolve(ROOT, p), "utf8"),
      parseRosterFile: readRosterFile,
    });
    assert.equal(
      loaded.config.vantagepoint.password.reveal(),
      SENTINELS.password,
      "the value is there to use",
    );
    assertClean("loaded config JSON", JSON.stringify(loaded));
    assertClean("loaded config inspect", inspect(loaded, { depth: null, showHidden: true }));
    assertClean(
      "secret as text",
      `${String(loaded.config.vantagepoint.password)} ${loaded.config.vantagepoint.clientSecret}`,
    );

    // A config with problems beside the secrets: the error lists the problems, never the secrets.
    const broken = structuredClone(config) as Record<string, Record<string, unknown>>;
    broken["vpconnect:site"]!.publicHostname = "http://x";
    (broken["vpconnect:vantagepoint"] as Record<string, unknown>).password = SENTINELS.password; // plaintext in the file
    assert.throws(
      () =>
        loadStackConfig(broken, {
          source: "Pulumi.secrets.yaml",
          secretOverrides: { "vantagepoint.clientSecret": SENTINELS.clientSecret },
        }),
      (e: unknown) => {
        assert.ok(e instanceof ConfigError);
        assert.ok(
          e.issues.some((i) => i.key === "vpconnect:vantagepoint.password" && /in plaintext/.test(i.message)),
        );
        assertClean("config error", errorText(e));
        return true;
      },
    );
  });

  it("vpconnect check, every format, seeding the emulator for real: stdout, stderr, reports and captured state", async () => {
    const out = path.join(work, "reports");
    const output = captureIo(ROOT, { ...process.env });
    const io = output.io;
    let report: unknown;
    const packs = loadPacks(["policies"], [], ROOT, ROOT);
    const command = makeCheckCommand({
      prepare: async (_flags, options) => ({
        options: {
          ...options,
          loadedPacks: packs,
          secretOverrides: SECRET_OVERRIDES,
          dynamicExecutor: async (type, name, inputs) => {
            const outs = await providerExecutor({
              ConnectRoster: connectRosterProvider,
              ConnectAdminRole: connectAdminRoleProvider,
              ConnectApiClient: connectApiClientProvider,
            })(type, name, inputs);
            report = [...((report as unknown[]) ?? []), { name, outs }];
            return outs;
          },
        },
      }),
    });
    const code = await command.run(
      ["--config", stackFile, "--format", "table,json,sarif,junit,markdown,html", "--out", out],
      io,
    );
    assert.ok(
      code === 0 || code === 1,
      `the check ran the program (exit ${code}):\n${output.stdout}\n${output.stderr}`,
    );
    assert.ok(emu.counters.tokenGrants > 0, "the providers signed in to the emulator");

    assertClean("check stdout", output.stdout);
    assertClean("check stderr", output.stderr);
    const files = fs.readdirSync(out);
    assert.deepEqual(files.map((f) => path.extname(f)).sort(), [".html", ".json", ".md", ".sarif", ".xml"]);
    for (const f of files) assertClean(`report ${f}`, fs.readFileSync(path.join(out, f)));
    // The provider outputs the check captured carry the secrets only inside the secret-marked connection/clientSecret.
    const captured = report as Array<{ name: string; outs: Record<string, unknown> }>;
    assert.equal(captured.length, 3);
    const atSecret = captured.reduce(
      (n, r) =>
        n +
        assertSentinelsOnlyAtSecretPaths(`provider outputs ${r.name}`, r.outs, [
          "connection",
          "clientSecret",
        ]),
      0,
    );
    assert.ok(atSecret >= 6, "the sentinels did flow through the providers (connection and clientSecret)");
    // The evaluator's captured state itself (every resource's inputs and outputs, as policies see them).
    const checkReport = await runCheck({
      cwd: ROOT,
      configFile: stackFile,
      loadedPacks: packs,
      secretOverrides: SECRET_OVERRIDES,
      dynamicExecutor: providerExecutor({
        ConnectRoster: connectRosterProvider,
        ConnectAdminRole: connectAdminRoleProvider,
        ConnectApiClient: connectApiClientProvider,
      }),
    });
    assert.ok(checkReport.resources.length > 20, "the program ran");
    assert.ok(
      JSON.stringify(checkReport).includes('"[secret]"'),
      "secret inputs are in the captured state, masked",
    );
    assertClean("captured check state", JSON.stringify(checkReport));
    assertClean("captured check state (inspect)", inspect(checkReport, { depth: null }));
    for (const userId of ["ADMIN.JONES", "ALEE", "MGARCIA", "SCHEN", "JOKAFOR", "RNOVAK"]) {
      assert.ok(emu.state.users.get(userId.toLowerCase())?.Employee, `${userId} seeded and linked`);
    }
    assert.deepEqual(emu.leaks, []);
  });

  it("a bad password through vpconnect check: the error is reported, neither password appears", async () => {
    const out = path.join(work, "bad-password");
    const captured = captureIo(ROOT, { ...process.env });
    const io = captured.io;
    const command = makeCheckCommand({
      prepare: async (_flags, options) => ({
        options: {
          ...options,
          secretOverrides: { ...SECRET_OVERRIDES, "vantagepoint.password": WRONG_PASSWORD },
          dynamicExecutor: providerExecutor({ ConnectRoster: connectRosterProvider }),
        },
      }),
    });
    const code = await command.run(["--config", stackFile, "--format", "json,markdown", "--out", out], io);
    assert.equal(code, 2, "a program that fails is exit 2");
    assert.match(captured.stderr + captured.stdout, /The user name or password is incorrect/);
    assertClean("bad password stdout", captured.stdout);
    assertClean("bad password stderr", captured.stderr);
    for (const f of fs.readdirSync(out)) assertClean(`bad password ${f}`, fs.readFileSync(path.join(out, f)));
  });

  it("the program under mocks: sentinels only at secret-marked inputs; warnings carry none", async () => {
    const harness: Harness = await installMocks({ stack: "secrets" });
    const warnings = captureWarnings();
    try {
      const { config } = parseStackFile(fs.readFileSync(stackFile, "utf8"), "x");
      const engine: { config: Record<string, string>; secretKeys: string[] } = { config: {}, secretKeys: [] };
      for (const [key, value] of Object.entries(config)) {
        const plain = JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
        if (key === "vpconnect:vantagepoint") {
          plain.password = SENTINELS.password;
          plain.clientSecret = SENTINELS.clientSecret;
          (plain.connectApiClient as Record<string, unknown>).clientSecret = SENTINELS.connectClientSecret;
          engine.secretKeys.push(key);
        }
        engine.config[key] = typeof plain === "string" ? plain : JSON.stringify(plain);
      }
      const thrown = await runProgramUnderMocks(harness, engine, path.join(work, "no-such-stack-file.yaml"));
      assert.equal(thrown, undefined, String(thrown));
      assert.ok(registered(harness).length > 20);
      let atSecret = 0;
      for (const r of harness.resources) {
        atSecret += assertSentinelsOnlyAtSecretPaths(`${r.type} ${r.name}`, r.inputs, r.secretPaths);
      }
      assert.ok(atSecret >= 3, "the secrets reached the dynamic resources (as secrets)");
      assertClean("pulumi.log warnings", warnings.messages.join("\n"));
    } finally {
      warnings.stop();
      harness.restore();
    }
  });

  it("every provider operation: outputs hold the secrets only where marked secret, errors never", async () => {
    const connection = emu.connection();
    const people = [
      { userId: "SECRET.TEST", email: "secret.test@example.com", firstName: "S", lastName: "T", role: "PM" },
    ];
    const roster = await connectRosterProvider.create({
      vpconnectResource: "ConnectRoster",
      connection,
      entries: people,
      onDelete: "deactivateUsers",
      newEmployees: { key: "sequence", prefix: "C" },
    });
    const read = await connectRosterProvider.read!(roster.id, roster.outs!);
    const updated = await connectRosterProvider.update!(roster.id, roster.outs!, {
      ...roster.outs!,
      entries: [],
    });
    await connectRosterProvider.delete!(roster.id, updated.outs as ConnectRosterOutputs);
    const role = await connectAdminRoleProvider.create({
      vpconnectResource: "ConnectAdminRole",
      connection,
      role: "ADMIN",
      requireAdministratorType: true,
    });
    const roleRead = await connectAdminRoleProvider.read!(role.id, role.outs!);
    const api = await connectApiClientProvider.create({
      vpconnectResource: "ConnectApiClient",
      connection,
      name: "Vantagepoint Connect",
      allowCreate: false,
      clientSecret: SENTINELS.connectClientSecret,
    });
    const apiRead = await connectApiClientProvider.read!(api.id, api.outs!);
    const diff = await connectApiClientProvider.diff!(api.id, apiRead.props!, api.outs!);
    for (const [name, value, secretPaths] of [
      ["roster create", roster, ["outs.connection"]],
      ["roster read", read, ["props.connection"]],
      ["roster update", updated, ["outs.connection"]],
      ["role create", role, ["outs.connection"]],
      ["role read", roleRead, ["props.connection"]],
      ["api client create", api, ["outs.connection", "outs.clientSecret"]],
      ["api client read", apiRead, ["props.connection", "props.clientSecret"]],
      ["api client diff", diff, []],
    ] as const) {
      assertSentinelsOnlyAtSecretPaths(name, value, secretPaths);
    }

    // Failures: a wrong password, a wrong client secret, a server echoing credentials and tokens back.
    const failures: unknown[] = [];
    const attempt = async (p: Promise<unknown>) => {
      try {
        await p;
        failures.push(new Error("expected a failure"));
      } catch (e) {
        failures.push(e);
      }
    };
    const wrong = { ...connection, password: WRONG_PASSWORD };
    await attempt(
      connectRosterProvider.create({
        vpconnectResource: "ConnectRoster",
        connection: wrong,
        entries: people,
        onDelete: "detach",
      }),
    );
    await attempt(
      connectAdminRoleProvider.read!("r", {
        ...role.outs!,
        connection: { ...connection, clientSecret: WRONG_PASSWORD },
      }),
    );
    for (const [where, op] of [
      ["/token", () => connectApiClientProvider.read!(api.id, api.outs!)],
      ["/employee", () => connectRosterProvider.read!(roster.id, roster.outs!)],
      [
        "/security/role",
        () =>
          connectAdminRoleProvider.create({
            vpconnectResource: "ConnectAdminRole",
            connection,
            role: "ADMIN",
            requireAdministratorType: true,
          }),
      ],
      [
        "/apiauthorization",
        () =>
          connectApiClientProvider.create({
            vpconnectResource: "ConnectApiClient",
            connection,
            name: "Vantagepoint Connect",
            allowCreate: false,
            clientSecret: SENTINELS.connectClientSecret,
          }),
      ],
    ] as const) {
      emu.faults.clear();
      emu.faults.add({ kind: "echoSecrets", path: where });
      await attempt(op());
    }
    assert.equal(failures.length, 6);
    for (const e of failures) {
      assert.ok(e instanceof Error && e.message !== "expected a failure", String(e));
      assertClean("provider error", errorText(e));
    }
    assert.match(errorText(failures[0]), /The user name or password is incorrect/);
  });

  it("end to end in a child process with debug logging on: vpconnect check --emulator prints and writes no credential", async () => {
    const out = path.join(work, "child");
    const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
      execFile(
        process.execPath,
        [
          path.join(ROOT, "bin/vpconnect.js"),
          "check",
          "--stack",
          "dev",
          "--emulator",
          "--format",
          "table,json,sarif,junit,markdown,html",
          "--out",
          out,
        ],
        {
          cwd: ROOT,
          env: {
            ...process.env,
            VPCONNECT_DEBUG: "1",
            DEBUG: "*",
            NODE_DEBUG: "http,net",
            VPCONNECT_RETRY_BASE_MS: "1",
          },
          timeout: 90_000,
          maxBuffer: 64 * 1024 * 1024,
        },
        (error, stdout, stderr) =>
          resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr }),
      ),
    );
    assert.ok(result.code === 0 || result.code === 1, `exit ${result.code}\n${result.stderr.slice(-2000)}`);
    assert.match(result.stderr, /Vantagepoint API emulator at http:\/\/127\.0\.0\.1:\d+/);
    assert.match(result.stderr, /NET \d+:|HTTP \d+:/, "node's debug logging was on");
    const demo = [DEMO_CREDENTIALS.password, DEMO_CREDENTIALS.clientSecret];
    assertClean("child stdout", result.stdout, demo);
    assertClean("child stderr", result.stderr, demo);
    for (const f of fs.readdirSync(out)) assertClean(`child ${f}`, fs.readFileSync(path.join(out, f)), demo);
  });
});
