// Policies on the allow list in front of the gateway: the NSG on the gateway subnet and the WAF custom rule.
import { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { parseCidr } from "../lib/cidr";
import { configOf, arr, COMPONENT, TYPE, underComponent, Props } from "./lib/props";
import { admitsTag, hasPort, isAnySource, NsgRule, nsgRules, toRule } from "./lib/nsg";
import { defaultsFor, schemaFor } from "./config";
import { readConnectIpsCopy } from "./lib/connectIpsCopy";
import { connectIpsAllowed } from "./connectIpsAllowed";
import {
  describePorts,
  GATEWAY_PORTS,
  onlyGatewayPorts,
  PACK_DIR,
  UPDATE_HINT,
  wafRules,
} from "./allowListShared";

export { CONNECT_PORT, connectIpsAllowed } from "./connectIpsAllowed";
export { GATEWAY_PORTS } from "./allowListShared";

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
