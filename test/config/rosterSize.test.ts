/* eslint-disable @typescript-eslint/no-explicit-any -- stack config fixtures are untyped YAML, edited freely by each test */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { ENV_STRING_MAX_BYTES, engineConfigBytes, inlineRosterSizeIssue } from "../../lib/config/configSize";
import { ConfigError, loadStackConfig } from "../../lib/config/load";
import { readRosterFile } from "../../lib/config/rosterFile";
import { parseStackFile } from "../../lib/config/stackFile";

const root = path.resolve(__dirname, "../..");
const DEV = parseStackFile(readFileSync(path.join(root, "stacks/Pulumi.dev.yaml"), "utf8"), "dev").config;

const people = (n: number) =>
  Array.from({ length: n }, (_, i) => {
    const id = String(i + 1).padStart(6, "0");
    return {
      userId: `U${id}`,
      email: `connect.user${id}@contoso.example`,
      firstName: "Connect",
      lastName: `User ${id}`,
    };
  });

function load(edit: (c: Record<string, any>) => void, files: Record<string, string> = {}) {
  const raw = structuredClone(DEV) as Record<string, any>;
  edit(raw);
  return loadStackConfig(raw, {
    source: "stacks/Pulumi.dev.yaml",
    readFile: (p) => {
      if (files[p] === undefined) throw Object.assign(new Error("missing"), { code: "ENOENT" });
      return files[p]!;
    },
    parseRosterFile: readRosterFile,
    secretOverrides: { "vantagepoint.password": "pw", "vantagepoint.clientSecret": "cs" },
  });
}

describe("stack config: a roster's size is never a reason to refuse it", () => {
  it("the engine's config string: PULUMI_CONFIG= and a JSON map of key to JSON text", () => {
    const raw = { "vpconnect:roster": { users: [] }, "azure-native:location": "westeurope" };
    const expected = `PULUMI_CONFIG=${JSON.stringify({
      "vpconnect:roster": '{"users":[]}',
      "azure-native:location": "westeurope",
    })}`;
    assert.equal(engineConfigBytes(raw), Buffer.byteLength(expected));
    assert.equal(ENV_STRING_MAX_BYTES, 131072);
    assert.equal(inlineRosterSizeIssue(raw), undefined);
    assert.equal(
      inlineRosterSizeIssue({ "vpconnect:allowList": { extraRanges: ["x".repeat(140 * 1024)] } }),
      undefined,
      "a config too big without inline people is not the roster's to refuse",
    );
  });

  it("people listed inline past 128 KiB: refused at roster.users with a fix that passes (the list in a file)", () => {
    const many = people(1500);
    assert.throws(
      () => load((c) => c["vpconnect:roster"].users.push(...many)),
      (e: unknown) => {
        assert.ok(e instanceof ConfigError);
        const issue = e.issues.find((i) => i.key === "vpconnect:roster.users");
        assert.ok(issue, JSON.stringify(e.issues));
        assert.match(issue.message, /^lists 1505 people inline, which makes the stack config \d+ KiB; /);
        assert.match(issue.message, /one environment variable, which Linux caps at 128 KiB/);
        assert.match(issue.message, /pulumi config set --path 'vpconnect:roster\.file' roster\.json/);
        return true;
      },
    );
  });

  it("the fix passes: the same people in roster.json load, and so does a 20,000-person file", () => {
    const many = people(1500);
    const loaded = load((c) => (c["vpconnect:roster"].file = "roster.json"), {
      "roster.json": JSON.stringify(many),
    });
    assert.equal(loaded.roster.length, 1 + 5 + 1500);
    const csv = [
      "userId,email,firstName,lastName",
      ...people(20000).map((p) => `${p.userId},${p.email},${p.firstName},${p.lastName}`),
    ].join("\n");
    const big = load((c) => (c["vpconnect:roster"].file = "roster.csv"), { "roster.csv": csv });
    assert.equal(big.roster.length, 1 + 5 + 20000);
  });

  it("an inline roster under the limit loads as before", () => {
    const loaded = load((c) => c["vpconnect:roster"].users.push(...people(100)));
    assert.equal(loaded.roster.length, 1 + 5 + 100);
  });
});

describe("stack config size (exact answers)", () => {
  /** A config whose engine string is exactly `bytes` long: an inline roster of `n` people, padded by a free-text key. */
  function configOf(bytes: number, n = 3): Record<string, unknown> {
    const raw: Record<string, unknown> = { "vpconnect:roster": { users: people(n) }, "vpconnect:note": "" };
    const pad = bytes - engineConfigBytes(raw);
    assert.ok(pad >= 0);
    raw["vpconnect:note"] = "x".repeat(pad);
    assert.equal(engineConfigBytes(raw), bytes);
    return raw;
  }

  it("counts text values as they are, objects as JSON text, in UTF-8 bytes", () => {
    // Written out by hand: the engine's string for these two keys.
    const expected =
      'PULUMI_CONFIG={"vpconnect:site":"{\\"publicHostname\\":\\"vp.contoso.example\\"}","vpconnect:owner":"Zoë"}';
    assert.equal(expected.length, 102);
    assert.equal(
      engineConfigBytes({
        "vpconnect:site": { publicHostname: "vp.contoso.example" },
        "vpconnect:owner": "Zoë",
      }),
      103,
    );
  });

  it("refuses at one byte past 128 KiB, not at 128 KiB, and gives the size in whole KiB rounded up", () => {
    assert.equal(inlineRosterSizeIssue(configOf(ENV_STRING_MAX_BYTES)), undefined);
    const over = inlineRosterSizeIssue(configOf(ENV_STRING_MAX_BYTES + 1));
    assert.equal(over?.[0], "vpconnect:roster.users");
    assert.match(over![1], /^lists 3 people inline, which makes the stack config 129 KiB; /);
  });

  it("reads the roster as JSON text too (the engine's form), and an unreadable text as no people", () => {
    const raw = configOf(ENV_STRING_MAX_BYTES + 10, 2);
    const asEngine = { ...raw, "vpconnect:roster": JSON.stringify(raw["vpconnect:roster"]) };
    assert.equal(engineConfigBytes(asEngine), ENV_STRING_MAX_BYTES + 10);
    assert.match(
      inlineRosterSizeIssue(asEngine)![1],
      /^lists 2 people inline, which makes the stack config 129 KiB; /,
    );
    const broken = { ...raw, "vpconnect:roster": `${JSON.stringify(raw["vpconnect:roster"])}}` };
    assert.equal(inlineRosterSizeIssue(broken), undefined);
    assert.equal(inlineRosterSizeIssue({ ...raw, "vpconnect:roster": null }), undefined);
  });
});
