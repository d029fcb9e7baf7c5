/* eslint-disable @typescript-eslint/no-explicit-any -- resource inputs, outputs and schemas here are untyped JSON (as in pulumi.dynamic.ResourceProvider) */
/**
 * Runs a Pulumi program in-process under `pulumi.runtime.setMocks`-style mocks and captures every resource it
 * registers, with the options a plain mock never sees (parent, protect, retainOnDelete, additionalSecretOutputs,
 * dependencies, provider) and which inputs were secret. Dynamic resources can be executed for real through a
 * pluggable `dynamicExecutor`, so policies see the state a real `create` would produce.
 *
 * The monitor plumbing (internal SDK modules, pinned SDK version) is shared with the tests' harness: mockRuntime.ts.
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { SECRET_MARKER } from "../lib/reports/model";
import {
  engineUrn,
  findSecretPaths,
  installMonitor,
  MockMonitor,
  registrationOf,
  waitForRPCs,
  type MonitorCallback,
  type RegistrationIdentity,
  type RegisterResourceOutputsRequest,
  type RegisterResourceRequest,
} from "./mockRuntime";
import {
  copyData,
  maskPaths,
  scrubSecrets,
  SIG,
  toPlain,
  UNKNOWN,
  wireToEngine,
  wireToPlain,
  wrapSecretPaths,
} from "./plain";
import { withPlainPromiseStacks } from "./promiseStacks";

export { engineUrn };

/** The dynamic resource type token every `pulumi.dynamic.Resource` registers with. */
export const DYNAMIC_TYPE = "pulumi-nodejs:dynamic:Resource";

/** The engine's root resource type; the evaluator adds one so top-level resources have the engine's parent. */
export const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";

/** A resource as captured, before the evaluator hands it to policies. */
export interface CapturedResource extends RegistrationIdentity {
  propertyDependencies: Record<string, string[]>;
  ignoreChanges: string[];
  deleteBeforeReplace?: boolean;
  customTimeouts: { createSeconds: number; updateSeconds: number; deleteSeconds: number };
  provider: string;
  /** Inputs as plain JSON, secret values replaced by SECRET_MARKER. */
  inputs: Record<string, unknown>;
  /** Outputs (inputs plus mock or dynamic outs), secret values replaced by SECRET_MARKER. */
  outputs: Record<string, unknown>;
  secretPaths: string[];
}

/** Runs a dynamic resource's provider for real (e.g. against the emulator); returns its outs. */
export type DynamicExecutor = (
  type: string,
  name: string,
  /** Plaintext inputs (secrets unwrapped), without the serialized `__provider`. */
  inputs: Record<string, unknown>,
  /**
   * The resource's engine URN, the provider closure the SDK serialized (what the engine's provider host loads),
   * and the stack config the run had (the engine configures the dynamic provider host with all of it).
   */
  resource?: {
    urn: string;
    serializedProvider: string;
    stackConfig: { config: Readonly<Record<string, string>>; secretKeys: readonly string[] };
  },
) => Promise<Record<string, unknown>>;

/** Answers a provider function call (invoke) under mocks. */
export type InvokeHandler = (inputs: Record<string, any>) => Record<string, any>;

export const MOCK_SUBSCRIPTION_ID = "00000000-0000-0000-0000-000000000001";
export const MOCK_TENANT_ID = "00000000-0000-0000-0000-0000000000aa";

