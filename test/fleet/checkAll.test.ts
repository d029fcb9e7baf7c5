/**
 * `vpconnect check --all` through the command line (main, in-process), as a CI job runs it: the bundled
 * stacks plus three generated sites (one failing a mandatory policy, one with an invalid config, one listed
 * twice), one table, one verdict, per-site and fleet reports, and a failing site never stopping the others.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseCheckArgs, FlagError } from "../../cli/check";
import { workerArgv } from "../../cli/checkAll";
import { root, site, vpconnect } from "../support/fleetSites";

describe("vpconnect check --all", function () {
  this.timeout(240_000);
  let dir: string;
  let out: string;
  let run: { code: number; stdout: string; stderr: string };
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "vpconnect-fleet-"));
    out = path.join(dir, "reports");
    // east drops one of Connect's ranges (P2 mandatory); west has a tenant id that is no GUID (invalid config);
    // north is the dev site under another name (passes).
    const east = site(dir, "east", (c) => (c["vpconnect:allowList"].connectIps = ["203.0.113.0/24"]));
    const west = site(dir, "west", (c) => (c["vpconnect:entra"].tenantId = "contoso.onmicrosoft.com"));
    const north = site(dir, "north", () => {});
    run = await vpconnect(
      "check",
      "--all",
      "stacks/Pulumi.dev.yaml",
      "stacks/Pulumi.prod.yaml",
      east,
      west,
      north,
      "--in-process",
      "--out",
      out,
    );
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("prints one table, a row per site in the order given, and one fleet verdict with exit 2 (an invalid site)", () => {
    const rows = run.stdout.split("\n").filter((l) => /^(dev|prod|east|west|north)\s/.test(l));
    assert.deepEqual(
      rows.map((r) => r.split(/\s+/).slice(0, 2)),
      [
        ["dev", "PASSED"],
        ["prod", "PASSED"],
        ["east", "FAILED"],
        ["west", "INVALID"],
        ["north", "PASSED"],
      ],
    );
    assert.match(
      run.stdout,
      /FLEET NOT ALL CHECKED: 5 sites, 3 passed, 1 failed, 1 invalid config, 0 refused\. Exit 2\./,
    );
    assert.equal(run.code, 2);
    // The invalid site says why, naming the key.
    assert.match(run.stdout, /west: INVALID CONFIG/);
  });

  it("the failing site's P2 is FAIL in its row, the others' P2 is not", () => {
    const header = run.stdout
      .split("\n")
      .find((l) => l.startsWith("site"))!
      .split(/\s+/);
    const p2 = header.indexOf("P2");
    const cellsOf = (stack: string) =>
      run.stdout
        .split("\n")
        .find((l) => l.startsWith(`${stack} `))!
        .split(/\s+/);
    assert.equal(cellsOf("east")[p2], "FAIL");
    assert.notEqual(cellsOf("north")[p2], "FAIL");
  });

  it("writes every site's own reports and the fleet's, the dashboard among them", () => {
    for (const stack of ["dev", "prod", "east", "west", "north"])
      assert.ok(fs.existsSync(path.join(out, `${stack}.policy.json`)), stack);
    for (const f of ["fleet.json", "fleet.md", "fleet.html", "fleet.junit.xml", "fleet.sarif"])
      assert.ok(fs.existsSync(path.join(out, f)), f);
    const fleet = JSON.parse(fs.readFileSync(path.join(out, "fleet.json"), "utf8"));
    assert.deepEqual(fleet.summary, { sites: 5, passed: 3, failed: 1, invalid: 1, refused: 0 });
    assert.equal(fleet.exitCode, 2);
    assert.equal(
      fleet.ipCopy.copiedOn,
      JSON.parse(fs.readFileSync(path.join(root, "policies", "connect-ips.json"), "utf8")).provenance
        .copiedOn,
    );
    // The east site's own report agrees with its row.
    const east = JSON.parse(fs.readFileSync(path.join(out, "east.policy.json"), "utf8"));
    assert.equal(east.exitCode, 1);
  });

  it("SARIF: one run per checked site, each with its own automation id", () => {
    const sarif = JSON.parse(fs.readFileSync(path.join(out, "fleet.sarif"), "utf8"));
    assert.deepEqual(
      sarif.runs.map((r: { automationDetails: { id: string } }) => r.automationDetails.id).sort(),
      // Each run is the site's own (the same category as its <stack>.sarif upload).
      [
        "vpconnect-check/dev/",
        "vpconnect-check/east/",
        "vpconnect-check/north/",
        "vpconnect-check/prod/",
        "vpconnect-check/west/",
      ],
    );
  });

  it("JUnit: a suite per site; the invalid site fails, east fails P2", () => {
    const xml = fs.readFileSync(path.join(out, "fleet.junit.xml"), "utf8");
    assert.equal((xml.match(/<testsuite /g) ?? []).length, 5);
    assert.match(xml, /<testcase classname="west" name="site checked"[^>]*>\s*<failure/);
    assert.match(xml, /<testcase classname="east" name="P2"[^>]*>\s*<failure/);
  });
});

describe("vpconnect check --all: flags and site lists", () => {
  it("refuses --all with --stack, --jobs without --all, and --jobs 0, naming the fix", () => {
    assert.throws(
      () => parseCheckArgs(["--all", "--stack", "dev"]),
      (e: unknown) => e instanceof FlagError && /drop --stack/.test(e.message),
    );
    assert.throws(
      () => parseCheckArgs(["--jobs", "2"]),
      (e: unknown) => e instanceof FlagError && /--jobs goes with --all/.test(e.message),
    );
    assert.throws(
      () => parseCheckArgs(["--all", "--jobs", "0"]),
      (e: unknown) => e instanceof FlagError && /whole number from 1 to 8/.test(e.message),
    );
    assert.throws(
      () => parseCheckArgs(["--all", "--jobs", "2x"]),
      (e: unknown) => e instanceof FlagError && /--jobs 2x/.test(e.message),
    );
    assert.throws(
      () => parseCheckArgs(["dev"]),
      (e: unknown) => e instanceof FlagError && /did you mean --stack dev\?/.test(e.message),
    );
  });

  it("a file that is not a stack file, a missing one, or two files of one stack: exit 2 before anything runs", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vpconnect-fleet-"));
    try {
      fs.mkdirSync(path.join(dir, "a"));
      fs.copyFileSync(path.join(root, "stacks", "Pulumi.dev.yaml"), path.join(dir, "a", "Pulumi.dev.yaml"));
      const twice = await vpconnect(
        "check",
        "--all",
        "stacks/Pulumi.dev.yaml",
        path.join(dir, "a", "Pulumi.dev.yaml"),
      );
      assert.equal(twice.code, 2);
      assert.match(twice.stderr, /are both stack "dev" \(their reports would overwrite each other\)/);
      const notStack = await vpconnect("check", "--all", "package.json");
      assert.equal(notStack.code, 2);
      assert.match(notStack.stderr, /--all package\.json: a stack file is named Pulumi\.<stack>\.yaml/);
      const missing = await vpconnect("check", "--all", "stacks/Pulumi.nope.yaml");
      assert.equal(missing.code, 2);
      assert.match(missing.stderr, /--all stacks\/Pulumi\.nope\.yaml: no such file/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses a stack named fleet, whose reports would overwrite the fleet's own files", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vpconnect-fleet-"));
    try {
      fs.copyFileSync(path.join(root, "stacks", "Pulumi.dev.yaml"), path.join(dir, "Pulumi.Fleet.yaml"));
      const run = await vpconnect(
        "check",
        "--all",
        "stacks/Pulumi.dev.yaml",
        path.join(dir, "Pulumi.Fleet.yaml"),
      );
      assert.equal(run.code, 2);
      assert.match(
        run.stderr,
        /is stack "Fleet", whose reports would overwrite the fleet's own fleet\.\* files; rename the stack/,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("workers are started with the parent's flags, without the site list or --jobs", () => {
    const flags = parseCheckArgs(
      [
        "--all",
        "a/Pulumi.x.yaml",
        "--jobs",
        "2",
        "--format",
        "json,html",
        "--out",
        "r",
        "--in-process",
        "--emulator",
      ],
      {
        emulator: { type: "boolean" },
      },
    );
    assert.deepEqual(workerArgv(flags), [
      "check",
      "--all",
      "--format",
      "json,html",
      "--out",
      "r",
      "--in-process",
      "--emulator",
    ]);
  });
});

describe("vpconnect check --all --jobs 2 (worker processes)", function () {
  this.timeout(240_000);
  it("checks sites in this process and in jobs - 1 workers, with the same verdicts as one process", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vpconnect-fleet-"));
    // cli/checkAll.ts reads fork from the module at call time: count the workers it starts.
    const childProcess = require("node:child_process") as typeof import("node:child_process");
    const fork = childProcess.fork;
    let forked = 0;
    childProcess.fork = ((...args: Parameters<typeof fork>) => {
      forked++;
      return fork(...args);
    }) as typeof fork;
    try {
      const east = site(dir, "east", (c) => (c["vpconnect:allowList"].connectIps = ["203.0.113.0/24"]));
      const run = await vpconnect(
        "check",
        "--all",
        "stacks/Pulumi.dev.yaml",
        east,
        "--in-process",
        "--jobs",
        "2",
        "--format",
        "json",
        "--out",
        dir,
      );
      assert.equal(run.code, 1, run.stderr);
      const fleet = JSON.parse(fs.readFileSync(path.join(dir, "fleet.json"), "utf8"));
      assert.deepEqual(
        fleet.sites.map((s: { stack: string; verdict: string }) => [s.stack, s.verdict]),
        [
          ["dev", "PASSED"],
          ["east", "FAILED"],
        ],
      );
      // One worker beside this process; each wrote its site's own report.
      assert.equal(forked, 1);
      assert.ok(fs.existsSync(path.join(dir, "dev.policy.json")));
      assert.ok(fs.existsSync(path.join(dir, "east.policy.json")));
    } finally {
      childProcess.fork = fork;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
