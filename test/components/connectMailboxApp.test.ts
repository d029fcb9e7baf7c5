import assert from "node:assert/strict";
import { ConnectMailboxApp, ConnectMailboxAppArgs } from "../../components/connectMailboxApp";
import {
  EXCHANGE_DELEGATED,
  EXCHANGE_ONLINE_APP_ID,
  GRAPH_APP_ID,
  GRAPH_APPLICATION,
  GRAPH_DELEGATED,
  mailboxPermissions,
} from "../../lib/entra";
import { Harness, Json, captureWarnings, installMocks, nonChildren, valueOf } from "../support/pulumiMocks";

const APP = "azuread:index/application:Application";
const PASSWORD = "azuread:index/applicationPassword:ApplicationPassword";
const SP = "azuread:index/servicePrincipal:ServicePrincipal";
const GRANT =
  "azuread:index/servicePrincipalDelegatedPermissionGrant:ServicePrincipalDelegatedPermissionGrant";
const ROLE = "azuread:index/appRoleAssignment:AppRoleAssignment";
const KV_SECRET = "azure-native:keyvault:Secret";
const COMPONENT = "vantagepoint-connect:index:ConnectMailboxApp";
const EWS_ID = EXCHANGE_DELEGATED["EWS.AccessAsUser.All"];

const base: ConnectMailboxAppArgs = {
  namePrefix: "vp-test",
  keyVaultId: "/subscriptions/sub/resourceGroups/rg-kv/providers/Microsoft.KeyVault/vaults/vp-kv",
  secretRotatedOn: new Date(Date.now() - 5 * 86400_000).toISOString().slice(0, 10),
};

const allIds = (app: Json): string[] =>
  app.requiredResourceAccesses.flatMap((r: Json) => r.resourceAccesses.map((a: Json) => a.id));

