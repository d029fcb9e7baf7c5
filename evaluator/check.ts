/**
 * `vpconnect check` without the command line: reads a stack's config, runs the program under mocks, loads the
 * policy packs, evaluates them and returns the CheckReport every format renders.
 *
 * Order: usage problems (stack file missing, bad pack folder or pack config) throw UsageError; stack config
 * problems come back as `configIssues` (every one at once, nothing runs); a program that throws anything else
 * comes back as `programError`. Both are exit 2. Mandatory violations or policy errors are exit 1.
 */
import { duplicateJsonKeys, jsonSyntaxProblem } from "../lib/fileRules";
import * as fs from "node:fs";
import * as path from "node:path";
import { ConfigError, loadStackConfig } from "../lib/config/load";
import type { LoadedConfig } from "../lib/config/load";
import { projectFileReader } from "../lib/config/projectFile";
import { readRosterFile } from "../lib/config/rosterFile";
import { createProgress } from "../lib/progress";
import type { Progress, ProgressOutput } from "../lib/progress";
import { parseStackFile } from "../lib/config/stackFile";
import { repoBaseOf } from "../lib/reports/locate";
import { exitCodeOf } from "../lib/reports/model";
import type { CheckReport, ReportConfigIssue, ReportPack, RosterSummary } from "../lib/reports/model";
import { AnalyzerError, PackAnalyzer, startAnalyzerEngine } from "./analyzer";
import { engineViews, evaluateWithAnalyzers, withEngineResources } from "./analyzerRun";
import { evaluatePolicies, withApplicability } from "./evaluate";
import type { EvaluatedPack, EvaluationResult } from "./evaluate";
import { resolvePackConfig } from "./packConfig";
import { ensurePackBuilt } from "./packBuild";
import { loadPolicyPack, PackLoadError } from "./packs";
import type { LoadedPack } from "./packs";
import { scrubString } from "./plain";
import { DYNAMIC_TYPE, runProgram } from "./program";
import type { DynamicExecutor, InvokeHandler, RunProgramResult } from "./program";
import { findProject, locateStack, readProject, toEngineConfig, UsageError } from "./stack";

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

/** This project's pack (policies/): its config defaults come from the stack config. */
export const PROJECT_PACK = "vantagepoint-connect";

/**
 * Pack config values the stack config already states (extra allowed ranges, secret lifetime, EWS, ports, public
 * URL). Never Connect's IPs: those are checked against the pack's own reviewed copy (policies/connect-ips.json).
 */
