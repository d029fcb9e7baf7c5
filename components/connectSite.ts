/**
 * ConnectSite: everything one Vantagepoint site needs for Vantagepoint Connect, composed from validated stack
 * config. The constructor only wires; each concern is a small function below or a component of its own.
 */
import * as pulumi from "@pulumi/pulumi";
import * as network from "@pulumi/azure-native/network";
import * as resources from "@pulumi/azure-native/resources";
import type { LoadedConfig } from "../lib/config/load";
import type { StackConfig } from "../lib/config/schema";
import type { SecretValue } from "../lib/config/secret";
import type { VantagepointConnection } from "../lib/vantagepoint/types";
import { ConnectAllowList } from "./connectAllowList";
import { ConnectKeyVault } from "./connectKeyVault";
import { ConnectMailboxApp } from "./connectMailboxApp";
import { PublicEndpoint } from "./publicEndpoint";
import { SiteVerification } from "./siteVerification";
import { VantagepointLoginApp } from "./vantagepointLoginApp";
import { ConnectAdminRole, ConnectApiClient, ConnectRoster } from "./vantagepoint";

export interface ConnectSiteArgs {
  /** The validated stack config (lib/config/load.ts `loadStackConfig`). */
  readonly site: LoadedConfig;
}

export class ConnectSite extends pulumi.ComponentResource {
  /** https://host/path: the URL to give Connect (P1). */
  declare public readonly publicUrl: pulumi.Output<string>;
  /** The gateway's public IP (for the DNS record when it is not managed here). */
  declare public readonly publicIp: pulumi.Output<string>;
  /** The allow list as enforced: the minimal CIDR cover of Connect's and the extra ranges (P2). */
  declare public readonly allowedRanges: pulumi.Output<string[]>;
  /** Client ID of the Entra login app ("Server Client ID" in Vantagepoint's Active Directory settings), if any (P7). */
  declare public readonly loginAppClientId: pulumi.Output<string | undefined>;
  /** Client ID of the Connect mailbox app, if any (P8). */
  declare public readonly mailboxAppClientId: pulumi.Output<string | undefined>;
  /** The Key Vault holding the certificate and the app secrets. */
  declare public readonly keyVaultUri: pulumi.Output<string>;
  /** Client ID of the Connect API Authorization Vantagepoint generated (P6). */
  declare public readonly connectClientId: pulumi.Output<string>;
  /** Its secret, when supplied in config (a Pulumi secret). */
  declare public readonly connectClientSecret: pulumi.Output<string | undefined>;
  /** People seeded for Connect: configurer plus users (P4, P5). */
  declare public readonly connectUsers: pulumi.Output<number>;
  /** The deploy-time verification's report, when verification is on. */
  declare public readonly verificationReport: pulumi.Output<string | undefined>;

