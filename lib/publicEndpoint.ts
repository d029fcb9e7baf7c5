/**
 * The public endpoint's plain rules, pure (no Pulumi import): accepted TLS policies, the Application Gateway's
 * sub-resource names and their full ids, and the validators for the path, host name and certificate secret id.
 */
import { isIP } from "node:net";

/** TLS policies accepted for the HTTPS listener (TLS 1.2 minimum, current cipher suites). */
export const ACCEPTED_SSL_POLICIES = ["AppGwSslPolicy20220101S", "AppGwSslPolicy20220101"] as const;
export const DEFAULT_SSL_POLICY = "AppGwSslPolicy20220101S";

/** Names of the gateway's sub-resources (what the id helper and the policies refer to). */
export const GATEWAY_PARTS = {
  gatewayIp: "gateway-ip",
  frontendIp: "public-frontend",
  httpsPort: "port-443",
  httpPort: "port-80",
  certificate: "connect-tls",
  httpsListener: "https-listener",
  httpListener: "http-listener",
  redirect: "http-to-https",
  backendPool: "vantagepoint-backend",
  backendSettings: "vantagepoint-settings",
  probe: "vantagepoint-probe",
  httpsRule: "https-rule",
  httpRule: "http-redirect-rule",
} as const;

/** Routing rule priorities (1-20000, lower first). */
export const RULE_PRIORITIES = { https: 100, httpRedirect: 200 } as const;

/**
 * Seconds to wait after granting the gateway's identity read access to Key Vault, before the gateway is created.
 * Azure role assignments take a minute or more to take effect; a gateway created earlier cannot read the
 * certificate and disables its HTTPS listener until its next Key Vault poll (up to 4 hours).
 */
export const KEY_VAULT_GRANT_PROPAGATION_SECONDS = 90;

/** Full id of a gateway sub-resource; Azure wants full ids even for references inside the same gateway. */
export function gatewayPartId(
  subscriptionId: string,
  resourceGroupName: string,
  gatewayName: string,
  collection: string,
  part: string,
): string {
  return `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroupName}/providers/Microsoft.Network/applicationGateways/${gatewayName}/${collection}/${part}`;
}

/** "/vantagepoint", "vantagepoint/" -> "/vantagepoint"; "/" or "" -> "" (Vantagepoint at the site root). */
export function normalizePath(path: string, field = "vantagepointPath"): string {
  const trimmed = path.trim().replace(/\/+$/, "");
  if (trimmed === "") return "";
  const withSlash = trimmed.startsWith("/") ? trimmed : `/${trimmed}`;
  if (!/^(\/[A-Za-z0-9._~-]+)+$/.test(withSlash)) {
    throw new Error(
      `${field}: ${JSON.stringify(path)} is not a URL path; expected something like /vantagepoint`,
    );
  }
  return withSlash;
}

/** Why a public host name is not usable, or undefined. */
export function hostnameProblem(host: string, field = "publicHostname"): string | undefined {
  const ok =
    host.length <= 253 &&
    /^(?=.{1,253}$)([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/.test(host) &&
    isIP(host) === 0;
  if (ok) return undefined;
  return `${field}: ${JSON.stringify(host)} is not a DNS host name; give the name only, like vantagepoint.example.com (no https://, no path)`;
}

/** A versionless Key Vault secret id (https://<vault>.vault.azure.net/secrets/<name>), or a sentence why not. */
export function certificateSecretIdProblem(id: string, field = "certificateSecretId"): string | undefined {
  const m =
    /^https:\/\/([a-z0-9-]+)\.vault\.(azure\.net|azure\.cn|usgovcloudapi\.net)\/secrets\/([A-Za-z0-9-]+)(\/[^/]*)?\/?$/i.exec(
      id,
    );
  if (!m) {
    return `${field}: ${JSON.stringify(id)} is not a Key Vault secret id; expected https://<vault>.vault.azure.net/secrets/<certificate name>`;
  }
  if (m[4] && m[4] !== "/") {
    return `${field}: ${JSON.stringify(id)} names one version; drop the version (https://${m[1]}.vault.${m[2]}/secrets/${m[3]}) so renewed certificates roll out`;
  }
  return undefined;
}
