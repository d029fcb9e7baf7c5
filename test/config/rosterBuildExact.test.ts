/* eslint-disable @typescript-eslint/no-explicit-any -- stack config fixtures are untyped YAML, edited freely by each test */
/**
 * lib/config/rosterBuild.ts, the roster the loader builds from the configurer, inline users and a roster file:
 * each case written the way a roster file is really got wrong (a misspelt column, a control character pasted into
 * a name, a file outside the project, a user ID with its domain), with the exact problem list; and who gets which
 * role. The parser is a stand-in where the row numbering is the point (lib/config/rosterFile.ts has its own tests).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { ConfigError, loadStackConfig } from "../../lib/config/load";
import type { LoadOptions, RosterFileParser } from "../../lib/config/load";
import { readRosterFile } from "../../lib/config/rosterFile";
import { parseStackFile } from "../../lib/config/stackFile";

const root = path.resolve(__dirname, "../..");
const devFile = "stacks/Pulumi.dev.yaml";
const devConfig = parseStackFile(readFileSync(path.join(root, devFile), "utf8"), devFile).config;

/** The dev stack's config (configurer and five users inline), changed by `edit`. */
function dev(edit: (c: Record<string, any>) => void = () => {}): Record<string, unknown> {
  const copy = structuredClone(devConfig) as Record<string, any>;
  edit(copy);
  return copy;
}

const withFile = (file = "people.csv") => dev((c) => (c["vpconnect:roster"].file = file));

function load(raw: Record<string, unknown>, options: Partial<LoadOptions> = {}) {
  return loadStackConfig(raw, { source: devFile, ...options });
}

