/**
 * Test harness for components under `pulumi.runtime.setMocks`: records every registered resource with the
 * options a plain mock never sees (parent, protect, retainOnDelete, additionalSecretOutputs, dependencies) and
 * which inputs were secrets, answers provider function calls, and waits for registrations to settle.
 *
 * setMocks is process-global: call `installMocks()` in a `before`/`beforeEach` hook and `harness.restore()` in
 * the matching `after` hook, so other test files in the same mocha process keep their own mocks.
 * The monitor plumbing (internal SDK modules, pinned SDK version) is shared with `vpconnect check`'s
 * evaluator: evaluator/mockRuntime.ts.
 */
import * as pulumi from "@pulumi/pulumi";
import {
  installMonitor,
  MockMonitor,
  registrationOf,
  unwrapSecrets,
  waitForRPCs,
  type MonitorCallback,
  type RegistrationIdentity,
  type RegisterResourceRequest,
} from "../../evaluator/mockRuntime";

/**
 * A recorded value, read like JSON: tests index into resource inputs freely and assert on what they find.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface RecordedResource extends RegistrationIdentity {
  /** Inputs as the mock's newResource saw them (secrets unwrapped). */
  inputs: Record<string, Json>;
  /** Dotted paths of inputs that were sent as secrets (e.g. "properties.value"). */
  secretPaths: string[];
  /** The aliases as sent: a spec's name (the parent is the resource's own unless noParent) or an alias URN. */
  aliases: Array<{ name?: string; type?: string; noParent?: boolean; urn?: string }>;
}

/** The alias fields of a registration (@pulumi/pulumi/proto/alias_pb.d.ts); the SDK sends specs to the mock monitor. */
interface WithAliases {
  getAliasesList(): Array<{
    getUrn(): string;
    getSpec(): { getName(): string; getType(): string; getNoparent(): boolean } | undefined;
  }>;
}

export interface RecordedCall {
  token: string;
  inputs: Record<string, Json>;
}

export interface HarnessOptions {
  /** Answers provider function calls; return undefined to fall back to the defaults. */
  call?: (args: pulumi.runtime.MockCallArgs) => Record<string, Json> | undefined;
  /** Outputs added to a resource's state (inputs are echoed back); return undefined for none. */
  outputs?: (args: pulumi.runtime.MockResourceArgs) => Record<string, Json> | undefined;
  project?: string;
  stack?: string;
  preview?: boolean;
}

export const MOCK_SUBSCRIPTION_ID = "00000000-0000-0000-0000-000000000001";
export const MOCK_TENANT_ID = "00000000-0000-0000-0000-0000000000aa";

/** Canned answers for the provider functions the components call. */
function defaultCall(args: pulumi.runtime.MockCallArgs): Record<string, Json> {
  switch (args.token) {
    case "azure-native:authorization:getClientConfig":
      return {
        subscriptionId: MOCK_SUBSCRIPTION_ID,
        tenantId: MOCK_TENANT_ID,
        clientId: "mock-client",
        objectId: "mock-object",
      };
    case "azuread:index/getClientConfig:getClientConfig":
      return { tenantId: MOCK_TENANT_ID, clientId: "mock-client", objectId: "mock-object" };
    case "azuread:index/getServicePrincipal:getServicePrincipal":
      return {
        clientId: args.inputs.clientId,
        objectId: `sp-object-${args.inputs.clientId}`,
        id: `/servicePrincipals/sp-object-${args.inputs.clientId}`,
        appRoleIds: {},
        oauth2PermissionScopeIds: {},
      };
    case "azure-native:keyvault:getVault":
      return {
        id: `/subscriptions/${MOCK_SUBSCRIPTION_ID}/resourceGroups/${args.inputs.resourceGroupName}/providers/Microsoft.KeyVault/vaults/${args.inputs.vaultName}`,
        name: args.inputs.vaultName,
        properties: { vaultUri: `https://${args.inputs.vaultName}.vault.azure.net/` },
      };
    default:
      return {};
  }
}

/** Outputs a provider computes that the components read (inputs are echoed back besides). */
function defaultOutputs(args: pulumi.runtime.MockResourceArgs): Record<string, Json> {
  if (args.type === "random:index/randomString:RandomString") return { result: MOCK_RANDOM_SUFFIX };
  return {};
}

/** What a mocked @pulumi/random RandomString draws. */
export const MOCK_RANDOM_SUFFIX = "q4w8e2";

/** A realistic id for a mocked resource (Azure ids for azure-native, object paths for azuread). */
function mockId(args: pulumi.runtime.MockResourceArgs): string {
  if (args.type.startsWith("azuread:")) return `/mock/${args.name}`;
  return `${args.name}_id`;
}

export interface Harness {
  /** Every resource registered since install/reset, in registration order. */
  readonly resources: RecordedResource[];
  /** Every provider function call since install/reset. */
  readonly calls: RecordedCall[];
  /** Waits until every pending registration and call has finished. */
  settle(): Promise<void>;
  /** Resources of one type token. */
  ofType(token: string): RecordedResource[];
  /** The one resource of a type token (fails the test when there is not exactly one). */
  one(token: string): RecordedResource;
  /** The resource with this URN. */
  byUrn(urn: string): RecordedResource | undefined;
  /** Forgets what was recorded (mocks stay installed). */
  reset(): void;
  /** Puts back the monitor that was installed before (if any). */
  restore(): void;
}