/** Canned answers for provider functions the components call. Extend per run with `invokes`. */
export const DEFAULT_INVOKES: Record<string, InvokeHandler> = {
  "azure-native:authorization:getClientConfig": () => ({
    subscriptionId: MOCK_SUBSCRIPTION_ID,
    tenantId: MOCK_TENANT_ID,
    clientId: "offline-client",
    objectId: "offline-object",
  }),
  "azuread:index/getClientConfig:getClientConfig": () => ({
    tenantId: MOCK_TENANT_ID,
    clientId: "offline-client",
    objectId: "offline-object",
  }),
  "azuread:index/getServicePrincipal:getServicePrincipal": (inputs) => ({
    clientId: inputs.clientId,
    objectId: `sp-object-${inputs.clientId}`,
    id: `/servicePrincipals/sp-object-${inputs.clientId}`,
    appRoleIds: {},
    oauth2PermissionScopeIds: {},
    appRoles: [],
    oauth2PermissionScopes: [],
  }),
  "azure-native:keyvault:getVault": (inputs) => ({
    id: `/subscriptions/${MOCK_SUBSCRIPTION_ID}/resourceGroups/${inputs.resourceGroupName}/providers/Microsoft.KeyVault/vaults/${inputs.vaultName}`,
    name: inputs.vaultName,
    properties: { vaultUri: `https://${inputs.vaultName}.vault.azure.net/` },
  }),
  "azure-native:resources:getResourceGroup": (inputs) => ({
    id: `/subscriptions/${MOCK_SUBSCRIPTION_ID}/resourceGroups/${inputs.resourceGroupName}`,
    name: inputs.resourceGroupName,
    location: "westeurope",
  }),
};

/** Computed outputs a mock adds per type token (beyond the echoed inputs and `id`); `secret` lists secret outputs. */
export const COMPUTED_OUTPUTS: Record<
  string,
  (
    name: string,
    inputs: Record<string, any>,
    seq: number,
  ) => { outputs: Record<string, unknown>; secret?: string[] }
> = {
  "azure-native:network:PublicIPAddress": (_name, _inputs, seq) => ({
    outputs: { ipAddress: `20.50.${(seq >> 8) & 255}.${seq & 255}` },
  }),
  "azure-native:keyvault:Vault": (name, inputs) => ({
    outputs: {
      properties: {
        ...(inputs.properties ?? {}),
        vaultUri: `https://${inputs.vaultName ?? name}.vault.azure.net/`,
      },
    },
  }),
  "azuread:index/application:Application": (name) => ({
    outputs: { clientId: `${name}-client-id`, objectId: `${name}-object-id` },
  }),
  "azuread:index/servicePrincipal:ServicePrincipal": (name) => ({
    outputs: { objectId: `${name}-object-id` },
  }),
  "azure-native:managedidentity:UserAssignedIdentity": (name) => ({
    outputs: { principalId: `${name}-principal-id`, clientId: `${name}-client-id`, tenantId: MOCK_TENANT_ID },
  }),
  // A stand-in for the drawn value (lowercase letters and digits, as lib/keyVault VAULT_NAME_SUFFIX asks).
  "random:index/randomString:RandomString": (_name, inputs) => ({
    outputs: {
      result: "x7k2m9".padEnd(Number(inputs.length ?? 6), "0").slice(0, Number(inputs.length ?? 6)),
    },
  }),
  "azuread:index/applicationPassword:ApplicationPassword": (name) => ({
    outputs: { value: `${name}-offline-password`, keyId: `${name}-key-id` },
    secret: ["value"],
  }),
};

/** Azure resource id paths by type token: provider namespace/collection and the input naming the resource. */
const AZURE_IDS: Record<
  string,
  { path: (name: string, i: Record<string, any>) => string; rgScoped?: false }
