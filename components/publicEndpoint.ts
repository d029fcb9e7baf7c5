/**
 * PublicEndpoint (P1): the public HTTPS address Connect reaches Vantagepoint at. A Standard static public IP
 * and an Application Gateway (WAF_v2) in its own subnet: HTTPS listener with the Key Vault certificate read
 * through a user-assigned identity, an HTTP listener that only redirects, the on-premises (or Azure) backend
 * over HTTPS with the public host name, a health probe on the Vantagepoint path, and optionally an A record
 * in an existing DNS zone.
 *
 * Key Vault access: the component creates the gateway's user-assigned identity. Pass `keyVaultId` and it also
 * grants that identity "Key Vault Secrets User" on the vault and creates the gateway only after the grant and a
 * bounded wait for it to apply (`keyVaultGrantWaitSeconds`); otherwise grant `identityPrincipalId` read access to
 * the certificate yourself before the gateway is created. A gateway created before its identity may read the
 * certificate fails (ApplicationGatewayKeyVaultSecretException): run `pulumi up` again, only the gateway is retried.
 *
 * Optional, as a platform team expects: availability zones for the gateway and its public IPs, CanNotDelete
 * locks on both, a diagnostic setting sending access and WAF logs to Log Analytics, internal-CA trusted roots for
 * the backend, an IPv6 frontend, and no port 80 at all (`httpListener: "off"`).
 */
import { isIP } from "node:net";
import * as pulumi from "@pulumi/pulumi";
import * as network from "@pulumi/azure-native/network";
import * as dns from "@pulumi/azure-native/dns";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import * as authorization from "@pulumi/azure-native/authorization";
import * as local from "@pulumi/command/local";
import * as monitor from "@pulumi/azure-native/monitor";
import { KEY_VAULT_SECRETS_USER_ROLE_ID } from "../lib/entra";
import { secretsUserScope } from "../lib/gatewayRules";
import { publicEndpointArgsProblems } from "../lib/site/componentArgs";
import { checkArgs } from "./argsCheck";
import type {
  BackendProtocol,
  HttpListenerMode,
  PublicEndpointArgs,
  PublicEndpointDns,
} from "./endpoint/args";
import { lockResource } from "./locks";
import {
  DEFAULT_SSL_POLICY,
  GATEWAY_PARTS,
  GATEWAY_LOG_CATEGORIES,
  gatewayPartId,
  GRANT_WAIT_SCRIPT,
  KEY_VAULT_GRANT_WAIT_SECONDS,
  normalizePath,
  RULE_PRIORITIES,
} from "../lib/publicEndpoint";

// The args and enums live in ./endpoint/args.ts; every name stays importable from here.
export * from "./endpoint/args";

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
    // Checked before super(): bad input registers nothing; every problem at once, named by arg.
    const argsChecked = checkArgs("PublicEndpoint", name, args, publicEndpointArgsProblems);
    const settings = settingsOf(args);
    super("vantagepoint-connect:index:PublicEndpoint", name, {}, opts);
    const gatewayName = `${args.namePrefix}-appgw`;

    const publicIp = publicIpAddress(`${name}-ip`, args, `${args.namePrefix}-appgw-ip`, "IPv4", this);
    const publicIpV6 = args.ipv6
      ? publicIpAddress(`${name}-ip-v6`, args, `${args.namePrefix}-appgw-ip-v6`, "IPv6", this)
      : undefined;

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
              scope: pulumi
                .all([args.keyVaultId, args.keyVaultSecretName])
                .apply(([vaultId, secretName]) =>
                  secretsUserScope(vaultId, secretName ?? "", secretName === undefined),
                ),
              principalId: identity.principalId,
              principalType: "ServicePrincipal",
              roleDefinitionId: pulumi.interpolate`/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${KEY_VAULT_SECRETS_USER_ROLE_ID}`,
              description: "Application Gateway reads the Connect TLS certificate",
            },
            { parent: this },
          );

    // Role assignments take effect after a delay: wait once per new grant (bounded, measured from the grant's
    // creation), from the deploying machine (node is there, since it runs this program).
    const grantPropagated = grant
      ? new local.Command(
          `${name}-kv-grant-propagation`,
          {
            interpreter: ["node", "-e"],
            create: GRANT_WAIT_SCRIPT,
            environment: {
              VPC_GRANT_WAIT_SECONDS: String(settings.grantWaitSeconds),
              VPC_GRANT_CREATED_ON: grant.createdOn.apply((d) => d ?? ""),
            },
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
      gatewayInputs(args, settings, gatewayName, publicIp.id, publicIpV6?.id, identity.id, partId),
      { parent: this, dependsOn: grant && grantPropagated ? [grant, grantPropagated] : [] },
    );

    if (args.dns) dnsRecords(name, args.dns, publicIp, publicIpV6, this);
    if (args.diagnosticsWorkspaceId !== undefined) {
      new monitor.DiagnosticSetting(
        `${name}-diagnostics`,
        {
          name: `${args.namePrefix}-appgw-logs`,
          resourceUri: gateway.id,
          workspaceId: args.diagnosticsWorkspaceId,
          logAnalyticsDestinationType: "Dedicated",
          logs: GATEWAY_LOG_CATEGORIES.map((category) => ({ category, enabled: true })),
          metrics: [{ category: "AllMetrics", enabled: true }],
        },
        { parent: this },
      );
    }
    if (args.locks) {
      for (const [part, resource] of [
        ["ip", publicIp],
        ["ip-v6", publicIpV6],
        ["gateway", gateway],
      ] as const) {
        if (resource) lockResource(`${name}-${part}-lock`, resource.id, `${args.namePrefix}-${part}`, this);
      }
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
      argsChecked,
    });
  }
}