/** Every problem as "key: message"; [] when the config loads. */
function problems(raw: Record<string, unknown>, options: Partial<LoadOptions> = {}): string[] {
  try {
    load(raw, options);
    return [];
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected ConfigError, got ${String(error)}`);
    return error.issues.map((i) => `${i.key}: ${i.message}`);
  }
}

/** A parser stand-in that hands back these rows and errors. */
const parser =
  (
    entries: unknown[],
    errors: ReturnType<RosterFileParser>["errors"] = [],
    where?: string[],
  ): RosterFileParser =>
  () => ({ entries, errors, ...(where ? { where } : {}) });

const person = (userId: string, extra: Record<string, unknown> = {}) => ({
  userId,
  email: `${userId.toLowerCase()}@example.com`,
  firstName: "Kim",
  lastName: userId,
  ...extra,
});

describe("roster the loader builds (lib/config/rosterBuild.ts), exact", () => {
  describe("roles and the configurer", () => {
    it("the configurer gets the admin role, everyone else the default role, unless a person names one", () => {
      const loaded = load(
        dev((c) => {
          c["vpconnect:vantagepoint"].adminRole = "ADMIN";
          c["vpconnect:roster"].defaultRole = "CONNECT";
          c["vpconnect:roster"].users = [
            { userId: "ALEE", email: "alex.lee@example.com", firstName: "Alex", lastName: "Lee" },
            {
              userId: "MGARCIA",
              email: "maria.garcia@example.com",
              firstName: "Maria",
              lastName: "Garcia",
              role: "CONNECTMGR",
              employee: "00201",
            },
          ];
        }),
      );
      assert.deepEqual(loaded.roster, [
        {
          userId: "ADMIN.JONES",
          email: "pat.jones@example.com",
          firstName: "Pat",
          lastName: "Jones",
          role: "ADMIN",
          configurer: true,
        },
        {
          userId: "ALEE",
          email: "alex.lee@example.com",
          firstName: "Alex",
          lastName: "Lee",
          role: "CONNECT",
          configurer: false,
        },
        {
          userId: "MGARCIA",
          email: "maria.garcia@example.com",
          firstName: "Maria",
          lastName: "Garcia",
          role: "CONNECTMGR",
          configurer: false,
          employee: "00201",
        },
      ]);
      // No employee key at all for a person without one (the provider matches them by email).
      assert.equal(Object.hasOwn(loaded.roster[1]!, "employee"), false);
    });

    it("a configurer who names a role keeps it", () => {
      const loaded = load(dev((c) => (c["vpconnect:roster"].configurer.role = "CONNECTADMIN")));
      assert.equal(loaded.roster[0]!.role, "CONNECTADMIN");
      assert.equal(loaded.roster[1]!.role, "CONNECT");
    });
  });

  describe("the roster file", () => {
    it("rows come after the inline users, numbered from row 2 (the header is row 1) unless the parser says where", () => {
      const loaded = load(withFile(), {
        readFile: () => "csv",
        parseRosterFile: parser([person("FILE1"), person("FILE2", { role: "CONNECTMGR" })]),
      });
      assert.deepEqual(
        loaded.roster.map((e) => `${e.userId}/${e.role}`),
        [
          "ADMIN.JONES/ADMIN",
          "ALEE/CONNECT",
          "MGARCIA/CONNECT",
          "SCHEN/CONNECT",
          "JOKAFOR/CONNECT",
          "RNOVAK/CONNECT",
          "FILE1/CONNECT",
          "FILE2/CONNECTMGR",
        ],
      );
      assert.deepEqual(
        problems(withFile(), {
          readFile: () => "csv",
          parseRosterFile: parser([person("FILE1"), person("ALEE")]),
        }),
        [
          'people.csv row 3.userId: "ALEE" is listed twice (also at vpconnect:roster.users[0]); each user ID once',
        ],
      );
      assert.deepEqual(
        problems(withFile(), {
          readFile: () => "csv",
          parseRosterFile: parser([person("FILE1"), person("ALEE")], [], ["line 4", "line 9"]),
        }),
        [
          'people.csv line 9.userId: "ALEE" is listed twice (also at vpconnect:roster.users[0]); each user ID once',
        ],
      );
    });

    it("the parser's own errors: by where it says, else by row, with the field when it names one", () => {
      assert.deepEqual(
        problems(withFile(), {
          readFile: () => "csv",
          parseRosterFile: parser(
            [],
            [
              {
                row: 1,
                message: "has no userId column; the header must name userId, email, firstName, lastName",
              },
              { row: 7, field: "email", message: "is empty" },
              { row: 9, where: "line 12", field: "configurer", message: "is set" },
            ],
          ),
        }),
        [
          "people.csv row 1: has no userId column; the header must name userId, email, firstName, lastName",
          "people.csv row 7 email: is empty",
          "people.csv line 12 configurer: is set",
        ],
      );
    });

    it("a misspelt column gets the column meant; a configurer column the place for the configurer; others the list", () => {
      assert.deepEqual(
        problems(withFile(), {
          readFile: () => "csv",
          parseRosterFile: parser([
            { ...person("FILE1"), emial: "x@example.com" },
            { ...person("FILE2"), configurer: true },
            { ...person("FILE3"), department: "Finance" },
          ]),
        }),
        [
          'people.csv row 2 emial: is not a roster column; did you mean "email"?',
          "people.csv row 3 configurer: is not a roster column; name the configurer under roster.configurer instead",
          "people.csv row 4 department: is not a roster column; expected userId, email, firstName, lastName, employee, role",
        ],
      );
    });

    it("a bad value in a row is named by file, row and field", () => {
      assert.deepEqual(
        problems(withFile(), {
          readFile: () => "csv",
          parseRosterFile: parser([person("FILE1", { email: "kim at example.com" })]),
        }),
        [
          'people.csv row 2 email: "kim at example.com" is not a valid email address (expected name@example.com): it must contain exactly one @',
        ],
      );
    });

    it("a control character pasted into a name is named by row and field, and the row is not checked further", () => {
      const lines = problems(withFile(), {
        readFile: () => "csv",
        parseRosterFile: parser([person("FILE1", { firstName: "Kim\u0007", email: "not an email" })]),
      });
      assert.equal(lines.length, 1, lines.join("\n"));
      assert.match(lines[0]!, /^people\.csv row 2 firstName: /);
    });

    it("a real CSV file's rows, through the real parser", () => {
      const csv =
        "userId,email,firstName,lastName\nFILE1,file1@example.com,Kim,One\nFILE2,FILE1@example.com,Kim,Two\n";
      assert.deepEqual(problems(withFile(), { readFile: () => csv, parseRosterFile: readRosterFile }), [
        'people.csv row 3.email: "FILE1@example.com" is listed twice (also at people.csv row 2); Connect needs one email per person',
      ]);
    });

    it("without a reader (the component's own check) the file is refused with the inline way", () => {
      assert.deepEqual(problems(withFile(), {}), [
        "vpconnect:roster.file: a roster file cannot be read here; list the users inline under roster.users",
      ]);
      assert.deepEqual(problems(withFile(), { readFile: () => "csv" }), [
        "vpconnect:roster.file: a roster file cannot be read here; list the users inline under roster.users",
      ]);
    });

    it("a file outside the project is refused before it is read", () => {
      let read = 0;
      assert.deepEqual(
        problems(withFile("../shared/people.csv"), {
          readFile: () => (read++, "csv"),
          parseRosterFile: parser([]),
        }),
        [
          'vpconnect:roster.file: "../shared/people.csv" leaves the project folder; keep the roster file inside it (where Pulumi.yaml is), e.g. stacks/roster.csv',
        ],
      );
      assert.equal(read, 0);
    });

    it("a file that cannot be read: the error code, or 'error' when there is none", () => {
      const failing = (code?: string) => () => {
        throw Object.assign(new Error("nope"), code ? { code } : {});
      };
      assert.deepEqual(
        problems(withFile("stacks/people.csv"), { readFile: failing("EACCES"), parseRosterFile: parser([]) }),
        [
          'vpconnect:roster.file: cannot read "stacks/people.csv" (EACCES); the path is relative to the project folder',
        ],
      );
      assert.deepEqual(problems(withFile(), { readFile: failing(), parseRosterFile: parser([]) }), [
        'vpconnect:roster.file: cannot read "people.csv" (error); the path is relative to the project folder',
      ]);
    });
  });

  describe("user IDs with a domain", () => {
    it("named where they are written: inline by index, in the file by row", () => {
      assert.deepEqual(
        problems(
          dev((c) => {
            c["vpconnect:roster"].users[1].userId = "CORP\\MGARCIA";
            c["vpconnect:roster"].file = "people.csv";
          }),
          {
            readFile: () => "csv",
            parseRosterFile: parser([person("kim@corp.example.com", { email: "kim@corp.example.com" })]),
          },
        ),
        [
          'vpconnect:roster.users[1].userId: "CORP\\\\MGARCIA" carries a domain; with Entra ID login (entra.loginMode "entraId") Deltek\'s user setup enters the user name without the domain: use "MGARCIA"',
          'people.csv row 2.userId: "kim@corp.example.com" carries a domain; with Entra ID login (entra.loginMode "entraId") Deltek\'s user setup enters the user name without the domain: use "kim"',
        ],
      );
    });
  });

  describe("the configurer", () => {
    it("is named by its own key: a user repeating it, and its user ID with a domain", () => {
      assert.deepEqual(
        problems(
          dev((c) => {
            c["vpconnect:roster"].configurer.userId = "pat.jones@corp.example.com";
            c["vpconnect:roster"].users[2].email = "Pat.Jones@example.com";
          }),
        ),
        [
          'vpconnect:roster.configurer.userId: "pat.jones@corp.example.com" carries a domain; with Entra ID login (entra.loginMode "entraId") Deltek\'s user setup enters the user name without the domain: use "pat.jones"',
          'vpconnect:roster.users[2].email: "Pat.Jones@example.com" is listed twice (also at vpconnect:roster.configurer); Connect needs one email per person',
        ],
      );
    });
  });

  describe("a row from a JSON roster file with a nested value", () => {
    it("a control character inside is named by the whole path in the row", () => {
      const lines = problems(withFile("people.json"), {
        readFile: () => "json",
        parseRosterFile: parser([person("FILE1", { lastName: { value: "Lee\u0007" } })], [], ["entry 1"]),
      });
      assert.equal(lines.length, 1, lines.join("\n"));
      assert.match(lines[0]!, /^people\.json entry 1 lastName\.value: /);
    });
  });

  describe("a large roster file read twice in one process", () => {
    /** Over 1 MiB: the text the stand-in parser is handed (it reads none of it). */
    const large = (fill: string) => fill.repeat((1 << 20) + 1);

    it("is parsed once for the same name and text, again for other text or another name", () => {
      let parsed = 0;
      const counting: RosterFileParser = (text, file) => (
        parsed++,
        { entries: [person("FILE1"), person(`${file.slice(0, 1).toUpperCase()}${text.length}`)], errors: [] }
      );
      const options = (text: string) => ({ readFile: () => text, parseRosterFile: counting });
      load(withFile("roster.csv"), options(large("a")));
      load(withFile("roster.csv"), options(large("a")));
      assert.equal(parsed, 1, "the same large text is parsed once");
      load(withFile("roster.csv"), options(large("b")));
      assert.equal(parsed, 2, "other text is parsed");
      load(withFile("other.csv"), options(large("b")));
      assert.equal(parsed, 3, "another name is parsed");
      load(withFile("other.csv"), options("small"));
      load(withFile("other.csv"), options("small"));
      assert.equal(parsed, 5, "a small file is parsed each time");
    });

    it("a copy of one large file under another name (two stacks' rosters) names its own file in problems", () => {
      const text = large("x");
      const options = { readFile: () => text, parseRosterFile: parser([person("FILE1"), person("file1")]) };
      const message = (file: string) =>
        `${file} row 3.userId: "file1" is listed twice (also at ${file} row 2); each user ID once`;
      assert.deepEqual(problems(withFile("stacks/dev-roster.csv"), options), [
        message("stacks/dev-roster.csv"),
      ]);
      assert.deepEqual(problems(withFile("stacks/prod-roster.csv"), options), [
        message("stacks/prod-roster.csv"),
      ]);
    });

    /** A CSV of `count` people, over 1 MiB from about 20,000 rows. */
    const bigCsv = (count: number, prefix: string) => {
      const lines = ["userId,email,firstName,lastName"];
      for (let i = 0; i < count; i++)
        lines.push(
          `${prefix}${i},${prefix.toLowerCase()}.person.${i}@example.com,Firstname${i},Lastname-${prefix}-${i}`,
        );
      return `${lines.join("\n")}\n`;
    };

    it("the same name with other text (another stack's roster.csv in check --all) gives that text's people", () => {
      const a = bigCsv(22_000, "A");
      const b = bigCsv(22_000, "B");
      assert.ok(a.length > 1 << 20 && b.length > 1 << 20);
      const options = (text: string) => ({ readFile: () => text, parseRosterFile: readRosterFile });
      const first = load(withFile("roster.csv"), options(a)).roster;
      const second = load(withFile("roster.csv"), options(b)).roster;
      const small = load(withFile("roster.csv"), options(bigCsv(3, "C"))).roster;
      const again = load(withFile("roster.csv"), options(a)).roster;
      assert.equal(first.length, 6 + 22_000);
      assert.equal(first.at(-1)!.userId, "A21999");
      assert.equal(second.length, 6 + 22_000);
      assert.equal(second.at(-1)!.userId, "B21999");
      assert.deepEqual(
        small.slice(6).map((e) => e.userId),
        ["C0", "C1", "C2"],
      );
      assert.deepEqual(again, first);
    });
  });
});
