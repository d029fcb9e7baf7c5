/**
 * ConnectRoster: the set of people who use Connect (and the configurer). For each entry it ensures an
 * active employee with that email and a linked, active user with the given role (P4, P5). Reads the
 * current state in pages and writes only what differs. Never deletes or terminates employees, and never
 * writes a record that belongs to someone else (lib/vantagepoint/roster.ts, planRoster).
 */
import * as pulumi from "@pulumi/pulumi";
import type {
  NewEmployeeRule,
  RemovalBrakeSettings,
  RosterEntry,
  RosterShard,
  RosterPerson,
  VantagepointConnection,
} from "../../lib/vantagepoint";
import { connectionSecrets, loadVantagepointLib, resourceOptions, siteId, withoutSecrets } from "./common";
import type { VantagepointConnectionArgs } from "./common";
import { rosterArgsProblems } from "../../lib/site/componentArgs";
import { entriesCheckedBySite } from "./siteCheckedEntries";
import { afterCheck, checkArgs } from "../argsCheck";
import { DEACTIVATE_USERS_WARNING } from "./connectRosterTypes";
import type {
  ConnectRosterInputs,
  ConnectRosterOutputs,
  DetailedDiff,
  RosterOnDelete,
  RosterRunStats,
} from "./connectRosterTypes";

export { DEACTIVATE_USERS_WARNING } from "./connectRosterTypes";
export type {
  ConnectRosterInputs,
  ConnectRosterOutputs,
  RosterOnDelete,
  RosterRunStats,
} from "./connectRosterTypes";

function makeClient(connection: VantagepointConnection) {
  const lib = loadVantagepointLib();
  return new lib.VantagepointClient(connection, lib.clientOptionsFromEnv());
}

type Client = ReturnType<typeof makeClient>;

function statsOf(client: Client): RosterRunStats {
  const c = client.counters;
  return { requests: c.requests, writes: c.writes, writeAttempts: c.writeAttempts, listed: { ...c.listed } };
}

/**
 * A shard's own checks: its index within its count, and no fewer shards while onDelete is "deactivateUsers" (a
 * shard that goes away is deleted, and deleting it would deactivate people who only moved to another shard). Also
 * the brake on this run's removals, so the preview stops with the list before anything is written.
 */
function shardFailures(
  lib: ReturnType<typeof loadVantagepointLib>,
  olds: Partial<ConnectRosterInputs> | undefined,
  news: ConnectRosterInputs,
  onDelete: string,
  entries: { olds?: RosterEntry[]; news?: RosterEntry[] },
): pulumi.dynamic.CheckFailure[] {
  const failures: pulumi.dynamic.CheckFailure[] = [];
  const s = news.shard;
  if (s !== undefined) {
    const countOk = Number.isInteger(s?.count) && s.count >= 1 && s.count <= lib.MAX_SHARDS;
    if (!countOk)
      failures.push({
        property: "shard.count",
        reason: `must be a whole number from 1 to ${lib.MAX_SHARDS}`,
      });
    else if (!(Number.isInteger(s.index) && s.index >= 0 && s.index < s.count))
      failures.push({ property: "shard.index", reason: `must be a whole number from 0 to ${s.count - 1}` });
  }
  const count = s?.count ?? 1;
  if (!failures.length && onDelete === "deactivateUsers" && olds?.shard && olds.shard.count > count)
    failures.push({
      property: "shard.count",
      reason: `goes down from ${olds.shard.count} to ${count} while onDelete is "deactivateUsers": the shards that go away would deactivate people who only moved; run once with onDelete "detach", then set it back`,
    });
  if (failures.length || !entries.olds || !entries.news) return failures;
  if (lib.removalBrakeIssues(news.removalBrake).length) return failures;
  const brake = lib.brakeForRun(entries.olds, entries.news, s, news.removalBrake);
  if (brake.stop) failures.push({ property: "entries", reason: brake.message });
  return failures;
}

/**
 * Inputs without the preview's words: outputs never keep them, so a later run that changes nothing (the engine
 * hands back the old outputs) has none to show.
 */
function withoutChanges(inputs: ConnectRosterInputs): ConnectRosterInputs {
  const { changes: _changes, ...rest } = inputs;
  return rest;
}

/** The dynamic provider (exported so tests call its methods directly). */
export const connectRosterProvider: pulumi.dynamic.ResourceProvider<
  ConnectRosterInputs,
  ConnectRosterOutputs
