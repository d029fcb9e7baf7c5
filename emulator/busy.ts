/**
 * The emulator's "busy" profile: a strict server that behaves like a busy production one, as
 * /work/shared/reference/vantagepoint-rest.md "What busy production servers do" describes (general server practice;
 * no Deltek source says otherwise):
 * - pages filled by a byte budget: fewer rows than asked, a different count per page, and not the last;
 * - someone else inserts records while a list is read (rows shift: the same row comes twice);
 * - reads lag writes (a readable secondary): a new record is invisible, an updated one shows its old copy, for
 *   `readLagMs`;
 * - replies lost after the write committed: a connection reset or a 502 from the gateway.
 * Every choice is pseudo-random from `seed`, so a test run is repeatable. Other busy behaviours (case-insensitive
 * matching, 404 for a missing record, a 6.x role model) add their switches to BusyOptions.
 */
import type { Rec } from "./seed";

export type LostReplyKind = "reset" | "502" | "503" | "504";

export interface BusyOptions {
  /** Byte budget of one list page (default 8 KiB): a page holds the rows that fit in it, at least one. */
  pageBytes: number;
  /** Each page's budget varies by up to this fraction either way (default 0.35): a different count per page. */
  pageBytesJitter: number;
  /** Records someone else inserts while lists are read, in all (default 6): at most one per page after the first. */
  insertsWhilePaging: number;
  /** How long a write stays invisible to reads, in ms (default 1500). */
  readLagMs: number;
  /** Every nth write loses its reply after it committed (default 9; 0: never). */
  lostReplyEvery: number;
  /** How lost replies look, used in turn (default reset, then 502). */
  lostReplyKinds: LostReplyKind[];
  /** Seed of the pseudo-random choices (default 17). */
  seed: number;
}

export const BUSY_DEFAULTS: Readonly<BusyOptions> = {
  pageBytes: 8 * 1024,
  pageBytesJitter: 0.35,
  insertsWhilePaging: 6,
  readLagMs: 1500,
  lostReplyEvery: 9,
  lostReplyKinds: ["reset", "502"],
  seed: 17,
};

/** The busy options in force: the defaults with the given ones over them. */
export function busyOptions(given: Partial<BusyOptions> | undefined): BusyOptions {
  return { ...BUSY_DEFAULTS, ...(given ?? {}) };
}

/** mulberry32: a small seeded generator in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The busy server's state: what reads cannot see yet, the pseudo-random stream and the counters. */
export class BusyServer {
  readonly options: BusyOptions;
  private random: () => number;
  private invisibleUntil = new Map<string, number>();
  private oldCopy = new Map<string, { rec: Rec; until: number }>();
  private writes = 0;
  private lost = 0;
  inserted = 0;
  /** Replies lost after their write committed, by kind (tests compare against these). */
  readonly lostReplies: Record<LostReplyKind, number> = { reset: 0, "502": 0, "503": 0, "504": 0 };

  constructor(
    given: Partial<BusyOptions> | undefined,
    private readonly now: () => number = Date.now,
  ) {
    this.options = busyOptions(given);
    this.random = seededRandom(this.options.seed);
  }

  /** Forget lag and counters (state back to seed). */
  reset(): void {
    this.invisibleUntil.clear();
    this.oldCopy.clear();
    this.random = seededRandom(this.options.seed);
    this.writes = 0;
    this.lost = 0;
    this.inserted = 0;
  }

  /** The rows of one page: rowAt(0), rowAt(1), ... while they fit this page's byte budget (at least one). */
  fillPage<T>(rowAt: (i: number) => T, available: number): T[] {
    const { pageBytes, pageBytesJitter } = this.options;
    const budget = pageBytes * (1 - pageBytesJitter + 2 * pageBytesJitter * this.random());
    const out: T[] = [];
    let bytes = 2;
    while (out.length < available) {
      const row = rowAt(out.length);
      bytes += Buffer.byteLength(JSON.stringify(row)) + 1;
      if (out.length > 0 && bytes > budget) break;
      out.push(row);
    }
    return out;
  }

  /** Whether someone else inserts a record before the reading position now (pages after the first only). */
  insertsNow(start: number): boolean {
    if (start === 0 || this.inserted >= this.options.insertsWhilePaging) return false;
    if (this.random() < 0.5) return false;
    this.inserted++;
    return true;
  }

  /** A position in [0, below) for an inserted record. */
  positionBelow(below: number): number {
    return Math.floor(this.random() * Math.max(1, below));
  }

  /** A record was created: reads miss it for readLagMs. */
  created(hub: string, key: string): void {
    if (this.options.readLagMs > 0)
      this.invisibleUntil.set(`${hub}|${key}`, this.now() + this.options.readLagMs);
  }

  /** A record is about to change: reads show this copy of it for readLagMs (the first old copy is kept). */
  updating(hub: string, key: string, before: Rec): void {
    if (this.options.readLagMs <= 0) return;
    const k = `${hub}|${key}`;
    const pending = this.oldCopy.get(k);
    const until = this.now() + this.options.readLagMs;
    this.oldCopy.set(k, { rec: pending && pending.until > this.now() ? pending.rec : { ...before }, until });
  }

  /** What a read sees of a record: undefined while it is too new, its old copy while an update is lagging. */
  visible(hub: string, key: string, rec: Rec): Rec | undefined {
    const now = this.now();
    const hidden = this.invisibleUntil.get(`${hub}|${key}`);
    if (hidden !== undefined) {
      if (now < hidden) return undefined;
      this.invisibleUntil.delete(`${hub}|${key}`);
    }
    const old = this.oldCopy.get(`${hub}|${key}`);
    if (old) {
      if (now < old.until) return old.rec;
      this.oldCopy.delete(`${hub}|${key}`);
    }
    return rec;
  }

  /** For a write about to be handled: how its reply is lost after it commits, or undefined. */
  loseReply(): LostReplyKind | undefined {
    const every = this.options.lostReplyEvery;
    if (every <= 0) return undefined;
    this.writes++;
    if (this.writes % every !== 0) return undefined;
    const kinds = this.options.lostReplyKinds.length
      ? this.options.lostReplyKinds
      : BUSY_DEFAULTS.lostReplyKinds;
    const kind = kinds[this.lost++ % kinds.length];
    this.lostReplies[kind]++;
    return kind;
  }
}
