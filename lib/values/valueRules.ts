/**
 * Rules for free-text Vantagepoint, Entra and Azure values that look plausible and are wrong, each an exported
 * pure function (no Pulumi import) returning what is wrong (a sentence to follow the key, with a fix that passes
 * the same function) or undefined. Each is called once for every caller: as a field check shared by the stack
 * schema and the components' args schema (schema.ts fields, lib/site/argsSchema.ts), or as a site rule over
 * ConnectSite's args named by the caller's keys (lib/site, which the stack-config loader runs too). Every rule
 * names its source.
 */
import { isIP } from "node:net";
import { quote } from "./validators";

// ---- invisible and padding characters in identifiers ----

/** Unicode format characters (category Cf: soft hyphen, zero-width joiner/non-joiner, word joiner...): invisible. */
const FORMAT_CHAR = /\p{Cf}/u;
const FORMAT_CHARS = /\p{Cf}/gu;
/** Every Unicode space JavaScript's \s knows (no-break space U+00A0, U+2007, U+202F, ideographic space...). */
const EDGE_SPACE = /^\s|\s$/u;

const FORMAT_NAMES: Record<string, string> = {
  "\u00ad": "a soft hyphen",
  "\u200c": "a zero-width non-joiner",
  "\u200d": "a zero-width joiner",
  "\u2060": "a word joiner",
  "\ufeff": "a byte order mark",
};

