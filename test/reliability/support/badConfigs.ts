/**
 * The bad stack config corpus, as code: each case is stacks/Pulumi.dev.yaml with ONE edit. The committed files
 * under test/fixtures/bad-configs/ are rendered from this table (`node -r ts-node/register
 * test/reliability/support/badConfigs.ts --write`), and a test checks the committed files still match it, so
 * every fixture provably differs from a valid stack file by exactly the defect it names.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";

export const ROOT = path.resolve(__dirname, "../../..");
export const BASE_STACK = path.join(ROOT, "stacks/Pulumi.dev.yaml");
export const CORPUS_DIR = path.join(ROOT, "test/fixtures/bad-configs");

/** Plaintext values some fixtures put where a secret belongs: they must never be echoed. */
export const PLAINTEXT_SENTINELS = [
  "Plaintext-Sentinel-Password-4d1f",
  "Plaintext-Sentinel-ClientSecret-8b2e",
  "Plaintext-Sentinel-ConnectSecret-3a9c",
  "Sentinel-Url-Password-6e0d",
];

export interface BadConfig {
  /** File name without .yaml. */
  name: string;
  /** One line: the defect. */
  why: string;
  /** The key path (or file row / YAML line) the error must name. */
  key: string;
  /** A fragment of the message: what is wrong or the fix. */
  fragment: string;
  edit: (text: string) => string;
  /** For byte-level defects (invalid UTF-8): turns the edited text's UTF-8 bytes into the fixture's bytes. */
  bytes?: (utf8: Buffer) => Buffer;
}

/** Replaces exactly one occurrence of `from` (fails loudly when the base file changed). */
const swap =
  (from: string, to: string) =>
  (text: string): string => {
    const at = text.indexOf(from);
    if (at === -1 || text.indexOf(from, at + 1) !== -1) {
      throw new Error(
        `corpus edit: ${JSON.stringify(from)} must occur exactly once in stacks/Pulumi.dev.yaml`,
      );
    }
    return text.slice(0, at) + to + text.slice(at + from.length);
  };
/** `line N` of a fixture: the dev stack's line holding `marker`, plus `after`, plus the two header lines. */
function fixtureLine(marker: string, after = 0): string {
  const base = readFileSync(BASE_STACK, "utf8");
  const at = base.indexOf(marker);
  if (at === -1) throw new Error(`corpus: ${JSON.stringify(marker)} not in the dev stack`);
  return `line ${base.slice(0, at).split("\n").length + after + 2}`;
}

/** Replaces the first `marker` character in the file's bytes by `byte` (e.g. a Latin-1 0xE9: invalid UTF-8). */
const byteFor =
  (marker: string, byte: number) =>
  (utf8: Buffer): Buffer => {
    const at = utf8.indexOf(marker);
    if (at === -1) throw new Error(`corpus edit: marker ${JSON.stringify(marker)} not found`);
    const out = Buffer.from(utf8);
    out[at] = byte;
    return out;
  };
/** Inserts `lines` right after the (unique) line `after`. */
const insertAfter = (after: string, lines: string) => swap(after, `${after}\n${lines}`);

const USER_ALEE = "{ userId: ALEE, email: alex.lee@example.com, firstName: Alex, lastName: Lee }";
const USER_MGARCIA =
  "{ userId: MGARCIA, email: maria.garcia@example.com, firstName: Maria, lastName: Garcia }";
const USER_SCHEN = "{ userId: SCHEN, email: sam.chen@example.com, firstName: Sam, lastName: Chen }";
const USER_RNOVAK = "{ userId: RNOVAK, email: rita.novak@example.com, firstName: Rita, lastName: Novak }";
const PASSWORD_BLOCK = "    password:\n      secure: v1:q0cX9o2b5y3S4d7L:6cT1x4RZbq0w7l3nY2kZ8d6Fz1HcNw==\n";
const CLIENT_SECRET_BLOCK =
  "    clientSecret:\n      secure: v1:Z2y8rM4kP7n1Q5s3:1Lk9wq3Tz7Cn2Bv8Ux5Hy4Jd6Gf0Ra==\n";
const LOGIN_APP_BLOCK =
  '    loginApp:\n      displayName: Deltek Vantagepoint (dev)\n      secretLifetimeDays: 365\n      secretRotatedOn: "2026-11-01"\n';
/** The dev stack has no mailbox app (off by default): the mailbox cases add one with the defect in `lines`. */
const withMailboxApp = (lines: string) =>
  insertAfter('      secretRotatedOn: "2026-11-01"', `    mailboxApp:\n      enabled: true\n${lines}`);

