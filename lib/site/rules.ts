/**
 * Site rules over ConnectSite's args (the plain view in ./view.ts): the certificate and its vault, the allow list
 * as a whole, port 80, the Entra apps' rotation dates and the verification's API URL. Pure. The components call
 * them before anything registers (lib/site/check.ts), and the stack-config loader calls the same functions with
 * stack keys (lib/config/load.ts), so `vpconnect check`, `pulumi up` and a library caller agree.
 */
import { coverageProblem, parseRange, rangeProblem } from "../allowList";
import { planAllowList } from "../allowListPlan";
import type { EnforceAt } from "../allowListPlan";
import { pfxProblem, trustedRootDataProblem } from "../values/siteValues";
import { apiRootProblem } from "../values/valueRules";
import { RotationSettingsError, rotationFields, rotationPlan, rotationProblems } from "../rotation";
import type { RotationPlan } from "../rotation";
import { secretExpiry, secretExpiryProblem } from "../secretExpiry";
import type { ArgProblem, Caller, SiteView } from "./view";
import { items, str, UNKNOWN } from "./view";

type Add = (path: string, message: string) => void;

function collector(c: Caller): { out: ArgProblem[]; add: Add } {
  const out: ArgProblem[] = [];
  return { out, add: (path, message) => out.push({ path: c.key(path), message }) };
}

/** The TLS certificate and its vault: shapes that cannot deploy. `now` is today (expiry dates). */
export function certificateRules(v: SiteView, c: Caller, now: Date): ArgProblem[] {
  const { out, add } = collector(c);
  const tls = v.tls;
  if (!tls) return out;
  const k = c.key;
  const source = tls.certificateSource ?? "keyVault";
  const vault = tls.keyVault ?? {};
  const importFix = c.secretFix("tls.pfx", '"$(base64 -w0 certificate.pfx)"');
  const pfx = `${k("tls.certificateSource")}: ${c.value("pfx")}`;
  if (source === "keyVault" && vault.create === true) {
    const name = str(tls.certificateName);
    add(
      "tls.certificateSource",
      `${c.value("keyVault")} with ${k("tls.keyVault.create")}: true cannot deploy: a new vault is empty, and Application Gateway fails to create a listener whose certificate it cannot read. Import the certificate here (${pfx}, then ${importFix}), or name an existing vault that already holds ${name ? JSON.stringify(name) : "the certificate"} (${k("tls.keyVault.create")}: false)`,
    );
  }
  if (source === "pfx" && tls.pfx === undefined) {
    add(
      "tls.pfx",
      `is required with ${pfx} (the certificate for the public host name, a PFX without a password, base64); ${importFix}`,
    );
  }
  if (source === "keyVault" && tls.pfx !== undefined) {
    add(
      "tls.pfx",
      `is only imported with ${pfx}; set ${pfx}, or remove ${k("tls.pfx")} to use the existing Key Vault certificate`,
    );
  }
  if (source === "pfx" && !tls.certificateExpiresOn) {
    add(
      "tls.certificateExpiresOn",
      `is required with ${pfx}: the certificate's "valid to" date, YYYY-MM-DD (openssl pkcs12 -in certificate.pfx -nokeys -passin pass: | openssl x509 -noout -enddate); the imported secret carries it as its expiry`,
    );
  }
  if (tls.certificateExpiresOn && source !== "pfx") {
    add(
      "tls.certificateExpiresOn",
      `is only used with ${pfx} (a Key Vault certificate carries its own expiry); remove it`,
    );
  }
  const expires = tls.certificateExpiresOn;
  if (expires && Date.parse(`${expires}T23:59:59Z`) < now.getTime()) {
    add(
      "tls.certificateExpiresOn",
      `${expires} is in the past: the certificate has expired and Connect would refuse it; renew it, import the new PFX and set its date`,
    );
  }
  const pfxText = str(tls.pfx);
  if (pfxText !== undefined) {
    const problem = pfxProblem(pfxText, importFix);
    if (problem) add("tls.pfx", problem);
  }
  if (!vault.create && vault.resourceGroupName === undefined && v.resourceGroup?.create !== false) {
    add(
      "tls.keyVault.resourceGroupName",
      `is required for an existing vault (${k("tls.keyVault.create")}: false) when this stack creates its resource group: the vault is looked up in ${k("resourceGroup.name")}, which is new and empty. Give the existing vault's resource group, or set ${k("resourceGroup.create")}: false`,
    );
  }
  if (vault.uniqueName && !vault.create) {
    add(
      "tls.keyVault.uniqueName",
      `only applies to a vault this stack creates (${k("tls.keyVault.create")}: true); an existing vault keeps its name: remove uniqueName`,
    );
  }
  if (vault.firewall && !vault.create) {
    add(
      "tls.keyVault.firewall",
      `only applies to a vault this stack creates; an existing vault's firewall belongs to its owner and is read at deploy time: remove firewall, and if the vault admits only selected networks ask its owner to allow trusted Microsoft services (az keyvault update --name ${vault.name ?? "<vault>"} --bypass AzureServices)`,
    );
  }
  return out;
}

