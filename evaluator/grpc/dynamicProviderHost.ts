/* eslint-disable @typescript-eslint/no-explicit-any -- property bags here are untyped JSON, as in pulumi.dynamic.ResourceProvider */
/**
 * Pulumi's own dynamic provider host (`@pulumi/pulumi/cmd/dynamic-provider`), started as the CLI starts the
 * `pulumi-nodejs` resource plugin and driven over gRPC as the engine drives it, so a dynamic resource's
 * serialized `__provider` (the closure the SDK wrote into its inputs) runs exactly as under `pulumi up`.
 *
 * What the engine does, and this mirrors (pulumi/pulumi v3.245.0):
 * - starts the plugin in the program folder with the engine address as its only argument, and the env
 *   PULUMI_NODEJS_PROJECT, PULUMI_PROJECT and PULUMI_RUNTIME_<OPTION> for each Pulumi.yaml runtime option
 *   (sdk/go/common/resource/plugin/provider_plugin.go `NewProvider`);
 * - configures it with the whole stack config, keys kept namespaced, secrets marked
 *   (pkg/resource/deploy/target.go `GetPackageConfig`: "For dynamic providers, we always pass the full
 *   configuration"); the host answers acceptSecrets=false, so every later call carries plaintext;
 * - Check(olds, news) then Create(checked) for a new resource; Diff then Update for a changed one; Read for
 *   refresh; Delete for destroy. The host drops `detailedDiff` (3.245 cmd/dynamic-provider/index.js).
 */
import { unwrapSecrets } from "../mockRuntime";
import { SIG } from "../plain";
import { pluginPreloadArgs, startPlugin, resolveFrom, type PluginProcess } from "./plugin";
import { fromStruct, grpc, providerProto, providerRpc, toStruct, unary } from "./proto";

/** The type token every dynamic resource has. */
export const DYNAMIC_RESOURCE_TYPE = "pulumi-nodejs:dynamic:Resource";

export interface CheckResult {
  inputs: Record<string, any>;
  failures: Array<{ property: string; reason: string }>;
}

export interface DiffResult {
  /** true: changes; false: none; undefined: the provider did not say. */
  changes: boolean | undefined;
  replaces: string[];
  deleteBeforeReplace: boolean;
}

/** A resource the host operates on: its URN (for the request) and, for the engine's Name/Type fields, its name. */
export interface HostResource {
  urn: string;
  name: string;
}

export interface DynamicProviderHost {
  readonly address: string;
  /** The host's stdout/stderr so far (the providers' console output, the host's own errors). */
  output(): string;
  /** Configure with the stack config (`ns:key` -> value as the engine holds it); secretKeys are marked secret. */
  configure(
    config: Readonly<Record<string, string>>,
    secretKeys?: readonly string[],
  ): Promise<{ acceptSecrets: boolean }>;
  check(r: HostResource, olds: Record<string, any>, news: Record<string, any>): Promise<CheckResult>;
  diff(
    r: HostResource,
    id: string,
    olds: Record<string, any>,
    news: Record<string, any>,
  ): Promise<DiffResult>;
  create(
    r: HostResource,
    properties: Record<string, any>,
  ): Promise<{ id: string; properties: Record<string, any> }>;
  read(
    r: HostResource,
    id: string,
    properties: Record<string, any>,
    inputs?: Record<string, any>,
  ): Promise<{ id: string; properties: Record<string, any>; inputs: Record<string, any> | undefined }>;
  update(
    r: HostResource,
    id: string,
    olds: Record<string, any>,
    news: Record<string, any>,
  ): Promise<{ properties: Record<string, any> }>;
  delete(r: HostResource, id: string, properties: Record<string, any>): Promise<void>;
  stop(): Promise<void>;
}

export interface StartDynamicProviderHostOptions {
  /** The program folder (where Pulumi.yaml is): the CLI runs the plugin there. */
  programDir: string;
  /** The engine's gRPC address (engine.ts). */
  engineAddress: string;
  /** The Pulumi project name. */
  project: string;
  /** Pulumi.yaml `runtime.options` (passed as PULUMI_RUNTIME_<KEY>). */
  runtimeOptions?: Readonly<Record<string, unknown>>;
  /** Extra environment for the host (e.g. the providers' retry settings). */
  env?: Record<string, string | undefined>;
}

/** A gRPC error's text as the provider raised it (grpc-js prefixes "2 UNKNOWN: "). */
export class ProviderCallError extends Error {
  constructor(
    readonly method: string,
    message: string,
  ) {
    super(message);
    this.name = "ProviderCallError";
  }
}

