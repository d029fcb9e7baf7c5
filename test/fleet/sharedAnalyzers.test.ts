/**
 * `vpconnect check --all` with its default shared analyzers (one per pack, switched between sites:
 * evaluator/sharedAnalyzers.ts) gives every site the report `vpconnect check --config <its file>` gives it with
 * fresh analyzers: the bundled stacks plus generated sites (one failing P2, one with other allowed ranges, so
 * another pack config), with a second pack that reports the stack it believes it checks.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { root, site, vpconnect, type Json } from "../support/fleetSites";

/** A site's report without what differs between any two runs (time spent). */
function comparable(file: string): Json {
  const report = JSON.parse(fs.readFileSync(file, "utf8"));
  return {
    verdict: report.verdict,
    exitCode: report.exitCode,
    stack: report.stack,
    violations: report.violations,
    errors: report.errors,
    evaluations: report.evaluations,
    configIssues: report.configIssues,
    policies: report.policies.map(({ durationMs: _d, ...p }: Json) => p),
  };
}

describe("vpconnect check --all: shared analyzers give each site its own check's report", function () {
  this.timeout(300_000);
  let dir: string;
  const PACKS = ["--policy-pack", "policies", "--policy-pack", "test/fixtures/packs/stack-aware"];
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "vpconnect-shared-"))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("the bundled stacks and generated sites: the same verdicts, violations and evaluations as one check each", async () => {
    const east = site(dir, "east", (c) => (c["vpconnect:allowList"].connectIps = ["203.0.113.0/24"]));
    const south = site(dir, "south", (c) => (c["vpconnect:allowList"].extraRanges = ["192.0.2.128/27"]));
    const north = site(dir, "north", () => {});
    const files = [
      path.join(root, "stacks", "Pulumi.dev.yaml"),
      east,
      path.join(root, "stacks", "Pulumi.prod.yaml"),
      south,
      north,
    ];
    const fleetOut = path.join(dir, "fleet");
    const fleet = await vpconnect(
      "check",
      "--all",
      ...files,
      ...PACKS,
      "--format",
      "json",
      "--out",
      fleetOut,
    );
    assert.equal(fleet.code, 1, fleet.stderr);
    for (const file of files) {
      const stack = /Pulumi\.(.+)\.yaml$/.exec(file)![1]!;
      const oneOut = path.join(dir, stack);
      const one = await vpconnect("check", "--config", file, ...PACKS, "--format", "json", "--out", oneOut);
      const mine = comparable(path.join(fleetOut, `${stack}.policy.json`));
      assert.deepEqual(mine, comparable(path.join(oneOut, `${stack}.policy.json`)), stack);
      assert.equal(one.code, mine.exitCode, stack);
      // The second pack saw this site's stack, not the first site's.
      const said = mine.violations.find((v: Json) => v.policy === "says-its-stack");
      assert.equal(JSON.parse(said.message).stack, stack);
    }
    const verdicts = JSON.parse(fs.readFileSync(path.join(fleetOut, "fleet.json"), "utf8")).sites.map(
      (s: Json) => [s.stack, s.verdict],
    );
    assert.deepEqual(verdicts, [
      ["dev", "PASSED"],
      ["east", "FAILED"],
      ["prod", "PASSED"],
      ["south", "PASSED"],
      ["north", "PASSED"],
    ]);
  });
});
