/* eslint-disable @typescript-eslint/no-explicit-any -- stack config fixtures are untyped YAML, edited freely by each test */
/**
 * Day-2 rules on the stack config and on ConnectSite's args (lib/gatewayRules, lib/waf, lib/config/day2Shape):
 * each written the way a person gets it wrong, refused at the key they wrote, and the fix the message names loads.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { ConnectSite } from "../../components/connectSite";
import { ConfigError, loadStackConfig } from "../../lib/config/load";
import { readRosterFile } from "../../lib/config/rosterFile";
import { parseStackFile } from "../../lib/config/stackFile";
import {
  gatewayChangeProblems,
  hubProviderArgs,
  keyVaultServiceEndpointNeeded,
  secretsUserScope,
  zonesMustBeStated,
} from "../../lib/gatewayRules";
import { planAllowList } from "../../lib/allowListPlan";
import { effectiveWafMode } from "../../lib/waf";
import { siteArgsFromConfig } from "../../program/siteArgs";

const root = path.resolve(__dirname, "../..");
const raw = (name: string) => {
  const file = `stacks/Pulumi.${name}.yaml`;
  return parseStackFile(readFileSync(path.join(root, file), "utf8"), file).config;
};
function stack(name: "dev" | "prod", edit: (c: Record<string, any>) => void = () => {}) {
  const copy = structuredClone(raw(name)) as Record<string, any>;
  edit(copy);
  return copy;
}
function load(c: Record<string, unknown>) {
  return loadStackConfig(c, {
    source: "stacks/Pulumi.dev.yaml",
    readFile: (f) => readFileSync(path.join(root, f), "utf8"),
    parseRosterFile: readRosterFile,
    secretOverrides: {
      "tls.pfx": "MIIKSentinelPfxBase64ValueForTests0123456789",
      "vantagepoint.password": "p",
      "vantagepoint.clientSecret": "s",
    },
  });
}
function problems(c: Record<string, unknown>): string[] {
  try {
    load(c);
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected ConfigError, got ${String(error)}`);
    return error.issues.map((i) => `${i.key}: ${i.message}`);
  }
  return [];
}
function assertRefused(c: Record<string, unknown>, key: string, fragment: string | RegExp) {
  const lines = problems(c);
  const hit = lines.find(
    (l) =>
      l.startsWith(`${key}: `) && (typeof fragment === "string" ? l.includes(fragment) : fragment.test(l)),
  );
  assert.ok(hit, `no problem at ${key} matching ${fragment}; got:\n${lines.join("\n")}`);
}
const ipv6 = (c: Record<string, any>) => {
  c["vpconnect:site"].ipv6Frontend = true;
  Object.assign(c["vpconnect:azure"].network, {
    ipv6AddressSpace: "2001:db8:60::/56",
    gatewaySubnetIpv6Prefix: "2001:db8:60:1::/64",
  });
};

describe("day 2: the bundled stacks pass the new rules as written", () => {
  it("dev and prod load without problems or warnings", () => {
    assert.deepEqual(load(stack("dev")).warnings, []);
    assert.deepEqual(load(stack("prod")).warnings, []);
  });
});

describe("day 2: IPv6 never goes around the allow list (item 6)", () => {
  it('refuses ipv6Frontend with allowList.enforceAt "waf" (IPv6 bypasses the WAF), naming the fix', () => {
    assertRefused(
      stack("dev", (c) => {
        ipv6(c);
        c["vpconnect:allowList"].enforceAt = "waf";
        c["vpconnect:site"].httpListener = "off";
      }),
      "vpconnect:allowList.enforceAt",
      /IPv6 traffic bypasses the WAF.*Set allowList\.enforceAt: both/,
    );
  });
  it('refuses ipv6Frontend with site.audience "anyone"', () => {
    assertRefused(
      stack("dev", (c) => {
        ipv6(c);
        c["vpconnect:site"].audience = "anyone";
      }),
      "vpconnect:site.audience",
      /leaves IPv6 with no filter at all/,
    );
  });
  it("the fix loads: ipv6Frontend with enforceAt both", () => {
    assert.deepEqual(problems(stack("dev", ipv6)), []);
  });
  it("ConnectSite refuses the same on its typed args before anything registers", () => {
    const args = siteArgsFromConfig(load(stack("dev")));
    assert.throws(
      () =>
        new ConnectSite("c", {
          ...args,
          ipv6Frontend: true,
          allowList: { ...args.allowList, enforceAt: "waf" },
        }),
      /^ {2}allowList\.enforceAt: "waf" with ipv6Frontend: true lets every IPv6 client past the allow list/m,
    );
  });
  it("the WAF custom rule never holds IPv6 (item 2); an IPv6-only list for the WAF is refused", () => {
    const plan = planAllowList({
      connectIps: ["203.0.113.0/24", "2001:db8:1::/48"],
      enforceAt: "both",
    });
    assert.deepEqual(plan.wafCustomRules[0]!.matchConditions[0]!.matchValues, ["203.0.113.0/24"]);
    assert.throws(
      () => planAllowList({ connectIps: ["2001:db8:1::/48"], enforceAt: "waf" }),
      /matches IPv4 only and the list holds no IPv4 range/,
    );
  });
});

describe("day 2: zones are stated and never change by default (item 8)", () => {
  it("refuses a westeurope stack that leaves azure.zones out, saying what an older stack had", () => {
    assertRefused(
      stack("dev", (c) => delete c["vpconnect:azure"].zones),
      "vpconnect:azure.zones",
      /must be stated in westeurope.*zones 1, 2 and 3 here by default.*\["1", "2", "3"\]/,
    );
  });
  it("a region where earlier versions chose none needs nothing, and gets none", () => {
    const loaded = load(
      stack("dev", (c) => {
        delete c["vpconnect:azure"].zones;
        c["vpconnect:azure"].location = "westcentralus";
      }),
    );
    assert.deepEqual(siteArgsFromConfig(loaded).zones, []);
    assert.equal(zonesMustBeStated("westcentralus", undefined), undefined);
    assert.equal(zonesMustBeStated("westeurope", []), undefined, "[] is a statement");
  });
});

describe("day 2: check refuses what Azure cannot change on an existing gateway (item 9)", () => {
  it("refuses turning the IPv6 frontend on for a gateway created without one", () => {
    assertRefused(
      stack("dev", (c) => {
        ipv6(c);
        c["vpconnect:azure"].gatewayCreatedWith = { ipv6Frontend: false, zones: ["1", "2", "3"] };
      }),
      "vpconnect:site.ipv6Frontend",
      /turns the IPv6 frontend on for a gateway created without one.*Azure does not support that/,
    );
  });
  it("refuses turning it off, and a zone change, for a gateway created dual-stack in zone 1", () => {
    const lines = problems(
      stack("dev", (c) => {
        c["vpconnect:azure"].gatewayCreatedWith = { ipv6Frontend: true, zones: ["1"] };
      }),
    );
    assert.ok(
      lines.some((l) => /^vpconnect:site\.ipv6Frontend: turns the IPv6 frontend off/.test(l)),
      lines.join("\n"),
    );
    assert.ok(
      lines.some((l) =>
        /^vpconnect:azure\.zones: \[1, 2, 3\] differs .*replace the gateway and its public IP/.test(l),
      ),
      lines.join("\n"),
    );
  });
  it("accepts the same shape as recorded (zones in any order)", () => {
    assert.deepEqual(
      problems(
        stack(
          "dev",
          (c) => (c["vpconnect:azure"].gatewayCreatedWith = { ipv6Frontend: false, zones: ["3", "1", "2"] }),
        ),
      ),
      [],
    );
    assert.deepEqual(
      gatewayChangeProblems({ ipv6Frontend: true, zones: [] }, undefined, {
        ipv6Frontend: "a",
        zones: "b",
        createdWith: "c",
      }),
      [],
      "no record: a new gateway",
    );
  });
});

describe("day 2: WAF mode (item 13)", () => {
  it("defaults to Detection, to Prevention where only the WAF enforces the allow list", () => {
    assert.equal(effectiveWafMode(undefined, { enforceAt: "both" }), "Detection");
    assert.equal(effectiveWafMode(undefined, { enforceAt: "waf" }), "Prevention");
    assert.equal(effectiveWafMode(undefined, { enforceAt: "waf", audience: "anyone" }), "Detection");
    assert.equal(effectiveWafMode("Detection", { enforceAt: "waf" }), "Detection");
  });
  it("refuses Detection stated with allowList.enforceAt waf (the allow list would only log)", () => {
    assertRefused(
      stack("dev", (c) => {
        c["vpconnect:azure"].waf = { mode: "Detection" };
        c["vpconnect:allowList"].enforceAt = "waf";
        c["vpconnect:site"].httpListener = "off";
      }),
      "vpconnect:azure.waf.mode",
      /enforces no allow list at all/,
    );
  });
  it("refuses a body limit over 2000 KB and an exclusion on a variable Azure does not know", () => {
    const c = stack("dev", (x) => {
      x["vpconnect:azure"].waf = {
        maxRequestBodySizeInKb: 4096,
        exclusions: [{ matchVariable: "RequestBody", selectorMatchOperator: "Equals", selector: "x" }],
      };
    });
    assertRefused(c, "vpconnect:azure.waf.maxRequestBodySizeInKb", "must be 8 to 2000 (KB)");
    assertRefused(c, "vpconnect:azure.waf.exclusions[0].matchVariable", "must be one of RequestHeaderNames");
  });
  it("warns that audience anyone in Detection blocks nothing", () => {
    const warnings = load(stack("dev", (c) => (c["vpconnect:site"].audience = "anyone"))).warnings;
    assert.ok(
      warnings.some((w) => /azure\.waf\.mode is "Detection" with site\.audience "anyone"/.test(w)),
      warnings.join("\n"),
    );
  });
});

describe("day 2: the vault-name suffix migration (item 7)", () => {
  it("refuses a nameSuffix that is not one, or one without uniqueName", () => {
    assertRefused(
      stack("dev", (c) => (c["vpconnect:tls"].keyVault.nameSuffix = "3FA9-C1")),
      "vpconnect:tls.keyVault.nameSuffix",
      "1-10 lowercase letters or digits",
    );
    assertRefused(
      stack("dev", (c) => {
        c["vpconnect:tls"].keyVault.uniqueName = false;
        c["vpconnect:tls"].keyVault.nameSuffix = "3fa9c1";
      }),
      "vpconnect:tls.keyVault.nameSuffix",
      "only used with uniqueName: true",
    );
  });
});

describe("day 2: rule functions (items 3, 4, 5)", () => {
  it("hubProviderArgs copies the credentials settings, parses booleans and tenant lists, and drops location", () => {
    const config: Record<string, string> = {
      clientId: "id",
      tenantId: "t",
      useOidc: "TRUE",
      environment: "usgovernment",
      auxiliaryTenantIds: '["a","b"]',
    };
    assert.deepEqual(
      hubProviderArgs((k) => config[k], "sub"),
      {
        subscriptionId: "sub",
        auxiliaryTenantIds: ["a", "b"],
        clientId: "id",
        environment: "usgovernment",
        tenantId: "t",
        useOidc: true,
      },
    );
    assert.throws(
      () => hubProviderArgs((k) => (k === "useMsi" ? "yes" : undefined), "s"),
      /^Error: azure-native:useMsi: "yes" is not true or false$/,
    );
  });
  it("secretsUserScope: the secret in someone else's vault, the vault when it is the stack's own", () => {
    assert.equal(secretsUserScope("/v/kv/", "cert", false), "/v/kv/secrets/cert");
    assert.equal(secretsUserScope("/v/kv", "cert", true), "/v/kv");
  });
  it("keyVaultServiceEndpointNeeded: a denying firewall with a VNet rule for the subnet (any case), or gatewaySubnet mode", () => {
    const subnet =
      "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/appgw";
    const rule = { defaultAction: "Deny", virtualNetworkRules: [{ id: subnet.toUpperCase() }] };
    assert.equal(keyVaultServiceEndpointNeeded({ existingAcls: rule, gatewaySubnetId: subnet }), true);
    assert.equal(
      keyVaultServiceEndpointNeeded({
        existingAcls: { ...rule, defaultAction: "Allow" },
        gatewaySubnetId: subnet,
      }),
      false,
    );
    assert.equal(
      keyVaultServiceEndpointNeeded({
        existingAcls: { defaultAction: "Deny", virtualNetworkRules: [{ id: `${subnet}2` }] },
        gatewaySubnetId: subnet,
      }),
      false,
    );
    assert.equal(
      keyVaultServiceEndpointNeeded({ createdFirewall: "gatewaySubnet", gatewaySubnetId: "" }),
      true,
    );
    assert.equal(
      keyVaultServiceEndpointNeeded({ createdFirewall: "trustedServices", gatewaySubnetId: "" }),
      false,
    );
  });
});
