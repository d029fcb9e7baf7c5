/* eslint-disable @typescript-eslint/no-explicit-any -- stack config fixtures are untyped YAML, edited freely by each test */
/**
 * What a first `pulumi up` of the bundled stacks registers on the Azure and Entra side, asserted on the registered
 * resources and their dependency edges by type token: the certificate before the gateway, the grant and its wait
 * before the gateway, the Vantagepoint side after the gateway, DNS and verification only when the API is the
 * public URL, the vault firewall, hub peering, route table, port 80, IPv6, trusted roots, logs, zones and locks.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { ConnectKeyVault } from "../../components/connectKeyVault";
import { ConnectSite } from "../../components/connectSite";
import { loadStackConfig } from "../../lib/config/load";
import { readRosterFile } from "../../lib/config/rosterFile";
import { parseStackFile } from "../../lib/config/stackFile";
import { PFX_CONTENT_TYPE } from "../../lib/keyVault";
import { GATEWAY_LOG_CATEGORIES } from "../../lib/publicEndpoint";
import { siteArgsFromConfig } from "../../program/siteArgs";
import type { Harness, HarnessOptions, RecordedResource } from "../support/pulumiMocks";
import { installMocks, MOCK_RANDOM_SUFFIX, MOCK_SUBSCRIPTION_ID, valueOf } from "../support/pulumiMocks";

const root = path.resolve(__dirname, "../..");
const T = {
  gateway: "azure-native:network:ApplicationGateway",
  publicIp: "azure-native:network:PublicIPAddress",
  secret: "azure-native:keyvault:Secret",
  vault: "azure-native:keyvault:Vault",
  grant: "azure-native:authorization:RoleAssignment",
  command: "command:local:Command",
  dns: "azure-native:dns:RecordSet",
  verification: "vantagepoint-connect:index:SiteVerification",
  /** The Vantagepoint side is dynamic resources; found by name. */
  dynamic: "pulumi-nodejs:dynamic:Resource",
  peering: "azure-native:network:VirtualNetworkPeering",
  vnet: "azure-native:network:VirtualNetwork",
  subnet: "azure-native:network:Subnet",
  routeTable: "azure-native:network:RouteTable",
  diagnostics: "azure-native:monitor:DiagnosticSetting",
  workspace: "azure-native:operationalinsights:Workspace",
  lock: "azure-native:authorization:ManagementLockByScope",
  waf: "azure-native:network:WebApplicationFirewallPolicy",
  grantConsent:
    "azuread:index/servicePrincipalDelegatedPermissionGrant:ServicePrincipalDelegatedPermissionGrant",
  identifierUri: "azuread:index/applicationIdentifierUri:ApplicationIdentifierUri",
  mailbox: "vantagepoint-connect:index:ConnectMailboxApp",
};
const VANTAGEPOINT_SIDE = ["connect-roster", "connect-admin-role", "connect-connect-api-client"];

function named(harness: Harness, name: string): RecordedResource {
  const found = harness.ofType(T.dynamic).filter((r) => r.name === name);
  assert.equal(found.length, 1, `one dynamic resource named ${name}`);
  return found[0]!;
}

const PFX_STANDIN = "MIIKSentinelPfxBase64ValueForTests0123456789";

function stackConfig(stack: "dev" | "prod", edit: (c: Record<string, any>) => void = () => {}) {
  const file = `stacks/Pulumi.${stack}.yaml`;
  const raw = structuredClone(
    parseStackFile(readFileSync(path.join(root, file), "utf8"), file).config,
  ) as Record<string, any>;
  edit(raw);
  return loadStackConfig(raw, {
    source: file,
    readFile: (f) => readFileSync(path.join(root, f), "utf8"),
    parseRosterFile: readRosterFile,
    secretOverrides: {
      "tls.pfx": PFX_STANDIN,
      "vantagepoint.password": "sentinel-password",
      "vantagepoint.clientSecret": "sentinel-client-secret",
    },
  });
}

