/**
 * The fleet program (fleet/index.ts) under mocks: per-site Pulumi Deployments settings, drift schedules, ESC
 * environments and tags, and one policy group, asserted by type token on the inputs.
 */
import { strict as assert } from "node:assert";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { installMocks } from "../support/pulumiMocks";
import type { Harness } from "../support/pulumiMocks";

const entry = path.join(__dirname, "..", "..", "fleet", "index.ts");

function fleetConfig(extra: Record<string, string> = {}): Record<string, string> {
  return {
    "fleet:organization": "contoso",
    "fleet:repoUrl": "https://github.com/contoso/vantagepoint-connect.git",
    "fleet:azureClientId": "11111111-2222-3333-4444-555555555555",
    "fleet:azureTenantId": "66666666-7777-8888-9999-000000000000",
    "fleet:subscriptionId": "00000000-0000-0000-0000-000000000001",
    ...extra,
  };
}

async function runFleet(harness: Harness, config: Record<string, string>): Promise<void> {
  pulumi.runtime.setAllConfig(config, []);
  delete require.cache[require.resolve(entry)];
  require(entry);
  await harness.settle();
}

describe("the fleet program (fleet/index.ts) under mocks", () => {
  let harness: Harness;
  before(async () => {
    harness = await installMocks({ project: "vantagepoint-connect-fleet", stack: "fleet" });
  });
  after(() => harness.restore());
  beforeEach(() => harness.reset());

  it("without fleet:sites, declares every stack in stacks/ (dev, prod): settings, drift, environment, tags", async () => {
    await runFleet(harness, fleetConfig());
    const settings = harness.ofType("pulumiservice:index:DeploymentSettings");
    assert.deepEqual(
      settings.map((s) => s.inputs.stack),
      ["dev", "prod"],
    );
    const dev = settings[0].inputs;
    assert.equal(dev.organization, "contoso");
    assert.equal(dev.project, "vantagepoint-connect");
    assert.deepEqual(dev.sourceContext.git, {
      repoUrl: "https://github.com/contoso/vantagepoint-connect.git",
      branch: "main",
      repoDir: ".",
    });
    assert.deepEqual(dev.operationContext.preRunCommands, [
      "npm ci --no-audit --no-fund",
      "pulumi config env add vantagepoint-connect/dev --yes --stack dev",
      "npx vpconnect check --stack dev --format table",
    ]);
    assert.equal(dev.operationContext.options.skipInstallDependencies, true);
    assert.equal(dev.operationContext.oidc.azure.clientId, "11111111-2222-3333-4444-555555555555");

    const drift = harness.ofType("pulumiservice:index:DriftSchedule");
    assert.deepEqual(
      drift.map((d) => [d.inputs.stack, d.inputs.scheduleCron, d.inputs.autoRemediate]),
      [
        ["dev", "0 6 * * *", false],
        ["prod", "0 6 * * *", false],
      ],
    );
    // The drift schedule needs the stack's deployment settings first (Deployments runs it).
    assert.ok(
      drift[0].dependencies.includes(settings[0].urn),
      "drift schedule depends on the deployment settings",
    );

    const envs = harness.ofType("pulumiservice:index:Environment");
    assert.deepEqual(
      envs.map((e) => [e.inputs.project, e.inputs.name]),
      [
        ["vantagepoint-connect", "dev"],
        ["vantagepoint-connect", "prod"],
      ],
    );
    // Each site stack imports the environment declared for it (neither stack file lists it under environment:).
    for (const [i, e] of envs.entries()) {
      const ref = `${e.inputs.project}/${e.inputs.name}`;
      const stack = settings[i].inputs.stack;
      assert.ok(
        settings[i].inputs.operationContext.preRunCommands.includes(
          `pulumi config env add ${ref} --yes --stack ${stack}`,
        ),
        `${stack} imports ${ref} before its deployment runs`,
      );
    }
    const tags = harness.ofType("pulumiservice:index:StackTag");
    assert.deepEqual(
      tags.filter((t) => t.inputs.stack === "prod").map((t) => [t.inputs.name, t.inputs.value]),
      [
        ["vpconnect:fleet", "true"],
        ["vpconnect:site", "prod"],
      ],
    );
    const group = harness.one("pulumiservice:index:PolicyGroup").inputs;
    assert.equal(group.mode, "preventative");
    assert.deepEqual(group.policyPacks, [{ name: "vantagepoint-connect", versionTag: "0.1.0" }]);
    assert.deepEqual(
      group.stacks.map((s: { name: string }) => s.name),
      ["dev", "prod"],
    );
  });

  it("fleet:sites chooses the sites and their schedules and vaults", async () => {
    await runFleet(
      harness,
      fleetConfig({
        "fleet:sites": JSON.stringify([
          { stack: "east", secretsVault: "kv-vp-east-ops", driftCron: "0 */4 * * *" },
          { stack: "west" },
          { stack: "north" },
        ]),
        "fleet:autoRemediate": "true",
      }),
    );
    assert.deepEqual(
      harness
        .ofType("pulumiservice:index:DriftSchedule")
        .map((d) => [d.inputs.stack, d.inputs.scheduleCron, d.inputs.autoRemediate]),
      [
        ["east", "0 */4 * * *", true],
        ["west", "0 6 * * *", true],
        ["north", "0 6 * * *", true],
      ],
    );
    const east = harness.ofType("pulumiservice:index:Environment")[0];
    // The definition is an asset (its text is the plan's siteEnvironmentYaml, tested in plan.test.ts).
    assert.equal(east.inputs.yaml.__pulumiAsset, true);
    assert.deepEqual([east.inputs.project, east.inputs.name], ["vantagepoint-connect", "east"]);
  });

  it("a bad fleet config fails before anything registers, naming the key", async () => {
    await assert.rejects(
      runFleet(harness, fleetConfig({ "fleet:driftCron": "every day" })),
      /fleet:driftCron: "every day" has 2 fields/,
    );
    assert.equal(harness.ofType("pulumiservice:index:DeploymentSettings").length, 0);
  });
});
