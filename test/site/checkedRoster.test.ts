/* eslint-disable @typescript-eslint/no-explicit-any -- stack config fixtures are untyped YAML; zod's internals */
/**
 * ConnectSite's args check skips the per-person rules (entry shape, unsafe text, roster rules) only for a roster the
 * stack-config loader built and checked with the same rules (lib/site/checkedRoster.ts; issue 21 item 4). A roster a
 * library caller makes, or a copy of the loader's with a person added or changed, is checked in full and refused with
 * the same words the stack file gets, naming the field.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { plainView } from "../../components/argsCheck";
import { ConnectSite } from "../../components/connectSite";
import { ConfigError, loadStackConfig } from "../../lib/config/load";
import type { GroupReader } from "../../lib/config/groupSource";
import { readRosterFile } from "../../lib/config/rosterFile";
import { parseStackFile } from "../../lib/config/stackFile";
import { countEntryChecks } from "../support/entryChecks";
import { siteArgsProblems } from "../../lib/site/check";
import { markRosterChecked, rosterCheckedByLoader } from "../../lib/site/checkedRoster";
import { siteArgsFromConfig } from "../../program/siteArgs";
import { DEMO_GROUP_ID, demoDirectory, flattenMembers } from "../../emulator/graph";
import type { Harness } from "../support/pulumiMocks";
import { installMocks } from "../support/pulumiMocks";

const root = path.resolve(__dirname, "../..");
const SECRETS = {
  "tls.pfx": "MIIKSentinelPfxBase64ValueForTests0123456789",
  "vantagepoint.password": "sentinel-password",
  "vantagepoint.clientSecret": "sentinel-client-secret",
} as const;

function devStack(edit: (raw: Record<string, any>) => void = () => {}) {
  const file = "stacks/Pulumi.dev.yaml";
  const raw = structuredClone(parseStackFile(readFileSync(path.join(root, file), "utf8"), file).config);
  edit(raw as Record<string, any>);
  return loadStackConfig(raw as Record<string, any>, {
    source: file,
    readFile: (f) => readFileSync(path.join(root, f), "utf8"),
    parseRosterFile: readRosterFile,
    secretOverrides: SECRETS,
  });
}

function refusal(make: () => void): string {
  try {
    make();
  } catch (error) {
    return (error as Error).message;
  }
  assert.fail("expected a refusal");
}

/** The problem lines of a refusal (component or config error), without the heading. */
const lines = (message: string) => message.split("\n").filter((l) => l.startsWith("  "));

