/**
 * lib/allowList.ts rule by rule, each input written the way a person pastes it into allowList.connectIps or
 * extraRanges, with the exact answer: the message names the value and gives a fix that would pass.
 */
import assert from "node:assert/strict";
import {
  AllowListLimitError,
  MAX_ADMITTED,
  chunkForNsg,
  chunkForWaf,
  coverageProblem,
  isCovered,
  mergeRanges,
  parseRange,
  rangeProblem,
} from "../../lib/allowList";
import type { ParsedRange } from "../../lib/allowList";
import { spacedPublicAddresses } from "../support/pulumiMocks";

const ok = (text: string): ParsedRange => {
  const r = parseRange(text);
  if ("error" in r) throw new Error(r.error);
  return r;
};
const error = (text: unknown, options?: { allowPrivate?: boolean }) => {
  const r = parseRange(text, options);
  assert.ok("error" in r, `${JSON.stringify(text)} was accepted as ${JSON.stringify(r)}`);
  return r.error;
};
const EXAMPLES = "expected an address or range such as 203.0.113.0/24 or 2001:db8::/48";

describe("lib/allowList: parseRange, as people write ranges", () => {
  it("refuses a range cut off after the slash instead of reading it as /0", () => {
    assert.equal(error("10.0.0.0/"), `"10.0.0.0/" is not a CIDR; ${EXAMPLES}`);
    assert.equal(error("2001:db8::/"), `"2001:db8::/" is not a CIDR; ${EXAMPLES}`);
  });
  it("refuses a missing value, naming what it got", () => {
    const short = "is not a CIDR; expected an address or range such as 203.0.113.0/24";
    assert.equal(error(42), `42 ${short}`);
    assert.equal(error(undefined), `undefined ${short}`);
    assert.equal(error(""), `"" ${short}`);
    assert.equal(error("   "), `"   " ${short}`);
  });
  it("refuses text that is not an address, and an address with a fifth octet or a leading zero", () => {
    assert.equal(error("example.com"), `"example.com" is not a CIDR; ${EXAMPLES}`);
    assert.equal(error("1.2.3.4/ 8"), `"1.2.3.4/ 8" is not a CIDR; ${EXAMPLES}`);
    assert.equal(error("1.2.3.4.5"), '"1.2.3.4.5" is not a CIDR: "1.2.3.4.5" is not an IPv4 or IPv6 address');
    assert.equal(
      error("01.2.3.4/32"),
      '"01.2.3.4/32" is not a CIDR: "01.2.3.4" is not an IPv4 or IPv6 address',
    );
  });
  it("refuses a prefix past the family's length, naming the range for that family", () => {
    assert.equal(
      error("1.2.3.4/33"),
      '"1.2.3.4/33" is not a CIDR: the prefix length must be 0 to 32 for IPv4',
    );
    assert.equal(
      error("2001:db8::/129"),
      '"2001:db8::/129" is not a CIDR: the prefix length must be 0 to 128 for IPv6',
    );
  });
  it("takes the exact prefix limits", () => {
    assert.deepEqual(ok("203.0.113.9/32"), { cidr: "203.0.113.9/32", version: 4, prefix: 32 });
    assert.deepEqual(ok("2001:db8::9/128"), { cidr: "2001:db8::9/128", version: 6, prefix: 128 });
    assert.deepEqual(ok("0.0.0.0/0"), { cidr: "0.0.0.0/0", version: 4, prefix: 0 });
  });
  it("writes a bare address as a /32 or /128 and IPv6 in lower case", () => {
    assert.deepEqual(ok(" 203.0.113.7 "), { cidr: "203.0.113.7/32", version: 4, prefix: 32 });
    assert.deepEqual(ok("2001:DB8::/48"), { cidr: "2001:db8::/48", version: 6, prefix: 48 });
  });
  it("refuses host bits, suggesting the network address when it would pass", () => {
    assert.equal(
      error("203.0.113.7/24"),
      '"203.0.113.7/24" has host bits set; write the network address 203.0.113.0/24',
    );
    assert.equal(
      error("2001:db8::1/64"),
      '"2001:db8::1/64" has host bits set; write the network address 2001:db8::/64',
    );
  });
  it("says when the network address of a range with host bits would be refused too, and why", () => {
    assert.equal(
      error("10.1.2.3/8"),
      '"10.1.2.3/8" has host bits set, and its network address would be refused too: 10.0.0.0/8 is private (RFC 1918), not a public address Connect can come from; remove it or set allowList.allowPrivateRanges: true',
    );
    // With private ranges allowed the network address passes, so the plain fix is offered.
    assert.equal(
      error("10.1.2.3/8", { allowPrivate: true }),
      '"10.1.2.3/8" has host bits set; write the network address 10.0.0.0/8',
    );
    // A network address that passes every range check can still admit too much together (coverage).
    assert.equal(
      error("12.1.0.0/7"),
      '"12.1.0.0/7" has host bits set, and its network address would be refused too: together admit 33,554,432 public IPv4 addresses, more than a /8 (16,777,216); an allow list holds Connect\'s published addresses and a few office ranges: remove the widest ranges',
    );
  });
});

