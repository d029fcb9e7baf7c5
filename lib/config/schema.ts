/**
 * The stack config schema: every key under the `vpconnect` namespace, with defaults and the checks that need
 * more than one field. Pure (zod only). Loading, error wording and secret handling live in ./load.ts.
 */
import { isIP } from "node:net";
import { z } from "zod";
import { parseRange } from "../allowList";
import { MAILBOX_ENABLED_REQUIRED, ownerIdProblem } from "../entra";
import { emailProblem, userIdProblem } from "../people";
import { removalBrakeIssues } from "../vantagepoint/removalBrake";
import type { RemovalBrakeSettings } from "../vantagepoint/removalBrake";
import { MAX_SHARDS } from "../vantagepoint/rosterShards";
import { USER_ID_RULES } from "../entraGroup/roster";
import type { UserIdRule } from "../entraGroup/roster";
import { isSecretValue, SecretValue } from "./secret";
import {
  BACKEND_ROUTES,
  resourceIdProblem,
  ROUTE_TABLE_MODES,
  trustedRootProblem,
  VAULT_FIREWALL_MODES,
} from "./siteShape";
import { backendAddressProblem, guid, hostnameShapeProblem, httpsUrl, quote } from "./validators";
import { day2Issues } from "./day2Shape";
import { WAF_EXCLUSION_OPERATORS, WAF_EXCLUSION_VARIABLES, WAF_LIMITS, WAF_MODES } from "../waf";
import {
  apiRootProblem,
  backendIpProblem,
  connectClientIdProblem,
  databaseNameProblem,
  hubIsOwnVnetProblem,
  identifierTextProblem,
  identifierUriProblem,
  invisibleCharProblem,
  keyVaultNameProblem,
  redirectUriProblem,
  resourceGroupNameProblem,
  windowsLoginVersionProblem,
} from "./valueRules";

/** A string checked by one of the value rules (lib/config/valueRules.ts). */
const ruled = (problem: (value: string) => string | undefined) =>
  z.string().superRefine((value, ctx) => {
    const message = problem(value);
    if (message) ctx.addIssue({ code: "custom", message });
  });

/** An Azure resource group name (Microsoft naming rules, lib/config/valueRules.ts). */
export const resourceGroupName = ruled(resourceGroupNameProblem);

/** Stack config namespace: keys are `vpconnect:<section>`. */
export const NAMESPACE = "vpconnect";

export const SECRET_LIFETIME_LIMIT_DAYS = 730;

/** The predefined Application Gateway TLS policies that require TLS 1.2 or newer. */
export const TLS_POLICIES = ["AppGwSslPolicy20220101S", "AppGwSslPolicy20220101"] as const;

const hostnamePattern =
  /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/i;

/** Why `value` is not a bare DNS host name (no scheme, path or port), or undefined when it is one. */
export function hostnameProblem(value: string): string | undefined {
  if (isIP(value.replace(/^\[|\]$/g, "")) !== 0) {
    return `${quote(value)} is an IP address; give the DNS name Connect reaches Vantagepoint at (the certificate is issued for a name), e.g. vantagepoint.example.com`;
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    // Suggest the URL's host only when that passes this check itself.
    let host: string | undefined;
    try {
      host = new URL(value).hostname;
    } catch {
      host = undefined;
    }
    const fix = host && hostnameProblem(host) === undefined ? `, e.g. ${JSON.stringify(host)}` : "";
    return `${quote(value)} has a scheme; give the host name only${fix}`;
  }
  if (value.includes("/"))
    return `${JSON.stringify(value)} has a path; give the host name only and put the path in site.vantagepointPath`;
  if (value.includes(":"))
    return `${JSON.stringify(value)} has a port; the public endpoint always answers on 443`;
  if (!hostnamePattern.test(value) || hostnameShapeProblem(value) !== undefined)
    return `${JSON.stringify(value)} is not a DNS host name such as vantagepoint.example.com`;
  return undefined;
}

