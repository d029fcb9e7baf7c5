// Policies on Entra ID (azuread): the Vantagepoint login app, secrets' lifetimes, the mailbox app's permissions.
import { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import {
  arr,
  COMPONENT,
  configOf,
  has,
  read,
  ResourceLike,
  str,
  TYPE,
  underComponent,
  Props,
} from "./lib/props";
import { defaultsFor, schemaFor } from "./config";

/** Microsoft Graph's application id. */
export const GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";
/** Office 365 Exchange Online's application id. */
export const EXCHANGE_APP_ID = "00000002-0000-0ff1-ce00-000000000000";
/** Exchange Online delegated EWS.AccessAsUser.All. */
export const EWS_DELEGATED_SCOPE = "3b5f3d61-589b-4a3c-a359-5dd4b5ee5bd5";
/** Graph application roles (type Role) that reach every mailbox in the tenant. */
export const GRAPH_MAILBOX_ROLES: Readonly<Record<string, string>> = {
  "e2a3a72e-5f79-4c64-b1b1-878b674786c9": "Mail.ReadWrite",
  "810c84a8-4a9e-49e6-bf7d-12d183f40d01": "Mail.Read",
  "b633e1c5-b582-4048-a93e-9f11b44c7e96": "Mail.Send",
  "ef54d2bf-783f-4e0f-bca1-3210c0444d99": "Calendars.ReadWrite",
  "798ee544-9d2d-430c-a058-570e29e34338": "Calendars.Read",
  "6918b873-d17a-4dc1-b314-35f528134491": "Contacts.ReadWrite",
  "089fe4d0-434a-44c5-8827-41ba8a0b17f5": "Contacts.Read",
  "6931bccd-447a-43d1-b442-00a195474933": "MailboxSettings.ReadWrite",
  "40f97065-3ea0-4a3b-a6e5-63f2b6f2a8c5": "MailboxSettings.Read",
};
/** Exchange Online full_access_as_app (application). */
export const EXCHANGE_FULL_ACCESS_ROLE = "dc890d15-9560-4a4c-9b7f-a736ec74ec40";

/** Normalizes a URL for comparison: lower-case scheme and host, no trailing slash. */
function normalizeUrl(u: string): string | undefined {
  try {
    const url = new URL(u);
    return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, "")}`.toLowerCase();
  } catch {
    return undefined;
  }
}

/** The redirect URI the login app must have: the public URL's origin plus the app path (kept if already there). */
export function expectedRedirectUri(publicUrl: string, appPath: string): string | undefined {
  let url: URL;
  try {
    url = new URL(publicUrl);
  } catch {
    return undefined;
  }
  const path = appPath.replace(/\/+$/, "");
  const base = url.pathname.replace(/\/+$/, "");
  return normalizeUrl(`https://${url.host}${base.toLowerCase().endsWith(path.toLowerCase()) ? base : path}`);
}

/** Whether an azuread Application is the Vantagepoint login app. */
function isLoginApp(r: ResourceLike): boolean {
  if (r.type !== TYPE.application) return false;
  if (underComponent(r.urn, COMPONENT.loginApp)) return true;
  const scopes = read(() => arr<Props>(r.props.api?.oauth2PermissionScopes).map((s) => str(s.value)));
  return scopes.known && scopes.value.includes("user_impersonation");
}

