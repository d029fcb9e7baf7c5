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
  frontendIpV6: "public-frontend-v6",
  httpsListenerV6: "https-listener-v6",
  httpListenerV6: "http-listener-v6",
  redirectV6: "http-to-https-v6",
  httpsRuleV6: "https-rule-v6",
  httpRuleV6: "http-redirect-rule-v6",
} as const;

/** Routing rule priorities (1-20000, lower first). */
export const RULE_PRIORITIES = { https: 100, httpRedirect: 200, httpsV6: 110, httpRedirectV6: 210 } as const;

/**
 * Default seconds between granting the gateway's identity "Key Vault Secrets User" and creating the gateway. Azure
 * role assignments take minutes to apply (Microsoft documents delays of up to 10 minutes); a gateway created before
 * then fails with ApplicationGatewayKeyVaultSecretException. Nothing outside the gateway can observe the moment its
 * identity may read the vault, so the wait is bounded and the re-run path is explicit: the grant (and everything
 * else) is kept, and a second `pulumi up` retries only the gateway (README, "Your first pulumi up").
 */
export const KEY_VAULT_GRANT_WAIT_SECONDS = 180;

/**
 * The grant wait, as a Node.js script for `local.Command` (node runs the program, so it is on the deploying machine).
 * It waits until the role assignment is VPC_GRANT_WAIT_SECONDS old, measured from its `createdOn` (so a re-created
 * command after a long pause does not wait again), and says what to do if the gateway still cannot read the vault.
 */
export const GRANT_WAIT_SCRIPT = [
  "const wait = Number(process.env.VPC_GRANT_WAIT_SECONDS || 0) * 1000;",
  "const created = Date.parse(process.env.VPC_GRANT_CREATED_ON || '') || Date.now();",
  "const left = Math.max(0, Math.min(wait, created + wait - Date.now()));",
  "console.log(`waiting ${Math.round(left / 1000)} s for the Key Vault role assignment to apply; if the gateway then fails with ApplicationGatewayKeyVaultSecretException, run pulumi up again in a few minutes (only the gateway is retried)`);",
  "setTimeout(() => {}, left);",
].join(" ");

/** Log categories of an Application Gateway v2 diagnostic setting: access and WAF logs (Microsoft: Application Gateway monitoring data reference). */
export const GATEWAY_LOG_CATEGORIES = [
  "ApplicationGatewayAccessLog",
  "ApplicationGatewayFirewallLog",
] as const;

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

/** The parts of a virtual network's resource id (/subscriptions/<s>/resourceGroups/<g>/providers/Microsoft.Network/virtualNetworks/<n>). */
export function parseVirtualNetworkId(
  id: string,
  field = "hub.virtualNetworkId",
): { subscriptionId: string; resourceGroupName: string; name: string } {
  const m =
    /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Network\/virtualNetworks\/([^/]+)$/i.exec(
      id.trim(),
    );
  if (!m) {
    throw new Error(
      `${field}: ${JSON.stringify(id)} is not a virtual network resource id; expected /subscriptions/<subscription id>/resourceGroups/<group>/providers/Microsoft.Network/virtualNetworks/<name>`,
    );
  }
  return { subscriptionId: m[1]!, resourceGroupName: m[2]!, name: m[3]! };
}
