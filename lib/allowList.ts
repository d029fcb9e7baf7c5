/**
 * The Connect allow list as pure data: validate address ranges, fold them into a minimal CIDR cover and pack
 * them within Azure's limits (NSG and WAF custom rules). No Pulumi import: this is what the component, the
 * config loader, the policies' tests and the benchmark share.
 */
import { containsCidr, excludeCidr, mergeCidr, parseCidr } from "cidr-tools";
import { isIP } from "node:net";

/** Azure limits that shape the allow list (see shared/reference/azure-facts.md). */
export const LIMITS = {
  /** Addresses or ranges in one WAF IPMatch condition (CRS 3.2 and later). */
  wafValuesPerCondition: 600,
  /** Match conditions in one WAF custom rule. */
  wafConditionsPerRule: 10,
  /** Source/destination prefixes across all rules of one NSG. */
  nsgPrefixesPerGroup: 4000,
  /** Prefixes we put in one NSG rule (one rule per chunk keeps rules readable in the portal). */
  nsgPrefixesPerRule: 1000,
} as const;

/** Merged ranges one WAF rule can hold: 10 negated conditions of 600 each, ANDed. */
export const WAF_MAX_RANGES = LIMITS.wafValuesPerCondition * LIMITS.wafConditionsPerRule;

export type IpVersion = 4 | 6;

export interface ParsedRange {
  /** The range in canonical CIDR form (a bare address becomes /32 or /128). */
  cidr: string;
  version: IpVersion;
  prefix: number;
}

/** Ranges that are never acceptable sources and ranges that are private or reserved. */
const FORBIDDEN_ANY = ["0.0.0.0/0", "::/0"];
const PRIVATE_OR_RESERVED: Array<{ cidr: string; what: string }> = [
  { cidr: "0.0.0.0/8", what: "'this network' (reserved)" },
  { cidr: "10.0.0.0/8", what: "private (RFC 1918)" },
  { cidr: "100.64.0.0/10", what: "carrier-grade NAT (RFC 6598)" },
  { cidr: "127.0.0.0/8", what: "loopback" },
  { cidr: "169.254.0.0/16", what: "link-local" },
  { cidr: "172.16.0.0/12", what: "private (RFC 1918)" },
  { cidr: "192.168.0.0/16", what: "private (RFC 1918)" },
  { cidr: "224.0.0.0/4", what: "multicast" },
  { cidr: "240.0.0.0/4", what: "reserved" },
  { cidr: "::/128", what: "unspecified" },
  { cidr: "::1/128", what: "loopback" },
  { cidr: "fc00::/7", what: "unique local (private)" },
  { cidr: "fe80::/10", what: "link-local" },
  { cidr: "ff00::/8", what: "multicast" },
];

/**
 * Parses one address or CIDR. Returns the parsed range or a sentence saying what is wrong (never throws).
 * Host bits set (203.0.113.7/24) are refused: the intent is ambiguous and Azure rejects them in NSG rules.
 * The network address it suggests instead is checked with `options` (rangeProblem, coverageProblem).
 */
export function parseRange(
  text: unknown,
  options: { allowPrivate?: boolean } = {},
): ParsedRange | { error: string } {
  if (typeof text !== "string" || text.trim() === "") {
    return {
      error: `${JSON.stringify(text)} is not a CIDR; expected an address or range such as 203.0.113.0/24`,
    };
  }
  const value = text.trim();
  const quoted = JSON.stringify(value);
  if (!/^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(value)) {
    return {
      error: `${quoted} is not a CIDR; expected an address or range such as 203.0.113.0/24 or 2001:db8::/48`,
    };
  }
  const slash = value.indexOf("/");
  const address = slash === -1 ? value : value.slice(0, slash);
  if (isIP(address) === 0) {
    return { error: `${quoted} is not a CIDR: ${JSON.stringify(address)} is not an IPv4 or IPv6 address` };
  }
  let parsed: ReturnType<typeof parseCidr>;
  try {
    parsed = parseCidr(value);
  } catch {
    return {
      error: `${quoted} is not a CIDR; expected an address or range such as 203.0.113.0/24 or 2001:db8::/48`,
    };
  }
  const version = parsed.version as IpVersion;
  const max = version === 4 ? 32 : 128;
  const prefix = slash === -1 ? max : Number(value.slice(slash + 1));
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) {
    return { error: `${quoted} is not a CIDR: the prefix length must be 0 to ${max} for IPv${version}` };
  }
  const canonical = `${parsed.ip}/${prefix}`;
  const network = mergeCidr([canonical])[0];
  if (network !== undefined && network !== canonical && slash !== -1) {
    const suggested = { cidr: network, version, prefix };
    // The suggested network must pass the checks the list applies, or the message says why it would not.
    const refused = rangeProblem(suggested, options) ?? coverageProblem([network], options);
    return {
      error: refused
        ? `${quoted} has host bits set, and its network address would be refused too: ${refused}`
        : `${quoted} has host bits set; write the network address ${network}`,
    };
  }
  return { cidr: network ?? canonical, version, prefix };
}

