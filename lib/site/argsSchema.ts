/**
 * The shape and field checks of ConnectSite's args at run time, for callers the type checker does not reach
 * (JavaScript, YAML, Python through the component provider): a wrong type or a missing required arg is one clear
 * problem naming the arg, never a TypeError. Each field reuses the stack schema's field rule (lib/config/schema.ts),
 * so a value the stack config refuses is refused through args with the same words. Pure (zod only).
 */
import { z } from "zod";
import {
  apiClientId,
  apiUserName,
  armId,
  backendAddress,
  certificateName,
  connectClientId,
  databaseName,
  date,
  hostname,
  ipv4Address,
  ipv4Cidr,
  ipv6Cidr,
  keyVaultName,
  lifetimeDays,
  location,
  name,
  namePrefix,
  ownerId,
  personSchema,
  range,
  redirectUri,
  sslPolicy,
  trustedRootName,
  urlPath,
  resourceGroupName,
} from "../values/fields";
import { ROUTE_TABLE_MODES, VAULT_FIREWALL_MODES } from "../values/siteValues";
import { guid, httpsUrl } from "../values/validators";
import { WAF_MODES } from "../waf";
import { BACKEND_ROUTES } from "./network";

/** An enum with its values named in the message. */
export const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { message: `must be one of ${values.map((v) => JSON.stringify(v)).join(", ")}` });

export const bool = z.boolean().optional();

/** One person on the roster (ConnectSite's vantagepoint.roster[i], ConnectRoster's entries[i]). */
export const rosterEntry = personSchema.extend({ configurer: bool });

/** The Vantagepoint API connection (ConnectSite's vantagepoint.connection, each Vantagepoint resource's connection). */
export const connection = z.strictObject({
  url: httpsUrl(),
  database: databaseName,
  username: apiUserName,
  password: z.string().min(1, "must not be empty; pass the API user's password (a Pulumi secret)"),
  clientId: apiClientId,
  clientSecret: z.string().min(1, "must not be empty; pass the API Authorization's secret (a Pulumi secret)"),
  integrated: bool,
  paths: z
    .strictObject({
      employees: urlPath.optional(),
      users: urlPath.optional(),
      roles: urlPath.optional(),
      apiAuthorizations: urlPath.optional(),
    })
    .optional(),
  pageSize: z.number().int().min(1).max(5000, "must be at most 5000").optional(),
  readLagMs: z.number().int().min(0).max(600_000, "must be at most 600000 (10 minutes)").optional(),
});

const app = {
  displayName: z.string().min(1).max(120).optional(),
  secretRotatedOn: date,
  secretLifetimeDays: lifetimeDays.optional(),
  grantAdminConsent: bool,
};

