/** How many times ConnectSite's per-person schema runs: the count the checked-roster tests pin. */
import { rosterEntry } from "../../lib/site/argsSchema";

/** Counts the runs of the per-person schema (zod 4 runs an array's element through `_zod.run`). */
export function countEntryChecks(body: () => void): number {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- zod's internals
  const zod = (rosterEntry as any)._zod;
  const run = zod.run;
  let count = 0;
  zod.run = (...a: unknown[]) => {
    count++;
    return run.apply(zod, a);
  };
  try {
    body();
  } finally {
    zod.run = run;
  }
  return count;
}
