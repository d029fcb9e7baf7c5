/**
 * Site shapes that deploy but cannot work, or cannot deploy at all, refused (or warned about) before anything is
 * created; and the defaults that depend on more than one key (how the gateway reaches the backend, the route
 * table, zones, locks, the vault firewall). Pure (no Pulumi import): the config loader calls the checks, and the
 * config-to-args mapping calls the resolvers, so `vpconnect check` and `pulumi up` agree.
 *
 * Facts and their sources: shared/reference/azure-facts.md, "What makes a first `pulumi up` fail".
 */
import { X509Certificate } from "node:crypto";
import { isIP } from "node:net";
import type { z } from "zod";
import { isCovered, parseRange, rangeProblem } from "../allowList";
import { LEGACY_ZONE_DEFAULT_REGIONS } from "../gatewayRules";
import type { sections } from "./schema";

/** How the gateway reaches site.backend.address. */
export const BACKEND_ROUTES = [
  /** The gateway goes into azure.network.existingVirtualNetwork, which already has the VPN/ExpressRoute path. */
  "existingVirtualNetwork",
  /** A new VNet peered to azure.network.hub, whose VPN/ExpressRoute gateway reaches on-premises. */
  "hubPeering",
  /** The backend is an Azure VM inside the new VNet's address space. */
  "sameVirtualNetwork",
  /** The backend has a public address the gateway reaches over the Internet. */
  "internet",
] as const;
export type BackendRoute = (typeof BACKEND_ROUTES)[number];

/**
 * The gateway subnet's route table. Application Gateway v2 does not support forced tunnelling (a 0.0.0.0/0 route to
 * an appliance or learned over BGP); 0.0.0.0/0 to Internet, or gateway route propagation off, are the supported
 * shapes (Microsoft: Application Gateway infrastructure configuration, supported user-defined routes).
 */
export const ROUTE_TABLE_MODES = ["internetDefaultRoute", "noRoutePropagation", "none"] as const;
export type RouteTableMode = (typeof ROUTE_TABLE_MODES)[number];

/**
 * A created vault's firewall. "trustedServices": deny by default, Azure services bypass (Key Vault recognises
 * Application Gateway as a trusted service through its user-assigned identity, Microsoft: "TLS termination with Key
 * Vault certificates"); "gatewaySubnet": that plus a VNet rule for the gateway subnet (service endpoint
 * Microsoft.KeyVault on the subnet); "open": all networks.
 */
export const VAULT_FIREWALL_MODES = ["trustedServices", "gatewaySubnet", "open"] as const;
export type VaultFirewallMode = (typeof VAULT_FIREWALL_MODES)[number];

/**
 * Regions with availability zones (Microsoft: "Azure regions with availability zone support", as of 2025): only
 * for a warning when zones are stated elsewhere; it never decides zones (lib/gatewayRules).
 */
export const ZONE_REGIONS: ReadonlySet<string> = LEGACY_ZONE_DEFAULT_REGIONS;

/** Key Vault secrets hold at most 25 KB (Microsoft: Key Vault service limits). */
export const KEY_VAULT_SECRET_MAX_BYTES = 25 * 1024;

type Out<K extends keyof typeof sections> = z.output<(typeof sections)[K]>;
type Partial5 = {
  site?: Out<"site">;
  azure?: Out<"azure">;
  tls?: Out<"tls">;
  allowList?: Out<"allowList">;
  entra?: Out<"entra">;
  vantagepoint?: Out<"vantagepoint">;
};
export type SiteShapeConfig = Partial5;
/** The sections the resolvers read, all parsed. */
export type FullSiteShapeConfig = Required<Pick<Partial5, "site" | "azure" | "tls" | "allowList">> &
  Pick<Partial5, "entra" | "vantagepoint">;

type Issue = { path: (string | number)[]; message: string };

// ---- resolvers (defaults that depend on more than one key) ----

/**
 * How the gateway reaches the backend: the configured `azure.network.backendRoute`, else inferred (existing VNet,
 * hub peering, the backend inside the new VNet, a public backend address). Undefined when nothing says how: a new,
 * isolated VNet with an on-premises backend, which the checks refuse.
 */
