// Every policy of the pack, which prerequisite each one proves, and the pack's config schema and defaults.
// index.ts builds the PolicyPack from this list; tests and the offline evaluator import it directly.
import { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { allowListPolicies } from "./allowList";
import { entraPolicies } from "./entra";
import { keyVaultPolicies } from "./keyVault";
import { publicEndpointPolicies } from "./publicEndpoint";
import { vantagepointPolicies } from "./vantagepoint";

export { packConfigDefaults, packConfigSchema, schemaFor, defaultsFor } from "./config";
export type { PackConfig } from "./config";

/** A Connect prerequisite id (see the prerequisites reference), or "baseline" for general hygiene. */
export type Prerequisite = "P1" | "P2" | "P3" | "P4" | "P5" | "P6" | "P7" | "P8" | "baseline";

/** The pack's name, as index.ts registers it with the engine. */
export const packName = "vantagepoint-connect";

/** Every policy of the pack, in report order. */
export const policies: (ResourceValidationPolicy | StackValidationPolicy)[] = [
  ...publicEndpointPolicies,
  ...allowListPolicies,
  ...vantagepointPolicies,
  ...entraPolicies,
  ...keyVaultPolicies,
];

/** Policy name -> the prerequisite it proves. */
export const prerequisite: Readonly<Record<string, Prerequisite>> = {
  "connect-public-url-https": "P1",
  "nsg-gateway-infrastructure-rules": "P1",
  "connect-ips-allowed": "P2",
  "connect-ips-reviewed-copy": "P2",
  "allow-list-no-any-source": "P2",
  "connect-admin-role": "P3",
  "connect-admin-linked": "P4",
  "connect-users-linked": "P5",
  "connect-api-client-protected": "P6",
  "entra-login-redirect-matches-public-url": "P7",
  "entra-secret-max-lifetime": "P7",
  "mailbox-app-least-privilege": "P8",
  "appgw-waf-prevention": "baseline",
  "appgw-tls-1-2": "baseline",
  "nsg-no-open-management-ports": "baseline",
  "keyvault-purge-protection": "baseline",
};
