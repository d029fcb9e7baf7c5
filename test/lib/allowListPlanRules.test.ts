/**
 * lib/allowListPlan.ts with exact expected rules: what the NSG and the WAF policy hold for each enforceAt, the
 * one error listing every bad entry, the limits, the managed rule set check and the resource names.
 */
import assert from "node:assert/strict";
import { allowListResourceNames, managedRuleSetProblem, planAllowList } from "../../lib/allowListPlan";
import { spacedPublicAddresses } from "../support/pulumiMocks";

const base = { direction: "Inbound", sourcePortRange: "*", destinationAddressPrefix: "*" };
const gatewayManager = {
  ...base,
  name: "AllowGatewayManager",
  priority: 100,
  access: "Allow",
  protocol: "Tcp",
  sourceAddressPrefix: "GatewayManager",
  destinationPortRange: "65200-65535",
  description: "Application Gateway v2 infrastructure traffic (required)",
};
const loadBalancer = {
  ...base,
  name: "AllowAzureLoadBalancer",
  priority: 110,
  access: "Allow",
  protocol: "*",
  sourceAddressPrefix: "AzureLoadBalancer",
  destinationPortRange: "*",
  description: "Azure load balancer health probes (required)",
};
const denyInternet = {
  ...base,
  name: "DenyInternetInbound",
  priority: 4096,
  access: "Deny",
  protocol: "*",
  sourceAddressPrefix: "Internet",
  destinationPortRange: "*",
  description: "Everything else from the Internet",
};
const connect = (n: number, prefixes: string[]) => ({
  ...base,
  name: `AllowConnect-${n}`,
  priority: 199 + n,
  access: "Allow",
  protocol: "Tcp",
  sourceAddressPrefixes: prefixes,
  destinationPortRanges: ["443", "80"],
  description: "Vantagepoint Connect and other allowed sources (allow list)",
});
const wafRule = (...conditions: string[][]) => ({
  name: "ConnectAllowList",
  priority: 10,
  ruleType: "MatchRule",
  action: "Block",
  state: "Enabled",
  matchConditions: conditions.map((matchValues) => ({
    matchVariables: [{ variableName: "RemoteAddr" }],
    operator: "IPMatch",
    negationConditon: true,
    matchValues,
  })),
});

describe("lib/allowListPlan: the rules each enforceAt gives", () => {
  const input = { connectIps: ["203.0.113.0/24", "2001:db8::/48"], extraRanges: ["198.51.100.7"] };

  it("both: the NSG admits the list per IP version and the WAF blocks everything else", () => {
    assert.deepEqual(planAllowList({ ...input, enforceAt: "both" }), {
      effectiveRanges: ["198.51.100.7/32", "203.0.113.0/24", "2001:db8::/48"],
      securityRules: [
        gatewayManager,
        loadBalancer,
        connect(1, ["198.51.100.7/32", "203.0.113.0/24"]),
        connect(2, ["2001:db8::/48"]),
        denyInternet,
      ],
      wafCustomRules: [wafRule(["198.51.100.7/32", "203.0.113.0/24"])], // IPv4 only: WAF refuses IPv6 match values
    });
  });

  it("nsg: no WAF custom rule", () => {
    const plan = planAllowList({ ...input, enforceAt: "nsg" });
    assert.deepEqual(plan.wafCustomRules, []);
    assert.equal(plan.securityRules.length, 5);
  });

  it("waf: the NSG admits the web ports from the Internet and the WAF rule holds the list", () => {
    const plan = planAllowList({ connectIps: ["10.0.0.0/8"], allowPrivateRanges: true, enforceAt: "waf" });
    assert.deepEqual(plan.securityRules, [
      gatewayManager,
      loadBalancer,
      {
        ...base,
        name: "AllowInternetWeb",
        priority: 200,
        access: "Allow",
        protocol: "Tcp",
        sourceAddressPrefix: "Internet",
        destinationPortRanges: ["443", "80"],
        description: "Web ports from anywhere: the allow list is enforced by the WAF policy (enforceAt: waf)",
      },
      denyInternet,
    ]);
    assert.deepEqual(plan.wafCustomRules, [wafRule(["10.0.0.0/8"])]);
  });

  it("numbers NSG rules of 1,000 prefixes and WAF conditions of 600", () => {
    const plan = planAllowList({ connectIps: spacedPublicAddresses(1201), enforceAt: "both" });
    assert.deepEqual(
      plan.securityRules.map((r) => [r.name, r.priority, r.sourceAddressPrefixes?.length]),
      [
        ["AllowGatewayManager", 100, undefined],
        ["AllowAzureLoadBalancer", 110, undefined],
        ["AllowConnect-1", 200, 1000],
        ["AllowConnect-2", 201, 201],
        ["DenyInternetInbound", 4096, undefined],
      ],
    );
    assert.deepEqual(
      plan.wafCustomRules[0]!.matchConditions.map((c) => c.matchValues.length),
      [600, 600, 1],
    );
  });
});

