/**
 * Who a roster resource's run changes, in words, from its old and new entries: "shard 3 of 8: adds jane.doe;
 * removes bob.smith; updates ann.lee (email)". The roster provider puts it in the `changes` input it returns from
 * check, so `pulumi preview` shows it on the shard that changes: Pulumi 3.245's Node.js dynamic provider host
 * forwards a diff's `changes` and `replaces` but drops `detailedDiff`, so a shard's own diff cannot name anyone.
 * People compared by the one identifier rule (identifiers.ts). Pure; no Pulumi import.
 */
import { diffRosterEntries } from "./roster";
import { shardOf } from "./rosterShards";
import type { RosterShard } from "./rosterShards";
import type { RosterEntry } from "./types";

/** People named per kind of change (the rest are counted). */
export const NAMED_PER_KIND = 20;

/** What the words say when nobody changes. */
export const NO_ROSTER_CHANGE = "no change";

function named(verb: string, ids: readonly string[]): string | undefined {
  if (ids.length === 0) return undefined;
  const shown = ids
    .slice(0, NAMED_PER_KIND)
    .map((id) => id.trim())
    .join(", ");
  return ids.length > NAMED_PER_KIND
    ? `${verb} ${shown} and ${ids.length - NAMED_PER_KIND} more`
    : `${verb} ${shown}`;
}

/**
 * The run's changes for one roster resource, in words. `olds` undefined: the resource is new (everyone is added).
 * Someone in `olds` whose user ID now hashes to another shard moved there: "moves out", not "removes".
 */
export function describeRosterChanges(
  olds: readonly RosterEntry[] | undefined,
  news: readonly RosterEntry[],
  shard?: RosterShard,
): string {
  const where = shard && shard.count > 1 ? `shard ${shard.index} of ${shard.count}: ` : "";
  const adds: string[] = [];
  const updates: string[] = [];
  const removes: string[] = [];
  const movesOut: string[] = [];
  if (olds === undefined) {
    for (const e of news) adds.push(e.userId);
  } else {
    for (const c of diffRosterEntries(olds, news)) {
      if (c.kind === "add") adds.push(c.key);
      else if (c.kind === "update") updates.push(`${c.key.trim()} (${c.fields.join(", ")})`);
      else if (shard && shard.count > 1 && shardOf(c.key, shard.count) !== shard.index) movesOut.push(c.key);
      else removes.push(c.key);
    }
  }
  const parts = [
    named("adds", adds),
    named("removes", removes),
    named("updates", updates),
    named("moves to other shards", movesOut),
  ].filter((p): p is string => p !== undefined);
  return `${where}${parts.length ? parts.join("; ") : NO_ROSTER_CHANGE}`;
}
