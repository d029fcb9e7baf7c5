/* eslint-disable @typescript-eslint/no-explicit-any -- resource inputs, outputs and schemas here are untyped JSON (as in pulumi.dynamic.ResourceProvider) */
import assert from "node:assert/strict";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as network from "@pulumi/azure-native/network";
import {
  validateRemediateResourceOfType,
  validateResourceOfType,
  validateStackResourcesOfType,
} from "@pulumi/policy";
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
type Policy = ResourceValidationPolicy | StackValidationPolicy;
import {
  capturedResource,
  evaluatePolicies,
  loadPolicyPack,
  PackLoadError,
  resolvePackConfig,
} from "../../evaluator";
import type { CapturedResource, EvaluatedPack, EvaluationResult } from "../../evaluator";

/** The class as a plain CustomResource type (its resolved props type is too deep for tsc); runtime is unchanged. */
const PublicIpClass = network.PublicIPAddress as unknown as new (...rest: any[]) => pulumi.CustomResource;

const STACK = "urn:pulumi:t::p::pulumi:pulumi:Stack::p-t";
const SITE = "urn:pulumi:t::p::vantagepoint-connect:index:ConnectSite::site";
const IP =
  "urn:pulumi:t::p::vantagepoint-connect:index:ConnectSite$azure-native:network:PublicIPAddress::pip";
const NSG =
  "urn:pulumi:t::p::vantagepoint-connect:index:ConnectSite$azure-native:network:NetworkSecurityGroup::nsg";

function resource(
  urn: string,
  type: string,
  props: Record<string, unknown>,
  extra: Partial<CapturedResource> = {},
): CapturedResource {
  return capturedResource({
    urn,
    type,
    name: urn.split("::").pop()!,
    custom: type !== "vantagepoint-connect:index:ConnectSite" && type !== "pulumi:pulumi:Stack",
    inputs: props,
    outputs: props,
    ...extra,
  });
}

const resources = [
  resource(STACK, "pulumi:pulumi:Stack", {}),
  resource(SITE, "vantagepoint-connect:index:ConnectSite", {}, { parent: STACK }),
  resource(
    IP,
    "azure-native:network:PublicIPAddress",
    { sku: { name: "Standard" }, tags: { owner: "x" } },
    { parent: SITE, protect: true },
  ),
  resource(
    NSG,
    "azure-native:network:NetworkSecurityGroup",
    { securityRules: [] },
    { parent: SITE, dependencies: [IP] },
  ),
];
const view = new Map(
  resources.map((r) => [r.urn, { inputs: r.inputs, outputs: { ...r.outputs, id: `${r.name}-id` } }]),
);

function pack(
  name: string,
  policies: Policy[],
  fileConfig?: unknown,
  packLevel: "advisory" | "mandatory" = "advisory",
): EvaluatedPack {
  const resolved = resolvePackConfig({ name, enforcementLevel: packLevel, policies }, fileConfig, "cfg.json");
  assert.deepEqual(resolved.problems, []);
  return { name, version: "1.0.0", policies, resolved: resolved.policies };
}

