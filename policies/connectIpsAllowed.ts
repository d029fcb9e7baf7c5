/** The connect-ips-allowed policy (P2): the NSG and the WAF admit exactly Connect's reviewed addresses. */
import { extraAllowedRangeProblem } from "../lib/packConfigRules";
import { StackValidationPolicy } from "@pulumi/policy";
import { Cidr, CidrSet, overlaps, parseCidr } from "../lib/cidr";
import { configOf, arr, COMPONENT, listSome, ResourceLike, str, TYPE, underComponent } from "./lib/props";
import { admitsRange, isAnySource, nsgRules, toRule } from "./lib/nsg";
import { defaultsFor, schemaFor } from "./config";
import { describeCopy, readConnectIpsCopy } from "./lib/connectIpsCopy";
import { describePorts, onlyGatewayPorts, PACK_DIR, UPDATE_HINT, wafRules } from "./allowListShared";

/** The TCP port Connect reaches Vantagepoint on. */
export const CONNECT_PORT = 443;
/** Service tags the gateway needs; allow rules from them are infrastructure, not the allow list. */
const INFRASTRUCTURE_TAGS = new Set(["gatewaymanager", "azureloadbalancer"]);

/** Resources of `type`, preferring those inside this project's components. */
function inScope(resources: readonly ResourceLike[], type: string): ResourceLike[] {
  const all = resources.filter((r) => r.type === type);
  const ours = all.filter((r) =>
    underComponent(r.urn, COMPONENT.allowList, COMPONENT.publicEndpoint, COMPONENT.site),
  );
  return ours.length > 0 ? ours : all;
}

const CONNECT_IPS_KEYS = [
  "connectIpsFile",
  "extraAllowedRanges",
  "widestPrefixV4",
  "widestPrefixV6",
] as const;

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
