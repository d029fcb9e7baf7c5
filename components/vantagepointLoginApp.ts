/**
 * VantagepointLoginApp (P7): the Entra app registration Deltek documents for Azure AD login to Vantagepoint:
 * single tenant, web redirect to the public URL's app path, an exposed `user_impersonation` scope, its
 * service principal, and a client secret with a planned expiry kept in Key Vault.
 */
import * as pulumi from "@pulumi/pulumi";
import * as azuread from "@pulumi/azuread";
import { AppRegistrationArgs, checkAppRegistration, createAppRegistration } from "./appRegistration";
import { GRAPH_APP_ID, GRAPH_DELEGATED, loginRedirectUri, stableUuid } from "../lib/entra";

export interface VantagepointLoginAppArgs extends AppRegistrationArgs {
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
}

/** The Entra app registration for Entra ID login to Vantagepoint, with its client secret in Key Vault (P7). */
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
    checkAppRegistration(args, "login");
    super("vantagepoint-connect:index:VantagepointLoginApp", name, {}, opts);
    const redirectUri = pulumi.output(args.publicUrl).apply((u) => loginRedirectUri(u, appPath));
    const identifierUri =
      args.identifierUri !== undefined
        ? pulumi.output(args.identifierUri)
        : pulumi.interpolate`api://${args.tenantId ?? azuread.getClientConfigOutput({ parent: this }).tenantId}/${args.namePrefix}-vantagepoint`;

    const app = createAppRegistration(
      name,
      args,
      {
        kind: "login",
        secretDisplayName: "Vantagepoint login (Azure AD)",
        application: {
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
      },
      this,
    );

    this.applicationId = app.applicationId;
    this.servicePrincipalObjectId = app.servicePrincipalObjectId;
    this.secretName = app.secretName;
    this.secretExpiresOn = app.secretExpiresOn;
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
