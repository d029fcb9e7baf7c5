/**
 * ConnectKeyVault: the Key Vault that holds the gateway's TLS certificate and the Entra client secrets. Either
 * an existing vault (looked up by name and resource group; its permission model and firewall are read and a vault
 * the gateway could not read is refused with the fix) or a new one with RBAC authorization, soft delete, purge
 * protection and a firewall that admits trusted services (Application Gateway among them).
 *
 * The certificate comes before the gateway: pass `certificate` and the vault either imports a PFX as the secret
 * the gateway reads (content type application/x-pkcs12), or checks that the existing certificate is there. Use
 * `certificateSecretId` for the gateway's listener: it resolves only after the import or the check, so a gateway
 * that takes it is created after them (a gateway whose certificate it cannot read fails to create).
 */
import * as pulumi from "@pulumi/pulumi";
import * as keyvault from "@pulumi/azure-native/keyvault";
import * as authorization from "@pulumi/azure-native/authorization";
import * as random from "@pulumi/random";
import {
  certificateProbeVerdict,
  createdVaultNetworkAcls,
  defaultVaultName,
  existingCertificateVerdict,
  keyVaultTokenResource,
  existingVaultAccessProblem,
  existingVaultNetworkProblem,
  PFX_CONTENT_TYPE,
  uniqueVaultName,
  vaultNameProblem,
  VAULT_NAME_SUFFIX,
} from "../lib/keyVault";
import type { ExistingVaultNetworkProperties, ExistingVaultProperties } from "../lib/keyVault";
import { keyVaultArgsProblems } from "../lib/site/componentArgs";
import { checkArgs } from "./argsCheck";
import { lockResource } from "./locks";

/** A created vault's firewall. */
export const VaultFirewallMode = {
  TrustedServices: "trustedServices",
  GatewaySubnet: "gatewaySubnet",
  Open: "open",
} as const;
/** "trustedServices" (default), "gatewaySubnet" (plus a VNet rule) or "open". */
export type VaultFirewallMode = (typeof VaultFirewallMode)[keyof typeof VaultFirewallMode];

/** Where the TLS certificate comes from. */
export const CertificateSource = { KeyVault: "keyVault", Pfx: "pfx" } as const;
/** "keyVault" (an existing certificate, checked) or "pfx" (imported here). */
export type CertificateSource = (typeof CertificateSource)[keyof typeof CertificateSource];

/** Soft-delete retention for a created vault (the maximum Azure allows). */
export const SOFT_DELETE_RETENTION_DAYS = 90;

export interface ExistingVault {
  /** The vault's name. */
  vaultName: pulumi.Input<string>;
  /** Its resource group. */
  resourceGroupName: pulumi.Input<string>;
}

/** The TLS certificate the gateway reads from the vault. */
export interface ConnectKeyVaultCertificate {
  /** The Key Vault certificate (or secret) name. */
  readonly name: pulumi.Input<string>;
  /** "keyVault": it exists already (checked); "pfx": import `pfx` as that secret. */
  readonly source: CertificateSource;
  /** base64 PFX without a password (a Pulumi secret), with source "pfx". */
  readonly pfx?: pulumi.Input<string>;
  /** The certificate's expiry, YYYY-MM-DD, carried by the imported secret (with source "pfx"). */
  readonly expiresOn?: string;
  /** The config key to name in errors (default "certificate.name"). */
  readonly field?: string;
}

export interface ConnectKeyVaultArgs {
  /** Use this vault instead of creating one (nothing is created then). */
  readonly existing?: ExistingVault;
  /** Prefix for the created vault's name when `vaultName` is not given (default the component's name). */
  readonly namePrefix?: string;
  /** Name of the vault to create (3-24 characters, global across Azure); default `<namePrefix>-kv`. */
  readonly vaultName?: string;
  /** Add a random suffix (kept in state) to the created vault's name: a deleted vault's name stays reserved. */
  readonly uniqueName?: boolean;
  /**
   * With `uniqueName`: use this suffix instead of drawing one. A stack whose suffix came from an earlier version
   * (a local.Command) sets its current suffix here, or the vault would be replaced.
   */
  readonly nameSuffix?: string;
  /** Resource group for the created vault (required unless `existing`). */
  readonly resourceGroupName?: pulumi.Input<string>;
  /** Azure region for the created vault (required unless `existing`). */
  readonly location?: pulumi.Input<string>;
  /** Entra tenant of the created vault; default the tenant Pulumi deploys with. */
  readonly tenantId?: pulumi.Input<string>;
  /** Firewall of the created vault: "trustedServices" (default), "gatewaySubnet" (plus a VNet rule) or "open". */
  readonly firewall?: VaultFirewallMode;
  /** The gateway subnet: the VNet rule with firewall "gatewaySubnet", and what an existing vault must admit. */
  readonly gatewaySubnetId?: pulumi.Input<string>;
  /** The TLS certificate: imported here, or checked before anything uses `certificateSecretId`. */
  readonly certificate?: ConnectKeyVaultCertificate;
  /** A CanNotDelete lock on the created vault (default false). */
  readonly lock?: boolean;
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
  /** Versionless secret id of the certificate, known only once it is imported or found (empty without `certificate`). */
  declare public readonly certificateSecretId: pulumi.Output<string>;
  /**
   * What the deploy knows about the certificate: "imported" (PFX), "verified" (an existing one was seen), "unverified"
   * (it could not be seen: the deploy goes on, and a missing one fails the gateway's create), or "none".
   */
  declare public readonly certificateCheck: pulumi.Output<string>;

