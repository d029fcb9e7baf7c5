/**
 * A fleet run's shared analyzer (evaluator/sharedAnalyzers.ts, bin/analyzerPreload.js): one run-policy-pack
 * process switched between stacks must show each stack's policies exactly what a fresh process started for that
 * stack shows them: pulumi.getStack(), getProject(), isDryRun(), new pulumi.Config(), the secret keys, the
 * environment, and the stack's own policy config (never the previous stack's).
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import { PackAnalyzer, policyMessage, type AnalyzerStackOptions } from "../../evaluator/analyzer";
import type { ResolvedPolicyConfig } from "../../evaluator/packConfig";
import { SharedAnalyzers } from "../../evaluator/sharedAnalyzers";

const PACK = path.join(__dirname, "..", "fixtures", "packs", "stack-aware");

const EAST: Omit<AnalyzerStackOptions, "engineAddress"> = {
  project: "alpha",
  stack: "east",
  dryRun: false,
  config: {
    "vpconnect:site": JSON.stringify({ publicHostname: "east.example.com" }),
    "vpconnect:vantagepoint": JSON.stringify({ password: "east-secret" }),
  },
  secretKeys: ["vpconnect:vantagepoint"],
};
const WEST: Omit<AnalyzerStackOptions, "engineAddress"> = {
  project: "beta",
  stack: "west",
  dryRun: true,
  config: { "vpconnect:site": JSON.stringify({ publicHostname: "west.example.com" }) },
  secretKeys: [],
};

/** What the pack's policy believed about its stack (it reports it as its violation's message). */
async function seen(analyzer: PackAnalyzer, label?: string): Promise<Record<string, unknown>> {
  const resolved = new Map<string, ResolvedPolicyConfig>(
    label === undefined ? [] : [["says-its-stack", { level: "advisory", config: { label } }]],
  );
  await analyzer.configure(resolved);
  const { diagnostics } = await analyzer.analyzeStack([]);
  assert.equal(diagnostics.length, 1);
  return JSON.parse(policyMessage(diagnostics[0]!.engineMessage, diagnostics[0]!.description)) as Record<
    string,
    unknown
  >;
}

