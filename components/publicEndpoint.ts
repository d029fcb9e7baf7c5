/**
 * PublicEndpoint (P1): the public HTTPS address Connect reaches Vantagepoint at. A Standard static public IP
 * and an Application Gateway (WAF_v2) in its own subnet: HTTPS listener with the Key Vault certificate read
 * through a user-assigned identity, an HTTP listener that only redirects, the on-premises (or Azure) backend
 * over HTTPS with the public host name, a health probe on the Vantagepoint path, and optionally an A record
 * in an existing DNS zone.
 *
 * Key Vault access: the component creates the gateway's user-assigned identity. Pass `keyVaultId` and it also
 * grants that identity "Key Vault Secrets User" on the vault (and creates the gateway after the grant);
 * otherwise grant `identityPrincipalId` read access to the certificate yourself before the gateway is created.
 */
import { isIP } from "node:net";
import * as pulumi from "@pulumi/pulumi";
import * as network from "@pulumi/azure-native/network";
import * as dns from "@pulumi/azure-native/dns";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import * as authorization from "@pulumi/azure-native/authorization";
import * as local from "@pulumi/command/local";
import { KEY_VAULT_SECRETS_USER_ROLE_ID } from "../lib/entra";
import {
  ACCEPTED_SSL_POLICIES,
  certificateSecretIdProblem,
  DEFAULT_SSL_POLICY,
  GATEWAY_PARTS,
  gatewayPartId,
  hostnameProblem,
  normalizePath,
  KEY_VAULT_GRANT_PROPAGATION_SECONDS,
  RULE_PRIORITIES,
} from "../lib/publicEndpoint";

/** How the gateway talks to the Vantagepoint web server. */
export const BackendProtocol = { Https: "Https", Http: "Http" } as const;
/** "Https" (default) or "Http". */
export type BackendProtocol = (typeof BackendProtocol)[keyof typeof BackendProtocol];

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
  /** Predefined TLS policy (default AppGwSslPolicy20220101S). */
  readonly sslPolicyName?: string;
  /** Autoscale bounds (default 0 to 2 instances). */
  readonly autoscale?: PublicEndpointAutoscale;
  /** Optional A record for the public host name in an existing Azure DNS zone. */
  readonly dns?: PublicEndpointDns;
  /** Azure tags. */
  readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/** The public HTTPS address Connect reaches Vantagepoint at: an Application Gateway (WAF_v2) with a static public IP (P1). */
export class PublicEndpoint extends pulumi.ComponentResource {
  /** https://<host><path>, the address to give Connect. */
  declare public readonly publicUrl: pulumi.Output<string>;
  /** The gateway's public IP address. */
  declare public readonly publicIp: pulumi.Output<string>;
  /** The Application Gateway's name. */
  declare public readonly gatewayName: pulumi.Output<string>;
  /** The Application Gateway's resource id. */
  declare public readonly gatewayId: pulumi.Output<string>;
  /** Principal id of the gateway's user-assigned identity (grant it read access to the certificate). */
  declare public readonly identityPrincipalId: pulumi.Output<string>;

