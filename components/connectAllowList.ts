/**
 * ConnectAllowList (P2): who may reach the public endpoint. Validates Connect's published addresses and any
 * extra ranges, folds them into a minimal CIDR cover, and writes them where the stack says to enforce them:
 * an NSG for the gateway subnet and/or a WAF policy custom rule.
 */
import * as pulumi from "@pulumi/pulumi";
import { allowListArgsProblems } from "../lib/site/check";
import { checkArgs } from "./argsCheck";
import * as network from "@pulumi/azure-native/network";
import {
  allowListResourceNames,
  DEFAULT_MANAGED_RULE_SET,
  managedRuleSetProblem,
  planAllowList,
} from "../lib/allowListPlan";
import type { AllowListInput, AllowListPlan, EnforceAt, ManagedRuleSet } from "../lib/allowListPlan";
import { wafPolicySettings, wafSettingsProblems } from "../lib/waf";
import type { WafSettings } from "../lib/waf";

/** Where the allow list is enforced. */
export const AllowListEnforcement = { Both: "both", Nsg: "nsg", Waf: "waf" } as const;
/** "both" (default): the gateway subnet's NSG and the WAF policy; "nsg" or "waf": only one of them. */
export type AllowListEnforcement = (typeof AllowListEnforcement)[keyof typeof AllowListEnforcement];

/** Who may reach the public URL. */
export const Audience = { AllowList: "allowList", Anyone: "anyone" } as const;
/** "allowList" (the listed ranges only) or "anyone" (through the WAF's managed rules). */
export type Audience = (typeof Audience)[keyof typeof Audience];

export interface ConnectAllowListArgs {
  /** Connect's outbound addresses as Deltek publishes them (addresses or CIDR ranges). */
  readonly connectIps: pulumi.Input<string[]>;
  /** Further sources allowed to reach Vantagepoint (e.g. the office's public range). */
  readonly extraRanges?: pulumi.Input<string[]>;
  /** Where the allow list is enforced: the gateway subnet's NSG, the WAF policy, or both (default "both"). */
  readonly enforceAt?: pulumi.Input<AllowListEnforcement>;
  /** Admit private and reserved ranges (only when Connect reaches the site over a private path). */
  readonly allowPrivateRanges?: pulumi.Input<boolean>;
  /**
   * "allowList" (default): only the listed ranges reach the gateway. "anyone": people from anywhere, through the
   * WAF's managed rules: the NSG admits the web ports from the Internet and there is no WAF allow-list rule.
   */
  readonly audience?: Audience;
  /** Resource group for the NSG and WAF policy. */
  readonly resourceGroupName: pulumi.Input<string>;
  /** Azure region. */
  readonly location: pulumi.Input<string>;
  /** Prefix for the NSG's and WAF policy's names, e.g. "vp-prod" (default the component's name). */
  readonly namePrefix?: string;
  /** Managed rule set for the WAF policy (default OWASP 3.2). */
  readonly managedRuleSet?: ManagedRuleSet;
  /** WAF mode (default Detection as Microsoft advises for untuned rules; Prevention with enforceAt "waf"), body limits, rule exclusions. */
  readonly waf?: WafSettings;
  /** Azure tags. */
  readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/** Who may reach the public endpoint: Connect's published addresses as an NSG and a WAF policy rule (P2). */
export class ConnectAllowList extends pulumi.ComponentResource {
  /** The merged ranges actually enforced. */
  declare public readonly effectiveRanges: pulumi.Output<string[]>;
  /** The gateway subnet's NSG (associate it with the subnet). */
  declare public readonly nsgId: pulumi.Output<string>;
  /** The WAF policy for the Application Gateway. */
  declare public readonly wafPolicyId: pulumi.Output<string>;

