/**
 * The allow list as Azure rules: validates Connect's published addresses and any extra ranges, folds them into
 * a minimal CIDR cover and packs them into NSG security rules and a WAF custom rule. Pure (no Pulumi import):
 * the ConnectAllowList component is the thin wiring around planAllowList.
 */
import { chunkForNsg, chunkForWaf, mergeRanges, parseRange, rangeProblem } from "./allowList";

export type EnforceAt = "nsg" | "waf" | "both";
export const ENFORCE_AT: readonly EnforceAt[] = ["nsg", "waf", "both"];

/** NSG rule names and priorities policies and tests rely on (docs/design.md). */
export const NSG_RULES = {
  gatewayManager: { name: "AllowGatewayManager", priority: 100 },
  azureLoadBalancer: { name: "AllowAzureLoadBalancer", priority: 110 },
  /** AllowConnect-1, AllowConnect-2, ... from this priority up. */
  connect: { namePrefix: "AllowConnect-", firstPriority: 200 },
  /** With enforceAt "waf" only: the NSG admits the web ports from anywhere and the WAF does the filtering. */
  internetWeb: { name: "AllowInternetWeb", priority: 200 },
  denyInternet: { name: "DenyInternetInbound", priority: 4096 },
} as const;

/** The WAF custom rule that blocks everything outside the allow list. */
export const WAF_ALLOW_LIST_RULE = { name: "ConnectAllowList", priority: 10 } as const;

/** Web ports the gateway listens on (HTTPS, and HTTP only to redirect). */
export const WEB_PORTS = ["443", "80"] as const;

export interface ManagedRuleSet {
  /** "OWASP" or "Microsoft_DefaultRuleSet". */
  type: string;
  /** e.g. "3.2" for OWASP, "2.1" for Microsoft_DefaultRuleSet. */
  version: string;
}

export const DEFAULT_MANAGED_RULE_SET: ManagedRuleSet = { type: "OWASP", version: "3.2" };

/** What the allow list is built from (the pure part of ConnectAllowListArgs). */
export interface AllowListInput {
  connectIps: readonly string[];
  extraRanges?: readonly string[];
  enforceAt: EnforceAt;
  allowPrivateRanges?: boolean;
}

/** NSG rule as the azure-native NetworkSecurityGroup takes it inline. */
export interface NsgRule {
  name: string;
  priority: number;
  direction: "Inbound";
  access: "Allow" | "Deny";
  protocol: "Tcp" | "*";
  sourcePortRange: "*";
  sourceAddressPrefix?: string;
  sourceAddressPrefixes?: string[];
  destinationAddressPrefix: "*";
  destinationPortRange?: string;
  destinationPortRanges?: string[];
  description: string;
}

export interface WafCustomRule {
  name: string;
  priority: number;
  ruleType: "MatchRule";
  action: "Block";
  state: "Enabled";
  matchConditions: Array<{
    matchVariables: Array<{ variableName: "RemoteAddr" }>;
    operator: "IPMatch";
    negationConditon: true;
    matchValues: string[];
  }>;
}

export interface AllowListPlan {
  /** The merged ranges (minimal CIDR cover), IPv4 first. */
  effectiveRanges: string[];
  securityRules: NsgRule[];
  /** Empty with enforceAt "nsg". */
  wafCustomRules: WafCustomRule[];
}

/**
 * Validates, merges and packs the allow list. Pure. Throws one error listing every problem, each naming the
 * argument and index (`connectIps[3]: "10.0.0.0/33" is not a CIDR ...`), or the limit that was passed.
 */
export function planAllowList(input: AllowListInput): AllowListPlan {
  const problems: string[] = [];
  if (!ENFORCE_AT.includes(input.enforceAt)) {
    problems.push(`enforceAt: ${JSON.stringify(input.enforceAt)} is not one of ${ENFORCE_AT.join(", ")}`);
  }
  if (!Array.isArray(input.connectIps) || input.connectIps.length === 0) {
    problems.push(
      "connectIps: the list is empty; add the addresses Deltek publishes for Connect (the 'Exposed IP Addresses' help topic)",
    );
  }
  const valid: string[] = [];
  const check = (field: string, list: readonly string[] | undefined) => {
    (list ?? []).forEach((text, i) => {
      const parsed = parseRange(text);
      if ("error" in parsed) {
        problems.push(`${field}[${i}]: ${parsed.error}`);
        return;
      }
      const problem = rangeProblem(parsed, { allowPrivate: input.allowPrivateRanges === true });
      if (problem) problems.push(`${field}[${i}]: ${problem}`);
      else valid.push(parsed.cidr);
    });
  };
  check("connectIps", Array.isArray(input.connectIps) ? input.connectIps : []);
  if (input.extraRanges !== undefined && !Array.isArray(input.extraRanges)) {
    problems.push("extraRanges: expected a list of addresses or ranges");
  } else {
    check("extraRanges", input.extraRanges);
  }
  if (problems.length > 0) throw new Error(`allow list: ${problems.join("; ")}`);

  const effectiveRanges = mergeRanges(valid);
  const enforceNsg = input.enforceAt !== "waf";
  const enforceWaf = input.enforceAt !== "nsg";
  try {
    // Application Gateway WAF custom rules match IPv4 only: IPv6 IPMatch values are refused
    // (ApplicationGatewayFirewallConditionIPv6AddressNotSupportedForAPIVersion, terraform-provider-azurerm#25502).
    // IPv6 sources are admitted by the NSG alone; with an IPv6 frontend enforceAt "waf" is refused (lib/gatewayRules).
    const wafRanges = wafMatchRanges(effectiveRanges);
    if (enforceWaf && wafRanges.length === 0) {
      throw new Error(
        'the WAF custom rule matches IPv4 only and the list holds no IPv4 range; add Connect\'s IPv4 ranges, or set enforceAt: "nsg"',
      );
    }
    const wafChunks = enforceWaf ? chunkForWaf(wafRanges) : [];
    const nsgChunks = enforceNsg ? chunkForNsg(effectiveRanges) : [];
    return {
      effectiveRanges,
      securityRules: nsgRules(
        nsgChunks.map((c) => c.prefixes),
        enforceNsg,
      ),
      wafCustomRules: enforceWaf ? [wafRule(wafChunks)] : [],
    };
  } catch (err) {
    throw new Error(`allow list (enforceAt: ${input.enforceAt}): ${(err as Error).message}`);
  }
}