  constructor(name: string, args: PublicEndpointArgs, opts?: pulumi.ComponentResourceOptions) {
    const settings = checkArgs(args); // before super(): bad input registers nothing
    super("vantagepoint-connect:index:PublicEndpoint", name, {}, opts);
    const gatewayName = `${args.namePrefix}-appgw`;

    const publicIp = new network.PublicIPAddress(
      `${name}-ip`,
      {
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        publicIpAddressName: `${args.namePrefix}-appgw-ip`,
        sku: { name: "Standard", tier: "Regional" },
        publicIPAllocationMethod: "Static",
        publicIPAddressVersion: "IPv4",
        tags: args.tags,
      },
      { parent: this },
    );

    const identity = new managedidentity.UserAssignedIdentity(
      `${name}-identity`,
      {
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        resourceName: `${args.namePrefix}-appgw-identity`,
        tags: args.tags,
      },
      { parent: this },
    );

    const subscriptionId = authorization.getClientConfigOutput({ parent: this }).subscriptionId;
    const grant =
      args.keyVaultId === undefined
        ? undefined
        : new authorization.RoleAssignment(
            `${name}-kv-secrets-user`,
            {
              scope: args.keyVaultId,
              principalId: identity.principalId,
              principalType: "ServicePrincipal",
              roleDefinitionId: pulumi.interpolate`/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${KEY_VAULT_SECRETS_USER_ROLE_ID}`,
              description: "Application Gateway reads the Connect TLS certificate",
            },
            { parent: this },
          );

    // Role assignments take effect after a delay: wait once per new grant, from the deploying machine (node is
    // there, since it runs this program), so the gateway's first Key Vault read is allowed.
    const grantPropagated = grant
      ? new local.Command(
          `${name}-kv-grant-propagation`,
          {
            interpreter: ["node", "-e"],
            create: `setTimeout(() => {}, ${KEY_VAULT_GRANT_PROPAGATION_SECONDS * 1000})`,
            triggers: [grant.id],
          },
          { parent: this, dependsOn: [grant] },
        )
      : undefined;

    const partId = (collection: string, part: string) =>
      pulumi
        .all([subscriptionId, args.resourceGroupName])
        .apply(([sub, rg]) => gatewayPartId(sub, rg, gatewayName, collection, part));
    const gateway = new network.ApplicationGateway(
      `${name}-gateway`,
      gatewayInputs(args, settings, gatewayName, publicIp.id, identity.id, partId),
      { parent: this, dependsOn: grant && grantPropagated ? [grant, grantPropagated] : [] },
    );

    if (args.dns) {
      new dns.RecordSet(
        `${name}-dns`,
        {
          resourceGroupName: args.dns.zoneResourceGroupName,
          zoneName: args.dns.zoneName,
          relativeRecordSetName: args.dns.recordName,
          recordType: "A",
          ttl: args.dns.ttl ?? 300,
          aRecords: [{ ipv4Address: publicIp.ipAddress.apply((ip) => ip ?? "") }],
        },
        { parent: this },
      );
    }

    this.publicUrl = pulumi.interpolate`https://${args.publicHostname}${settings.path}`;
    this.publicIp = publicIp.ipAddress.apply((ip) => ip ?? "");
    this.gatewayName = pulumi.output(gatewayName);
    this.gatewayId = gateway.id;
    this.identityPrincipalId = identity.principalId;
    this.registerOutputs({
      publicUrl: this.publicUrl,
      publicIp: this.publicIp,
      gatewayName: this.gatewayName,
      gatewayId: this.gatewayId,
      identityPrincipalId: this.identityPrincipalId,
    });
  }
}

interface CheckedSettings {
  path: string;
  sslPolicyName: string;
  port: number;
  protocol: BackendProtocol;
  requestTimeout: number;
  minCapacity: number;
  maxCapacity: number;
}

/** Validates the plain parts of the args; throws naming the field. */
function checkArgs(args: PublicEndpointArgs): CheckedSettings {
  const problems: string[] = [];
  let path = "";
  try {
    path = normalizePath(args.vantagepointPath ?? "/vantagepoint");
  } catch (err) {
    problems.push((err as Error).message);
  }
  if (typeof args.publicHostname === "string") {
    const p = hostnameProblem(args.publicHostname);
    if (p) problems.push(p);
  }
  if (typeof args.certificateSecretId === "string") {
    const p = certificateSecretIdProblem(args.certificateSecretId);
    if (p) problems.push(p);
  }
  const sslPolicyName = args.sslPolicyName ?? DEFAULT_SSL_POLICY;
  if (!(ACCEPTED_SSL_POLICIES as readonly string[]).includes(sslPolicyName)) {
    problems.push(
      `sslPolicyName: ${JSON.stringify(sslPolicyName)} is not an accepted TLS policy; use ${ACCEPTED_SSL_POLICIES.join(" or ")} (TLS 1.2 or newer)`,
    );
  }
  const port = args.backend.port ?? 443;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    problems.push(`backend.port: ${JSON.stringify(port)} is not a port; expected 1 to 65535`);
  }
  const protocol = args.backend.protocol ?? "Https";
  if (protocol !== "Https" && protocol !== "Http") {
    problems.push(`backend.protocol: ${JSON.stringify(protocol)} is not "Https" or "Http"`);
  }
  const requestTimeout = args.backend.requestTimeoutSeconds ?? 120;
  if (!Number.isInteger(requestTimeout) || requestTimeout < 1 || requestTimeout > 86400) {
    problems.push(
      `backend.requestTimeoutSeconds: ${JSON.stringify(requestTimeout)} is not 1 to 86400 seconds`,
    );
  }
  if (typeof args.backend.address === "string" && args.backend.address.trim() === "") {
    problems.push("backend.address: empty; give the Vantagepoint web server's private IP address or FQDN");
  }
  const minCapacity = args.autoscale?.minCapacity ?? 0;
  const maxCapacity = args.autoscale?.maxCapacity ?? 2;
  if (!Number.isInteger(minCapacity) || minCapacity < 0 || minCapacity > 125) {
    problems.push(`autoscale.minCapacity: ${JSON.stringify(minCapacity)} is not 0 to 125`);
  }
  if (!Number.isInteger(maxCapacity) || maxCapacity < Math.max(2, minCapacity) || maxCapacity > 125) {
    problems.push(
      `autoscale.maxCapacity: ${JSON.stringify(maxCapacity)} must be 2 to 125 and at least minCapacity`,
    );
  }
  if (args.dns && typeof args.publicHostname === "string") {
    const { zoneName, recordName } = args.dns;
    if (typeof zoneName === "string" && typeof recordName === "string") {
      const fqdn = recordName === "@" ? zoneName : `${recordName}.${zoneName}`;
      if (fqdn.toLowerCase() !== args.publicHostname.toLowerCase()) {
        problems.push(
          `dns.recordName: ${recordName}.${zoneName} is not the public host name ${args.publicHostname}; the A record must name the host Connect uses`,
        );
      }
    }
  }
  if (problems.length > 0) throw new Error(`public endpoint: ${problems.join("; ")}`);
  return { path, sslPolicyName, port, protocol, requestTimeout, minCapacity, maxCapacity };
}

