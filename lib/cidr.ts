/**
 * CIDR blocks as BigInt intervals, and interval arithmetic (merge, subtract, cover, overlap) for addresses and
 * ports. Pure, no Pulumi import: the policy pack's allow-list and NSG policies use it (the pack's build copies
 * the compiled module into the pack, so the pack still installs standalone). Addresses are validated with
 * node:net and converted with cidr-tools, as lib/allowList.ts does.
 */
import { parseCidr as toBigIntRange } from "cidr-tools";
import { isIP } from "node:net";

/** An IP family. */
export type Family = 4 | 6;

/** A closed interval of addresses (or ports) [start, end]. */
export interface Interval {
  start: bigint;
  end: bigint;
}

/** A parsed CIDR block (a bare address is a /32 or /128). */
export interface Cidr extends Interval {
  family: Family;
  prefix: number;
  text: string;
}

const BITS: Record<Family, number> = { 4: 32, 6: 128 };

/**
 * Parses "a.b.c.d", "a.b.c.d/n", an IPv6 address or IPv6 CIDR (surrounding spaces ignored). Host bits are
 * masked off (Azure resources may carry them). Anything else is undefined.
 */
export function parseCidr(text: string): Cidr | undefined {
  if (typeof text !== "string") return undefined;
  const trimmed = text.trim();
  const [addr, prefixText, extra] = trimmed.split("/");
  if (extra !== undefined) return undefined;
  const version = isIP(addr);
  if (version === 0) return undefined;
  const family = version as Family;
  const bits = BITS[family];
  let prefix = bits;
  if (prefixText !== undefined) {
    if (!/^\d{1,3}$/.test(prefixText)) return undefined;
    prefix = Number(prefixText);
    if (prefix > bits) return undefined;
  }
  const { start, end } = toBigIntRange(`${addr}/${prefix}`);
  return { family, prefix, start, end, text: trimmed };
}

/** Whether `outer` contains all of `inner` (same family). */
export function cidrContains(outer: Cidr, inner: Cidr): boolean {
  return outer.family === inner.family && outer.start <= inner.start && inner.end <= outer.end;
}

/** Whether two intervals share at least one point. */
export function overlaps(a: Interval, b: Interval): boolean {
  return a.start <= b.end && b.start <= a.end;
}

/** Sorts and merges overlapping or adjacent intervals. */
export function mergeIntervals(list: readonly Interval[]): Interval[] {
  const sorted = [...list].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const out: Interval[] = [];
  for (const i of sorted) {
    const last = out[out.length - 1];
    if (last && i.start <= last.end + 1n) {
      if (i.end > last.end) last.end = i.end;
    } else {
      out.push({ start: i.start, end: i.end });
    }
  }
  return out;
}

/** Removes `cut` from every interval of `set`. */
export function subtractInterval(set: readonly Interval[], cut: Interval): Interval[] {
  const out: Interval[] = [];
  for (const i of set) {
    if (!overlaps(i, cut)) {
      out.push(i);
      continue;
    }
    if (i.start < cut.start) out.push({ start: i.start, end: cut.start - 1n });
    if (i.end > cut.end) out.push({ start: cut.end + 1n, end: i.end });
  }
  return out;
}

/** Whether the union of `set` covers all of `target`. */
export function coveredBy(target: Interval, set: readonly Interval[]): boolean {
  let remaining: Interval[] = [target];
  for (const i of mergeIntervals(set)) {
    remaining = subtractInterval(remaining, i);
    if (remaining.length === 0) return true;
  }
  return false;
}

/** The whole address space of a family, as an interval. */
export function wholeFamily(family: Family): Interval {
  return { start: 0n, end: (1n << BigInt(BITS[family])) - 1n };
}

/** A set of CIDRs split by family, with their merged union. */
export class CidrSet {
  readonly v4: Interval[];
  readonly v6: Interval[];
  constructor(cidrs: readonly Cidr[]) {
    this.v4 = mergeIntervals(cidrs.filter((c) => c.family === 4));
    this.v6 = mergeIntervals(cidrs.filter((c) => c.family === 6));
  }
  /**
   * Whether every address of `c` lies in the set. The intervals are merged (sorted, disjoint, not adjacent), so
   * `c` is covered exactly when one interval holds it: a binary search, O(log n) per call.
   */
  covers(c: Cidr): boolean {
    const list = c.family === 4 ? this.v4 : this.v6;
    let low = 0;
    let high = list.length - 1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      const interval = list[mid]!;
      if (interval.end < c.start) low = mid + 1;
      else if (interval.start > c.start) high = mid - 1;
      else return c.end <= interval.end;
    }
    return false;
  }
}
