/**
 * The stacks @pulumi/pulumi captures while a program runs under the checker, that nothing the checker reports
 * ever reads. Measured as the largest costs of a program run after the SDK's own promises and outputs.
 *
 * - `debuggablePromise` (runtime/debuggable.js) takes `new Error().stack` for every promise it makes (several per
 *   output property of every resource) and keeps the text only for its promise-leak report, which prints it only
 *   when PULUMI_DEBUG_PROMISE_LEAKS is set (leakedPromises, promiseDebugString). Without that variable, the stand-in
 *   here calls the SDK's own function with `Error.stackTraceLimit` 0, so V8 captures no frames, and a fixed line
 *   stands in for the text (the promise, its leak tracking and its id are the SDK's). With the variable set, the
 *   stack is captured and formatted as V8 formats it, without source maps (the installed formatter, ts-node's
 *   source-map-support, maps frame by frame).
 * - `Resource.callsites()` (resource.js) takes the whole stack (`Error.stackTraceLimit` Infinity, every frame
 *   source-mapped) for every resource, for the registration's sourcePosition and stackTrace. Only the engine's
 *   display of a resource reads them (the Pulumi CLI's diagnostics); no analyzer sees them (AnalyzerResource has no
 *   such field: proto/pulumi/analyzer.proto), nor does the mock monitor or any report. While the checker runs a
 *   program they are not taken (the registration carries none, as when the SDK finds no frame).
 * Every other stack (the program's own errors) still goes through the installed formatter. Everything is put back
 * when the run ends. The SDK copy is the checker's (the one the mocks are installed on).
 */
import * as path from "node:path";

type PrepareStackTrace = (error: Error, frames: NodeJS.CallSite[]) => unknown;
type DebuggablePromise = <T>(p: Promise<T>, ctx: unknown) => Promise<T>;

const DEBUGGABLE = `${path.sep}@pulumi${path.sep}pulumi${path.sep}runtime${path.sep}debuggable.js`;

// Internal to @pulumi/pulumi (pinned in package.json): the module object its callers read the function from at
// call time (`debuggable_1.debuggablePromise(...)`), and the Resource class (its static `callsites`).
const debuggable = require("@pulumi/pulumi/runtime/debuggable") as { debuggablePromise: DebuggablePromise };
const { Resource } = require("@pulumi/pulumi/resource") as { Resource: { callsites(): unknown[] } };

/** Whether an Error was made by @pulumi/pulumi's debuggablePromise (its first frame). */
export function madeByDebuggablePromise(frames: readonly NodeJS.CallSite[]): boolean {
  const first = frames[0];
  return first?.getFunctionName() === "debuggablePromise" && (first.getFileName() ?? "").endsWith(DEBUGGABLE);
}

/** V8's own format: the error's first line, then one `    at ...` line per frame. */
function plainStack(error: Error, frames: readonly NodeJS.CallSite[]): string {
  let header: string;
  try {
    header = String(error);
  } catch {
    header = "Error";
  }
  return header + frames.map((f) => `\n    at ${String(f)}`).join("");
}

/** What debuggablePromise keeps instead of a stack nobody will print (PULUMI_DEBUG_PROMISE_LEAKS unset). */
export const UNFORMATTED_STACK =
  "Error (stack not formatted: set PULUMI_DEBUG_PROMISE_LEAKS to see where a leaked promise was made)";

/** True while the stand-in runs the SDK's debuggablePromise (its one `new Error().stack`). */
let inStandIn = false;

/** debuggablePromise without its stack capture (PULUMI_DEBUG_PROMISE_LEAKS unset); the SDK's function does the rest. */
function standInFor(original: DebuggablePromise): DebuggablePromise {
  return function debuggablePromise<T>(p: Promise<T>, ctx: unknown): Promise<T> {
    if (process.env.PULUMI_DEBUG_PROMISE_LEAKS) return original(p, ctx);
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    inStandIn = true;
    try {
      return original(p, ctx);
    } finally {
      inStandIn = false;
      Error.stackTraceLimit = limit;
    }
  };
}

/** No frames: what `Resource.callsites` returns when the SDK finds none (no sourcePosition, no stackTrace). */
const noCallsites = (): unknown[] => [];

/** Runs `fn` without the SDK's unread stack captures (see above); everything is back afterwards. */
export async function withPlainPromiseStacks<T>(fn: () => Promise<T>): Promise<T> {
  const installed = Error.prepareStackTrace as PrepareStackTrace | undefined;
  // With no formatter installed V8 formats every stack itself (the stand-in's has no frames to format).
  const wrapper: PrepareStackTrace | undefined = installed
    ? (error, frames) => {
        if (inStandIn) return UNFORMATTED_STACK;
        if (!madeByDebuggablePromise(frames)) return installed(error, frames);
        return process.env.PULUMI_DEBUG_PROMISE_LEAKS ? plainStack(error, frames) : UNFORMATTED_STACK;
      }
    : undefined;
  const original = debuggable.debuggablePromise;
  const callsites = Resource.callsites;
  const standIn = standInFor(original);
  if (wrapper) Error.prepareStackTrace = wrapper;
  debuggable.debuggablePromise = standIn;
  Resource.callsites = noCallsites;
  try {
    return await fn();
  } finally {
    if (installed && Error.prepareStackTrace === wrapper) Error.prepareStackTrace = installed;
    if (debuggable.debuggablePromise === standIn) debuggable.debuggablePromise = original;
    if (Resource.callsites === noCallsites) Resource.callsites = callsites;
  }
}
