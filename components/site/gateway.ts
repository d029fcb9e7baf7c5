/**
 * ConnectSite's gateway side: the public endpoint with its Log Analytics workspace, and the deploy-time
 * verification that Connect can reach the site through it.
 */
import * as pulumi from "@pulumi/pulumi";
import * as operationalinsights from "@pulumi/azure-native/operationalinsights";
import { loginRedirectUri } from "../../lib/entra";
import type { ConnectAllowList } from "../connectAllowList";
import type { ConnectKeyVault } from "../connectKeyVault";
import { PublicEndpoint } from "../publicEndpoint";
import { SiteVerification } from "../siteVerification";
import type { ConnectSiteArgs } from "./args";

/** The public HTTPS endpoint (Application Gateway WAF_v2 and its public IPs), its logs going to `logWorkspace`. */
export function gateway(
  name: string,
  args: ConnectSiteArgs,
  inputs: {
    resourceGroupName: pulumi.Output<string>;
    gatewaySubnetId: pulumi.Output<string>;
    allowList: ConnectAllowList;
    vault: ConnectKeyVault;
  },
  tags: Record<string, pulumi.Input<string>>,
  parent: pulumi.Resource,
): PublicEndpoint {
  const { resourceGroupName, gatewaySubnetId, allowList, vault } = inputs;
  const diagnosticsWorkspaceId = logWorkspace(name, args, resourceGroupName, tags, parent);
  return new PublicEndpoint(
    `${name}-endpoint`,
    {
      resourceGroupName,
      location: args.location,
      namePrefix: args.namePrefix,
      publicHostname: args.publicHostname,
      vantagepointPath: args.vantagepointPath,
      backend: { ...args.backend, hostName: args.backend.hostName ?? args.publicHostname },
      gatewaySubnetId,
      wafPolicyId: allowList.wafPolicyId,
      // Resolves only after the PFX import or the existing certificate's check: the gateway comes after them.
      certificateSecretId: vault.certificateSecretId,
      keyVaultId: vault.vaultId,
      // A vault this stack does not own (a shared platform vault): the grant covers the certificate's secret only.
      ...(args.tls.keyVault.create ? {} : { keyVaultSecretName: args.tls.certificateName }),
      keyVaultGrantWaitSeconds: args.tls.grantWaitSeconds,
      sslPolicyName: args.tls.sslPolicy,
      dns: args.dns,
      httpListener: args.httpListener,
      ipv6: args.ipv6Frontend,
      zones: args.zones,
      locks: args.locks,
      diagnosticsWorkspaceId,
      tags,
    },
    { parent },
  );
}

/** The Log Analytics workspace for the gateway's logs: the given one, a new one, or none. */
function logWorkspace(
  name: string,
  args: ConnectSiteArgs,
  resourceGroupName: pulumi.Output<string>,
  tags: Record<string, pulumi.Input<string>>,
  parent: pulumi.Resource,
): pulumi.Input<string> | undefined {
  const d = args.diagnostics ?? {};
  if (d.enabled === false) return undefined;
  if (d.workspaceId !== undefined) return d.workspaceId;
  return new operationalinsights.Workspace(
    `${name}-logs`,
    {
      resourceGroupName,
      location: args.location,
      workspaceName: `${args.namePrefix}-logs`,
      sku: { name: "PerGB2018" },
      retentionInDays: d.retentionDays ?? 30,
      tags,
    },
    { parent },
  ).id;
}

/** The deploy-time verification, unless it is off. */
export function siteVerification(
  name: string,
  args: ConnectSiteArgs,
  endpoint: PublicEndpoint,
  certificateSecretId: pulumi.Output<string>,
  parent: pulumi.Resource,
): SiteVerification | undefined {
  const v = args.verification ?? {};
  if (v.mode === "off") return undefined;
  // The API root is not a secret even though the connection it comes from is.
  const connection = args.vantagepoint?.connection;
  const apiUrl = v.apiUrl ?? pulumi.unsecret(pulumi.output(connection!).apply((c) => c.url));
  return new SiteVerification(
    `${name}-verification`,
    {
      publicUrl: endpoint.publicUrl,
      apiUrl,
      loginUrl: v.loginUrl ?? endpoint.publicUrl.apply((url) => loginRedirectUri(url)),
      certificateMinDays: v.certificateMinDays ?? 21,
      reportOnly: v.mode === "report",
      publicIpAddress: endpoint.publicIp,
      // Connect to the gateway itself: with split DNS the public name resolves to the internal server here.
      connectAddress: endpoint.publicIp,
      certificateSecretId,
      backendAddress: args.backend.address,
    },
    { parent, dependsOn: [endpoint] },
  );
}
