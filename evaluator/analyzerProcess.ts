/* eslint-disable @typescript-eslint/no-explicit-any -- protobuf messages from the SDK's generated stubs are untyped JavaScript */
/**
 * The stack an analyzer process serves, as the engine starts and configures it: the options, the environment the
 * pack is started with (analyzerEnv), the refusal of a stack config too large for one environment variable, the
 * ConfigureStack request, and AnalyzerError. Used by analyzer.ts.
 */
import { analyzerProto as proto } from "./grpc/proto";

/** A pack that failed to start or answer as an analyzer (the engine fails the update). */
export class AnalyzerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AnalyzerError";
  }
}

/** How the analyzer process is started: the stack it serves (the engine's PolicyAnalyzerOptions). */
export interface AnalyzerStackOptions {
  project: string;
  stack: string;
  /** preview (true) or update (false). */
  dryRun: boolean;
  /** Stack config as the engine hands it to plugins: `ns:key` -> string. */
  config: Record<string, string>;
  secretKeys: string[];
  /** The engine's gRPC address handed to the pack (run-policy-pack takes it as its first argument). */
  engineAddress?: string;
  /** How long the pack may take to print its port (ms). */
  startTimeoutMs?: number;
}

/** The engine cannot start a pack whose stack config does not fit one environment variable. */
export function refuseOversizedConfig(options: AnalyzerStackOptions): void {
  // Pulumi hands plugins the stack config in one environment variable (analyzer_plugin.go constructEnv; the
  // language host does the same for the program), and Linux caps one at 128 KiB (MAX_ARG_STRLEN): past that
  // the engine cannot start the pack either.
  const configBytes = Buffer.byteLength(JSON.stringify(options.config));
  if (configBytes >= 128 * 1024) {
    throw new AnalyzerError(
      `the stack config is ${Math.round(configBytes / 1024)} KiB; Pulumi passes it to every policy pack (and the program) in the PULUMI_CONFIG environment variable, which Linux caps at 128 KiB, so pulumi preview would fail too. Move the large lists into files (a roster into vpconnect:roster.file)`,
    );
  }
}

/**
 * The environment the engine starts a pack with (analyzer_plugin.go constructEnv): the stack config in one
 * variable, the project, stack and dry run (PULUMI_NODEJS_* is what @pulumi/pulumi reads).
 */
export function analyzerEnv(options: AnalyzerStackOptions): Record<string, string | undefined> {
  return {
    // The checker's own ts-node settings must not reach the pack: run-policy-pack registers its own.
    TS_NODE_TRANSPILE_ONLY: undefined,
    TS_NODE_PROJECT: undefined,
    PULUMI_CONFIG: JSON.stringify(options.config),
    PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(options.secretKeys),
    PULUMI_NODEJS_PROJECT: options.project,
    PULUMI_NODEJS_STACK: options.stack,
    PULUMI_NODEJS_DRY_RUN: String(options.dryRun),
    PULUMI_PROJECT: options.project,
    PULUMI_STACK: options.stack,
    PULUMI_DRY_RUN: String(options.dryRun),
  };
}

/** ConfigureStack as the engine sends it: stack, project, dry run and the stack config. */
export function stackConfigureRequest(options: AnalyzerStackOptions): any {
  const request = new proto.AnalyzerStackConfigureRequest();
  request.setStack(options.stack);
  request.setProject(options.project);
  request.setDryRun(options.dryRun);
  for (const [k, v] of Object.entries(options.config)) request.getConfigMap().set(k, v);
  request.setConfigSecretKeysList(options.secretKeys);
  return request;
}
