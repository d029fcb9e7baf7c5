/**
 * The walks a 100,000-person roster goes through in `vpconnect check` (issue 21 item 4), kept to what they must
 * do: the same answers as the straightforward walks they replaced (the reference copies below), without a path,
 * an entry list or a hidden class per person. Numbers: `npm run bench:config`.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import fc from "fast-check";
import * as pulumi from "@pulumi/pulumi";
import { plainView } from "../../components/argsCheck";
import { copyData } from "../../evaluator/plain";
import { MAX_DEPTH, MULTILINE_KEYS, textIssues } from "../../lib/values/hostile";
import type { IssuePath, PathIssue } from "../../lib/values/hostile";
import { isSecretValue } from "../../lib/values/secret";
import { unsafeTextProblem } from "../../lib/values/validators";
import { SECRET_NOT_AT_HAND, UNKNOWN } from "../../lib/site/view";
import { emailProblem } from "../../lib/vantagepoint/roster";
import { identityHash } from "../../lib/vantagepoint/rosterShards";
import { rosterIdentity } from "../../lib/vantagepoint/removalBrake";
import { tsLoader } from "../../lib/entraGroup/readSync";
import { rosterEntriesOf, rosterText } from "../../lib/vantagepoint/rosterText";
import { parseRosterFileRows } from "../../lib/vantagepoint/rosterFile";
import { readRosterFile } from "../../lib/config/rosterFile";
import type { RosterEntry } from "../../lib/vantagepoint/types";

const ROOT = path.resolve(__dirname, "../..");

/** textIssues as it was written before: a path and an entry list for every value it passed. */
function referenceTextIssues(root: unknown, base: IssuePath): PathIssue[] {
  const reserved = new Set(["__proto__", "constructor", "prototype"]);
  const pattern = (p: IssuePath) =>
    p.reduce<string>(
      (out, part, i) => (typeof part === "number" ? `${out}[]` : i === 0 ? part : `${out}.${part}`),
      "",
    );
  const out: PathIssue[] = [];
  const stack: Array<{ value: unknown; path: IssuePath }> = [{ value: root, path: base }];
  while (stack.length > 0) {
    const { value, path: at } = stack.pop()!;
    if (typeof value === "string") {
      const multiline = MULTILINE_KEYS.has(pattern(at));
      const problem = unsafeTextProblem(multiline ? value.replace(/\r?\n/g, " ") : value);
      if (problem) out.push({ path: at, message: problem });
      continue;
    }
    if (value === null || typeof value !== "object" || isSecretValue(value)) continue;
    if (at.length - base.length >= MAX_DEPTH) {
      out.push({
        path: at,
        message: `is nested more than ${MAX_DEPTH} levels deep; no vpconnect key goes that deep, so remove the extra levels`,
      });
      continue;
    }
    const entries = Array.isArray(value)
      ? value.map((v, i) => [i, v] as const)
      : Object.keys(value).map((k) => [k, (value as Record<string, unknown>)[k]] as const);
    for (const [key, child] of entries) {
      if (typeof key === "string") {
        const keyProblem = unsafeTextProblem(key);
        if (keyProblem) {
          out.push({ path: [...at, key], message: `is a key that ${keyProblem}` });
          continue;
        }
        if (reserved.has(key)) {
          out.push({
            path: [...at, key],
            message: "is not a vpconnect key (a name JavaScript reserves); remove it",
          });
          continue;
        }
      }
      stack.push({ value: child, path: [...at, key] });
    }
  }
  return out.reverse();
}

/** rosterText as it was written before: each line built field by field. */
function referenceRosterText(entries: readonly RosterEntry[]): string {
  const fields = ["userId", "email", "firstName", "lastName", "employee", "role", "configurer"] as const;
  let text = "";
  for (const e of entries) {
    let line = "";
    for (const f of fields) {
      const v = e[f];
      if (v !== undefined) line += `${line ? "," : "{"}"${f}":${JSON.stringify(v)}`;
    }
    text += `${text ? "\n" : ""}${line ? `${line}}` : "{}"}`;
  }
  return text;
}

