/**
 * Roster files (roster.file): each case in test/fixtures/rosters/ is either read with the exact values asserted,
 * or refused with a message naming the row (the line an editor shows) or column. What the config accepts, the
 * ConnectRoster provider accepts too, and odd names reach Vantagepoint byte for byte.
 */
import "./support/tally";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { connectRosterProvider } from "../../components/vantagepoint/connectRoster";
import { startEmulator } from "../../emulator";
import { ConfigError, loadStackConfig } from "../../lib/config/load";
import type { ConfigIssue, LoadedConfig } from "../../lib/config/load";
import { readRosterFile } from "../../lib/config/rosterFile";
import { parseStackFile } from "../../lib/config/stackFile";
import { parseRosterFile, validateRosterEntries } from "../../lib/vantagepoint";
import { connectionFor, fastRetryEnv } from "../vantagepoint/helpers";
import { ROOT } from "./support/badConfigs";

const DIR = "test/fixtures/rosters";
const DEV = parseStackFile(fs.readFileSync(path.join(ROOT, "stacks/Pulumi.dev.yaml"), "utf8"), "dev").config;

/** The dev stack with `roster.file` set; `texts` replaces file contents by path (for generated files). */
function load(
  file: string,
  texts: Record<string, string> = {},
): { loaded?: LoadedConfig; issues: ConfigIssue[] } {
  const raw = structuredClone(DEV) as Record<string, Record<string, unknown>>;
  raw["vpconnect:roster"]!.file = file;
  try {
    const loaded = loadStackConfig(raw, {
      source: "stacks/Pulumi.dev.yaml",
      readFile: (p) => texts[p] ?? fs.readFileSync(path.resolve(ROOT, p), "utf8"),
      parseRosterFile: readRosterFile,
    });
    return { loaded, issues: [] };
  } catch (error) {
    if (error instanceof ConfigError) return { issues: error.issues };
    throw error;
  }
}

/** People from the file only (the dev stack's configurer and five inline users come first). */
function fromFile(file: string, texts: Record<string, string> = {}) {
  const { loaded, issues } = load(file, texts);
  assert.deepEqual(
    issues,
    [],
    `${file} should load: ${issues.map((i) => `${i.key}: ${i.message}`).join("; ")}`,
  );
  return loaded!.roster.slice(6).map(({ configurer: _c, ...p }) => p);
}

/** Issue keys and messages, for refusals. */
function refusal(file: string, texts: Record<string, string> = {}): Array<[string, string]> {
  const { loaded, issues } = load(file, texts);
  assert.equal(loaded, undefined, `${file} must be refused`);
  return issues.map((i) => [i.key, i.message]);
}

function assertIssue(issues: Array<[string, string]>, key: string, fragment: string | RegExp) {
  const hit = issues.find(
    ([k, m]) => k === key && (typeof fragment === "string" ? m.includes(fragment) : fragment.test(m)),
  );
  assert.ok(
    hit,
    `no issue at ${key} matching ${String(fragment)}; got:\n${issues.map(([k, m]) => `  ${k}: ${m}`).join("\n")}`,
  );
}

/** Whatever the config accepts must pass the provider's own check at deploy time. */
function assertProviderAccepts(loaded: LoadedConfig) {
  const issues = validateRosterEntries(loaded.roster);
  assert.deepEqual(issues, [], "the config accepted entries the ConnectRoster provider would refuse");
}