export function effectiveBackendRoute(c: {
  site: Pick<Out<"site">, "backend">;
  azure: Pick<Out<"azure">, "network">;
}): BackendRoute | undefined {
  const network = c.azure.network;
  if (network.backendRoute) return network.backendRoute;
  if (network.existingVirtualNetwork) return "existingVirtualNetwork";
  if (network.hub) return "hubPeering";
  const address = backendIp(c.site.backend.address);
  if (address === undefined) return undefined;
  if (isCovered([network.addressSpace], address)) return "sameVirtualNetwork";
  if (isPublicAddress(address)) return "internet";
  return undefined;
}

/** The gateway subnet's route table: the configured mode, else 0.0.0.0/0 to Internet where a default route can be learned. */
export function effectiveRouteTable(c: FullSiteShapeConfig): RouteTableMode {
  if (c.azure.network.routeTable) return c.azure.network.routeTable;
  const route = effectiveBackendRoute(c);
  return route === "hubPeering" || route === "existingVirtualNetwork" ? "internetDefaultRoute" : "none";
}

/**
 * Zones for the gateway and its public IP: `azure.zones` as stated, else none. Never chosen from the region: zones
 * cannot change after creation, so a default that moves would replace the gateway and its public IP. Where earlier
 * versions chose zones 1-3, the key must be stated (lib/gatewayRules zonesMustBeStated).
 */
export function gatewayZones(c: { azure: Pick<Out<"azure">, "zones" | "location"> }): string[] {
  return [...new Set(c.azure.zones ?? [])].sort();
}

/** True for a prod-like stack: tag `environment` is prod/production/prd/live, or the name prefix has a "prod" part. */
export function isProdLike(c: { azure: Pick<Out<"azure">, "tags" | "namePrefix"> }): boolean {
  const environment = Object.entries(c.azure.tags).find(([k]) => k.toLowerCase() === "environment")?.[1];
  if (environment && /^(prod|production|prd|live)$/i.test(environment.trim())) return true;
  return /(^|-)(prod|prd|production)(-|$)/.test(c.azure.namePrefix);
}

/** Management locks on the public IP, gateway and vault: `azure.locks`, else on for prod-like stacks. */
export function locksEnabled(c: { azure: Pick<Out<"azure">, "locks" | "tags" | "namePrefix"> }): boolean {
  return c.azure.locks ?? isProdLike(c);
}

/** A created vault's firewall: `tls.keyVault.firewall`, else trusted services only. Undefined for an existing vault. */
export function vaultFirewall(c: { tls: Pick<Out<"tls">, "keyVault"> }): VaultFirewallMode | undefined {
  if (!c.tls.keyVault.create) return undefined;
  return c.tls.keyVault.firewall ?? "trustedServices";
}

/**
 * True when the Vantagepoint API is reached through the public URL (its host is site.publicHostname): then the
 * roster, role and API client must wait for the gateway, its DNS record and the deploy-time verification.
 */
export function apiThroughPublicUrl(c: {
  site: Pick<Out<"site">, "publicHostname">;
  vantagepoint: Pick<Out<"vantagepoint">, "apiUrl">;
}): boolean {
  try {
    return new URL(c.vantagepoint.apiUrl).hostname.toLowerCase() === c.site.publicHostname.toLowerCase();
  } catch {
    return false;
  }
}

// ---- value checks used by the schema ----

/** Why `value` is not a full Azure resource id of `type`, or undefined. */
export function resourceIdProblem(value: string, type: string, what: string): string | undefined {
  const [namespace, kind] = type.split("/") as [string, string];
  const pattern = new RegExp(
    `^/subscriptions/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/resourceGroups/[^/]+/providers/${namespace.replace(".", "\\.")}/${kind}/[^/]+$`,
    "i",
  );
  if (pattern.test(value)) return undefined;
  return `${JSON.stringify(value)} is not a ${what} resource id; expected /subscriptions/<subscription id>/resourceGroups/<group>/providers/${type}/<name> (az resource show ... --query id)`;
}