describe("lib/allowList: rangeProblem", () => {
  const problem = (text: string, allowPrivate = false) => rangeProblem(ok(text), { allowPrivate });

  it("refuses any source in both families, whatever allowPrivate says", () => {
    for (const any of ["0.0.0.0/0", "::/0"]) {
      assert.equal(problem(any), `${any} admits every address; list Connect's published addresses instead`);
      assert.equal(
        problem(any, true),
        `${any} admits every address; list Connect's published addresses instead`,
      );
    }
  });
  it("accepts public ranges", () => {
    for (const text of ["203.0.113.0/24", "12.0.0.0/6", "2001:db8::/32", "198.51.100.10"]) {
      assert.equal(problem(text), undefined, text);
    }
  });
  it("names the private or reserved block a range is in, and offers allowPrivateRanges only when that would pass", () => {
    const fix = "remove it or set allowList.allowPrivateRanges: true";
    const cases: Array<[string, string]> = [
      ["10.1.0.0/16", "private (RFC 1918)"],
      ["172.20.0.0/16", "private (RFC 1918)"],
      ["192.168.1.0/24", "private (RFC 1918)"],
      ["100.64.0.0/10", "carrier-grade NAT (RFC 6598)"],
      ["127.0.0.1", "loopback"],
      ["169.254.169.254", "link-local"],
      ["0.0.0.0/32", "'this network' (reserved)"],
      ["239.1.1.1", "multicast"],
      ["250.0.0.0/8", "reserved"],
      ["fd00::/8", "unique local (private)"],
      ["fc00::/7", "unique local (private)"],
      ["fe80::/10", "link-local"],
      ["ff02::/16", "multicast"],
      ["::1/128", "loopback"],
      ["::/128", "unspecified"],
    ];
    for (const [text, what] of cases) {
      const cidr = ok(text).cidr;
      assert.equal(
        problem(text),
        `${cidr} is ${what}, not a public address Connect can come from; ${fix}`,
        text,
      );
      assert.equal(problem(text, true), undefined, `${text} with allowPrivate`);
    }
  });
  it("names the private block a wider range includes; allowPrivate is offered only where the range would then pass", () => {
    assert.equal(
      problem("8.0.0.0/5"),
      "8.0.0.0/5 includes 10.0.0.0/8, private (RFC 1918), not public addresses Connect can come from; remove it and list Connect's published addresses instead",
    );
    assert.equal(
      problem("224.0.0.0/3"),
      "224.0.0.0/3 includes 224.0.0.0/4, multicast, not public addresses Connect can come from; remove it or set allowList.allowPrivateRanges: true",
    );
    assert.equal(problem("8.0.0.0/5", true), undefined);
  });
  it("refuses IPv6 space that carries IPv4 addresses, suggesting the IPv4 range it stands for", () => {
    assert.equal(
      problem("::ffff:cb00:7100/120"),
      "::ffff:cb00:7100/120 is IPv4-mapped IPv6 space, which carries IPv4 addresses; write the IPv4 range 203.0.113.0/24 instead",
    );
    assert.equal(
      problem("64:ff9b::cb00:7100/120"),
      "64:ff9b::cb00:7100/120 is NAT64 (IPv4-translated) space, which carries IPv4 addresses; write the IPv4 range 203.0.113.0/24 instead",
    );
    assert.equal(
      problem("::cb00:7100/120"),
      "::cb00:7100/120 is IPv4-compatible IPv6 (deprecated) space, which carries IPv4 addresses; write the IPv4 range 203.0.113.0/24 instead",
    );
    assert.equal(
      problem("::ffff:cb00:7100/120", true),
      "::ffff:cb00:7100/120 is IPv4-mapped IPv6 space, which carries IPv4 addresses; write the IPv4 range 203.0.113.0/24 instead",
      "allowPrivate never admits IPv4 through IPv6",
    );
  });
  it("says when the IPv4 range an IPv6 range stands for is refused too", () => {
    assert.equal(
      problem("::ffff:a00:0/104"),
      "::ffff:a00:0/104 is IPv4-mapped IPv6 space, which carries IPv4 addresses; it stands for 10.0.0.0/8, which is refused too: 10.0.0.0/8 is private (RFC 1918), not a public address Connect can come from; remove it or set allowList.allowPrivateRanges: true",
    );
    assert.equal(
      problem("::ffff:0:0/96"),
      "::ffff:0:0/96 is IPv4-mapped IPv6 space, which carries IPv4 addresses; it stands for 0.0.0.0/0, which is refused too: 0.0.0.0/0 admits every address; list Connect's published addresses instead",
    );
  });
  it("refuses 6to4 and local-use NAT64 space, which do not embed one IPv4 range at a fixed place", () => {
    assert.equal(
      problem("2002:cb00:7100::/40"),
      "2002:cb00:7100::/40 is 6to4 (IPv4-relayed) space, which carries IPv4 addresses; list Connect's published IPv4 or IPv6 addresses instead",
    );
    assert.equal(
      problem("64:ff9b:1::/48"),
      "64:ff9b:1::/48 is local-use NAT64 (IPv4-translated) space, which carries IPv4 addresses; list Connect's published IPv4 or IPv6 addresses instead",
    );
  });
  it("refuses an IPv6 range that includes such space", () => {
    assert.equal(
      problem("::/64"),
      "::/64 includes ::ffff:0:0/96 (IPv4-mapped IPv6), which admits every IPv4 address; list Connect's published addresses instead",
    );
    assert.equal(
      problem("2000::/3"),
      "2000::/3 includes 2002::/16 (6to4 (IPv4-relayed)), which carries IPv4 addresses; list Connect's published addresses instead",
    );
  });
  it("does not take the IPv6 loopback or unspecified address for IPv4-compatible space", () => {
    assert.doesNotMatch(problem("::1/128")!, /IPv4/);
    assert.doesNotMatch(problem("::/128")!, /IPv4/);
  });
});