  constructor(name: string, args: ConnectKeyVaultArgs, opts?: pulumi.ComponentResourceOptions) {
    // Checked before super(): bad input registers nothing; every problem at once, named by arg.
    const argsChecked = checkArgs(
      "ConnectKeyVault",
      name,
      { ...args, namePrefix: args.namePrefix ?? name },
      keyVaultArgsProblems,
    );
    if (args.certificate) checkCertificate(args.certificate);
    super("vantagepoint-connect:index:ConnectKeyVault", name, {}, opts);
    const found = args.existing
      ? useExisting(args.existing, args.gatewaySubnetId, this)
      : createVault(name, { ...args, namePrefix: args.namePrefix ?? name }, this);
    this.vaultId = found.vaultId;
    this.vaultUri = found.vaultUri;
    this.vaultName = found.vaultName;
    this.resourceGroupName = found.resourceGroupName;
    const cert = args.certificate
      ? certificate(name, args.certificate, found, args.tags, this)
      : { secretId: pulumi.output(""), check: pulumi.output("none") };
    this.certificateSecretId = cert.secretId;
    this.certificateCheck = cert.check;
    this.registerOutputs({
      ...found,
      certificateSecretId: this.certificateSecretId,
      certificateCheck: this.certificateCheck,
      argsChecked,
    });
  }
}

interface VaultOutputs {
  vaultId: pulumi.Output<string>;
  vaultUri: pulumi.Output<string>;
  vaultName: pulumi.Output<string>;
  resourceGroupName: pulumi.Output<string>;
}

function checkCertificate(c: ConnectKeyVaultCertificate): void {
  const field = c.field ?? "certificate.name";
  if (typeof c.name === "string" && !/^[A-Za-z0-9-]{1,127}$/.test(c.name)) {
    throw new Error(
      `${field}: ${JSON.stringify(c.name)} is not a Key Vault object name (letters, digits, "-")`,
    );
  }
  if (c.source === "pfx" && c.pfx === undefined) {
    throw new Error(`${field}: source "pfx" needs the PFX (base64, without a password) in certificate.pfx`);
  }
  if (c.source === "pfx" && (c.expiresOn === undefined || Number.isNaN(Date.parse(c.expiresOn)))) {
    throw new Error(
      `${field}: source "pfx" needs certificate.expiresOn, the certificate's "valid to" date (YYYY-MM-DD)`,
    );
  }
}

/** A versionless secret id under the vault's URI. */
function secretIdOf(vaultUri: string, secretName: string): string {
  return `${vaultUri.replace(/\/?$/, "/")}secrets/${secretName}`;
}

/**
 * The certificate the gateway reads: a PFX imported as a secret (the id depends on the secret resource, so the
 * gateway waits for it), or an existing certificate looked for before the id resolves. Azure Resource Manager does
 * not show secrets behind certificates made with the certificates API (Key Vault team, MicrosoftDocs/azure-docs#11893),
 * so when ARM has no such secret the vault's data plane is asked (`GET certificates/<name>`, the certificate's public
 * part only): a certificate only both say is absent stops the deploy here, naming it; one that cannot be seen (no
 * role for the deploying identity, the vault firewall, no token) is "unverified": a warning, and the deploy goes on
 * (if it really is missing, the gateway's create fails with ApplicationGatewayKeyVaultSecretException).
 */
