/**
 * Runs a Pulumi program in-process under `pulumi.runtime.setMocks`-style mocks and captures every resource it
 * registers (in the order it constructed them), with the options a plain mock never sees (parent, protect, retainOnDelete, additionalSecretOutputs,
 * dependencies, provider) and which inputs were secret. Dynamic resources can be executed for real through a
 * pluggable `dynamicExecutor`, so policies see the state a real `create` would produce.
 *
 * The monitor plumbing (internal SDK modules, pinned SDK version) is shared with the tests' harness: mockRuntime.ts.
 * A run's steps: its state (programState.ts), the recording monitor that captures registrations
 * (programCapture.ts), the mocks that answer them and execute dynamic resources (programMocks.ts), awaiting
 * outputs (programOutputs.ts), then here the root stack and the secrets scrubbing. The mocks' canned answers are
 * in mockAnswers.ts, the run's types in programTypes.ts, secret collection in programSecrets.ts, require.cache
 * clearing in projectModules.ts (those four, and DYNAMIC_TYPE, re-exported here).
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { engineUrn, installMonitor, providerUrnOf } from "./mockRuntime";
import { maskPaths, scrubSecrets, wireToEngine, wrapSecretPaths } from "./plain";
import { withPlainPromiseStacks } from "./promiseStacks";
import { withoutVersionAliases } from "./versionAliases";
import { withConstructionOrder, type ConstructionOrder } from "./constructionOrder";
import {
  COMPUTED_OUTPUTS,
  DEFAULT_INVOKES,
  idOutputs,
  MOCK_SUBSCRIPTION_ID,
  MOCK_TENANT_ID,
  mockId,
  type InvokeHandler,
} from "./mockAnswers";
import { RecordingMonitor } from "./programCapture";
import { DYNAMIC_TYPE, programMocks } from "./programMocks";
import { resolveOutputs, settle } from "./programOutputs";
import { secretInSerializedProvider, SERIALIZED_SECRET_MESSAGE, splitPath } from "./programSecrets";
import { newRunState, type RunState } from "./programState";
import {
  capturedResource,
  type CapturedResource,
  type DynamicExecutor,
  type PlainView,
  type RunProgramOptions,
  type RunProgramResult,
} from "./programTypes";
import { clearProjectModules } from "./projectModules";

export { engineUrn };
export {
  capturedResource,
  clearProjectModules,
  COMPUTED_OUTPUTS,
  DEFAULT_INVOKES,
  DYNAMIC_TYPE,
  idOutputs,
  MOCK_SUBSCRIPTION_ID,
  MOCK_TENANT_ID,
  mockId,
  secretInSerializedProvider,
  SERIALIZED_SECRET_MESSAGE,
  splitPath,
};
export type {
  CapturedResource,
  DynamicExecutor,
  InvokeHandler,
  PlainView,
  RunProgramOptions,
  RunProgramResult,
};

/** The engine's root resource type; the evaluator adds one so top-level resources have the engine's parent. */
export const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";

/**
 * Runs `options.program` under mocks and returns what it registered. Never throws for a program failure:
 * the error is returned in `error` (a ConfigError thrown at the top of the program means zero resources).
 * Not reentrant: the Pulumi runtime state is process-global, so runs are serialized by a lock. While it runs, the
 * SDK's unread stack captures (promiseStacks.ts) and provider SDKs' API-version aliases (versionAliases.ts) are
 * left out: neither changes what is captured.
 */
export async function runProgram(options: RunProgramOptions): Promise<RunProgramResult> {
  const release = await acquire();
  try {
    return await withPlainPromiseStacks(() =>
      withConstructionOrder((order) => {
        const run = () => runProgramUnlocked(options, order);
        return options.keepVersionAliases ? run() : withoutVersionAliases(run);
      }),
    );
  } finally {
    release();
  }
}

let lock: Promise<void> = Promise.resolve();
function acquire(): Promise<() => void> {
  let release!: () => void;
  const next = new Promise<void>((resolve) => (release = resolve));
  const previous = lock;
  lock = previous.then(() => next);
  return previous.then(() => release);
}

/**
 * One run: the program under the recording monitor, its resources put in the order it constructed them
 * (constructionOrder.ts), the root stack added, then what reports and policies get.
 */
async function runProgramUnlocked(
  options: RunProgramOptions,
  order: ConstructionOrder,
): Promise<RunProgramResult> {
  const state = newRunState(options, order);
  const stackOutputs = await executeProgram(state);
  const sorted = order.sort(state.resources, (r) => [
    ...(r.parent ? [r.parent] : []),
    ...(r.provider ? [providerUrnOf(r.provider)] : []),
    ...r.dependencies,
  ]);
  state.resources.splice(0, state.resources.length, ...sorted);
  if (state.resources.length > 0 || state.errors.length === 0) addRootStack(state, stackOutputs);
  const secretList = [...state.secrets];
  const policyView = finishResources(state, stackOutputs.masked, secretList);
  return {
    resources: state.resources,
    outputs: scrubSecrets(stackOutputs.masked, secretList) as Record<string, unknown>,
    invokes: state.invokes,
    secrets: state.secrets,
    policyView,
    ...(state.errors.length > 0 ? { error: state.errors[0] } : {}),
  };
}

/** The program's exported stack outputs: masked (secrets as SECRET_MARKER), plain, and as the engine sends them. */
type StackOutputs = Awaited<ReturnType<typeof resolveOutputs>>;

