/**
 * Site values the stack schema checks field by field: the route table and vault firewall modes, and the
 * certificate checks (trusted root PEM, PFX). Pure (no Pulumi import); lib/config/siteShape.ts re-exports them.
 *
 * Facts and their sources: shared/reference/azure-facts.md, "What makes a first `pulumi up` fail".
 */
import { X509Certificate } from "node:crypto";

/**
 * The gateway subnet's route table. Application Gateway v2 does not support forced tunnelling (a 0.0.0.0/0 route to
 * an appliance or learned over BGP); 0.0.0.0/0 to Internet, or gateway route propagation off, are the supported
 * shapes (Microsoft: Application Gateway infrastructure configuration, supported user-defined routes).
 */
export const ROUTE_TABLE_MODES = ["internetDefaultRoute", "noRoutePropagation", "none"] as const;
export type RouteTableMode = (typeof ROUTE_TABLE_MODES)[number];

/**
 * A created vault's firewall. "trustedServices": deny by default, Azure services bypass (Key Vault recognises
 * Application Gateway as a trusted service through its user-assigned identity, Microsoft: "TLS termination with Key
 * Vault certificates"); "gatewaySubnet": that plus a VNet rule for the gateway subnet (service endpoint
 * Microsoft.KeyVault on the subnet); "open": all networks.
 */
export const VAULT_FIREWALL_MODES = ["trustedServices", "gatewaySubnet", "open"] as const;
export type VaultFirewallMode = (typeof VAULT_FIREWALL_MODES)[number];

/** Key Vault secrets hold at most 25 KB (Microsoft: Key Vault service limits). */
export const KEY_VAULT_SECRET_MAX_BYTES = 25 * 1024;

/** The certificate's body as base64 DER (what Application Gateway's trustedRootCertificates[].data takes). */
export function pemToBase64Der(pem: string): string {
  return new X509Certificate(pem.trim()).raw.toString("base64");
}

/**
 * Why a trusted root certificate (PEM) cannot serve the gateway, or undefined. Application Gateway v2 trusts a
 * backend certificate signed by an internal CA only when that CA's certificate is uploaded as a trusted root
 * (Microsoft: "End-to-end TLS with Application Gateway v2").
 */
export function trustedRootProblem(pem: string, now = new Date()): string | undefined {
  const fix =
    "paste the root CA certificate of the internal CA that signed the server's certificate, PEM (export it as Base-64 X.509 .cer)";
  if (!/-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----/.test(pem)) {
    return `is not a PEM certificate ("-----BEGIN CERTIFICATE-----" ... "-----END CERTIFICATE-----"); ${fix}`;
  }
  if ((pem.match(/-----BEGIN CERTIFICATE-----/g) ?? []).length > 1) {
    return `holds more than one certificate; give one root per entry (${fix})`;
  }
  if (/PRIVATE KEY-----/.test(pem)) {
    return `contains a private key; never put a key here: ${fix}`;
  }
  return rootCertificateProblem(pem.trim(), now, fix);
}

/** Why a certificate (PEM text or DER bytes) cannot be a trusted root: it does not parse, is no CA, or expired. */
function rootCertificateProblem(certificate: string | Buffer, now: Date, fix: string): string | undefined {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certificate);
  } catch {
    return `does not parse as an X.509 certificate; ${fix}`;
  }
  if (!cert.ca) {
    return `is not a CA certificate (${cert.subject.replace(/\n/g, ", ")}): it looks like the server's own certificate; ${fix}`;
  }
  if (new Date(cert.validTo).getTime() < now.getTime()) {
    return `expired on ${new Date(cert.validTo).toISOString().slice(0, 10)}; ${fix}`;
  }
  return undefined;
}

/**
 * Why a trusted root given as Application Gateway takes it (`data`: the certificate base64, what ConnectSite's and
 * PublicEndpoint's args carry; the stack file gives PEM and the program converts it) cannot serve the gateway, or
 * undefined: the same checks as trustedRootProblem, on base64 DER or on a base64 PEM file (Microsoft's tools upload
 * the .cer file, DER or Base-64 X.509, base64-encoded: `az network application-gateway root-cert create --cert-file`,
 * `Add-AzApplicationGatewayTrustedRootCertificate -CertificateFile`).
 */
export function trustedRootDataProblem(data: string, now = new Date()): string | undefined {
  const fix =
    "give the root CA certificate of the internal CA that signed the server's certificate, base64 DER (openssl x509 -in root.cer -outform der | base64 -w0)";
  const compact = data.replace(/\s+/g, "");
  if (/-----BEGIN/.test(data)) return `is PEM text, not base64; ${fix}`;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact) || compact.length % 4 !== 0) return `is not base64; ${fix}`;
  const bytes = Buffer.from(compact, "base64");
  // A base64 PEM file, whatever precedes its first line (a BOM, openssl's "Bag Attributes", a key): the PEM rules,
  // which refuse a key or a second certificate anywhere in it.
  const text = bytes.toString("latin1");
  if (/-----BEGIN [A-Z0-9 ]+-----/.test(text)) {
    const problem = trustedRootProblem(text.replace(/^\xEF\xBB\xBF/, ""), now);
    return problem === undefined
      ? undefined
      : `(a base64 PEM file) ${problem.replace(/; paste the root CA.*$/, `; ${fix}`)}`;
  }
  // Otherwise DER, and nothing but one certificate: OpenSSL would read the first and ignore what follows.
  const problem = rootCertificateProblem(bytes, now, fix);
  if (problem !== undefined) return problem;
  if (bytes[0] !== 0x30 || new X509Certificate(bytes).raw.length !== bytes.length) {
    return `holds more than one certificate, or data after it; give one root per entry (${fix})`;
  }
  return undefined;
}

/**
 * Why a PFX (base64) cannot be imported as the gateway's Key Vault secret, or undefined. Checks what can be checked
 * without the password: base64, a DER SEQUENCE (PKCS#12 starts with one), and the Key Vault secret size limit.
 */
export function pfxProblem(
  base64: string,
  fix = "set it with pulumi config set --secret --path 'vpconnect:tls.pfx' \"$(base64 -w0 certificate.pfx)\"",
): string | undefined {
  const compact = base64.replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact) || compact.length % 4 !== 0) {
    return `is not base64; ${fix}`;
  }
  if (compact.startsWith("LS0tLS1CRUdJTi")) {
    return `is a PEM file in base64, not a PFX; convert it (openssl pkcs12 -export -in cert.pem -inkey key.pem -passout pass: -out certificate.pfx) and ${fix}`;
  }
  const bytes = Buffer.from(compact, "base64");
  if (bytes[0] !== 0x30) return `is not a PFX (PKCS#12) file; ${fix}`;
  if (compact.length > KEY_VAULT_SECRET_MAX_BYTES) {
    return `is ${compact.length} characters; a Key Vault secret holds at most 25 KB: drop unneeded chain certificates and ${fix}`;
  }
  return undefined;
}
