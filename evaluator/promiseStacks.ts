/**
 * @pulumi/pulumi's `debuggablePromise` (runtime/debuggable.js) reads `new Error().stack` for every promise it
 * makes (several per resource) and keeps the text only for its promise-leak report. Under ts-node every stack is
 * formatted through source-map-support frame by frame: measured as the largest single cost of a check (about
 * 0.8 s CPU for the dev stack, 1.4 s per site of `check --all`). While a program runs, those stacks, and only
 * those, are formatted as V8 formats them without source maps; every other stack (the program's own errors,
 * `Resource.callsites`' source positions) still goes through the installed formatter. @pulumi/pulumi prints those
 * stacks only when PULUMI_DEBUG_PROMISE_LEAKS is set (runtime/debuggable.js leakedPromises): without it they are
 * not formatted at all (a fixed line stands in), which halves their cost again (`check --all` makes thousands).
 */
import * as path from "node:path";

type PrepareStackTrace = (error: Error, frames: NodeJS.CallSite[]) => unknown;

const DEBUGGABLE = `${path.sep}@pulumi${path.sep}pulumi${path.sep}runtime${path.sep}debuggable.js`;

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

/** Runs `fn` with debuggablePromise's stacks formatted plainly; the previous formatter is back afterwards. */
export async function withPlainPromiseStacks<T>(fn: () => Promise<T>): Promise<T> {
  const installed = Error.prepareStackTrace as PrepareStackTrace | undefined;
  if (installed === undefined) return fn();
  const wrapper: PrepareStackTrace = (error, frames) => {
    if (!madeByDebuggablePromise(frames)) return installed(error, frames);
    return process.env.PULUMI_DEBUG_PROMISE_LEAKS ? plainStack(error, frames) : UNFORMATTED_STACK;
  };
  Error.prepareStackTrace = wrapper;
  try {
    return await fn();
  } finally {
    if (Error.prepareStackTrace === wrapper) Error.prepareStackTrace = installed;
  }
}
