/** Helpers the allow list policies share: gateway ports, WAF custom rules, the pack folder and the update hint. */
import { arr, str, Props } from "./lib/props";
import { NsgRule } from "./lib/nsg";
import { packFolderOf } from "./lib/connectIpsCopy";

/** The ports Application Gateway v2 itself needs inbound (from GatewayManager). */
export const GATEWAY_PORTS = { start: 65200n, end: 65535n };

/** Whether every destination port of a rule lies in the gateway's own 65200-65535 range. */
export function onlyGatewayPorts(rule: NsgRule): boolean {
  return rule.ports.every((p) => p.start >= GATEWAY_PORTS.start && p.end <= GATEWAY_PORTS.end);
}

export function describePorts(rule: NsgRule): string {
  return rule.ports
    .map((p) =>
      p.start === p.end ? `${p.start}` : p.start === 0n && p.end === 65535n ? "*" : `${p.start}-${p.end}`,
    )
    .join(",");
}

/** A WAF custom rule, reduced to what the allow list checks need. */
export interface WafRule {
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

export function wafRules(props: Props): WafRule[] {
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

/** The folder this pack runs from: its reviewed copy of Connect's addresses sits there. */
export const PACK_DIR = packFolderOf(__dirname);

/** How to replace the copy, for messages. */
export const UPDATE_HINT =
  "save Deltek's 'Exposed IP Addresses' topic and run `vpconnect ips update --from <saved page> --reviewed-by <name> --write`";
