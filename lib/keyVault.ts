/** Key Vault name rules, pure (no Pulumi import): what ConnectKeyVault checks and the name it picks by default. */
import { keyVaultNameProblem } from "./values/valueRules";

/** Key Vault names (one rule: lib/values/valueRules.ts keyVaultNameProblem, Microsoft naming rules), prefixed by the field. */
export function vaultNameProblem(name: string, field = "vaultName"): string | undefined {
  const problem = keyVaultNameProblem(name);
  return problem && `${field}: ${problem} (names are global across Azure)`;
}

/** The vault name used when none is given: the prefix plus "-kv", shortened to 24 characters. */
export function defaultVaultName(namePrefix: string): string {
  const base = namePrefix
    .replace(/[^A-Za-z0-9-]/g, "-")
    .replace(/-+/g, "-")
    .replace(/^[^A-Za-z]+/, "");
  return `${base.slice(0, 21).replace(/-+$/, "")}-kv`;
}

/** What ConnectKeyVault reads of an existing vault's properties (azure-native getVault). */
export interface ExistingVaultProperties {
  enableRbacAuthorization?: boolean;
  accessPolicies?: readonly unknown[];
}

/**
 * Why an existing vault cannot serve the gateway, or undefined. The gateway's identity is granted the Azure role
 * "Key Vault Secrets User", which a vault on the access-policy permission model ignores: the gateway could not
 * read the certificate. Access policies are recognised by `enableRbacAuthorization: false`, or by access policies
 * present while the flag is unset (vaults older than the flag).
 */
export function existingVaultAccessProblem(
  vaultName: string,
  properties: ExistingVaultProperties | undefined,
  field = "existing.vaultName",
): string | undefined {
  const rbac = properties?.enableRbacAuthorization;
  if (rbac === true) return undefined;
  if (rbac === false || (properties?.accessPolicies?.length ?? 0) > 0) {
    return `${field}: the existing Key Vault ${JSON.stringify(vaultName)} uses access policies, not Azure RBAC; the Application Gateway's identity is granted the role "Key Vault Secrets User", which such a vault ignores, so the gateway could not read the TLS certificate. Switch the vault's permission model to Azure role-based access control (Access configuration) after giving its current users equivalent roles, or use a vault with RBAC`;
  }
  return undefined;
}

/** Content type of a PFX imported as a Key Vault secret, the form Application Gateway reads (Microsoft: "TLS termination with Key Vault certificates"). */
export const PFX_CONTENT_TYPE = "application/x-pkcs12";

/** What ConnectKeyVault reads of an existing vault's firewall (azure-native getVault `properties`). */
export interface ExistingVaultNetworkProperties {
  publicNetworkAccess?: string;
  networkAcls?: {
    defaultAction?: string;
    bypass?: string;
    virtualNetworkRules?: ReadonlyArray<{ id?: string }>;
  };
}

/**
 * Why an existing vault's firewall keeps the gateway out (`KeyVaultHasRestrictedAccess`), or undefined. A vault
 * that admits only selected networks lets the gateway in through the trusted-services bypass (Key Vault recognises
 * Application Gateway's user-assigned identity as a trusted service) or a VNet rule for the gateway subnet (with the
 * Microsoft.KeyVault service endpoint on it). Public access disabled leaves only a private endpoint, not built here.
 */
export function existingVaultNetworkProblem(
  vaultName: string,
  properties: ExistingVaultNetworkProperties | undefined,
  gatewaySubnetId: string | undefined,
  field = "existing.vaultName",
): string | undefined {
  const quoted = JSON.stringify(vaultName);
  if ((properties?.publicNetworkAccess ?? "").toLowerCase() === "disabled") {
    return `${field}: the existing Key Vault ${quoted} has public network access disabled, so the Application Gateway can reach it only through a private endpoint in its virtual network (with the privatelink.vaultcore.azure.net DNS zone), which this stack does not build. Ask the vault's owner to allow selected networks with trusted Microsoft services (az keyvault update --name ${vaultName} --public-network-access Enabled --default-action Deny --bypass AzureServices), or use another vault`;
  }
  const acls = properties?.networkAcls;
  if (!acls || (acls.defaultAction ?? "Allow").toLowerCase() !== "deny") return undefined;
  if ((acls.bypass ?? "").toLowerCase().includes("azureservices")) return undefined;
  const subnet = gatewaySubnetId?.toLowerCase();
  if (subnet && (acls.virtualNetworkRules ?? []).some((r) => (r.id ?? "").toLowerCase() === subnet)) {
    return undefined;
  }
  return `${field}: the existing Key Vault ${quoted} admits only selected networks and neither trusted Microsoft services nor the gateway subnet, so the Application Gateway could not read the certificate (KeyVaultHasRestrictedAccess). Ask the vault's owner to allow trusted services (az keyvault update --name ${vaultName} --bypass AzureServices), or to add a VNet rule for the gateway subnet${gatewaySubnetId ? ` (az keyvault network-rule add --name ${vaultName} --subnet ${gatewaySubnetId})` : ""}; then run pulumi up again`;
}

