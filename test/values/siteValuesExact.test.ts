/**
 * Exact answers of lib/values/siteValues.ts for what people paste by mistake (issue 23: the mutants that survived
 * the stack and args suites): a file name or a truncated copy where base64 is wanted, a PFX as  wraps it, a
 * PFX at the Key Vault size limit, a server certificate whose subject has several parts.
 */
import assert from "node:assert/strict";
import {
  KEY_VAULT_SECRET_MAX_BYTES,
  pfxProblem,
  trustedRootDataProblem,
  trustedRootProblem,
} from "../../lib/values/siteValues";
import { ROOT_CA_DER_BASE64 } from "../support/rootCertificates";

const DATA_FIX =
  "give the root CA certificate of the internal CA that signed the server's certificate, base64 DER (openssl x509 -in root.cer -outform der | base64 -w0)";
const PEM_FIX =
  "paste the root CA certificate of the internal CA that signed the server's certificate, PEM (export it as Base-64 X.509 .cer)";
const PFX_FIX =
  "set it with pulumi config set --secret --path 'vpconnect:tls.pfx' \"$(base64 -w0 certificate.pfx)\"";

/**
 * A server's own certificate (basicConstraints CA:FALSE) whose subject has three parts, as a corporate CA issues it:
 * "C=US, O=Example Corp, CN=vp-web.corp.example" (self-signed with openssl, EC P-256, valid to 2126-11-13; key thrown
 * away), base64 DER.
 */
const SERVER_CERT_3_PART_DER_BASE64 =
  "MIIB2DCCAX6gAwIBAgIUPIz9Q+ygk7g5uu9Gv6Mi3tnhIQ4wCgYIKoZIzj0EAwIwQjELMAkGA1UEBhMCVVMxFTATBgNVBAoMDEV4YW1wbGUgQ29ycDEcMBoGA1UEAwwTdnAtd2ViLmNvcnAuZXhhbXBsZTAgFw0yNjEyMDcwNTM5NTJaGA8yMTI2MTExMzA1Mzk1MlowQjELMAkGA1UEBhMCVVMxFTATBgNVBAoMDEV4YW1wbGUgQ29ycDEcMBoGA1UEAwwTdnAtd2ViLmNvcnAuZXhhbXBsZTBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABIrK+TKWxZ1iek+UOk0Oy10HBJPW9bKAHNSBqUu8ys4BSlrRmKNpsoFhgg43wzZDTwo+aQdefHb+muPG4S+tqFejUDBOMB0GA1UdDgQWBBSWb/hE39AtLUYhT7RUvKE2ALrfWjAfBgNVHSMEGDAWgBSWb/hE39AtLUYhT7RUvKE2ALrfWjAMBgNVHRMBAf8EAjAAMAoGCCqGSM49BAMCA0gAMEUCIHGqt+y74lksZIynwla7LklQ2YXl2SRgR2l6a0xFmesOAiEAkf+pwNeFuyLJoRdWQqg3PyyyTZ/LmxSDfJpYUWP3CQQ=";
const SERVER_CERT_3_PART_PEM = `-----BEGIN CERTIFICATE-----
MIIB2DCCAX6gAwIBAgIUPIz9Q+ygk7g5uu9Gv6Mi3tnhIQ4wCgYIKoZIzj0EAwIw
QjELMAkGA1UEBhMCVVMxFTATBgNVBAoMDEV4YW1wbGUgQ29ycDEcMBoGA1UEAwwT
dnAtd2ViLmNvcnAuZXhhbXBsZTAgFw0yNjEyMDcwNTM5NTJaGA8yMTI2MTExMzA1
Mzk1MlowQjELMAkGA1UEBhMCVVMxFTATBgNVBAoMDEV4YW1wbGUgQ29ycDEcMBoG
A1UEAwwTdnAtd2ViLmNvcnAuZXhhbXBsZTBZMBMGByqGSM49AgEGCCqGSM49AwEH
A0IABIrK+TKWxZ1iek+UOk0Oy10HBJPW9bKAHNSBqUu8ys4BSlrRmKNpsoFhgg43
wzZDTwo+aQdefHb+muPG4S+tqFejUDBOMB0GA1UdDgQWBBSWb/hE39AtLUYhT7RU
vKE2ALrfWjAfBgNVHSMEGDAWgBSWb/hE39AtLUYhT7RUvKE2ALrfWjAMBgNVHRMB
Af8EAjAAMAoGCCqGSM49BAMCA0gAMEUCIHGqt+y74lksZIynwla7LklQ2YXl2SRg
R2l6a0xFmesOAiEAkf+pwNeFuyLJoRdWQqg3PyyyTZ/LmxSDfJpYUWP3CQQ=
-----END CERTIFICATE-----
`;

