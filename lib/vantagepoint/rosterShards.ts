/**
 * The roster in shards, pure: people are spread over several roster resources by a stable hash of their user ID
 * (trimmed, case-insensitive: SQL Server compares `ABC` and `abc` as one), so one person's change touches one
 * shard and no resource's inputs hold the whole firm. No Pulumi import.
 */
import { checkRemovals, rosterIdentity } from "./removalBrake";
import type { RemovalBrakeSettings, RemovalVerdict } from "./removalBrake";

/** Which shard a roster resource is: its index and how many there are. */
export interface RosterShard {
  index: number;
  count: number;
}

/** Largest shard count (a roster resource per shard: more is engine overhead for nothing). */
export const MAX_SHARDS = 256;
/** People per shard the default aims at. */
export const DEFAULT_SHARD_SIZE = 2000;

/** FNV-1a (32 bit) over the UTF-8 bytes of the identity: fast, stable across Node versions and machines. */
export function identityHash(userId: string): number {
  const identity = rosterIdentity(userId);
  let h = 0x811c9dc5;
  // ASCII (nearly every user ID) is its own UTF-8: hashed by character, without a Buffer per person.
  if (ASCII.test(identity)) {
    for (let i = 0; i < identity.length; i++) {
      h ^= identity.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h >>> 0;
  }
  for (const b of Buffer.from(identity, "utf8")) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

const ASCII = /^[\x00-\x7f]*$/;

/** The shard (0 to count-1) a user ID belongs to. */
export function shardOf(userId: string, count: number): number {
  return count <= 1 ? 0 : identityHash(userId) % count;
}

/**
 * How many shards a roster of `people` gets: `shards` when set, else enough for `shardSize` people each, rounded
 * up to a power of two (so growing past a size doubles the count and moves about half the people, once).
 */
export function shardCount(people: number, options: { shards?: number; shardSize?: number } = {}): number {
  if (options.shards !== undefined) return Math.max(1, Math.min(MAX_SHARDS, Math.floor(options.shards)));
  const size = Math.max(1, options.shardSize ?? DEFAULT_SHARD_SIZE);
  let n = 1;
  while (n < MAX_SHARDS && n * size < people) n *= 2;
  return n;
}

/** Splits entries into `count` lists by shardOf, keeping their order within each list. */
export function splitIntoShards<T extends { userId: string }>(entries: readonly T[], count: number): T[][] {
  const out: T[][] = Array.from({ length: Math.max(1, count) }, () => []);
  for (const e of entries) out[shardOf(e.userId, count)].push(e);
  return out;
}

/**
 * People who left this roster resource for good: in the old entries, not in the new, and (for a shard) still
 * belonging to this shard under the new count. Someone whose hash now points at another shard moved there (the
 * shard count changed, or the roster was split from one resource): that is not a removal, so it is neither braked
 * nor deactivated. Old inputs without `shard` were one resource holding everyone (shard 0 of 1).
 */
export function removedFromShard(
  olds: readonly { userId: string }[],
  news: readonly { userId: string }[],
  shard: RosterShard | undefined,
): string[] {
  const keep = new Set(news.map((e) => rosterIdentity(e.userId)));
  return olds
    .filter((e) => !keep.has(rosterIdentity(e.userId)))
    .filter((e) => !shard || shardOf(e.userId, shard.count) === shard.index)
    .map((e) => e.userId);
}

/** The brake's verdict for one roster resource's run (a shard's share is checked as a part of the whole). */
export function brakeForRun(
  olds: readonly { userId: string }[],
  news: readonly { userId: string }[],
  shard: RosterShard | undefined,
  settings: RemovalBrakeSettings | undefined,
): RemovalVerdict {
  return checkRemovals({
    before: olds.length,
    removed: removedFromShard(olds, news, shard),
    settings,
    where: "removalBrake",
    scope: shard && shard.count > 1 ? "part" : "exact",
  });
}

/** Why a shard count is not one, or undefined. */
export function shardsProblem(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  return Number.isInteger(value) && (value as number) >= 1 && (value as number) <= MAX_SHARDS
    ? undefined
    : `must be a whole number from 1 to ${MAX_SHARDS} (e.g. 8)`;
}