> = {
  async check(olds, news) {
    const lib = loadVantagepointLib();
    const failures: pulumi.dynamic.CheckFailure[] = [];
    for (const i of lib.validateConnection(news.connection))
      failures.push({ property: i.field, reason: i.message });
    let newEntries: RosterEntry[] | undefined;
    try {
      newEntries = lib.rosterEntriesOf(news.entries);
    } catch (e) {
      failures.push({ property: "entries", reason: (e as Error).message });
    }
    // Old inputs that cannot be read are no roster to compare with: the brake and the words skip them.
    const oldEntries = olds?.entries === undefined ? undefined : lib.rosterEntriesOrUndefined(olds.entries);
    for (const i of newEntries ? lib.validateRosterEntries(newEntries) : []) {
      failures.push({
        property: i.index < 0 ? "entries" : `entries[${i.index}].${i.field}`,
        reason: i.message,
      });
    }
    const onDelete = news.onDelete ?? "detach";
    if (onDelete !== "detach" && onDelete !== "deactivateUsers") {
      failures.push({
        property: "onDelete",
        reason: `onDelete must be "detach" (default: leave people as they are) or "deactivateUsers" (destructive for Connect: their Connect users are deleted)`,
      });
    }
    for (const i of lib.newEmployeeRuleIssues(news.newEmployees, "newEmployees"))
      failures.push({ property: i.field, reason: i.message });
    for (const [property, reason] of lib.removalBrakeIssues(news.removalBrake))
      failures.push({ property, reason });
    failures.push(...shardFailures(lib, olds, news, onDelete, { olds: oldEntries, news: newEntries }));
    const secrets = connectionSecrets(news.connection);
    const changes = newEntries ? lib.describeRosterChanges(oldEntries, newEntries, news.shard) : undefined;
    return {
      inputs: { ...news, vpconnectResource: "ConnectRoster", onDelete, ...(changes ? { changes } : {}) },
      failures: failures.map((f) => ({ property: f.property, reason: lib.redactSecrets(f.reason, secrets) })),
    };
  },

  async diff(_id, olds, news) {
    const lib = loadVantagepointLib();
    const detailedDiff: DetailedDiff = {};
    const before = lib.rosterEntriesOrUndefined(olds.entries ?? []) ?? [];
    const after = lib.rosterEntriesOrUndefined(news.entries ?? []) ?? [];
    for (const c of lib.diffRosterEntries(before, after, olds.people ?? [])) {
      detailedDiff[`entries[${c.key}]`] = {
        kind: c.kind === "add" ? "ADD" : c.kind === "delete" ? "DELETE" : "UPDATE",
        inputDiff: true,
      };
    }
    const oc = olds.connection ?? ({} as VantagepointConnection);
    const nc = news.connection ?? ({} as VantagepointConnection);
    const replaces: string[] = [];
    if (oc.url !== nc.url || oc.database !== nc.database) {
      replaces.push("connection");
      detailedDiff.connection = { kind: "UPDATE_REPLACE", inputDiff: true };
    } else if (JSON.stringify(oc) !== JSON.stringify(nc)) {
      detailedDiff.connection = { kind: "UPDATE", inputDiff: true };
    }
    if ((olds.onDelete ?? "detach") !== (news.onDelete ?? "detach"))
      detailedDiff.onDelete = { kind: "UPDATE", inputDiff: true };
    if (JSON.stringify(olds.newEmployees ?? null) !== JSON.stringify(news.newEmployees ?? null))
      detailedDiff.newEmployees = { kind: "UPDATE", inputDiff: true };
    if (JSON.stringify(olds.removalBrake ?? null) !== JSON.stringify(news.removalBrake ?? null))
      detailedDiff.removalBrake = { kind: "UPDATE", inputDiff: true };
    if (JSON.stringify(olds.shard ?? null) !== JSON.stringify(news.shard ?? null))
      detailedDiff.shard = { kind: "UPDATE", inputDiff: true };
    const changes = Object.keys(detailedDiff).length > 0;
    // detailedDiff is read by engines that support it; the 3.245 dynamic host forwards changes/replaces only.
    return { changes, replaces, deleteBeforeReplace: false, detailedDiff } as pulumi.dynamic.DiffResult;
  },

  async create(inputs) {
    return withoutSecrets(connectionSecrets(inputs.connection), async () => {
      const lib = loadVantagepointLib();
      const client = makeClient(inputs.connection);
      try {
        // One reconcile per site at a time: a parallel create would read the same state and duplicate people.
        const run = await lib.withSiteLock(client.site, () =>
          lib.applyRoster(client, lib.rosterEntriesOf(inputs.entries), undefined, {
            newEmployees: inputs.newEmployees,
          }),
        );
        const outs: ConnectRosterOutputs = {
          ...withoutChanges(inputs),
          people: run.people,
          lastRun: statsOf(client),
          hubs: run.hubs,
          manualSteps: run.plan.manualSteps,
          notes: run.plan.notes,
        };
        return { id: siteId("connect-roster", inputs.connection), outs };
      } finally {
        client.close();
      }
    });
  },

  async update(_id, olds, news) {
    return withoutSecrets(connectionSecrets(news.connection), async () => {
      const lib = loadVantagepointLib();
      // The brake, before any request: check() stopped the preview already; this holds when it was skipped.
      const entries = lib.rosterEntriesOf(news.entries);
      const brake = lib.brakeForRun(
        lib.rosterEntriesOf(olds.entries ?? []),
        entries,
        news.shard,
        news.removalBrake,
      );
      if (brake.stop) throw new Error(brake.message);
      const client = makeClient(news.connection);
      try {
        const run = await lib.withSiteLock(client.site, async () => {
          const state = await lib.readRosterState(client);
          const applied = await lib.applyRoster(client, entries, state, {
            newEmployees: news.newEmployees,
            previous: olds.people ?? [],
          });
          // People who moved to another shard are not removed (their new shard keeps them).
          const removed = brake.removed;
          if (news.onDelete === "deactivateUsers" && removed.length)
            await lib.deactivateUsers(client, removed, state.users);
          return applied;
        });
        return {
          outs: {
            ...withoutChanges(news),
            people: run.people,
            lastRun: statsOf(client),
            hubs: run.hubs,
            manualSteps: run.plan.manualSteps,
            notes: run.plan.notes,
          },
        };
      } finally {
        client.close();
      }
    });
  },

  async read(id, props) {
    if (!props)
      throw new Error("ConnectRoster cannot be imported without its inputs; declare it and run pulumi up.");
    return withoutSecrets(connectionSecrets(props.connection), async () => {
      const lib = loadVantagepointLib();
      const client = makeClient(props.connection);
      try {
        const state = await lib.readRosterState(client);
        const plan = lib.planRoster(state, lib.rosterEntriesOf(props.entries ?? []), {
          newEmployees: props.newEmployees,
          previous: props.people ?? [],
        });
        return {
          id,
          props: {
            ...props,
            people: plan.observed,
            lastRun: statsOf(client),
            hubs: { employees: "api", users: state.users ? "api" : "manual" },
            manualSteps: plan.manualSteps,
          },
        };
      } finally {
        client.close();
      }
    });
  },

  async delete(_id, props) {
    // Employees are never deleted or terminated: that would stop Connect for those people.
    if (props.onDelete !== "deactivateUsers") return; // detach: nothing is written
    await withoutSecrets(connectionSecrets(props.connection), async () => {
      const lib = loadVantagepointLib();
      // Deleting the roster takes everyone on it out of Connect: the same brake as any run.
      const entries = lib.rosterEntriesOf(props.entries ?? []);
      const brake = lib.brakeForRun(entries, [], props.shard, props.removalBrake);
      if (brake.stop) throw new Error(brake.message);
      const client = makeClient(props.connection);
      try {
        await lib.withSiteLock(client.site, () =>
          lib.deactivateUsers(
            client,
            entries.map((e) => e.userId),
          ),
        );
      } finally {
        client.close();
      }
    });
  },
};