/** P7: the login app's redirect URI is the public URL's app path over HTTPS. */
export const entraLoginRedirectMatchesPublicUrl: StackValidationPolicy = {
  name: "entra-login-redirect-matches-public-url",
  description:
    "The Entra ID login app's web redirect URIs must use HTTPS and include the public URL's Vantagepoint app path.",
  enforcementLevel: "mandatory",
  severity: "high",
  tags: ["vantagepoint-connect", "P7"],
  configSchema: schemaFor("vantagepointAppPath", "publicUrl"),
  remediationSteps:
    "Set the login app's web.redirectUris to https://<public host>/vantagepoint/app (VantagepointLoginApp does this).",
  validateStack: (args, reportViolation) => {
    const resources = args.resources as unknown as ResourceLike[];
    const apps = resources.filter(isLoginApp);
    if (apps.length === 0) {
      args.notApplicable("No Entra ID login app in the stack (the site uses local Active Directory login).");
    }
    const cfg = configOf(args, defaultsFor("vantagepointAppPath", "publicUrl"));
    let publicUrl = str(cfg.publicUrl);
    if (publicUrl === "") {
      for (const r of resources.filter(
        (x) => x.type === COMPONENT.site || x.type === COMPONENT.publicEndpoint,
      )) {
        const u = has(r.props, "publicUrl") ? read(() => str(r.props.publicUrl)) : undefined;
        if (u?.known && u.value !== "") publicUrl = u.value;
      }
    }
    const expected =
      publicUrl === "" ? undefined : expectedRedirectUri(publicUrl, str(cfg.vantagepointAppPath));
    if (publicUrl === "") {
      reportViolation(
        "The public URL must be known to check the login app's redirect URI: export publicUrl from ConnectSite/PublicEndpoint or set this policy's publicUrl config.",
      );
    } else if (!expected || !publicUrl.toLowerCase().startsWith("https://")) {
      reportViolation(`The public URL '${publicUrl}' must be an https:// URL.`);
    }
    const extraUris = resources.filter(
      (r) => r.type === TYPE.applicationRedirectUris && str(r.props.type || "Web").toLowerCase() === "web",
    );
    for (const app of apps) {
      const uris = [
        ...arr<string>(app.props.web?.redirectUris).map(str),
        ...(apps.length === 1 ? extraUris.flatMap((r) => arr<string>(r.props.redirectUris).map(str)) : []),
      ];
      const insecure = uris.filter((u) => !u.toLowerCase().startsWith("https://"));
      if (insecure.length > 0) {
        reportViolation(
          `Login app '${app.name}' redirect URIs must use HTTPS; found ${insecure.join(", ")}.`,
          app.urn,
        );
      }
      if (expected && !uris.some((u) => normalizeUrl(u) === expected)) {
        reportViolation(
          `Login app '${app.name}' must have the web redirect URI ${expected} (the public URL's app path); found ${uris.join(", ") || "none"}.`,
          app.urn,
        );
      }
    }
  },
};

/** Parses an azuread relative duration ("240h", "2400h30m", "8760h0m0s") into days. */
function relativeDays(text: string): number | undefined {
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(text.trim());
  if (!m || text.trim() === "") return undefined;
  const seconds = Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
  return seconds / 86400;
}

/** App passwords and Key Vault secrets expire within the configured lifetime. */
export const entraSecretMaxLifetime: ResourceValidationPolicy = {
  name: "entra-secret-max-lifetime",
  description:
    "Entra app passwords and Key Vault secrets must carry an expiry no further than the configured lifetime from now (730 days by default).",
  enforcementLevel: "mandatory",
  severity: "high",
  tags: ["vantagepoint-connect", "P7"],
  configSchema: schemaFor("maxSecretLifetimeDays"),
  remediationSteps:
    "Set endDate (RFC 3339) on the password or properties.attributes.expires (Unix seconds) on the secret, and plan rotation.",
  validateResource: (args, reportViolation) => {
    const { maxSecretLifetimeDays } = configOf(args, defaultsFor("maxSecretLifetimeDays"));
    const now = Date.now();
    const check = (what: string, expiresMs: number | undefined, field: string) => {
      if (expiresMs === undefined || Number.isNaN(expiresMs)) {
        reportViolation(`${what} must set ${field}: a secret without expiry is never rotated.`);
        return;
      }
      const days = (expiresMs - now) / 86_400_000;
      if (days < 0) {
        reportViolation(
          `${what} has already expired (${field} ${new Date(expiresMs).toISOString()}); rotate it.`,
        );
      } else if (days > maxSecretLifetimeDays) {
        reportViolation(
          `${what} must expire within ${maxSecretLifetimeDays} days; ${field} is ${Math.ceil(days)} days from now.`,
        );
      }
    };
    const p = args.props;
    if (args.type === TYPE.applicationPassword || args.type === TYPE.servicePrincipalPassword) {
      const what = `Password '${args.name}'`;
      if (has(p, "endDate") && str(p.endDate) !== "") check(what, Date.parse(str(p.endDate)), "endDate");
      else if (has(p, "endDateRelative") && str(p.endDateRelative) !== "") {
        const days = relativeDays(str(p.endDateRelative));
        check(what, days === undefined ? undefined : now + days * 86_400_000, "endDateRelative");
      } else check(what, undefined, "endDate");
      return;
    }
    if (args.type === TYPE.vaultSecret) {
      const attrs = p.properties?.attributes;
      const expires =
        has(attrs, "expires") && typeof attrs.expires === "number" ? attrs.expires * 1000 : undefined;
      check(`Key Vault secret '${args.name}'`, expires, "properties.attributes.expires");
    }
  },
};

