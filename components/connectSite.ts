/**
 * ConnectSite: everything one Vantagepoint site needs for Vantagepoint Connect, from typed args (the bundled
 * program maps its stack config to them in program/siteArgs.ts). The constructor only wires; each concern is a
 * small function below or a component of its own.
 */
import * as pulumi from "@pulumi/pulumi";
import * as network from "@pulumi/azure-native/network";
import * as operationalinsights from "@pulumi/azure-native/operationalinsights";
import { Provider as AzureNativeProvider } from "@pulumi/azure-native/provider";
import * as resources from "@pulumi/azure-native/resources";
import * as authorization from "@pulumi/azure-native/authorization";
import * as keyvault from "@pulumi/azure-native/keyvault";
import { loginRedirectUri } from "../lib/entra";
import {
  gatewayChangeProblems,
  HUB_PROVIDER_SECRET_SETTINGS,
  hubProviderArgs,
  ipv6FrontendProblems,
  keyVaultServiceEndpointNeeded,
  subnetResourceId,
} from "../lib/gatewayRules";
import type { GatewayCreatedWith, VaultNetworkAcls } from "../lib/gatewayRules";
import type { WafSettings } from "../lib/waf";
import type { NewEmployeeRule } from "../lib/vantagepoint/roster";
import { removalBrakeIssues } from "../lib/vantagepoint/removalBrake";
import type { RemovalBrakeSettings } from "../lib/vantagepoint/removalBrake";
import { shardCount, shardsProblem, splitIntoShards } from "../lib/vantagepoint/rosterShards";
import { parseVirtualNetworkId } from "../lib/publicEndpoint";
import type { RosterEntry, VantagepointConnection } from "../lib/vantagepoint/types";
import { siteArgsProblems } from "../lib/site/check";
import type { ArgProblem } from "../lib/site/view";
import { checkArgs } from "./argsCheck";
import { ConnectAllowList } from "./connectAllowList";
import type { Audience } from "./connectAllowList";
import type { AllowListEnforcement } from "./connectAllowList";
import { ConnectKeyVault } from "./connectKeyVault";
import type { CertificateSource, VaultFirewallMode } from "./connectKeyVault";
import { ConnectMailboxApp } from "./connectMailboxApp";
import type { MailboxAccessKind } from "./connectMailboxApp";
import { PublicEndpoint } from "./publicEndpoint";
import type { HttpListenerMode, PublicEndpointBackend, PublicEndpointDns } from "./publicEndpoint";
import { SiteVerification } from "./siteVerification";
import { VantagepointLoginApp } from "./vantagepointLoginApp";
import { ConnectAdminRole, ConnectApiClient, ConnectRoster, ConnectRosterBrake } from "./vantagepoint";
import type { VantagepointConnectionArgs } from "./vantagepoint/common";

/** The gateway subnet's route table against forced tunnelling. */
export const RouteTableMode = {
  InternetDefaultRoute: "internetDefaultRoute",
  NoRoutePropagation: "noRoutePropagation",
  None: "none",
} as const;
/** "internetDefaultRoute" (0.0.0.0/0 to Internet), "noRoutePropagation" or "none". */
export type RouteTableMode = (typeof RouteTableMode)[keyof typeof RouteTableMode];

/** How the gateway reaches the backend. */
export const BackendRoute = {
  ExistingVirtualNetwork: "existingVirtualNetwork",
  HubPeering: "hubPeering",
  SameVirtualNetwork: "sameVirtualNetwork",
  Internet: "internet",
} as const;
/** "existingVirtualNetwork", "hubPeering", "sameVirtualNetwork" (an Azure VM in the new VNet) or "internet". */
export type BackendRoute = (typeof BackendRoute)[keyof typeof BackendRoute];

/** The resource group everything is created in. */
export interface ConnectSiteResourceGroup {
  /** The resource group's name. */
  readonly name: pulumi.Input<string>;
  /** Create it (default true) or use an existing one (false). */
  readonly create?: boolean;
}

/** An existing virtual network to put the gateway subnet in. */
export interface ConnectSiteExistingNetwork {
  /** The virtual network's name. */
  readonly name: pulumi.Input<string>;
  /** Its resource group. */
  readonly resourceGroupName: pulumi.Input<string>;
}

/** The virtual network and the Application Gateway's dedicated subnet. */
export interface ConnectSiteNetwork {
  /** Use this existing virtual network instead of creating one. */
  readonly existingVirtualNetwork?: ConnectSiteExistingNetwork;
  /** Address space of the virtual network created here (default "10.60.0.0/16"). */
  readonly addressSpace?: pulumi.Input<string>;
  /** The gateway subnet's range: a /26 or larger with nothing else in it (default "10.60.1.0/24"). */
  readonly gatewaySubnetPrefix?: pulumi.Input<string>;
  /**
   * How the gateway reaches the backend: "existingVirtualNetwork", "hubPeering", "sameVirtualNetwork" or "internet"
   * (default inferred from existingVirtualNetwork, hub and the backend address; checked before anything registers).
   */
  readonly backendRoute?: BackendRoute;
  /** The gateway subnet's name (default "snet-appgw-connect"). */
  readonly gatewaySubnetName?: pulumi.Input<string>;
  /** Peer the new virtual network to this hub (with the VPN/ExpressRoute gateway that reaches the backend). */
  readonly hub?: ConnectSiteHub;
  /** DNS servers of the new virtual network, so a backend FQDN resolves (default Azure-provided DNS). */
  readonly dnsServers?: pulumi.Input<string>[];
  /** Route table on the gateway subnet against forced tunnelling (default "none"). */
  readonly routeTable?: RouteTableMode;
  /** IPv6 address space of the new virtual network (with `ipv6Frontend`). */
  readonly ipv6AddressSpace?: pulumi.Input<string>;
  /** IPv6 /64 of the gateway subnet (with `ipv6Frontend`). */
  readonly gatewaySubnetIpv6Prefix?: pulumi.Input<string>;
}

