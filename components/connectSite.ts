/**
 * ConnectSite: everything one Vantagepoint site needs for Vantagepoint Connect, from typed args (the bundled
 * program maps its stack config to them in program/siteArgs.ts). The constructor only wires; each concern is a
 * small function in components/site/ (args, check, network, vault, gateway, apps, vantagepointSide) or a
 * component of its own.
 */
import * as pulumi from "@pulumi/pulumi";
import { ConnectAllowList } from "./connectAllowList";
import type { ConnectSiteArgs } from "./site/args";
import { checkSiteArgs } from "./site/check";
import { gateway, siteVerification } from "./site/gateway";
import { gatewaySubnet, resourceGroup } from "./site/network";
import { loginApp, mailboxApp } from "./site/apps";
import { throughPublicUrl, vantagepointSide } from "./site/vantagepointSide";
import { appsVaultId, keyVault } from "./site/vault";

export * from "./site/args";
export { checkSiteArgs, dynamicResourcesProblem } from "./site/check";
export type { SiteHost } from "./site/check";
export { rosterInStableOrder } from "./site/vantagepointSide";

/** Everything one Vantagepoint site needs for Vantagepoint Connect: public HTTPS endpoint, allow list, Key Vault, Entra apps, roster, admin role and Connect API client. */
export class ConnectSite extends pulumi.ComponentResource {
  /** https://host/path: the URL to give Connect (P1). */
  declare public readonly publicUrl: pulumi.Output<string>;
  /** The gateway's public IP (for the DNS record when it is not managed here). */
  declare public readonly publicIp: pulumi.Output<string>;
  /** The allow list as enforced: the minimal CIDR cover of Connect's and the extra ranges (P2). */
  declare public readonly allowedRanges: pulumi.Output<string[]>;
  /** Client ID of the Entra login app ("Server Client ID" in Vantagepoint's Active Directory settings), if any (P7). */
  declare public readonly loginAppClientId: pulumi.Output<string | undefined>;
  /** Client ID of the Connect mailbox app, if any (P8). */
  declare public readonly mailboxAppClientId: pulumi.Output<string | undefined>;
  /** The Key Vault holding the certificate and the app secrets. */
  declare public readonly keyVaultUri: pulumi.Output<string>;
  /** Client ID of the Connect API Authorization Vantagepoint generated (P6), when the Vantagepoint side is managed here. */
  declare public readonly connectClientId: pulumi.Output<string | undefined>;
  /** Its secret, when supplied in config (a Pulumi secret). */
  declare public readonly connectClientSecret: pulumi.Output<string | undefined>;
  /** People seeded for Connect: configurer plus users (P4, P5). */
  declare public readonly connectUsers: pulumi.Output<number>;
  /** The deploy-time verification's report, when verification is on. */
  declare public readonly verificationReport: pulumi.Output<string | undefined>;

  constructor(name: string, args: ConnectSiteArgs, opts?: pulumi.ComponentResourceOptions) {
    const argsChecked = checkSiteArgs(name, args); // before super(): bad input registers nothing
    super("vantagepoint-connect:index:ConnectSite", name, {}, opts);
    const tags = { ...args.tags, "managed-by": "vantagepoint-connect" };
    const resourceGroupName = resourceGroup(name, args, tags, this);

    const allowList = new ConnectAllowList(
      `${name}-allow-list`,
      {
        connectIps: args.allowList.connectIps,
        extraRanges: args.allowList.extraRanges,
        enforceAt: args.allowList.enforceAt,
        allowPrivateRanges: args.allowList.allowPrivateRanges,
        audience: args.allowList.audience,
        waf: args.allowList.waf,
        resourceGroupName,
        location: args.location,
        namePrefix: args.namePrefix,
        tags,
      },
      { parent: this },
    );

    const gatewaySubnetId = gatewaySubnet(name, args, resourceGroupName, allowList.nsgId, tags, this);
    // After the subnet: a created vault may admit it, an existing one must.
    const vault = keyVault(name, args, resourceGroupName, gatewaySubnetId, tags, this);
    const endpoint = gateway(
      name,
      args,
      { resourceGroupName, gatewaySubnetId, allowList, vault },
      tags,
      this,
    );
    const appsVault = args.loginApp || args.mailboxApp ? appsVaultId(args, vault, this) : undefined;
    const login = appsVault && loginApp(name, args, endpoint, appsVault, tags, this);
    const mailbox = appsVault && mailboxApp(name, args, appsVault, tags, this);
    const verification = siteVerification(name, args, endpoint, vault.certificateSecretId, this);

    // Through the public URL, the Vantagepoint API answers only once the gateway, its DNS record and the
    // verification are done; reached internally, it must not wait for them.
    const waitFor = throughPublicUrl(args) ? [endpoint, ...(verification ? [verification] : [])] : [];
    const vantagepoint = args.vantagepoint
      ? vantagepointSide(name, args.vantagepoint, this, waitFor)
      : undefined;

    this.publicUrl = endpoint.publicUrl;
    this.publicIp = endpoint.publicIp;
    this.allowedRanges = allowList.effectiveRanges;
    this.loginAppClientId = login
      ? login.applicationId.apply((id): string | undefined => id)
      : pulumi.output(undefined);
    this.mailboxAppClientId = mailbox
      ? mailbox.applicationId.apply((id): string | undefined => id)
      : pulumi.output(undefined);
    this.keyVaultUri = vault.vaultUri;
    this.connectClientId = vantagepoint
      ? vantagepoint.apiClient.clientId.apply((id): string | undefined => id)
      : pulumi.output(undefined);
    this.connectClientSecret = vantagepoint ? vantagepoint.apiClient.clientSecret : pulumi.output(undefined);
    this.connectUsers = pulumi.output(args.vantagepoint?.roster.length ?? 0);
    this.verificationReport = verification
      ? verification.report.apply((r): string | undefined => r)
      : pulumi.output(undefined);
    this.registerOutputs({
      publicUrl: this.publicUrl,
      publicIp: this.publicIp,
      allowedRanges: this.allowedRanges,
      loginAppClientId: this.loginAppClientId,
      mailboxAppClientId: this.mailboxAppClientId,
      keyVaultUri: this.keyVaultUri,
      connectClientId: this.connectClientId,
      connectClientSecret: this.connectClientSecret,
      connectUsers: this.connectUsers,
      verificationReport: this.verificationReport,
      argsChecked,
    });
  }
}