describe("evaluator: evaluatePolicies gives the engine's arguments", () => {
  const seen: Record<string, any> = {};
  let result: EvaluationResult;
  before(async () => {
    const policies: Policy[] = [
      {
        name: "tag-required",
        description: "Public IPs carry costCenter.",
        enforcementLevel: "mandatory",
        configSchema: { properties: { tag: { type: "string", default: "costCenter" } } },
        validateResource: validateResourceOfType(network.PublicIPAddress, (ip, args, reportViolation) => {
          seen.resource = {
            type: args.type,
            urn: args.urn,
            name: args.name,
            opts: args.opts,
            config: args.getConfig(),
            isIp: args.isType(network.PublicIPAddress),
            asNsg: args.asType(network.NetworkSecurityGroup),
            sku: ip.sku?.name,
          };
          const tag = args.getConfig<{ tag: string }>().tag;
          if (!(ip.tags as Record<string, string> | undefined)?.[tag]) reportViolation(`missing ${tag}`);
        }),
      },
      {
        name: "generic-with-not-applicable",
        description: "Only NSGs.",
        enforcementLevel: "advisory",
        validateResource: (args, reportViolation) => {
          if (args.type !== "azure-native:network:NetworkSecurityGroup") args.notApplicable("only NSGs");
          reportViolation("NSG has no rules");
        },
      },
      {
        name: "max-ips",
        description: "At most zero IPs.",
        enforcementLevel: "mandatory",
        validateStack: validateStackResourcesOfType(PublicIpClass, (ips, args, reportViolation) => {
          const all = (args as unknown as { resources: any[] }).resources;
          seen.stack = {
            count: ips.length,
            parentType: all[0].parent?.type,
            id: (all[0].props as { id: string }).id,
          };
          reportViolation(`${ips.length} public IPs`, all[0].urn);
        }),
      },
      {
        name: "stack-linking",
        description: "Looks at parents and dependencies.",
        enforcementLevel: "advisory",
        validateStack: (args) => {
          const nsg = args.resources.find((r) => r.type === "azure-native:network:NetworkSecurityGroup")!;
          seen.linking = {
            parent: nsg.parent?.urn,
            deps: nsg.dependencies.map((d) => d.urn),
            grand: nsg.parent?.parent?.type,
          };
        },
      },
    ];
    result = await evaluatePolicies([pack("p", policies)], resources, view);
  });

  it("resource policies get type, urn, name, opts, isType/asType and getConfig with schema defaults", () => {
    assert.deepEqual(seen.resource, {
      type: "azure-native:network:PublicIPAddress",
      urn: IP,
      name: "pip",
      opts: {
        protect: true,
        ignoreChanges: [],
        aliases: [],
        customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
        additionalSecretOutputs: [],
        parent: SITE,
      },
      config: { tag: "costCenter" },
      isIp: true,
      asNsg: undefined,
      sku: "Standard",
    });
    const v = result.violations.find((x) => x.policy === "tag-required")!;
    assert.deepEqual(
      [v.level, v.urn, v.message, v.resourceName],
      ["mandatory", IP, "missing costCenter", "pip"],
    );
  });

  it("validateResourceOfType only runs on its type (others are not applicable)", () => {
    const policy = result.policies.find((p) => p.name === "tag-required")!;
    assert.equal(policy.results.evaluated, 1);
    assert.equal(policy.results.notApplicable, resources.length - 1);
    const generic = result.policies.find((p) => p.name === "generic-with-not-applicable")!;
    assert.deepEqual(generic.results, {
      evaluated: 1,
      passed: 0,
      violations: 1,
      notApplicable: 3,
      errors: 0,
    });
  });

  it("stack policies get outputs, linked parents and dependencies, and reportViolation(message, urn)", () => {
    assert.deepEqual(seen.stack, {
      count: 1,
      parentType: "vantagepoint-connect:index:ConnectSite",
      id: "pip-id",
    });
    assert.deepEqual(seen.linking, { parent: SITE, deps: [IP], grand: "pulumi:pulumi:Stack" });
    const v = result.violations.find((x) => x.policy === "max-ips")!;
    assert.equal(v.urn, IP);
    assert.equal(v.message, "1 public IPs");
  });
});