describe("lib/allowListPlan: bad input, all at once", () => {
  it("lists every bad entry with its argument and index in one error", () => {
    assert.throws(
      () =>
        planAllowList({
          connectIps: ["10.0.0.0/8", "bad", "1.2.3.4/24"],
          extraRanges: ["192.168.0.0/16"],
          enforceAt: "nsg",
        }),
      {
        message:
          'allow list: connectIps[0]: 10.0.0.0/8 is private (RFC 1918), not a public address Connect can come from; remove it or set allowList.allowPrivateRanges: true; connectIps[1]: "bad" is not a CIDR: "bad" is not an IPv4 or IPv6 address; connectIps[2]: "1.2.3.4/24" has host bits set; write the network address 1.2.3.0/24; extraRanges[0]: 192.168.0.0/16 is private (RFC 1918), not a public address Connect can come from; remove it or set allowList.allowPrivateRanges: true',
      },
    );
  });
  it("refuses an unknown enforceAt, an empty list and extra ranges that are not a list", () => {
    assert.throws(
      () =>
        planAllowList({
          connectIps: [],
          enforceAt: "firewall" as never,
          extraRanges: "203.0.113.0/24" as unknown as string[],
        }),
      {
        message:
          "allow list: enforceAt: \"firewall\" is not one of nsg, waf, both; connectIps: the list is empty; add the addresses Deltek publishes for Connect (the 'Exposed IP Addresses' help topic); extraRanges: expected a list of addresses or ranges",
      },
    );
    assert.throws(() => planAllowList({ connectIps: "203.0.113.0/24" as never, enforceAt: "nsg" }), {
      message:
        "allow list: connectIps: the list is empty; add the addresses Deltek publishes for Connect (the 'Exposed IP Addresses' help topic)",
    });
  });
  it("names enforceAt when a limit is passed", () => {
    assert.throws(() => planAllowList({ connectIps: spacedPublicAddresses(4001), enforceAt: "nsg" }), {
      message:
        "allow list (enforceAt: nsg): the allow list has 4001 ranges after merging, more than the 4000 source prefixes an NSG can hold (4000 per NSG); merge ranges into wider prefixes",
    });
    // The WAF alone holds 6,000: past the NSG's 4,000 it still plans.
    assert.equal(
      planAllowList({ connectIps: spacedPublicAddresses(4001), enforceAt: "waf" }).effectiveRanges.length,
      4001,
    );
  });
});

describe("lib/allowListPlan: managed rule set and names", () => {
  it("takes OWASP 3.2 and later and the Microsoft rule set; refuses older or unreadable versions", () => {
    assert.equal(managedRuleSetProblem({ type: "OWASP", version: "3.2" }), undefined);
    assert.equal(managedRuleSetProblem({ type: "OWASP", version: "4.0" }), undefined);
    assert.equal(managedRuleSetProblem({ type: "Microsoft_DefaultRuleSet", version: "2.1" }), undefined);
    for (const version of ["3.1", "2.2", "2.9"]) {
      assert.equal(
        managedRuleSetProblem({ type: "OWASP", version }),
        `managedRuleSet: OWASP ${version} is not a current rule set; use OWASP 3.2 or Microsoft_DefaultRuleSet 2.1`,
      );
    }
    for (const version of ["3", "x.2", "3.x", ""]) {
      assert.equal(
        managedRuleSetProblem({ type: "OWASP", version }, "waf.managedRuleSet"),
        `waf.managedRuleSet.version: ${JSON.stringify(version)} is not a rule set version; expected e.g. "3.2"`,
      );
    }
    assert.equal(
      managedRuleSetProblem({ type: "owasp", version: "3.2" }),
      'managedRuleSet.type: "owasp" is not a managed rule set; use "OWASP" (3.2) or "Microsoft_DefaultRuleSet"',
    );
  });
  it("names the NSG after the prefix and the WAF policy with letters, digits and underscores only", () => {
    assert.deepEqual(allowListResourceNames("vp-dev.x"), {
      nsgName: "vp-dev.x-appgw-nsg",
      wafPolicyName: "vp_dev_x_waf_policy",
    });
    assert.deepEqual(allowListResourceNames("VP_1"), {
      nsgName: "VP_1-appgw-nsg",
      wafPolicyName: "VP_1_waf_policy",
    });
  });
});
