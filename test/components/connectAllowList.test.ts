import assert from "node:assert/strict";
import { ConnectAllowList, ConnectAllowListArgs } from "../../components/connectAllowList";
import {
  NSG_RULES,
  WAF_ALLOW_LIST_RULE,
  managedRuleSetProblem,
  planAllowList,
} from "../../lib/allowListPlan";
import {
  Harness,
  Json,
  installMocks,
  nonChildren,
  spacedPublicAddresses,
  valueOf,
} from "../support/pulumiMocks";
import * as pulumi from "@pulumi/pulumi";

const NSG = "azure-native:network:NetworkSecurityGroup";
const WAF = "azure-native:network:WebApplicationFirewallPolicy";
const COMPONENT = "vantagepoint-connect:index:ConnectAllowList";

const base: ConnectAllowListArgs = {
  connectIps: ["203.0.113.0/24", "198.51.100.10"],
  resourceGroupName: "rg-vp",
  location: "westeurope",
  namePrefix: "vp-test",
  tags: { site: "test" },
};

describe("ConnectAllowList", () => {
  let harness: Harness;
  before(async () => {
    harness = await installMocks();
  });
  beforeEach(() => harness.reset());
  after(() => harness.restore());

  async function build(args: Partial<ConnectAllowListArgs>, name = "allow") {
    const component = new ConnectAllowList(name, { ...base, ...args });
    await harness.settle();
    return component;
  }

  it("writes the gateway's required NSG rules and a final deny from Internet", async () => {
    await build({});
    const rules = harness.one(NSG).inputs.securityRules;
    const byName = new Map<string, Json>(rules.map((r: Json) => [r.name, r]));
    const gm = byName.get("AllowGatewayManager");
    assert.deepEqual(
      [gm.priority, gm.direction, gm.access, gm.protocol, gm.sourceAddressPrefix, gm.destinationPortRange],
      [100, "Inbound", "Allow", "Tcp", "GatewayManager", "65200-65535"],
    );
    const lb = byName.get("AllowAzureLoadBalancer");
    assert.deepEqual([lb.priority, lb.access, lb.sourceAddressPrefix], [110, "Allow", "AzureLoadBalancer"]);
    const deny = byName.get("DenyInternetInbound");
    assert.deepEqual(
      [deny.priority, deny.access, deny.sourceAddressPrefix, deny.destinationPortRange],
      [4096, "Deny", "Internet", "*"],
    );
    const connect = byName.get("AllowConnect-1");
    assert.equal(connect.priority, 200);
    assert.deepEqual(connect.sourceAddressPrefixes, ["198.51.100.10/32", "203.0.113.0/24"]);
    assert.deepEqual(connect.destinationPortRanges, ["443", "80"]);
    // no standalone SecurityRule resources (they fight the inline rules)
    assert.equal(harness.ofType("azure-native:network:SecurityRule").length, 0);
    // priorities are unique
    assert.equal(new Set(rules.map((r: Json) => r.priority)).size, rules.length);
  });

  it("writes a WAF policy on OWASP 3.2, in Detection until tuned (the NSG enforces too), with one negated Block rule", async () => {
    await build({});
    const waf = harness.one(WAF).inputs;
    assert.deepEqual(waf.policySettings.state, "Enabled");
    assert.deepEqual(waf.policySettings.mode, "Detection");
    assert.deepEqual(waf.managedRules.managedRuleSets, [{ ruleSetType: "OWASP", ruleSetVersion: "3.2" }]);
    assert.equal(waf.customRules.length, 1);
    const rule = waf.customRules[0];
    assert.deepEqual(
      [rule.name, rule.priority, rule.ruleType, rule.action],
      [WAF_ALLOW_LIST_RULE.name, 10, "MatchRule", "Block"],
    );
    assert.deepEqual(rule.matchConditions, [
      {
        matchVariables: [{ variableName: "RemoteAddr" }],
        operator: "IPMatch",
        negationConditon: true,
        matchValues: ["198.51.100.10/32", "203.0.113.0/24"],
      },
    ]);
  });

  it("outputs the merged ranges: duplicates and adjacent ranges folded", async () => {
    const c = await build({
      connectIps: ["203.0.113.0/25", "203.0.113.128/25", "203.0.113.7"],
      extraRanges: ["198.51.100.0/24", "198.51.100.0/24"],
    });
    assert.deepEqual(await valueOf(c.effectiveRanges), ["198.51.100.0/24", "203.0.113.0/24"]);
  });

  for (const [count, conditions] of [
    [1, [1]],
    [600, [600]],
    [601, [600, 1]],
    [6000, [600, 600, 600, 600, 600, 600, 600, 600, 600, 600]],
  ] as const) {
    it(`chunks ${count} ranges into ${conditions.length} WAF condition(s) of at most 600`, async () => {
      const ips = spacedPublicAddresses(count);
      await build({ connectIps: ips, enforceAt: "waf" }, `waf-${count}`);
      const rules = harness.one(WAF).inputs.customRules;
      assert.equal(
        rules.length,
        1,
        "one rule: a second negated Block rule would block what the first admits",
      );
      const sizes = rules[0].matchConditions.map((c: Json) => c.matchValues.length);
      assert.deepEqual(sizes, [...conditions]);
      const all = rules[0].matchConditions.flatMap((c: Json) => c.matchValues);
      assert.equal(new Set(all).size, count, "every range appears exactly once");
    });
  }

  it("refuses 6,001 ranges for the WAF with a clear error and registers nothing", () => {
    assert.throws(
      () =>
        new ConnectAllowList("waf-6001", {
          ...base,
          connectIps: spacedPublicAddresses(6001),
          enforceAt: "waf",
        }),
      /6001 ranges after merging, more than the 6000 one WAF custom rule can hold/,
    );
    assert.equal(harness.resources.length, 0);
  });

  it("refuses more than 4,000 ranges at the NSG", () => {
    assert.throws(
      () => planAllowList({ connectIps: spacedPublicAddresses(4001), enforceAt: "nsg" }),
      /4001 ranges.*4000/,
    );
    assert.equal(
      planAllowList({ connectIps: spacedPublicAddresses(4000), enforceAt: "nsg" }).securityRules.length,
      7,
    );
  });

  it('with enforceAt "nsg" the WAF policy has no allow-list rule', async () => {
    await build({ enforceAt: "nsg" });
    assert.deepEqual(harness.one(WAF).inputs.customRules, []);
    const names = harness.one(NSG).inputs.securityRules.map((r: Json) => r.name);
    assert.ok(names.includes("AllowConnect-1"));
  });

  it('with enforceAt "waf" the NSG admits the web ports from Internet and the WAF filters', async () => {
    await build({ enforceAt: "waf" });
    const rules = harness.one(NSG).inputs.securityRules;
    assert.ok(!rules.some((r: Json) => r.name.startsWith(NSG_RULES.connect.namePrefix)));
    const web = rules.find((r: Json) => r.name === "AllowInternetWeb");
    assert.deepEqual(
      [web.priority, web.sourceAddressPrefix, web.destinationPortRanges],
      [200, "Internet", ["443", "80"]],
    );
    assert.equal(harness.one(WAF).inputs.customRules.length, 1);
  });

  it("splits NSG rules by IP version and in chunks, priorities from 200", () => {
    const plan = planAllowList({
      connectIps: [...spacedPublicAddresses(1500), "2001:4860::/32"],
      enforceAt: "both",
    });
    const connect = plan.securityRules.filter((r: Json) => r.name.startsWith("AllowConnect-"));
    assert.deepEqual(
      connect.map((r: Json) => [r.name, r.priority, r.sourceAddressPrefixes!.length]),
      [
        ["AllowConnect-1", 200, 1000],
        ["AllowConnect-2", 201, 500],
        ["AllowConnect-3", 202, 1],
      ],
    );
  });

  it("names the argument and index of a bad range, and lists every problem at once", () => {
    assert.throws(
      () =>
        new ConnectAllowList("bad", {
          ...base,
          connectIps: ["203.0.113.0/24", "1.2.3.4", "8.8.8.8", "10.0.0.0/33"],
          extraRanges: ["nope"],
        }),
      (err: Error) => {
        assert.match(err.message, /connectIps\[3\]: "10\.0\.0\.0\/33" is not a CIDR/);
        assert.match(err.message, /extraRanges\[0\]: "nope" is not a CIDR/);
        return true;
      },
    );
    assert.equal(harness.resources.length, 0, "invalid input registers nothing");
  });

  it("refuses any-source and private ranges unless private ranges are allowed", () => {
    assert.throws(
      () => planAllowList({ connectIps: ["0.0.0.0/0"], enforceAt: "both" }),
      /connectIps\[0\]: 0\.0\.0\.0\/0 admits every address/,
    );
    assert.throws(() => planAllowList({ connectIps: ["::/0"], enforceAt: "both" }), /connectIps\[0\]/);
    assert.throws(
      () =>
        planAllowList({ connectIps: ["203.0.113.0/24"], extraRanges: ["192.168.1.0/24"], enforceAt: "both" }),
      /extraRanges\[0\]: 192\.168\.1\.0\/24 is private/,
    );
    const plan = planAllowList({
      connectIps: ["192.168.1.0/24"],
      enforceAt: "both",
      allowPrivateRanges: true,
    });
    assert.deepEqual(plan.effectiveRanges, ["192.168.1.0/24"]);
  });

  it("refuses an empty Connect list and an unknown enforceAt", () => {
    assert.throws(
      () => planAllowList({ connectIps: [], enforceAt: "both" }),
      /connectIps: the list is empty/,
    );
    assert.throws(
      () => planAllowList({ connectIps: ["203.0.113.1"], enforceAt: "edge" as never }),
      /enforceAt: "edge" is not one of nsg, waf, both/,
    );
  });

  it("refuses managed rule sets older than OWASP 3.2", () => {
    assert.equal(managedRuleSetProblem({ type: "OWASP", version: "3.2" }), undefined);
    assert.equal(managedRuleSetProblem({ type: "Microsoft_DefaultRuleSet", version: "2.1" }), undefined);
    assert.match(managedRuleSetProblem({ type: "OWASP", version: "3.1" })!, /not a current rule set/);
    assert.throws(
      () => new ConnectAllowList("old", { ...base, managedRuleSet: { type: "OWASP", version: "3.0" } }),
      /managedRuleSet/,
    );
  });

  it("accepts ranges that arrive as Outputs", async () => {
    const c = new ConnectAllowList("late", { ...base, connectIps: pulumi.output(["203.0.113.0/24"]) });
    assert.deepEqual(await valueOf(c.effectiveRanges), ["203.0.113.0/24"]);
    await harness.settle();
  });

  it("parents every child to the component and tags Azure resources", async () => {
    await build({});
    const component = harness.one(COMPONENT);
    assert.deepEqual(nonChildren(harness, component), []);
    assert.deepEqual(harness.one(NSG).inputs.tags, { site: "test" });
    assert.deepEqual(harness.one(WAF).inputs.tags, { site: "test" });
  });
});
