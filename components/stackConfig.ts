/**
 * Reads the `vpconnect:*` stack config from the Pulumi engine and validates it before any resource exists.
 * The validation itself is pure (lib/config); this file only asks the engine for the raw values.
 */
import * as pulumi from "@pulumi/pulumi";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { loadStackConfig } from "../lib/config/load";
import type { LoadedConfig } from "../lib/config/load";
import { readRosterFile } from "../lib/config/rosterFile";

/** The project folder (where Pulumi.yaml is); roster files are relative to it. */
export const projectDir = path.resolve(__dirname, "..");

/**
 * Which config keys the engine marks secret. The SDK's `runtime.isConfigSecret` is marked internal, so fall back
 * to the documented environment variable the engine sets (PULUMI_CONFIG_SECRET_KEYS) if it ever goes away.
 */
function secretConfigKeys(keys: string[]): Set<string> {
  const isSecret = (pulumi.runtime as unknown as { isConfigSecret?: (key: string) => boolean }).isConfigSecret;
  if (typeof isSecret === "function") return new Set(keys.filter((key) => isSecret(key)));
  const fromEnv = JSON.parse(process.env.PULUMI_CONFIG_SECRET_KEYS ?? "[]") as unknown;
  return new Set(Array.isArray(fromEnv) ? fromEnv.map(String) : []);
}

/** Validated stack config, or a ConfigError listing every problem (thrown before any resource is registered). */
export function loadConfigFromEngine(): LoadedConfig {
  const all = pulumi.runtime.allConfig();
  return loadStackConfig(all, {
    source: `stacks/Pulumi.${pulumi.getStack()}.yaml`,
    secretKeys: secretConfigKeys(Object.keys(all)),
    readFile: (file) => readFileSync(path.resolve(projectDir, file), "utf8"),
    parseRosterFile: readRosterFile,
  });
}