export function packDefaultsFromStack(loaded: LoadedConfig): Record<string, unknown> {
  const { config } = loaded;
  return {
    extraAllowedRanges: [...config.allowList.extraRanges],
    maxSecretLifetimeDays: config.policy.maxSecretLifetimeDays,
    allowEws: config.policy.allowEws,
    forbiddenInternetPorts: [...config.policy.forbiddenInternetPorts],
    vantagepointAppPath: `${config.site.vantagepointPath === "/" ? "" : config.site.vantagepointPath}/app`,
    publicUrl: loaded.publicUrl,
  };
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

/** Loads the packs and their config files; every problem is a UsageError. */
export function loadPacks(
  dirs: readonly string[],
  configFiles: readonly string[],
  cwd: string,
  projectDir: string,
): Array<{ pack: LoadedPack; configFile?: string; config?: unknown }> {
  if (configFiles.length > dirs.length) {
    throw new UsageError(
      `--policy-pack-config given ${configFiles.length} times for ${dirs.length} --policy-pack; each config file pairs with the --policy-pack at the same position`,
    );
  }
  return dirs.map((dir, index) => {
    let pack: LoadedPack;
    try {
      // A TypeScript pack shipped compiled (policies/): rebuild a stale build first, so the analyzer and the
      // in-process loader both run the current sources.
      const absDir = path.resolve(cwd, dir);
      if (fs.existsSync(path.join(absDir, "package.json"))) ensurePackBuilt(absDir);
      pack = loadPolicyPack(dir, { cwd, projectDir });
    } catch (error) {
      if (error instanceof PackLoadError) throw new UsageError(error.message);
      throw error;
    }
    const configFile = configFiles[index];
    if (configFile === undefined) return { pack };
    const abs = path.resolve(cwd, configFile);
    let text: string;
    try {
      text = fs.readFileSync(abs, "utf8");
    } catch {
      throw new UsageError(
        `--policy-pack-config ${configFile}: cannot read the file; give a JSON file of policy config`,
      );
    }
    // The CLI reads an empty (or whitespace-only) config file as no config at all.
    if (text.trim() === "") return { pack, configFile };
    let config: unknown;
    try {
      config = JSON.parse(text) as unknown;
    } catch (error) {
      // Described by place only: the file's text is never repeated (lib/fileRules.ts).
      throw new UsageError(`--policy-pack-config ${configFile}: ${jsonSyntaxProblem(error, text)}`);
    }
    // A policy named twice: JSON.parse (and the Pulumi CLI's Go reader) silently keep the last entry.
    const twice = duplicateJsonKeys(text);
    if (twice.length > 0)
      throw new UsageError(
        twice
          .map(
            (d) =>
              `--policy-pack-config ${configFile}:${d.line}: ${d.at ? `${d.at}.` : ""}${d.key}: is given twice (also line ${d.firstLine}); only the last would count, so keep one entry`,
          )
          .join("\n"),
      );
    return { pack, configFile, config };
  });
}

/** `repoBase` for the report (shared with `vpconnect doctor`, which points its SARIF at the same files). */
export { repoBaseOf };

export async function runCheck(options: CheckOptions = {}): Promise<CheckReport> {
  const cwd = options.cwd ?? process.cwd();
  const project = options.projectDir ? readProject(path.resolve(cwd, options.projectDir)) : findProject(cwd);
  const { stack, file } = locateStack(project, { stack: options.stack, configFile: options.configFile, cwd });
  const stackFile = path.relative(cwd, file) || file;
  const stackFileText = fs.readFileSync(file, "utf8");
  const program = options.program ? path.resolve(cwd, options.program) : project.main;
  if (!fs.existsSync(program))
    throw new UsageError(
      `--program ${options.program ?? path.relative(cwd, program)}: no such file; give the Pulumi program's entry (index.ts)`,
    );

  // Packs first: a bad --policy-pack is a usage error whatever the stack holds.
  const loaded =
    options.loadedPacks ??
    loadPacks(
      options.policyPacks ?? [path.relative(cwd, path.join(project.dir, "policies")) || "policies"],
      options.policyPackConfigs ?? [],
      cwd,
      project.dir,
    );
  const evaluated: EvaluatedPack[] = [];
  const packs: ReportPack[] = [];
  const notes: string[] = [];
  /** Resolves levels and config once the stack config is known (this project's pack takes defaults from it). */
  const resolvePacks = (derived: Record<string, unknown>) => {
    const packProblems: string[] = [];
    for (const { pack, configFile, config } of loaded) {
      const own = pack.name === PROJECT_PACK ? derived : {};
      const resolved = resolvePackConfig(pack, config, configFile ?? `${pack.name} config`, own);
      packProblems.push(...resolved.problems);
      notes.push(...resolved.notes);
      if (Object.keys(own).length > 0) {
        notes.push(
          `${pack.name}: pack config defaults taken from the stack config (${Object.keys(own).join(", ")}); a --policy-pack-config file overrides them. Under the engine, pass the same values with --policy-pack-config.`,
        );
      }
      evaluated.push({
        name: pack.name,
        version: pack.version,
        policies: pack.policies,
        resolved: resolved.policies,
      });
      packs.push({
        name: pack.name,
        version: pack.version,
        dir: pack.dir,
        enforcementLevel: pack.enforcementLevel,
        policies: pack.policies.length,
        ...(configFile ? { configFile } : {}),
      });
    }
    if (packProblems.length > 0)
      throw new UsageError(`invalid policy pack config:\n${packProblems.map((p) => `  ${p}`).join("\n")}`);
  };
  // Validate pack config up front (usage errors win over config errors), then again with the stack's values.
  resolvePacks({});
  evaluated.length = 0;
  packs.length = 0;
  notes.length = 0;

  const base = {
    tool: TOOL,
    stack,
    project: project.name,
    stackFile,
    ...repoBaseOf(cwd),
    stackFileText,
    program: path.relative(cwd, program) || program,
    ...(options.emulator ? { emulator: options.emulator } : {}),
    ...(options.packsOnly ? { packsOnly: true } : {}),
    ...(options.requirePrerequisites ? { requirePrerequisites: true } : {}),
    packs,
    notes,
  };
  const empty = { resources: [], outputs: {}, policies: [], evaluations: [], violations: [], errors: [] };

  // The stack file, then the config schema: every problem at once, nothing runs when there is one.
  let raw: Record<string, unknown>;
  let environments: string[];
  try {
    ({ config: raw, environments } = parseStackFile(stackFileText, stackFile));
  } catch (error) {
    if (error instanceof ConfigError) {
      resolvePacks({});
      return finish({ ...base, ...empty, configIssues: error.issues });
    }
    throw error;
  }
  if (options.configOverrides) raw = withOverrides(raw, options.configOverrides);
  if (environments.length > 0) {
    notes.push(
      `the stack imports Pulumi ESC environments (${environments.join(", ")}); their values are not visible offline`,
    );
  }
  const secretOverrides = options.secretOverrides ?? {};
  let loadedConfig: LoadedConfig | undefined;
  // A large roster file is read and checked synchronously: say so on a terminal until the config is loaded.
  let rosterLine: Progress | undefined;
  try {
    loadedConfig = loadStackConfig(raw, {
      source: stackFile,
      readFile: projectFileReader(project.dir),
      parseRosterFile: (text, fileName) => {
        if (options.progress) {
          rosterLine = createProgress(options.progress, `checking roster file ${fileName}`, {
            unit: "lines",
          });
          rosterLine.update(text.split("\n").length - (text.endsWith("\n") ? 1 : 0));
        }
        return readRosterFile(text, fileName);
      },
      environments,
      secretOverrides: Object.fromEntries(
        Object.entries(secretOverrides).map(([k, v]) => [k.replace(/^vpconnect:/, ""), v]),
      ),
    });
  } catch (error) {
    if (error instanceof ConfigError) {
      resolvePacks({});
      return finish({ ...base, ...empty, configIssues: error.issues });
    }
    throw error;
  } finally {
    rosterLine?.stop();
  }
  resolvePacks(packDefaultsFromStack(loadedConfig));
  notes.push(...loadedConfig.warnings);
  if (loadedConfig.loginSecret) {
    notes.push(loadedConfig.loginSecret.status);
    notes.push(...loadedConfig.loginSecret.warnings.map((w) => `WARNING: ${w}`));
  }

  const engine = toEngineConfig(raw, secretOverrides);
  const path_: EvaluationPath = options.evaluator ?? "analyzer";
  const preview = options.preview ?? false;
  const timings: CheckTimings = { program: 0, analyzerStart: 0, analyzerWait: 0, evaluation: 0 };
  // The engine starts the packs before the program runs; so does this (they start while the program runs).
  const engineServer = path_ === "analyzer" ? await startAnalyzerEngine() : undefined;
  const starting = engineServer
    ? loaded.map(({ pack }) =>
        PackAnalyzer.start(pack.absDir, {
          project: project.name,
          stack,
          dryRun: preview,
          config: engine.config,
          secretKeys: engine.secretKeys,
          engineAddress: engineServer.address,
        }),
      )
    : [];
  // A pack that fails to start must not leave the others running.
  const settled = Promise.allSettled(starting);
  const closeAll = async () => {
    await Promise.all((await settled).map((r) => (r.status === "fulfilled" ? r.value.close() : undefined)));
    await engineServer?.stop();
  };
  try {
    // The program re-reads its stack file (to refuse plaintext secrets the engine would hide): point it at this one.
    const previousStackFile = process.env.VPCONNECT_STACK_FILE;
    process.env.VPCONNECT_STACK_FILE = file;
    let run: RunProgramResult;
    const programStarted = Date.now();
    try {
      run = await runProgram({
        program,
        projectDir: project.dir,
        project: project.name,
        stack,
        config: engine.config,
        secretKeys: engine.secretKeys,
        knownSecrets: Object.values(secretOverrides),
        preview,
        ...(options.dynamicExecutor && !preview ? { dynamicExecutor: options.dynamicExecutor } : {}),
        ...(options.invokes ? { invokes: options.invokes } : {}),
      });
    } finally {
      if (previousStackFile === undefined) delete process.env.VPCONNECT_STACK_FILE;
      else process.env.VPCONNECT_STACK_FILE = previousStackFile;
    }
    timings.program = Date.now() - programStarted;
    const secrets = [...run.secrets];
    const roster = rosterSummary(loadedConfig, run);
    if (run.error !== undefined) {
      const issues = configIssuesOf(run.error, stackFile);
      if (issues)
        return finish({ ...base, ...empty, resources: run.resources, configIssues: issues, roster });
      return finish({
        ...base,
        ...empty,
        resources: run.resources,
        configIssues: [],
        programError: scrubString(describeError(run.error), secrets),
        roster,
      });
    }
    let result: Awaited<ReturnType<typeof evaluatePolicies>>;
    if (path_ === "analyzer") {
      const waitStarted = Date.now();
      const analyzers: PackAnalyzer[] = [];
      for (const r of await settled) {
        if (r.status === "rejected") {
          const e = r.reason as Error;
          throw e instanceof AnalyzerError ? new UsageError(`--policy-pack: ${e.message}`) : e;
        }
        analyzers.push(r.value);
      }
      timings.analyzerWait = Date.now() - waitStarted;
      timings.analyzerStart = Math.max(...analyzers.map((a) => a.startMs), 0);
      const evaluationStarted = Date.now();
      const packsWithConfig = analyzers.map((analyzer, i) => ({
        analyzer,
        resolved: evaluated[i]!.resolved,
        policies: evaluated[i]!.policies,
      }));
      for (const p of packsWithConfig) await p.analyzer.configure(p.resolved);
      const views = engineViews(run.resources, run.policyView, {
        project: project.name,
        stack,
        config: engine.config,
        secretKeys: engine.secretKeys,
        preview,
      });
      result = await evaluateWithAnalyzers(packsWithConfig, views, secrets);
      timings.evaluation = Date.now() - evaluationStarted;
      // The analyzer only says which resources a policy was told were not applicable: the same policies run
      // in-process (watched) tell the reports which resources each really examined, and its time.
      const engineShaped = withEngineResources(run.resources, run.policyView, views);
      const probe = await evaluatePolicies(evaluated, engineShaped.resources, engineShaped.view, secrets);
      options.onParity?.({ analyzer: result, inProcess: probe });
      result = { ...result, policies: withApplicability(result.policies, probe.policies) };
      notes.push(
        `policies evaluated by Pulumi's analyzer: each pack started with @pulumi/pulumi's run-policy-pack and driven over gRPC as the engine drives it (${analyzers.map((a) => `${a.info.name}@${a.info.version}`).join(", ")})`,
      );
    } else {
      const evaluationStarted = Date.now();
      const engineShaped = withEngineResources(
        run.resources,
        run.policyView,
        engineViews(run.resources, run.policyView, {
          project: project.name,
          stack,
          config: engine.config,
          secretKeys: engine.secretKeys,
          preview,
        }),
      );
      result = await evaluatePolicies(evaluated, engineShaped.resources, engineShaped.view, secrets);
      timings.evaluation = Date.now() - evaluationStarted;
      notes.push(
        "policies evaluated in-process (the policy objects called directly, as @pulumi/policy's analyzer calls them); run without --in-process for Pulumi's own analyzer",
      );
    }
    options.onTimings?.(timings);
    if (preview) notes.push(...previewNotes(result, evaluated, result.policies));
    notes.push(...result.notes);
    return finish({
      ...base,
      resources: run.resources.map(
        ({
          propertyDependencies: _p,
          ignoreChanges: _i,
          customTimeouts: _c,
          deleteBeforeReplace: _d,
          ...r
        }) => r,
      ),
      outputs: run.outputs,
      policies: result.policies,
      evaluations: result.evaluations,
      violations: result.violations,
      errors: result.errors,
      configIssues: [],
      roster,
    });
  } finally {
    await closeAll();
  }
}

/**
 * What a first preview could not check: every mandatory policy the engine would report as "can't run ...
 * during preview" (it reads a value that is unknown until the resources exist), with when it will run.
 */
export function previewNotes(
  result: { violations: ReadonlyArray<{ pack: string; policy: string; message: string }> },
  packs: ReadonlyArray<{ name: string; resolved: ReadonlyMap<string, { level: string }> }>,
  /** The policies as evaluated: a mandatory one that checked nothing (not applicable in a preview) did not run. */
  policies: ReadonlyArray<{
    pack: string;
    name: string;
    level: string;
    prerequisite?: string | null;
    notChecked?: string;
  }> = [],
): string[] {
  const notes = [
    "preview: evaluated as a first pulumi preview of a new stack sees it: resource ids and outputs the providers compute are unknown, dynamic resources (the Vantagepoint side) are not run",
  ];
  const blind = new Map<string, string>();
  for (const v of result.violations) {
    const m =
      /^can't run (?:policy|remediation) '[^']+' from policy pack '[^']+' during preview: (.*)$/s.exec(
        v.message,
      );
    if (!m) continue;
    const level = packs.find((p) => p.name === v.pack)?.resolved.get(v.policy)?.level;
    if (level === "mandatory" || level === "remediate") blind.set(`${v.pack}/${v.policy}`, m[1]!);
  }
  for (const [policy, why] of blind) {
    notes.push(
      `preview: mandatory policy ${policy} cannot run in a first preview (${why}); the engine reports that as advisory, so it is not enforced until pulumi up evaluates it with the created resources' values (or vpconnect check without --preview)`,
    );
  }
  // Mandatory policies that answered "not applicable" (P3-P5 before the roster has read Vantagepoint: dynamic
  // resources do not run in a preview) did not run either: named with why, never counted as checked.
  const idle = policies.filter(
    (p) =>
      (p.level === "mandatory" || p.level === "remediate") &&
      p.notChecked &&
      !blind.has(`${p.pack}/${p.name}`),
  );
  for (const p of idle) {
    notes.push(
      `preview: mandatory policy ${p.pack}/${p.name}${p.prerequisite ? ` (${p.prerequisite})` : ""} did not run: ${p.notChecked!.replace(/\.$/, "")}; pulumi up checks it once the resources exist (or vpconnect check without --preview)`,
    );
  }
  if (blind.size === 0 && idle.length === 0)
    notes.push("preview: every mandatory policy ran on what is known");
  else
    notes.push(
      `preview: ${blind.size + idle.length} mandatory polic${blind.size + idle.length === 1 ? "y" : "ies"} did not run (${[...blind.keys(), ...idle.map((p) => `${p.pack}/${p.name}`)].join(", ")}); the others ran on what a first preview knows, and pulumi up evaluates all of them`,
    );
  return notes;
}

