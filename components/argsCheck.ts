/**
 * The components' side of the args check (the rules are pure, in lib/site): args as plain data with values that
 * arrive later (Outputs, Promises) marked unknown, one error listing every problem thrown before the first child
 * registers, and the same check again once the unknown values resolve.
 */
import * as pulumi from "@pulumi/pulumi";
import { formatArgProblems } from "../lib/site/check";
import { rosterCheckedByLoader } from "../lib/site/checkedRoster";
import { entriesCheckedBySite } from "./vantagepoint/siteCheckedEntries";
import { SECRET_NOT_AT_HAND, UNKNOWN } from "../lib/site/view";
import type { ArgProblem } from "../lib/site/view";

interface Pending {
  path: Array<string | number>;
  value: unknown;
}

/**
 * Args as plain data: Outputs and Promises become UNKNOWN (and are listed). A plain object or list is copied only
 * when something under it was replaced, else handed on as it is (a roster of 100,000 people is not copied to be
 * read); the rules never change the view, and setAt only writes into the copies along a pending path.
 */
export function plainView(args: unknown): { view: unknown; pending: Pending[] } {
  const pending: Pending[] = [];
  const walk = (value: unknown, path: Array<string | number>, depth: number): unknown => {
    if (pulumi.Output.isInstance(value) || value instanceof Promise) {
      pending.push({ path: [...path], value });
      return UNKNOWN;
    }
    if (value === SECRET_NOT_AT_HAND) return UNKNOWN;
    if (depth > 16 || value === null || typeof value !== "object") return value;
    // A roster the stack-config loader checked, or a shard ConnectSite built from it, holds only strings and
    // booleans, frozen: nothing to replace, so 100,000 people are not walked.
    if (rosterCheckedByLoader(value) || entriesCheckedBySite(value)) return value;
    if (Array.isArray(value)) {
      let copy: unknown[] | undefined;
      for (let i = 0; i < value.length; i++) {
        path.push(i);
        const v = walk(value[i], path, depth + 1);
        path.pop();
        if (v !== value[i] && !copy) copy = value.slice(0, i);
        copy?.push(v);
      }
      return copy ?? value;
    }
    if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null)
      return value;
    const keys = Object.keys(value);
    let copy: Array<[string, unknown]> | undefined;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      const original = (value as Record<string, unknown>)[k];
      path.push(k);
      const v = walk(original, path, depth + 1);
      path.pop();
      if (v !== original && !copy)
        copy = keys.slice(0, i).map((key) => [key, (value as Record<string, unknown>)[key]]);
      copy?.push([k, v]);
    }
    return copy ? Object.fromEntries(copy) : value;
  };
  return { view: walk(args, [], 0), pending };
}

function setAt(root: unknown, path: ReadonlyArray<string | number>, value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  (root as Record<string | number, unknown>)[head!] = setAt(
    (root as Record<string | number, unknown>)[head!],
    rest,
    value,
  );
  return root;
}

/**
 * Checks `args` with `problems` before anything registers: throws one error listing every problem (a RunError:
 * Pulumi prints its message without a stack trace). Values that arrive as Outputs are checked once known; the
 * returned Output fails with the same message then (hand it to registerOutputs so the preview fails).
 */
export function checkArgs(
  component: string,
  name: string,
  args: unknown,
  problems: (view: unknown) => ArgProblem[],
): pulumi.Output<boolean> {
  const { view, pending } = plainView(args);
  const now = problems(view);
  if (now.length > 0) throw new pulumi.RunError(formatArgProblems(component, name, now));
  if (pending.length === 0) return pulumi.output(true);
  return pulumi.all(pending.map((p) => p.value as pulumi.Input<unknown>)).apply((values) => {
    let full = view;
    // An Output that resolves to nothing is still given (a plain mock leaves outputs out): not "required".
    pending.forEach((p, i) => {
      full = setAt(full, p.path, values[i] === undefined ? UNKNOWN : plainView(values[i]).view);
    });
    const later = problems(full);
    if (later.length > 0) throw new pulumi.RunError(formatArgProblems(component, name, later, true));
    return true;
  });
}

/**
 * `value` once the args check of values given as Outputs passed: a resource input that waits for `checked` (and
 * fails with its message), so a resource whose args are found bad later is never created.
 */
export function afterCheck<T>(value: pulumi.Input<T>, checked: pulumi.Output<boolean>): pulumi.Output<T> {
  return pulumi.all([pulumi.output(value), checked]).apply(([v]) => v as T);
}
