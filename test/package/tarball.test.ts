// The npm package as a user gets it: `npm pack`, installed into a fresh consumer project (offline: the packed
// files are unpacked the way npm does, and the package's declared dependencies are linked from this project's
// node_modules, so nothing undeclared and no devDependency is reachable from the package's own code), a consumer
// program type-checked against the published declarations and run under Pulumi mocks.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const root = path.resolve(__dirname, "../..");
const fixture = path.join(__dirname, "consumer");
const tsc = path.join(root, "node_modules", "typescript", "bin", "tsc");

interface PackedManifest {
  name: string;
  version: string;
  main: string;
  types: string;
  bin: Record<string, string>;
  exports: Record<string, unknown>;
  dependencies: Record<string, string>;
  peerDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

/** `npm pack` of this repository (its prepack script builds dist/) into `dir`; the tarball's path and files. */
function pack(dir: string): { tarball: string; files: string[] } {
  const out = execFileSync("npm", ["pack", "--pack-destination", dir, "--json"], {
    cwd: root,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  const [info] = JSON.parse(out.slice(out.indexOf("["))) as Array<{
    filename: string;
    files: Array<{ path: string }>;
  }>;
  return { tarball: path.join(dir, info!.filename), files: info!.files.map((f) => f.path) };
}

/**
 * Installs the tarball into `project` as npm lays it out: the package's files under node_modules/<name>, its bin
 * linked in node_modules/.bin, and each of its dependencies and peer dependencies (plus the consumer's own
 * `extra` ones) linked from this repository's node_modules.
 */
function install(tarball: string, project: string, extra: string[]): PackedManifest {
  const modules = path.join(project, "node_modules");
  const target = path.join(modules, "vantagepoint-connect");
  fs.mkdirSync(target, { recursive: true });
  execFileSync("tar", ["-xzf", tarball, "-C", target, "--strip-components=1"]);
  const manifest = JSON.parse(fs.readFileSync(path.join(target, "package.json"), "utf8")) as PackedManifest;
  const names = [
    ...Object.keys(manifest.dependencies),
    ...Object.keys(manifest.peerDependencies ?? {}),
    ...extra,
  ];
  for (const name of names) {
    const link = path.join(modules, name);
    fs.mkdirSync(path.dirname(link), { recursive: true });
    fs.symlinkSync(path.join(root, "node_modules", name), link);
  }
  fs.mkdirSync(path.join(modules, ".bin"), { recursive: true });
  for (const [name, file] of Object.entries(manifest.bin)) {
    fs.symlinkSync(path.join("..", "vantagepoint-connect", file), path.join(modules, ".bin", name));
  }
  return manifest;
}

/** The Pulumi TypeScript template's tsconfig (commonjs, node resolution) or a nodenext one. */
function tsconfig(kind: "template" | "nodenext", files: string[]): string {
  const module =
    kind === "template"
      ? { module: "commonjs", moduleResolution: "node", target: "es2020" }
      : { module: "nodenext", moduleResolution: "nodenext", target: "es2022" };
  return JSON.stringify({
    compilerOptions: { ...module, strict: true, outDir: "bin", types: ["node"], noImplicitReturns: true },
    files,
  });
}

function typeCheck(project: string, config: string): { status: number | null; output: string } {
  const file = path.join(project, "tsconfig.check.json");
  fs.writeFileSync(file, config);
  const run = spawnSync(process.execPath, [tsc, "-p", file], { cwd: project, encoding: "utf8" });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe("the npm package (npm pack, installed into a fresh project)", function () {
  this.timeout(240_000);
  let work: string;
  let consumer: string;
  let files: string[];
  let manifest: PackedManifest;
  let tarball: string;

  before(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), "vpconnect-package-"));
    const packed = pack(work);
    files = packed.files;
    tarball = packed.tarball;
    consumer = path.join(work, "consumer");
    fs.mkdirSync(consumer);
    for (const f of fs.readdirSync(fixture)) fs.copyFileSync(path.join(fixture, f), path.join(consumer, f));
    fs.writeFileSync(
      path.join(consumer, "package.json"),
      JSON.stringify({ name: "consumer", version: "1.0.0", private: true, main: "bin/index.js" }),
    );
    manifest = install(packed.tarball, consumer, ["typescript", "@types/node"]);
  });
  after(() => fs.rmSync(work, { recursive: true, force: true }));

  it("ships compiled JavaScript with declarations, the bin and the verification script, and no tests", () => {
    for (const f of [
      "dist/components/index.js",
      "dist/components/index.d.ts",
      "dist/components/connectSite.d.ts",
      "dist/lib/allowList.js",
      "dist/lib/people.d.ts",
      "dist/emulator/index.js",
      "dist/cli/main.js",
      "bin/vpconnect.js",
      "scripts/verify-site.js",
      "scripts/verify-site/checks.js",
      "scripts/verify-site/errors.js",
      "scripts/verify-site/fixes.js",
      "scripts/verify-site/options.js",
      "scripts/verify-site/report.js",
      "scripts/verify-site/request.js",
      "PulumiPlugin.yaml",
      "policies/PulumiPolicy.yaml",
      "policies/package.json",
      "policies/bin/policies/index.js",
      "policies/connect-ips.json",
      "policies/config.example.json",
    ]) {
      assert.ok(files.includes(f), `${f} is in the tarball`);
    }
    assert.deepEqual(
      files.filter(
        (f) =>
          /^(test|bench|stacks)\//.test(f) ||
          (f.startsWith("policies/") && (f.endsWith(".ts") || f.includes("node_modules"))) ||
          f.endsWith(".map"),
      ),
      [],
      "no tests, benchmarks, stacks, policy sources or source maps (the policy pack ships compiled)",
    );
  });

  it("has no build or test tool among its run-time dependencies, and @pulumi/pulumi as a peer", () => {
    for (const tool of ["ts-node", "typescript", "mocha", "eslint", "prettier", "@types/node"]) {
      assert.equal(manifest.dependencies[tool], undefined, `${tool} must not be a run-time dependency`);
    }
    assert.equal(manifest.dependencies["@pulumi/pulumi"], undefined);
    assert.equal(manifest.peerDependencies?.["@pulumi/pulumi"], "^3.245.0");
    // ./dist/components/vantagepoint/*: the modules Pulumi's serialized dynamic providers require by that path.
    assert.deepEqual(Object.keys(manifest.exports).sort(), [
      ".",
      "./dist/components/vantagepoint/*",
      "./emulator",
      "./lib/*",
      // Excluded (null): the stack loader's checked-roster mark, which would let a caller skip the per-person checks.
      "./lib/site/checkedRoster",
      "./lib/vantagepoint",
      "./package.json",
    ]);
    assert.equal(manifest.exports["./lib/site/checkedRoster"], null);
  });

  for (const kind of ["template", "nodenext"] as const) {
    it(`type-checks a consumer program declaring a ConnectSite with typed args (${kind} tsconfig)`, () => {
      const { status, output } = typeCheck(consumer, tsconfig(kind, ["index.ts"]));
      assert.equal(status, 0, output);
    });
  }

  it("refuses a consumer program that passes a wrong value, naming it", () => {
    const { status, output } = typeCheck(consumer, tsconfig("template", ["wrong.ts"]));
    assert.notEqual(status, 0);
    assert.match(output, /wrong\.ts.*"everywhere"/s);
  });

  describe("the consumer program under mocks", () => {
    let run: {
      publicUrl: string;
      allowedRanges: string[];
      resources: Array<{ type: string; name: string; inputs: Record<string, unknown> }>;
    };
    before(() => {
      const { status, output } = typeCheck(consumer, tsconfig("template", ["index.ts"]));
      assert.equal(status, 0, output);
      const result = path.join(work, "run.json");
      execFileSync(process.execPath, ["run-mocks.js", result], { cwd: consumer, stdio: "pipe" });
      run = JSON.parse(fs.readFileSync(result, "utf8"));
    });

    it("registers the site with its parts and the standalone Vantagepoint resources", () => {
      const types = new Set(run.resources.map((r) => r.type));
      for (const t of [
        "vantagepoint-connect:index:ConnectSite",
        "vantagepoint-connect:index:PublicEndpoint",
        "vantagepoint-connect:index:ConnectAllowList",
        "vantagepoint-connect:index:ConnectKeyVault",
        "vantagepoint-connect:index:VantagepointLoginApp",
        "vantagepoint-connect:index:SiteVerification",
        "azure-native:network:ApplicationGateway",
      ]) {
        assert.ok(types.has(t), `${t} registered`);
      }
      const dynamic = run.resources.filter((r) => r.type === "pulumi-nodejs:dynamic:Resource");
      assert.deepEqual(dynamic.map((r) => r.name).sort(), [
        "other-client",
        "other-roster",
        "site-admin-role",
        "site-connect-api-client",
        "site-roster",
      ]);
      assert.equal(run.publicUrl, "https://vp.contoso.example/vantagepoint");
      assert.deepEqual(run.allowedRanges, ["198.51.100.0/24", "203.0.113.0/24"]);
    });

    it("runs the verification script from the installed package", () => {
      const verify = run.resources.find((r) => r.name === "site-verification-verify")!;
      const script = String(verify.inputs.create);
      assert.ok(
        script.startsWith(path.join(consumer, "node_modules", "vantagepoint-connect") + path.sep),
        `verify-site.js comes from the installed package, not ${script}`,
      );
      assert.ok(fs.existsSync(script));
    });

    it("serializes dynamic providers that load their client from the install even after it moved", () => {
      const roster = run.resources.find((r) => r.name === "other-roster")!;
      const providerFile = path.join(work, "provider.js");
      const rosterInputs = {
        connection: {
          url: "https://vp.contoso.example/vantagepoint/api",
          database: "VP",
          username: "api",
          password: "p",
          clientId: "c",
          clientSecret: "s",
        },
        entries: [
          { userId: "LBROWN", email: "l.brown@contoso.example", firstName: "Lee", lastName: "Brown" },
        ],
        onDelete: "detach",
      };
      fs.writeFileSync(providerFile, String(roster.inputs.__provider));
      // Another checkout of the consumer project (CI runner, other machine): the original folder is gone.
      const moved = path.join(work, "consumer-elsewhere");
      fs.renameSync(consumer, moved);
      try {
        const check = spawnSync(
          process.execPath,
          [
            "-e",
            `const load = require(require.resolve("require-from-string", { paths: [require.resolve("@pulumi/pulumi")] }));
             const provider = load(require("fs").readFileSync(${JSON.stringify(providerFile)}, "utf8")).handler();
             provider.check({}, ${JSON.stringify(rosterInputs)}).then(
               (r) => { process.stdout.write(JSON.stringify(r.failures)); },
               (e) => { process.stderr.write(String(e && e.stack || e)); process.exit(1); });`,
          ],
          { cwd: moved, encoding: "utf8" },
        );
        assert.equal(check.status, 0, check.stderr);
        assert.deepEqual(JSON.parse(check.stdout), [], "the roster checks out (its client library loaded)");
      } finally {
        fs.renameSync(moved, consumer);
      }
    });

    it("installs a vpconnect command that runs without ts-node", () => {
      const help = spawnSync(path.join(consumer, "node_modules", ".bin", "vpconnect"), ["--help"], {
        cwd: consumer,
        encoding: "utf8",
      });
      assert.equal(help.status, 0, help.stderr);
      assert.match(help.stdout, /^ +check +run the program offline/m);
      const version = spawnSync(path.join(consumer, "node_modules", ".bin", "vpconnect"), ["--version"], {
        cwd: consumer,
        encoding: "utf8",
      });
      assert.equal(version.status, 0, version.stderr);
      assert.equal(version.stdout.trim(), `vpconnect ${manifest.version}`);
    });
  });

  describe("the README's TypeScript blocks (Use it from your own program), as a user runs them", () => {
    let blocks: string[];
    before(() => {
      const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");
      const start = readme.indexOf("\n## Use it from your own program");
      const section = readme.slice(start, readme.indexOf("\n## ", start + 1));
      blocks = [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
      blocks.forEach((b, i) => fs.writeFileSync(path.join(consumer, `readme-${i + 1}.ts`), b));
    });

    it("finds the site example and the Vantagepoint side alone", () => {
      assert.equal(blocks.length, 2);
      assert.match(blocks[0]!, /new ConnectSite\(/);
    });

    it("compiles each in the consumer project with Pulumi's template tsconfig", () => {
      const files = blocks.map((_, i) => `readme-${i + 1}.ts`);
      const { status, output } = typeCheck(consumer, tsconfig("template", files));
      assert.equal(status, 0, output);
    });

    it("runs the site example under plain mocks with the invoke answers the README documents", () => {
      const result = path.join(work, "readme-run.json");
      const config = {
        "vp:connectIps": JSON.stringify(["203.0.113.0/24", "198.51.100.0/24"]),
        "vp:password": "readme-sentinel-password",
        "vp:clientSecret": "readme-sentinel-secret",
      };
      execFileSync(process.execPath, ["run-mocks.js", result, "./bin/readme-1.js"], {
        cwd: consumer,
        stdio: "pipe",
        env: { ...process.env, PULUMI_CONFIG: JSON.stringify(config) },
      });
      const ran = JSON.parse(fs.readFileSync(result, "utf8")) as {
        publicUrl: string;
        resources: Array<{ type: string; name: string }>;
      };
      assert.equal(ran.publicUrl, "https://vantagepoint.contoso.com/vantagepoint");
      const types = new Set(ran.resources.map((r) => r.type));
      for (const t of ["vantagepoint-connect:index:ConnectSite", "azure-native:network:ApplicationGateway"]) {
        assert.ok(types.has(t), `${t} registered`);
      }
    });
  });

  describe("npx vpconnect check in a consumer project (README: Check your own program)", () => {
    let project: string;
    let section: string;
    /** `npx --offline vpconnect <args>` in the consumer project, as a user runs it (the bin of the installed package). */
    const npx = (...args: string[]) =>
      spawnSync("npx", ["--offline", "vpconnect", ...args], {
        cwd: project,
        encoding: "utf8",
        env: { ...process.env, npm_config_update_notifier: "false" },
      });
    /** The README from `heading` to the next heading of the same level. */
    const readmeSection = (heading: string): string => {
      const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");
      const start = readme.indexOf(`\n${heading}\n`);
      assert.ok(start >= 0, `README has ${heading}`);
      const level = heading.slice(0, heading.indexOf(" ") + 1);
      return readme.slice(start, readme.indexOf(`\n${level}`, start + 1));
    };

    before(() => {
      // A TypeScript Pulumi project: the README's program, Pulumi's template tsconfig, ts-node and typescript.
      project = path.join(work, "check-consumer");
      fs.mkdirSync(project);
      install(tarball, project, ["typescript", "@types/node", "ts-node"]);
      const own = readmeSection("## Use it from your own program");
      const program = [...own.matchAll(/```ts\n([\s\S]*?)```/g)][0]![1]!;
      fs.writeFileSync(path.join(project, "index.ts"), program);
      fs.writeFileSync(path.join(project, "Pulumi.yaml"), "name: consumer\nruntime: nodejs\n");
      fs.writeFileSync(
        path.join(project, "package.json"),
        JSON.stringify({ name: "consumer", version: "1.0.0", private: true, main: "index.ts" }),
      );
      fs.writeFileSync(path.join(project, "tsconfig.json"), tsconfig("template", ["index.ts"]));
      section = readmeSection("### Check your own program");
      const stackFile = /```yaml\n([\s\S]*?)```/.exec(section)![1]!;
      fs.writeFileSync(path.join(project, "Pulumi.dev.yaml"), stackFile);
    });

    it("the README's commands are the ones run here", () => {
      const commands = /```sh\n([\s\S]*?)```/.exec(section)![1]!;
      assert.match(commands, /^npx vpconnect check --stack dev +#/m);
      assert.match(
        commands,
        /^npx vpconnect check --stack dev --out reports --format table,json,sarif,junit +#/m,
      );
    });

    it("runs the consumer's own program with the policy pack shipped in the package (exit 0)", () => {
      const run = npx("check", "--stack", "dev", "--out", "reports", "--format", "table,json,sarif,junit");
      assert.equal(run.status, 0, run.stdout + run.stderr);
      assert.doesNotMatch(run.stdout + run.stderr, /no such folder/);
      assert.match(run.stdout, /^ {2}PASS +connect-public-url-https +mandatory +P1 /m);
      assert.match(run.stdout, /^PASSED: no mandatory violation/m);
      const report = JSON.parse(
        fs.readFileSync(path.join(project, "reports", "dev.policy.json"), "utf8"),
      ) as {
        packs: Array<{ name: string; dir: string }>;
        resources: Array<{ type: string }>;
        outputs: Record<string, unknown>;
      };
      assert.deepEqual(
        report.packs.map((p) => [p.name, fs.realpathSync(path.resolve(project, p.dir))]),
        [
          [
            "vantagepoint-connect",
            fs.realpathSync(path.join(project, "node_modules", "vantagepoint-connect", "policies")),
          ],
        ],
      );
      assert.ok(report.resources.some((r) => r.type === "azure-native:network:ApplicationGateway"));
      for (const f of ["dev.sarif", "dev.junit.xml"])
        assert.ok(fs.existsSync(path.join(project, "reports", f)), f);
      assert.doesNotMatch(run.stdout, /n7Yd2Qk5Wc8Rt1Lp|q0cX9o2b5y3S4d7L/, "no ciphertext echoed");
    });

    it("exits 2 with the component's own message when the program's args are bad (no stack frame)", () => {
      const stack = fs.readFileSync(path.join(project, "Pulumi.dev.yaml"), "utf8");
      fs.writeFileSync(
        path.join(project, "Pulumi.bad.yaml"),
        stack.replace('vp:connectIps: ["203.0.113.0/24", "198.51.100.0/24"]', 'vp:connectIps: ["0.0.0.0/0"]'),
      );
      const run = npx("check", "--stack", "bad");
      assert.equal(run.status, 2, run.stdout + run.stderr);
      assert.match(
        run.stdout,
        /The program failed: ConnectSite "site": 1 problem in its args; nothing was created:\n {2}allowList\.connectIps\[0\]: 0\.0\.0\.0\/0 admits every address; list Connect's published addresses instead\n/,
      );
      assert.doesNotMatch(run.stdout + run.stderr, /\(at |argsCheck|\.ts:\d+|\.js:\d+/);
    });
  });
});
