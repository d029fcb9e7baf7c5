import assert from "node:assert/strict";
import { ConnectKeyVault } from "../../components/connectKeyVault";
import { defaultVaultName, existingVaultAccessProblem, vaultNameProblem } from "../../lib/keyVault";
import {
  Harness,
  MOCK_SUBSCRIPTION_ID,
  MOCK_TENANT_ID,
  installMocks,
  nonChildren,
  valueOf,
} from "../support/pulumiMocks";

const VAULT = "azure-native:keyvault:Vault";
const COMPONENT = "vantagepoint-connect:index:ConnectKeyVault";

describe("ConnectKeyVault", () => {
  let harness: Harness;
  before(async () => {
    harness = await installMocks();
  });
  beforeEach(() => harness.reset());
  after(() => harness.restore());

  it("creates a vault with RBAC authorization, soft delete, purge protection and 90 days retention", async () => {
    const c = new ConnectKeyVault("kv", {
      namePrefix: "vp-test",
      resourceGroupName: "rg",
      location: "westeurope",
      tags: { site: "t" },
    });
    await harness.settle();
    const vault = harness.one(VAULT).inputs;
    assert.equal(vault.vaultName, "vp-test-kv");
    const {
      tenantId,
      sku,
      enableRbacAuthorization,
      enableSoftDelete,
      enablePurgeProtection,
      softDeleteRetentionInDays,
    } = vault.properties;
    assert.deepEqual(
      {
        tenantId,
        sku,
        enableRbacAuthorization,
        enableSoftDelete,
        enablePurgeProtection,
        softDeleteRetentionInDays,
      },
      {
        tenantId: MOCK_TENANT_ID,
        sku: { family: "A", name: "standard" },
        enableRbacAuthorization: true,
        enableSoftDelete: true,
        enablePurgeProtection: true,
        softDeleteRetentionInDays: 90,
      },
    );
    assert.equal(vault.properties.accessPolicies, undefined, "RBAC, not access policies");
    assert.deepEqual(vault.tags, { site: "t" });
    assert.equal(await valueOf(c.vaultId), "kv-vault_id");
    assert.equal(await valueOf(c.vaultName), "vp-test-kv");
    assert.equal(await valueOf(c.vaultUri), "https://vp-test-kv.vault.azure.net/");
    assert.deepEqual(nonChildren(harness, harness.one(COMPONENT)), []);
  });

  it("uses a given tenant instead of asking the provider", async () => {
    new ConnectKeyVault("kv-tenant", {
      namePrefix: "vp",
      vaultName: "vp-secrets-01",
      resourceGroupName: "rg",
      location: "westeurope",
      tenantId: "0a1b2c3d-4e5f-4a6b-8c9d-0e1f2a3b4c5d",
    });
    await harness.settle();
    assert.equal(harness.one(VAULT).inputs.properties.tenantId, "0a1b2c3d-4e5f-4a6b-8c9d-0e1f2a3b4c5d");
    assert.equal(harness.calls.length, 0);
  });

  it("looks up an existing vault and creates nothing", async () => {
    const c = new ConnectKeyVault("kv-existing", {
      namePrefix: "vp",
      existing: { vaultName: "corp-kv", resourceGroupName: "rg-sec" },
    });
    await harness.settle();
    assert.equal(harness.ofType(VAULT).length, 0);
    assert.deepEqual(
      harness.calls.map((x) => [x.token, x.inputs]),
      [["azure-native:keyvault:getVault", { vaultName: "corp-kv", resourceGroupName: "rg-sec" }]],
    );
    assert.equal(
      await valueOf(c.vaultId),
      `/subscriptions/${MOCK_SUBSCRIPTION_ID}/resourceGroups/rg-sec/providers/Microsoft.KeyVault/vaults/corp-kv`,
    );
    assert.equal(await valueOf(c.vaultUri), "https://corp-kv.vault.azure.net/");
    assert.equal(await valueOf(c.resourceGroupName), "rg-sec");
  });

  it("refuses bad names and missing placement by field", () => {
    assert.throws(
      () =>
        new ConnectKeyVault("bad", {
          namePrefix: "vp",
          vaultName: "kv",
          resourceGroupName: "rg",
          location: "x",
        }),
      /vaultName: "kv" is not a Key Vault name/,
    );
    assert.throws(
      () => new ConnectKeyVault("bad2", { namePrefix: "vp" }),
      /\n {2}resourceGroupName: is required to create a Key Vault; give it, or name an existing vault under existing\n {2}location: is required to create a Key Vault/,
    );
    assert.ok(vaultNameProblem("a--bc"));
    assert.ok(vaultNameProblem("1abc"));
    assert.equal(vaultNameProblem("vp-prod-kv"), undefined);
    assert.equal(defaultVaultName("contoso-vantagepoint-production"), "contoso-vantagepoint-kv");
    assert.equal(vaultNameProblem(defaultVaultName("contoso-vantagepoint-production")), undefined);
  });
});

/** An Output's value, or its error (valueOf never settles when the Output fails). */
function settled<T>(output: { apply: unknown }): Promise<T> {
  return (output as unknown as { promise(): Promise<T> }).promise();
}

describe("ConnectKeyVault with an existing vault on access policies", () => {
  let harness: Harness;
  let properties: Record<string, unknown> = {};
  before(async () => {
    harness = await installMocks({
      call: (args) =>
        args.token === "azure-native:keyvault:getVault"
          ? {
              id: `/subscriptions/${MOCK_SUBSCRIPTION_ID}/resourceGroups/rg-sec/providers/Microsoft.KeyVault/vaults/${args.inputs.vaultName}`,
              properties: { vaultUri: `https://${args.inputs.vaultName}.vault.azure.net/`, ...properties },
            }
          : undefined,
    });
  });
  beforeEach(() => harness.reset());
  after(() => harness.restore());

  it("fails naming the vault and the fix: the gateway's Azure role would be ignored", async () => {
    properties = { enableRbacAuthorization: false, accessPolicies: [{ objectId: "someone" }] };
    const c = new ConnectKeyVault("kv-ap", {
      namePrefix: "vp",
      existing: { vaultName: "corp-kv", resourceGroupName: "rg-sec" },
    });
    await assert.rejects(
      settled<string>(c.vaultId),
      /existing\.vaultName: the existing Key Vault "corp-kv" uses access policies, not Azure RBAC.*Key Vault Secrets User.*permission model to Azure role-based access control/,
    );
  });

  it("accepts a vault on Azure RBAC", async () => {
    properties = { enableRbacAuthorization: true, accessPolicies: [] };
    const c = new ConnectKeyVault("kv-rbac", {
      namePrefix: "vp",
      existing: { vaultName: "corp-kv", resourceGroupName: "rg-sec" },
    });
    assert.match(await settled<string>(c.vaultId), /\/vaults\/corp-kv$/);
  });

  it("tells access policies from RBAC, also on vaults older than the flag", () => {
    assert.equal(existingVaultAccessProblem("kv", { enableRbacAuthorization: true }), undefined);
    assert.match(
      existingVaultAccessProblem("kv", { enableRbacAuthorization: false }) ?? "",
      /access policies/,
    );
    assert.match(existingVaultAccessProblem("kv", { accessPolicies: [{}] }) ?? "", /access policies/);
    assert.equal(existingVaultAccessProblem("kv", { accessPolicies: [] }), undefined);
    assert.equal(existingVaultAccessProblem("kv", undefined), undefined);
  });
});
