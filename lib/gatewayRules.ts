/**
 * Day-2 rules for the Azure side, pure (no Pulumi import): what must not change after the gateway exists, what
 * IPv6 and the WAF can and cannot do, which settings an explicit hub provider must be given, where the gateway's
 * identity is granted, and when the gateway subnet needs the Key Vault service endpoint. ConnectSite calls them
 * on its typed args before anything registers; the stack-config loader calls them on the config.
 *
 * Facts and their sources: shared/reference/azure-facts.md, "Day-2 and review facts".
 */

/** A problem with one argument: `key` is the argument's path as the caller wrote it (site args or config). */
export interface RuleProblem {
  key: string;
  message: string;
}

// ---- IPv6 (item 6) ----

/**
 * Why an IPv6 frontend would let IPv6 around the allow list, or nothing. Microsoft's IPv6 Application Gateway doc:
 * "WAF rules only apply to IPv4 traffic. IPv6 traffic bypasses WAF": with the allow list only in the WAF
 * (`enforceAt: waf`), or no allow list at all (`audience: anyone`, the NSG admits the Internet and only the WAF's
 * managed rules stand in front), IPv6 reaches Vantagepoint unfiltered. The NSG is the only IPv6 filter.
 */
export function ipv6FrontendProblems(a: {
  ipv6Frontend?: boolean;
  enforceAt?: string;
  audience?: string;
  keys: { enforceAt: string; audience: string; ipv6Frontend: string };
}): RuleProblem[] {
  if (!a.ipv6Frontend) return [];
  const out: RuleProblem[] = [];
  if ((a.enforceAt ?? "both") === "waf") {
    out.push({
      key: a.keys.enforceAt,
      message: `"waf" with ${a.keys.ipv6Frontend}: true lets every IPv6 client past the allow list: WAF rules apply to IPv4 only and IPv6 traffic bypasses the WAF (Microsoft: Application Gateway IPv6 frontend). Set ${a.keys.enforceAt}: both (the NSG enforces the list for IPv6), or turn the IPv6 frontend off`,
    });
  }
  if (a.audience === "anyone") {
    out.push({
      key: a.keys.audience,
      message: `"anyone" with ${a.keys.ipv6Frontend}: true leaves IPv6 with no filter at all: IPv6 traffic bypasses the WAF's managed rules (Microsoft: Application Gateway IPv6 frontend). Use ${a.keys.audience}: allowList, or turn the IPv6 frontend off`,
    });
  }
  return out;
}

// ---- what cannot change once the gateway exists (items 8 and 9) ----

/**
 * Regions where versions of this project before the day-2 round put the gateway and its public IP in zones 1-3
 * by default (Microsoft's "regions with availability zone support" as of 2025). It no longer decides zones: a stack
 * in one of them must state `azure.zones`, so one deployed by an older version keeps what its gateway has.
 */
export const LEGACY_ZONE_DEFAULT_REGIONS: ReadonlySet<string> = new Set([
  "australiaeast",
  "austriaeast",
  "brazilsouth",
  "canadacentral",
  "centralindia",
  "centralus",
  "chilecentral",
  "eastasia",
  "eastus",
  "eastus2",
  "francecentral",
  "germanywestcentral",
  "indonesiacentral",
  "israelcentral",
  "italynorth",
  "japaneast",
  "japanwest",
  "koreacentral",
  "malaysiawest",
  "mexicocentral",
  "newzealandnorth",
  "northeurope",
  "norwayeast",
  "polandcentral",
  "qatarcentral",
  "southafricanorth",
  "southcentralus",
  "southeastasia",
  "spaincentral",
  "swedencentral",
  "switzerlandnorth",
  "uaenorth",
  "uksouth",
  "westeurope",
  "westus2",
  "westus3",
]);

/**
 * Why `azure.zones` must be stated, or undefined. Zones cannot be added, changed or removed after a gateway or
 * public IP is created (Azure/azure-powershell#13656): a default that changes replaces both, and the public IP with
 * them. Where older versions defaulted to zones 1-3, leaving the key out would now mean none: refused instead.
 */