describe("evaluator: enforcement levels, config and failures", () => {
  const tagPolicy = (): Policy => ({
    name: "tag-required",
    description: "Public IPs carry costCenter.",
    enforcementLevel: "mandatory",
    configSchema: {
      properties: { tag: { type: "string", default: "costCenter" }, max: { type: "integer", minimum: 1 } },
    },
    validateResource: validateResourceOfType(network.PublicIPAddress, (ip, args, reportViolation) => {
      const tag = args.getConfig<{ tag: string }>().tag;
      if (!(ip.tags as Record<string, string> | undefined)?.[tag]) reportViolation(`missing ${tag}`);
    }),
  });
  const stackPolicy = (): Policy => ({
    name: "always",
    description: "Always reports.",
    validateStack: (_args, reportViolation) => reportViolation("stack problem"),
  });

  it('"all" sets every level; a policy\'s own entry wins over "all"; pack level applies when the policy has none', async () => {
    const r1 = await evaluatePolicies(
      [pack("p", [tagPolicy(), stackPolicy()], { all: "advisory" })],
      resources,
      view,
    );
    assert.deepEqual(
      r1.violations.map((v) => [v.policy, v.level]),
      [
        ["tag-required", "advisory"],
        ["always", "advisory"],
      ],
    );
    const r2 = await evaluatePolicies(
      [
        pack("p", [tagPolicy(), stackPolicy()], {
          all: { enforcementLevel: "advisory" },
          always: "mandatory",
        }),
      ],
      resources,
      view,
    );
    assert.deepEqual(
      r2.violations.map((v) => [v.policy, v.level]),
      [
        ["tag-required", "advisory"],
        ["always", "mandatory"],
      ],
    );
    const r3 = await evaluatePolicies([pack("p", [stackPolicy()], undefined, "mandatory")], resources, view);
    assert.equal(r3.violations[0]!.level, "mandatory");
    const r4 = await evaluatePolicies([pack("p", [stackPolicy()])], resources, view);
    assert.equal(r4.violations[0]!.level, "advisory");
  });

  it("layers as the CLI reconciles them: a file's \"all\" overrides the pack's initialConfig per-policy level", () => {
    // ReconcilePolicyPackConfig applies initialConfig, then the file; each layer sets "all" first, then its
    // per-policy entries. So the file's "all" wins over a per-policy level from initialConfig...
    const policies = [tagPolicy(), stackPolicy()];
    const fromFile = resolvePackConfig(
      {
        name: "p",
        enforcementLevel: "advisory",
        policies,
        initialConfig: { always: "mandatory", "tag-required": { tag: "owner" } },
      },
      { all: "advisory" },
      "cfg.json",
    );
    assert.deepEqual(fromFile.problems, []);
    assert.equal(fromFile.policies.get("always")!.level, "advisory");
    assert.equal(fromFile.policies.get("tag-required")!.level, "advisory");
    assert.deepEqual(fromFile.policies.get("tag-required")!.config, { tag: "owner" });
    // ...while within one layer the per-policy entry wins over that layer's "all".
    const sameLayer = resolvePackConfig(
      { name: "p", enforcementLevel: "advisory", policies, initialConfig: { all: "disabled" } },
      { always: "mandatory" },
      "cfg.json",
    );
    assert.equal(sameLayer.policies.get("always")!.level, "mandatory");
    assert.equal(sameLayer.policies.get("tag-required")!.level, "disabled");
  });

  it("config schema as the CLI sees it: top-level defaults only, only properties and required validated", () => {
    const nested: Policy = {
      name: "nested",
      description: "Nested config.",
      configSchema: {
        properties: {
          limits: { type: "object", properties: { max: { type: "integer", default: 3 } } },
          top: { type: "integer", default: 7 },
        },
        // Not part of PolicyConfigSchema: the CLI never receives it, so an extra key is accepted.
        additionalProperties: false,
      } as never,
      validateStack: () => undefined,
    };
    const resolved = resolvePackConfig(
      { name: "p", enforcementLevel: "advisory", policies: [nested] },
      { nested: { limits: {}, extra: true } },
      "cfg.json",
    );
    assert.deepEqual(resolved.problems, []);
    assert.deepEqual(resolved.policies.get("nested")!.config, { limits: {}, top: 7, extra: true });
  });

  it("disabled skips the policy; per-policy config reaches getConfig", async () => {
    const r = await evaluatePolicies(
      [pack("p", [tagPolicy(), stackPolicy()], { "tag-required": { tag: "owner" }, always: "disabled" })],
      resources,
      view,
    );
    assert.deepEqual(r.violations, []);
    assert.equal(r.policies.find((p) => p.name === "always")!.level, "disabled");
    assert.equal(r.policies.find((p) => p.name === "tag-required")!.results.passed, 1);
  });

  it("reports invalid pack config: bad level, unknown policy, schema violations", () => {
    const resolved = resolvePackConfig(
      { name: "p", enforcementLevel: "advisory", policies: [tagPolicy()] },
      { all: "strict", "tag-requird": "advisory", "tag-required": { tag: 5, max: 0 } },
      "cfg.json",
    );
    assert.equal(resolved.problems.length, 4, resolved.problems.join("\n"));
    assert.match(resolved.problems[0]!, /^cfg\.json: all: "strict" is not an enforcement level/);
    assert.match(
      resolved.problems[1]!,
      /tag-requird: pack "p" has no such policy; did you mean "tag-required"\?/,
    );
    assert.ok(resolved.problems.some((p) => /tag-required\.tag: must be a string, not 5/.test(p)));
    assert.ok(resolved.problems.some((p) => /tag-required\.max: must be at least 1/.test(p)));
  });

  it("a policy that throws is an error result, and the others still run", async () => {
    const throwing: Policy = {
      name: "throws",
      description: "Throws.",
      enforcementLevel: "advisory",
      validateResource: (args) => {
        if (args.type === "azure-native:network:NetworkSecurityGroup") throw new Error("boom on nsg");
      },
    };
    const r = await evaluatePolicies([pack("p", [throwing, tagPolicy()])], resources, view);
    assert.deepEqual(r.errors, [{ pack: "p", policy: "throws", urn: NSG, message: "boom on nsg" }]);
    assert.equal(r.policies[0]!.results.errors, 1);
    assert.equal(r.policies[0]!.results.passed, 3);
    assert.equal(r.violations.length, 1);
  });

  it("remediate: a remediation that changes the inputs is reported as remediated and the fixed inputs pass; a violation that remains is mandatory", async () => {
    // The engine's order (step_generator.go): Remediate first, then Analyze on the remediated inputs, and a
    // diagnostic still at "remediate" is downgraded to mandatory (analyze_snapshot.go).
    const fixing: Policy = {
      name: "fixing",
      description: "Adds a managedBy tag.",
      enforcementLevel: "remediate",
      ...validateRemediateResourceOfType(network.PublicIPAddress, (ip, _args, reportViolation) => {
        const tags = (ip.tags ?? {}) as Record<string, string>;
        if (tags.managedBy !== "pulumi") {
          reportViolation("needs managedBy");
          ip.tags = { ...tags, managedBy: "pulumi" };
        }
        return ip;
      }),
    };
    const stubborn: Policy = {
      name: "stubborn",
      description: "Reports without fixing.",
      enforcementLevel: "remediate",
      ...validateRemediateResourceOfType(network.PublicIPAddress, (ip, _args, reportViolation) => {
        reportViolation("would add managedBy");
        return ip;
      }),
    };
    const plain: Policy = { ...stackPolicy(), enforcementLevel: "remediate" };
    const r = await evaluatePolicies([pack("p", [fixing, stubborn, plain])], resources, view);
    assert.deepEqual(
      r.violations.map((v) => [v.policy, v.level]),
      [
        ["fixing", "remediate"],
        ["stubborn", "mandatory"],
        ["always", "mandatory"],
      ],
    );
    assert.match(r.violations[0]!.message, /^Remediated: Adds a managedBy tag\./);
  });

  it("secrets are scrubbed from violation messages", async () => {
    const leaky: Policy = {
      name: "leaky",
      description: "Leaks.",
      validateStack: (_a, report) => report("password is hunter2-secret"),
    };
    const r = await evaluatePolicies([pack("p", [leaky])], resources, view, ["hunter2-secret"]);
    assert.equal(r.violations[0]!.message, "password is [secret]");
  });
});

