// A model of Azure NSG security rules (inline `securityRules` items or standalone SecurityRule props) and
// first-match evaluation by priority, including Azure's default inbound rules.
import {
  Cidr,
  Family,
  Interval,
  mergeIntervals,
  overlaps,
  parseCidr,
  subtractInterval,
  wholeFamily,
} from "../../lib/cidr";
import { arr, str, Props } from "./props";

/** One NSG rule, normalized. */
export interface NsgRule {
  name: string;
  priority: number;
  inbound: boolean;
  allow: boolean;
  /** "tcp", "udp", "icmp", "*", ... (lower case). */
  protocol: string;
  /** Source prefixes as written ("*", "Internet", "10.0.0.0/8", service tags). */
  sources: string[];
  /** Destination port intervals. */
  ports: Interval[];
}

/** Sources that mean "any address on the Internet". */
const ANY_SOURCES = new Set(["*", "any", "internet", "0.0.0.0/0", "::/0", "0::0/0"]);

/** Whether a source prefix admits any address on the Internet. */
export function isAnySource(source: string): boolean {
  return ANY_SOURCES.has(source.trim().toLowerCase());
}

/** Parses "*", "443", "65200-65535" into port intervals. Unparseable text yields the whole range. */
export function parsePorts(ranges: readonly string[]): Interval[] {
  const out: Interval[] = [];
  for (const raw of ranges) {
    const r = String(raw).trim();
    const m = /^(\d+)(?:\s*-\s*(\d+))?$/.exec(r);
    if (m) out.push({ start: BigInt(m[1]), end: BigInt(m[2] ?? m[1]) });
    else out.push({ start: 0n, end: 65535n });
  }
  return mergeIntervals(out);
}

/** Normalizes a rule object (inline item or SecurityRule props). */
export function toRule(r: Props): NsgRule {
  const sources = [str(r.sourceAddressPrefix), ...arr<string>(r.sourceAddressPrefixes).map(str)].filter(
    (s) => s !== "",
  );
  if (sources.length === 0 && arr(r.sourceApplicationSecurityGroups).length > 0)
    sources.push("(application security group)");
  const portTexts = [str(r.destinationPortRange), ...arr<string>(r.destinationPortRanges).map(str)].filter(
    (s) => s !== "",
  );
  return {
    name: str(r.name) || "(unnamed rule)",
    priority: typeof r.priority === "number" ? r.priority : Number(r.priority ?? 0),
    inbound: str(r.direction).toLowerCase() !== "outbound",
    allow: str(r.access).toLowerCase() === "allow",
    protocol: (str(r.protocol) || "*").toLowerCase(),
    sources: sources.length > 0 ? sources : ["*"],
    ports: parsePorts(portTexts.length > 0 ? portTexts : ["*"]),
  };
}

/** The inline rules of an NSG's props, normalized and sorted by priority. */
export function nsgRules(props: Props): NsgRule[] {
  return arr<Props>(props.securityRules)
    .map(toRule)
    .sort((a, b) => a.priority - b.priority);
}

/** Azure's default inbound rules, evaluated after the NSG's own rules. */
export const DEFAULT_INBOUND_RULES: readonly NsgRule[] = [
  {
    name: "AllowVnetInBound",
    priority: 65000,
    inbound: true,
    allow: true,
    protocol: "*",
    sources: ["VirtualNetwork"],
    ports: [{ start: 0n, end: 65535n }],
  },
  {
    name: "AllowAzureLoadBalancerInBound",
    priority: 65001,
    inbound: true,
    allow: true,
    protocol: "*",
    sources: ["AzureLoadBalancer"],
    ports: [{ start: 0n, end: 65535n }],
  },
  {
    name: "DenyAllInBound",
    priority: 65500,
    inbound: true,
    allow: false,
    protocol: "*",
    sources: ["*"],
    ports: [{ start: 0n, end: 65535n }],
  },
];

/** Whether a rule's protocol carries TCP traffic. */
export function carriesTcp(rule: NsgRule): boolean {
  return rule.protocol === "*" || rule.protocol === "tcp" || rule.protocol === "any";
}

/** Whether a rule's destination ports include `port`. */
export function hasPort(rule: NsgRule, port: number): boolean {
  const p = BigInt(port);
  return rule.ports.some((i) => i.start <= p && p <= i.end);
}

/** The address intervals (of one family) a rule's sources admit from the public Internet. */
export function sourceIntervals(rule: NsgRule, family: Family): Interval[] {
  const out: Interval[] = [];
  for (const s of rule.sources) {
    if (isAnySource(s)) out.push(wholeFamily(family));
    else {
      const c = parseCidr(s);
      if (c && c.family === family) out.push(c);
    }
  }
  return out;
}

/** Result of asking whether a public address range reaches a TCP port through an NSG. */
export type Admission = { admitted: true } | { admitted: false; deniedBy: string };

/**
 * First-match evaluation over the NSG's inbound rules and Azure's defaults: whether every address of
 * `range` reaches TCP `port`. Parts admitted by one allow rule and parts by another both count.
 */
export function admitsRange(rules: readonly NsgRule[], range: Cidr, port: number): Admission {
  let remaining: Interval[] = [{ start: range.start, end: range.end }];
  for (const rule of [...rules, ...DEFAULT_INBOUND_RULES]) {
    if (!rule.inbound || !carriesTcp(rule) || !hasPort(rule, port)) continue;
    for (const i of sourceIntervals(rule, range.family)) {
      if (!remaining.some((r) => overlaps(r, i))) continue;
      if (!rule.allow) return { admitted: false, deniedBy: `${rule.name} (priority ${rule.priority})` };
      remaining = subtractInterval(remaining, i);
    }
    if (remaining.length === 0) return { admitted: true };
  }
  return { admitted: false, deniedBy: "DenyAllInBound (priority 65500)" };
}

/** Whether a service-tag source (e.g. "GatewayManager") matches a rule source. */
function sourceMatchesTag(source: string, tag: string): boolean {
  const s = source.trim().toLowerCase();
  const t = tag.toLowerCase();
  if (s === t || s === "*" || s === "any") return true;
  // The Internet tag covers Azure-owned public addresses, GatewayManager among them.
  return s === "internet" && t === "gatewaymanager";
}

/** Whether traffic from service tag `tag` reaches every port of `ports` over TCP, by first match. */
export function admitsTag(rules: readonly NsgRule[], tag: string, ports: Interval): Admission {
  let remaining: Interval[] = [ports];
  for (const rule of [...rules, ...DEFAULT_INBOUND_RULES]) {
    if (!rule.inbound || !carriesTcp(rule) || !rule.sources.some((s) => sourceMatchesTag(s, tag))) continue;
    for (const p of rule.ports) {
      if (!remaining.some((r) => overlaps(r, p))) continue;
      if (!rule.allow) return { admitted: false, deniedBy: `${rule.name} (priority ${rule.priority})` };
      remaining = subtractInterval(remaining, p);
    }
    if (remaining.length === 0) return { admitted: true };
  }
  return { admitted: false, deniedBy: "DenyAllInBound (priority 65500)" };
}