/**
 * IPv6 ranges that carry IPv4 addresses: a source in one of them stands for IPv4 hosts, so `::ffff:0:0/96`
 * admits every IPv4 address (RFC 4291 section 2.5.5, RFC 6052, RFC 3056). Never acceptable, whatever
 * allowPrivateRanges says.
 */
const IPV4_IN_IPV6: Array<{ cidr: string; what: string; embedsAt?: number; except?: string[] }> = [
  { cidr: "::ffff:0:0/96", what: "IPv4-mapped IPv6", embedsAt: 96 },
  // The unspecified address and loopback sit inside ::/96 but carry no IPv4 address (RFC 4291 sections 2.5.2,
  // 2.5.3): they are refused as what they are, below, not as 0.0.0.0 and 0.0.0.1.
  { cidr: "::/96", what: "IPv4-compatible IPv6 (deprecated)", embedsAt: 96, except: ["::/128", "::1/128"] },
  { cidr: "64:ff9b::/96", what: "NAT64 (IPv4-translated)", embedsAt: 96 },
  { cidr: "64:ff9b:1::/48", what: "local-use NAT64 (IPv4-translated)" },
  { cidr: "2002::/16", what: "6to4 (IPv4-relayed)" },
];

/** Most public addresses an allow list may admit, per IP version: a /8 of IPv4, a /32 of IPv6. */
export const MAX_ADMITTED = { 4: 2n ** 24n, 6: 2n ** 96n } as const;

/** Why a syntactically valid range is not acceptable as a Connect/allowed source, or undefined if it is. */
export function rangeProblem(
  range: ParsedRange,
  options: {
    allowPrivate?: boolean;
    /** How the caller names the private-ranges switch (default the stack key `allowList.allowPrivateRanges`). */
    privateRangesKey?: string;
  } = {},
): string | undefined {
  if (range.prefix === 0 || FORBIDDEN_ANY.includes(range.cidr)) {
    return `${range.cidr} admits every address; list Connect's published addresses instead`;
  }
  if (range.version === 6) {
    for (const space of IPV4_IN_IPV6) {
      if (space.except?.includes(range.cidr)) continue;
      const inside = containsCidr(space.cidr, range.cidr);
      if (!inside && !containsCidr(range.cidr, space.cidr)) continue;
      const ipv4 = inside && space.embedsAt !== undefined ? embeddedIpv4(range, space.embedsAt) : undefined;
      const checked = ipv4 && rangeProblem(ipv4, options);
      const fix =
        ipv4 && !checked
          ? `write the IPv4 range ${ipv4.cidr} instead`
          : ipv4
            ? `it stands for ${ipv4.cidr}, which is refused too: ${checked}`
            : "list Connect's published IPv4 or IPv6 addresses instead";
      return inside
        ? `${range.cidr} is ${space.what} space, which carries IPv4 addresses; ${fix}`
        : `${range.cidr} includes ${space.cidr} (${space.what}), which ${space.embedsAt === 96 ? "admits every IPv4 address" : "carries IPv4 addresses"}; list Connect's published addresses instead`;
    }
  }
  if (!options.allowPrivate) {
    for (const reserved of PRIVATE_OR_RESERVED) {
      if (rangeVersion(reserved.cidr) !== range.version) continue;
      const inside = containsCidr(reserved.cidr, range.cidr);
      if (!inside && !containsCidr(range.cidr, reserved.cidr)) continue;
      // Suggest allowPrivateRanges only when that would make the range pass every check.
      const wouldPass =
        rangeProblem(range, { allowPrivate: true }) === undefined &&
        coverageProblem([range.cidr], { allowPrivate: true }) === undefined;
      const fix = wouldPass
        ? `remove it or set ${options.privateRangesKey ?? "allowList.allowPrivateRanges"}: true`
        : "remove it and list Connect's published addresses instead";
      return inside
        ? `${range.cidr} is ${reserved.what}, not a public address Connect can come from; ${fix}`
        : `${range.cidr} includes ${reserved.cidr}, ${reserved.what}, not public addresses Connect can come from; ${fix}`;
    }
  }
  return undefined;
}

/** The IPv4 range an IPv6 range embeds from bit `at` on (e.g. ::ffff:203.0.113.0/120 -> 203.0.113.0/24). */
function embeddedIpv4(range: ParsedRange, at: number): ParsedRange | undefined {
  if (range.prefix < at) return undefined;
  const start = parseCidr(range.cidr).start as bigint;
  const low = Number(start & 0xffffffffn);
  const ip = [24, 16, 8, 0].map((shift) => (low >>> shift) & 255).join(".");
  return { cidr: `${ip}/${range.prefix - at}`, version: 4, prefix: range.prefix - at };
}