export const BAD_CONFIGS: BadConfig[] = [
  // ---- site (P1) ----
  {
    name: "site-hostname-scheme",
    why: "public host name written as a URL",
    key: "vpconnect:site.publicHostname",
    fragment: 'give the host name only, e.g. "vantagepoint.example.com"',
    edit: swap(
      "publicHostname: vantagepoint.example.com",
      "publicHostname: https://vantagepoint.example.com",
    ),
  },
  {
    name: "site-hostname-path",
    why: "public host name with a path",
    key: "vpconnect:site.publicHostname",
    fragment: "put the path in site.vantagepointPath",
    edit: swap(
      "publicHostname: vantagepoint.example.com",
      "publicHostname: vantagepoint.example.com/vantagepoint",
    ),
  },
  {
    name: "site-hostname-port",
    why: "public host name with a port",
    key: "vpconnect:site.publicHostname",
    fragment: "has a port; the public endpoint always answers on 443",
    edit: swap("publicHostname: vantagepoint.example.com", "publicHostname: vantagepoint.example.com:8443"),
  },
  {
    name: "site-hostname-underscore",
    why: "public host name that is not a DNS name",
    key: "vpconnect:site.publicHostname",
    fragment: "is not a DNS host name such as vantagepoint.example.com",
    edit: swap("publicHostname: vantagepoint.example.com", "publicHostname: vantage_point.example.com"),
  },
  {
    name: "site-path-trailing-slash",
    why: "Vantagepoint path ends with a slash",
    key: "vpconnect:site.vantagepointPath",
    fragment: 'not end with "/", e.g. "/vantagepoint"',
    edit: swap("vantagepointPath: /vantagepoint", "vantagepointPath: /vantagepoint/"),
  },
  {
    name: "site-backend-address-missing",
    why: "backend address left out",
    key: "vpconnect:site.backend.address",
    fragment: "is required",
    edit: swap(
      "      address: 10.20.0.10 # the on-premises Vantagepoint web server, over the site-to-site VPN\n",
      "",
    ),
  },
  {
    name: "site-backend-port-string",
    why: "backend port quoted as a string",
    key: "vpconnect:site.backend.port",
    fragment: 'must be a number, not "443"',
    edit: swap("      port: 443", '      port: "443"'),
  },
  {
    name: "site-backend-port-range",
    why: "backend port out of range",
    key: "vpconnect:site.backend.port",
    fragment: "must be a TCP port 1-65535",
    edit: swap("      port: 443", "      port: 70000"),
  },
  {
    name: "site-backend-protocol",
    why: "backend protocol not http(s)",
    key: "vpconnect:site.backend.protocol",
    fragment: 'must be "https" or "http"',
    edit: swap("      protocol: https", "      protocol: ftp"),
  },
  {
    name: "site-verification-enum",
    why: "verification mode misspelt value",
    key: "vpconnect:site.verification",
    fragment: 'must be "enforce", "report" or "off"',
    edit: swap("    verification: report", "    verification: strict"),
  },
  // ---- azure ----
  {
    name: "azure-resource-group-missing",
    why: "resource group name left out",
    key: "vpconnect:azure.resourceGroupName",
    fragment: "is required",
    edit: swap("    resourceGroupName: rg-vpconnect-dev\n", ""),
  },
  {
    name: "azure-name-prefix-uppercase",
    why: "name prefix with capitals",
    key: "vpconnect:azure.namePrefix",
    fragment: 'must be 2-21 lowercase letters, digits or "-"',
    edit: swap("namePrefix: vpconnect-dev", "namePrefix: VPConnect-Dev"),
  },
  {
    name: "azure-create-resource-group-string",
    why: "boolean given as a quoted string",
    key: "vpconnect:azure.createResourceGroup",
    fragment: 'must be true or false, not "no"',
    edit: insertAfter("    resourceGroupName: rg-vpconnect-dev", '    createResourceGroup: "no"'),
  },
  {
    name: "azure-tags-list",
    why: "tags given as a list instead of a map",
    key: "vpconnect:azure.tags",
    fragment: "must be a map of name: value",
    edit: swap(
      "    tags:\n      environment: dev\n      owner: platform-team",
      "    tags: [dev, platform-team]",
    ),
  },
  {
    name: "azure-address-space-prefix",
    why: "address space with an impossible prefix length",
    key: "vpconnect:azure.network.addressSpace",
    fragment: "the prefix length must be 0 to 32",
    edit: swap("addressSpace: 10.60.0.0/16", "addressSpace: 10.60.0.0/33"),
  },
  {
    name: "azure-address-space-ipv6",
    why: "IPv6 address space where Azure wants IPv4",
    key: "vpconnect:azure.network.addressSpace",
    fragment: "must be an IPv4 range",
    edit: swap("addressSpace: 10.60.0.0/16", 'addressSpace: "fd00:60::/48"'),
  },
  {
    name: "azure-gateway-subnet-too-small",
    why: "gateway subnet smaller than /26",
    key: "vpconnect:azure.network.gatewaySubnetPrefix",
    fragment: "must be /26 or larger",
    edit: swap("gatewaySubnetPrefix: 10.60.1.0/24", "gatewaySubnetPrefix: 10.60.1.0/28"),
  },
  {
    name: "azure-gateway-subnet-outside",
    why: "gateway subnet outside the address space",
    key: "vpconnect:azure.network.gatewaySubnetPrefix",
    fragment: "pick a subnet inside it",
    edit: swap("gatewaySubnetPrefix: 10.60.1.0/24", "gatewaySubnetPrefix: 10.70.1.0/24"),
  },
  // ---- tls ----
  {
    name: "tls-key-vault-name",
    why: "Key Vault name with underscores",
    key: "vpconnect:tls.keyVault.name",
    fragment: "is not a Key Vault name; use 3-24 letters, digits and single hyphens",
    edit: swap("name: kv-vpconnect-dev", "name: kv_vpconnect_dev"),
  },
  {
    name: "tls-certificate-missing",
    why: "certificate name left out",
    key: "vpconnect:tls.certificateName",
    fragment: "is required",
    edit: swap("    certificateName: vantagepoint-example-com\n", ""),
  },
  {
    name: "tls-ssl-policy-old",
    why: "TLS policy that allows TLS 1.0",
    key: "vpconnect:tls.sslPolicy",
    fragment: "(TLS 1.2 or newer)",
    edit: insertAfter(
      "    certificateName: vantagepoint-example-com",
      "    sslPolicy: AppGwSslPolicy20150501",
    ),
  },
  // ---- allow list (P2) ----
  {
    name: "allow-any-ipv4",
    why: "0.0.0.0/0 as a Connect IP",
    key: "vpconnect:allowList.connectIps[0]",
    fragment: "admits every address; list Connect's published addresses instead",
    edit: swap("      - 203.0.113.0/24", "      - 0.0.0.0/0"),
  },
  {
    name: "allow-any-ipv6",
    why: "::/0 as a Connect IP",
    key: "vpconnect:allowList.connectIps[1]",
    fragment: "admits every address",
    edit: swap("      - 198.51.100.0/24", '      - "::/0"'),
  },
  {
    name: "allow-private-ipv4",
    why: "RFC 1918 range as a Connect IP",
    key: "vpconnect:allowList.connectIps[0]",
    fragment: "remove it or set allowList.allowPrivateRanges: true",
    edit: swap("      - 203.0.113.0/24", "      - 10.1.0.0/16"),
  },
  {
    name: "allow-cgnat",
    why: "carrier-grade NAT range as a Connect IP",
    key: "vpconnect:allowList.connectIps[1]",
    fragment: "carrier-grade NAT",
    edit: swap("      - 198.51.100.0/24", "      - 100.64.12.0/24"),
  },
  {
    name: "allow-private-extra-range",
    why: "private range in extraRanges",
    key: "vpconnect:allowList.extraRanges[0]",
    fragment: "not a public address",
    edit: swap("      - 192.0.2.64/27 # head-office", "      - 192.168.10.0/24 # head-office"),
  },
  {
    name: "allow-prefix-33",
    why: "IPv4 prefix longer than 32",
    key: "vpconnect:allowList.connectIps[0]",
    fragment: "the prefix length must be 0 to 32",
    edit: swap("      - 203.0.113.0/24", "      - 203.0.113.0/33"),
  },
  {
    name: "allow-host-bits",
    why: "range with host bits set",
    key: "vpconnect:allowList.connectIps[0]",
    fragment: "write the network address 203.0.113.0/24",
    edit: swap("      - 203.0.113.0/24", "      - 203.0.113.7/24"),
  },
  {
    name: "allow-hostname",
    why: "host name where an address belongs",
    key: "vpconnect:allowList.connectIps[1]",
    fragment: "is not a CIDR; expected an address or range such as 203.0.113.0/24",
    edit: swap("      - 198.51.100.0/24", "      - connect.deltek.com"),
  },
  {
    name: "allow-octet-overflow",
    why: "IPv4 octet above 255",
    key: "vpconnect:allowList.connectIps[0]",
    fragment: "is not an IPv4 or IPv6 address",
    edit: swap("      - 203.0.113.0/24", "      - 203.0.313.0/24"),
  },
  {
    name: "allow-ipv6-triple-colon",
    why: "IPv6 with ':::'",
    key: "vpconnect:allowList.connectIps[1]",
    fragment: "is not an IPv4 or IPv6 address",
    edit: swap("      - 198.51.100.0/24", '      - "2001:db8:::/48"'),
  },
  {
    name: "allow-ipv6-brackets",
    why: "IPv6 written in URL brackets",
    key: "vpconnect:allowList.connectIps[1]",
    fragment: "2001:db8::/48",
    edit: swap("      - 198.51.100.0/24", '      - "[2001:db8::]/48"'),
  },
  {
    name: "allow-ipv6-prefix-129",
    why: "IPv6 prefix longer than 128",
    key: "vpconnect:allowList.connectIps[1]",
    fragment: "the prefix length must be 0 to 128 for IPv6",
    edit: swap("      - 198.51.100.0/24", '      - "2001:db8::/129"'),
  },
  {
    name: "allow-ipv6-link-local",
    why: "IPv6 link-local range",
    key: "vpconnect:allowList.connectIps[1]",
    fragment: "link-local",
    edit: swap("      - 198.51.100.0/24", '      - "fe80::/64"'),
  },
  {
    name: "allow-ipv6-unique-local",
    why: "IPv6 unique local (private) range",
    key: "vpconnect:allowList.connectIps[0]",
    fragment: "unique local (private)",
    edit: swap("      - 203.0.113.0/24", '      - "fd12:3456::/48"'),
  },
  {
    name: "allow-empty",
    why: "no Connect IPs at all",
    key: "vpconnect:allowList.connectIps",
    fragment: "must list at least one address",
    edit: swap("    connectIps:\n      - 203.0.113.0/24\n      - 198.51.100.0/24", "    connectIps: []"),
  },
  {
    name: "allow-scalar",
    why: "Connect IPs as one string, not a list",
    key: "vpconnect:allowList.connectIps",
    fragment: "must be a list",
    edit: swap(
      "    connectIps:\n      - 203.0.113.0/24\n      - 198.51.100.0/24",
      "    connectIps: 203.0.113.0/24, 198.51.100.0/24",
    ),
  },
  {
    name: "allow-enforce-at",
    why: "unknown enforcement point",
    key: "vpconnect:allowList.enforceAt",
    fragment: 'must be "both", "nsg" or "waf"',
    edit: swap("enforceAt: both", "enforceAt: firewall"),
  },
  // ---- entra (P7, P8) ----
  {
    name: "entra-tenant-not-guid",
    why: "tenant given as a domain name",
    key: "vpconnect:entra.tenantId",
    fragment: "must be the Entra tenant ID (a GUID)",
    edit: swap("    tenantId: 7d3c2b1a-4e5f-4a6b-8c9d-0e1f2a3b4c5d", "    tenantId: contoso.onmicrosoft.com"),
  },
  {
    name: "entra-login-lifetime-731",
    why: "login app secret lifetime over 730 days",
    key: "vpconnect:entra.loginApp.secretLifetimeDays",
    fragment: "must be at most 730 days",
    edit: swap("(dev)\n      secretLifetimeDays: 365", "(dev)\n      secretLifetimeDays: 731"),
  },
  {
    name: "entra-mailbox-lifetime-1000",
    why: "mailbox app secret lifetime over 730 days",
    key: "vpconnect:entra.mailboxApp.secretLifetimeDays",
    fragment: "must be at most 730 days",
    edit: withMailboxApp('      secretLifetimeDays: 1000\n      secretRotatedOn: "2026-11-01"'),
  },
  {
    name: "entra-lifetime-over-policy",
    why: "secret lifetimes over a stricter policy limit",
    key: "vpconnect:entra.loginApp.secretLifetimeDays",
    fragment: "is over policy.maxSecretLifetimeDays (180); lower it",
    edit: swap("maxSecretLifetimeDays: 730", "maxSecretLifetimeDays: 180"),
  },
  {
    name: "entra-lifetime-fraction",
    why: "fractional lifetime",
    key: "vpconnect:entra.mailboxApp.secretLifetimeDays",
    fragment: "must be a whole number of days",
    edit: withMailboxApp('      secretLifetimeDays: 365.5\n      secretRotatedOn: "2026-11-01"'),
  },
  {
    name: "entra-rotated-on-format",
    why: "date written day/month/year",
    key: "vpconnect:entra.loginApp.secretRotatedOn",
    fragment: "must be a date written YYYY-MM-DD",
    edit: swap('365\n      secretRotatedOn: "2026-11-01"\n', '365\n      secretRotatedOn: "01/11/2026"\n'),
  },
  {
    name: "entra-mailbox-enabled-missing",
    why: "a mailbox app section without enabled (a stack from when the app was on by default)",
    key: "vpconnect:entra.mailboxApp.enabled",
    fragment: "is required when entra.mailboxApp is present",
    edit: insertAfter(
      '      secretRotatedOn: "2026-11-01"',
      '    mailboxApp:\n      grantAdminConsent: true\n      secretRotatedOn: "2026-11-01"',
    ),
  },
  {
    name: "entra-owner-not-object-id",
    why: "an app owner given by user name instead of object id",
    key: "vpconnect:entra.owners[0]",
    fragment: "must be an Entra object id",
    edit: insertAfter("    loginMode: entraId", "    owners: [pat.jones@example.com]"),
  },
  {
    name: "entra-slot-b-same-day",
    why: "login secret slot B issued the same day as slot A",
    key: "vpconnect:entra.loginApp.secretSlotBRotatedOn",
    fragment: "2026-11-01 is the same day as entra.loginApp.secretRotatedOn",
    edit: swap(
      '365\n      secretRotatedOn: "2026-11-01"\n',
      '365\n      secretRotatedOn: "2026-11-01"\n      secretSlotBRotatedOn: "2026-11-01"\n',
    ),
  },
  {
    name: "entra-overlap-as-long-as-lifetime",
    why: "a rotation overlap as long as the secret's lifetime",
    key: "vpconnect:entra.loginApp.secretOverlapDays",
    fragment: "365 is not an overlap the lifetime allows",
    edit: swap(
      '365\n      secretRotatedOn: "2026-11-01"\n',
      '365\n      secretRotatedOn: "2026-11-01"\n      secretOverlapDays: 365\n',
    ),
  },
  {
    name: "roster-user-id-with-domain",
    why: "the configurer's user ID written with its domain under Entra ID login",
    key: "vpconnect:roster.configurer.userId",
    fragment: 'Deltek\'s user setup enters the user name without the domain: use "ADMIN.JONES"',
    edit: swap("userId: ADMIN.JONES", "userId: ADMIN.JONES@example.com"),
  },
  {
    name: "entra-ews-without-opt-in",
    why: "EWS without policy.allowEws",
    key: "vpconnect:entra.mailboxApp.access",
    fragment: "needs policy.allowEws: true",
    edit: withMailboxApp('      access: ews\n      secretRotatedOn: "2026-11-01"'),
  },
  {
    name: "entra-login-app-missing",
    why: "Entra ID login without the login app section",
    key: "vpconnect:entra.loginApp",
    fragment: "add loginApp.secretRotatedOn (YYYY-MM-DD)",
    edit: swap(LOGIN_APP_BLOCK, ""),
  },
  {
    name: "entra-windows-with-login-app",
    why: "Windows login with an Entra login app",
    key: "vpconnect:entra.loginApp",
    fragment: 'is not used with entra.loginMode "windows"',
    edit: swap("loginMode: entraId", "loginMode: windows"),
  },
  // ---- vantagepoint (P3, P6) ----
  {
    name: "vp-api-url-http",
    why: "plain http API URL",
    key: "vpconnect:vantagepoint.apiUrl",
    fragment: "must use https://",
    edit: swap(
      "apiUrl: https://vp-dev-web.corp.example.com/vantagepoint/api",
      "apiUrl: http://vp-dev-web.corp.example.com/vantagepoint/api",
    ),
  },
  {
    name: "vp-api-url-no-scheme",
    why: "API URL without a scheme",
    key: "vpconnect:vantagepoint.apiUrl",
    fragment: "must be a URL such as https://vantagepoint.example.com/vantagepoint/api",
    edit: swap(
      "apiUrl: https://vp-dev-web.corp.example.com/vantagepoint/api",
      "apiUrl: vp-dev-web.corp.example.com/vantagepoint/api",
    ),
  },
  {
    name: "vp-api-url-credentials",
    why: "API URL carrying a user name and password",
    key: "vpconnect:vantagepoint.apiUrl",
    fragment: "must not carry credentials",
    edit: swap(
      "apiUrl: https://vp-dev-web.corp.example.com/vantagepoint/api",
      "apiUrl: https://svc-pulumi:Sentinel-Url-Password-6e0d@vp-dev-web.corp.example.com/vantagepoint/api",
    ),
  },
  {
    name: "vp-api-url-trailing-slash",
    why: "API URL ending with a slash",
    key: "vpconnect:vantagepoint.apiUrl",
    fragment: 'must not end with "/"',
    edit: swap(
      "apiUrl: https://vp-dev-web.corp.example.com/vantagepoint/api",
      "apiUrl: https://vp-dev-web.corp.example.com/vantagepoint/api/",
    ),
  },
  {
    name: "vp-password-plaintext",
    why: "the API password in plaintext",
    key: "vpconnect:vantagepoint.password",
    fragment: "pulumi config set --secret --path 'vpconnect:vantagepoint.password'",
    edit: swap(PASSWORD_BLOCK, `    password: ${PLAINTEXT_SENTINELS[0]}\n`),
  },
  {
    name: "vp-client-secret-plaintext",
    why: "the API client secret in plaintext",
    key: "vpconnect:vantagepoint.clientSecret",
    fragment: "pulumi config set --secret --path 'vpconnect:vantagepoint.clientSecret'",
    edit: swap(CLIENT_SECRET_BLOCK, `    clientSecret: ${PLAINTEXT_SENTINELS[1]}\n`),
  },
  {
    name: "vp-connect-secret-plaintext",
    why: "the Connect API client secret in plaintext",
    key: "vpconnect:vantagepoint.connectApiClient.clientSecret",
    fragment: "is in plaintext; a secret must be encrypted",
    edit: insertAfter("      name: Vantagepoint Connect", `      clientSecret: ${PLAINTEXT_SENTINELS[2]}`),
  },
  {
    name: "vp-password-missing",
    why: "the API password left out",
    key: "vpconnect:vantagepoint.password",
    fragment: "is required (a secret)",
    edit: swap(PASSWORD_BLOCK, ""),
  },
  {
    name: "vp-version-number",
    why: "version written as a YAML number (7.0 reads as 7)",
    key: "vpconnect:vantagepoint.version",
    fragment: "must be text, not 7; put the value in quotes",
    edit: swap('version: "7.0"', "version: 7.0"),
  },
  {
    name: "vp-page-size",
    why: "page size over the limit",
    key: "vpconnect:vantagepoint.pageSize",
    fragment: "must be at most 5000",
    edit: insertAfter("    adminRole: ADMIN", "    pageSize: 10000"),
  },
  // ---- roster (P4, P5) ----
  {
    name: "roster-configurer-email",
    why: "configurer email without a domain",
    key: "vpconnect:roster.configurer.email",
    fragment: "is not a valid email address (expected name@example.com)",
    edit: swap("email: pat.jones@example.com", "email: pat.jones@"),
  },
  {
    name: "roster-user-email-words",
    why: "user email written with 'at'",
    key: "vpconnect:roster.users[1].email",
    fragment: "is not a valid email address",
    edit: swap(
      USER_MGARCIA,
      USER_MGARCIA.replace("maria.garcia@example.com", '"maria.garcia at example.com"'),
    ),
  },
  {
    name: "roster-user-email-missing",
    why: "user without an email",
    key: "vpconnect:roster.users[2].email",
    fragment: "is required",
    edit: swap(USER_SCHEN, USER_SCHEN.replace(" email: sam.chen@example.com,", "")),
  },
  {
    name: "roster-user-first-name-missing",
    why: "user without a first name",
    key: "vpconnect:roster.users[4].firstName",
    fragment: "is required",
    edit: swap(USER_RNOVAK, USER_RNOVAK.replace(" firstName: Rita,", "")),
  },
  {
    name: "roster-user-id-too-long",
    why: "user ID of 121 characters without @",
    key: "vpconnect:roster.users[0].userId",
    fragment: 'a user ID without "@" may have at most 120',
    edit: swap(USER_ALEE, USER_ALEE.replace("ALEE", "A".repeat(121))),
  },
  {
    name: "roster-user-id-dot-before-at",
    why: "email-style user ID with '.' right before '@'",
    key: "vpconnect:roster.users[0].userId",
    fragment: 'a "." may not stand right before "@"',
    edit: swap(USER_ALEE, USER_ALEE.replace("ALEE", "alex.@example.com")),
  },
  {
    name: "roster-user-id-two-at",
    why: "user ID with two '@'",
    key: "vpconnect:roster.users[0].userId",
    fragment: "a user ID written as an email has exactly one",
    edit: swap(USER_ALEE, USER_ALEE.replace("ALEE", "alex@lee@example.com")),
  },
  {
    name: "roster-user-id-long-domain",
    why: "email-style user ID with 49 characters after '@'",
    key: "vpconnect:roster.users[0].userId",
    fragment: 'the part after "@" must be 1 to 48 characters',
    edit: swap(USER_ALEE, USER_ALEE.replace("ALEE", `alee@${"d".repeat(41)}.example`)),
  },
  {
    name: "roster-user-id-space",
    why: "user ID with a space inside",
    key: "vpconnect:roster.users[0].userId",
    fragment: "must not contain spaces",
    edit: swap(USER_ALEE, USER_ALEE.replace("ALEE", '"A LEE"')),
  },
  {
    name: "roster-duplicate-email",
    why: "two users with one email",
    key: "vpconnect:roster.users[1].email",
    fragment: "is listed twice (also at vpconnect:roster.users[0])",
    edit: swap(USER_MGARCIA, USER_MGARCIA.replace("maria.garcia@example.com", "alex.lee@example.com")),
  },
  {
    name: "roster-duplicate-email-case",
    why: "two users with one email in different case",
    key: "vpconnect:roster.users[3].email",
    fragment: "Connect needs one email per person",
    edit: swap(
      "{ userId: JOKAFOR, email: jude.okafor@example.com,",
      "{ userId: JOKAFOR, email: Sam.Chen@Example.com,",
    ),
  },
  {
    name: "roster-duplicate-user-id",
    why: "two users with one user ID (case differs)",
    key: "vpconnect:roster.users[2].userId",
    fragment: "is listed twice (also at vpconnect:roster.users[0])",
    edit: swap(USER_SCHEN, USER_SCHEN.replace("SCHEN", "alee")),
  },
  {
    name: "roster-on-delete",
    why: "onDelete that would delete people",
    key: "vpconnect:roster.onDelete",
    fragment: 'must be "detach" or "deactivateUsers"',
    edit: insertAfter("    defaultRole: CONNECT", "    onDelete: delete"),
  },
  {
    name: "roster-file-missing",
    why: "roster file that does not exist",
    key: "vpconnect:roster.file",
    fragment: "the path is relative to the project folder",
    edit: insertAfter("    defaultRole: CONNECT", "    file: test/fixtures/rosters/no-such-file.csv"),
  },
  {
    name: "roster-file-xlsx",
    why: "roster file in a format that is not read",
    key: "vpconnect:roster.file",
    fragment: "must be a .csv or .json file",
    edit: insertAfter("    defaultRole: CONNECT", "    file: test/fixtures/rosters/people.xlsx"),
  },
  {
    name: "roster-file-bad-row",
    why: "roster file with a bad email on one row",
    key: "test/fixtures/rosters/bad-email-row.csv row 4 email",
    fragment: "is not a valid email address",
    edit: insertAfter("    defaultRole: CONNECT", "    file: test/fixtures/rosters/bad-email-row.csv"),
  },
  {
    name: "roster-file-duplicate-of-inline",
    why: "roster file repeating an inline user's email",
    key: "test/fixtures/rosters/duplicate-of-inline.csv row 3.email",
    fragment: "is listed twice (also at vpconnect:roster.users[0])",
    edit: insertAfter("    defaultRole: CONNECT", "    file: test/fixtures/rosters/duplicate-of-inline.csv"),
  },
  // ---- policy ----
  {
    name: "policy-max-lifetime",
    why: "policy limit above 730 days",
    key: "vpconnect:policy.maxSecretLifetimeDays",
    fragment: "must be at most 730",
    edit: swap("maxSecretLifetimeDays: 730", "maxSecretLifetimeDays: 731"),
  },
  {
    name: "policy-ports-string",
    why: "forbidden ports as one string",
    key: "vpconnect:policy.forbiddenInternetPorts",
    fragment: "must be a list",
    edit: insertAfter("    allowEws: false", '    forbiddenInternetPorts: "22,3389"'),
  },
  // ---- hostile input (issue 11): bytes ----
  {
    name: "bytes-stack-invalid-utf8",
    why: "a Latin-1 byte (not UTF-8) in the stack file",
    key: fixtureLine("      lastName: Jones"),
    fragment: "is not valid UTF-8 text",
    edit: swap("      lastName: Jones", "      lastName: Jon~s"),
    bytes: byteFor("~", 0xe9),
  },
  {
    name: "bytes-nul-in-name",
    why: "a NUL character in the configurer's name",
    key: "vpconnect:roster.configurer.firstName",
    fragment: "NUL character, U+0000 at character 3; remove it",
    edit: swap("      firstName: Pat", '      firstName: "Pa\\0t"'),
  },
  {
    name: "bytes-escape-in-tag",
    why: "a terminal escape sequence in a tag",
    key: "vpconnect:azure.tags.environment",
    fragment: "control character",
    edit: swap("      environment: dev", '      environment: "\\e[2Jdev"'),
  },
  {
    name: "bytes-bidi-display-name",
    why: "a right-to-left override in an app's display name",
    key: "vpconnect:entra.loginApp.displayName",
    fragment: "bidirectional-override character",
    edit: swap("displayName: Deltek Vantagepoint (dev)", 'displayName: "Deltek \\u202Eved"'),
  },
  {
    name: "bytes-bidi-esc-environment",
    why: "a right-to-left override in a Pulumi ESC environment name",
    key: "environment[0]",
    fragment: "bidirectional-override character",
    edit: swap("\nconfig:\n", '\nenvironment:\n  - "vpconnect/\\u202Edev"\nconfig:\n'),
  },
  {
    name: "bytes-roster-file-invalid-utf8",
    why: "a roster file saved as Latin-1",
    key: "test/fixtures/rosters/latin1.csv line 3",
    fragment: "is not valid UTF-8 text",
    edit: insertAfter("    defaultRole: CONNECT", "    file: test/fixtures/rosters/latin1.csv"),
  },
  // ---- ranges ----
  {
    name: "allow-ipv4-mapped",
    why: "IPv4-mapped IPv6 ::ffff:0:0/96 (every IPv4 address)",
    key: "vpconnect:allowList.connectIps[1]",
    fragment: "IPv4-mapped IPv6 space",
    edit: swap("      - 198.51.100.0/24", '      - "::ffff:0:0/96"'),
  },
  {
    name: "allow-halves-cover-all",
    why: "0.0.0.0/1 + 128.0.0.0/1 with private ranges allowed",
    key: "vpconnect:allowList.connectIps",
    fragment: "together cover every IPv4 address (they merge into 0.0.0.0/0)",
    edit: (t) =>
      swap(
        "    enforceAt: both",
        "    enforceAt: both\n    allowPrivateRanges: true",
      )(swap("      - 198.51.100.0/24", "      - 0.0.0.0/1\n      - 128.0.0.0/1")(t)),
  },
  {
    name: "allow-public-too-wide",
    why: "public ranges that together admit a quarter of the Internet",
    key: "vpconnect:allowList.connectIps",
    fragment: "more than a /8",
    edit: swap("      - 198.51.100.0/24", "      - 64.0.0.0/3\n      - 32.0.0.0/3"),
  },
  {
    name: "allow-nsg-limit",
    why: "4,001 Connect ranges enforced at the NSG (limit 4,000)",
    key: "vpconnect:allowList.connectIps",
    fragment: "source prefixes an NSG can hold",
    edit: (t) =>
      swap(
        "enforceAt: both",
        "enforceAt: nsg",
      )(
        swap(
          "      - 198.51.100.0/24\n",
          `      - 198.51.100.0/24\n${Array.from({ length: 3999 }, (_, i) => `      - 11.${Math.floor(i / 125)}.${(i % 125) * 2}.1/32`).join("\n")}\n`,
        )(t),
      ),
  },
  {
    name: "allow-host-bits-private",
    why: "host bits set on a private range: the suggested network is checked too",
    key: "vpconnect:allowList.connectIps[0]",
    fragment: "its network address would be refused too: 10.0.0.0/8 is private",
    edit: swap("      - 203.0.113.0/24", "      - 10.0.0.7/8"),
  },
  // ---- names and URLs ----
  {
    name: "site-hostname-ip",
    why: "an IP literal as the public host name",
    key: "vpconnect:site.publicHostname",
    fragment: "is an IP address; give the DNS name",
    edit: swap("publicHostname: vantagepoint.example.com", "publicHostname: 203.0.113.10"),
  },
  {
    name: "vp-api-url-query",
    why: "a query in the API URL",
    key: "vpconnect:vantagepoint.apiUrl",
    fragment: 'must not have a query ("?...")',
    edit: swap(
      "apiUrl: https://vp-dev-web.corp.example.com/vantagepoint/api",
      "apiUrl: https://vp-dev-web.corp.example.com/vantagepoint/api?database=VP_DEV",
    ),
  },
  {
    name: "vp-api-url-fragment",
    why: "a fragment in the API URL",
    key: "vpconnect:vantagepoint.apiUrl",
    fragment: 'must not have a fragment ("#...")',
    edit: swap(
      "apiUrl: https://vp-dev-web.corp.example.com/vantagepoint/api",
      "apiUrl: https://vp-dev-web.corp.example.com/vantagepoint/api#login",
    ),
  },
  {
    name: "vp-api-url-credentials-unparsable",
    why: "a password in a URL that does not parse",
    key: "vpconnect:vantagepoint.apiUrl",
    fragment: "svc:***@",
    edit: swap(
      "apiUrl: https://vp-dev-web.corp.example.com/vantagepoint/api",
      "apiUrl: https://svc:Sentinel-Url-Password-6e0d@vantage point.example.com/api",
    ),
  },
  {
    name: "site-backend-address-scheme",
    why: "a backend address written as a URL",
    key: "vpconnect:site.backend.address",
    fragment: 'has a scheme; give the address only, e.g. "10.20.0.10"',
    edit: swap("      address: 10.20.0.10", "      address: https://10.20.0.10"),
  },
  {
    name: "site-backend-address-port",
    why: "a backend address with a port",
    key: "vpconnect:site.backend.address",
    fragment: "and put 8443 in site.backend.port",
    edit: swap("      address: 10.20.0.10", "      address: 10.20.0.10:8443"),
  },
  {
    name: "azure-address-space-internet",
    why: "a VNet address space that is the whole Internet",
    key: "vpconnect:azure.network.addressSpace",
    fragment: "is the whole IPv4 Internet",
    edit: swap("addressSpace: 10.60.0.0/16", "addressSpace: 0.0.0.0/0"),
  },
  {
    name: "entra-tenant-nil-guid",
    why: "the nil GUID as the tenant",
    key: "vpconnect:entra.tenantId",
    fragment: "is the nil GUID",
    edit: swap(
      "    tenantId: 7d3c2b1a-4e5f-4a6b-8c9d-0e1f2a3b4c5d",
      "    tenantId: 00000000-0000-0000-0000-000000000000",
    ),
  },
  // ---- secrets ----
  {
    name: "vp-password-secure-empty",
    why: "an empty secure: value",
    key: "vpconnect:vantagepoint.password",
    fragment: "has an empty `secure:` value",
    edit: swap(PASSWORD_BLOCK, '    password:\n      secure: ""\n'),
  },
  {
    name: "vp-client-secret-secure-malformed",
    why: "a secure: value that is not ciphertext",
    key: "vpconnect:vantagepoint.clientSecret",
    fragment: "is not Pulumi ciphertext",
    edit: swap(CLIENT_SECRET_BLOCK, "    clientSecret:\n      secure: v1:hunter2\n"),
  },
  // ---- roster files ----
  {
    name: "roster-file-outside-project",
    why: "a roster file path that climbs out of the project",
    key: "vpconnect:roster.file",
    fragment: "leaves the project folder",
    edit: insertAfter("    defaultRole: CONNECT", "    file: stacks/../../hr/people.csv"),
  },
  {
    name: "roster-file-absolute",
    why: "an absolute roster file path",
    key: "vpconnect:roster.file",
    fragment: "is an absolute path",
    edit: insertAfter("    defaultRole: CONNECT", "    file: /etc/people.csv"),
  },
  {
    name: "roster-file-folder",
    why: "a roster file that is a folder",
    key: "vpconnect:roster.file",
    fragment: "is a folder",
    edit: insertAfter("    defaultRole: CONNECT", "    file: test/fixtures/rosters/folder.csv"),
  },
  {
    name: "roster-file-mixed-script-email",
    why: "a roster file email with a Cyrillic letter",
    key: "test/fixtures/rosters/mixed-script-email.csv row 2.email",
    fragment: "mixes Cyrillic and Latin letters",
    edit: insertAfter("    defaultRole: CONNECT", "    file: test/fixtures/rosters/mixed-script-email.csv"),
  },
  {
    name: "roster-user-lookalike-email",
    why: "an inline email in Cyrillic letters that imitates another person's",
    key: "vpconnect:roster.users[3].email",
    fragment: 'looks like "alex.lee@example.com" (at vpconnect:roster.users[0])',
    edit: swap(
      "{ userId: JOKAFOR, email: jude.okafor@example.com,",
      '{ userId: JOKAFOR, email: "\u0430\u04cf\u0435\u0445.\u04cf\u0435\u0435@example.com",',
    ),
  },
  // ---- YAML ----
  {
    name: "yaml-alias-bomb",
    why: "aliases that expand to thousands of copies",
    key: "(file)",
    fragment: "an alias bomb",
    edit: insertAfter(
      "    enforceAt: both",
      "    a: &a [x, x, x, x, x, x, x, x, x, x]\n    b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n    c: [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]",
    ),
  },
  {
    name: "yaml-deep-nesting",
    why: "a value nested 5,000 lists deep",
    key: fixtureLine("    enforceAt: both", 1),
    fragment: "is nested too deeply to read",
    edit: insertAfter("    enforceAt: both", `    x: ${"[".repeat(5000)}${"]".repeat(5000)}`),
  },
  {
    name: "yaml-unknown-top-level-key",
    why: "the config section misspelt",
    key: "confg",
    fragment: 'is not a stack file key; did you mean "config"?',
    edit: swap("\nconfig:\n", "\nconfg:\n"),
  },
  {
    name: "typo-namespace",
    why: "the vpconnect namespace misspelt",
    key: "vpconnnect:policy",
    fragment: 'did you mean "vpconnect:policy"?',
    edit: swap("  vpconnect:policy:", "  vpconnnect:policy:"),
  },
  // ---- dates ----
  {
    name: "entra-rotated-on-future",
    why: "a rotation date years ahead",
    key: "vpconnect:entra.loginApp.secretRotatedOn",
    fragment: 'the login app ("Deltek Vantagepoint (dev)"): 2099-11-01 is in the future',
    edit: swap('365\n      secretRotatedOn: "2026-11-01"\n', '365\n      secretRotatedOn: "2099-11-01"\n'),
  },
  {
    name: "entra-rotated-on-expired",
    why: "a secret that expired years ago",
    key: "vpconnect:entra.loginApp.secretSlotBRotatedOn",
    fragment:
      'the login app ("Deltek Vantagepoint (dev)"): the active secret (slot A, issued 2020-11-01) expired on 2021-11-01',
    edit: swap('365\n      secretRotatedOn: "2026-11-01"\n', '365\n      secretRotatedOn: "2020-11-01"\n'),
  },
  // ---- typos (did you mean) ----
  {
    name: "typo-public-hostname",
    why: "publicHostname misspelt",
    key: "vpconnect:site.publicHostnme",
    fragment: 'did you mean "publicHostname"?',
    edit: swap("publicHostname: vantagepoint.example.com", "publicHostnme: vantagepoint.example.com"),
  },
  {
    name: "typo-section",
    why: "section name misspelt",
    key: "vpconnect:alowList",
    fragment: 'did you mean "vpconnect:allowList"?',
    edit: swap("  vpconnect:allowList:", "  vpconnect:alowList:"),
  },
  {
    name: "typo-connect-ips",
    why: "connectIps misspelt",
    key: "vpconnect:allowList.conectIps",
    fragment: 'did you mean "connectIps"?',
    edit: swap("    connectIps:", "    conectIps:"),
  },
  {
    name: "typo-secret-lifetime",
    why: "secretLifetimeDays misspelt",
    key: "vpconnect:entra.mailboxApp.secretLifetimeDay",
    fragment: 'did you mean "secretLifetimeDays"?',
    edit: withMailboxApp('      secretLifetimeDay: 365\n      secretRotatedOn: "2026-11-01"'),
  },
  {
    name: "typo-allow-ews",
    why: "allowEws misspelt",
    key: "vpconnect:policy.alowEws",
    fragment: 'did you mean "allowEws"?',
    edit: swap("    allowEws: false", "    alowEws: false"),
  },
  {
    name: "typo-user-email",
    why: "email misspelt on a roster row",
    key: "vpconnect:roster.users[0].emial",
    fragment: 'did you mean "email"?',
    edit: swap(USER_ALEE, USER_ALEE.replace("email:", "emial:")),
  },
  {
    name: "typo-key-vault",
    why: "keyVault written with the wrong case",
    key: "vpconnect:tls.keyvault",
    fragment: 'did you mean "keyVault"?',
    edit: swap("    keyVault:\n      name: kv-vpconnect-dev", "    keyvault:\n      name: kv-vpconnect-dev"),
  },
  // ---- site shapes that deploy but cannot work, or cannot deploy (issue 12) ----
  {
    name: "tls-new-vault-existing-certificate",
    why: "a new, empty vault named as the home of an existing certificate",
    key: "vpconnect:tls.certificateSource",
    fragment: "a new vault is empty",
    edit: swap(
      '    certificateSource: pfx\n    certificateExpiresOn: "2027-10-31" # the certificate\'s "valid to" date; the imported secret expires with it\n    pfx:\n      secure: v1:n7Yd2Qk5Wc8Rt1Lp:Fh3Jk6Mn9Pq2St5Vw8Yz1Bc4Ef7Hi0Kl==\n',
      "",
    ),
  },
  {
    name: "azure-isolated-vnet-onprem-backend",
    why: "a new VNet with no path to the on-premises backend",
    key: "vpconnect:site.backend.address",
    fragment: "the new VNet is isolated",
    edit: swap(
      "      hub:\n        virtualNetworkId: /subscriptions/3f2b8c1d-5e6a-4b7c-9d8e-1a2b3c4d5e6f/resourceGroups/rg-connectivity/providers/Microsoft.Network/virtualNetworks/vnet-hub-weu\n",
      "",
    ),
  },
  {
    name: "azure-hub-name-not-id",
    why: "the hub VNet's name where its resource id belongs",
    key: "vpconnect:azure.network.hub.virtualNetworkId",
    fragment: "is not a virtual network resource id",
    edit: swap(
      "virtualNetworkId: /subscriptions/3f2b8c1d-5e6a-4b7c-9d8e-1a2b3c4d5e6f/resourceGroups/rg-connectivity/providers/Microsoft.Network/virtualNetworks/vnet-hub-weu",
      "virtualNetworkId: vnet-hub-weu",
    ),
  },
  {
    name: "azure-route-propagation-off-behind-hub",
    why: "route propagation off, which drops the route to on-premises",
    key: "vpconnect:azure.network.routeTable",
    fragment: 'use "internetDefaultRoute"',
    edit: insertAfter(
      "        virtualNetworkId: /subscriptions/3f2b8c1d-5e6a-4b7c-9d8e-1a2b3c4d5e6f/resourceGroups/rg-connectivity/providers/Microsoft.Network/virtualNetworks/vnet-hub-weu",
      "      routeTable: noRoutePropagation",
    ),
  },
  {
    name: "site-http-redirect-waf-only",
    why: "the port-80 redirect with only the WAF enforcing the allow list",
    key: "vpconnect:site.httpListener",
    fragment: "bypasses WAF custom rules",
    edit: swap("enforceAt: both", "enforceAt: waf"),
  },
  {
    name: "allow-ipv6-office-without-frontend",
    why: "an office IPv6 range on a gateway with no IPv6 frontend",
    key: "vpconnect:allowList.extraRanges[1]",
    fragment: "no IPv6 frontend",
    edit: insertAfter(
      "      - 192.0.2.64/27 # head-office egress, for admins testing the public URL",
      "      - 2001:db8:77::/48 # head-office IPv6",
    ),
  },
  {
    name: "entra-login-token-version-quoted",
    why: "access token version quoted as text",
    key: "vpconnect:entra.loginApp.accessTokenVersion",
    fragment: "must be 1 or 2",
    edit: insertAfter("      displayName: Deltek Vantagepoint (dev)", '      accessTokenVersion: "2"'),
  },
  // ---- plausible free-text values, round three (issue 19): each refused by name with a fix that passes ----
  {
    name: "vp-api-url-site-root",
    why: "API URL given as the server root, without the instance and /api",
    key: "vpconnect:vantagepoint.apiUrl",
    fragment: "is the server's root; give the API root",
    edit: swap(
      "apiUrl: https://vp-dev-web.corp.example.com/vantagepoint/api",
      "apiUrl: https://vp-dev-web.corp.example.com",
    ),
  },
  {
    name: "vp-api-url-token-endpoint",
    why: "API URL copied from a token request (ends in /api/token)",
    key: "vpconnect:vantagepoint.apiUrl",
    fragment: "is the token endpoint; give the API root without /token",
    edit: swap(
      "apiUrl: https://vp-dev-web.corp.example.com/vantagepoint/api",
      "apiUrl: https://vp-dev-web.corp.example.com/vantagepoint/api/token",
    ),
  },
  {
    name: "vp-api-url-web-app",
    why: "API URL pointing at the Vantagepoint web app",
    key: "vpconnect:vantagepoint.apiUrl",
    fragment: "is the Vantagepoint web app, not its API",
    edit: swap(
      "apiUrl: https://vp-dev-web.corp.example.com/vantagepoint/api",
      "apiUrl: https://vp-dev-web.corp.example.com/vantagepoint/app",
    ),
  },
  {
    name: "vp-database-connection-string",
    why: "database given as a piece of a connection string",
    key: "vpconnect:vantagepoint.database",
    fragment: '(connection-string syntax); give the name alone, e.g. "Initial Catalog"',
    edit: swap("database: VP_DEV", 'database: "Initial Catalog=VP_DEV;Integrated Security=SSPI"'),
  },
  {
    name: "vp-database-curly-quotes",
    why: "database name pasted from a document with its curly quotes",
    key: "vpconnect:vantagepoint.database",
    fragment: 'give the name alone, e.g. "VP_DEV"',
    edit: swap("database: VP_DEV", "database: \u2018VP_DEV\u2019"),
  },
  {
    name: "vp-username-no-break-space",
    why: "API user name with a no-break space pasted at the end",
    key: "vpconnect:vantagepoint.username",
    fragment: 'has a no-break space (U+00A0) at the end; give it without, "svc-pulumi"',
    edit: swap("username: svc-pulumi", 'username: "svc-pulumi\u00a0"'),
  },
  {
    name: "vp-connect-client-id-is-own",
    why: "Connect's Client ID set to the project's own API client ID",
    key: "vpconnect:vantagepoint.connectApiClient.clientId",
    fragment: "is the Client ID this project signs in with (vantagepoint.clientId), not Connect's",
    edit: insertAfter("      name: Vantagepoint Connect", "      clientId: VPCONNECT-PROVISIONING"),
  },
  {
    name: "entra-identifier-uri-other-app",
    why: "login app identifier URI naming another app's application ID",
    key: "vpconnect:entra.loginApp.identifierUri",
    fragment: 'so this is another app\'s; use "api://7d3c2b1a-4e5f-4a6b-8c9d-0e1f2a3b4c5d/vantagepoint"',
    edit: insertAfter(
      "      displayName: Deltek Vantagepoint (dev)",
      "      identifierUri: api://3c9e1f0a-7b2d-4e8f-9a1c-5d6e7f8a9b0c",
    ),
  },
  {
    name: "entra-identifier-uri-local-domain",
    why: "login app identifier URI on an Active Directory .local domain",
    key: "vpconnect:entra.loginApp.identifierUri",
    fragment: "a name no tenant can verify (.local is reserved for local networks)",
    edit: insertAfter(
      "      displayName: Deltek Vantagepoint (dev)",
      "      identifierUri: api://vp.ad.contoso.local/vantagepoint",
    ),
  },
  {
    name: "entra-redirect-uri-fragment",
    why: "login app redirect URI with a #fragment",
    key: "vpconnect:entra.loginApp.redirectUri",
    fragment: 'use "https://vantagepoint.example.com/vantagepoint/app"',
    edit: insertAfter(
      "      displayName: Deltek Vantagepoint (dev)",
      "      redirectUri: https://vantagepoint.example.com/vantagepoint/app#signin",
    ),
  },
  {
    name: "entra-tenant-differs-from-provider",
    why: "entra.tenantId differs from the azuread provider's tenant",
    key: "vpconnect:entra.tenantId",
    fragment: "differs from azuread:tenantId",
    edit: swap(
      "azuread:tenantId: 7d3c2b1a-4e5f-4a6b-8c9d-0e1f2a3b4c5d",
      "azuread:tenantId: 9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
    ),
  },
  {
    name: "entra-windows-login-on-3-5",
    why: "Windows login with Connect on Vantagepoint 3.5",
    key: "vpconnect:entra.loginMode",
    fragment: "does not support Windows (local Active Directory) login with Connect",
    edit: (text) =>
      swap(
        'version: "7.0"',
        'version: "3.5"',
      )(swap(`    loginMode: entraId\n${LOGIN_APP_BLOCK}`, "    loginMode: windows\n")(text)),
  },
  {
    name: "site-backend-unspecified-ipv6",
    why: "backend address given as the IPv6 any-address",
    key: "vpconnect:site.backend.address",
    fragment: "is the unspecified address (::), which no server has",
    edit: swap(
      "      address: 10.20.0.10 # the on-premises Vantagepoint web server, over the site-to-site VPN",
      '      address: "::"',
    ),
  },
  {
    name: "site-backend-loopback",
    why: "backend address given as the server's own loopback",
    key: "vpconnect:site.backend.address",
    fragment: "is a loopback address: the gateway would call itself",
    edit: swap(
      "      address: 10.20.0.10 # the on-premises Vantagepoint web server, over the site-to-site VPN",
      "      address: 127.0.0.1",
    ),
  },
  {
    name: "azure-resource-group-trailing-period",
    why: "resource group name ending in a period",
    key: "vpconnect:azure.resourceGroupName",
    fragment: 'cannot end in a period (Microsoft naming rules): use "rg.vpconnect.dev"',
    edit: swap("resourceGroupName: rg-vpconnect-dev", "resourceGroupName: rg.vpconnect.dev."),
  },
  {
    name: "azure-hub-is-own-vnet",
    why: "hub VNet id pointing at the VNet this stack creates",
    key: "vpconnect:azure.network.hub.virtualNetworkId",
    fragment: "a VNet cannot be peered to itself",
    edit: swap(
      "virtualNetworkId: /subscriptions/3f2b8c1d-5e6a-4b7c-9d8e-1a2b3c4d5e6f/resourceGroups/rg-connectivity/providers/Microsoft.Network/virtualNetworks/vnet-hub-weu",
      "virtualNetworkId: /subscriptions/3f2b8c1d-5e6a-4b7c-9d8e-1a2b3c4d5e6f/resourceGroups/rg-vpconnect-dev/providers/Microsoft.Network/virtualNetworks/vpconnect-dev-vnet",
    ),
  },
  {
    name: "tls-vault-name-double-hyphen",
    why: "Key Vault name with two hyphens in a row",
    key: "vpconnect:tls.keyVault.name",
    fragment:
      'has two hyphens in a row; use 3-24 letters, digits and single hyphens, starting with a letter and ending with a letter or digit (Microsoft naming rules); e.g. "kv-vpconnect-dev"',
    edit: swap("name: kv-vpconnect-dev", "name: kv-vpconnect--dev"),
  },
  {
    name: "roster-shared-employee-key",
    why: "two users linked to one employee key",
    key: "vpconnect:roster.users[4].employee",
    fragment: "is also the employee key at vpconnect:roster.users[2]",
    edit: (text) =>
      swap(
        USER_RNOVAK,
        USER_RNOVAK.replace(" }", ", employee: E0042 }"),
      )(swap(USER_SCHEN, USER_SCHEN.replace(" }", ", employee: e0042 }"))(text)),
  },
  {
    name: "roster-email-soft-hyphen",
    why: "an email with an invisible soft hyphen",
    key: "vpconnect:roster.users[1].email",
    fragment:
      'contains a soft hyphen (U+00AD) at character 7, which no one sees; type it again without it, e.g. "maria.garcia@example.com"',
    edit: swap("email: maria.garcia@example.com", 'email: "maria.\u00adgarcia@example.com"'),
  },
  {
    name: "roster-user-id-zero-width-joiner",
    why: "a user ID with an invisible zero-width joiner",
    key: "vpconnect:roster.users[0].userId",
    fragment:
      'contains a zero-width joiner (U+200D) at character 3, which no one sees; type it again without it, e.g. "ALEE"',
    edit: swap("userId: ALEE,", 'userId: "AL\u200dEE",'),
  },
  // ---- YAML itself ----
  {
    name: "yaml-tab-indent",
    why: "a tab used for indentation",
    key: "line 29",
    fragment: "is not valid YAML: Tabs are not allowed as indentation",
    edit: swap("    namePrefix: vpconnect-dev", "\tnamePrefix: vpconnect-dev"),
  },
  {
    name: "yaml-unclosed-quote",
    why: "a quote that is never closed",
    key: "line 68",
    fragment: 'is not valid YAML: Missing closing "quote',
    edit: swap('365\n      secretRotatedOn: "2026-11-01"\n', '365\n      secretRotatedOn: "2026-11-01\n'),
  },
  {
    name: "yaml-duplicate-key",
    why: "the same key twice in one map",
    key: "line 62",
    fragment: "is not valid YAML: Map keys must be unique",
    edit: insertAfter("    enforceAt: both", "    enforceAt: nsg"),
  },
  {
    name: "yaml-section-not-a-map",
    why: "a section given as a string",
    key: "vpconnect:policy",
    fragment: "must be a map of keys",
    edit: swap(
      "  vpconnect:policy:\n    maxSecretLifetimeDays: 730\n    allowEws: false",
      "  vpconnect:policy: strict",
    ),
  },
];