function backendAddresses(address: pulumi.Input<string>) {
  return pulumi
    .output(address)
    .apply((a) => [isIP(a.trim()) === 0 ? { fqdn: a.trim() } : { ipAddress: a.trim() }]);
}

function gatewayInputs(
  args: PublicEndpointArgs,
  s: CheckedSettings,
  gatewayName: string,
  publicIpId: pulumi.Output<string>,
  identityId: pulumi.Output<string>,
  partId: (collection: string, part: string) => pulumi.Output<string>,
): network.ApplicationGatewayArgs {
  const P = GATEWAY_PARTS;
  const ref = (collection: string, part: string) => ({ id: partId(collection, part) });
  return {
    resourceGroupName: args.resourceGroupName,
    location: args.location,
    applicationGatewayName: gatewayName,
    sku: { name: "WAF_v2", tier: "WAF_v2" },
    autoscaleConfiguration: { minCapacity: s.minCapacity, maxCapacity: s.maxCapacity },
    enableHttp2: true,
    firewallPolicy: { id: args.wafPolicyId },
    identity: { type: "UserAssigned", userAssignedIdentities: [identityId] },
    sslPolicy: { policyType: "Predefined", policyName: s.sslPolicyName },
    gatewayIPConfigurations: [{ name: P.gatewayIp, subnet: { id: args.gatewaySubnetId } }],
    frontendIPConfigurations: [{ name: P.frontendIp, publicIPAddress: { id: publicIpId } }],
    frontendPorts: [
      { name: P.httpsPort, port: 443 },
      { name: P.httpPort, port: 80 },
    ],
    sslCertificates: [{ name: P.certificate, keyVaultSecretId: args.certificateSecretId }],
    httpListeners: [
      {
        name: P.httpsListener,
        protocol: "Https",
        frontendIPConfiguration: ref("frontendIPConfigurations", P.frontendIp),
        frontendPort: ref("frontendPorts", P.httpsPort),
        sslCertificate: ref("sslCertificates", P.certificate),
      },
      {
        name: P.httpListener,
        protocol: "Http",
        frontendIPConfiguration: ref("frontendIPConfigurations", P.frontendIp),
        frontendPort: ref("frontendPorts", P.httpPort),
      },
    ],
    redirectConfigurations: [
      {
        name: P.redirect,
        redirectType: "Permanent",
        targetListener: ref("httpListeners", P.httpsListener),
        includePath: true,
        includeQueryString: true,
      },
    ],
    backendAddressPools: [{ name: P.backendPool, backendAddresses: backendAddresses(args.backend.address) }],
    backendHttpSettingsCollection: [
      {
        name: P.backendSettings,
        protocol: s.protocol,
        port: s.port,
        hostName: args.backend.hostName ?? args.publicHostname,
        pickHostNameFromBackendAddress: false,
        cookieBasedAffinity: "Disabled",
        requestTimeout: s.requestTimeout,
        probe: ref("probes", P.probe),
      },
    ],
    probes: [
      {
        name: P.probe,
        protocol: s.protocol,
        path: `${s.path}/app/`,
        interval: 30,
        timeout: 30,
        unhealthyThreshold: 3,
        pickHostNameFromBackendHttpSettings: true,
        match: { statusCodes: ["200-399"] },
      },
    ],
    requestRoutingRules: [
      {
        name: P.httpsRule,
        ruleType: "Basic",
        priority: RULE_PRIORITIES.https,
        httpListener: ref("httpListeners", P.httpsListener),
        backendAddressPool: ref("backendAddressPools", P.backendPool),
        backendHttpSettings: ref("backendHttpSettingsCollection", P.backendSettings),
      },
      {
        name: P.httpRule,
        ruleType: "Basic",
        priority: RULE_PRIORITIES.httpRedirect,
        httpListener: ref("httpListeners", P.httpListener),
        redirectConfiguration: ref("redirectConfigurations", P.redirect),
      },
    ],
    tags: args.tags,
  };
}
