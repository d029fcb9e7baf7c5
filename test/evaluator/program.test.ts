import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseStackFile } from "../../lib/config/stackFile";
import { runProgram, toEngineConfig } from "../../evaluator";
import type { RunProgramResult } from "../../evaluator";

const root = path.join(__dirname, "..", "..");
const program = path.join(root, "test", "fixtures", "programs", "site", "index.js");

function engineConfig(stack: string, overrides: Record<string, string> = {}) {
  const text = fs.readFileSync(path.join(root, "test", "fixtures", "stacks", `Pulumi.${stack}.yaml`), "utf8");
  return toEngineConfig(parseStackFile(text, stack).config, overrides);
}

const PASSWORD = "S3ntinel-pa55word-ZQX";

describe("evaluator: runProgram", () => {
  let run: RunProgramResult;
  let executed: Array<{ name: string; inputs: Record<string, unknown> }>;
  before(async () => {
    executed = [];
    const { config, secretKeys } = engineConfig("pass", { "vantagepoint.password": PASSWORD });
    run = await runProgram({
      program,
      projectDir: root,
      project: "vantagepoint-connect",
      stack: "pass",
      config,
      secretKeys,
      knownSecrets: [PASSWORD],
      dynamicExecutor: async (_type, name, inputs) => {
        executed.push({ name, inputs });
        return { clientId: "client-from-executor", fingerprint: "abc123" };
      },
    });
  });

  it("captures every resource with engine URNs, the root stack first", () => {
    assert.equal(run.error, undefined);
    const types = run.resources.map((r) => r.type);
    assert.equal(types[0], "pulumi:pulumi:Stack");
    assert.deepEqual(types.slice(1).sort(), [
      "azure-native:keyvault:Secret",
      "azure-native:network:NetworkSecurityGroup",
      "azure-native:network:PublicIPAddress",
      "pulumi-nodejs:dynamic:Resource",
      "vantagepoint-connect:index:ConnectSite",
    ]);
    const site = run.resources.find((r) => r.type === "vantagepoint-connect:index:ConnectSite")!;
    assert.equal(
      site.urn,
      "urn:pulumi:pass::vantagepoint-connect::vantagepoint-connect:index:ConnectSite::connect",
    );
    assert.equal(site.parent, run.resources[0]!.urn);
    assert.equal(site.custom, false);
    const ip = run.resources.find((r) => r.type === "azure-native:network:PublicIPAddress")!;
    assert.equal(
      ip.urn,
      "urn:pulumi:pass::vantagepoint-connect::vantagepoint-connect:index:ConnectSite$azure-native:network:PublicIPAddress::vpconnect-dev-pip",
    );
    assert.equal(ip.parent, site.urn);
    assert.equal(
      ip.outputs.id,
      "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-vpconnect-dev/providers/Microsoft.Network/publicIPAddresses/vpconnect-dev-pip",
    );
    assert.match(String(ip.outputs.ipAddress), /^\d+\.\d+\.\d+\.\d+$/);
    assert.deepEqual((ip.inputs.sku as { name: string }).name, "Standard");
  });

  it("records protect, retainOnDelete, additionalSecretOutputs and dependencies", () => {
    const client = run.resources.find((r) => r.type === "pulumi-nodejs:dynamic:Resource")!;
    assert.equal(client.protect, true);
    assert.equal(client.retainOnDelete, true);
    assert.deepEqual(client.additionalSecretOutputs, ["connection"]);
    const nsg = run.resources.find((r) => r.type === "azure-native:network:NetworkSecurityGroup")!;
    const ip = run.resources.find((r) => r.type === "azure-native:network:PublicIPAddress")!;
    assert.ok(nsg.dependencies.includes(ip.urn));
    assert.equal(nsg.protect, false);
  });

  it("masks secret inputs and outputs and records their paths", () => {
    const client = run.resources.find((r) => r.type === "pulumi-nodejs:dynamic:Resource")!;
    assert.ok(client.secretPaths.includes("connection.password"));
    assert.equal((client.inputs.connection as Record<string, unknown>).password, "[secret]");
    assert.equal(client.outputs.connection, "[secret]");
    const secret = run.resources.find((r) => r.type === "azure-native:keyvault:Secret")!;
    assert.deepEqual(secret.secretPaths, ["properties.value"]);
    assert.equal((secret.inputs.properties as Record<string, unknown>).value, "[secret]");
    assert.equal(run.outputs.apiPassword, "[secret]");
    const dump = JSON.stringify({ resources: run.resources, outputs: run.outputs });
    for (const sentinel of [PASSWORD, "sentinel-kv-value-5b1f", "sentinel-output-secret-9c2e"])
      assert.ok(!dump.includes(sentinel), sentinel);
    // Masking is by secret values: a secret object's password is one; its URL and paths are not, so text
    // elsewhere that contains "/user" or the API URL stays readable.
    assert.equal(run.outputs.connectionInfo, "[secret]");
    assert.ok(!dump.includes("sentinel-object-password-7d3a"));
    assert.equal(run.outputs.identityType, "Microsoft.ManagedIdentity/userAssignedIdentities");
    assert.equal(run.outputs.publicUrl, "https://vantagepoint.example.com/vantagepoint");
    // Policies get plaintext, as under the engine.
    assert.equal(
      (run.policyView.get(secret.urn)!.inputs.properties as Record<string, unknown>).value,
      "sentinel-kv-value-5b1f",
    );
  });

  it("runs the dynamic executor with plaintext inputs and uses its outs as outputs", () => {
    assert.equal(executed.length, 1);
    assert.equal(executed[0]!.name, "connect-api-client");
    assert.equal((executed[0]!.inputs.connection as Record<string, unknown>).password, PASSWORD);
    assert.equal(executed[0]!.inputs.__provider, undefined);
    const client = run.resources.find((r) => r.type === "pulumi-nodejs:dynamic:Resource")!;
    assert.equal(client.outputs.clientId, "client-from-executor");
    assert.equal(client.outputs.fingerprint, "abc123");
  });

  it("exports stack outputs, and the program runs again fresh in the same process", async () => {
    assert.equal(run.outputs.publicUrl, "https://vantagepoint.example.com/vantagepoint");
    assert.equal(run.outputs.rosterSize, 6);
    const { config, secretKeys } = engineConfig("fail");
    const again = await runProgram({
      program,
      projectDir: root,
      project: "vantagepoint-connect",
      stack: "fail",
      config,
      secretKeys,
    });
    assert.equal(again.error, undefined);
    assert.equal(again.resources.length, run.resources.length);
    const ip = again.resources.find((r) => r.type === "azure-native:network:PublicIPAddress")!;
    assert.equal((ip.inputs.tags as Record<string, string>).costCenter, undefined);
    assert.ok(ip.urn.startsWith("urn:pulumi:fail::"));
  });

  it("surfaces a program that throws (ConfigError) with zero resources", async () => {
    const { config, secretKeys } = engineConfig("invalid");
    const failed = await runProgram({
      program,
      projectDir: root,
      project: "vantagepoint-connect",
      stack: "invalid",
      config,
      secretKeys,
    });
    assert.equal(failed.resources.length, 0);
    const error = failed.error as { name: string; issues: Array<{ key: string }> };
    assert.equal(error.name, "ConfigError");
    assert.ok(error.issues.some((i) => i.key === "vpconnect:site.publicHostname"));
  });
});

