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
import {
  DEFAULT_SECRET_FIELDS,
  MAX_SECRET_LIFETIME_DAYS,
  parseVaultId,
  secretExpiry,
  secretExpiryProblem,
  secretNameProblem,
} from "../lib/secretExpiry";
import type { SecretExpiry, SecretFieldNames } from "../lib/secretExpiry";

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
  const fields = args.fields ?? DEFAULT_SECRET_FIELDS;
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
