/* eslint-disable @typescript-eslint/no-explicit-any -- stack config fixtures are untyped YAML, edited freely by each test */
/**
 * One roster build per check (issue 21 item 4): `vpconnect check` loads the stack config, then runs the program,
 * whose load (from the engine's config, as under `pulumi up`) takes the roster the check's load built, inside
 * handOverRoster: the roster file is not parsed again and the group not read again. Anything that would build a
 * different roster builds it; outside the hand-over every load builds.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { handOverRoster, loadStackConfig } from "../../lib/config/load";
import type { LoadedConfig } from "../../lib/config/load";
import type { GroupReader } from "../../lib/config/groupSource";
import { readRosterFile } from "../../lib/config/rosterFile";
import { parseStackFile } from "../../lib/config/stackFile";
import { toEngineConfig } from "../../evaluator/stack";
import { DEMO_GROUP_ID, demoDirectory, flattenMembers } from "../../emulator/graph";

const root = path.resolve(__dirname, "../..");
const file = "examples/group-roster/Pulumi.group.yaml";
const groupConfig = parseStackFile(readFileSync(path.join(root, file), "utf8"), file).config;
const SECRETS = {
  "vantagepoint.password": "pw",
  "vantagepoint.clientSecret": "cs",
  "roster.group.graph.clientSecret": "graph-secret-sentinel-4b1e",
};
const ROSTER_FILE = "people/roster.csv";

/** A roster file of `n` people (small: under the size from which checked rows are kept process-wide). */
function csv(n: number, first = "Connect"): string {
  const rows = ["userId,email,firstName,lastName"];
  for (let i = 0; i < n; i++) rows.push(`FILE${i},file.user${i}@contoso.example,${first},User ${i}`);
  return `${rows.join("\n")}\n`;
}

/** Counts what a load reads: group reads, roster file reads and parses. */
function counting(text: () => string) {
  const count = { groupReads: 0, fileReads: 0, parses: 0 };
  const readGroup: GroupReader = () => {
    count.groupReads++;
    return { members: flattenMembers(demoDirectory(240), DEMO_GROUP_ID), pages: 3, requests: 4, units: 12 };
  };
  return {
    count,
    options: {
      source: file,
      readGroup,
      readFile: (p: string) => {
        assert.equal(p, ROSTER_FILE);
        count.fileReads++;
        return text();
      },
      parseRosterFile: (t: string, name: string) => {
        count.parses++;
        return readRosterFile(t, name);
      },
    },
  };
}

/** The stack as the check's own load reads it: the stack file's values, secrets given as overrides. */
function cliRaw(edit: (c: Record<string, any>) => void = () => {}): Record<string, any> {
  const raw = structuredClone(groupConfig) as Record<string, any>;
  raw["vpconnect:roster"].file = ROSTER_FILE;
  edit(raw);
  return raw;
}

/** The program's load: the engine's config (JSON text, secrets in plaintext and marked secret), as the check hands it. */
function programLoad(
  raw: Record<string, any>,
  options: ReturnType<typeof counting>["options"],
): LoadedConfig {
  const engine = toEngineConfig(raw, SECRETS);
  return loadStackConfig(engine.config, { ...options, secretKeys: new Set(engine.secretKeys) });
}

describe("stack config: the roster is built once per check (handOverRoster)", () => {
  it("the program's load inside the hand-over takes the check's roster: no second parse, no second group read", async () => {
    const { count, options } = counting(() => csv(300));
    const cli = loadStackConfig(cliRaw(), { ...options, secretOverrides: SECRETS });
    assert.deepEqual(count, { groupReads: 1, fileReads: 1, parses: 1 });
    assert.equal(cli.roster.length, 2 + 300 + 240);

    const program = await handOverRoster(cli, async () => programLoad(cliRaw(), options));
    // The file is read once more (to compare its text), never parsed again; the group is not read again.
    assert.deepEqual(count, { groupReads: 1, fileReads: 2, parses: 1 });
    assert.deepEqual(program.roster, cli.roster);
    assert.notEqual(program.roster, cli.roster, "a list of its own (the people in it are shared)");
    assert.deepEqual(program.group, cli.group);
    assert.deepEqual(
      program.warnings.filter((w) => w.startsWith("roster.group")),
      cli.warnings.filter((w) => w.startsWith("roster.group")),
    );

    // The same load outside the hand-over (as under `pulumi up`) builds: parses and reads the group.
    programLoad(cliRaw(), options);
    assert.deepEqual(count, { groupReads: 2, fileReads: 3, parses: 2 });
  });

  it("a large file's checked rows are let go once the program's load took the hand-over", async () => {
    const text = csv(25_000);
    assert.ok(text.length >= 1 << 20, "large enough for its rows to be kept process-wide");
    const { count, options } = counting(() => text);
    const cli = loadStackConfig(cliRaw(), { ...options, secretOverrides: SECRETS });
    // Kept: another load of the same file outside the hand-over does not parse it again.
    loadStackConfig(cliRaw(), { ...options, secretOverrides: SECRETS });
    assert.equal(count.parses, 1);
    const program = await handOverRoster(cli, async () => programLoad(cliRaw(), options));
    assert.equal(program.roster.length, cli.roster.length);
    assert.equal(count.parses, 1);
    // Let go after the hand-over: the next load parses the file again.
    loadStackConfig(cliRaw(), { ...options, secretOverrides: SECRETS });
    assert.equal(count.parses, 2);
  });

  it("builds again inside the hand-over when the roster file's text changed", async () => {
    let text = csv(50);
    const { count, options } = counting(() => text);
    const cli = loadStackConfig(cliRaw(), { ...options, secretOverrides: SECRETS });
    text = csv(50, "Changed");
    const program = await handOverRoster(cli, async () => programLoad(cliRaw(), options));
    assert.equal(count.parses, 2);
    assert.equal(program.roster.find((p) => p.userId === "FILE7")?.firstName, "Changed");
  });

  it("builds again inside the hand-over when a roster setting or the group's secret differs", async () => {
    const { count, options } = counting(() => csv(20));
    const cli = loadStackConfig(cliRaw(), { ...options, secretOverrides: SECRETS });
    const role = await handOverRoster(cli, async () =>
      programLoad(
        cliRaw((c) => (c["vpconnect:roster"].defaultRole = "CONNECT2")),
        options,
      ),
    );
    assert.equal(count.groupReads, 2);
    assert.equal(role.roster.at(-1)!.role, "CONNECT2");

    const engine = toEngineConfig(cliRaw(), {
      ...SECRETS,
      "roster.group.graph.clientSecret": "another-secret-9f3c",
    });
    await handOverRoster(cli, async () =>
      loadStackConfig(engine.config, { ...options, secretKeys: new Set(engine.secretKeys) }),
    );
    assert.equal(count.groupReads, 3, "another client secret: the group is read with it");
  });

  it("the hand-over closes when the run settles, also when it throws", async () => {
    const { count, options } = counting(() => csv(10));
    const cli = loadStackConfig(cliRaw(), { ...options, secretOverrides: SECRETS });
    await assert.rejects(
      handOverRoster(cli, async () => {
        programLoad(cliRaw(), options);
        throw new Error("the program failed");
      }),
      /the program failed/,
    );
    assert.equal(count.groupReads, 1);
    programLoad(cliRaw(), options);
    assert.equal(count.groupReads, 2);
  });
});
