/**
 * lib/site/appArgs.ts called as a library (issue 23): VantagepointLoginApp's, ConnectMailboxApp's and
 * SiteVerification's args checks, each with args wrong the way a caller gets them wrong, with the exact problems
 * (arg path and fix), the near misses that pass, and values not known yet (checked once they are).
 */
import assert from "node:assert/strict";
import {
  loginAppArgsProblems,
  mailboxAppArgsProblems,
  siteVerificationArgsProblems,
} from "../../lib/site/appArgs";
import { UNKNOWN } from "../../lib/site/view";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- args as a JavaScript caller gets them wrong
type Args = Record<string, any>;

const VAULT_ID = "/subscriptions/sub/resourceGroups/rg-kv/providers/Microsoft.KeyVault/vaults/vp-kv";
const NOW = new Date("2026-12-07T00:00:00Z");
const NOT_AN_OBJECT = [{ path: "args", message: "must be an object of named args" }];
const NOT_A_VAULT_ID = (id: string) => ({
  path: "keyVaultId",
  message: `${JSON.stringify(id)} is not a Key Vault resource id; expected /subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.KeyVault/vaults/<name>`,
});

const login = (more: Args = {}): Args => ({
  namePrefix: "vp-test",
  publicUrl: "https://vantagepoint.example.com/vantagepoint",
  keyVaultId: VAULT_ID,
  secretRotatedOn: "2026-11-27",
  ...more,
});
const mailbox = (more: Args = {}): Args => ({
  namePrefix: "vp-test",
  keyVaultId: VAULT_ID,
  secretRotatedOn: "2026-12-02",
  ...more,
});
const verification = (more: Args = {}): Args => ({
  publicUrl: "https://vp.contoso.com/vantagepoint",
  apiUrl: "https://vp.contoso.com/vantagepoint/api",
  ...more,
});

