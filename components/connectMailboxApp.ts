/**
 * ConnectMailboxApp (P8): the Entra app registration Connect uses to reach mailboxes. Microsoft Graph delegated
 * permissions for mail, calendar and contacts plus the sign-in scopes; EWS only when `access: "ews"` is chosen
 * (with a warning: Microsoft turns EWS off in Exchange Online from 1 October 2026); optional admin consent;
 * tenant-wide application permissions only when explicitly asked for; a client secret kept in Key Vault.
 */
import * as pulumi from "@pulumi/pulumi";
import * as azuread from "@pulumi/azuread";
import { AppRegistrationArgs, checkAppRegistration, createAppRegistration } from "./appRegistration";
import { GRAPH_APP_ID, mailboxPermissions } from "../lib/entra";
import type { PermissionPlan } from "../lib/entra";
import { mailboxAppArgsProblems } from "../lib/site/appArgs";
import { checkArgs } from "./argsCheck";

/** The mailbox API Connect uses. */
export const MailboxAccessKind = { Graph: "graph", Ews: "ews" } as const;
/** "graph" (Microsoft Graph) or "ews" (Exchange Web Services, off in Exchange Online from 1 October 2026). */
export type MailboxAccessKind = (typeof MailboxAccessKind)[keyof typeof MailboxAccessKind];

export interface ConnectMailboxAppArgs extends AppRegistrationArgs {
  /** Display name in Entra (default "Vantagepoint Connect mailbox access"). */
  readonly displayName?: pulumi.Input<string>;
  /** "graph" (default) or "ews" (Exchange Online turns EWS off from 1 October 2026). */
  readonly access?: MailboxAccessKind;
  /** Grant admin consent for the delegated permissions (and application roles when asked for). */
  readonly adminConsent?: boolean;
  /** Tenant-wide Graph application permissions on every mailbox; only when true is passed explicitly. */
  readonly applicationPermissions?: boolean;
  /** Web redirect URIs, if the sign-in flow needs them. */
  readonly redirectUris?: pulumi.Input<string[]>;
}

/** The Entra app registration Connect uses to reach mailboxes, with its client secret in Key Vault (P8). */
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
  declare public readonly access: pulumi.Output<MailboxAccessKind>;

  constructor(name: string, args: ConnectMailboxAppArgs, opts?: pulumi.ComponentResourceOptions) {
    // Checked before super(): bad input registers nothing; every problem at once, named by arg.
    const argsChecked = checkArgs("ConnectMailboxApp", name, args, (view) => mailboxAppArgsProblems(view));
    const access = args.access ?? "graph";
    const plan = mailboxPermissions({ access, applicationPermissions: args.applicationPermissions });
    checkAppRegistration(args, "mailbox");
    super("vantagepoint-connect:index:ConnectMailboxApp", name, {}, opts);
    for (const warning of plan.warnings) pulumi.log.warn(warning, this);

    const app = createAppRegistration(
      name,
      args,
      {
        kind: "mailbox",
        secretDisplayName: "Vantagepoint Connect mailbox access",
        application: {
          displayName: args.displayName ?? "Vantagepoint Connect mailbox access",
          signInAudience: "AzureADMyOrg",
          web: args.redirectUris === undefined ? undefined : { redirectUris: args.redirectUris },
          requiredResourceAccesses: plan.requiredResourceAccesses,
        },
        withServicePrincipal: (servicePrincipal) => {
          if (args.adminConsent === true) grantAdminConsent(name, plan, servicePrincipal, this);
        },
      },
      this,
    );

    this.applicationId = app.applicationId;
    this.servicePrincipalObjectId = app.servicePrincipalObjectId;
    this.secretName = app.secretName;
    this.secretExpiresOn = app.secretExpiresOn;
    this.access = pulumi.output(access);
    this.registerOutputs({
      applicationId: this.applicationId,
      servicePrincipalObjectId: this.servicePrincipalObjectId,
      secretName: this.secretName,
      secretExpiresOn: this.secretExpiresOn,
      access: this.access,
      argsChecked,
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