describe("evaluator: loadPolicyPack", () => {
  const root = path.join(__dirname, "..", "..");
  it("captures an ordinary pack's PolicyPack without a gRPC server and restores the export", () => {
    const policyModule = require("@pulumi/policy/policy") as { PolicyPack: unknown };
    const original = policyModule.PolicyPack;
    const loaded = loadPolicyPack("test/fixtures/packs/org", { cwd: root, projectDir: root });
    assert.equal(policyModule.PolicyPack, original);
    assert.equal(loaded.name, "acme-org");
    assert.equal(loaded.version, "1.2.0");
    assert.equal(loaded.enforcementLevel, "mandatory");
    assert.deepEqual(
      loaded.policies.map((p) => p.name),
      ["org-cost-center-tag", "org-max-public-ips"],
    );
    // Loading twice in one process works (a real PolicyPack would exit the process).
    assert.equal(loadPolicyPack("test/fixtures/packs/org", { cwd: root }).policies.length, 2);
  });

  it("loads this project's policies/ folder", function () {
    this.timeout(60000);
    const loaded = loadPolicyPack("policies", { cwd: root, projectDir: root });
    assert.equal(loaded.name, "vantagepoint-connect");
    for (const name of [
      "connect-public-url-https",
      "connect-ips-allowed",
      "connect-api-client-protected",
      "appgw-tls-1-2",
    ]) {
      assert.ok(
        loaded.policies.some((p) => p.name === name),
        name,
      );
    }
  });

  it("a folder without a pack is a PackLoadError naming the flag", () => {
    assert.throws(
      () => loadPolicyPack("test/fixtures/stacks", { cwd: root }),
      (e: Error) => e instanceof PackLoadError && /no policy pack entry/.test(e.message),
    );
    assert.throws(() => loadPolicyPack("nope", { cwd: root }), /--policy-pack nope: no such folder/);
  });
});

