/**
 * The mocks a program run answers with (`pulumi.runtime.Mocks`): a resource's outputs (its inputs, a first
 * preview's unknowns, a dynamic resource's real outs through the run's `dynamicExecutor`, or the canned outputs of
 * mockAnswers.ts) and id, and invoke answers. Each answer is added to the record the recording monitor captured
 * for it (programCapture.ts) in the run's state (programState.ts). Used by program.ts.
 */
import type * as pulumi from "@pulumi/pulumi";
import { copyData, toPlain } from "./plain";
import { COMPUTED_OUTPUTS, DEFAULT_INVOKES, idOutputs, mockId } from "./mockAnswers";
import { collectAt } from "./programSecrets";
import type { RunState } from "./programState";
import type { CapturedResource, DynamicExecutor } from "./programTypes";

/** Where mock numbers for resources without a construction place start (20.50.128.0 and up for a public IP). */
const UNNOTED = 0x8000;

/** The dynamic resource type token every `pulumi.dynamic.Resource` registers with. */
export const DYNAMIC_TYPE = "pulumi-nodejs:dynamic:Resource";

type ResourceArgs = pulumi.runtime.MockResourceArgs;

/** A resource's outputs before its id, and which of them are secret. */
interface Answer {
  outputs: Record<string, unknown>;
  secret: string[];
}

/** The mocks of one run: they answer from, and record into, `state`. */
export function programMocks(state: RunState): pulumi.runtime.Mocks {
  const invokeTable = { ...DEFAULT_INVOKES, ...(state.options.invokes ?? {}) };
  return {
    newResource: (args) => answerResource(state, args),
    call(args) {
      const inputs = toPlain(args.inputs) as Record<string, unknown>;
      state.invokes.push({ token: args.token, inputs });
      const handler = invokeTable[args.token];
      return handler ? handler(inputs) : {};
    },
  };
}

/** A resource's mock answer: its outputs and id, also added to the record the monitor captured for it. */
async function answerResource(state: RunState, args: ResourceArgs) {
  const { options } = state;
  const record = claimRecord(state, args);
  const inputs = record
    ? copyData(state.plain.get(record)!.inputs)
    : (toPlain(args.inputs) as Record<string, unknown>);
  // Counted here, before anything is awaited.
  state.seq++;
  // The mock public IP is numbered by where the program constructed the resource (evaluator/constructionOrder.ts),
  // which every run of the stack agrees on. An answer for a resource not noted there (a read, or one constructed
  // through the program's own @pulumi/pulumi copy) is numbered from UNNOTED up by answer count: the two ranges
  // never meet, so no two resources share a number.
  const position = record ? state.order.positionOf(record.urn) : undefined;
  const number = position === undefined ? UNNOTED + state.seq : position + 1;
  let answer: Answer;
  if (options.preview) {
    // A first preview: nothing exists yet, so ids and every output the provider computes stay unknown
    // (the engine previews a create as its inputs), and dynamic resources have no preview at all.
    answer = { outputs: { ...inputs }, secret: [] };
  } else if (args.type === DYNAMIC_TYPE && options.dynamicExecutor) {
    const { __provider: serialized, ...rest } = inputs;
    // A failed create fails the run (as it fails `pulumi up`), but the program must still finish: a
    // rejected mock leaves the resource's outputs unresolved and the run would wait for them forever.
    // (The executor is awaited here, not in a helper of its own: an extra await would move when the outputs
    // resolve, and with them the order of later registrations.)
    let outs: unknown = {};
    try {
      outs = await options.dynamicExecutor(
        args.type,
        args.name,
        rest,
        dynamicResource(state, record, serialized),
      );
    } catch (error) {
      state.errors.push(dynamicFailure(args, rest, error));
    }
    answer = { outputs: { ...rest, ...(toPlain(outs) as Record<string, unknown>) }, secret: [] };
  } else {
    const computed = COMPUTED_OUTPUTS[args.type]?.(args.name, inputs, number);
    answer = { outputs: { ...inputs, ...(computed?.outputs ?? {}) }, secret: [...(computed?.secret ?? [])] };
  }
  return reply(state, args, record, inputs, answer);
}

/**
 * The record the monitor captured for this registration (MockMonitor.registerResource calls newResource
 * synchronously right after), taken once: a registration the monitor did not capture gets none.
 */
function claimRecord(state: RunState, args: ResourceArgs): CapturedResource | undefined {
  const { current } = state;
  state.current = undefined;
  return current !== undefined && current.type === args.type && current.name === args.name
    ? current
    : undefined;
}

/** What the dynamic executor is told of the resource besides its inputs. */
function dynamicResource(
  state: RunState,
  record: CapturedResource | undefined,
  serialized: unknown,
): Parameters<DynamicExecutor>[3] {
  const { options } = state;
  return {
    urn: record?.urn ?? "",
    serializedProvider: typeof serialized === "string" ? serialized : "",
    stackConfig: { config: options.config, secretKeys: options.secretKeys ?? [] },
  };
}

/** A dynamic resource's failed create, named by its kind (the resource's `vpconnectResource`) and name. */
function dynamicFailure(args: ResourceArgs, inputs: Record<string, unknown>, error: unknown): Error {
  const kind = typeof inputs.vpconnectResource === "string" ? inputs.vpconnectResource : args.type;
  return new Error(`${kind} ${args.name}: ${(error as Error)?.message ?? String(error)}`);
}

/** The mock's reply: the answer with the resource's id; the record gets the outputs and their secrets. */
function reply(
  state: RunState,
  args: ResourceArgs,
  record: CapturedResource | undefined,
  inputs: Record<string, unknown>,
  { outputs, secret }: Answer,
): { id: string | undefined; state: Record<string, unknown> } {
  const id = args.custom && !state.options.preview ? mockId(args.type, args.name, inputs) : undefined;
  if (id !== undefined) Object.assign(outputs, { id }, idOutputs(args.type, id, outputs));
  if (record) {
    for (const p of secret) collectAt(outputs, p, state.secrets);
    state.plain.get(record)!.outputs = outputs;
    record.secretPaths.push(...secret.filter((p) => !record.secretPaths.includes(p)));
  }
  return { id, state: outputs };
}
