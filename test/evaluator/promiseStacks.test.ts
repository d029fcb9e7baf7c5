/**
 * evaluator/promiseStacks.ts: while a program runs, the stacks @pulumi/pulumi's debuggablePromise takes for every
 * promise skip the installed (source-mapping) formatter; every other stack still goes through it.
 */
import assert from "node:assert/strict";
// Internal to @pulumi/pulumi (no declaration): the function every registration wraps its promises in.
const { debuggablePromise } = require("@pulumi/pulumi/runtime/debuggable") as {
  debuggablePromise: <T>(p: Promise<T>, ctx: string) => Promise<T>;
};
import { madeByDebuggablePromise, withPlainPromiseStacks } from "../../evaluator/promiseStacks";

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

  it("formats debuggablePromise's stacks as V8 does, without calling the installed formatter", async () => {
    const stack = await withPlainPromiseStacks(debugStack);
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
