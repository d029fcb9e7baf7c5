/**
 * The API-version aliases a provider SDK adds to every resource it declares, left out of the resource options
 * while the checker runs a program. @pulumi/azure-native gives each resource one alias per API version its type
 * ever had (`{ type: "azure-native:network/v20230201:ApplicationGateway" }`, 60 of them for an Application Gateway), merged
 * into the options with `pulumi.mergeOptions` in the resource's constructor.
 *
 * Why no answer of the checker changes:
 * - The engine reads aliases only to find a resource's old state under another URN (pkg/resource/deploy/
 *   step_generator.go, getOldResource, Pulumi v3.245.0) and keeps the one alias that matched; that list is what
 *   every analyzer is sent (AnalyzerResourceOptions.aliases: sdk/go/common/resource/plugin/analyzer_plugin.go,
 *   convertAliases). A check has no old state, so the engine would send the packs an empty list, which is what the
 *   checker sends (analyzerMessages.ts resourceOptions) and what an in-process policy sees (policyArgs.ts optsOf).
 * - The Node SDK sends the engine alias specs (the monitor supports them: mockRuntime.ts, grpc/monitor.ts). The
 *   URNs the Resource constructor collapses every alias into (resource.js collapseAliasToUrn: an Output, its
 *   promises and a createUrn per alias) are read only when the engine lacks alias specs (allAliases).
 * - The mocks record no aliases.
 * What it saves: the largest cost of a program run (a 35-resource stack's run took ~200 ms with them and ~50 ms
 * without, per site of a 20-site `check --all`). What it changes: resources that waited for their aliases register
 * earlier, so a report lists resources in another order (still the registration order) and the mocks' sequence
 * numbers (a mock public IP's last octet) follow it.
 * An alias a program or component gives itself (a rename, a new parent, a type without a version) is kept; one it
 * gives in the version form itself (a migration from an API-versioned type) is left out too (the provider SDK merges
 * the program's options through the same function), and like every alias it could only matter against old state,
 * which a check has none of. Everything is back when the run ends. The stand-in is on the checker's copy of
 * @pulumi/pulumi (the one the mocks are installed on): a program that loads its own copy keeps its aliases (slower,
 * the same answers).
 */
type Options = { aliases?: unknown } & Record<string, unknown>;
type MergeOptions = (opts1: Options | undefined, opts2: Options | undefined) => Options;

// The package's top-level exports object, which provider SDKs call `pulumi.mergeOptions` on at call time.
const pulumi = require("@pulumi/pulumi") as { mergeOptions: MergeOptions };

/** A provider SDK's API-version alias: `{ type: "<package>:<module>/v<yyyymmdd>[suffix]:<Type>" }` and nothing else. */
const VERSION_TYPE = /^[a-z0-9-]+:[A-Za-z0-9.]+\/v\d{8}[a-z0-9]*:[A-Za-z0-9]+$/;

export function isVersionAlias(alias: unknown): boolean {
  if (typeof alias !== "object" || alias === null || Array.isArray(alias)) return false;
  const keys = Object.keys(alias);
  const type = (alias as { type?: unknown }).type;
  return keys.length === 1 && typeof type === "string" && VERSION_TYPE.test(type);
}

/** mergeOptions with the version aliases of the options merged in (the second bag) left out. */
function standInFor(original: MergeOptions): MergeOptions {
  return function mergeOptions(opts1, opts2) {
    const aliases = opts2?.aliases;
    if (!Array.isArray(aliases) || !aliases.some(isVersionAlias)) return original(opts1, opts2);
    const kept = aliases.filter((a) => !isVersionAlias(a));
    const rest: Options = { ...opts2 };
    delete rest.aliases;
    return original(opts1, kept.length > 0 ? { ...rest, aliases: kept } : rest);
  };
}

/** Runs `fn` with provider SDKs' API-version aliases left out of resource options; everything is back afterwards. */
export async function withoutVersionAliases<T>(fn: () => Promise<T>): Promise<T> {
  const original = pulumi.mergeOptions;
  const standIn = standInFor(original);
  pulumi.mergeOptions = standIn;
  try {
    return await fn();
  } finally {
    if (pulumi.mergeOptions === standIn) pulumi.mergeOptions = original;
  }
}