> = {
  "azure-native:resources:ResourceGroup": {
    path: (n, i) => `/subscriptions/${MOCK_SUBSCRIPTION_ID}/resourceGroups/${i.resourceGroupName ?? n}`,
    rgScoped: false,
  },
  "azure-native:keyvault:Vault": { path: (n, i) => `Microsoft.KeyVault/vaults/${i.vaultName ?? n}` },
  "azure-native:keyvault:Secret": {
    path: (n, i) => `Microsoft.KeyVault/vaults/${i.vaultName}/secrets/${i.secretName ?? n}`,
  },
  "azure-native:network:PublicIPAddress": {
    path: (n, i) => `Microsoft.Network/publicIPAddresses/${i.publicIpAddressName ?? n}`,
  },
  "azure-native:network:NetworkSecurityGroup": {
    path: (n, i) => `Microsoft.Network/networkSecurityGroups/${i.networkSecurityGroupName ?? n}`,
  },
  "azure-native:network:VirtualNetwork": {
    path: (n, i) => `Microsoft.Network/virtualNetworks/${i.virtualNetworkName ?? n}`,
  },
  "azure-native:network:Subnet": {
    path: (n, i) => `Microsoft.Network/virtualNetworks/${i.virtualNetworkName}/subnets/${i.subnetName ?? n}`,
  },
  "azure-native:network:ApplicationGateway": {
    path: (n, i) => `Microsoft.Network/applicationGateways/${i.applicationGatewayName ?? n}`,
  },
  "azure-native:network:WebApplicationFirewallPolicy": {
    path: (n, i) => `Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies/${i.policyName ?? n}`,
  },
  "azure-native:managedidentity:UserAssignedIdentity": {
    path: (n, i) => `Microsoft.ManagedIdentity/userAssignedIdentities/${i.resourceName ?? n}`,
  },
  "azure-native:authorization:RoleAssignment": {
    path: (n, i) =>
      `${i.scope ?? `/subscriptions/${MOCK_SUBSCRIPTION_ID}`}/providers/Microsoft.Authorization/roleAssignments/${i.roleAssignmentName ?? n}`,
    rgScoped: false,
  },
};

/**
 * Why a dynamic resource whose serialized provider holds a secret fails the check: the SDK writes the provider's
 * closure into the `__provider` input, which the state stores in plaintext, and the engine's provider host loads it
 * from there (see test/runtime/dynamicProviderHost.test.ts).
 */
export const SERIALIZED_SECRET_MESSAGE =
  "its serialized provider (the __provider input) holds a secret value in plaintext, so pulumi up would store " +
  "that secret unencrypted in the state. Pass secrets to the provider as resource inputs (pulumi.secret) and read " +
  "them inside its methods; never capture config or variables holding secrets in the provider's code.";

/** Whether a serialized provider (the `__provider` text) contains any of the known secret values. */
export function secretInSerializedProvider(serialized: unknown, secrets: readonly string[]): boolean {
  return typeof serialized === "string" && secrets.some((s) => s.length >= 4 && serialized.includes(s));
}

/**
 * Outputs a created resource has because of its id: an azure-native resource's `name` output is the Azure
 * resource's name, the id's last segment (every azure-native class declares `readonly name: Output<string>`, e.g.
 * @pulumi/azure-native/resources/resourceGroup.d.ts "The name of the resource group."). Without it a mock
 * resolves `group.name` to undefined where `pulumi up` has the name (found by test/runtime/runner.test.ts:
 * the real runner's registrations lost their dependency on the resource group under check's mocks).
 */
export function idOutputs(
  type: string,
  id: string,
  outputs: Record<string, unknown>,
): Record<string, unknown> {
  if (!type.startsWith("azure-native:") || outputs.name !== undefined || !id.startsWith("/")) return {};
  return { name: id.split("/").pop() };
}

/**
 * The id a mocked resource gets: an Azure resource id for azure-native (components parse them, e.g. a vault id),
 * `<name>-id` for everything else.
 */
export function mockId(type: string, name: string, inputs: Record<string, any>): string {
  const known = AZURE_IDS[type];
  const rg = `/subscriptions/${MOCK_SUBSCRIPTION_ID}/resourceGroups/${inputs.resourceGroupName ?? "rg"}/providers/`;
  if (known) return known.rgScoped === false ? known.path(name, inputs) : rg + known.path(name, inputs);
  const [pkg, module, kind] = type.split(":");
  if (pkg === "azure-native" && module && kind) {
    const own = Object.entries(inputs).find(
      ([k, v]) => /Name$/.test(k) && k !== "resourceGroupName" && typeof v === "string",
    );
    const namespace = `Microsoft.${module.charAt(0).toUpperCase()}${module.slice(1)}`;
    return `${rg}${namespace}/${kind.charAt(0).toLowerCase()}${kind.slice(1)}s/${own?.[1] ?? name}`;
  }
  return `${name}-id`;
}

