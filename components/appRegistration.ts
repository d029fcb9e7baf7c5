/**
 * The Entra app registration both app components make (ConnectMailboxApp, VantagepointLoginApp): the
 * application, its service principal, and a client secret kept in Key Vault (appSecret.ts). Not a component of
 * its own: the resources are children of the app component that calls it.
 */
import * as pulumi from "@pulumi/pulumi";
import * as azuread from "@pulumi/azuread";
import { checkAppSecret, createAppSecret, secretSettings } from "./appSecret";
import { appOwners, ownersProblem } from "../lib/entra";

/** The args both app components take for the registration's owners and its client secret. */
export interface AppRegistrationArgs {
  /** Prefix for names (Key Vault secret), e.g. "vp-prod". */
  readonly namePrefix: string;
  /**
   * Object ids of further owners of the app and its service principal; the deploying principal (azuread's
   * client config) is always an owner, so a CI principal with Application.ReadWrite.OwnedBy can manage the app
   * it created.
   */
  readonly owners?: pulumi.Input<string[]>;
  /** Key Vault (resource id) that keeps the client secret. */
  readonly keyVaultId: pulumi.Input<string>;
  /** Key Vault secret name (default <namePrefix>-mailbox-client-secret or <namePrefix>-login-client-secret). */
  readonly secretName?: pulumi.Input<string>;
  /** Day the client secret was last rotated, YYYY-MM-DD; change it to rotate. */
  readonly secretRotatedOn: string;
  /** Client secret lifetime in days from secretRotatedOn (default and maximum 730). */
  readonly secretLifetimeDays?: number;
  /** Azure tags for the Key Vault secret. */
  readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/** What sets one app registration apart from the other. */
export interface AppRegistrationShape {
  /** Names the default Key Vault secret: <namePrefix>-<kind>-client-secret. */
  kind: string;
  /** Shown in Entra next to the client secret. */
  secretDisplayName: string;
  /** The application's own args (display name, audience, owners, permissions, ...). */
  application: azuread.ApplicationArgs;
  /** Registers what hangs off the service principal before the secret (e.g. admin consent). */
  withServicePrincipal?: (
    servicePrincipal: azuread.ServicePrincipal,
    application: azuread.Application,
  ) => void;
  /** Application properties another resource manages (e.g. identifierUris with ApplicationIdentifierUri). */
  ignoreChanges?: string[];
  /** Registers the client secret itself (the login app's two slots); default one password (appSecret.ts). */
  createSecret?: (application: azuread.Application) => {
    secretName: pulumi.Output<string>;
    expiresOn: string;
  };
}

/** The outputs both app components export. */
export interface AppRegistrationOutputs {
  /** Application (client) id. */
  applicationId: pulumi.Output<string>;
  /** The service principal's object id. */
  servicePrincipalObjectId: pulumi.Output<string>;
  /** Key Vault secret holding the client secret. */
  secretName: pulumi.Output<string>;
  /** RFC 3339 end date of the client secret. */
  secretExpiresOn: pulumi.Output<string>;
}

/** Checks the owners and the secret settings before anything is registered (throws naming the field). */
export function checkAppRegistration(args: AppRegistrationArgs, kind: string, secret = true): void {
  if (Array.isArray(args.owners)) {
    const problem = ownersProblem(args.owners);
    if (problem) throw new Error(problem);
  }
  if (secret) checkAppSecret(secretSettings(args, kind));
}

/** Registers the application, its service principal and the client secret as children of `parent`. */
export function createAppRegistration(
  name: string,
  args: AppRegistrationArgs,
  shape: AppRegistrationShape,
  parent: pulumi.Resource,
): AppRegistrationOutputs {
  // The deploying principal owns what it creates (azuread docs advise always setting owners), plus the listed ones.
  const deployer = azuread.getClientConfigOutput({ parent });
  const owners = pulumi
    .all([deployer.objectId, pulumi.output(args.owners ?? [])])
    .apply(([objectId, more]) => appOwners(objectId, more));
  const application = new azuread.Application(
    `${name}-app`,
    { ...shape.application, owners },
    { parent, ...(shape.ignoreChanges ? { ignoreChanges: shape.ignoreChanges } : {}) },
  );

  const servicePrincipal = new azuread.ServicePrincipal(
    `${name}-sp`,
    { clientId: application.clientId, owners },
    { parent },
  );

  shape.withServicePrincipal?.(servicePrincipal, application);

  const secret = shape.createSecret
    ? shape.createSecret(application)
    : createAppSecret(
        name,
        {
          application,
          ...secretSettings(args, shape.kind),
          displayName: shape.secretDisplayName,
          keyVaultId: args.keyVaultId,
          tags: args.tags,
        },
        parent,
      );

  return {
    applicationId: application.clientId,
    servicePrincipalObjectId: servicePrincipal.objectId,
    secretName: secret.secretName,
    secretExpiresOn: pulumi.output(secret.expiresOn),
  };
}
