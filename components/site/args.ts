/**
 * ConnectSite's args: the typed interfaces and the string enums a caller writes (re-exported by
 * components/connectSite.ts and the package index, so every name stays importable from both).
 */
import type * as pulumi from "@pulumi/pulumi";
import type { Provider as AzureNativeProvider } from "@pulumi/azure-native/provider";
import type { GatewayCreatedWith } from "../../lib/gatewayRules";
import type { WafSettings } from "../../lib/waf";
import type { NewEmployeeRule } from "../../lib/vantagepoint/roster";
import type { RemovalBrakeSettings } from "../../lib/vantagepoint/removalBrake";
import type { RosterEntry } from "../../lib/vantagepoint/types";
import type { AllowListEnforcement, Audience } from "../connectAllowList";
import type { CertificateSource, VaultFirewallMode } from "../connectKeyVault";
import type { MailboxAccessKind } from "../connectMailboxApp";
import type { HttpListenerMode, PublicEndpointBackend, PublicEndpointDns } from "../publicEndpoint";
import type { VantagepointConnectionArgs } from "../vantagepoint/common";

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
