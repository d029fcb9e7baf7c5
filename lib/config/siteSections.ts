/** The stack config's `vpconnect:site`, `azure`, `tls` and `allowList` sections. Pure (zod only). */
import { z } from "zod";
import { BACKEND_ROUTES } from "../site/network";
import { ROUTE_TABLE_MODES, trustedRootProblem, VAULT_FIREWALL_MODES } from "../values/siteValues";
import { WAF_EXCLUSION_OPERATORS, WAF_EXCLUSION_VARIABLES, WAF_LIMITS, WAF_MODES } from "../waf";
import {
  resourceGroupName,
  hostname,
  urlPath,
  name,
  range,
  ipv4Cidr,
  ipv4Address,
  ipv6Cidr,
  armId,
  date,
  keyVaultName,
  certificateName,
  sslPolicy,
  trustedRootName,
  backendAddress,
  location,
  namePrefix,
  secret,
} from "../values/fields";

export const siteSchema = z.strictObject({
  /** Public DNS name Connect reaches Vantagepoint at (P1). */
  publicHostname: hostname,
  /** Path Vantagepoint is served under. */
  vantagepointPath: urlPath.default("/vantagepoint"),
  /** The on-premises (or Azure VM) Vantagepoint server behind the gateway. */
  backend: z.strictObject({
    address: backendAddress,
    port: z.number().int().min(1).max(65535, "must be a TCP port 1-65535").default(443),
    protocol: z.enum(["https", "http"], { message: 'must be "https" or "http"' }).default("https"),
    /** Host header and SNI sent to the backend; defaults to the public host name. Must match the server certificate's name. */
    hostHeader: hostname.optional(),
    /** Internal-CA root certificates (PEM) the gateway trusts for the backend's certificate (protocol https only). */
    trustedRootCertificates: z
      .array(
        z.strictObject({
          /** A short name for the certificate on the gateway. */
          name: trustedRootName,
          /** The CA certificate, PEM ("-----BEGIN CERTIFICATE-----" ...). */
          pem: z.string().superRefine((value, ctx) => {
            const problem = trustedRootProblem(value);
            if (problem) ctx.addIssue({ code: "custom", message: problem });
          }),
        }),
      )
      .default([]),
  }),
  /** Who may reach the public URL: only the allow list (people reach Vantagepoint internally) or anyone, through the WAF. */
  audience: z
    .enum(["allowList", "anyone"], { message: 'must be "allowList" or "anyone"' })
    .default("allowList"),
  /** People's devices resolve publicHostname to the internal server (split DNS), so they never need the public path. */
  splitDns: z.boolean().default(false),
  /** Port 80: a listener that redirects to HTTPS, or none. */
  httpListener: z.enum(["redirect", "off"], { message: 'must be "redirect" or "off"' }).default("redirect"),
  /** A dual-stack gateway with an IPv6 frontend (needs azure.network.ipv6AddressSpace and gatewaySubnetIpv6Prefix). */
  ipv6Frontend: z.boolean().default(false),
  /** Deploy-time check of the public URL, certificate and API: fail the deploy, only report, or skip. */
  verification: z
    .enum(["enforce", "report", "off"], { message: 'must be "enforce", "report" or "off"' })
    .default("enforce"),
});

