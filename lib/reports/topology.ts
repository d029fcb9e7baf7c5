/* eslint-disable @typescript-eslint/no-explicit-any -- resource inputs, outputs and schemas here are untyped JSON (as in pulumi.dynamic.ResourceProvider) */
/**
 * The site's topology, read from the captured resources: Internet -> allow list (NSG, WAF) -> Application
 * Gateway -> Vantagepoint, the Entra apps, the roster. Used by the Markdown (Mermaid) and HTML reports. Pure.
 */
import { rosterPeopleCount } from "../vantagepoint/rosterText";
import type { CheckReport, ReportResource } from "./model";

export interface Topology {
  publicIp?: string;
  nsg?: { name: string; rules: number; allowedSources: number };
  waf?: { name: string; mode: string; ranges: number };
  gateway?: { name: string; tier: string; listeners: string[] };
  backend: string[];
  publicUrl?: string;
  entraApps: string[];
  keyVault?: string;
  roster?: { people: number; linked?: number; configurer?: string };
  adminRole?: string;
  apiClient?: { name: string; protect: boolean };
}

type Props = Record<string, any>;
const arr = (v: unknown): any[] => (Array.isArray(v) ? v : []);
const byType = (report: CheckReport, type: string) => report.resources.filter((r) => r.type === type);
const dynamic = (report: CheckReport, kind: string): ReportResource | undefined =>
  report.resources.find((r) => r.type === "pulumi-nodejs:dynamic:Resource" && r.inputs.vpconnectResource === kind);

export function topologyOf(report: CheckReport): Topology {
  const t: Topology = { backend: [], entraApps: [] };
  const ip = byType(report, "azure-native:network:PublicIPAddress")[0];
  if (ip) t.publicIp = ip.name;
  const nsg = byType(report, "azure-native:network:NetworkSecurityGroup")[0];
  if (nsg) {
    const rules = arr((nsg.inputs as Props).securityRules);
    const allowedSources = rules
      .filter((r) => r.access === "Allow" && r.direction !== "Outbound")
      .reduce((n, r) => n + arr(r.sourceAddressPrefixes).length + (r.sourceAddressPrefix ? 1 : 0), 0);
    t.nsg = { name: nsg.name, rules: rules.length, allowedSources };
  }
  const waf = byType(report, "azure-native:network:WebApplicationFirewallPolicy")[0];
  if (waf) {
    const p = waf.inputs as Props;
    const ranges = arr(p.customRules)
      .flatMap((r) => arr(r.matchConditions))
      .reduce((n, c) => n + arr(c.matchValues).length, 0);
    t.waf = { name: waf.name, mode: String(p.policySettings?.mode ?? "?"), ranges };
  }
  const gw = byType(report, "azure-native:network:ApplicationGateway")[0];
  if (gw) {
    const p = gw.inputs as Props;
    t.gateway = { name: gw.name, tier: String(p.sku?.tier ?? p.sku?.name ?? "?"), listeners: arr(p.httpListeners).map((l) => String(l.protocol)) };
    for (const pool of arr(p.backendAddressPools)) {
      for (const a of arr(pool.backendAddresses)) t.backend.push(String(a.ipAddress ?? a.fqdn));
    }
  }
  const url = report.outputs.publicUrl;
  if (typeof url === "string") t.publicUrl = url;
  t.entraApps = byType(report, "azuread:index/application:Application").map((a) => String((a.inputs as Props).displayName ?? a.name));
  const vault = byType(report, "azure-native:keyvault:Vault")[0];
  if (vault) t.keyVault = String((vault.inputs as Props).vaultName ?? vault.name);
  const roster = dynamic(report, "ConnectRoster");
  // A roster in shards is several resources: count every shard's entries.
  const entries = report.resources
    .filter((r) => r.type === "pulumi-nodejs:dynamic:Resource" && r.inputs.vpconnectResource === "ConnectRoster")
    .reduce((n, r) => n + (rosterPeopleCount((r.inputs as Props).entries) ?? 0), 0);
  if (report.roster || roster) {
    t.roster = {
      people: report.roster?.people ?? entries,
      ...(report.roster?.linked !== undefined ? { linked: report.roster.linked } : {}),
      ...(report.roster?.configurer ? { configurer: report.roster.configurer } : {}),
    };
  }
  const role = dynamic(report, "ConnectAdminRole");
  if (role) t.adminRole = String((role.inputs as Props).role ?? "");
  const client = dynamic(report, "ConnectApiClient");
  if (client) t.apiClient = { name: String((client.inputs as Props).name ?? client.name), protect: client.protect };
  return t;
}

