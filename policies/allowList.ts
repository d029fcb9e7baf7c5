// Policies on the allow list in front of the gateway: the NSG on the gateway subnet and the WAF custom rule.
import { extraAllowedRangeProblem } from "../lib/packConfigRules";
import { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { Cidr, CidrSet, overlaps, parseCidr } from "../lib/cidr";
import {
  configOf,
  arr,
  COMPONENT,
  listSome,
  ResourceLike,
  str,
  TYPE,
  underComponent,
  Props,
} from "./lib/props";
import { admitsRange, admitsTag, hasPort, isAnySource, NsgRule, nsgRules, toRule } from "./lib/nsg";
import { defaultsFor, schemaFor } from "./config";
import { describeCopy, packFolderOf, readConnectIpsCopy } from "./lib/connectIpsCopy";

/** The TCP port Connect reaches Vantagepoint on. */
export const CONNECT_PORT = 443;
/** The ports Application Gateway v2 itself needs inbound (from GatewayManager). */
export const GATEWAY_PORTS = { start: 65200n, end: 65535n };
/** Service tags the gateway needs; allow rules from them are infrastructure, not the allow list. */
const INFRASTRUCTURE_TAGS = new Set(["gatewaymanager", "azureloadbalancer"]);

/** Whether every destination port of a rule lies in the gateway's own 65200-65535 range. */
function onlyGatewayPorts(rule: NsgRule): boolean {
  return rule.ports.every((p) => p.start >= GATEWAY_PORTS.start && p.end <= GATEWAY_PORTS.end);
}

function describePorts(rule: NsgRule): string {
  return rule.ports
    .map((p) =>
      p.start === p.end ? `${p.start}` : p.start === 0n && p.end === 65535n ? "*" : `${p.start}-${p.end}`,
    )
    .join(",");
}

/** A WAF custom rule, reduced to what the allow list checks need. */
interface WafRule {
  name: string;
  action: string;
  enabled: boolean;
  /** Every condition is RemoteAddr IPMatch with negationConditon true: an allow list written as Block. */
  isAllowList: boolean;
  /** All RemoteAddr IPMatch values of the rule. */
  values: string[];
  /** Whether the RemoteAddr conditions are negated. */
  negated: boolean;
}

function wafRules(props: Props): WafRule[] {
  return arr<Props>(props.customRules).map((r) => {
    const conditions = arr<Props>(r.matchConditions);
    const remote = conditions.filter(
      (c) =>
        str(c.operator) === "IPMatch" &&
        arr<Props>(c.matchVariables).some((v) => str(v.variableName) === "RemoteAddr"),
    );
    const action = str(r.action);
    return {
      name: str(r.name) || "(unnamed rule)",
      action,
      enabled: str(r.state) !== "Disabled",
      isAllowList:
        action === "Block" &&
        conditions.length > 0 &&
        remote.length === conditions.length &&
        remote.every((c) => c.negationConditon === true),
      values: remote.flatMap((c) => arr<string>(c.matchValues).map(str)),
      negated: remote.length > 0 && remote.every((c) => c.negationConditon === true),
    };
  });
}

/** Resources of `type`, preferring those inside this project's components. */
function inScope(resources: readonly ResourceLike[], type: string): ResourceLike[] {
  const all = resources.filter((r) => r.type === type);
  const ours = all.filter((r) =>
    underComponent(r.urn, COMPONENT.allowList, COMPONENT.publicEndpoint, COMPONENT.site),
  );
  return ours.length > 0 ? ours : all;
}

/** The folder this pack runs from: its reviewed copy of Connect's addresses sits there. */
const PACK_DIR = packFolderOf(__dirname);

const CONNECT_IPS_KEYS = [
  "connectIpsFile",
  "extraAllowedRanges",
  "widestPrefixV4",
  "widestPrefixV6",
] as const;

/** How to replace the copy, for messages. */
const UPDATE_HINT =
  "save Deltek's 'Exposed IP Addresses' topic and run `vpconnect ips update --from <saved page> --reviewed-by <name> --write`";

/**
 * P2: every address of the pack's reviewed copy of Connect's list is admitted by the NSG and the WAF, and
 * nothing else is (except extraAllowedRanges). The stack's own list is never the reference: a mistyped Connect
 * range in the stack leaves the real one blocked (mandatory) and itself unexplained (mandatory).
 */
export const connectIpsAllowed: StackValidationPolicy = {
  name: "connect-ips-allowed",
  description:
    "Every Connect IP in the pack's reviewed copy (connect-ips.json) must be admitted on TCP 443 by the gateway NSG and the WAF allow-list rule, and no allow range may be wider than needed.",
  enforcementLevel: "mandatory",
  severity: "critical",
  tags: ["vantagepoint-connect", "P2"],
  configSchema: schemaFor(...CONNECT_IPS_KEYS),
  remediationSteps:
    "Make the stack's allowList.connectIps admit exactly the pack's reviewed copy of Deltek's list (connect-ips.json, updated with `vpconnect ips update`); allow nothing else except extraAllowedRanges.",
  validateStack: (args, reportViolation) => {
    const cfg = configOf(args, defaultsFor(...CONNECT_IPS_KEYS));
    const given = (args.getConfig<Record<string, unknown>>() ?? {}) as Record<string, unknown>;
    if (given.connectIps !== undefined) {
      reportViolation(
        `Pack config connectIps must not be set: it is no longer read. Connect's addresses come from the pack's reviewed copy ${cfg.connectIpsFile}; ${UPDATE_HINT}, and remove connectIps from the pack config.`,
      );
      return;
    }
    const copy = readConnectIpsCopy(PACK_DIR, cfg.connectIpsFile);
    if (copy.problems.length > 0) {
      for (const problem of copy.problems)
        reportViolation(`The pack's copy of Connect's addresses must be valid: ${problem}.`);
      return;
    }
    if (copy.ranges.length === 0) {
      args.notApplicable(
        `NOT CHECKED: ${copy.file} lists no Connect addresses, so the allow list was not compared with Deltek's list; ${UPDATE_HINT}.`,
      );
    }
    const against = `checked against ${describeCopy(copy)}`;
    const extra: Cidr[] = [];
    arr<string>(cfg.extraAllowedRanges).forEach((text, i) => {
      // One rule with the offline check's (lib/packConfigRules.ts): never every address, never wider than allowed.
      const problem = extraAllowedRangeProblem(text, { v4: cfg.widestPrefixV4, v6: cfg.widestPrefixV6 });
      const c = problem ? undefined : parseCidr(text);
      if (c) extra.push(c);
      else reportViolation(`Pack config extraAllowedRanges[${i}] ${problem}.`);
    });
    const required = copy.ranges;
    const needed = new CidrSet([...required, ...extra]);
    const tooWide = (c: Cidr) => c.prefix < (c.family === 4 ? cfg.widestPrefixV4 : cfg.widestPrefixV6);
    const surplus = (c: Cidr): string | undefined =>
      tooWide(c)
        ? `${c.text} (wider than /${c.family === 4 ? cfg.widestPrefixV4 : cfg.widestPrefixV6})`
        : needed.covers(c)
          ? undefined
          : `${c.text} (not in the reviewed copy of Connect's addresses nor in extraAllowedRanges)`;

    const resources = args.resources as unknown as ResourceLike[];
    const nsgs = inScope(resources, TYPE.nsg);
    if (nsgs.length === 0) {
      reportViolation(
        "The stack must have a network security group in front of the gateway that admits only the allow list.",
      );
    }
    const standalone = resources.filter((r) => r.type === TYPE.securityRule);
    for (const nsg of nsgs) {
      const nsgName = str(nsg.props.networkSecurityGroupName) || str(nsg.props.name);
      const rules = [
        ...nsgRules(nsg.props),
        ...standalone
          .filter((r) => nsgName !== "" && str(r.props.networkSecurityGroupName) === nsgName)
          .map((r) => toRule(r.props)),
      ].sort((a, b) => a.priority - b.priority);
      const blocked: string[] = [];
      for (const c of required) {
        const result = admitsRange(rules, c, CONNECT_PORT);
        if (!result.admitted) blocked.push(`${c.text} (blocked by ${result.deniedBy})`);
      }
      if (blocked.length > 0) {
        reportViolation(
          `NSG '${nsg.name}' must admit every Connect IP on TCP ${CONNECT_PORT}; not admitted: ${listSome(blocked)} (${against}).`,
          nsg.urn,
        );
      }
      const wide: string[] = [];
      for (const rule of rules.filter((r) => r.inbound && r.allow)) {
        for (const source of rule.sources) {
          if (INFRASTRUCTURE_TAGS.has(source.toLowerCase())) continue;
          if (isAnySource(source)) {
            if (!onlyGatewayPorts(rule))
              wide.push(`${rule.name}: ${source} (every source) on ports ${describePorts(rule)}`);
            continue;
          }
          const c = parseCidr(source);
          const why = c ? surplus(c) : undefined;
          if (why) wide.push(`${rule.name}: ${why}`);
        }
      }
      if (wide.length > 0) {
        reportViolation(
          `NSG '${nsg.name}' must admit nothing wider than the Connect IPs and extraAllowedRanges; found ${listSome(wide)} (${against}).`,
          nsg.urn,
        );
      }
    }

    const wafs = inScope(resources, TYPE.wafPolicy);
    if (wafs.length === 0) {
      reportViolation(
        "The stack must have a WAF policy in front of the gateway with a custom rule that admits only the allow list.",
      );
    }
    for (const waf of wafs) {
      const rules = wafRules(waf.props).filter((r) => r.enabled);
      const allowLists = rules.filter((r) => r.isAllowList);
      if (allowLists.length === 0) {
        reportViolation(
          `WAF policy '${waf.name}' must have an enabled custom Block rule on RemoteAddr with a negated IPMatch over the allowed ranges; without it every source is admitted.`,
          waf.urn,
        );
      }
      for (const rule of allowLists) {
        const parsed = rule.values.map((v) => ({ v, c: parseCidr(v) }));
        const admitted = new CidrSet(parsed.flatMap((x) => (x.c ? [x.c] : [])));
        const missing = required.filter((c) => !admitted.covers(c)).map((c) => c.text);
        if (missing.length > 0) {
          reportViolation(
            `WAF rule '${rule.name}' of '${waf.name}' must admit every Connect IP; missing: ${listSome(missing)} (${against}).`,
            waf.urn,
          );
        }
        const wide = parsed.flatMap((x) =>
          x.c ? [surplus(x.c)].filter((s): s is string => !!s) : [`${x.v} (not an IP range)`],
        );
        if (wide.length > 0) {
          reportViolation(
            `WAF rule '${rule.name}' of '${waf.name}' must admit nothing wider than needed; found ${listSome(wide)} (${against}).`,
            waf.urn,
          );
        }
      }
      for (const rule of rules.filter((r) => !r.isAllowList && !r.negated && r.values.length > 0)) {
        const cidrs = rule.values.map(parseCidr).filter((c): c is Cidr => !!c);
        if (rule.action === "Block") {
          const hit = required
            .filter((req) => cidrs.some((c) => c.family === req.family && overlaps(c, req)))
            .map((c) => c.text);
          if (hit.length > 0) {
            reportViolation(
              `WAF rule '${rule.name}' of '${waf.name}' must not block Connect IPs; it blocks ${listSome(hit)}.`,
              waf.urn,
            );
          }
        } else if (rule.action === "Allow") {
          const wide = cidrs.map(surplus).filter((s): s is string => !!s);
          if (wide.length > 0) {
            reportViolation(
              `WAF Allow rule '${rule.name}' of '${waf.name}' must admit nothing wider than needed; found ${listSome(wide)}.`,
              waf.urn,
            );
          }
        }
      }
    }
  },
};

/**
 * P2, said out loud: the copy connect-ips-allowed checks against must be Deltek's list, reviewed. A placeholder
 * (the documentation ranges the bundled stacks use) or an empty copy is reported on every run, so no report
 * shows P2 as verified against Deltek's addresses when it was not.
 */
export const connectIpsReviewedCopy: StackValidationPolicy = {
  name: "connect-ips-reviewed-copy",
  description:
    "The pack's copy of Connect's addresses (connect-ips.json) must be Deltek's published list with its provenance, not a placeholder or empty.",
  enforcementLevel: "advisory",
  severity: "high",
  tags: ["vantagepoint-connect", "P2"],
  configSchema: schemaFor("connectIpsFile", "connectIpsMaxAgeDays"),
  remediationSteps: `Replace the copy with Deltek's list: ${UPDATE_HINT}; review the diff and commit it.`,
  validateStack: (args, reportViolation) => {
    const { connectIpsFile, connectIpsMaxAgeDays } = configOf(
      args,
      defaultsFor("connectIpsFile", "connectIpsMaxAgeDays"),
    );
    const copy = readConnectIpsCopy(PACK_DIR, connectIpsFile);
    if (copy.problems.length > 0) {
      args.notApplicable(
        `${copy.file} could not be read as a copy of Connect's addresses; connect-ips-allowed reports why.`,
      );
    }
    if (copy.ranges.length === 0) {
      reportViolation(
        `P2 was NOT CHECKED: ${copy.file} lists no Connect addresses; the copy must hold Deltek's list: ${UPDATE_HINT}.`,
      );
    } else if (copy.provenance?.placeholder) {
      reportViolation(
        `P2 was checked against a PLACEHOLDER list, not Deltek's: ${copy.file} holds ${copy.provenance.source}. The copy must hold Deltek's published list: ${UPDATE_HINT}.`,
      );
    } else if (copy.provenance) {
      const age = Math.floor((Date.now() - Date.parse(`${copy.provenance.copiedOn}T00:00:00Z`)) / 86_400_000);
      if (age > connectIpsMaxAgeDays)
        reportViolation(
          `${copy.file} was copied from ${copy.provenance.source} on ${copy.provenance.copiedOn}, ${age} days ago (more than connectIpsMaxAgeDays ${connectIpsMaxAgeDays}); Deltek's list changes over time: the copy must be compared with the page again: ${UPDATE_HINT}.`,
        );
      else if (age < 0)
        reportViolation(
          `${copy.file} provenance.copiedOn ${copy.provenance.copiedOn} must not be in the future; give the day the page was saved.`,
        );
    }
  },
};

/** Rules of an NSG or a standalone SecurityRule, for the resource policies. */
function rulesOf(args: { type: string; props: Props }): NsgRule[] | undefined {
  if (args.type === TYPE.nsg) return nsgRules(args.props);
  if (args.type === TYPE.securityRule) return [toRule(args.props)];
  return undefined;
}

/** No allow rule from any source except the ports the gateway itself needs. */
export const allowListNoAnySource: ResourceValidationPolicy = {
  name: "allow-list-no-any-source",
  description:
    "NSG and WAF allow rules must not admit 0.0.0.0/0, ::/0, * or Internet, except NSG rules for the gateway's own ports 65200-65535.",
  enforcementLevel: "mandatory",
  severity: "critical",
  tags: ["vantagepoint-connect", "P2"],
  remediationSteps: "List Connect's addresses (and extraAllowedRanges) as sources instead of any source.",
  validateResource: (args, reportViolation) => {
    const rules = rulesOf(args);
    if (rules) {
      for (const rule of rules) {
        if (!rule.inbound || !rule.allow || onlyGatewayPorts(rule)) continue;
        const any = rule.sources.filter(isAnySource);
        if (any.length > 0) {
          reportViolation(
            `Inbound allow rule '${rule.name}' must not admit ${any.join(", ")} (every source) on ports ${describePorts(rule)}; list the allowed ranges instead.`,
          );
        }
      }
      return;
    }
    if (args.type !== TYPE.wafPolicy) return;
    for (const rule of wafRules(args.props)) {
      if (!rule.enabled) continue;
      const any = rule.values.filter((v) => isAnySource(v) || parseCidr(v)?.prefix === 0);
      if (any.length === 0) continue;
      if (rule.isAllowList || rule.action === "Allow") {
        reportViolation(
          `WAF rule '${rule.name}' must not admit ${any.join(", ")} (every source); list the allowed ranges instead.`,
        );
      }
    }
  },
};

/** 22, 3389, 1433, 5985, 5986 (configurable) never open from the Internet or any source. */
export const nsgNoOpenManagementPorts: ResourceValidationPolicy = {
  name: "nsg-no-open-management-ports",
  description:
    "NSG rules must not open management ports (SSH, RDP, SQL, WinRM by default) to the Internet or any source.",
  enforcementLevel: "mandatory",
  severity: "critical",
  tags: ["vantagepoint-connect", "baseline"],
  configSchema: schemaFor("forbiddenInternetPorts"),
  remediationSteps: "Remove the rule, or restrict its source to a management range or use Azure Bastion.",
  validateResource: (args, reportViolation) => {
    const rules = rulesOf(args);
    if (!rules) return;
    const { forbiddenInternetPorts } = configOf(args, defaultsFor("forbiddenInternetPorts"));
    for (const rule of rules) {
      if (!rule.inbound || !rule.allow || rule.protocol === "icmp") continue;
      const any = rule.sources.filter(isAnySource);
      if (any.length === 0) continue;
      const open = arr<number>(forbiddenInternetPorts).filter((port) => hasPort(rule, port));
      if (open.length > 0) {
        reportViolation(
          `Inbound allow rule '${rule.name}' must not open port(s) ${open.join(", ")} to ${any.join(", ")}.`,
        );
      }
    }
  },
};

/** The gateway subnet NSG admits GatewayManager 65200-65535 and AzureLoadBalancer, or the gateway fails. */
export const nsgGatewayInfrastructureRules: ResourceValidationPolicy = {
  name: "nsg-gateway-infrastructure-rules",
  description:
    "The gateway subnet NSG must admit TCP 65200-65535 from GatewayManager and traffic from AzureLoadBalancer, or Application Gateway v2 stops working.",
  enforcementLevel: "mandatory",
  severity: "high",
  tags: ["vantagepoint-connect", "P1"],
  remediationSteps:
    "Add AllowGatewayManager (TCP 65200-65535 from GatewayManager) and AllowAzureLoadBalancer rules before any broad Deny.",
  validateResource: (args, reportViolation) => {
    if (args.type !== TYPE.nsg) return;
    if (!underComponent(args.urn, COMPONENT.allowList, COMPONENT.publicEndpoint)) {
      args.notApplicable(
        "Only the gateway subnet NSG (inside ConnectAllowList or PublicEndpoint) is checked.",
      );
    }
    const rules = nsgRules(args.props);
    const gm = admitsTag(rules, "GatewayManager", GATEWAY_PORTS);
    if (!gm.admitted) {
      reportViolation(
        `NSG '${args.name}' must admit TCP 65200-65535 from GatewayManager; ${gm.deniedBy} blocks it.`,
      );
    }
    const lb = admitsTag(rules, "AzureLoadBalancer", { start: 0n, end: 65535n });
    if (!lb.admitted) {
      reportViolation(
        `NSG '${args.name}' must admit AzureLoadBalancer (health probes); ${lb.deniedBy} blocks it.`,
      );
    }
  },
};

/** The allow list's policies. */
export const allowListPolicies = [
  connectIpsAllowed,
  connectIpsReviewedCopy,
  allowListNoAnySource,
  nsgNoOpenManagementPorts,
  nsgGatewayInfrastructureRules,
];