/** The hub virtual network a new network is peered to. */
export interface ConnectSiteHub {
  /** Resource id of the hub virtual network. */
  readonly virtualNetworkId: string;
  /** Reach on-premises through the hub's VPN/ExpressRoute gateway (default true). */
  readonly useRemoteGateways?: boolean;
  /** Also create the hub-to-spoke peering, in the hub's subscription (default true). */
  readonly createHubSidePeering?: boolean;
  /**
   * The azure-native provider for the hub's subscription. Default: one made here for the hub's subscription with the
   * credentials settings (clientId, clientSecret, tenantId, useOidc, environment, ...) copied from the
   * `azure-native:*` stack config, which an explicit provider does not read by itself.
   */
  readonly provider?: AzureNativeProvider;
}

/** The Key Vault that holds the TLS certificate and the Entra client secrets. */
export interface ConnectSiteKeyVault {
  /** The vault's name (3-24 characters, global across Azure). */
  readonly name: string;
  /** Create the vault (true) or use an existing one on Azure RBAC (default false). */
  readonly create?: boolean;
  /** Resource group of an existing vault (default the site's resource group). */
  readonly resourceGroupName?: pulumi.Input<string>;
  /** Add a random suffix (kept in state) to a created vault's name (default false). */
  readonly uniqueName?: boolean;
  /** Firewall of a created vault: "trustedServices" (default), "gatewaySubnet" or "open". */
  readonly firewall?: VaultFirewallMode;
  /** With uniqueName: this suffix instead of a random one (a stack upgraded from the local.Command suffix keeps its own). */
  readonly nameSuffix?: string;
}

/** TLS on the public endpoint. */
export interface ConnectSiteTls {
  /** Where the certificate lives. */
  readonly keyVault: ConnectSiteKeyVault;
  /** Name of the Key Vault certificate for the public host name (the versionless id is used, so renewals roll out). */
  readonly certificateName: pulumi.Input<string>;
  /** Predefined TLS policy (default AppGwSslPolicy20220101S). */
  readonly sslPolicy?: string;
  /** "keyVault" (default): the certificate exists in the vault (checked before the gateway); "pfx": import `pfx`. */
  readonly certificateSource?: CertificateSource;
  /** base64 PFX without a password, a Pulumi secret (with certificateSource "pfx"). */
  readonly pfx?: pulumi.Input<string>;
  /** The PFX certificate's expiry, YYYY-MM-DD (with certificateSource "pfx"). */
  readonly certificateExpiresOn?: string;
  /** Seconds between granting the gateway read access to the vault and creating the gateway (default 180). */
  readonly grantWaitSeconds?: number;
}

/** Gateway logs to Log Analytics. */
export interface ConnectSiteDiagnostics {
  /** Send access and WAF logs (default true). */
  readonly enabled?: boolean;
  /** An existing Log Analytics workspace (resource id); default a new one. */
  readonly workspaceId?: pulumi.Input<string>;
  /** Retention of a new workspace in days (default 30). */
  readonly retentionDays?: number;
}

/** Who may reach the public endpoint (P2). */
export interface ConnectSiteAllowList {
  /** Connect's outbound addresses as Deltek publishes them (addresses or CIDR ranges). */
  readonly connectIps: pulumi.Input<string[]>;
  /** Further sources allowed to reach Vantagepoint (e.g. the office's public range). */
  readonly extraRanges?: pulumi.Input<string[]>;
  /** Where the allow list is enforced: "both" (default), "nsg" or "waf". */
  readonly enforceAt?: pulumi.Input<AllowListEnforcement>;
  /** Admit private and reserved ranges (only when Connect reaches the site over a private path). */
  readonly allowPrivateRanges?: pulumi.Input<boolean>;
  /** "allowList" (default): only the listed ranges reach the URL; "anyone": the Internet, through the WAF's managed rules. */
  readonly audience?: Audience;
  /** WAF mode (default "Detection", as Microsoft advises before the rules are tuned), body limits, rule exclusions. */
  readonly waf?: WafSettings;
}

/** The Entra app registration for Entra ID login to Vantagepoint (P7). */
export interface ConnectSiteLoginApp {
  /** Display name in Entra (default "Deltek Vantagepoint"). */
  readonly displayName?: pulumi.Input<string>;
  /** Slot A's issue day, YYYY-MM-DD (the single client secret of earlier versions). */
  readonly secretRotatedOn: string;
  /** Slot B's issue day, YYYY-MM-DD: set it to rotate; the slot issued last is the active one in Key Vault. */
  readonly secretSlotBRotatedOn?: string;
  /** Lifetime of each slot in days from its own issue day (default and maximum 730). */
  readonly secretLifetimeDays?: number;
  /** Days the retiring slot must outlive the active one's issue day (default 30). */
  readonly secretOverlapDays?: number;
  /** Warn this many days before the active slot expires (default secretOverlapDays + 30). */
  readonly secretWarningDays?: number;
  /** Application ID URI (default api://<application id>). */
  readonly identifierUri?: pulumi.Input<string>;
  /** The API's requested access-token version (default unset). */
  readonly accessTokenVersion?: number;
  /** Web redirect URI (default <public URL>/app). */
  readonly redirectUri?: pulumi.Input<string>;
  /** Admin consent for the app's scopes, for tenants that block user consent (default false). */
  readonly grantAdminConsent?: boolean;
}

