/**
 * One program run's state: what the run has captured so far, the secrets and errors it has seen, and the
 * registration in flight. newRunState makes it; program.ts passes it to the recording monitor (programCapture.ts)
 * and the mocks (programMocks.ts), which fill it as the program registers resources. Used by program.ts.
 */
import { ConstructionOrder } from "./constructionOrder";
import type { CapturedResource, PlainView, RunProgramOptions, RunProgramResult } from "./programTypes";

/** What one run of runProgram captures as it goes. */
export interface RunState {
  /** The run's options, as runProgram got them. */
  readonly options: RunProgramOptions;
  /** Every registration, in the order the monitor received them (put in construction order when the run ends). */
  readonly resources: CapturedResource[];
  /** Each captured resource's properties with secrets in plaintext, and as the engine sends them. */
  readonly plain: Map<CapturedResource, Required<PlainView>>;
  /** Provider function calls made (token and plain inputs). */
  readonly invokes: RunProgramResult["invokes"];
  /** Every secret plaintext seen (the run's known secrets first): scrubbed from everything captured. */
  readonly secrets: Set<string>;
  /** Everything that failed, in order: the first is the run's error. */
  readonly errors: unknown[];
  /** How many resources the mocks have answered. */
  seq: number;
  /** Where the program constructed each resource: the order reports list them in, and the mocks number them by. */
  readonly order: ConstructionOrder;
  /** The record the monitor captured last, for the mocks' newResource that it calls right after. */
  current: CapturedResource | undefined;
}

/** A run's state before the program starts: nothing captured, only the known secrets. */
export function newRunState(options: RunProgramOptions, order = new ConstructionOrder()): RunState {
  return {
    options,
    resources: [],
    plain: new Map(),
    invokes: [],
    secrets: new Set<string>((options.knownSecrets ?? []).filter((s) => s.length > 0)),
    errors: [],
    seq: 0,
    order,
    current: undefined,
  };
}
