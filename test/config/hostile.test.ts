/**
 * Hostile and wrong stack config, refused by the config step before anything runs: each case is the dev stack
 * with one edit the way a person (or an attacker) writes it. Every refusal names the key as the user writes
 * it, carries no unsafe character or URL password, and where it suggests a fix, that fix loads.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ConfigError, loadStackConfig } from "../../lib/config/load";
import type { ConfigIssue, LoadedConfig } from "../../lib/config/load";
import { projectFileReader, readProjectFile, ProjectFileError } from "../../lib/config/projectFile";
import { readRosterFile } from "../../lib/config/rosterFile";
import { parseStackFile } from "../../lib/config/stackFile";
import { unsafeTextProblem } from "../../lib/values/validators";

const ROOT = path.resolve(__dirname, "../..");
const DEV_FILE = "stacks/Pulumi.dev.yaml";
const DEV = fs.readFileSync(path.join(ROOT, DEV_FILE), "utf8");
/** A fixed today, so the dev stack's rotation dates (2026-11-01, 365 days) are current. */
const NOW = new Date("2026-12-01T12:00:00Z");

function swap(text: string, from: string, to: string): string {
  assert.equal(text.split(from).length, 2, `${JSON.stringify(from)} must occur once`);
  return text.replace(from, () => to);
}

function run(
  input: string | Uint8Array,
  options: { projectDir?: string; now?: Date } = {},
): { loaded?: LoadedConfig; issues: ConfigIssue[] } {
  try {
    const { config, environments } = parseStackFile(input, DEV_FILE);
    const loaded = loadStackConfig(config, {
      source: DEV_FILE,
      readFile: projectFileReader(options.projectDir ?? ROOT),
      parseRosterFile: readRosterFile,
      environments,
      now: options.now ?? NOW,
    });
    return { loaded, issues: [] };
  } catch (error) {
    if (error instanceof ConfigError) return { issues: error.issues };
    throw error;
  }
}

interface Case {
  why: string;
  edit: (text: string) => string | Uint8Array;
  key: string;
  fragment: string | RegExp;
  /** The fix the message suggests, applied to the broken text: it must load. */
  fix?: (text: string) => string;
}

const ROTATED = '365\n      secretRotatedOn: "2026-11-01"\n';

/** `line N` of the dev stack holding `marker` (plus `after`). */
function devLine(marker: string, after = 0): string {
  return `line ${DEV.slice(0, DEV.indexOf(marker)).split("\n").length + after}`;
}
const on = (from: string, to: string) => (t: string) => swap(t, from, to);
const rosterFile = (file: string) =>
  on("    defaultRole: CONNECT", `    defaultRole: CONNECT\n    file: ${file}`);