  constructor(name: string, args: ConnectAllowListArgs, opts?: pulumi.ComponentResourceOptions) {
    // Checked before super(): bad input registers nothing; every problem at once, named by arg.
    const argsChecked = checkArgs(
      "ConnectAllowList",
      name,
      {
        connectIps: args.connectIps,
        extraRanges: args.extraRanges,
        enforceAt: args.enforceAt,
        allowPrivateRanges: args.allowPrivateRanges,
        audience: args.audience,
        resourceGroupName: args.resourceGroupName,
        location: args.location,
      },
      allowListArgsProblems,
    );
    const ruleSet = args.managedRuleSet ?? DEFAULT_MANAGED_RULE_SET;
    const ruleSetProblem = managedRuleSetProblem(ruleSet);
    if (ruleSetProblem) throw new Error(ruleSetProblem);
    const wafProblems = wafSettingsProblems(args.waf ?? {}, "waf", {
      enforceAt: typeof args.enforceAt === "string" ? args.enforceAt : undefined,
      audience: args.audience,
      enforceAtKey: "enforceAt",
    });
    if (wafProblems.length > 0) {
      throw new pulumi.RunError(`allow list: ${wafProblems.map((p) => `${p.key}: ${p.message}`).join("; ")}`);
    }
    const planned = planFromArgs(
      args.audience === "anyone" ? { ...args, enforceAt: "waf" } : args,
      argsChecked,
    );
    const plan = args.audience === "anyone" ? planned.apply((p) => ({ ...p, wafCustomRules: [] })) : planned;
    super("vantagepoint-connect:index:ConnectAllowList", name, {}, opts);
    const names = allowListResourceNames(args.namePrefix ?? name);

    const nsg = new network.NetworkSecurityGroup(
      `${name}-nsg`,
      {
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        networkSecurityGroupName: names.nsgName,
        securityRules: plan.apply((p) => p.securityRules),
        tags: args.tags,
      },
      { parent: this },
    );

    const waf = new network.WebApplicationFirewallPolicy(
      `${name}-waf`,
      {
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        policyName: names.wafPolicyName,
        policySettings: wafPolicySettings(args.waf, {
          enforceAt: typeof args.enforceAt === "string" ? args.enforceAt : undefined,
          audience: args.audience,
        }),
        managedRules: {
          managedRuleSets: [{ ruleSetType: ruleSet.type, ruleSetVersion: ruleSet.version }],
          ...(args.waf?.exclusions?.length ? { exclusions: args.waf.exclusions.map((e) => ({ ...e })) } : {}),
        },
        customRules: plan.apply((p) => p.wafCustomRules),
        tags: args.tags,
      },
      { parent: this },
    );

    this.effectiveRanges = plan.apply((p) => p.effectiveRanges);
    this.nsgId = nsg.id;
    this.wafPolicyId = waf.id;
    this.registerOutputs({
      effectiveRanges: this.effectiveRanges,
      nsgId: this.nsgId,
      wafPolicyId: this.wafPolicyId,
      argsChecked,
    });
  }
}

/** Plans synchronously when every input is a plain value (errors then throw from the constructor). */
function planFromArgs(
  args: ConnectAllowListArgs,
  checked: pulumi.Output<boolean>,
): pulumi.Output<AllowListPlan> {
  const inputs = [args.connectIps, args.extraRanges, args.enforceAt, args.allowPrivateRanges] as const;
  const toInput = (c: unknown, e: unknown, at: unknown, p: unknown): AllowListInput => ({
    connectIps: c as string[],
    extraRanges: e as string[] | undefined,
    enforceAt: (at ?? "both") as EnforceAt,
    allowPrivateRanges: p as boolean | undefined,
  });
  if (inputs.every(isPlain)) return pulumi.output(planAllowList(toInput(...inputs)));
  // After the args check: a value that arrived as an Output fails with its message, not the planner's.
  return pulumi
    .all([args.connectIps, args.extraRanges, args.enforceAt, args.allowPrivateRanges, checked])
    .apply(([c, e, at, p]) => planAllowList(toInput(c, e, at, p)));
}

function isPlain(value: unknown): boolean {
  if (pulumi.Output.isInstance(value) || value instanceof Promise) return false;
  if (Array.isArray(value)) return value.every(isPlain);
  return true;
}