export const azureSchema = z.strictObject({
  location: location.default("westeurope"),
  resourceGroupName,
  /** Create the resource group (true) or use an existing one (false). */
  createResourceGroup: z.boolean().default(true),
  /** Prefix for every Azure resource name (lowercase letters, digits, "-"). */
  namePrefix: namePrefix.default("vpconnect"),
  tags: z.record(z.string(), z.string()).default({}),
  network: z
    .strictObject({
      /** Use an existing virtual network instead of creating one. */
      existingVirtualNetwork: z
        .strictObject({ name: name("virtual network name"), resourceGroupName })
        .optional(),
      /** Address space of the virtual network this creates. */
      addressSpace: ipv4Cidr.default("10.60.0.0/16"),
      /** The Application Gateway's own subnet: a /26 or larger, nothing else in it. */
      gatewaySubnetPrefix: ipv4Cidr.default("10.60.1.0/24"),
      gatewaySubnetName: z.string().min(1).default("snet-appgw-connect"),
      /** How the gateway reaches site.backend.address; inferred from existingVirtualNetwork, hub and the address when omitted. */
      backendRoute: z
        .enum(BACKEND_ROUTES, { message: `must be one of ${BACKEND_ROUTES.join(", ")}` })
        .optional(),
      /** The hub VNet (with the VPN or ExpressRoute gateway) the new VNet is peered to. */
      hub: z
        .strictObject({
          /** Resource id of the hub virtual network. */
          virtualNetworkId: armId("Microsoft.Network/virtualNetworks", "virtual network"),
          /** Route to on-premises through the hub's VPN/ExpressRoute gateway (the hub side must allow gateway transit). */
          useRemoteGateways: z.boolean().default(true),
          /** Also create the hub-to-spoke peering (needs Network Contributor on the hub VNet). */
          createHubSidePeering: z.boolean().default(true),
        })
        .optional(),
      /** DNS servers of the new VNet, so the gateway resolves a backend FQDN (e.g. the hub's DNS forwarders). */
      dnsServers: z.array(ipv4Address).default([]),
      /** Route table on the gateway subnet against forced tunnelling; default internetDefaultRoute when routes come from a hub or an existing VNet. */
      routeTable: z
        .enum(ROUTE_TABLE_MODES, { message: `must be one of ${ROUTE_TABLE_MODES.join(", ")}` })
        .optional(),
      /** IPv6 address space of the new VNet (with site.ipv6Frontend). */
      ipv6AddressSpace: ipv6Cidr.optional(),
      /** IPv6 prefix of the gateway subnet, a /64 (with site.ipv6Frontend). */
      gatewaySubnetIpv6Prefix: ipv6Cidr.optional(),
    })
    .default({
      addressSpace: "10.60.0.0/16",
      gatewaySubnetPrefix: "10.60.1.0/24",
      gatewaySubnetName: "snet-appgw-connect",
      dnsServers: [],
    }),
  /** Optional DNS A record in an existing Azure DNS zone. */
  dns: z
    .strictObject({
      zoneName: hostname,
      zoneResourceGroupName: resourceGroupName,
      recordName: z.string().min(1),
    })
    .optional(),
  /**
   * Availability zones for the gateway and its public IP ([] for none). They cannot change after creation: stated,
   * never defaulted, in regions where earlier versions chose zones 1-3 (lib/gatewayRules zonesMustBeStated).
   */
  zones: z
    .array(z.enum(["1", "2", "3"], { message: 'must be "1", "2" or "3" (quoted)' }))
    .max(3)
    .optional(),
  /**
   * What the existing gateway was created with, written after its first `pulumi up` (the gatewayCreatedWith output):
   * Azure cannot turn the IPv6 frontend on or off or change zones afterwards, so `vpconnect check` refuses that.
   */
  gatewayCreatedWith: z
    .strictObject({
      ipv6Frontend: z.boolean(),
      zones: z.array(z.enum(["1", "2", "3"], { message: 'must be "1", "2" or "3" (quoted)' })).max(3),
    })
    .optional(),
  /** The WAF policy: mode (Detection until the managed rules are tuned), request limits, rule exclusions. */
  waf: z
    .strictObject({
      /** Default Detection (Microsoft: tune first); Prevention with allowList.enforceAt waf (lib/waf effectiveWafMode). */
      mode: z.enum(WAF_MODES, { message: 'must be "Detection" or "Prevention"' }).optional(),
      requestBodyCheck: z.boolean().default(true),
      maxRequestBodySizeInKb: z
        .number()
        .int()
        .min(WAF_LIMITS.requestBodyKb.min)
        .max(WAF_LIMITS.requestBodyKb.max, "must be 8 to 2000 (KB)")
        .optional(),
      fileUploadLimitInMb: z
        .number()
        .int()
        .min(WAF_LIMITS.fileUploadMb.min)
        .max(WAF_LIMITS.fileUploadMb.max, "must be 1 to 4000 (MB)")
        .optional(),
      exclusions: z
        .array(
          z.strictObject({
            matchVariable: z.enum(WAF_EXCLUSION_VARIABLES, {
              message: `must be one of ${WAF_EXCLUSION_VARIABLES.join(", ")}`,
            }),
            selectorMatchOperator: z.enum(WAF_EXCLUSION_OPERATORS, {
              message: `must be one of ${WAF_EXCLUSION_OPERATORS.join(", ")}`,
            }),
            selector: z.string().min(1, "must name the header, cookie or argument"),
          }),
        )
        .default([]),
    })
    .default({ requestBodyCheck: true, exclusions: [] }),
  /** CanNotDelete locks on the public IP, gateway and vault; default on for prod-like stacks (see docs). */
  locks: z.boolean().optional(),
  /** Gateway diagnostic settings (WAF and access logs) to Log Analytics. */
  diagnostics: z
    .strictObject({
      enabled: z.boolean().default(true),
      /** Resource id of an existing Log Analytics workspace; omit to create one. */
      workspaceId: armId("Microsoft.OperationalInsights/workspaces", "Log Analytics workspace").optional(),
      /** Retention of a workspace created here. */
      retentionDays: z.number().int().min(30).max(730, "must be 30 to 730 days").default(30),
    })
    .default({ enabled: true, retentionDays: 30 }),
});

