/* eslint-disable @typescript-eslint/no-explicit-any -- stack config fixtures are untyped YAML, edited freely by each test */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { ConfigError, loadStackConfig } from "../../lib/config/load";
import type { GroupReadRequest, GroupReader } from "../../lib/config/groupSource";
import { parseStackFile } from "../../lib/config/stackFile";
import { DEMO_GROUP_ID, demoDirectory, flattenMembers } from "../../emulator/graph";

const root = path.resolve(__dirname, "../..");
const file = "examples/group-roster/Pulumi.group.yaml";
const groupConfig = parseStackFile(readFileSync(path.join(root, file), "utf8"), file).config;
const SECRET = "graph-secret-sentinel-4b1e";

function load(readGroup: GroupReader | undefined, edit: (c: Record<string, any>) => void = () => {}) {
  const raw = structuredClone(groupConfig) as Record<string, any>;
  edit(raw);
  return loadStackConfig(raw, {
    source: file,
    readGroup,
    secretOverrides: {
      "vantagepoint.password": "pw",
      "vantagepoint.clientSecret": "cs",
      "roster.group.graph.clientSecret": SECRET,
    },
  });
}

const demoReader =
  (seen: GroupReadRequest[] = []): GroupReader =>
  (request) => {
    seen.push(request);
    return { members: flattenMembers(demoDirectory(240), DEMO_GROUP_ID), pages: 3, requests: 4, units: 12 };
  };

describe("stack config: roster.group", () => {
  it("adds the group's Connect users after the static roster, asking for the configured group with the secret", () => {
    const seen: GroupReadRequest[] = [];
    const loaded = load(demoReader(seen));
    assert.equal(seen.length, 1);
    assert.deepEqual(
      { ...seen[0], clientSecret: seen[0].clientSecret === SECRET },
      {
        groupId: DEMO_GROUP_ID,
        transitive: true,
        tenantId: loaded.config.entra.tenantId,
        clientId: "3f1d2c4b-5a6e-4f70-8192-a3b4c5d6e7f8",
        clientSecret: true,
      },
    );
    assert.equal(loaded.roster.length, 2 + 240, "configurer, ALEE, and the group's 240 users");
    assert.deepEqual(loaded.roster[2], {
      userId: "demo.user0001",
      email: "demo.user0001@contoso.example",
      firstName: "Demo",
      lastName: "User 0001",
      role: "CONNECT",
      configurer: false,
    });
    assert.deepEqual(
      { members: loaded.group!.members, added: loaded.group!.added, units: loaded.group!.units },
      { members: 247, added: 240, units: 12 },
    );
    const notes = loaded.warnings.filter((w) => w.startsWith("roster.group"));
    assert.equal(notes.length, 4, notes.join("\n"));
    assert.match(notes.join("\n"), /1 disabled accounts.*\n.*1 guests left out.*\n.*1 users without a mail/s);
  });

  it("the static entry wins for the same person (user ID or email, any case)", () => {
    const loaded = load(demoReader(), (c) => {
      c["vpconnect:roster"].users.push(
        { userId: "DEMO.USER0001", email: "first@example.com", firstName: "Static", lastName: "One" },
        { userId: "someone", email: "Demo.User0002@contoso.example", firstName: "Static", lastName: "Two" },
      );
    });
    assert.equal(loaded.roster.length, 4 + 238);
    const one = loaded.roster.filter((p) => p.userId.toLowerCase() === "demo.user0001");
    assert.deepEqual(
      one.map((p) => p.firstName),
      ["Static"],
    );
    assert.equal(
      loaded.roster.filter((p) => p.email.toLowerCase() === "demo.user0002@contoso.example").length,
      1,
    );
  });

  it("a read that stops is a config problem naming roster.group: nothing runs on a partial list", () => {
    const failing: GroupReader = () => {
      throw new Error("Entra ID group x: Graph answered 500; read 200 members in 2 pages before it stopped.");
    };
    assert.throws(
      () => load(failing),
      (e: unknown) =>
        e instanceof ConfigError &&
        e.issues.some(
          (i) => i.key === "vpconnect:roster.group" && /read 200 members in 2 pages/.test(i.message),
        ),
    );
  });

  it("names a wrong group ID and rule with a value that would pass", () => {
    let issues: string[] = [];
    try {
      load(demoReader(), (c) => {
        c["vpconnect:roster"].group.id = "Connect users";
        c["vpconnect:roster"].group.userIdRule = "email";
      });
    } catch (e) {
      issues = (e as ConfigError).issues.map((i) => `${i.key}: ${i.message}`);
    }
    assert.ok(
      issues.some((l) => /^vpconnect:roster\.group\.id: must be the group's object ID/.test(l)),
      issues.join("\n"),
    );
    assert.ok(
      issues.some((l) =>
        l.startsWith('vpconnect:roster.group.userIdRule: "email" must be one of "upnPrefix", "upn"'),
      ),
      issues.join("\n"),
    );
  });
});
