/**
 * The CI smoke test of the program under Pulumi's own runner (`@pulumi/pulumi/cmd/run`), started as the Node.js
 * language host starts it, against the project's ResourceMonitor + Engine server (evaluator/grpc/): both
 * bundled stacks, preview and update, registering the same resources, URNs and options `vpconnect check`
 * reports; and the language host's contract: the config environment, type checking, exit codes.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { CONNECT_CLIENT_ID, startEmulator, type Emulator } from "../../emulator";
import { COMPUTED_OUTPUTS } from "../../evaluator/program";
import { runCheck } from "../../evaluator/check";
import { toEngineConfig } from "../../evaluator/stack";
import {
  cannedCreate,
  hostCreateHandler,
  runtimeOptionsOf,
  runUnderRunner,
  startDynamicProviderHost,
  startEngine,
  type DynamicProviderHost,
  type EngineServer,
  type MonitorRegistration,
  type RunnerResult,
} from "../../evaluator/grpc";
import { UNKNOWN } from "../../evaluator/plain";
import { parseStackFile } from "../../lib/config/stackFile";
import type { CheckReport, ReportResource } from "../../lib/reports/model";
import { copyProject, ROOT } from "./support";

const PROJECT = "vantagepoint-connect";

/** The stack's config as the engine would hold it, pointed at the emulator (its credentials as the secrets). */
function stackConfig(stack: string, emu: Emulator, extra: Record<string, string> = {}) {
  const c = emu.credentials;
  const configOverrides = {
    "vantagepoint.apiUrl": emu.url,
    "vantagepoint.database": c.database,
    "vantagepoint.username": c.username,
    "vantagepoint.clientId": c.clientId,
    ...extra,
  };
  const secretOverrides = {
    "vantagepoint.password": c.password,
    "vantagepoint.clientSecret": c.clientSecret,
  };
  const text = fs.readFileSync(path.join(ROOT, "stacks", `Pulumi.${stack}.yaml`), "utf8");
  const raw = parseStackFile(text, stack).config;
  // The non-secret overrides go into the section's JSON; the secret ones make the section secret.
  const { config, secretKeys } = toEngineConfig(raw, secretOverrides);
  const section = JSON.parse(config["vpconnect:vantagepoint"]!) as Record<string, unknown>;
  for (const [k, v] of Object.entries(configOverrides)) {
    const [top, ...rest] = k.split(".");
    if (top === "vantagepoint") section[rest.join(".")] = v;
  }
  config["vpconnect:vantagepoint"] = JSON.stringify(section);
  return { config, secretKeys, configOverrides, secretOverrides };
}

/** What must agree between the runner's registration and check's resource. */
function identity(r: MonitorRegistration | ReportResource) {
  return {
    type: r.type,
    name: r.name,
    custom: r.custom,
    parent: r.parent,
    protect: r.protect,
    retainOnDelete: r.retainOnDelete,
    additionalSecretOutputs: [...r.additionalSecretOutputs].sort(),
    dependencies: [...r.dependencies].sort(),
    // A provider reference is `<provider URN>::<provider id>`; an explicit provider's id is the engine's (a UUID)
    // under the runner and the mock's under check, so compare the provider's URN.
    provider: r.provider?.replace(/::[^:]+$/, ""),
  };
}

function valueAt(inputs: Record<string, unknown>, dotted: string): unknown {
  let node: unknown = inputs;
  for (const part of dotted.split(".")) node = (node as Record<string, unknown> | undefined)?.[part];
  return node;
}

