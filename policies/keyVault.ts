// Policies on Key Vault.
import { ResourceValidationPolicy } from "@pulumi/policy";
import { TYPE } from "./lib/props";

/** Soft delete and purge protection on, RBAC authorization. */
export const keyvaultPurgeProtection: ResourceValidationPolicy = {
  name: "keyvault-purge-protection",
  description: "Key vaults must keep soft delete and purge protection on and use RBAC authorization.",
  enforcementLevel: "advisory",
  severity: "medium",
  tags: ["vantagepoint-connect", "baseline"],
  remediationSteps:
    "Set properties.enableSoftDelete, enablePurgeProtection and enableRbacAuthorization to true.",
  validateResource: (args, reportViolation) => {
    if (args.type !== TYPE.vault) return;
    const props = args.props.properties ?? {};
    if (props.enableSoftDelete === false) {
      reportViolation(`Key vault '${args.name}' must keep soft delete on (enableSoftDelete).`);
    }
    if (props.enablePurgeProtection !== true) {
      reportViolation(
        `Key vault '${args.name}' must enable purge protection (enablePurgeProtection: true) so a deleted secret cannot be purged.`,
      );
    }
    if (props.enableRbacAuthorization !== true) {
      reportViolation(
        `Key vault '${args.name}' must use RBAC authorization (enableRbacAuthorization: true) instead of access policies.`,
      );
    }
  },
};

/** The Key Vault policies. */
export const keyVaultPolicies = [keyvaultPurgeProtection];