const CASES: Record<string, Case[]> = {
  bytes: [
    {
      why: "invalid UTF-8 in the stack file (a Latin-1 é)",
      edit: (t) => {
        const b = Buffer.from(swap(t, "lastName: Jones", "lastName: Jon@s"), "utf8");
        b[b.indexOf("Jon@s") + 3] = 0xe9;
        return b;
      },
      key: devLine("      lastName: Jones"),
      fragment: "is not valid UTF-8 text",
    },
    {
      why: "the stack file read with replacement characters",
      edit: on("lastName: Jones", "lastName: Jon\ufffds"),
      key: devLine("      lastName: Jones"),
      fragment: "save the file as UTF-8",
    },
    {
      why: "invalid UTF-8 in a roster file",
      edit: rosterFile("test/fixtures/rosters/latin1.csv"),
      key: "test/fixtures/rosters/latin1.csv line 3",
      fragment: "is not valid UTF-8 text",
    },
    {
      why: "a NUL in a name",
      edit: on("firstName: Pat", 'firstName: "Pa\\0t"'),
      key: "vpconnect:roster.configurer.firstName",
      fragment: "NUL character, U+0000 at character 3; remove it",
      fix: on('firstName: "Pa\\0t"', "firstName: Pat"),
    },
    {
      why: "a terminal escape sequence in a tag value",
      edit: on("environment: dev", 'environment: "\\e[31mdev"'),
      key: "vpconnect:azure.tags.environment",
      fragment: "control character",
    },
    {
      why: "a right-to-left override in a display name (Trojan Source)",
      edit: on("displayName: Deltek Vantagepoint (dev)", 'displayName: "Deltek \\u202Eved"'),
      key: "vpconnect:entra.loginApp.displayName",
      fragment: "bidirectional-override character",
    },
    {
      why: "a right-to-left override in a Pulumi ESC environment name (printed in notes and reports)",
      edit: on("config:\n", 'environment:\n  - "vpconnect/\u202Edev"\nconfig:\n'),
      key: "environment[0]",
      fragment: "bidirectional-override character",
      fix: on('environment:\n  - "vpconnect/\u202Edev"\n', "environment:\n  - vpconnect/dev\n"),
    },
    {
      why: "a bidi isolate in a key",
      edit: on("    enforceAt: both", '    "enforce\\u2067At": both'),
      key: "vpconnect:allowList.enforce\\u{2067}At",
      fragment: "is a key that contains a bidirectional-override",
    },
    {
      why: "a zero-width space inside a user ID",
      edit: on("userId: ALEE", 'userId: "AL\\u200bEE"'),
      key: "vpconnect:roster.users[0].userId",
      fragment: "invisible zero-width character",
    },
    {
      why: "a right-to-left override in a roster file row",
      edit: rosterFile("test/fixtures/rosters/bidi-name.csv"),
      key: "test/fixtures/rosters/bidi-name.csv row 3 lastName",
      fragment: "bidirectional-override",
    },
  ],
  ranges: [
    {
      why: "IPv4-mapped IPv6 ::ffff:0:0/96 (admits every IPv4 address)",
      edit: on("      - 198.51.100.0/24", '      - "::ffff:0:0/96"'),
      key: "vpconnect:allowList.connectIps[1]",
      fragment: "IPv4-mapped IPv6 space",
    },
    {
      why: "one IPv4-mapped range: the fix is its IPv4 form",
      edit: on("      - 198.51.100.0/24", '      - "::ffff:198.51.100.0/120"'),
      key: "vpconnect:allowList.connectIps[1]",
      fragment: "write the IPv4 range 198.51.100.0/24 instead",
      fix: on('      - "::ffff:198.51.100.0/120"', "      - 198.51.100.0/24"),
    },
    {
      why: "an IPv6 range that contains the IPv4-mapped space",
      edit: on("      - 198.51.100.0/24", '      - "::/64"'),
      key: "vpconnect:allowList.connectIps[1]",
      fragment: "includes ::ffff:0:0/96",
    },
    {
      why: "NAT64 space",
      edit: on("      - 198.51.100.0/24", '      - "64:ff9b::c633:6400/120"'),
      key: "vpconnect:allowList.connectIps[1]",
      fragment: "NAT64",
    },
    {
      why: "two halves that together cover every address (private ranges allowed)",
      edit: (t) =>
        swap(
          swap(t, "      - 198.51.100.0/24", "      - 0.0.0.0/1\n      - 128.0.0.0/1"),
          "    enforceAt: both",
          "    enforceAt: both\n    allowPrivateRanges: true",
        ),
      key: "vpconnect:allowList.connectIps",
      fragment: "together cover every IPv4 address (they merge into 0.0.0.0/0)",
    },
    {
      why: "two halves without allowPrivateRanges: no suggestion to allow private ranges",
      edit: on("      - 198.51.100.0/24", "      - 0.0.0.0/1\n      - 128.0.0.0/1"),
      key: "vpconnect:allowList.connectIps[1]",
      fragment: "remove it and list Connect's published addresses instead",
    },
    {
      why: "public ranges that each pass but together admit a quarter of the Internet",
      edit: on("      - 198.51.100.0/24", "      - 64.0.0.0/3\n      - 32.0.0.0/3"),
      key: "vpconnect:allowList.connectIps",
      fragment: "more than a /8",
    },
    {
      why: "extra ranges that widen the Connect list past the limit",
      edit: on("      - 192.0.2.64/27 # head-office", "      - 64.0.0.0/3 # head-office"),
      key: "vpconnect:allowList.extraRanges",
      fragment: "with allowList.connectIps, admit",
    },
    {
      why: "more ranges than one NSG holds (4,000), caught before any resource",
      edit: (t) =>
        swap(
          swap(
            t,
            "      - 198.51.100.0/24\n",
            `      - 198.51.100.0/24\n${spaced(4001)
              .map((c) => `      - ${c}`)
              .join("\n")}\n`,
          ),
          "enforceAt: both",
          "enforceAt: nsg",
        ),
      key: "vpconnect:allowList.connectIps",
      fragment: "source prefixes an NSG can hold",
    },
    {
      why: "more ranges than one WAF rule holds (6,000): enforcing at the NSG is not offered (it holds fewer)",
      edit: on(
        "      - 198.51.100.0/24\n",
        `      - 198.51.100.0/24\n${spaced(6001)
          .map((c) => `      - ${c}`)
          .join("\n")}\n`,
      ),
      key: "vpconnect:allowList.connectIps",
      fragment: /one WAF custom rule can hold \(10 conditions x 600\); merge ranges into wider prefixes$/,
    },
    {
      why: "host bits set where the network is private: the fix names both steps",
      edit: on("      - 203.0.113.0/24", "      - 10.0.0.7/8"),
      key: "vpconnect:allowList.connectIps[0]",
      fragment: "its network address would be refused too: 10.0.0.0/8 is private",
      fix: (t) =>
        swap(
          swap(t, "      - 10.0.0.7/8", "      - 10.0.0.0/8"),
          "    enforceAt: both",
          "    enforceAt: both\n    allowPrivateRanges: true",
        ),
    },
  ],
  "names and URLs": [
    {
      why: "an IP literal as the public host name",
      edit: on("publicHostname: vantagepoint.example.com", "publicHostname: 203.0.113.10"),
      key: "vpconnect:site.publicHostname",
      fragment: "is an IP address; give the DNS name",
    },
    {
      why: "an IPv6 literal as the public host name",
      edit: on("publicHostname: vantagepoint.example.com", 'publicHostname: "[2001:db8::10]"'),
      key: "vpconnect:site.publicHostname",
      fragment: "is an IP address",
    },
    {
      why: "a fragment in the API URL",
      edit: on("/vantagepoint/api\n", "/vantagepoint/api#login\n"),
      key: "vpconnect:vantagepoint.apiUrl",
      fragment:
        'must not have a fragment ("#..."); give the address only, e.g. "https://vp-dev-web.corp.example.com/vantagepoint/api"',
      fix: on("/vantagepoint/api#login\n", "/vantagepoint/api\n"),
    },
    {
      why: "a query in the API URL",
      edit: on("/vantagepoint/api\n", "/vantagepoint/api?database=VP_DEV\n"),
      key: "vpconnect:vantagepoint.apiUrl",
      fragment: 'must not have a query ("?...")',
    },
    {
      why: "a javascript: URL",
      edit: on(
        "apiUrl: https://vp-dev-web.corp.example.com/vantagepoint/api",
        'apiUrl: "javascript:alert(1)"',
      ),
      key: "vpconnect:vantagepoint.apiUrl",
      fragment: "not javascript:",
    },
    {
      why: "user info in an unparsable URL: the password is not echoed",
      edit: on(
        "apiUrl: https://vp-dev-web.corp.example.com/vantagepoint/api",
        "apiUrl: https://svc:Sentinel-Url-Password-6e0d@vantage point.example.com/api",
      ),
      key: "vpconnect:vantagepoint.apiUrl",
      fragment: '"https://svc:***@vantage point.example.com/api" must be a URL',
    },
    {
      why: "a backend address with a scheme",
      edit: on("address: 10.20.0.10", "address: https://10.20.0.10"),
      key: "vpconnect:site.backend.address",
      fragment: 'has a scheme; give the address only, e.g. "10.20.0.10"',
      fix: on("address: https://10.20.0.10", "address: 10.20.0.10"),
    },
    {
      why: "a backend address with a port",
      edit: on("address: 10.20.0.10", "address: 10.20.0.10:8443"),
      key: "vpconnect:site.backend.address",
      fragment: 'give the address only, "10.20.0.10", and put 8443 in site.backend.port',
      fix: (t) => swap(swap(t, "address: 10.20.0.10:8443", "address: 10.20.0.10"), "port: 443", "port: 8443"),
    },
    {
      why: "a VNet address space that is the whole Internet",
      edit: on("addressSpace: 10.60.0.0/16", "addressSpace: 0.0.0.0/0"),
      key: "vpconnect:azure.network.addressSpace",
      fragment: "is the whole IPv4 Internet",
    },
    {
      why: "a VNet address space wider than a /8",
      edit: on("addressSpace: 10.60.0.0/16", "addressSpace: 0.0.0.0/1"),
      key: "vpconnect:azure.network.addressSpace",
      fragment: "is more than a /8",
    },
    {
      why: "a VNet address space Azure refuses (link-local)",
      edit: (t) =>
        swap(
          swap(t, "addressSpace: 10.60.0.0/16", "addressSpace: 169.254.0.0/16"),
          "gatewaySubnetPrefix: 10.60.1.0/24",
          "gatewaySubnetPrefix: 169.254.1.0/24",
        ),
      key: "vpconnect:azure.network.addressSpace",
      fragment: "which Azure does not allow in a virtual network",
    },
    {
      why: "the nil GUID as tenant",
      edit: on(
        "    tenantId: 7d3c2b1a-4e5f-4a6b-8c9d-0e1f2a3b4c5d",
        "    tenantId: 00000000-0000-0000-0000-000000000000",
      ),
      key: "vpconnect:entra.tenantId",
      fragment: "is the nil GUID",
    },
  ],
  secrets: [
    {
      why: "an empty secure: value",
      edit: on("secure: v1:q0cX9o2b5y3S4d7L:6cT1x4RZbq0w7l3nY2kZ8d6Fz1HcNw==", 'secure: ""'),
      key: "vpconnect:vantagepoint.password",
      fragment:
        "has an empty `secure:` value; run `pulumi config set --secret --path 'vpconnect:vantagepoint.password' <value>`",
    },
    {
      why: "a secure: value that is not ciphertext",
      edit: on("secure: v1:q0cX9o2b5y3S4d7L:6cT1x4RZbq0w7l3nY2kZ8d6Fz1HcNw==", "secure: v1:hunter2"),
      key: "vpconnect:vantagepoint.password",
      fragment: "is not Pulumi ciphertext",
    },
    {
      why: "a secure: value that is a number",
      edit: on("secure: v1:q0cX9o2b5y3S4d7L:6cT1x4RZbq0w7l3nY2kZ8d6Fz1HcNw==", "secure: 42"),
      key: "vpconnect:vantagepoint.password",
      fragment: "that is not text",
    },
    {
      why: "a secure: map with another key beside it",
      edit: on(
        "      secure: v1:q0cX9o2b5y3S4d7L:6cT1x4RZbq0w7l3nY2kZ8d6Fz1HcNw==",
        "      secure: v1:q0cX9o2b5y3S4d7L:6cT1x4RZbq0w7l3nY2kZ8d6Fz1HcNw==\n      plain: x",
      ),
      key: "vpconnect:vantagepoint.password",
      fragment: "has keys beside `secure:`",
    },
  ],
  "roster files": [
    {
      why: "a path that climbs out of the project",
      edit: rosterFile("../roster.csv"),
      key: "vpconnect:roster.file",
      fragment: "leaves the project folder",
    },
    {
      why: "a path that climbs out after going in",
      edit: rosterFile("stacks/../../roster.csv"),
      key: "vpconnect:roster.file",
      fragment: "leaves the project folder",
    },
    {
      why: "an absolute path",
      edit: rosterFile("/etc/people.csv"),
      key: "vpconnect:roster.file",
      fragment: "is an absolute path",
    },
    {
      why: "a Windows drive path",
      edit: rosterFile('"C:\\\\HR\\\\people.csv"'),
      key: "vpconnect:roster.file",
      fragment: "is an absolute path",
    },
    {
      why: "a folder",
      edit: rosterFile("test/fixtures/rosters/folder.csv"),
      key: "vpconnect:roster.file",
      fragment: "is a folder",
    },
    {
      why: "a Cyrillic letter in a roster file's email",
      edit: rosterFile("test/fixtures/rosters/mixed-script-email.csv"),
      key: "test/fixtures/rosters/mixed-script-email.csv row 2.email",
      fragment: 'mixes Cyrillic and Latin letters in "аlex"; it looks like "alex.lee@example.com"',
    },
    {
      why: "an inline user whose whole address is written in Cyrillic lookalikes of another's",
      edit: on(
        "{ userId: JOKAFOR, email: jude.okafor@example.com,",
        '{ userId: JOKAFOR, email: "\u0430\u04cf\u0435\u0445.\u04cf\u0435\u0435@example.com",',
      ),
      key: "vpconnect:roster.users[3].email",
      fragment:
        'looks like "alex.lee@example.com" (at vpconnect:roster.users[0]) but uses letters of another script',
    },
  ],
  YAML: [
    {
      why: "an alias bomb",
      edit: on(
        "    enforceAt: both",
        "    enforceAt: both\n    a: &a [x, x, x, x, x, x, x, x, x, x]\n    b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n    c: [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]",
      ),
      key: "(file)",
      fragment: "an alias bomb",
    },
    {
      why: "absurd nesting (30,000 levels)",
      edit: on("    enforceAt: both", `    enforceAt: both\n    x: ${"[".repeat(30000)}${"]".repeat(30000)}`),
      key: devLine("    enforceAt: both", 1),
      fragment: "is nested too deeply to read",
    },
    {
      why: "deep but readable nesting (40 levels)",
      edit: on("    enforceAt: both", `    enforceAt: both\n    x: ${"[".repeat(40)}${"]".repeat(40)}`),
      key: "vpconnect:allowList.x[0]",
      fragment: "is nested more than 16 levels deep",
    },
    {
      why: "an unknown top-level key",
      edit: on("config:\n", "confg:\n"),
      key: "confg",
      fragment: 'is not a stack file key; did you mean "config"?',
      fix: on("confg:\n", "config:\n"),
    },
    {
      why: "a near-miss namespace",
      edit: on("  vpconnect:policy:", "  vpconnnect:policy:"),
      key: "vpconnnect:policy",
      fragment: 'unknown namespace "vpconnnect"; did you mean "vpconnect:policy"?',
      fix: on("  vpconnnect:policy:", "  vpconnect:policy:"),
    },
    {
      why: "a namespace in other letter case",
      edit: on("  vpconnect:policy:", "  VPConnect:policy:"),
      key: "VPConnect:policy",
      fragment: 'did you mean "vpconnect:policy"?',
    },
    {
      why: "a __proto__ key in a map of tags",
      edit: on("      owner: platform-team", "      owner: platform-team\n      __proto__: { admin: true }"),
      key: "vpconnect:azure.tags.__proto__",
      fragment: "is not a vpconnect key (a name JavaScript reserves); remove it",
    },
  ],
  dates: [
    {
      why: "a rotation date in the future",
      edit: on(ROTATED, ROTATED.replace("2026-11-01", "2027-06-01")),
      key: "vpconnect:entra.loginApp.secretRotatedOn",
      fragment: 'the login app ("Deltek Vantagepoint (dev)"): 2027-06-01 is in the future',
      fix: on(ROTATED.replace("2026-11-01", "2027-06-01"), ROTATED.replace("2026-11-01", "2026-12-01")),
    },
    {
      why: "a rotation date whose secret already expired",
      edit: on(ROTATED, ROTATED.replace("2026-11-01", "2025-06-01")),
      // The fix goes into the other slot: issue slot B (setting slot A's date again also passes, see fix).
      key: "vpconnect:entra.loginApp.secretSlotBRotatedOn",
      fragment:
        'the login app ("Deltek Vantagepoint (dev)"): the active secret (slot A, issued 2025-06-01) expired on 2026-06-01',
      fix: on(ROTATED.replace("2026-11-01", "2025-06-01"), ROTATED.replace("2026-11-01", "2026-12-01")),
    },
  ],
};