/** One permission an app asks for. */
interface Permission {
  resourceAppId: string;
  id: string;
  type: "Role" | "Scope";
}

function permissionsOf(args: { type: string; props: Props }): Permission[] | undefined {
  const p = args.props;
  if (args.type === TYPE.application) {
    return arr<Props>(p.requiredResourceAccesses).flatMap((ra) =>
      arr<Props>(ra.resourceAccesses).map((a) => ({
        resourceAppId: str(ra.resourceAppId).toLowerCase(),
        id: str(a.id).toLowerCase(),
        type: str(a.type) === "Role" ? ("Role" as const) : ("Scope" as const),
      })),
    );
  }
  if (args.type === TYPE.applicationApiAccess) {
    const api = str(p.apiClientId).toLowerCase();
    return [
      ...arr<string>(p.roleIds).map((id) => ({
        resourceAppId: api,
        id: str(id).toLowerCase(),
        type: "Role" as const,
      })),
      ...arr<string>(p.scopeIds).map((id) => ({
        resourceAppId: api,
        id: str(id).toLowerCase(),
        type: "Scope" as const,
      })),
    ];
  }
  if (args.type === TYPE.appRoleAssignment) {
    // The resource is an object id (unknown in advance), so match the role id alone.
    return [{ resourceAppId: "", id: str(p.appRoleId).toLowerCase(), type: "Role" }];
  }
  return undefined;
}

/** P8: no tenant-wide mailbox application permissions; EWS only when allowed. */
export const mailboxAppLeastPrivilege: ResourceValidationPolicy = {
  name: "mailbox-app-least-privilege",
  description:
    "Apps must not hold tenant-wide mailbox application permissions (Graph or Exchange, type Role); EWS delegated access only when allowEws is set.",
  enforcementLevel: "advisory",
  severity: "high",
  tags: ["vantagepoint-connect", "P8"],
  configSchema: schemaFor("allowEws"),
  remediationSteps:
    "Use delegated (Scope) Graph permissions such as Mail.ReadWrite with admin consent; drop application roles and EWS.",
  validateResource: (args, reportViolation) => {
    const perms = permissionsOf(args);
    if (!perms) return;
    const { allowEws } = configOf(args, defaultsFor("allowEws"));
    const mailboxApp = underComponent(args.urn, COMPONENT.mailboxApp);
    for (const perm of perms) {
      if (perm.type === "Role") {
        const graphName = GRAPH_MAILBOX_ROLES[perm.id];
        const onGraph = perm.resourceAppId === GRAPH_APP_ID || (perm.resourceAppId === "" && !!graphName);
        if (perm.id === EXCHANGE_FULL_ACCESS_ROLE || perm.resourceAppId === EXCHANGE_APP_ID) {
          reportViolation(
            `'${args.name}' must not hold Exchange Online application permission ${perm.id === EXCHANGE_FULL_ACCESS_ROLE ? "full_access_as_app" : perm.id}: it reaches every mailbox in the tenant.`,
          );
        } else if (onGraph && graphName) {
          reportViolation(
            `'${args.name}' must not hold Graph application permission ${graphName} (type Role): it reaches every mailbox in the tenant; use the delegated scope.`,
          );
        } else if (onGraph && mailboxApp) {
          reportViolation(
            `Mailbox app '${args.name}' must use delegated (Scope) Graph permissions only; found application role ${perm.id}.`,
          );
        }
      } else if (perm.id === EWS_DELEGATED_SCOPE && !allowEws) {
        reportViolation(
          `'${args.name}' must not request EWS.AccessAsUser.All unless allowEws is set: Microsoft turns EWS off in Exchange Online on 1 October 2026; use Graph.`,
        );
      }
    }
  },
};

/** The Entra ID policies. */
export const entraPolicies = [
  entraLoginRedirectMatchesPublicUrl,
  entraSecretMaxLifetime,
  mailboxAppLeastPrivilege,
];
