/** ConnectSite's Entra apps: the Vantagepoint login app and the Connect mailbox app, each when asked for. */
import type * as pulumi from "@pulumi/pulumi";
import { ConnectMailboxApp } from "../connectMailboxApp";
import type { PublicEndpoint } from "../publicEndpoint";
import { VantagepointLoginApp } from "../vantagepointLoginApp";
import type { ConnectSiteArgs } from "./args";

/** The Entra login app for Vantagepoint's Active Directory sign-in (P7), when `loginApp` is set. */
export function loginApp(
  name: string,
  args: ConnectSiteArgs,
  endpoint: PublicEndpoint,
  keyVaultId: pulumi.Output<string>,
  tags: Record<string, pulumi.Input<string>>,
  parent: pulumi.Resource,
): VantagepointLoginApp | undefined {
  return args.loginApp
    ? new VantagepointLoginApp(
        `${name}-login-app`,
        {
          namePrefix: args.namePrefix,
          displayName: args.loginApp.displayName,
          publicUrl: endpoint.publicUrl,
          identifierUri: args.loginApp.identifierUri,
          accessTokenVersion: args.loginApp.accessTokenVersion,
          redirectUri: args.loginApp.redirectUri,
          adminConsent: args.loginApp.grantAdminConsent,
          keyVaultId,
          secretRotatedOn: args.loginApp.secretRotatedOn,
          secretSlotBRotatedOn: args.loginApp.secretSlotBRotatedOn,
          secretLifetimeDays: args.loginApp.secretLifetimeDays,
          secretOverlapDays: args.loginApp.secretOverlapDays,
          secretWarningDays: args.loginApp.secretWarningDays,
          owners: args.appOwners,
          tags,
        },
        { parent },
      )
    : undefined;
}

/** The Entra app Connect reads mailboxes with (P8), when `mailboxApp` is set. */
export function mailboxApp(
  name: string,
  args: ConnectSiteArgs,
  keyVaultId: pulumi.Output<string>,
  tags: Record<string, pulumi.Input<string>>,
  parent: pulumi.Resource,
): ConnectMailboxApp | undefined {
  return args.mailboxApp
    ? new ConnectMailboxApp(
        `${name}-mailbox-app`,
        {
          namePrefix: args.namePrefix,
          displayName: args.mailboxApp.displayName,
          access: args.mailboxApp.access,
          adminConsent: args.mailboxApp.grantAdminConsent,
          applicationPermissions: args.mailboxApp.applicationPermissions,
          keyVaultId,
          secretRotatedOn: args.mailboxApp.secretRotatedOn,
          secretLifetimeDays: args.mailboxApp.secretLifetimeDays,
          owners: args.appOwners,
          tags,
        },
        { parent },
      )
    : undefined;
}
