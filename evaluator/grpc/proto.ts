/* eslint-disable @typescript-eslint/no-explicit-any -- the generated protobuf stubs ship without usable types for require() */
/**
 * The generated gRPC stubs and messages the Pulumi engine speaks, as @pulumi/pulumi ships them
 * (`@pulumi/pulumi/proto/*_pb.js`, `*_grpc_pb.js`), and the grpc-js and google-protobuf instances they use.
 * Pinned with the SDK (3.245.0 in package.json): these are the wire contracts of that engine version.
 */
export const grpc = require("@grpc/grpc-js") as typeof import("@grpc/grpc-js");

/** google.protobuf.Struct / Empty (the property bags every RPC carries). */
export const structproto = require("google-protobuf/google/protobuf/struct_pb") as {
  Struct: { fromJavaScript(value: Record<string, unknown>): any };
};
export const emptyproto = require("google-protobuf/google/protobuf/empty_pb") as { Empty: new () => any };

/** pulumirpc.ResourceProvider (provider.proto). */
export const providerRpc = require("@pulumi/pulumi/proto/provider_grpc_pb") as any;
export const providerProto = require("@pulumi/pulumi/proto/provider_pb") as any;
/** pulumirpc.Engine (engine.proto). */
export const engineRpc = require("@pulumi/pulumi/proto/engine_grpc_pb") as any;
export const engineProto = require("@pulumi/pulumi/proto/engine_pb") as any;
/** pulumirpc.ResourceMonitor (resource.proto). */
export const resourceRpc = require("@pulumi/pulumi/proto/resource_grpc_pb") as any;
export const resourceProto = require("@pulumi/pulumi/proto/resource_pb") as any;
/** pulumirpc.Analyzer (analyzer.proto). */
export const analyzerRpc = require("@pulumi/pulumi/proto/analyzer_grpc_pb") as any;
export const analyzerProto = require("@pulumi/pulumi/proto/analyzer_pb") as any;
/** PluginInfo and friends (plugin.proto). */
export const pluginProto = require("@pulumi/pulumi/proto/plugin_pb") as any;

/** JSON-like values to a Struct (undefined dropped, as JSON would). */
export function toStruct(value: Record<string, unknown> | undefined): any {
  return structproto.Struct.fromJavaScript(
    JSON.parse(JSON.stringify(value ?? {})) as Record<string, unknown>,
  );
}

/** A Struct (or nothing) back to JSON-like values. */
export function fromStruct(
  struct: { toJavaScript(): Record<string, unknown> } | undefined | null,
): Record<string, any> {
  return struct ? struct.toJavaScript() : {};
}

/** Calls a unary method of a grpc-js client and resolves with its response. */
export function unary<T = any>(
  client: any,
  method: string,
  request: unknown,
  timeoutMs = 60_000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    client[method](request, { deadline: Date.now() + timeoutMs }, (err: Error | null, res: T) =>
      err ? reject(err) : resolve(res),
    );
  });
}
