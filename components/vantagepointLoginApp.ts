/**
 * VantagepointLoginApp (P7): the Entra app registration Deltek documents for Azure AD login to Vantagepoint:
 * single tenant, web redirect to the public URL's app path, an exposed `user_impersonation` scope, its
 * service principal, and a client secret with a planned expiry kept in Key Vault.
 */
import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import * as azuread from "@pulumi/azuread";
import { checkAppSecret, createAppSecret, secretSettings } from "./appSecret";
import { GRAPH_APP_ID, GRAPH_DELEGATED } from "./entraPermissions";

/** Namespace for the name-based (version 5) UUIDs of scopes this project exposes. */
const SCOPE_NAMESPACE = "8d1f3c2e-6b7a-4e0f-9a51-2c4b6d8e0f13";

/** A version 5 (SHA-1, name-based) UUID: the same name always gives the same id, so scope ids never churn. */
export function stableUuid(name: string, namespace = SCOPE_NAMESPACE): string {
  const ns = Buffer.from(namespace.replace(/-/g, ""), "hex");
  const hash = createHash("sha1").update(ns).update(name, "utf8").digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** `${publicUrl}${appPath}` with exactly one slash between them; publicUrl is https://host/vantagepoint. */
export function loginRedirectUri(publicUrl: string, appPath = "/app"): string {
  if (!/^https:\/\/[^/\s]+(\/[^\s]*)?$/.test(publicUrl)) {
    throw new Error(
      `publicUrl: ${JSON.stringify(publicUrl)} is not an https URL; expected https://<host>/vantagepoint`,
    );
  }
  const path = appPath.trim().replace(/^\/+/, "").replace(/\/+$/, "");
  return path === "" ? publicUrl.replace(/\/+$/, "") : `${publicUrl.replace(/\/+$/, "")}/${path}`;
}

export interface VantagepointLoginAppArgs {
  /** Prefix for names (Key Vault secret, scope id seed), e.g. "vp-prod". */
  readonly namePrefix: string;
  /** Display name in Entra (default "Deltek Vantagepoint"). */
  readonly displayName?: pulumi.Input<string>;
  /** The public Vantagepoint URL, https://<host>/vantagepoint (PublicEndpoint.publicUrl). */
  readonly publicUrl: pulumi.Input<string>;
  /** Path of Vantagepoint's app under publicUrl, where Entra redirects after sign-in (default "/app"). */
  readonly appPath?: string;
  /** Application ID URI (default api://<tenant id>/<namePrefix>-vantagepoint). */
  readonly identifierUri?: pulumi.Input<string>;
  /** Entra tenant id for the default identifier URI (default the tenant Pulumi deploys with). */
  readonly tenantId?: pulumi.Input<string>;
  /** Object ids of the app's owners. */
  readonly owners?: pulumi.Input<string[]>;
  /** Key Vault (resource id) that keeps the client secret. */
  readonly keyVaultId: pulumi.Input<string>;
  /** Key Vault secret name (default <namePrefix>-login-client-secret). */
  readonly secretName?: pulumi.Input<string>;
  /** Day the client secret was last rotated, YYYY-MM-DD; change it to rotate. */
  readonly secretRotatedOn: string;
  /** Client secret lifetime in days from secretRotatedOn (default and maximum 730). */
  readonly secretLifetimeDays?: number;
  /** Azure tags for the Key Vault secret. */
  readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Clock for the expiry check (tests only; default now). */
  readonly now?: Date;
}

export class VantagepointLoginApp extends pulumi.ComponentResource {
  /** Application (client) id: Vantagepoint's "Server Client ID". */
  declare public readonly applicationId: pulumi.Output<string>;
  /** The service principal's object id. */
  declare public readonly servicePrincipalObjectId: pulumi.Output<string>;
  /** Key Vault secret holding the client secret. */
  declare public readonly secretName: pulumi.Output<string>;
  /** RFC 3339 end date of the client secret. */
  declare public readonly secretExpiresOn: pulumi.Output<string>;
  /** The web redirect URI registered on the app. */
  declare public readonly redirectUri: pulumi.Output<string>;
  /** The Application ID URI. */
  declare public readonly identifierUri: pulumi.Output<string>;

  constructor(name: string, args: VantagepointLoginAppArgs, opts?: pulumi.ComponentResourceOptions) {
    // Checked before super(): bad input registers nothing.
    const appPath = args.appPath ?? "/app";
    if (typeof args.publicUrl === "string") loginRedirectUri(args.publicUrl, appPath);
    checkAppSecret(secretSettings(args, "login"));
    super("vantagepoint-connect:index:VantagepointLoginApp", name, {}, opts);
    const redirectUri = pulumi.output(args.publicUrl).apply((u) => loginRedirectUri(u, appPath));
    const identifierUri =
      args.identifierUri !== undefined
        ? pulumi.output(args.identifierUri)
        : pulumi.interpolate`api://${args.tenantId ?? azuread.getClientConfigOutput({ parent: this }).tenantId}/${args.namePrefix}-vantagepoint`;

    const application = new azuread.Application(
      `${name}-app`,
      {
        displayName: args.displayName ?? "Deltek Vantagepoint",
        signInAudience: "AzureADMyOrg",
        identifierUris: [identifierUri],
        owners: args.owners,
        web: { redirectUris: [redirectUri] },
        api: {
          requestedAccessTokenVersion: 2,
          oauth2PermissionScopes: [
            {
              id: stableUuid(`${args.namePrefix}/user_impersonation`),
              value: "user_impersonation",
              type: "User",
              enabled: true,
              adminConsentDisplayName: "Access Deltek Vantagepoint",
              adminConsentDescription:
                "Allow the application to access Deltek Vantagepoint on behalf of the signed-in user.",
              userConsentDisplayName: "Access Deltek Vantagepoint",
              userConsentDescription: "Allow the application to access Deltek Vantagepoint on your behalf.",
            },
          ],
        },
        requiredResourceAccesses: [
          {
            resourceAppId: GRAPH_APP_ID,
            resourceAccesses: [{ id: GRAPH_DELEGATED["User.Read"], type: "Scope" }],
          },
        ],
      },
      { parent: this },
    );

    const servicePrincipal = new azuread.ServicePrincipal(
      `${name}-sp`,
      { clientId: application.clientId, owners: args.owners },
      { parent: this },
    );

    const secret = createAppSecret(
      name,
      {
        application,
        ...secretSettings(args, "login"),
        displayName: "Vantagepoint login (Azure AD)",
        keyVaultId: args.keyVaultId,
        tags: args.tags,
      },
      this,
    );

    this.applicationId = application.clientId;
    this.servicePrincipalObjectId = servicePrincipal.objectId;
    this.secretName = secret.secretName;
    this.secretExpiresOn = pulumi.output(secret.expiresOn);
    this.redirectUri = redirectUri;
    this.identifierUri = identifierUri;
    this.registerOutputs({
      applicationId: this.applicationId,
      servicePrincipalObjectId: this.servicePrincipalObjectId,
      secretName: this.secretName,
      secretExpiresOn: this.secretExpiresOn,
      redirectUri: this.redirectUri,
      identifierUri: this.identifierUri,
    });
  }
}
