/**
 * The program's resources as the engine shows them to analyzers: registration order with the default providers
 * the engine adds (engineViews), and the captured resources with those providers put in (withEngineResources).
 * Used by analyzerRun.ts.
 */
import { engineResource, type EngineResource } from "./analyzerMessages";
import { providerUrnOf } from "./mockRuntime";
import { engineToPolicy, SIG, wireToEngine } from "./plain";
import { capturedResource, ROOT_STACK_TYPE, type CapturedResource, type PlainView } from "./program";

/** A resource as the engine shows it to analyzers: Analyze gets `inputs`, Remediate `remediateInputs`, AnalyzeStack `outputs`. */
export interface EngineView {
  resource: EngineResource;
  inputs: Record<string, unknown>;
  remediateInputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
}

const PROVIDER_PREFIX = "pulumi:providers:";

/** The npm package's version of a provider SDK (the version the SDK sends, so the default provider's name). */
function providerVersion(pkg: string): string | undefined {
  if (pkg === "pulumi-nodejs") return undefined;
  try {
    const file = require.resolve(`@pulumi/${pkg}/package.json`, { paths: [process.cwd(), __dirname] });
    return (require(file) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

/** The stack the views are for, and its config as the engine holds it. */
interface ViewOptions {
  project: string;
  stack: string;
  config: Record<string, string>;
  secretKeys: readonly string[];
  preview: boolean;
}

/** A package's default provider as the engine makes it: inputs = the package's stack config plus `version`. */
function defaultProviderView(pkg: string, options: ViewOptions): EngineView {
  const version = providerVersion(pkg);
  const name = version ? `default_${version.replace(/[.-]/g, "_")}` : "default";
  const type = `${PROVIDER_PREFIX}${pkg}`;
  const inputs: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options.config)) {
    if (!key.startsWith(`${pkg}:`)) continue;
    const prop = key.slice(pkg.length + 1);
    inputs[prop] = options.secretKeys.includes(key) ? { [SIG.key]: SIG.secret, value } : value;
  }
  if (version) inputs.version = version;
  return {
    resource: engineResource({
      urn: `urn:pulumi:${options.stack}::${options.project}::${type}::${name}`,
      type,
      name,
    }),
    inputs,
    remediateInputs: inputs,
    outputs: inputs,
  };
}

/** A custom resource's provider as analyzers see it: its explicit provider, else its package's default one. */
function providerOf(
  r: CapturedResource,
  byUrn: ReadonlyMap<string, CapturedResource>,
  view: ReadonlyMap<string, PlainView>,
  defaultProvider: (pkg: string) => EngineView,
): EngineResource["providerResource"] {
  if (!r.custom || r.type === ROOT_STACK_TYPE || r.type.startsWith(PROVIDER_PREFIX)) return undefined;
  const explicit = r.provider ? byUrn.get(providerUrnOf(r.provider)) : undefined;
  if (explicit) {
    const ev = view.get(explicit.urn);
    return {
      urn: explicit.urn,
      type: explicit.type,
      name: explicit.name,
      properties: ev?.engine?.inputs ?? ev?.inputs ?? {},
    };
  }
  const p = defaultProvider(r.type.split(":")[0]!);
  return { urn: p.resource.urn, type: p.resource.type, name: p.resource.name, properties: p.inputs };
}

/** One captured resource as the engine sends it to analyzers. */
function resourceView(
  r: CapturedResource,
  v: PlainView | undefined,
  providerResource: EngineResource["providerResource"],
): EngineView {
  const engine = v?.engine ?? { inputs: v?.inputs ?? {}, outputs: v?.outputs ?? {} };
  const remediateInputs = { ...engine.inputs };
  const raw = v?.inputs ?? {};
  for (const [k, value] of Object.entries(raw)) if (k.startsWith("__")) remediateInputs[k] = value;
  return {
    resource: {
      urn: r.urn,
      type: r.type,
      name: r.name,
      parent: r.parent,
      protect: r.protect,
      ignoreChanges: r.ignoreChanges,
      ...(r.deleteBeforeReplace !== undefined ? { deleteBeforeReplace: r.deleteBeforeReplace } : {}),
      additionalSecretOutputs: r.additionalSecretOutputs,
      customTimeouts: r.customTimeouts,
      dependencies: r.dependencies,
      propertyDependencies: r.propertyDependencies,
      ...(providerResource ? { providerResource } : {}),
    },
    inputs: wireToEngine(engine.inputs),
    remediateInputs,
    outputs: wireToEngine(engine.outputs),
  };
}

/**
 * The engine's view of the program's resources: registration order, with each default provider
 * (`pulumi:providers:<pkg>::default_<version>`, inputs = the package's stack config plus `version`) inserted
 * before the first resource that uses it (pkg/resource/deploy/default_providers.go).
 */
export function engineViews(
  resources: readonly CapturedResource[],
  view: ReadonlyMap<string, PlainView>,
  options: ViewOptions,
): EngineView[] {
  const out: EngineView[] = [];
  const providers = new Map<string, EngineView>();
  const defaultProvider = (pkg: string): EngineView => {
    let provider = providers.get(pkg);
    if (!provider) {
      provider = defaultProviderView(pkg, options);
      providers.set(pkg, provider);
      out.push(provider);
    }
    return provider;
  };
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  for (const r of resources) {
    const providerResource = providerOf(r, byUrn, view, defaultProvider);
    out.push(resourceView(r, view.get(r.urn), providerResource));
  }
  return out;
}

/**
 * The captured resources as the engine holds them: the default providers `engineViews` adds are put in the list
 * (before their first user) and each custom resource points at its provider, so the in-process evaluator sees
 * exactly the resources and provider arguments the analyzer is sent.
 */
export function withEngineResources(
  resources: readonly CapturedResource[],
  view: ReadonlyMap<string, PlainView>,
  views: readonly EngineView[],
): { resources: CapturedResource[]; view: Map<string, PlainView> } {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const outView = new Map(view);
  const out: CapturedResource[] = [];
  for (const v of views) {
    const own = byUrn.get(v.resource.urn);
    if (own) {
      const provider = v.resource.providerResource;
      out.push(
        provider && !own.provider ? { ...own, provider: `${provider.urn}::${UNKNOWN_PROVIDER_ID}` } : own,
      );
      continue;
    }
    out.push(
      capturedResource({
        urn: v.resource.urn,
        type: v.resource.type,
        name: v.resource.name,
        custom: true,
      }),
    );
    outView.set(v.resource.urn, {
      inputs: engineToPolicy(v.inputs) as Record<string, unknown>,
      outputs: engineToPolicy(v.outputs) as Record<string, unknown>,
      engine: { inputs: v.inputs, outputs: v.outputs },
    });
  }
  return { resources: out, view: outView };
}

/** A provider reference's id part before the provider exists (offline there is no provider id). */
const UNKNOWN_PROVIDER_ID = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