/**
 * Every range on its own against the allow-list rules (0.0.0.0/0, private ranges unless allowed), then the list
 * as a whole: together the ranges must not cover every address or more than a /8, and after merging they must fit
 * the NSG and WAF limits (planAllowList, the planning the component itself uses). Ranges that do not parse are
 * the field check's (lib/site/argsSchema.ts, the stack schema); the whole list is checked once all parse.
 */
export function allowListRules(v: SiteView, c: Caller): ArgProblem[] {
  const { out, add } = collector(c);
  const a = v.allowList;
  if (!a) return out;
  const allowPrivate = a.allowPrivateRanges === true;
  let complete = true;
  const valid: Record<"connectIps" | "extraRanges", string[]> = { connectIps: [], extraRanges: [] };
  for (const list of ["connectIps", "extraRanges"] as const) {
    const value = a[list];
    if (value === undefined) continue;
    if (!Array.isArray(value)) {
      complete = false;
      continue;
    }
    if (value.length !== items(value).length) complete = false;
    for (const [index, item] of items(value)) {
      const parsed = parseRange(item);
      if ("error" in parsed) {
        complete = false;
        continue;
      }
      const problem = rangeProblem(parsed, {
        allowPrivate,
        privateRangesKey: c.key("allowList.allowPrivateRanges"),
      });
      if (problem) {
        add(`allowList.${list}[${index}]`, problem);
        complete = false;
      } else valid[list].push(parsed.cidr);
    }
  }
  if (complete && valid.connectIps.length > 0) out.push(...wholeListRules(a, valid, allowPrivate, c));
  // ipv6Frontend not a boolean (or not known yet) is the shape check's; only false makes an IPv6 range useless.
  if (v.ipv6Frontend === undefined || v.ipv6Frontend === false) {
    for (const [index, item] of items(a.extraRanges)) {
      const parsed = parseRange(item);
      if (!("error" in parsed) && parsed.version === 6) {
        add(
          `allowList.extraRanges[${index}]`,
          `${parsed.cidr} is IPv6, but the gateway has no IPv6 frontend, so it admits nobody: IPv6 clients cannot reach the site at all. Give the office's IPv4 egress range instead, or set ${c.key("ipv6Frontend")}: true (with ${c.key("network.ipv6AddressSpace")} and gatewaySubnetIpv6Prefix)`,
        );
      }
    }
  }
  return out;
}

