/**
 * VantagepointLoginApp (P7): the Entra app registration Deltek documents for Azure AD login to Vantagepoint:
 * single tenant, web redirect to the public URL's app path, the default Application ID URI
 * (`api://<application id>`, set once the id exists), an exposed `user_impersonation` scope, no access-token
 * version unless asked (Deltek's guide sets none), its service principal, and a client secret with a planned expiry
 * kept in Key Vault. For tenants that block user consent, `adminConsent` grants the app's scopes tenant-wide.
 * Source: shared/reference/connect-prerequisites.md, "Entra ID (Azure AD) login app, as Deltek documents it".
 */
import * as pulumi from "@pulumi/pulumi";
import * as azuread from "@pulumi/azuread";
import { AppRegistrationArgs, checkAppRegistration, createAppRegistration } from "./appRegistration";
import { secretSettings } from "./appSecret";
import { checkLoginSecret, createLoginSecret } from "./loginAppSecret";
import type { LoginSecretArgs } from "./loginAppSecret";
import { GRAPH_APP_ID, GRAPH_DELEGATED, loginRedirectUri, stableUuid } from "../lib/entra";
import { MAX_SECRET_LIFETIME_DAYS } from "../lib/secretExpiry";
import { loginAppArgsProblems } from "../lib/site/appArgs";
import { checkArgs } from "./argsCheck";

/** Shown in Entra next to slot A (the single secret's name of earlier versions: changing it would replace it). */
const LOGIN_SECRET_DISPLAY_NAME = "Vantagepoint login (Azure AD)";

export interface VantagepointLoginAppArgs extends AppRegistrationArgs {
  /** Prefix for names (Key Vault secret, scope id seed), e.g. "vp-prod". */
  readonly namePrefix: string;
  /** Display name in Entra (default "Deltek Vantagepoint"). */
  readonly displayName?: pulumi.Input<string>;
  /** The public Vantagepoint URL, https://<host>/vantagepoint (PublicEndpoint.publicUrl). */
  readonly publicUrl: pulumi.Input<string>;
  /** Path of Vantagepoint's app under publicUrl, where Entra redirects after sign-in (default "/app"). */
  readonly appPath?: string;
  /** Application ID URI (default api://<application id>, as Deltek's guide accepts it). */
  readonly identifierUri?: pulumi.Input<string>;
  /** Web redirect URI (default <publicUrl><appPath>); cloud-hosted paths differ. */
  readonly redirectUri?: pulumi.Input<string>;
  /** The API's requested access-token version (default unset, as in Deltek's guide). */
  readonly accessTokenVersion?: number;
  /** Grant tenant-wide admin consent for User.Read and the app's own user_impersonation scope (default false). */
  readonly adminConsent?: boolean;
  /** Slot B's issue day, YYYY-MM-DD: set it to rotate; the slot issued last is active (secretRotatedOn is slot A). */
  readonly secretSlotBRotatedOn?: string;
  /** Days the retiring slot must outlive the active one's issue day: time to paste it into Vantagepoint (default 30). */
  readonly secretOverlapDays?: number;
  /** Warn this many days before the active slot expires (default secretOverlapDays + 30). */
  readonly secretWarningDays?: number;
  /** Overridable clock for tests: decides warnings only, never which slot is active. */
  readonly now?: Date;
}

/** The Entra app registration for Entra ID login to Vantagepoint, with its client secret in Key Vault (P7). */
export class VantagepointLoginApp extends pulumi.ComponentResource {
  /** Application (client) id: Vantagepoint's "Server Client ID". */
  declare public readonly applicationId: pulumi.Output<string>;
  /** The service principal's object id. */
  declare public readonly servicePrincipalObjectId: pulumi.Output<string>;
  /** Key Vault secret holding the client secret. */
  declare public readonly secretName: pulumi.Output<string>;
  /** RFC 3339 end date of the active client secret (the one in Key Vault). */
  declare public readonly secretExpiresOn: pulumi.Output<string>;
  /** The slot whose value the Key Vault secret holds: "A" or "B". */
  declare public readonly activeSecretSlot: pulumi.Output<string>;
  /** RFC 3339 end date of the retiring slot, if any: paste the active one into Vantagepoint before it. */
  declare public readonly retiringSecretExpiresOn: pulumi.Output<string | undefined>;
  /** The web redirect URI registered on the app. */
  declare public readonly redirectUri: pulumi.Output<string>;
  /** The Application ID URI. */
  declare public readonly identifierUri: pulumi.Output<string>;

