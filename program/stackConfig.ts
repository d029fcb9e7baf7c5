/**
 * Reads the `vpconnect:*` stack config from the Pulumi engine and validates it before any resource exists.
 * The validation itself is pure (lib/config); this file only asks the engine for the raw values.
 */
import * as pulumi from "@pulumi/pulumi";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { ConfigError, loadStackConfig, plaintextSecretIssues } from "../lib/config/load";
import type { ConfigIssue, LoadedConfig } from "../lib/config/load";
import { projectFileReader } from "../lib/config/projectFile";
import { readGroupSync } from "../lib/entraGroup/readSync";
import { readRosterFile } from "../lib/config/rosterFile";
import { parseStackFile } from "../lib/config/stackFile";

/** The project folder (where Pulumi.yaml is); roster files are relative to it. */
export const projectDir = path.resolve(__dirname, "..");

/**
 * Which config keys the engine marks secret. The SDK's `runtime.isConfigSecret` is marked internal, so fall back
 * to the documented environment variable the engine sets (PULUMI_CONFIG_SECRET_KEYS) if it ever goes away.
 */
function secretConfigKeys(keys: string[]): Set<string> {
  const isSecret = (pulumi.runtime as unknown as { isConfigSecret?: (key: string) => boolean })
    .isConfigSecret;
  if (typeof isSecret === "function") return new Set(keys.filter((key) => isSecret(key)));
  const fromEnv = JSON.parse(process.env.PULUMI_CONFIG_SECRET_KEYS ?? "[]") as unknown;
  return new Set(Array.isArray(fromEnv) ? fromEnv.map(String) : []);
}

/**
 * The stack file the engine read: VPCONNECT_STACK_FILE when set (do so when running pulumi with --config-file),
 * else `<stackConfigDir>/Pulumi.<stack>.yaml` from Pulumi.yaml.
 */
function stackFilePath(stack: string): string {
  const override = process.env.VPCONNECT_STACK_FILE;
  if (override) return path.resolve(projectDir, override);
  let dir = ".";
  try {
    const project = parse(readFileSync(path.join(projectDir, "Pulumi.yaml"), "utf8")) as {
      stackConfigDir?: unknown;
    };
    if (typeof project?.stackConfigDir === "string") dir = project.stackConfigDir;
  } catch {
    // no readable Pulumi.yaml: the stack file is beside the program
  }
  return path.resolve(projectDir, dir, `Pulumi.${stack}.yaml`);
}

/** Secrets the stack file holds in plaintext (none when the file cannot be read: the engine already parsed it). */
function plaintextSecretsInStackFile(file: string, source: string): ConfigIssue[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return [];
  }
  try {
    return plaintextSecretIssues(parseStackFile(text, source).config, source);
  } catch {
    return [];
  }
}

/** Validated stack config, or a ConfigError listing every problem (thrown before any resource is registered). */
export function loadConfigFromEngine(): LoadedConfig {
  const all = pulumi.runtime.allConfig();
  const file = stackFilePath(pulumi.getStack());
  const source = path.relative(projectDir, file) || file;
  const plaintext = plaintextSecretsInStackFile(file, source);
  let loaded: LoadedConfig;
  try {
    loaded = loadStackConfig(all, {
      source,
      secretKeys: secretConfigKeys(Object.keys(all)),
      readFile: projectFileReader(projectDir),
      parseRosterFile: readRosterFile,
      readGroup: readGroupSync,
    });
  } catch (error) {
    if (error instanceof ConfigError && plaintext.length > 0) {
      const known = new Set(error.issues.map((i) => i.key));
      throw new ConfigError([...error.issues, ...plaintext.filter((i) => !known.has(i.key))]);
    }
    throw error;
  }
  if (plaintext.length > 0) throw new ConfigError(plaintext);
  return loaded;
}
