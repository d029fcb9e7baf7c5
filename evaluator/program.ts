/* eslint-disable @typescript-eslint/no-explicit-any -- resource inputs, outputs and schemas here are untyped JSON (as in pulumi.dynamic.ResourceProvider) */
/**
 * Runs a Pulumi program in-process under `pulumi.runtime.setMocks`-style mocks and captures every resource it
 * registers, with the options a plain mock never sees (parent, protect, retainOnDelete, additionalSecretOutputs,
 * dependencies, provider) and which inputs were secret. Dynamic resources can be executed for real through a
 * pluggable `dynamicExecutor`, so policies see the state a real `create` would produce.
 *
 * The monitor plumbing (internal SDK modules, pinned SDK version) is shared with the tests' harness: mockRuntime.ts.
 * The mocks' canned answers are in mockAnswers.ts, the run's types in programTypes.ts, secret collection in
 * programSecrets.ts, awaiting outputs in programOutputs.ts, require.cache clearing in projectModules.ts (all
 * re-exported here).
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import {
  engineUrn,
  findSecretPaths,
  installMonitor,
  MockMonitor,
  registrationOf,
  type MonitorCallback,
  type RegisterResourceOutputsRequest,
  type RegisterResourceRequest,
} from "./mockRuntime";
import {
  copyData,
  maskPaths,
  scrubSecrets,
  toPlain,
  wireToEngine,
  wireToPlain,
  wrapSecretPaths,
} from "./plain";
import { withPlainPromiseStacks } from "./promiseStacks";
import { withoutVersionAliases } from "./versionAliases";
import {
  COMPUTED_OUTPUTS,
  DEFAULT_INVOKES,
  idOutputs,
  MOCK_SUBSCRIPTION_ID,
  MOCK_TENANT_ID,
  mockId,
  type InvokeHandler,
} from "./mockAnswers";
import { resolveOutputs, settle } from "./programOutputs";
import {
  collectAt,
  secretInSerializedProvider,
  SERIALIZED_SECRET_MESSAGE,
  splitPath,
} from "./programSecrets";
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

/** The dynamic resource type token every `pulumi.dynamic.Resource` registers with. */
export const DYNAMIC_TYPE = "pulumi-nodejs:dynamic:Resource";

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
    const run = () => runProgramUnlocked(options);
    return await withPlainPromiseStacks(() =>
      options.keepVersionAliases ? run() : withoutVersionAliases(run),
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

async function runProgramUnlocked(options: RunProgramOptions): Promise<RunProgramResult> {
  const resources: CapturedResource[] = [];
  const plain = new Map<CapturedResource, Required<PlainView>>();
  const invokes: RunProgramResult["invokes"] = [];
  const secrets = new Set<string>((options.knownSecrets ?? []).filter((s) => s.length > 0));
  const errors: unknown[] = [];
  const invokeTable = { ...DEFAULT_INVOKES, ...(options.invokes ?? {}) };
  let seq = 0;
  let current: CapturedResource | undefined;

  const mocks: pulumi.runtime.Mocks = {
    async newResource(args) {
      const record =
        current !== undefined && current.type === args.type && current.name === args.name
          ? current
          : undefined;
      current = undefined;
      const inputs = record
        ? copyData(plain.get(record)!.inputs)
        : (toPlain(args.inputs) as Record<string, unknown>);
      seq++;
      let outputs: Record<string, unknown>;
      const secretOutputs: string[] = [];
      if (options.preview) {
        // A first preview: nothing exists yet, so ids and every output the provider computes stay unknown
        // (the engine previews a create as its inputs), and dynamic resources have no preview at all.
        outputs = { ...inputs };
      } else if (args.type === DYNAMIC_TYPE && options.dynamicExecutor) {
        const { __provider: _serialized, ...rest } = inputs;
        // A failed create fails the run (as it fails `pulumi up`), but the program must still finish: a
        // rejected mock leaves the resource's outputs unresolved and the run would wait for them forever.
        let outs: unknown = {};
        try {
          outs = await options.dynamicExecutor(args.type, args.name, rest, {
            urn: record?.urn ?? "",
            serializedProvider: typeof _serialized === "string" ? _serialized : "",
            stackConfig: { config: options.config, secretKeys: options.secretKeys ?? [] },
          });
        } catch (error) {
          const kind = typeof rest.vpconnectResource === "string" ? rest.vpconnectResource : args.type;
          errors.push(new Error(`${kind} ${args.name}: ${(error as Error)?.message ?? String(error)}`));
        }
        outputs = { ...rest, ...(toPlain(outs) as Record<string, unknown>) };
      } else {
        const computed = COMPUTED_OUTPUTS[args.type]?.(args.name, inputs, seq);
        outputs = { ...inputs, ...(computed?.outputs ?? {}) };
        secretOutputs.push(...(computed?.secret ?? []));
      }
      const id = args.custom && !options.preview ? mockId(args.type, args.name, inputs) : undefined;
      if (id !== undefined) Object.assign(outputs, { id }, idOutputs(args.type, id, outputs));
      if (record) {
        for (const p of secretOutputs) collectAt(outputs, p, secrets);
        plain.get(record)!.outputs = outputs;
        record.secretPaths.push(...secretOutputs.filter((p) => !record.secretPaths.includes(p)));
      }
      return { id, state: outputs };
    },
    call(args) {
      const inputs = toPlain(args.inputs) as Record<string, any>;
      invokes.push({ token: args.token, inputs });
      const handler = invokeTable[args.token];
      return handler ? handler(inputs) : {};
    },
  };

  class RecordingMonitor extends MockMonitor {
    override async registerResource(req: RegisterResourceRequest, callback: MonitorCallback) {
      const { raw, secretPaths, identity } = registrationOf(req);
      const timeouts = req.getCustomtimeouts();
      const propertyDependencies: Record<string, string[]> = {};
      req.getPropertydependenciesMap().forEach((v, k) => (propertyDependencies[k] = v.getUrnsList()));
      const inputs = wireToPlain(raw) as Record<string, unknown>;
      for (const p of secretPaths) collectAt(inputs, p, secrets);
      const record: CapturedResource = {
        ...identity,
        propertyDependencies,
        ignoreChanges: req.getIgnorechangesList(),
        ...(req.getDeletebeforereplacedefined() ? { deleteBeforeReplace: req.getDeletebeforereplace() } : {}),
        customTimeouts: {
          createSeconds: seconds(timeouts?.getCreate()),
          updateSeconds: seconds(timeouts?.getUpdate()),
          deleteSeconds: seconds(timeouts?.getDelete()),
        },
        provider: req.getProvider(),
        inputs: {},
        outputs: {},
        secretPaths,
      };
      resources.push(record);
      const engineInputs = wireToEngine(raw);
      plain.set(record, {
        inputs,
        outputs: { ...inputs },
        engine: { inputs: engineInputs, outputs: { ...engineInputs } },
      });
      // MockMonitor.registerResource calls mocks.newResource synchronously first: hand it this record.
      current = record;
      // The SDK logs every reply at debug level with the reply written into the message, built whether or not debug
      // logs are shown (`resp: ${innerResponse}`): protobuf's toString writes out every property, a roster shard's
      // whole text, as garbage (64 MB at 100,000 people). A reply here says what it is instead.
      return super.registerResource(req, (error, response) => {
        if (response)
          Object.defineProperty(response, "toString", { value: () => "RegisterResourceResponse" });
        callback(error, response);
      });
    }

    /** A component's `registerOutputs({...})`: under the engine these become its outputs (what stack policies see). */
    override registerResourceOutputs(req: RegisterResourceOutputsRequest, callback: MonitorCallback) {
      const record = resources.find((r) => r.urn === req.getUrn());
      const raw = req.getOutputs()?.toJavaScript() ?? {};
      if (record) {
        const outputSecrets: string[] = [];
        findSecretPaths(raw, "", outputSecrets);
        const outputs = wireToPlain(raw) as Record<string, unknown>;
        for (const p of outputSecrets) collectAt(outputs, p, secrets);
        const view = plain.get(record)!;
        view.outputs = { ...view.outputs, ...outputs };
        view.engine.outputs = { ...view.engine.outputs, ...wireToEngine(raw) };
        record.additionalSecretOutputs.push(
          ...outputSecrets.filter((p) => !record.additionalSecretOutputs.includes(p)),
        );
      }
      return super.registerResourceOutputs(req, callback);
    }
  }

  // An apply that throws leaves its output unresolved forever: the first unhandled rejection ends the wait.
  let failed!: () => void;
  const failure = new Promise<void>((resolve) => (failed = resolve));
  const onRejection = (reason: unknown) => {
    errors.push(reason);
    failed();
  };
  process.on("unhandledRejection", onRejection);
  let outputs: Record<string, unknown> = {};
  let stackOutputsPlain: Record<string, unknown> = {};
  let stackOutputsEngine: Record<string, unknown> = {};
  let restoreMonitor: (() => void) | undefined;
  try {
    restoreMonitor = installMonitor(
      new RecordingMonitor(mocks),
      options.project,
      options.stack,
      options.preview ?? false,
    );
    pulumi.runtime.setAllConfig(options.config, options.secretKeys);
    clearProjectModules(options.projectDir, options.program, options.keepLoaded);

    let exported: unknown;
    try {
      exported = require(path.resolve(options.program));
      if (typeof exported === "function") exported = await (exported as () => unknown)();
      else if (exported && typeof (exported as { default?: unknown }).default === "function") {
        exported = await (exported as { default: () => unknown }).default();
      }
    } catch (error) {
      errors.push(error);
    }
    if (errors.length === 0)
      ({
        masked: outputs,
        plain: stackOutputsPlain,
        engine: stackOutputsEngine,
      } = await resolveOutputs(exported, secrets, errors, failure));
    await settle(resources, invokes, errors);
  } finally {
    process.removeListener("unhandledRejection", onRejection);
    restoreMonitor?.();
  }

  // The engine's root stack resource: parent of every top-level resource, its outputs are the stack outputs.
  if (resources.length > 0 || errors.length === 0) {
    const stackUrn = `urn:pulumi:${options.stack}::${options.project}::pulumi:pulumi:Stack::${options.project}-${options.stack}`;
    const root = capturedResource({
      urn: stackUrn,
      type: ROOT_STACK_TYPE,
      name: `${options.project}-${options.stack}`,
      custom: false,
    });
    for (const r of resources) if (r.parent === "") r.parent = stackUrn;
    resources.unshift(root);
    plain.set(root, {
      inputs: {},
      outputs: stackOutputsPlain,
      engine: { inputs: {}, outputs: stackOutputsEngine },
    });
  }

  const secretList = [...secrets];
  const policyView = new Map<string, PlainView>();
  for (const r of resources) {
    const view = plain.get(r)!;
    policyView.set(r.urn, view);
    if (r.type === ROOT_STACK_TYPE) {
      r.outputs = scrubSecrets(outputs, secretList);
      continue;
    }
    if (r.custom && !options.preview) {
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
    if (r.type === DYNAMIC_TYPE) {
      const leaked = secretInSerializedProvider(view.inputs.__provider, secretList);
      if (leaked) errors.push(new Error(`${r.name}: ${SERIALIZED_SECRET_MESSAGE}`));
      for (const bag of [r.inputs, r.outputs]) {
        if (typeof bag.__provider === "string")
          bag.__provider = `[serialized dynamic provider, ${bag.__provider.length} chars]`;
      }
    }
  }
  return {
    resources,
    outputs: scrubSecrets(outputs, secretList) as Record<string, unknown>,
    invokes,
    secrets,
    policyView,
    ...(errors.length > 0 ? { error: errors[0] } : {}),
  };
}

function seconds(value: string | undefined): number {
  if (!value) return 0;
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value);
  if (!match) return 0;
  const n = Number(match[1]);
  return { ms: n / 1000, s: n, m: n * 60, h: n * 3600 }[match[2] ?? "s"] ?? n;
}
