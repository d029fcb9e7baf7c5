/* eslint-disable @typescript-eslint/no-explicit-any -- stack config fixtures are untyped YAML, edited freely by each test */
/**
 * The Entra side of the stack config (issue 20, items 14 to 18): app owners, the mailbox app's `enabled`, user IDs
 * without a domain under Entra ID or Windows login, and the login app's two secret slots as check and doctor say them.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { ConfigError, loadStackConfig } from "../../lib/config/load";
import type { LoadOptions } from "../../lib/config/load";
import { readRosterFile } from "../../lib/config/rosterFile";
import { parseStackFile } from "../../lib/config/stackFile";
import { userIdDomainProblem } from "../../lib/people";
import { siteArgsFromConfig } from "../../program/siteArgs";

const root = path.resolve(__dirname, "../..");
const stack = (name: string) => {
  const file = `stacks/Pulumi.${name}.yaml`;
  return parseStackFile(readFileSync(path.join(root, file), "utf8"), file).config;
};
const NOW = new Date("2026-12-06T00:00:00Z");

function edited(name: "dev" | "prod", edit: (c: Record<string, any>) => void = () => {}) {
  const copy = structuredClone(stack(name)) as Record<string, any>;
  edit(copy);
  return copy;
}

function load(raw: Record<string, unknown>, options: Partial<LoadOptions> = {}) {
  return loadStackConfig(raw, {
    source: "stacks/Pulumi.x.yaml",
    readFile: (f) => readFileSync(path.join(root, f), "utf8"),
    parseRosterFile: readRosterFile,
    now: NOW,
    ...options,
  });
}

function problems(raw: Record<string, unknown>): string[] {
  try {
    load(raw);
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected ConfigError, got ${String(error)}`);
    return error.issues.map((i) => `${i.key}: ${i.message}`);
  }
  assert.fail("expected the config to be rejected");
}

describe("stack config, Entra side", () => {
  it("both bundled stacks load as written (prod's user IDs carry no domain)", () => {
    const prod = load(stack("prod"));
    assert.equal(prod.roster[0]!.userId, "pat.jones");
    assert.ok(
      prod.roster.every((p) => !/[@\\]/.test(p.userId)),
      "no user ID with a domain",
    );
    load(stack("dev"));
  });

  it("refuses user IDs with a domain under Entra ID and Windows login, in config and roster files", () => {
    assert.deepEqual(
      problems(edited("prod", (c) => (c["vpconnect:roster"].configurer.userId = "pat.jones@example.com"))),
      [
        `vpconnect:roster.configurer.userId: "pat.jones@example.com" carries a domain; with Entra ID login (entra.loginMode "entraId") Deltek's user setup enters the user name without the domain: use "pat.jones"`,
      ],
    );
    const windows = problems(
      edited("dev", (c) => {
        c["vpconnect:entra"].loginMode = "windows";
        delete c["vpconnect:entra"].loginApp;
        c["vpconnect:roster"].users[1].userId = "EXAMPLE\\MGARCIA";
      }),
    );
    assert.deepEqual(windows, [
      `vpconnect:roster.users[1].userId: "EXAMPLE\\\\MGARCIA" carries a domain; with Windows login (entra.loginMode "windows") Deltek's user setup enters the user name without the domain: use "MGARCIA"`,
    ]);
    assert.equal(userIdDomainProblem("john.smith", "entraId"), undefined);
    assert.equal(userIdDomainProblem("ADMIN.JONES", "windows"), undefined);
  });

  it("app owners: object ids only; mapped to the site with the deployer added by the component", () => {
    const id = "5a1b2c3d-4e5f-4a6b-8c9d-0e1f2a3b4c5d";
    const loaded = load(edited("prod", (c) => (c["vpconnect:entra"].owners = [id])));
    assert.deepEqual(siteArgsFromConfig(loaded).appOwners, [id]);
    assert.deepEqual(siteArgsFromConfig(load(stack("prod"))).appOwners, []);
    const bad = problems(edited("prod", (c) => (c["vpconnect:entra"].owners = ["pat.jones@example.com"])));
    assert.equal(bad.length, 1);
    assert.match(
      bad[0]!,
      /^vpconnect:entra\.owners\[0\]: must be an Entra object id \(a user's, group's or service principal's\)/,
    );
  });

  it("a mailboxApp section without enabled is refused, naming the fix either way", () => {
    const raw = edited("dev", (c) => (c["vpconnect:entra"].mailboxApp = { secretRotatedOn: "2026-11-01" }));
    const [line, ...rest] = problems(raw);
    assert.deepEqual(rest, []);
    assert.match(
      line!,
      /^vpconnect:entra\.mailboxApp\.enabled: is required when entra\.mailboxApp is present/,
    );
    assert.match(line!, /add enabled: true to keep it, or enabled: false \(or remove the section\)/);
    const on = load(
      edited(
        "dev",
        (c) => (c["vpconnect:entra"].mailboxApp = { enabled: true, secretRotatedOn: "2026-11-01" }),
      ),
    );
    assert.ok(siteArgsFromConfig(on).mailboxApp, "enabled: true creates it");
  });

  it("the login app's slots: status and warnings for check and doctor; slot B and overlap flow to the site", () => {
    const prod = load(stack("prod"));
    assert.deepEqual(prod.loginSecret, {
      status:
        "login app secret: slot A active since 2026-09-15 (expires 2028-09-14); no slot B yet: issue it by 2028-08-15 to keep a 30-day overlap",
      warnings: [],
    });
    const rotated = load(
      edited("prod", (c) => {
        c["vpconnect:entra"].loginApp.secretSlotBRotatedOn = "2028-08-01";
        c["vpconnect:entra"].loginApp.secretOverlapDays = 40;
      }),
      { now: new Date("2028-08-02T00:00:00Z") },
    );
    assert.equal(
      rotated.loginSecret!.status,
      "login app secret: slot B active since 2028-08-01 (expires 2030-08-01); slot A expires 2028-09-14: paste B into Vantagepoint by 2028-09-14",
    );
    assert.deepEqual(rotated.loginSecret!.warnings, []);
    const login = siteArgsFromConfig(rotated).loginApp!;
    assert.equal(login.secretSlotBRotatedOn, "2028-08-01");
    assert.equal(login.secretOverlapDays, 40);
    // 40 days before slot A's end, with no slot B: check warns.
    const late = load(stack("prod"), { now: new Date("2028-08-05T00:00:00Z") });
    assert.deepEqual(late.loginSecret!.warnings, [
      "the active login app secret (slot A) expires on 2028-09-14 (40 days left): set entra.loginApp.secretSlotBRotatedOn to today's date to issue slot B by 2028-08-15 (keeps the 30-day overlap), run pulumi up, then paste slot B into Vantagepoint before 2028-09-14",
    ]);
    assert.equal(
      load(stack("dev")).loginSecret!.status.startsWith("login app secret: slot A active since 2026-11-01"),
      true,
    );
  });
});