/** Asserts the runner registered exactly what check reports: the same URNs, options and secret inputs. */
function assertSameAsCheck(run: RunnerResult, report: CheckReport, preview: boolean) {
  const byUrn = new Map(report.resources.map((r) => [r.urn, r]));
  assert.deepEqual(
    run.registrations.map((r) => r.urn).sort(),
    [...byUrn.keys()].sort(),
    "the same resources, under the same URNs",
  );
  for (const reg of run.registrations) {
    const checked = byUrn.get(reg.urn)!;
    const registered = { ...identity(reg) };
    // check adds a component's secret registerOutputs to its additionalSecretOutputs (what the engine applies).
    if (!reg.custom) registered.additionalSecretOutputs = identity(checked).additionalSecretOutputs;
    assert.deepEqual(registered, identity(checked), reg.urn);
    // Every input the program sent as a secret, check reports as secret; check's extras are the secret outputs
    // its mocks compute, or (in a preview) values that are still unknown, which the SDK sends without the mark.
    for (const p of reg.secretPaths)
      assert.ok(checked.secretPaths.includes(p), `${reg.urn}: ${p} secret in check`);
    for (const p of checked.secretPaths.filter((x) => !reg.secretPaths.includes(x))) {
      const computed = COMPUTED_OUTPUTS[reg.type]?.(reg.name, {}, 0).secret ?? [];
      const unknown = preview && valueAt(reg.inputs, p) === UNKNOWN;
      assert.ok(
        computed.includes(p) || unknown,
        `${reg.urn}: check calls ${p} secret, the runner did not send it so`,
      );
    }
  }
}

/** The Node SDK's own URN rule (resource.ts createUrn), independent of the monitor's engineUrn. */
async function sdkUrn(r: MonitorRegistration, stack: string): Promise<string> {
  const out = pulumi.createUrn(r.name, r.type, r.parent || undefined, PROJECT, stack);
  return (out as unknown as { promise(): Promise<string> }).promise();
}

function errorText(run: RunnerResult): string {
  return [...run.logs.filter((l) => l.severity === "error").map((l) => l.message), run.stderr].join("\n");
}

