/**
 * The Vantagepoint REST client: token grant and refresh, bearer on every call, paged reads with
 * fieldFilter, retries with full-jitter backoff honouring Retry-After, bounded write concurrency,
 * per-request timeouts and errors that never carry a secret. No Pulumi import. This module holds the public API
 * (reads, lists, writes); the pure rules are in clientRules.ts, sockets and requests in clientTransport.ts, the
 * token and the call with retries in clientCall.ts; the names this module exported before the split are
 * re-exported here.
 */
import { redactSecrets, VantagepointError } from "./errors";
import { PagingError, readAllPages, rowKey } from "./paging";
import type { PagePosition } from "./paging";
import { FILTER_SYMBOLS, keyFromLocation, mapLimit, orderParam, unwrapWrite } from "./clientRules";
import type { ListOptions, Settled } from "./clientRules";
import { ClientCall } from "./clientCall";

// Moved out of this module (issue 18 item 7), still importable from here.
export type {
  CallOptions,
  ClientOptions,
  FilterOperator,
  ListOptions,
  RequestCounters,
  Settled,
} from "./clientRules";
export {
  DEFAULT_MAX_RESPONSE_BYTES,
  FILTER_SYMBOLS,
  forbiddenHint,
  isLoopbackHost,
  keyFromLocation,
  mapLimit,
  MAX_REFRESHES_ON_401,
  orderParam,
  parseApiRoot,
  refreshMargin,
  tokenHint,
} from "./clientRules";

export class VantagepointClient extends ClientCall {
  // ---- public API --------------------------------------------------------------------------------

  /** Fetches a token now (normally done lazily). */
  async authenticate(): Promise<void> {
    await this.ensureToken();
  }

  /** GET that returns the parsed JSON. */
  async get(path: string, query?: Record<string, string | number | undefined>): Promise<unknown> {
    return this.call("GET", path, { query });
  }

  /**
   * GET one record: path/{key}; the API answers a one-element array, [] when not found. Not found can also be a
   * 404 for the one record ("What busy production servers do" in the reference): then one GET of the collection
   * tells the two apart. The collection answers: the record does not exist (undefined). It is missing too (404,
   * 405, 501): the hub is not available on this server, and the record's 404 is thrown as it came.
   */
  async getOne<T>(path: string, key: string, fieldFilter?: string[]): Promise<T | undefined> {
    let reply: unknown;
    try {
      reply = await this.call("GET", `${path}/${encodeURIComponent(key)}`, {
        query: fieldFilter ? { fieldFilter: fieldFilter.join(",") } : undefined,
      });
    } catch (e) {
      if (
        e instanceof VantagepointError &&
        e.status === 404 &&
        (await this.collectionAnswers(path, fieldFilter))
      )
        return undefined;
      throw e;
    }
    if (reply === undefined) return undefined;
    if (Array.isArray(reply)) return reply[0] as T | undefined;
    if (typeof reply === "object" && reply !== null) return reply as T;
    throw this.err("GET", `${path}/${key}`, {
      status: 200,
      kind: "malformed",
      hint: "Expected a record or a one-element array.",
    });
  }

  /** Does the collection at `path` answer (one GET of its first row)? False for 404, 405 and 501; other errors throw. */
  async collectionAnswers(path: string, fieldFilter?: string[]): Promise<boolean> {
    try {
      await this.call("GET", path, {
        query: { ...(fieldFilter ? { fieldFilter: fieldFilter.join(",") } : {}), page: 1, pageSize: 1 },
      });
      return true;
    } catch (e) {
      if (e instanceof VantagepointError && (e.status === 404 || e.status === 405 || e.status === 501))
        return false;
      throw e;
    }
  }

