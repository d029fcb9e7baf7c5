/**
 * `vpconnect check` without the command line: reads a stack's config, runs the program under mocks, loads the
 * policy packs, evaluates them and returns the CheckReport every format renders. The single-stack and the fleet
 * paths (`check --all`, cli/checkAll.ts) run the same stages (evaluator/stages/): target and config
 * (target.ts), packs (packs.ts), the program beside the packs' analyzers (run.ts), analysis (analyze.ts), report
 * (outcome.ts).
 *
 * Order: usage problems (stack file missing, bad pack folder or pack config) throw UsageError; stack config
 * problems come back as `configIssues` (every one at once, nothing runs); a program that throws anything else
 * comes back as `programError`. Both are exit 2. Mandatory violations or policy errors are exit 1.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { repoBaseOf } from "../lib/reports/locate";
import type { CheckReport } from "../lib/reports/model";
import type { EvaluationResult } from "./evaluate";
import type { LoadedPack } from "./packs";
import type { SharedAnalyzers } from "./sharedAnalyzers";
import type { DynamicExecutor, InvokeHandler } from "./program";
import { scrubString } from "./plain";
import { collectLargeGarbage } from "./collectGarbage";
import type { ProgressOutput } from "../lib/progress";
import { toEngineConfig, UsageError } from "./stack";
import { analyzeInProcess, analyzeWithPacks } from "./stages/analyze";
import type { Analysis, AnalysisContext } from "./stages/analyze";
import {
  configIssuesOf,
  describeError,
  EMPTY_RESULTS,
  finish,
  reportedResources,
  rosterSummary,
} from "./stages/outcome";
import type { UnfinishedReport } from "./stages/outcome";
import { loadPacks, packDefaultsFromStack, PROJECT_PACK, resolvePacks } from "./stages/packs";
import type { PackWithConfig } from "./stages/packs";
import { previewNotes } from "./stages/previewNotes";
import { runTargetProgram, startAnalyzers } from "./stages/run";
import { loadTargetConfig, locateTarget } from "./stages/target";
import type { CheckTarget } from "./stages/target";

export interface CheckOptions {
  /** Working directory flags are relative to (default process.cwd()). */
  cwd?: string;
  /** The Pulumi project folder (default: Pulumi.yaml found from cwd upwards). */
  projectDir?: string;
  /** `--stack NAME`: reads `<stackConfigDir>/Pulumi.NAME.yaml`. */
  stack?: string;
  /** `--config FILE`: a stack file anywhere. */
  configFile?: string;
  /** `--policy-pack DIR` (repeatable; default the project's `policies` folder when undefined, none when empty). */
  policyPacks?: string[];
  /** `--policy-pack-config FILE`, paired with policyPacks in order. */
  policyPackConfigs?: string[];
  /** `--program PATH` (default: the project's entry, index.ts). */
  program?: string;
  /** Replaces non-secret values of the stack file, e.g. `vantagepoint.apiUrl` -> the emulator's URL. */
  configOverrides?: Record<string, string>;
  /** Plaintext for secrets (e.g. the emulator's credentials): `vantagepoint.password` -> value. */
  secretOverrides?: Record<string, string>;
  /** Executes dynamic resources for real (e.g. against the emulator). */
  dynamicExecutor?: DynamicExecutor;
  /** Extra invoke answers by token. */
  invokes?: Record<string, InvokeHandler>;
  /** Where progress lines go (only drawn when it is a terminal, see lib/progress.ts). */
  progress?: ProgressOutput;
  /** The run reads the bundled emulator instead of the stack's Vantagepoint: the reports label it so. */
  emulator?: { url: string; database: string };
  /** Packs already loaded (skips loading; used by the bench and tests to load once). */
  loadedPacks?: Array<{ pack: LoadedPack; configFile?: string; config?: unknown }>;
  /**
   * Who evaluates the policies: "analyzer" (default) starts every pack with Pulumi's run-policy-pack and drives
   * it over gRPC as the engine does (evaluator/analyzer.ts); "in-process" calls the policy objects directly
   * (evaluator/evaluate.ts), which test/evaluator/parity.test.ts proves gives the same violations.
   */
  evaluator?: EvaluationPath;
  /**
   * A fleet run's analyzers (evaluator/sharedAnalyzers.ts): the packs' analyzer processes are kept across stacks
   * and switched to this one instead of started for it. Unset (the single-stack check): fresh analyzers.
   */
  sharedAnalyzers?: SharedAnalyzers;
  /** `--preview`: evaluate as a first `pulumi preview` sees the stack (ids and computed outputs unknown). */
  preview?: boolean;
  /** `--packs-only`: a run that checked no prerequisite may pass (the verdict says so); otherwise it fails. */
  packsOnly?: boolean;
  /** A run that checked no prerequisite (P1..P8) fails (exit 1) instead of passing; `vpconnect check` sets it. */
  requirePrerequisites?: boolean;
  /** Receives how long each phase took (bench:check). */
  onTimings?: (timings: CheckTimings) => void;
  /**
   * Parity harness (test/evaluator/parity.test.ts): with the analyzer path, also evaluates in-process on the
   * same program run and hands both results over.
   */
  onParity?: (results: { analyzer: EvaluationResult; inProcess: EvaluationResult }) => void;
}

