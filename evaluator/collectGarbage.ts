/**
 * A full garbage collection between two phases of a check, when the phase before left a large heap: a
 * 100,000-person roster's program run leaves ~100 MB of garbage in the old generation (its live heap ~140 MB), and
 * V8 collects it only once the heap reaches the limit it set after its last collection (~300 MB here), which
 * the analysis then pushed past 500 MB of resident memory (issue 21 item 4, npm run bench:config). Collecting
 * here costs about what V8's own collection would a little later (one full mark of the live heap); it caps nothing,
 * so a larger roster is not refused, only collected earlier. Below FROM_BYTES of heap in use it does nothing: an
 * ordinary stack's check uses about 90 MB, a 100,000-person roster's 260 MB at the end of its program run.
 */
import * as v8 from "node:v8";
import * as vm from "node:vm";

const FROM_BYTES = 160 * 1024 * 1024;
let gc: (() => void) | undefined;

/** Collects garbage now when more than `fromBytes` of heap is in use; returns whether it did. */
export function collectLargeGarbage(fromBytes = FROM_BYTES): boolean {
  if (v8.getHeapStatistics().used_heap_size < fromBytes) return false;
  if (!gc) {
    // `gc` exists in a context made after --expose-gc is set (Node's v8.setFlagsFromString); the flag changes
    // nothing else.
    v8.setFlagsFromString("--expose-gc");
    gc = vm.runInNewContext("gc") as () => void;
  }
  gc();
  return true;
}
