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
