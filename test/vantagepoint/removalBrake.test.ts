import assert from "node:assert/strict";
import type { Emulator } from "../../emulator";
import {
  connectRosterProvider as provider,
  ConnectRosterInputs,
  ConnectRosterOutputs,
} from "../../components/vantagepoint/connectRoster";
import {
  brakeForRun,
  checkRemovals,
  removalBrakeIssues,
  removalDigest,
  removalLimitExceeded,
} from "../../lib/vantagepoint";
import type { RosterEntry } from "../../lib/vantagepoint";
import { connectionFor, errorOf, useEmulator } from "./helpers";

const people = (n: number, offset = 0): RosterEntry[] =>
  Array.from({ length: n }, (_, i) => ({
    userId: `brake${i + offset}@contoso.example`,
    email: `brake${i + offset}@contoso.example`,
    firstName: "Brake",
    lastName: `Person ${i + offset}`,
  }));

describe("removal brake (pure rules)", () => {
  it("stops above the default 10 % and passes at it; one leaver on a small roster passes", () => {
    assert.equal(removalLimitExceeded(100, 10), undefined);
    assert.equal(
      removalLimitExceeded(100, 11),
      "11 % of the 100 on the roster, more than maxRemovalPercent (10 %)",
    );
    assert.equal(removalLimitExceeded(5, 1), undefined, "one leaver of five");
    assert.match(removalLimitExceeded(5, 2)!, /40 % of the 5/);
    assert.equal(removalLimitExceeded(1000, 30, { maxRemovals: 30 }), undefined);
    assert.equal(removalLimitExceeded(1000, 31, { maxRemovals: 30 }), "more than maxRemovals (30)");
    assert.equal(removalLimitExceeded(100, 50, { maxRemovalPercent: 50 }), undefined);
    assert.match(removalLimitExceeded(100, 51, { maxRemovalPercent: 50 })!, /maxRemovalPercent \(50 %\)/);
  });

  it("the digest is the same for the same people whatever the order or case, and differs otherwise", () => {
    const d = removalDigest(["Ann", "bob "]);
    assert.match(d, /^[0-9a-f]{16}$/);
    assert.equal(removalDigest(["BOB", "ann"]), d);
    assert.notEqual(removalDigest(["ann", "bob", "cy"]), d);
  });

  it("an emptied roster stops with every person listed and the approval that lets exactly them through", () => {
    const removed = people(60).map((p) => p.userId);
    const v = checkRemovals({ before: 60, removed });
    assert.equal(v.stop, true);
    if (!v.stop) return;
    assert.match(v.message, /would lose 60 people in one run \(100 % of the 60 on the roster/);
    assert.match(v.message, /nothing was written/);
    assert.ok(v.message.includes(`  - brake0@contoso.example`));
    assert.ok(v.message.includes("... and 10 more"), "50 listed, the rest counted");
    const approval = `vpconnect:roster.removalBrake.approve: { count: 60, digest: "${removalDigest(removed)}" }`;
    assert.ok(v.message.includes(approval), v.message);
    const ok = checkRemovals({
      before: 60,
      removed,
      settings: { approve: { count: 60, digest: removalDigest(removed) } },
    });
    assert.deepEqual([ok.stop, ok.stop === false && ok.approved], [false, true]);
  });

  it("an approval never lets another list through, but stays for a run that removes nobody", () => {
    const removed = people(20).map((p) => p.userId);
    const approve = { count: 20, digest: removalDigest(removed) };
    const other = [...removed.slice(1), "someone.else@contoso.example"];
    const v = checkRemovals({ before: 100, removed: other, settings: { approve } });
    assert.equal(v.stop, true);
    if (v.stop) assert.match(v.message, /approve names 20 people .* but this run would take 20 off/);
    // Even a list under the limits stops while a stale approval is set: it is named, so it gets removed.
    const small = checkRemovals({ before: 100, removed: ["x@contoso.example"], settings: { approve } });
    assert.equal(small.stop, true);
    assert.equal(checkRemovals({ before: 100, removed: [], settings: { approve } }).stop, false);
  });

  it("settings are checked with the field and a value that would pass", () => {
    assert.deepEqual(removalBrakeIssues(undefined), []);
    assert.deepEqual(
      removalBrakeIssues({
        maxRemovals: -1,
        maxRemovalPercent: 150,
        approve: { count: 0, digest: "x" },
        max: 1,
      }),
      [
        ["removalBrake.max", "is not a setting; use maxRemovals, maxRemovalPercent or approve"],
        ["removalBrake.maxRemovals", "must be a whole number of people, 0 or more (e.g. 50)"],
        ["removalBrake.maxRemovalPercent", "must be a number from 0 to 100 (e.g. 10)"],
        ["removalBrake.approve.count", "must be the number of people the refusal listed (1 or more)"],
        ["removalBrake.approve.digest", "must be the 16 hex digits the refusal printed"],
      ],
    );
  });

  it("a shard counts only people who left it, not people who moved to another shard", () => {
    const olds = people(40); // one resource holding everyone (no shard)
    const shard = { index: 0, count: 4 };
    const news = olds.filter((p) => brakeForRun([p], [], shard, undefined).removed.length === 1);
    assert.ok(news.length > 0 && news.length < 40);
    const v = brakeForRun(olds, news, shard, undefined);
    assert.deepEqual([v.stop, v.removed.length], [false, 0], "moves are not removals");
    const gone = brakeForRun(olds, news.slice(2), shard, undefined);
    assert.deepEqual(
      gone.removed,
      news
        .slice(0, 2)
        .map((p) => p.userId)
        .sort(),
    );
  });
});

describe("removal brake in the ConnectRoster provider (against the emulator)", () => {
  let emu: Emulator;
  useEmulator({}, (started) => (emu = started));

  const inputsFor = (
    entries: RosterEntry[],
    extra: Partial<ConnectRosterInputs> = {},
  ): ConnectRosterInputs => ({
    vpconnectResource: "ConnectRoster",
    connection: connectionFor(emu, { pageSize: 50 }),
    entries,
    onDelete: "deactivateUsers",
    newEmployees: { key: "sequence", prefix: "B" },
    ...extra,
  });

  it("emptying the roster stops at the brake in check and in update, with the list and 0 requests", async () => {
    const created = await provider.create(inputsFor(people(30)));
    const olds = created.outs as ConnectRosterOutputs;
    const checked = await provider.check!(olds, inputsFor([]));
    assert.deepEqual(
      checked.failures!.map((f) => f.property),
      ["entries"],
    );
    assert.match(checked.failures![0].reason, /would lose 30 people in one run/);
    assert.ok(checked.failures![0].reason.includes("brake29@contoso.example"));

    emu.resetCounters();
    const err = await errorOf(provider.update!(created.id, olds, inputsFor([])));
    assert.match(err.message, /would lose 30 people/);
    assert.equal(emu.counters.requests, 0, "stopped before any request");
    for (const p of olds.people) assert.equal(emu.state.users.get(p.userId.toLowerCase())!.Status, "A");

    const delErr = await errorOf(provider.delete!(created.id, olds));
    assert.match(delErr.message, /would lose 30 people/);
    assert.equal(emu.counters.writes, 0, "delete with deactivateUsers is braked too");
  });

  it("the approval the refusal printed lets exactly that list through", async () => {
    const created = await provider.create(inputsFor(people(30)));
    const olds = created.outs as ConnectRosterOutputs;
    const keep = people(30).slice(0, 20);
    const removed = people(30)
      .slice(20)
      .map((p) => p.userId);
    const approve = { count: 10, digest: removalDigest(removed) };
    const checked = await provider.check!(olds, inputsFor(keep, { removalBrake: { approve } }));
    assert.deepEqual(checked.failures, []);
    emu.resetCounters();
    await provider.update!(created.id, olds, inputsFor(keep, { removalBrake: { approve } }));
    assert.equal(emu.counters.writes, 10, "the ten approved people were deactivated");
    for (const id of removed) assert.equal(emu.state.users.get(id.toLowerCase())!.Status, "I");
  });

  it("a small removal passes without an approval", async () => {
    const created = await provider.create(inputsFor(people(30)));
    const olds = created.outs as ConnectRosterOutputs;
    const checked = await provider.check!(olds, inputsFor(people(30).slice(0, 27)));
    assert.deepEqual(checked.failures, []);
  });
});