/** Which evaluation ran. */
export type EvaluationPath = "analyzer" | "in-process";

/** Milliseconds per phase of one check (the analyzer starts while the program runs). */
export interface CheckTimings {
  program: number;
  /** From spawning the packs to their answered GetAnalyzerInfo (0 in-process). */
  analyzerStart: number;
  /** Waiting for the packs after the program finished (the part of the start the program did not hide). */
  analyzerWait: number;
  evaluation: number;
}

const TOOL = { name: "vpconnect", version: toolVersion() };

function toolVersion(): string {
  try {
    return (
      (
        JSON.parse(fs.readFileSync(path.join(__dirname, "..", "package.json"), "utf8")) as {
          version?: string;
        }
      ).version ?? "0.0.0"
    );
  } catch {
    return "0.0.0";
  }
}

export {
  loadPacks,
  packDefaultsFromStack,
  previewNotes,
  PROJECT_PACK,
  repoBaseOf,
  rosterSummary,
  UsageError,
};

/**
 * The pack `vpconnect check` runs when no --policy-pack is given: the project's own policies/ folder, else the
 * compiled pack shipped in this package (policies/ beside dist/ once installed), so a consumer project checks its
 * own program with it.
 */
function defaultPolicyPack(cwd: string, projectDir: string): string {
  const own = path.join(projectDir, "policies");
  if (fs.existsSync(own)) return path.relative(cwd, own) || "policies";
  for (const up of ["..", path.join("..", "..")]) {
    const shipped = path.join(__dirname, up, "policies");
    if (fs.existsSync(path.join(shipped, "PulumiPolicy.yaml"))) return shipped;
  }
  return path.relative(cwd, own) || "policies";
}

/**
 * The packs a run evaluates: given, or loaded from --policy-pack (default the project's `policies` folder). A
 * fleet run with shared analyzers loads them once for all its sites, as its analyzers run them once.
 */
function packsOf(options: CheckOptions, target: CheckTarget): PackWithConfig[] {
  if (options.loadedPacks) return options.loadedPacks;
  const dirs = options.policyPacks ?? [defaultPolicyPack(target.cwd, target.project.dir)];
  const configs = options.policyPackConfigs ?? [];
  const load = () => loadPacks(dirs, configs, target.cwd, target.project.dir);
  if (!options.sharedAnalyzers) return load();
  return options.sharedAnalyzers.packs(JSON.stringify([dirs, configs, target.cwd, target.project.dir]), load);
}