export interface RunProgramOptions {
  /** The program's entry file (index.ts). */
  program: string;
  /** The project folder: its own modules are re-required fresh on every run. */
  projectDir: string;
  project: string;
  stack: string;
  /** Engine-style config: `ns:key` to string (objects as JSON). */
  config: Record<string, string>;
  /** Config keys to mark secret. */
  secretKeys: string[];
  /** Plaintext secret values known to this run (overrides): scrubbed from everything captured. */
  knownSecrets?: string[];
  /** Execute dynamic resources for real; otherwise their inputs are echoed as outputs. */
  dynamicExecutor?: DynamicExecutor;
  /** Extra or replacement invoke answers by token. */
  invokes?: Record<string, InvokeHandler>;
  /** Run as a preview (pulumi.runtime.isDryRun() true). Default false, so outputs resolve. */
  preview?: boolean;
  /**
   * Folders (absolute) whose modules stay loaded from an earlier run: a fleet run keeps this package's library
   * (lib/, components/), which installed from npm lives in node_modules and is never reloaded either. The program
   * and every other project module still load afresh.
   */
  keepLoaded?: readonly string[];
}

export interface RunProgramResult {
  resources: CapturedResource[];
  /** Stack outputs (the program's exports), secrets masked. */
  outputs: Record<string, unknown>;
  /** Provider function calls made (token and plain inputs). */
  invokes: Array<{ token: string; inputs: Record<string, unknown> }>;
  /** What the program threw, if it failed. */
  error?: unknown;
  /** Every secret plaintext seen (to scrub from policy messages). Never print. */
  secrets: Set<string>;
  /** By URN: inputs and outputs as the engine hands them to policies (secrets unwrapped). Never print. */
  policyView: Map<string, PlainView>;
}

/** A resource's properties with secrets in plaintext, as policies see them under the engine. */
export interface PlainView {
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
  /**
   * The same properties as the engine sends them to an analyzer (plugin.MarshalProperties with KeepUnknowns,
   * KeepSecrets, SkipInternalKeys): unknowns and secret wrappers kept, top-level `__` keys dropped. Analyze
   * gets `inputs`, AnalyzeStack `outputs`.
   */
  engine?: { inputs: Record<string, unknown>; outputs: Record<string, unknown> };
}

/** Folders of the project that are infrastructure of the checker, not of the program (kept in require.cache). */
const KEEP_CACHED = ["node_modules", "evaluator", "cli", "bench", "lib/reports"];

/**
 * Removes the program and the project's own modules (but those under `keepLoaded` folders) from require.cache so
 * the program runs fresh.
 */
export function clearProjectModules(
  projectDir: string,
  program: string,
  keepLoaded: readonly string[] = [],
): void {
  const root = path.resolve(projectDir) + path.sep;
  const keep = [
    ...KEEP_CACHED.map((d) => path.join(root, d) + path.sep),
    ...keepLoaded.map((d) => path.resolve(d) + path.sep),
  ];
  const programPath = path.resolve(program);
  for (const key of Object.keys(require.cache)) {
    if (key === programPath) {
      delete require.cache[key];
      continue;
    }
    if (!key.startsWith(root) || key.includes(`${path.sep}node_modules${path.sep}`)) continue;
    if (keep.some((k) => key.startsWith(k))) continue;
    if (
      key.startsWith(path.join(root, "test") + path.sep) &&
      !key.startsWith(path.join(root, "test", "fixtures") + path.sep)
    )
      continue;
    delete require.cache[key];
  }
}

