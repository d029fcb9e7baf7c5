/**
 * A client secret's planned life, pure (no Pulumi import): the end date from the day it was last rotated and a
 * lifetime in days (never from "now", so re-running `pulumi up` keeps the same password), how close it is to
 * expiring, and the Key Vault id and secret name rules the app components check before registering anything.
 */
/** Entra ID caps client secrets at two years; Deltek's guide uses 730 days. */
export const MAX_SECRET_LIFETIME_DAYS = 730;
/** When the secret is this close to its end date the component warns on every run. */
export const SECRET_EXPIRY_WARNING_DAYS = 30;

const DAY_MS = 24 * 60 * 60 * 1000;

/** The computed end of a secret's life. */
export interface SecretExpiry {
  /** RFC 3339 end date for `ApplicationPassword.endDate`, e.g. 2027-01-15T00:00:00Z. */
  endDate: string;
  /** The same instant in Unix seconds, for Key Vault's `attributes.expires`. */
  expiresUnix: number;
}

/** Names of the fields the values came from, so errors point at the user's config keys. */
export interface SecretFieldNames {
  rotatedOn: string;
  lifetimeDays: string;
}

/** The field names app components use (secretRotatedOn / secretLifetimeDays). */
export const DEFAULT_SECRET_FIELDS: SecretFieldNames = {
  rotatedOn: "secretRotatedOn",
  lifetimeDays: "secretLifetimeDays",
};

/**
 * Computes a secret's end date from the date it was rotated and its lifetime. Pure and deterministic.
 * Throws an error naming the field when the date is not a real YYYY-MM-DD date or the lifetime is not a whole
 * number of days from 1 to 730.
 */
export function secretExpiry(
  rotatedOn: string,
  lifetimeDays: number,
  fields: SecretFieldNames = DEFAULT_SECRET_FIELDS,
): SecretExpiry {
  const start = parseDay(rotatedOn);
  if (start === undefined) {
    throw new Error(
      `${fields.rotatedOn}: ${JSON.stringify(rotatedOn)} is not a date; expected YYYY-MM-DD, the day the secret was last rotated (e.g. 2025-01-15)`,
    );
  }
  if (!Number.isInteger(lifetimeDays) || lifetimeDays < 1 || lifetimeDays > MAX_SECRET_LIFETIME_DAYS) {
    throw new Error(
      `${fields.lifetimeDays}: ${JSON.stringify(lifetimeDays)} is not a lifetime Entra ID accepts; expected a whole number of days from 1 to ${MAX_SECRET_LIFETIME_DAYS}`,
    );
  }
  const end = start + lifetimeDays * DAY_MS;
  return { endDate: new Date(end).toISOString().replace(/\.000Z$/, "Z"), expiresUnix: end / 1000 };
}

/**
 * What is wrong with a secret's dates relative to `now`: "expired" (the run must fail: the password would be
 * created already expired), "expiring" (warn), "future" (rotation date after today), or undefined when fine.
 */
export function secretExpiryProblem(
  rotatedOn: string,
  expiry: SecretExpiry,
  now: Date,
  fields: SecretFieldNames = DEFAULT_SECRET_FIELDS,
): { level: "error" | "warning"; message: string } | undefined {
  const nowMs = now.getTime();
  const endMs = expiry.expiresUnix * 1000;
  const start = parseDay(rotatedOn) ?? 0;
  if (start - nowMs > DAY_MS) {
    return {
      level: "error",
      message: `${fields.rotatedOn}: ${rotatedOn} is in the future; set it to the day you rotate the secret (today or earlier)`,
    };
  }
  if (endMs <= nowMs) {
    return {
      level: "error",
      message: `${fields.rotatedOn}: the secret rotated on ${rotatedOn} expired on ${expiry.endDate}; set ${fields.rotatedOn} to today's date to issue a new one, then enter it where it is used`,
    };
  }
  const daysLeft = Math.floor((endMs - nowMs) / DAY_MS);
  if (daysLeft < SECRET_EXPIRY_WARNING_DAYS) {
    return {
      level: "warning",
      message: `the secret rotated on ${rotatedOn} expires on ${expiry.endDate} (${daysLeft} days left); set ${fields.rotatedOn} to today's date to rotate it`,
    };
  }
  return undefined;
}

function parseDay(text: unknown): number | undefined {
  if (typeof text !== "string") return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d)
    return undefined;
  return ms;
}

/** A Key Vault named by its Azure resource id. */
export interface VaultRef {
  subscriptionId: string;
  resourceGroupName: string;
  vaultName: string;
}

/** Splits `/subscriptions/<s>/resourceGroups/<rg>/providers/Microsoft.KeyVault/vaults/<name>`; throws naming `field`. */
export function parseVaultId(id: string, field = "keyVaultId"): VaultRef {
  const m =
    /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.KeyVault\/vaults\/([^/]+)\/?$/i.exec(
      id,
    );
  if (!m) {
    throw new Error(
      `${field}: ${JSON.stringify(id)} is not a Key Vault resource id; expected /subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.KeyVault/vaults/<name>`,
    );
  }
  return { subscriptionId: m[1]!, resourceGroupName: m[2]!, vaultName: m[3]! };
}

/** A Key Vault's Azure resource id from its parts (the form parseVaultId reads). */
export function vaultResourceId(ref: VaultRef): string {
  return `/subscriptions/${ref.subscriptionId}/resourceGroups/${ref.resourceGroupName}/providers/Microsoft.KeyVault/vaults/${ref.vaultName}`;
}

/**
 * The id a site hands its Entra apps for the vault that keeps their secrets. The vault's own id when it is a Key
 * Vault resource id, as Azure gives it (what earlier versions parsed: a day-2 run sends the vault secret the same
 * resource group and vault name, so nothing is replaced); otherwise, as under plain Pulumi mocks whose ids are
 * `<name>_id`, the id built from the parts the site made or found the vault with.
 */
export function siteVaultId(id: string | undefined, parts: VaultRef): string {
  if (typeof id === "string") {
    try {
      parseVaultId(id);
      return id;
    } catch {
      // not an Azure resource id (a mock's): the parts below name the same vault
    }
  }
  return vaultResourceId(parts);
}

/** Key Vault secret names: 1-127 letters, digits and hyphens. */
export function secretNameProblem(name: string, field = "secretName"): string | undefined {
  if (/^[0-9a-zA-Z-]{1,127}$/.test(name)) return undefined;
  return `${field}: ${JSON.stringify(name)} is not a Key Vault secret name; use 1-127 letters, digits and hyphens`;
}
