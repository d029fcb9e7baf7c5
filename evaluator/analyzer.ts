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
 */
import type {
  EnforcementLevel,
  ReportError,
  ReportEvaluation,
  ReportPolicy,
  ReportViolation,
} from "../lib/reports/model";
import { startEngine, type EngineServer } from "./grpc/engine";
import { resolveFrom, startPlugin, type PluginProcess } from "./grpc/plugin";
import {
  analyzerProto as proto,
  analyzerRpc as services,
  emptyproto as emptyProto,
  grpc,
  toStruct,
} from "./grpc/proto";
import { messageField, structBytes } from "./grpc/structWire";
import type { ResolvedPolicyConfig } from "./packConfig";
import { scrubString } from "./plain";
import type { CapturedResource } from "./program";

const structProto = { Struct: { fromJavaScript: (v: Record<string, unknown>) => toStruct(v) } };

/** @pulumi/policy's gRPC receive limit (server.js maxRPCMessageSize); the engine's client allows the same. */
const MAX_MESSAGE = 1024 * 1024 * 400;

const LEVEL_TO_PROTO: Record<EnforcementLevel, number> = {
  advisory: proto.EnforcementLevel.ADVISORY,
  mandatory: proto.EnforcementLevel.MANDATORY,
  disabled: proto.EnforcementLevel.DISABLED,
  remediate: proto.EnforcementLevel.REMEDIATE,
};
const PROTO_TO_LEVEL = new Map<number, EnforcementLevel>(
  Object.entries(LEVEL_TO_PROTO).map(([k, v]) => [v, k as EnforcementLevel]),
);
const SEVERITIES = ["", "low", "medium", "high", "critical"];

/** A pack that failed to start or answer as an analyzer (the engine fails the update). */
export class AnalyzerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AnalyzerError";
  }
}

/** What GetAnalyzerInfo says about one policy. */
export interface AnalyzerPolicyInfo {
  name: string;
  description: string;
  enforcementLevel: EnforcementLevel;
  kind: "resource" | "stack";
  configSchema?: { properties?: Record<string, unknown>; required?: string[] };
  severity?: string;
  remediationSteps?: string;
  tags: string[];
}