describe("evaluator: one analyzer shared by a fleet's stacks", function () {
  this.timeout(120_000);

  it("shows each stack its own stack, project, dry run, config, secret keys, environment and policy config", async () => {
    const shared = new SharedAnalyzers();
    try {
      const east = await (await shared.acquire([PACK], EAST))[0]!.ready();
      assert.deepEqual(await seen(east, "from east"), {
        stack: "east",
        project: "alpha",
        dryRun: false,
        host: "east.example.com",
        secret: true,
        env: "east",
        label: "from east",
      });
      const west = await (await shared.acquire([PACK], WEST))[0]!.ready();
      assert.equal(west, east, "the same analyzer process serves the next stack");
      assert.equal(shared.started, 1);
      // No label for west: the policy sees no config, not east's.
      assert.deepEqual(await seen(west), {
        stack: "west",
        project: "beta",
        dryRun: true,
        host: "west.example.com",
        secret: false,
        env: "west",
        label: null,
      });
      const again = await (await shared.acquire([PACK], EAST))[0]!.ready();
      assert.deepEqual(await seen(again, "east again"), {
        stack: "east",
        project: "alpha",
        dryRun: false,
        host: "east.example.com",
        secret: true,
        env: "east",
        label: "east again",
      });
    } finally {
      await shared.close();
    }
  });

  it("a switched analyzer sees what a fresh one started for that stack sees", async () => {
    const shared = new SharedAnalyzers();
    const fresh = await PackAnalyzer.start(PACK, WEST);
    try {
      await (await shared.acquire([PACK], EAST))[0]!.ready();
      const switched = await (await shared.acquire([PACK], WEST))[0]!.ready();
      assert.deepEqual(await seen(switched), await seen(fresh));
    } finally {
      await fresh.close();
      await shared.close();
    }
  });

  it("has spawned a new pack's process once acquire resolves, before the program that follows runs", async () => {
    // The check runs the program right after acquire: its module loading holds the event loop for most of a
    // second, so a spawn left to a later callback would only start the pack after the whole program run.
    // evaluator/grpc/plugin.ts reads spawn from the module at call time: count the packs it starts.
    const childProcess = require("node:child_process") as typeof import("node:child_process");
    const spawn = childProcess.spawn;
    let packs = 0;
    childProcess.spawn = ((...args: Parameters<typeof spawn>) => {
      if ((args[1] as readonly string[] | undefined)?.some((a) => a.includes("run-policy-pack"))) packs++;
      return spawn(...args);
    }) as typeof spawn;
    const shared = new SharedAnalyzers();
    try {
      const held = await shared.acquire([PACK], EAST);
      assert.equal(packs, 1, "the pack's process is spawned");
      const again = await shared.acquire([PACK], WEST);
      assert.equal(packs, 1, "a started pack is not started twice");
      assert.equal(await again[0]!.ready(), await held[0]!.ready());
    } finally {
      childProcess.spawn = spawn;
      await shared.close();
    }
  });

  it("starts no pack once closed, also when close() comes while the engine server starts", async () => {
    const shared = new SharedAnalyzers();
    const acquiring = shared.acquire([PACK], EAST);
    await shared.close();
    await assert.rejects(acquiring, /the fleet's analyzers are closed/);
    await assert.rejects(shared.acquire([PACK], WEST), /the fleet's analyzers are closed/);
    assert.equal(shared.started, 0);
  });

  it("starts a pack again when its process ended between stacks", async () => {
    const shared = new SharedAnalyzers();
    try {
      const first = await (await shared.acquire([PACK], EAST))[0]!.ready();
      await first.close();
      const second = await (await shared.acquire([PACK], WEST))[0]!.ready();
      assert.notEqual(second, first);
      assert.equal(shared.started, 2);
      assert.equal((await seen(second)).stack, "west");
    } finally {
      await shared.close();
    }
  });
});

describe("evaluator: a shared analyzer ends with the checker that kept it", function () {
  this.timeout(120_000);

  it("exits when the checker process is killed (no analyzer left serving)", async () => {
    const { spawn } = require("node:child_process") as typeof import("node:child_process");
    const root = path.join(__dirname, "..", "..");
    const checker = spawn(
      process.execPath,
      [
        "-e",
        `require("ts-node").register({ transpileOnly: true });
         const { SharedAnalyzers } = require("./evaluator/sharedAnalyzers");
         const shared = new SharedAnalyzers();
         shared.acquire([${JSON.stringify(PACK)}], ${JSON.stringify(EAST)}).then((held) => held[0].ready()).then((a) => {
           console.log(a["plugin"].child.pid);
         });`,
      ],
      { cwd: root, stdio: ["ignore", "pipe", "inherit"] },
    );
    const pid = await new Promise<number>((resolve) =>
      checker.stdout!.once("data", (d: Buffer) => resolve(Number(String(d).trim()))),
    );
    const running = () => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    assert.equal(running(), true);
    checker.kill("SIGKILL");
    const deadline = Date.now() + 20_000;
    while (running() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const left = running();
    if (left) process.kill(pid, "SIGKILL");
    assert.equal(left, false, "the analyzer outlived its checker");
  });
});

describe("evaluator: a fleet run loads its policy packs once", function () {
  this.timeout(240_000);
  const root = path.join(__dirname, "..", "..");

  it("packs(key, load): loaded once per key; a load that throws is tried again", () => {
    const shared = new SharedAnalyzers();
    let loads = 0;
    const load = () => {
      loads++;
      return [];
    };
    const first = shared.packs("a", load);
    assert.equal(shared.packs("a", load), first);
    shared.packs("b", load);
    assert.equal(loads, 2);
    assert.throws(() =>
      shared.packs("c", () => {
        throw new Error("bad pack");
      }),
    );
    assert.deepEqual(shared.packs("c", load), []);
    assert.equal(shared.packLoads, 3);
  });

  it("two sites checked with shared analyzers load the packs once, and each gets its own report", async () => {
    const { runCheck } = require("../../evaluator/check") as typeof import("../../evaluator/check");
    const shared = new SharedAnalyzers();
    try {
      const dev = await runCheck({ cwd: root, stack: "dev", sharedAnalyzers: shared });
      const prod = await runCheck({ cwd: root, stack: "prod", sharedAnalyzers: shared });
      assert.equal(shared.packLoads, 1);
      assert.equal(shared.started, 1);
      assert.equal(dev.stack, "dev");
      assert.equal(prod.stack, "prod");
      assert.deepEqual(dev.packs, prod.packs);
    } finally {
      await shared.close();
    }
  });
});