function certificate(
  name: string,
  c: ConnectKeyVaultCertificate,
  vault: VaultOutputs,
  tags: pulumi.Input<Record<string, pulumi.Input<string>>> | undefined,
  parent: pulumi.Resource,
): { secretId: pulumi.Output<string>; check: pulumi.Output<string> } {
  const field = c.field ?? "certificate.name";
  if (c.source === "pfx") {
    const secret = new keyvault.Secret(
      `${name}-certificate`,
      {
        resourceGroupName: vault.resourceGroupName,
        vaultName: vault.vaultName,
        secretName: c.name,
        properties: {
          value: pulumi.secret(pulumi.output(c.pfx!).apply((v) => v.replace(/\s+/g, ""))),
          contentType: PFX_CONTENT_TYPE,
          attributes: {
            enabled: true,
            expires: Math.floor(Date.parse(`${c.expiresOn}T23:59:59Z`) / 1000),
          },
        },
        tags,
      },
      // The vault id carries the existing vault's checks: nothing is imported into a vault the gateway cannot read.
      { parent, additionalSecretOutputs: ["properties"] },
    );
    const secretId = pulumi
      .all([vault.vaultUri, secret.name, vault.vaultId, c.name])
      .apply(([uri, , , secretName]) => secretIdOf(uri, secretName));
    return { secretId, check: pulumi.output("imported") };
  }
  const checked = pulumi
    .all([vault.vaultUri, vault.vaultName, vault.resourceGroupName, vault.vaultId, c.name])
    .apply(async ([uri, vaultName, resourceGroupName, , secretName]) => {
      const arm = await keyvault.getSecret({ vaultName, resourceGroupName, secretName }, { parent }).then(
        () => "present" as const,
        () => "absent" as const,
      );
      const probe = arm === "present" ? undefined : await probeCertificate(uri, secretName, parent);
      const verdict = existingCertificateVerdict(probe?.verdict ?? "unknown", arm);
      if (verdict === "missing") {
        throw new Error(
          `${field}: the Key Vault ${JSON.stringify(vaultName)} has no certificate ${JSON.stringify(secretName)} (the vault ${probe!.reason}, and Azure Resource Manager has no such secret); the gateway cannot be created without it. Import it (az keyvault certificate import --vault-name ${vaultName} --name ${secretName} --file certificate.pfx), or let this stack import a PFX (certificateSource pfx), then run pulumi up again`,
        );
      }
      if (verdict === "unverified") {
        pulumi.log.warn(
          `${field}: could not verify that the Key Vault ${JSON.stringify(vaultName)} holds the certificate ${JSON.stringify(secretName)}: Azure Resource Manager does not show secrets behind certificates, and the vault ${probe!.reason}. Going on; if it is missing, the gateway's create fails with ApplicationGatewayKeyVaultSecretException. To have it checked, give the deploying identity "Key Vault Certificate User" on the vault and a path through its firewall`,
          parent,
        );
      }
      return { id: secretIdOf(uri, secretName), verdict };
    });
  return { secretId: checked.apply((r) => r.id), check: checked.apply((r) => r.verdict) };
}

/**
 * Asks the vault's data plane whether the certificate exists: `GET {vault}/certificates/{name}` with a token for the
 * vault's resource from the deploying identity (azure-native getClientToken). Returns the verdict and, for messages,
 * what happened; never throws and never reads a secret's value.
 */
