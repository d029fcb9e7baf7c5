/**
 * The roster line of every report (evaluator/stages/outcome.ts rosterSummary): a roster split into shards
 * (lib/vantagepoint/rosterShards.ts) is one ConnectRoster per shard, and every shard's people count.
 */
import assert from "node:assert/strict";
import { capturedResource, DYNAMIC_TYPE } from "../../evaluator";
import type { CapturedResource } from "../../evaluator";
import { rosterSummary } from "../../evaluator/check";
import type { LoadedConfig } from "../../lib/config/load";

type Person = { userId: string; linked: boolean };

/** A ConnectRoster as a dynamic run captures it; `people` left out as in a preview (nothing ran). */
function rosterShard(name: string, index: number, count: number, people?: Person[]): CapturedResource {
  const inputs = { vpconnectResource: "ConnectRoster", shard: { index, count } };
  return capturedResource({
    urn: `urn:pulumi:dev::vantagepoint-connect::vantagepoint-connect:index:ConnectSite$${DYNAMIC_TYPE}::${name}`,
    type: DYNAMIC_TYPE,
    name,
    custom: true,
    inputs,
    outputs: people === undefined ? { ...inputs } : { ...inputs, people },
  });
}

const person = (userId: string, linked = true): Person => ({ userId, linked });
const config = (userIds: string[], configurer: string) =>
  ({
    roster: userIds.map((userId) => ({ userId, ...(userId === configurer ? { configurer: true } : {}) })),
  }) as unknown as Pick<LoadedConfig, "roster">;

describe("rosterSummary", () => {
  const users = ["ADMIN", "ANNA", "BEN", "CHEN", "DANA", "EVA"];

  it("counts the linked people of every shard, not shard 0 alone", () => {
    const resources = [
      rosterShard("site-roster", 0, 3, [person("ADMIN"), person("ANNA", false)]),
      rosterShard("site-roster-1", 1, 3, [person("BEN"), person("CHEN")]),
      rosterShard("site-roster-2", 2, 3, [person("DANA"), person("EVA")]),
    ];
    assert.deepEqual(rosterSummary(config(users, "ADMIN"), { resources }), {
      people: 6,
      configurer: "ADMIN",
      linked: 5,
    });
  });

  it("leaves linked out when a shard did not report its people (a preview, or a shard that did not run)", () => {
    const resources = [
      rosterShard("site-roster", 0, 2, [person("ADMIN"), person("ANNA")]),
      rosterShard("site-roster-1", 1, 2),
    ];
    assert.deepEqual(rosterSummary(config(users, "ADMIN"), { resources }), {
      people: 6,
      configurer: "ADMIN",
    });
  });

  it("counts one person once across shards, user IDs compared as SQL Server does (ABC is abc)", () => {
    const resources = [
      rosterShard("site-roster", 0, 2, [person("ADMIN"), person("anna")]),
      rosterShard("site-roster-1", 1, 2, [person("ANNA "), person("BEN")]),
    ];
    assert.equal(rosterSummary(config(users, "ADMIN"), { resources }).linked, 3);
  });

  it("a roster in one resource (no shards) still counts as before", () => {
    const one = rosterShard("site-roster", 0, 1, [person("ADMIN"), person("ANNA"), person("BEN", false)]);
    assert.deepEqual(rosterSummary(config(["ADMIN", "ANNA", "BEN"], "ADMIN"), { resources: [one] }), {
      people: 3,
      configurer: "ADMIN",
      linked: 2,
    });
    assert.deepEqual(rosterSummary(config(["ADMIN"], "ADMIN"), { resources: [] }), {
      people: 1,
      configurer: "ADMIN",
    });
  });
});
