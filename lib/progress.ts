/**
 * Progress for long work (seeding thousands of people, `doctor` over a large site, a large roster file), on
 * stderr and only when stderr is a terminal: nothing at all in pipes, files or CI logs, so stdout and captured
 * logs stay exactly what they were. One line, redrawn in place (`\r` + erase to end of line), cleared at the end.
 * Pure apart from the timer of `watchProgress`; no Pulumi import.
 */

/** Where progress goes: the command's stderr and whether it is a terminal. */
export interface ProgressOutput {
  stderr(text: string): void;
  /** True only for a TTY (process.stderr.isTTY); undefined or false: progress is off. */
  stderrIsTTY?: boolean;
  env?: NodeJS.ProcessEnv;
}

export interface Progress {
  /** Whether anything will be drawn (stderr is a terminal that can redraw a line). */
  readonly enabled: boolean;
  /** Records how far the work is; redrawn at most every `minIntervalMs`. */
  update(done: number, total?: number): void;
  /** Clears the line. Safe to call twice. */
  stop(): void;
}

/** Whether `out` gets progress: a TTY, not TERM=dumb. */
export function progressEnabled(out: ProgressOutput): boolean {
  return out.stderrIsTTY === true && out.env?.TERM !== "dumb";
}

/** The progress line: `label: 1,200/5,000 people (24%)` or `label: 1,200 requests`. */
export function formatProgress(label: string, done: number, total?: number, unit = ""): string {
  const n = (x: number) => Math.max(0, Math.floor(x)).toLocaleString("en-US");
  const what = unit ? ` ${unit}` : "";
  if (total === undefined || !Number.isFinite(total) || total <= 0) return `${label}: ${n(done)}${what}`;
  const pct = Math.min(100, Math.floor((Math.min(done, total) / total) * 100));
  return `${label}: ${n(Math.min(done, total))}/${n(total)}${what} (${pct}%)`;
}

const OFF: Progress = { enabled: false, update: () => undefined, stop: () => undefined };

/** A progress line for `label`; a no-op unless stderr is a terminal. */
export function createProgress(
  out: ProgressOutput,
  label: string,
  options: { unit?: string; minIntervalMs?: number; now?: () => number } = {},
): Progress {
  if (!progressEnabled(out)) return OFF;
  const now = options.now ?? Date.now;
  const interval = options.minIntervalMs ?? 100;
  let last = -Infinity;
  let drawn = false;
  let stopped = false;
  return {
    enabled: true,
    update(done, total) {
      if (stopped) return;
      const t = now();
      const finished = total !== undefined && done >= total;
      if (t - last < interval && !finished) return;
      last = t;
      drawn = true;
      out.stderr(`\r${formatProgress(label, done, total, options.unit)}\x1b[K`);
    },
    stop() {
      if (stopped) return;
      stopped = true;
      if (drawn) out.stderr("\r\x1b[K");
    },
  };
}

/**
 * Samples `read` every `intervalMs` while asynchronous work runs (for work that counts but cannot call back,
 * e.g. requests a client or the emulator has answered). The timer never keeps the process alive.
 */
export function watchProgress(
  out: ProgressOutput,
  label: string,
  read: () => { done: number; total?: number },
  options: { unit?: string; intervalMs?: number } = {},
): Progress {
  const line = createProgress(out, label, { unit: options.unit, minIntervalMs: 0 });
  if (!line.enabled) return OFF;
  const tick = () => {
    const { done, total } = read();
    line.update(done, total);
  };
  const timer = setInterval(tick, options.intervalMs ?? 200);
  timer.unref?.();
  return {
    enabled: true,
    update: line.update,
    stop() {
      clearInterval(timer);
      line.stop();
    },
  };
}