/**
 * Runs `options.program` under mocks and returns what it registered. Never throws for a program failure:
 * the error is returned in `error` (a ConfigError thrown at the top of the program means zero resources).
 * Not reentrant: the Pulumi runtime state is process-global, so runs are serialized by a lock.
 */
export async function runProgram(options: RunProgramOptions): Promise<RunProgramResult> {
  const release = await acquire();
  try {
    return await withPlainPromiseStacks(() => runProgramUnlocked(options));
  } finally {
    release();
  }
}

let lock: Promise<void> = Promise.resolve();
function acquire(): Promise<() => void> {
  let release!: () => void;
  const next = new Promise<void>((resolve) => (release = resolve));
  const previous = lock;
  lock = previous.then(() => next);
  return previous.then(() => release);
}

async function runProgramUnlocked(options: RunProgramOptions): Promise<RunProgramResult> {
  const resources: CapturedResource[] = [];
  const plain = new Map<CapturedResource, Required<PlainView>>();
  const invokes: RunProgramResult["invokes"] = [];
  const secrets = new Set<string>((options.knownSecrets ?? []).filter((s) => s.length > 0));
  const errors: unknown[] = [];
  const invokeTable = { ...DEFAULT_INVOKES, ...(options.invokes ?? {}) };
  let seq = 0;
  let current: CapturedResource | undefined;

  const mocks: pulumi.runtime.Mocks = {
    async newResource(args) {
      const record =
        current !== undefined && current.type === args.type && current.name === args.name
          ? current
          : undefined;
      current = undefined;
      const inputs = record
        ? copyData(plain.get(record)!.inputs)
        : (toPlain(args.inputs) as Record<string, unknown>);
      seq++;
      let outputs: Record<string, unknown>;
      const secretOutputs: string[] = [];
      if (options.preview) {
        // A first preview: nothing exists yet, so ids and every output the provider computes stay unknown
        // (the engine previews a create as its inputs), and dynamic resources have no preview at all.
        outputs = { ...inputs };
      } else if (args.type === DYNAMIC_TYPE && options.dynamicExecutor) {
        const { __provider: _serialized, ...rest } = inputs;
        // A failed create fails the run (as it fails `pulumi up`), but the program must still finish: a
        // rejected mock leaves the resource's outputs unresolved and the run would wait for them forever.
        let outs: unknown = {};
        try {
          outs = await options.dynamicExecutor(args.type, args.name, rest, {
            urn: record?.urn ?? "",
            serializedProvider: typeof _serialized === "string" ? _serialized : "",
            stackConfig: { config: options.config, secretKeys: options.secretKeys ?? [] },
          });
        } catch (error) {
          const kind = typeof rest.vpconnectResource === "string" ? rest.vpconnectResource : args.type;
          errors.push(new Error(`${kind} ${args.name}: ${(error as Error)?.message ?? String(error)}`));
        }
        outputs = { ...rest, ...(toPlain(outs) as Record<string, unknown>) };
      } else {
        const computed = COMPUTED_OUTPUTS[args.type]?.(args.name, inputs, seq);
        outputs = { ...inputs, ...(computed?.outputs ?? {}) };
        secretOutputs.push(...(computed?.secret ?? []));
      }
      const id = args.custom && !options.preview ? mockId(args.type, args.name, inputs) : undefined;
      if (id !== undefined) Object.assign(outputs, { id }, idOutputs(args.type, id, outputs));
      if (record) {
        for (const p of secretOutputs) collectAt(outputs, p, secrets);
        plain.get(record)!.outputs = outputs;
        record.secretPaths.push(...secretOutputs.filter((p) => !record.secretPaths.includes(p)));
      }
      return { id, state: outputs };
    },
    call(args) {
      const inputs = toPlain(args.inputs) as Record<string, any>;
      invokes.push({ token: args.token, inputs });
      const handler = invokeTable[args.token];
      return handler ? handler(inputs) : {};
    },
  };

  class RecordingMonitor extends MockMonitor {
    override async registerResource(req: RegisterResourceRequest, callback: MonitorCallback) {
      const { raw, secretPaths, identity } = registrationOf(req);
      const timeouts = req.getCustomtimeouts();
      const propertyDependencies: Record<string, string[]> = {};
      req.getPropertydependenciesMap().forEach((v, k) => (propertyDependencies[k] = v.getUrnsList()));
      const inputs = wireToPlain(raw) as Record<string, unknown>;
      for (const p of secretPaths) collectAt(inputs, p, secrets);
      const record: CapturedResource = {
        ...identity,
        propertyDependencies,
        ignoreChanges: req.getIgnorechangesList(),
        ...(req.getDeletebeforereplacedefined() ? { deleteBeforeReplace: req.getDeletebeforereplace() } : {}),
        customTimeouts: {
          createSeconds: seconds(timeouts?.getCreate()),
          updateSeconds: seconds(timeouts?.getUpdate()),
          deleteSeconds: seconds(timeouts?.getDelete()),
        },
        provider: req.getProvider(),
        inputs: {},
        outputs: {},
        secretPaths,
      };
      resources.push(record);
      const engineInputs = wireToEngine(raw);
      plain.set(record, {
        inputs,
        outputs: { ...inputs },
        engine: { inputs: engineInputs, outputs: { ...engineInputs } },
      });
      // MockMonitor.registerResource calls mocks.newResource synchronously first: hand it this record.
      current = record;
      // The SDK logs every reply at debug level with the reply written into the message, built whether or not debug
      // logs are shown (`resp: ${innerResponse}`): protobuf's toString writes out every property, a roster shard's
      // whole text, as garbage (64 MB at 100,000 people). A reply here says what it is instead.
      return super.registerResource(req, (error, response) => {
        if (response)
          Object.defineProperty(response, "toString", { value: () => "RegisterResourceResponse" });
        callback(error, response);
      });
    }

    /** A component's `registerOutputs({...})`: under the engine these become its outputs (what stack policies see). */
    override registerResourceOutputs(req: RegisterResourceOutputsRequest, callback: MonitorCallback) {
      const record = resources.find((r) => r.urn === req.getUrn());
      const raw = req.getOutputs()?.toJavaScript() ?? {};
      if (record) {
        const outputSecrets: string[] = [];
        findSecretPaths(raw, "", outputSecrets);
        const outputs = wireToPlain(raw) as Record<string, unknown>;
        for (const p of outputSecrets) collectAt(outputs, p, secrets);
        const view = plain.get(record)!;
        view.outputs = { ...view.outputs, ...outputs };
        view.engine.outputs = { ...view.engine.outputs, ...wireToEngine(raw) };
        record.additionalSecretOutputs.push(
          ...outputSecrets.filter((p) => !record.additionalSecretOutputs.includes(p)),
        );
      }
      return super.registerResourceOutputs(req, callback);
    }
  }

  // An apply that throws leaves its output unresolved forever: the first unhandled rejection ends the wait.
  let failed!: () => void;
  const failure = new Promise<void>((resolve) => (failed = resolve));
  const onRejection = (reason: unknown) => {
    errors.push(reason);
    failed();
  };
  process.on("unhandledRejection", onRejection);
  let outputs: Record<string, unknown> = {};
  let stackOutputsPlain: Record<string, unknown> = {};
  let stackOutputsEngine: Record<string, unknown> = {};
  let restoreMonitor: (() => void) | undefined;
  try {
    restoreMonitor = installMonitor(
      new RecordingMonitor(mocks),
      options.project,
      options.stack,
      options.preview ?? false,
    );
    pulumi.runtime.setAllConfig(options.config, options.secretKeys);
    clearProjectModules(options.projectDir, options.program, options.keepLoaded);

    let exported: unknown;
    try {
      exported = require(path.resolve(options.program));
      if (typeof exported === "function") exported = await (exported as () => unknown)();
      else if (exported && typeof (exported as { default?: unknown }).default === "function") {
        exported = await (exported as { default: () => unknown }).default();
      }
    } catch (error) {
      errors.push(error);
    }
    if (errors.length === 0)
      ({
        masked: outputs,
        plain: stackOutputsPlain,
        engine: stackOutputsEngine,
      } = await resolveOutputs(exported, secrets, errors, failure));
    await settle(resources, invokes, errors);
  } finally {
    process.removeListener("unhandledRejection", onRejection);
    restoreMonitor?.();
  }

  // The engine's root stack resource: parent of every top-level resource, its outputs are the stack outputs.
  if (resources.length > 0 || errors.length === 0) {
    const stackUrn = `urn:pulumi:${options.stack}::${options.project}::pulumi:pulumi:Stack::${options.project}-${options.stack}`;
    const root = capturedResource({
      urn: stackUrn,
      type: ROOT_STACK_TYPE,
      name: `${options.project}-${options.stack}`,
      custom: false,
    });
    for (const r of resources) if (r.parent === "") r.parent = stackUrn;
    resources.unshift(root);
    plain.set(root, {
      inputs: {},
      outputs: stackOutputsPlain,
      engine: { inputs: {}, outputs: stackOutputsEngine },
    });
  }

  const secretList = [...secrets];
  const policyView = new Map<string, PlainView>();
  for (const r of resources) {
    const view = plain.get(r)!;
    policyView.set(r.urn, view);
    if (r.type === ROOT_STACK_TYPE) {
      r.outputs = scrubSecrets(outputs, secretList);
      continue;
    }
    if (r.custom && !options.preview) {
      // After an update the engine holds the provider's outputs, secret where the inputs or the resource's
      // options say so.
      view.engine.outputs = wrapSecretPaths(wireToEngine(view.outputs), [
        ...r.secretPaths,
        ...r.additionalSecretOutputs,
      ]);
    } else if (r.custom) {
      view.engine.outputs = wrapSecretPaths(view.engine.outputs, r.additionalSecretOutputs);
    }
    r.inputs = scrubSecrets(maskPaths(view.inputs, r.secretPaths), secretList);
    r.outputs = scrubSecrets(
      maskPaths(view.outputs, [...r.secretPaths, ...r.additionalSecretOutputs]),
      secretList,
    );
    if (r.type === DYNAMIC_TYPE) {
      const leaked = secretInSerializedProvider(view.inputs.__provider, secretList);
      if (leaked) errors.push(new Error(`${r.name}: ${SERIALIZED_SECRET_MESSAGE}`));
      for (const bag of [r.inputs, r.outputs]) {
        if (typeof bag.__provider === "string")
          bag.__provider = `[serialized dynamic provider, ${bag.__provider.length} chars]`;
      }
    }
  }
  return {
    resources,
    outputs: scrubSecrets(outputs, secretList) as Record<string, unknown>,
    invokes,
    secrets,
    policyView,
    ...(errors.length > 0 ? { error: errors[0] } : {}),
  };
}