/** A PKCS#12 file starts with a DER SEQUENCE (0x30); the rest is not read without the password. */
function pfxBase64(characters: number): string {
  const bytes = Buffer.alloc((characters / 4) * 3, 0x41);
  bytes[0] = 0x30;
  bytes[1] = 0x82;
  const text = bytes.toString("base64");
  assert.equal(text.length, characters);
  return text;
}

describe("site values, exact answers (issue 23)", () => {
  it("names every part of a server certificate's subject, comma-separated, for PEM and for data", () => {
    const subject = "C=US, O=Example Corp, CN=vp-web.corp.example";
    assert.equal(
      trustedRootDataProblem(SERVER_CERT_3_PART_DER_BASE64),
      `is not a CA certificate (${subject}): it looks like the server's own certificate; ${DATA_FIX}`,
    );
    assert.equal(
      trustedRootProblem(SERVER_CERT_3_PART_PEM),
      `is not a CA certificate (${subject}): it looks like the server's own certificate; ${PEM_FIX}`,
    );
  });

  it("refuses a file name of whole base64 blocks and a truncated copy as not base64, not as a broken certificate", () => {
    // 16 characters: a multiple of 4, base64 letters at both ends ("corp", "cer").
    assert.equal(trustedRootDataProblem("corp-root-ca.cer"), `is not base64; ${DATA_FIX}`);
    assert.equal(trustedRootDataProblem("corp/root.ca.cer"), `is not base64; ${DATA_FIX}`);
    // The last character lost in the copy: base64 letters only, but not whole blocks.
    assert.equal(trustedRootDataProblem(ROOT_CA_DER_BASE64.slice(0, -1)), `is not base64; ${DATA_FIX}`);
    assert.equal(trustedRootDataProblem(ROOT_CA_DER_BASE64.slice(0, -3)), `is not base64; ${DATA_FIX}`);
  });

  it("takes a PFX as base64 wraps it (76 characters a line, CRLF from Windows too); refuses a truncated one", () => {
    const pfx = pfxBase64(2000);
    assert.equal(pfxProblem(pfx), undefined);
    assert.equal(pfxProblem(pfx.replace(/(.{76})/g, "$1\n")), undefined);
    assert.equal(pfxProblem(`${pfx.replace(/(.{76})/g, "$1\r\n")}\r\n`), undefined);
    assert.equal(pfxProblem(pfx.slice(0, -1)), `is not base64; ${PFX_FIX}`);
    assert.equal(pfxProblem(pfx.slice(0, -2)), `is not base64; ${PFX_FIX}`);
  });

  it("tells the stack's user how to set the PFX when no other fix is given", () => {
    assert.equal(pfxProblem("certificate.pfx"), `is not base64; ${PFX_FIX}`);
    assert.equal(pfxProblem("QUJD"), `is not a PFX (PKCS#12) file; ${PFX_FIX}`);
  });

  it("takes a PFX of exactly the Key Vault secret limit (25 KB of base64) and refuses one block more", () => {
    assert.equal(KEY_VAULT_SECRET_MAX_BYTES, 25600);
    assert.equal(pfxProblem(pfxBase64(25600)), undefined);
    assert.equal(
      pfxProblem(pfxBase64(25604)),
      `is 25604 characters; a Key Vault secret holds at most 25 KB: drop unneeded chain certificates and ${PFX_FIX}`,
    );
  });
});
