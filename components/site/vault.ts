/** ConnectSite's Key Vault for the certificate and the app secrets (a ConnectKeyVault, created or existing). */
import type * as pulumi from "@pulumi/pulumi";
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
