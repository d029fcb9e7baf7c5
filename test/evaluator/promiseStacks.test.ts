/**
 * evaluator/promiseStacks.ts: while a program runs, the stacks @pulumi/pulumi's debuggablePromise takes for every
 * promise skip the installed (source-mapping) formatter; every other stack still goes through it.
 */
import assert from "node:assert/strict";
// Internal to @pulumi/pulumi (no declaration): the function every registration wraps its promises in.
const { debuggablePromise } = require("@pulumi/pulumi/runtime/debuggable") as {
  debuggablePromise: <T>(p: Promise<T>, ctx: string) => Promise<T>;
};
import {
  madeByDebuggablePromise,
  UNFORMATTED_STACK,
  withPlainPromiseStacks,
} from "../../evaluator/promiseStacks";

type Prepare = typeof Error.prepareStackTrace;

describe("promiseStacks: debuggablePromise's stacks without source maps", () => {
  let saved: Prepare;
  let mapped: number;
  /** Stands in for source-map-support: marks what it formatted. */
  const mapping: Prepare = () => {
    mapped++;
    return "MAPPED";
  };
  beforeEach(() => {
    saved = Error.prepareStackTrace;
    Error.prepareStackTrace = mapping;
    mapped = 0;
  });
  afterEach(() => {
    Error.prepareStackTrace = saved;
  });

  /** The stack debuggablePromise keeps on the promise it is given (it returns a chained one). */
  const debugStack = async () => {
    const given = Promise.resolve(1) as Promise<number> & { _debugStackTrace?: string };
    await debuggablePromise(given, "test");
    return given._debugStackTrace;
  };

  it("does not format debuggablePromise's stacks at all unless PULUMI_DEBUG_PROMISE_LEAKS would print them", async () => {
    const saved = process.env.PULUMI_DEBUG_PROMISE_LEAKS;
    delete process.env.PULUMI_DEBUG_PROMISE_LEAKS;
    try {
      assert.equal(await withPlainPromiseStacks(debugStack), UNFORMATTED_STACK);
      assert.equal(mapped, 0);
    } finally {
      if (saved !== undefined) process.env.PULUMI_DEBUG_PROMISE_LEAKS = saved;
    }
  });

  it("with PULUMI_DEBUG_PROMISE_LEAKS, formats debuggablePromise's stacks as V8 does, without the installed formatter", async () => {
    const saved = process.env.PULUMI_DEBUG_PROMISE_LEAKS;
    process.env.PULUMI_DEBUG_PROMISE_LEAKS = "1";
    let stack: string | undefined;
    try {
      stack = await withPlainPromiseStacks(debugStack);
    } finally {
      if (saved === undefined) delete process.env.PULUMI_DEBUG_PROMISE_LEAKS;
      else process.env.PULUMI_DEBUG_PROMISE_LEAKS = saved;
    }
    assert.match(
      stack ?? "",
      /^Error\n {4}at debuggablePromise \(.*[/\\]@pulumi[/\\]pulumi[/\\]runtime[/\\]debuggable\.js:\d+:\d+\)\n {4}at /,
    );
    assert.equal(mapped, 0);
  });

  it("every other stack still goes through the installed formatter, and it is back afterwards", async () => {
    const inside = await withPlainPromiseStacks(async () => new Error("the program failed").stack);
    assert.equal(inside, "MAPPED");
    assert.equal(Error.prepareStackTrace, mapping);
    assert.equal(await debugStack(), "MAPPED");
    assert.equal(mapped, 2);
  });

  it("puts the formatter back when the run throws", async () => {
    await assert.rejects(
      withPlainPromiseStacks(async () => {
        throw new Error("boom");
      }),
      /boom/,
    );
    assert.equal(Error.prepareStackTrace, mapping);
  });

  it("recognises debuggablePromise by its function and file only", () => {
    const frame = (fn: string | null, file: string) =>
      ({ getFunctionName: () => fn, getFileName: () => file }) as unknown as NodeJS.CallSite;
    const file = "/p/node_modules/@pulumi/pulumi/runtime/debuggable.js"
      .split("/")
      .join(require("node:path").sep);
    assert.equal(madeByDebuggablePromise([frame("debuggablePromise", file)]), true);
    assert.equal(madeByDebuggablePromise([frame("debuggablePromise", "/p/components/debuggable.ts")]), false);
    assert.equal(madeByDebuggablePromise([frame("other", file)]), false);
    assert.equal(madeByDebuggablePromise([]), false);
  });
});