/** Builds the site from a bundled stack (edited), waits for every registration; returns the component or the error. */
async function build(
  harness: Harness,
  stack: "dev" | "prod",
  edit?: (c: Record<string, any>) => void,
): Promise<ConnectSite> {
  const site = new ConnectSite("connect", siteArgsFromConfig(stackConfig(stack, edit)));
  await harness.settle();
  return site;
}

/** Every URN `r` depends on, directly or through the resources it depends on. */
function dependsOnTransitively(harness: Harness, r: RecordedResource): Set<string> {
  const seen = new Set<string>();
  const queue = [...r.dependencies];
  while (queue.length > 0) {
    const urn = queue.pop()!;
    if (seen.has(urn)) continue;
    seen.add(urn);
    queue.push(...(harness.byUrn(urn)?.dependencies ?? []));
  }
  return seen;
}

function assertDependsOn(harness: Harness, from: RecordedResource, on: RecordedResource, why: string) {
  assert.ok(dependsOnTransitively(harness, from).has(on.urn), `${from.type} ${from.name} must wait: ${why}`);
}

/** An Output's error (valueOf never settles for a failed Output). */
async function failureOf(output: pulumi.Output<unknown>): Promise<string> {
  try {
    await (output as unknown as { promise(): Promise<unknown> }).promise();
  } catch (error) {
    return String((error as Error).message ?? error);
  }
  return "";
}

function withMocks(options: HarnessOptions, body: (h: () => Harness) => void) {
  let harness: Harness;
  before(async () => (harness = await installMocks(options)));
  beforeEach(() => harness.reset());
  after(() => harness.restore());
  body(() => harness);
}