/** Starts `cmd/dynamic-provider` resolved from the program folder, and returns a client for it. */
export async function startDynamicProviderHost(
  options: StartDynamicProviderHostOptions,
): Promise<DynamicProviderHost> {
  const entry = resolveFrom(options.programDir, "@pulumi/pulumi/cmd/dynamic-provider");
  const runtimeEnv = Object.fromEntries(
    Object.entries(options.runtimeOptions ?? {}).map(([k, v]) => [
      `PULUMI_RUNTIME_${k.toUpperCase()}`,
      String(v),
    ]),
  );
  const plugin: PluginProcess = await startPlugin(entry, [options.engineAddress], {
    cwd: options.programDir,
    nodeArgs: pluginPreloadArgs(),
    env: {
      ...runtimeEnv,
      PULUMI_NODEJS_PROJECT: options.project,
      PULUMI_PROJECT: options.project,
      ...options.env,
    },
  });
  const client = new providerRpc.ResourceProviderClient(plugin.address, grpc.credentials.createInsecure());
  const call = async <T = any>(method: string, req: unknown): Promise<T> => {
    try {
      return await unary<T>(client, method, req);
    } catch (error) {
      const e = error as { details?: string; message?: string };
      throw new ProviderCallError(method, e.details ?? e.message ?? String(error));
    }
  };
  /** With acceptSecrets=false the engine strips secrets before every call. */
  const plain = (v: Record<string, any>) => unwrapSecrets(v) as Record<string, any>;
  const named = (req: any, r: HostResource) => {
    req.setUrn(r.urn);
    req.setName(r.name);
    req.setType(DYNAMIC_RESOURCE_TYPE);
    return req;
  };

  return {
    address: plugin.address,
    output: () => plugin.output(),
    async configure(config, secretKeys = []) {
      const secret = new Set(secretKeys);
      const args: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(config))
        args[k] = secret.has(k) ? { [SIG.key]: SIG.secret, value: v } : v;
      const req = new providerProto.ConfigureRequest();
      req.setArgs(toStruct(args));
      req.setAcceptsecrets(true);
      req.setAcceptresources(true);
      const res = await call("configure", req);
      return { acceptSecrets: res.getAcceptsecrets() as boolean };
    },
    async check(r, olds, news) {
      const req = named(new providerProto.CheckRequest(), r);
      req.setOlds(toStruct(plain(olds)));
      req.setNews(toStruct(plain(news)));
      const res = await call("check", req);
      return {
        inputs: fromStruct(res.getInputs()),
        failures: (res.getFailuresList() as any[]).map((f) => ({
          property: f.getProperty(),
          reason: f.getReason(),
        })),
      };
    },
    async diff(r, id, olds, news) {
      const req = named(new providerProto.DiffRequest(), r);
      req.setId(id);
      req.setOlds(toStruct(plain(olds)));
      req.setNews(toStruct(plain(news)));
      const res = await call("diff", req);
      const kind = res.getChanges() as number;
      const { DIFF_SOME, DIFF_NONE } = providerProto.DiffResponse.DiffChanges;
      return {
        changes: kind === DIFF_SOME ? true : kind === DIFF_NONE ? false : undefined,
        replaces: res.getReplacesList() as string[],
        deleteBeforeReplace: res.getDeletebeforereplace() as boolean,
      };
    },
    async create(r, properties) {
      const req = named(new providerProto.CreateRequest(), r);
      req.setProperties(toStruct(plain(properties)));
      req.setPreview(false);
      const res = await call("create", req);
      return { id: res.getId() as string, properties: fromStruct(res.getProperties()) };
    },
    async read(r, id, properties, inputs) {
      const req = named(new providerProto.ReadRequest(), r);
      req.setId(id);
      req.setProperties(toStruct(plain(properties)));
      if (inputs) req.setInputs(toStruct(plain(inputs)));
      const res = await call("read", req);
      return {
        id: res.getId() as string,
        properties: fromStruct(res.getProperties()),
        inputs: res.hasInputs() ? fromStruct(res.getInputs()) : undefined,
      };
    },
    async update(r, id, olds, news) {
      const req = named(new providerProto.UpdateRequest(), r);
      req.setId(id);
      req.setOlds(toStruct(plain(olds)));
      req.setNews(toStruct(plain(news)));
      req.setPreview(false);
      const res = await call("update", req);
      return { properties: fromStruct(res.getProperties()) };
    },
    async delete(r, id, properties) {
      const req = named(new providerProto.DeleteRequest(), r);
      req.setId(id);
      req.setProperties(toStruct(plain(properties)));
      await call("delete", req);
    },
    async stop() {
      client.close();
      await plugin.stop();
    },
  };
}
