/**
 * The analyzer driver's own gates (evaluator/analyzer.ts, evaluator/packBuild.ts): what stops a pack from
 * starting is a clear error, and a changed TypeScript pack is never evaluated from a stale build.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { AnalyzerError, PackAnalyzer } from "../../evaluator/analyzer";
import { ensurePackBuilt, packBuildIsCurrent } from "../../evaluator/packBuild";

const STACK = { project: "p", stack: "dev", dryRun: false, config: {}, secretKeys: [] };

describe("evaluator: starting a pack as the engine does", function () {
  this.timeout(120_000);
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "vpconnect-analyzer-"))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("refuses a stack config the engine could not hand a pack (one environment variable, 128 KiB on Linux)", async () => {
    const big = { "vpconnect:roster": JSON.stringify({ users: "x".repeat(140 * 1024) }) };
    await assert.rejects(
      PackAnalyzer.start(path.join(__dirname, "..", "..", "policies"), { ...STACK, config: big }),
      (e: unknown) =>
        e instanceof AnalyzerError &&
        /PULUMI_CONFIG/.test(e.message) &&
        /128 KiB/.test(e.message) &&
        /vpconnect:roster\.file/.test(e.message),
    );
  });

  it("starts the pack with run-policy-pack as the engine does, @pulumi/pulumi's unused arborist deferred (bin/pluginPreload.js)", async () => {
    const pack = await PackAnalyzer.start(path.join(__dirname, "..", "..", "policies"), STACK);
    try {
      const args = (pack as unknown as { plugin: { child: { spawnargs: string[] } } }).plugin.child.spawnargs;
      assert.deepEqual(args.slice(1, 3), ["-r", path.join(__dirname, "..", "..", "bin", "pluginPreload.js")]);
      assert.match(args[3]!, /[/\\]@pulumi[/\\]pulumi[/\\]cmd[/\\]run-policy-pack[/\\]index\.js$/);
      assert.ok(pack.info.policies.length > 0);
    } finally {
      await pack.close();
    }
  });

  it("names the fix when the pack's dependencies are not installed (the engine's words)", async () => {
    fs.writeFileSync(path.join(dir, "PulumiPolicy.yaml"), "runtime: nodejs\n");
    await assert.rejects(PackAnalyzer.start(dir, STACK), (e: unknown) => {
      assert.ok(e instanceof AnalyzerError);
      assert.match((e as Error).message, /dependencies are not installed; try running npm install/);
      return true;
    });
  });

  it("rebuilds a TypeScript pack's compiled main when a source it imports changed, and only then", () => {
    fs.writeFileSync(
      path.join(dir, "package.json"),
      JSON.stringify({ name: "t", version: "1.0.0", main: "bin/index.js" }),
    );
    fs.writeFileSync(
      path.join(dir, "tsconfig.json"),
      JSON.stringify({ compilerOptions: { module: "commonjs", target: "ES2020", outDir: "bin" } }),
    );
    fs.mkdirSync(path.join(dir, "lib"));
    fs.writeFileSync(
      path.join(dir, "index.ts"),
      'import { limit } from "./lib/limit";\nexport const value: number = limit;\n',
    );
    fs.writeFileSync(path.join(dir, "lib", "limit.ts"), "export const limit = 1;\n");
    assert.equal(packBuildIsCurrent(dir), false);
    assert.equal(ensurePackBuilt(dir), "built");
    assert.equal(ensurePackBuilt(dir), "current");
    assert.match(fs.readFileSync(path.join(dir, "bin", "lib", "limit.js"), "utf8"), /limit = 1/);
    fs.writeFileSync(path.join(dir, "lib", "limit.ts"), "export const limit = 2;\n");
    assert.equal(packBuildIsCurrent(dir), false, "an edited import makes the build stale");
    assert.equal(ensurePackBuilt(dir), "built");
    assert.match(fs.readFileSync(path.join(dir, "bin", "lib", "limit.js"), "utf8"), /limit = 2/);
  });

  it("leaves a JavaScript pack as it is (the engine runs it unchanged)", () => {
    fs.writeFileSync(
      path.join(dir, "package.json"),
      JSON.stringify({ name: "t", version: "1.0.0", main: "index.js" }),
    );
    fs.writeFileSync(path.join(dir, "index.js"), "");
    assert.equal(ensurePackBuilt(dir), "not-built");
  });
});
