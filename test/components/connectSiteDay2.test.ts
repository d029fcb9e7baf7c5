/* eslint-disable @typescript-eslint/no-explicit-any -- stack config fixtures are untyped YAML, edited freely by each test */
/**
 * Day-2 and review fixes on the Azure side (issue 20, items 2-10, 12, 13), asserted on what the bundled stacks
 * register under mocks: resources, inputs and dependency edges. Each test was run against the code before the fix
 * and failed there.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { Provider as AzureNativeProvider } from "@pulumi/azure-native/provider";
import { ConnectSite } from "../../components/connectSite";
import type { ConnectSiteArgs } from "../../components/connectSite";
import { loadStackConfig } from "../../lib/config/load";
import { readRosterFile } from "../../lib/config/rosterFile";
import { parseStackFile } from "../../lib/config/stackFile";
import { VAULT_NAME_SUFFIX } from "../../lib/keyVault";
import { siteArgsFromConfig } from "../../program/siteArgs";
import type { Harness, HarnessOptions, RecordedResource } from "../support/pulumiMocks";
import { installMocks, MOCK_RANDOM_SUFFIX, MOCK_SUBSCRIPTION_ID } from "../support/pulumiMocks";

const root = path.resolve(__dirname, "../..");
const T = {
  subnet: "azure-native:network:Subnet",
  peering: "azure-native:network:VirtualNetworkPeering",
  provider: "pulumi:providers:azure-native",
  waf: "azure-native:network:WebApplicationFirewallPolicy",
  nsg: "azure-native:network:NetworkSecurityGroup",
  grant: "azure-native:authorization:RoleAssignment",
  vault: "azure-native:keyvault:Vault",
  random: "random:index/randomString:RandomString",
  command: "command:local:Command",
};

function stackArgs(
  stack: "dev" | "prod",
  edit: (c: Record<string, any>) => void = () => {},
): ConnectSiteArgs {
  const file = `stacks/Pulumi.${stack}.yaml`;
  const raw = structuredClone(
    parseStackFile(readFileSync(path.join(root, file), "utf8"), file).config,
  ) as Record<string, any>;
  edit(raw);
  return siteArgsFromConfig(
    loadStackConfig(raw, {
      source: file,
      readFile: (f) => readFileSync(path.join(root, f), "utf8"),
      parseRosterFile: readRosterFile,
      secretOverrides: {
        "tls.pfx": "MIIKSentinelPfxBase64ValueForTests0123456789",
        "vantagepoint.password": "sentinel-password",
        "vantagepoint.clientSecret": "sentinel-client-secret",
      },
    }),
  );
}

function withMocks(options: HarnessOptions, body: (h: () => Harness) => void) {
  let harness: Harness;
  before(async () => (harness = await installMocks(options)));
  beforeEach(() => harness.reset());
  after(() => harness.restore());
  body(() => harness);
}

async function build(
  h: Harness,
  stack: "dev" | "prod",
  edit?: (c: Record<string, any>) => void,
  name = "connect",
) {
  new ConnectSite(name, stackArgs(stack, edit));
  await h.settle();
}

function named(h: Harness, type: string, suffix: string): RecordedResource {
  const found = h.ofType(type).filter((r) => r.name.endsWith(suffix));
  assert.equal(found.length, 1, `one ${type} named *${suffix}`);
  return found[0]!;
}

const GATEWAY_SUBNET_ID = `/subscriptions/${MOCK_SUBSCRIPTION_ID}/resourceGroups/rg-network-hub/providers/Microsoft.Network/virtualNetworks/vnet-hub-weu/subnets/snet-appgw-vpconnect`;

describe("ConnectSite day 2: the dev stack (new VNet peered to a hub, created vault)", () => {
  withMocks({}, (h) => {
    it("writes the subnet, then the hub-side peering, then the spoke-side peering (ReferencedResourceNotProvisioned)", async () => {
      await build(h(), "dev");
      const subnet = h().one(T.subnet);
      const hubSide = named(h(), T.peering, "hub-to-spoke");
      const spoke = named(h(), T.peering, "spoke-to-hub");
      assert.ok(hubSide.dependencies.includes(subnet.urn), "hub-side peering after the subnet");
      assert.ok(spoke.dependencies.includes(hubSide.urn), "spoke-side peering after the hub side");
      assert.ok(spoke.dependencies.includes(subnet.urn), "spoke-side peering after the subnet");
      assert.ok(!subnet.dependencies.includes(hubSide.urn) && !subnet.dependencies.includes(spoke.urn));
    });

    it("starts the WAF in Detection with Azure's own limits, and draws the vault suffix with @pulumi/random", async () => {
      await build(h(), "dev");
      const settings = h().one(T.waf).inputs.policySettings;
      assert.equal(settings.mode, "Detection");
      assert.equal(settings.requestBodyCheck, true);
      assert.equal(settings.maxRequestBodySizeInKb, undefined, "Azure's default unless the stack sets one");
      assert.equal(settings.fileUploadLimitInMb, undefined);
      const suffix = h().one(T.random);
      assert.deepEqual(
        Object.fromEntries(Object.entries(suffix.inputs).filter(([k]) => !k.startsWith("__"))),
        { ...VAULT_NAME_SUFFIX },
        "constant inputs, no keepers: nothing else in the stack can draw a new suffix",
      );
      assert.equal(h().one(T.vault).inputs.vaultName, `kv-vpconnect-dev-${MOCK_RANDOM_SUFFIX}`);
      assert.equal(
        h()
          .ofType(T.command)
          .filter((c) => c.name.endsWith("name-suffix")).length,
        0,
        "no local.Command draws the suffix",
      );
      assert.equal(
        named(h(), T.grant, "kv-secrets-user").inputs.scope.endsWith("/secrets/vantagepoint-example-com"),
        false,
        "the stack's own vault: granted on the vault",
      );
    });

    it("keeps the vault name and the suffix's inputs through unrelated changes (tags, WAF, verification, zones key)", async () => {
      await build(h(), "dev");
      const before = { random: h().one(T.random).inputs, vault: h().one(T.vault).inputs.vaultName };
      h().reset();
      await build(h(), "dev", (c) => {
        c["vpconnect:azure"].tags.costCenter = "4711";
        c["vpconnect:azure"].waf = { mode: "Prevention", maxRequestBodySizeInKb: 512 };
        c["vpconnect:site"].verification = "enforce";
        c["vpconnect:tls"].grantWaitSeconds = 300;
      });
      assert.deepEqual(h().one(T.random).inputs, before.random);
      assert.equal(h().one(T.vault).inputs.vaultName, before.vault);
    });

    it("keeps an upgraded stack's suffix from tls.keyVault.nameSuffix: nothing is drawn, the vault keeps its name", async () => {
      await build(h(), "dev", (c) => (c["vpconnect:tls"].keyVault.nameSuffix = "3fa9c1"));
      assert.equal(h().ofType(T.random).length, 0);
      assert.equal(h().one(T.vault).inputs.vaultName, "kv-vpconnect-dev-3fa9c1");
    });

    it("puts only IPv4 ranges into the WAF custom rule; IPv6 ones are enforced by the NSG", async () => {
      await build(h(), "dev", (c) => {
        c["vpconnect:site"].ipv6Frontend = true;
        c["vpconnect:allowList"].extraRanges.push("2001:db8:abcd::/48");
        Object.assign(c["vpconnect:azure"].network, {
          ipv6AddressSpace: "2001:db8:60::/56",
          gatewaySubnetIpv6Prefix: "2001:db8:60:1::/64",
        });
      });
      const values = h()
        .one(T.waf)
        .inputs.customRules.flatMap((r: any) => r.matchConditions.flatMap((m: any) => m.matchValues));
      assert.ok(values.length > 0);
      assert.deepEqual(
        values.filter((v: string) => v.includes(":")),
        [],
        "no IPv6 match value (Azure refuses them)",
      );
      const nsgSources = h()
        .one(T.nsg)
        .inputs.securityRules.flatMap((r: any) => r.sourceAddressPrefixes ?? []);
      assert.ok(nsgSources.includes("2001:db8:abcd::/48"), "the NSG admits the IPv6 range");
    });

    it("sets WAF mode, limits and rule exclusions from azure.waf", async () => {
      await build(h(), "dev", (c) => {
        c["vpconnect:azure"].waf = {
          mode: "Prevention",
          maxRequestBodySizeInKb: 1024,
          fileUploadLimitInMb: 200,
          exclusions: [
            { matchVariable: "RequestArgNames", selectorMatchOperator: "Equals", selector: "__VIEWSTATE" },
          ],
        };
      });
      const waf = h().one(T.waf).inputs;
      assert.equal(waf.policySettings.mode, "Prevention");
      assert.equal(waf.policySettings.maxRequestBodySizeInKb, 1024);
      assert.equal(waf.policySettings.fileUploadLimitInMb, 200);
      assert.deepEqual(waf.managedRules.exclusions, [
        { matchVariable: "RequestArgNames", selectorMatchOperator: "Equals", selector: "__VIEWSTATE" },
      ]);
    });
  });
});

describe("ConnectSite day 2: the hub-side peering's provider gets the stack's credentials settings", () => {
  const config = {
    "azure-native:clientId": "11111111-2222-3333-4444-555555555555",
    "azure-native:clientSecret": "sentinel-hub-client-secret",
    "azure-native:tenantId": "7d3c2b1a-4e5f-4a6b-8c9d-0e1f2a3b4c5d",
    "azure-native:useOidc": "true",
    "azure-native:environment": "usgovernment",
    "azure-native:location": "westeurope",
  };
  before(() => pulumi.runtime.setAllConfig(config, ["azure-native:clientSecret"]));
  after(() => pulumi.runtime.setAllConfig({}, []));
  withMocks({}, (h) => {
    it("passes clientId, clientSecret (secret), tenantId, useOidc and environment on, with the hub's subscription", async () => {
      await build(h(), "dev");
      const provider = named(h(), T.provider, "hub-subscription");
      assert.equal(provider.inputs.subscriptionId, "3f2b8c1d-5e6a-4b7c-9d8e-1a2b3c4d5e6f");
      assert.equal(provider.inputs.clientId, config["azure-native:clientId"]);
      assert.equal(provider.inputs.clientSecret, config["azure-native:clientSecret"]);
      assert.equal(provider.inputs.tenantId, config["azure-native:tenantId"]);
      assert.equal(provider.inputs.environment, "usgovernment");
      assert.ok(provider.secretPaths.includes("clientSecret"), "the client secret stays a secret");
      assert.equal(provider.inputs.location, undefined, "the spoke's location is not the hub's");
      // Provider inputs travel as strings on the wire; the boolean arrives as "true".
      assert.equal(String(provider.inputs.useOidc), "true");
    });

    it("uses the caller's provider for the hub instead, when given", async () => {
      const hubProvider = new AzureNativeProvider("caller-hub", {
        subscriptionId: "3f2b8c1d-5e6a-4b7c-9d8e-1a2b3c4d5e6f",
      });
      const args = stackArgs("dev");
      new ConnectSite("connect", {
        ...args,
        network: { ...args.network, hub: { ...args.network!.hub!, provider: hubProvider } },
      });
      await h().settle();
      assert.equal(
        h()
          .ofType(T.provider)
          .filter((p) => p.name.endsWith("hub-subscription")).length,
        0,
      );
      assert.equal(h().ofType(T.peering).length, 2);
    });
  });
});

describe("ConnectSite day 2: the prod stack (existing shared vault, existing VNet)", () => {
  let acls: Record<string, unknown> | undefined;
  withMocks(
    {
      call: (args) =>
        args.token === "azure-native:keyvault:getVault"
          ? {
              id: `/subscriptions/${MOCK_SUBSCRIPTION_ID}/resourceGroups/${args.inputs.resourceGroupName}/providers/Microsoft.KeyVault/vaults/${args.inputs.vaultName}`,
              properties: {
                vaultUri: `https://${args.inputs.vaultName}.vault.azure.net/`,
                enableRbacAuthorization: true,
                ...(acls ? { networkAcls: acls } : {}),
              },
            }
          : undefined,
      outputs: (args) =>
        args.type === "azure-native:network:PublicIPAddress"
          ? { ipAddress: "20.50.0.7" }
          : args.type === T.subnet
            ? { id: GATEWAY_SUBNET_ID }
            : undefined,
    },
    (h) => {
      it("grants Key Vault Secrets User on the certificate's secret only, not the shared vault", async () => {
        acls = undefined;
        await build(h(), "prod");
        assert.equal(
          named(h(), T.grant, "kv-secrets-user").inputs.scope,
          `/subscriptions/${MOCK_SUBSCRIPTION_ID}/resourceGroups/rg-platform-security/providers/Microsoft.KeyVault/vaults/kv-platform-prod/secrets/vp-example-com`,
        );
        assert.equal(h().one(T.subnet).inputs.serviceEndpoints, undefined, "no VNet rule: no endpoint");
        assert.deepEqual(h().one(T.waf).inputs.policySettings.mode, "Prevention");
      });

      it("declares the Microsoft.KeyVault service endpoint when the existing vault admits the gateway subnet by a VNet rule", async () => {
        acls = {
          defaultAction: "Deny",
          bypass: "None",
          virtualNetworkRules: [{ id: GATEWAY_SUBNET_ID.toUpperCase() }],
        };
        await build(h(), "prod");
        assert.deepEqual(h().one(T.subnet).inputs.serviceEndpoints, [{ service: "Microsoft.KeyVault" }]);
      });

      it("connects the verification to the gateway's public IP, with the public host name", async () => {
        acls = undefined;
        await build(h(), "prod");
        const verify = named(h(), T.command, "verification-verify");
        assert.equal(verify.inputs.environment.VPC_CONNECT_ADDRESS, "20.50.0.7");
        assert.equal(verify.inputs.environment.VPC_PUBLIC_URL, "https://vp.example.com/vantagepoint");
      });
    },
  );
});
