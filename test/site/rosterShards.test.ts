/* eslint-disable @typescript-eslint/no-explicit-any -- stack config fixtures are untyped YAML, edited freely by each test */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { parseStackFile } from "../../lib/config/stackFile";
import { shardOf } from "../../lib/vantagepoint/rosterShards";
import { rosterEntriesOf } from "../../lib/vantagepoint/rosterText";
import { installMocks } from "../support/pulumiMocks";
import type { Harness } from "../support/pulumiMocks";

const root = path.resolve(__dirname, "../..");
const DYNAMIC = "pulumi-nodejs:dynamic:Resource";

function engineConfig(edit: (c: Record<string, any>) => void) {
  const raw = structuredClone(
    parseStackFile(readFileSync(path.join(root, "stacks/Pulumi.dev.yaml"), "utf8"), "dev").config,
  ) as Record<string, any>;
  raw["vpconnect:vantagepoint"].password = "sentinel-password-9f3a";
  raw["vpconnect:vantagepoint"].clientSecret = "sentinel-client-secret-7c1e";
  edit(raw);
  const config: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw))
    config[key] = typeof value === "string" ? value : JSON.stringify(value);
  return { config, secretKeys: ["vpconnect:vantagepoint"] };
}

const person = (i: number) => ({
  userId: `SHARD${String(i).padStart(3, "0")}`,
  email: `shard${i}@example.com`,
  firstName: "Shard",
  lastName: `Person ${i}`,
});

/** The roster resources the program registers for `users`, by name, with their entries' user IDs. */
async function rosterOf(users: ReturnType<typeof person>[], shards?: number) {
  const harness: Harness = await installMocks({ stack: "dev" });
  try {
    const engine = engineConfig((c) => {
      c["vpconnect:roster"].users = users;
      if (shards !== undefined) c["vpconnect:roster"].shards = shards;
    });
    pulumi.runtime.setAllConfig(engine.config, engine.secretKeys);
    const entry = require.resolve(path.join(root, "index.ts"));
    delete require.cache[entry];
    require(entry);
    await harness.settle();
    const dynamic = harness.ofType(DYNAMIC);
    const rosters = dynamic.filter((r) => r.inputs.vpconnectResource === "ConnectRoster");
    const brake = dynamic.find((r) => r.inputs.vpconnectResource === "ConnectRosterBrake");
    return {
      shards: new Map(
        rosters.map((r) => [
          r.name,
          { shard: r.inputs.shard, ids: rosterEntriesOf(r.inputs.entries).map((e) => e.userId) },
        ]),
      ),
      brake,
      dependsOn: new Map(rosters.map((r) => [r.name, r.dependencies ?? []])),
    };
  } finally {
    harness.restore();
  }
}

describe("the program's roster in shards (ConnectSite)", () => {
  it("one roster resource named as before, no brake resource, below 2,000 people", async () => {
    const r = await rosterOf([person(1), person(2)]);
    assert.deepEqual([...r.shards.keys()], ["connect-roster"]);
    assert.equal(r.shards.get("connect-roster")!.shard, undefined, "inputs as a single roster always had");
    assert.equal(r.brake, undefined);
  });

  it("roster.shards 4: shard 0 keeps the old name, each person in the shard of their user ID, a brake over all", async () => {
    const users = Array.from({ length: 40 }, (_, i) => person(i));
    const r = await rosterOf(users, 4);
    assert.deepEqual([...r.shards.keys()].sort(), [
      "connect-roster",
      "connect-roster-1",
      "connect-roster-2",
      "connect-roster-3",
    ]);
    let total = 0;
    for (const [name, s] of r.shards) {
      const index = name === "connect-roster" ? 0 : Number(name.slice(-1));
      assert.deepEqual(s.shard, { index, count: 4 });
      for (const id of s.ids) assert.equal(shardOf(id, 4), index, `${id} in shard ${index}`);
      total += s.ids.length;
    }
    assert.equal(total, 41, "40 users and the configurer");
    assert.ok(r.brake, "a ConnectRosterBrake over the whole roster");
    assert.equal(r.brake!.inputs.count, 41);
    assert.ok(String(r.brake!.inputs.people).includes("shard007"));
    for (const deps of r.dependsOn.values())
      assert.ok(deps.includes(r.brake!.urn), "shards wait for the brake");
  });

  it("adding one person to the roster changes exactly one shard's inputs", async () => {
    const users = Array.from({ length: 40 }, (_, i) => person(i));
    const before = await rosterOf(users, 4);
    const after = await rosterOf([...users, person(77)], 4);
    const changed = [...before.shards.keys()].filter(
      (name) => JSON.stringify(before.shards.get(name)) !== JSON.stringify(after.shards.get(name)),
    );
    assert.equal(changed.length, 1, `changed: ${changed.join(", ")}`);
    assert.ok(after.shards.get(changed[0])!.ids.includes("SHARD077"));
  });
});