  constructor(name: string, args: ConnectSiteArgs, opts?: pulumi.ComponentResourceOptions) {
    super("vantagepoint-connect:index:ConnectSite", name, {}, opts);
    const loaded = args.site;
    const c = loaded.config;
    for (const warning of loaded.warnings) pulumi.log.warn(warning, this);

    const tags = { ...c.azure.tags, "managed-by": "vantagepoint-connect" };
    const resourceGroupName = resourceGroup(name, c, tags, this);
    const vault = new ConnectKeyVault(
      `${name}-vault`,
      c.tls.keyVault.create
        ? {
            namePrefix: c.azure.namePrefix,
            vaultName: c.tls.keyVault.name,
            resourceGroupName,
            location: c.azure.location,
            tenantId: c.entra.tenantId,
            tags,
          }
        : {
            namePrefix: c.azure.namePrefix,
            existing: {
              vaultName: c.tls.keyVault.name,
              resourceGroupName: c.tls.keyVault.resourceGroupName ?? resourceGroupName,
            },
          },
      { parent: this },
    );

    const allowList = new ConnectAllowList(
      `${name}-allow-list`,
      {
        connectIps: c.allowList.connectIps,
        extraRanges: c.allowList.extraRanges,
        enforceAt: c.allowList.enforceAt,
        allowPrivateRanges: c.allowList.allowPrivateRanges,
        resourceGroupName,
        location: c.azure.location,
        namePrefix: c.azure.namePrefix,
        tags,
      },
      { parent: this },
    );

    const gatewaySubnetId = gatewaySubnet(name, c, resourceGroupName, allowList.nsgId, tags, this);
    const endpoint = new PublicEndpoint(
      `${name}-endpoint`,
      {
        resourceGroupName,
        location: c.azure.location,
        namePrefix: c.azure.namePrefix,
        publicHostname: c.site.publicHostname,
        vantagepointPath: c.site.vantagepointPath,
        backend: {
          address: c.site.backend.address,
          port: c.site.backend.port,
          protocol: c.site.backend.protocol === "https" ? "Https" : "Http",
          hostName: c.site.backend.hostHeader ?? c.site.publicHostname,
        },
        gatewaySubnetId,
        wafPolicyId: allowList.wafPolicyId,
        certificateSecretId: pulumi.interpolate`${vault.vaultUri.apply((uri) => uri.replace(/\/?$/, "/"))}secrets/${c.tls.certificateName}`,
        keyVaultId: vault.vaultId,
        sslPolicyName: c.tls.sslPolicy,
        dns: c.azure.dns,
        tags,
      },
      { parent: this },
    );

    const login =
      c.entra.loginMode === "entraId" && c.entra.loginApp
        ? new VantagepointLoginApp(
            `${name}-login-app`,
            {
              namePrefix: c.azure.namePrefix,
              displayName: c.entra.loginApp.displayName,
              publicUrl: endpoint.publicUrl,
              tenantId: c.entra.tenantId,
              keyVaultId: vault.vaultId,
              secretRotatedOn: c.entra.loginApp.secretRotatedOn,
              secretLifetimeDays: c.entra.loginApp.secretLifetimeDays,
              tags,
            },
            { parent: this },
          )
        : undefined;

    const mailboxConfig = c.entra.mailboxApp;
    const mailbox =
      mailboxConfig && mailboxConfig.enabled
        ? new ConnectMailboxApp(
            `${name}-mailbox-app`,
            {
              namePrefix: c.azure.namePrefix,
              displayName: mailboxConfig.displayName,
              access: mailboxConfig.access,
              adminConsent: mailboxConfig.grantAdminConsent,
              applicationPermissions: mailboxConfig.applicationPermissions,
              keyVaultId: vault.vaultId,
              secretRotatedOn: mailboxConfig.secretRotatedOn,
              secretLifetimeDays: mailboxConfig.secretLifetimeDays,
              tags,
            },
            { parent: this },
          )
        : undefined;

    const vantagepoint = vantagepointSide(name, loaded, this);

    const verification =
      c.site.verification === "off"
        ? undefined
        : new SiteVerification(
            `${name}-verification`,
            {
              publicUrl: endpoint.publicUrl,
              apiUrl: c.vantagepoint.apiUrl,
              loginUrl: loaded.loginRedirectUri,
              certificateMinDays: c.tls.certificateMinDaysLeft,
              reportOnly: c.site.verification === "report",
              publicIpAddress: endpoint.publicIp,
              certificateSecretId: pulumi.interpolate`${vault.vaultUri}secrets/${c.tls.certificateName}`,
              backendAddress: c.site.backend.address,
            },
            { parent: this, dependsOn: [endpoint] },
          );

    this.publicUrl = endpoint.publicUrl;
    this.publicIp = endpoint.publicIp;
    this.allowedRanges = allowList.effectiveRanges;
    this.loginAppClientId = login
      ? login.applicationId.apply((id): string | undefined => id)
      : pulumi.output(undefined);
    this.mailboxAppClientId = mailbox
      ? mailbox.applicationId.apply((id): string | undefined => id)
      : pulumi.output(undefined);
    this.keyVaultUri = vault.vaultUri;
    this.connectClientId = vantagepoint.apiClient.clientId;
    this.connectClientSecret = vantagepoint.apiClient.clientSecret;
    this.connectUsers = pulumi.output(loaded.roster.length);
    this.verificationReport = verification
      ? verification.report.apply((r): string | undefined => r)
      : pulumi.output(undefined);
    this.registerOutputs({
      publicUrl: this.publicUrl,
      publicIp: this.publicIp,
      allowedRanges: this.allowedRanges,
      loginAppClientId: this.loginAppClientId,
      mailboxAppClientId: this.mailboxAppClientId,
      keyVaultUri: this.keyVaultUri,
      connectClientId: this.connectClientId,
      connectClientSecret: this.connectClientSecret,
      connectUsers: this.connectUsers,
      verificationReport: this.verificationReport,
    });
  }
}

/** The resource group's name: created here, or an existing one. */
function resourceGroup(
  name: string,
  c: StackConfig,
  tags: Record<string, string>,
  parent: pulumi.Resource,
): pulumi.Output<string> {
  if (!c.azure.createResourceGroup) return pulumi.output(c.azure.resourceGroupName);
  const group = new resources.ResourceGroup(
    `${name}-rg`,
    { resourceGroupName: c.azure.resourceGroupName, location: c.azure.location, tags },
    { parent },
  );
  return group.name;
}

