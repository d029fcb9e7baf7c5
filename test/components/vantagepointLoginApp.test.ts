import assert from "node:assert/strict";
import { VantagepointLoginApp, VantagepointLoginAppArgs } from "../../components/vantagepointLoginApp";
import { GRAPH_APP_ID, GRAPH_DELEGATED, loginRedirectUri, stableUuid } from "../../lib/entra";
import { Harness, captureWarnings, installMocks, nonChildren, valueOf } from "../support/pulumiMocks";

const APP = "azuread:index/application:Application";
const PASSWORD = "azuread:index/applicationPassword:ApplicationPassword";
const SP = "azuread:index/servicePrincipal:ServicePrincipal";
const KV_SECRET = "azure-native:keyvault:Secret";
const COMPONENT = "vantagepoint-connect:index:VantagepointLoginApp";
const PASSWORD_VALUE = "pa55-w0rd-value-from-entra";
const VAULT_ID = "/subscriptions/sub/resourceGroups/rg-kv/providers/Microsoft.KeyVault/vaults/vp-kv";

function isoDay(offsetDays: number): string {
  return new Date(Date.now() + offsetDays * 86400_000).toISOString().slice(0, 10);
}

const base: VantagepointLoginAppArgs = {
  namePrefix: "vp-test",
  publicUrl: "https://vantagepoint.example.com/vantagepoint",
  keyVaultId: VAULT_ID,
  secretRotatedOn: isoDay(-10),
};

