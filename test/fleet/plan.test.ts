import { strict as assert } from "node:assert";
import { parse } from "yaml";
import {
  cronProblem,
  FleetConfigError,
  fleetIssues,
  planFleet,
  siteEnvironmentYaml,
} from "../../lib/fleet/plan";
import type { FleetInput } from "../../lib/fleet/plan";

/** A fleet config that passes; each test changes one field. */
export function validFleet(): FleetInput {
  return {
    organization: "contoso",
    project: "vantagepoint-connect",
    repoUrl: "https://github.com/contoso/vantagepoint-connect.git",
    branch: "main",
    repoDir: ".",
    driftCron: "0 6 * * *",
    autoRemediate: false,
    azureClientId: "11111111-2222-3333-4444-555555555555",
    azureTenantId: "66666666-7777-8888-9999-000000000000",
    subscriptionId: "00000000-0000-0000-0000-000000000001",
    policyPack: { name: "vantagepoint-connect", versionTag: "0.1.0" },
    policyMode: "preventative",
    sites: [
      { stack: "dev", secretsVault: "kv-vpconnect-dev-ops" },
      { stack: "prod", driftCron: "0 */4 * * *" },
    ],
  };
}

describe("fleet plan (lib/fleet/plan.ts)", () => {
  it("declares per-site deployment settings, drift schedule, ESC environment and tags", () => {
    const plan = planFleet(validFleet());
    assert.deepEqual(
      plan.sites.map((s) => s.stack),
      ["dev", "prod"],
    );
    const dev = plan.sites[0];
    assert.deepEqual(dev.deployment.preRunCommands, [
      "npm ci --no-audit --no-fund",
      "pulumi config env add vantagepoint-connect/dev --yes --stack dev",
      "npx vpconnect check --stack dev --format table",
    ]);
    assert.equal(dev.deployment.repoUrl, "https://github.com/contoso/vantagepoint-connect.git");
    assert.equal(dev.deployment.branch, "main");
    assert.deepEqual(dev.deployment.oidc, {
      clientId: "11111111-2222-3333-4444-555555555555",
      tenantId: "66666666-7777-8888-9999-000000000000",
      subscriptionId: "00000000-0000-0000-0000-000000000001",
    });
    assert.deepEqual(dev.drift, { scheduleCron: "0 6 * * *", autoRemediate: false });
    assert.deepEqual(plan.sites[1].drift, { scheduleCron: "0 */4 * * *", autoRemediate: false });
    assert.deepEqual(dev.environment.name, "dev");
    assert.deepEqual(dev.tags, { "vpconnect:fleet": "true", "vpconnect:site": "dev" });
    assert.deepEqual(plan.policyGroup, {
      name: "vantagepoint-connect-fleet",
      mode: "preventative",
      policyPack: { name: "vantagepoint-connect", versionTag: "0.1.0" },
      stacks: [
        { name: "dev", routingProject: "vantagepoint-connect" },
        { name: "prod", routingProject: "vantagepoint-connect" },
      ],
    });
  });

  it("attaches each site's ESC environment to its stack, unless the stack file already imports it", () => {
    const fleet = validFleet();
    fleet.sites = [
      { stack: "dev", environments: ["vantagepoint-connect/shared"] },
      { stack: "prod", environments: ["vantagepoint-connect/shared", "vantagepoint-connect/prod"] },
    ];
    const [dev, prod] = planFleet(fleet).sites;
    assert.deepEqual(
      dev.deployment.preRunCommands.filter((c) => c.startsWith("pulumi config env")),
      ["pulumi config env add vantagepoint-connect/dev --yes --stack dev"],
    );
    // Before the gate: vpconnect check then reads the stack file with its import, as the engine will.
    assert.equal(dev.deployment.preRunCommands.indexOf("npx vpconnect check --stack dev --format table"), 2);
    assert.deepEqual(prod.deployment.preRunCommands, [
      "npm ci --no-audit --no-fund",
      "npx vpconnect check --stack prod --format table",
    ]);
    assert.equal(`${dev.environment.project}/${dev.environment.name}`, "vantagepoint-connect/dev");
  });

  it("the ESC environment logs in by OIDC and maps the site's Key Vault secrets into stack config, nothing in plaintext", () => {
    const input = validFleet();
    const doc = parse(siteEnvironmentYaml(input.sites[0], input)) as Record<string, Record<string, unknown>>;
    const azure = doc.values.azure as Record<string, Record<string, Record<string, unknown>>>;
    assert.equal(azure.login["fn::open::azure-login"].oidc, true);
    assert.equal(
      azure.login["fn::open::azure-login"].subscriptionId,
      "/subscriptions/00000000-0000-0000-0000-000000000001",
    );
    assert.equal(azure.secrets["fn::open::azure-secrets"].vault, "kv-vpconnect-dev-ops");
    assert.deepEqual(doc.values.pulumiConfig, {
      "vpconnect:vantagepoint.password": "${azure.secrets.vantagepointPassword}",
      "vpconnect:vantagepoint.clientSecret": "${azure.secrets.vantagepointClientSecret}",
    });
    // A site without a vault gets the login only: its secrets stay in the stack file (encrypted) as today.
    const prod = parse(siteEnvironmentYaml(input.sites[1], input)) as Record<string, Record<string, unknown>>;
    assert.equal(prod.values.pulumiConfig, undefined);
    assert.equal((prod.values.azure as Record<string, unknown>).secrets, undefined);
  });

  it("auto-remediation is off unless the fleet config turns it on", () => {
    assert.equal(planFleet(validFleet()).sites[0].drift.autoRemediate, false);
    assert.equal(planFleet({ ...validFleet(), autoRemediate: true }).sites[0].drift.autoRemediate, true);
  });

  const wrong: Array<[string, (f: FleetInput) => void, RegExp]> = [
    [
      "a site listed twice in other case",
      (f) => f.sites.push({ stack: "DEV" }),
      /sites\[2\]\.stack: "DEV" is listed twice \(also sites\[0\]\)/,
    ],
    [
      "a stack name with a slash",
      (f) => (f.sites[0].stack = "contoso/dev"),
      /sites\[0\]\.stack: "contoso\/dev" is not a stack name/,
    ],
    ["a six-field cron", (f) => (f.driftCron = "0 0 6 * * *"), /driftCron: "0 0 6 \* \* \*" has 6 fields/],
    [
      "hour 24",
      (f) => (f.sites[1].driftCron = "0 24 * * *"),
      /sites\[1\]\.driftCron: .*hour field allows 0-23, not 24/,
    ],
    ["a step of zero", (f) => (f.driftCron = "*/0 * * * *"), /step of 0/],
    [
      "credentials in the repo URL",
      (f) => (f.repoUrl = "https://user:token@github.com/contoso/x.git"),
      /repoUrl: .*no credentials/,
    ],
    ["an ssh repo URL", (f) => (f.repoUrl = "git@github.com:contoso/x.git"), /repoUrl: .*https URL/],
    [
      "a repoDir leaving the repository",
      (f) => (f.repoDir = "../other"),
      /repoDir: "..\/other" must be a folder inside/,
    ],
    [
      "a client id that is a name",
      (f) => (f.azureClientId = "deploy-bot"),
      /azureClientId: "deploy-bot" must be a GUID/,
    ],
    [
      "a vault name with --",
      (f) => (f.sites[0].secretsVault = "kv--dev"),
      /sites\[0\]\.secretsVault: "kv--dev" is not a Key Vault name/,
    ],
    [
      "an unknown policy mode",
      (f) => (f.policyMode = "enforce" as FleetInput["policyMode"]),
      /policyMode: "enforce" must be "preventative" or "audit"/,
    ],
    [
      "a pack version that is a word",
      (f) => (f.policyPack = { name: "vantagepoint-connect", versionTag: "latest" }),
      /policyPack: must name the published pack and its version/,
    ],
    ["no sites", (f) => (f.sites = []), /sites: must list at least one site stack/],
  ];
  for (const [what, change, message] of wrong) {
    it(`refuses ${what}, naming the key`, () => {
      const f = validFleet();
      change(f);
      assert.throws(
        () => planFleet(f),
        (e: unknown) =>
          e instanceof FleetConfigError && message.test(e.message) && !/\bat \w+ \(/.test(e.message),
      );
    });
  }

  it("lists every problem at once", () => {
    const f = validFleet();
    f.driftCron = "daily";
    f.azureTenantId = "contoso.onmicrosoft.com";
    assert.deepEqual(
      fleetIssues(f).map((i) => i.key),
      ["azureTenantId", "driftCron"],
    );
  });

  it("cron: valid forms pass", () => {
    for (const ok of ["0 6 * * *", "*/15 * * * 1-5", "0 0,12 1 */2 0", "30 2 * * 7"])
      assert.equal(cronProblem(ok), undefined, ok);
  });
});
