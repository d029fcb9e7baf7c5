/**
 * The recording monitor of a program run: captures every registration into the run's state (programState.ts)
 * with the options a plain mock never sees (parent, protect, retainOnDelete, additionalSecretOutputs,
 * dependencies, provider, timeouts) and which inputs were secret, and a component's `registerOutputs`. The mocks
 * it answers with are programMocks.ts. Used by program.ts.
 */
import type * as pulumi from "@pulumi/pulumi";
import {
  findSecretPaths,
  MockMonitor,
  registrationOf,
  type MonitorCallback,
  type RegisterResourceOutputsRequest,
  type RegisterResourceRequest,
} from "./mockRuntime";
import { wireToEngine, wireToPlain } from "./plain";
import { collectAt } from "./programSecrets";
import type { RunState } from "./programState";
import type { CapturedResource } from "./programTypes";

/** The SDK's mock monitor, recording into one run's state. */
export class RecordingMonitor extends MockMonitor {
  constructor(
    mocks: pulumi.runtime.Mocks,
    private readonly run: RunState,
  ) {
    super(mocks);
  }

  override async registerResource(req: RegisterResourceRequest, callback: MonitorCallback) {
    const record = captureRegistration(this.run, req);
    // MockMonitor.registerResource calls mocks.newResource synchronously first: hand it this record.
    this.run.current = record;
    // The SDK logs every reply at debug level with the reply written into the message, built whether or not debug
    // logs are shown (`resp: ${innerResponse}`): protobuf's toString writes out every property, a roster shard's
    // whole text, as garbage (64 MB at 100,000 people). A reply here says what it is instead.
    return super.registerResource(req, (error, response) => {
      if (response) Object.defineProperty(response, "toString", { value: () => "RegisterResourceResponse" });
      callback(error, response);
    });
  }

  /** A component's `registerOutputs({...})`: under the engine these become its outputs (what stack policies see). */
  override registerResourceOutputs(req: RegisterResourceOutputsRequest, callback: MonitorCallback) {
    captureComponentOutputs(this.run, req);
    return super.registerResourceOutputs(req, callback);
  }
}

/** Records a registration: its options, its inputs (secret ones collected), its plain and engine views. */
function captureRegistration(run: RunState, req: RegisterResourceRequest): CapturedResource {
  const { raw, secretPaths, identity } = registrationOf(req);
  const timeouts = req.getCustomtimeouts();
  const propertyDependencies: Record<string, string[]> = {};
  req.getPropertydependenciesMap().forEach((v, k) => (propertyDependencies[k] = v.getUrnsList()));
  const inputs = wireToPlain(raw) as Record<string, unknown>;
  for (const p of secretPaths) collectAt(inputs, p, run.secrets);
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
  run.resources.push(record);
  const engineInputs = wireToEngine(raw);
  run.plain.set(record, {
    inputs,
    outputs: { ...inputs },
    engine: { inputs: engineInputs, outputs: { ...engineInputs } },
  });
  return record;
}

/** Adds a component's registered outputs (secret ones collected and listed) to its captured record. */
function captureComponentOutputs(run: RunState, req: RegisterResourceOutputsRequest): void {
  const record = run.resources.find((r) => r.urn === req.getUrn());
  const raw = req.getOutputs()?.toJavaScript() ?? {};
  if (!record) return;
  const outputSecrets: string[] = [];
  findSecretPaths(raw, "", outputSecrets);
  const outputs = wireToPlain(raw) as Record<string, unknown>;
  for (const p of outputSecrets) collectAt(outputs, p, run.secrets);
  const view = run.plain.get(record)!;
  view.outputs = { ...view.outputs, ...outputs };
  view.engine.outputs = { ...view.engine.outputs, ...wireToEngine(raw) };
  record.additionalSecretOutputs.push(
    ...outputSecrets.filter((p) => !record.additionalSecretOutputs.includes(p)),
  );
}

/** A custom timeout (`"10m"`, `"90s"`, `"1.5h"`, `"500ms"`, bare seconds) in seconds; 0 when unset or unreadable. */
function seconds(value: string | undefined): number {
  if (!value) return 0;
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value);
  if (!match) return 0;
  const n = Number(match[1]);
  return { ms: n / 1000, s: n, m: n * 60, h: n * 3600 }[match[2] ?? "s"] ?? n;
}
