/**
 * What a program run takes and returns: the run's options and result, a captured resource (with the engine's
 * defaults, capturedResource), the plain view policies get, and the dynamic executor's signature. Used by program.ts.
 */
import type { RegistrationIdentity } from "./mockRuntime";
import type { InvokeHandler } from "./mockAnswers";

/** A resource as captured, before the evaluator hands it to policies. */
export interface CapturedResource extends RegistrationIdentity {
  propertyDependencies: Record<string, string[]>;
  ignoreChanges: string[];
  deleteBeforeReplace?: boolean;
  customTimeouts: { createSeconds: number; updateSeconds: number; deleteSeconds: number };
  provider: string;
  /** Inputs as plain JSON, secret values replaced by SECRET_MARKER. */
  inputs: Record<string, unknown>;
  /** Outputs (inputs plus mock or dynamic outs), secret values replaced by SECRET_MARKER. */
  outputs: Record<string, unknown>;
  secretPaths: string[];
}

/** Runs a dynamic resource's provider for real (e.g. against the emulator); returns its outs. */
export type DynamicExecutor = (
  type: string,
  name: string,
  /** Plaintext inputs (secrets unwrapped), without the serialized `__provider`. */
  inputs: Record<string, unknown>,
  /**
   * The resource's engine URN, the provider closure the SDK serialized (what the engine's provider host loads),
   * and the stack config the run had (the engine configures the dynamic provider host with all of it).
   */
  resource?: {
    urn: string;
    serializedProvider: string;
    stackConfig: { config: Readonly<Record<string, string>>; secretKeys: readonly string[] };
  },
) => Promise<Record<string, unknown>>;

export interface RunProgramOptions {
  /** The program's entry file (index.ts). */
  program: string;
  /** The project folder: its own modules are re-required fresh on every run. */
  projectDir: string;
  project: string;
  stack: string;
  /** Engine-style config: `ns:key` to string (objects as JSON). */
  config: Record<string, string>;
  /** Config keys to mark secret. */
  secretKeys: string[];
  /** Plaintext secret values known to this run (overrides): scrubbed from everything captured. */
  knownSecrets?: string[];
  /** Execute dynamic resources for real; otherwise their inputs are echoed as outputs. */
  dynamicExecutor?: DynamicExecutor;
  /** Extra or replacement invoke answers by token. */
  invokes?: Record<string, InvokeHandler>;
  /** Run as a preview (pulumi.runtime.isDryRun() true). Default false, so outputs resolve. */
  preview?: boolean;
  /**
   * Folders (absolute) whose modules stay loaded from an earlier run: a fleet run keeps this package's library
   * (lib/, components/), which installed from npm lives in node_modules and is never reloaded either. The program
   * and every other project module still load afresh.
   */
  keepLoaded?: readonly string[];
  /**
   * Keep the API-version aliases provider SDKs add (evaluator/versionAliases.ts leaves them out by default: they
   * change no answer and were most of a run's cost). The equivalence test's baseline.
   */
  keepVersionAliases?: boolean;
}

export interface RunProgramResult {
  resources: CapturedResource[];
  /** Stack outputs (the program's exports), secrets masked. */
  outputs: Record<string, unknown>;
  /** Provider function calls made (token and plain inputs). */
  invokes: Array<{ token: string; inputs: Record<string, unknown> }>;
  /** What the program threw, if it failed. */
  error?: unknown;
  /** Every secret plaintext seen (to scrub from policy messages). Never print. */
  secrets: Set<string>;
  /** By URN: inputs and outputs as the engine hands them to policies (secrets unwrapped). Never print. */
  policyView: Map<string, PlainView>;
}

/** A resource's properties with secrets in plaintext, as policies see them under the engine. */
export interface PlainView {
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
  /**
   * The same properties as the engine sends them to an analyzer (plugin.MarshalProperties with KeepUnknowns,
   * KeepSecrets, SkipInternalKeys): unknowns and secret wrappers kept, top-level `__` keys dropped. Analyze
   * gets `inputs`, AnalyzeStack `outputs`.
   */
  engine?: { inputs: Record<string, unknown>; outputs: Record<string, unknown> };
}

/** A captured resource with the engine's defaults for every option it does not set. */
export function capturedResource(
  fields: Pick<CapturedResource, "urn" | "type" | "name" | "custom"> & Partial<CapturedResource>,
): CapturedResource {
  return {
    parent: "",
    protect: false,
    retainOnDelete: false,
    additionalSecretOutputs: [],
    dependencies: [],
    propertyDependencies: {},
    ignoreChanges: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    provider: "",
    inputs: {},
    outputs: {},
    secretPaths: [],
    ...fields,
  };
}