function wholeListRules(
  a: NonNullable<SiteView["allowList"]>,
  valid: Record<"connectIps" | "extraRanges", string[]>,
  allowPrivate: boolean,
  c: Caller,
): ArgProblem[] {
  const k = c.key;
  const own = coverageProblem(valid.connectIps, { allowPrivate });
  if (own) return [{ path: k("allowList.connectIps"), message: own }];
  const together = coverageProblem([...valid.connectIps, ...valid.extraRanges], { allowPrivate });
  if (together) {
    const message = `with ${k("allowList.connectIps")}, ${together.replace(/^together /, "")}`;
    return [{ path: k("allowList.extraRanges"), message }];
  }
  if (a.enforceAt === UNKNOWN) return [];
  const enforceAt = (
    ["both", "nsg", "waf"].includes(a.enforceAt as string) ? a.enforceAt : "both"
  ) as EnforceAt;
  try {
    planAllowList({
      connectIps: valid.connectIps,
      extraRanges: valid.extraRanges,
      enforceAt,
      allowPrivateRanges: allowPrivate,
    });
  } catch (error) {
    const message = (error as Error).message.replace(/^allow list \(enforceAt: \w+\): /, "");
    return [
      {
        path: k("allowList.connectIps"),
        message: `with ${k("allowList.extraRanges")} and enforceAt "${enforceAt}": ${message}`,
      },
    ];
  }
  return [];
}

/** Port 80 with the allow list enforced only in the WAF: a redirect answers every source. */
export function httpListenerRules(v: SiteView, c: Caller): ArgProblem[] {
  const { out, add } = collector(c);
  const listener = v.httpListener ?? "redirect";
  const audience = v.allowList?.audience ?? "allowList";
  if (listener === "redirect" && audience === "allowList" && v.allowList?.enforceAt === "waf") {
    const k = c.key;
    add(
      "httpListener",
      `${c.value("redirect")} with ${k("allowList.enforceAt")}: waf answers every source on port 80: a redirect rule bypasses WAF custom rules, and the NSG admits the Internet. Set ${k("allowList.enforceAt")}: both (the NSG enforces the allow list on port 80 too), or ${k("httpListener")}: off`,
    );
  }
  return out;
}

/**
 * Internal-CA roots: only for an HTTPS backend, each under its own name, each a CA certificate in date (checked
 * where the caller gives `data`; the stack loader checks the PEM it converts, lib/values/siteValues.ts).
 */
export function backendTlsRules(v: SiteView, c: Caller, now = new Date()): ArgProblem[] {
  const { out, add } = collector(c);
  const roots = v.backend?.trustedRootCertificates ?? [];
  if (!Array.isArray(roots)) return out;
  if (roots.length > 0 && (v.backend?.protocol ?? "Https") !== "Https") {
    add(
      "backend.trustedRootCertificates",
      `are only used for an HTTPS backend; set ${c.key("backend.protocol")}: ${c.value(c.key("backend.protocol").startsWith("site.") ? "https" : "Https")}, or remove them`,
    );
  }
  const seen = new Map<string, number>();
  roots.forEach((root, index) => {
    // An empty or mistyped value is the shape check's (argsSchema); a value not known yet is checked once known.
    const data = str(root?.data);
    const dataProblem = data ? trustedRootDataProblem(data, now) : undefined;
    if (dataProblem) add(`backend.trustedRootCertificates[${index}].data`, dataProblem);
    if (typeof root?.name !== "string") return;
    const key = root.name.toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) {
      add(
        `backend.trustedRootCertificates[${index}].name`,
        `${JSON.stringify(root.name)} is also the name of entry ${first}; give each certificate its own name`,
      );
    } else seen.set(key, index);
  });
  return out;
}

/**
 * A client secret rotated in the future, or already expired: the password would be created with an end date in
 * the past, or the date is a typo. The same rules as the app components' (lib/secretExpiry.ts for the mailbox
 * app, lib/rotation.ts for the login app's two slots).
 */