async function probeCertificate(
  vaultUri: string,
  name: string,
  parent: pulumi.Resource,
): Promise<{ verdict: "present" | "absent" | "unknown"; reason: string }> {
  try {
    const { token } = await authorization.getClientToken(
      { endpoint: keyVaultTokenResource(vaultUri) },
      { parent },
    );
    const url = `${vaultUri.replace(/\/?$/, "/")}certificates/${encodeURIComponent(name)}?api-version=7.4`;
    const res = await fetch(url, {
      headers: { Authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(15000),
    });
    await res.body?.cancel();
    return {
      verdict: certificateProbeVerdict(res.status),
      reason: `answered ${res.status} to GET certificates/${name}`,
    };
  } catch (error) {
    return { verdict: "unknown", reason: `could not be asked (${firstLine(error)})` };
  }
}

function firstLine(error: unknown): string {
  return String((error as Error)?.message ?? error)
    .split("\n")[0]!
    .slice(0, 200);
}

function useExisting(
  existing: ExistingVault,
  gatewaySubnetId: pulumi.Input<string> | undefined,
  parent: pulumi.Resource,
): VaultOutputs {
  if (typeof existing.vaultName === "string") {
    const problem = vaultNameProblem(existing.vaultName, "existing.vaultName");
    if (problem) throw new Error(problem);
  }
  const vault = keyvault
    .getVaultOutput(
      { vaultName: existing.vaultName, resourceGroupName: existing.resourceGroupName },
      { parent },
    )
    .apply((v) => {
      // Azure always answers with both; a plain Pulumi mock that does not answer this invoke returns {}.
      const missing = [v?.id ? "" : "id", v?.properties?.vaultUri ? "" : "properties.vaultUri"].filter(
        Boolean,
      );
      if (missing.length === 0) return v;
      throw new pulumi.RunError(
        `existing.vaultName: the invoke azure-native:keyvault:getVault answered without ${missing.join(" and ")}; under pulumi.runtime.setMocks answer it in call() with { id, name, properties: { vaultUri: "https://<name>.vault.azure.net/", enableRbacAuthorization: true } } (README: "Unit tests with plain mocks")`,
      );
    });
  // The gateway's identity gets an Azure role on the vault (a vault on access policies would ignore it), and reads
  // it over the network (a firewall that admits neither trusted services nor the gateway subnet keeps it out).
  const vaultId = pulumi
    .all([vault.id, vault.properties, existing.vaultName, gatewaySubnetId])
    .apply(([id, properties, vaultName, subnetId]) => {
      const problem =
        existingVaultAccessProblem(vaultName, properties as ExistingVaultProperties, "existing.vaultName") ??
        existingVaultNetworkProblem(
          vaultName,
          properties as ExistingVaultNetworkProperties,
          subnetId,
          "existing.vaultName",
        );
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

/**
 * A random suffix kept in state by @pulumi/random, the provider made for stable random values: drawn once, on
 * create; its inputs are constants (no keepers), so no other change of the stack draws a new one. A new suffix after
 * `pulumi destroy` keeps a purge-protected vault's reserved name from blocking the next deploy. With `nameSuffix`
 * (a suffix drawn by an earlier version's local.Command, or recorded after the first deploy) nothing is drawn.
 */
function vaultSuffix(
  name: string,
  nameSuffix: string | undefined,
  parent: pulumi.Resource,
): pulumi.Output<string> {
  if (nameSuffix !== undefined) return pulumi.output(nameSuffix);
  return new random.RandomString(`${name}-name-suffix`, { ...VAULT_NAME_SUFFIX }, { parent }).result;
}

function createVault(
  name: string,
  args: ConnectKeyVaultArgs & { namePrefix: string },
  parent: pulumi.Resource,
): VaultOutputs {
  // Placement, the name as written and a kept suffix were checked before anything registered (keyVaultArgsProblems).
  const baseName = args.vaultName ?? defaultVaultName(args.namePrefix);
  const resourceGroupName = args.resourceGroupName!;
  const vaultName: pulumi.Input<string> = args.uniqueName
    ? vaultSuffix(name, args.nameSuffix, parent).apply((suffix) => uniqueVaultName(baseName, suffix))
    : baseName;
  const tenantId = args.tenantId ?? authorization.getClientConfigOutput({ parent }).tenantId;
  const firewall = args.firewall ?? "trustedServices";
  const vault = new keyvault.Vault(
    `${name}-vault`,
    {
      resourceGroupName,
      location: args.location!,
      vaultName,
      properties: {
        tenantId,
        sku: { family: "A", name: "standard" },
        enableRbacAuthorization: true,
        enableSoftDelete: true,
        enablePurgeProtection: true,
        softDeleteRetentionInDays: SOFT_DELETE_RETENTION_DAYS,
        // Plain unless a VNet rule names the subnet: policies read the vault's properties in a first preview.
        networkAcls:
          firewall === "gatewaySubnet"
            ? pulumi
                .output(args.gatewaySubnetId)
                .apply((subnetId) => createdVaultNetworkAcls(firewall, subnetId))
            : createdVaultNetworkAcls(firewall),
      },
      tags: args.tags,
    },
    { parent },
  );
  if (args.lock) lockResource(`${name}-vault-lock`, vault.id, `${args.namePrefix}-kv`, parent);
  return {
    vaultId: vault.id,
    vaultUri: pulumi
      .all([vault.properties, vaultName])
      .apply(([p, n]) => p.vaultUri ?? `https://${n}.vault.azure.net/`),
    vaultName: pulumi.output(vaultName),
    resourceGroupName: pulumi.output(resourceGroupName),
  };
}
