/** The offline evaluator: run a Pulumi program under mocks, load policy packs, evaluate them. */
export { runCheck, loadPacks } from "./check";
export type { CheckOptions, CheckTimings, EvaluationPath } from "./check";
export { evaluatePolicies, prerequisiteOf } from "./evaluate";
export type { EvaluatedPack, EvaluationResult } from "./evaluate";
export { loadPolicyPack, PackLoadError } from "./packs";
export type { LoadedPack } from "./packs";
export { resolvePackConfig, ENFORCEMENT_LEVELS } from "./packConfig";
export {
  runProgram,
  DEFAULT_INVOKES,
  COMPUTED_OUTPUTS,
  DYNAMIC_TYPE,
  ROOT_STACK_TYPE,
  engineUrn,
  capturedResource,
} from "./program";
export type {
  CapturedResource,
  DynamicExecutor,
  InvokeHandler,
  RunProgramOptions,
  RunProgramResult,
} from "./program";
export { providerExecutor } from "./dynamic";
export type { ExecutableProvider } from "./dynamic";
export { findProject, locateStack, toEngineConfig, UsageError } from "./stack";
