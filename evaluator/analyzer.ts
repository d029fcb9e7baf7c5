/* eslint-disable @typescript-eslint/no-explicit-any -- protobuf messages from the SDK's generated stubs are untyped JavaScript */
/**
 * Policy packs evaluated by Pulumi's own analyzer, driven over gRPC the way the engine drives it:
 *
 * - start: `node <@pulumi/pulumi/cmd/run-policy-pack resolved from the pack> <engineAddress> .` with the pack's
 *   folder as working directory, PULUMI_CONFIG and the PULUMI_(NODEJS_)PROJECT/STACK/DRY_RUN environment
 *   (sdk/go/common/resource/plugin/analyzer_plugin.go NewPolicyAnalyzer, constructEnv); the pack prints its port;
 * - ConfigureStack, GetAnalyzerInfo, then Configure with the engine's layering: every policy's schema defaults,
 *   the pack's initial config, then the --policy-pack-config file (pkg/engine/update.go,
 *   pkg/resource/analyzer/config.go ReconcilePolicyPackConfig; evaluator/packConfig.ts mirrors it);
 * - per resource, in registration order: Remediate on every pack (top-level `__` keys kept), a remediation's
 *   properties replace the inputs, then Analyze on every pack (top-level `__` keys dropped), unknowns and
 *   secrets kept (pkg/resource/deploy/step_generator.go, analyze_snapshot.go analyzeResource);
 * - AnalyzeStack on every resource's final outputs, default providers included (step_generator.go
 *   AnalyzeResources).
 *
 * Levels as the engine applies them: a resource diagnostic at `remediate` becomes `mandatory`; stack
 * diagnostics likewise; a stack diagnostic's URN is kept only when it names a resource of the stack. The
 * engine shows a violation as its `message`, which @pulumi/policy builds as the policy description, a newline,
 * then the policy's message (server.js makeReportViolationFun); `message` here is the policy's part and
 * `engineMessage` the whole text.
 *
 * The analyzer is Pulumi's code (@pulumi/policy's server.js inside run-policy-pack); the resources it is shown
 * come from the offline program run (evaluator/program.ts): inputs as the program registered them (no cloud
 * provider ran Check), outputs from the mocks or, with --emulator, from the dynamic providers.
 *
 * This module holds the running pack (PackAnalyzer) and its gRPC client; the process's stack options and
 * environment are in analyzerProcess.ts, the protocol's messages and level mapping in analyzerMessages.ts (both
 * re-exported here).
 */
import type { ReportError, ReportEvaluation, ReportPolicy, ReportViolation } from "../lib/reports/model";
import { startEngine, type EngineServer } from "./grpc/engine";
import { pluginPreloadArgs, resolveFrom, startPlugin, type PluginProcess } from "./grpc/plugin";
import {
  analyzerProto as proto,
  analyzerRpc as services,
  emptyproto as emptyProto,
  grpc,
} from "./grpc/proto";
import { messageField } from "./grpc/structWire";
import {
  analyzeRequestBytes,
  LEVEL_TO_PROTO,
  propertyBytes,
  providerResource,
  readAnalyzeResponse,
  readInfo,
  readNotApplicable,
  resourceOptions,
  structProto,
  type AnalyzeResult,
  type AnalyzerInfo,
  type AnalyzerPolicyInfo,
  type Diagnostic,
  type EngineResource,
  type Remediation,
} from "./analyzerMessages";
import {
  AnalyzerError,
  analyzerEnv,
  refuseOversizedConfig,
  stackConfigureRequest,
  type AnalyzerStackOptions,
} from "./analyzerProcess";
import type { ResolvedPolicyConfig } from "./packConfig";
import { scrubString } from "./plain";
import type { CapturedResource } from "./program";

export { AnalyzerError, analyzerEnv };
export type {
  AnalyzeResult,
  AnalyzerInfo,
  AnalyzerPolicyInfo,
  AnalyzerStackOptions,
  Diagnostic,
  EngineResource,
  Remediation,
};

/** @pulumi/policy's gRPC receive limit (server.js maxRPCMessageSize); the engine's client allows the same. */
const MAX_MESSAGE = 1024 * 1024 * 400;

/** One running policy pack: the analyzer process and its gRPC client. */
export class PackAnalyzer {
  private constructor(
    readonly dir: string,
    private readonly plugin: PluginProcess,
    private readonly client: any,
    readonly info: AnalyzerInfo,
    /** Milliseconds from spawn to the answered GetAnalyzerInfo. */
    readonly startMs: number,
    /** Kept for a fleet run and switched between stacks (started with the preload). */
    readonly shared = false,
  ) {}

