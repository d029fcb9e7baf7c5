/**
 * The SDK logs each RegisterResource reply at debug level with the reply written into the message, whether or not
 * debug logs are shown. Under check's mocks the reply carries the resource's properties (a roster shard's whole
 * text), so the reply says what it is instead of writing them out (issue 21 item 4: 64 MB of garbage at 100,000).
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import { runProgram } from "../../evaluator";

const root = path.join(__dirname, "..", "..");

describe("check's mock monitor: a reply's text", () => {
  it("the SDK's debug line for a registration does not carry the resource's properties", async () => {
    const log = require("@pulumi/pulumi/log") as { debug: (message: string, ...rest: unknown[]) => unknown };
    const original = log.debug;
    const lines: string[] = [];
    log.debug = (message: string) => {
      lines.push(message);
      return Promise.resolve();
    };
    try {
      const run = await runProgram({
        program: path.join(root, "test", "fixtures", "programs", "big-input", "index.js"),
        projectDir: root,
        project: "vantagepoint-connect",
        stack: "dev",
        config: {},
        secretKeys: [],
      });
      assert.equal(run.error, undefined);
      assert.equal((run.resources[1]!.inputs.text as string).length, 240_000);
    } finally {
      log.debug = original;
    }
    const finished = lines.filter((l) => l.startsWith("RegisterResource RPC finished"));
    assert.ok(finished.length >= 1, lines.join("\n").slice(0, 500));
    for (const line of finished) {
      assert.ok(line.length < 1000, `${line.length} characters: ${line.slice(0, 200)}`);
      assert.match(line, /resp: RegisterResourceResponse/);
    }
  });
});