describe("app and verification args checks, called as a library (exact answers)", () => {
  describe("VantagepointLoginApp", () => {
    it("valid args pass", () => {
      assert.deepEqual(loginAppArgsProblems(login(), NOW), []);
      assert.deepEqual(
        loginAppArgsProblems(
          login({ publicUrl: "https://vantagepoint.example.com", appPath: "vantagepoint" }),
          NOW,
        ),
        [],
      );
    });

    it("a rotation date in the future is refused at secretRotatedOn (not loginApp.secretRotatedOn)", () => {
      assert.deepEqual(loginAppArgsProblems(login({ secretRotatedOn: "2027-01-01" }), NOW), [
        {
          path: "secretRotatedOn",
          message:
            "the login app: 2027-01-01 is in the future; set it to the day you issue slot A (today or earlier)",
        },
      ]);
    });

    it("the now arg, when given as a date, is today for the rotation rules (over the caller's clock)", () => {
      assert.deepEqual(
        loginAppArgsProblems(
          login({ secretRotatedOn: "2027-01-01", now: new Date("2027-02-01T00:00:00Z") }),
          NOW,
        ),
        [],
      );
      // Today defaults to the clock: a date a year ahead of it is in the future.
      const nextYear = `${new Date().getUTCFullYear() + 1}-01-01`;
      assert.equal(loginAppArgsProblems(login({ secretRotatedOn: nextYear }))[0]?.path, "secretRotatedOn");
    });

    it("an expired slot A: the fix names secretSlotBRotatedOn, with the expiry the lifetime gives", () => {
      const expired = (on: string) => ({
        path: "secretSlotBRotatedOn",
        message: `the login app: the active secret (slot A, issued 2024-01-01) expired on ${on} and Entra sign-in to Vantagepoint fails; set secretSlotBRotatedOn to today's date to issue slot B, run pulumi up, then paste it into Vantagepoint`,
      });
      assert.deepEqual(loginAppArgsProblems(login({ secretRotatedOn: "2024-01-01" }), NOW), [
        expired("2025-12-31"),
      ]);
      assert.deepEqual(
        loginAppArgsProblems(login({ secretRotatedOn: "2024-01-01", secretLifetimeDays: 365 }), NOW),
        [expired("2024-12-31")],
      );
      // Slot B issued since: nothing to do.
      assert.deepEqual(
        loginAppArgsProblems(
          login({ secretRotatedOn: "2024-01-01", secretSlotBRotatedOn: "2026-12-01" }),
          NOW,
        ),
        [],
      );
    });

    it("a public URL without https:// is refused at publicUrl; an empty one gets both problems", () => {
      assert.deepEqual(loginAppArgsProblems(login({ publicUrl: "vantagepoint.example.com" }), NOW), [
        {
          path: "publicUrl",
          message: '"vantagepoint.example.com" is not an https URL; expected https://<host>/vantagepoint',
        },
      ]);
      assert.deepEqual(loginAppArgsProblems(login({ publicUrl: "" }), NOW), [
        { path: "publicUrl", message: '"" must not be empty' },
        { path: "publicUrl", message: '"" is not an https URL; expected https://<host>/vantagepoint' },
      ]);
    });

    it("the vault's URI or name where its resource id belongs; an empty id is only 'must not be empty'", () => {
      assert.deepEqual(loginAppArgsProblems(login({ keyVaultId: "https://vp-kv.vault.azure.net/" }), NOW), [
        NOT_A_VAULT_ID("https://vp-kv.vault.azure.net/"),
      ]);
      assert.deepEqual(loginAppArgsProblems(login({ keyVaultId: "" }), NOW), [
        { path: "keyVaultId", message: '"" must not be empty' },
      ]);
    });

    it("a public URL left out is the shape's one problem, not also an https-URL problem", () => {
      const args = login();
      delete args.publicUrl;
      assert.deepEqual(loginAppArgsProblems(args, NOW), [
        { path: "publicUrl", message: "is required (text)" },
      ]);
    });

    it("an app path given as a number is the shape's one problem, not a TypeError turned into a URL problem", () => {
      assert.deepEqual(loginAppArgsProblems(login({ appPath: 7 }), NOW), [
        {
          path: "appPath",
          message:
            "must be text, not 7; put the value in quotes (YAML and JSON read an unquoted 7 as a number, and a number loses leading zeros)",
        },
      ]);
    });

    it("values not known yet wait; not an object is one problem", () => {
      assert.deepEqual(
        loginAppArgsProblems(
          login({ keyVaultId: UNKNOWN, publicUrl: UNKNOWN, secretRotatedOn: UNKNOWN }),
          NOW,
        ),
        [],
      );
      assert.deepEqual(loginAppArgsProblems(null, NOW), NOT_AN_OBJECT);
      assert.deepEqual(loginAppArgsProblems("vp-test", NOW), NOT_AN_OBJECT);
    });
  });

  describe("ConnectMailboxApp", () => {
    it("valid args pass; a date in the future or an expired secret named at secretRotatedOn", () => {
      assert.deepEqual(mailboxAppArgsProblems(mailbox(), NOW), []);
      assert.deepEqual(mailboxAppArgsProblems(mailbox({ secretRotatedOn: "2027-03-01" }), NOW), [
        {
          path: "secretRotatedOn",
          message:
            "the mailbox app: 2027-03-01 is in the future; set it to the day you rotate the secret (today or earlier)",
        },
      ]);
      assert.deepEqual(mailboxAppArgsProblems(mailbox({ secretRotatedOn: "2024-03-01" }), NOW), [
        {
          path: "secretRotatedOn",
          message:
            "the mailbox app: the secret rotated on 2024-03-01 expired on 2026-03-01T00:00:00Z; set secretRotatedOn to today's date to issue a new one, then enter it where it is used",
        },
      ]);
    });

    it("a lifetime over 730 days, a vault name for its id, an http redirect URI, an unknown access", () => {
      assert.deepEqual(mailboxAppArgsProblems(mailbox({ secretLifetimeDays: 1000 }), NOW), [
        { path: "secretLifetimeDays", message: "1000 must be at most 730 days (Deltek's guide uses 730)" },
      ]);
      assert.deepEqual(mailboxAppArgsProblems(mailbox({ keyVaultId: "vp-kv" }), NOW), [
        NOT_A_VAULT_ID("vp-kv"),
      ]);
      assert.deepEqual(mailboxAppArgsProblems(mailbox({ redirectUris: ["http://vp.example.com/"] }), NOW), [
        { path: "redirectUris[0]", message: '"http://vp.example.com/" must be an https:// URL' },
      ]);
      assert.deepEqual(mailboxAppArgsProblems(mailbox({ access: "imap" }), NOW), [
        { path: "access", message: '"imap" must be one of "graph", "ews"' },
      ]);
      assert.deepEqual(mailboxAppArgsProblems([], NOW), NOT_AN_OBJECT);
    });
  });

  describe("SiteVerification", () => {
    const HTTPS =
      "must use https:// (got http://; http only for 127.0.0.1/localhost); Connect reaches the site only over HTTPS";

    it("valid args pass; each http URL is named by its arg", () => {
      assert.deepEqual(siteVerificationArgsProblems(verification()), []);
      assert.deepEqual(
        siteVerificationArgsProblems(verification({ loginUrl: "https://vp.contoso.com/vantagepoint/login" })),
        [],
      );
      assert.deepEqual(
        siteVerificationArgsProblems(verification({ publicUrl: "http://vp.contoso.com/vantagepoint" })),
        [{ path: "publicUrl", message: HTTPS }],
      );
      assert.deepEqual(
        siteVerificationArgsProblems(verification({ apiUrl: "http://vp.contoso.com/vantagepoint/api" })),
        [{ path: "apiUrl", message: HTTPS }],
      );
      assert.deepEqual(
        siteVerificationArgsProblems(verification({ loginUrl: "http://vp.contoso.com/login" })),
        [{ path: "loginUrl", message: HTTPS }],
      );
    });

    it("Connect's address given as a URL or out of range; the day and time limits just outside", () => {
      assert.deepEqual(siteVerificationArgsProblems(verification({ connectAddress: "https://20.1.2.3" })), [
        {
          path: "connectAddress",
          message:
            '"https://20.1.2.3" is not an IP address; give the gateway\'s public IP (the publicIp output)',
        },
      ]);
      assert.deepEqual(siteVerificationArgsProblems(verification({ connectAddress: "20.1.2.3" })), []);
      assert.deepEqual(siteVerificationArgsProblems(verification({ certificateMinDays: 398 })), [
        { path: "certificateMinDays", message: "398 is not a whole number of days from 0 to 397" },
      ]);
      assert.deepEqual(siteVerificationArgsProblems(verification({ certificateMinDays: 397 })), []);
      assert.deepEqual(siteVerificationArgsProblems(verification({ timeoutMs: 99 })), [
        { path: "timeoutMs", message: "99 is not a whole number of milliseconds from 100 to 300000" },
      ]);
      assert.deepEqual(siteVerificationArgsProblems(verification({ timeoutMs: 100 })), []);
    });

    it("a number in quotes is named once (the shape), not again by the limit rule; unknown waits", () => {
      assert.deepEqual(siteVerificationArgsProblems(verification({ timeoutMs: "5000" })), [
        { path: "timeoutMs", message: 'must be a number, not "5000"' },
      ]);
      assert.deepEqual(siteVerificationArgsProblems(verification({ loginUrl: 5 })), [
        {
          path: "loginUrl",
          message:
            "must be text, not 5; put the value in quotes (YAML and JSON read an unquoted 5 as a number, and a number loses leading zeros)",
        },
      ]);
      assert.deepEqual(siteVerificationArgsProblems(verification({ apiUrl: UNKNOWN })), []);
      assert.deepEqual(siteVerificationArgsProblems(7), NOT_AN_OBJECT);
    });
  });
});
