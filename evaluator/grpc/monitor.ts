/* eslint-disable @typescript-eslint/no-explicit-any -- grpc-js handlers receive the generated (untyped) protobuf messages; property bags are untyped JSON */
/**
 * A ResourceMonitor of the project's own: the engine's side of a program run (pulumi/pulumi v3.245.0
 * proto/pulumi/resource.proto), for `@pulumi/pulumi/cmd/run` to register resources with when no Pulumi CLI runs.
 * It records every registration with its options, assigns the engine's URNs (mockRuntime.ts `engineUrn`: the
 * parent's whole qualified type chain) and answers with outputs:
 * - preview (`--dry-run`): custom resources get no id (unknown) and their inputs back, as the engine returns them
 *   before anything is created; outputs not among the inputs stay unknown;
 * - update: `create` decides (default: the inputs, the canned computed outputs and the id `vpconnect check`'s
 *   mocks give, evaluator/program.ts), so `check` and the runner see the same values.
 * Invokes answer from `vpconnect check`'s canned answers (DEFAULT_INVOKES) unless `invokes` overrides them.
 */
import { COMPUTED_OUTPUTS, DEFAULT_INVOKES, idOutputs, mockId, type InvokeHandler } from "../program";
import {
  engineUrn,
  registrationOf,
  type RegistrationIdentity,
  type RegisterResourceRequest,
} from "../mockRuntime";
import { SIG, wireToPlain } from "../plain";
import { emptyproto, fromStruct, providerProto, resourceProto, toStruct } from "./proto";

/** A registration as the monitor received it. */
export interface MonitorRegistration extends RegistrationIdentity {
  provider: string;
  ignoreChanges: string[];
  deleteBeforeReplace?: boolean;
  propertyDependencies: Record<string, string[]>;
  /** The inputs in wire form (secret wrappers kept: the monitor is the engine, it may see them). */
  inputs: Record<string, any>;
  /** Dotted paths of the inputs sent as secrets. */
  secretPaths: string[];
  /** The id the monitor gave it ("" in preview or for components). */
  id: string;
  /** What RegisterResourceOutputs sent for it (components and the stack), wire form. */
  registeredOutputs?: Record<string, any>;
}

/** What to answer for a new resource in an update (the engine's provider Create). */
export type CreateHandler = (
  registration: MonitorRegistration,
) => Promise<{ id: string; outputs: Record<string, any> }> | { id: string; outputs: Record<string, any> };

export interface ResourceMonitorOptions {
  project: string;
  stack: string;
  /** A preview (`cmd/run --dry-run`): nothing is created. */
  preview: boolean;
  /** Creates custom resources in an update (default: canned outputs, see above). */
  create?: CreateHandler;
  /** Invoke answers by token (over DEFAULT_INVOKES). */
  invokes?: Readonly<Record<string, InvokeHandler>>;
}

export interface ResourceMonitor {
  /** grpc-js handlers for ResourceMonitorService (pass as `startEngine({ monitor })`). */
  readonly service: Record<string, (call: any, callback: any) => void>;
  readonly registrations: MonitorRegistration[];
  readonly invokes: Array<{ token: string; args: Record<string, any> }>;
  /** Failures answering a registration (a create that threw): the program sees them as errors. */
  readonly errors: Error[];
  /** SupportsFeature questions asked, and the answers given. */
  readonly features: Record<string, boolean>;
}

/**
 * The features the 3.245 engine reports (pkg/resource/deploy/source_eval.go `supportsFeatureID`), except the
 * callback-based ones this monitor does not serve (transforms, invoke transforms, resource and error hooks): a
 * program that needs one fails with the SDK's own "not supported" error instead of silently not running it.
 */
export const MONITOR_FEATURES: Readonly<Record<string, boolean>> = {
  secrets: true,
  resourceReferences: true,
  outputValues: true,
  aliasSpecs: true,
  replacementTrigger: true,
  deletedWith: true,
  replaceWith: true,
  transforms: false,
  invokeTransforms: false,
  parameterization: true,
  resourceHooks: false,
  errorHooks: false,
};

