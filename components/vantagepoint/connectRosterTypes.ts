/**
 * ConnectRoster's provider inputs and outputs, its onDelete choice and the warning shown wherever "deactivateUsers"
 * is set. Split from ./connectRoster.ts (which re-exports them); types and one text only, nothing the serialized
 * provider captures.
 */
import type {
  NewEmployeeRule,
  RemovalBrakeSettings,
  RosterEntry,
  RosterShard,
  RosterPerson,
  VantagepointConnection,
} from "../../lib/vantagepoint";

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
  /**
   * The people: roster text (lib/vantagepoint/rosterText.ts, one JSON object a line), as ConnectRoster writes it;
   * a list of entries (as inputs held them before) is read the same way.
   */
  entries: string | RosterEntry[];
  onDelete: RosterOnDelete;
  /** How new employees are keyed and what they get. */
  newEmployees?: NewEmployeeRule;
  /** The brake on mass removal (lib/vantagepoint/removalBrake.ts); default 10 % of the roster. */
  removalBrake?: RemovalBrakeSettings;
  /** Which shard of the roster this resource holds (left out: the whole roster). */
  shard?: RosterShard;
  /**
   * Who this run changes, in words ("shard 3 of 8: adds jane.doe; removes bob.smith"), set by check from the old
   * and new entries so the preview names the people (the 3.245 dynamic provider host drops detailedDiff). Never
   * a reason to update by itself.
   */
  changes?: string;
}

/** What the last run did through the API and what is left to do by hand. */
export interface RosterRunStats {
  requests: number;
  /** Writes the server accepted. */
  writes: number;
  /** Writes sent, retries and refused ones included. */
  writeAttempts: number;
  /** Records each whole list read, by hub path (e.g. { "/employee": 3000, "/user": 2500 }). */
  listed?: Record<string, number>;
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

export type DetailedDiff = Record<
  string,
  { kind: "ADD" | "UPDATE" | "DELETE" | "ADD_REPLACE" | "UPDATE_REPLACE"; inputDiff: boolean }
>;