/** The Entra app registration Connect uses to reach mailboxes (P8). */
export interface ConnectSiteMailboxApp {
  /** Display name in Entra (default "Vantagepoint Connect mailbox access"). */
  readonly displayName?: pulumi.Input<string>;
  /** "graph" (default) or "ews" (Exchange Online turns EWS off from 1 October 2026). */
  readonly access?: MailboxAccessKind;
  /** Grant tenant-wide admin consent for the delegated permissions (default false). */
  readonly grantAdminConsent?: boolean;
  /** Tenant-wide Graph application permissions on every mailbox (default false). */
  readonly applicationPermissions?: boolean;
  /** Day the client secret was last rotated, YYYY-MM-DD; change it to rotate. */
  readonly secretRotatedOn: string;
  /** Client secret lifetime in days from secretRotatedOn (default and maximum 730). */
  readonly secretLifetimeDays?: number;
}

/** The Connect API Authorization Vantagepoint generated (P6). */
export interface ConnectSiteApiClient {
  /** Its name in Utilities > Integrations (default "Vantagepoint Connect"); only a hint. */
  readonly name?: pulumi.Input<string>;
  /** Its Client ID (Connect Administration's Settings tab): what identifies it. */
  readonly clientId?: pulumi.Input<string>;
  /** Create it when missing (default false: adopt only). */
  readonly allowCreate?: pulumi.Input<boolean>;
  /** Its secret, when you want it kept as a stack output (a Pulumi secret). */
  readonly clientSecret?: pulumi.Input<string>;
  /** Protect it from `pulumi destroy` and keep it on delete (default true). */
  readonly protect?: boolean;
}

/** What `pulumi destroy` does to the people on the roster. */
export const RosterOnDeleteMode = { Detach: "detach", DeactivateUsers: "deactivateUsers" } as const;
/** "detach" (writes nothing) or "deactivateUsers" (deactivates their users; employees are never touched). */
export type RosterOnDeleteMode = (typeof RosterOnDeleteMode)[keyof typeof RosterOnDeleteMode];

/** The Vantagepoint side: the roster, the configurer's role and the Connect API client. */
export interface ConnectSiteVantagepoint {
  /** How to reach Vantagepoint's REST API; it is made a Pulumi secret. */
  readonly connection: pulumi.Input<VantagepointConnectionArgs>;
  /** The people who use Connect, the configurer (`configurer: true`) among them. */
  readonly roster: RosterEntry[];
  /**
   * What `pulumi destroy` does to people: "detach" (default, writes nothing) or "deactivateUsers" (their Connect
   * users are deleted and Vantagepoint data is removed from their mailboxes; warned wherever it is set).
   */
  readonly rosterOnDelete?: pulumi.Input<RosterOnDeleteMode>;
  /** How new employees are keyed and what defaults they get. */
  readonly newEmployees?: pulumi.Input<NewEmployeeRule>;
  /**
   * The brake on mass removal: a run taking more than maxRemovals people or maxRemovalPercent (default 10) % off
   * the roster stops before writing and lists them; approve (count and digest from the refusal) lets one list by.
   */
  readonly removalBrake?: RemovalBrakeSettings;
  /**
   * How many roster resources the people are spread over, by a stable hash of the user ID (default: enough for
   * 2,000 people each, a power of two; set it when rosterOnDelete is "deactivateUsers").
   */
  readonly rosterShards?: number;
  /** Vantagepoint version, e.g. "7.0" (names the role permission); left out, probed from the role record (7.0 assumed). */
  readonly version?: pulumi.Input<string>;
  /** The security role of whoever configures Connect (default "ADMIN"). */
  readonly adminRole?: pulumi.Input<string>;
  /** Require role type Administrator (Vantagepoint 7.0 and later; default true). */
  readonly requireAdministratorType?: pulumi.Input<boolean>;
  /** The Connect API Authorization to adopt. */
  readonly connectApiClient?: ConnectSiteApiClient;
  /**
   * The API is reached through the public URL: the roster, role and API client then wait for the gateway, its DNS
   * record and the verification (default: true unless `verification.apiUrl` names another host).
   */
  readonly throughPublicUrl?: boolean;
}

/** What a failed deploy-time check does. */
export const VerificationMode = { Enforce: "enforce", Report: "report", Off: "off" } as const;
/** "enforce" (a failed check fails `pulumi up`), "report" (report only) or "off" (no check). */
export type VerificationMode = (typeof VerificationMode)[keyof typeof VerificationMode];

/** The deploy-time check that Connect can reach the site. */
export interface ConnectSiteVerification {
  /** "enforce" (default: a failed check fails `pulumi up`), "report" (report only) or "off". */
  readonly mode?: VerificationMode;
  /** The Vantagepoint API root the check posts `{apiUrl}/token` to (default the connection's url). */
  readonly apiUrl?: pulumi.Input<string>;
  /** The login redirect URL to check (default <publicUrl>/app). */
  readonly loginUrl?: pulumi.Input<string>;
  /** Fail when the certificate expires within this many days (default 21). */
  readonly certificateMinDays?: pulumi.Input<number>;
}