describe("ConnectSite, Azure and Entra side: the dev stack's first pulumi up", () => {
  withMocks({}, (h) => {
    it("imports the PFX as the secret the gateway reads, and creates the gateway after it", async () => {
      await build(h(), "dev");
      // The login app's client secret goes to the same vault (its own secret, registered since plain mock ids work).
      const secrets = h().ofType(T.secret);
      assert.deepEqual(secrets.map((s) => s.name).sort(), [
        "connect-login-app-secret",
        "connect-vault-certificate",
      ]);
      const secret = secrets.find((s) => s.name === "connect-vault-certificate")!;
      assert.equal(secret.inputs.secretName, "vantagepoint-example-com");
      assert.equal(secret.inputs.properties.contentType, PFX_CONTENT_TYPE);
      assert.equal(secret.inputs.properties.value, PFX_STANDIN);
      assert.ok(secret.secretPaths.includes("properties.value"), "the PFX travels as a secret");
      assert.ok(secret.additionalSecretOutputs.includes("properties"));
      assert.equal(secret.inputs.properties.attributes.expires, Date.parse("2027-10-31T23:59:59Z") / 1000);
      const gateway = h().one(T.gateway);
      assertDependsOn(
        h(),
        gateway,
        secret,
        "a gateway whose certificate is not in the vault fails to create",
      );
      assert.match(
        gateway.inputs.sslCertificates[0].keyVaultSecretId,
        /\/secrets\/vantagepoint-example-com$/,
      );
    });

    it("grants the gateway's identity, waits (bounded) for the grant, then creates the gateway", async () => {
      await build(h(), "dev");
      const gateway = h().one(T.gateway);
      const grant = h().one(T.grant);
      const wait = h()
        .ofType(T.command)
        .find((c) => c.name.endsWith("kv-grant-propagation"))!;
      assert.ok(wait, "the grant wait");
      assertDependsOn(h(), wait, grant, "the wait starts after the grant");
      assertDependsOn(h(), gateway, wait, "the gateway comes after the wait");
      assert.equal(wait.inputs.environment.VPC_GRANT_WAIT_SECONDS, "180");
    });

    it("does not make the Vantagepoint side wait when the API is reached internally", async () => {
      await build(h(), "dev");
      const gateway = h().one(T.gateway);
      for (const token of VANTAGEPOINT_SIDE) {
        const r = named(h(), token);
        assert.ok(!dependsOnTransitively(h(), r).has(gateway.urn), `${token} must not wait for the gateway`);
      }
    });

    it("peers the new VNet to the hub (hub side first, in the hub's subscription) and routes 0.0.0.0/0 to Internet", async () => {
      await build(h(), "dev", (c) => (c["vpconnect:azure"].network.dnsServers = ["10.1.0.4"]));
      const peerings = h().ofType(T.peering);
      const hubSide = peerings.find((p) => p.name.endsWith("hub-to-spoke"))!;
      const spoke = peerings.find((p) => p.name.endsWith("spoke-to-hub"))!;
      assert.equal(hubSide.inputs.virtualNetworkName, "vnet-hub-weu");
      assert.equal(hubSide.inputs.resourceGroupName, "rg-connectivity");
      assert.equal(hubSide.inputs.allowGatewayTransit, true);
      assert.equal(spoke.inputs.useRemoteGateways, true);
      assert.match(spoke.inputs.remoteVirtualNetwork.id, /virtualNetworks\/vnet-hub-weu$/);
      assert.ok(
        spoke.dependencies.includes(hubSide.urn),
        "useRemoteGateways needs the hub's gateway transit first",
      );
      const providerRecord = h().resources.find((r) => r.type === "pulumi:providers:azure-native");
      assert.equal(providerRecord?.inputs.subscriptionId, "3f2b8c1d-5e6a-4b7c-9d8e-1a2b3c4d5e6f");
      assert.deepEqual(h().one(T.vnet).inputs.dhcpOptions, { dnsServers: ["10.1.0.4"] });
      const routes = h().one(T.routeTable).inputs;
      assert.deepEqual(routes.routes, [
        { name: "default-to-internet", addressPrefix: "0.0.0.0/0", nextHopType: "Internet" },
      ]);
      assert.equal(h().one(T.subnet).inputs.routeTable.id, `${h().one(T.routeTable).name}_id`);
    });

    it("creates the vault with a firewall that admits trusted services, and a random name suffix (@pulumi/random)", async () => {
      await build(h(), "dev");
      const vault = h().one(T.vault).inputs;
      assert.deepEqual(vault.properties.networkAcls, {
        defaultAction: "Deny",
        bypass: "AzureServices",
        virtualNetworkRules: [],
      });
      const suffix = h().one("random:index/randomString:RandomString");
      assert.ok(
        suffix.name.endsWith("name-suffix"),
        "the unique-name suffix is drawn once and kept in state",
      );
      assert.equal(h().one(T.vault).inputs.vaultName, `kv-vpconnect-dev-${MOCK_RANDOM_SUFFIX}`);
    });

    it("sends the gateway's access and WAF logs to a new Log Analytics workspace; no locks on dev", async () => {
      await build(h(), "dev");
      const setting = h().one(T.diagnostics).inputs;
      assert.equal(setting.resourceUri, `${h().one(T.gateway).name}_id`);
      assert.equal(setting.workspaceId, `${h().one(T.workspace).name}_id`);
      assert.deepEqual(
        setting.logs.map((l: any) => l.category),
        [...GATEWAY_LOG_CATEGORIES],
      );
      assert.equal(h().one(T.workspace).inputs.retentionInDays, 30);
      assert.equal(h().ofType(T.lock).length, 0, "dev is not prod-like");
    });

    it("puts the gateway and its public IP in the region's three zones", async () => {
      await build(h(), "dev");
      assert.deepEqual(h().one(T.gateway).inputs.zones, ["1", "2", "3"]);
      assert.deepEqual(h().one(T.publicIp).inputs.zones, ["1", "2", "3"]);
    });

    it("registers the login app as Deltek documents it: api://<application id>, no token version, no consent", async () => {
      await build(h(), "dev");
      const uri = h().one(T.identifierUri).inputs;
      assert.match(uri.identifierUri, /^api:\/\//);
      const app = h().one("azuread:index/application:Application");
      assert.equal(app.inputs.identifierUris, undefined);
      assert.equal(app.inputs.api.requestedAccessTokenVersion, undefined);
      assert.equal(app.inputs.api.oauth2PermissionScopes[0].value, "user_impersonation");
      assert.deepEqual(app.inputs.web.redirectUris, ["https://vantagepoint.example.com/vantagepoint/app"]);
      assert.equal(h().ofType(T.grantConsent).length, 0, "no admin consent unless asked");
      assert.equal(h().ofType(T.mailbox).length, 0, "no mailbox app by default");
    });

    it("grants admin consent for the login app's scopes when asked", async () => {
      await build(h(), "dev", (c) => (c["vpconnect:entra"].loginApp.grantAdminConsent = true));
      const grants = h()
        .ofType(T.grantConsent)
        .map((g) => g.inputs.claimValues);
      assert.deepEqual(grants, [["User.Read"], ["user_impersonation"]]);
    });

    it("creates the mailbox app without admin consent when enabled but consent is not asked for", async () => {
      await build(h(), "dev", (c) => {
        c["vpconnect:entra"].mailboxApp = { enabled: true, secretRotatedOn: "2026-11-01" };
      });
      assert.equal(h().ofType(T.mailbox).length, 1);
      assert.equal(h().ofType(T.grantConsent).length, 0, "no tenant-wide consent unless asked");
      assert.equal(h().ofType("azuread:index/appRoleAssignment:AppRoleAssignment").length, 0);
    });

    it("has no port 80 at all with httpListener off", async () => {
      await build(h(), "dev", (c) => (c["vpconnect:site"].httpListener = "off"));
      const g = h().one(T.gateway).inputs;
      assert.deepEqual(
        g.frontendPorts.map((p: any) => p.port),
        [443],
      );
      assert.deepEqual(
        g.httpListeners.map((l: any) => l.protocol),
        ["Https"],
      );
      assert.deepEqual(g.redirectConfigurations, []);
    });

    it("serves IPv6 on a dual-stack gateway: a second public IP, frontend, listeners and an IPv6 subnet prefix", async () => {
      await build(h(), "dev", (c) => {
        c["vpconnect:site"].ipv6Frontend = true;
        c["vpconnect:allowList"].enforceAt = "nsg";
        Object.assign(c["vpconnect:azure"].network, {
          ipv6AddressSpace: "2001:db8:60::/56",
          gatewaySubnetIpv6Prefix: "2001:db8:60:1::/64",
        });
      });
      const versions = h()
        .ofType(T.publicIp)
        .map((ip) => ip.inputs.publicIPAddressVersion);
      assert.deepEqual(versions.sort(), ["IPv4", "IPv6"]);
      const g = h().one(T.gateway).inputs;
      assert.equal(g.frontendIPConfigurations.length, 2);
      assert.equal(g.httpListeners.filter((l: any) => l.protocol === "Https").length, 2);
      assert.deepEqual(h().one(T.subnet).inputs.addressPrefixes, ["10.60.1.0/24", "2001:db8:60:1::/64"]);
      assert.deepEqual(h().one(T.vnet).inputs.addressSpace.addressPrefixes, [
        "10.60.0.0/16",
        "2001:db8:60::/56",
      ]);
    });

    it('admits people from anywhere through the WAF with audience "anyone" (no allow-list rule)', async () => {
      await build(h(), "dev", (c) => (c["vpconnect:site"].audience = "anyone"));
      assert.deepEqual(h().one(T.waf).inputs.customRules, []);
    });

    it("adds the VNet rule and the Key Vault service endpoint with firewall gatewaySubnet", async () => {
      await build(h(), "dev", (c) => (c["vpconnect:tls"].keyVault.firewall = "gatewaySubnet"));
      const subnet = h().one(T.subnet);
      assert.deepEqual(subnet.inputs.serviceEndpoints, [{ service: "Microsoft.KeyVault" }]);
      assert.deepEqual(h().one(T.vault).inputs.properties.networkAcls.virtualNetworkRules, [
        { id: `${subnet.name}_id` },
      ]);
    });
  });
});

describe("ConnectSite, Azure and Entra side: the prod stack (existing VNet and vault, public API)", () => {
  withMocks({}, (h) => {
    it("makes the roster, role and API client wait for the gateway, the DNS record and the verification", async () => {
      await build(h(), "prod");
      const gateway = h().one(T.gateway);
      const record = h().one(T.dns);
      const verification = h().one(T.verification);
      for (const token of VANTAGEPOINT_SIDE) {
        const r = named(h(), token);
        assertDependsOn(h(), r, gateway, "the API answers through the gateway");
        assertDependsOn(h(), r, record, "the API's host name must resolve");
        assert.ok(
          dependsOnTransitively(h(), r).has(verification.urn) ||
            h()
              .resources.filter((x) => x.parent === verification.urn)
              .some((x) => dependsOnTransitively(h(), r).has(x.urn)),
          `${token} waits for the verification`,
        );
      }
    });

    it("checks the existing certificate before the gateway, and points the listener at it", async () => {
      await build(h(), "prod");
      const calls = h().calls.filter((c) => c.token === "azure-native:keyvault:getSecret");
      assert.deepEqual(
        calls.map((c) => c.inputs),
        [
          {
            vaultName: "kv-platform-prod",
            resourceGroupName: "rg-platform-security",
            secretName: "vp-example-com",
          },
        ],
      );
      assert.equal(
        h()
          .ofType(T.secret)
          .filter((s) => s.inputs.secretName === "vp-example-com").length,
        0,
      );
      assert.equal(
        h().one(T.gateway).inputs.sslCertificates[0].keyVaultSecretId,
        "https://kv-platform-prod.vault.azure.net/secrets/vp-example-com",
      );
    });

    it("references the internal CA's trusted root from the backend settings and sends the configured host name", async () => {
      await build(h(), "prod");
      const g = h().one(T.gateway).inputs;
      assert.equal(g.trustedRootCertificates.length, 1);
      assert.equal(g.trustedRootCertificates[0].name, "example-corp-root");
      assert.match(g.trustedRootCertificates[0].data, /^MII[A-Za-z0-9+/=]+$/, "base64 DER, not PEM");
      const settings = g.backendHttpSettingsCollection[0];
      assert.match(settings.trustedRootCertificates[0].id, /\/trustedRootCertificates\/example-corp-root$/);
      assert.equal(settings.hostName, "vp.example.com");
      assert.equal(settings.protocol, "Https");
    });

    it("locks the public IP and the gateway (prod-like), sends logs to the platform workspace, creates no workspace", async () => {
      await build(h(), "prod");
      const scopes = h()
        .ofType(T.lock)
        .map((l) => l.inputs.scope)
        .sort();
      assert.deepEqual(scopes, [`${h().one(T.gateway).name}_id`, `${h().one(T.publicIp).name}_id`].sort());
      assert.ok(
        h()
          .ofType(T.lock)
          .every((l) => l.inputs.level === "CanNotDelete"),
      );
      assert.equal(h().ofType(T.workspace).length, 0);
      assert.match(h().one(T.diagnostics).inputs.workspaceId, /workspaces\/log-platform-weu$/);
    });

    it("adds no peering to an existing connected VNet, but still keeps a default route off the gateway subnet", async () => {
      await build(h(), "prod");
      assert.equal(h().ofType(T.peering).length, 0);
      assert.equal(h().ofType(T.vnet).length, 0);
      assert.equal(h().one(T.routeTable).inputs.routes[0].nextHopType, "Internet");
    });
  });
});

describe("a missing existing certificate stops the deploy before the gateway", () => {
  withMocks(
    {
      call: (args) => {
        if (args.token === "azure-native:keyvault:getSecret") {
          throw new Error(
            "SecretNotFound: A secret with (name/id) vp-example-com was not found in this key vault.",
          );
        }
        return undefined;
      },
    },
    () => {
      // The vault's data plane says 404 too (test/components/existingCertificate.test.ts covers its other answers).
      const realFetch = globalThis.fetch;
      before(() => (globalThis.fetch = (async () => new Response(null, { status: 404 })) as typeof fetch));
      after(() => (globalThis.fetch = realFetch));
      it("fails the certificate id the gateway needs, naming the certificate and the fix", async () => {
        const vault = new ConnectKeyVault("kv-missing", {
          existing: { vaultName: "kv-platform-prod", resourceGroupName: "rg-platform-security" },
          certificate: { name: "vp-example-com", source: "keyVault", field: "tls.certificateName" },
        });
        const message = await failureOf(vault.certificateSecretId);
        assert.match(
          message,
          /^tls\.certificateName: the Key Vault "kv-platform-prod" has no certificate "vp-example-com"/,
        );
        assert.match(
          message,
          /az keyvault certificate import --vault-name kv-platform-prod --name vp-example-com/,
        );
      });
    },
  );
});

describe("an existing vault's firewall is read before anything uses it", () => {
  let acls: Record<string, unknown> = {};
  withMocks(
    {
      call: (args) =>
        args.token === "azure-native:keyvault:getVault"
          ? {
              id: `/subscriptions/${MOCK_SUBSCRIPTION_ID}/resourceGroups/${args.inputs.resourceGroupName}/providers/Microsoft.KeyVault/vaults/${args.inputs.vaultName}`,
              properties: {
                vaultUri: `https://${args.inputs.vaultName}.vault.azure.net/`,
                enableRbacAuthorization: true,
                ...acls,
              },
            }
          : undefined,
    },
    (h) => {
      it("accepts the same vault once trusted services may bypass its firewall", async () => {
        acls = { networkAcls: { defaultAction: "Deny", bypass: "AzureServices", virtualNetworkRules: [] } };
        await build(h(), "prod");
        assert.ok(Object.keys(h().one(T.gateway).inputs).length > 0, "the gateway is created");
      });
      it("refuses a vault that admits only selected networks without trusted services, with the fix", async () => {
        acls = { networkAcls: { defaultAction: "Deny", bypass: "None", virtualNetworkRules: [] } };
        const vault = new ConnectKeyVault("kv-fw", {
          existing: { vaultName: "kv-platform-prod", resourceGroupName: "rg-sec" },
          gatewaySubnetId:
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/appgw",
        });
        const message = await failureOf(vault.vaultId);
        assert.match(
          message,
          /admits only selected networks and neither trusted Microsoft services nor the gateway subnet/,
        );
        assert.match(message, /az keyvault update --name kv-platform-prod --bypass AzureServices/);
      });
      it("accepts a VNet rule for the gateway subnet instead of the bypass", async () => {
        const subnetId =
          "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/appgw";
        acls = {
          networkAcls: { defaultAction: "Deny", bypass: "None", virtualNetworkRules: [{ id: subnetId }] },
        };
        const vault = new ConnectKeyVault("kv-rule", {
          existing: { vaultName: "kv-platform-prod", resourceGroupName: "rg-sec" },
          gatewaySubnetId: subnetId,
        });
        assert.match(await valueOf(vault.vaultId), /vaults\/kv-platform-prod$/);
      });
      it("refuses a vault with public access disabled (only a private endpoint would reach it)", async () => {
        acls = { publicNetworkAccess: "Disabled" };
        const vault = new ConnectKeyVault("kv-private", {
          existing: { vaultName: "kv-platform-prod", resourceGroupName: "rg-sec" },
        });
        assert.match(await failureOf(vault.vaultId), /public network access disabled/);
      });
    },
  );
});