/** The canned update outputs `vpconnect check` uses: inputs, computed outputs (secret ones wrapped), id. */
export function cannedCreate(
  registration: MonitorRegistration,
  seq: number,
): { id: string; outputs: Record<string, any> } {
  const plain = wireToPlain(registration.inputs) as Record<string, any>;
  const computed = COMPUTED_OUTPUTS[registration.type]?.(registration.name, plain, seq);
  const outputs: Record<string, any> = { ...registration.inputs };
  const secret = new Set(computed?.secret ?? []);
  for (const [k, v] of Object.entries(computed?.outputs ?? {}))
    outputs[k] = secret.has(k) ? { [SIG.key]: SIG.secret, value: v } : v;
  const id = mockId(registration.type, registration.name, plain);
  return {
    id,
    outputs: {
      ...outputs,
      id,
      ...idOutputs(registration.type, id, wireToPlain(outputs) as Record<string, unknown>),
    },
  };
}

export function createResourceMonitor(options: ResourceMonitorOptions): ResourceMonitor {
  const registrations: MonitorRegistration[] = [];
  const invokes: ResourceMonitor["invokes"] = [];
  const errors: Error[] = [];
  const features: Record<string, boolean> = {};
  const invokeTable = { ...DEFAULT_INVOKES, ...(options.invokes ?? {}) };
  let seq = 0;
  const fail = (callback: any, error: unknown) => {
    const e = error instanceof Error ? error : new Error(String(error));
    errors.push(e);
    callback({ code: 2, details: e.message }, null);
  };

  const service: ResourceMonitor["service"] = {
    supportsFeature(call, callback) {
      const id = call.request.getId() as string;
      const has = MONITOR_FEATURES[id] ?? false;
      features[id] = has;
      const res = new resourceProto.SupportsFeatureResponse();
      res.setHassupport(has);
      callback(null, res);
    },
    async registerResource(call, callback) {
      try {
        const req = call.request as RegisterResourceRequest;
        const { raw, secretPaths, identity } = registrationOf(req, options);
        const urn = identity.urn;
        const propertyDependencies: Record<string, string[]> = {};
        req.getPropertydependenciesMap().forEach((v, k) => (propertyDependencies[k] = v.getUrnsList()));
        const registration: MonitorRegistration = {
          ...identity,
          urn,
          provider: req.getProvider(),
          ignoreChanges: req.getIgnorechangesList(),
          ...(req.getDeletebeforereplacedefined()
            ? { deleteBeforeReplace: req.getDeletebeforereplace() }
            : {}),
          propertyDependencies,
          inputs: raw,
          secretPaths,
          id: "",
        };
        registrations.push(registration);
        seq++;
        let object: Record<string, any> = {};
        if (identity.custom) {
          if (options.preview) object = { ...raw };
          else {
            const created = await (options.create ?? ((r) => cannedCreate(r, seq)))(registration);
            registration.id = created.id;
            object = created.outputs;
          }
        }
        const res = new resourceProto.RegisterResourceResponse();
        res.setUrn(urn);
        res.setId(registration.id);
        res.setObject(toStruct(object));
        callback(null, res);
      } catch (error) {
        fail(callback, error);
      }
    },
    registerResourceOutputs(call, callback) {
      const urn = call.request.getUrn() as string;
      const r = registrations.find((x) => x.urn === urn);
      if (r) r.registeredOutputs = fromStruct(call.request.getOutputs());
      callback(null, new emptyproto.Empty());
    },
    readResource(call, callback) {
      const req = call.request;
      const urn = engineUrn(req.getParent(), req.getType(), req.getName(), options.stack, options.project);
      const res = new resourceProto.ReadResourceResponse();
      res.setUrn(urn);
      res.setProperties(toStruct({ ...fromStruct(req.getProperties()), id: req.getId() }));
      callback(null, res);
    },
    invoke(call, callback) {
      try {
        const token = call.request.getTok() as string;
        const args = wireToPlain(fromStruct(call.request.getArgs())) as Record<string, any>;
        invokes.push({ token, args });
        const res = new providerProto.InvokeResponse();
        res.setReturn(toStruct(invokeTable[token]?.(args) ?? {}));
        callback(null, res);
      } catch (error) {
        fail(callback, error);
      }
    },
    registerPackage(call, callback) {
      const res = new resourceProto.RegisterPackageResponse();
      res.setRef(`${call.request.getName()}@${call.request.getVersion()}`);
      callback(null, res);
    },
    signalAndWaitForShutdown(_call, callback) {
      callback(null, new emptyproto.Empty());
    },
  };
  return { service, registrations, invokes, errors, features };
}