/** Text as people paste it: mostly plain, sometimes a control, bidi or invisible character, or a line break. */
const text = fc.oneof(
  fc.constantFrom(
    "Pat",
    "alex.lee@example.com",
    "",
    "Jones",
    "line\nbreak",
    "tab\there",
    "bidi\u202eevil",
    "zw\u200bsp",
  ),
  fc.string({ maxLength: 6 }),
);
const key = fc.oneof(
  fc.constantFrom("userId", "email", "pem", "__proto__", "constructor", "k\u0007"),
  fc.string({ maxLength: 4 }),
);
const value = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    text,
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie("node"), { maxLength: 4 }),
    fc.dictionary(key, tie("node"), { maxKeys: 4 }),
  ),
})).node;

/** `depth` maps nested in each other around a flat map of safe text. */
function nested(depth: number): unknown {
  let node: unknown = { userId: "PJ", email: "pat@example.com" };
  for (let i = 0; i < depth; i++) node = { level: node };
  return node;
}

describe("roster scale: the walks over every person", () => {
  it("textIssues finds what the path-per-value walk found, in the same order", () => {
    fc.assert(
      fc.property(
        value,
        fc.constantFrom<IssuePath>([], ["roster"], ["site", "backend", "trustedRootCertificates", 0]),
        (v, base) => {
          assert.deepEqual(textIssues(v, base), referenceTextIssues(v, base));
        },
      ),
      { numRuns: 400 },
    );
  });

  it("textIssues: a flat map of safe text at the depth limit is still too deep; one level up it passes", () => {
    const tooDeep = textIssues({ a: nested(MAX_DEPTH - 1) }, []);
    assert.equal(tooDeep.length, 1);
    assert.match(tooDeep[0]!.message, /nested more than 16 levels deep/);
    assert.deepEqual(tooDeep, referenceTextIssues({ a: nested(MAX_DEPTH - 1) }, []));
    assert.deepEqual(textIssues({ a: nested(MAX_DEPTH - 2) }, []), []);
  });

  it("textIssues over a large roster names the one bad person by index", () => {
    const users = Array.from({ length: 20_000 }, (_, i) => ({ userId: `U${i}`, email: `u${i}@example.com` }));
    users[12_345] = { userId: "U12345", email: "u12345@exa\u202emple.com" };
    const issues = textIssues({ roster: { users } }, []);
    assert.deepEqual(
      issues.map((i) => i.path),
      [["roster", "users", 12_345, "email"]],
    );
  });

  it("rosterText writes what the field-by-field writer wrote, and reads back", () => {
    const entry = fc.record(
      {
        userId: text,
        email: text,
        firstName: text,
        lastName: text,
        employee: fc.oneof(text, fc.constant(undefined)),
        role: text,
        configurer: fc.boolean(),
      },
      { requiredKeys: [] },
    ) as fc.Arbitrary<RosterEntry>;
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 8 }), (entries) => {
        const written = rosterText(entries);
        assert.equal(written, referenceRosterText(entries));
        assert.equal(rosterEntriesOf(written).length, entries.length);
      }),
      { numRuns: 300 },
    );
  });

  it("emailProblem counts the @ as before: none, one, two, at either end", () => {
    const reference = (email: string) => {
      if ((email.match(/@/g) ?? []).length !== 1) return "must contain exactly one @";
      return undefined;
    };
    for (const email of [
      "jane",
      "jane@@example.com",
      "@example.com",
      "jane@",
      "a@b@c.example",
      "jane@example.com",
    ]) {
      const got = emailProblem(email);
      if (reference(email)) assert.equal(got, "must contain exactly one @", email);
      else assert.notEqual(got, "must contain exactly one @", email);
    }
    assert.equal(emailProblem("jane@example.com"), undefined);
    assert.equal(emailProblem(".jane@example.com"), "has a misplaced dot before the @");
    assert.equal(emailProblem(`${"j".repeat(65)}@example.com`), "has more than 64 characters before the @");
    assert.match(emailProblem("jane@example")!, /domain "example"/);
  });

  it("the loaded roster's entries share one hidden class (a spread gave each person its own)", function () {
    this.timeout(60_000);
    // V8's %HaveSameMap, in a child started with --allow-natives-syntax; the roster file is handed in as text.
    const script = `
      const fs = require("node:fs");
      const { loadStackConfig } = require(${JSON.stringify(path.join(ROOT, "lib/config/load"))});
      const { readRosterFile } = require(${JSON.stringify(path.join(ROOT, "lib/config/rosterFile"))});
      const { parseStackFile } = require(${JSON.stringify(path.join(ROOT, "lib/config/stackFile"))});
      const stack = fs.readFileSync(${JSON.stringify(path.join(ROOT, "stacks/Pulumi.dev.yaml"))}, "utf8")
        .replace("    defaultRole: CONNECT", "    defaultRole: CONNECT\\n    file: people.csv");
      const rows = ["userId,email,firstName,lastName,employee"];
      for (let i = 0; i < 3000; i++) rows.push("U" + i + ",u" + i + "@contoso.example,Connect,User " + i + "," + (i % 2 ? "E" + i : ""));
      const { config, environments } = parseStackFile(stack, "stacks/Pulumi.dev.yaml");
      const loaded = loadStackConfig(config, {
        source: "stacks/Pulumi.dev.yaml", readFile: () => rows.join("\\n"), parseRosterFile: readRosterFile,
        environments, now: new Date("2026-12-01T12:00:00Z"),
      });
      const r = loaded.roster.slice(1);
      const plain = r.filter((e) => e.employee === undefined), keyed = r.filter((e) => e.employee !== undefined);
      const same = (list) => list.filter((e) => %HaveSameMap(e, list[0])).length;
      process.stdout.write(JSON.stringify({ plain: [same(plain), plain.length], keyed: [same(keyed), keyed.length] }));
    `;
    const out = execFileSync(
      process.execPath,
      ["--allow-natives-syntax", "-r", path.join(ROOT, "scripts/ts-register.js"), "-e", script],
      { cwd: ROOT, encoding: "utf8" },
    );
    const { plain, keyed } = JSON.parse(out) as { plain: [number, number]; keyed: [number, number] };
    assert.ok(plain[1] > 1000 && keyed[1] > 1000, out);
    assert.equal(plain[0], plain[1], `entries without an employee key sharing one hidden class: ${out}`);
    assert.equal(keyed[0], keyed[1], `entries with an employee key sharing one hidden class: ${out}`);
  });
  it("a component's args view hands plain parts on as they are and copies only the way to a value given later", () => {
    const roster = Array.from({ length: 1000 }, (_, i) => ({ userId: `U${i}`, email: `u${i}@example.com` }));
    const tags = { team: "it" };
    const later = pulumi.output("10.0.0.0/16");
    const args = {
      tags,
      vantagepoint: { roster, adminRole: "ADMIN", password: SECRET_NOT_AT_HAND },
      network: { addressSpace: [later, "10.1.0.0/16"], name: "vnet" },
    };
    const { view, pending } = plainView(args) as {
      view: typeof args;
      pending: Array<{ path: unknown[]; value: unknown }>;
    };
    // Nothing to replace under them: the very same objects (100,000 people are not copied to be read).
    assert.equal(view.tags, tags);
    assert.equal(view.vantagepoint.roster, roster);
    // Replaced below: copies, the args as given untouched.
    assert.notEqual(view.vantagepoint, args.vantagepoint);
    assert.equal(view.vantagepoint.password, UNKNOWN);
    assert.equal(args.vantagepoint.password, SECRET_NOT_AT_HAND);
    assert.notEqual(view.network, args.network);
    assert.deepEqual(view.network, { addressSpace: [UNKNOWN, "10.1.0.0/16"], name: "vnet" });
    assert.equal(args.network.addressSpace[0], later);
    assert.deepEqual(pending, [{ path: ["network", "addressSpace", 0], value: later }]);
    assert.deepEqual(Object.keys(view), ["tags", "vantagepoint", "network"]);
    assert.deepEqual(Object.keys(view.vantagepoint), ["roster", "adminRole", "password"]);
  });
  it("the group read's child starts with the repository's register script (SWC), not TypeScript's transpiler", () => {
    assert.equal(tsLoader(), path.join(ROOT, "scripts", "ts-register.js"));
  });
  it("copyData (the evaluator's copies of a resource's properties) equals structuredClone and is independent", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const copy = copyData(v);
        assert.deepStrictEqual(copy, structuredClone(v));
        if (v !== null && typeof v === "object") assert.notEqual(copy, v);
      }),
      { numRuns: 300 },
    );
    const original = {
      entries: "x".repeat(1000),
      shard: { index: 1, count: 4 },
      list: [{ a: 1 }],
      at: new Date(0),
    };
    const copy = copyData(original);
    copy.shard.index = 2;
    copy.list[0]!.a = 2;
    assert.deepEqual(original.shard, { index: 1, count: 4 });
    assert.deepEqual(original.list, [{ a: 1 }]);
    assert.ok(copy.at instanceof Date && copy.at !== original.at && copy.at.getTime() === 0);
    const hostile = JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, unknown>;
    const copied = copyData(hostile);
    assert.deepEqual(Object.keys(copied), ["__proto__"]);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(Object.getPrototypeOf(copied), Object.prototype);
  });
  it("a CSV row reads as the same entry as a JSON entry with the same columns (read by column, no record per row)", () => {
    const columns = [
      "userId",
      "EMAIL",
      "firstName",
      "lastName",
      "employee",
      "Role",
      "configurer",
      "department",
    ];
    const cell = fc.oneof(
      fc.constantFrom("", " ", "Pat", " Lee ", "a,b", 'say "hi"', "00201"),
      fc.string({ maxLength: 5 }),
    );
    const flag = fc.constantFrom("", "yes", "No", " true ", "0", "Y");
    const row = fc.tuple(cell, cell, cell, cell, cell, cell, flag, cell);
    const quote = (v: string) => `"${v.replace(/"/g, '""')}"`;
    fc.assert(
      fc.property(
        fc.shuffledSubarray(columns, { minLength: 4 }),
        fc.array(row, { minLength: 1, maxLength: 6 }),
        (picked, rows) => {
          const header = columns.filter(
            (c) => picked.includes(c) || ["userId", "EMAIL", "firstName", "lastName"].includes(c),
          );
          const records = rows.map((r) => Object.fromEntries(header.map((h) => [h, r[columns.indexOf(h)]!])));
          const csvText = [
            header.join(","),
            ...records.map((rec) => header.map((h) => quote(rec[h]!)).join(",")),
          ].join("\n");
          const fromCsv = parseRosterFileRows(csvText, "people.csv");
          const fromJson = parseRosterFileRows(JSON.stringify(records), "people.json");
          assert.deepStrictEqual(fromCsv.entries, fromJson.entries);
          assert.deepStrictEqual(
            fromCsv.entries.map((e) => Object.keys(e)),
            fromJson.entries.map((e) => Object.keys(e)),
          );
          assert.deepEqual(
            fromCsv.where,
            rows.map((_, i) => `row ${i + 2}`),
          );
        },
      ),
      { numRuns: 200 },
    );
    assert.throws(
      () =>
        parseRosterFileRows("userId,email,firstName,lastName,configurer\nU,u@x.example,A,B,maybe", "p.csv"),
      {
        message: 'p.csv row 2: configurer must be true or false, got "maybe"',
      },
    );
  });

  it("the config's roster file reader copies only rows with a configurer column (refused there), keeps the rest as parsed", () => {
    const text = "userId,email,firstName,lastName\nU1,u1@x.example,A,B\nU2,u2@x.example,C,D\n";
    const read = readRosterFile(text, "p.csv");
    assert.deepEqual(read.errors, []);
    assert.deepEqual(read.entries, parseRosterFileRows(text, "p.csv").entries);
    const flagged = readRosterFile(
      "userId,email,firstName,lastName,configurer\nU1,u1@x.example,A,B,yes\nU2,u2@x.example,C,D,no\n",
      "p.csv",
    );
    assert.deepEqual(flagged.entries, [
      { userId: "U1", email: "u1@x.example", firstName: "A", lastName: "B" },
      { userId: "U2", email: "u2@x.example", firstName: "C", lastName: "D" },
    ]);
    assert.deepEqual(flagged.errors, [
      {
        row: 2,
        where: "row 2",
        field: "configurer",
        message: "is set; name the configurer under roster.configurer instead",
      },
    ]);
  });
  it("identityHash without a Buffer for ASCII IDs: the same FNV-1a over UTF-8 bytes as ever (shards never move)", () => {
    const reference = (userId: string) => {
      let h = 0x811c9dc5;
      for (const b of Buffer.from(rosterIdentity(userId), "utf8")) {
        h ^= b;
        h = Math.imul(h, 0x01000193) >>> 0;
      }
      return h >>> 0;
    };
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.string({ unit: "grapheme" }), fc.constantFrom(" ALee ", "ß", "u\ud800")),
        (id) => {
          assert.equal(identityHash(id), reference(id));
        },
      ),
      { numRuns: 500 },
    );
    // Fixed values: a change of hash would move people between shards (a diff on every shard).
    assert.deepEqual(
      ["alee", "ALEE", "connect.user000001@contoso.example", "Zoë"].map(identityHash),
      ["alee", "alee", "connect.user000001@contoso.example", "zoë"].map(reference),
    );
  });
});
