/**
 * Reading a whole list from a busy server (docs/reliability.md, "What busy production servers do"): pages are an
 * upper bound, not a promise, and the table may change while it is read. Pure: the page fetch is a callback.
 *
 * - A list ends only at an empty page. A short page is NOT the end: a server that caps pages or fills them by a byte
 *   budget answers fewer rows than asked, a different count each time. No Deltek source gives a total-count header,
 *   so nothing here trusts one.
 * - Pages are read by position (`offset`, which Deltek documents as counting from 0): the next page starts right
 *   after the rows this one held, however many that was, so a short page skips nothing.
 * - Rows are de-duplicated by key across pages (a row inserted before the reading position pushes the rows after it
 *   one place on, so one of them comes twice); the later copy wins.
 * - A server that ignores `offset` answers the first page again: when it also ignored the size (more or fewer rows
 *   than asked) it answered everything it has, and that is the list; when it answered exactly the size asked, the
 *   rest cannot be reached and the read fails.
 * No Pulumi import.
 */
import { idKey } from "./identifiers";

/**
 * The key rows are de-duplicated by: the one identifier rule (lib/vantagepoint/identifiers.ts: trimmed,
 * case-insensitive, as SQL Server's default collation compares); a row without a text key is keyed by its JSON.
 */
export function rowKey(value: unknown): string {
  return typeof value === "string" ? `id:${idKey(value)}` : `json:${JSON.stringify(value ?? null)}`;
}

/** Where the next page starts. */
export interface PagePosition {
  /** Rows consumed so far (Deltek's `offset`, from 0). */
  offset: number;
  /** Rows asked for. */
  limit: number;
}

export interface PagedRead<T> {
  rows: T[];
  /** Requests made, the closing empty page included. */
  pages: number;
  /** Rows that came twice (the table changed while it was read). */
  duplicates: number;
}

export class PagingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PagingError";
  }
}

/** The most pages one list may take (a server that never answers an empty page must not loop forever). */
export const MAX_PAGES = 100_000;

/**
 * Reads every page from offset 0 until the server answers an empty page. `fetchPage` returns the rows at a
 * position; `keyOf` gives each row's key (undefined: the whole row is its key).
 */
export async function readAllPages<T>(
  fetchPage: (position: PagePosition) => Promise<T[]>,
  options: { pageSize: number; keyOf?: (row: T) => unknown; maxPages?: number },
): Promise<PagedRead<T>> {
  const keyOf = (row: T) => rowKey(options.keyOf ? options.keyOf(row) : row);
  const maxPages = options.maxPages ?? MAX_PAGES;
  const out: T[] = [];
  const at = new Map<string, number>();
  let firstKeys: string[] | undefined;
  let offset = 0;
  let duplicates = 0;
  for (let pages = 1; ; pages++) {
    if (pages > maxPages)
      throw new PagingError(`the list did not end after ${maxPages} pages (no empty page came back)`);
    const rows = await fetchPage({ offset, limit: options.pageSize });
    if (rows.length === 0) return { rows: out, pages, duplicates };
    const keys = rows.map(keyOf);
    if (firstKeys === undefined) firstKeys = keys;
    else if (sameKeys(keys, firstKeys)) {
      // The server ignored the position. An answer of any other size than asked is everything it has.
      if (firstKeys.length !== options.pageSize) return { rows: out, pages, duplicates };
      throw new PagingError(
        `the server answered the first ${firstKeys.length} rows again when asked for the rows after them (it ignores offset), so the rest of the list cannot be read; set connection.pageSize above the list's size`,
      );
    }
    rows.forEach((row, i) => {
      const seen = at.get(keys[i]);
      if (seen === undefined) {
        at.set(keys[i], out.length);
        out.push(row);
      } else {
        duplicates++;
        out[seen] = row;
      }
    });
    offset += rows.length;
  }
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((k, i) => k === b[i]);
}
