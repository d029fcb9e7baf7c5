/**
 * The policy pack installs and runs on its own, as `pulumi policy publish` ships it or a team copies it: the
 * packed tarball (built by `prepack`: compiled JavaScript, lib/'s pure modules compiled in), installed with its
 * lockfile and without dev or optional peer dependencies (so without TypeScript, where run-policy-pack falls
 * back to its vendored TypeScript 3.8), then started with run-policy-pack and asked to analyze, over gRPC.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { AnalyzerError, PackAnalyzer } from "../../evaluator/analyzer";

const POLICIES = path.join(__dirname, "..", "..", "policies");
const NPM = process.platform === "win32" ? "npm.cmd" : "npm";
const STACK = { project: "standalone", stack: "dev", dryRun: false, config: {}, secretKeys: [] };

describe("policies/: a standalone install of the packed pack", function () {
  this.timeout(600_000);
  let dir: string;
  let packDir: string;
  let files: string[];

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "vpconnect-pack-"));
    const out = execFileSync(NPM, ["pack", "--json", "--pack-destination", dir], {
      cwd: POLICIES,
      encoding: "utf8",
    });
    const [packed] = JSON.parse(out.slice(out.indexOf("["))) as Array<{
      filename: string;
      files: Array<{ path: string }>;
    }>;
    files = packed!.files.map((f) => f.path);
    execFileSync("tar", ["xzf", path.join(dir, path.basename(packed!.filename))], { cwd: dir });
    packDir = path.join(dir, "package");
    fs.copyFileSync(path.join(POLICIES, "package-lock.json"), path.join(packDir, "package-lock.json"));
    execFileSync(
      NPM,
      ["ci", "--omit=dev", "--omit=peer", "--ignore-scripts", "--prefer-offline", "--no-audit", "--no-fund"],
      { cwd: packDir, stdio: "ignore" },
    );
    // npm 11 still installs TypeScript here as @pulumi/pulumi's optional peer (the lockfile has it for the
    // pack's dev build); installers that skip optional peers (pnpm, yarn, older npm) leave it out, and then
    // run-policy-pack falls back to its vendored TypeScript 3.8. Remove it to run exactly that case.
    fs.rmSync(path.join(packDir, "node_modules", "typescript"), { recursive: true, force: true });
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("ships compiled JavaScript with lib/'s CIDR and email modules inside, no TypeScript sources", () => {
    for (const f of [
      "PulumiPolicy.yaml",
      "connect-ips.json",
      "bin/policies/index.js",
      "bin/lib/cidr.js",
      "bin/lib/people.js",
    ])
      assert.ok(files.includes(f), `${f} is in the tarball`);
    assert.deepEqual(
      files.filter((f) => f.endsWith(".ts")),
      [],
    );
    assert.ok(
      !fs.existsSync(path.join(packDir, "node_modules", "typescript")),
      "installed without TypeScript",
    );
    assert.ok(fs.existsSync(path.join(packDir, "node_modules", "cidr-tools")));
  });

  it("starts under run-policy-pack (vendored TypeScript 3.8 fallback) and enforces its policies over gRPC", async () => {
    const analyzer = await PackAnalyzer.start(packDir, STACK);
    try {
      assert.equal(analyzer.info.name, "vantagepoint-connect");
      assert.ok(analyzer.info.policies.some((p) => p.name === "connect-public-url-https"));
      const defaults = new Map(
        analyzer.info.policies.map((p) => [
          p.name,
          {
            level: p.enforcementLevel,
            config: Object.fromEntries(
              Object.entries(p.configSchema?.properties ?? {}).map(([k, v]) => [
                k,
                (v as { default?: unknown }).default,
              ]),
            ),
          },
        ]),
      );
      await analyzer.configure(defaults);
      const ip = {
        urn: "urn:pulumi:dev::standalone::azure-native:network:PublicIPAddress::ip",
        type: "azure-native:network:PublicIPAddress",
        name: "ip",
        parent: "",
        protect: false,
        ignoreChanges: [],
        additionalSecretOutputs: [],
        customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
        dependencies: [],
        propertyDependencies: {},
      };
      const result = await analyzer.analyze(ip, {
        sku: { name: "Basic" },
        publicIPAllocationMethod: "Static",
      });
      const p1 = result.diagnostics.find((d) => d.policy === "connect-public-url-https");
      assert.ok(p1, JSON.stringify(result.diagnostics));
      assert.equal(p1.level, "mandatory");
      assert.match(
        p1.engineMessage,
        /^The Application Gateway that publishes Vantagepoint.*\nPublic IP 'ip' must use sku.name "Standard"/s,
      );
    } finally {
      await analyzer.close();
    }
  });

  it("fails to start with a tsconfig TypeScript 3.8 cannot read (what the pack's own tsconfig avoids)", async () => {
    const bad = path.join(packDir, "tsconfig.json");
    fs.writeFileSync(bad, JSON.stringify({ compilerOptions: { target: "ES2022", module: "nodenext" } }));
    try {
      await assert.rejects(PackAnalyzer.start(packDir, STACK), (e: unknown) => {
        assert.ok(e instanceof AnalyzerError);
        assert.match((e as Error).message, /failed to start[\s\S]*TS6046/);
        return true;
      });
      // The pack's own tsconfig.json parses under TypeScript 3.8: the same folder starts with it.
      fs.copyFileSync(path.join(POLICIES, "tsconfig.json"), bad);
      const analyzer = await PackAnalyzer.start(packDir, STACK);
      await analyzer.close();
    } finally {
      fs.rmSync(bad, { force: true });
    }
  });
});