/**
 * Why ranges that are each acceptable together admit too much, or undefined. Coverage is computed after
 * merging: `0.0.0.0/1` + `128.0.0.0/1` merge into `0.0.0.0/0`. Past MAX_ADMITTED public addresses (private
 * and reserved space not counted when allowPrivate) the list is not an allow list any more.
 */
export function coverageProblem(
  cidrs: readonly string[],
  options: { allowPrivate?: boolean } = {},
): string | undefined {
  const merged = mergeRanges(cidrs);
  for (const version of [4, 6] as const) {
    const ofVersion = merged.filter((c) => rangeVersion(c) === version);
    if (ofVersion.length === 0) continue;
    const any = version === 4 ? "0.0.0.0/0" : "::/0";
    if (ofVersion.includes(any)) {
      return `together cover every IPv${version} address (they merge into ${any}); list Connect's published addresses instead`;
    }
    const reserved = PRIVATE_OR_RESERVED.filter((r) => rangeVersion(r.cidr) === version).map((r) => r.cidr);
    const publicPart = options.allowPrivate ? excludeCidr(ofVersion, reserved) : ofVersion;
    const admitted = publicPart.reduce((sum, c) => {
      const p = parseCidr(c);
      return sum + (p.end as bigint) - (p.start as bigint) + 1n;
    }, 0n);
    if (admitted > MAX_ADMITTED[version]) {
      const limit = version === 4 ? "a /8 (16,777,216)" : "a /32";
      return `together admit ${admitted.toLocaleString("en-US")} public IPv${version} addresses, more than ${limit}; an allow list holds Connect's published addresses and a few office ranges: remove the widest ranges`;
    }
  }
  return undefined;
}

function rangeVersion(cidr: string): IpVersion {
  return cidr.includes(":") ? 6 : 4;
}

/** Folds duplicates, contained and adjacent ranges into the minimal CIDR cover, IPv4 first, each sorted. */
export function mergeRanges(cidrs: readonly string[]): string[] {
  if (cidrs.length === 0) return [];
  return mergeCidr([...cidrs]);
}

/** True when every address of `inner` is inside one of `outer`. */
export function isCovered(outer: readonly string[], inner: string): boolean {
  if (outer.length === 0) return false;
  return containsCidr([...outer], inner);
}

export class AllowListLimitError extends Error {}

/**
 * Packs merged ranges into the negated IPMatch conditions of one WAF Block rule: chunks of 600, at most 10.
 * Throws past 6,000 merged ranges: a second negated Block rule would block what the first admits.
 */
export function chunkForWaf(merged: readonly string[]): string[][] {
  if (merged.length === 0) {
    throw new AllowListLimitError(
      "the allow list is empty; add Connect's addresses under allowList.connectIps",
    );
  }
  if (merged.length > WAF_MAX_RANGES) {
    throw new AllowListLimitError(
      `the allow list has ${merged.length} ranges after merging, more than the ${WAF_MAX_RANGES} one WAF custom rule can hold ` +
        `(${LIMITS.wafConditionsPerRule} conditions x ${LIMITS.wafValuesPerCondition}); merge ranges into wider prefixes` +
        // Offer the NSG only when it can hold the list (its budget is smaller than the WAF's, so today never).
        (merged.length <= LIMITS.nsgPrefixesPerGroup
          ? " or enforce at the NSG only (allowList.enforceAt: nsg)"
          : ""),
    );
  }
  return chunk(merged, LIMITS.wafValuesPerCondition);
}

/** One NSG rule's worth of source prefixes: a single IP version, at most `nsgPrefixesPerRule`. */
export interface NsgChunk {
  version: IpVersion;
  prefixes: string[];
}

/**
 * Splits merged ranges into NSG rule chunks (NSG rules cannot mix IPv4 and IPv6). Throws past 4,000 prefixes,
 * the limit across all rules of one NSG (less the prefixes the gateway's own rules use).
 */
export function chunkForNsg(merged: readonly string[], reserved = 0): NsgChunk[] {
  const budget = LIMITS.nsgPrefixesPerGroup - reserved;
  if (merged.length > budget) {
    throw new AllowListLimitError(
      `the allow list has ${merged.length} ranges after merging, more than the ${budget} source prefixes an NSG can hold ` +
        `(${LIMITS.nsgPrefixesPerGroup} per NSG); merge ranges into wider prefixes`,
    );
  }
  const out: NsgChunk[] = [];
  for (const version of [4, 6] as const) {
    const ofVersion = merged.filter((c) => rangeVersion(c) === version);
    for (const prefixes of chunk(ofVersion, LIMITS.nsgPrefixesPerRule)) out.push({ version, prefixes });
  }
  return out;
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
