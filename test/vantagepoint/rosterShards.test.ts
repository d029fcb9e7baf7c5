import assert from "node:assert/strict";
import type { Emulator } from "../../emulator";
import {
  connectRosterProvider as provider,
  ConnectRosterInputs,
  ConnectRosterOutputs,
} from "../../components/vantagepoint/connectRoster";
import { connectRosterBrakeProvider as brakeProvider } from "../../components/vantagepoint/connectRosterBrake";
import type { ConnectRosterBrakeInputs } from "../../components/vantagepoint/connectRosterBrake";
import {
  identityHash,
  identityText,
  removalDigest,
  shardCount,
  shardOf,
  splitIntoShards,
} from "../../lib/vantagepoint";
import type { RosterEntry } from "../../lib/vantagepoint";
import { connectionFor, errorOf, useEmulator } from "./helpers";

const people = (n: number, offset = 0): RosterEntry[] =>
  Array.from({ length: n }, (_, i) => ({
    userId: `shard${i + offset}@contoso.example`,
    email: `shard${i + offset}@contoso.example`,
    firstName: "Shard",
    lastName: `Person ${i + offset}`,
  }));

describe("roster shards (pure)", () => {
  it("a person's shard depends only on the trimmed, case-insensitive user ID, with known values", () => {
    assert.equal(identityHash("a"), 0xe40c292c, "FNV-1a of 'a'");
    assert.equal(identityHash(" A "), identityHash("a"));
    assert.equal(shardOf("Alex.Lee@Contoso.example", 8), shardOf("alex.lee@contoso.example ", 8));
    assert.equal(shardOf("anyone", 1), 0);
    const counts = splitIntoShards(people(8000), 8).map((s) => s.length);
    for (const c of counts) assert.ok(c > 850 && c < 1150, `balanced: ${counts.join(",")}`);
  });

  it("the default count gives 2,000 people a shard, a power of two; an explicit count wins", () => {
    assert.deepEqual(
      [0, 2000, 2001, 5000, 100_000, 10_000_000].map((n) => shardCount(n)),
      [1, 1, 2, 4, 64, 256],
    );
    assert.equal(shardCount(100_000, { shards: 3 }), 3);
    assert.equal(shardCount(10, { shardSize: 4 }), 4);
  });

  it("adding one person changes exactly one shard's list", () => {
    const before = splitIntoShards(people(500), 8);
    const after = splitIntoShards([...people(500), ...people(1, 9000)], 8);
    const changed = before.map((s, i) => JSON.stringify(s) !== JSON.stringify(after[i]));
    assert.deepEqual(
      changed.map((c, i) => (c ? i : -1)).filter((i) => i >= 0),
      [shardOf(people(1, 9000)[0].userId, 8)],
    );
  });
});

