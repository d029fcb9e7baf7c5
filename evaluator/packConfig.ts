/**
 * Policy pack config, in the format `pulumi up --policy-pack-config FILE` reads:
 *
 *   { "all": "mandatory",                                  // or { "enforcementLevel": "mandatory" }
 *     "<policy-name>": "advisory",                         // just a level
 *     "<policy-name>": { "enforcementLevel": "advisory", "<key>": <value>, ... } }
 *
 * Resolves each policy's effective enforcement level and config (pack initial config, then the file; schema
 * defaults filled in) and validates the config against the policy's `configSchema`. Pure.
 */
import type { Policy } from "@pulumi/policy";
import type { EnforcementLevel } from "../lib/reports/model";
import { didYouMean } from "../lib/config/load";
import { validateSchema } from "./jsonSchema";
import { packConfigValueProblems } from "../lib/packConfigRules";

export const ENFORCEMENT_LEVELS: readonly EnforcementLevel[] = [
  "advisory",
  "mandatory",
  "remediate",
  "disabled",
];

export interface ResolvedPolicyConfig {
  /** The level the engine would use. */
  level: EnforcementLevel;
  /** What `args.getConfig()` returns: the config properties with schema defaults, without enforcementLevel. */
  config: Record<string, unknown>;
}

export interface ResolvedPackConfig {
  policies: Map<string, ResolvedPolicyConfig>;
  /** Usage errors (exit 2): `<file>: <key>: <message>`. */
  problems: string[];
  /** Non-fatal remarks. */
  notes: string[];
}

/**
 * Keys never taken from the stack config, whatever a pack's schema says: P2's reference list must be independent
 * of the stack it checks (a mistyped Connect IP in the stack, checked against itself, passed). The pack reads
 * its own reviewed copy (policies/connect-ips.json) instead.
 */
export const NEVER_DERIVED: ReadonlySet<string> = new Set(["connectIps", "connectIpsFile"]);

interface PackLike {
  name: string;
  enforcementLevel: EnforcementLevel;
  policies: Policy[];
  initialConfig?: Record<string, unknown>;
}

/** One layer of policy config: where it came from and its entries ("all" or a policy name -> level or config). */
interface ConfigLayer {
  source: string;
  entries: Record<string, unknown>;
}

/** The layers in the CLI's order: the stack's derived values, the pack's initial config, then the file. */
function configLayers(
  pack: PackLike,
  fileConfig: unknown,
  fileName: string,
  derived: Record<string, unknown>,
  problems: string[],
): ConfigLayer[] {
  const layers: ConfigLayer[] = [];
  const derivedEntries: Record<string, unknown> = {};
  for (const policy of pack.policies) {
    const keys = Object.keys(
      (policy.configSchema as { properties?: object } | undefined)?.properties ?? {},
    ).filter((k) => k in derived && !NEVER_DERIVED.has(k));
    if (keys.length > 0)
      derivedEntries[policy.name] = Object.fromEntries(keys.map((k) => [k, structuredClone(derived[k])]));
  }
  if (Object.keys(derivedEntries).length > 0)
    layers.push({ source: "stack config", entries: derivedEntries });
  if (pack.initialConfig)
    layers.push({ source: `${pack.name} (initial config)`, entries: pack.initialConfig });
  if (fileConfig !== undefined) {
    if (fileConfig === null || typeof fileConfig !== "object" || Array.isArray(fileConfig)) {
      problems.push(
        `${fileName}: (file): must be a JSON object mapping "all" or policy names to a level or to { "enforcementLevel": ..., ...config }`,
      );
    } else {
      layers.push({ source: fileName, entries: fileConfig as Record<string, unknown> });
    }
  }
  return layers;
}

type ParsedEntry = { level?: EnforcementLevel; properties: Record<string, unknown> };

/** A layer's "all" level and its per-policy entries; a bad entry or unknown policy is a problem, and skipped. */
function readLayer(
  pack: PackLike,
  { source, entries }: ConfigLayer,
  problems: string[],
): { all?: EnforcementLevel; policies: Array<[string, ParsedEntry]> } {
  const names = pack.policies.map((p) => p.name);
  let all: EnforcementLevel | undefined;
  const policies: Array<[string, ParsedEntry]> = [];
  for (const [key, value] of Object.entries(entries)) {
    const parsed = parseEntry(value);
    if ("error" in parsed) {
      problems.push(`${source}: ${key}: ${parsed.error}`);
      continue;
    }
    if (key === "all") {
      if (Object.keys(parsed.properties).length > 0) {
        problems.push(
          `${source}: all: takes only an enforcement level; put config keys under the policy's own name`,
        );
      }
      if (parsed.level) all = parsed.level;
      continue;
    }
    if (!names.includes(key)) {
      const hint = didYouMean(key, names);
      problems.push(
        `${source}: ${key}: pack "${pack.name}" has no such policy${hint ? `; did you mean "${hint}"?` : `; its policies are ${names.join(", ")}`}`,
      );
      continue;
    }
    policies.push([key, parsed]);
  }
  return { ...(all ? { all } : {}), policies };
}

/**
 * As the CLI's ReconcilePolicyPackConfig: each policy starts at its own level (else the pack's), then every layer in
 * turn applies its "all" level to every policy and then its per-policy entries. So a later layer's "all" overrides
 * an earlier layer's per-policy level (a file's "all" beats the pack's initialConfig).
 */
