/**
 * The brake on mass removal, pure. A run that would take more than `maxRemovals` people, or more than
 * `maxRemovalPercent` of the roster, off the roster stops before anything is written and lists them: a group
 * emptied by mistake must not deprovision the firm (Deltek: deleting a Connect user removes the Vantagepoint data
 * from that person's mailbox; Entra Connect's accidental-deletion prevention and EntraOps stop a sync the same way,
 * shared/reference/entra-graph-and-rotation.md). A real reorganisation passes with an approval naming the exact
 * count and a digest of the exact list, so it cannot stay on by accident: a run that removes anyone else stops.
 * No Pulumi import.
 */
import { createHash } from "node:crypto";
import { idKey } from "./identifiers";

/** The brake's settings (stack config `vpconnect:roster.removalBrake`, ConnectSite `vantagepoint.removalBrake`). */
export interface RemovalBrakeSettings {
  /** Stop when more than this many people would leave the roster in one run (default none: the percentage rules). */
  maxRemovals?: number;
  /** Stop when more than this share of the roster (0 to 100) would leave it in one run (default 10). */
  maxRemovalPercent?: number;
  /** A reviewed approval of one run's removals: the count and digest the refusal printed. */
  approve?: RemovalApproval;
}

/** The approval of exactly one list of removals. */
export interface RemovalApproval {
  /** How many people the approved run removes. */
  count: number;
  /** The digest of the approved list (printed by the refusal). */
  digest: string;
}

export const DEFAULT_MAX_REMOVAL_PERCENT = 10;
/** The percentage rule needs at least this many removals: one leaver on a 5-person roster is not a mass removal. */
export const PERCENT_RULE_MIN_REMOVALS = 2;
/** People listed in a refusal message (the rest are counted). */
const LISTED = 50;

/** The one form of a user ID the roster compares by: the identifier rule of identifiers.ts (idKey). */
export function rosterIdentity(userId: string): string {
  return idKey(userId);
}

/** Digest of a list of removals: sha256 over the sorted identities, first 16 hex digits. */
export function removalDigest(userIds: readonly string[]): string {
  const keys = [...new Set(userIds.map(rosterIdentity))].sort();
  return createHash("sha256").update(keys.join("\n")).digest("hex").slice(0, 16);
}

/** Problems with the settings, as [field, message] (field relative to `where`). */
export function removalBrakeIssues(settings: unknown, where = "removalBrake"): Array<[string, string]> {
  if (settings === undefined || settings === null) return [];
  if (typeof settings !== "object" || Array.isArray(settings))
    return [[where, "must be an object with maxRemovals, maxRemovalPercent or approve"]];
  const s = settings as Record<string, unknown>;
  const issues: Array<[string, string]> = [];
  for (const key of Object.keys(s))
    if (!["maxRemovals", "maxRemovalPercent", "approve"].includes(key))
      issues.push([`${where}.${key}`, "is not a setting; use maxRemovals, maxRemovalPercent or approve"]);
  if (s.maxRemovals !== undefined && !(Number.isInteger(s.maxRemovals) && (s.maxRemovals as number) >= 0))
    issues.push([`${where}.maxRemovals`, "must be a whole number of people, 0 or more (e.g. 50)"]);
  const pct = s.maxRemovalPercent;
  if (pct !== undefined && !(typeof pct === "number" && Number.isFinite(pct) && pct >= 0 && pct <= 100))
    issues.push([`${where}.maxRemovalPercent`, "must be a number from 0 to 100 (e.g. 10)"]);
  if (s.approve !== undefined) {
    const a = s.approve as Record<string, unknown> | null;
    if (!a || typeof a !== "object" || Array.isArray(a))
      issues.push([
        `${where}.approve`,
        'must be { count: <people>, digest: "<16 hex digits>" } as a refusal printed it',
      ]);
    else {
      if (!(Number.isInteger(a.count) && (a.count as number) >= 1))
        issues.push([
          `${where}.approve.count`,
          "must be the number of people the refusal listed (1 or more)",
        ]);
      if (typeof a.digest !== "string" || !/^[0-9a-f]{16}$/.test(a.digest))
        issues.push([`${where}.approve.digest`, "must be the 16 hex digits the refusal printed"]);
    }
  }
  return issues;
}