describe("roster shards against the emulator: migration and moves write nothing", () => {
  let emu: Emulator;
  useEmulator({}, (started) => (emu = started));

  const inputs = (entries: RosterEntry[], extra: Partial<ConnectRosterInputs> = {}): ConnectRosterInputs => ({
    vpconnectResource: "ConnectRoster",
    connection: connectionFor(emu, { pageSize: 50 }),
    entries,
    onDelete: "deactivateUsers",
    newEmployees: { key: "sequence", prefix: "S" },
    ...extra,
  });

  it("today's single roster becomes 4 shards (shard 0 in place) with 0 writes and nobody deactivated", async () => {
    const everyone = people(60);
    const single = await provider.create(inputs(everyone));
    const olds = single.outs as ConnectRosterOutputs;
    emu.resetCounters();
    const parts = splitIntoShards(everyone, 4);
    const shard0 = inputs(parts[0], { shard: { index: 0, count: 4 } });
    const checked = await provider.check!(olds, shard0);
    assert.deepEqual(checked.failures, [], "people who moved to shards 1-3 are not removals");
    await provider.update!(single.id, olds, shard0);
    for (let i = 1; i < 4; i++) {
      const shard = inputs(parts[i], { shard: { index: i, count: 4 } });
      assert.deepEqual((await provider.check!({} as ConnectRosterInputs, shard)).failures, []);
      await provider.create(shard);
    }
    assert.equal(emu.counters.writes, 0, "no Vantagepoint write");
    for (const p of everyone) assert.equal(emu.state.users.get(p.userId.toLowerCase())!.Status, "A");
  });

  it("growing from 4 to 8 shards moves people without a write; fewer shards with deactivateUsers is refused", async () => {
    const everyone = people(60);
    const four = splitIntoShards(everyone, 4);
    const eight = splitIntoShards(everyone, 8);
    const created: Array<{ id: string; outs: ConnectRosterOutputs }> = [];
    for (let i = 0; i < 4; i++) {
      const r = await provider.create(inputs(four[i], { shard: { index: i, count: 4 } }));
      created.push({ id: r.id, outs: r.outs as ConnectRosterOutputs });
    }
    emu.resetCounters();
    for (let i = 0; i < 8; i++) {
      const news = inputs(eight[i], { shard: { index: i, count: 8 } });
      if (i < 4) {
        assert.deepEqual((await provider.check!(created[i].outs, news)).failures, []);
        await provider.update!(created[i].id, created[i].outs, news);
      } else await provider.create(news);
    }
    assert.equal(emu.counters.writes, 0);
    for (const p of everyone) assert.equal(emu.state.users.get(p.userId.toLowerCase())!.Status, "A");

    const shrink = await provider.check!(
      { ...created[0].outs, shard: { index: 0, count: 8 } },
      inputs(four[0], { shard: { index: 0, count: 4 } }),
    );
    assert.deepEqual(
      shrink.failures!.map((f) => f.property),
      ["shard.count"],
    );
    assert.match(shrink.failures![0].reason, /goes down from 8 to 4 while onDelete is "deactivateUsers"/);
  });

  it("a shard with people really gone deactivates them, and only them", async () => {
    const everyone = people(40);
    const parts = splitIntoShards(everyone, 2);
    const r = await provider.create(inputs(parts[0], { shard: { index: 0, count: 2 } }));
    const gone = parts[0][0];
    await provider.update!(
      r.id,
      r.outs as ConnectRosterOutputs,
      inputs(parts[0].slice(1), { shard: { index: 0, count: 2 } }),
    );
    assert.equal(emu.state.users.get(gone.userId.toLowerCase())!.Status, "I");
    for (const p of parts[0].slice(1)) assert.equal(emu.state.users.get(p.userId.toLowerCase())!.Status, "A");
  });
});

describe("ConnectRosterBrake: the brake across shards", () => {
  const brakeInputs = (
    ids: string[],
    extra: Partial<ConnectRosterBrakeInputs> = {},
  ): ConnectRosterBrakeInputs => ({
    vpconnectResource: "ConnectRosterBrake",
    people: identityText(ids),
    count: ids.length,
    ...extra,
  });
  const ids = people(1000).map((p) => p.userId);

  it("an emptied roster stops in check and update with the whole list, though each shard lost few", async () => {
    const olds = brakeInputs(ids);
    const news = brakeInputs(ids.slice(0, 850));
    const r = await brakeProvider.check!(olds, news);
    assert.deepEqual(
      r.failures!.map((f) => f.property),
      ["people"],
    );
    assert.match(r.failures![0].reason, /would lose 150 people in one run \(15 % of the 1000 on the roster/);
    assert.ok(r.failures![0].reason.includes("vpconnect:roster.removalBrake.approve: { count: 150"));
    const err = await errorOf(brakeProvider.update!("connect-roster-brake", olds, news));
    assert.match(err.message, /would lose 150 people/);
    // Spread over 8 shards, no shard alone loses more than its 10 %... the whole-roster brake still stops it.
    const approve = { count: 150, digest: removalDigest(ids.slice(850)) };
    const ok = await brakeProvider.check!(
      olds,
      brakeInputs(ids.slice(0, 850), { removalBrake: { approve } }),
    );
    assert.deepEqual(ok.failures, []);
    const created = await brakeProvider.check!({} as ConnectRosterBrakeInputs, news);
    assert.deepEqual(created.failures, [], "a new brake has nothing to compare with");
  });
});
