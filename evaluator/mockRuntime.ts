/**
 * The plumbing both mock harnesses share: `runProgram` here (what `vpconnect check` runs) and the component
 * tests' `installMocks` (test/support/pulumiMocks.ts). Pulumi's MockMonitor to subclass with a recording
 * monitor, installing such a monitor the way `pulumi.runtime.setMocks` does (and putting the previous one
 * back), and the wire-level helpers: secret paths, secret unwrapping, the URN the engine gives a resource.
 *
 * Uses internal SDK modules (`runtime/mocks` MockMonitor, `runtime/settings` waitForRPCs, `runtime/state`):
 * @pulumi/pulumi is pinned (3.245.0) in package.json for that reason.
 */
import * as pulumi from "@pulumi/pulumi";
import type { ReportResource } from "../lib/reports/model";
import { isSecretWrapper } from "./plain";

/** How the monitor answers a request. */
export type MonitorCallback = (err: unknown, res?: unknown) => void;

/** The protobuf request fields the recording monitors read (see @pulumi/pulumi/proto/resource_pb.d.ts). */
export interface RegisterResourceRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getProtect(): boolean;
  getRetainondelete(): boolean;
  getAdditionalsecretoutputsList(): string[];
  getDependenciesList(): string[];
  getIgnorechangesList(): string[];
  getDeletebeforereplace(): boolean;
  getDeletebeforereplacedefined(): boolean;
  getProvider(): string;
  getCustomtimeouts(): { getCreate(): string; getUpdate(): string; getDelete(): string } | undefined;
  getPropertydependenciesMap(): {
    forEach(fn: (value: { getUrnsList(): string[] }, key: string) => void): void;
  };
  getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
}

/** A component's `registerOutputs({...})` as the monitor receives it. */
export interface RegisterResourceOutputsRequest {
  getUrn(): string;
  getOutputs(): { toJavaScript(): Record<string, unknown> } | undefined;
}

/** The SDK's mock monitor class, as `@pulumi/pulumi/runtime/mocks` exports it. */
type SdkMockMonitor = new (mocks: pulumi.runtime.Mocks) => {
  registerResource(req: RegisterResourceRequest, callback: MonitorCallback): Promise<void>;
  registerResourceOutputs(req: RegisterResourceOutputsRequest, callback: MonitorCallback): void;
  newUrn(parent: string, type: string, name: string): string;
};

const SdkMockMonitor = (require("@pulumi/pulumi/runtime/mocks") as { MockMonitor: SdkMockMonitor })
  .MockMonitor;

/**
 * The SDK's mock monitor (what `setMocks` installs), to subclass, giving resources the URNs the engine gives
 * them. The SDK's own `newUrn` (runtime/mocks.js, 3.245) prefixes only the parent's last type
 * (`Parent$Child`), where the engine prefixes the parent's whole qualified type (`Grandparent$Parent$Child`):
 * a program run under it would see, and hand to children and dependencies, URNs `pulumi up` never makes.
 */
export const MockMonitor = class EngineUrnMockMonitor extends SdkMockMonitor {
  override newUrn(parent: string, type: string, name: string): string {
    return engineUrn(parent, type, name);
  }
};

const settings = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> };

const state = require("@pulumi/pulumi/runtime/state") as {
  getStore(): { settings: { monitor?: unknown; options: Record<string, unknown> } } & Record<string, unknown>;
};

/** Waits for the registrations and calls pending right now (they may start further ones). */
export function waitForRPCs(): Promise<void> {
  return settings.waitForRPCs();
}

/** Store flags `setMocks` turns on (see @pulumi/pulumi/runtime/mocks.js); setMockOptions alone leaves them off. */
export const MOCK_FEATURES: Readonly<Record<string, boolean>> = {
  supportsSecrets: true,
  supportsResourceReferences: true,
  supportsOutputValues: false,
  supportsDeletedWith: true,
  supportsReplaceWith: true,
  supportsAliasSpecs: true,
  supportsTransforms: false,
  supportsParameterization: true,
  supportsResourceHooks: true,
  supportsErrorHooks: true,
};

/**
 * What `setMocks` does, with `monitor` in place of the plain MockMonitor. Returns the function that puts back
 * the monitor, options and store flags installed before (when there was one).
 */