export interface ConnectRosterArgs {
  /** How to reach Vantagepoint; password and clientSecret are made Pulumi secrets. */
  readonly connection: pulumi.Input<VantagepointConnectionArgs>;
  /** The people who use Connect (and the configurer). */
  readonly entries: pulumi.Input<RosterEntry[]>;
  /**
   * On delete (and for people taken off the roster): "detach" (default, writes nothing) or "deactivateUsers"
   * (sets their users Inactive: Connect then deletes their Connect users and wipes Vantagepoint data from their
   * mailboxes; never touches employees). Never the default; a warning is logged wherever it is set.
   */
  readonly onDelete?: pulumi.Input<RosterOnDelete>;
  /** How new employees are keyed (roster key, sequence, or server-numbered) and what defaults they get. */
  readonly newEmployees?: pulumi.Input<NewEmployeeRule>;
  /** The brake on mass removal: at most maxRemovals people or maxRemovalPercent (default 10) % per run. */
  readonly removalBrake?: pulumi.Input<RemovalBrakeSettings>;
  /** Which shard of a larger roster this resource holds (ConnectSite sets it; left out: the whole roster). */
  readonly shard?: pulumi.Input<RosterShard>;
}

/** The Connect roster in Vantagepoint (employees, users, links, roles). */
export class ConnectRoster extends pulumi.dynamic.Resource {
  declare public readonly connection: pulumi.Output<VantagepointConnection>;
  /** The people as roster text: one JSON object a line (lib/vantagepoint/rosterText.ts). */
  declare public readonly entries: pulumi.Output<string>;
  declare public readonly onDelete: pulumi.Output<RosterOnDelete>;
  /** Per entry: employee key, email, statuses and whether the user is linked. */
  declare public readonly people: pulumi.Output<RosterPerson[]>;
  /** Requests, accepted writes and write attempts of the last create/update/refresh. */
  declare public readonly lastRun: pulumi.Output<RosterRunStats>;
  /** Which parts went through the API ("api") and which are manual ("manual"). */
  declare public readonly hubs: pulumi.Output<{ employees: "api"; users: "api" | "manual" }>;
  /** What to do by hand in Vantagepoint, with the screen (empty when all went through the API). */
  declare public readonly manualSteps: pulumi.Output<string[]>;
  /** The last run's summary besides the writes: rehires relinked, terminated records brought back by name. */
  declare public readonly notes: pulumi.Output<string[] | undefined>;
  /** In a preview: who this shard's run changes, in words (set by check; outputs of a run never keep it). */
  declare public readonly changes: pulumi.Output<string | undefined>;

