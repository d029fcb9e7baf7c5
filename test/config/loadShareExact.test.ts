/* eslint-disable @typescript-eslint/no-explicit-any -- stack config fixtures: only the fields the roster reads */
/**
 * lib/config/loadShare.ts called directly (issue 23): what a roster build is keyed by (secrets by a hash, never the
 * plaintext), the roster file read once per build, and the hand-over: taken only for the same settings and the
 * same file text, as a copy, and only while the run it was opened for lasts. Exact answers.
 */
import assert from "node:assert/strict";
import {
  handOverRoster,
  rememberRoster,
  rosterOnce,
  rosterSettingsKey,
  type BuiltRoster,
} from "../../lib/config/loadShare";
import type { LoadedConfig, LoadOptions } from "../../lib/config/loadOptions";
import { SecretValue } from "../../lib/values/secret";

const FILE = "people/roster.csv";
const config = (roster: Record<string, unknown> = { file: FILE }, adminRole = "ADMIN"): any => ({
  roster,
  entra: { loginMode: "entraId", tenantId: "3f2b8c1d-5e6a-4b7c-9d8e-1a2b3c4d5e6f" },
  vantagepoint: { adminRole },
});
const NO_OPTIONS: LoadOptions = { source: "stacks/Pulumi.dev.yaml" };
const KEY_TAIL =
  ',"loginMode":"entraId","tenantId":"3f2b8c1d-5e6a-4b7c-9d8e-1a2b3c4d5e6f","adminRole":"ADMIN"}';

/** A build that reads the roster file (twice, as a parse and a size check might) and counts its runs. */
function building(name = "built") {
  const calls: LoadOptions[] = [];
  const build = (options: LoadOptions): BuiltRoster => {
    calls.push(options);
    const text = options.readFile?.(FILE);
    options.readFile?.(FILE);
    return {
      entries: [{ userId: `${name}:${text ?? "-"}` } as any],
      warnings: [`${name} warning`],
      checked: true,
    };
  };
  return { calls, build };
}

/** A file reader over `files`, counting reads by path. */
function reader(files: Record<string, string | Error>) {
  const reads: string[] = [];
  const readFile = (path: string) => {
    reads.push(path);
    const text = files[path];
    if (text === undefined || text instanceof Error) throw text ?? new Error(`ENOENT: ${path}`);
    return text;
  };
  return { reads, readFile };
}