/**
 * The Application Gateway's dedicated subnet with the allow-list NSG attached, in a virtual network created here
 * or in an existing one. The subnet is a standalone resource (never inline in the VNet) so the two do not fight.
 */
function gatewaySubnet(
  name: string,
  c: StackConfig,
  resourceGroupName: pulumi.Input<string>,
  nsgId: pulumi.Input<string>,
  tags: Record<string, string>,
  parent: pulumi.Resource,
): pulumi.Output<string> {
  const existing = c.azure.network.existingVirtualNetwork;
  const vnetName = existing
    ? pulumi.output(existing.name)
    : new network.VirtualNetwork(
        `${name}-vnet`,
        {
          resourceGroupName,
          location: c.azure.location,
          virtualNetworkName: `${c.azure.namePrefix}-vnet`,
          addressSpace: { addressPrefixes: [c.azure.network.addressSpace] },
          tags,
        },
        { parent, ignoreChanges: ["subnets"] },
      ).name;
  const subnet = new network.Subnet(
    `${name}-gateway-subnet`,
    {
      resourceGroupName: existing ? existing.resourceGroupName : resourceGroupName,
      virtualNetworkName: vnetName,
      subnetName: c.azure.network.gatewaySubnetName,
      addressPrefix: c.azure.network.gatewaySubnetPrefix,
      networkSecurityGroup: { id: nsgId },
    },
    { parent },
  );
  return subnet.id;
}

/** The Vantagepoint side: roster (P4, P5), the configurer's role (P3) and the adopted Connect API client (P6). */
function vantagepointSide(name: string, loaded: LoadedConfig, parent: pulumi.Resource) {
  const vp = loaded.config.vantagepoint;
  const connection: pulumi.Input<VantagepointConnection> = pulumi.secret({
    url: vp.apiUrl,
    database: vp.database,
    username: vp.username,
    password: secretText(vp.password, "vantagepoint.password"),
    clientId: vp.clientId,
    clientSecret: secretText(vp.clientSecret, "vantagepoint.clientSecret"),
    integrated: vp.integrated,
    paths: vp.paths,
    pageSize: vp.pageSize,
  });
  const roster = new ConnectRoster(
    `${name}-roster`,
    {
      connection,
      // Configurer first, then by user ID: the engine diffs `entries` by index, so reordering a roster file
      // must not show up as a change in `pulumi preview`.
      entries: rosterInStableOrder(loaded.roster).map((p) => ({
        userId: p.userId,
        email: p.email,
        firstName: p.firstName,
        lastName: p.lastName,
        ...(p.employee ? { employee: p.employee } : {}),
        role: p.role,
        configurer: p.configurer,
      })),
      onDelete: loaded.config.roster.onDelete,
    },
    { parent },
  );
  const adminRole = new ConnectAdminRole(
    `${name}-admin-role`,
    { connection, role: vp.adminRole, requireAdministratorType: loaded.requireAdministratorType },
    { parent },
  );
  const apiClient = new ConnectApiClient(
    `${name}-connect-api-client`,
    {
      connection,
      name: vp.connectApiClient.name,
      allowCreate: vp.connectApiClient.allowCreate,
      ...(vp.connectApiClient.clientSecret
        ? {
            clientSecret: pulumi.secret(
              secretText(vp.connectApiClient.clientSecret, "vantagepoint.connectApiClient.clientSecret"),
            ),
          }
        : {}),
    },
    { parent, protect: vp.connectApiClient.protect, retainOnDelete: vp.connectApiClient.protect },
  );
  return { roster, adminRole, apiClient };
}

/**
 * A secret's plaintext for a resource input. Inside `pulumi up` the engine has decrypted it. Offline (the
 * evaluator without the emulator) only the ciphertext exists: a fixed marker stands in, and the dynamic
 * resources are not executed in that mode.
 */
function secretText(secret: SecretValue, key: string): string {
  return secret.available ? secret.reveal(key) : "[encrypted]";
}

/** The roster with the configurer first and everyone else ordered by user ID (case-insensitive). */
export function rosterInStableOrder<T extends { userId: string; configurer: boolean }>(
  roster: readonly T[],
): T[] {
  return [...roster].sort(
    (a, b) =>
      Number(b.configurer) - Number(a.configurer) ||
      a.userId.toLowerCase().localeCompare(b.userId.toLowerCase(), "en"),
  );
}
