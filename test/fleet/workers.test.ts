/**
 * `vpconnect check --all --jobs 2`: sites checked in this process and in a worker process (cli/checkAll.ts) give
 * the reports `--jobs 1` gives, with Pulumi's analyzer; a worker that dies refuses its site only.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { site, vpconnect, type Json } from "../support/fleetSites";

/**
 * A site's JSON report without what differs run to run: timings and the tool's version line. Its resources are in
 * the order the program constructed them (evaluator/constructionOrder.ts), whichever process checked it: their
 * registration order differs between a process's first program run and later ones.
 */
function report(out: string, stack: string): Json {
  const text = fs.readFileSync(path.join(out, `${stack}.policy.json`), "utf8");
  return JSON.parse(text, (key, value: unknown) =>
    key === "durationMs" || key === "tool" ? undefined : value,
  );
}

/** The table's rows: stack and verdict. */
function rows(stdout: string, stacks: readonly string[]): string[][] {
  return stdout
    .split("\n")
    .filter((l) => stacks.some((s) => l.startsWith(`${s} `)))
    .map((l) => l.split(/\s+/).slice(0, 2));
}

describe("vpconnect check --all --jobs 2 (a worker process beside this one)", function () {
  this.timeout(240_000);
  let dir: string;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "vpconnect-workers-"));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("gives every site the report --jobs 1 gives (Pulumi's analyzer, shared per process)", async () => {
    // east fails P2 (one of Connect's ranges dropped); north and south pass.
    const files = [
      site(dir, "east", (c) => (c["vpconnect:allowList"].connectIps = ["203.0.113.0/24"])),
      site(dir, "north"),
      site(dir, "south"),
    ];
    const stacks = ["east", "north", "south"];
    const one = await vpconnect(
      "check",
      "--all",
      ...files,
      "--format",
      "table,json",
      "--out",
      path.join(dir, "j1"),
    );
    const two = await vpconnect(
      "check",
      "--all",
      ...files,
      "--jobs",
      "2",
      "--format",
      "table,json",
      "--out",
      path.join(dir, "j2"),
    );
    assert.deepEqual(rows(one.stdout, stacks), [
      ["east", "FAILED"],
      ["north", "PASSED"],
      ["south", "PASSED"],
    ]);
    assert.deepEqual(rows(two.stdout, stacks), rows(one.stdout, stacks));
    assert.equal(two.code, 1);
    assert.equal(two.code, one.code);
    for (const stack of stacks)
      assert.deepEqual(report(path.join(dir, "j2"), stack), report(path.join(dir, "j1"), stack), stack);
    assert.ok(report(path.join(dir, "j2"), "east").violations.length > 0);
  });

  it("a worker that dies refuses the site it was checking; the other sites are checked", async () => {
    // The worker is given the first site before this process takes one (cli/checkAll.ts checkInWorkers).
    const files = [site(dir, "crash"), site(dir, "calm"), site(dir, "quiet")];
    const out = path.join(dir, "crash-out");
    const run = await vpconnect(
      "check",
      "--all",
      ...files,
      "--jobs",
      "2",
      "--program",
      "test/fixtures/programs/worker-exit/index.js",
      "--packs-only",
      "--policy-pack",
      "test/fixtures/packs/stack-aware",
      "--format",
      "json",
      "--out",
      out,
    );
    const fleet = JSON.parse(fs.readFileSync(path.join(out, "fleet.json"), "utf8")) as Json;
    const byStack = new Map<string, Json>(fleet.sites.map((s: Json) => [s.stack, s]));
    assert.match(String(byStack.get("crash").line), /the worker checking it exited \(code 7\)/);
    assert.equal(byStack.get("crash").verdict, "REFUSED");
    for (const stack of ["calm", "quiet"]) {
      assert.notEqual(byStack.get(stack).verdict, "REFUSED", stack);
      assert.ok(fs.existsSync(path.join(out, `${stack}.policy.json`)), `${stack}'s report is written`);
    }
    assert.equal(fs.existsSync(path.join(out, "crash.policy.json")), false);
    assert.equal(run.code, 2);
  });
});
