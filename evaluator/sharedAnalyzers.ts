/**
 * One analyzer process per policy pack for a whole fleet run (`vpconnect check --all`, per worker), switched from
 * stack to stack instead of started for each: a pack's start (node, @pulumi/pulumi, @pulumi/policy, gRPC and the
 * pack itself, about 1.2 s of CPU) is paid once per worker, not once per site.
 *
 * Each stack is still evaluated as the engine would evaluate it alone:
 * - the process is Pulumi's own run-policy-pack, started for the first stack exactly as the engine starts it (its
 *   environment: evaluator/analyzer.ts analyzerEnv), with bin/analyzerPreload.js loaded first;
 * - before each later stack, the preload gets that stack's environment over an IPC channel, sets it and resets
 *   the pack's @pulumi/pulumi store from it (runtime.resetOptions, runtime.setAllConfig), so pulumi.getStack(),
 *   pulumi.getProject(), isDryRun() and new pulumi.Config() in a policy see the stack being checked; then
 *   ConfigureStack and Configure (always sent, so no stack inherits another's policy config) as the engine sends
 *   them per run. @pulumi/policy keeps nothing else per stack (server.js: policyPackConfig, stackTags).
 * - What this cannot reset: state a pack keeps in its own module variables (a cache filled from the first stack's
 *   config). This project's pack keeps none; for a pack that does, `check --all --isolate-analyzers` starts a
 *   fresh analyzer per site, as the single-stack `vpconnect check` always does.
 * An analyzer that ended (a policy exited the process) is started again for the next stack.
 *
 * The packs' modules, loaded in the checker for their policies, levels and config schemas (and the watched
 * evaluation that tells the reports which resources a policy examined), are shared the same way: loaded (and a
 * stale build rebuilt) for the first site, kept for the others, as the analyzers keep theirs.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { PackAnalyzer, startAnalyzerEngine, type AnalyzerStackOptions } from "./analyzer";
import type { EngineServer } from "./grpc/engine";
import type { PackWithConfig } from "./stages/packs";

/** bin/analyzerPreload.js beside the sources (evaluator/) or the compiled output (dist/evaluator/). */
export function analyzerPreload(): string {
  for (const up of ["..", path.join("..", "..")]) {
    const file = path.join(__dirname, up, "bin", "analyzerPreload.js");
    if (fs.existsSync(file)) return file;
  }
  throw new Error("bin/analyzerPreload.js not found beside the evaluator");
}

interface Held {
  analyzer: Promise<PackAnalyzer>;
  /** The stack it serves now (the one it was started or last switched for). */
  serving: AnalyzerStackOptions;
}

/** The analyzers of one fleet run (one worker): started on first use, kept until close(). */
export class SharedAnalyzers {
  private server?: Promise<EngineServer>;
  private readonly held = new Map<string, Held>();
  private readonly loadedPacks = new Map<string, PackWithConfig[]>();
  private closed = false;
  /** How many analyzer processes this fleet run started (bench and tests). */
  started = 0;
  /** How many times this fleet run loaded its packs (tests). */
  packLoads = 0;

  /** The packs `key` names, loaded by `load` the first time (a load that throws is tried again next time). */
  packs(key: string, load: () => PackWithConfig[]): PackWithConfig[] {
    let packs = this.loadedPacks.get(key);
    if (packs === undefined) {
      packs = load();
      this.packLoads++;
      this.loadedPacks.set(key, packs);
    }
    return packs;
  }

  /**
   * The analyzers for `packDirs`, serving the stack `options` describes. A pack not started yet starts now with
   * this stack's environment; `ready` on the result switches the started ones to this stack. Resolves once every
   * new pack's process has been spawned: call it before the program runs, so the packs start while it runs (the
   * program's module loading holds the event loop, so a spawn left for later would wait for the whole run).
   */
  async acquire(
    packDirs: readonly string[],
    options: Omit<AnalyzerStackOptions, "engineAddress">,
  ): Promise<Array<{ ready(): Promise<PackAnalyzer> }>> {
    // The engine server first (the packs dial it): its address is only known once it listens.
    const address = packDirs.some((dir) => !this.held.has(dir)) ? await this.engineAddress() : "";
    return packDirs.map((dir) => {
      const held = this.held.get(dir);
      if (held === undefined) {
        const started = this.start(dir, options, address);
        return { ready: () => started.analyzer };
      }
      return {
        ready: async () => {
          let analyzer: PackAnalyzer | undefined;
          try {
            analyzer = await held.analyzer;
          } catch {
            analyzer = undefined; // a failed start is tried again for this stack
          }
          if (analyzer === undefined || !analyzer.alive) {
            if (analyzer) await analyzer.close();
            return this.start(dir, options, await this.engineAddress()).analyzer;
          }
          if (held.serving !== options) {
            held.serving = options;
            await analyzer.useStack({ ...options });
          }
          return analyzer;
        },
      };
    });
  }

  /** The engine server the fleet's packs dial, started on first use; never again once closed. */
  private async engineAddress(): Promise<string> {
    if (this.closed) throw new Error("the fleet's analyzers are closed");
    this.server ??= startAnalyzerEngine();
    const { address } = await this.server;
    // close() ran while the server started: start no pack that would dial a stopped server.
    if (this.closed) throw new Error("the fleet's analyzers are closed");
    return address;
  }

  /** Starts the pack's process now (PackAnalyzer.start spawns it before its first await). */
  private start(
    dir: string,
    options: Omit<AnalyzerStackOptions, "engineAddress">,
    engineAddress: string,
  ): Held {
    this.started++;
    const held: Held = {
      analyzer: PackAnalyzer.start(dir, { ...options, engineAddress }, analyzerPreload()),
      serving: options,
    };
    held.analyzer.catch(() => undefined); // reported by the stack that waits for it
    this.held.set(dir, held);
    return held;
  }

  /** Stops every analyzer and the engine server; no analyzer starts after it. */
  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.held.values()];
    this.held.clear();
    await Promise.all(
      all.map((h) =>
        h.analyzer.then(
          (a) => a.close(),
          () => undefined,
        ),
      ),
    );
    const server = this.server;
    this.server = undefined;
    if (server)
      await server.then(
        (s) => s.stop(),
        () => undefined,
      );
  }
}
