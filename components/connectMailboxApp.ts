/**
 * ConnectMailboxApp (P8): the Entra app registration Connect uses to reach mailboxes. Microsoft Graph delegated
 * permissions for mail, calendar and contacts plus the sign-in scopes; EWS only when `access: "ews"` is chosen
 * (with a warning: Microsoft turns EWS off in Exchange Online from 1 October 2026); optional admin consent;
 * tenant-wide application permissions only when explicitly asked for; a client secret kept in Key Vault.
 */
import * as pulumi from "@pulumi/pulumi";
import * as azuread from "@pulumi/azuread";
import { checkAppSecret, createAppSecret, secretSettings } from "./appSecret";
import {
  EXCHANGE_DELEGATED,
  EXCHANGE_ONLINE_APP_ID,
  GRAPH_APP_ID,
  GRAPH_APPLICATION,
  GRAPH_DELEGATED,
  GraphApplicationRole,
  MAILBOX_SCOPES,
  SIGN_IN_SCOPES,
} from "./entraPermissions";

export type MailboxAccess = "graph" | "ews";

export const EWS_WARNING =
  'mailbox access "ews": Microsoft turns Exchange Web Services (EWS) off in Exchange Online from 1 October 2026; ' +
  "the app is granted EWS.AccessAsUser.All for now. Move Connect to Microsoft Graph (access: graph) before then.";

export const APPLICATION_PERMISSIONS_WARNING =
  "applicationPermissions: true grants the mailbox app Mail, Calendars and Contacts read/write on EVERY mailbox in " +
  "the tenant; limit it with an Exchange Online application access policy or RBAC for Applications.";

export interface PermissionPlan {
  /** The app registration's requiredResourceAccesses. */
  requiredResourceAccesses: Array<{
    resourceAppId: string;
    resourceAccesses: Array<{ id: string; type: "Scope" | "Role" }>;
  }>;
  /** Delegated grants for admin consent, per resource app id: the claim values. */
  delegatedGrants: Array<{ resourceAppId: string; claimValues: string[] }>;
  /** Application role ids (Graph) to assign for admin consent. */
  graphRoles: Array<{ name: GraphApplicationRole; id: string }>;
  /** Warnings to log. */
  warnings: string[];
}

/** The permissions for a mailbox access mode. Pure. */
export function mailboxPermissions(options: {
  access: MailboxAccess;
  applicationPermissions?: boolean;
}): PermissionPlan {
  if (options.access !== "graph" && options.access !== "ews") {
    throw new Error(`access: ${JSON.stringify(options.access)} is not "graph" (the default) or "ews"`);
  }
  const scopes = [...SIGN_IN_SCOPES, ...MAILBOX_SCOPES];
  const graphRoles =
    options.applicationPermissions === true
      ? (Object.keys(GRAPH_APPLICATION) as GraphApplicationRole[]).map((name) => ({
          name,
          id: GRAPH_APPLICATION[name],
        }))
      : [];
  const plan: PermissionPlan = {
    requiredResourceAccesses: [
      {
        resourceAppId: GRAPH_APP_ID,
        resourceAccesses: [
          ...scopes.map((s) => ({ id: GRAPH_DELEGATED[s], type: "Scope" as const })),
          ...graphRoles.map((r) => ({ id: r.id, type: "Role" as const })),
        ],
      },
    ],
    delegatedGrants: [{ resourceAppId: GRAPH_APP_ID, claimValues: [...scopes] }],
    graphRoles,
    warnings: [],
  };
  if (options.access === "ews") {
    plan.requiredResourceAccesses.push({
      resourceAppId: EXCHANGE_ONLINE_APP_ID,
      resourceAccesses: [{ id: EXCHANGE_DELEGATED["EWS.AccessAsUser.All"], type: "Scope" }],
    });
    plan.delegatedGrants.push({
      resourceAppId: EXCHANGE_ONLINE_APP_ID,
      claimValues: ["EWS.AccessAsUser.All"],
    });
    plan.warnings.push(EWS_WARNING);
  }
  if (graphRoles.length > 0) plan.warnings.push(APPLICATION_PERMISSIONS_WARNING);
  return plan;
}

