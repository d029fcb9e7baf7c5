/**
 * ConnectSite's args as plain data (no Pulumi import), what the site rules read, and how a rule names a field:
 * by its arg path as a library caller wrote it (`tls.keyVault.create`), or by its stack key when the caller is the
 * bundled program (`tls.keyVault.create`, `azure.network.hub`, `site.backend.address`). One rule, two callers.
 */

/** A value that arrives later (a Pulumi Output or a Promise): rules skip it until it is known. */
export const UNKNOWN: unique symbol = Symbol.for("vantagepoint-connect.unknown");
export type Unknown = typeof UNKNOWN;
/** A field that may not be known yet. */
export type Maybe<T> = T | Unknown;

/**
 * What the bundled program passes for a secret only the engine can decrypt (offline, `vpconnect check` has the
 * ciphertext alone): the rules take it as a value not known yet.
 */
export const SECRET_NOT_AT_HAND = "[encrypted]";

/** One problem with the args: the field as the caller wrote it, what is wrong and what would pass. */
export interface ArgProblem {
  /** Arg path (`tls.keyVault.create`, `allowList.connectIps[0]`), or the stack key for the bundled program. */
  path: string;
  /** What is wrong, with a fix that would pass. */
  message: string;
}

/** How the caller names fields and gives secrets. */
export interface Caller {
  /** The field at `argPath` as the caller wrote it. */
  key(argPath: string): string;
  /** How to give the secret at `argPath`. */
  secretFix(argPath: string, example: string): string;
  /** The field's value as the caller writes it, e.g. `"pfx"` in TypeScript, `pfx` in a stack file. */
  value(text: string): string;
}

/** A library caller: arg paths as written in ConnectSiteArgs. */
export const LIBRARY_CALLER: Caller = {
  key: (argPath) => argPath,
  secretFix: (argPath, example) =>
    `pass ${argPath} as a Pulumi secret, e.g. config.requireSecret(...) holding ${example}`,
  value: (text) => JSON.stringify(text),
};

/**
 * Arg path prefixes and the stack keys they come from (program/siteArgs.ts maps the other way). The longest
 * matching prefix wins; a path under no prefix keeps its name.
 */
export const STACK_KEYS: ReadonlyArray<readonly [string, string]> = [
  ["namePrefix", "azure.namePrefix"],
  ["location", "azure.location"],
  ["resourceGroup.name", "azure.resourceGroupName"],
  ["resourceGroup.create", "azure.createResourceGroup"],
  ["tags", "azure.tags"],
  ["network", "azure.network"],
  ["dns", "azure.dns"],
  ["zones", "azure.zones"],
  ["locks", "azure.locks"],
  ["diagnostics", "azure.diagnostics"],
  ["publicHostname", "site.publicHostname"],
  ["vantagepointPath", "site.vantagepointPath"],
  ["backend.hostName", "site.backend.hostHeader"],
  ["backend", "site.backend"],
  ["httpListener", "site.httpListener"],
  ["ipv6Frontend", "site.ipv6Frontend"],
  ["allowList.audience", "site.audience"],
  ["allowList", "allowList"],
  ["tls", "tls"],
  ["tenantId", "entra.tenantId"],
  ["loginApp", "entra.loginApp"],
  ["mailboxApp", "entra.mailboxApp"],
  ["verification.mode", "site.verification"],
  ["verification.apiUrl", "vantagepoint.apiUrl"],
  ["verification.loginUrl", "entra.loginApp.redirectUri"],
  ["verification.certificateMinDays", "tls.certificateMinDaysLeft"],
  ["vantagepoint.connection.url", "vantagepoint.apiUrl"],
  ["vantagepoint.connection", "vantagepoint"],
  ["vantagepoint.rosterOnDelete", "roster.onDelete"],
  ["vantagepoint.newEmployees", "roster.newEmployees"],
  ["vantagepoint.roster", "roster"],
  ["vantagepoint", "vantagepoint"],
];