describe("one roster build per check: lib/config/loadShare.ts (exact answers)", () => {
  it("the settings key: the roster, login mode, tenant and admin role; a secret by its hash or ciphertext", () => {
    assert.equal(
      rosterSettingsKey(config({ file: FILE, users: [] })),
      `{"roster":{"file":"${FILE}","users":[]}${KEY_TAIL}`,
    );
    const secret = (value: SecretValue) =>
      rosterSettingsKey(config({ group: { graph: { clientSecret: value } } }));
    const hashed = secret(new SecretValue("graph-secret-sentinel"));
    assert.equal(
      hashed,
      // sha256 of "graph-secret-sentinel" (printf 'graph-secret-sentinel' | sha256sum)
      `{"roster":{"group":{"graph":{"clientSecret":"sha256:739d42cd162f8cc51a7a392ebd849878ec819e41f0dcc97f3cf8b92b5113cafa"}}}${KEY_TAIL}`,
    );
    assert.doesNotMatch(hashed, /graph-secret-sentinel/);
    assert.notEqual(hashed, secret(new SecretValue("graph-secret-sentinel2")));
    assert.equal(
      secret(new SecretValue(undefined, "v1:abc:def")),
      `{"roster":{"group":{"graph":{"clientSecret":"ciphertext:v1:abc:def"}}}${KEY_TAIL}`,
    );
    assert.equal(
      secret(new SecretValue(undefined)),
      `{"roster":{"group":{"graph":{"clientSecret":"ciphertext:"}}}${KEY_TAIL}`,
    );
    assert.notEqual(
      rosterSettingsKey(config({ file: FILE }, "SUPER")),
      rosterSettingsKey(config({ file: FILE })),
    );
  });

  it("outside a hand-over every load builds; the roster file is read once per build, other files each time", () => {
    const { calls, build } = building();
    const files = reader({ [FILE]: "userId\nPJONES\n", "other.csv": "x" });
    const first = rosterOnce(config(), { source: "s", readFile: files.readFile }, build);
    assert.equal(first.handedOver, false);
    assert.deepEqual(first.built.entries, [{ userId: "built:userId\nPJONES\n" }]);
    assert.deepEqual(files.reads, [FILE]);
    assert.equal(first.made.key, rosterSettingsKey(config()));
    assert.equal(first.made.fileText, "userId\nPJONES\n");
    assert.equal(first.made.built, first.built);
    assert.equal(calls[0]!.source, "s");
    assert.equal(calls[0]!.readFile!("other.csv"), "x");
    assert.equal(calls[0]!.readFile!("other.csv"), "x");
    assert.deepEqual(files.reads, [FILE, "other.csv", "other.csv"]);
    rosterOnce(config(), { ...NO_OPTIONS, readFile: files.readFile }, build);
    assert.equal(calls.length, 2);
    assert.deepEqual(files.reads, [FILE, "other.csv", "other.csv", FILE]);
  });

  it("a build that reads another file before the roster file: only the roster file's text is remembered", () => {
    const files = reader({ [FILE]: "userId\nPJONES\n", "defaults.csv": "role,ADMIN\n" });
    const out = rosterOnce(config(), { ...NO_OPTIONS, readFile: files.readFile }, (options) => {
      options.readFile!("defaults.csv");
      const text = options.readFile!(FILE);
      return { entries: [{ userId: text } as any], warnings: [], checked: true };
    });
    assert.equal(out.made.fileText, "userId\nPJONES\n");
    assert.deepEqual(out.built.entries, [{ userId: "userId\nPJONES\n" }]);
  });

  it("without a file reader the build gets none, and nothing is remembered of a file", () => {
    const { calls, build } = building();
    const out = rosterOnce(config({ users: [] }), { source: "s" }, build);
    assert.equal(calls[0]!.readFile, undefined);
    assert.equal(out.made.fileText, undefined);
    assert.deepEqual(out.built.entries, [{ userId: "built:-" }]);
  });

  it("inside the hand-over, the same settings and file text take the remembered roster, as a copy", async () => {
    const loaded = {} as LoadedConfig;
    const text = "userId\nPJONES\n";
    const check = rosterOnce(
      config(),
      { ...NO_OPTIONS, readFile: reader({ [FILE]: text }).readFile },
      building("check").build,
    );
    rememberRoster(loaded, check.made);
    const program = building("program");
    const result = await handOverRoster(loaded, async () => {
      const files = reader({ [FILE]: text });
      const out = rosterOnce(config(), { ...NO_OPTIONS, readFile: files.readFile }, program.build);
      assert.deepEqual(files.reads, [FILE], "the file is read to compare its text");
      return out;
    });
    assert.equal(result.handedOver, true);
    assert.equal(program.calls.length, 0, "no second build");
    assert.deepEqual(result.built.entries, check.built.entries);
    assert.notEqual(result.built.entries, check.built.entries, "a copy of the list");
    assert.deepEqual(result.built.warnings, ["check warning"]);
    assert.notEqual(result.built.warnings, check.built.warnings, "a copy of the warnings");
    assert.equal(result.made, check.made);
    // The hand-over closed with the run: the next load builds.
    const after = rosterOnce(
      config(),
      { ...NO_OPTIONS, readFile: reader({ [FILE]: text }).readFile },
      program.build,
    );
    assert.equal(after.handedOver, false);
    assert.equal(program.calls.length, 1);
  });

  it("inside the hand-over, other settings, other file text or an unreadable file build again", async () => {
    const loaded = {} as LoadedConfig;
    const check = rosterOnce(
      config(),
      { ...NO_OPTIONS, readFile: reader({ [FILE]: "a" }).readFile },
      building("check").build,
    );
    rememberRoster(loaded, check.made);
    const program = building("program");
    await handOverRoster(loaded, async () => {
      const other = rosterOnce(
        config({ file: FILE }, "SUPER"),
        { ...NO_OPTIONS, readFile: reader({ [FILE]: "a" }).readFile },
        program.build,
      );
      assert.equal(other.handedOver, false);
      const changed = rosterOnce(
        config(),
        { ...NO_OPTIONS, readFile: reader({ [FILE]: "b" }).readFile },
        program.build,
      );
      assert.equal(changed.handedOver, false);
      assert.deepEqual(changed.built.entries, [{ userId: "program:b" }]);
      assert.throws(
        () =>
          rosterOnce(
            config(),
            { ...NO_OPTIONS, readFile: reader({ [FILE]: new Error("EACCES: people/roster.csv") }).readFile },
            program.build,
          ),
        /EACCES: people\/roster\.csv/,
        "unreadable now: the build says so",
      );
      // A roster file but no reader: its text cannot be compared.
      const blind = rosterOnce(config(), NO_OPTIONS, program.build);
      assert.equal(blind.handedOver, false);
    });
    assert.equal(program.calls.length, 4);
  });

  it("a roster file neither load could read: nothing to compare, so the program's load builds", async () => {
    const loaded = {} as LoadedConfig;
    rememberRoster(loaded, rosterOnce(config(), NO_OPTIONS, building("check").build).made);
    const program = building("program");
    await handOverRoster(loaded, async () => {
      assert.equal(rosterOnce(config(), NO_OPTIONS, program.build).handedOver, false);
    });
    assert.equal(program.calls.length, 1);
  });

  it("a roster without a file is handed over on its settings alone; nested runs restore the outer hand-over", async () => {
    const inline = config({ users: [{ userId: "PJONES" }] });
    const outer = {} as LoadedConfig;
    const inner = {} as LoadedConfig;
    rememberRoster(outer, rosterOnce(inline, NO_OPTIONS, building("outer").build).made);
    rememberRoster(inner, rosterOnce(config({ users: [] }), NO_OPTIONS, building("inner").build).made);
    const program = building("program");
    await handOverRoster(outer, async () => {
      assert.equal(
        rosterOnce(inline, { ...NO_OPTIONS, readFile: reader({}).readFile }, program.build).handedOver,
        true,
      );
      await handOverRoster(inner, async () => {
        assert.equal(rosterOnce(inline, NO_OPTIONS, program.build).handedOver, false);
        assert.equal(rosterOnce(config({ users: [] }), NO_OPTIONS, program.build).handedOver, true);
      });
      assert.equal(rosterOnce(inline, NO_OPTIONS, program.build).handedOver, true);
    });
    assert.equal(rosterOnce(inline, NO_OPTIONS, program.build).handedOver, false);
    assert.equal(program.calls.length, 2);
  });

  it("a run for a config nothing was remembered for, inside another hand-over, leaves that hand-over open", async () => {
    const inline = config({ users: [{ userId: "KWONG" }] });
    const outer = {} as LoadedConfig;
    rememberRoster(outer, rosterOnce(inline, NO_OPTIONS, building("outer").build).made);
    await handOverRoster(outer, async () => {
      await handOverRoster({} as LoadedConfig, async () => {
        assert.equal(rosterOnce(inline, NO_OPTIONS, building("program").build).handedOver, true);
      });
    });
  });

  it("before any load remembered a roster in this process, a check just runs its program", async () => {
    const key = Symbol.for("vantagepoint-connect.config.rosterBuilds");
    const store = globalThis as Record<symbol, unknown>;
    const saved = store[key];
    delete store[key];
    try {
      assert.equal(await handOverRoster({} as LoadedConfig, async () => "ran"), "ran");
    } finally {
      store[key] = saved;
    }
  });

  it("no loaded config, or one nothing was remembered for, just runs; a failing run closes the hand-over", async () => {
    assert.equal(await handOverRoster(undefined, async () => 7), 7);
    assert.equal(await handOverRoster({} as LoadedConfig, async () => "ran"), "ran");
    const loaded = {} as LoadedConfig;
    const inline = config({ users: [{ userId: "ALEE" }] });
    rememberRoster(loaded, rosterOnce(inline, NO_OPTIONS, building().build).made);
    await assert.rejects(
      handOverRoster(loaded, async () => {
        throw new Error("program failed");
      }),
      /program failed/,
    );
    assert.equal(rosterOnce(inline, NO_OPTIONS, building().build).handedOver, false);
  });
});
