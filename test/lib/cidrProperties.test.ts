/**
 * lib/cidr.ts against an independent reference: small address spaces held as plain arrays of booleans (one per
 * address), filled and read point by point, so no answer here comes from the interval arithmetic under test.
 * Random inputs come from fast-check; a failing run prints the shrunk counterexample.
 */
import assert from "node:assert/strict";
import * as fc from "fast-check";
import {
  CidrSet,
  cidrContains,
  coveredBy,
  mergeIntervals,
  overlaps,
  parseCidr,
  subtractInterval,
  wholeFamily,
} from "../../lib/cidr";
import type { Interval } from "../../lib/cidr";

/** The address space of the reference: 0..SPACE-1 (small enough to walk point by point). */
const SPACE = 96;

/** An interval inside the reference space, written the way a caller would: start <= end. */
const interval = fc
  .tuple(fc.integer({ min: 0, max: SPACE - 1 }), fc.integer({ min: 0, max: 12 }))
  .map(([start, length]) => ({ start: BigInt(start), end: BigInt(Math.min(SPACE - 1, start + length)) }));

/** The points of a list of intervals, as one boolean per address. */
function points(list: readonly Interval[]): boolean[] {
  const out = new Array<boolean>(SPACE).fill(false);
  for (const i of list) for (let a = Number(i.start); a <= Number(i.end); a++) out[a] = true;
  return out;
}

/** The runs of true in a boolean array: the merged list as a person would write it down. */
function runs(set: readonly boolean[]): Interval[] {
  const out: Interval[] = [];
  for (let a = 0; a < set.length; a++) {
    if (!set[a]) continue;
    let b = a;
    while (b + 1 < set.length && set[b + 1]) b++;
    out.push({ start: BigInt(a), end: BigInt(b) });
    a = b;
  }
  return out;
}

