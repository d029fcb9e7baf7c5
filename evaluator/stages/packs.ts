/**
 * The policy-pack stage of a check: load the packs and their --policy-pack-config files (every problem a
 * UsageError), and resolve each policy's level and config once the stack config is known (this project's pack
 * takes its defaults from the stack config).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { LoadedConfig } from "../../lib/config/load";
import { duplicateJsonKeys, jsonSyntaxProblem } from "../../lib/fileRules";
import type { ReportPack } from "../../lib/reports/model";
import type { EvaluatedPack } from "../evaluate";
import { ensurePackBuilt } from "../packBuild";
import { resolvePackConfig } from "../packConfig";
import { loadPolicyPack, PackLoadError } from "../packs";
import type { LoadedPack } from "../packs";
import { UsageError } from "../stack";

/** This project's pack (policies/): its config defaults come from the stack config. */
export const PROJECT_PACK = "vantagepoint-connect";

/** A loaded pack with its --policy-pack-config file and that file's parsed config. */
export interface PackWithConfig {
  pack: LoadedPack;
  configFile?: string;
  config?: unknown;
}

/** The packs as one run evaluates them, as the report lists them, and what resolving their config noted. */
export interface ResolvedPacks {
  evaluated: EvaluatedPack[];
  packs: ReportPack[];
  notes: string[];
}

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

/** Loads the packs and their config files; every problem is a UsageError. */
export function loadPacks(
  dirs: readonly string[],
  configFiles: readonly string[],
  cwd: string,
  projectDir: string,
): PackWithConfig[] {
  if (configFiles.length > dirs.length) {
    throw new UsageError(
      `--policy-pack-config given ${configFiles.length} times for ${dirs.length} --policy-pack; each config file pairs with the --policy-pack at the same position`,
    );
  }
  return dirs.map((dir, index) => {
    const pack = loadOnePack(dir, cwd, projectDir);
    const configFile = configFiles[index];
    if (configFile === undefined) return { pack };
    const config = readPackConfigFile(configFile, cwd);
    return config === undefined ? { pack, configFile } : { pack, configFile, config };
  });
}

function loadOnePack(dir: string, cwd: string, projectDir: string): LoadedPack {
  try {
    // A TypeScript pack shipped compiled (policies/): rebuild a stale build first, so the analyzer and the
    // in-process loader both run the current sources.
    const absDir = path.resolve(cwd, dir);
    if (fs.existsSync(path.join(absDir, "package.json"))) ensurePackBuilt(absDir);
    return loadPolicyPack(dir, { cwd, projectDir });
  } catch (error) {
    if (error instanceof PackLoadError) throw new UsageError(error.message);
    throw error;
  }
}

/** A --policy-pack-config file's config; undefined for an empty file (the CLI reads that as no config). */
function readPackConfigFile(configFile: string, cwd: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(path.resolve(cwd, configFile), "utf8");
  } catch {
    throw new UsageError(
      `--policy-pack-config ${configFile}: cannot read the file; give a JSON file of policy config`,
    );
  }
  if (text.trim() === "") return undefined;
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
  return config;
}

/**
 * Each policy's effective level and config: the pack config file over `derived` (this project's pack only, the
 * stack config's values) over the pack's defaults. Any problem in any pack is one UsageError naming them all.
 */
export function resolvePacks(
  loaded: readonly PackWithConfig[],
  derived: Record<string, unknown>,
): ResolvedPacks {
  const out: ResolvedPacks = { evaluated: [], packs: [], notes: [] };
  const problems: string[] = [];
  for (const { pack, configFile, config } of loaded) {
    const own = pack.name === PROJECT_PACK ? derived : {};
    const resolved = resolvePackConfig(pack, config, configFile ?? `${pack.name} config`, own);
    problems.push(...resolved.problems);
    out.notes.push(...resolved.notes);
    if (Object.keys(own).length > 0) {
      out.notes.push(
        `${pack.name}: pack config defaults taken from the stack config (${Object.keys(own).join(", ")}); a --policy-pack-config file overrides them. Under the engine, pass the same values with --policy-pack-config.`,
      );
    }
    out.evaluated.push({
      name: pack.name,
      version: pack.version,
      policies: pack.policies,
      resolved: resolved.policies,
    });
    out.packs.push({
      name: pack.name,
      version: pack.version,
      dir: pack.dir,
      enforcementLevel: pack.enforcementLevel,
      policies: pack.policies.length,
      ...(configFile ? { configFile } : {}),
    });
  }
  if (problems.length > 0)
    throw new UsageError(`invalid policy pack config:\n${problems.map((p) => `  ${p}`).join("\n")}`);
  return out;
}