describe("ConnectSite: a roster the stack-config loader checked is not checked per person again", () => {
  let harness: Harness;
  before(async () => (harness = await installMocks({})));
  beforeEach(() => harness.reset());
  after(() => harness.restore());

  it("the loader's roster (inline users and a roster file) is frozen and recorded; a group's is not", () => {
    const loaded = devStack();
    assert.equal(loaded.roster.length, 6);
    assert.equal(rosterCheckedByLoader(loaded.roster), true);
    assert.equal(Object.isFrozen(loaded.roster[3]), true);
    assert.throws(() => loaded.roster.push({ ...loaded.roster[1]!, userId: "X" }), TypeError);
    assert.throws(() => ((loaded.roster[1] as { email: string }).email = "not-an-email"), TypeError);
    assert.equal(rosterCheckedByLoader([...loaded.roster]), false, "a copy is a new list");
    assert.equal(rosterCheckedByLoader(Object.freeze([...loaded.roster])), false, "frozen is not enough");
    const withFile = devStack((raw) => {
      raw["vpconnect:roster"].file = "test/fixtures/rosters/unicode-names.csv";
    });
    assert.ok(withFile.roster.length > loaded.roster.length);
    assert.equal(rosterCheckedByLoader(withFile.roster), true);

    // A group's people are read by the group reader's own rules, not the person schema: checked in full.
    const file = "examples/group-roster/Pulumi.group.yaml";
    const raw = structuredClone(parseStackFile(readFileSync(path.join(root, file), "utf8"), file).config);
    const readGroup: GroupReader = () => ({
      members: flattenMembers(demoDirectory(20), DEMO_GROUP_ID),
      pages: 1,
      requests: 2,
      units: 2,
    });
    const grouped = loadStackConfig(raw as Record<string, any>, {
      source: file,
      readGroup,
      secretOverrides: {
        "vantagepoint.password": "pw",
        "vantagepoint.clientSecret": "cs",
        "roster.group.graph.clientSecret": "graph-secret-sentinel",
      },
    });
    assert.ok(grouped.roster.length > 10);
    assert.equal(rosterCheckedByLoader(grouped.roster), false);
  });

  it("ConnectSite over the loader's roster runs no per-person schema; over a copy, one per person", async () => {
    const args = siteArgsFromConfig(devStack());
    const people = args.vantagepoint!.roster.length;
    assert.equal(
      countEntryChecks(() => new ConnectSite("connect", args)),
      0,
    );
    await harness.settle();
    assert.equal(harness.resources.filter((r) => /connect-roster$/.test(r.name)).length, 1);
    harness.reset();
    const copied = {
      ...args,
      vantagepoint: { ...args.vantagepoint!, roster: [...args.vantagepoint!.roster] },
    };
    assert.equal(
      countEntryChecks(() => new ConnectSite("copied", copied)),
      people,
    );
    await harness.settle();
  });

  it("a bad person in a library caller's roster is refused naming the field, in the stack file's words", async () => {
    const bad = "pat.jones@@example.com";
    const fromStack = refusal(() =>
      devStack((raw) => {
        raw["vpconnect:roster"].users[0].email = bad;
      }),
    );
    const stackLine = lines(fromStack).find((l) => l.includes("roster.users[0].email"));
    assert.ok(stackLine, fromStack);
    const words = stackLine.slice(stackLine.indexOf("email: ") + "email: ".length);

    const args = siteArgsFromConfig(devStack());
    const roster = args.vantagepoint!.roster;
    const index = roster.findIndex((p) => !p.configurer);
    for (const mine of [
      // A caller's own list, and the loader's list with one person changed (a copy: the list is frozen).
      roster.map((p) => ({ ...p })).map((p, i) => (i === index ? { ...p, email: bad } : p)),
      roster.map((p, i) => (i === index ? { ...p, email: bad } : p)),
    ]) {
      assert.equal(rosterCheckedByLoader(mine), false);
      const message = refusal(
        () => new ConnectSite("mine", { ...args, vantagepoint: { ...args.vantagepoint!, roster: mine } }),
      );
      assert.deepEqual(lines(message), [`  vantagepoint.roster[${index}].email: ${words}`]);
    }
    await harness.settle();
    assert.deepEqual(harness.resources, [], "nothing registered");
  });

  it("a copy with a repeat, a control character or an unknown key is refused as before", () => {
    const args = siteArgsFromConfig(devStack());
    const roster = args.vantagepoint!.roster;
    const with_ = (list: unknown[]) =>
      siteArgsProblems(
        plainView({ ...args, vantagepoint: { ...args.vantagepoint!, roster: list } }).view,
      ).map((p) => `${p.path}: ${p.message}`);
    const repeat = with_([...roster, { ...roster[2]!, userId: roster[2]!.userId.toLowerCase() }]);
    assert.deepEqual(repeat, [
      `vantagepoint.roster[6].userId: ${JSON.stringify(roster[2]!.userId.toLowerCase())} is listed twice (also at vantagepoint.roster[2]); each user ID once`,
    ]);
    const control = with_([...roster.slice(0, 3), { ...roster[3]!, firstName: "Pat\u202e" }]);
    assert.ok(
      control.some((p) => p.startsWith("vantagepoint.roster[3].firstName: ")),
      control.join("\n"),
    );
    const extra = with_([...roster.slice(0, 2), { ...roster[2]!, manager: "x" }]);
    assert.ok(
      extra.some((p) => p.startsWith("vantagepoint.roster[2].manager: ")),
      extra.join("\n"),
    );
  });

  it("with the loader's roster every other arg is still checked, with the same problems as an unrecorded copy", () => {
    const args = siteArgsFromConfig(devStack());
    const broken = {
      ...args,
      publicHostname: "not a host",
      vantagepoint: {
        ...args.vantagepoint!,
        rosterOnDelete: "wipe" as never,
      },
    };
    const recorded = siteArgsProblems(plainView(broken).view);
    const copied = siteArgsProblems(
      plainView({
        ...broken,
        vantagepoint: { ...broken.vantagepoint, roster: [...args.vantagepoint!.roster] },
      }).view,
    );
    assert.equal(rosterCheckedByLoader(broken.vantagepoint.roster), true);
    assert.deepEqual(recorded, copied);
    assert.deepEqual(
      recorded.map((p) => p.path),
      ["publicHostname", "vantagepoint.rosterOnDelete"],
    );
  });

  it("a list with a value that is not plain text is frozen but not recorded", () => {
    const list = markRosterChecked([{ userId: "A", email: "a@example.com", n: 1 } as object]);
    assert.equal(Object.isFrozen(list), true);
    assert.equal(rosterCheckedByLoader(list), false);
  });

  it("a stack file whose person fails the rule is refused by the loader (nothing recorded to skip)", () => {
    const error = refusal(() =>
      devStack((raw) => {
        raw["vpconnect:roster"].users[0].firstName = "";
      }),
    );
    assert.match(error, /roster\.users\[0\]\.firstName: "" must not be empty/);
    assert.ok(ConfigError);
  });
});
