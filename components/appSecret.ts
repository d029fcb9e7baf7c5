/**
 * A client secret for an Entra app registration, kept in Key Vault with the same expiry.
 *
 * The end date is computed from the date the secret was last rotated (`secretRotatedOn`, YYYY-MM-DD) and a
 * lifetime in days (at most 730), never from "now": re-running `pulumi up` keeps the same password, and
 * changing `secretRotatedOn` replaces it (`rotateWhenChanged`). Not a component of its own: the password and
 * the vault secret are children of the app component that calls it.
 */
import * as pulumi from "@pulumi/pulumi";
import * as azuread from "@pulumi/azuread";
import * as keyvault from "@pulumi/azure-native/keyvault";

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

const DEFAULT_FIELDS: SecretFieldNames = { rotatedOn: "secretRotatedOn", lifetimeDays: "secretLifetimeDays" };

/**
 * Computes a secret's end date from the date it was rotated and its lifetime. Pure and deterministic.
 * Throws an error naming the field when the date is not a real YYYY-MM-DD date or the lifetime is not a whole
 * number of days from 1 to 730.
 */
export function secretExpiry(
  rotatedOn: string,
  lifetimeDays: number,
  fields: SecretFieldNames = DEFAULT_FIELDS,
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
  fields: SecretFieldNames = DEFAULT_FIELDS,
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

/** Key Vault secret names: 1-127 letters, digits and hyphens. */
export function secretNameProblem(name: string, field = "secretName"): string | undefined {
  if (/^[0-9a-zA-Z-]{1,127}$/.test(name)) return undefined;
  return `${field}: ${JSON.stringify(name)} is not a Key Vault secret name; use 1-127 letters, digits and hyphens`;
}

export interface AppSecretArgs {
  /** The app registration the password belongs to. */
  application: azuread.Application;
  /** Shown in Entra next to the secret. */
  displayName: string;
  /** The day the secret was last rotated (YYYY-MM-DD); change it to rotate. Plain so errors come before registration. */
  rotatedOn: string;
  /** Lifetime in days from `rotatedOn`, at most 730. */
  lifetimeDays: number;
  /** The Key Vault that keeps the value, by resource id. */
  keyVaultId: pulumi.Input<string>;
  /** The Key Vault secret name. */
  secretName: pulumi.Input<string>;
  /** Field names for errors (defaults secretRotatedOn / secretLifetimeDays). */
  fields?: SecretFieldNames;
  /** Azure tags for the Key Vault secret. */
  tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Overridable clock for tests. */
  now?: Date;
}

/** The secret settings both app components take. */
export interface AppSecretSettingsArgs {
  readonly namePrefix: string;
  readonly secretName?: pulumi.Input<string>;
  readonly secretRotatedOn: string;
  readonly secretLifetimeDays?: number;
  readonly now?: Date;
}

/** Maps an app component's args to createAppSecret's (default name <namePrefix>-<kind>-client-secret). */
export function secretSettings(
  args: AppSecretSettingsArgs,
  kind: string,
): Pick<AppSecretArgs, "rotatedOn" | "lifetimeDays" | "secretName" | "now"> {
  return {
    rotatedOn: args.secretRotatedOn,
    lifetimeDays: args.secretLifetimeDays ?? MAX_SECRET_LIFETIME_DAYS,
    secretName: args.secretName ?? `${args.namePrefix}-${kind}-client-secret`,
    now: args.now,
  };
}

export interface AppSecret {
  password: azuread.ApplicationPassword;
  vaultSecret: keyvault.Secret;
  /** The Key Vault secret's name. */
  secretName: pulumi.Output<string>;
  /** RFC 3339 end date shared by the password and the vault secret. */
  expiresOn: string;
}

/**
 * Checks an app secret's plain settings before anything is registered: throws naming the field when the dates
 * or the secret name are wrong; returns the expiry and a warning when it is close.
 */
export function checkAppSecret(
  args: Pick<AppSecretArgs, "rotatedOn" | "lifetimeDays" | "secretName" | "fields" | "now">,
): { expiry: SecretExpiry; warning?: string } {
  const fields = args.fields ?? DEFAULT_FIELDS;
  const expiry = secretExpiry(args.rotatedOn, args.lifetimeDays, fields);
  const problem = secretExpiryProblem(args.rotatedOn, expiry, args.now ?? new Date(), fields);
  if (problem?.level === "error") throw new Error(problem.message);
  if (typeof args.secretName === "string") {
    const nameProblem = secretNameProblem(args.secretName);
    if (nameProblem) throw new Error(nameProblem);
  }
  return { expiry, warning: problem?.message };
}

/**
 * Registers the ApplicationPassword and the Key Vault Secret holding its value as children of `parent`.
 * Throws (before registering anything) when the dates are wrong.
 */
export function createAppSecret(name: string, args: AppSecretArgs, parent: pulumi.Resource): AppSecret {
  const { expiry, warning } = checkAppSecret(args);
  if (warning) pulumi.log.warn(warning, parent);

  const password = new azuread.ApplicationPassword(
    `${name}-password`,
    {
      applicationId: args.application.id,
      displayName: args.displayName,
      endDate: expiry.endDate,
      rotateWhenChanged: { rotatedOn: args.rotatedOn },
    },
    { parent, additionalSecretOutputs: ["value"] },
  );

  const vault = pulumi.output(args.keyVaultId).apply((id) => parseVaultId(id));
  const vaultSecret = new keyvault.Secret(
    `${name}-secret`,
    {
      resourceGroupName: vault.resourceGroupName,
      vaultName: vault.vaultName,
      secretName: args.secretName,
      properties: {
        value: pulumi.secret(password.value),
        contentType: `Entra client secret: ${args.displayName}`,
        attributes: { enabled: true, expires: expiry.expiresUnix },
      },
      tags: args.tags,
    },
    { parent, additionalSecretOutputs: ["properties"] },
  );

  return {
    password,
    vaultSecret,
    secretName: pulumi.output(args.secretName),
    expiresOn: expiry.endDate,
  };
}
