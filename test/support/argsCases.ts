/**
 * The table-driven args-check tests shared by the component suites (componentArgs, appArgs): each component with
 * valid args registers; each case's one wrong arg is one RunError listing exactly its problem lines, and nothing
 * registers.
 */
import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import type { Harness } from "./pulumiMocks";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- args as a JavaScript caller gets them wrong
export type Args = Record<string, any>;

/** A component with valid args (so each case fails for its one edit). */
export interface ComponentUnderTest {
  make: (name: string, args: Args) => unknown;
  args: () => Args;
}

/** One wrong arg and the problem lines it must give, exactly. */
export interface ArgsCase {
  component: string;
  what: string;
  edit: (a: Args) => void;
  /** The problem lines, exactly. */
  lines: string[];
}

/** The `it`s for a table of components and cases, inside the caller's `describe` (which installs the mocks). */
export function argsCheckTests(
  harness: () => Harness,
  components: Record<string, ComponentUnderTest>,
  cases: readonly ArgsCase[],
  options: { minResources: number; neverShown?: RegExp },
): void {
  for (const [component, c] of Object.entries(components)) {
    it(`${component}: the valid args register`, async () => {
      c.make("ok", c.args());
      await harness().settle();
      assert.ok(harness().resources.length >= options.minResources);
    });
  }

  for (const k of cases) {
    it(`${k.component}: ${k.what} is one error naming the arg, and nothing registers`, async () => {
      const args = components[k.component]!.args();
      k.edit(args);
      let error: unknown;
      try {
        components[k.component]!.make("bad", args);
      } catch (e) {
        error = e;
      }
      assert.ok(error instanceof pulumi.RunError, `a RunError, not ${String(error)}`);
      const n = k.lines.length;
      assert.equal(
        (error as Error).message,
        [
          `${k.component} "bad": ${n} problem${n === 1 ? "" : "s"} in its args; nothing was created:`,
          ...k.lines,
        ].join("\n"),
      );
      if (options.neverShown) assert.doesNotMatch((error as Error).message, options.neverShown);
      await harness().settle();
      assert.deepEqual(harness().resources, [], "nothing registered");
    });
  }
}
