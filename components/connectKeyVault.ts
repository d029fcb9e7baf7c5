/**
 * ConnectKeyVault: the Key Vault that holds the gateway's TLS certificate and the Entra client secrets. Either
 * an existing vault (looked up by name and resource group) or a new one with RBAC authorization, soft delete
 * and purge protection.
 */
import * as pulumi from "@pulumi/pulumi";
import * as keyvault from "@pulumi/azure-native/keyvault";
import * as authorization from "@pulumi/azure-native/authorization";
import { defaultVaultName, existingVaultAccessProblem, vaultNameProblem } from "../lib/keyVault";

/** Soft-delete retention for a created vault (the maximum Azure allows). */
export const SOFT_DELETE_RETENTION_DAYS = 90;

export interface ExistingVault {
  /** The vault's name. */
  vaultName: pulumi.Input<string>;
  /** Its resource group. */
  resourceGroupName: pulumi.Input<string>;
}

export interface ConnectKeyVaultArgs {
  /** Use this vault instead of creating one (nothing is created then). */
  readonly existing?: ExistingVault;
  /** Prefix for the created vault's name when `vaultName` is not given (default the component's name). */
  readonly namePrefix?: string;
  /** Name of the vault to create (3-24 characters, global across Azure); default `<namePrefix>-kv`. */
  readonly vaultName?: string;
  /** Resource group for the created vault (required unless `existing`). */
  readonly resourceGroupName?: pulumi.Input<string>;
  /** Azure region for the created vault (required unless `existing`). */
  readonly location?: pulumi.Input<string>;
  /** Entra tenant of the created vault; default the tenant Pulumi deploys with. */
  readonly tenantId?: pulumi.Input<string>;
  /** Azure tags for the created vault. */
  readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/** The Key Vault for the TLS certificate and the Entra client secrets: an existing one, or a new one on Azure RBAC. */
export class ConnectKeyVault extends pulumi.ComponentResource {
  /** The vault's Azure resource id. */
  declare public readonly vaultId: pulumi.Output<string>;
  /** https://<name>.vault.azure.net/ */
  declare public readonly vaultUri: pulumi.Output<string>;
  /** The vault's name. */
  declare public readonly vaultName: pulumi.Output<string>;
  /** The vault's resource group. */
  declare public readonly resourceGroupName: pulumi.Output<string>;

  constructor(name: string, args: ConnectKeyVaultArgs, opts?: pulumi.ComponentResourceOptions) {
    super("vantagepoint-connect:index:ConnectKeyVault", name, {}, opts);
    const found = args.existing ? useExisting(args.existing, this) : createVault(name, args, this);
    this.vaultId = found.vaultId;
    this.vaultUri = found.vaultUri;
    this.vaultName = found.vaultName;
    this.resourceGroupName = found.resourceGroupName;
    this.registerOutputs({ ...found });
  }
}

interface VaultOutputs {
  vaultId: pulumi.Output<string>;
  vaultUri: pulumi.Output<string>;
  vaultName: pulumi.Output<string>;
  resourceGroupName: pulumi.Output<string>;
}

function useExisting(existing: ExistingVault, parent: pulumi.Resource): VaultOutputs {
  if (typeof existing.vaultName === "string") {
    const problem = vaultNameProblem(existing.vaultName, "existing.vaultName");
    if (problem) throw new Error(problem);
  }
  const vault = keyvault.getVaultOutput(
    { vaultName: existing.vaultName, resourceGroupName: existing.resourceGroupName },
    { parent },
  );
  // The gateway's identity gets an Azure role on the vault: a vault on access policies would ignore it.
  const vaultId = pulumi
    .all([vault.id, vault.properties, existing.vaultName])
    .apply(([id, properties, vaultName]) => {
      const problem = existingVaultAccessProblem(vaultName, properties, "existing.vaultName");
      if (problem) throw new Error(problem);
      return id;
    });
  return {
    vaultId,
    vaultUri: vault.properties.apply((p) => p.vaultUri ?? ""),
    vaultName: pulumi.output(existing.vaultName),
    resourceGroupName: pulumi.output(existing.resourceGroupName),
  };
}

function createVault(name: string, args: ConnectKeyVaultArgs, parent: pulumi.Resource): VaultOutputs {
  if (args.resourceGroupName === undefined || args.location === undefined) {
    throw new Error(
      "resourceGroupName and location are required to create a Key Vault; give them, or name an existing vault under existing",
    );
  }
  const vaultName = args.vaultName ?? defaultVaultName(args.namePrefix ?? name);
  const problem = vaultNameProblem(
    vaultName,
    args.vaultName === undefined ? "namePrefix (vault name <namePrefix>-kv)" : "vaultName",
  );
  if (problem) throw new Error(problem);
  const tenantId = args.tenantId ?? authorization.getClientConfigOutput({ parent }).tenantId;
  const vault = new keyvault.Vault(
    `${name}-vault`,
    {
      resourceGroupName: args.resourceGroupName,
      location: args.location,
      vaultName,
      properties: {
        tenantId,
        sku: { family: "A", name: "standard" },
        enableRbacAuthorization: true,
        enableSoftDelete: true,
        enablePurgeProtection: true,
        softDeleteRetentionInDays: SOFT_DELETE_RETENTION_DAYS,
      },
      tags: args.tags,
    },
    { parent },
  );
  return {
    vaultId: vault.id,
    vaultUri: vault.properties.apply((p) => p.vaultUri ?? `https://${vaultName}.vault.azure.net/`),
    vaultName: pulumi.output(vaultName),
    resourceGroupName: pulumi.output(args.resourceGroupName),
  };
}