/** n public /32s that never merge (203.x.y.z style spread over 11.0.0.0/8). */
function spaced(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `11.${Math.floor(i / 125)}.${(i % 125) * 2}.1/32`);
}

describe("hostile and wrong stack config, refused before anything runs", () => {
  it("the dev stack itself loads (each case fails for its one edit)", () => {
    const { issues } = run(DEV);
    assert.deepEqual(issues, []);
  });

  for (const [kind, cases] of Object.entries(CASES)) {
    describe(kind, () => {
      for (const c of cases) {
        it(`${c.why}: ${c.key}`, () => {
          const broken = c.edit(DEV);
          const { loaded, issues } = run(broken);
          assert.equal(loaded, undefined, "must be refused");
          const hit = issues.find(
            (i) =>
              i.key === c.key &&
              (typeof c.fragment === "string" ? i.message.includes(c.fragment) : c.fragment.test(i.message)),
          );
          assert.ok(
            hit,
            `no issue at ${c.key} saying ${String(c.fragment)}; got:\n${issues.map((i) => `  ${i.key}: ${i.message}`).join("\n")}`,
          );
          for (const i of issues) {
            assert.equal(
              unsafeTextProblem(i.key + i.message),
              undefined,
              `unsafe text in ${i.key}: ${i.message}`,
            );
            assert.ok(
              !`${i.key} ${i.message}`.includes("Sentinel-Url-Password"),
              "a URL password was echoed",
            );
          }
          if (c.fix) {
            assert.equal(typeof broken, "string");
            const fixed = run(c.fix(broken as string));
            assert.deepEqual(
              fixed.issues.map((i) => `${i.key}: ${i.message}`),
              [],
              "the suggested fix must pass its own check",
            );
          }
        });
      }
    });
  }

  describe("roster files through the project folder's reader", () => {
    let project: string;
    let outside: string;
    before(() => {
      project = fs.mkdtempSync(path.join(os.tmpdir(), "vpc-project-"));
      outside = fs.mkdtempSync(path.join(os.tmpdir(), "vpc-outside-"));
      fs.writeFileSync(
        path.join(outside, "people.csv"),
        "userId,email,firstName,lastName\nX,x@example.com,X,Y\n",
      );
      fs.mkdirSync(path.join(project, "stacks"));
      fs.writeFileSync(
        path.join(project, "stacks", "inside.csv"),
        "userId,email,firstName,lastName\nIN,in@example.com,In,Side\n",
      );
      fs.symlinkSync(path.join(outside, "people.csv"), path.join(project, "stacks", "link.csv"));
      fs.symlinkSync(outside, path.join(project, "hr"));
      fs.symlinkSync(path.join(project, "stacks", "inside.csv"), path.join(project, "stacks", "alias.csv"));
    });
    after(() => {
      fs.rmSync(project, { recursive: true, force: true });
      fs.rmSync(outside, { recursive: true, force: true });
    });

    it("refuses a symbolic link to a file outside the project", () => {
      const { issues } = run(rosterFile("stacks/link.csv")(DEV), { projectDir: project });
      const hit = issues.find((i) => i.key === "vpconnect:roster.file");
      assert.match(hit?.message ?? "", /leads outside the project folder through a symbolic link/);
    });
    it("refuses a path through a linked folder that leads outside", () => {
      assert.throws(
        () => readProjectFile(project, "hr/people.csv"),
        (e: Error) => e instanceof ProjectFileError && /symbolic link/.test(e.message),
      );
    });
    it("reads a symbolic link that stays inside the project, and plain files", () => {
      assert.match(readProjectFile(project, "stacks/alias.csv"), /in@example\.com/);
      const { loaded } = run(rosterFile("stacks/inside.csv")(DEV), { projectDir: project });
      assert.equal(loaded?.roster.at(-1)?.email, "in@example.com");
    });
    it("reports a missing file with the path as written", () => {
      const { issues } = run(rosterFile("stacks/none.csv")(DEV), { projectDir: project });
      assert.match(issues[0]!.message, /cannot read "stacks\/none\.csv" \(ENOENT\)/);
    });
  });

  it("a JSON roster with __proto__, constructor and toString keys: unknown keys ignored, nothing polluted", () => {
    const { loaded, issues } = run(rosterFile("test/fixtures/rosters/proto-keys.json")(DEV));
    assert.deepEqual(issues, []);
    const person = loaded!.roster.at(-1)!;
    assert.deepEqual(
      { userId: person.userId, role: person.role, email: person.email },
      { userId: "JPROTO", role: "CONNECT", email: "j.proto@example.com" },
    );
    assert.equal(({} as Record<string, unknown>).admin, undefined, "Object.prototype untouched");
    assert.equal(Object.getPrototypeOf(person), Object.prototype);
  });

  it("a rotation date checked against the clock it is given (the day of rotation and the last valid day pass)", () => {
    assert.deepEqual(run(DEV, { now: new Date("2026-11-01T00:00:00Z") }).issues, []);
    assert.deepEqual(run(DEV, { now: new Date("2027-10-31T12:00:00Z") }).issues, []);
    const expired = run(DEV, { now: new Date("2027-11-02T00:00:00Z") }).issues.map((i) => i.key);
    // The certificate (valid to 2027-10-31) is checked against the same clock.
    assert.deepEqual(expired, [
      "vpconnect:tls.certificateExpiresOn",
      "vpconnect:entra.loginApp.secretSlotBRotatedOn",
    ]);
  });
});

