/**
 * The program stage of a check: the stack's program run under mocks with the engine's config, while the policy
 * packs start beside it as the engine starts them (analyzer path), so their start-up hides behind the run.
 */
import * as path from "node:path";
import { AnalyzerError, PackAnalyzer, startAnalyzerEngine } from "../analyzer";
import type { SharedAnalyzers } from "../sharedAnalyzers";
import { runProgram } from "../program";
import type { DynamicExecutor, InvokeHandler, RunProgramResult } from "../program";
import { UsageError } from "../stack";
import { handOverRoster } from "../../lib/config/loadShare";
import type { LoadedConfig } from "../../lib/config/loadOptions";
import type { PackWithConfig } from "./packs";
import type { CheckTarget } from "./target";

/** Stack config as the engine hands it to the program and the plugins. */
export interface EngineConfig {
  config: Record<string, string>;
  secretKeys: string[];
}

/** The packs' analyzer processes: ready() waits for every one (a failed start is a UsageError). */
export interface AnalyzerPool {
  ready(): Promise<PackAnalyzer[]>;
  /** Stops every pack that started and the engine server; safe to call whatever happened. */
  close(): Promise<void>;
}

/** A failed start or switch as the check reports it (a UsageError naming --policy-pack). */
function packProblem(error: Error): Error {
  return error instanceof AnalyzerError ? new UsageError(`--policy-pack: ${error.message}`) : error;
}

/**
 * Starts each pack with run-policy-pack (as the engine does, before the program runs). With `shared` (a fleet
 * run) the packs' analyzers are the fleet's, switched to this stack (evaluator/sharedAnalyzers.ts), and stay up.
 */
export async function startAnalyzers(
  loaded: readonly PackWithConfig[],
  target: CheckTarget,
  engine: EngineConfig,
  preview: boolean,
  shared?: SharedAnalyzers,
): Promise<AnalyzerPool> {
  if (shared) {
    const held = await shared.acquire(
      loaded.map(({ pack }) => pack.absDir),
      {
        project: target.project.name,
        stack: target.stack,
        dryRun: preview,
        config: engine.config,
        secretKeys: engine.secretKeys,
      },
    );
    return {
      async ready() {
        const analyzers: PackAnalyzer[] = [];
        // One after another: a pack's switch must not overlap another stack's use (sites run in turn).
        for (const h of held)
          analyzers.push(await h.ready().catch((e: Error) => Promise.reject(packProblem(e))));
        return analyzers;
      },
      close: async () => undefined,
    };
  }
  const server = await startAnalyzerEngine();
  const starting = loaded.map(({ pack }) =>
    PackAnalyzer.start(pack.absDir, {
      project: target.project.name,
      stack: target.stack,
      dryRun: preview,
      config: engine.config,
      secretKeys: engine.secretKeys,
      engineAddress: server.address,
    }),
  );
  // A pack that fails to start must not leave the others running.
  const settled = Promise.allSettled(starting);
  return {
    async ready() {
      const analyzers: PackAnalyzer[] = [];
      for (const r of await settled) {
        if (r.status === "rejected") throw packProblem(r.reason as Error);
        analyzers.push(r.value);
      }
      return analyzers;
    },
    async close() {
      await Promise.all((await settled).map((r) => (r.status === "fulfilled" ? r.value.close() : undefined)));
      await server.stop();
    },
  };
}

/**
 * What a fleet run keeps loaded between sites: this package's own library (beside evaluator/, in the sources or
 * dist/), which holds no stack state in module variables (a component reads the stack's values when constructed);
 * installed from npm it is in node_modules and kept anyway. The program (index.ts, program/) and a consumer
 * project's own modules run afresh for every site.
 */
const FLEET_KEEPS_LOADED = ["lib", "components"].map((d) => path.join(__dirname, "..", "..", d));

/** Runs the stack's program under mocks; what it throws comes back as `error` in the result. */
export async function runTargetProgram(
  target: CheckTarget,
  engine: EngineConfig,
  options: {
    secretOverrides: Record<string, string>;
    preview: boolean;
    dynamicExecutor?: DynamicExecutor;
    invokes?: Record<string, InvokeHandler>;
    /** A fleet run: the library's modules (lib/, components/) stay loaded between sites. */
    fleet?: boolean;
    /** The check's own load of the stack config: its roster is handed to the program's load (not built twice). */
    loaded?: LoadedConfig;
  },
): Promise<RunProgramResult> {
  // The program re-reads its stack file (to refuse plaintext secrets the engine would hide): point it at this one.
  const previousStackFile = process.env.VPCONNECT_STACK_FILE;
  process.env.VPCONNECT_STACK_FILE = target.file;
  try {
    return await handOverRoster(options.loaded, () =>
      runProgram({
        program: target.program,
        projectDir: target.project.dir,
        project: target.project.name,
        stack: target.stack,
        config: engine.config,
        secretKeys: engine.secretKeys,
        knownSecrets: Object.values(options.secretOverrides),
        preview: options.preview,
        ...(options.dynamicExecutor && !options.preview ? { dynamicExecutor: options.dynamicExecutor } : {}),
        ...(options.invokes ? { invokes: options.invokes } : {}),
        ...(options.fleet ? { keepLoaded: FLEET_KEEPS_LOADED } : {}),
      }),
    );
  } finally {
    if (previousStackFile === undefined) delete process.env.VPCONNECT_STACK_FILE;
    else process.env.VPCONNECT_STACK_FILE = previousStackFile;
  }
}