function finish(report: Omit<CheckReport, "summary" | "exitCode">): CheckReport {
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
function configIssuesOf(error: unknown, stackFile: string): ReportConfigIssue[] | undefined {
  const e = error as { name?: string; issues?: unknown };
  if (e?.name !== "ConfigError" || !Array.isArray(e.issues)) return undefined;
  return (e.issues as ReportConfigIssue[]).map((i) => ({
    file: /\.(ya?ml|csv|json)\b/i.test(i.file) ? i.file : stackFile,
    key: i.key,
    message: i.message,
  }));
}

function describeError(error: unknown): string {
  if (error instanceof Error) {
    const frame = error.stack
      ?.split("\n")
      .find((l) => /^\s+at /.test(l) && !l.includes("node_modules") && !l.includes("node:internal"));
    return `${error.name}: ${error.message}${frame ? ` (${frame.trim().replace(/^at /, "at ")})` : ""}`;
  }
  return String(error);
}

/** Adapts lib/vantagepoint/rosterFile's parser (throws on structural problems) to the loader's interface. */

function rosterSummary(loaded: LoadedConfig, run: RunProgramResult): RosterSummary {
  const summary: RosterSummary = { people: loaded.roster.length };
  const configurer = loaded.roster.find((p) => p.configurer);
  if (configurer) summary.configurer = configurer.userId;
  const roster = run.resources.find(
    (r) => r.type === DYNAMIC_TYPE && r.inputs.vpconnectResource === "ConnectRoster",
  );
  const people = roster?.outputs.people;
  if (Array.isArray(people))
    summary.linked = people.filter((p) => (p as { linked?: unknown }).linked === true).length;
  return summary;
}

export { UsageError };

/** A copy of a stack file's config with `section.path` values replaced (the `vpconnect` namespace is implied). */
function withOverrides(
  raw: Record<string, unknown>,
  overrides: Record<string, string>,
): Record<string, unknown> {
  const out = structuredClone(raw);
  for (const [dotted, value] of Object.entries(overrides)) {
    const [section, ...rest] = dotted.replace(/^vpconnect:/, "").split(".");
    const key = `vpconnect:${section}`;
    if (rest.length === 0) {
      out[key] = value;
      continue;
    }
    let node = (out[key] ??= {}) as Record<string, unknown>;
    for (const part of rest.slice(0, -1)) node = (node[part] ??= {}) as Record<string, unknown>;
    node[rest[rest.length - 1]!] = value;
  }
  return out;
}
