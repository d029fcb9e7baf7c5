import assert from "node:assert/strict";
import {
  AllowListLimitError,
  LIMITS,
  WAF_MAX_RANGES,
  chunkForNsg,
  chunkForWaf,
  isCovered,
  mergeRanges,
  parseRange,
  rangeProblem,
} from "../../lib/allowList";
import { spacedPublicAddresses } from "../support/pulumiMocks";

const ok = (text: string) => {
  const r = parseRange(text);
  if ("error" in r) throw new Error(r.error);
  return r;
};

describe("lib/allowList", () => {
  it("parses addresses and ranges, IPv4 and IPv6, canonically", () => {
    assert.deepEqual(ok("203.0.113.7"), { cidr: "203.0.113.7/32", version: 4, prefix: 32 });
    assert.deepEqual(ok(" 198.51.100.0/24 "), { cidr: "198.51.100.0/24", version: 4, prefix: 24 });
    assert.equal(ok("2001:db8::/48").version, 6);
    assert.equal(ok("2001:db8::1").prefix, 128);
  });

  it("says what is wrong with a bad range", () => {
    assert.match((parseRange("10.0.0.0/33") as { error: string }).error, /"10\.0\.0\.0\/33" is not a CIDR/);
    assert.match((parseRange("300.1.1.1") as { error: string }).error, /not a CIDR/);
    assert.match((parseRange("example.com") as { error: string }).error, /not a CIDR/);
    assert.match(
      (parseRange("203.0.113.7/24") as { error: string }).error,
      /host bits set; write the network address 203\.0\.113\.0\/24/,
    );
    assert.ok("error" in parseRange(42));
    assert.ok("error" in parseRange(""));
  });

  it("refuses any-source and private/reserved ranges unless allowed", () => {
    assert.match(rangeProblem(ok("0.0.0.0/0"))!, /admits every address/);
    assert.match(rangeProblem(ok("::/0"))!, /admits every address/);
    assert.match(rangeProblem(ok("10.1.2.0/24"))!, /private/);
    assert.match(rangeProblem(ok("fd00::/8"))!, /unique local/);
    assert.match(
      rangeProblem(ok("8.0.0.0/5"))!,
      /private|reserved/,
      "a range containing a private block is refused too",
    );
    assert.equal(rangeProblem(ok("10.1.2.0/24"), { allowPrivate: true }), undefined);
    assert.match(rangeProblem(ok("0.0.0.0/0"), { allowPrivate: true })!, /every address/);
    assert.equal(rangeProblem(ok("203.0.113.0/24")), undefined);
  });

  it("merges duplicates, contained and adjacent ranges", () => {
    assert.deepEqual(
      mergeRanges(["203.0.113.0/25", "203.0.113.128/25", "203.0.113.5/32", "203.0.113.0/25"]),
      ["203.0.113.0/24"],
    );
    assert.deepEqual(mergeRanges([]), []);
    const spaced = spacedPublicAddresses(100);
    assert.equal(mergeRanges(spaced).length, 100, "the test generator's addresses never merge");
    assert.ok(isCovered(["203.0.113.0/24"], "203.0.113.9/32"));
    assert.ok(!isCovered([], "203.0.113.9/32"));
  });

  it("chunks for the WAF at 600 per condition up to 6,000", () => {
    assert.equal(WAF_MAX_RANGES, 6000);
    assert.deepEqual(
      chunkForWaf(spacedPublicAddresses(601)).map((c) => c.length),
      [600, 1],
    );
    assert.equal(chunkForWaf(spacedPublicAddresses(6000)).length, LIMITS.wafConditionsPerRule);
    assert.throws(() => chunkForWaf(spacedPublicAddresses(6001)), AllowListLimitError);
    assert.throws(() => chunkForWaf([]), /empty/);
  });

  it("chunks for the NSG by version and refuses more than 4,000 prefixes", () => {
    const chunks = chunkForNsg([...spacedPublicAddresses(1001), "2001:4860::/32"]);
    assert.deepEqual(
      chunks.map((c) => [c.version, c.prefixes.length]),
      [
        [4, 1000],
        [4, 1],
        [6, 1],
      ],
    );
    assert.throws(() => chunkForNsg(spacedPublicAddresses(4001)), /4001 ranges.*4000/);
    assert.throws(() => chunkForNsg(spacedPublicAddresses(3999), 2), AllowListLimitError);
  });
});