export interface ConnectSiteArgs {
  /** Prefix for every Azure resource name, e.g. "vp-prod". */
  readonly namePrefix: string;
  /** Azure region, e.g. "westeurope". */
  readonly location: pulumi.Input<string>;
  /** The resource group for everything created here. */
  readonly resourceGroup: ConnectSiteResourceGroup;
  /** Azure tags for every Azure resource ("managed-by: vantagepoint-connect" is added). */
  readonly tags?: Record<string, pulumi.Input<string>>;
  /** The virtual network and the gateway subnet (default: a new 10.60.0.0/16 network). */
  readonly network?: ConnectSiteNetwork;
  /** The public host name Connect uses, e.g. vantagepoint.example.com (P1). */
  readonly publicHostname: pulumi.Input<string>;
  /** Vantagepoint's path on the host (default "/vantagepoint"). */
  readonly vantagepointPath?: string;
  /** The Vantagepoint web server the gateway forwards to. */
  readonly backend: PublicEndpointBackend;
  /** An A record for the public host name in an existing Azure DNS zone. */
  readonly dns?: PublicEndpointDns;
  /** The TLS certificate and its Key Vault. */
  readonly tls: ConnectSiteTls;
  /** Who may reach the public endpoint (P2). */
  readonly allowList: ConnectSiteAllowList;
  /** Entra tenant for the vault and the login app (default the tenant Pulumi deploys with). */
  readonly tenantId?: pulumi.Input<string>;
  /** The Entra login app (P7); leave out for Windows integrated login. */
  readonly loginApp?: ConnectSiteLoginApp;
  /** Object ids of further owners of the Entra apps; the deploying principal is always an owner. */
  readonly appOwners?: string[];
  /** The Connect mailbox app (P8); leave out for none. */
  readonly mailboxApp?: ConnectSiteMailboxApp;
  /** The Vantagepoint side: roster, admin role, Connect API client (P3 to P6); leave out to manage it elsewhere. */
  readonly vantagepoint?: ConnectSiteVantagepoint;
  /** The deploy-time verification (default on, enforcing). */
  readonly verification?: ConnectSiteVerification;
  /** Port 80: "redirect" to HTTPS (default) or "off". */
  readonly httpListener?: HttpListenerMode;
  /** A dual-stack gateway with an IPv6 frontend (needs network.gatewaySubnetIpv6Prefix). */
  readonly ipv6Frontend?: boolean;
  /** Availability zones for the gateway and its public IPs (default none; they cannot change after creation). */
  readonly zones?: string[];
  /**
   * What the existing gateway was created with (IPv6 frontend, zones): Azure cannot change either afterwards, so a
   * differing `ipv6Frontend` or `zones` is refused before anything registers. Leave out for a gateway not yet created.
   */
  readonly gatewayCreatedWith?: GatewayCreatedWith;
  /** CanNotDelete locks on the public IPs, the gateway and a created vault (default false). */
  readonly locks?: boolean;
  /** Gateway access and WAF logs to Log Analytics (default on, to a new workspace). */
  readonly diagnostics?: ConnectSiteDiagnostics;
}

/** Defaults for the network when `network` leaves them out (the stack config's defaults). */
export const DEFAULT_NETWORK = {
  addressSpace: "10.60.0.0/16",
  gatewaySubnetPrefix: "10.60.1.0/24",
  gatewaySubnetName: "snet-appgw-connect",
} as const;

/** Everything one Vantagepoint site needs for Vantagepoint Connect: public HTTPS endpoint, allow list, Key Vault, Entra apps, roster, admin role and Connect API client. */
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
  /** Client ID of the Connect API Authorization Vantagepoint generated (P6), when the Vantagepoint side is managed here. */
  declare public readonly connectClientId: pulumi.Output<string | undefined>;
  /** Its secret, when supplied in config (a Pulumi secret). */
  declare public readonly connectClientSecret: pulumi.Output<string | undefined>;
  /** People seeded for Connect: configurer plus users (P4, P5). */
  declare public readonly connectUsers: pulumi.Output<number>;
  /** The deploy-time verification's report, when verification is on. */
  declare public readonly verificationReport: pulumi.Output<string | undefined>;

  constructor(name: string, args: ConnectSiteArgs, opts?: pulumi.ComponentResourceOptions) {
    const argsChecked = checkSiteArgs(name, args); // before super(): bad input registers nothing
    super("vantagepoint-connect:index:ConnectSite", name, {}, opts);
    const tags = { ...args.tags, "managed-by": "vantagepoint-connect" };
    const resourceGroupName = resourceGroup(name, args, tags, this);

    const allowList = new ConnectAllowList(
      `${name}-allow-list`,
      {
        connectIps: args.allowList.connectIps,
        extraRanges: args.allowList.extraRanges,
        enforceAt: args.allowList.enforceAt,
        allowPrivateRanges: args.allowList.allowPrivateRanges,
        audience: args.allowList.audience,
        waf: args.allowList.waf,
        resourceGroupName,
        location: args.location,
        namePrefix: args.namePrefix,
        tags,
      },
      { parent: this },
    );

    const gatewaySubnetId = gatewaySubnet(name, args, resourceGroupName, allowList.nsgId, tags, this);
    // After the subnet: a created vault may admit it, an existing one must.
    const vault = keyVault(name, args, resourceGroupName, gatewaySubnetId, tags, this);
    const diagnosticsWorkspaceId = logWorkspace(name, args, resourceGroupName, tags, this);
    const endpoint = new PublicEndpoint(
      `${name}-endpoint`,
      {
        resourceGroupName,
        location: args.location,
        namePrefix: args.namePrefix,
        publicHostname: args.publicHostname,
        vantagepointPath: args.vantagepointPath,
        backend: { ...args.backend, hostName: args.backend.hostName ?? args.publicHostname },
        gatewaySubnetId,
        wafPolicyId: allowList.wafPolicyId,
        // Resolves only after the PFX import or the existing certificate's check: the gateway comes after them.
        certificateSecretId: vault.certificateSecretId,
        keyVaultId: vault.vaultId,
        // A vault this stack does not own (a shared platform vault): the grant covers the certificate's secret only.
        ...(args.tls.keyVault.create ? {} : { keyVaultSecretName: args.tls.certificateName }),
        keyVaultGrantWaitSeconds: args.tls.grantWaitSeconds,
        sslPolicyName: args.tls.sslPolicy,
        dns: args.dns,
        httpListener: args.httpListener,
        ipv6: args.ipv6Frontend,
        zones: args.zones,
        locks: args.locks,
        diagnosticsWorkspaceId,
        tags,
      },
      { parent: this },
    );

    const login = args.loginApp
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
            keyVaultId: vault.vaultId,
            secretRotatedOn: args.loginApp.secretRotatedOn,
            secretSlotBRotatedOn: args.loginApp.secretSlotBRotatedOn,
            secretLifetimeDays: args.loginApp.secretLifetimeDays,
            secretOverlapDays: args.loginApp.secretOverlapDays,
            secretWarningDays: args.loginApp.secretWarningDays,
            owners: args.appOwners,
            tags,
          },
          { parent: this },
        )
      : undefined;

    const mailbox = args.mailboxApp
      ? new ConnectMailboxApp(
          `${name}-mailbox-app`,
          {
            namePrefix: args.namePrefix,
            displayName: args.mailboxApp.displayName,
            access: args.mailboxApp.access,
            adminConsent: args.mailboxApp.grantAdminConsent,
            applicationPermissions: args.mailboxApp.applicationPermissions,
            keyVaultId: vault.vaultId,
            secretRotatedOn: args.mailboxApp.secretRotatedOn,
            secretLifetimeDays: args.mailboxApp.secretLifetimeDays,
            owners: args.appOwners,
            tags,
          },
          { parent: this },
        )
      : undefined;

    const verification = siteVerification(name, args, endpoint, vault.certificateSecretId, this);

    // Through the public URL, the Vantagepoint API answers only once the gateway, its DNS record and the
    // verification are done; reached internally, it must not wait for them.
    const waitFor = throughPublicUrl(args) ? [endpoint, ...(verification ? [verification] : [])] : [];
    const vantagepoint = args.vantagepoint
      ? vantagepointSide(name, args.vantagepoint, this, waitFor)
      : undefined;

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
    this.connectClientId = vantagepoint
      ? vantagepoint.apiClient.clientId.apply((id): string | undefined => id)
      : pulumi.output(undefined);
    this.connectClientSecret = vantagepoint ? vantagepoint.apiClient.clientSecret : pulumi.output(undefined);
    this.connectUsers = pulumi.output(args.vantagepoint?.roster.length ?? 0);
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
      argsChecked,
    });
  }
}

