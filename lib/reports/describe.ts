/* eslint-disable @typescript-eslint/no-explicit-any -- resource inputs, outputs and schemas here are untyped JSON (as in pulumi.dynamic.ResourceProvider) */
/** Short, human descriptions of captured resources for the table, Markdown and HTML reports. Pure. */
import { rosterPeopleCount } from "../vantagepoint/rosterText";
import { PREREQUISITES, policyChecked } from "./model";
import type { CheckReport, ReportPolicy, ReportResource } from "./model";

type Props = Record<string, any>;
const arr = (v: unknown): any[] => (Array.isArray(v) ? v : []);

/** The settings of a resource that matter to Connect, in a few words. */
export function keySettings(r: ReportResource): string {
  const p = r.inputs as Props;
  switch (r.type) {
    case "pulumi:pulumi:Stack":
      return "the stack";
    case "azure-native:network:PublicIPAddress":
      return join([p.sku?.name && `sku ${p.sku.name}`, p.publicIPAllocationMethod && `${p.publicIPAllocationMethod}`]);
    case "azure-native:network:ApplicationGateway": {
      const listeners = arr(p.httpListeners).map((l) => l.protocol).join("+");
      return join([p.sku?.tier, listeners && `listeners ${listeners}`, p.sslPolicy?.policyName ?? p.sslPolicy?.minProtocolVersion, p.firewallPolicy?.id ? "WAF policy attached" : undefined]);
    }
    case "azure-native:network:WebApplicationFirewallPolicy": {
      const rules = arr(p.customRules);
      const values = rules.flatMap((x) => arr(x.matchConditions)).reduce((n, c) => n + arr(c.matchValues).length, 0);
      return join([p.policySettings?.mode, p.policySettings?.state, `${rules.length} custom rule${rules.length === 1 ? "" : "s"}`, values ? `${values} allowed ranges` : undefined]);
    }
    case "azure-native:network:NetworkSecurityGroup": {
      const rules = arr(p.securityRules);
      const sources = rules.filter((x) => x.access === "Allow").reduce((n, x) => n + arr(x.sourceAddressPrefixes).length + (x.sourceAddressPrefix ? 1 : 0), 0);
      return join([`${rules.length} rules`, `${sources} allowed sources`]);
    }
    case "azure-native:network:Subnet":
      return join([p.addressPrefix, p.networkSecurityGroup?.id ? "NSG attached" : undefined]);
    case "azure-native:network:VirtualNetwork":
      return join(arr(p.addressSpace?.addressPrefixes));
    case "azure-native:keyvault:Vault":
      return join([
        p.properties?.enableRbacAuthorization ? "RBAC" : undefined,
        p.properties?.enablePurgeProtection ? "purge protection" : undefined,
        p.properties?.softDeleteRetentionInDays && `soft delete ${p.properties.softDeleteRetentionInDays}d`,
      ]);
    case "azure-native:keyvault:Secret":
      return join([p.secretName, p.properties?.attributes?.expires && `expires ${isoFromUnix(p.properties.attributes.expires)}`]);
    case "azuread:index/application:Application":
      return join([p.displayName, ...arr(p.web?.redirectUris).map((u) => `redirect ${u}`)]);
    case "azuread:index/applicationPassword:ApplicationPassword":
      return join([p.endDate && `ends ${String(p.endDate).slice(0, 10)}`]);
    case "command:local:Command": {
      const script = typeof p.create === "string" ? p.create : "";
      const wait = /setTimeout\(\(\) => \{\}, (\d+)\)/.exec(script);
      if (wait) return `runs on deploy: waits ${Number(wait[1]) / 1000} s`;
      // The grant wait (lib/publicEndpoint.ts GRANT_WAIT_SCRIPT) takes its seconds from the environment.
      const env = (p.environment ?? {}) as Record<string, unknown>;
      if (/^\d+$/.test(String(env.VPC_GRANT_WAIT_SECONDS ?? "")))
        return `runs on deploy: waits ${String(env.VPC_GRANT_WAIT_SECONDS)} s for the Key Vault role assignment`;
      if (/randomBytes\(3\)/.test(script)) return "runs on deploy once: a random 6-hex-digit vault name suffix";
      return join([script && `runs on deploy: ${script.split(/[\\/]/).pop()}`, arr(p.triggers).length ? `re-runs when ${arr(p.triggers).length} inputs change` : undefined]);
    }
    case "pulumi-nodejs:dynamic:Resource":
      return join([
        p.vpconnectResource,
        rosterPeopleCount(p.entries) !== undefined ? `${rosterPeopleCount(p.entries)} people` : undefined,
        p.role && `role ${p.role}`,
        typeof p.name === "string" ? p.name : undefined,
        r.protect ? "protected" : undefined,
        r.retainOnDelete ? "retained on delete" : undefined,
      ]);
    default:
      return r.custom ? "" : "(component)";
  }
}

/** A readable type: the token's last part (`azure-native:network:PublicIPAddress` -> `network:PublicIPAddress`). */
export function shortType(type: string): string {
  if (type === "pulumi-nodejs:dynamic:Resource") return "dynamic";
  const parts = type.split(":");
  if (parts[0] === "azuread") return `azuread:${(parts[2] ?? type).split("/").pop()}`;
  // A provider whose module is "index" (random:index/randomString:RandomString): package and resource name.
  if (parts[1]?.startsWith("index/")) return `${parts[0]}:${parts[2] ?? type}`;
  return parts.slice(1).join(":") || type;
}

export function statusOf(p: ReportPolicy, hasBlocking: boolean): "PASS" | "FAIL" | "WARN" | "ERROR" | "SKIP" {
  if (p.level === "disabled") return "SKIP";
  if (p.results.errors > 0) return "ERROR";
  if (p.results.violations > 0) return hasBlocking ? "FAIL" : "WARN";
  if (!policyChecked(p)) return "SKIP";
  return "PASS";
}

/** Whether a policy's result came from the emulator's demo data (an emulated run, a P3..P6 policy). */
export function emulatedPolicy(report: Pick<CheckReport, "emulator">, p: Pick<ReportPolicy, "prerequisite">): boolean {
  return report.emulator !== undefined && PREREQUISITES.some((x) => x.id === p.prerequisite && x.fromVantagepoint);
}

/** What a policy checked, in a few words: "3 of 32 resources checked, 0 violations", "stack checked, ...". */
export function checkedDetail(report: Pick<CheckReport, "resources">, p: ReportPolicy): string {
  const violations = `${p.results.violations} violation${p.results.violations === 1 ? "" : "s"}`;
  if (!policyChecked(p)) return `not checked: ${p.notChecked ?? "it examined no resource"}`;
  if (p.kind === "stack") return `stack checked (${p.applicable} resource${p.applicable === 1 ? "" : "s"} read), ${violations}`;
  return `${p.applicable} of ${report.resources.length} resources checked, ${violations}`;
}

function join(parts: unknown[]): string {
  return parts.filter((x) => x !== undefined && x !== null && x !== "" && x !== false).map(String).join(", ");
}

function isoFromUnix(value: unknown): string {
  const n = Number(value);
  return Number.isFinite(n) ? new Date(n * 1000).toISOString().slice(0, 10) : String(value);
}