describe("runtime: the program under Pulumi's runner (cmd/run), against the project's resource monitor", function () {
  this.timeout(300_000);
  let emu: Emulator;
  let engine: EngineServer;
  let host: Promise<DynamicProviderHost>;

  before(async () => {
    emu = await startEmulator();
    engine = await startEngine();
    host = startDynamicProviderHost({
      programDir: ROOT,
      engineAddress: engine.address,
      project: PROJECT,
      runtimeOptions: runtimeOptionsOf(ROOT),
      env: { VPCONNECT_RETRY_BASE_MS: "5" },
    });
  });
  after(async () => {
    await (await host.catch(() => undefined))?.stop();
    await engine?.stop();
    await emu?.stop();
  });

  for (const stack of ["dev", "prod"]) {
    for (const preview of [true, false]) {
      // One run type-checks the program (the runner's default for TypeScript); the others skip it for time.
      const typeCheck = stack === "dev" && preview;
      it(`${stack} ${preview ? "preview" : "update"}${typeCheck ? " (type-checked)" : ""}: registers what check reports`, async () => {
        emu.reset();
        const { config, secretKeys, configOverrides, secretOverrides } = stackConfig(stack, emu);
        let n = 0;
        const run = await runUnderRunner({
          projectDir: ROOT,
          project: PROJECT,
          stack,
          preview,
          config,
          secretKeys,
          typeCheck,
          // An update creates the dynamic resources through Pulumi's dynamic provider host, against the emulator.
          ...(preview
            ? {}
            : { create: hostCreateHandler(host, { config, secretKeys }, (r) => cannedCreate(r, ++n)) }),
        });
        assert.equal(run.exitCode, 0, errorText(run));
        assert.equal(
          run.rootResource,
          `urn:pulumi:${stack}::${PROJECT}::pulumi:pulumi:Stack::${PROJECT}-${stack}`,
        );
        assert.ok(run.features.secrets, "the SDK asked the monitor which features it supports");

        const report = await runCheck({
          cwd: ROOT,
          stack,
          configOverrides,
          secretOverrides,
          policyPacks: [],
        });
        assert.deepEqual(report.configIssues, []);
        assertSameAsCheck(run, report, preview);
        for (const r of run.registrations) assert.equal(r.urn, await sdkUrn(r, stack));

        const dynamic = run.registrations.filter((r) => r.type === "pulumi-nodejs:dynamic:Resource");
        assert.equal(dynamic.length, 3);
        if (preview) {
          assert.ok(
            dynamic.every((r) => r.id === ""),
            "nothing is created in a preview",
          );
          assert.equal(emu.counters.writes, 0);
        } else {
          const client = dynamic.find((r) => r.name.endsWith("connect-api-client"))!;
          assert.equal(client.id, CONNECT_CLIENT_ID, "adopted through the real host");
          assert.ok(emu.counters.writes > 0, "the roster and role were written through the real host");
          const stackOutputs = run.registrations[0]!.registeredOutputs ?? {};
          assert.equal(
            stackOutputs.connectClientId,
            CONNECT_CLIENT_ID,
            "the stack output comes from the create",
          );
        }
      });
    }
  }

  it("the config environment: without PULUMI_CONFIG_SECRET_KEYS marking it, the program refuses the plaintext password", async () => {
    const { config, secretKeys } = stackConfig("dev", emu);
    const run = await runUnderRunner({
      projectDir: ROOT,
      project: PROJECT,
      stack: "dev",
      preview: true,
      config,
      secretKeys: secretKeys.filter((k) => k !== "vpconnect:vantagepoint"),
      typeCheck: false,
    });
    assert.notEqual(run.exitCode, 0);
    assert.match(errorText(run), /vpconnect:vantagepoint\.password/);
    assert.deepEqual(
      run.registrations.map((r) => r.type),
      ["pulumi:pulumi:Stack"],
      "nothing but the stack was registered",
    );
  });

  it("a bad config exits non-zero with the message check gives, naming the key, and registers nothing", async () => {
    // The API root given without its scheme, the way it is copied from a browser's address bar.
    const bad = { "vantagepoint.apiUrl": "vantagepoint.example.com/vantagepoint/api" };
    const { config, secretKeys, configOverrides, secretOverrides } = stackConfig("dev", emu, bad);
    const run = await runUnderRunner({
      projectDir: ROOT,
      project: PROJECT,
      stack: "dev",
      preview: true,
      config,
      secretKeys,
      typeCheck: false,
    });
    const report = await runCheck({
      cwd: ROOT,
      stack: "dev",
      configOverrides,
      secretOverrides,
      policyPacks: [],
    });
    const issue = report.configIssues.find((i) => i.key === "vpconnect:vantagepoint.apiUrl");
    assert.ok(issue, JSON.stringify(report.configIssues));
    // 32: the runner already reported the error to the user (the language host then bails without adding one).
    assert.equal(run.exitCode, 32, errorText(run));
    assert.ok(
      errorText(run).includes(issue.message),
      `the runner's error carries check's message: ${issue.message}`,
    );
    assert.match(errorText(run), /vpconnect:vantagepoint\.apiUrl/);
    assert.deepEqual(
      run.registrations.map((r) => r.type),
      ["pulumi:pulumi:Stack"],
    );
  });

  it("type checking: a program with a type error does not run (the runner type-checks TypeScript)", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vp-typecheck-"));
    try {
      copyProject(dir);
      fs.appendFileSync(path.join(dir, "index.ts"), '\nexport const port: number = "443";\n');
      const { config, secretKeys } = stackConfig("dev", emu);
      const run = await runUnderRunner({
        projectDir: dir,
        project: PROJECT,
        stack: "dev",
        preview: true,
        config,
        secretKeys,
      });
      assert.notEqual(run.exitCode, 0);
      assert.match(errorText(run), /TS2322/);
      assert.match(errorText(run), /index\.ts/);
      assert.equal(run.registrations.filter((r) => r.type !== "pulumi:pulumi:Stack").length, 0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