function seconds(value: string | undefined): number {
  if (!value) return 0;
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value);
  if (!match) return 0;
  const n = Number(match[1]);
  return { ms: n / 1000, s: n, m: n * 60, h: n * 3600 }[match[2] ?? "s"] ?? n;
}

/** Awaits the program's exported outputs (every export; secret ones masked). */
async function resolveOutputs(
  exported: unknown,
  secrets: Set<string>,
  errors: unknown[],
  failure: Promise<void>,
): Promise<{
  masked: Record<string, unknown>;
  plain: Record<string, unknown>;
  engine: Record<string, unknown>;
}> {
  const out: Record<string, unknown> = {};
  const plainOut: Record<string, unknown> = {};
  const engineOut: Record<string, unknown> = {};
  const result = { masked: out, plain: plainOut, engine: engineOut };
  if (exported === null || typeof exported !== "object") return result;
  for (const [key, value] of Object.entries(exported as Record<string, unknown>)) {
    if (key === "__esModule" || typeof value === "function") continue;
    try {
      const output = pulumi.output(value);
      const resolved = await Promise.race([Promise.all([valueOf(output), pulumi.isSecret(output)]), failure]);
      if (resolved === undefined) return result;
      const [plain, secret] = resolved;
      plainOut[key] = toPlain(plain);
      const known = plain === undefined ? UNKNOWN : toPlain(plain);
      engineOut[key] = secret ? { [SIG.key]: SIG.secret, value: known } : known;
      if (secret) {
        collectAll(plain, secrets);
        out[key] = SECRET_MARKER;
      } else {
        out[key] = toPlain(plain);
      }
    } catch (error) {
      errors.push(error);
    }
  }
  return result;
}