  constructor(name: string, args: ConnectRosterArgs, opts?: pulumi.CustomResourceOptions) {
    // Checked before super(): bad input registers nothing; values given as Outputs hold the connection until known.
    // A shard ConnectSite built from the roster its own check passed (frozen): the per-person rules are not run again.
    const entriesChecked = entriesCheckedBySite(args.entries);
    const argsChecked = checkArgs("ConnectRoster", name, args, (view) =>
      rosterArgsProblems(view, entriesChecked),
    );
    super(
      connectRosterProvider,
      name,
      {
        vpconnectResource: "ConnectRoster",
        connection: pulumi.secret(afterCheck(args.connection, argsChecked)),
        // As text (one person a line): a list of objects costs the engine a value per field of every person.
        // A plain list is turned into text at once: pulumi.output() would first copy every entry of it.
        entries: Array.isArray(args.entries)
          ? loadVantagepointLib().rosterText(args.entries)
          : pulumi.output(args.entries).apply((entries) => loadVantagepointLib().rosterText(entries)),
        onDelete: args.onDelete ?? "detach",
        newEmployees: args.newEmployees,
        removalBrake: args.removalBrake,
        shard: args.shard,
        people: undefined,
        lastRun: undefined,
        hubs: undefined,
        manualSteps: undefined,
        notes: undefined,
        changes: undefined,
      },
      resourceOptions({ additionalSecretOutputs: ["connection"] }, opts),
    );
    pulumi.output(args.onDelete).apply((onDelete) => {
      if (onDelete === "deactivateUsers") pulumi.log.warn(DEACTIVATE_USERS_WARNING, this);
    });
    // The preview names who changes: the engine shows a create's or update's checked inputs as its outputs there.
    pulumi.output(this.changes).apply((changes) => {
      if (typeof changes === "string" && changes && !changes.endsWith(loadVantagepointLib().NO_ROSTER_CHANGE))
        pulumi.log.info(`Vantagepoint roster: ${changes}`, this);
    });
    pulumi.output(this.notes).apply((notes) => {
      if (Array.isArray(notes) && notes.length)
        pulumi.log.info(`Vantagepoint roster:\n  ${notes.join("\n  ")}`, this);
    });
    pulumi.output(this.manualSteps).apply((steps) => {
      if (Array.isArray(steps) && steps.length)
        pulumi.log.warn(`Vantagepoint roster: do by hand:\n  ${steps.join("\n  ")}`, this);
    });
  }
}