describe("lib/cidr against a point-by-point reference (fast-check)", () => {
  it("mergeIntervals gives exactly the runs of the union: sorted, disjoint, not adjacent, nothing lost or added", () => {
    fc.assert(
      fc.property(fc.array(interval, { maxLength: 12 }), (list) => {
        assert.deepEqual(mergeIntervals(list), runs(points(list)));
      }),
      { numRuns: 500 },
    );
  });

  it("mergeIntervals never shrinks the union when a range nests inside an earlier, wider one", () => {
    fc.assert(
      fc.property(
        interval,
        fc.integer({ min: 0, max: 12 }),
        fc.integer({ min: 0, max: 12 }),
        (outer, a, b) => {
          // The nested range starts at or after the outer one and ends no later: the merge must keep outer's end.
          const start = outer.start + BigInt(Math.min(a, Number(outer.end - outer.start)));
          const end = start + BigInt(Math.min(b, Number(outer.end - start)));
          const merged = mergeIntervals([outer, { start, end }]);
          assert.deepEqual(merged, [{ start: outer.start, end: outer.end }]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("mergeIntervals leaves its input untouched (callers keep using their list)", () => {
    fc.assert(
      fc.property(fc.array(interval, { maxLength: 8 }), (list) => {
        const before = list.map((i) => ({ ...i }));
        mergeIntervals(list);
        assert.deepEqual(list, before);
      }),
      { numRuns: 200 },
    );
  });

  it("subtractInterval removes exactly the cut's points", () => {
    fc.assert(
      fc.property(fc.array(interval, { maxLength: 8 }), interval, (list, cut) => {
        const set = mergeIntervals(list);
        const expected = points(set).map((inside, a) => inside && !(a >= cut.start && a <= cut.end));
        const result = subtractInterval(set, cut);
        assert.deepEqual(points(result), expected);
        // A disjoint input stays disjoint and in order.
        assert.deepEqual(result, runs(expected));
      }),
      { numRuns: 500 },
    );
  });

  it("coveredBy is true exactly when every point of the target is in the union", () => {
    fc.assert(
      fc.property(fc.array(interval, { maxLength: 10 }), interval, (list, target) => {
        const set = points(list);
        let expected = true;
        for (let a = Number(target.start); a <= Number(target.end); a++) expected &&= set[a]!;
        assert.equal(coveredBy(target, list), expected);
      }),
      { numRuns: 1000 },
    );
  });

  it("overlaps is true exactly when the two intervals share a point", () => {
    fc.assert(
      fc.property(interval, interval, (a, b) => {
        const pa = points([a]);
        const pb = points([b]);
        assert.equal(
          overlaps(a, b),
          pa.some((x, i) => x && pb[i]),
        );
      }),
      { numRuns: 500 },
    );
  });
});

/** IPv4 text to a number, by hand. */
const v4Number = (octets: number[]) => octets.reduce((n, o) => n * 256n + BigInt(o), 0n);

describe("lib/cidr parsing and sets of real CIDRs against the reference", () => {
  const octet = fc.integer({ min: 0, max: 255 });

  it("parseCidr gives the block a.b.c.d/n computed by hand: start with the host bits cleared, 2^(32-n) addresses", () => {
    fc.assert(
      fc.property(fc.tuple(octet, octet, octet, octet), fc.integer({ min: 0, max: 32 }), (octets, prefix) => {
        const text = `${octets.join(".")}/${prefix}`;
        const size = 2n ** BigInt(32 - prefix);
        const address = v4Number(octets);
        const parsed = parseCidr(text);
        assert.ok(parsed, text);
        assert.deepEqual(
          {
            family: parsed.family,
            prefix: parsed.prefix,
            start: parsed.start,
            end: parsed.end,
            text: parsed.text,
          },
          {
            family: 4,
            prefix,
            start: address - (address % size),
            end: address - (address % size) + size - 1n,
            text,
          },
        );
      }),
      { numRuns: 500 },
    );
  });

  it("parseCidr reads IPv6 groups the way they are written, and a bare address is one address", () => {
    const group = fc.integer({ min: 0, max: 0xffff });
    fc.assert(
      fc.property(
        fc.array(group, { minLength: 8, maxLength: 8 }),
        fc.integer({ min: 0, max: 128 }),
        (groups, prefix) => {
          const address = groups.reduce((n, g) => n * 65536n + BigInt(g), 0n);
          const size = 2n ** BigInt(128 - prefix);
          const text = groups.map((g) => g.toString(16)).join(":");
          const block = parseCidr(`${text}/${prefix}`)!;
          assert.equal(block.family, 6);
          assert.equal(block.start, address - (address % size));
          assert.equal(block.end, block.start + size - 1n);
          const bare = parseCidr(text)!;
          assert.deepEqual([bare.prefix, bare.start, bare.end], [128, address, address]);
        },
      ),
      { numRuns: 300 },
    );
  });

  // Blocks inside 198.51.100.0/25 (prefix 25 to 32): every address is an offset 0..127 from its base.
  const BASE = v4Number([198, 51, 100, 0]);
  const block = fc
    .tuple(fc.integer({ min: 0, max: 127 }), fc.integer({ min: 25, max: 32 }))
    .map(([offset, prefix]) => parseCidr(`198.51.100.${offset}/${prefix}`)!);
  const offsets = (c: { start: bigint; end: bigint }) => {
    const out: number[] = [];
    for (let a = c.start; a <= c.end; a++) out.push(Number(a - BASE));
    return out;
  };

  it("CidrSet.covers is true exactly when every address of the block is in one of the members", () => {
    fc.assert(
      fc.property(fc.array(block, { maxLength: 10 }), block, (members, target) => {
        const set = new Array<boolean>(128).fill(false);
        for (const m of members) for (const a of offsets(m)) set[a] = true;
        const expected = offsets(target).every((a) => set[a]);
        assert.equal(
          new CidrSet(members).covers(target),
          expected,
          `${target.text} in ${members.map((m) => m.text)}`,
        );
      }),
      { numRuns: 1000 },
    );
  });

  it("CidrSet keeps the families apart: an IPv6 member never covers an IPv4 block with the same numbers", () => {
    fc.assert(
      fc.property(block, (target) => {
        // ::c633:6400/121 holds the same integers as 198.51.100.0/25, but it is IPv6.
        const v6 = parseCidr("::c633:6400/121")!;
        assert.equal(v6.start, BASE);
        assert.equal(new CidrSet([v6]).covers(target), false);
        assert.equal(new CidrSet([v6, target]).covers(target), true);
      }),
      { numRuns: 50 },
    );
  });

  it("CidrSet covers IPv6 blocks from its IPv6 members only", () => {
    const set = new CidrSet([parseCidr("2001:db8::/32")!, parseCidr("0.0.0.0/0")!]);
    assert.equal(set.covers(parseCidr("2001:db8:1::/48")!), true);
    assert.equal(set.covers(parseCidr("2001:db9::/48")!), false);
    // ::1 is the integer 1, inside 0.0.0.0/0's integers: an IPv4 member must not cover it.
    assert.equal(set.covers(parseCidr("::1")!), false);
    assert.equal(set.covers(parseCidr("203.0.113.0/24")!), true);
    assert.deepEqual(set.v6, [
      { start: parseCidr("2001:db8::/32")!.start, end: parseCidr("2001:db8::/32")!.end },
    ]);
    assert.deepEqual(set.v4, [{ start: 0n, end: 2n ** 32n - 1n }]);
  });

  it("cidrContains agrees with the address lists", () => {
    fc.assert(
      fc.property(block, block, (outer, inner) => {
        const o = new Set(offsets(outer));
        assert.equal(
          cidrContains(outer, inner),
          offsets(inner).every((a) => o.has(a)),
        );
      }),
      { numRuns: 500 },
    );
  });
});

describe("lib/cidr: input written wrong", () => {
  for (const text of [
    "10.0.0.0/",
    "10.0.0.0/ 8",
    "10.0.0.0/+8",
    "10.0.0.0/0x8",
    "10.0.0.0/1e1",
    "10.0.0.0/-1",
    "10.0.0.0/0008",
  ]) {
    it(`refuses ${JSON.stringify(text)} (it must not read as /0 or any other prefix)`, () => {
      assert.equal(parseCidr(text), undefined);
    });
  }
  it("takes the prefix at the exact family limits, and not one past", () => {
    assert.equal(parseCidr("0.0.0.0/0")!.end, 2n ** 32n - 1n);
    assert.equal(parseCidr("203.0.113.9/32")!.start, parseCidr("203.0.113.9/32")!.end);
    assert.equal(parseCidr("203.0.113.9/33"), undefined);
    assert.equal(parseCidr("2001:db8::1/128")!.prefix, 128);
    assert.equal(parseCidr("2001:db8::/129"), undefined);
    assert.equal(parseCidr("::/0")!.end, 2n ** 128n - 1n);
  });
  it("ignores spaces around the text and keeps what was written", () => {
    const c = parseCidr("  203.0.113.0/24 ")!;
    assert.equal(c.text, "203.0.113.0/24");
    assert.equal(c.start, v4Number([203, 0, 113, 0]));
  });
  it("refuses what is not text", () => {
    assert.equal(parseCidr(42 as unknown as string), undefined);
    assert.equal(parseCidr(undefined as unknown as string), undefined);
  });
  it("gives the whole space of each family", () => {
    assert.deepEqual(wholeFamily(4), { start: 0n, end: 4294967295n });
    assert.deepEqual(wholeFamily(6), { start: 0n, end: 2n ** 128n - 1n });
  });
  it("covers nothing with an empty set, and an empty set of intervals covers nothing", () => {
    assert.equal(new CidrSet([]).covers(parseCidr("203.0.113.0/32")!), false);
    assert.equal(coveredBy({ start: 5n, end: 5n }, []), false);
  });
});
