/**
 * `vpconnect check --emulator` (the main job, `npm start`) seeds the emulator through Pulumi's own dynamic
 * provider host: the same serialized providers, Check and Create a `pulumi up` runs.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { makeCheckCommand } from "../../cli/check";
import { emulatorCheckOptions } from "../../cli/emulatorCheck";
import { CONNECT_CLIENT_ID } from "../../emulator";
import type { CheckReport } from "../../lib/reports/model";
import { captureIo } from "../support/io";
import { ROOT } from "./support";

/** The module object itself (not an import namespace), so the test can watch what is spawned. */
const childProcess = require("node:child_process") as { spawn: unknown };

/** Runs `check --stack dev --emulator ...extra` in-process; returns its exit code, output, report and spawned entries. */
async function emulatorCheck(extra: string[]) {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "vp-emulator-check-"));
  const spawned: string[] = [];
  const original = childProcess.spawn;
  childProcess.spawn = (cmd: string, args: string[], ...rest: unknown[]) => {
    spawned.push(...(args ?? []).filter((a) => typeof a === "string" && a.includes("@pulumi")));
    return (original as (...a: unknown[]) => unknown)(cmd, args, ...rest);
  };
  try {
    const captured = captureIo(ROOT, { ...process.env });
    const code = await makeCheckCommand(emulatorCheckOptions).run(
      ["--stack", "dev", "--emulator", "--format", "json", "--out", out, ...extra],
      captured.io,
    );
    const report = JSON.parse(fs.readFileSync(path.join(out, "dev.policy.json"), "utf8")) as CheckReport & {
      resources: unknown;
    };
    return { code, stderr: captured.stderr, report, spawned };
  } finally {
    childProcess.spawn = original;
    fs.rmSync(out, { recursive: true, force: true });
  }
}

describe("runtime: vpconnect check --emulator seeds through Pulumi's dynamic provider host", function () {
  this.timeout(180_000);

  it("starts cmd/dynamic-provider and creates the dynamic resources through it", async () => {
    const run = await emulatorCheck([]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /seeding it for real through Pulumi's dynamic provider host/);
    assert.ok(
      run.spawned.some((a) => /@pulumi[/\\]pulumi[/\\]cmd[/\\]dynamic-provider/.test(a)),
      `the host was started: ${run.spawned.join(", ")}`,
    );
    const json = JSON.stringify(run.report);
    assert.ok(
      json.includes(CONNECT_CLIENT_ID),
      "the API client's id comes from a real create against the emulator",
    );
  });

  it("a preview starts no host and seeds nothing", async () => {
    const run = await emulatorCheck(["--preview"]);
    assert.match(run.stderr, /preview: nothing is seeded/);
    assert.ok(!run.spawned.some((a) => /cmd[/\\]dynamic-provider/.test(a)), run.spawned.join(", "));
    assert.ok(!JSON.stringify(run.report).includes(CONNECT_CLIENT_ID));
  });
});
