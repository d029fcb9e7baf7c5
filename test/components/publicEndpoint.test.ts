import assert from "node:assert/strict";
import { PublicEndpoint, PublicEndpointArgs } from "../../components/publicEndpoint";
import {
  certificateSecretIdProblem,
  gatewayPartId,
  GRANT_WAIT_SCRIPT,
  hostnameProblem,
  normalizePath,
} from "../../lib/publicEndpoint";
import {
  Harness,
  Json,
  MOCK_SUBSCRIPTION_ID,
  installMocks,
  nonChildren,
  valueOf,
} from "../support/pulumiMocks";

const GATEWAY = "azure-native:network:ApplicationGateway";
const IP = "azure-native:network:PublicIPAddress";
const COMPONENT = "vantagepoint-connect:index:PublicEndpoint";

const base: PublicEndpointArgs = {
  resourceGroupName: "rg-vp",
  location: "westeurope",
  namePrefix: "vp-test",
  publicHostname: "vantagepoint.example.com",
  vantagepointPath: "/vantagepoint",
  backend: { address: "10.20.0.5", port: 443 },
  gatewaySubnetId:
    "/subscriptions/s/resourceGroups/rg-vp/providers/Microsoft.Network/virtualNetworks/vnet/subnets/appgw",
  wafPolicyId:
    "/subscriptions/s/resourceGroups/rg-vp/providers/Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies/waf",
  certificateSecretId: "https://vp-kv.vault.azure.net/secrets/vantagepoint-tls",
  tags: { site: "test" },
};

const partId = (collection: string, part: string) =>
  gatewayPartId(MOCK_SUBSCRIPTION_ID, "rg-vp", "vp-test-appgw", collection, part);