function valueOf<T>(output: pulumi.Output<T>): Promise<T | undefined> {
  return new Promise((resolve, reject) => {
    // An unknown value (preview) never reaches apply: resolve undefined once the output settled.
    const internal = output as unknown as { promise?: (withUnknowns?: boolean) => Promise<T> };
    if (typeof internal.promise === "function") internal.promise(true).then(resolve, reject);
    else output.apply((v) => resolve(v));
  });
}

/** Waits until no registration or call is pending (registrations chain: outputs feed further inputs). */
async function settle(resources: unknown[], invokes: unknown[], errors: unknown[]): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const before = resources.length + invokes.length;
    try {
      await waitForRPCs();
    } catch (error) {
      errors.push(error);
      return;
    }
    await new Promise((r) => setImmediate(r));
    if (resources.length + invokes.length === before) return;
  }
}

/** Adds every string under `path` of `value` to `secrets`. */
function collectAt(value: unknown, dotted: string, secrets: Set<string>): void {
  let node: unknown = value;
  for (const part of splitPath(dotted)) {
    if (node === null || typeof node !== "object") return;
    node = (node as Record<string, unknown>)[part];
  }
  collectAll(node, secrets);
}

/**
 * Field names under which a secret object (the engine marks a whole object secret when any field is) holds its
 * secret values: a password, a client secret, a token, a key, a PFX, a secret's value or data.
 */
