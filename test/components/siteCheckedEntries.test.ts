/* eslint-disable @typescript-eslint/no-explicit-any -- stack config fixtures are untyped YAML; zod's internals */
/**
 * ConnectRoster skips the per-person rules only for a shard's entries ConnectSite built from the roster its own args
 * check passed (issue 21 item 4: the third zod pass over every person). A roster a user makes is checked in full,
 * a list ConnectSite recorded cannot be changed, and a copy of it is checked in full.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { ConnectSite } from "../../components/connectSite";
import { ConnectRoster } from "../../components/vantagepoint";
import { entriesCheckedBySite, markCheckedBySite } from "../../components/vantagepoint/siteCheckedEntries";
import { loadStackConfig } from "../../lib/config/load";
import { readRosterFile } from "../../lib/config/rosterFile";
import { parseStackFile } from "../../lib/config/stackFile";
import { countEntryChecks } from "../support/entryChecks";
import { rosterArgsProblems } from "../../lib/site/componentArgs";
import { siteArgsFromConfig } from "../../program/siteArgs";
import type { Harness } from "../support/pulumiMocks";
import { installMocks } from "../support/pulumiMocks";

const root = path.resolve(__dirname, "../..");
const connection = {
  url: "https://vp.example.com/vantagepoint/api",
  database: "VP",
  username: "svc-pulumi",
  password: "checked-sentinel-password",
  clientId: "vpconnect-provisioning",
  clientSecret: "checked-sentinel-secret",
};
const person = (userId: string, email: string) => ({ userId, email, firstName: "Pat", lastName: "Jones" });

function devStackArgs() {
  const file = "stacks/Pulumi.dev.yaml";
  const raw = structuredClone(parseStackFile(readFileSync(path.join(root, file), "utf8"), file).config);
  return siteArgsFromConfig(
    loadStackConfig(raw as Record<string, any>, {
      source: file,
      readFile: (f) => readFileSync(path.join(root, f), "utf8"),
      parseRosterFile: readRosterFile,
      secretOverrides: {
        "tls.pfx": "MIIKSentinelPfxBase64ValueForTests0123456789",
        "vantagepoint.password": "sentinel-password",
        "vantagepoint.clientSecret": "sentinel-client-secret",
      },
    }),
  );
}

function refusal(make: () => void): string {
  try {
    make();
  } catch (error) {
    return (error as Error).message;
  }
  assert.fail("expected the args check to refuse");
}

describe("ConnectRoster: entries ConnectSite checked are not checked again per person", () => {
  let harness: Harness;
  before(async () => (harness = await installMocks({})));
  beforeEach(() => harness.reset());
  after(() => harness.restore());

  it("a ConnectRoster a user makes with a bad entry is refused naming the arg, frozen list or not", async () => {
    for (const entries of [
      [person("PJONES", "pat.jones@example.com"), person("ALEE", "alex.lee@example")],
      Object.freeze([person("PJONES", "pat.jones@example.com"), person("ALEE", "alex.lee@example")]),
    ]) {
      const message = refusal(() => new ConnectRoster("mine", { connection, entries } as never));
      assert.match(message, /^ConnectRoster "mine": 1 problem in its args; nothing was created:/);
      assert.match(message, /\n {2}entries\[1\]\.email: /);
    }
    const twice = refusal(
      () =>
        new ConnectRoster("mine", {
          connection,
          entries: Object.freeze([
            person("PJONES", "pat.jones@example.com"),
            person("pjones", "p@example.com"),
          ]),
        } as never),
    );
    assert.match(twice, /\n {2}entries\[1\]\.userId: "pjones" is listed twice \(also at entries\[0\]\)/);
    await harness.settle();
    assert.deepEqual(harness.resources, [], "nothing registered");
  });

  it("a list ConnectSite recorded cannot be changed, and a copy of it is checked in full", async () => {
    const list = markCheckedBySite([person("PJONES", "pat.jones@example.com")]);
    assert.equal(entriesCheckedBySite(list), true);
    assert.throws(() => list.push(person("ALEE", "not-an-email")), TypeError);
    assert.throws(() => ((list[0] as { email: string }).email = "not-an-email"), TypeError);
    assert.equal(list[0]!.email, "pat.jones@example.com");
    const copy = [...list, person("ALEE", "not-an-email")];
    assert.equal(entriesCheckedBySite(copy), false);
    const message = refusal(() => new ConnectRoster("copied", { connection, entries: copy }));
    assert.match(message, /\n {2}entries\[1\]\.email: /);
    // An entry with a value not known yet when ConnectSite's check ran is frozen but not recorded.
    const later = markCheckedBySite([
      { ...person("PJONES", "pat.jones@example.com"), email: pulumi.output("x") },
    ]);
    assert.equal(Object.isFrozen(later), true);
    assert.equal(entriesCheckedBySite(later), false);
    await harness.settle();
  });

  it("a recorded list still gets the connection, settings and shape of the other args checked", () => {
    const entries = markCheckedBySite([person("PJONES", "pat.jones@example.com")]);
    const problems = rosterArgsProblems(
      {
        connection: { ...connection, url: "http://vp.example.com/api" },
        entries,
        onDelete: "wipe",
        extra: 1,
      },
      true,
    );
    assert.deepEqual(
      problems.map((p) => p.path),
      ["connection.url", "onDelete", "extra"],
    );
  });

  it("ConnectSite's roster shards are not checked per person again: one run per person, not two", async () => {
    const args = devStackArgs();
    const people = args.vantagepoint!.roster.length;
    assert.equal(people, 6);
    // A copy of the loader's roster (which ConnectSite would not check again, test/site/checkedRoster.test.ts).
    const copied = {
      ...args,
      vantagepoint: { ...args.vantagepoint!, roster: [...args.vantagepoint!.roster] },
    };
    const runs = countEntryChecks(() => new ConnectSite("connect", copied));
    await harness.settle();
    assert.equal(harness.resources.filter((r) => /connect-roster$/.test(r.name)).length, 1);
    assert.equal(runs, people, "ConnectSite's check runs the per-person rules once for each person");
    // A user's own ConnectRoster over the same people still runs them for each.
    const own = countEntryChecks(
      () => new ConnectRoster("own", { connection, entries: [...args.vantagepoint!.roster] }),
    );
    assert.equal(own, people);
    await harness.settle();
  });
});
