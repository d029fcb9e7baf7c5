/**
 * Driving Pulumi's own runtime processes over gRPC without the Pulumi CLI: the engine's server side
 * (engine.ts, monitor.ts), plugin start-up (plugin.ts), the dynamic provider host (dynamicProviderHost.ts) and the
 * program runner (runner.ts). See /README.md "How this is proven without a cloud".
 */
export { startEngine } from "./engine";
export type { EngineLog, EngineServer, StartEngineOptions } from "./engine";
export { startPlugin, resolveFrom } from "./plugin";
export type { PluginProcess, StartPluginOptions } from "./plugin";
export { startDynamicProviderHost, ProviderCallError, DYNAMIC_RESOURCE_TYPE } from "./dynamicProviderHost";
export type {
  CheckResult,
  DiffResult,
  DynamicProviderHost,
  HostResource,
  StartDynamicProviderHostOptions,
} from "./dynamicProviderHost";
export { toStruct, fromStruct, unary } from "./proto";
export { hostExecutor, hostCreateHandler } from "./hostExecutor";
export { runtimeOptionsOf } from "./project";
export { createResourceMonitor, cannedCreate, MONITOR_FEATURES } from "./monitor";
export type { CreateHandler, MonitorRegistration, ResourceMonitor, ResourceMonitorOptions } from "./monitor";
export { runUnderRunner, languageHostConfig } from "./runner";
export type { RunUnderRunnerOptions, RunnerResult } from "./runner";
