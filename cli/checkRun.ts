/**
 * What `vpconnect check` and `check --all` (cli/checkAll.ts) share: the parsed flags, a wrapper's options, where
 * reports go, and running one stack's check. Here so that neither command module imports the other.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { ParseArgsConfig } from "node:util";
import { REPORT_FILES, REPORT_FORMATS, RENDERERS } from "../lib/reports";
import type { CheckReport, ReportFormat } from "../lib/reports";
import type { CheckOptions } from "../evaluator/check";
import type { Io } from "./io";

export type OptionsConfig = NonNullable<ParseArgsConfig["options"]>;

/** Values parsed from the command line. */
export interface CheckFlags {
  stack?: string;
  config?: string;
  policyPacks?: string[];
  policyPackConfigs?: string[];
  formats: ReportFormat[];
  out?: string;
  program?: string;
  help: boolean;
  /** `--preview`: evaluate with a first preview's unknowns. */
  preview: boolean;
  /** `--packs-only`: the given packs alone may pass the gate, P1..P8 unchecked (said in the verdict). */
  packsOnly: boolean;
  /** `--in-process`: the in-process evaluator instead of Pulumi's analyzer. */
  inProcess: boolean;
  /** `--all`: check every site stack (or the stack files listed after it). */
  all: boolean;
  /** Stack files listed after `--all`. */
  stackFiles: string[];
  /** `--jobs N`: sites checked at once with --all. */
  jobs: number;
  /** `--isolate-analyzers`: with --all, a fresh analyzer per site instead of one per pack per worker. */
  isolateAnalyzers: boolean;
  /** Values of extra flags a wrapper added (see makeCheckCommand). */
  extra: Record<string, unknown>;
}

export interface CheckCommandOptions {
  /** Extra flags a wrapper understands (e.g. `--emulator`), parsed strictly with the built-in ones. */
  extraOptions?: OptionsConfig;
  /** Adjusts the check's options from the flags (e.g. start the emulator, set secretOverrides/dynamicExecutor). */
  prepare?: (
    flags: CheckFlags,
    options: CheckOptions,
    io: Io,
  ) => Promise<{ options: CheckOptions; dispose?: () => Promise<void> | void }>;
  /** Extra help text appended to --help. */
  help?: string;
}

/** The formats a run renders, where files go, and whether it writes any. */
export function reportTargets(
  flags: Pick<CheckFlags, "formats" | "out">,
  io: Pick<Io, "cwd">,
): { formats: ReportFormat[]; outDir: string; writes: boolean } {
  const formats: ReportFormat[] =
    flags.formats.length > 0 ? flags.formats : flags.out !== undefined ? [...REPORT_FORMATS] : ["table"];
  const outDir = path.resolve(io.cwd, flags.out ?? "reports");
  return { formats, outDir, writes: flags.out !== undefined || formats.some((f) => f !== "table") };
}

/** Runs one stack's check with the flags (and a wrapper's prepare step); a bad flag value throws UsageError. */
export async function runOneCheck(
  flags: CheckFlags,
  io: Io,
  custom: CheckCommandOptions,
  configFile?: string,
  fleet?: Pick<CheckOptions, "sharedAnalyzers">,
): Promise<CheckReport> {
  const { runCheck } = require("../evaluator/check") as typeof import("../evaluator/check");
  let options: CheckOptions = {
    cwd: io.cwd,
    progress: io,
    ...(flags.stack !== undefined ? { stack: flags.stack } : {}),
    ...(configFile !== undefined
      ? { configFile }
      : flags.config !== undefined
        ? { configFile: flags.config }
        : {}),
    ...(flags.policyPacks !== undefined ? { policyPacks: flags.policyPacks } : {}),
    ...(flags.policyPackConfigs !== undefined ? { policyPackConfigs: flags.policyPackConfigs } : {}),
    ...(flags.program !== undefined ? { program: flags.program } : {}),
    ...(flags.preview ? { preview: true } : {}),
    // The command line gates on the prerequisites unless told otherwise (the library API leaves it to the caller).
    ...(flags.packsOnly ? { packsOnly: true } : { requirePrerequisites: true }),
    ...(flags.inProcess ? { evaluator: "in-process" as const } : {}),
    ...(fleet?.sharedAnalyzers ? { sharedAnalyzers: fleet.sharedAnalyzers } : {}),
  };
  let dispose: (() => Promise<void> | void) | undefined;
  try {
    if (custom.prepare) ({ options, dispose } = await custom.prepare(flags, options, io));
    return await runCheck(options);
  } finally {
    await dispose?.();
  }
}

/** Writes the report's files (every format but the console table) under outDir; returns their paths. */
export function writeReportFiles(
  report: CheckReport,
  formats: readonly ReportFormat[],
  outDir: string,
  io: Pick<Io, "cwd">,
): string[] {
  const files = formats.filter((f): f is Exclude<ReportFormat, "table"> => f !== "table");
  if (files.length === 0) return [];
  fs.mkdirSync(outDir, { recursive: true });
  return files.map((f) => {
    const file = path.join(outDir, REPORT_FILES[f](report.stack));
    fs.writeFileSync(file, RENDERERS[f](report));
    return path.relative(io.cwd, file) || file;
  });
}

/**
 * Removes every report file a run for `stack` writes (all formats, not only this run's), so a run never leaves
 * an earlier run's report beside its own: no HTML saying PASSED next to a failing JSON. Only those exact names.
 */
export function removeReports(outDir: string, stack: string): void {
  for (const name of Object.values(REPORT_FILES)) {
    const file = path.join(outDir, name(stack));
    // A stack name with path separators could point outside --out: such a name is never ours.
    if (path.dirname(file) !== outDir) continue;
    fs.rmSync(file, { force: true });
  }
}