describe("lib/allowList: coverageProblem counts admitted addresses per family", () => {
  const tooMany = (n: string, family: 4 | 6) =>
    `together admit ${n} public IPv${family} addresses, more than ${family === 4 ? "a /8 (16,777,216)" : "a /32"}; an allow list holds Connect's published addresses and a few office ranges: remove the widest ranges`;

  it("admits exactly a /8 of IPv4, and refuses one address more", () => {
    assert.equal(MAX_ADMITTED[4], 16777216n);
    assert.equal(coverageProblem(["11.0.0.0/8"]), undefined);
    assert.equal(coverageProblem(["11.0.0.0/8", "12.0.0.0/32"]), tooMany("16,777,217", 4));
    assert.equal(coverageProblem(["11.0.0.0/9", "11.128.0.0/9"]), undefined, "two halves merge into the /8");
  });
  it("admits exactly a /32 of IPv6, and refuses a /31", () => {
    assert.equal(MAX_ADMITTED[6], 2n ** 96n);
    assert.equal(coverageProblem(["2001:db8::/32"]), undefined);
    assert.equal(coverageProblem(["2001:db8::/31"]), tooMany("158,456,325,028,528,675,187,087,900,672", 6));
  });
  it("does not count IPv6 ranges against the IPv4 limit, nor IPv4 against IPv6", () => {
    assert.equal(coverageProblem(["11.0.0.0/8", "2001:db8::/32"]), undefined);
    assert.equal(coverageProblem(["2001:db8::/32", "11.0.0.0/8", "12.0.0.0/30"]), tooMany("16,777,220", 4));
  });
  it("counts an address listed twice, or inside a wider range, once", () => {
    assert.equal(coverageProblem(["11.0.0.0/8", "11.1.2.3", "11.0.0.0/8"]), undefined);
  });
  it("leaves private space out of the count only when private ranges are allowed", () => {
    assert.equal(coverageProblem(["10.0.0.0/7"]), tooMany("33,554,432", 4));
    assert.equal(coverageProblem(["10.0.0.0/7"], { allowPrivate: true }), undefined);
    assert.equal(
      coverageProblem(["11.0.0.0/8", "12.0.0.0/8"], { allowPrivate: true }),
      tooMany("33,554,432", 4),
    );
  });
  it("refuses halves that merge into every address of a family", () => {
    assert.equal(
      coverageProblem(["0.0.0.0/1", "128.0.0.0/1"], { allowPrivate: true }),
      "together cover every IPv4 address (they merge into 0.0.0.0/0); list Connect's published addresses instead",
    );
    assert.equal(
      coverageProblem(["::/1", "8000::/1"]),
      "together cover every IPv6 address (they merge into ::/0); list Connect's published addresses instead",
    );
  });
  it("has nothing to say about an empty list", () => {
    assert.equal(coverageProblem([]), undefined);
  });
});