/** The certificate's body as base64 DER (what Application Gateway's trustedRootCertificates[].data takes). */
export function pemToBase64Der(pem: string): string {
  return new X509Certificate(pem.trim()).raw.toString("base64");
}

/**
 * Why a trusted root certificate (PEM) cannot serve the gateway, or undefined. Application Gateway v2 trusts a
 * backend certificate signed by an internal CA only when that CA's certificate is uploaded as a trusted root
 * (Microsoft: "End-to-end TLS with Application Gateway v2").
 */
export function trustedRootProblem(pem: string, now = new Date()): string | undefined {
  const fix =
    "paste the root CA certificate of the internal CA that signed the server's certificate, PEM (export it as Base-64 X.509 .cer)";
  if (!/-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----/.test(pem)) {
    return `is not a PEM certificate ("-----BEGIN CERTIFICATE-----" ... "-----END CERTIFICATE-----"); ${fix}`;
  }
  if ((pem.match(/-----BEGIN CERTIFICATE-----/g) ?? []).length > 1) {
    return `holds more than one certificate; give one root per entry (${fix})`;
  }
  if (/PRIVATE KEY-----/.test(pem)) {
    return `contains a private key; never put a key here: ${fix}`;
  }
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pem.trim());
  } catch {
    return `does not parse as an X.509 certificate; ${fix}`;
  }
  if (!cert.ca) {
    return `is not a CA certificate (${cert.subject.replace(/\n/g, ", ")}): it looks like the server's own certificate; ${fix}`;
  }
  if (new Date(cert.validTo).getTime() < now.getTime()) {
    return `expired on ${new Date(cert.validTo).toISOString().slice(0, 10)}; ${fix}`;
  }
  return undefined;
}

/**
 * Why a PFX (base64) cannot be imported as the gateway's Key Vault secret, or undefined. Checks what can be checked
 * without the password: base64, a DER SEQUENCE (PKCS#12 starts with one), and the Key Vault secret size limit.
 */
export function pfxProblem(base64: string): string | undefined {
  const fix =
    "set it with pulumi config set --secret --path 'vpconnect:tls.pfx' \"$(base64 -w0 certificate.pfx)\"";
  const compact = base64.replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact) || compact.length % 4 !== 0) {
    return `is not base64; ${fix}`;
  }
  if (compact.startsWith("LS0tLS1CRUdJTi")) {
    return `is a PEM file in base64, not a PFX; convert it (openssl pkcs12 -export -in cert.pem -inkey key.pem -passout pass: -out certificate.pfx) and ${fix}`;
  }
  const bytes = Buffer.from(compact, "base64");
  if (bytes[0] !== 0x30) return `is not a PFX (PKCS#12) file; ${fix}`;
  if (compact.length > KEY_VAULT_SECRET_MAX_BYTES) {
    return `is ${compact.length} characters; a Key Vault secret holds at most 25 KB: drop unneeded chain certificates and ${fix}`;
  }
  return undefined;
}

// ---- cross checks ----

/**
 * Site shapes that cannot work, each at the key the person wrote and with a fix that passes. Each check runs when
 * the sections it reads parsed. `raw` is the unparsed input (for list items of sections that failed to parse).
 */
export function siteShapeIssues(
  _raw: Record<string, unknown>,
  c: SiteShapeConfig,
  now: Date = new Date(),
): Issue[] {
  const out: Issue[] = [];
  const issue = (path: (string | number)[], message: string) => out.push({ path, message });
  if (c.tls) certificateIssues(c.tls, issue, now);
  if (c.site && c.azure) networkIssues(c.site, c.azure, issue);
  if (c.site && c.allowList) allowListIssues(c.site, c.allowList, issue);
  if (c.site && c.azure) ipv6Issues(c.site, c.azure, issue);
  if (c.site) backendTlsIssues(c.site, issue);
  return out;
}

type Add = (path: (string | number)[], message: string) => void;

