/**
 * Which stack-config key a policy's violations point at (SARIF regions, the auditor report): a policy's own
 * `configKey`, else this table for the project's pack, else its prerequisite's section. Pure.
 */
import { PREREQUISITES } from "./model";
import type { ReportPolicy } from "./model";

export const POLICY_CONFIG_KEYS: Readonly<Record<string, string>> = {
  "connect-public-url-https": "vpconnect:site.publicHostname",
  "nsg-gateway-infrastructure-rules": "vpconnect:azure.network",
  "connect-ips-allowed": "vpconnect:allowList.connectIps",
  "allow-list-no-any-source": "vpconnect:allowList.enforceAt",
  "connect-admin-role": "vpconnect:vantagepoint.adminRole",
  "connect-admin-linked": "vpconnect:roster.configurer",
  "connect-users-linked": "vpconnect:roster.users",
  "connect-api-client-protected": "vpconnect:vantagepoint.connectApiClient",
  "entra-login-redirect-matches-public-url": "vpconnect:entra.loginApp",
  "entra-secret-max-lifetime": "vpconnect:entra",
  "mailbox-app-least-privilege": "vpconnect:entra.mailboxApp",
  "appgw-waf-prevention": "vpconnect:allowList",
  "appgw-tls-1-2": "vpconnect:tls.sslPolicy",
  "nsg-no-open-management-ports": "vpconnect:allowList",
  "keyvault-purge-protection": "vpconnect:tls.keyVault",
};

export function configKeyFor(policy: Pick<ReportPolicy, "name" | "configKey" | "prerequisite"> | undefined): string | undefined {
  if (!policy) return undefined;
  return (
    policy.configKey ??
    POLICY_CONFIG_KEYS[policy.name] ??
    (policy.prerequisite ? PREREQUISITES.find((p) => p.id === policy.prerequisite)?.configKey : undefined)
  );
}