export const hostname = z.string().superRefine((value, ctx) => {
  const problem = hostnameProblem(value);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

export const urlPath = z
  .string()
  .regex(/^\/[A-Za-z0-9._~\-/]*[^/]$|^\/$/, 'must start with "/" and not end with "/", e.g. "/vantagepoint"');

export const name = (what: string) =>
  z
    .string()
    .min(1, `must not be empty; give the ${what}`)
    .max(80, "must be at most 80 characters")
    .regex(
      /^[A-Za-z0-9][A-Za-z0-9._()-]*$/,
      `must be an Azure ${what}: letters, digits, ".", "_", "-", "(", ")"`,
    );

/** An address range for the allow list, checked with the allow-list rules (syntax, no 0.0.0.0/0, no private ranges unless allowed). */
export const range = z.string().superRefine((value, ctx) => {
  const parsed = parseRange(value);
  if ("error" in parsed) ctx.addIssue({ code: "custom", message: parsed.error });
});

export const ipv4Cidr = z.string().superRefine((value, ctx) => {
  const parsed = parseRange(value);
  if ("error" in parsed) ctx.addIssue({ code: "custom", message: parsed.error });
  else if (parsed.version !== 4) ctx.addIssue({ code: "custom", message: `${value} must be an IPv4 range` });
});

export const ipv4Address = z.string().superRefine((value, ctx) => {
  if (isIP(value) !== 4)
    ctx.addIssue({ code: "custom", message: `${JSON.stringify(value)} must be an IPv4 address` });
});

export const ipv6Cidr = z.string().superRefine((value, ctx) => {
  const parsed = parseRange(value);
  if ("error" in parsed) ctx.addIssue({ code: "custom", message: parsed.error });
  else if (parsed.version !== 6) ctx.addIssue({ code: "custom", message: `${value} must be an IPv6 range` });
});

/** A full Azure resource id of one type, e.g. /subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Network/virtualNetworks/<name>. */
export const armId = (type: string, what: string) =>
  z.string().superRefine((value, ctx) => {
    const problem = resourceIdProblem(value, type, what);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

/**
 * A secret value: `{ secure: ... }` in a stack file, or the decrypted string the engine passes for a secret key.
 * The loader turns both into a SecretValue before parsing; a plain string left here was given in plaintext.
 */
const secret = z.custom<SecretValue>((value) => isSecretValue(value), {
  message: "must be a secret",
});

export const date = z.iso.date({ message: "must be a date written YYYY-MM-DD" });

export const lifetimeDays = z
  .number({ message: "must be a whole number of days" })
  .int("must be a whole number of days")
  .min(1, "must be at least 1 day")
  .max(
    SECRET_LIFETIME_LIMIT_DAYS,
    `must be at most ${SECRET_LIFETIME_LIMIT_DAYS} days (Deltek's guide uses 730)`,
  )
  .default(SECRET_LIFETIME_LIMIT_DAYS);

export const email = z.string().superRefine((value, ctx) => {
  const problem = invisibleCharProblem(value) ?? emailProblem(value);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

export const userId = z.string().superRefine((value, ctx) => {
  const problem = invisibleCharProblem(value) ?? userIdProblem(value);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

export const personName = z
  .string()
  .min(1, "must not be empty")
  .max(50, "must be at most 50 characters")
  .regex(
    /^[^\u0000-\u001f\u007f]*$/,
    "must not contain line breaks or control characters; keep the name on one line",
  );

export const personSchema = z.strictObject({
  /** Vantagepoint user ID (Users form). */
  userId,
  /** Email on the employee record (EMail); Connect matches mailboxes by it. */
  email,
  firstName: personName,
  lastName: personName,
  /** Employee key when the employee already exists (e.g. "00201"); otherwise matched by email or created. */
  employee: z
    .string()
    .regex(
      /^[A-Za-z0-9._-]{1,20}$/,
      "must be an employee key such as 00201 (letters, digits, '.', '_', '-'; at most 20)",
    )
    .superRefine((value, ctx) => {
      const problem = invisibleCharProblem(value);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    })
    .optional(),
  /** Security role for the user; defaults to roster.defaultRole. */
  role: z.string().min(1).max(40).optional(),
});

/** A Key Vault name (global across Azure). */
export const keyVaultName = ruled(keyVaultNameProblem);

/** A Key Vault certificate (object) name. */
export const certificateName = z
  .string()
  .regex(/^[a-zA-Z0-9-]{1,127}$/, "must be a Key Vault object name (letters, digits, '-')");

/** A predefined TLS policy with TLS 1.2 or newer. */
export const sslPolicy = z.enum(TLS_POLICIES, {
  message: `must be one of ${TLS_POLICIES.join(", ")} (TLS 1.2 or newer)`,
});

/** The gateway's backend address. */
export const backendAddress = z.string().superRefine((value, ctx) => {
  const problem = backendAddressProblem(value) ?? backendIpProblem(value);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

/** An Azure region name. */
export const location = z.string().regex(/^[a-z0-9]+$/, "must be an Azure region name such as westeurope");

/** The prefix of every Azure resource name. */
export const namePrefix = z
  .string()
  .regex(/^[a-z][a-z0-9-]{1,20}$/, 'must be 2-21 lowercase letters, digits or "-", starting with a letter');

const siteSchema = z.strictObject({
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
          name: z
            .string()
            .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$/, "must be 1-80 letters, digits, '.', '_' or '-'"),
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

const azureSchema = z.strictObject({
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

const tlsSchema = z.strictObject({
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

const allowListSchema = z.strictObject({
  /** Connect's outbound addresses, from Deltek's "Exposed IP Addresses" help topic (P2). Never hard-coded. */
  connectIps: z.array(range).min(1, "must list at least one address: Connect's published outbound IPs"),
  /** Other sources that may reach the public URL (e.g. office egress). */
  extraRanges: z.array(range).default([]),
  /** Where the allow list is enforced. */
  enforceAt: z.enum(["both", "nsg", "waf"], { message: 'must be "both", "nsg" or "waf"' }).default("both"),
  allowPrivateRanges: z.boolean().default(false),
});

const appSecretFields = {
  /** Days the client secret lives (at most 730). */
  secretLifetimeDays: lifetimeDays,
  /** Date the current secret was issued; change it to roll the secret. */
  secretRotatedOn: date,
};

/** An Entra object id (lib/entra.ts ownerIdProblem). */
const ownerId = z.string().superRefine((value, ctx) => {
  const problem = ownerIdProblem(value);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

const entraSchema = z.strictObject({
  tenantId: guid("the Entra tenant ID", "must be the Entra tenant ID (a GUID)"),
  /**
   * Object ids of further owners of the Entra apps (users, groups or service principals); the deploying principal
   * is always an owner, so a CI principal with Application.ReadWrite.OwnedBy can manage the apps it created.
   */
  owners: z.array(ownerId).default([]),
  /** How people sign in to Vantagepoint (P7): Entra ID (Azure AD) or Windows Active Directory integrated login. */
  loginMode: z.enum(["entraId", "windows"], { message: 'must be "entraId" or "windows"' }).default("entraId"),
  loginApp: z
    .strictObject({
      displayName: z.string().min(1).max(120).default("Deltek Vantagepoint"),
      ...appSecretFields,
      /** Slot B's issue day: set it to rotate; the slot issued last is active (secretRotatedOn is slot A). */
      secretSlotBRotatedOn: date.optional(),
      /** Days the retiring slot must outlive the active one's issue day (default 30; lib/rotation.ts checks it). */
      secretOverlapDays: z.number({ message: "must be a whole number of days" }).optional(),
      /** Warn this many days before the active slot expires (default secretOverlapDays + 30). */
      secretWarningDays: z.number({ message: "must be a whole number of days" }).optional(),
      /** Application ID URI; default api://<application id>, as Deltek's guide accepts it. */
      identifierUri: z
        .string()
        .regex(
          /^(api:\/\/[^\s/]+(\/[^\s]*)?|https:\/\/[^\s/]+(\/[^\s]*)?)$/,
          "must be an Application ID URI such as api://vantagepoint or https://vp.example.com/api (a verified domain)",
        )
        .optional(),
      /** The API's requested access token version; unset unless given (Deltek's guide does not set it). */
      accessTokenVersion: z.union([z.literal(1), z.literal(2)], { message: "must be 1 or 2" }).optional(),
      /** Web redirect URI; default https://<publicHostname><vantagepointPath>/app. */
      redirectUri: z
        .url({ protocol: /^https$/, message: "must be an https:// URL" })
        .superRefine((value, ctx) => {
          const problem = redirectUriProblem(value);
          if (problem) ctx.addIssue({ code: "custom", message: problem });
        })
        .optional(),
      /** Grant tenant-wide admin consent for the app's scopes (tenants that block user consent). */
      grantAdminConsent: z.boolean().default(false),
    })
    .optional(),
  mailboxApp: z
    .strictObject({
      /**
       * Create the mailbox app (Connect's Office 365 OAuth has each person sign in; nothing uses it). Required
       * when the section is present: a stack from when the app was on by default would otherwise lose it silently.
       */
      enabled: z.boolean({ message: "must be true or false" }).optional(),
      displayName: z.string().min(1).max(120).default("Vantagepoint Connect Mailbox"),
      /** Mailbox API (P8): Microsoft Graph, or Exchange Web Services on explicit opt-in. */
      access: z.enum(["graph", "ews"], { message: 'must be "graph" or "ews"' }).default("graph"),
      /** Grant tenant-wide admin consent for the delegated scopes. */
      grantAdminConsent: z.boolean().default(false),
      /** Whole-tenant application permissions (Mail/Calendars/Contacts). Needs a strong reason. */
      applicationPermissions: z.boolean().default(false),
      ...appSecretFields,
    })
    .optional(),
});

const vantagepointSchema = z.strictObject({
  /** API root, e.g. https://vantagepoint.example.com/vantagepoint/api. */
  apiUrl: httpsUrl(),
  database: z.string().min(1, "must name the Vantagepoint database").pipe(ruled(databaseNameProblem)),
  username: z.string().min(1, "must name the API user").pipe(ruled(identifierTextProblem)),
  password: secret,
  /** Client ID of the API Authorization this project signs in with (needs Allow Password Grant Type). */
  clientId: z.string().min(1).pipe(ruled(identifierTextProblem)),
  clientSecret: secret,
  /** Windows authentication for the API user (Integrated=Y). */
  integrated: z.boolean().default(false),
  /**
   * Vantagepoint version; 7.0 and later require the Connect role to be of type Administrator. Left out, the role
   * record's fields tell which role model the server has (lib/vantagepoint/roleModel.ts; 7.0 assumed when they
   * cannot, and said so).
   */
  version: z
    .string()
    .regex(/^\d+\.\d+$/, 'must be "major.minor", e.g. "7.0"')
    .optional(),
  /** The role of whoever configures Connect (P3). */
  adminRole: z.string().min(1).max(40).default("ADMIN"),
  connectApiClient: z
    .strictObject({
      /** Name Vantagepoint gave the Connect API Authorization: only a hint, the Client ID identifies it. */
      name: z.string().min(1).default("Vantagepoint Connect"),
      /**
       * Client ID of the Connect API Authorization, as Connect Administration's Settings tab shows it: how the
       * record is identified (a name is only a hint). Before 5.0 a database has one authorization (no list).
       */
      clientId: z
        .string()
        .pipe(ruled(identifierTextProblem))
        .pipe(
          z
            .string()
            .regex(
              /^[A-Za-z0-9._:-]{1,100}$/,
              "must be the Client ID shown on Connect Administration's Settings tab",
            ),
        )
        .optional(),
      /**
       * Create it when it does not exist (otherwise a missing one is reported, never created). Never regenerates
       * one: a new secret breaks every integration that uses the old one.
       */
      allowCreate: z.boolean().default(false),
      /** The Connect client's secret, when you want it kept as a stack output. */
      clientSecret: secret.optional(),
      protect: z.boolean().default(true),
    })
    .default({ name: "Vantagepoint Connect", allowCreate: false, protect: true }),
  /** API paths; the roles and API authorization paths are UNVERIFIED in public docs, so they are configurable. */
  paths: z
    .strictObject({
      employees: urlPath.default("/employee"),
      users: urlPath.default("/user"),
      roles: urlPath.default("/security/role"),
      apiAuthorizations: urlPath.default("/apiauthorization"),
    })
    .default({
      employees: "/employee",
      users: "/user",
      roles: "/security/role",
      apiAuthorizations: "/apiauthorization",
    }),
  pageSize: z.number().int().min(1).max(5000, "must be at most 5000").default(500),
  /**
   * How long a write may stay invisible to reads (ms): after a lost reply the record is re-read this long before
   * the person is stopped with "re-run in a minute" (lib/vantagepoint/unknownOutcome.ts, default 10 000).
   */
  readLagMs: z.number().int().min(0).max(600_000, "must be at most 600000 (10 minutes)").optional(),
});

const rosterSchema = z.strictObject({
  /** Whoever configures Connect (P3, P4). */
  configurer: personSchema,
  /** People who will use Connect (P5), inline. */
  users: z.array(personSchema).default([]),
  /** Or a CSV/JSON file of them, relative to the project folder. */
  file: z
    .string()
    .regex(/\.(csv|json)$/i, "must be a .csv or .json file")
    .optional(),
  defaultRole: z.string().min(1).max(40).default("CONNECT"),
  /**
   * How new employees are keyed and what they get. Real integrations send the key and also EmployeeCompany,
   * HomeCompany, Org, HireDate and Type; whether a site numbers employees itself has no public source.
   */
  newEmployees: z
    .strictObject({
      /** "roster": each row's employee key; "sequence": prefix + zero-padded number; "server": the site numbers them. */
      key: z
        .enum(["roster", "sequence", "server"], { message: 'must be "roster", "sequence" or "server"' })
        .optional(),
      /** Prefix of a sequence key, e.g. "C" gives C00001. */
      prefix: z
        .string()
        .regex(/^[A-Za-z0-9._-]{0,12}$/, "must be up to 12 letters, digits, '.', '_' or '-'")
        .default(""),
      /** Digits of a sequence key, zero-padded. */
      digits: z.number().int().min(1).max(12, "must be at most 12").default(5),
      org: z.string().min(1).max(30).optional(),
      employeeCompany: z.string().min(1).max(14).optional(),
      homeCompany: z.string().min(1).max(14).optional(),
      type: z.string().min(1).max(10).optional(),
      /** "today" or a date written YYYY-MM-DD. */
      hireDate: z.union([z.literal("today"), date]).optional(),
    })
    .optional(),
  /**
   * What `pulumi destroy` (and taking someone off the roster) does to people: "detach" (the default: nothing
   * written) or "deactivateUsers" (sets their users Inactive: Connect then deletes their Connect users and removes
   * Vantagepoint data from their mailboxes). Never the default; every preview warns where it is set.
   */
  onDelete: z
    .enum(["detach", "deactivateUsers"], { message: 'must be "detach" or "deactivateUsers"' })
    .default("detach"),
  /**
   * The brake on mass removal: a run that takes more than `maxRemovals` people or `maxRemovalPercent` (default 10)
   * % of the roster off it stops before writing anything and lists them; `approve` (the count and digest the
   * refusal printed) lets exactly that list through once.
   */
  removalBrake: z
    .unknown()
    .superRefine((value, ctx) => {
      for (const [field, message] of removalBrakeIssues(value, ""))
        ctx.addIssue({ code: "custom", message, path: field.split(".").filter(Boolean) });
    })
    .transform((value) => (value ?? {}) as RemovalBrakeSettings)
    .optional(),
  /**
   * An Entra ID group whose members are Connect users (read from Microsoft Graph with the application permission
   * GroupMember.Read.All): users only, enabled, guests only with includeGuests, address from `mail`.
   */
  group: z
    .strictObject({
      /** The group's object ID. */
      id: guid("the group's object ID (Entra admin center, Groups, Overview)"),
      /** Members of nested groups too (default true). */
      transitive: z.boolean().default(true),
      /** Guests (userType Guest) are Connect users only when true. */
      includeGuests: z.boolean().default(false),
      /** How a member's Vantagepoint user ID is made (default the UPN without the domain, as Deltek's login uses). */
      userIdRule: z
        .enum(USER_ID_RULES as [UserIdRule, ...UserIdRule[]], {
          message: `must be one of ${USER_ID_RULES.map((r) => `"${r}"`).join(", ")}`,
        })
        .default("upnPrefix"),
      /** Security role for the group's people (default roster.defaultRole). */
      role: z.string().min(1).max(40).optional(),
      /** The app that reads the group (client credentials). */
      graph: z.strictObject({
        clientId: guid("the reading app's client ID"),
        clientSecret: secret,
        /** Default entra.tenantId. */
        tenantId: guid("the Entra tenant ID").optional(),
        /** Graph's root (default https://graph.microsoft.com/v1.0; http only on loopback, for the stand-in). */
        url: httpsUrl({ example: "https://graph.microsoft.com/v1.0" }).optional(),
        /** The token endpoint (default https://login.microsoftonline.com/<tenant>/oauth2/v2.0/token). */
        tokenUrl: httpsUrl({
          example: "https://login.microsoftonline.com/<tenant>/oauth2/v2.0/token",
        }).optional(),
      }),
    })
    .optional(),
  /** How many roster resources the people are spread over (default: enough for 2,000 each, a power of two). */
  shards: z.number().int().min(1).max(MAX_SHARDS, `must be at most ${MAX_SHARDS}`).optional(),
});

const policySchema = z.strictObject({
  maxSecretLifetimeDays: z
    .number()
    .int()
    .min(1)
    .max(SECRET_LIFETIME_LIMIT_DAYS)
    .default(SECRET_LIFETIME_LIMIT_DAYS),
  allowEws: z.boolean().default(false),
  forbiddenInternetPorts: z.array(z.number().int().min(1).max(65535)).default([22, 3389, 1433, 5985, 5986]),
});

/** Every `vpconnect:<section>` key. */
export const sections = {
  site: siteSchema,
  azure: azureSchema,
  tls: tlsSchema,
  allowList: allowListSchema,
  entra: entraSchema,
  vantagepoint: vantagepointSchema,
  roster: rosterSchema,
  policy: policySchema.default({
    maxSecretLifetimeDays: 730,
    allowEws: false,
    forbiddenInternetPorts: [22, 3389, 1433, 5985, 5986],
  }),
} as const;

export type SectionName = keyof typeof sections;
export const SECTION_NAMES = Object.keys(sections) as SectionName[];
export const SECRET_PATHS = [
  "tls.pfx",
  "vantagepoint.password",
  "vantagepoint.clientSecret",
  "vantagepoint.connectApiClient.clientSecret",
  "roster.group.graph.clientSecret",
];

export const stackConfigSchema = z.strictObject(sections);

export type StackConfig = z.output<typeof stackConfigSchema>;
type Sections = { [K in SectionName]?: z.output<(typeof sections)[K]> };

/**
 * Checks that span fields or sections of the stack config alone (login mode, the policy section). Each check runs
 * when the sections it needs parsed, so one bad value does not hide another problem.
 */
export function crossChecks(config: Sections): Array<{ path: (string | number)[]; message: string }> {
  const out: Array<{ path: (string | number)[]; message: string }> = [];
  const issue = (path: (string | number)[], message: string) => out.push({ path, message });

  const entra = config.entra;
  if (entra) {
    if (entra.loginMode === "entraId" && !entra.loginApp) {
      issue(
        ["entra", "loginApp"],
        'is required when entra.loginMode is "entraId"; add loginApp.secretRotatedOn (YYYY-MM-DD)',
      );
    }
    const identifierUri = entra.loginApp?.identifierUri;
    const uriProblem = identifierUri && identifierUriProblem(identifierUri, entra.tenantId);
    if (uriProblem) issue(["entra", "loginApp", "identifierUri"], uriProblem);
    const windowsProblem =
      entra.loginMode === "windows" &&
      config.vantagepoint?.version !== undefined &&
      windowsLoginVersionProblem(config.vantagepoint.version);
    if (windowsProblem) issue(["entra", "loginMode"], windowsProblem);
    if (entra.loginMode === "windows" && entra.loginApp) {
      issue(
        ["entra", "loginApp"],
        'is not used with entra.loginMode "windows" (Connect signs in through Vantagepoint\'s own OAuth flow); remove it',
      );
    }
    if (entra.mailboxApp && entra.mailboxApp.enabled === undefined) {
      issue(["entra", "mailboxApp", "enabled"], MAILBOX_ENABLED_REQUIRED);
    }
    const policy = config.policy;
    if (policy) {
      for (const app of ["loginApp", "mailboxApp"] as const) {
        const lifetime = entra[app]?.secretLifetimeDays;
        if (lifetime !== undefined && lifetime > policy.maxSecretLifetimeDays) {
          issue(
            ["entra", app, "secretLifetimeDays"],
            `${lifetime} is over policy.maxSecretLifetimeDays (${policy.maxSecretLifetimeDays}); lower it`,
          );
        }
      }
      if (entra.mailboxApp?.access === "ews" && !policy.allowEws) {
        issue(
          ["entra", "mailboxApp", "access"],
          '"ews" needs policy.allowEws: true (Exchange Online turned EWS off from 1 October 2026); use "graph"',
        );
      }
    }
  }

  const hub = config.azure?.network.hub;
  const ownVnet =
    hub &&
    hubIsOwnVnetProblem(hub.virtualNetworkId, config.azure!.resourceGroupName, config.azure!.namePrefix);
  if (ownVnet) issue(["azure", "network", "hub", "virtualNetworkId"], ownVnet);

  out.push(...day2Issues(config));

  const vantagepoint = config.vantagepoint;
  if (vantagepoint) {
    // Scheme, credentials, query and fragment: httpsUrl (lib/config/validators.ts).
    let api: URL | undefined;
    try {
      api = new URL(vantagepoint.apiUrl);
    } catch {
      api = undefined; // the field check names it
    }
    const rootProblem =
      api && (api.pathname === "/" || !api.pathname.endsWith("/"))
        ? apiRootProblem(vantagepoint.apiUrl)
        : undefined;
    if (rootProblem) issue(["vantagepoint", "apiUrl"], rootProblem);
    const connectClientId = vantagepoint.connectApiClient.clientId;
    const sameClient = connectClientId && connectClientIdProblem(connectClientId, vantagepoint.clientId);
    if (sameClient) issue(["vantagepoint", "connectApiClient", "clientId"], sameClient);
  }
  return out;
}

export type Person = z.output<typeof personSchema>;

export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "");
  return h === "localhost" || h === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}
