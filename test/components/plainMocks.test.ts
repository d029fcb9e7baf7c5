/**
 * Issue 18, "plain mocks work": a user unit-testing their program with the commonest plain mocks (every id
 * `<name>_id`, the state the inputs, the invoke answers README "Unit tests with plain mocks" documents) gets every
 * resource of a ConnectSite with a new Key Vault registered, the Entra apps' Key Vault secrets included (their
 * vault id is not an Azure resource id under such mocks). And the dev stack under the project's own mocks sends
 * the login app's vault secret the same resource group and vault name whether the vault's id is Azure's or a mock's.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { ConnectSite } from "../../components/connectSite";
import type { ConnectSiteArgs } from "../../components/connectSite";
import { parseStackFile } from "../../lib/config/stackFile";
import { installMonitor, MockMonitor, waitForRPCs } from "../../evaluator/mockRuntime";
import { installMocks, MOCK_RANDOM_SUFFIX, MOCK_SUBSCRIPTION_ID } from "../support/pulumiMocks";
import type { Harness, Json } from "../support/pulumiMocks";

const root = path.resolve(__dirname, "../..");
const PFX = Buffer.from([0x30, 0x82, 0x01, 0x0a, ...Array.from({ length: 60 }, (_, i) => i)]).toString(
  "base64",
);

/** A site as a user writes it: a new group and vault (certificate from a PFX), both Entra apps, no Vantagepoint side. */
function userSite(): ConnectSiteArgs {
  return {
    namePrefix: "vp-test",
    location: "westeurope",
    resourceGroup: { name: "rg-vp-test" },
    network: {
      hub: {
        virtualNetworkId:
          "/subscriptions/3f2b8c1d-5e6a-4b7c-9d8e-1a2b3c4d5e6f/resourceGroups/rg-hub/providers/Microsoft.Network/virtualNetworks/vnet-hub",
      },
    },
    publicHostname: "vantagepoint.example.com",
    backend: { address: "10.20.0.10" },
    tls: {
      keyVault: { name: "kv-vp-test", create: true },
      certificateName: "vantagepoint-example-com",
      certificateSource: "pfx",
      certificateExpiresOn: "2027-10-31",
      pfx: PFX,
    },
    allowList: { connectIps: ["203.0.113.0/24"] },
    loginApp: { secretRotatedOn: "2026-11-01" },
    mailboxApp: { secretRotatedOn: "2026-11-01" },
    verification: { mode: "off" },
  } as ConnectSiteArgs;
}

interface Seen {
  type: string;
  name: string;
  inputs: Json;
}

describe("ConnectSite under plain mocks (README: Unit tests with plain mocks)", function () {
  this.timeout(60_000);
  const seen: Seen[] = [];
  let restore: () => void;
  before(() => {
    // Exactly what a user writes: ids `<name>_id`, inputs echoed, the README's invoke answers, {} otherwise.
    const mocks: pulumi.runtime.Mocks = {
      newResource: (args) => {
        seen.push({ type: args.type, name: args.name, inputs: args.inputs });
        return { id: args.name + "_id", state: args.inputs };
      },
      call: (args) =>
        args.token === "azure-native:authorization:getClientConfig"
          ? {
              subscriptionId: "3f2b8c1d-5e6a-4b7c-9d8e-1a2b3c4d5e6f",
              tenantId: "7d3c2b1a-4e5f-4a6b-8c9d-0e1f2a3b4c5d",
            }
          : {},
    };
    restore = installMonitor(new MockMonitor(mocks), "consumer", "dev", false);
  });
  after(() => restore());

  it("registers every resource, the login and mailbox apps' Key Vault secrets included, in the site's vault", async () => {
    new ConnectSite("site", userSite());
    for (let i = 0; i < 20; i++) {
      await waitForRPCs();
      await new Promise((r) => setImmediate(r));
    }
    const secrets = seen.filter((r) => r.type === "azure-native:keyvault:Secret");
    assert.deepEqual(
      secrets
        .map((s) => [s.name, s.inputs.resourceGroupName, s.inputs.vaultName, s.inputs.secretName].join(" "))
        .sort(),
      [
        "site-login-app-secret rg-vp-test kv-vp-test vp-test-login-client-secret",
        "site-mailbox-app-secret rg-vp-test kv-vp-test vp-test-mailbox-client-secret",
        "site-vault-certificate  kv-vp-test vantagepoint-example-com",
      ],
    );
    const vault = seen.find((r) => r.type === "azure-native:keyvault:Vault");
    assert.equal(vault?.inputs.vaultName, "kv-vp-test");
  });
});

/** The dev stack's config as the engine hands it to the bundled program. */
function devConfig(): Record<string, string> {
  const text = readFileSync(path.join(root, "stacks/Pulumi.dev.yaml"), "utf8");
  const raw = parseStackFile(text, "dev").config as Record<string, Json>;
  raw["vpconnect:vantagepoint"].password = "sentinel-password";
  raw["vpconnect:vantagepoint"].clientSecret = "sentinel-client-secret";
  const config: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw))
    config[key] = typeof value === "string" ? value : JSON.stringify(value);
  return config;
}

/** The login app's vault secret on the dev stack, under the project's mocks with the given outputs. */
async function devLoginSecret(outputs: (args: pulumi.runtime.MockResourceArgs) => Json): Promise<Json> {
  const harness: Harness = await installMocks({ stack: "dev", outputs });
  try {
    pulumi.runtime.setAllConfig(devConfig(), ["vpconnect:vantagepoint"]);
    const entry = require.resolve(path.join(root, "index.ts"));
    delete require.cache[entry];
    require(entry);
    await harness.settle();
    const secret = harness.resources.find(
      (r) => r.type === "azure-native:keyvault:Secret" && r.name.endsWith("login-app-secret"),
    );
    assert.ok(secret, "the login app's vault secret registers");
    return secret.inputs;
  } finally {
    harness.restore();
  }
}

describe("the dev stack's login app secret: the same vault whatever the vault's id looks like", function () {
  this.timeout(120_000);
  const group = (args: pulumi.runtime.MockResourceArgs) =>
    args.type === "azure-native:resources:ResourceGroup"
      ? { name: args.inputs.resourceGroupName }
      : undefined;
  const random = (args: pulumi.runtime.MockResourceArgs) =>
    args.type === "random:index/randomString:RandomString" ? { result: MOCK_RANDOM_SUFFIX } : undefined;

  it("sends the secret the group and vault name parsed from Azure's vault id, and the same under `<name>_id`", async () => {
    const azure = await devLoginSecret(
      (args) =>
        group(args) ??
        random(args) ??
        (args.type === "azure-native:keyvault:Vault"
          ? {
              id: `/subscriptions/${MOCK_SUBSCRIPTION_ID}/resourceGroups/${args.inputs.resourceGroupName}/providers/Microsoft.KeyVault/vaults/${args.inputs.vaultName}`,
            }
          : undefined),
    );
    const expected = {
      resourceGroupName: "rg-vpconnect-dev",
      vaultName: `kv-vpconnect-dev-${MOCK_RANDOM_SUFFIX}`,
    };
    assert.deepEqual({ resourceGroupName: azure.resourceGroupName, vaultName: azure.vaultName }, expected);
    const mock = await devLoginSecret((args) => group(args) ?? random(args));
    assert.deepEqual({ resourceGroupName: mock.resourceGroupName, vaultName: mock.vaultName }, expected);
    assert.deepEqual(mock, azure, "every input the same");
  });
});