describe("VantagepointLoginApp", () => {
  let harness: Harness;
  before(async () => {
    harness = await installMocks({
      outputs: (args) =>
        args.type === APP
          ? { clientId: "login-client-id" }
          : args.type === PASSWORD
            ? { value: PASSWORD_VALUE }
            : args.type === SP
              ? { objectId: "login-sp-object" }
              : undefined,
    });
  });
  beforeEach(() => harness.reset());
  after(() => harness.restore());

  async function build(args: Partial<VantagepointLoginAppArgs> = {}, name = "login") {
    const component = new VantagepointLoginApp(name, { ...base, ...args });
    await harness.settle();
    return component;
  }

  it("registers a single-tenant app whose web redirect is the public URL's app path", async () => {
    const c = await build();
    const app = harness.one(APP).inputs;
    assert.equal(app.signInAudience, "AzureADMyOrg");
    assert.deepEqual(app.web.redirectUris, ["https://vantagepoint.example.com/vantagepoint/app"]);
    assert.equal(await valueOf(c.redirectUri), "https://vantagepoint.example.com/vantagepoint/app");
    assert.equal(await valueOf(c.applicationId), "login-client-id");
  });

  it("follows a configurable app path", async () => {
    await build({ publicUrl: "https://vp.example.com/", appPath: "/vantagepoint/app/" });
    assert.deepEqual(harness.one(APP).inputs.web.redirectUris, ["https://vp.example.com/vantagepoint/app"]);
  });

  it("exposes user_impersonation with a stable id, admins-and-users consent, and asks for Graph User.Read", async () => {
    await build();
    const app = harness.one(APP).inputs;
    const [scope] = app.api.oauth2PermissionScopes;
    assert.equal(scope.value, "user_impersonation");
    assert.equal(scope.type, "User");
    assert.equal(scope.enabled, true);
    assert.ok(scope.userConsentDisplayName && scope.adminConsentDisplayName);
    assert.equal(scope.id, stableUuid("vp-test/user_impersonation"));
    assert.deepEqual(app.requiredResourceAccesses, [
      {
        resourceAppId: GRAPH_APP_ID,
        resourceAccesses: [{ id: GRAPH_DELEGATED["User.Read"], type: "Scope" }],
      },
    ]);
    // Deltek's guide: the default Application ID URI, api://<application id>, set once the id exists.
    assert.equal(app.identifierUris, undefined);
    const uri = harness.one("azuread:index/applicationIdentifierUri:ApplicationIdentifierUri");
    assert.equal(uri.inputs.identifierUri, "api://login-client-id");
    assert.equal(uri.inputs.applicationId, "/mock/login-app");
    assert.equal(app.api.requestedAccessTokenVersion, undefined, "no access-token version unless configured");
  });

  it("makes the deploying principal and the listed object ids owners of the app and its service principal", async () => {
    const extra = "5a1b2c3d-4e5f-4a6b-8c9d-0e1f2a3b4c5d";
    await build({ owners: [extra, extra.toUpperCase()] });
    assert.ok(harness.calls.some((c) => c.token === "azuread:index/getClientConfig:getClientConfig"));
    // The deployer first, each owner once (object ids compare case-insensitively).
    assert.deepEqual(harness.one(APP).inputs.owners, ["mock-object", extra]);
    assert.deepEqual(harness.one(SP).inputs.owners, ["mock-object", extra]);
    harness.reset();
    await build();
    assert.deepEqual(harness.one(APP).inputs.owners, ["mock-object"], "the deployer even without a list");
    harness.reset();
    assert.throws(
      () => new VantagepointLoginApp("bad-owner", { ...base, owners: ["pat.jones@example.com"] }),
      /\n {2}owners\[0\]: must be an Entra object id/,
    );
    assert.equal(harness.resources.length, 0);
  });

  it("creates the service principal for the app", async () => {
    const c = await build();
    assert.equal(harness.one(SP).inputs.clientId, "login-client-id");
    assert.equal(await valueOf(c.servicePrincipalObjectId), "login-sp-object");
  });

  it("issues a password ending within 730 days of rotation, rotated by changing the date", async () => {
    const rotatedOn = isoDay(-10);
    const c = await build({ secretRotatedOn: rotatedOn });
    const pw = harness.one(PASSWORD);
    assert.equal(pw.inputs.applicationId, "/mock/login-app");
    assert.deepEqual(pw.inputs.rotateWhenChanged, { rotatedOn });
    const days = (Date.parse(pw.inputs.endDate) - Date.parse(`${rotatedOn}T00:00:00Z`)) / 86400_000;
    assert.ok(days > 0 && days <= 730, `lifetime ${days} days`);
    assert.equal(await valueOf(c.secretExpiresOn), pw.inputs.endDate);
  });

  it("keeps the secret in Key Vault with the same expiry, marked secret", async () => {
    await build({ secretLifetimeDays: 365 });
    const pw = harness.one(PASSWORD);
    assert.ok(pw.additionalSecretOutputs.includes("value"), "the password value is a secret output");
    const kv = harness.one(KV_SECRET);
    assert.deepEqual(
      [kv.inputs.resourceGroupName, kv.inputs.vaultName, kv.inputs.secretName],
      ["rg-kv", "vp-kv", "vp-test-login-client-secret"],
    );
    assert.equal(kv.inputs.properties.value, PASSWORD_VALUE);
    assert.ok(kv.secretPaths.includes("properties.value"), `secret inputs: ${kv.secretPaths}`);
    assert.deepEqual(kv.inputs.properties.attributes, {
      enabled: true,
      expires: Date.parse(pw.inputs.endDate) / 1000,
    });
  });

  it("never puts the password value in the component's outputs", async () => {
    const c = await build();
    const outputs = await Promise.all(
      [
        c.applicationId,
        c.secretName,
        c.secretExpiresOn,
        c.redirectUri,
        c.identifierUri,
        c.servicePrincipalObjectId,
      ].map(valueOf),
    );
    assert.ok(!JSON.stringify(outputs).includes(PASSWORD_VALUE));
  });

  it("warns when the secret is about to expire and refuses an expired one before registering anything", async () => {
    const warnings = captureWarnings();
    try {
      await build({ secretRotatedOn: isoDay(-720), secretLifetimeDays: 730 });
    } finally {
      warnings.stop();
    }
    assert.ok(
      warnings.messages.some((m) => /days left/.test(m)),
      warnings.messages.join("\n"),
    );
    harness.reset();
    assert.throws(
      () => new VantagepointLoginApp("expired", { ...base, secretRotatedOn: "2020-01-01" }),
      /\n {2}secretSlotBRotatedOn: the login app: the active secret \(slot A, issued 2020-01-01\) expired on 2021-12-31/,
    );
    assert.throws(
      () => new VantagepointLoginApp("long", { ...base, secretLifetimeDays: 800 }),
      /secretLifetimeDays: 800/,
    );
    assert.throws(
      () => new VantagepointLoginApp("url", { ...base, publicUrl: "http://vp.example.com/vantagepoint" }),
      /publicUrl: .* is not an https URL/,
    );
    assert.equal(harness.resources.length, 0);
  });

  it("parents every child to the component", async () => {
    await build();
    assert.deepEqual(
      nonChildren(harness, harness.one(COMPONENT)).map((r) => r.type),
      [],
    );
  });

  it("derives name-based v5 UUIDs", () => {
    const id = stableUuid("vp-test/user_impersonation");
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(stableUuid("vp-test/user_impersonation"), id);
    assert.notEqual(stableUuid("vp-prod/user_impersonation"), id);
    // RFC 4122 test vector: uuid v5 of "www.example.com" in the DNS namespace
    assert.equal(
      stableUuid("www.example.com", "6ba7b810-9dad-11d1-80b4-00c04fd430c8"),
      "2ed6657d-e927-568b-95e1-2665a8aea6a2",
    );
    assert.equal(
      loginRedirectUri("https://h.example.com/vantagepoint"),
      "https://h.example.com/vantagepoint/app",
    );
  });
});
