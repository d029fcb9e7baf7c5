/**
 * lib/site/rules.ts's certificateRules with a PFX that is not one (issue 23: the PFX check survived the mutation run
 * of the suites without the component twins): a file name or a PEM where the PFX's base64 belongs is named at
 * tls.pfx with the fix as ConnectSite's caller passes it.
 */
import assert from "node:assert/strict";
import { certificateRules } from "../../lib/site/rules";
import { LIBRARY_CALLER } from "../../lib/site/view";
import type { ArgProblem, SiteView } from "../../lib/site/view";

const NOW = new Date("2026-12-06T12:00:00Z");
const lines = (problems: ArgProblem[]) => problems.map((p) => `${p.path}: ${p.message}`);
const IMPORT_FIX =
  'pass tls.pfx as a Pulumi secret, e.g. config.requireSecret(...) holding "$(base64 -w0 certificate.pfx)"';
const site = (pfx: string): SiteView => ({
  tls: { certificateSource: "pfx", keyVault: { create: true }, certificateExpiresOn: "2027-06-01", pfx },
});

describe("certificateRules: a PFX that is not one (exact answers)", () => {
  it("names a file name or a base64 PEM given as the PFX at tls.pfx, with the caller's fix", () => {
    assert.deepEqual(lines(certificateRules(site("certificate.pfx"), LIBRARY_CALLER, NOW)), [
      `tls.pfx: is not base64; ${IMPORT_FIX}`,
    ]);
    const pem = Buffer.from("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n").toString(
      "base64",
    );
    assert.deepEqual(lines(certificateRules(site(pem), LIBRARY_CALLER, NOW)), [
      `tls.pfx: is a PEM file in base64, not a PFX; convert it (openssl pkcs12 -export -in cert.pem -inkey key.pem -passout pass: -out certificate.pfx) and ${IMPORT_FIX}`,
    ]);
  });

  it("takes a PFX (a DER SEQUENCE, base64)", () => {
    assert.deepEqual(certificateRules(site("MIIKAAAA"), LIBRARY_CALLER, NOW), []);
  });
});