export function zonesMustBeStated(
  location: string,
  zones: readonly string[] | undefined,
): string | undefined {
  if (zones !== undefined || !LEGACY_ZONE_DEFAULT_REGIONS.has(location)) return undefined;
  return `must be stated in ${location}: zones cannot change after the gateway and its public IP exist, and versions of this project before the day-2 round put them in zones 1, 2 and 3 here by default. A stack deployed by one of them: set ["1", "2", "3"] (az network application-gateway show --query zones shows what yours has). A new stack: choose, e.g. ["1", "2", "3"], or [] for none`;
}

/** What a gateway was created with: the settings Azure cannot change afterwards. */
export interface GatewayCreatedWith {
  /** The gateway had an IPv6 frontend when it was created. */
  ipv6Frontend: boolean;
  /** The zones the gateway and its public IP were created in ([] for none). */
  zones: string[];
}

/**
 * Changes Azure refuses on an existing gateway, against what the stack records it was created with: "Existing IPv4
 * Application Gateways cannot be upgraded to dual stack" and deleting frontend IPs is not supported (Microsoft:
 * Application Gateway IPv6 frontend); zones cannot change (Azure/azure-powershell#13656). Without a record the
 * gateway is taken to be new (a first `pulumi up`).
 */
export function gatewayChangeProblems(
  current: GatewayCreatedWith,
  createdWith: GatewayCreatedWith | undefined,
  keys: { ipv6Frontend: string; zones: string; createdWith: string },
): RuleProblem[] {
  if (!createdWith) return [];
  const out: RuleProblem[] = [];
  if (current.ipv6Frontend !== createdWith.ipv6Frontend) {
    out.push({
      key: keys.ipv6Frontend,
      message: `${current.ipv6Frontend ? "turns the IPv6 frontend on" : "turns the IPv6 frontend off"} for a gateway created ${createdWith.ipv6Frontend ? "with" : "without"} one (${keys.createdWith}.ipv6Frontend: ${createdWith.ipv6Frontend}); Azure does not support that on an existing gateway (an IPv4 gateway cannot become dual stack, and frontend IPs cannot be deleted): pulumi up would fail. Set ${keys.ipv6Frontend}: ${createdWith.ipv6Frontend}, or plan a new gateway (a new public IP for Connect and DNS)`,
    });
  }
  const sorted = (z: readonly string[]) => [...new Set(z)].sort().join(",");
  if (sorted(current.zones) !== sorted(createdWith.zones)) {
    out.push({
      key: keys.zones,
      message: `[${current.zones.join(", ")}] differs from the zones the gateway was created in (${keys.createdWith}.zones: [${createdWith.zones.join(", ")}]); zones cannot change after creation, so pulumi up would replace the gateway and its public IP (a new IP Connect must be told about). Set ${keys.zones}: [${createdWith.zones.map((z) => JSON.stringify(z)).join(", ")}]`,
    });
  }
  return out;
}

// ---- the hub provider (item 3) ----

/**
 * The azure-native provider settings that carry credentials and cloud: an explicit provider does not read stack
 * config ("Configuration file settings are only used by the default provider", Pulumi docs), so the hub's provider
 * is given these, read from `azure-native:*`. `subscriptionId` is the hub's own and `location` does not apply.
 */
export const HUB_PROVIDER_SETTINGS = [
  "auxiliaryTenantIds",
  "clientCertificatePassword",
  "clientCertificatePath",
  "clientId",
  "clientSecret",
  "disableInstanceDiscovery",
  "disablePulumiPartnerId",
  "environment",
  "metadataHost",
  "msiEndpoint",
  "oidcRequestToken",
  "oidcRequestUrl",
  "oidcToken",
  "oidcTokenFilePath",
  "partnerId",
  "tenantId",
  "useDefaultAzureCredential",
  "useMsi",
  "useOidc",
] as const;
export type HubProviderSetting = (typeof HUB_PROVIDER_SETTINGS)[number];

