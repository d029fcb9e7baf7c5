/**
 * What bin/vpconnect.js does before the check loads: SWC's answers kept on disk between processes
 * (bin/tsOutputs.js cacheSwcOutputs), and @pulumi/pulumi's unused @npmcli/arborist loaded on first use only
 * (bin/deferModules.js).
 */
import assert from "node:assert/strict";
import { pluginPreloadArgs } from "../../evaluator/grpc/plugin";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const { cacheSwcOutputs } = require("../../bin/tsOutputs") as {
  cacheSwcOutputs: (swcModulePath: string, cacheDir: string) => void;
};

describe("bin/tsOutputs: SWC's answers on disk", () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "vpconnect-swc-"))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** A stand-in @swc/core (its own module file, so each test wraps a fresh one) counting its transpiles. */
  function fakeSwc(version: string) {
    const pkg = path.join(dir, `swc-${version}`);
    fs.mkdirSync(pkg);
    fs.writeFileSync(path.join(pkg, "package.json"), JSON.stringify({ name: "@swc/core", version }));
    fs.writeFileSync(
      path.join(pkg, "index.js"),
      "exports.calls = 0; exports.transformSync = (input, o) => { exports.calls++; return { code: `js(${input})#${exports.calls}`, map: `map:${o.filename}` }; };",
    );
    const file = path.join(pkg, "index.js");
    return {
      file,
      swc: require(file) as {
        calls: number;
        transformSync: (i: string, o: object) => { code: string; map: string };
      },
    };
  }

  it("a second process gets the first one's answer; changed text, options or SWC version transpile again", () => {
    const cache = path.join(dir, "cache");
    const first = fakeSwc("1.0.0");
    cacheSwcOutputs(first.file, cache);
    assert.deepEqual(first.swc.transformSync("a", { filename: "/p/a.ts" }), {
      code: "js(a)#1",
      map: "map:/p/a.ts",
    });
    // What another process sees: the cache on disk (a fresh wrap of another module instance of the same version).
    const again = fakeSwc("1.0.0-again");
    fs.writeFileSync(
      path.join(path.dirname(again.file), "package.json"),
      JSON.stringify({ version: "1.0.0" }),
    );
    cacheSwcOutputs(again.file, cache);
    assert.deepEqual(again.swc.transformSync("a", { filename: "/p/a.ts" }), {
      code: "js(a)#1",
      map: "map:/p/a.ts",
    });
    assert.equal(again.swc.calls, 0);
    assert.equal(again.swc.transformSync("b", { filename: "/p/a.ts" }).code, "js(b)#1");
    assert.equal(again.swc.transformSync("a", { filename: "/p/other.ts" }).code, "js(a)#2");
    const newer = fakeSwc("2.0.0");
    cacheSwcOutputs(newer.file, cache);
    assert.equal(newer.swc.transformSync("a", { filename: "/p/a.ts" }).code, "js(a)#1");
    assert.equal(newer.swc.calls, 1);
  });

  it("VPCONNECT_TS_CACHE=0 leaves SWC as it is", () => {
    const saved = process.env.VPCONNECT_TS_CACHE;
    process.env.VPCONNECT_TS_CACHE = "0";
    try {
      const { file, swc } = fakeSwc("1.0.0");
      cacheSwcOutputs(file, path.join(dir, "cache"));
      swc.transformSync("a", { filename: "/p/a.ts" });
      swc.transformSync("a", { filename: "/p/a.ts" });
      assert.equal(swc.calls, 2);
      assert.equal(fs.existsSync(path.join(dir, "cache")), false);
    } finally {
      if (saved === undefined) delete process.env.VPCONNECT_TS_CACHE;
      else process.env.VPCONNECT_TS_CACHE = saved;
    }
  });
});

describe("bin/deferModules: @pulumi/pulumi's unused modules on first use", function () {
  this.timeout(60_000);
  const root = path.join(__dirname, "..", "..");
  const run = (code: string) =>
    execFileSync(process.execPath, ["-e", code], { cwd: root, encoding: "utf8" }).trim();
  const loaded = `Object.keys(require.cache).some((k) => k.includes("@npmcli/arborist/lib/arborist/"))`;

  it("@pulumi/pulumi loads without it, and the SDK's Arborist is the real one when used", () => {
    assert.equal(run(`require("@pulumi/pulumi"); console.log(${loaded})`), "true");
    const out = run(
      `require("./bin/deferModules").deferArborist(process.cwd()); require("@pulumi/pulumi"); const before = ${loaded};` +
        `const a = require(require.resolve("@npmcli/arborist", { paths: [require.resolve("@pulumi/pulumi")] }));` +
        `const arb = new a.Arborist({ path: process.cwd() }); console.log(before, ${loaded}, typeof arb.loadActual)`,
    );
    assert.equal(out, "false true function");
  });

  it("the plugin processes a check starts preload it (bin/pluginPreload.js): the SDK loads without arborist", () => {
    const args = pluginPreloadArgs();
    assert.deepEqual(args, ["-r", path.join(root, "bin", "pluginPreload.js")]);
    const out = execFileSync(
      process.execPath,
      [...args, "-e", `require("@pulumi/pulumi"); console.log(${loaded})`],
      {
        cwd: root,
        encoding: "utf8",
      },
    ).trim();
    assert.equal(out, "false");
  });

  /** Which of the deferred modules' own files are loaded: arborist, normalize-package-data, the Automation API. */
  const which = `["@npmcli/arborist/lib/arborist/", "normalize-package-data/lib/fixer.js", "pulumi/automation/stack.js", "/execa/"].map((f) => Object.keys(require.cache).some((k) => k.includes(f))).join(" ")`;

  it("normalize-package-data and the Automation API load on first use too, and work as the real ones", () => {
    assert.equal(run(`require("@pulumi/pulumi"); console.log(${which})`), "true true true true");
    const out = run(
      `require("./bin/deferModules").deferUnusedPulumiModules(process.cwd()); const pulumi = require("@pulumi/pulumi"); const before = ${which};` +
        `const normalize = require(require.resolve("normalize-package-data", { paths: [require.resolve("@pulumi/pulumi")] }));` +
        `const data = { repository: "github:a/b" }; normalize(data);` +
        `const ws = pulumi.automation.LocalWorkspace; console.log(before, "|", ${which}, "|", data.repository.url, typeof ws.create, "LocalWorkspace" in pulumi.automation, Object.keys(pulumi.automation).includes("Stack"))`,
    );
    assert.equal(
      out,
      "false false false false | false true true true | git+https://github.com/a/b.git function true true",
    );
  });
});
