/**
 * bin/tsOutputs.js: a check that runs the program once per site (`check --all`) transpiles each project module
 * once while its text is the same, and again whenever the text changed.
 */
import assert from "node:assert/strict";

const { reuseOutputs } = require("../../bin/tsOutputs") as {
  reuseOutputs: (service: { compile: (code: string, file: string, lineOffset?: number) => string }) => void;
};

describe("bin/tsOutputs: ts-node's output reused per file", () => {
  const fakeService = () => {
    const calls: string[] = [];
    const service = {
      compile: (code: string, file: string, lineOffset?: number) => {
        calls.push(`${file}:${code}${lineOffset === undefined ? "" : `@${lineOffset}`}`);
        return `js(${code})#${calls.length}`;
      },
    };
    reuseOutputs(service);
    return { service, calls };
  };

  it("transpiles a file once while its text is the same (one site after another)", () => {
    const { service, calls } = fakeService();
    assert.equal(service.compile("a", "/p/site.ts"), "js(a)#1");
    assert.equal(service.compile("a", "/p/site.ts"), "js(a)#1");
    assert.equal(service.compile("a", "/p/other.ts"), "js(a)#2");
    assert.deepEqual(calls, ["/p/site.ts:a", "/p/other.ts:a"]);
  });

  it("transpiles again when the text changed, also back to an earlier text (its source map must be the latest)", () => {
    const { service, calls } = fakeService();
    service.compile("a", "/p/site.ts");
    assert.equal(service.compile("b", "/p/site.ts"), "js(b)#2");
    assert.equal(service.compile("a", "/p/site.ts"), "js(a)#3");
    assert.equal(calls.length, 3);
  });

  it("never reuses a compile with a line offset (a REPL's or an eval's)", () => {
    const { service, calls } = fakeService();
    service.compile("a", "/p/site.ts", 2);
    service.compile("a", "/p/site.ts", 2);
    assert.equal(calls.length, 2);
  });

  it("reuses nothing when ts-node type-checks (TS_NODE_TRANSPILE_ONLY=0)", () => {
    const saved = process.env.TS_NODE_TRANSPILE_ONLY;
    process.env.TS_NODE_TRANSPILE_ONLY = "0";
    try {
      const { service, calls } = fakeService();
      service.compile("a", "/p/site.ts");
      service.compile("a", "/p/site.ts");
      assert.equal(calls.length, 2);
    } finally {
      if (saved === undefined) delete process.env.TS_NODE_TRANSPILE_ONLY;
      else process.env.TS_NODE_TRANSPILE_ONLY = saved;
    }
  });
});