/** Settings that are secrets whatever the stack file says. */
export const HUB_PROVIDER_SECRET_SETTINGS: ReadonlySet<HubProviderSetting> = new Set([
  "clientSecret",
  "clientCertificatePassword",
  "oidcRequestToken",
  "oidcToken",
]);
const BOOLEAN_SETTINGS: ReadonlySet<string> = new Set([
  "disableInstanceDiscovery",
  "disablePulumiPartnerId",
  "useDefaultAzureCredential",
  "useMsi",
  "useOidc",
]);

/**
 * The hub provider's args from the `azure-native:*` config values (`read(key)` returns the raw string or undefined),
 * plus the hub's subscription. Booleans and the tenant list are parsed as the provider does; a value that does not
 * parse throws naming the key.
 */
export function hubProviderArgs(
  read: (key: HubProviderSetting) => string | undefined,
  subscriptionId: string,
): Record<string, string | boolean | string[]> {
  const out: Record<string, string | boolean | string[]> = { subscriptionId };
  for (const key of HUB_PROVIDER_SETTINGS) {
    const raw = read(key);
    if (raw === undefined || raw === "") continue;
    if (BOOLEAN_SETTINGS.has(key)) {
      if (!/^(true|false)$/i.test(raw.trim())) {
        throw new Error(`azure-native:${key}: ${JSON.stringify(raw)} is not true or false`);
      }
      out[key] = raw.trim().toLowerCase() === "true";
    } else if (key === "auxiliaryTenantIds") {
      let list: unknown;
      try {
        list = JSON.parse(raw);
      } catch {
        list = raw.split(",").map((s) => s.trim());
      }
      if (!Array.isArray(list) || !list.every((v) => typeof v === "string")) {
        throw new Error(`azure-native:auxiliaryTenantIds: expected a list of tenant IDs`);
      }
      out[key] = list as string[];
    } else {
      out[key] = raw;
    }
  }
  return out;
}

// ---- Key Vault access (items 4 and 5) ----

/**
 * The scope of the gateway's "Key Vault Secrets User" grant: the certificate's secret only in a vault this stack
 * does not own (the role reads every secret in its scope; Microsoft: "use a vault per application per environment",
 * and a role assignment can be scoped to one secret), the vault in one it created for this site alone.
 */
export function secretsUserScope(vaultId: string, secretName: string, vaultIsOwn: boolean): string {
  return vaultIsOwn ? vaultId : `${vaultId.replace(/\/+$/, "")}/secrets/${secretName}`;
}

/** The vault firewall as getVault reports it (`properties.networkAcls`). */
export interface VaultNetworkAcls {
  defaultAction?: string;
  virtualNetworkRules?: ReadonlyArray<{ id?: string }>;
}

/**
 * Whether the gateway subnet must declare the `Microsoft.KeyVault` service endpoint: a vault reached through a VNet
 * rule for that subnet needs it (Microsoft: application-gateway key-vault-certs), and one added by hand is removed by
 * the next PUT of the subnet from code that does not declare it. True for a created vault in "gatewaySubnet" mode,
 * and for an existing vault whose firewall denies by default and has a VNet rule naming the gateway subnet.
 */
export function keyVaultServiceEndpointNeeded(a: {
  createdFirewall?: string;
  existingAcls?: VaultNetworkAcls;
  gatewaySubnetId: string;
}): boolean {
  if (a.createdFirewall !== undefined) return a.createdFirewall === "gatewaySubnet";
  const acls = a.existingAcls;
  if (!acls || (acls.defaultAction ?? "Allow").toLowerCase() !== "deny") return false;
  const subnet = a.gatewaySubnetId.toLowerCase();
  return (acls.virtualNetworkRules ?? []).some((r) => (r.id ?? "").toLowerCase() === subnet);
}

/** The gateway subnet's resource id, known before the subnet exists (what a vault's VNet rule names). */
export function subnetResourceId(
  subscriptionId: string,
  resourceGroupName: string,
  virtualNetworkName: string,
  subnetName: string,
): string {
  return `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroupName}/providers/Microsoft.Network/virtualNetworks/${virtualNetworkName}/subnets/${subnetName}`;
}
