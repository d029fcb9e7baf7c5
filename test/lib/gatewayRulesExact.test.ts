/**
 * The day-2 gateway rules with exact answers (issue 23): every region where older versions defaulted to zones,
 * provider settings as they come out of `pulumi config` (" TRUE ", "a, b", a JSON object), an IPv6 frontend turned
 * off, a vault ID with trailing slashes, a vault firewall read back with other rules and other casing.
 */
import assert from "node:assert/strict";
import {
  gatewayChangeProblems,
  HUB_PROVIDER_SECRET_SETTINGS,
  hubProviderArgs,
  keyVaultServiceEndpointNeeded,
  secretsUserScope,
  subnetResourceId,
  zonesMustBeStated,
} from "../../lib/gatewayRules";
import type { HubProviderSetting } from "../../lib/gatewayRules";
import { ZONE_DEFAULT_REGIONS_2025 } from "../support/zoneRegions";

describe("gateway rules (exact answers)", () => {
  it("every region older versions zoned by default must state azure.zones; a region without zones need not", () => {
    for (const region of ZONE_DEFAULT_REGIONS_2025) {
      assert.match(
        zonesMustBeStated(region, undefined) ?? "",
        new RegExp(`^must be stated in ${region}: `),
        region,
      );
      assert.equal(zonesMustBeStated(region, []), undefined, `${region} with zones: []`);
    }
    for (const region of ["westcentralus", "northcentralus", "ukwest", "francesouth"])
      assert.equal(zonesMustBeStated(region, undefined), undefined, region);
  });

  it("turning the IPv6 frontend off is refused with the whole message; zones are compared as sets", () => {
    const keys = {
      ipv6Frontend: "azure.ipv6Frontend",
      zones: "azure.zones",
      createdWith: "azure.createdWith",
    };
    assert.deepEqual(
      gatewayChangeProblems(
        { ipv6Frontend: false, zones: ["1", "2"] },
        { ipv6Frontend: true, zones: ["2", "1"] },
        keys,
      ),
      [
        {
          key: "azure.ipv6Frontend",
          message:
            "turns the IPv6 frontend off for a gateway created with one (azure.createdWith.ipv6Frontend: true); Azure does " +
            "not support that on an existing gateway (an IPv4 gateway cannot become dual stack, and frontend IPs cannot be " +
            "deleted): pulumi up would fail. Set azure.ipv6Frontend: true, or plan a new gateway (a new public IP for " +
            "Connect and DNS)",
        },
      ],
    );
    assert.deepEqual(
      gatewayChangeProblems(
        { ipv6Frontend: false, zones: [] },
        { ipv6Frontend: false, zones: ["1", "2", "3"] },
        keys,
      ),
      [
        {
          key: "azure.zones",
          message:
            "[] differs from the zones the gateway was created in (azure.createdWith.zones: [1, 2, 3]); zones cannot " +
            "change after creation, so pulumi up would replace the gateway and its public IP (a new IP Connect must be " +
            'told about). Set azure.zones: ["1", "2", "3"]',
        },
      ],
    );
  });

  it("the hub provider never reads a secret setting from plain config", () => {
    assert.deepEqual([...HUB_PROVIDER_SECRET_SETTINGS].sort(), [
      "clientCertificatePassword",
      "clientSecret",
      "oidcRequestToken",
      "oidcToken",
    ]);
  });

  it("provider settings parse as the provider does: booleans in any case and with spaces; empty is unset", () => {
    const config: Partial<Record<HubProviderSetting, string>> = {
      clientId: "11111111-2222-3333-4444-555555555555",
      tenantId: "",
      disableInstanceDiscovery: " TRUE ",
      disablePulumiPartnerId: "False",
      useDefaultAzureCredential: "true",
      useMsi: "false",
      auxiliaryTenantIds: "aaaa, bbbb",
    };
    assert.deepEqual(
      hubProviderArgs((k) => config[k], "sub-1"),
      {
        subscriptionId: "sub-1",
        clientId: "11111111-2222-3333-4444-555555555555",
        disableInstanceDiscovery: true,
        disablePulumiPartnerId: false,
        useDefaultAzureCredential: true,
        useMsi: false,
        auxiliaryTenantIds: ["aaaa", "bbbb"],
      },
    );
    assert.deepEqual(
      hubProviderArgs((k) => (k === "auxiliaryTenantIds" ? '["x","y"]' : undefined), "s"),
      {
        subscriptionId: "s",
        auxiliaryTenantIds: ["x", "y"],
      },
    );
  });

  it("a boolean that is not true or false, or a tenant list that is not a list of text, is refused by key", () => {
    for (const raw of ["yes", "truex", "xfalse", "1"])
      assert.throws(
        () => hubProviderArgs((k) => (k === "useMsi" ? raw : undefined), "s"),
        { message: `azure-native:useMsi: ${JSON.stringify(raw)} is not true or false` },
        raw,
      );
    for (const raw of ['{"a":"b"}', "[1, 2]", '["aaaa", 2]', '"aaaa"'])
      assert.throws(
        () => hubProviderArgs((k) => (k === "auxiliaryTenantIds" ? raw : undefined), "s"),
        { message: "azure-native:auxiliaryTenantIds: expected a list of tenant IDs" },
        raw,
      );
  });

  it("the gateway's Key Vault grant is scoped to the secret in a vault it does not own (trailing slashes off)", () => {
    const vault = "/subscriptions/s/resourceGroups/g/providers/Microsoft.KeyVault/vaults/kv";
    assert.equal(secretsUserScope(`${vault}//`, "cert", false), `${vault}/secrets/cert`);
    assert.equal(secretsUserScope(vault, "cert", true), vault);
  });

  it("the service endpoint is needed only for a deny-by-default vault with a rule for this subnet (any case)", () => {
    const subnet = subnetResourceId("s", "rg-connect", "vnet-connect", "snet-agw");
    assert.equal(
      subnet,
      "/subscriptions/s/resourceGroups/rg-connect/providers/Microsoft.Network/virtualNetworks/vnet-connect/subnets/snet-agw",
    );
    const rule = { id: subnet.toUpperCase() };
    const other = { id: subnetResourceId("s", "rg", "vnet", "other") };
    const needed = (existingAcls: object) =>
      keyVaultServiceEndpointNeeded({ existingAcls, gatewaySubnetId: subnet });
    assert.equal(needed({ defaultAction: "deny", virtualNetworkRules: [{}, other, rule] }), true);
    assert.equal(needed({ defaultAction: "Deny", virtualNetworkRules: [other] }), false);
    assert.equal(needed({ defaultAction: "Deny" }), false);
    assert.equal(needed({ virtualNetworkRules: [rule] }), false, "no defaultAction is Allow");
    assert.equal(needed({ defaultAction: "Allow", virtualNetworkRules: [rule] }), false);
  });
});