/** Where the component runs: the process entry (Pulumi's plugin runner when served to another language) and the program's folder. */
export interface SiteHost {
  /** process.argv[1]: `@pulumi/pulumi/cmd/run-plugin` inside the component provider host. */
  entry?: string;
  /** The folder the engine runs the program (and starts the dynamic provider) in. */
  programDir: string;
}

/**
 * Why the Vantagepoint side cannot run here, or undefined. Its resources are Node.js dynamic resources: the engine
 * runs them in `pulumi-resource-pulumi-nodejs`, which starts `node` on
 * `require.resolve('@pulumi/pulumi/cmd/dynamic-provider')` from the program's folder (pulumi/pulumi
 * sdk/nodejs/dist/pulumi-resource-pulumi-nodejs; plugins run in the program's folder, sdk/go/common/resource/plugin
 * plugin.go). A TypeScript program's folder has it; a Python, Go, .NET, Java or YAML program's folder, where this
 * component is served by the component provider host, does not, and the deployment would fail half-way.
 */
export function dynamicResourcesProblem(host: SiteHost): string | undefined {
  if (!host.entry || !/[\\/]cmd[\\/]run-plugin([\\/]|$)/.test(host.entry)) return undefined;
  try {
    require.resolve("@pulumi/pulumi/cmd/dynamic-provider", { paths: [host.programDir] });
    return undefined;
  } catch {
    return `vantagepoint: the roster, admin role and Connect API client are Node.js dynamic resources, and Pulumi starts their provider from your program's folder (${host.programDir}), which has no @pulumi/pulumi; leave vantagepoint out and manage that side from a TypeScript program (README: "Use it from your own program"), or run npm install @pulumi/pulumi@^3.245.0 in that folder (not verified here)`;
  }
}

/**
 * Checks the args before anything registers: every problem at once, named by arg path, with a fix (the rules are
 * pure, in lib/site, and the stack-config loader calls the same ones). Values given as Outputs are checked once
 * known; the returned Output then fails with the same message.
 */
export function checkSiteArgs(
  name: string,
  args: ConnectSiteArgs,
  host: SiteHost = { entry: process.argv[1], programDir: process.cwd() },
): pulumi.Output<boolean> {
  const dynamic = args.vantagepoint ? dynamicResourcesProblem(host) : undefined;
  if (dynamic) throw new pulumi.RunError(`ConnectSite ${name}: ${dynamic}`);
  let day2: ArgProblem[] = [];
  try {
    day2 = day2Problems(args);
  } catch {
    // A value of the wrong type: the shape check names it.
  }
  return checkArgs("ConnectSite", name, args, (view) => [...siteArgsProblems(view), ...day2]);
}

/** The removal brake, roster shards, IPv6 frontend and gateway-change rules over the args (lib/), as arg problems. */
function day2Problems(args: ConnectSiteArgs): ArgProblem[] {
  const enforceAt = args.allowList?.enforceAt;
  return [
    ...removalBrakeIssues(args.vantagepoint?.removalBrake, "vantagepoint.removalBrake").map(
      ([path, message]) => ({ path, message }),
    ),
    ...[shardsProblem(args.vantagepoint?.rosterShards)]
      .filter((message): message is string => message !== undefined)
      .map((message) => ({ path: "vantagepoint.rosterShards", message })),
    ...ipv6FrontendProblems({
      ipv6Frontend: args.ipv6Frontend,
      enforceAt: typeof enforceAt === "string" ? enforceAt : undefined,
      audience: args.allowList?.audience,
      keys: {
        enforceAt: "allowList.enforceAt",
        audience: "allowList.audience",
        ipv6Frontend: "ipv6Frontend",
      },
    }).map((p) => ({ path: p.key, message: p.message })),
    ...gatewayChangeProblems(
      { ipv6Frontend: args.ipv6Frontend ?? false, zones: args.zones ?? [] },
      args.gatewayCreatedWith,
      { ipv6Frontend: "ipv6Frontend", zones: "zones", createdWith: "gatewayCreatedWith" },
    ).map((p) => ({ path: p.key, message: p.message })),
  ];
}

