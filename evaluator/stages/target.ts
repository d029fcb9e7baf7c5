/**
 * The first stage of a check: which project, stack file and program a run is about (every problem a UsageError
 * naming the flag), and the stack file's config read as the engine and the library read it.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { ConfigError, loadStackConfig } from "../../lib/config/load";
import type { LoadedConfig } from "../../lib/config/load";
import { projectFileReader } from "../../lib/config/projectFile";
import { readRosterFile } from "../../lib/config/rosterFile";
import { parseStackFile } from "../../lib/config/stackFile";
import { createProgress } from "../../lib/progress";
import type { Progress, ProgressOutput } from "../../lib/progress";
import type { ReportConfigIssue } from "../../lib/reports/model";
import { findProject, locateStack, readProject, UsageError } from "../stack";
import type { ProjectInfo } from "../stack";

/** What one check is about. */
export interface CheckTarget {
  cwd: string;
  project: ProjectInfo;
  stack: string;
  /** The stack file, absolute. */
  file: string;
  /** The stack file as the reports name it (relative to cwd). */
  stackFile: string;
  stackFileText: string;
  /** The program's entry, absolute. */
  program: string;
}

/** Finds the project, the stack file and the program from the flags. */
export function locateTarget(options: {
  cwd?: string;
  projectDir?: string;
  stack?: string;
  configFile?: string;
  program?: string;
}): CheckTarget {
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
  return { cwd, project, stack, file, stackFile, stackFileText, program };
}

/** The stack's config: its problems (every one at once), or what the program and the packs are given. */
export type StackConfigStage =
  | { issues: ReportConfigIssue[]; notes: string[] }
  | { raw: Record<string, unknown>; environments: string[]; loaded?: LoadedConfig; notes: string[] };

/**
 * Reads the stack file, then the config schema. `configOverrides` replace non-secret values (e.g. the emulator's
 * URL), `secretOverrides` give secrets' plaintext. A ConfigError is returned as issues; anything else throws.
 */
export function loadTargetConfig(
  target: CheckTarget,
  options: {
    configOverrides?: Record<string, string>;
    secretOverrides?: Record<string, string>;
    progress?: ProgressOutput;
  },
): StackConfigStage {
  const notes: string[] = [];
  let raw: Record<string, unknown>;
  let environments: string[];
  try {
    ({ config: raw, environments } = parseStackFile(target.stackFileText, target.stackFile));
  } catch (error) {
    if (error instanceof ConfigError) return { issues: error.issues, notes };
    throw error;
  }
  if (options.configOverrides) raw = withOverrides(raw, options.configOverrides);
  if (environments.length > 0) {
    notes.push(
      `the stack imports Pulumi ESC environments (${environments.join(", ")}); their values are not visible offline`,
    );
  }
  // A consumer's own program reads its own config: without vpconnect: keys there is no stack config of ours to load.
  if (!Object.keys(raw).some((key) => key.startsWith("vpconnect:"))) {
    notes.push(
      "the stack has no vpconnect: config: the program reads its own, and the vantagepoint-connect pack takes its config from --policy-pack-config alone",
    );
    return { raw, environments, notes };
  }
  try {
    const loaded = loadWithProgress(raw, environments, target, options);
    return { raw, environments, loaded, notes };
  } catch (error) {
    if (error instanceof ConfigError) return { issues: error.issues, notes };
    throw error;
  }
}

function loadWithProgress(
  raw: Record<string, unknown>,
  environments: string[],
  target: CheckTarget,
  options: { secretOverrides?: Record<string, string>; progress?: ProgressOutput },
): LoadedConfig {
  // A large roster file is read and checked synchronously: say so on a terminal until the config is loaded.
  let rosterLine: Progress | undefined;
  try {
    return loadStackConfig(raw, {
      source: target.stackFile,
      readFile: projectFileReader(target.project.dir),
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
        Object.entries(options.secretOverrides ?? {}).map(([k, v]) => [k.replace(/^vpconnect:/, ""), v]),
      ),
    });
  } finally {
    rosterLine?.stop();
  }
}

/** A copy of a stack file's config with `section.path` values replaced (the `vpconnect` namespace is implied). */
export function withOverrides(
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