/** The firewall a created vault gets for each mode (see lib/config/siteShape.ts VAULT_FIREWALL_MODES). */
export function createdVaultNetworkAcls(
  mode: "trustedServices" | "gatewaySubnet" | "open",
  gatewaySubnetId?: string,
): { defaultAction: "Allow" | "Deny"; bypass: "AzureServices"; virtualNetworkRules: Array<{ id: string }> } {
  if (mode === "open") return { defaultAction: "Allow", bypass: "AzureServices", virtualNetworkRules: [] };
  return {
    defaultAction: "Deny",
    bypass: "AzureServices",
    virtualNetworkRules: mode === "gatewaySubnet" && gatewaySubnetId ? [{ id: gatewaySubnetId }] : [],
  };
}

/** A created vault's name with a random suffix: `<base>-<suffix>`, the base shortened so the whole stays within 24 characters. */
export function uniqueVaultName(base: string, suffix: string): string {
  const clean = suffix.toLowerCase().replace(/[^a-z0-9]/g, "");
  const room = 24 - clean.length - 1;
  return `${base.slice(0, room).replace(/-+$/, "")}-${clean}`;
}

/**
 * The random suffix of a created vault's name (the random provider's RandomString args): six lowercase letters and digits,
 * fixed, so the resource never sees a changed input. Versions before the day-2 round drew six hex digits with a
 * local.Command; a stack made by one keeps them through `nameSuffix`.
 */
export const VAULT_NAME_SUFFIX = {
  length: 6,
  lower: true,
  upper: false,
  numeric: true,
  special: false,
} as const;

/** Why a vault-name suffix cannot be used, or undefined (1-10 lowercase letters or digits, with uniqueName). */
export function vaultNameSuffixProblem(
  suffix: string,
  field = "nameSuffix",
  uniqueName = true,
): string | undefined {
  if (!uniqueName) {
    return `${field}: only used with uniqueName: true (the suffix is appended to the vault's name); remove it, or set uniqueName: true`;
  }
  if (/^[a-z0-9]{1,10}$/.test(suffix)) return undefined;
  return `${field}: ${JSON.stringify(suffix)} is not a vault-name suffix; give the part after the last "-" of the vault's current name (1-10 lowercase letters or digits, e.g. "3fa9c1"): pulumi stack output keyVaultUri shows it`;
}

/**
 * The data-plane resource an access token is asked for, from a vault URI: `https://vault.azure.net` for
 * `https://<name>.vault.azure.net/` (other clouds have their own suffix, e.g. vault.azure.cn).
 */
export function keyVaultTokenResource(vaultUri: string): string {
  const host = new URL(vaultUri).hostname;
  return `https://${host.split(".").slice(1).join(".")}`;
}

/** What the data plane's `GET {vault}/certificates/{name}` said: present (200), absent (404), or nothing certain. */
export function certificateProbeVerdict(status: number | undefined): "present" | "absent" | "unknown" {
  if (status === 200) return "present";
  if (status === 404) return "absent";
  return "unknown";
}

/**
 * Whether an existing certificate may be relied on, from the data plane's answer and Azure Resource Manager's.
 * ARM does not see secrets behind certificates made with the certificates API (Key Vault team,
 * MicrosoftDocs/azure-docs#11893), so ARM's "not found" alone proves nothing; the data plane sees both kinds, but
 * the deploying identity may lack the role or a path through the vault firewall. Only both saying "absent" is a
 * missing certificate; anything else uncertain is "unverified" (the deploy goes on, and a certificate that really is
 * missing then fails the gateway's create with ApplicationGatewayKeyVaultSecretException).
 */
export function existingCertificateVerdict(
  dataPlane: "present" | "absent" | "unknown",
  arm: "present" | "absent",
): "verified" | "missing" | "unverified" {
  if (dataPlane === "present" || arm === "present") return "verified";
  if (dataPlane === "absent") return "missing";
  return "unverified";
}