export function installMonitor(
  monitor: InstanceType<typeof MockMonitor>,
  project: string,
  stack: string,
  preview: boolean,
): () => void {
  const store = state.getStore();
  const previous = {
    monitor: store.settings.monitor,
    options: { ...store.settings.options },
    flags: Object.fromEntries(Object.keys(MOCK_FEATURES).map((k) => [k, store[k]])),
  };
  pulumi.runtime.setMockOptions(monitor as never, project, stack, preview);
  Object.assign(state.getStore(), MOCK_FEATURES);
  return () => {
    if (previous.monitor === undefined) return;
    pulumi.runtime.setMockOptions(
      previous.monitor as never,
      previous.options.project as string | undefined,
      previous.options.stack as string | undefined,
      previous.options.dryRun as boolean | undefined,
    );
    Object.assign(state.getStore(), previous.flags);
  };
}

/** Secret paths (`a.b[2].c`) in a serialized property struct (Pulumi's secret wire marker). */
export function findSecretPaths(value: unknown, prefix: string, out: string[]): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => findSecretPaths(v, `${prefix}[${i}]`, out));
    return;
  }
  if (value === null || typeof value !== "object") return;
  if (isSecretWrapper(value)) {
    out.push(prefix);
    return;
  }
  for (const [k, v] of Object.entries(value)) findSecretPaths(v, prefix ? `${prefix}.${k}` : k, out);
}

/** Replaces secret wrappers ({<sig>: <secret>, value}) with their values. */
export function unwrapSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (value === null || typeof value !== "object") return value;
  const obj = value as Record<string, unknown>;
  if (isSecretWrapper(obj)) return unwrapSecrets(obj.value);
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, unwrapSecrets(v)]));
}

/** The engine's root stack type: a resource parented to the stack gets no parent prefix. */
const ROOT_STACK = "pulumi:pulumi:Stack";

/** The provider URN of a provider reference (`<provider URN>::<provider id>`, as a registration names it). */
export function providerUrnOf(reference: string): string {
  return reference.split("::").slice(0, -1).join("::");
}

/** A URN's qualified type: its third `::` part (`Grandparent$Parent$Type`), as the engine's URN.QualifiedType. */
export function qualifiedTypeOf(urn: string): string {
  return urn.slice("urn:pulumi:".length).split("::")[2] ?? "";
}

/**
 * The URN the engine gives a resource: `urn:pulumi:<stack>::<project>::<qualified type>::<name>`, where the
 * qualified type is the parent's whole qualified type, `$`, then the resource's type (no prefix for no parent or
 * the root stack). Source: pulumi/pulumi v3.245.0 pkg/resource/deploy/deployment.go `generateURN` (parentType
 * = parent.QualifiedType() unless it is the root stack type) and sdk/go/common/resource/urn/urn.go `New`; the
 * Node SDK's `createUrn` (@pulumi/pulumi/resource.js) agrees. `stack`/`project` default to the running ones.
 */
export function engineUrn(
  parent: string,
  type: string,
  name: string,
  stack: string = pulumi.getStack(),
  project: string = pulumi.getProject(),
): string {
  const parentType = parent ? qualifiedTypeOf(parent) : "";
  const qualified = parentType && parentType !== ROOT_STACK ? `${parentType}$${type}` : type;
  return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}

/** The fields both harnesses record for a registration: the report's resource fields a monitor sees. */
export type RegistrationIdentity = Pick<
  ReportResource,
  | "urn"
  | "type"
  | "name"
  | "custom"
  | "parent"
  | "protect"
  | "retainOnDelete"
  | "additionalSecretOutputs"
  | "dependencies"
>;

/** What every recording monitor reads from a registration: who it is, its options, and its secret input paths. */
export function registrationOf(
  req: RegisterResourceRequest,
  /** The stack and project for the URN (default: the running program's). */
  names?: { stack: string; project: string },
): {
  /** The serialized inputs (wire form). */
  raw: Record<string, unknown>;
  /** Dotted paths of the inputs sent as secrets. */
  secretPaths: string[];
  identity: RegistrationIdentity;
} {
  const raw = req.getObject()?.toJavaScript() ?? {};
  const secretPaths: string[] = [];
  findSecretPaths(raw, "", secretPaths);
  const type = req.getType();
  const name = req.getName();
  const parent = req.getParent();
  return {
    raw,
    secretPaths,
    identity: {
      urn: names ? engineUrn(parent, type, name, names.stack, names.project) : engineUrn(parent, type, name),
      type,
      name,
      custom: req.getCustom(),
      parent,
      protect: req.getProtect(),
      retainOnDelete: req.getRetainondelete(),
      additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
      dependencies: req.getDependenciesList(),
    },
  };
}