function certificateIssues(tls: Out<"tls">, issue: Add, now: Date): void {
  const importCommand =
    "pulumi config set --secret --path 'vpconnect:tls.pfx' \"$(base64 -w0 certificate.pfx)\"";
  if (tls.certificateSource === "keyVault" && tls.keyVault.create) {
    issue(
      ["tls", "certificateSource"],
      `"keyVault" with tls.keyVault.create: true cannot deploy: a new vault is empty, and Application Gateway fails to create a listener whose certificate it cannot read. Import the certificate here (tls.certificateSource: pfx, then ${importCommand}), or name an existing vault that already holds ${JSON.stringify(tls.certificateName)} (tls.keyVault.create: false)`,
    );
  }
  if (tls.certificateSource === "pfx" && !tls.pfx) {
    issue(
      ["tls", "pfx"],
      `is required with tls.certificateSource: pfx (the certificate for the public host name, a PFX without a password, base64); run ${importCommand}`,
    );
  }
  if (tls.certificateSource === "keyVault" && tls.pfx) {
    issue(
      ["tls", "pfx"],
      "is only imported with tls.certificateSource: pfx; set tls.certificateSource: pfx, or remove tls.pfx to use the existing Key Vault certificate",
    );
  }
  if (tls.certificateSource === "pfx" && !tls.certificateExpiresOn) {
    issue(
      ["tls", "certificateExpiresOn"],
      'is required with tls.certificateSource: pfx: the certificate\'s "valid to" date, YYYY-MM-DD (openssl pkcs12 -in certificate.pfx -nokeys -passin pass: | openssl x509 -noout -enddate); the imported secret carries it as its expiry',
    );
  }
  if (tls.certificateExpiresOn && tls.certificateSource !== "pfx") {
    issue(
      ["tls", "certificateExpiresOn"],
      "is only used with tls.certificateSource: pfx (a Key Vault certificate carries its own expiry); remove it",
    );
  }
  if (tls.certificateExpiresOn && Date.parse(`${tls.certificateExpiresOn}T23:59:59Z`) < now.getTime()) {
    issue(
      ["tls", "certificateExpiresOn"],
      `${tls.certificateExpiresOn} is in the past: the certificate has expired and Connect would refuse it; renew it, import the new PFX and set its date`,
    );
  }
  if (tls.pfx?.available) {
    const problem = pfxProblem(tls.pfx.reveal("tls.pfx"));
    if (problem) issue(["tls", "pfx"], problem);
  }
  if (tls.keyVault.uniqueName && !tls.keyVault.create) {
    issue(
      ["tls", "keyVault", "uniqueName"],
      "only applies to a vault this stack creates (tls.keyVault.create: true); an existing vault keeps its name: remove uniqueName",
    );
  }
  if (tls.keyVault.firewall && !tls.keyVault.create) {
    issue(
      ["tls", "keyVault", "firewall"],
      `only applies to a vault this stack creates; an existing vault's firewall belongs to its owner and is read at deploy time: remove firewall, and if the vault admits only selected networks ask its owner to allow trusted Microsoft services (az keyvault update --name ${tls.keyVault.name} --bypass AzureServices)`,
    );
  }
}