/** The resource group's name: created here, or an existing one. */
function resourceGroup(
  name: string,
  args: ConnectSiteArgs,
  tags: Record<string, pulumi.Input<string>>,
  parent: pulumi.Resource,
): pulumi.Output<string> {
  if (args.resourceGroup.create === false) return pulumi.output(args.resourceGroup.name);
  const group = new resources.ResourceGroup(
    `${name}-rg`,
    { resourceGroupName: args.resourceGroup.name, location: args.location, tags },
    { parent },
  );
  return group.name;
}

/** The Key Vault for the certificate and the app secrets: created here, or an existing one. */
function keyVault(
  name: string,
  args: ConnectSiteArgs,
  resourceGroupName: pulumi.Output<string>,
  gatewaySubnetId: pulumi.Output<string>,
  tags: Record<string, pulumi.Input<string>>,
  parent: pulumi.Resource,
): ConnectKeyVault {
  const kv = args.tls.keyVault;
  const certificate = {
    source: args.tls.certificateSource ?? "keyVault",
    pfx: args.tls.pfx,
    expiresOn: args.tls.certificateExpiresOn,
    field: "tls.certificateName",
  } as const;
  return new ConnectKeyVault(
    `${name}-vault`,
    kv.create
      ? {
          namePrefix: args.namePrefix,
          vaultName: kv.name,
          uniqueName: kv.uniqueName,
          nameSuffix: kv.nameSuffix,
          firewall: kv.firewall,
          gatewaySubnetId,
          resourceGroupName,
          location: args.location,
          tenantId: args.tenantId,
          certificate: { ...certificate, name: args.tls.certificateName },
          lock: args.locks,
          tags,
        }
      : {
          namePrefix: args.namePrefix,
          existing: { vaultName: kv.name, resourceGroupName: kv.resourceGroupName ?? resourceGroupName },
          gatewaySubnetId,
          certificate: { ...certificate, name: args.tls.certificateName },
          tags,
        },
    { parent },
  );
}

/** The Log Analytics workspace for the gateway's logs: the given one, a new one, or none. */
function logWorkspace(
  name: string,
  args: ConnectSiteArgs,
  resourceGroupName: pulumi.Output<string>,
  tags: Record<string, pulumi.Input<string>>,
  parent: pulumi.Resource,
): pulumi.Input<string> | undefined {
  const d = args.diagnostics ?? {};
  if (d.enabled === false) return undefined;
  if (d.workspaceId !== undefined) return d.workspaceId;
  return new operationalinsights.Workspace(
    `${name}-logs`,
    {
      resourceGroupName,
      location: args.location,
      workspaceName: `${args.namePrefix}-logs`,
      sku: { name: "PerGB2018" },
      retentionInDays: d.retentionDays ?? 30,
      tags,
    },
    { parent },
  ).id;
}

/** Whether the Vantagepoint API is reached through the public URL (see ConnectSiteVantagepoint.throughPublicUrl). */
function throughPublicUrl(args: ConnectSiteArgs): boolean {
  const explicit = args.vantagepoint?.throughPublicUrl;
  if (explicit !== undefined) return explicit;
  const api = args.verification?.apiUrl;
  if (typeof api === "string" && typeof args.publicHostname === "string") {
    try {
      return new URL(api).hostname.toLowerCase() === args.publicHostname.toLowerCase();
    } catch {
      return true;
    }
  }
  return true;
}

/**
 * The Application Gateway's dedicated subnet with the allow-list NSG attached, in a virtual network created here
 * (peered to a hub when asked) or in an existing one. The subnet is a standalone resource (never inline in the
 * VNet) so the two do not fight. A route table keeps a learned default route away (forced tunnelling is not
 * supported for v2); a vault firewall with a VNet rule needs the Microsoft.KeyVault service endpoint.
 */
function gatewaySubnet(
  name: string,
  args: ConnectSiteArgs,
  resourceGroupName: pulumi.Input<string>,
  nsgId: pulumi.Input<string>,
  tags: Record<string, pulumi.Input<string>>,
  parent: pulumi.Resource,
): pulumi.Output<string> {
  const net = { ...DEFAULT_NETWORK, ...definedOnly(args.network ?? {}) };
  // checkSiteArgs refused a hub beside an existing network, and an IPv6 frontend without an IPv6 subnet.
  const existing = args.network?.existingVirtualNetwork;
  const v6 = args.ipv6Frontend ? args.network?.gatewaySubnetIpv6Prefix : undefined;
  const vnet = existing
    ? undefined
    : new network.VirtualNetwork(
        `${name}-vnet`,
        {
          resourceGroupName,
          location: args.location,
          virtualNetworkName: `${args.namePrefix}-vnet`,
          addressSpace: {
            addressPrefixes: [
              net.addressSpace,
              ...(args.ipv6Frontend && args.network?.ipv6AddressSpace ? [args.network.ipv6AddressSpace] : []),
            ],
          },
          ...(args.network?.dnsServers?.length
            ? { dhcpOptions: { dnsServers: args.network.dnsServers } }
            : {}),
          tags,
        },
        { parent, ignoreChanges: ["subnets", "virtualNetworkPeerings"] },
      );
  const vnetName = existing ? pulumi.output(existing.name) : vnet!.name;
  const routeTable = gatewayRouteTable(name, args, resourceGroupName, tags, parent);
  const subnetGroup = existing ? existing.resourceGroupName : resourceGroupName;
  const subnet = new network.Subnet(
    `${name}-gateway-subnet`,
    {
      resourceGroupName: subnetGroup,
      virtualNetworkName: vnetName,
      subnetName: net.gatewaySubnetName,
      ...(v6 !== undefined
        ? { addressPrefixes: [net.gatewaySubnetPrefix, v6] }
        : { addressPrefix: net.gatewaySubnetPrefix }),
      networkSecurityGroup: { id: nsgId },
      ...(routeTable ? { routeTable: { id: routeTable.id } } : {}),
      serviceEndpoints: keyVaultServiceEndpoints(args, subnetGroup, vnetName, net.gatewaySubnetName, parent),
    },
    { parent },
  );
  // After the subnet: writes to a new VNet at once fail with ReferencedResourceNotProvisioned
  // (pulumi-azure-native#4340), so subnet, hub-side peering and spoke-side peering go one after the other.
  if (vnet && args.network?.hub)
    hubPeering(name, args, args.network.hub, vnet, subnet, resourceGroupName, parent);
  return subnet.id;
}

