/**
 * ConnectRoster: the set of people who use Connect (and the configurer). For each entry it ensures an
 * active employee with that email and a linked, active user with the given role (P4, P5). Reads the
 * current state in pages and writes only what differs. Never deletes or terminates employees, and never
 * writes a record that belongs to someone else (lib/vantagepoint/roster.ts, planRoster).
 */
import * as pulumi from "@pulumi/pulumi";
import type {
  NewEmployeeRule,
  RosterEntry,
  RosterPerson,
  VantagepointConnection,
} from "../../lib/vantagepoint";
import { connectionSecrets, loadVantagepointLib, resourceOptions, siteId, withoutSecrets } from "./common";

export type RosterOnDelete = "detach" | "deactivateUsers";

/**
 * Shown wherever onDelete "deactivateUsers" is set (Deltek's Connect troubleshooting topic): Connect deletes the
 * Connect user of a person whose Vantagepoint user becomes Inactive and removes Vantagepoint data from their mailbox.
 */
export const DEACTIVATE_USERS_WARNING =
  'onDelete "deactivateUsers": removing a person from the roster (or destroying it) sets their Vantagepoint user Inactive, and Connect then deletes that Connect user and removes the Vantagepoint data from their mailbox. Use "detach" (the default) unless that is what you want.';

/** Provider inputs (as the engine hands them over: plain values). */
export interface ConnectRosterInputs {
  vpconnectResource: "ConnectRoster";
  connection: VantagepointConnection;
  entries: RosterEntry[];
  onDelete: RosterOnDelete;
  /** How new employees are keyed and what they get. */
  newEmployees?: NewEmployeeRule;
}

/** What the last run did through the API and what is left to do by hand. */
export interface RosterRunStats {
  requests: number;
  /** Writes the server accepted. */
  writes: number;
  /** Writes sent, retries and refused ones included. */
  writeAttempts: number;
}

/** Provider outputs: the inputs plus what was seen and done. */
export interface ConnectRosterOutputs extends ConnectRosterInputs {
  people: RosterPerson[];
  lastRun: RosterRunStats;
  /** "api" where the part was done through the API, "manual" where the server has no such hub. */
  hubs: { employees: "api"; users: "api" | "manual" };
  /** Steps to do by hand in Vantagepoint (empty when everything went through the API). */
  manualSteps: string[];
  /** The run summary besides the writes: rehires relinked, terminated records brought back because a row named them. */
  notes?: string[];
}

type DetailedDiff = Record<
  string,
  { kind: "ADD" | "UPDATE" | "DELETE" | "ADD_REPLACE" | "UPDATE_REPLACE"; inputDiff: boolean }
>;

function makeClient(connection: VantagepointConnection) {
  const lib = loadVantagepointLib();
  return new lib.VantagepointClient(connection, lib.clientOptionsFromEnv());
}

type Client = ReturnType<typeof makeClient>;

function statsOf(client: Client): RosterRunStats {
  const c = client.counters;
  return { requests: c.requests, writes: c.writes, writeAttempts: c.writeAttempts };
}

/** The dynamic provider (exported so tests call its methods directly). */
export const connectRosterProvider: pulumi.dynamic.ResourceProvider<
  ConnectRosterInputs,
  ConnectRosterOutputs
> = {
  async check(_olds, news) {
    const lib = loadVantagepointLib();
    const failures: pulumi.dynamic.CheckFailure[] = [];
    for (const i of lib.validateConnection(news.connection))
      failures.push({ property: i.field, reason: i.message });
    for (const i of lib.validateRosterEntries(news.entries)) {
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
    const secrets = connectionSecrets(news.connection);
    return {
      inputs: { ...news, vpconnectResource: "ConnectRoster", onDelete },
      failures: failures.map((f) => ({ property: f.property, reason: lib.redactSecrets(f.reason, secrets) })),
    };
  },

  async diff(_id, olds, news) {
    const lib = loadVantagepointLib();
    const detailedDiff: DetailedDiff = {};
    for (const c of lib.diffRosterEntries(olds.entries ?? [], news.entries ?? [], olds.people ?? [])) {
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
          lib.applyRoster(client, inputs.entries, undefined, { newEmployees: inputs.newEmployees }),
        );
        const outs: ConnectRosterOutputs = {
          ...inputs,
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
      const client = makeClient(news.connection);
      try {
        const run = await lib.withSiteLock(client.site, async () => {
          const state = await lib.readRosterState(client);
          const applied = await lib.applyRoster(client, news.entries, state, {
            newEmployees: news.newEmployees,
            previous: olds.people ?? [],
          });
          const keep = new Set(news.entries.map((e) => lib.rosterEntryKey(e)));
          const removed = (olds.entries ?? [])
            .filter((e) => !keep.has(lib.rosterEntryKey(e)))
            .map((e) => e.userId);
          if (news.onDelete === "deactivateUsers" && removed.length)
            await lib.deactivateUsers(client, removed, state.users);
          return applied;
        });
        return {
          outs: {
            ...news,
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
        const plan = lib.planRoster(state, props.entries ?? [], {
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
      const client = makeClient(props.connection);
      try {
        await lib.withSiteLock(client.site, () =>
          lib.deactivateUsers(
            client,
            (props.entries ?? []).map((e) => e.userId),
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
  readonly connection: pulumi.Input<VantagepointConnection>;
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
}

/** The Connect roster in Vantagepoint (employees, users, links, roles). */
export class ConnectRoster extends pulumi.dynamic.Resource {
  declare public readonly connection: pulumi.Output<VantagepointConnection>;
  declare public readonly entries: pulumi.Output<RosterEntry[]>;
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

  constructor(name: string, args: ConnectRosterArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      connectRosterProvider,
      name,
      {
        vpconnectResource: "ConnectRoster",
        connection: pulumi.secret(args.connection),
        entries: args.entries,
        onDelete: args.onDelete ?? "detach",
        newEmployees: args.newEmployees,
        people: undefined,
        lastRun: undefined,
        hubs: undefined,
        manualSteps: undefined,
        notes: undefined,
      },
      resourceOptions({ additionalSecretOutputs: ["connection"] }, opts),
    );
    pulumi.output(args.onDelete).apply((onDelete) => {
      if (onDelete === "deactivateUsers") pulumi.log.warn(DEACTIVATE_USERS_WARNING, this);
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