  /**
   * Reads every record of a list (lib/vantagepoint/paging.ts): pages by position (`offset`, `limit`) until the
   * server answers an empty page, rows de-duplicated by key (`options.key`, else the hub's key field). A short
   * page is not the end. When rows came twice (the table changed while it was read, so another row may have been
   * skipped) the list is read once more and both reads are merged. Whole-list reads are counted in
   * `counters.listed` (records per path) for the run summary.
   */
  async list<T>(path: string, options: ListOptions = {}): Promise<T[]> {
    const pageSize = options.pageSize ?? this.pageSize;
    const query: Record<string, string | number | undefined> = {};
    if (options.fieldFilter?.length) query.fieldFilter = options.fieldFilter.join(",");
    if (options.order) query.order = orderParam(options.order);
    (options.filters ?? []).forEach((f, i) => {
      query[`filterHash[${i}][name]`] = f.name;
      query[`filterHash[${i}][value]`] = f.value;
      query[`filterHash[${i}][opp]`] = FILTER_SYMBOLS[f.opp ?? "eq"];
    });
    const key = options.key ?? this.keyFieldOf(path);
    const fetchPage = async ({ offset, limit }: PagePosition): Promise<Record<string, unknown>[]> => {
      this.counters.listCalls++;
      const reply = await this.call("GET", path, { query: { ...query, offset, limit } });
      const rows = reply === undefined ? [] : reply;
      if (!Array.isArray(rows)) {
        throw this.err("GET", path, {
          status: 200,
          kind: "malformed",
          hint: `Expected a JSON array of records, got ${rows === null ? "null" : typeof rows}.`,
        });
      }
      for (const r of rows) {
        if (!r || typeof r !== "object" || Array.isArray(r)) {
          throw this.err("GET", path, {
            status: 200,
            kind: "malformed",
            hint: "A list element is not a record.",
          });
        }
      }
      return rows as Record<string, unknown>[];
    };
    const read = async () => {
      try {
        return await readAllPages(fetchPage, {
          pageSize,
          keyOf: key ? (r) => r[key] : undefined,
        });
      } catch (e) {
        if (!(e instanceof PagingError)) throw e;
        throw this.err("GET", path, {
          kind: "malformed",
          hint: `The list could not be read to its end: ${e.message}.`,
        });
      }
    };
    let result = await read();
    if (result.duplicates > 0) {
      // The table moved during the read: a row that shifted back may have been skipped. Read again and merge.
      const again = await read();
      const seen = new Set(again.rows.map((r) => rowKey(key ? r[key] : r)));
      const merged = [...again.rows, ...result.rows.filter((r) => !seen.has(rowKey(key ? r[key] : r)))];
      result = { rows: merged, pages: result.pages + again.pages, duplicates: result.duplicates };
    }
    if (!options.filters?.length) this.counters.listed[path] = result.rows.length;
    return result.rows as T[];
  }

  /** The key field of a hub this client knows (rows are de-duplicated by it), or undefined. */
  private keyFieldOf(path: string): string | undefined {
    const p = path.toLowerCase();
    if (p === this.paths.employees.toLowerCase()) return "Employee";
    if (p === this.paths.users.toLowerCase()) return "Username";
    if (p === this.paths.roles.toLowerCase()) return "Role";
    if (p === this.paths.apiAuthorizations.toLowerCase()) return "ClientId";
    return undefined;
  }

  /**
   * POST a new record and learn its key: from the reply body (`keyField`), else from the Location header that
   * Deltek documents for a 201 ("Responses"), whose last path segment is the key. Accepts an object, a
   * one-element array or 204 as the reply.
   */
  async createRecord<T extends Record<string, unknown>>(
    path: string,
    record: unknown,
    keyField: string,
    landed?: () => Promise<T | undefined>,
  ): Promise<{ record?: T; key?: string }> {
    let location: string | undefined;
    const reply = unwrapWrite<T>(
      await this.call("POST", path, {
        json: record,
        landed,
        onHeaders: (h) => {
          location = typeof h.location === "string" ? h.location : undefined;
        },
      }),
    );
    const fromBody = reply && typeof reply[keyField] === "string" ? (reply[keyField] as string) : undefined;
    return { record: reply, key: fromBody || keyFromLocation(location, path) };
  }

  /** POST a new record. Accepts an object, a one-element array or 204 as the reply. */
  async create<T>(
    path: string,
    record: unknown,
    landed?: () => Promise<T | undefined>,
  ): Promise<T | undefined> {
    return unwrapWrite<T>(await this.call("POST", path, { json: record, landed }));
  }

  /** PUT a partial update to path/{key} (fields not sent are kept). */
  async update<T>(path: string, key: string, fields: unknown): Promise<T | undefined> {
    return unwrapWrite<T>(await this.call("PUT", `${path}/${encodeURIComponent(key)}`, { json: fields }));
  }

  /** DELETE path/{key}. */
  async remove(path: string, key: string): Promise<void> {
    await this.call("DELETE", `${path}/${encodeURIComponent(key)}`);
  }

  /** Waits `ms` with the client's sleep (tests inject a fast one). */
  sleep(ms: number): Promise<void> {
    return this.opts.sleep(ms);
  }

  /** Runs writes with bounded concurrency; never rejects. */
  async writeAll<T, R>(
    items: readonly T[],
    fn: (item: T, index: number) => Promise<R>,
  ): Promise<Settled<R>[]> {
    return mapLimit(items, this.opts.writeConcurrency, fn);
  }

  /** Redacts this connection's secrets from any text. */
  redact(text: string): string {
    return redactSecrets(text, this.knownSecrets);
  }
}
