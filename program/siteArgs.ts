/**
 * The bundled program's mapping from validated stack config (lib/config) to ConnectSite's typed args. The
 * components never see the stack-config schema; the config's errors (every problem at once, named by config key)
 * come from lib/config/load.ts before this runs.
 */
import * as pulumi from "@pulumi/pulumi";
import type { ConnectSiteArgs } from "../components/connectSite";
import type { LoadedConfig } from "../lib/config/load";
import type { SecretValue } from "../lib/values/secret";
import { SECRET_NOT_AT_HAND } from "../lib/site/view";
import { newEmployeeRule } from "../lib/vantagepoint/roster";
import {
  apiThroughPublicUrl,
  effectiveRouteTable,
  gatewayZones,
  locksEnabled,
  pemToBase64Der,
  vaultFirewall,
} from "../lib/config/siteShape";

/** ConnectSite's args for a validated stack config. */
export function siteArgsFromConfig(loaded: LoadedConfig): ConnectSiteArgs {
  const c = loaded.config;
  const vp = c.vantagepoint;
  const mailbox = c.entra.mailboxApp;
  return {
    namePrefix: c.azure.namePrefix,
    location: c.azure.location,
    resourceGroup: { name: c.azure.resourceGroupName, create: c.azure.createResourceGroup },
    tags: c.azure.tags,
    network: {
      existingVirtualNetwork: c.azure.network.existingVirtualNetwork,
      addressSpace: c.azure.network.addressSpace,
      gatewaySubnetPrefix: c.azure.network.gatewaySubnetPrefix,
      gatewaySubnetName: c.azure.network.gatewaySubnetName,
      backendRoute: c.azure.network.backendRoute,
      hub: c.azure.network.hub,
      dnsServers: c.azure.network.dnsServers,
      routeTable: effectiveRouteTable(c),
      ipv6AddressSpace: c.azure.network.ipv6AddressSpace,
      gatewaySubnetIpv6Prefix: c.azure.network.gatewaySubnetIpv6Prefix,
    },
    publicHostname: c.site.publicHostname,
    vantagepointPath: c.site.vantagepointPath,
    backend: {
      address: c.site.backend.address,
      port: c.site.backend.port,
      protocol: c.site.backend.protocol === "https" ? "Https" : "Http",
      hostName: c.site.backend.hostHeader ?? c.site.publicHostname,
      trustedRootCertificates: c.site.backend.trustedRootCertificates.map((r) => ({
        name: r.name,
        data: pemToBase64Der(r.pem),
      })),
    },
    dns: c.azure.dns,
    tls: {
      keyVault: {
        name: c.tls.keyVault.name,
        create: c.tls.keyVault.create,
        resourceGroupName: c.tls.keyVault.resourceGroupName,
        uniqueName: c.tls.keyVault.uniqueName,
        nameSuffix: c.tls.keyVault.nameSuffix,
        firewall: vaultFirewall(c),
      },
      certificateName: c.tls.certificateName,
      sslPolicy: c.tls.sslPolicy,
      certificateSource: c.tls.certificateSource,
      pfx: c.tls.pfx ? pulumi.secret(secretText(c.tls.pfx, "tls.pfx")) : undefined,
      certificateExpiresOn: c.tls.certificateExpiresOn,
      grantWaitSeconds: c.tls.grantWaitSeconds,
    },
    allowList: {
      connectIps: c.allowList.connectIps,
      extraRanges: c.allowList.extraRanges,
      enforceAt: c.allowList.enforceAt,
      allowPrivateRanges: c.allowList.allowPrivateRanges,
      audience: c.site.audience,
      waf: c.azure.waf,
    },
    httpListener: c.site.httpListener,
    ipv6Frontend: c.site.ipv6Frontend,
    zones: gatewayZones(c),
    gatewayCreatedWith: c.azure.gatewayCreatedWith,
    locks: locksEnabled(c),
    diagnostics: c.azure.diagnostics,
    tenantId: c.entra.tenantId,
    appOwners: c.entra.owners,
    loginApp:
      c.entra.loginMode === "entraId" && c.entra.loginApp
        ? {
            displayName: c.entra.loginApp.displayName,
            secretRotatedOn: c.entra.loginApp.secretRotatedOn,
            secretSlotBRotatedOn: c.entra.loginApp.secretSlotBRotatedOn,
            secretLifetimeDays: c.entra.loginApp.secretLifetimeDays,
            secretOverlapDays: c.entra.loginApp.secretOverlapDays,
            secretWarningDays: c.entra.loginApp.secretWarningDays,
            identifierUri: c.entra.loginApp.identifierUri,
            accessTokenVersion: c.entra.loginApp.accessTokenVersion,
            redirectUri: c.entra.loginApp.redirectUri,
            grantAdminConsent: c.entra.loginApp.grantAdminConsent,
          }
        : undefined,
    mailboxApp:
      mailbox?.enabled === true
        ? {
            displayName: mailbox.displayName,
            access: mailbox.access,
            grantAdminConsent: mailbox.grantAdminConsent,
            applicationPermissions: mailbox.applicationPermissions,
            secretRotatedOn: mailbox.secretRotatedOn,
            secretLifetimeDays: mailbox.secretLifetimeDays,
          }
        : undefined,
    vantagepoint: {
      connection: pulumi.secret({
        url: vp.apiUrl,
        database: vp.database,
        username: vp.username,
        password: secretText(vp.password, "vantagepoint.password"),
        clientId: vp.clientId,
        clientSecret: secretText(vp.clientSecret, "vantagepoint.clientSecret"),
        integrated: vp.integrated,
        paths: vp.paths,
        pageSize: vp.pageSize,
        ...(vp.readLagMs !== undefined ? { readLagMs: vp.readLagMs } : {}),
      }),
      roster: loaded.roster,
      rosterOnDelete: c.roster.onDelete,
      removalBrake: c.roster.removalBrake,
      rosterShards: c.roster.shards,
      newEmployees: newEmployeeRule(c.roster.newEmployees),
      version: vp.version,
      adminRole: vp.adminRole,
      requireAdministratorType: loaded.requireAdministratorType,
      connectApiClient: {
        name: vp.connectApiClient.name,
        clientId: vp.connectApiClient.clientId,
        allowCreate: vp.connectApiClient.allowCreate,
        clientSecret: vp.connectApiClient.clientSecret
          ? pulumi.secret(
              secretText(vp.connectApiClient.clientSecret, "vantagepoint.connectApiClient.clientSecret"),
            )
          : undefined,
        protect: vp.connectApiClient.protect,
      },
      throughPublicUrl: apiThroughPublicUrl(c),
    },
    verification: {
      mode: c.site.verification,
      apiUrl: vp.apiUrl,
      loginUrl: loaded.loginRedirectUri,
      certificateMinDays: c.tls.certificateMinDaysLeft,
    },
  };
}

/**
 * A secret's plaintext for a resource input. Inside `pulumi up` the engine has decrypted it. Offline (the
 * evaluator without the emulator) only the ciphertext exists: a fixed marker stands in, and the dynamic
 * resources are not executed in that mode.
 */
function secretText(secret: SecretValue, key: string): string {
  return secret.available ? secret.reveal(key) : SECRET_NOT_AT_HAND;
}
