/**
 * evaluator/versionAliases.ts: while the checker runs a program, the API-version aliases provider SDKs add are left
 * out of resource options; an alias the program gives is kept; what the run captures is the same as with them.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { runProgram, toEngineConfig } from "../../evaluator";
import { isVersionAlias, withoutVersionAliases } from "../../evaluator/versionAliases";
import { parseStackFile } from "../../lib/config/stackFile";

const root = path.join(__dirname, "..", "..");

describe("versionAliases: which aliases are a provider SDK's API versions", () => {
  for (const type of [
    "azure-native:network/v20230201:ApplicationGateway",
    "azure-native:network/v20150501preview:ApplicationGateway",
    "azure-native:m365securityandcompliance/v20210325preview:PrivateLinkServicesForEDMUpload",
  ])
    it(`{ type: "${type}" } is one`, () => assert.equal(isVersionAlias({ type }), true));

  for (const [why, alias] of [
    ["the type without a version (a retype)", { type: "azure-native:network:ApplicationGateway" }],
    ["a version-looking type with a name too", { type: "azure-native:network/v20230201:X", name: "old" }],
    ["a rename", { name: "old-name" }],
    ["a URN", "urn:pulumi:dev::p::azure-native:network/v20230201:ApplicationGateway::gw"],
    ["a version that is not a date", { type: "azure-native:network/v2023:ApplicationGateway" }],
    ["a version type with more after it", { type: "azure-native:network/v20230201:ApplicationGateway::old" }],
    ["a version type after something else", { type: "x::azure-native:network/v20230201:ApplicationGateway" }],
    ["a type that is not text", { type: 20230201 }],
    ["an array", [{ type: "azure-native:network/v20230201:ApplicationGateway" }]],
    ["null", null],
  ] as const)
    it(`${why} is not`, () => assert.equal(isVersionAlias(alias), false));
});

describe("versionAliases: mergeOptions while a program runs", () => {
  const versions = [
    { type: "azure-native:network/v20230201:ApplicationGateway" },
    { type: "azure-native:network/v20240101:ApplicationGateway" },
  ];

  it("leaves out the version aliases merged in and keeps every other alias and option", async () => {
    const merged = await withoutVersionAliases(async () =>
      pulumi.mergeOptions(
        { aliases: [{ name: "mine" }], protect: true },
        { aliases: [...versions, { type: "azure-native:network:Old" }], ignoreChanges: ["tags"] },
      ),
    );
    assert.deepEqual(merged.aliases, [{ name: "mine" }, { type: "azure-native:network:Old" }]);
    assert.equal(merged.protect, true);
    assert.deepEqual(merged.ignoreChanges, ["tags"]);
  });

  it("with only version aliases merged in, the program's own aliases stay as they were", async () => {
    const merged = await withoutVersionAliases(async () =>
      pulumi.mergeOptions({ aliases: [{ name: "mine" }] }, { aliases: versions }),
    );
    assert.deepEqual(merged.aliases, [{ name: "mine" }]);
  });

  it("with only version aliases merged into options that had none, the result has no aliases", async () => {
    const merged = await withoutVersionAliases(async () =>
      pulumi.mergeOptions({ protect: true }, { aliases: versions }),
    );
    assert.equal(merged.aliases, undefined);
    assert.equal(merged.protect, true);
  });

  it("options merged with nothing are the SDK's answer", async () => {
    const merged = await withoutVersionAliases(async () =>
      pulumi.mergeOptions({ aliases: [{ name: "mine" }] }, undefined),
    );
    assert.deepEqual(merged.aliases, [{ name: "mine" }]);
  });

  it("is the SDK's own mergeOptions again afterwards, also when the run throws", async () => {
    const original = pulumi.mergeOptions;
    await assert.rejects(
      withoutVersionAliases(async () => {
        assert.notEqual(pulumi.mergeOptions, original);
        throw new Error("program failed");
      }),
      /program failed/,
    );
    assert.equal(pulumi.mergeOptions, original);
    assert.deepEqual(pulumi.mergeOptions({}, { aliases: versions }).aliases, versions);
  });
});

describe("versionAliases: a program run", function () {
  this.timeout(120_000);

  const fixture = (keepVersionAliases: boolean) =>
    runProgram({
      program: path.join(root, "test", "fixtures", "programs", "version-aliases", "index.js"),
      projectDir: root,
      project: "vantagepoint-connect",
      stack: "dev",
      config: {},
      secretKeys: [],
      keepVersionAliases,
    });

  it("gives a resource only the aliases its program gave it", async () => {
    const run = await fixture(false);
    assert.equal(run.error, undefined);
    assert.equal(run.outputs.aliasCount, 1);
    assert.deepEqual(run.outputs.aliasUrns, [
      "urn:pulumi:dev::vantagepoint-connect::azure-native:resources:ResourceGroup::old-group",
    ]);
  });

  it("keepVersionAliases: the SDK's version aliases too, as a deployment computes them", async () => {
    const run = await fixture(true);
    assert.equal(run.error, undefined);
    assert.ok(Number(run.outputs.aliasCount) > 10, `ResourceGroup has ${String(run.outputs.aliasCount)}`);
  });

  /** The dev stack's program (index.ts) with its own stack file. */
  const dev = (keepVersionAliases: boolean) => {
    const text = fs.readFileSync(path.join(root, "stacks", "Pulumi.dev.yaml"), "utf8");
    const { config, secretKeys } = toEngineConfig(parseStackFile(text, "dev").config, {});
    return runProgram({
      program: path.join(root, "index.ts"),
      projectDir: root,
      project: "vantagepoint-connect",
      stack: "dev",
      config,
      secretKeys,
      keepVersionAliases,
    });
  };

  it("the dev stack: the same resources in the same order, inputs, options, outputs and secrets as with the version aliases", async () => {
    const without = await dev(false);
    const withAliases = await dev(true);
    assert.equal(without.error, undefined);
    assert.equal(withAliases.error, undefined);
    assert.ok(without.resources.length > 30);
    // Resources are in construction order and numbered so (evaluator/constructionOrder.ts): byte for byte the same,
    // although with the aliases they finish registering in another order.
    assert.deepEqual(without.resources, withAliases.resources);
    assert.deepEqual(without.outputs, withAliases.outputs);
    assert.deepEqual([...without.secrets].sort(), [...withAliases.secrets].sort());
    assert.deepEqual(
      without.invokes.map((i) => i.token).sort(),
      withAliases.invokes.map((i) => i.token).sort(),
    );
  });
});