function networkIssues(site: Out<"site">, azure: Out<"azure">, issue: Add): void {
  const network = azure.network;
  const address = site.backend.address.trim();
  const ip = backendIp(address);
  const explicit = network.backendRoute;
  const route = effectiveBackendRoute({ site, azure });
  const fix =
    "peer the new VNet to your hub with the VPN/ExpressRoute gateway (azure.network.hub.virtualNetworkId), or put the gateway in a VNet that already has the path (azure.network.existingVirtualNetwork)";

  if (isIP(address) === 6) {
    issue(
      ["site", "backend", "address"],
      `${address} is IPv6; Application Gateway does not support IPv6 backends: give the server's IPv4 address or FQDN`,
    );
  }
  if (network.hub && network.existingVirtualNetwork) {
    issue(
      ["azure", "network", "hub"],
      "peers a VNet this stack creates; with azure.network.existingVirtualNetwork the existing VNet's peerings are managed where it is: remove hub",
    );
  }
  if (network.dnsServers.length > 0 && network.existingVirtualNetwork) {
    issue(
      ["azure", "network", "dnsServers"],
      "sets the DNS servers of a VNet this stack creates; an existing VNet keeps its own: remove dnsServers",
    );
  }
  if (explicit === "existingVirtualNetwork" && !network.existingVirtualNetwork) {
    issue(
      ["azure", "network", "backendRoute"],
      '"existingVirtualNetwork" needs azure.network.existingVirtualNetwork (name, resourceGroupName) of the VNet with the VPN/ExpressRoute path',
    );
  }
  if (explicit === "hubPeering" && !network.hub) {
    issue(
      ["azure", "network", "backendRoute"],
      '"hubPeering" needs azure.network.hub.virtualNetworkId (the resource id of the hub VNet with the VPN/ExpressRoute gateway)',
    );
  }
  if (explicit && explicit !== "existingVirtualNetwork" && network.existingVirtualNetwork) {
    issue(
      ["azure", "network", "backendRoute"],
      `${JSON.stringify(explicit)} does not fit azure.network.existingVirtualNetwork; use "existingVirtualNetwork" or remove backendRoute`,
    );
  }
  if (explicit && explicit !== "hubPeering" && network.hub && !network.existingVirtualNetwork) {
    issue(
      ["azure", "network", "backendRoute"],
      `${JSON.stringify(explicit)} does not fit azure.network.hub; use "hubPeering" or remove hub`,
    );
  }

  if (route === undefined) {
    issue(
      ["site", "backend", "address"],
      ip === undefined
        ? `${JSON.stringify(address)} is a host name and the new VNet is isolated: it has neither a route to an on-premises server nor DNS that resolves one, so the gateway would answer 502. ${fix[0]!.toUpperCase()}${fix.slice(1)}; set azure.network.backendRoute: internet only if the name resolves publicly to a public address`
        : `${address} is outside azure.network.addressSpace (${network.addressSpace}) and the new VNet is isolated: it has no route to an on-premises address, so the gateway would answer 502. ${fix[0]!.toUpperCase()}${fix.slice(1)}`,
    );
    return;
  }
  if (
    route === "hubPeering" &&
    !network.existingVirtualNetwork &&
    ip &&
    isCovered([network.addressSpace], ip)
  ) {
    issue(
      ["azure", "network", "addressSpace"],
      `${network.addressSpace} contains the backend ${address}: the new VNet would keep that traffic local and never send it to the hub; pick an address space that overlaps none of your on-premises or hub ranges`,
    );
  }
  if (route === "sameVirtualNetwork" && ip && !isCovered([network.addressSpace], ip)) {
    issue(
      ["site", "backend", "address"],
      `${address} is outside azure.network.addressSpace (${network.addressSpace}), but azure.network.backendRoute says the backend is in the new VNet; fix the address, or say how the gateway reaches it (${fix})`,
    );
  }
  if (route === "sameVirtualNetwork" && ip && isCovered([network.gatewaySubnetPrefix], ip)) {
    issue(
      ["site", "backend", "address"],
      `${address} is inside the gateway subnet (${network.gatewaySubnetPrefix}), which holds nothing but the gateway; put the server in another subnet`,
    );
  }
  if (route === "internet" && ip && !isPublicAddress(ip)) {
    issue(
      ["site", "backend", "address"],
      `${address} is not a public address, so the gateway cannot reach it over the Internet (azure.network.backendRoute: internet); ${fix}`,
    );
  }

  const routeTable = network.routeTable;
  if (routeTable === "noRoutePropagation" && (route === "hubPeering" || route === "existingVirtualNetwork")) {
    issue(
      ["azure", "network", "routeTable"],
      '"noRoutePropagation" drops every route the VPN/ExpressRoute gateway gives the gateway subnet, the one to the on-premises backend too; use "internetDefaultRoute" (0.0.0.0/0 to Internet: the more specific on-premises routes still apply)',
    );
  }
}

