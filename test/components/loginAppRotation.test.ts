import assert from "node:assert/strict";
import { VantagepointLoginApp, VantagepointLoginAppArgs } from "../../components/vantagepointLoginApp";
import { Harness, captureWarnings, installMocks, valueOf } from "../support/pulumiMocks";
import type { RecordedResource } from "../support/pulumiMocks";

const PASSWORD = "azuread:index/applicationPassword:ApplicationPassword";
const KV_SECRET = "azure-native:keyvault:Secret";
const VAULT_ID = "/subscriptions/sub/resourceGroups/rg-kv/providers/Microsoft.KeyVault/vaults/vp-kv";
const NOW = new Date(Date.UTC(2026, 11, 6));

const base: VantagepointLoginAppArgs = {
  namePrefix: "vp-test",
  publicUrl: "https://vantagepoint.example.com/vantagepoint",
  keyVaultId: VAULT_ID,
  secretRotatedOn: "2026-09-15",
  secretLifetimeDays: 730,
  now: NOW,
};

describe("VantagepointLoginApp: two-slot secret rotation", () => {
  let harness: Harness;
  before(async () => {
    harness = await installMocks({
      outputs: (args) =>
        args.type === PASSWORD
          ? { value: `value-of-${args.name}` }
          : args.type === "azuread:index/application:Application"
            ? { clientId: "login-client-id" }
            : undefined,
    });
  });
  beforeEach(() => harness.reset());
  after(() => harness.restore());

  async function build(args: Partial<VantagepointLoginAppArgs> = {}) {
    const component = new VantagepointLoginApp("login", { ...base, ...args });
    await harness.settle();
    return component;
  }
  const password = (slot: string) =>
    harness.ofType(PASSWORD).find((r) => r.name === `login-password-${slot}`);

  it("keeps today's single password as slot A: an alias from its old name and the same inputs, so no replacement", async () => {
    await build();
    const [a] = harness.ofType(PASSWORD);
    assert.equal(
      a!.urn,
      "urn:pulumi:test::vantagepoint-connect::vantagepoint-connect:index:VantagepointLoginApp$azuread:index/applicationPassword:ApplicationPassword::login-password-a",
    );
    // The engine resolves the alias with the resource's own parent and type: the old URN ended in ::login-password.
    assert.deepEqual(a!.aliases, [{ name: "login-password" }]);
    // Every ApplicationPassword input forces replacement: these are exactly the single password's inputs.
    assert.deepEqual(a!.inputs, {
      applicationId: "/mock/login-app",
      displayName: "Vantagepoint login (Azure AD)",
      endDate: "2028-09-14T00:00:00Z",
      rotateWhenChanged: { rotatedOn: "2026-09-15" },
    });
    assert.equal(a!.retainOnDelete, true, "a replaced password keeps working until its end date");
    const kv = harness.one(KV_SECRET);
    assert.equal(kv.name, "login-secret");
    assert.equal(kv.inputs.properties.value, "value-of-login-password-a");
    assert.equal(kv.inputs.properties.contentType, "Entra client secret: Vantagepoint login (Azure AD)");
    assert.equal(kv.inputs.properties.attributes.expires, Date.UTC(2028, 8, 14) / 1000);
  });

  it("with slot B issued, creates a second password with a staggered end date; the vault holds B, A keeps working", async () => {
    const c = await build({ secretSlotBRotatedOn: "2026-12-01" });
    const a = password("a")!;
    const b = password("b")!;
    assert.equal(a.inputs.endDate, "2028-09-14T00:00:00Z", "slot A untouched");
    assert.deepEqual(a.aliases, [{ name: "login-password" }]);
    assert.deepEqual(b.inputs, {
      applicationId: "/mock/login-app",
      displayName: "Vantagepoint login (Azure AD) (slot B)",
      endDate: "2028-11-30T00:00:00Z",
      rotateWhenChanged: { rotatedOn: "2026-12-01" },
    });
    assert.equal(b.retainOnDelete, true);
    assert.deepEqual(b.aliases, []);
    const kv = harness.one(KV_SECRET);
    assert.equal(kv.inputs.properties.value, "value-of-login-password-b");
    assert.ok(kv.secretPaths.includes("properties.value"));
    assert.equal(kv.inputs.properties.attributes.expires, Date.UTC(2028, 10, 30) / 1000);
    assert.equal(
      kv.inputs.properties.contentType,
      "Entra client secret: Vantagepoint login (Azure AD), slot B",
    );
    assert.ok(kv.dependencies.includes(b.urn), "the vault secret waits for slot B");
    assert.ok(!kv.dependencies.includes(a.urn), "and does not hang on slot A");
    assert.equal(await valueOf(c.activeSecretSlot), "B");
    assert.equal(await valueOf(c.secretExpiresOn), "2028-11-30T00:00:00Z");
    assert.equal(await valueOf(c.retiringSecretExpiresOn), "2028-09-14T00:00:00Z");
  });

  it("follows the dates in config, not the clock: a re-run on another day registers exactly the same", async () => {
    // (The one exception, a retiring slot past its end date leaving the program, is the next test.)
    const snapshot = (rs: RecordedResource[]) =>
      rs.map((r) => ({
        urn: r.urn,
        inputs: r.inputs,
        retainOnDelete: r.retainOnDelete,
        aliases: r.aliases,
        dependencies: [...r.dependencies].sort(),
      }));
    await build({ secretSlotBRotatedOn: "2026-12-01" });
    const first = snapshot(harness.resources);
    assert.equal(harness.ofType(PASSWORD).length, 2, "both slots registered");
    harness.reset();
    // 300 days later: slot A (the retiring one) has expired, slot B is still active.
    await build({ secretSlotBRotatedOn: "2026-12-01", now: new Date(Date.UTC(2027, 9, 2)) });
    assert.deepEqual(snapshot(harness.resources), first);
  });

  it("leaves a retiring slot past its end date out of the program; the active slot and the vault secret stay the same", async () => {
    const snapshot = (r: RecordedResource | undefined) =>
      r && { urn: r.urn, inputs: r.inputs, deps: [...r.dependencies].sort() };
    await build({ secretSlotBRotatedOn: "2028-08-01", now: new Date(Date.UTC(2028, 8, 13)) });
    assert.deepEqual(
      harness
        .ofType(PASSWORD)
        .map((r) => r.name)
        .sort(),
      ["login-password-a", "login-password-b"],
    );
    const before = { b: snapshot(password("b")), kv: snapshot(harness.one(KV_SECRET)) };
    harness.reset();
    // Slot A ended on 2028-09-14: a dead password would fail entra-secret-max-lifetime on every run.
    await build({ secretSlotBRotatedOn: "2028-08-01", now: new Date(Date.UTC(2028, 8, 15)) });
    assert.deepEqual(
      harness.ofType(PASSWORD).map((r) => r.name),
      ["login-password-b"],
    );
    assert.deepEqual({ b: snapshot(password("b")), kv: snapshot(harness.one(KV_SECRET)) }, before);
  });

  it("rotates back to slot A when its date is set later than B's; B keeps working until its end", async () => {
    const c = await build({
      secretRotatedOn: "2028-10-20",
      secretSlotBRotatedOn: "2026-12-01",
      now: new Date(Date.UTC(2028, 9, 20)),
    });
    assert.equal(await valueOf(c.activeSecretSlot), "A");
    assert.equal(password("a")!.inputs.endDate, "2030-10-20T00:00:00Z");
    assert.equal(password("b")!.inputs.endDate, "2028-11-30T00:00:00Z");
    assert.equal(harness.one(KV_SECRET).inputs.properties.value, "value-of-login-password-a");
    assert.ok(harness.one(KV_SECRET).dependencies.includes(password("a")!.urn));
  });

  it("warns before the active slot expires and when the overlap is short; refuses same-day slots and an expired active slot", async () => {
    const warnings = captureWarnings();
    try {
      // 40 days before slot A ends (2028-09-14): inside the default 60-day warning.
      await build({ now: new Date(Date.UTC(2028, 7, 5)) });
      // Slot B issued 10 days before A ends: less than the 30-day overlap.
      harness.reset();
      await build({ secretSlotBRotatedOn: "2028-09-04", now: new Date(Date.UTC(2028, 8, 4)) });
    } finally {
      warnings.stop();
    }
    assert.ok(
      warnings.messages.some((m) =>
        m.startsWith(
          "the active login app secret (slot A) expires on 2028-09-14 (40 days left): set secretSlotBRotatedOn to today's date to issue slot B by 2028-08-15",
        ),
      ),
      warnings.messages.join("\n"),
    );
    assert.ok(
      warnings.messages.some((m) =>
        m.startsWith(
          "slot A expires on 2028-09-14, only 10 days after slot B was issued (secretOverlapDays is 30)",
        ),
      ),
      warnings.messages.join("\n"),
    );
    harness.reset();
    assert.throws(
      () => new VantagepointLoginApp("same", { ...base, secretSlotBRotatedOn: "2026-09-15" }),
      /\n {2}secretSlotBRotatedOn: the login app: 2026-09-15 is the same day as secretRotatedOn/,
    );
    assert.throws(
      () => new VantagepointLoginApp("overlap", { ...base, secretLifetimeDays: 30, secretOverlapDays: 30 }),
      /\n {2}secretOverlapDays: the login app: 30 is not an overlap the lifetime allows/,
    );
    assert.throws(
      () =>
        new VantagepointLoginApp("expired", {
          ...base,
          secretSlotBRotatedOn: "2026-12-01",
          now: new Date(Date.UTC(2028, 11, 1)),
        }),
      /\n {2}secretRotatedOn: the login app: the active secret \(slot B, issued 2026-12-01\) expired on 2028-11-30/,
    );
    assert.equal(harness.resources.length, 0, "bad settings register nothing");
  });
});
