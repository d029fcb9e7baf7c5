/**
 * PublicEndpoint's args: the typed interfaces and the string enums a caller writes (re-exported by
 * components/publicEndpoint.ts and the package index, so every name stays importable from both).
 */
import type * as pulumi from "@pulumi/pulumi";

/** How the gateway talks to the Vantagepoint web server. */
export const BackendProtocol = { Https: "Https", Http: "Http" } as const;
/** "Https" (default) or "Http". */
export type BackendProtocol = (typeof BackendProtocol)[keyof typeof BackendProtocol];

/** What the gateway does on port 80. */
export const HttpListenerMode = { Redirect: "redirect", Off: "off" } as const;
/** "redirect" (to HTTPS) or "off" (no listener). */
export type HttpListenerMode = (typeof HttpListenerMode)[keyof typeof HttpListenerMode];

/** A root CA certificate the gateway trusts for the backend's certificate. */
export interface PublicEndpointTrustedRoot {
  /** Its name on the gateway. */
  readonly name: string;
  /** The certificate, base64 DER (the body of a PEM file). */
  readonly data: pulumi.Input<string>;
}

export interface PublicEndpointBackend {
  /** Private IP address or FQDN of the Vantagepoint web server (reached over VPN/ExpressRoute or in Azure). */
  address: pulumi.Input<string>;
  /** Backend port (default 443). */
  port?: number;
  /** Backend protocol (default "Https"). */
  protocol?: BackendProtocol;
  /** Host header and SNI sent to the backend (default the public host name, so Vantagepoint builds the right links). */
  hostName?: pulumi.Input<string>;
  /** Seconds the gateway waits for a response (default 120). */
  requestTimeoutSeconds?: number;
  /** Root CA certificates (base64 DER) of an internal CA that signed the backend's certificate; referenced by the backend settings. */
  trustedRootCertificates?: PublicEndpointTrustedRoot[];
}

export interface PublicEndpointDns {
  /** The existing public DNS zone, e.g. example.com. */
  zoneName: pulumi.Input<string>;
  /** The zone's resource group. */
  zoneResourceGroupName: pulumi.Input<string>;
  /** The record's name relative to the zone, e.g. "vantagepoint" ("@" for the apex). */
  recordName: pulumi.Input<string>;
  /** TTL in seconds (default 300). */
  ttl?: number;
}

/** How many gateway instances Azure may run. */
export interface PublicEndpointAutoscale {
  /** Fewest instances (default 0). */
  minCapacity?: number;
  /** Most instances, at least 2 (default 2). */
  maxCapacity?: number;
}

export interface PublicEndpointArgs {
  /** Resource group for the gateway, its public IP and identity. */
  readonly resourceGroupName: pulumi.Input<string>;
  /** Azure region. */
  readonly location: pulumi.Input<string>;
  /** Prefix for Azure resource names, e.g. "vp-prod". */
  readonly namePrefix: string;
  /** The public host name Connect uses, e.g. vantagepoint.example.com. */
  readonly publicHostname: pulumi.Input<string>;
  /** Vantagepoint's path on the host (default "/vantagepoint"). */
  readonly vantagepointPath?: string;
  /** Where the gateway forwards to. */
  readonly backend: PublicEndpointBackend;
  /** The dedicated gateway subnet (with the allow list's NSG). */
  readonly gatewaySubnetId: pulumi.Input<string>;
  /** WAF policy (from ConnectAllowList). */
  readonly wafPolicyId: pulumi.Input<string>;
  /** Versionless Key Vault secret id of the TLS certificate. */
  readonly certificateSecretId: pulumi.Input<string>;
  /** When given, the gateway's identity is granted "Key Vault Secrets User" on this vault. */
  readonly keyVaultId?: pulumi.Input<string>;
  /**
   * With `keyVaultId`: grant on this secret only (`<vaultId>/secrets/<name>`), for a vault shared with others, where
   * the role on the whole vault would let the gateway read every secret in it.
   */
  readonly keyVaultSecretName?: pulumi.Input<string>;
  /** Predefined TLS policy (default AppGwSslPolicy20220101S). */
  readonly sslPolicyName?: string;
  /** Autoscale bounds (default 0 to 2 instances). */
  readonly autoscale?: PublicEndpointAutoscale;
  /** Optional A record (and AAAA with `ipv6`) for the public host name in an existing Azure DNS zone. */
  readonly dns?: PublicEndpointDns;
  /** Seconds between granting the identity read access to the vault and creating the gateway (default 180). */
  readonly keyVaultGrantWaitSeconds?: number;
  /** Port 80: "redirect" to HTTPS (default) or "off" (no listener; redirects would bypass WAF custom rules). */
  readonly httpListener?: HttpListenerMode;
  /** A dual-stack gateway: an IPv6 public IP and frontend (the gateway subnet must have an IPv6 prefix). */
  readonly ipv6?: boolean;
  /** Availability zones for the gateway and its public IPs, e.g. ["1", "2", "3"] (default none). */
  readonly zones?: string[];
  /** CanNotDelete management locks on the public IPs and the gateway (default false). */
  readonly locks?: boolean;
  /** Log Analytics workspace (resource id) for the gateway's access and WAF logs; none when omitted. */
  readonly diagnosticsWorkspaceId?: pulumi.Input<string>;
  /** Azure tags. */
  readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}