function allowListIssues(site: Out<"site">, allowList: Out<"allowList">, issue: Add): void {
  if (site.httpListener === "redirect" && site.audience === "allowList" && allowList.enforceAt === "waf") {
    issue(
      ["site", "httpListener"],
      '"redirect" with allowList.enforceAt: waf answers every source on port 80: a redirect rule bypasses WAF custom rules, and the NSG admits the Internet. Set allowList.enforceAt: both (the NSG enforces the allow list on port 80 too), or site.httpListener: off',
    );
  }
  if (!site.ipv6Frontend) {
    allowList.extraRanges.forEach((value, index) => {
      const parsed = parseRange(value);
      if (!("error" in parsed) && parsed.version === 6) {
        issue(
          ["allowList", "extraRanges", index],
          `${parsed.cidr} is IPv6, but the gateway has no IPv6 frontend, so it admits nobody: IPv6 clients cannot reach the site at all. Give the office's IPv4 egress range instead, or set site.ipv6Frontend: true (with azure.network.ipv6AddressSpace and gatewaySubnetIpv6Prefix)`,
        );
      }
    });
  }
}

function ipv6Issues(site: Out<"site">, azure: Out<"azure">, issue: Add): void {
  const network = azure.network;
  if (!site.ipv6Frontend) {
    for (const key of ["ipv6AddressSpace", "gatewaySubnetIpv6Prefix"] as const) {
      if (network[key]) {
        issue(
          ["azure", "network", key],
          "is only used with site.ipv6Frontend: true; set it, or remove the IPv6 ranges",
        );
      }
    }
    return;
  }
  if (!network.gatewaySubnetIpv6Prefix) {
    issue(
      ["azure", "network", "gatewaySubnetIpv6Prefix"],
      "is required with site.ipv6Frontend: true (a dual-stack gateway subnet); give a /64 inside the VNet's IPv6 space, e.g. 2001:db8:60:1::/64",
    );
  }
  if (!network.existingVirtualNetwork && !network.ipv6AddressSpace) {
    issue(
      ["azure", "network", "ipv6AddressSpace"],
      "is required with site.ipv6Frontend: true for the VNet this stack creates; give an IPv6 range, e.g. 2001:db8:60::/56",
    );
  }
  const subnet = network.gatewaySubnetIpv6Prefix ? parseRange(network.gatewaySubnetIpv6Prefix) : undefined;
  if (subnet && !("error" in subnet)) {
    if (subnet.prefix !== 64) {
      issue(
        ["azure", "network", "gatewaySubnetIpv6Prefix"],
        `${subnet.cidr} must be a /64: Azure IPv6 subnets are exactly /64`,
      );
    }
    if (network.ipv6AddressSpace && !isCovered([network.ipv6AddressSpace], subnet.cidr)) {
      issue(
        ["azure", "network", "gatewaySubnetIpv6Prefix"],
        `${subnet.cidr} is outside azure.network.ipv6AddressSpace (${network.ipv6AddressSpace}); pick a /64 inside it`,
      );
    }
  }
}

function backendTlsIssues(site: Out<"site">, issue: Add): void {
  const roots = site.backend.trustedRootCertificates;
  if (roots.length > 0 && site.backend.protocol !== "https") {
    issue(
      ["site", "backend", "trustedRootCertificates"],
      "are only used for an HTTPS backend; set site.backend.protocol: https, or remove them",
    );
  }
  const seen = new Map<string, number>();
  roots.forEach((root, index) => {
    const key = root.name.toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) {
      issue(
        ["site", "backend", "trustedRootCertificates", index, "name"],
        `${JSON.stringify(root.name)} is also the name of entry ${first}; give each certificate its own name`,
      );
    } else seen.set(key, index);
  });
}

// ---- warnings (`vpconnect check` prints them; nothing is refused) ----