export interface AnalyzerInfo {
  name: string;
  version: string;
  supportsConfig: boolean;
  policies: AnalyzerPolicyInfo[];
  /** The pack's initial config (PolicyPack's third argument), as `{ policy: { enforcementLevel?, ...props } }`. */
  initialConfig: Record<string, unknown>;
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
        ...(preload ? { nodeArgs: ["-r", preload], ipc: true } : {}),
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

/** The engine cannot start a pack whose stack config does not fit one environment variable. */
function refuseOversizedConfig(options: AnalyzerStackOptions): void {
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
function stackConfigureRequest(options: AnalyzerStackOptions): any {
  const request = new proto.AnalyzerStackConfigureRequest();
  request.setStack(options.stack);
  request.setProject(options.project);
  request.setDryRun(options.dryRun);
  for (const [k, v] of Object.entries(options.config)) request.getConfigMap().set(k, v);
  request.setConfigSecretKeysList(options.secretKeys);
  return request;
}

/** The engine's gRPC server the packs are handed (they may log through it), for one check. */
export function startAnalyzerEngine(): Promise<EngineServer> {
  return startEngine();
}

/** A resource as the engine describes it to an analyzer (plugin.AnalyzerResource). */
export interface EngineResource {
  urn: string;
  type: string;
  name: string;
  parent: string;
  protect: boolean;
  ignoreChanges: string[];
  deleteBeforeReplace?: boolean;
  additionalSecretOutputs: string[];
  customTimeouts: { createSeconds: number; updateSeconds: number; deleteSeconds: number };
  dependencies: string[];
  propertyDependencies: Record<string, string[]>;
  providerResource?: { urn: string; type: string; name: string; properties: Record<string, unknown> };
}

export interface Diagnostic {
  policy: string;
  pack: string;
  description: string;
  /** The text the engine prints (description, newline, message for a plain reportViolation). */
  engineMessage: string;
  level: EnforcementLevel;
  urn: string;
  severity?: string;
}

export interface AnalyzeResult {
  diagnostics: Diagnostic[];
  notApplicable: Array<{ policy: string; reason: string }>;
}

export interface Remediation {
  policy: string;
  description: string;
  diagnostic: string;
  properties?: Record<string, unknown>;
}

function call(client: any, method: string, request: unknown): Promise<any> {
  return new Promise((resolve, reject) => {
    client[method](request, (error: unknown, response: unknown) =>
      error ? reject(error) : resolve(response),
    );
  });
}

function readInfo(response: any): AnalyzerInfo {
  const initialConfig: Record<string, unknown> = {};
  response.getInitialconfigMap().forEach((v: any, k: string) => {
    const props = v.getProperties()?.toJavaScript() ?? {};
    initialConfig[k] = { enforcementLevel: PROTO_TO_LEVEL.get(v.getEnforcementlevel()), ...props };
  });
  return {
    name: response.getName(),
    version: response.getVersion(),
    supportsConfig: response.getSupportsconfig(),
    initialConfig,
    policies: response.getPoliciesList().map((p: any): AnalyzerPolicyInfo => {
      const schema = p.getConfigschema();
      const severity = SEVERITIES[p.getSeverity()] ?? "";
      return {
        name: p.getName(),
        description: p.getDescription(),
        enforcementLevel: PROTO_TO_LEVEL.get(p.getEnforcementlevel()) ?? "advisory",
        kind: p.getPolicyType() === proto.PolicyType.POLICY_TYPE_STACK ? "stack" : "resource",
        ...(schema
          ? {
              configSchema: {
                properties: schema.getProperties()?.toJavaScript() ?? {},
                required: schema.getRequiredList(),
              },
            }
          : {}),
        ...(severity ? { severity } : {}),
        ...(p.getRemediationSteps() ? { remediationSteps: p.getRemediationSteps() } : {}),
        tags: p.getTagsList(),
      };
    }),
  };
}

function readNotApplicable(list: any[]): Array<{ policy: string; reason: string }> {
  return list.map((n) => ({ policy: n.getPolicyName(), reason: n.getReason() }));
}

function readAnalyzeResponse(response: any): AnalyzeResult {
  return {
    diagnostics: response.getDiagnosticsList().map((d: any): Diagnostic => {
      const severity = SEVERITIES[d.getSeverity()] ?? "";
      return {
        policy: d.getPolicyname(),
        pack: d.getPolicypackname(),
        description: d.getDescription(),
        engineMessage: d.getMessage(),
        level: PROTO_TO_LEVEL.get(d.getEnforcementlevel()) ?? "advisory",
        urn: d.getUrn(),
        ...(severity ? { severity } : {}),
      };
    }),
    notApplicable: readNotApplicable(response.getNotApplicableList()),
  };
}

function resourceOptions(r: EngineResource): any {
  const opts = new proto.AnalyzerResourceOptions();
  opts.setProtect(r.protect);
  opts.setIgnorechangesList(r.ignoreChanges);
  opts.setDeletebeforereplace(r.deleteBeforeReplace ?? false);
  opts.setDeletebeforereplacedefined(r.deleteBeforeReplace !== undefined);
  opts.setAdditionalsecretoutputsList(r.additionalSecretOutputs);
  opts.setAliasesList([]);
  const timeouts = new proto.AnalyzerResourceOptions.CustomTimeouts();
  timeouts.setCreate(r.customTimeouts.createSeconds);
  timeouts.setUpdate(r.customTimeouts.updateSeconds);
  timeouts.setDelete(r.customTimeouts.deleteSeconds);
  opts.setCustomtimeouts(timeouts);
  opts.setParent(r.parent);
  return opts;
}

function providerResource(p: NonNullable<EngineResource["providerResource"]>): any {
  const out = new proto.AnalyzerProviderResource();
  out.setUrn(p.urn);
  out.setType(p.type);
  out.setName(p.name);
  out.setProperties(structProto.Struct.fromJavaScript(p.properties));
  return out;
}

/**
 * An AnalyzeRequest's bytes: the message without its properties (google-protobuf), then the properties as field 2
 * (AnalyzeRequest.properties) written by structWire.ts. Protobuf reads fields in any order, so the analyzer
 * decodes exactly the message google-protobuf would have built, without millions of intermediate objects for a
 * large roster.
 */
function analyzeRequestBytes(r: EngineResource, properties: Record<string, unknown>): Buffer {
  const request = new proto.AnalyzeRequest();
  request.setUrn(r.urn);
  request.setType(r.type);
  request.setName(r.name);
  request.setOptions(resourceOptions(r));
  if (r.providerResource) request.setProvider(providerResource(r.providerResource));
  return Buffer.concat([request.serializeBinary() as Uint8Array, messageField(2, propertyBytes(properties))]);
}

/** Struct bytes per property bag: every pack is sent the same bags, encoded once (bags are never mutated). */
const encoded = new WeakMap<object, Buffer>();
function propertyBytes(properties: Record<string, unknown>): Buffer {
  let bytes = encoded.get(properties);
  if (!bytes) {
    bytes = structBytes(properties);
    encoded.set(properties, bytes);
  }
  return bytes;
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