/** A Standard, static public IP for the gateway's frontend (in the zones given, if any). */
function publicIpAddress(
  name: string,
  args: PublicEndpointArgs,
  publicIpAddressName: string,
  version: "IPv4" | "IPv6",
  parent: pulumi.Resource,
): network.PublicIPAddress {
  return new network.PublicIPAddress(
    name,
    {
      resourceGroupName: args.resourceGroupName,
      location: args.location,
      publicIpAddressName,
      sku: { name: "Standard", tier: "Regional" },
      publicIPAllocationMethod: "Static",
      publicIPAddressVersion: version,
      ...(args.zones && args.zones.length > 0 ? { zones: args.zones } : {}),
      tags: args.tags,
    },
    { parent },
  );
}

/** The A record (and AAAA for an IPv6 frontend) for the public host name. */
function dnsRecords(
  name: string,
  zone: PublicEndpointDns,
  ipv4: network.PublicIPAddress,
  ipv6: network.PublicIPAddress | undefined,
  parent: pulumi.Resource,
): void {
  const common = {
    resourceGroupName: zone.zoneResourceGroupName,
    zoneName: zone.zoneName,
    relativeRecordSetName: zone.recordName,
    ttl: zone.ttl ?? 300,
  };
  new dns.RecordSet(
    `${name}-dns`,
    { ...common, recordType: "A", aRecords: [{ ipv4Address: ipv4.ipAddress.apply((ip) => ip ?? "") }] },
    { parent },
  );
  if (ipv6) {
    new dns.RecordSet(
      `${name}-dns-v6`,
      {
        ...common,
        recordType: "AAAA",
        aaaaRecords: [{ ipv6Address: ipv6.ipAddress.apply((ip) => ip ?? "") }],
      },
      { parent },
    );
  }
}

interface CheckedSettings {
  grantWaitSeconds: number;
  httpListener: HttpListenerMode;
  path: string;
  sslPolicyName: string;
  port: number;
  protocol: BackendProtocol;
  requestTimeout: number;
  minCapacity: number;
  maxCapacity: number;
}