/** What every report of this run states whatever happens next. */
function reportBase(target: CheckTarget, options: CheckOptions) {
  return {
    tool: TOOL,
    stack: target.stack,
    project: target.project.name,
    stackFile: target.stackFile,
    ...repoBaseOf(target.cwd),
    stackFileText: target.stackFileText,
    program: path.relative(target.cwd, target.program) || target.program,
    ...(options.emulator ? { emulator: options.emulator } : {}),
    ...(options.packsOnly ? { packsOnly: true } : {}),
    ...(options.requirePrerequisites ? { requirePrerequisites: true } : {}),
  };
}

export async function runCheck(options: CheckOptions = {}): Promise<CheckReport> {
  const target = locateTarget(options);
  // Packs first: a bad --policy-pack (or its config) is a usage error whatever the stack holds.
  const loaded = packsOf(options, target);
  resolvePacks(loaded, {});
  const base = reportBase(target, options);
  // The stack file, then the config schema: every problem at once, nothing runs when there is one.
  const stage = loadTargetConfig(target, options);
  if ("issues" in stage) {
    const { packs, notes } = resolvePacks(loaded, {});
    return finish({
      ...base,
      packs,
      notes: [...stage.notes, ...notes],
      ...EMPTY_RESULTS,
      configIssues: stage.issues,
    });
  }
  const {
    evaluated,
    packs,
    notes: packNotes,
  } = resolvePacks(loaded, stage.loaded ? packDefaultsFromStack(stage.loaded) : {});
  const loginSecret = stage.loaded?.loginSecret;
  const notes = [...stage.notes, ...packNotes, ...(stage.loaded?.warnings ?? [])];
  if (loginSecret) notes.push(loginSecret.status, ...loginSecret.warnings.map((w) => `WARNING: ${w}`));
  const secretOverrides = options.secretOverrides ?? {};
  const engine = toEngineConfig(stage.raw, secretOverrides);
  const preview = options.preview ?? false;
  const context: AnalysisContext = { project: target.project.name, stack: target.stack, engine, preview };
  // The engine starts the packs before the program runs; so does this (they start while the program runs).
  const pool =
    (options.evaluator ?? "analyzer") === "analyzer"
      ? await startAnalyzers(loaded, target, engine, preview, options.sharedAnalyzers)
      : undefined;
  try {
    const programStarted = Date.now();
    const run = await runTargetProgram(target, engine, {
      ...options,
      secretOverrides,
      preview,
      fleet: options.sharedAnalyzers !== undefined,
      ...(stage.loaded ? { loaded: stage.loaded } : {}),
    });
    const program = Date.now() - programStarted;
    // The program's garbage is not the analysis's: collected now when it is large (a 100,000-person roster).
    collectLargeGarbage();
    const done = (rest: Omit<UnfinishedReport, keyof typeof base | "packs" | "notes">) =>
      finish({
        ...base,
        packs,
        notes,
        ...rest,
        ...(stage.loaded ? { roster: rosterSummary(stage.loaded, run) } : {}),
      });
    if (run.error !== undefined) {
      const issues = configIssuesOf(run.error, target.stackFile);
      if (issues) return done({ ...EMPTY_RESULTS, resources: run.resources, configIssues: issues });
      const programError = scrubString(describeError(run.error), [...run.secrets]);
      return done({ ...EMPTY_RESULTS, resources: run.resources, configIssues: [], programError });
    }
    const analysis: Analysis = pool
      ? await analyzeWithPacks(pool, evaluated, run, context, options.onParity)
      : await analyzeInProcess(evaluated, run, context);
    const { result } = analysis;
    // Likewise the analysis's (its request bytes, the in-process probe's roster) before the report is made.
    collectLargeGarbage();
    notes.push(analysis.note);
    options.onTimings?.({ program, ...analysis.timings });
    if (preview) notes.push(...previewNotes(result, evaluated, result.policies));
    notes.push(...result.notes);
    return done({
      resources: reportedResources(run.resources),
      outputs: run.outputs,
      policies: result.policies,
      evaluations: result.evaluations,
      violations: result.violations,
      errors: result.errors,
      configIssues: [],
    });
  } finally {
    await pool?.close();
  }
}