/**
 * The gateway subnet's service endpoints: `Microsoft.KeyVault` whenever the vault is reached through a VNet rule
 * for this subnet (a created vault in "gatewaySubnet" mode, or an existing vault whose firewall names the subnet;
 * lib/gatewayRules keyVaultServiceEndpointNeeded), declared here so the next subnet update does not remove one
 * added by hand. The existing vault's firewall is read at deploy time, against the subnet's id known in advance.
 */
function keyVaultServiceEndpoints(
  args: ConnectSiteArgs,
  subnetGroup: pulumi.Input<string>,
  vnetName: pulumi.Input<string>,
  subnetName: pulumi.Input<string>,
  parent: pulumi.Resource,
): pulumi.Input<Array<{ service: string }> | undefined> {
  const kv = args.tls.keyVault;
  const endpoints = (needed: boolean) => (needed ? [{ service: "Microsoft.KeyVault" }] : undefined);
  if (kv.create) {
    return endpoints(
      keyVaultServiceEndpointNeeded({
        createdFirewall: kv.firewall ?? "trustedServices",
        gatewaySubnetId: "",
      }),
    );
  }
  const vault = keyvault.getVaultOutput(
    { vaultName: kv.name, resourceGroupName: kv.resourceGroupName ?? args.resourceGroup.name },
    { parent },
  );
  const subscriptionId = authorization.getClientConfigOutput({ parent }).subscriptionId;
  return pulumi
    .all([vault.properties, subscriptionId, subnetGroup, vnetName, subnetName])
    .apply(([properties, sub, group, vnet, subnet]) =>
      endpoints(
        keyVaultServiceEndpointNeeded({
          existingAcls: (properties as { networkAcls?: VaultNetworkAcls } | undefined)?.networkAcls,
          gatewaySubnetId: subnetResourceId(sub, group, vnet, subnet),
        }),
      ),
    );
}

/**
 * The gateway subnet's route table: 0.0.0.0/0 to Internet (a default route learned from the hub would otherwise
 * break the gateway; the more specific on-premises routes still apply), or gateway route propagation off.
 */
function gatewayRouteTable(
  name: string,
  args: ConnectSiteArgs,
  resourceGroupName: pulumi.Input<string>,
  tags: Record<string, pulumi.Input<string>>,
  parent: pulumi.Resource,
): network.RouteTable | undefined {
  const mode = args.network?.routeTable ?? "none";
  if (mode === "none") return undefined;
  return new network.RouteTable(
    `${name}-gateway-routes`,
    {
      resourceGroupName,
      location: args.location,
      routeTableName: `${args.namePrefix}-appgw-routes`,
      ...(mode === "internetDefaultRoute"
        ? { routes: [{ name: "default-to-internet", addressPrefix: "0.0.0.0/0", nextHopType: "Internet" }] }
        : { disableBgpRoutePropagation: true }),
      tags,
    },
    { parent },
  );
}

/**
 * Peering between the new network and the hub, after the gateway subnet: hub to spoke first (it allows gateway
 * transit, in the hub's subscription), then spoke to hub using the hub's VPN/ExpressRoute gateway.
 */
function hubPeering(
  name: string,
  args: ConnectSiteArgs,
  hub: ConnectSiteHub,
  vnet: network.VirtualNetwork,
  subnet: network.Subnet,
  resourceGroupName: pulumi.Input<string>,
  parent: pulumi.Resource,
): void {
  const ref = parseVirtualNetworkId(hub.virtualNetworkId, "network.hub.virtualNetworkId");
  const useRemoteGateways = hub.useRemoteGateways ?? true;
  const hubSide =
    hub.createHubSidePeering === false
      ? undefined
      : new network.VirtualNetworkPeering(
          `${name}-hub-to-spoke`,
          {
            resourceGroupName: ref.resourceGroupName,
            virtualNetworkName: ref.name,
            virtualNetworkPeeringName: `${args.namePrefix}-vnet`,
            remoteVirtualNetwork: { id: vnet.id },
            allowVirtualNetworkAccess: true,
            allowForwardedTraffic: true,
            allowGatewayTransit: useRemoteGateways,
          },
          {
            parent,
            dependsOn: [subnet],
            provider: hub.provider ?? hubProvider(name, ref.subscriptionId, parent),
          },
        );
  new network.VirtualNetworkPeering(
    `${name}-spoke-to-hub`,
    {
      resourceGroupName,
      virtualNetworkName: vnet.name,
      virtualNetworkPeeringName: `to-${ref.name}`,
      remoteVirtualNetwork: { id: hub.virtualNetworkId },
      allowVirtualNetworkAccess: true,
      allowForwardedTraffic: true,
      useRemoteGateways,
    },
    { parent, dependsOn: hubSide ? [subnet, hubSide] : [subnet] },
  );
}

/**
 * An azure-native provider for the hub's subscription with the stack's credentials settings: an explicit provider
 * does not read `azure-native:*` stack config (Pulumi docs), so they are copied (lib/gatewayRules hubProviderArgs);
 * the secret ones stay secrets. ARM_* environment variables the provider reads itself still apply.
 */
