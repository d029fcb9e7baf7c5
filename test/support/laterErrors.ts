/**
 * Errors a program raises after construction: an args check of values given as Outputs fails once they are known
 * (Pulumi fails the program on it; a RunError prints no stack). The registrations that wait for the failed check
 * stay pending for good, as in a real program until Pulumi stops it; Pulumi's leak report at exit would count them
 * and set exit code 1, so they are forgotten and the report still speaks for every other test.
 */
import * as pulumiRuntimeState from "@pulumi/pulumi/runtime/state";

/** What Pulumi's leak report at exit counts (its store is internal: not in the type declarations). */
const pendingRegistrations = (): Set<unknown> =>
  (pulumiRuntimeState as unknown as { getStore(): { leakCandidates: Set<unknown> } }).getStore()
    .leakCandidates;

/** Runs `declare` and collects the program's later errors until one says "found once the values were known". */
export async function laterErrors(declare: () => void): Promise<string[]> {
  const errors: string[] = [];
  const record = (e: unknown) => errors.push(String((e as Error)?.message ?? e));
  const before = new Set(pendingRegistrations());
  process.on("unhandledRejection", record);
  try {
    declare();
    for (let i = 0; i < 200 && !errors.some((e) => e.includes("found once the values were known")); i++)
      await new Promise((r) => setTimeout(r, 50));
  } finally {
    process.off("unhandledRejection", record);
  }
  const leaks = pendingRegistrations();
  for (const promise of [...leaks]) if (!before.has(promise)) leaks.delete(promise);
  return errors;
}
