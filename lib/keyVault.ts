/** Key Vault name rules, pure (no Pulumi import): what ConnectKeyVault checks and the name it picks by default. */

/** Key Vault names: 3-24 characters, letters, digits and hyphens, starting with a letter, no "--", not ending in "-". */
export function vaultNameProblem(name: string, field = "vaultName"): string | undefined {
  if (/^[A-Za-z](?!.*--)[A-Za-z0-9-]{1,22}[A-Za-z0-9]$/.test(name)) return undefined;
  return `${field}: ${JSON.stringify(name)} is not a Key Vault name; use 3-24 letters, digits and single hyphens, starting with a letter (names are global across Azure)`;
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
