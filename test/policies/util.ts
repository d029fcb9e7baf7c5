// Runs a policy the way the engine does (node_modules/@pulumi/policy/server.js, analyze / analyzeStack):
// props wrapped in unknownCheckingProxy, isType/asType comparing __pulumiType, getConfig per policy (with the
// schema defaults the CLI applies), notApplicable throwing, reportViolation collecting, enforcement levels.
import type { Props } from "../../policies/lib/props";
import * as assert from "node:assert/strict";
import type {
  EnforcementLevel,
  PolicyResource,
  PolicyResourceOptions,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";

// The proxy module is internal (its typings are empty), so type the parts used here.
const proxy = require("@pulumi/policy/proxy") as {
  unknownCheckingProxy<T>(o: T): T;
  UnknownValueError: new (...a: never[]) => Error;
  unknownStringValue: string;
  unknownArrayValue: string;
  unknownObjectValue: string;
  unknownBooleanValue: string;
};

/** Sentinels the engine uses for values unknown during preview. */
export const UNKNOWN = {
  string: proxy.unknownStringValue,
  array: proxy.unknownArrayValue,
  object: proxy.unknownObjectValue,
  boolean: proxy.unknownBooleanValue,
};

export type AnyPolicy = ResourceValidationPolicy | StackValidationPolicy;

/** A resource as a test describes it. */
export interface TestResource {
  type: string;
  name: string;
  props: Props;
  parent?: TestResource;
  opts?: Partial<PolicyResourceOptions> & { retainOnDelete?: boolean };
}

/** The URN the engine would give `r` (parent types chained with '$'). */
export function urnOf(r: TestResource): string {
  const chain = (x: TestResource): string => (x.parent ? `${chain(x.parent)}$${x.type}` : x.type);
  return `urn:pulumi:dev::vantagepoint-connect::${chain(r)}::${r.name}`;
}

class NotApplicableError extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}
function throwNotApplicable(reason?: string): never {
  throw new NotApplicableError(reason ?? "");
}

/** A violation as the engine would report it. */
export interface Violation {
  policy: string;
  level: EnforcementLevel;
  /** What the policy passed to reportViolation. */
  message: string;
  /** The diagnostic message the engine emits: the policy description, a newline, then `message`. */
  engineMessage: string;
  urn?: string;
}

/** What one run of a policy produced. */
export interface RunResult {
  violations: Violation[];
  notApplicable: string[];
  /** "can't run during preview" diagnostics (the engine reports these as advisory). */
  unknown: string[];
  skipped: boolean;
}

function isTypeOf(type: string, resourceClass: unknown): boolean {
  const rc = resourceClass as { __pulumiType?: unknown; isInstance?: (o: unknown) => boolean } | undefined;
  const t = rc?.__pulumiType;
  if (typeof t === "string" && t.length > 0) return type === t;
  return typeof rc?.isInstance === "function" && rc.isInstance({ __pulumiType: type }) === true;
}

function optionsOf(r: TestResource): PolicyResourceOptions {
  const { retainOnDelete, ...rest } = r.opts ?? {};
  const opts: PolicyResourceOptions & { retainOnDelete?: boolean } = {
    protect: false,
    ignoreChanges: [],
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [],
    ...rest,
  };
  if (r.parent) opts.parent = urnOf(r.parent);
  // @pulumi/policy 1.21 has no retainOnDelete in opts; pass it only when a test sets it (as an evaluator may).
  if (retainOnDelete !== undefined) opts.retainOnDelete = retainOnDelete;
  return opts;
}

/** Per-policy config as getConfig returns it: schema defaults (applied by the CLI) under the given values. */
function configFor(
  policy: AnyPolicy,
  config: Record<string, unknown>,
  applyDefaults: boolean,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (applyDefaults) {
    for (const [k, s] of Object.entries(policy.configSchema?.properties ?? {})) {
      if (typeof s === "object" && s.default !== undefined) out[k] = structuredClone(s.default);
    }
  }
  for (const [k, v] of Object.entries(config)) if (k !== "enforcementLevel") out[k] = v;
  return out;
}

/** Options of a run. */
export interface RunOptions {
  /** The policy's config (may include enforcementLevel). */
  config?: Record<string, unknown>;
  /** Apply configSchema defaults as the CLI does (default true). */
  applySchemaDefaults?: boolean;
}

