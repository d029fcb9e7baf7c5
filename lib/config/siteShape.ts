/**
 * Site shapes that deploy but cannot work, or cannot deploy at all, refused (or warned about) before anything is
 * created; and the defaults that depend on more than one key (how the gateway reaches the backend, the route
 * table, zones, locks, the vault firewall). Pure (no Pulumi import): the config loader calls the checks, and the
 * config-to-args mapping calls the resolvers, so `vpconnect check` and `pulumi up` agree.
 *
 * Facts and their sources: shared/reference/azure-facts.md, "What makes a first `pulumi up` fail".
 */
import type { z } from "zod";
import { parseRange } from "../allowList";
import { backendIp, backendRoute } from "../site/network";
import type { BackendRoute } from "../site/network";
import { LEGACY_ZONE_DEFAULT_REGIONS } from "../gatewayRules";
import type { sections } from "./sections";
import type { RouteTableMode, VaultFirewallMode } from "../values/siteValues";

export { resourceIdProblem } from "../values/validators";
export {
  KEY_VAULT_SECRET_MAX_BYTES,
  pemToBase64Der,
  pfxProblem,
  ROUTE_TABLE_MODES,
  trustedRootProblem,
  VAULT_FIREWALL_MODES,
} from "../values/siteValues";
export type { RouteTableMode, VaultFirewallMode } from "../values/siteValues";

/** How the gateway reaches site.backend.address (the rules are lib/site/network.ts). */
export { BACKEND_ROUTES } from "../site/network";
export type { BackendRoute } from "../site/network";

/**
 * Regions with availability zones (Microsoft: "Azure regions with availability zone support", as of 2025): only
 * for a warning when zones are stated elsewhere; it never decides zones (lib/gatewayRules).
 */
export const ZONE_REGIONS: ReadonlySet<string> = LEGACY_ZONE_DEFAULT_REGIONS;

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
  return backendRoute(c.azure.network, c.site.backend.address);
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