describe("bad input: roster files", () => {
  describe("handled, with the parsed values asserted", () => {
    it("CSV with a byte order mark: the first header is still userId; empty employee and role mean unset", () => {
      assert.deepEqual(fromFile(`${DIR}/bom.csv`), [
        {
          userId: "zoe.novak",
          email: "zoe.novak@example.com",
          firstName: "Zoe",
          lastName: "Novak",
          employee: "01001",
          role: "CONNECT",
        },
        {
          userId: "ana.garcia",
          email: "ana.garcia@example.com",
          firstName: "Ana",
          lastName: "Garcia",
          role: "CONNECT",
        },
      ]);
    });

    it("CSV with CRLF line ends: no stray carriage returns in any value", () => {
      const people = fromFile(`${DIR}/crlf.csv`);
      assert.deepEqual(people, [
        {
          userId: "SNOVAK",
          email: "sam.novak@example.com",
          firstName: "Sam",
          lastName: "Novak",
          employee: "01010",
          role: "CONNECT",
        },
        { userId: "JLI", email: "jin.li@example.com", firstName: "Jin", lastName: "Li", role: "PM" },
      ]);
      assert.ok(!JSON.stringify(people).includes("\\r"));
    });

    it("CSV with quoted commas keeps each field whole", () => {
      assert.deepEqual(fromFile(`${DIR}/quoted-commas.csv`), [
        {
          userId: "RLEE",
          email: "ray.lee@example.com",
          firstName: "Ray, Jr.",
          lastName: "Lee, III",
          role: "CONNECT",
        },
        {
          userId: "PSMITH",
          email: "pat.smith@example.com",
          firstName: "Pat",
          lastName: "Smith-Jones, PhD",
          employee: "01020",
          role: "CONNECT",
        },
      ]);
    });

    it("unicode names survive as written (composed and decomposed forms alike)", () => {
      const names = fromFile(`${DIR}/unicode-names.csv`).map((p) => [p.firstName, p.lastName]);
      assert.deepEqual(names, [
        ["Zoë", "Novák"],
        ["José", "Núñez"],
        ["雷", "李"],
        ["Åsa", "Bjørn"],
        ["Νίκος", "Παπαδόπουλος"],
        ["Zoe\u0308", "Nova\u0301k"],
      ]);
    });

    it("names with quotes, SQL-looking and formula-looking text are plain data", () => {
      const people = fromFile(`${DIR}/quotes-and-sql.csv`);
      assert.deepEqual(
        people.map((p) => [p.userId, p.firstName, p.lastName]),
        [
          ["BTABLES", "Robert'); DROP TABLE Students;--", "Tables"],
          ["OBRIEN", "Siobhán", "O'Brien"],
          ["DJOHNSON", 'Dwayne "The Rock"', "Johnson"],
          ["FORMULA", '=HYPERLINK("http://evil.example")', "Cell"],
          ["SEMI", "1; DELETE FROM EM;", "x' OR '1'='1"],
        ],
      );
    });

    it("extra HR-export columns are ignored and header names match in any case and spacing", () => {
      const expected = [
        {
          userId: "KWONG",
          email: "kim.wong@example.com",
          firstName: "Kim",
          lastName: "Wong",
          role: "CONNECT",
        },
      ];
      assert.deepEqual(fromFile(`${DIR}/extra-columns.csv`), expected);
      assert.deepEqual(fromFile(`${DIR}/header-case.csv`), expected);
    });

    it("JSON: an array of entries, with or without a byte order mark and CRLF", () => {
      assert.deepEqual(fromFile(`${DIR}/people.json`), [
        {
          userId: "KWONG",
          email: "kim.wong@example.com",
          firstName: "Kim",
          lastName: "Wong",
          employee: "01030",
          role: "CONNECT",
        },
        {
          userId: "zoe.novak",
          email: "zoe.novak@example.com",
          firstName: "Zoë",
          lastName: 'O\'Novák "Z"',
          role: "CONNECT",
        },
      ]);
      assert.deepEqual(fromFile(`${DIR}/bom.json`), [
        {
          userId: "KWONG",
          email: "kim.wong@example.com",
          firstName: "Kim",
          lastName: "Wong",
          role: "CONNECT",
        },
      ]);
    });

    it("JSON rows with __proto__, constructor and other unknown keys: the keys are ignored, as unknown CSV columns", () => {
      const people = fromFile(`${DIR}/proto-keys.json`);
      assert.deepEqual(people, [
        {
          userId: "JPROTO",
          email: "j.proto@example.com",
          firstName: "Jo",
          lastName: "Proto",
          role: "CONNECT",
        },
      ]);
      assert.equal(({} as Record<string, unknown>).admin, undefined, "Object.prototype untouched");
    });

    it("10,000 generated rows load in full, in order, with exact values", () => {
      const rows = ["userId,email,firstName,lastName,employee,role"];
      for (let i = 0; i < 10_000; i++) {
        const n = String(i).padStart(5, "0");
        rows.push(
          `user${n},user${n}@example.com,"First ${n}, ""Q""",Last-${n},E${n},${i % 2 ? "CONNECT" : "PM"}`,
        );
      }
      const file = `${DIR}/generated-10000.csv`;
      const { loaded, issues } = load(file, { [file]: `\uFEFF${rows.join("\r\n")}\r\n` });
      assert.deepEqual(issues, []);
      const people = loaded!.roster.slice(6);
      assert.equal(people.length, 10_000);
      assert.deepEqual(people[9_999], {
        userId: "user09999",
        email: "user09999@example.com",
        firstName: 'First 09999, "Q"',
        lastName: "Last-09999",
        employee: "E09999",
        role: "CONNECT",
        configurer: false,
      });
      assert.equal(people[0]!.userId, "user00000");
      assertProviderAccepts(loaded!);
    });
  });

  describe("refused, naming the row or column", () => {
    it("a missing required column names the column", () => {
      const issues = refusal(`${DIR}/missing-column.csv`);
      assertIssue(issues, `${DIR}/missing-column.csv row 1`, 'missing required column "email"');
    });

    it("a row with too few fields names its line", () => {
      const issues = refusal(`${DIR}/short-row.csv`);
      assertIssue(issues, `${DIR}/short-row.csv row 3`, "Invalid Record Length: expect 4, got 3 on line 3");
    });

    it("rows after blank lines are numbered by the line an editor shows", () => {
      const issues = refusal(`${DIR}/blank-lines.csv`);
      // BTWO is on line 5 of the file (after two blank lines), not the third record's "row 3".
      assert.deepEqual(issues, [
        [
          `${DIR}/blank-lines.csv row 5 email`,
          '"b.two@example" is not a valid email address (expected name@example.com)',
        ],
      ]);
    });

    it("a quoted line break inside a name is refused, and later rows keep their real line", () => {
      const issues = refusal(`${DIR}/multiline-name.csv`);
      assertIssue(issues, `${DIR}/multiline-name.csv row 2 firstName`, "must not contain line breaks");
      assertIssue(issues, `${DIR}/multiline-name.csv row 4 email`, "is not a valid email address");
    });

    it("hostile rows: invalid UTF-8 names its line; bidi overrides and mixed-script emails name the row and field", () => {
      assert.deepEqual(refusal(`${DIR}/latin1.csv`), [
        [
          `${DIR}/latin1.csv line 3`,
          "is not valid UTF-8 text (a byte sequence that is not UTF-8, or U+FFFD where one was replaced); save the file as UTF-8",
        ],
      ]);
      assertIssue(refusal(`${DIR}/bidi-name.csv`), `${DIR}/bidi-name.csv row 3 lastName`, "U+202E");
      assertIssue(
        refusal(`${DIR}/mixed-script-email.csv`),
        `${DIR}/mixed-script-email.csv row 2.email`,
        "mixes Cyrillic and Latin letters",
      );
    });

    it("line numbers count blank lines and line breaks inside quotes (CRLF)", () => {
      const text = [
        "userId,email,firstName,lastName",
        "",
        'A1,a1@example.com,"Multi',
        'Line",One',
        "",
        'A2,a2@example.com,"Has ""quotes""",Two',
        "A3,not-an-email,Three,Three",
        "",
      ].join("\r\n");
      const issues = refusal("gen.csv", { "gen.csv": text });
      assertIssue(issues, "gen.csv row 3 firstName", "must not contain line breaks");
      assertIssue(issues, "gen.csv row 7 email", "is not a valid email address");
    });

    it("a semicolon-separated file says so", () => {
      assertIssue(
        refusal(`${DIR}/semicolons.csv`),
        `${DIR}/semicolons.csv row 1`,
        'separated by ";": save the file with commas',
      );
    });

    it("a column named twice (in another case) names the column", () => {
      assertIssue(
        refusal(`${DIR}/duplicate-column.csv`),
        `${DIR}/duplicate-column.csv row 1`,
        'column "Email" appears twice',
      );
    });

    it("a configurer column is refused on the row that sets it", () => {
      const issues = refusal(`${DIR}/configurer-column.csv`);
      assert.deepEqual(issues, [
        [
          `${DIR}/configurer-column.csv row 3 configurer`,
          "is set; name the configurer under roster.configurer instead",
        ],
      ]);
    });

    it("duplicate emails and user IDs inside the file name both rows", () => {
      const issues = refusal(`${DIR}/duplicates-in-file.csv`);
      assertIssue(
        issues,
        `${DIR}/duplicates-in-file.csv row 3.email`,
        `is listed twice (also at ${DIR}/duplicates-in-file.csv row 2)`,
      );
      assertIssue(
        issues,
        `${DIR}/duplicates-in-file.csv row 5.userId`,
        `is listed twice (also at ${DIR}/duplicates-in-file.csv row 2)`,
      );
    });

    it("JSON that is not an array, an entry that is not an object, and invalid JSON", () => {
      assertIssue(
        refusal(`${DIR}/not-array.json`),
        `${DIR}/not-array.json row 1`,
        "expected a JSON array of entries, got object",
      );
      assertIssue(
        refusal(`${DIR}/entry-not-object.json`),
        `${DIR}/entry-not-object.json entry 1`,
        "entry 1 is not an object",
      );
      const invalid = refusal(`${DIR}/trailing-comma.json`);
      assertIssue(
        invalid,
        `${DIR}/trailing-comma.json row 1`,
        /^\S+: not valid JSON \(Unexpected token .+\); expected an array of entries$/,
      );
      assert.ok(!invalid[0]![1].includes("\n"), "one line");
    });

    it("JSON entries with a null name, a bad email or a numeric employee key name the entry and field", () => {
      const issues = refusal(`${DIR}/bad-entries.json`);
      assert.deepEqual(
        issues.map(([k]) => k),
        [
          `${DIR}/bad-entries.json entry 1 firstName`,
          `${DIR}/bad-entries.json entry 2 email`,
          `${DIR}/bad-entries.json entry 3 employee`,
        ],
      );
      assertIssue(issues, `${DIR}/bad-entries.json entry 1 firstName`, "is required");
      // A JSON number is refused, not turned into text: 1001 may have been 01001 (issue 19).
      assertIssue(
        issues,
        `${DIR}/bad-entries.json entry 3 employee`,
        "must be text, not 1001; put the value in quotes",
      );
    });

    it("one bad row among 10,000 is named by its line", () => {
      const rows = ["userId,email,firstName,lastName"];
      for (let i = 0; i < 10_000; i++) rows.push(`u${i},u${i}@example.com,F,L`);
      rows[7_777] = "u7776,not-an-email,F,L";
      rows[9_001] = "u9000,U17@Example.com,F,L"; // the same email as row 19
      const file = `${DIR}/generated-bad.csv`;
      const issues = refusal(file, { [file]: rows.join("\n") });
      assert.deepEqual(
        issues.map(([k]) => k),
        [`${file} row 7778 email`, `${file} row 9002.email`],
      );
      assertIssue(issues, `${file} row 9002.email`, `also at ${file} row 19`);
    });
  });

  it("whatever the config accepts from any roster fixture, the provider's check accepts", () => {
    let accepted = 0;
    for (const name of fs.readdirSync(path.join(ROOT, DIR))) {
      const { loaded } = load(`${DIR}/${name}`);
      if (!loaded) continue;
      assertProviderAccepts(loaded);
      accepted++;
    }
    assert.ok(accepted >= 8, `only ${accepted} fixtures loaded`);
  });

  it("odd names reach Vantagepoint byte for byte (seeded through ConnectRoster into the emulator)", async () => {
    const restore = fastRetryEnv();
    const emu = await startEmulator({ seed: { employees: 20 } });
    try {
      const entries = [
        ...parseRosterFile(
          fs.readFileSync(path.join(ROOT, DIR, "quotes-and-sql.csv"), "utf8"),
          "quotes-and-sql.csv",
        ),
        ...parseRosterFile(
          fs.readFileSync(path.join(ROOT, DIR, "unicode-names.csv"), "utf8"),
          "unicode-names.csv",
        ),
      ];
      const created = await connectRosterProvider.create({
        vpconnectResource: "ConnectRoster",
        connection: connectionFor(emu),
        entries,
        onDelete: "detach",
        newEmployees: { key: "sequence", prefix: "C" },
      });
      assert.equal(created.outs!.people.length, entries.length);
      for (const entry of entries) {
        const user = emu.state.users.get(entry.userId.toLowerCase());
        assert.ok(user, entry.userId);
        const employee = emu.state.employees.get(String(user.Employee))!;
        assert.deepEqual(
          [employee.FirstName, employee.LastName, employee.EMail],
          [entry.firstName, entry.lastName, entry.email],
        );
      }
    } finally {
      await emu.stop();
      restore();
    }
  });
});