  private switches = 0;

  /**
   * Starts the pack in `absDir` with run-policy-pack, as the engine does, and reads its analyzer info. `preload`
   * (a fleet's shared analyzer, evaluator/sharedAnalyzers.ts) is loaded first with an IPC channel to it.
   */
  static async start(absDir: string, options: AnalyzerStackOptions, preload?: string): Promise<PackAnalyzer> {
    const started = Date.now();
    let runPolicyPack: string;
    try {
      runPolicyPack = resolveFrom(absDir, "@pulumi/pulumi/cmd/run-policy-pack");
    } catch {
      // The engine's words (analyzer_plugin.go, errRunPolicyModuleNotFound).
      throw new AnalyzerError(
        `it looks like the policy pack's dependencies are not installed; try running npm install or yarn install in "${absDir}"`,
      );
    }
    refuseOversizedConfig(options);
    const env = analyzerEnv(options);
    let plugin: PluginProcess;
    try {
      plugin = await startPlugin(runPolicyPack, [options.engineAddress ?? "127.0.0.1:0", "."], {
        cwd: absDir,
        env,
        timeoutMs: options.startTimeoutMs ?? 120_000,
        // bin/pluginPreload.js (the fleet's preload loads it too): @pulumi/pulumi's unused arborist deferred.
        ...(preload ? { nodeArgs: ["-r", preload], ipc: true } : { nodeArgs: pluginPreloadArgs() }),
      });
    } catch (error) {
      const text = (error as Error).message;
      const tail = text.trim().split("\n").slice(-12).join("\n");
      throw new AnalyzerError(`policy pack at "${absDir}" failed to start: ${tail}`);
    }
    const client = new AnalyzerClient(plugin.address, grpc.credentials.createInsecure(), {
      "grpc.max_receive_message_length": MAX_MESSAGE,
      "grpc.max_send_message_length": MAX_MESSAGE,
    });
    try {
      await call(client, "configureStack", stackConfigureRequest(options));
      const info = readInfo(await call(client, "getAnalyzerInfo", new emptyProto.Empty()));
      return new PackAnalyzer(absDir, plugin, client, info, Date.now() - started, preload !== undefined);
    } catch (error) {
      client.close();
      await plugin.stop();
      throw error;
    }
  }

  /** Whether the process is still running (a policy may have ended it). */
  get alive(): boolean {
    return this.plugin.child.exitCode === null && this.plugin.child.signalCode === null;
  }

  /**
   * Points an analyzer started with the preload at another stack: the environment the engine would start it
   * with (set by bin/analyzerPreload.js, which resets @pulumi/pulumi's store from it), then ConfigureStack.
   */
  async useStack(options: AnalyzerStackOptions): Promise<void> {
    refuseOversizedConfig(options);
    const child = this.plugin.child;
    const id = ++this.switches;
    await new Promise<void>((resolve, reject) => {
      const onMessage = (m: { type?: string; id?: number; error?: string }) => {
        if (m?.type !== "vpconnect:stack-used" || m.id !== id) return;
        done();
        if (m.error)
          reject(new AnalyzerError(`policy pack at "${this.dir}" could not switch stacks: ${m.error}`));
        else resolve();
      };
      const onExit = () => {
        done();
        reject(new AnalyzerError(`policy pack at "${this.dir}" exited: ${this.plugin.output().trim()}`));
      };
      const done = () => {
        child.off("message", onMessage);
        child.off("exit", onExit);
      };
      child.on("message", onMessage);
      child.once("exit", onExit);
      child.send({ type: "vpconnect:use-stack", id, env: analyzerEnv(options) }, (error) => {
        if (error) {
          done();
          reject(new AnalyzerError(`policy pack at "${this.dir}": ${error.message}`));
        }
      });
    });
    await call(this.client, "configureStack", stackConfigureRequest(options));
  }

  /**
   * Configure: every policy's level and properties, as ReconcilePolicyPackConfig produced them. Nothing to send
   * leaves the pack's own defaults, except in a shared analyzer (it must drop the previous stack's config).
   */
  async configure(resolved: ReadonlyMap<string, ResolvedPolicyConfig>): Promise<void> {
    if (resolved.size === 0 && !this.shared) return;
    const request = new proto.ConfigureAnalyzerRequest();
    for (const [name, { level, config }] of resolved) {
      const policyConfig = new proto.PolicyConfig();
      policyConfig.setEnforcementlevel(LEVEL_TO_PROTO[level]);
      policyConfig.setProperties(structProto.Struct.fromJavaScript(config));
      request.getPolicyconfigMap().set(name, policyConfig);
    }
    await call(this.client, "configure", request);
  }

