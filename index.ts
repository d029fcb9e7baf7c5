/**
 * The Pulumi program: read and validate the `vpconnect:*` stack config, map it to ConnectSite's typed args, and
 * declare one ConnectSite. Invalid config throws here, before the first resource is registered, with every
 * problem listed.
 */
import * as pulumi from "@pulumi/pulumi";
import { ConnectSite } from "./components/connectSite";
import { siteArgsFromConfig } from "./program/siteArgs";
import { loadConfigFromEngine } from "./program/stackConfig";

const loaded = loadConfigFromEngine();
const site = new ConnectSite("connect", siteArgsFromConfig(loaded));
for (const warning of loaded.warnings) pulumi.log.warn(warning, site);
// The login app's secret slots (its warnings come from the component itself).
if (loaded.loginSecret) pulumi.log.info(loaded.loginSecret.status, site);

/** The URL to give Connect. */
export const publicUrl = site.publicUrl;
/** The gateway's public IP (point the DNS A record here when DNS is not managed by this stack). */
export const publicIp = site.publicIp;
/** The enforced allow list (minimal CIDR cover). */
export const allowedRanges = site.allowedRanges;
/** Enter as "Server Client ID" in Vantagepoint's Active Directory settings (Entra ID login). */
export const loginAppClientId = site.loginAppClientId;
/** The Connect mailbox app's client ID. */
export const mailboxAppClientId = site.mailboxAppClientId;
/** The Key Vault holding the certificate and the app secrets. */
export const keyVaultUri = site.keyVaultUri;
/** Client ID of the Connect API Authorization. */
export const connectClientId = site.connectClientId;
/** Its secret (a Pulumi secret; shown only with `pulumi stack output --show-secrets`). */
export const connectClientSecret = site.connectClientSecret;
/** People seeded for Connect. */
export const connectUsers = site.connectUsers;
/** What the deploy-time verification found. */
export const verificationReport = site.verificationReport;
