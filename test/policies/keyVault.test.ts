import * as assert from "node:assert/strict";
import { keyvaultPurgeProtection } from "../../policies/keyVault";
import { vault } from "./fixtures";
import { assertHasViolation, assertNoViolations } from "./util";

describe("keyvault-purge-protection", () => {
  it("passes the ConnectKeyVault vault", async () => {
    await assertNoViolations(keyvaultPurgeProtection, vault());
  });

  it("fails without purge protection, at advisory level", async () => {
    const v = vault();
    delete v.props.properties.enablePurgeProtection;
    const hit = await assertHasViolation(keyvaultPurgeProtection, v, "must enable purge protection");
    assert.equal(hit.level, "advisory");
  });

  it("fails with soft delete turned off", async () => {
    const v = vault();
    v.props.properties.enableSoftDelete = false;
    await assertHasViolation(keyvaultPurgeProtection, v, "must keep soft delete on");
  });

  it("fails access-policy authorization", async () => {
    const v = vault();
    v.props.properties.enableRbacAuthorization = false;
    await assertHasViolation(keyvaultPurgeProtection, v, "must use RBAC authorization");
  });

  it("can be made mandatory by policy config", async () => {
    const v = vault();
    v.props.properties.enableRbacAuthorization = false;
    const hit = await assertHasViolation(keyvaultPurgeProtection, v, "RBAC", {
      config: { enforcementLevel: "mandatory" },
    });
    assert.equal(hit.level, "mandatory");
  });
});