/** Mermaid's entity codes for what could end a quoted label, open a shape or an entity, or make markup. */
const MERMAID_CODES: Readonly<Record<string, string>> = { '"': "#quot;", "<": "#lt;", ">": "#gt;", "&": "#amp;" };

/**
 * A quoted Mermaid node label: control characters and newlines become spaces; quotes, brackets, braces,
 * parentheses, `<` `>` `&` `;` `|` backticks and `#` (which would start an entity code) become entity codes
 * (`#quot;`, `#35;`), which Mermaid shows as the character.
 */
export function mermaidLabel(text: string): string {
  const encoded = text
    .replace(/[\u0000-\u001f\u007f]/g, " ")
    .replace(/["#&<>[\](){};|`]/g, (c) => MERMAID_CODES[c] ?? `#${c.charCodeAt(0)};`);
  return `"${encoded}"`;
}

/** Mermaid flowchart source (labels quoted and escaped). */
export function mermaid(t: Topology): string {
  const label = mermaidLabel;
  const lines = ["flowchart LR"];
  lines.push(`  internet((${label("Internet / Connect")}))`);
  let previous = "internet";
  if (t.nsg) {
    lines.push(`  nsg[${label(`NSG ${t.nsg.name}: ${t.nsg.allowedSources} allowed sources`)}]`);
    lines.push(`  ${previous} --> nsg`);
    previous = "nsg";
  }
  if (t.waf) {
    lines.push(`  waf[${label(`WAF ${t.waf.mode}: ${t.waf.ranges} allowed ranges`)}]`);
    lines.push(`  ${previous} --> waf`);
    previous = "waf";
  }
  if (t.gateway) {
    lines.push(`  gw[${label(`Application Gateway ${t.gateway.tier} (${t.gateway.listeners.join("/")})${t.publicUrl ? ` ${t.publicUrl}` : ""}`)}]`);
    lines.push(`  ${previous} --> gw`);
    previous = "gw";
  }
  const vp = [`Vantagepoint${t.backend.length ? ` ${t.backend.join(", ")}` : ""}`];
  if (t.adminRole) vp.push(`role ${t.adminRole}`);
  if (t.apiClient) vp.push(`API client ${t.apiClient.name}${t.apiClient.protect ? " (protected)" : ""}`);
  lines.push(`  vp[${label(vp.join(" / "))}]`);
  lines.push(`  ${previous} --> vp`);
  if (t.roster) {
    const linked = t.roster.linked !== undefined ? `, ${t.roster.linked} linked` : "";
    lines.push(`  roster[${label(`Roster: ${t.roster.people} people${linked}${t.roster.configurer ? `, configurer ${t.roster.configurer}` : ""}`)}]`);
    lines.push("  vp --- roster");
  }
  t.entraApps.forEach((app, i) => {
    lines.push(`  entra${i}[${label(`Entra app: ${app}`)}]`);
    lines.push(`  entra${i} -.-> ${i === 0 ? "vp" : "internet"}`);
  });
  if (t.keyVault) {
    lines.push(`  kv[(${label(`Key Vault ${t.keyVault}`)})]`);
    lines.push(`  kv -.-> ${t.gateway ? "gw" : "vp"}`);
  }
  return lines.join("\n");
}