export const tlsSchema = z.strictObject({
  keyVault: z.strictObject({
    name: keyVaultName,
    /** Resource group of an existing vault; omit to create the vault in azure.resourceGroupName. */
    resourceGroupName: resourceGroupName.optional(),
    create: z.boolean().default(false),
    /** Add a random suffix to the created vault's name (kept in state): a deleted vault's name stays reserved for up to 90 days. */
    uniqueName: z.boolean().default(false),
    /** With uniqueName: the suffix the vault already has (a stack made before the random provider drew it keeps it). */
    nameSuffix: z
      .string()
      .regex(
        /^[a-z0-9]{1,10}$/,
        'must be the vault name\'s suffix: 1-10 lowercase letters or digits, e.g. "3fa9c1"',
      )
      .optional(),
    /** Firewall of a created vault: open to all networks, trusted services only, or trusted services plus the gateway subnet. */
    firewall: z
      .enum(VAULT_FIREWALL_MODES, { message: `must be one of ${VAULT_FIREWALL_MODES.join(", ")}` })
      .optional(),
  }),
  /** Name of the Key Vault certificate for the public host name (versionless id is used, so renewals roll out). */
  certificateName,
  sslPolicy: sslPolicy.default("AppGwSslPolicy20220101S"),
  /** Where the certificate comes from: an existing Key Vault certificate, or a PFX imported here as a vault secret. */
  certificateSource: z
    .enum(["keyVault", "pfx"], { message: 'must be "keyVault" or "pfx"' })
    .default("keyVault"),
  /** The password-less PFX, base64 (with certificateSource pfx). */
  pfx: secret.optional(),
  /** The PFX certificate's expiry (its "valid to" date): the imported secret carries it, as auditors expect. */
  certificateExpiresOn: date.optional(),
  /** Seconds the deploy waits after granting the gateway's identity read access to the vault (role assignments take time to apply). */
  grantWaitSeconds: z.number().int().min(0).max(1800, "must be 0 to 1800 seconds").default(180),
  /** The deploy-time check fails when the certificate expires within this many days. */
  certificateMinDaysLeft: z.number().int().min(0).max(365).default(21),
});

export const allowListSchema = z.strictObject({
  /** Connect's outbound addresses, from Deltek's "Exposed IP Addresses" help topic (P2). Never hard-coded. */
  connectIps: z.array(range).min(1, "must list at least one address: Connect's published outbound IPs"),
  /** Other sources that may reach the public URL (e.g. office egress). */
  extraRanges: z.array(range).default([]),
  /** Where the allow list is enforced. */
  enforceAt: z.enum(["both", "nsg", "waf"], { message: 'must be "both", "nsg" or "waf"' }).default("both"),
  allowPrivateRanges: z.boolean().default(false),
});
