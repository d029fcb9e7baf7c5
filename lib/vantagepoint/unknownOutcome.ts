/**
 * Writes whose outcome is unknown (docs/reliability.md, "What busy production servers do"): a create whose reply was
 * lost after the request was sent (connection reset, timeout, 502, 503, 504) may have been written. It is resolved by
 * re-reading the record by its natural key, again and again for a bounded window (reads may lag writes), and never
 * by sending the create again. No Pulumi import.
 */

/**
 * How long a write may stay invisible to reads, by default (connection.readLagMs, stack vantagepoint.readLagMs).
 * Source: Microsoft, "Offload read-only workload to secondary replica of an Always On availability group" (Learn):
 * "In many cases, the data latency between a primary database and the corresponding secondary database is only a
 * few seconds." Ten seconds covers a few seconds with room; a site whose reads lag more raises it.
 */
export const DEFAULT_READ_LAG_MS = 10_000;

/** Largest accepted readLagMs (10 minutes): a longer wait is better spent re-running. */
export const MAX_READ_LAG_MS = 600_000;

/** First pause between re-reads, doubled up to MAX_REREAD_PAUSE_MS. */
export const FIRST_REREAD_PAUSE_MS = 250;
export const MAX_REREAD_PAUSE_MS = 2_000;

/**
 * The pauses between re-reads within a window: 250, 500, 1000, 2000, 2000, ... ms, the last one shortened so that
 * they add up to the window exactly. Counted, not timed, so a fake sleep in a test cannot make it spin.
 */
export function rereadPauses(windowMs: number): number[] {
  const out: number[] = [];
  let left = Math.max(0, Math.floor(windowMs));
  let pause = FIRST_REREAD_PAUSE_MS;
  while (left > 0) {
    const p = Math.min(pause, left);
    out.push(p);
    left -= p;
    pause = Math.min(MAX_REREAD_PAUSE_MS, pause * 2);
  }
  return out;
}

/**
 * Re-reads until `reread` finds the record or the window is over: once now, then after each pause. Returns the
 * record, or undefined when it never showed.
 */
export async function rereadWithin<T>(
  reread: () => Promise<T | undefined>,
  windowMs: number,
  sleep: (ms: number) => Promise<void>,
): Promise<T | undefined> {
  const first = await reread();
  if (first !== undefined) return first;
  for (const pause of rereadPauses(windowMs)) {
    await sleep(pause);
    const found = await reread();
    if (found !== undefined) return found;
  }
  return undefined;
}

/** A reply status after which a write's outcome is unknown: the gateway or server may have written it. */
export function unknownOutcomeStatus(status: number): boolean {
  return status === 502 || status === 503 || status === 504;
}

/**
 * Network failures where the request never reached the server (nothing was written): safe to send again. Every
 * other network failure after sending (reset, timeout, aborted reply) leaves the outcome unknown.
 */
export const NOT_SENT_CODES: ReadonlySet<string> = new Set(["ECONNREFUSED", "EAI_AGAIN", "ENOTFOUND"]);

/** A refusal that says the record is already there (400 or 409 with "already exists" or "duplicate"). */
export function alreadyExists(status: number, serverWords: string | undefined): boolean {
  return (status === 400 || status === 409) && /already exists|duplicate/i.test(serverWords ?? "");
}

/** The message for a create whose reply was lost and whose record did not show within the window. */
export function replyLostHint(windowMs: number): string {
  return `The reply was lost, and the record did not show in ${Math.round(windowMs / 100) / 10} s of re-reading (connection.readLagMs); it was not sent again, so nothing was written twice. Re-run in a minute: the next run finds it if it was written.`;
}