function hubProvider(name: string, subscriptionId: string, parent: pulumi.Resource): AzureNativeProvider {
  const config = new pulumi.Config("azure-native");
  const plain = hubProviderArgs(
    (key) => (HUB_PROVIDER_SECRET_SETTINGS.has(key) ? undefined : config.get(key)),
    subscriptionId,
  );
  const secrets = Object.fromEntries(
    [...HUB_PROVIDER_SECRET_SETTINGS].flatMap((key) => {
      const value = config.getSecret(key);
      return value === undefined ? [] : [[key, value]];
    }),
  );
  return new AzureNativeProvider(`${name}-hub-subscription`, { ...plain, ...secrets }, { parent });
}

/** The deploy-time verification, unless it is off. */
function siteVerification(
  name: string,
  args: ConnectSiteArgs,
  endpoint: PublicEndpoint,
  certificateSecretId: pulumi.Output<string>,
  parent: pulumi.Resource,
): SiteVerification | undefined {
  const v = args.verification ?? {};
  if (v.mode === "off") return undefined;
  // The API root is not a secret even though the connection it comes from is.
  const connection = args.vantagepoint?.connection;
  const apiUrl = v.apiUrl ?? pulumi.unsecret(pulumi.output(connection!).apply((c) => c.url));
  return new SiteVerification(
    `${name}-verification`,
    {
      publicUrl: endpoint.publicUrl,
      apiUrl,
      loginUrl: v.loginUrl ?? endpoint.publicUrl.apply((url) => loginRedirectUri(url)),
      certificateMinDays: v.certificateMinDays ?? 21,
      reportOnly: v.mode === "report",
      publicIpAddress: endpoint.publicIp,
      // Connect to the gateway itself: with split DNS the public name resolves to the internal server here.
      connectAddress: endpoint.publicIp,
      certificateSecretId,
      backendAddress: args.backend.address,
    },
    { parent, dependsOn: [endpoint] },
  );
}

/** The Vantagepoint side: roster (P4, P5), the configurer's role (P3) and the adopted Connect API client (P6). */
function vantagepointSide(
  name: string,
  vp: ConnectSiteVantagepoint,
  parent: pulumi.Resource,
  dependsOn: pulumi.Resource[] = [],
) {
  const connection = pulumi.secret(vp.connection);
  const roster = rosterShards(name, vp, connection, parent, dependsOn);
  const adminRole = new ConnectAdminRole(
    `${name}-admin-role`,
    {
      connection,
      role: vp.adminRole ?? "ADMIN",
      requireAdministratorType: vp.requireAdministratorType,
      version: vp.version,
    },
    { parent, dependsOn },
  );
  const apiClientArgs = vp.connectApiClient ?? {};
  const protect = apiClientArgs.protect ?? true;
  const apiClient = new ConnectApiClient(
    `${name}-connect-api-client`,
    {
      connection,
      name: apiClientArgs.name,
      clientId: apiClientArgs.clientId,
      allowCreate: apiClientArgs.allowCreate,
      ...(apiClientArgs.clientSecret !== undefined
        ? { clientSecret: pulumi.secret(apiClientArgs.clientSecret) }
        : {}),
    },
    { parent, protect, retainOnDelete: protect, dependsOn },
  );
  return { roster, adminRole, apiClient };
}

/**
 * The roster in shards (lib/vantagepoint/rosterShards.ts): shard 0 keeps the name a single roster always had
 * (`<name>-roster`), so a stack moves to shards with shard 0 updated in place (people who moved out are neither
 * braked nor deactivated) and the other shards created over records that are already right: no Vantagepoint write.
 * With more than one shard, a ConnectRosterBrake sees every user ID and holds the removal brake for the whole roster;
 * the shards wait for it.
 */
function rosterShards(
  name: string,
  vp: ConnectSiteVantagepoint,
  connection: pulumi.Output<VantagepointConnection>,
  parent: pulumi.Resource,
  dependsOn: pulumi.Resource[],
): ConnectRoster[] {
  // Configurer first, then by user ID: the engine diffs `entries` by index, so reordering a roster file must not
  // show up as a change in `pulumi preview`.
  const entries = rosterInStableOrder(vp.roster).map((p) => ({
    userId: p.userId,
    email: p.email,
    firstName: p.firstName,
    lastName: p.lastName,
    ...(p.employee ? { employee: p.employee } : {}),
    role: p.role,
    configurer: p.configurer ?? false,
  }));
  const count = shardCount(entries.length, { shards: vp.rosterShards });
  const brake =
    count > 1
      ? new ConnectRosterBrake(
          `${name}-roster-brake`,
          { userIds: entries.map((e) => e.userId), removalBrake: vp.removalBrake },
          { parent, dependsOn },
        )
      : undefined;
  return splitIntoShards(entries, count).map(
    (part, index) =>
      new ConnectRoster(
        index === 0 ? `${name}-roster` : `${name}-roster-${index}`,
        {
          connection,
          entries: part,
          onDelete: vp.rosterOnDelete,
          newEmployees: vp.newEmployees,
          ...(vp.removalBrake ? { removalBrake: vp.removalBrake } : {}),
          ...(count > 1 ? { shard: { index, count } } : {}),
        },
        { parent, dependsOn: brake ? [...dependsOn, brake] : dependsOn },
      ),
  );
}

/** The roster with the configurer first and everyone else ordered by user ID (case-insensitive). */
export function rosterInStableOrder<T extends { userId: string; configurer?: boolean }>(
  roster: readonly T[],
): T[] {
  return [...roster].sort(
    (a, b) =>
      Number(b.configurer ?? false) - Number(a.configurer ?? false) ||
      a.userId.toLowerCase().localeCompare(b.userId.toLowerCase(), "en"),
  );
}

/** The object without its undefined fields (so spreading it keeps the defaults underneath). */
function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