describe("evaluator: loadPolicyPack refuses what the engine refuses", () => {
  const fs = require("node:fs") as typeof import("node:fs");
  const os = require("node:os") as typeof import("node:os");
  let dir: string;
  /** Writes a one-policy pack (`policy` is the policy object's JavaScript source) and its package.json. */
  const writePack = (pkg: string | undefined, policy: string) => {
    if (pkg !== undefined) fs.writeFileSync(path.join(dir, "package.json"), pkg);
    fs.writeFileSync(
      path.join(dir, "index.js"),
      `const { PolicyPack } = require(${JSON.stringify(require.resolve("@pulumi/policy"))});\nnew PolicyPack("tmp-pack", { policies: [${policy}] });\n`,
    );
  };
  const plain = `{ name: "p1", description: "d", validateStack: () => {} }`;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "vpc-pack-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a pack without package.json "version" fails to load, as PolicyPack throws under the engine', () => {
    writePack(undefined, plain);
    assert.throws(
      () => loadPolicyPack(dir),
      (e: Error) => e instanceof PackLoadError && /has no package\.json.*"version"/.test(e.message),
    );
    writePack(`{ "name": "tmp" }`, plain);
    assert.throws(
      () => loadPolicyPack(dir),
      (e: Error) => e instanceof PackLoadError && /package\.json has no "version"/.test(e.message),
    );
    writePack(`{ "name": "tmp", `, plain);
    assert.throws(
      () => loadPolicyPack(dir),
      (e: Error) => e instanceof PackLoadError && /package\.json.*not valid JSON/.test(e.message),
    );
    writePack(`{ "name": "tmp", "version": "2.0.0" }`, plain);
    assert.equal(loadPolicyPack(dir).version, "2.0.0");
  });

  it("a configSchema that declares or requires enforcementLevel fails to load (server.js serve exits)", () => {
    writePack(
      `{ "version": "1.0.0" }`,
      `{ name: "p1", description: "d", configSchema: { properties: { enforcementLevel: { type: "string" } } }, validateStack: () => {} }`,
    );
    assert.throws(
      () => loadPolicyPack(dir),
      (e: Error) =>
        e instanceof PackLoadError && /p1.*properties must not declare enforcementLevel/.test(e.message),
    );
    writePack(
      `{ "version": "1.0.0" }`,
      `{ name: "p1", description: "d", configSchema: { properties: {}, required: ["enforcementLevel"] }, validateStack: () => {} }`,
    );
    assert.throws(
      () => loadPolicyPack(dir),
      (e: Error) =>
        e instanceof PackLoadError && /p1.*required must not list enforcementLevel/.test(e.message),
    );
  });
});
