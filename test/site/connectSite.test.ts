/* eslint-disable @typescript-eslint/no-explicit-any -- stack config fixtures are untyped YAML, edited freely by each test */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { parseStackFile } from "../../lib/config/stackFile";
import { rosterEntriesOf } from "../../lib/vantagepoint/rosterText";
import { Harness, installMocks, MOCK_RANDOM_SUFFIX, valueOf } from "../support/pulumiMocks";

const root = path.resolve(__dirname, "../..");
const DYNAMIC = "pulumi-nodejs:dynamic:Resource";

/** The dev stack's config as the engine hands it to a program: JSON strings, secure leaves decrypted. */
function engineConfig(edit: (c: Record<string, any>) => void = () => {}): {
  config: Record<string, string>;
  secretKeys: string[];
} {
  const raw = structuredClone(
    parseStackFile(readFileSync(path.join(root, "stacks/Pulumi.dev.yaml"), "utf8"), "dev").config,
  ) as Record<string, any>;
  raw["vpconnect:vantagepoint"].password = "sentinel-password-9f3a";
  raw["vpconnect:vantagepoint"].clientSecret = "sentinel-client-secret-7c1e";
  edit(raw);
  const config: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw))
    config[key] = typeof value === "string" ? value : JSON.stringify(value);
  return { config, secretKeys: ["vpconnect:vantagepoint"] };
}

/** Runs index.ts (fresh) against the mocks with the given engine config. */
async function runProgram(
  harness: Harness,
  engine = engineConfig(),
): Promise<Record<string, pulumi.Output<unknown>>> {
  pulumi.runtime.setAllConfig(engine.config, engine.secretKeys);
  const entry = require.resolve(path.join(root, "index.ts"));
  delete require.cache[entry];
  const program = require(entry) as Record<string, pulumi.Output<unknown>>;
  await harness.settle();
  return program;
}

