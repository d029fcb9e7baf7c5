/**
 * The name of an internal-CA root on the gateway: one rule (lib/values/fields.ts) for the stack config
 * (`vpconnect:site.backend.trustedRootCertificates[].name`) and ConnectSite's args (`backend.trustedRootCertificates[].name`).
 */
import assert from "node:assert/strict";
import { siteSchema } from "../../lib/config/siteSections";
import { siteArgsSchema } from "../../lib/site/argsSchema";
import { trustedRootName } from "../../lib/values/fields";

const MESSAGE = "must be 1-80 letters, digits, '.', '_' or '-'";

describe("trusted root certificate name (one rule for stack config and args)", () => {
  it("takes 1-80 letters, digits, '.', '_' or '-', starting with a letter or digit", () => {
    for (const ok of ["a", "9", "contoso-root.ca_2026", `r${"x".repeat(79)}`]) {
      assert.equal(trustedRootName.safeParse(ok).success, true, ok);
    }
  });

  it("refuses an empty name, a leading '-', '.' or '_', a space, and 81 characters, saying what it takes", () => {
    for (const bad of ["", "-root", ".root", "_root", "root ca", "root/ca", `r${"x".repeat(80)}`]) {
      const r = trustedRootName.safeParse(bad);
      assert.equal(r.success, false, bad);
      assert.deepEqual(
        r.error.issues.map((i) => i.message),
        [MESSAGE],
        bad,
      );
    }
  });

  it("is the rule the stack config and ConnectSite's args both apply to the name", () => {
    const nameIssues = (r: {
      success: boolean;
      error?: { issues: { path: PropertyKey[]; message: string }[] };
    }) =>
      (r.error?.issues ?? [])
        .filter((i) => i.path.at(-1) === "name")
        .map((i) => `${i.path.join(".")}: ${i.message}`);
    const stack = siteSchema.shape.backend.safeParse({
      address: "10.0.0.4",
      trustedRootCertificates: [{ name: "-root", pem: "not a certificate" }],
    });
    const args = siteArgsSchema.shape.backend.safeParse({
      address: "10.0.0.4",
      trustedRootCertificates: [{ name: "-root", data: "MIIB" }],
    });
    assert.deepEqual(nameIssues(stack), [`trustedRootCertificates.0.name: ${MESSAGE}`]);
    assert.deepEqual(nameIssues(args), [`trustedRootCertificates.0.name: ${MESSAGE}`]);
  });
});