describe("lib/allowList: merging, coverage and packing", () => {
  it("merges IPv4 first, then IPv6, each sorted", () => {
    assert.deepEqual(mergeRanges(["2001:db8::/48", "198.51.100.0/24", "203.0.113.0/24", "2001:db8:1::/48"]), [
      "198.51.100.0/24",
      "203.0.113.0/24",
      "2001:db8::/47",
    ]);
  });
  it("says whether one range lies inside a list", () => {
    assert.equal(isCovered(["198.51.100.0/24", "203.0.113.0/24"], "203.0.113.128/25"), true);
    assert.equal(isCovered(["203.0.113.0/24"], "203.0.113.0/24"), true);
    assert.equal(isCovered(["203.0.113.0/25"], "203.0.113.0/24"), false);
    assert.equal(isCovered(["203.0.113.0/24"], "2001:db8::/128"), false);
    assert.equal(isCovered([], "203.0.113.0/24"), false);
  });
  it("packs exactly 6,000 ranges into 10 conditions and refuses 6,001 with the fix", () => {
    assert.deepEqual(
      chunkForWaf(spacedPublicAddresses(6000)).map((c) => c.length),
      Array.from({ length: 10 }, () => 600),
    );
    assert.deepEqual(chunkForWaf(["203.0.113.0/24"]), [["203.0.113.0/24"]]);
    assert.throws(
      () => chunkForWaf(spacedPublicAddresses(6001)),
      (e: Error) =>
        e instanceof AllowListLimitError &&
        e.message ===
          "the allow list has 6001 ranges after merging, more than the 6000 one WAF custom rule can hold (10 conditions x 600); merge ranges into wider prefixes",
    );
    assert.throws(
      () => chunkForWaf([]),
      (e: Error) =>
        e instanceof AllowListLimitError &&
        e.message === "the allow list is empty; add Connect's addresses under allowList.connectIps",
    );
  });
  it("packs exactly 4,000 prefixes into NSG rules and refuses one more, less the reserved ones", () => {
    assert.equal(chunkForNsg(spacedPublicAddresses(4000)).length, 4);
    assert.deepEqual(chunkForNsg([]), []);
    assert.throws(
      () => chunkForNsg(spacedPublicAddresses(4001)),
      (e: Error) =>
        e instanceof AllowListLimitError &&
        e.message ===
          "the allow list has 4001 ranges after merging, more than the 4000 source prefixes an NSG can hold (4000 per NSG); merge ranges into wider prefixes",
    );
    assert.equal(chunkForNsg(spacedPublicAddresses(3998), 2).length, 4);
    assert.throws(
      () => chunkForNsg(spacedPublicAddresses(3999), 2),
      /3999 ranges after merging, more than the 3998/,
    );
  });
  it("keeps IPv4 and IPv6 in separate NSG rules, IPv4 first", () => {
    assert.deepEqual(chunkForNsg(["2001:db8::/48", "203.0.113.0/24", "2001:db8:1::/48"]), [
      { version: 4, prefixes: ["203.0.113.0/24"] },
      { version: 6, prefixes: ["2001:db8::/48", "2001:db8:1::/48"] },
    ]);
  });
});