/** The brake's verdict on one run. */
export type RemovalVerdict =
  | { stop: false; removed: string[]; approved: boolean }
  | { stop: true; removed: string[]; reason: string; message: string };

export interface RemovalRun {
  /** People on the roster before the run. */
  before: number;
  /** User IDs leaving the roster in this run. */
  removed: readonly string[];
  settings?: RemovalBrakeSettings;
  /** Where the settings are written, for the message (default `vpconnect:roster.removalBrake`). */
  where?: string;
  /**
   * "exact": `removed` is the whole run's list, so an approval must match it exactly. "part": one shard's share of
   * it (the whole list's digest is checked where the whole roster is seen), so an approval passes a share no
   * larger than its count.
   */
  scope?: "exact" | "part";
}

/** Which limit the removals exceed, or undefined. */
export function removalLimitExceeded(
  before: number,
  removed: number,
  settings: RemovalBrakeSettings = {},
): string | undefined {
  const max = settings.maxRemovals;
  if (max !== undefined && removed > max) return `more than maxRemovals (${max})`;
  const pct = settings.maxRemovalPercent ?? DEFAULT_MAX_REMOVAL_PERCENT;
  if (removed >= PERCENT_RULE_MIN_REMOVALS && removed * 100 > pct * Math.max(before, 1))
    return `${formatPercent((removed * 100) / Math.max(before, 1))} of the ${before} on the roster, more than maxRemovalPercent (${pct} %)`;
  return undefined;
}

function formatPercent(p: number): string {
  return `${Math.round(p * 10) / 10} %`;
}

/**
 * Decides whether a run may take `removed` off the roster. Stops (with a message listing them and the approval
 * that would let exactly this list through) when a limit is exceeded without a matching approval, and when an
 * approval is set that does not match this run (so it never approves another list).
 */
export function checkRemovals(run: RemovalRun): RemovalVerdict {
  const removed = [...new Set(run.removed.map((u) => u.trim()))].sort((a, b) =>
    rosterIdentity(a).localeCompare(rosterIdentity(b), "en"),
  );
  const where = run.where ?? "vpconnect:roster.removalBrake";
  const settings = run.settings ?? {};
  const exceeded = removalLimitExceeded(run.before, removed.length, settings);
  const approve = settings.approve;
  const digest = removalDigest(removed);
  const list = () => [
    ...removed.slice(0, LISTED).map((u) => `  - ${u}`),
    ...(removed.length > LISTED ? [`  ... and ${removed.length - LISTED} more`] : []),
  ];
  const approval = `${where}.approve: { count: ${removed.length}, digest: "${digest}" }`;
  if (approve && removed.length > 0) {
    // A run that removes nobody leaves the approval alone (it is kept for the run, or the destroy, it names).
    const matches =
      run.scope === "part"
        ? removed.length <= approve.count
        : approve.count === removed.length && approve.digest === digest;
    if (matches) return { stop: false, removed, approved: true };
    const message = [
      `${where}.approve names ${approve.count} people (digest ${approve.digest}), but this run would take ${removed.length} off the roster (digest ${digest}); nothing was written. An approval lets exactly one reviewed list through: remove ${where}.approve${exceeded ? `, or if these are the people to remove, set ${approval}` : ""}.`,
      ...list(),
    ].join("\n");
    return { stop: true, removed, reason: "approval does not match", message };
  }
  if (!exceeded) return { stop: false, removed, approved: false };
  const message = [
    `The roster would lose ${removed.length} people in one run (${exceeded}); nothing was written. A source emptied by mistake (a group, a roster file) must not take the firm out of Connect. Check the source; if these people are really leaving, review the list and set ${approval}, then run again (or raise the limit):`,
    ...list(),
  ].join("\n");
  return { stop: true, removed, reason: exceeded, message };
}

/** A roster's user IDs as the brake keeps them: identities, unique, sorted, one per line. */
export function identityText(userIds: readonly string[]): string {
  return [...new Set(userIds.map(rosterIdentity))].sort().join("\n");
}

/** The identities of identityText's text. */
export function identityLines(text: string): string[] {
  return text === "" ? [] : text.split("\n");
}

/** Identities in `before` and not in `after`. */
export function leftTheRoster(before: readonly string[], after: readonly string[]): string[] {
  const now = new Set(after);
  return before.filter((id) => !now.has(id));
}
