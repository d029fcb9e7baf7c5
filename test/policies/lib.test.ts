import * as assert from "node:assert/strict";
import { CidrSet, cidrContains, coveredBy, mergeIntervals, parseCidr } from "../../lib/cidr";
import { admitsRange, parsePorts, toRule } from "../../policies/lib/nsg";
import { underComponent, urnTypeChain } from "../../policies/lib/props";

describe("lib/cidr (the pack's CIDR math)", () => {
  it("parses IPv4 and IPv6 addresses and CIDRs, masking host bits", () => {
    const v4 = parseCidr("203.0.113.77/24")!;
    assert.equal(v4.family, 4);
    assert.equal(v4.start, parseCidr("203.0.113.0")!.start);
    assert.equal(v4.end - v4.start, 255n);
    assert.equal(parseCidr("10.0.0.1")!.prefix, 32);
    const v6 = parseCidr("2001:db8::/32")!;
    assert.equal(v6.family, 6);
    assert.equal(v6.end - v6.start, (1n << 96n) - 1n);
    assert.equal(parseCidr("::ffff:192.0.2.1")!.start, 0xffffc0000201n);
    assert.equal(parseCidr("::")!.start, 0n);
  });

  for (const bad of [
    "",
    "1.2.3",
    "1.2.3.256",
    "1.2.3.4/33",
    "2001:db8::/129",
    "1::2::3",
    "Internet",
    "10.0.0.0/8/1",
    "12345::",
  ]) {
    it(`rejects ${JSON.stringify(bad)}`, () => assert.equal(parseCidr(bad), undefined));
  }

  it("tests containment within one family only", () => {
    assert.ok(cidrContains(parseCidr("10.0.0.0/8")!, parseCidr("10.1.2.0/24")!));
    assert.ok(!cidrContains(parseCidr("10.1.2.0/24")!, parseCidr("10.0.0.0/8")!));
    assert.ok(!cidrContains(parseCidr("::/0")!, parseCidr("10.0.0.0/8")!));
  });

  it("answers covers() exactly like the interval subtraction it replaced, on random sets", () => {
    let seed = 42;
    const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
    const cidr = () => parseCidr(`10.${random(4)}.${random(256)}.0/${22 + random(11)}`)!;
    for (let round = 0; round < 200; round++) {
      const members = Array.from({ length: 1 + random(12) }, cidr);
      const set = new CidrSet(members);
      for (let probe = 0; probe < 10; probe++) {
        const target = cidr();
        assert.equal(set.covers(target), coveredBy(target, members), `round ${round}: ${target.text}`);
      }
    }
  });

  it("covers a range split across adjacent blocks, and not one with a gap", () => {
    const set = new CidrSet([parseCidr("10.0.0.0/25")!, parseCidr("10.0.0.128/25")!]);
    assert.ok(set.covers(parseCidr("10.0.0.0/24")!));
    const gap = new CidrSet([parseCidr("10.0.0.0/25")!, parseCidr("10.0.1.0/24")!]);
    assert.ok(!gap.covers(parseCidr("10.0.0.0/23")!));
    assert.deepEqual(
      mergeIntervals([
        { start: 5n, end: 9n },
        { start: 1n, end: 4n },
      ]),
      [{ start: 1n, end: 9n }],
    );
    assert.ok(
      coveredBy({ start: 1n, end: 9n }, [
        { start: 1n, end: 4n },
        { start: 5n, end: 9n },
      ]),
    );
  });
});

describe("policies/lib/nsg", () => {
  it("parses port ranges and treats '*' as all ports", () => {
    assert.deepEqual(parsePorts(["443", "65200-65535"]), [
      { start: 443n, end: 443n },
      { start: 65200n, end: 65535n },
    ]);
    assert.deepEqual(parsePorts(["*"]), [{ start: 0n, end: 65535n }]);
  });

  it("evaluates by priority, first match wins", () => {
    const rules = [
      toRule({
        name: "deny",
        priority: 100,
        direction: "Inbound",
        access: "Deny",
        protocol: "*",
        sourceAddressPrefix: "203.0.113.0/24",
        destinationPortRange: "*",
      }),
      toRule({
        name: "allow",
        priority: 200,
        direction: "Inbound",
        access: "Allow",
        protocol: "Tcp",
        sourceAddressPrefix: "*",
        destinationPortRange: "443",
      }),
    ];
    assert.deepEqual(admitsRange(rules, parseCidr("203.0.113.5")!, 443), {
      admitted: false,
      deniedBy: "deny (priority 100)",
    });
    assert.deepEqual(admitsRange(rules, parseCidr("198.51.100.5")!, 443), { admitted: true });
    assert.equal(admitsRange(rules, parseCidr("198.51.100.5")!, 80).admitted, false);
  });
});

describe("policies/lib/props", () => {
  it("reads the component chain from a URN", () => {
    const urn =
      "urn:pulumi:dev::proj::vantagepoint-connect:index:ConnectSite$vantagepoint-connect:index:ConnectAllowList$azure-native:network:NetworkSecurityGroup::nsg";
    assert.equal(urnTypeChain(urn).length, 3);
    assert.ok(underComponent(urn, "vantagepoint-connect:index:ConnectAllowList"));
    assert.ok(!underComponent(urn, "azure-native:network:NetworkSecurityGroup"));
  });
});