/** The settings with their defaults (the args are checked first: lib/site/componentArgs.ts). */
function settingsOf(args: PublicEndpointArgs): CheckedSettings {
  return {
    grantWaitSeconds: args.keyVaultGrantWaitSeconds ?? KEY_VAULT_GRANT_WAIT_SECONDS,
    httpListener: args.httpListener ?? "redirect",
    path: normalizePath(args.vantagepointPath ?? "/vantagepoint"),
    sslPolicyName: args.sslPolicyName ?? DEFAULT_SSL_POLICY,
    port: args.backend.port ?? 443,
    protocol: args.backend.protocol ?? "Https",
    requestTimeout: args.backend.requestTimeoutSeconds ?? 120,
    minCapacity: args.autoscale?.minCapacity ?? 0,
    maxCapacity: args.autoscale?.maxCapacity ?? 2,
  };
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
  publicIpV6Id: pulumi.Output<string> | undefined,
  identityId: pulumi.Output<string>,
  partId: (collection: string, part: string) => pulumi.Output<string>,
): network.ApplicationGatewayArgs {
  const P = GATEWAY_PARTS;
  const ref = (collection: string, part: string) => ({ id: partId(collection, part) });
  const roots = args.backend.trustedRootCertificates ?? [];
  // One set of listeners and rules per frontend: IPv4 always, IPv6 on a dual-stack gateway.
  const frontends = [
    {
      ip: P.frontendIp,
      https: P.httpsListener,
      http: P.httpListener,
      redirect: P.redirect,
      httpsRule: P.httpsRule,
      httpRule: P.httpRule,
      priorities: { https: RULE_PRIORITIES.https, http: RULE_PRIORITIES.httpRedirect },
      publicIpId,
    },
    ...(publicIpV6Id
      ? [
          {
            ip: P.frontendIpV6,
            https: P.httpsListenerV6,
            http: P.httpListenerV6,
            redirect: P.redirectV6,
            httpsRule: P.httpsRuleV6,
            httpRule: P.httpRuleV6,
            priorities: { https: RULE_PRIORITIES.httpsV6, http: RULE_PRIORITIES.httpRedirectV6 },
            publicIpId: publicIpV6Id,
          },
        ]
      : []),
  ];
  const redirects = s.httpListener === "redirect";
  return {
    resourceGroupName: args.resourceGroupName,
    location: args.location,
    applicationGatewayName: gatewayName,
    sku: { name: "WAF_v2", tier: "WAF_v2" },
    autoscaleConfiguration: { minCapacity: s.minCapacity, maxCapacity: s.maxCapacity },
    ...(args.zones && args.zones.length > 0 ? { zones: args.zones } : {}),
    enableHttp2: true,
    firewallPolicy: { id: args.wafPolicyId },
    identity: { type: "UserAssigned", userAssignedIdentities: [identityId] },
    sslPolicy: { policyType: "Predefined", policyName: s.sslPolicyName },
    gatewayIPConfigurations: [{ name: P.gatewayIp, subnet: { id: args.gatewaySubnetId } }],
    frontendIPConfigurations: frontends.map((f) => ({ name: f.ip, publicIPAddress: { id: f.publicIpId } })),
    frontendPorts: [{ name: P.httpsPort, port: 443 }, ...(redirects ? [{ name: P.httpPort, port: 80 }] : [])],
    sslCertificates: [{ name: P.certificate, keyVaultSecretId: args.certificateSecretId }],
    ...(roots.length > 0
      ? { trustedRootCertificates: roots.map((r) => ({ name: r.name, data: r.data })) }
      : {}),
    httpListeners: frontends.flatMap((f) => [
      {
        name: f.https,
        protocol: "Https",
        frontendIPConfiguration: ref("frontendIPConfigurations", f.ip),
        frontendPort: ref("frontendPorts", P.httpsPort),
        sslCertificate: ref("sslCertificates", P.certificate),
      },
      ...(redirects
        ? [
            {
              name: f.http,
              protocol: "Http",
              frontendIPConfiguration: ref("frontendIPConfigurations", f.ip),
              frontendPort: ref("frontendPorts", P.httpPort),
            },
          ]
        : []),
    ]),
    redirectConfigurations: redirects
      ? frontends.map((f) => ({
          name: f.redirect,
          redirectType: "Permanent",
          targetListener: ref("httpListeners", f.https),
          includePath: true,
          includeQueryString: true,
        }))
      : [],
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
        ...(roots.length > 0
          ? { trustedRootCertificates: roots.map((r) => ref("trustedRootCertificates", r.name)) }
          : {}),
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
    requestRoutingRules: frontends.flatMap((f) => [
      {
        name: f.httpsRule,
        ruleType: "Basic",
        priority: f.priorities.https,
        httpListener: ref("httpListeners", f.https),
        backendAddressPool: ref("backendAddressPools", P.backendPool),
        backendHttpSettings: ref("backendHttpSettingsCollection", P.backendSettings),
      },
      ...(redirects
        ? [
            {
              name: f.httpRule,
              ruleType: "Basic",
              priority: f.priorities.http,
              httpListener: ref("httpListeners", f.http),
              redirectConfiguration: ref("redirectConfigurations", f.redirect),
            },
          ]
        : []),
    ]),
    tags: args.tags,
  };
}