const SECRET_FIELD = /(password|passwd|secret|token|credential|pfx|certificate|key|value|data)$/i;

/**
 * Adds the secret values in `value` to `secrets`, the set every captured text is scrubbed of. A secret string is
 * one value; in a secret object only the strings under secret field names are (its URL, database, user name and
 * paths stay readable: masking is by secret values, never by every string a secret object holds).
 */
function collectAll(value: unknown, secrets: Set<string>, field?: string): void {
  if (typeof value === "string") {
    const secretHere = field === undefined || SECRET_FIELD.test(field);
    if (secretHere && value.length >= 4 && value !== SECRET_MARKER) secrets.add(value);
  } else if (typeof value === "number" || typeof value === "boolean") {
    return;
  } else if (Array.isArray(value)) {
    value.forEach((v) => collectAll(v, secrets, field));
  } else if (value !== null && typeof value === "object") {
    Object.entries(value).forEach(([k, v]) => collectAll(v, secrets, k));
  }
}

export function splitPath(dotted: string): string[] {
  const parts: string[] = [];
  for (const m of dotted.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) parts.push(m[1] ?? m[2]!);
  return parts;
}

/** A captured resource with the engine's defaults for every option it does not set. */
export function capturedResource(
  fields: Pick<CapturedResource, "urn" | "type" | "name" | "custom"> & Partial<CapturedResource>,
): CapturedResource {
  return {
    parent: "",
    protect: false,
    retainOnDelete: false,
    additionalSecretOutputs: [],
    dependencies: [],
    propertyDependencies: {},
    ignoreChanges: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    provider: "",
    inputs: {},
    outputs: {},
    secretPaths: [],
    ...fields,
  };
}