describe("evaluator: toEngineConfig", () => {
  it("marks keys with secure leaves secret, keeps ciphertext, applies plaintext overrides", () => {
    const { config, secretKeys } = toEngineConfig(
      {
        "vpconnect:vantagepoint": {
          username: "u",
          password: { secure: "v1:abc" },
          clientSecret: { secure: "v1:def" },
        },
        "vpconnect:site": { publicHostname: "x.example.com" },
        "azure-native:location": "westeurope",
      },
      { "vantagepoint.password": "plain-pw" },
    );
    assert.deepEqual(secretKeys, ["vpconnect:vantagepoint"]);
    assert.deepEqual(JSON.parse(config["vpconnect:vantagepoint"]!), {
      username: "u",
      password: "plain-pw",
      clientSecret: { secure: "v1:def" },
    });
    assert.equal(config["azure-native:location"], "westeurope");
    assert.equal(JSON.parse(config["vpconnect:site"]!).publicHostname, "x.example.com");
  });
});

describe("evaluator: a program whose apply throws", () => {
  it("returns the error instead of waiting for an output that never resolves", async () => {
    const { config, secretKeys } = engineConfig("pass");
    const run = await runProgram({
      program: path.join(root, "test", "fixtures", "programs", "failing-apply", "index.js"),
      projectDir: root,
      project: "vantagepoint-connect",
      stack: "pass",
      config,
      secretKeys,
    });
    assert.match(
      String((run.error as Error)?.message),
      /Thing value: http:\/\/example\.com must use https:\/\//,
    );
    assert.ok(run.resources.some((r) => r.type === "test:index:Thing"));
  });

  it("reports a dynamic resource whose create fails, and still finishes the run", async () => {
    const { config, secretKeys } = engineConfig("pass");
    const run = await runProgram({
      program,
      projectDir: root,
      project: "vantagepoint-connect",
      stack: "pass",
      config,
      secretKeys,
      dynamicExecutor: async () => {
        throw new Error("POST /user failed with 400: Role CONNECT does not exist.");
      },
    });
    assert.match(String((run.error as Error)?.message), /Role CONNECT does not exist/);
  });
});