function reconcileLayers(pack: PackLike, layers: readonly ConfigLayer[], problems: string[]) {
  const names = pack.policies.map((p) => p.name);
  const levels = new Map<string, EnforcementLevel>(
    pack.policies.map((p) => [
      p.name,
      (p.enforcementLevel as EnforcementLevel | undefined) || pack.enforcementLevel || "advisory",
    ]),
  );
  const perPolicy = new Map<string, { properties: Record<string, unknown>; source: string }>();
  for (const layer of layers) {
    const { all, policies } = readLayer(pack, layer, problems);
    if (all) for (const name of names) levels.set(name, all);
    for (const [key, parsed] of policies) {
      if (parsed.level) levels.set(key, parsed.level);
      const previous = perPolicy.get(key);
      perPolicy.set(key, {
        properties: { ...(previous?.properties ?? {}), ...parsed.properties },
        source: Object.keys(parsed.properties).length > 0 || !previous ? layer.source : previous.source,
      });
    }
  }
  return { levels, perPolicy };
}

/**
 * One policy's config: what the layers gave, with its schema's top-level defaults filled in and checked against
 * the schema and the value rules; a policy without a schema that was given keys gets a note.
 */
function policyConfig(
  policy: PackLike["policies"][number],
  given: { properties: Record<string, unknown>; source: string } | undefined,
  fileName: string,
  problems: string[],
  notes: string[],
): Record<string, unknown> {
  const config = { ...(given?.properties ?? {}) };
  const schema = policy.configSchema as
    { properties?: Record<string, unknown>; required?: string[] } | undefined;
  if (!schema) {
    if (Object.keys(config).length > 0)
      notes.push(
        `${given?.source}: ${policy.name}: has config keys (${Object.keys(config).join(", ")}) but the policy declares no configSchema`,
      );
    return config;
  }
  // The CLI fills only top-level `default`s and validates against { type: object, properties, required }:
  // nothing else of configSchema reaches it (protoutil.js makeAnalyzerInfo sends just those two).
  const properties = (schema.properties ?? {}) as Record<string, { default?: unknown } | undefined>;
  for (const [key, sub] of Object.entries(properties)) {
    if (config[key] === undefined && sub && typeof sub === "object" && "default" in sub)
      config[key] = structuredClone(sub.default);
  }
  const checked = {
    type: "object",
    ...(Object.keys(properties).length > 0 ? { properties } : {}),
    ...(schema.required && schema.required.length > 0 ? { required: schema.required } : {}),
  };
  const schemaProblems = validateSchema(config, checked);
  for (const problem of schemaProblems) {
    problems.push(`${given?.source ?? fileName}: ${policy.name}.${problem.path}: ${problem.message}`);
  }
  // Values the schema cannot judge (lib/packConfigRules.ts, the rules the policies apply under the engine):
  // an allow range admitting everyone, a copy of Connect's addresses outside the pack folder.
  if (schemaProblems.length === 0)
    for (const { key, message } of packConfigValueProblems(config))
      if (key.replace(/\[\d+\]$/, "") in properties)
        problems.push(`${given?.source ?? fileName}: ${policy.name}.${key}: ${message}`);
  return config;
}

/**
 * Resolves levels and config for every policy of `pack`. `fileConfig` is the parsed --policy-pack-config file
 * (or undefined), `fileName` names it in problems.
 */
export function resolvePackConfig(
  pack: PackLike,
  fileConfig: unknown,
  fileName = "policy pack config",
  /** Values taken from the stack config, given to every policy whose configSchema has the key (lowest layer). */
  derived: Record<string, unknown> = {},
): ResolvedPackConfig {
  const problems: string[] = [];
  const notes: string[] = [];
  const layers = configLayers(pack, fileConfig, fileName, derived, problems);
  const { levels, perPolicy } = reconcileLayers(pack, layers, problems);
  const policies = new Map<string, ResolvedPolicyConfig>();
  for (const policy of pack.policies) {
    const config = policyConfig(policy, perPolicy.get(policy.name), fileName, problems, notes);
    policies.set(policy.name, { level: levels.get(policy.name) ?? "advisory", config });
  }
  return { policies, problems, notes };
}

function parseEntry(
  value: unknown,
): { level?: EnforcementLevel; properties: Record<string, unknown> } | { error: string } {
  if (typeof value === "string") {
    if (!(ENFORCEMENT_LEVELS as string[]).includes(value)) {
      return {
        error: `${JSON.stringify(value)} is not an enforcement level; use one of ${ENFORCEMENT_LEVELS.join(", ")}`,
      };
    }
    return { level: value as EnforcementLevel, properties: {} };
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return {
      error: `must be an enforcement level (${ENFORCEMENT_LEVELS.join(", ")}) or an object of config keys`,
    };
  }
  const { enforcementLevel, ...properties } = value as Record<string, unknown>;
  if (enforcementLevel !== undefined && !(ENFORCEMENT_LEVELS as unknown[]).includes(enforcementLevel)) {
    return {
      error: `enforcementLevel ${JSON.stringify(enforcementLevel)} is not one of ${ENFORCEMENT_LEVELS.join(", ")}`,
    };
  }
  return { ...(enforcementLevel ? { level: enforcementLevel as EnforcementLevel } : {}), properties };
}