  analyze(resource: EngineResource, properties: Record<string, unknown>): Promise<AnalyzeResult> {
    return call(this.client, "analyze", analyzeRequestBytes(resource, properties)).then(readAnalyzeResponse);
  }

  async remediate(
    resource: EngineResource,
    properties: Record<string, unknown>,
  ): Promise<{ remediations: Remediation[]; notApplicable: Array<{ policy: string; reason: string }> }> {
    try {
      const response = await call(this.client, "remediate", analyzeRequestBytes(resource, properties));
      return {
        remediations: response.getRemediationsList().map((r: any) => ({
          policy: r.getPolicyname(),
          description: r.getDescription(),
          diagnostic: r.getDiagnostic(),
          properties: r.getProperties()?.toJavaScript(),
        })),
        notApplicable: readNotApplicable(response.getNotApplicableList()),
      };
    } catch (error) {
      // A pack too old to remediate answers Unimplemented; the engine then skips it (analyzer_plugin.go).
      if ((error as { code?: number }).code === grpc.status.UNIMPLEMENTED)
        return { remediations: [], notApplicable: [] };
      throw error;
    }
  }

  analyzeStack(resources: ReadonlyArray<{ resource: EngineResource; properties: Record<string, unknown> }>) {
    // AnalyzeStackRequest { repeated AnalyzerResource resources = 1 }: each resource's bytes, properties
    // (AnalyzerResource field 2) written by structWire.ts.
    const request = Buffer.concat(
      resources.map(({ resource, properties }) => {
        const r = new proto.AnalyzerResource();
        r.setUrn(resource.urn);
        r.setType(resource.type);
        r.setName(resource.name);
        r.setOptions(resourceOptions(resource));
        if (resource.providerResource) r.setProvider(providerResource(resource.providerResource));
        r.setParent(resource.parent);
        r.setDependenciesList(resource.dependencies);
        for (const [key, urns] of Object.entries(resource.propertyDependencies)) {
          if (urns.length === 0) continue;
          const deps = new proto.AnalyzerPropertyDependencies();
          deps.setUrnsList(urns);
          r.getPropertydependenciesMap().set(key, deps);
        }
        return messageField(
          1,
          Buffer.concat([r.serializeBinary() as Uint8Array, messageField(2, propertyBytes(properties))]),
        );
      }),
    );
    return call(this.client, "analyzeStack", request).then(readAnalyzeResponse);
  }

  /** Ends the analyzer process (the engine closes the plugin after the update). */
  async close(): Promise<void> {
    this.client.close();
    await this.plugin.stop();
  }
}

/** The engine's gRPC server the packs are handed (they may log through it), for one check. */
export function startAnalyzerEngine(): Promise<EngineServer> {
  return startEngine();
}

function call(client: any, method: string, request: unknown): Promise<any> {
  return new Promise((resolve, reject) => {
    client[method](request, (error: unknown, response: unknown) =>
      error ? reject(error) : resolve(response),
    );
  });
}

/**
 * The analyzer's gRPC client, taking a request's ready-made bytes (analyzeRequestBytes) as well as a message:
 * the generated serializers only accept message objects.
 */
const AnalyzerClient = grpc.makeGenericClientConstructor(
  Object.fromEntries(
    Object.entries(services.AnalyzerService as Record<string, any>).map(([name, method]) => [
      name,
      {
        ...method,
        requestSerialize: (arg: unknown) =>
          Buffer.isBuffer(arg) ? arg : (method.requestSerialize as (a: unknown) => Buffer)(arg),
      },
    ]),
  ) as any,
  "Analyzer",
) as any;

/** The policy's own message inside the engine's text: @pulumi/policy prefixes "description\n". */
export function policyMessage(engineMessage: string, description: string): string {
  return engineMessage.startsWith(`${description}\n`)
    ? engineMessage.slice(description.length + 1)
    : engineMessage;
}

/** The engine's text for a policy message (server.js makeReportViolationFun, string form). */
export function engineMessageOf(description: string, message: string): string {
  return message ? `${description}\n${message}` : description;
}

export type { ReportError, ReportEvaluation, ReportPolicy, ReportViolation, CapturedResource };
export { scrubString };
