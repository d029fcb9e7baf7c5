/* eslint-disable @typescript-eslint/no-explicit-any -- grpc-js handlers receive the generated (untyped) protobuf messages */
/**
 * The engine's side of the wire, for Pulumi's own processes to talk to when no Pulumi CLI runs: a gRPC server
 * with the Engine service (Log, GetRootResource, SetRootResource, StartDebugging, RequirePulumiVersion; see
 * pulumi/pulumi v3.245.0 proto/pulumi/engine.proto) and, optionally, a ResourceMonitor (monitor.ts) on the same
 * address. Plugins get this address as the CLI gives them its own (`cmd/dynamic-provider <engine>`,
 * `cmd/run-policy-pack <engine> <dir>`, `cmd/run --monitor A --engine A`).
 */
import { emptyproto, engineProto, engineRpc, grpc, resourceRpc } from "./proto";

/** One Engine.Log call (what `pulumi.log.*` and uncaught program errors send). */
export interface EngineLog {
  severity: "debug" | "info" | "warning" | "error";
  message: string;
  urn: string;
}

export interface EngineServer {
  /** `127.0.0.1:<port>`. */
  readonly address: string;
  /** Every Log call so far, in order. */
  readonly logs: EngineLog[];
  /** The URN SetRootResource set (the program's root stack), or "". */
  rootResource(): string;
  stop(): Promise<void>;
}

const SEVERITY = ["debug", "info", "warning", "error"] as const;

export interface StartEngineOptions {
  /** A ResourceMonitor implementation (grpc-js handlers by method name) served on the same address. */
  monitor?: Record<string, (call: any, callback: any) => void>;
}

/** Starts the engine server on 127.0.0.1 (a free port). */
export async function startEngine(options: StartEngineOptions = {}): Promise<EngineServer> {
  const logs: EngineLog[] = [];
  let root = "";
  const server = new grpc.Server();
  server.addService(engineRpc.EngineService, {
    log(call: any, callback: any) {
      const req = call.request;
      logs.push({
        severity: SEVERITY[req.getSeverity() as number] ?? "info",
        message: req.getMessage(),
        urn: req.getUrn(),
      });
      callback(null, new emptyproto.Empty());
    },
    getRootResource(_call: any, callback: any) {
      const res = new engineProto.GetRootResourceResponse();
      res.setUrn(root);
      callback(null, res);
    },
    setRootResource(call: any, callback: any) {
      root = call.request.getUrn();
      callback(null, new engineProto.SetRootResourceResponse());
    },
    startDebugging(_call: any, callback: any) {
      callback(null, new emptyproto.Empty());
    },
    requirePulumiVersion(_call: any, callback: any) {
      callback(null, new engineProto.RequirePulumiVersionResponse());
    },
  });
  if (options.monitor) server.addService(resourceRpc.ResourceMonitorService, options.monitor);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(err) : resolve(p),
    ),
  );
  return {
    address: `127.0.0.1:${port}`,
    logs,
    rootResource: () => root,
    stop: () =>
      new Promise<void>((resolve) => {
        server.tryShutdown(() => resolve());
        setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, 2_000).unref();
      }),
  };
}