describe("the program on the dev stack (ConnectSite)", () => {
  let harness: Harness;
  let outputs: Record<string, pulumi.Output<unknown>>;
  before(async () => {
    harness = await installMocks({ stack: "dev" });
    outputs = await runProgram(harness);
  });
  after(() => harness.restore());

  it("registers one ConnectSite with every part as a descendant", () => {
    const site = harness.one("vantagepoint-connect:index:ConnectSite");
    for (const token of [
      "vantagepoint-connect:index:PublicEndpoint",
      "vantagepoint-connect:index:ConnectAllowList",
      "vantagepoint-connect:index:VantagepointLoginApp",
      "vantagepoint-connect:index:ConnectKeyVault",
      "vantagepoint-connect:index:SiteVerification",
    ]) {
      assert.equal(harness.one(token).parent, site.urn, `${token} must be a child of ConnectSite`);
    }
    assert.equal(
      harness.resources.filter((r) => r.type === "vantagepoint-connect:index:ConnectMailboxApp").length,
      0,
      "the mailbox app is off by default (the dev stack does not enable it)",
    );
    const orphans = harness.resources.filter(
      (r) => r.type !== "pulumi:pulumi:Stack" && r !== site && !r.parent,
    );
    assert.deepEqual(
      orphans.map((r) => r.type),
      [],
    );
  });

  it("puts the gateway subnet in a new VNet with the allow-list NSG attached", () => {
    const subnet = harness.one("azure-native:network:Subnet").inputs;
    assert.equal(subnet.addressPrefix, "10.60.1.0/24");
    const nsg = harness.one("azure-native:network:NetworkSecurityGroup");
    assert.equal(
      subnet.networkSecurityGroup.id,
      `${nsg.name}_id`,
      "the subnet must carry the allow-list NSG",
    );
    const vnet = harness.one("azure-native:network:VirtualNetwork").inputs;
    assert.deepEqual(vnet.addressSpace.addressPrefixes, ["10.60.0.0/16"]);
    assert.equal(vnet.subnets, undefined, "subnets must not be inline in the VNet");
  });

  it("points the gateway's certificate at the versionless Key Vault secret", () => {
    const gateway = harness.one("azure-native:network:ApplicationGateway").inputs;
    assert.match(
      gateway.sslCertificates[0].keyVaultSecretId,
      // The dev stack asks for a unique vault name: the mocks' random suffix after the base name.
      new RegExp(
        `^https://kv-vpconnect-dev-${MOCK_RANDOM_SUFFIX}\\.vault\\.azure\\.net/secrets/vantagepoint-example-com$`,
      ),
    );
  });

  it("seeds the roster, the admin role and the Connect API client with the connection as a secret", () => {
    const dynamic = harness.ofType(DYNAMIC);
    const byKind = new Map(dynamic.map((r) => [r.inputs.vpconnectResource, r]));
    assert.deepEqual([...byKind.keys()].sort(), ["ConnectAdminRole", "ConnectApiClient", "ConnectRoster"]);
    const roster = byKind.get("ConnectRoster")!;
    const entries = rosterEntriesOf(roster.inputs.entries);
    assert.equal(entries.length, 6);
    assert.equal(entries[0]!.configurer, true);
    assert.equal(entries[0]!.role, "ADMIN");
    assert.deepEqual(
      entries.slice(1).map((e) => e.userId),
      ["ALEE", "JOKAFOR", "MGARCIA", "RNOVAK", "SCHEN"],
      "users in user-ID order, so preview diffs by index stay minimal",
    );
    assert.ok(
      roster.secretPaths.some((p) => p === "connection" || p.startsWith("connection")),
      "connection must be secret",
    );
    const role = byKind.get("ConnectAdminRole")!;
    assert.deepEqual([role.inputs.role, role.inputs.requireAdministratorType], ["ADMIN", true]);
    const client = byKind.get("ConnectApiClient")!;
    assert.equal(client.inputs.name, "Vantagepoint Connect");
    assert.equal(client.protect, true);
    assert.equal(client.retainOnDelete, true);
  });

  it("exports the public URL and the allowed ranges", async () => {
    assert.equal(
      await valueOf(outputs.publicUrl as pulumi.Output<string>),
      "https://vantagepoint.example.com/vantagepoint",
    );
    assert.deepEqual(await valueOf(outputs.allowedRanges as pulumi.Output<string[]>), [
      "192.0.2.64/27",
      "198.51.100.0/24",
      "203.0.113.0/24",
    ]);
    assert.equal(await valueOf(outputs.connectUsers as pulumi.Output<number>), 6);
  });

  it("never passes a secret in plaintext to a resource that is not marked secret", () => {
    for (const r of harness.resources) {
      const text = JSON.stringify(r.inputs);
      if (!text.includes("sentinel-")) continue;
      assert.ok(
        r.secretPaths.length > 0,
        `${r.type} ${r.name} holds a secret in an input that is not marked secret`,
      );
    }
  });
});

describe("the program on invalid config", () => {
  let harness: Harness;
  before(async () => {
    harness = await installMocks({ stack: "dev" });
  });
  after(() => harness.restore());

  it("registers no resource and lists every problem", async () => {
    harness.reset();
    const engine = engineConfig((c) => {
      c["vpconnect:allowList"].connectIps.push("10.0.0.0/33");
      c["vpconnect:site"].publicHostname = "http://vp.example.com";
    });
    pulumi.runtime.setAllConfig(engine.config, engine.secretKeys);
    const entry = require.resolve(path.join(root, "index.ts"));
    delete require.cache[entry];
    assert.throws(
      () => require(entry),
      (error: Error) => {
        assert.match(error.message, /2 problems in the stack config; nothing was created/);
        assert.match(error.message, /stacks\/Pulumi\.dev\.yaml: vpconnect:allowList\.connectIps\[2\]/);
        return true;
      },
    );
    await harness.settle();
    assert.deepEqual(
      harness.resources.filter((r) => r.type !== "pulumi:pulumi:Stack").map((r) => r.type),
      [],
    );
  });
});