/** The committed text of one fixture: a header saying what is wrong and what the check must say, then the stack. */
export function renderFixture(base: string, spec: BadConfig): string {
  const body = spec.edit(base);
  return `# Bad config fixture (test/reliability): ${spec.why}.\n# expect: ${spec.key} ${spec.fragment}\n${body}`;
}

/** The committed bytes of one fixture (renderFixture, then any byte-level defect). */
export function renderFixtureBytes(base: string, spec: BadConfig): Buffer {
  const utf8 = Buffer.from(renderFixture(base, spec), "utf8");
  return spec.bytes ? spec.bytes(utf8) : utf8;
}

/** Reads the `# expect: <key> <fragment>` line of a fixture file. */
export function expectationOf(text: string): { key: string; fragment: string } {
  // The key is one token, except `line N` (YAML errors) and `<file> row N field` (roster file rows).
  const line = /^# expect: (line \d+|\S+ line \d+|\S+ row \d+[ .]\w+|\S+) (.+)$/m.exec(text);
  if (!line) throw new Error("fixture has no '# expect: <key path> <fragment>' line");
  return { key: line[1]!, fragment: line[2]! };
}

export function corpusFiles(): string[] {
  return readdirSync(CORPUS_DIR)
    .filter((f) => f.endsWith(".yaml"))
    .sort();
}

if (require.main === module && process.argv.includes("--write")) {
  const base = readFileSync(BASE_STACK, "utf8");
  for (const spec of BAD_CONFIGS)
    writeFileSync(path.join(CORPUS_DIR, `${spec.name}.yaml`), renderFixtureBytes(base, spec));
  console.log(`wrote ${BAD_CONFIGS.length} fixtures to ${path.relative(process.cwd(), CORPUS_DIR)}`);
}