describe("ConnectMailboxApp", () => {
  let harness: Harness;
  let warnings: ReturnType<typeof captureWarnings>;
  before(async () => {
    harness = await installMocks({
      outputs: (args) =>
        args.type === APP
          ? { clientId: "mailbox-client-id" }
          : args.type === SP
            ? { objectId: "mailbox-sp-object" }
            : args.type === PASSWORD
              ? { value: "mailbox-secret-value" }
              : undefined,
    });
  });
  beforeEach(() => {
    harness.reset();
    warnings = captureWarnings();
  });
  afterEach(() => warnings.stop());
  after(() => harness.restore());

  async function build(args: Partial<ConnectMailboxAppArgs> = {}, name = "mailbox") {
    const component = new ConnectMailboxApp(name, { ...base, ...args });
    await harness.settle();
    return component;
  }

  it("asks for Graph sign-in and mailbox scopes by id, delegated only, and no EWS by default", async () => {
    const c = await build();
    const app = harness.one(APP).inputs;
    assert.equal(app.signInAudience, "AzureADMyOrg");
    assert.equal(app.requiredResourceAccesses.length, 1);
    const graph = app.requiredResourceAccesses[0];
    assert.equal(graph.resourceAppId, GRAPH_APP_ID);
    assert.deepEqual(
      new Set(graph.resourceAccesses.map((a: Json) => a.id)),
      new Set(Object.values(GRAPH_DELEGATED)),
    );
    assert.ok(
      graph.resourceAccesses.every((a: Json) => a.type === "Scope"),
      "no application (Role) permissions",
    );
    assert.ok(!allIds(app).includes(EWS_ID));
    assert.ok(!app.requiredResourceAccesses.some((r: Json) => r.resourceAppId === EXCHANGE_ONLINE_APP_ID));
    assert.deepEqual(warnings.messages, []);
    assert.equal(await valueOf(c.access), "graph");
  });

  it("adds EWS.AccessAsUser.All on Exchange Online only when ews is chosen, with a warning about October 2026", async () => {
    await build({ access: "ews" });
    const app = harness.one(APP).inputs;
    const exchange = app.requiredResourceAccesses.find(
      (r: Json) => r.resourceAppId === EXCHANGE_ONLINE_APP_ID,
    );
    assert.deepEqual(exchange.resourceAccesses, [{ id: EWS_ID, type: "Scope" }]);
    assert.equal(warnings.messages.length, 1);
    assert.match(warnings.messages[0]!, /EWS/);
    assert.match(warnings.messages[0]!, /1 October 2026/);
  });

  it("grants no consent unless asked; with adminConsent grants the delegated scopes on Graph", async () => {
    await build();
    assert.equal(harness.ofType(GRANT).length, 0);
    harness.reset();
    await build({ adminConsent: true }, "consented");
    const grant = harness.one(GRANT).inputs;
    assert.equal(grant.servicePrincipalObjectId, "mailbox-sp-object");
    assert.equal(grant.resourceServicePrincipalObjectId, `sp-object-${GRAPH_APP_ID}`);
    assert.deepEqual([...grant.claimValues].sort(), [
      "Calendars.ReadWrite",
      "Contacts.ReadWrite",
      "Mail.ReadWrite",
      "User.Read",
      "email",
      "offline_access",
      "openid",
      "profile",
    ]);
    assert.ok(
      harness.calls.some(
        (c) =>
          c.token === "azuread:index/getServicePrincipal:getServicePrincipal" &&
          c.inputs.clientId === GRAPH_APP_ID,
      ),
    );
    assert.equal(harness.ofType(SP).length, 1, "Graph's service principal is looked up, not managed");
    assert.equal(harness.ofType(ROLE).length, 0);
  });

  it("consents to EWS on Exchange Online when ews and adminConsent", async () => {
    await build({ access: "ews", adminConsent: true });
    const grants = harness.ofType(GRANT).map((g: Json) => g.inputs);
    const exchange = grants.find(
      (g) => g.resourceServicePrincipalObjectId === `sp-object-${EXCHANGE_ONLINE_APP_ID}`,
    );
    assert.deepEqual(exchange?.claimValues, ["EWS.AccessAsUser.All"]);
  });

  it("adds tenant-wide application roles only when applicationPermissions is explicitly true", async () => {
    await build({ applicationPermissions: false });
    assert.ok(
      !harness
        .one(APP)
        .inputs.requiredResourceAccesses[0].resourceAccesses.some((a: Json) => a.type === "Role"),
    );
    harness.reset();
    await build({ applicationPermissions: true, adminConsent: true }, "tenant-wide");
    const roles = harness
      .one(APP)
      .inputs.requiredResourceAccesses[0].resourceAccesses.filter((a: Json) => a.type === "Role");
    assert.deepEqual(new Set(roles.map((r: Json) => r.id)), new Set(Object.values(GRAPH_APPLICATION)));
    assert.deepEqual(
      new Set(harness.ofType(ROLE).map((r: Json) => r.inputs.appRoleId)),
      new Set(Object.values(GRAPH_APPLICATION)),
    );
    assert.ok(warnings.messages.some((m: Json) => /EVERY mailbox/.test(m)));
  });

  it("keeps its secret in Key Vault with an expiry, marked secret", async () => {
    await build();
    const pw = harness.one(PASSWORD);
    assert.ok(pw.additionalSecretOutputs.includes("value"));
    const kv = harness.one(KV_SECRET);
    assert.equal(kv.inputs.secretName, "vp-test-mailbox-client-secret");
    assert.ok(kv.secretPaths.includes("properties.value"));
    assert.equal(kv.inputs.properties.attributes.expires, Date.parse(pw.inputs.endDate) / 1000);
    const days =
      (Date.parse(pw.inputs.endDate) - Date.parse(`${base.secretRotatedOn}T00:00:00Z`)) / 86400_000;
    assert.ok(days <= 730);
  });

  it("makes the deploying principal and the listed object ids owners of the app and its service principal", async () => {
    const extra = "5a1b2c3d-4e5f-4a6b-8c9d-0e1f2a3b4c5d";
    await build({ owners: [extra] });
    assert.deepEqual(harness.one(APP).inputs.owners, ["mock-object", extra]);
    assert.deepEqual(harness.one("azuread:index/servicePrincipal:ServicePrincipal").inputs.owners, [
      "mock-object",
      extra,
    ]);
  });

  it("refuses an unknown access mode before registering anything", () => {
    assert.throws(
      () => new ConnectMailboxApp("bad", { ...base, access: "imap" as never }),
      /\n {2}access: "imap" must be one of "graph", "ews"/,
    );
    assert.equal(harness.resources.length, 0);
  });

  it("parents every child to the component", async () => {
    await build({ access: "ews", adminConsent: true, applicationPermissions: true });
    assert.deepEqual(
      nonChildren(harness, harness.one(COMPONENT)).map((r: Json) => r.type),
      [],
    );
  });

  it("plans permissions purely", () => {
    const graph = mailboxPermissions({ access: "graph" });
    assert.equal(graph.warnings.length, 0);
    assert.equal(graph.requiredResourceAccesses.length, 1);
    const ews = mailboxPermissions({ access: "ews" });
    assert.equal(ews.requiredResourceAccesses.length, 2);
    assert.equal(ews.delegatedGrants.length, 2);
  });
});