/**
 * Runs the program under the recording monitor and its config: requires it (calling the function it exports, if
 * any), awaits its exported outputs and waits until no registration or invoke is pending. What fails goes to the
 * run's errors; the stack outputs stay empty when anything failed before they were read.
 */
async function executeProgram(state: RunState): Promise<StackOutputs> {
  const { options, errors } = state;
  const rejections = watchRejections(errors);
  let stackOutputs: StackOutputs = { masked: {}, plain: {}, engine: {} };
  let restoreMonitor: (() => void) | undefined;
  try {
    restoreMonitor = installMonitor(
      new RecordingMonitor(programMocks(state), state),
      options.project,
      options.stack,
      options.preview ?? false,
    );
    pulumi.runtime.setAllConfig(options.config, options.secretKeys);
    clearProjectModules(options.projectDir, options.program, options.keepLoaded);

    // Required and awaited inline, not in an async helper: an extra await before `errors` is read would let more
    // of the run happen first.
    let exported: unknown;
    try {
      exported = require(path.resolve(options.program));
      const main = entryPoint(exported);
      if (main) exported = await main();
    } catch (error) {
      errors.push(error);
    }
    if (errors.length === 0)
      stackOutputs = await resolveOutputs(exported, state.secrets, errors, rejections.failure);
    await settle(state.resources, state.invokes, errors);
  } finally {
    rejections.stop();
    restoreMonitor?.();
  }
  return stackOutputs;
}

/** The function a program module exports to run: the module itself or its default export (a plain module: none). */
function entryPoint(exported: unknown): (() => unknown) | undefined {
  if (typeof exported === "function") return () => (exported as () => unknown)();
  if (exported && typeof (exported as { default?: unknown }).default === "function") {
    return () => (exported as { default: () => unknown }).default();
  }
  return undefined;
}

/**
 * An apply that throws leaves its output unresolved forever: the first unhandled rejection ends the wait.
 * Records every unhandled rejection in `errors` until `stop`; `failure` settles at the first.
 */
function watchRejections(errors: unknown[]): { failure: Promise<void>; stop: () => void } {
  let failed!: () => void;
  const failure = new Promise<void>((resolve) => (failed = resolve));
  const onRejection = (reason: unknown) => {
    errors.push(reason);
    failed();
  };
  process.on("unhandledRejection", onRejection);
  return { failure, stop: () => process.removeListener("unhandledRejection", onRejection) };
}

/** The engine's root stack resource: parent of every top-level resource, its outputs are the stack outputs. */
function addRootStack(state: RunState, stackOutputs: StackOutputs): void {
  const { options, resources } = state;
  const stackUrn = `urn:pulumi:${options.stack}::${options.project}::pulumi:pulumi:Stack::${options.project}-${options.stack}`;
  const root = capturedResource({
    urn: stackUrn,
    type: ROOT_STACK_TYPE,
    name: `${options.project}-${options.stack}`,
    custom: false,
  });
  for (const r of resources) if (r.parent === "") r.parent = stackUrn;
  resources.unshift(root);
  state.plain.set(root, {
    inputs: {},
    outputs: stackOutputs.plain,
    engine: { inputs: {}, outputs: stackOutputs.engine },
  });
}

/**
 * Finishes every captured resource for reports (secrets masked, known secret values scrubbed) and returns, by URN,
 * the plain views policies get.
 */
function finishResources(
  state: RunState,
  maskedStackOutputs: Record<string, unknown>,
  secretList: string[],
): Map<string, PlainView> {
  const policyView = new Map<string, PlainView>();
  for (const r of state.resources) {
    const view = state.plain.get(r)!;
    policyView.set(r.urn, view);
    if (r.type === ROOT_STACK_TYPE) r.outputs = scrubSecrets(maskedStackOutputs, secretList);
    else finishResource(state, r, view, secretList);
  }
  return policyView;
}

/** One resource: its engine outputs as after an update, its inputs and outputs masked and scrubbed. */
function finishResource(
  state: RunState,
  r: CapturedResource,
  view: Required<PlainView>,
  secretList: string[],
): void {
  if (r.custom && !state.options.preview) {
    // After an update the engine holds the provider's outputs, secret where the inputs or the resource's
    // options say so.
    view.engine.outputs = wrapSecretPaths(wireToEngine(view.outputs), [
      ...r.secretPaths,
      ...r.additionalSecretOutputs,
    ]);
  } else if (r.custom) {
    view.engine.outputs = wrapSecretPaths(view.engine.outputs, r.additionalSecretOutputs);
  }
  r.inputs = scrubSecrets(maskPaths(view.inputs, r.secretPaths), secretList);
  r.outputs = scrubSecrets(
    maskPaths(view.outputs, [...r.secretPaths, ...r.additionalSecretOutputs]),
    secretList,
  );
  if (r.type === DYNAMIC_TYPE) finishSerializedProvider(state.errors, r, view, secretList);
}

/**
 * A dynamic resource's serialized provider (`__provider`): an error when it holds a secret value; in the
 * captured inputs and outputs only its length.
 */
function finishSerializedProvider(
  errors: unknown[],
  r: CapturedResource,
  view: Required<PlainView>,
  secretList: string[],
): void {
  const leaked = secretInSerializedProvider(view.inputs.__provider, secretList);
  if (leaked) errors.push(new Error(`${r.name}: ${SERIALIZED_SECRET_MESSAGE}`));
  for (const bag of [r.inputs, r.outputs]) {
    if (typeof bag.__provider === "string")
      bag.__provider = `[serialized dynamic provider, ${bag.__provider.length} chars]`;
  }
}