export interface ConnectMailboxAppArgs {
  /** Prefix for names (Key Vault secret), e.g. "vp-prod". */
  readonly namePrefix: string;
  /** Display name in Entra (default "Vantagepoint Connect mailbox access"). */
  readonly displayName?: pulumi.Input<string>;
  /** "graph" (default) or "ews" (Exchange Online turns EWS off from 1 October 2026). */
  readonly access?: MailboxAccess;
  /** Grant admin consent for the delegated permissions (and application roles when asked for). */
  readonly adminConsent?: boolean;
  /** Tenant-wide Graph application permissions on every mailbox; only when true is passed explicitly. */
  readonly applicationPermissions?: boolean;
  /** Web redirect URIs, if the sign-in flow needs them. */
  readonly redirectUris?: pulumi.Input<string[]>;
  /** Object ids of the app's owners. */
  readonly owners?: pulumi.Input<string[]>;
  /** Key Vault (resource id) that keeps the client secret. */
  readonly keyVaultId: pulumi.Input<string>;
  /** Key Vault secret name (default <namePrefix>-mailbox-client-secret). */
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

export class ConnectMailboxApp extends pulumi.ComponentResource {
  /** Application (client) id. */
  declare public readonly applicationId: pulumi.Output<string>;
  /** The service principal's object id. */
  declare public readonly servicePrincipalObjectId: pulumi.Output<string>;
  /** Key Vault secret holding the client secret. */
  declare public readonly secretName: pulumi.Output<string>;
  /** RFC 3339 end date of the client secret. */
  declare public readonly secretExpiresOn: pulumi.Output<string>;
  /** "graph" or "ews". */
  declare public readonly access: pulumi.Output<MailboxAccess>;

  constructor(name: string, args: ConnectMailboxAppArgs, opts?: pulumi.ComponentResourceOptions) {
    // Checked before super(): bad input registers nothing.
    const access = args.access ?? "graph";
    const plan = mailboxPermissions({ access, applicationPermissions: args.applicationPermissions });
    checkAppSecret(secretSettings(args, "mailbox"));
    super("vantagepoint-connect:index:ConnectMailboxApp", name, {}, opts);
    for (const warning of plan.warnings) pulumi.log.warn(warning, this);

    const application = new azuread.Application(
      `${name}-app`,
      {
        displayName: args.displayName ?? "Vantagepoint Connect mailbox access",
        signInAudience: "AzureADMyOrg",
        owners: args.owners,
        web: args.redirectUris === undefined ? undefined : { redirectUris: args.redirectUris },
        requiredResourceAccesses: plan.requiredResourceAccesses,
      },
      { parent: this },
    );

    const servicePrincipal = new azuread.ServicePrincipal(
      `${name}-sp`,
      { clientId: application.clientId, owners: args.owners },
      { parent: this },
    );

    if (args.adminConsent === true) grantAdminConsent(name, plan, servicePrincipal, this);

    const secret = createAppSecret(
      name,
      {
        application,
        ...secretSettings(args, "mailbox"),
        displayName: "Vantagepoint Connect mailbox access",
        keyVaultId: args.keyVaultId,
        tags: args.tags,
      },
      this,
    );

    this.applicationId = application.clientId;
    this.servicePrincipalObjectId = servicePrincipal.objectId;
    this.secretName = secret.secretName;
    this.secretExpiresOn = pulumi.output(secret.expiresOn);
    this.access = pulumi.output(access);
    this.registerOutputs({
      applicationId: this.applicationId,
      servicePrincipalObjectId: this.servicePrincipalObjectId,
      secretName: this.secretName,
      secretExpiresOn: this.secretExpiresOn,
      access: this.access,
    });
  }
}

/** Tenant-wide admin consent: delegated grants per resource, app role assignments for application roles. */
function grantAdminConsent(
  name: string,
  plan: PermissionPlan,
  servicePrincipal: azuread.ServicePrincipal,
  parent: pulumi.Resource,
): void {
  // The Microsoft first-party service principals are looked up, never managed (a resource would delete them on destroy).
  const resourceSp = (clientId: string) => azuread.getServicePrincipalOutput({ clientId }, { parent });
  const graph = resourceSp(GRAPH_APP_ID);
  for (const grant of plan.delegatedGrants) {
    const resource = grant.resourceAppId === GRAPH_APP_ID ? graph : resourceSp(grant.resourceAppId);
    const label = grant.resourceAppId === GRAPH_APP_ID ? "graph" : "exchange";
    new azuread.ServicePrincipalDelegatedPermissionGrant(
      `${name}-consent-${label}`,
      {
        servicePrincipalObjectId: servicePrincipal.objectId,
        resourceServicePrincipalObjectId: resource.objectId,
        claimValues: grant.claimValues,
      },
      { parent },
    );
  }
  for (const role of plan.graphRoles) {
    new azuread.AppRoleAssignment(
      `${name}-role-${role.name.replace(/\W/g, "-").toLowerCase()}`,
      { appRoleId: role.id, principalObjectId: servicePrincipal.objectId, resourceObjectId: graph.objectId },
      { parent },
    );
  }
}