  constructor(name: string, args: VantagepointLoginAppArgs, opts?: pulumi.ComponentResourceOptions) {
    // Checked before super(): bad input registers nothing; every problem at once, named by arg.
    const argsChecked = checkArgs("VantagepointLoginApp", name, args, (view) =>
      loginAppArgsProblems(view, args.now),
    );
    const appPath = args.appPath ?? "/app";
    if (typeof args.publicUrl === "string") loginRedirectUri(args.publicUrl, appPath);
    checkAppRegistration(args, "login", false);
    const settings = secretSettings(args, "login");
    const secretArgs: LoginSecretArgs = { ...args, now: args.now };
    const { plan, warnings } = checkLoginSecret(
      { ...secretArgs, secretName: settings.secretName },
      MAX_SECRET_LIFETIME_DAYS,
    );
    if (args.accessTokenVersion !== undefined && ![1, 2].includes(args.accessTokenVersion)) {
      throw new Error(`accessTokenVersion: ${JSON.stringify(args.accessTokenVersion)} is not 1 or 2`);
    }
    super("vantagepoint-connect:index:VantagepointLoginApp", name, {}, opts);
    for (const warning of warnings) pulumi.log.warn(warning, this);
    const redirectUri =
      args.redirectUri !== undefined
        ? pulumi.output(args.redirectUri)
        : pulumi.output(args.publicUrl).apply((u) => loginRedirectUri(u, appPath));
    const scopeId = stableUuid(`${args.namePrefix}/user_impersonation`);

    let identifierUriResource: azuread.ApplicationIdentifierUri | undefined;
    const app = createAppRegistration(
      name,
      args,
      {
        kind: "login",
        secretDisplayName: LOGIN_SECRET_DISPLAY_NAME,
        application: {
          displayName: args.displayName ?? "Deltek Vantagepoint",
          signInAudience: "AzureADMyOrg",
          ...(args.identifierUri !== undefined ? { identifierUris: [args.identifierUri] } : {}),
          web: { redirectUris: [redirectUri] },
          api: {
            ...(args.accessTokenVersion !== undefined
              ? { requestedAccessTokenVersion: args.accessTokenVersion }
              : {}),
            oauth2PermissionScopes: [
              {
                id: scopeId,
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
        // The default URI names the application id, known only once the app exists: a resource of its own.
        ...(args.identifierUri === undefined ? { ignoreChanges: ["identifierUris"] } : {}),
        withServicePrincipal: (servicePrincipal, application) => {
          if (args.identifierUri === undefined) {
            identifierUriResource = new azuread.ApplicationIdentifierUri(
              `${name}-identifier-uri`,
              {
                applicationId: application.id,
                identifierUri: pulumi.interpolate`api://${application.clientId}`,
              },
              { parent: this },
            );
          }
          if (args.adminConsent) grantAdminConsent(name, servicePrincipal, this);
        },
        createSecret: (application) =>
          createLoginSecret(
            name,
            {
              application,
              plan,
              now: args.now ?? new Date(),
              displayName: LOGIN_SECRET_DISPLAY_NAME,
              keyVaultId: args.keyVaultId,
              secretName: settings.secretName,
              tags: args.tags,
            },
            this,
          ),
      },
      this,
    );
    const identifierUri =
      args.identifierUri !== undefined
        ? pulumi.output(args.identifierUri)
        : identifierUriResource!.identifierUri;

    this.applicationId = app.applicationId;
    this.servicePrincipalObjectId = app.servicePrincipalObjectId;
    this.secretName = app.secretName;
    this.secretExpiresOn = app.secretExpiresOn;
    this.activeSecretSlot = pulumi.output(plan.active.slot);
    this.retiringSecretExpiresOn = pulumi.output(plan.retiring?.endDate);
    this.redirectUri = redirectUri;
    this.identifierUri = identifierUri;
    this.registerOutputs({
      applicationId: this.applicationId,
      servicePrincipalObjectId: this.servicePrincipalObjectId,
      secretName: this.secretName,
      secretExpiresOn: this.secretExpiresOn,
      activeSecretSlot: this.activeSecretSlot,
      retiringSecretExpiresOn: this.retiringSecretExpiresOn,
      redirectUri: this.redirectUri,
      identifierUri: this.identifierUri,
      argsChecked,
    });
  }
}

/**
 * Tenant-wide admin consent, for tenants that block user consent: the app's delegated User.Read on Graph and its own
 * user_impersonation scope. Microsoft's first-party service principal is looked up, never managed.
 */
function grantAdminConsent(
  name: string,
  servicePrincipal: azuread.ServicePrincipal,
  parent: pulumi.Resource,
): void {
  const graph = azuread.getServicePrincipalOutput({ clientId: GRAPH_APP_ID }, { parent });
  new azuread.ServicePrincipalDelegatedPermissionGrant(
    `${name}-consent-graph`,
    {
      servicePrincipalObjectId: servicePrincipal.objectId,
      resourceServicePrincipalObjectId: graph.objectId,
      claimValues: ["User.Read"],
    },
    { parent },
  );
  new azuread.ServicePrincipalDelegatedPermissionGrant(
    `${name}-consent-self`,
    {
      servicePrincipalObjectId: servicePrincipal.objectId,
      resourceServicePrincipalObjectId: servicePrincipal.objectId,
      claimValues: ["user_impersonation"],
    },
    { parent },
  );
}
