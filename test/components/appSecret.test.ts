import assert from "node:assert/strict";
import { checkAppSecret } from "../../components/appSecret";
import {
  MAX_SECRET_LIFETIME_DAYS,
  parseVaultId,
  secretExpiry,
  secretExpiryProblem,
  secretNameProblem,
} from "../../lib/secretExpiry";

const DAY = 86400;

describe("appSecret (pure date math)", () => {
  it("computes the end date from the rotation day and lifetime, deterministically", () => {
    const a = secretExpiry("2025-01-15", 730);
    assert.deepEqual(a, { endDate: "2027-01-15T00:00:00Z", expiresUnix: Date.UTC(2027, 0, 15) / 1000 });
    assert.deepEqual(
      secretExpiry("2025-01-15", 730),
      a,
      "same input, same output: re-running up does not rotate",
    );
    assert.equal(secretExpiry("2024-02-28", 2).endDate, "2024-03-01T00:00:00Z", "leap day counted");
    assert.equal(secretExpiry("2025-01-15", 1).expiresUnix - Date.UTC(2025, 0, 15) / 1000, DAY);
  });

  it("keeps the end date within 730 days of rotation", () => {
    const start = Date.UTC(2025, 5, 1) / 1000;
    const end = secretExpiry("2025-06-01", MAX_SECRET_LIFETIME_DAYS).expiresUnix;
    assert.equal((end - start) / DAY, 730);
    assert.throws(() => secretExpiry("2025-06-01", 731), /secretLifetimeDays: 731 .* 1 to 730/);
    assert.throws(() => secretExpiry("2025-06-01", 0), /secretLifetimeDays/);
    assert.throws(() => secretExpiry("2025-06-01", 10.5), /secretLifetimeDays/);
  });

  it("refuses dates that are not real YYYY-MM-DD days, naming the field", () => {
    for (const bad of ["2025-02-30", "2025-13-01", "15/01/2025", "2025-1-5", ""]) {
      assert.throws(
        () => secretExpiry(bad, 30),
        /secretRotatedOn: .* is not a date; expected YYYY-MM-DD/,
        bad,
      );
    }
    assert.throws(
      () => secretExpiry("nope", 30, { rotatedOn: "entra.loginApp.secretRotatedOn", lifetimeDays: "x" }),
      /^Error: entra\.loginApp\.secretRotatedOn:/,
    );
  });

  it("fails on an expired secret, warns on one about to expire, refuses a future rotation day", () => {
    const now = new Date(Date.UTC(2026, 0, 10));
    assert.equal(secretExpiryProblem("2025-06-01", secretExpiry("2025-06-01", 730), now), undefined);
    const expired = secretExpiryProblem("2024-01-01", secretExpiry("2024-01-01", 365), now);
    assert.equal(expired?.level, "error");
    assert.match(expired!.message, /expired on 2024-12-31T00:00:00Z; set secretRotatedOn to today's date/);
    const soon = secretExpiryProblem("2025-01-20", secretExpiry("2025-01-20", 365), now);
    assert.equal(soon?.level, "warning");
    assert.match(soon!.message, /10 days left/);
    assert.equal(secretExpiryProblem("2026-03-01", secretExpiry("2026-03-01", 30), now)?.level, "error");
    assert.throws(
      () => checkAppSecret({ rotatedOn: "2024-01-01", lifetimeDays: 365, secretName: "x", now }),
      /expired/,
    );
    assert.match(
      checkAppSecret({ rotatedOn: "2025-01-20", lifetimeDays: 365, secretName: "x", now }).warning!,
      /days left/,
    );
  });

  it("parses Key Vault ids and checks secret names", () => {
    assert.deepEqual(
      parseVaultId("/subscriptions/sub/resourceGroups/rg-1/providers/Microsoft.KeyVault/vaults/kv-1"),
      {
        subscriptionId: "sub",
        resourceGroupName: "rg-1",
        vaultName: "kv-1",
      },
    );
    assert.throws(
      () => parseVaultId("https://kv-1.vault.azure.net/"),
      /keyVaultId: .* is not a Key Vault resource id/,
    );
    assert.equal(secretNameProblem("vp-login-client-secret"), undefined);
    assert.match(secretNameProblem("vp_login")!, /secretName: "vp_login" is not a Key Vault secret name/);
  });
});