/** Runs a resource or stack policy over resources, exactly as the engine calls it. */
export async function runPolicy(
  policy: AnyPolicy,
  input: TestResource | TestResource[],
  options: RunOptions = {},
): Promise<RunResult> {
  const resources = Array.isArray(input) ? input : [input];
  const config = options.config ?? {};
  const result: RunResult = { violations: [], notApplicable: [], unknown: [], skipped: false };
  let level = ((config.enforcementLevel as EnforcementLevel) ||
    policy.enforcementLevel ||
    "advisory") as EnforcementLevel;
  if (level === "disabled") return { ...result, skipped: true };
  if (level === "remediate") level = "mandatory";
  const getConfig = <T extends object>() =>
    configFor(policy, config, options.applySchemaDefaults ?? true) as T;
  const run = async (fn: (report: ReportViolation) => unknown, urn?: string) => {
    const reportViolation: ReportViolation = (message: string, violationUrn?: string) => {
      result.violations.push({
        policy: policy.name,
        level,
        message,
        engineMessage: message ? `${policy.description}\n${message}` : policy.description,
        urn: violationUrn ?? urn,
      });
    };
    try {
      await Promise.resolve(fn(reportViolation));
    } catch (e) {
      if (e instanceof proxy.UnknownValueError) result.unknown.push((e as Error).message);
      else if (e instanceof NotApplicableError) result.notApplicable.push(e.reason);
      else throw e;
    }
  };

  if ("validateStack" in policy && typeof policy.validateStack === "function") {
    const built = new Map<TestResource, PolicyResource>();
    for (const r of resources) {
      const props = proxy.unknownCheckingProxy(structuredClone(r.props));
      built.set(r, {
        type: r.type,
        props,
        urn: urnOf(r),
        name: r.name,
        opts: optionsOf(r),
        dependencies: [],
        propertyDependencies: {},
        isType: (c: unknown) => isTypeOf(r.type, c),
        asType: ((c: unknown) => (isTypeOf(r.type, c) ? props : undefined)) as PolicyResource["asType"],
      });
    }
    for (const [r, pr] of built) if (r.parent && built.has(r.parent)) pr.parent = built.get(r.parent);
    const args: StackValidationArgs = {
      resources: [...built.values()],
      stackTags: new Map(),
      getConfig,
      notApplicable: throwNotApplicable,
    };
    await run((report) => policy.validateStack(args, report));
    return result;
  }

  const rp = policy as ResourceValidationPolicy;
  const validations =
    rp.validateResource === undefined
      ? []
      : Array.isArray(rp.validateResource)
        ? rp.validateResource
        : [rp.validateResource];
  for (const r of resources) {
    for (const validation of validations) {
      const props = proxy.unknownCheckingProxy(structuredClone(r.props));
      const urn = urnOf(r);
      const args: ResourceValidationArgs = {
        type: r.type,
        props,
        urn,
        name: r.name,
        opts: optionsOf(r),
        stackTags: new Map(),
        isType: (c: unknown) => isTypeOf(r.type, c),
        asType: ((c: unknown) =>
          isTypeOf(r.type, c) ? props : undefined) as ResourceValidationArgs["asType"],
        getConfig,
        notApplicable: throwNotApplicable,
      };
      await run((report) => validation(args, report), urn);
    }
  }
  return result;
}

function describe(result: RunResult): string {
  return JSON.stringify(
    {
      violations: result.violations.map((v) => v.message),
      notApplicable: result.notApplicable,
      unknown: result.unknown,
    },
    null,
    2,
  );
}

/** Asserts the policy reports at least one violation whose message contains `substring`. */
export async function assertHasViolation(
  policy: AnyPolicy,
  input: TestResource | TestResource[],
  substring: string,
  options: RunOptions = {},
): Promise<Violation> {
  const result = await runPolicy(policy, input, options);
  const hit = result.violations.find((v) => v.message.includes(substring));
  assert.ok(hit, `expected a '${policy.name}' violation containing "${substring}", got ${describe(result)}`);
  return hit;
}

/** Asserts the policy ran to the end and reported nothing (no violation, not "not applicable", no unknowns). */
export async function assertNoViolations(
  policy: AnyPolicy,
  input: TestResource | TestResource[],
  options: RunOptions = {},
): Promise<void> {
  const result = await runPolicy(policy, input, options);
  assert.deepEqual(
    {
      violations: result.violations.map((v) => v.message),
      notApplicable: result.notApplicable,
      unknown: result.unknown,
    },
    { violations: [], notApplicable: [], unknown: [] },
    `expected '${policy.name}' to pass, got ${describe(result)}`,
  );
}

/** Asserts the policy declared itself not applicable with a reason containing `substring`. */
export async function assertNotApplicable(
  policy: AnyPolicy,
  input: TestResource | TestResource[],
  substring: string,
  options: RunOptions = {},
): Promise<RunResult> {
  const result = await runPolicy(policy, input, options);
  assert.ok(
    result.notApplicable.some((r) => r.includes(substring)),
    `expected '${policy.name}' to be not applicable with "${substring}", got ${describe(result)}`,
  );
  return result;
}
