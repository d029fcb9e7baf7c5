/**
 * ConnectRosterBrake: the removal brake across a roster in shards. One shard sees only its share of the people, so
 * this resource holds the whole roster's user IDs (one line each, trimmed and lower case: a few bytes a person) and
 * stops the run in check (the preview shows the list) when more people would leave than the brake allows. The
 * shards depend on it, so a refusal here stops them before any Vantagepoint request. Writes nothing anywhere.
 */
import * as pulumi from "@pulumi/pulumi";
import type { RemovalBrakeSettings } from "../../lib/vantagepoint";
import { loadVantagepointLib, resourceOptions } from "./common";
import { rosterBrakeArgsProblems } from "../../lib/site/componentArgs";
import { afterCheck, checkArgs } from "../argsCheck";

/** Provider inputs (plain values). */
export interface ConnectRosterBrakeInputs {
  vpconnectResource: "ConnectRosterBrake";
  /** Everyone on the roster: user IDs trimmed and lower case, sorted, one per line. */
  people: string;
  /** How many people that is. */
  count: number;
  removalBrake?: RemovalBrakeSettings;
}

/** Where the settings are written, for the refusal's message. */
const SETTING = "vpconnect:roster.removalBrake";

function verdict(olds: Partial<ConnectRosterBrakeInputs> | undefined, news: ConnectRosterBrakeInputs) {
  const lib = loadVantagepointLib();
  if (typeof olds?.people !== "string") return undefined;
  const before = lib.identityLines(olds.people);
  return lib.checkRemovals({
    before: before.length,
    removed: lib.leftTheRoster(before, lib.identityLines(news.people)),
    settings: news.removalBrake,
    where: SETTING,
  });
}

/** The dynamic provider (exported so tests call its methods directly). */
export const connectRosterBrakeProvider: pulumi.dynamic.ResourceProvider<
  ConnectRosterBrakeInputs,
  ConnectRosterBrakeInputs
> = {
  async check(olds, news) {
    const lib = loadVantagepointLib();
    const failures: pulumi.dynamic.CheckFailure[] = lib
      .removalBrakeIssues(news.removalBrake)
      .map(([property, reason]) => ({ property, reason }));
    if (typeof news.people !== "string") failures.push({ property: "people", reason: "must be text" });
    if (!failures.length) {
      const v = verdict(olds, news);
      if (v?.stop) failures.push({ property: "people", reason: v.message });
    }
    return { inputs: { ...news, vpconnectResource: "ConnectRosterBrake" }, failures };
  },
  async diff(_id, olds, news) {
    const changes =
      olds.people !== news.people ||
      JSON.stringify(olds.removalBrake ?? null) !== JSON.stringify(news.removalBrake ?? null);
    return { changes, replaces: [], deleteBeforeReplace: false };
  },
  async create(inputs) {
    return { id: "connect-roster-brake", outs: inputs };
  },
  async update(_id, olds, news) {
    const v = verdict(olds, news);
    if (v?.stop) throw new Error(v.message);
    return { outs: news };
  },
  async delete() {
    // Nothing to do: the shards' own brake guards a deactivating delete.
  },
};

export interface ConnectRosterBrakeArgs {
  /** Everyone on the roster (their user IDs). */
  readonly userIds: pulumi.Input<string[]>;
  /** The brake's settings (default: at most 10 % of the roster per run). */
  readonly removalBrake?: pulumi.Input<RemovalBrakeSettings>;
}

/** The removal brake over a whole roster kept in shards (the shards depend on it). */
export class ConnectRosterBrake extends pulumi.dynamic.Resource {
  declare public readonly count: pulumi.Output<number>;

  constructor(name: string, args: ConnectRosterBrakeArgs, opts?: pulumi.CustomResourceOptions) {
    // Checked before super(): bad input registers nothing; a list given as an Output is held until checked.
    const argsChecked = checkArgs("ConnectRosterBrake", name, args, rosterBrakeArgsProblems);
    const lib = loadVantagepointLib();
    // A plain list is turned into text at once: pulumi.output() would first copy every element of it.
    const ids = Array.isArray(args.userIds) ? args.userIds : afterCheck(args.userIds, argsChecked);
    const plain = Array.isArray(ids);
    super(
      connectRosterBrakeProvider,
      name,
      {
        vpconnectResource: "ConnectRosterBrake",
        people: plain ? lib.identityText(ids) : pulumi.output(ids).apply((list) => lib.identityText(list)),
        count: plain ? ids.length : pulumi.output(ids).apply((list) => list.length),
        removalBrake: args.removalBrake,
      },
      resourceOptions({}, opts),
    );
  }
}