/** The stack key (without the `vpconnect:` namespace) an arg path comes from. */
export function stackKeyOf(argPath: string): string {
  let best: readonly [string, string] | undefined;
  for (const entry of STACK_KEYS) {
    const [prefix] = entry;
    const under = argPath === prefix || argPath.startsWith(`${prefix}.`) || argPath.startsWith(`${prefix}[`);
    if (under && (!best || prefix.length > best[0].length)) best = entry;
  }
  return best ? best[1] + argPath.slice(best[0].length) : argPath;
}

/** The bundled program: stack keys, secrets set with `pulumi config set --secret`. */
export const STACK_CALLER: Caller = {
  key: stackKeyOf,
  secretFix: (argPath, example) =>
    `run pulumi config set --secret --path 'vpconnect:${stackKeyOf(argPath)}' ${example}`,
  value: (text) => text,
};

/** A string field's value when it is known, else undefined. */
export function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** A list field's known string items with their indices (unknown items and non-strings left out). */
export function items(value: unknown): Array<[number, string]> {
  if (!Array.isArray(value)) return [];
  return value.flatMap((v, i): Array<[number, string]> => (typeof v === "string" ? [[i, v]] : []));
}

/** True when a value (or anything inside it) is not known yet. */
export function hasUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(hasUnknown);
  if (value !== null && typeof value === "object") return Object.values(value).some(hasUnknown);
  return false;
}

/** The backend protocol as the args write it. */
export type BackendProtocolView = "Https" | "Http";

/** The plain data view of ConnectSiteArgs the rules read (each field may be missing or not known yet). */
export interface SiteView {
  namePrefix?: Maybe<string>;
  location?: Maybe<string>;
  resourceGroup?: { name?: Maybe<string>; create?: boolean };
  network?: {
    existingVirtualNetwork?: { name?: Maybe<string>; resourceGroupName?: Maybe<string> };
    addressSpace?: Maybe<string>;
    gatewaySubnetPrefix?: Maybe<string>;
    gatewaySubnetName?: Maybe<string>;
    backendRoute?: string;
    hub?: { virtualNetworkId?: string; useRemoteGateways?: boolean; createHubSidePeering?: boolean };
    dnsServers?: Maybe<Maybe<string>[]>;
    routeTable?: string;
    ipv6AddressSpace?: Maybe<string>;
    gatewaySubnetIpv6Prefix?: Maybe<string>;
  };
  publicHostname?: Maybe<string>;
  vantagepointPath?: string;
  backend?: {
    address?: Maybe<string>;
    port?: number;
    protocol?: BackendProtocolView;
    hostName?: Maybe<string>;
    trustedRootCertificates?: Array<{ name?: string; data?: Maybe<string> }>;
  };
  tls?: {
    keyVault?: {
      name?: string;
      create?: boolean;
      resourceGroupName?: Maybe<string>;
      uniqueName?: boolean;
      firewall?: string;
    };
    certificateName?: Maybe<string>;
    sslPolicy?: string;
    certificateSource?: string;
    pfx?: Maybe<string>;
    certificateExpiresOn?: string;
  };
  allowList?: {
    connectIps?: Maybe<Maybe<string>[]>;
    extraRanges?: Maybe<Maybe<string>[]>;
    enforceAt?: Maybe<string>;
    allowPrivateRanges?: Maybe<boolean>;
    audience?: string;
  };
  loginApp?: {
    displayName?: Maybe<string>;
    secretRotatedOn?: string;
    secretSlotBRotatedOn?: string;
    secretLifetimeDays?: number;
    secretOverlapDays?: number;
    secretWarningDays?: number;
    identifierUri?: Maybe<string>;
  };
  mailboxApp?: { displayName?: Maybe<string>; secretRotatedOn?: string; secretLifetimeDays?: number };
  tenantId?: Maybe<string>;
  vantagepoint?: {
    connection?: Maybe<{ url?: Maybe<string>; clientId?: Maybe<string> }>;
    connectApiClient?: { clientId?: Maybe<string> };
    /** The people (lib/site/roster.ts reads each entry's userId, email and employee). */
    roster?: Maybe<unknown[]>;
  };
  verification?: { mode?: string; apiUrl?: Maybe<string> };
  httpListener?: string;
  ipv6Frontend?: boolean;
}