function codePoint(char: string): string {
  return `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
}

/**
 * Why an identifier (user ID, email, employee key, client ID, database, role) holds an invisible format character
 * (soft hyphen, zero-width joiner...): it looks like another value on screen but is not the same key to
 * Vantagepoint or Entra. The fix is the value with those characters removed.
 */
export function invisibleCharProblem(value: string): string | undefined {
  const match = FORMAT_CHAR.exec(value);
  if (!match) return undefined;
  const char = match[0];
  const at = [...value.slice(0, match.index)].length + 1;
  const what = FORMAT_NAMES[char] ?? "an invisible format character";
  const clean = value.replace(FORMAT_CHARS, "");
  return `contains ${what} (${codePoint(char)}) at character ${at}, which no one sees; type it again without it, e.g. ${quote(clean)}`;
}

/**
 * Why an identifier has spaces of any kind (including a no-break space U+00A0 pasted from a web page or a PDF) at
 * either end, or an invisible character: the server compares the exact text, so the value would not match.
 */
export function identifierTextProblem(value: string): string | undefined {
  const invisible = invisibleCharProblem(value);
  if (invisible) return invisible;
  if (EDGE_SPACE.test(value)) {
    const char = /^\s/u.test(value) ? value[0]! : value[value.length - 1]!;
    const what =
      char === " " ? "a space" : `a ${char === "\u00a0" ? "no-break " : ""}space (${codePoint(char)})`;
    return `has ${what} at the ${/^\s/u.test(value) ? "start" : "end"}; give it without, ${quote(value.trim())}`;
  }
  return undefined;
}

// ---- Vantagepoint ----

/**
 * Why `apiUrl` is not the API root. Deltek: the base URL is `https://<host>/<instance>/api` and resources follow it
 * directly; the token is `POST {base}/token` (shared/reference/vantagepoint-rest.md, "Base and authentication").
 * A URL ending in `/api/token` is the token endpoint; one whose path does not end in `/api` (the site root, or the
 * web app `/vantagepoint/app`) is not the API.
 */
export function apiRootProblem(apiUrl: string): string | undefined {
  let url: URL;
  try {
    url = new URL(apiUrl);
  } catch {
    return undefined; // the URL rules (validators.ts urlProblems) name a malformed URL
  }
  const path = url.pathname.replace(/\/+$/, "");
  const origin = `${url.protocol}//${url.host}`;
  if (/\/api$/i.test(path)) return undefined;
  const source = "Deltek: the API root is https://<host>/<instance>/api";
  if (/\/api\/token$/i.test(path))
    return `${quote(apiUrl)} is the token endpoint; give the API root without /token, ${quote(origin + path.replace(/\/token$/i, ""))} (${source})`;
  const api = /\/api\//i.exec(path);
  if (api)
    return `${quote(apiUrl)} points below the API root; give the root, ${quote(origin + path.slice(0, api.index + 4))} (${source})`;
  const base = path.replace(/\/app$/i, "");
  const suggestion = `${origin}${base === "" ? "/vantagepoint" : base}/api`;
  const what =
    path === ""
      ? "is the server's root"
      : /\/app$/i.test(path)
        ? "is the Vantagepoint web app, not its API"
        : 'does not end in "/api"';
  return `${quote(apiUrl)} ${what}; give the API root, e.g. ${quote(suggestion)} (${source})`;
}

/**
 * Why `name` is not a Vantagepoint database name. The name is a SQL Server database name (at most 128
 * characters, Microsoft "Database identifiers") that the token request sends as `database`: quotes of any kind
 * (straight or curly, pasted from a document), `;` or `=` (connection-string syntax), brackets, or spaces at the
 * ends mean it was copied with more than the name. The fix is the name alone.
 */
export function databaseNameProblem(name: string): string | undefined {
  const text = identifierTextProblem(name);
  if (text) return text;
  if (name.length > 128) return `is ${name.length} characters; a SQL Server database name has at most 128`;
  const bad = /[;=[\]'"`\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u00ab\u00bb]/u.exec(name);
  if (!bad) return undefined;
  const guess = name
    .split(/[;=]/)[0]!
    .replace(/[[\]'"`\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u00ab\u00bb]/gu, "")
    .trim();
  const what =
    bad[0] === ";" || bad[0] === "="
      ? `${quote(bad[0])} (connection-string syntax)`
      : `the quote ${quote(bad[0])}`;
  const fix =
    guess && databaseNameProblem(guess) === undefined
      ? `give the name alone, e.g. ${quote(guess)}`
      : "give the database name alone";
  return `${quote(name)} contains ${what}; ${fix} (the name as SQL Server and Vantagepoint's login page show it)`;
}

/**
 * Why `vantagepoint.connectApiClient.clientId` cannot be Connect's API Authorization: it equals the Client ID
 * this project signs in with (`vantagepoint.clientId`, Allow Password Grant Type). Connect's authorization is
 * generated on Connect's first use and identified by its Client ID on Connect Administration's Settings tab
 * (shared/reference/connect-prerequisites.md, P6); two integrations sharing one record break each other when its
 * secret is generated again. SQL Server compares case-insensitively, so the comparison does too. `names` are the two
 * fields as the caller wrote them (stack keys by default).
 */
export function connectClientIdProblem(
  connectClientId: string,
  ownClientId: string,
  names: { own: string; field: string } = {
    own: "vantagepoint.clientId",
    field: "vantagepoint.connectApiClient.clientId",
  },
): string | undefined {
  if (connectClientId.trim().toLowerCase() !== ownClientId.trim().toLowerCase()) return undefined;
  return `${quote(connectClientId)} is the Client ID this project signs in with (${names.own}), not Connect's; copy Connect's Client ID from Connect Administration's Settings tab, or remove ${names.field} to find it by name`;
}

/**
 * Why `entra.loginMode: "windows"` cannot work on `version`. Deltek: Windows (local AD) integrated login is not
 * supported with Connect on 3.5 and 4.5; from 6.0 it goes through Vantagepoint's OAuth flow
 * (shared/reference/vantagepoint-rest.md, "Login and versions"). No source covers 5.x: windowsLoginVersionNote warns.
 */
export function windowsLoginVersionProblem(version: string): string | undefined {
  const major = Number(version.split(".")[0]);
  if (!Number.isFinite(major) || major >= 5) return undefined;
  return `Vantagepoint ${version} does not support Windows (local Active Directory) login with Connect (Deltek: not supported on 3.5 and 4.5; supported from 6.0 through Vantagepoint's OAuth flow); use entra.loginMode "entraId", or upgrade and set vantagepoint.version`;
}

/** The warning for Windows login on 5.x, where no Deltek source says whether Connect supports it. */
export function windowsLoginVersionNote(version: string): string | undefined {
  const major = Number(version.split(".")[0]);
  if (major !== 5) return undefined;
  return `entra.loginMode "windows" on Vantagepoint ${version}: Deltek documents Windows login with Connect as unsupported on 3.5 and 4.5 and supported from 6.0; nothing public covers 5.x, so confirm it in Deltek's help for your version`;
}

// ---- Entra ----

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Host names no tenant can verify: reserved for local networks (RFC 6762 .local, RFC 6761 .localhost, RFC 8375 home.arpa) or private use. */
const UNVERIFIABLE_SUFFIXES = [
  ".local",
  ".localhost",
  ".internal",
  ".lan",
  ".home.arpa",
  ".localdomain",
  ".invalid",
  ".test",
];

/**
 * Why the login app's Application ID URI would be refused by Entra or point at another app. Microsoft
 * ("Restrictions on identifier URIs of Microsoft Entra applications"): `api://<appId>` must carry the app's OWN
 * application ID, which Entra assigns when this stack creates the app, so any GUID written here is another app's;
 * `api://<tenantId>/<string>` is accepted; https:// and api://<host>/ forms need a verified domain of the tenant,
 * and a .local (or other private-use) name can never be verified. The fix passes this check.
 */
export function identifierUriProblem(uri: string, tenantId?: string): string | undefined {
  const fallback =
    tenantId && GUID.test(tenantId)
      ? `use ${quote(`api://${tenantId}/vantagepoint`)} (api://<tenant id>/<name>), or remove identifierUri for the default api://<application id>`
      : "remove identifierUri: the default api://<application id> is what Deltek's guide accepts";
  const source = 'Microsoft: "Restrictions on identifier URIs of Microsoft Entra applications"';
  const match = /^(api|https):\/\/([^/]+)(\/.*)?$/i.exec(uri);
  if (!match) return undefined; // the schema's pattern names a malformed URI
  const host = match[2]!.toLowerCase();
  if (GUID.test(host)) {
    if (tenantId && host === tenantId.toLowerCase() && match[3] && match[3].length > 1) return undefined;
    if (tenantId && host === tenantId.toLowerCase())
      return `${quote(uri)} is the tenant ID without a name after it; ${fallback} (${source})`;
    return `${quote(uri)} names an application ID, and the login app's own ID is assigned by Entra when this stack creates it, so this is another app's; ${fallback} (${source})`;
  }
  const bare = host.replace(/:\d+$/, "");
  const local = UNVERIFIABLE_SUFFIXES.find((s) => bare === s.slice(1) || bare.endsWith(s));
  if (local || !bare.includes("."))
    return `${quote(uri)} uses ${quote(bare)}, a name no tenant can verify (${local ? `${local} is reserved for local networks` : "no domain"}); Entra accepts only a verified domain there: ${fallback} (${source})`;
  return undefined;
}

/**
 * Why a web redirect URI is wrong beyond its scheme: a fragment (`#...`), which OAuth 2.0 forbids ("The endpoint URI
 * MUST NOT include a fragment component", RFC 6749 section 3.1.2) and Entra refuses. The fix drops the fragment.
 */
export function redirectUriProblem(uri: string): string | undefined {
  const hash = uri.indexOf("#");
  if (hash === -1) return undefined;
  return `${quote(uri)} has a fragment ("#..."), which a redirect URI must not have (RFC 6749 section 3.1.2); use ${quote(uri.slice(0, hash))}`;
}

/**
 * Why `entra.tenantId` disagrees with the azuread provider's `azuread:tenantId`: the apps would be created in one
 * tenant and Vantagepoint told to trust another (Pulumi azuread provider configuration: `azuread:tenantId` selects
 * the tenant it writes to). GUIDs compare case-insensitively.
 */
export function tenantMismatchProblem(entraTenantId: string, providerTenantId: unknown): string | undefined {
  if (typeof providerTenantId !== "string" || providerTenantId === "") return undefined;
  if (entraTenantId.toLowerCase() === providerTenantId.trim().toLowerCase()) return undefined;
  return `${quote(entraTenantId)} differs from azuread:tenantId ${quote(providerTenantId)}, the tenant the Entra apps are created in; set both to the same tenant ID`;
}

// ---- Azure ----

/**
 * Why `name` is not a resource group name. Microsoft ("Naming rules and restrictions for Azure resources",
 * Microsoft.Resources/resourcegroups): 1-90 characters; letters, digits, underscores, parentheses, hyphens and
 * periods; it cannot end in a period.
 */
export function resourceGroupNameProblem(name: string): string | undefined {
  if (name.length === 0) return "must not be empty; give the resource group name";
  if (name.length > 90)
    return `is ${name.length} characters; a resource group name has at most 90 (Microsoft naming rules)`;
  if (!/^[\p{L}\p{N}._()-]+$/u.test(name))
    return `${quote(name)} may hold only letters, digits, ".", "_", "-", "(" and ")" (Microsoft naming rules)`;
  if (name.endsWith(".")) {
    const fix = name.replace(/\.+$/, "");
    return `${quote(name)} ends in "."; a resource group name cannot end in a period (Microsoft naming rules)${fix ? `: use ${quote(fix)}` : ""}`;
  }
  return undefined;
}

/**
 * Why `name` is not a Key Vault name. Microsoft ("Naming rules and restrictions for Azure resources",
 * Microsoft.KeyVault/vaults): 3-24 characters, letters, digits and hyphens, starting with a letter, ending with a
 * letter or digit, no consecutive hyphens. The fix is offered only when it passes this check.
 */
export function keyVaultNameProblem(name: string): string | undefined {
  const rules =
    "3-24 letters, digits and single hyphens, starting with a letter and ending with a letter or digit (Microsoft naming rules)";
  if (/^[A-Za-z](?!.*--)[A-Za-z0-9-]{1,22}[A-Za-z0-9]$/.test(name)) return undefined;
  const fix = name.replace(/-{2,}/g, "-").replace(/-+$/, "");
  const offer = fix !== name && keyVaultNameProblem(fix) === undefined ? `; e.g. ${quote(fix)}` : "";
  const what = name.includes("--") ? " has two hyphens in a row" : " is not a Key Vault name";
  return `${quote(name)}${what}; use ${rules}${offer}`;
}

/**
 * Why the hub VNet id is the VNet this stack creates (`<namePrefix>-vnet` in azure.resourceGroupName): a VNet cannot
 * be peered to itself (Microsoft: "Virtual network peering"), so the backend would stay unreachable.
 * Resource group and resource names compare case-insensitively (Microsoft naming rules).
 */
export function hubIsOwnVnetProblem(
  hubId: string,
  resourceGroupName: string,
  namePrefix: string,
): string | undefined {
  const match = /\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Network\/virtualNetworks\/([^/]+)$/i.exec(
    hubId,
  );
  if (!match) return undefined;
  const same =
    match[1]!.toLowerCase() === resourceGroupName.toLowerCase() &&
    match[2]!.toLowerCase() === `${namePrefix}-vnet`.toLowerCase();
  if (!same) return undefined;
  return `is the virtual network this stack creates (${namePrefix}-vnet in ${resourceGroupName}), and a VNet cannot be peered to itself; give the hub VNet that has the VPN/ExpressRoute gateway (az network vnet show -g <hub group> -n <hub vnet> --query id)`;
}

/**
 * Why an IP backend address can never be a server: the unspecified address (0.0.0.0, ::, "any"), loopback (the
 * gateway's own instance), broadcast or multicast (IANA IPv4/IPv6 special-purpose address registries).
 */
export function backendIpProblem(address: string): string | undefined {
  const version = isIP(address);
  if (version === 0) return undefined;
  const fix = "give the Vantagepoint server's private IP address, e.g. 10.20.0.10, or its DNS name";
  if (version === 4) {
    const [a = 0, b = 0, c = 0, d = 0] = address.split(".").map(Number);
    if (a === 0)
      return `${quote(address)} is the "this network" address (0.0.0.0/8), which no server has; ${fix}`;
    if (a === 127) return `${quote(address)} is a loopback address: the gateway would call itself; ${fix}`;
    if (a >= 224 && a <= 239) return `${quote(address)} is a multicast address; ${fix}`;
    if (a === 255 && b === 255 && c === 255 && d === 255)
      return `${quote(address)} is the broadcast address; ${fix}`;
    return undefined;
  }
  const v6 = address.toLowerCase();
  if (/^[0:]+$/.test(v6))
    return `${quote(address)} is the unspecified address (::), which no server has; ${fix}`;
  if (/^[0:]+1$/.test(v6))
    return `${quote(address)} is a loopback address: the gateway would call itself; ${fix}`;
  if (v6.startsWith("ff")) return `${quote(address)} is a multicast address; ${fix}`;
  return undefined;
}
