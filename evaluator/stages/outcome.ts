/**
 * The report stage of a check: what a run found, turned into the CheckReport every format renders (summary and
 * exit code), the roster's counts, and a program's failure as configuration issues or one scrubbed line.
 */
import type { LoadedConfig } from "../../lib/config/load";
import { exitCodeOf } from "../../lib/reports/model";
import type { CheckReport, ReportConfigIssue, RosterSummary } from "../../lib/reports/model";
import { rosterIdentity } from "../../lib/vantagepoint/removalBrake";
import { DYNAMIC_TYPE } from "../program";
import type { CapturedResource, RunProgramResult } from "../program";

/** A report without its summary and exit code, which `finish` derives. */
export type UnfinishedReport = Omit<CheckReport, "summary" | "exitCode">;

/** The parts of a report a run that evaluated nothing leaves empty. */
export const EMPTY_RESULTS = {
  resources: [],
  outputs: {},
  policies: [],
  evaluations: [],
  violations: [],
  errors: [],
} as const satisfies Partial<UnfinishedReport>;

/** Adds the summary (counts by level) and the exit code. */
export function finish(report: UnfinishedReport): CheckReport {
  const count = (level: string) => report.violations.filter((v) => v.level === level).length;
  const exitCode = exitCodeOf(report);
  return {
    ...report,
    summary: {
      resources: report.resources.length,
      policies: report.policies.filter((p) => p.level !== "disabled").length,
      mandatory: count("mandatory"),
      advisory: count("advisory"),
      remediate: count("remediate"),
      errors: report.errors.length,
      passed: exitCode === 0,
    },
    exitCode,
  };
}

/** A ConfigError from the program (recognised by shape: the program loads its own copy of the class). */
export function configIssuesOf(error: unknown, stackFile: string): ReportConfigIssue[] | undefined {
  const e = error as { name?: string; issues?: unknown };
  if (e?.name !== "ConfigError" || !Array.isArray(e.issues)) return undefined;
  return (e.issues as ReportConfigIssue[]).map((i) => ({
    file: /\.(ya?ml|csv|json)\b/i.test(i.file) ? i.file : stackFile,
    key: i.key,
    message: i.message,
  }));
}

/** An error as one line: name, message and the first frame outside node_modules and Node's internals. */
export function describeError(error: unknown): string {
  // A RunError (recognised by shape: the program loads its own SDK copy) is a message for the user: Pulumi prints
  // it alone, without a stack frame, and so does the report (the components' args checks throw these).
  if ((error as { __pulumiRunError?: unknown })?.__pulumiRunError === true) return (error as Error).message;
  if (error instanceof Error) {
    const frame = error.stack
      ?.split("\n")
      .find((l) => /^\s+at /.test(l) && !l.includes("node_modules") && !l.includes("node:internal"));
    return `${error.name}: ${error.message}${frame ? ` (${frame.trim().replace(/^at /, "at ")})` : ""}`;
  }
  return String(error);
}

/**
 * The roster's counts: everyone in the stack config, the configurer, and (after a dynamic run) how many are
 * linked. A roster in shards (lib/vantagepoint/rosterShards.ts) is one ConnectRoster resource per shard: every
 * shard counts, each person once (user IDs compared as SQL Server does). `linked` is left out unless every shard
 * reported its people: a count over some shards is not the roster's.
 */
export function rosterSummary(
  loaded: Pick<LoadedConfig, "roster">,
  run: Pick<RunProgramResult, "resources">,
): RosterSummary {
  const summary: RosterSummary = { people: loaded.roster.length };
  const configurer = loaded.roster.find((p) => p.configurer);
  if (configurer) summary.configurer = configurer.userId;
  const lists = run.resources
    .filter((r) => r.type === DYNAMIC_TYPE && r.inputs.vpconnectResource === "ConnectRoster")
    .map((r) => r.outputs.people);
  if (lists.length > 0 && lists.every(Array.isArray)) {
    const linked = new Set<string>();
    for (const p of (lists as unknown[][]).flat() as Array<{ userId?: unknown; linked?: unknown }>) {
      if (p.linked === true && typeof p.userId === "string") linked.add(rosterIdentity(p.userId));
    }
    summary.linked = linked.size;
  }
  return summary;
}

/** The captured resources as the report lists them (without the options only the analyzer needs). */
export function reportedResources(resources: readonly CapturedResource[]): UnfinishedReport["resources"] {
  return resources.map(
    ({ propertyDependencies: _p, ignoreChanges: _i, customTimeouts: _c, deleteBeforeReplace: _d, ...r }) => r,
  );
}
