/**
 * evaluator/promiseStacks.ts: while a program runs, the stacks @pulumi/pulumi's debuggablePromise takes for every
 * promise skip the installed (source-mapping) formatter, or are not captured at all; Resource.callsites takes no
 * stack; every other stack still goes through the formatter, and everything is back afterwards.
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

  /** The SDK's debuggablePromise as its callers reach it: read from the module object at call time. */
  const sdkDebuggable = require("@pulumi/pulumi/runtime/debuggable") as {
    debuggablePromise: <T>(p: Promise<T>, ctx: string) => Promise<T>;
  };
  const { Resource } = require("@pulumi/pulumi/resource") as { Resource: { callsites(): unknown[] } };

  /** A promise that records Error.stackTraceLimit when debuggablePromise chains on it (right after its capture). */
  const limitSeenBy = async () => {
    const seen: number[] = [];
    class Recording<T> extends Promise<T> {
      override then<A = T, B = never>(
        ok?: ((value: T) => A | PromiseLike<A>) | null,
        ko?: ((reason: unknown) => B | PromiseLike<B>) | null,
      ): Promise<A | B> {
        seen.push(Error.stackTraceLimit);
        return super.then(ok, ko);
      }
    }
    const given = Recording.resolve(7) as Promise<number> & { _debugStackTrace?: string };
    const value = await sdkDebuggable.debuggablePromise(given, "test");
    return { value, first: seen[0], stack: given._debugStackTrace };
  };

  it("runs the SDK's debuggablePromise without capturing a stack (limit 0) unless PULUMI_DEBUG_PROMISE_LEAKS is set", async () => {
    const savedEnv = process.env.PULUMI_DEBUG_PROMISE_LEAKS;
    const limit = Error.stackTraceLimit;
    try {
      delete process.env.PULUMI_DEBUG_PROMISE_LEAKS;
      const quiet = await withPlainPromiseStacks(limitSeenBy);
      assert.deepEqual(quiet, { value: 7, first: 0, stack: UNFORMATTED_STACK });
      assert.equal(Error.stackTraceLimit, limit);
      process.env.PULUMI_DEBUG_PROMISE_LEAKS = "1";
      const debugging = await withPlainPromiseStacks(limitSeenBy);
      assert.equal(debugging.first, limit);
      assert.match(debugging.stack ?? "", /^Error\n {4}at debuggablePromise \(/);
      assert.equal(mapped, 0);
    } finally {
      if (savedEnv === undefined) delete process.env.PULUMI_DEBUG_PROMISE_LEAKS;
      else process.env.PULUMI_DEBUG_PROMISE_LEAKS = savedEnv;
    }
    // Outside a run the SDK's own function is back: it captures as it always does.
    assert.equal((await limitSeenBy()).first, limit);
  });

  it("Resource.callsites takes no stack during a run (no source position), and is back afterwards", async () => {
    Error.prepareStackTrace = saved; // the real formatter (source-map-support under mocha), which callsites parses
    assert.ok(Resource.callsites().length > 0);
    const inside = await withPlainPromiseStacks(async () => Resource.callsites());
    assert.deepEqual(inside, []);
    assert.ok(Resource.callsites().length > 0);
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