export function rotationDateRules(v: SiteView, c: Caller, now: Date): ArgProblem[] {
  const out = loginRotationRules(v, c, now);
  const app = v.mailboxApp;
  if (!app || typeof app.secretRotatedOn !== "string") return out;
  const field = c.key("mailboxApp.secretRotatedOn");
  let problem: ReturnType<typeof secretExpiryProblem>;
  try {
    const expiry = secretExpiry(app.secretRotatedOn, app.secretLifetimeDays ?? 730);
    problem = secretExpiryProblem(app.secretRotatedOn, expiry, now, {
      rotatedOn: field,
      lifetimeDays: c.key("mailboxApp.secretLifetimeDays"),
    });
  } catch {
    return out; // a bad date or lifetime is the field check's
  }
  if (problem?.level !== "error") return out;
  const name = typeof app.displayName === "string" ? ` (${JSON.stringify(app.displayName)})` : "";
  out.push({ path: field, message: `the mailbox app${name}: ${problem.message.replace(`${field}: `, "")}` });
  return out;
}

/** The login app's two slots (lib/rotation.ts): bad overlap or warning days, same-day slots, future dates, an expired active slot. */
function loginRotationRules(v: SiteView, c: Caller, now: Date): ArgProblem[] {
  const app = v.loginApp;
  if (!app || typeof app.secretRotatedOn !== "string") return [];
  // Each field as the caller names it (ConnectSite's loginApp.secretRotatedOn, VantagepointLoginApp's secretRotatedOn).
  const fields = Object.fromEntries(
    Object.entries(rotationFields("loginApp")).map(([k, path]) => [k, c.key(path)]),
  ) as unknown as ReturnType<typeof rotationFields>;
  const name = typeof app.displayName === "string" ? ` (${JSON.stringify(app.displayName)})` : "";
  const say = (field: string, message: string) => ({
    path: field,
    message: `the login app${name}: ${message.slice(field.length + 2)}`,
  });
  let plan: RotationPlan;
  try {
    plan = rotationPlan(
      {
        slotA: app.secretRotatedOn,
        slotB: app.secretSlotBRotatedOn,
        lifetimeDays: app.secretLifetimeDays ?? 730,
        overlapDays: app.secretOverlapDays,
        warningDays: app.secretWarningDays,
      },
      fields,
    );
  } catch (error) {
    if (error instanceof RotationSettingsError) return [say(error.field, error.message)];
    return []; // a bad date or lifetime is the field check's
  }
  return rotationProblems(plan, now, fields)
    .filter((p) => p.level === "error")
    .map((p) => say(p.field, p.message));
}

/** The Vantagepoint API root: given when the verification needs it, without a trailing "/", and the API's root. */
export function apiUrlRules(v: SiteView, c: Caller): ArgProblem[] {
  const { out, add } = collector(c);
  const mode = v.verification?.mode ?? "enforce";
  if (mode !== "off" && v.verification?.apiUrl === undefined && v.vantagepoint === undefined) {
    add(
      "verification.apiUrl",
      `is required when ${c.key("vantagepoint")} is left out; give the Vantagepoint API root (https://<host>/vantagepoint/api) or set ${c.key("verification.mode")} to "off"`,
    );
  }
  const connection = v.vantagepoint?.connection;
  const urls: Array<[string, unknown]> = [
    ["vantagepoint.connection.url", connection && connection !== UNKNOWN ? connection.url : undefined],
    ["verification.apiUrl", v.verification?.apiUrl],
  ];
  const seen = new Set<string>();
  for (const [path, value] of urls) {
    const url = safeUrl(str(value));
    if (!url || seen.has(c.key(path))) continue;
    seen.add(c.key(path));
    if (url.pathname.length > 1 && url.pathname.endsWith("/")) {
      add(
        path,
        'must not end with "/"; give the API root, e.g. https://vantagepoint.example.com/vantagepoint/api',
      );
      continue;
    }
    // The site root, the web app or the token endpoint instead of the API root (lib/values/valueRules.ts).
    const root = apiRootProblem(str(value)!);
    if (root) add(path, root);
  }
  return out;
}

function safeUrl(value: string | undefined): URL | undefined {
  if (value === undefined) return undefined;
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}
