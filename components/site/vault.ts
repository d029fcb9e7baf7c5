/** ConnectSite's Key Vault for the certificate and the app secrets (a ConnectKeyVault, created or existing). */
import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import { siteVaultId } from "../../lib/secretExpiry";
import { ConnectKeyVault } from "../connectKeyVault";
import type { ConnectSiteArgs } from "./args";

/** The Key Vault for the certificate and the app secrets: created here, or an existing one. */
export function keyVault(
  name: string,
  args: ConnectSiteArgs,
  resourceGroupName: pulumi.Output<string>,
  gatewaySubnetId: pulumi.Output<string>,
  tags: Record<string, pulumi.Input<string>>,
  parent: pulumi.Resource,
): ConnectKeyVault {
  const kv = args.tls.keyVault;
  const certificate = {
    source: args.tls.certificateSource ?? "keyVault",
    pfx: args.tls.pfx,
    expiresOn: args.tls.certificateExpiresOn,
    field: "tls.certificateName",
  } as const;
  return new ConnectKeyVault(
    `${name}-vault`,
    kv.create
      ? {
          namePrefix: args.namePrefix,
          vaultName: kv.name,
          uniqueName: kv.uniqueName,
          nameSuffix: kv.nameSuffix,
          firewall: kv.firewall,
          gatewaySubnetId,
          resourceGroupName,
          location: args.location,
          tenantId: args.tenantId,
          certificate: { ...certificate, name: args.tls.certificateName },
          lock: args.locks,
          tags,
        }
      : {
          namePrefix: args.namePrefix,
          existing: { vaultName: kv.name, resourceGroupName: kv.resourceGroupName ?? resourceGroupName },
          gatewaySubnetId,
          certificate: { ...certificate, name: args.tls.certificateName },
          tags,
        },
    { parent },
  );
}

/**
 * The vault id the site's Entra apps write their client secrets to: the vault's id as Azure gives it, or, when the
 * id is not an Azure resource id (plain Pulumi mocks answer `<name>_id`), the same vault's id built from what the
 * site knows: the subscription (getClientConfig), the resource group the vault was created in or found in, and the
 * vault's name. Always derived from the vault's id, so the secrets wait for the vault.
 */
export function appsVaultId(
  args: ConnectSiteArgs,
  vault: ConnectKeyVault,
  parent: pulumi.Resource,
): pulumi.Output<string> {
  const kv = args.tls.keyVault;
  const group = kv.create ? args.resourceGroup.name : (kv.resourceGroupName ?? args.resourceGroup.name);
  const subscriptionId = authorization.getClientConfigOutput({ parent }).subscriptionId;
  return pulumi
    .all([vault.vaultId, subscriptionId, group, vault.vaultName])
    .apply(([id, subscription, resourceGroupName, vaultName]) =>
      siteVaultId(id, { subscriptionId: subscription, resourceGroupName, vaultName }),
    );
}