describe("a large roster file is checked once per process", () => {
  /** A valid CSV of `n` people, over the 1 MB from which checked rows are kept. */
  const csv = (n: number, domain = "contoso.example") =>
    [
      "userId,email,firstName,lastName",
      ...Array.from({ length: n }, (_, i) => `U${i},connect.user${i}@${domain},Connect,User ${i}`),
    ].join("\n");

  it("the second load of the same file (the program's, after the check's) reuses the checked rows", () => {
    let calls = 0;
    const counting: typeof readRosterFile = (text, file) => {
      calls++;
      return readRosterFile(text, file);
    };
    const texts: Record<string, string> = { "big.csv": csv(25_000) };
    const load = () =>
      loadStackConfig(parseStackFile(rosterFile("big.csv")(DEV), DEV_FILE).config, {
        source: DEV_FILE,
        readFile: (p) => texts[p]!,
        parseRosterFile: counting,
        now: NOW,
      });
    const first = load();
    const second = load();
    assert.equal(calls, 1, "parsed and checked once");
    assert.equal(second.roster.length, 25_006);
    assert.deepEqual(second.roster, first.roster);
    texts["big.csv"] = csv(25_000, "fabrikam.example");
    const third = load();
    assert.equal(calls, 2, "a changed file is checked again");
    assert.equal(third.roster.at(-1)!.email, "connect.user24999@fabrikam.example");
  });
});
