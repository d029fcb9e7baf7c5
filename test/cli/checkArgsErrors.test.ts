/**
 * `vpconnect check` of a consumer's program whose component args are bad: the report carries the component's own
 * message as Pulumi prints a RunError (no stack frame, no internal file or function name), in the table and in
 * the JSON report, and exits 2 with nothing registered.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { main } from "../../cli/main";
import { captureIo } from "../support/io";

const root = path.join(__dirname, "..", "..");
const MESSAGE = [
  'ConnectAllowList "office": 1 problem in its args; nothing was created:',
  "  connectIps[0]: 0.0.0.0/0 admits every address; list Connect's published addresses instead",
].join("\n");

describe("vpconnect check: a program whose component args are bad", function () {
  this.timeout(60_000);

  it("reports the component's message alone: no stack frame, no internal name", async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "vpconnect-bad-args-"));
    try {
      const captured = captureIo(root);
      const code = await main(
        [
          "check",
          "--config",
          "test/fixtures/stacks/Pulumi.pass.yaml",
          "--program",
          "test/fixtures/programs/bad-args/index.js",
          "--policy-pack",
          "test/fixtures/packs/org",
          "--packs-only",
          "--format",
          "table,json",
          "--out",
          out,
        ],
        captured.io,
      );
      assert.equal(code, 2, captured.stdout + captured.stderr);
      assert.ok(captured.stdout.includes(`The program failed: ${MESSAGE}\n`), captured.stdout);
      assert.doesNotMatch(captured.stdout + captured.stderr, /\(at |argsCheck|checkArgs|\.ts:\d+/);
      const json = JSON.parse(fs.readFileSync(path.join(out, "pass.policy.json"), "utf8"));
      assert.equal(json.programError, MESSAGE);
      assert.deepEqual(json.resources, []);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});