/** ConnectSiteArgs as a schema (objects are open: the TypeScript types refuse unknown keys where they can). */
export const siteArgsSchema = z.strictObject({
  namePrefix,
  location,
  resourceGroup: z.strictObject({ name: resourceGroupName, create: bool }),
  tags: z.record(z.string(), z.string()).optional(),
  network: z
    .strictObject({
      existingVirtualNetwork: z
        .strictObject({ name: name("virtual network name"), resourceGroupName: resourceGroupName })
        .optional(),
      addressSpace: ipv4Cidr.optional(),
      gatewaySubnetPrefix: ipv4Cidr.optional(),
      gatewaySubnetName: z.string().min(1).optional(),
      backendRoute: oneOf(BACKEND_ROUTES).optional(),
      hub: z
        .strictObject({
          virtualNetworkId: armId("Microsoft.Network/virtualNetworks", "virtual network"),
          useRemoteGateways: bool,
          createHubSidePeering: bool,
          /** A Provider resource: checked by the engine, not here. */
          provider: z
            .custom<object>((v) => v !== null && typeof v === "object", "must be an azure-native Provider")
            .optional(),
        })
        .optional(),
      dnsServers: z.array(ipv4Address).optional(),
      routeTable: oneOf(ROUTE_TABLE_MODES).optional(),
      ipv6AddressSpace: ipv6Cidr.optional(),
      gatewaySubnetIpv6Prefix: ipv6Cidr.optional(),
    })
    .optional(),
  publicHostname: hostname,
  vantagepointPath: urlPath.optional(),
  backend: z.strictObject({
    address: backendAddress,
    port: z.number().int().min(1).max(65535, "must be a TCP port 1-65535").optional(),
    protocol: oneOf(["Https", "Http"]).optional(),
    hostName: hostname.optional(),
    requestTimeoutSeconds: z.number().int().min(1).max(86400).optional(),
    trustedRootCertificates: z
      .array(
        z.strictObject({
          name: trustedRootName,
          data: z.string().min(1),
        }),
      )
      .optional(),
  }),
  dns: z
    .strictObject({
      zoneName: hostname,
      zoneResourceGroupName: resourceGroupName,
      recordName: z.string().min(1),
      ttl: z.number().int().min(1).optional(),
    })
    .optional(),
  tls: z.strictObject({
    keyVault: z.strictObject({
      name: keyVaultName,
      create: bool,
      resourceGroupName: resourceGroupName.optional(),
      uniqueName: bool,
      firewall: oneOf(VAULT_FIREWALL_MODES).optional(),
      nameSuffix: z.string().optional(),
    }),
    certificateName,
    sslPolicy: sslPolicy.optional(),
    certificateSource: oneOf(["keyVault", "pfx"]).optional(),
    pfx: z.string().optional(),
    certificateExpiresOn: date.optional(),
    grantWaitSeconds: z.number().int().min(0).max(1800, "must be 0 to 1800 seconds").optional(),
  }),
  allowList: z.strictObject({
    connectIps: z.array(range).min(1, "must list at least one address: Connect's published outbound IPs"),
    extraRanges: z.array(range).optional(),
    enforceAt: oneOf(["both", "nsg", "waf"]).optional(),
    allowPrivateRanges: bool,
    audience: oneOf(["allowList", "anyone"]).optional(),
    waf: z
      .strictObject({
        mode: oneOf(WAF_MODES).optional(),
        requestBodyCheck: bool,
        maxRequestBodySizeInKb: z.number().optional(),
        fileUploadLimitInMb: z.number().optional(),
        exclusions: z.array(z.looseObject({})).optional(),
      })
      .optional(),
  }),
  tenantId: guid("the Entra tenant ID", "must be the Entra tenant ID (a GUID)").optional(),
  loginApp: z
    .strictObject({
      ...app,
      secretSlotBRotatedOn: date.optional(),
      secretOverlapDays: z.number().int().min(0).optional(),
      secretWarningDays: z.number().int().min(0).optional(),
      identifierUri: z.string().min(1).optional(),
      accessTokenVersion: z.union([z.literal(1), z.literal(2)], { message: "must be 1 or 2" }).optional(),
      redirectUri: redirectUri.optional(),
    })
    .optional(),
  mailboxApp: z
    .strictObject({ ...app, access: oneOf(["graph", "ews"]).optional(), applicationPermissions: bool })
    .optional(),
  vantagepoint: z
    .strictObject({
      connection,
      roster: z.array(rosterEntry),
      rosterOnDelete: oneOf(["detach", "deactivateUsers"]).optional(),
      newEmployees: z
        .strictObject({
          key: oneOf(["roster", "sequence", "server"]).optional(),
          prefix: z.string().optional(),
          digits: z.number().int().min(1).max(12, "must be at most 12").optional(),
          defaults: z.record(z.string(), z.string()).optional(),
        })
        .optional(),
      connectApiClient: z
        .strictObject({
          name: z.string().min(1).optional(),
          clientId: connectClientId.optional(),
          allowCreate: bool,
          clientSecret: z.string().min(1).optional(),
          protect: bool,
        })
        .optional(),
      version: z
        .string()
        .regex(/^\d+\.\d+$/, 'must be "major.minor", e.g. "7.0"')
        .optional(),
      adminRole: z.string().min(1).max(40).optional(),
      requireAdministratorType: bool,
      throughPublicUrl: bool,
      removalBrake: z
        .strictObject({
          maxRemovals: z.number().optional(),
          maxRemovalPercent: z.number().optional(),
          approve: z.strictObject({ count: z.number(), digest: z.string() }).optional(),
        })
        .optional(),
      rosterShards: z.number().optional(),
    })
    .optional(),
  verification: z
    .strictObject({
      mode: oneOf(["enforce", "report", "off"]).optional(),
      apiUrl: httpsUrl().optional(),
      loginUrl: z.url({ protocol: /^https$/, message: "must be an https:// URL" }).optional(),
      certificateMinDays: z.number().int().min(0).max(365).optional(),
    })
    .optional(),
  httpListener: oneOf(["redirect", "off"]).optional(),
  appOwners: z.array(ownerId).optional(),
  gatewayCreatedWith: z
    .strictObject({
      ipv6Frontend: z.boolean(),
      zones: z.array(z.enum(["1", "2", "3"], { message: 'must be "1", "2" or "3"' })),
    })
    .optional(),
  ipv6Frontend: bool,
  zones: z
    .array(z.enum(["1", "2", "3"], { message: 'must be "1", "2" or "3"' }))
    .max(3)
    .optional(),
  locks: bool,
  diagnostics: z
    .strictObject({
      enabled: bool,
      workspaceId: armId("Microsoft.OperationalInsights/workspaces", "Log Analytics workspace").optional(),
      retentionDays: z.number().int().min(30).max(730, "must be 30 to 730 days").optional(),
    })
    .optional(),
});