/** Non-fatal notes about the site's shape, for the person deploying. */
export function siteShapeWarnings(c: FullSiteShapeConfig & { entra: Out<"entra"> }): string[] {
  const out: string[] = [];
  const host = c.site.publicHostname;
  if (c.site.audience === "allowList" && !c.site.splitDns) {
    out.push(
      `site.audience is "allowList" and site.splitDns is false: only Connect's ranges and allowList.extraRanges reach https://${host}, but people's browsers open it too: the Entra ID sign-in redirects to ${host}${c.site.vantagepointPath}/app, and authorising Connect opens Vantagepoint's OAuth page there. Make ${host} resolve to the internal server on your network (split DNS) and set site.splitDns: true, list people's egress ranges in allowList.extraRanges, or set site.audience: anyone`,
    );
  }
  if (c.site.audience === "anyone") {
    out.push(
      `site.audience is "anyone": the NSG admits HTTPS from the whole Internet and only the WAF's managed rules stand in front of Vantagepoint; the mandatory policy allow-list-no-any-source will fail unless your policy config allows it`,
    );
  }
  if (!c.site.ipv6Frontend) {
    const v6 = c.allowList.connectIps.filter((v) => {
      const parsed = parseRange(v);
      return !("error" in parsed) && parsed.version === 6;
    });
    if (v6.length > 0) {
      out.push(
        `allowList.connectIps lists ${v6.length} IPv6 range(s) (${v6.join(", ")}) but the gateway has no IPv6 frontend: Connect reaches it over IPv4 and those entries admit nothing. Keep them if they are Deltek's published list; set site.ipv6Frontend: true to serve IPv6`,
      );
    }
  } else {
    out.push(
      "site.ipv6Frontend is true: IPv6 traffic bypasses the WAF, managed rules included (Microsoft: Application Gateway IPv6 frontend); the NSG alone filters IPv6 sources, and the WAF allow-list rule holds the IPv4 ranges only",
    );
  }
  const route = effectiveBackendRoute(c);
  if (
    route === "hubPeering" &&
    backendIp(c.site.backend.address) === undefined &&
    c.azure.network.dnsServers.length === 0
  ) {
    out.push(
      `site.backend.address ${JSON.stringify(c.site.backend.address)} is a host name and the new VNet uses Azure-provided DNS, which resolves only public names: set azure.network.dnsServers to DNS servers reachable over the hub that resolve it`,
    );
  }
  if (
    c.azure.network.routeTable === "none" &&
    (route === "hubPeering" || route === "existingVirtualNetwork")
  ) {
    out.push(
      'azure.network.routeTable is "none": if the hub advertises a default route (forced tunnelling), Application Gateway v2 stops working; "internetDefaultRoute" is the supported shape',
    );
  }
  if (c.azure.zones && c.azure.zones.length > 0 && !ZONE_REGIONS.has(c.azure.location)) {
    out.push(
      `azure.zones is set but ${c.azure.location} is not in this project's list of regions with availability zones; the deploy fails there if the region has none`,
    );
  }
  if (c.site.verification === "enforce" && !c.azure.dns) {
    out.push(
      `site.verification is "enforce" but this stack does not manage the DNS record (azure.dns): on a first pulumi up the record for ${host} cannot point at the new public IP yet and the check fails the deploy. Set site.verification: report for the first deploy, create the A record for the publicIp output, then set enforce`,
    );
  }
  const mailbox = c.entra.mailboxApp;
  if (mailbox && !mailbox.enabled) {
    out.push(
      "entra.mailboxApp is set with enabled: false: no mailbox app is created. Connect's Office 365 OAuth has each person sign in, so none is needed; remove the section, or set enabled: true for a site that needs one",
    );
  } else if (mailbox?.enabled) {
    out.push(
      `entra.mailboxApp.enabled creates an app with a standing client secret${mailbox.grantAdminConsent ? " and tenant-wide admin consent" : ""} that Connect's own mailbox options (Exchange logon, Office 365 OAuth where each person signs in) do not use; keep it only if something on your site does`,
    );
  }
  return out;
}

// ---- helpers ----

/** The backend as an IPv4 CIDR (/32) when it is an address; undefined for a host name. */
function backendIp(address: string): string | undefined {
  const a = address.trim();
  return isIP(a) === 4 ? `${a}/32` : undefined;
}

/** True for a public IPv4 /32 (not private, CGNAT, loopback, link-local or reserved). */
function isPublicAddress(cidr: string): boolean {
  const parsed = parseRange(cidr);
  return !("error" in parsed) && rangeProblem(parsed) === undefined;
}
