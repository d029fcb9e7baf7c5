import * as assert from "node:assert/strict";
import {
  allowListNoAnySource,
  connectIpsAllowed,
  connectIpsReviewedCopy,
  nsgGatewayInfrastructureRules,
  nsgNoOpenManagementPorts,
} from "../../policies/allowList";
import { CONNECT_IPS, nsg, rule, stack, wafPolicy } from "./fixtures";
import { copyConfig, REVIEWED, writeCopy } from "./connectIpsCopy";
import {
  assertHasViolation,
  assertNoViolations,
  assertNotApplicable,
  runPolicy,
  TestResource,
  UNKNOWN,
} from "./util";

const config = copyConfig(CONNECT_IPS);

/** The happy stack with the NSG and WAF policy replaced. */
function stackWith(parts: { nsg?: TestResource; waf?: TestResource }): TestResource[] {
  return stack().map((r) =>
    r.type.endsWith("NetworkSecurityGroup") && parts.nsg
      ? parts.nsg
      : r.type.endsWith("WebApplicationFirewallPolicy") && parts.waf
        ? parts.waf
        : r,
  );
}

describe("connect-ips-allowed (P2)", () => {
  it("passes the allow list the components build", async () => {
    await assertNoViolations(connectIpsAllowed, stack(), { config });
  });

  it("is NOT CHECKED (never a pass) when the pack's copy lists no address", async () => {
    await assertNotApplicable(connectIpsAllowed, stack(), "NOT CHECKED", { config: copyConfig([]) });
  });

  it("fails on an entry of the copy that is not a CIDR, naming the file and index", async () => {
    const v = await assertHasViolation(connectIpsAllowed, stack(), 'connectIps[1] "203.0.113.300"', {
      config: copyConfig(["203.0.113.10/32", "203.0.113.300"]),
    });
    assert.match(v.message, /connect-ips-\d+\.json: connectIps\[1\]/);
  });

  it("fails on a copy entry with host bits set (the network is not clear)", async () => {
    await assertHasViolation(connectIpsAllowed, stack(), "has host bits set", {
      config: copyConfig(["203.0.113.10/24"]),
    });
  });

  it("fails on a copy without provenance, or one that is not JSON, or missing", async () => {
    await assertHasViolation(connectIpsAllowed, stack(), "provenance must say where", {
      config: { connectIpsFile: writeCopy({ connectIps: CONNECT_IPS }) },
    });
    await assertHasViolation(connectIpsAllowed, stack(), "provenance.reviewedBy must be a non-empty string", {
      config: {
        connectIpsFile: writeCopy({ connectIps: CONNECT_IPS, provenance: { ...REVIEWED, reviewedBy: "" } }),
      },
    });
    await assertHasViolation(connectIpsAllowed, stack(), "not valid JSON", {
      config: { connectIpsFile: writeCopy("{ connectIps: [") },
    });
    await assertHasViolation(connectIpsAllowed, stack(), "cannot be read", {
      config: { connectIpsFile: "nonexistent/connect-ips.json" },
    });
  });

  it("refuses the retired pack config key connectIps instead of silently ignoring it", async () => {
    await assertHasViolation(connectIpsAllowed, stack(), "Pack config connectIps must not be set", {
      config: { ...config, connectIps: CONNECT_IPS },
    });
  });

  it("fails a mistyped Connect range: the real one blocked, the typo not in the copy", async () => {
    // The stack admits 198.51.10.0/28 where the copy says 198.51.100.0/28 (one digit dropped).
    const typo = CONNECT_IPS.map((c) => (c === "198.51.100.0/28" ? "198.51.10.0/28" : c));
    const n = nsg();
    n.props.securityRules[2].sourceAddressPrefixes = typo;
    const result = await runPolicy(connectIpsAllowed, stackWith({ nsg: n, waf: wafPolicy(typo) }), {
      config,
    });
    const messages = result.violations.map((v) => v.message).join("\n");
    assert.match(messages, /not admitted: 198\.51\.100\.0\/28/);
    assert.match(messages, /missing: 198\.51\.100\.0\/28/);
    assert.match(messages, /198\.51\.10\.0\/28 \(not in the reviewed copy/);
    assert.ok(result.violations.every((v) => v.level === "mandatory"));
  });

  it("says in its messages which copy it checked against, and when it is a placeholder", async () => {
    const n = nsg();
    n.props.securityRules[2].sourceAddressPrefixes = CONNECT_IPS.slice(1);
    const placeholder = copyConfig(CONNECT_IPS, {
      ...REVIEWED,
      placeholder: true,
      source: "documentation ranges",
    });
    const v = await assertHasViolation(connectIpsAllowed, stackWith({ nsg: n }), "not admitted", {
      config: placeholder,
    });
    assert.match(v.message, /a PLACEHOLDER list, not Deltek's published list/);
    const r = await assertHasViolation(connectIpsAllowed, stackWith({ nsg: n }), "not admitted", { config });
    assert.match(
      r.message,
      /copied from https:\/\/help\.deltek\.com.* on \d{4}-\d{2}-\d{2}, reviewed by Pat Jones/,
    );
  });

  it("reads the pack's own connect-ips.json by default (relative to the pack folder)", async () => {
    const bundled = JSON.parse(
      require("node:fs").readFileSync(
        require("node:path").join(__dirname, "../../policies/connect-ips.json"),
        "utf8",
      ),
    ) as { connectIps: string[] };
    const n = nsg();
    n.props.securityRules[2].sourceAddressPrefixes = bundled.connectIps;
    await assertNoViolations(connectIpsAllowed, stackWith({ nsg: n, waf: wafPolicy(bundled.connectIps) }));
    n.props.securityRules[2].sourceAddressPrefixes = bundled.connectIps.slice(1);
    await assertHasViolation(
      connectIpsAllowed,
      stackWith({ nsg: n, waf: wafPolicy(bundled.connectIps) }),
      `not admitted: ${bundled.connectIps[0]}`,
    );
  });

  it("fails when the NSG does not admit a Connect IP", async () => {
    const n = nsg();
    n.props.securityRules[2].sourceAddressPrefixes = CONNECT_IPS.filter((c) => c !== "203.0.113.11/32");
    const v = await assertHasViolation(
      connectIpsAllowed,
      stackWith({ nsg: n }),
      "not admitted: 203.0.113.11/32 (blocked by DenyInternetInbound",
      { config },
    );
    assert.match(v.urn ?? "", /NetworkSecurityGroup::agw-nsg$/);
  });

  it("fails when a higher-priority Deny blocks part of a Connect range", async () => {
    const n = nsg();
    n.props.securityRules.push(
      rule("DenySome", 150, {
        access: "Deny",
        sourceAddressPrefix: "198.51.100.8/29",
        destinationPortRange: "443",
      }),
    );
    await assertHasViolation(
      connectIpsAllowed,
      stackWith({ nsg: n }),
      "198.51.100.0/28 (blocked by DenySome (priority 150))",
      { config },
    );
  });

  it("admits a Connect range split across two allow rules", async () => {
    const n = nsg();
    n.props.securityRules[2].sourceAddressPrefixes = [
      "203.0.113.10/32",
      "203.0.113.11/32",
      "198.51.100.0/29",
      "2001:db8:10::/64",
    ];
    n.props.securityRules.push(
      rule("AllowConnect-1", 201, {
        sourceAddressPrefixes: ["198.51.100.8/29"],
        destinationPortRange: "443",
      }),
    );
    await assertNoViolations(connectIpsAllowed, stackWith({ nsg: n }), { config });
  });

  it("fails when the Connect rule does not cover port 443", async () => {
    const n = nsg();
    n.props.securityRules[2].destinationPortRanges = ["80"];
    await assertHasViolation(
      connectIpsAllowed,
      stackWith({ nsg: n }),
      "must admit every Connect IP on TCP 443",
      { config },
    );
  });

  it("fails an allow range that is not a Connect IP or extra range", async () => {
    const n = nsg();
    n.props.securityRules[2].sourceAddressPrefixes = [...CONNECT_IPS, "192.0.2.0/24"];
    await assertHasViolation(
      connectIpsAllowed,
      stackWith({ nsg: n }),
      "192.0.2.0/24 (not in the reviewed copy of Connect's addresses nor in extraAllowedRanges)",
      { config },
    );
  });

  it("accepts that range once it is declared in extraAllowedRanges", async () => {
    const n = nsg();
    n.props.securityRules[2].sourceAddressPrefixes = [...CONNECT_IPS, "192.0.2.0/24"];
    await assertNoViolations(connectIpsAllowed, stackWith({ nsg: n }), {
      config: { ...config, extraAllowedRanges: ["192.0.2.0/24"] },
    });
  });

  it("accepts a merged CIDR that covers adjacent Connect ranges exactly", async () => {
    const n = nsg();
    n.props.securityRules[2].sourceAddressPrefixes = [
      "203.0.113.10/31",
      "198.51.100.0/28",
      "2001:db8:10::/64",
    ];
    await assertNoViolations(connectIpsAllowed, stackWith({ nsg: n }), { config });
  });

  it("fails a range wider than /16 even when declared as extra", async () => {
    const n = nsg();
    n.props.securityRules[2].sourceAddressPrefixes = [...CONNECT_IPS, "10.0.0.0/8"];
    await assertHasViolation(connectIpsAllowed, stackWith({ nsg: n }), "10.0.0.0/8 (wider than /16)", {
      config: { ...config, extraAllowedRanges: ["10.0.0.0/8"] },
    });
  });

  it("fails an IPv6 range wider than /48", async () => {
    const n = nsg();
    n.props.securityRules[2].sourceAddressPrefixes = [...CONNECT_IPS, "2001:db8::/32"];
    await assertHasViolation(connectIpsAllowed, stackWith({ nsg: n }), "2001:db8::/32 (wider than /48)", {
      config: { ...config, extraAllowedRanges: ["2001:db8::/32"] },
    });
  });

  it("fails an allow from Internet on 443 (admits everyone)", async () => {
    const n = nsg();
    n.props.securityRules.push(
      rule("AllowWeb", 300, { sourceAddressPrefix: "Internet", destinationPortRange: "443" }),
    );
    await assertHasViolation(
      connectIpsAllowed,
      stackWith({ nsg: n }),
      "AllowWeb: Internet (every source) on ports 443",
      { config },
    );
  });

  it("fails when there is no NSG at all", async () => {
    await assertHasViolation(
      connectIpsAllowed,
      stack().filter((r) => !r.type.endsWith("NetworkSecurityGroup")),
      "must have a network security group",
      { config },
    );
  });

  it("fails when there is no WAF policy at all", async () => {
    await assertHasViolation(
      connectIpsAllowed,
      stack().filter((r) => !r.type.endsWith("WebApplicationFirewallPolicy")),
      "must have a WAF policy",
      { config },
    );
  });

  it("fails when the WAF allow-list rule misses a Connect IP", async () => {
    const waf = wafPolicy(CONNECT_IPS.slice(1));
    const v = await assertHasViolation(connectIpsAllowed, stackWith({ waf }), "missing: 203.0.113.10/32", {
      config,
    });
    assert.match(v.urn ?? "", /WebApplicationFirewallPolicy::waf$/);
  });

  it("treats several negated conditions of one rule as one list (they are ANDed)", async () => {
    const waf = wafPolicy(CONNECT_IPS.slice(0, 2));
    waf.props.customRules[0].matchConditions.push({
      matchVariables: [{ variableName: "RemoteAddr" }],
      operator: "IPMatch",
      negationConditon: true,
      matchValues: CONNECT_IPS.slice(2),
    });
    await assertNoViolations(connectIpsAllowed, stackWith({ waf }), { config });
  });

  it("fails when the WAF rule admits more than needed", async () => {
    await assertHasViolation(
      connectIpsAllowed,
      stackWith({ waf: wafPolicy([...CONNECT_IPS, "0.0.0.0/0"]) }),
      "0.0.0.0/0 (wider than /16)",
      { config },
    );
  });

  it("fails when the WAF has no allow-list rule (every source admitted)", async () => {
    const waf = wafPolicy();
    waf.props.customRules = [];
    await assertHasViolation(connectIpsAllowed, stackWith({ waf }), "without it every source is admitted", {
      config,
    });
  });

  it("does not count a disabled allow-list rule", async () => {
    const waf = wafPolicy();
    waf.props.customRules[0].state = "Disabled";
    await assertHasViolation(connectIpsAllowed, stackWith({ waf }), "without it every source is admitted", {
      config,
    });
  });

  it("fails a WAF Block rule that blocks a Connect IP", async () => {
    const waf = wafPolicy();
    waf.props.customRules.push({
      name: "BlockBad",
      priority: 5,
      ruleType: "MatchRule",
      action: "Block",
      matchConditions: [
        {
          matchVariables: [{ variableName: "RemoteAddr" }],
          operator: "IPMatch",
          negationConditon: false,
          matchValues: ["203.0.113.0/24"],
        },
      ],
    });
    await assertHasViolation(
      connectIpsAllowed,
      stackWith({ waf }),
      "must not block Connect IPs; it blocks 203.0.113.10/32",
      { config },
    );
  });

  it("checks only the NSG in front of the gateway when the stack has others", async () => {
    const other: TestResource = {
      type: "azure-native:network:NetworkSecurityGroup",
      name: "vm-nsg",
      props: {
        securityRules: [
          rule("AllowAll", 100, { sourceAddressPrefix: "10.1.0.0/16", destinationPortRange: "*" }),
        ],
      },
    };
    await assertNoViolations(connectIpsAllowed, [...stack(), other], { config });
  });

  it("reports unknown rules during preview the engine's way (advisory), not as a pass", async () => {
    const n = nsg();
    n.props.securityRules = UNKNOWN.array;
    const result = await runPolicy(connectIpsAllowed, stackWith({ nsg: n }), { config });
    assert.equal(result.violations.length, 0);
    assert.equal(result.unknown.length, 1);
  });

  it("applies its own defaults when the engine passes no config values", async () => {
    const n = nsg();
    n.props.securityRules[2].sourceAddressPrefixes = [...CONNECT_IPS, "172.16.0.0/12"];
    await assertHasViolation(connectIpsAllowed, stackWith({ nsg: n }), "172.16.0.0/12 (wider than /16)", {
      config: { ...config, extraAllowedRanges: ["172.16.0.0/12"] },
      applySchemaDefaults: false,
    });
  });
});

describe("connect-ips-reviewed-copy (P2)", () => {
  it("passes a reviewed copy of Deltek's list", async () => {
    await assertNoViolations(connectIpsReviewedCopy, stack(), { config });
  });

  it("says loudly that P2 was checked against a placeholder list, not Deltek's", async () => {
    const v = await assertHasViolation(connectIpsReviewedCopy, stack(), "PLACEHOLDER list, not Deltek's", {
      config: copyConfig(CONNECT_IPS, { ...REVIEWED, placeholder: true, source: "RFC 5737 ranges" }),
    });
    assert.match(v.message, /vpconnect ips update --from <saved page>/);
    assert.equal(v.level, "advisory");
  });

  it("says P2 was NOT CHECKED when the copy is empty", async () => {
    await assertHasViolation(connectIpsReviewedCopy, stack(), "P2 was NOT CHECKED", {
      config: copyConfig([]),
    });
  });

  it("flags the copy this repository ships: it is a placeholder", async () => {
    await assertHasViolation(connectIpsReviewedCopy, stack(), "PLACEHOLDER");
  });

  it("asks for a new comparison when the copy is older than connectIpsMaxAgeDays (Deltek's list changes)", async () => {
    const old = copyConfig(CONNECT_IPS, { ...REVIEWED, copiedOn: "2020-01-15" });
    const v = await assertHasViolation(connectIpsReviewedCopy, stack(), "copied from", { config: old });
    assert.match(v.message, /on 2020-01-15, \d+ days ago \(more than connectIpsMaxAgeDays 180\)/);
    await assertNoViolations(connectIpsReviewedCopy, stack(), {
      config: {
        ...copyConfig(CONNECT_IPS, { ...REVIEWED, copiedOn: "2020-01-15" }),
        connectIpsMaxAgeDays: 100_000,
      },
    });
    await assertHasViolation(connectIpsReviewedCopy, stack(), "must not be in the future", {
      config: copyConfig(CONNECT_IPS, { ...REVIEWED, copiedOn: "2999-01-01" }),
    });
  });

  it("leaves a broken copy to connect-ips-allowed (not applicable here, not a pass)", async () => {
    await assertNotApplicable(connectIpsReviewedCopy, stack(), "connect-ips-allowed reports why", {
      config: { connectIpsFile: writeCopy("[]") },
    });
  });
});

describe("allow-list-no-any-source", () => {
  it("passes the component's NSG and WAF policy", async () => {
    await assertNoViolations(allowListNoAnySource, [nsg(), wafPolicy()]);
  });

  for (const source of ["*", "Internet", "0.0.0.0/0", "::/0", "Any"]) {
    it(`fails an allow from ${source} on 443`, async () => {
      const n = nsg();
      n.props.securityRules.push(
        rule("AllowAll", 300, { sourceAddressPrefix: source, destinationPortRange: "443" }),
      );
      await assertHasViolation(allowListNoAnySource, n, `must not admit ${source}`);
    });
  }

  it("fails an any-source prefix hidden in sourceAddressPrefixes", async () => {
    const n = nsg();
    n.props.securityRules[2].sourceAddressPrefixes = [...CONNECT_IPS, "0.0.0.0/0"];
    await assertHasViolation(allowListNoAnySource, n, "'AllowConnect-0' must not admit 0.0.0.0/0");
  });

  it("allows any source on the gateway's own ports 65200-65535", async () => {
    const n = nsg();
    n.props.securityRules[0].sourceAddressPrefix = "Internet";
    await assertNoViolations(allowListNoAnySource, n);
  });

  it("ignores Deny rules from any source", async () => {
    await assertNoViolations(allowListNoAnySource, nsg());
  });

  it("fails a standalone SecurityRule from any source", async () => {
    const sr: TestResource = {
      type: "azure-native:network:SecurityRule",
      name: "open",
      props: rule("open", 300, {
        sourceAddressPrefix: "*",
        destinationPortRange: "443",
        networkSecurityGroupName: "agw-nsg",
      }),
    };
    await assertHasViolation(allowListNoAnySource, sr, "must not admit *");
  });

  it("fails a WAF allow-list rule that lists 0.0.0.0/0", async () => {
    await assertHasViolation(
      allowListNoAnySource,
      wafPolicy([...CONNECT_IPS, "0.0.0.0/0"]),
      "WAF rule 'ConnectAllowList' must not admit 0.0.0.0/0",
    );
  });
});

describe("nsg-no-open-management-ports", () => {
  it("passes the component's NSG", async () => {
    await assertNoViolations(nsgNoOpenManagementPorts, nsg());
  });

  for (const port of [22, 3389, 1433, 5985, 5986]) {
    it(`fails port ${port} open to Internet`, async () => {
      const n = nsg();
      n.props.securityRules.push(
        rule("Mgmt", 300, { sourceAddressPrefix: "Internet", destinationPortRange: String(port) }),
      );
      await assertHasViolation(nsgNoOpenManagementPorts, n, `must not open port(s) ${port} to Internet`);
    });
  }

  it("fails a wildcard port range from any source", async () => {
    const n = nsg();
    n.props.securityRules.push(
      rule("AllPorts", 300, { sourceAddressPrefix: "*", destinationPortRange: "*" }),
    );
    await assertHasViolation(nsgNoOpenManagementPorts, n, "port(s) 22, 3389, 1433, 5985, 5986 to *");
  });

  it("allows SSH from a management range", async () => {
    const n = nsg();
    n.props.securityRules.push(
      rule("Ssh", 300, { sourceAddressPrefix: "192.0.2.0/24", destinationPortRange: "22" }),
    );
    await assertNoViolations(nsgNoOpenManagementPorts, n);
  });

  it("follows the configured port list", async () => {
    const n = nsg();
    n.props.securityRules.push(
      rule("Web", 300, { sourceAddressPrefix: "Internet", destinationPortRange: "8080" }),
    );
    await assertNoViolations(nsgNoOpenManagementPorts, n);
    await assertHasViolation(nsgNoOpenManagementPorts, n, "port(s) 8080", {
      config: { forbiddenInternetPorts: [8080] },
    });
  });
});

describe("nsg-gateway-infrastructure-rules", () => {
  it("passes the component's NSG", async () => {
    await assertNoViolations(nsgGatewayInfrastructureRules, nsg());
  });

  it("fails without the GatewayManager rule (DenyInternetInbound then blocks it)", async () => {
    const n = nsg();
    n.props.securityRules.splice(0, 1);
    await assertHasViolation(
      nsgGatewayInfrastructureRules,
      n,
      "GatewayManager; DenyInternetInbound (priority 4096) blocks it",
    );
  });

  it("fails when GatewayManager is admitted on only part of 65200-65535", async () => {
    const n = nsg();
    n.props.securityRules[0].destinationPortRange = "65200-65300";
    await assertHasViolation(nsgGatewayInfrastructureRules, n, "TCP 65200-65535 from GatewayManager");
  });

  it("relies on Azure's default AzureLoadBalancer rule when nothing broad denies it", async () => {
    const n = nsg();
    n.props.securityRules.splice(1, 1);
    await assertNoViolations(nsgGatewayInfrastructureRules, n);
  });

  it("fails when a Deny-all rule sits before AzureLoadBalancer", async () => {
    const n = nsg();
    n.props.securityRules.splice(1, 1);
    n.props.securityRules.push(
      rule("DenyAll", 4000, {
        access: "Deny",
        protocol: "*",
        sourceAddressPrefix: "*",
        destinationPortRange: "*",
      }),
    );
    await assertHasViolation(
      nsgGatewayInfrastructureRules,
      n,
      "AzureLoadBalancer (health probes); DenyAll (priority 4000)",
    );
  });

  it("is not applicable to an NSG outside the gateway components", async () => {
    const n = nsg();
    delete n.parent;
    await assertNotApplicable(nsgGatewayInfrastructureRules, n, "Only the gateway subnet NSG");
  });
});