/** Installs mocks plus the recording monitor. Await it in a before/beforeEach hook. */
export async function installMocks(options: HarnessOptions = {}): Promise<Harness> {
  const resources: RecordedResource[] = [];
  const calls: RecordedCall[] = [];

  const mocks: pulumi.runtime.Mocks = {
    newResource(args) {
      const extra = options.outputs?.(args) ?? defaultOutputs(args);
      return {
        id: args.custom ? (extra.id ?? mockId(args)) : undefined,
        state: { ...args.inputs, ...extra },
      };
    },
    call(args) {
      calls.push({ token: args.token, inputs: args.inputs });
      return options.call?.(args) ?? defaultCall(args);
    },
  };

  class RecordingMonitor extends MockMonitor {
    override async registerResource(req: RegisterResourceRequest, callback: MonitorCallback) {
      const { secretPaths, identity } = registrationOf(req);
      const record: RecordedResource = {
        ...identity,
        inputs: {},
        secretPaths,
        aliases: (req as unknown as WithAliases).getAliasesList().map((a) => {
          const spec = a.getSpec();
          if (!spec) return { urn: a.getUrn() };
          return {
            ...(spec.getName() ? { name: spec.getName() } : {}),
            ...(spec.getType() ? { type: spec.getType() } : {}),
            ...(spec.getNoparent() ? { noParent: true } : {}),
          };
        }),
      };
      resources.push(record);
      return super.registerResource(req, (err: unknown, res?: unknown) => {
        callback(err, res);
      });
    }
  }

  // What setMocks does, with the recording monitor in place of the plain one.
  const restoreMonitor = installMonitor(
    new RecordingMonitor(wrapInputs(mocks, resources)),
    options.project ?? "vantagepoint-connect",
    options.stack ?? "test",
    options.preview ?? false,
  );

  const harness: Harness = {
    resources,
    calls,
    async settle() {
      // Registrations chain further registrations (outputs feed inputs): wait until the queue stays empty.
      for (let i = 0; i < 50; i++) {
        const before = resources.length + calls.length;
        await waitForRPCs();
        await new Promise((r) => setImmediate(r));
        if (resources.length + calls.length === before) return;
      }
    },
    ofType: (token) => resources.filter((r) => r.type === token),
    one(token) {
      const found = resources.filter((r) => r.type === token);
      if (found.length !== 1) {
        throw new Error(
          `expected exactly one ${token}, found ${found.length}: ${found.map((r) => r.name).join(", ")}`,
        );
      }
      return found[0]!;
    },
    byUrn: (urn) => resources.find((r) => r.urn === urn),
    reset() {
      resources.length = 0;
      calls.length = 0;
    },
    restore: restoreMonitor,
  };
  return harness;
}

/** Copies the deserialized inputs into the matching record when the mock sees them. */
function wrapInputs(mocks: pulumi.runtime.Mocks, resources: RecordedResource[]): pulumi.runtime.Mocks {
  return {
    call: (args) => mocks.call(args),
    newResource(args) {
      const inputs = unwrapSecrets(args.inputs) as Record<string, Json>;
      for (let i = resources.length - 1; i >= 0; i--) {
        const r = resources[i]!;
        if (r.type === args.type && r.name === args.name) {
          r.inputs = inputs;
          break;
        }
      }
      return mocks.newResource({ ...args, inputs });
    },
  };
}

/** Resolves an Output's value in tests (undefined when unknown). */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((v) => resolve(v)));
}

/** Whether an Output is marked secret. */
export function isSecretOutput<T>(output: pulumi.Output<T>): Promise<boolean> {
  return pulumi.isSecret(output);
}

/** A component's direct children among the recorded resources. */
export function childrenOf(harness: Harness, parent: RecordedResource): RecordedResource[] {
  return harness.resources.filter((r) => r.parent === parent.urn);
}

/** Captures `pulumi.log.warn` messages until `stop()` (restores the original). */
export function captureWarnings(): { messages: string[]; stop(): void } {
  const log = pulumi.log as { warn: (msg: string, resource?: pulumi.Resource) => Promise<void> };
  const original = log.warn;
  const messages: string[] = [];
  log.warn = (msg: string) => {
    messages.push(msg);
    return Promise.resolve();
  };
  return {
    messages,
    stop() {
      log.warn = original;
    },
  };
}

/** `count` distinct public IPv4 /32s from 20.0.0.0/8, two apart so no two merge into a wider prefix. */
export function spacedPublicAddresses(count: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const n = i * 2;
    out.push(`20.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}/32`);
  }
  return out;
}

/** Asserts every recorded resource other than `component` is a (direct or nested) child of it. */
export function nonChildren(harness: Harness, component: RecordedResource): RecordedResource[] {
  const isUnder = (r: RecordedResource): boolean => {
    let parent = r.parent;
    for (let depth = 0; parent && depth < 20; depth++) {
      if (parent === component.urn) return true;
      parent = harness.byUrn(parent)?.parent ?? "";
    }
    return false;
  };
  return harness.resources.filter((r) => r !== component && !isUnder(r));
}