describe("PublicEndpoint", () => {
  let harness: Harness;
  before(async () => {
    harness = await installMocks({
      outputs: (args) =>
        args.type === IP
          ? { ipAddress: "198.51.100.77" }
          : args.type === "azure-native:managedidentity:UserAssignedIdentity"
            ? { principalId: "identity-principal" }
            : undefined,
    });
  });
  beforeEach(() => harness.reset());
  after(() => harness.restore());

  async function build(args: Partial<PublicEndpointArgs> = {}, name = "endpoint") {
    const component = new PublicEndpoint(name, { ...base, ...args });
    await harness.settle();
    return component;
  }

  it("creates a Standard static public IP and a WAF_v2 gateway bound to the WAF policy", async () => {
    await build();
    const ip = harness.one(IP).inputs;
    assert.deepEqual([ip.sku.name, ip.publicIPAllocationMethod], ["Standard", "Static"]);
    const gw = harness.one(GATEWAY).inputs;
    assert.deepEqual(gw.sku, { name: "WAF_v2", tier: "WAF_v2" });
    assert.equal(gw.firewallPolicy.id, base.wafPolicyId);
    assert.deepEqual(gw.autoscaleConfiguration, { minCapacity: 0, maxCapacity: 2 });
    assert.deepEqual(gw.gatewayIPConfigurations[0].subnet, { id: base.gatewaySubnetId });
    assert.deepEqual(gw.frontendIPConfigurations[0].publicIPAddress, { id: "endpoint-ip_id" });
  });

  it("serves HTTPS with the versionless Key Vault certificate through a user-assigned identity and TLS 1.2+", async () => {
    await build();
    const gw = harness.one(GATEWAY).inputs;
    assert.deepEqual(gw.sslCertificates, [
      { name: "connect-tls", keyVaultSecretId: base.certificateSecretId },
    ]);
    assert.deepEqual(gw.sslPolicy, { policyType: "Predefined", policyName: "AppGwSslPolicy20220101S" });
    assert.deepEqual(gw.identity, { type: "UserAssigned", userAssignedIdentities: ["endpoint-identity_id"] });
    const https = gw.httpListeners.find((l: Json) => l.protocol === "Https");
    assert.equal(https.sslCertificate.id, partId("sslCertificates", "connect-tls"));
    assert.equal(https.frontendPort.id, partId("frontendPorts", "port-443"));
  });

  it("uses HTTP only to redirect permanently to the HTTPS listener", async () => {
    await build();
    const gw = harness.one(GATEWAY).inputs;
    const http = gw.httpListeners.find((l: Json) => l.protocol === "Http");
    assert.equal(http.sslCertificate, undefined);
    assert.deepEqual(gw.redirectConfigurations, [
      {
        name: "http-to-https",
        redirectType: "Permanent",
        targetListener: { id: partId("httpListeners", "https-listener") },
        includePath: true,
        includeQueryString: true,
      },
    ]);
    const httpRule = gw.requestRoutingRules.find(
      (r: Json) => r.httpListener.id === partId("httpListeners", http.name),
    );
    assert.equal(httpRule.redirectConfiguration.id, partId("redirectConfigurations", "http-to-https"));
    assert.equal(httpRule.backendAddressPool, undefined);
    assert.equal(httpRule.backendHttpSettings, undefined);
    const priorities = gw.requestRoutingRules.map((r: Json) => r.priority);
    assert.equal(new Set(priorities).size, 2);
  });

  it("forwards to the backend over HTTPS with the public host name and probes the Vantagepoint app path", async () => {
    await build();
    const gw = harness.one(GATEWAY).inputs;
    assert.deepEqual(gw.backendAddressPools[0].backendAddresses, [{ ipAddress: "10.20.0.5" }]);
    const settings = gw.backendHttpSettingsCollection[0];
    assert.deepEqual(
      [settings.protocol, settings.port, settings.hostName, settings.pickHostNameFromBackendAddress],
      ["Https", 443, "vantagepoint.example.com", false],
    );
    assert.equal(settings.probe.id, partId("probes", "vantagepoint-probe"));
    assert.ok(settings.requestTimeout > 0);
    const probe = gw.probes[0];
    assert.deepEqual(
      [probe.protocol, probe.path, probe.match.statusCodes],
      ["Https", "/vantagepoint/app/", ["200-399"]],
    );
    const httpsRule = gw.requestRoutingRules.find(
      (r: Json) => r.httpListener.id === partId("httpListeners", "https-listener"),
    );
    assert.equal(httpsRule.backendAddressPool.id, partId("backendAddressPools", "vantagepoint-backend"));
  });

  it("takes an FQDN backend and a custom backend host name", async () => {
    await build({
      backend: { address: "vp01.corp.example.com", port: 8443, hostName: "vp01.corp.example.com" },
    });
    const gw = harness.one(GATEWAY).inputs;
    assert.deepEqual(gw.backendAddressPools[0].backendAddresses, [{ fqdn: "vp01.corp.example.com" }]);
    assert.deepEqual(
      [gw.backendHttpSettingsCollection[0].port, gw.backendHttpSettingsCollection[0].hostName],
      [8443, "vp01.corp.example.com"],
    );
  });

  it("outputs the public URL and IP", async () => {
    const c = await build();
    assert.equal(await valueOf(c.publicUrl), "https://vantagepoint.example.com/vantagepoint");
    assert.equal(await valueOf(c.publicIp), "198.51.100.77");
    assert.equal(await valueOf(c.gatewayName), "vp-test-appgw");
    assert.equal(await valueOf(c.identityPrincipalId), "identity-principal");
  });

  it("grants the identity Key Vault Secrets User when given the vault, and creates the gateway after the grant", async () => {
    const vaultId = "/subscriptions/s/resourceGroups/rg-vp/providers/Microsoft.KeyVault/vaults/vp-kv";
    await build({ keyVaultId: vaultId });
    const grant = harness.one("azure-native:authorization:RoleAssignment");
    assert.equal(grant.inputs.scope, vaultId);
    assert.equal(grant.inputs.principalId, "identity-principal");
    assert.match(grant.inputs.roleDefinitionId, /\/roleDefinitions\/4633458b-17de-408a-b874-0445c86b69e6$/);
    assert.ok(harness.one(GATEWAY).dependencies.includes(grant.urn));
  });

  it("waits for the Key Vault grant to take effect before creating the gateway", async () => {
    await build({
      keyVaultId: "/subscriptions/s/resourceGroups/rg-vp/providers/Microsoft.KeyVault/vaults/vp-kv",
    });
    const grant = harness.one("azure-native:authorization:RoleAssignment");
    const wait = harness.one("command:local:Command");
    assert.deepEqual(wait.inputs.interpreter, ["node", "-e"]);
    assert.equal(wait.inputs.create, GRANT_WAIT_SCRIPT);
    assert.equal(wait.inputs.environment.VPC_GRANT_WAIT_SECONDS, "180", "bounded, and configurable");
    assert.equal(wait.inputs.delete, undefined, "nothing to undo on destroy");
    assert.ok(wait.dependencies.includes(grant.urn), "the wait starts after the grant");
    assert.ok(harness.one(GATEWAY).dependencies.includes(wait.urn), "the gateway waits for it");
  });

  it("creates no role assignment without a vault id", async () => {
    await build();
    assert.equal(harness.ofType("azure-native:authorization:RoleAssignment").length, 0);
    assert.equal(harness.ofType("command:local:Command").length, 0);
  });

  it("adds an A record in the existing zone when asked", async () => {
    await build({
      dns: { zoneName: "example.com", zoneResourceGroupName: "rg-dns", recordName: "vantagepoint" },
    });
    const record = harness.one("azure-native:dns:RecordSet").inputs;
    assert.deepEqual(
      [
        record.recordType,
        record.zoneName,
        record.resourceGroupName,
        record.relativeRecordSetName,
        record.aRecords,
      ],
      ["A", "example.com", "rg-dns", "vantagepoint", [{ ipv4Address: "198.51.100.77" }]],
    );
  });

  it("refuses a DNS record that does not name the public host", () => {
    assert.throws(
      () =>
        new PublicEndpoint("dns-bad", {
          ...base,
          dns: { zoneName: "example.com", zoneResourceGroupName: "rg", recordName: "vp" },
        }),
      /dns\.recordName: vp\.example\.com is not the public host name vantagepoint\.example\.com/,
    );
  });

  it("refuses bad input by field, registering nothing", () => {
    assert.throws(
      () =>
        new PublicEndpoint("bad", {
          ...base,
          publicHostname: "https://vantagepoint.example.com",
          certificateSecretId: "https://vp-kv.vault.azure.net/secrets/tls/0123456789abcdef",
          sslPolicyName: "AppGwSslPolicy20150501",
          backend: { address: "10.0.0.5", port: 70000 },
        }),
      (err: Error) => {
        for (const field of ["publicHostname", "certificateSecretId", "sslPolicyName", "backend.port"]) {
          assert.ok(err.message.includes(`${field}:`), `error names ${field}: ${err.message}`);
        }
        return true;
      },
    );
    assert.equal(harness.resources.length, 0);
  });

  it("parents every child to the component", async () => {
    await build({
      keyVaultId: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv",
      dns: { zoneName: "example.com", zoneResourceGroupName: "rg", recordName: "vantagepoint" },
    });
    assert.deepEqual(
      nonChildren(harness, harness.one(COMPONENT)).map((r: Json) => r.type),
      [],
    );
    assert.ok(harness.calls.some((c: Json) => c.token === "azure-native:authorization:getClientConfig"));
  });

  describe("pure helpers", () => {
    it("normalizes the Vantagepoint path", () => {
      assert.equal(normalizePath("/vantagepoint"), "/vantagepoint");
      assert.equal(normalizePath("vantagepoint/"), "/vantagepoint");
      assert.equal(normalizePath("/"), "");
      assert.throws(() => normalizePath("/a b"), /vantagepointPath/);
    });
    it("checks host names and certificate ids", () => {
      assert.equal(hostnameProblem("vp.example.com"), undefined);
      assert.match(hostnameProblem("203.0.113.5")!, /not a DNS host name/);
      assert.equal(certificateSecretIdProblem("https://kv1.vault.azure.net/secrets/cert"), undefined);
      assert.match(
        certificateSecretIdProblem("https://kv1.vault.azure.net/secrets/cert/abc123")!,
        /drop the version/,
      );
      assert.match(
        certificateSecretIdProblem("https://kv1.vault.azure.net/certificates/cert")!,
        /not a Key Vault secret id/,
      );
    });
  });
});