function nsgRules(chunks: string[][], enforceNsg: boolean): NsgRule[] {
  const base = { direction: "Inbound", sourcePortRange: "*", destinationAddressPrefix: "*" } as const;
  const rules: NsgRule[] = [
    {
      ...base,
      ...NSG_RULES.gatewayManager,
      access: "Allow",
      protocol: "Tcp",
      sourceAddressPrefix: "GatewayManager",
      destinationPortRange: "65200-65535",
      description: "Application Gateway v2 infrastructure traffic (required)",
    },
    {
      ...base,
      ...NSG_RULES.azureLoadBalancer,
      access: "Allow",
      protocol: "*",
      sourceAddressPrefix: "AzureLoadBalancer",
      destinationPortRange: "*",
      description: "Azure load balancer health probes (required)",
    },
  ];
  if (enforceNsg) {
    chunks.forEach((prefixes, i) =>
      rules.push({
        ...base,
        name: `${NSG_RULES.connect.namePrefix}${i + 1}`,
        priority: NSG_RULES.connect.firstPriority + i,
        access: "Allow",
        protocol: "Tcp",
        sourceAddressPrefixes: prefixes,
        destinationPortRanges: [...WEB_PORTS],
        description: "Vantagepoint Connect and other allowed sources (allow list)",
      }),
    );
  } else {
    rules.push({
      ...base,
      ...NSG_RULES.internetWeb,
      access: "Allow",
      protocol: "Tcp",
      sourceAddressPrefix: "Internet",
      destinationPortRanges: [...WEB_PORTS],
      description: "Web ports from anywhere: the allow list is enforced by the WAF policy (enforceAt: waf)",
    });
  }
  rules.push({
    ...base,
    ...NSG_RULES.denyInternet,
    access: "Deny",
    protocol: "*",
    sourceAddressPrefix: "Internet",
    destinationPortRange: "*",
    description: "Everything else from the Internet",
  });
  return rules;
}

function wafRule(chunks: string[][]): WafCustomRule {
  return {
    ...WAF_ALLOW_LIST_RULE,
    ruleType: "MatchRule",
    action: "Block",
    state: "Enabled",
    matchConditions: chunks.map((matchValues) => ({
      matchVariables: [{ variableName: "RemoteAddr" }],
      operator: "IPMatch",
      negationConditon: true,
      matchValues,
    })),
  };
}

/** The ranges the WAF custom rule may hold: the IPv4 ones (WAF custom rules match IPv4 only). */
export function wafMatchRanges(ranges: readonly string[]): string[] {
  return ranges.filter((r) => !r.includes(":"));
}

/** Refuses managed rule sets older than OWASP 3.2 (the IPMatch limits and current protections need 3.2+). */
export function managedRuleSetProblem(set: ManagedRuleSet, field = "managedRuleSet"): string | undefined {
  if (set.type === "OWASP") {
    const [major, minor] = set.version.split(".").map(Number);
    if (major === undefined || minor === undefined || Number.isNaN(major) || Number.isNaN(minor)) {
      return `${field}.version: ${JSON.stringify(set.version)} is not a rule set version; expected e.g. "3.2"`;
    }
    if (major < 3 || (major === 3 && minor < 2)) {
      return `${field}: OWASP ${set.version} is not a current rule set; use OWASP 3.2 or Microsoft_DefaultRuleSet 2.1`;
    }
    return undefined;
  }
  if (set.type === "Microsoft_DefaultRuleSet") return undefined;
  return `${field}.type: ${JSON.stringify(set.type)} is not a managed rule set; use "OWASP" (3.2) or "Microsoft_DefaultRuleSet"`;
}

/** Azure names for the NSG and WAF policy (WAF policy names: letters, digits, underscores). */
export function allowListResourceNames(namePrefix: string): { nsgName: string; wafPolicyName: string } {
  return {
    nsgName: `${namePrefix}-appgw-nsg`,
    wafPolicyName: `${namePrefix.replace(/[^A-Za-z0-9_]/g, "_")}_waf_policy`,
  };
}
