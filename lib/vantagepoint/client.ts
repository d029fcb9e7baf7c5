/**
 * The Vantagepoint REST client: token grant and refresh, bearer on every call, paged reads with
 * fieldFilter, retries with full-jitter backoff honouring Retry-After, bounded write concurrency,
 * per-request timeouts and errors that never carry a secret. No Pulumi import.
 */
import * as http from "node:http";
import * as https from "node:https";
import { parseErrorBody, redactSecrets, VantagepointError } from "./errors";
import { PagingError, readAllPages, rowKey } from "./paging";
import {
  alreadyExists,
  DEFAULT_READ_LAG_MS,
  MAX_READ_LAG_MS,
  NOT_SENT_CODES,
  replyLostHint,
  rereadWithin,
  unknownOutcomeStatus,
} from "./unknownOutcome";
import type { PagePosition } from "./paging";
import { DEFAULT_PAGE_SIZE, DEFAULT_PATHS, VantagepointConnection, VantagepointPaths } from "./types";

export interface ClientOptions {
  /** Per-request timeout in milliseconds (default 30 000). */
  timeoutMs?: number;
  /** Retries after the first attempt for retryable failures (default 5). */
  maxRetries?: number;
  /** Base of the exponential backoff in milliseconds (default 250). */
  baseDelayMs?: number;
  /** Cap of one backoff delay in milliseconds (default 20 000). */
  maxDelayMs?: number;
  /** Cap on an honoured Retry-After in milliseconds (default 120 000). */
  maxRetryAfterMs?: number;
  /** Injectable sleep (tests pass a fast one). */
  sleep?: (ms: number) => Promise<void>;
  /** Injectable random in [0, 1) for the jitter. */
  random?: () => number;
  /** Injectable clock in milliseconds. */
  now?: () => number;
  /** Writes in flight at once (default 8). */
  writeConcurrency?: number;
  /** Largest reply body accepted in bytes (default 16 MiB: a 5,000-record page with fieldFilter is about 1 MB). */
  maxResponseBytes?: number;
  /**
   * Refresh the token this many ms before it expires (default 60 000, as an open-source client does), capped
   * at a quarter of the token's lifetime so a short-lived token is not re-granted before every call.
   */
  refreshMarginMs?: number;
}

export interface RequestCounters {
  /** Every HTTP request sent, token grants and retries included. */
  requests: number;
  /** POST/PUT/DELETE requests to hubs that the server accepted (2xx); token grants excluded. */
  writes: number;
  /** POST/PUT/DELETE requests sent to hubs, retries and refused ones included. */
  writeAttempts: number;
  tokenGrants: number;
  retries: number;
  listCalls: number;
  /** Writes whose reply was lost after sending (resolved by re-reading, never sent again). */
  unknownOutcomes: number;
  /** Records each whole (unfiltered) list read, by path: what the run summary prints. */
  listed: Record<string, number>;
}

export type FilterOperator = "eq" | "ne" | "gt" | "lt" | "ge" | "le" | "like" | "in";

/**
 * What goes in `filterHash[i][opp]`: the symbols real integration code sends (`==`, `!=`, `>=`, `<`, `like`);
 * Deltek's own examples contradict the words (eq, ne, ...) older notes listed. See docs/reliability.md.
 */
export const FILTER_SYMBOLS: Readonly<Record<FilterOperator, string>> = {
  eq: "==",
  ne: "!=",
  gt: ">",
  lt: "<",
  ge: ">=",
  le: "<=",
  like: "like",
  in: "in",
};

export interface ListOptions {
  fieldFilter?: string[];
  filters?: Array<{ name: string; value: string; opp?: FilterOperator }>;
  /** Sort column; sent as Deltek documents it: `order=Column` ascending, `order=Column_D` descending. */
  order?: { field: string; descending?: boolean };
  pageSize?: number;
  /** Field rows are de-duplicated by across pages (default: the hub's key field). */
  key?: string;
}

/** The `order` parameter for a sort (Deltek's `columnName_D` style). */
export function orderParam(order: { field: string; descending?: boolean }): string {
  return order.descending ? `${order.field}_D` : order.field;
}

export interface CallOptions {
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  /** For POST: re-read to learn whether a failed create landed; return the record if it did. */
  landed?: () => Promise<unknown | undefined>;
}

export type Settled<R> = { ok: true; value: R } | { ok: false; error: Error };

interface RawReply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** Default cap on one reply body; raise it with VPCONNECT_MAX_RESPONSE_BYTES. */
export const DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

const LOOPBACK_HOSTS = new Set(["localhost", "::1", "[::1]"]);

/** True for 127.0.0.0/8, ::1 and localhost. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase();
  if (LOOPBACK_HOSTS.has(h)) return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/** Validates the API root: https only, http allowed for loopback addresses. */
export function parseApiRoot(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new VantagepointError({
      method: "CONFIG",
      path: "connection.url",
      kind: "config",
      hint: `connection.url is not a URL; use the API root, for example https://vp.example.com/vantagepoint/api.`,
    });
  }
  if (url.username || url.password) {
    throw new VantagepointError({
      method: "CONFIG",
      path: "connection.url",
      kind: "config",
      hint: "connection.url must not carry a user name or password; use connection.username and connection.password.",
    });
  }
  if (url.protocol === "https:") return url;
  if (url.protocol === "http:" && isLoopbackHost(url.hostname)) return url;
  throw new VantagepointError({
    method: "CONFIG",
    path: "connection.url",
    kind: "config",
    hint: `connection.url must use https:// (http:// is allowed only for loopback addresses such as 127.0.0.1); got ${url.protocol}//${url.host}.`,
  });
}

const IDEMPOTENT = new Set(["GET", "HEAD", "PUT", "DELETE", "OPTIONS"]);
const NETWORK_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "EPIPE",
  "ETIMEDOUT",
  "EAI_AGAIN",
  "ECONNABORTED",
  "UND_ERR_SOCKET",
]);

function parseRetryAfter(value: string | string[] | undefined, now: number): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v) return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(v)) return Math.max(0, Number(v) * 1000);
  const date = Date.parse(v);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Runs fn over items with at most `limit` in flight; never rejects, returns each outcome in order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<Settled<R>[]> {
  const results: Settled<R>[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      try {
        results[i] = { ok: true, value: await fn(items[i], i) };
      } catch (error) {
        results[i] = { ok: false, error: error instanceof Error ? error : new Error(String(error)) };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

export class VantagepointClient {
  readonly counters: RequestCounters = {
    requests: 0,
    writes: 0,
    writeAttempts: 0,
    tokenGrants: 0,
    retries: 0,
    listCalls: 0,
    unknownOutcomes: 0,
    listed: {},
  };
  readonly paths: Required<VantagepointPaths>;
  readonly pageSize: number;
  /** How long a write may stay invisible to reads (connection.readLagMs): the window of re-reads after a lost reply. */
  readonly readLagMs: number;
  private readonly root: URL;
  private readonly basePath: string;
  private readonly agent: http.Agent;
  private readonly opts: Required<ClientOptions>;
  private token?: { access: string; refresh?: string; expiresAt: number; refreshAt: number };
  private granting?: Promise<void>;

  constructor(
    private readonly connection: VantagepointConnection,
    options: ClientOptions = {},
  ) {
    this.root = parseApiRoot(connection.url);
    this.basePath = this.root.pathname.replace(/\/+$/, "");
    this.paths = { ...DEFAULT_PATHS, ...(connection.paths ?? {}) };
    const pageSize = connection.pageSize ?? DEFAULT_PAGE_SIZE;
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 10000) {
      throw new VantagepointError({
        method: "CONFIG",
        path: "connection.pageSize",
        kind: "config",
        hint: `connection.pageSize must be a whole number from 1 to 10000; got ${pageSize}.`,
      });
    }
    this.pageSize = pageSize;
    const lag = connection.readLagMs ?? DEFAULT_READ_LAG_MS;
    if (!Number.isInteger(lag) || lag < 0 || lag > MAX_READ_LAG_MS) {
      throw new VantagepointError({
        method: "CONFIG",
        path: "connection.readLagMs",
        kind: "config",
        hint: `connection.readLagMs must be a whole number of milliseconds from 0 to ${MAX_READ_LAG_MS}; got ${lag}.`,
      });
    }
    this.readLagMs = lag;
    this.opts = {
      timeoutMs: options.timeoutMs ?? 30_000,
      maxRetries: options.maxRetries ?? 5,
      baseDelayMs: options.baseDelayMs ?? 250,
      maxDelayMs: options.maxDelayMs ?? 20_000,
      maxRetryAfterMs: options.maxRetryAfterMs ?? 120_000,
      sleep: options.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms))),
      random: options.random ?? Math.random,
      now: options.now ?? Date.now,
      writeConcurrency: options.writeConcurrency ?? 8,
      maxResponseBytes: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
      refreshMarginMs: options.refreshMarginMs ?? 60_000,
    };
    const agentOptions = { keepAlive: true, maxSockets: Math.max(4, this.opts.writeConcurrency * 2) };
    this.agent =
      this.root.protocol === "https:" ? new https.Agent(agentOptions) : new http.Agent(agentOptions);
  }

  /** Values that must never appear in an error or log line. */
  get knownSecrets(): string[] {
    return [
      this.connection.password,
      this.connection.clientSecret,
      this.token?.access,
      this.token?.refresh,
    ].filter((s): s is string => typeof s === "string" && s.length > 0);
  }

  /** The site this client talks to (API root and database): the key of withSiteLock. */
  get site(): string {
    return `${this.root.origin}${this.basePath.toLowerCase()}|${this.connection.database.toLowerCase()}`;
  }

  /** Closes kept-alive sockets. */
  close(): void {
    this.agent.destroy();
  }

  get writeConcurrency(): number {
    return this.opts.writeConcurrency;
  }

  // ---- token -------------------------------------------------------------------------------------

  private async ensureToken(force = false): Promise<void> {
    if (!force && this.token && this.opts.now() < this.token.refreshAt) return;
    if (this.granting) return this.granting;
    const stale = this.token;
    this.granting = (async () => {
      if (stale?.refresh) {
        try {
          await this.grant({ grant_type: "refresh_token", refresh_token: stale.refresh });
          return;
        } catch (e) {
          if (!(e instanceof VantagepointError) || e.status === undefined || e.status >= 500) throw e;
          // An expired or revoked refresh token: fall back to the password grant.
        }
      }
      await this.grant({
        grant_type: "password",
        Username: this.connection.username,
        Password: this.connection.password,
        Integrated: this.connection.integrated ? "Y" : "N",
      });
    })();
    try {
      await this.granting;
    } finally {
      this.granting = undefined;
    }
  }

  private async grant(fields: Record<string, string>): Promise<void> {
    const form = new URLSearchParams({
      ...fields,
      database: this.connection.database,
      Client_Id: this.connection.clientId,
      client_secret: this.connection.clientSecret,
    }).toString();
    this.counters.tokenGrants++;
    const reply = await this.call("POST", "/token", { form, noAuth: true, idempotent: true });
    const o = reply as Record<string, unknown> | undefined;
    const access = o && typeof o.access_token === "string" ? o.access_token : undefined;
    if (!access) {
      throw new VantagepointError({
        method: "POST",
        path: "/token",
        status: 200,
        kind: "malformed",
        hint: "The token reply has no access_token.",
        knownSecrets: this.knownSecrets,
      });
    }
    const expiresIn = Number(o?.expires_in);
    const seconds = Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : 1799;
    const lifetime = seconds * 1000;
    const now = this.opts.now();
    this.token = {
      access,
      refresh: typeof o?.refresh_token === "string" ? o.refresh_token : undefined,
      expiresAt: now + lifetime,
      refreshAt: now + lifetime - refreshMargin(this.opts.refreshMarginMs, lifetime),
    };
  }

  // ---- low-level ---------------------------------------------------------------------------------

  private send(method: string, url: URL, headers: Record<string, string>, body?: string): Promise<RawReply> {
    this.counters.requests++;
    const lib = url.protocol === "https:" ? https : http;
    return new Promise<RawReply>((resolve, reject) => {
      let settled = false;
      const done = (err: Error | undefined, reply?: RawReply) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (err) reject(err);
        else resolve(reply!);
      };
      const req = lib.request(
        url,
        {
          method,
          headers:
            body !== undefined ? { ...headers, "Content-Length": String(Buffer.byteLength(body)) } : headers,
          agent: this.agent,
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on("data", (c: Buffer) => {
            size += c.length;
            if (size > this.opts.maxResponseBytes) {
              const e = new Error("too-large") as Error & { code: string };
              e.code = "VP_TOO_LARGE";
              req.destroy(e);
              done(e);
              return;
            }
            chunks.push(c);
          });
          res.on("end", () =>
            done(undefined, {
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: Buffer.concat(chunks).toString("utf8"),
            }),
          );
          res.on("error", (e) => done(e));
          res.on("aborted", () => {
            const e = new Error("aborted") as Error & { code: string };
            e.code = "ECONNRESET";
            done(e);
          });
        },
      );
      const timer = setTimeout(() => {
        const e = new Error("timeout") as Error & { code: string };
        e.code = "VP_TIMEOUT";
        req.destroy(e);
        done(e);
      }, this.opts.timeoutMs);
      req.on("error", (e) => done(e));
      if (body !== undefined) req.write(body);
      req.end();
    });
  }

  private backoff(attempt: number, retryAfterMs?: number): number {
    const cap = Math.min(this.opts.maxDelayMs, this.opts.baseDelayMs * 2 ** attempt);
    const jitter = Math.floor(this.opts.random() * cap);
    if (retryAfterMs === undefined) return jitter;
    return Math.min(this.opts.maxRetryAfterMs, Math.max(retryAfterMs, jitter));
  }

  private url(path: string, query?: Record<string, string | number | undefined>): URL {
    const u = new URL(this.root.toString());
    u.pathname = `${this.basePath}${path.startsWith("/") ? path : `/${path}`}`;
    u.search = "";
    if (query) {
      for (const [k, v] of Object.entries(query)) if (v !== undefined) u.searchParams.append(k, String(v));
    }
    return u;
  }

  private err(
    method: string,
    path: string,
    args: Omit<ConstructorParameters<typeof VantagepointError>[0], "method" | "path" | "knownSecrets">,
  ) {
    return new VantagepointError({ ...args, method, path, knownSecrets: this.knownSecrets });
  }

  /**
   * One API call with retries. Returns the parsed JSON body (undefined for an empty body).
   * POST is sent again only when the server said it did not process it (429) or the connection was refused; a
   * lost reply (reset, timeout, 502, 503, 504) is resolved by re-reading with `landed`, never by sending again.
   */
  private async call(
    method: string,
    path: string,
    o: {
      query?: Record<string, string | number | undefined>;
      json?: unknown;
      form?: string;
      noAuth?: boolean;
      idempotent?: boolean;
      landed?: () => Promise<unknown | undefined>;
      /** Receives the reply headers of the successful attempt (Location of a create). */
      onHeaders?: (headers: http.IncomingHttpHeaders) => void;
    } = {},
  ): Promise<unknown> {
    const idempotent = o.idempotent ?? IDEMPOTENT.has(method);
    const isWrite = !o.noAuth && method !== "GET" && method !== "HEAD";
    let refreshesOn401 = 0;
    let redirects = 0;
    let url = this.url(path, o.query);
    const display = `${path}${url.search ? "?" + decodeURIComponent(url.searchParams.toString()).slice(0, 200) : ""}`;
    for (let attempt = 0; ; attempt++) {
      if (!o.noAuth) await this.ensureToken();
      const headers: Record<string, string> = { Accept: "application/json" };
      let body: string | undefined;
      if (o.form !== undefined) {
        headers["Content-Type"] = "application/x-www-form-urlencoded";
        body = o.form;
      } else if (o.json !== undefined) {
        headers["Content-Type"] = "application/json";
        body = JSON.stringify(o.json);
      }
      const usedToken = o.noAuth ? undefined : this.token!.access;
      if (usedToken) headers.Authorization = `Bearer ${usedToken}`;
      if (isWrite) this.counters.writeAttempts++;

      let reply: RawReply;
      try {
        reply = await this.send(method, url, headers, body);
      } catch (e) {
        const code = (e as { code?: string }).code ?? "";
        if (code === "VP_TOO_LARGE") {
          throw this.err(method, display, {
            kind: "too-large",
            hint: `The reply was larger than ${this.opts.maxResponseBytes} bytes; lower connection.pageSize or check the server.`,
          });
        }
        const kind = code === "VP_TIMEOUT" ? "timeout" : "network";
        const words =
          kind === "timeout"
            ? `no reply within ${this.opts.timeoutMs} ms`
            : `${code || (e as Error).message}`;
        if (!NETWORK_CODES.has(code) && kind !== "timeout" && code !== "") {
          throw this.err(method, display, {
            kind: "network",
            serverMessage: words,
            hint: "Check connection.url and that the server is reachable.",
          });
        }
        // A write that reached the server (anything but a refused connection) has an unknown outcome.
        if (!idempotent && !NOT_SENT_CODES.has(code))
          return this.unknownOutcome(method, display, o.landed, words);
        if (attempt < this.opts.maxRetries) {
          this.counters.retries++;
          await this.opts.sleep(this.backoff(attempt));
          continue;
        }
        throw this.err(method, display, {
          kind,
          serverMessage: words,
          retryable: true,
          hint: `Gave up after ${attempt + 1} attempts.`,
        });
      }

      const { status } = reply;
      if (status >= 300 && status < 400 && reply.headers.location) {
        let target: URL;
        try {
          target = new URL(reply.headers.location, url);
        } catch {
          throw this.err(method, display, {
            status,
            kind: "redirect",
            hint: "The server redirected to an invalid location.",
          });
        }
        const sameOrigin = target.protocol === url.protocol && target.host === url.host;
        if (!sameOrigin) {
          throw this.err(method, display, {
            status,
            kind: "redirect",
            hint: `The server redirected to ${target.protocol}//${target.host}; credentials are never sent to another host. Point connection.url at the API root that answers directly.`,
          });
        }
        if (method !== "GET" || ++redirects > 3) {
          throw this.err(method, display, {
            status,
            kind: "redirect",
            hint: `Unexpected redirect to ${target.pathname}; point connection.url at the API root.`,
          });
        }
        url = target;
        attempt--;
        continue;
      }

      if (status >= 200 && status < 300) {
        if (isWrite) this.counters.writes++;
        o.onHeaders?.(reply.headers);
        const empty = status === 204 || reply.body.trim() === "";
        // An empty reply to a write is normal (204). An empty reply to a read is not "no records": reading it
        // as [] would make the roster create people who exist, so a read treats it like malformed JSON.
        if (empty && method !== "GET") return undefined;
        try {
          if (empty) throw new Error("empty");
          return JSON.parse(reply.body) as unknown;
        } catch {
          if (idempotent && attempt < this.opts.maxRetries) {
            this.counters.retries++;
            await this.opts.sleep(this.backoff(attempt));
            continue;
          }
          const kind = empty
            ? "empty"
            : /html/i.test(String(reply.headers["content-type"] ?? "")) || /^\s*</.test(reply.body)
              ? "an HTML page"
              : "malformed JSON";
          throw this.err(method, display, {
            status,
            kind: "malformed",
            serverMessage: kind === "an HTML page" ? parseErrorBody(reply.body, "text/html") : undefined,
            hint: `The reply was ${kind}, not the JSON expected; check that connection.url is the API root.`,
          });
        }
      }

      const words = parseErrorBody(reply.body, String(reply.headers["content-type"] ?? ""));
      // A 401 means the token was refused: get a new one and try again, and once more after that (a server that
      // restarted between the grant and the call, or a load balancer with a stale node, refuses a fresh token once).
      if (status === 401 && !o.noAuth && refreshesOn401 < MAX_REFRESHES_ON_401) {
        refreshesOn401++;
        // Writes in flight share one refresh: only refresh if nobody did since this call's token.
        if (this.token?.access === usedToken) await this.ensureToken(true);
        attempt--;
        continue;
      }
      // A 502, 503 or 504 to a write: the gateway may have passed it on and lost the reply. Never sent again.
      if (!idempotent && unknownOutcomeStatus(status))
        return this.unknownOutcome(method, display, o.landed, `${status}: ${words}`, status);
      // "Already exists": success when the record there is the one this write would have made (`landed` finds
      // only a matching one), e.g. a create whose earlier reply was lost and which a lagging read did not show.
      if (!idempotent && o.landed && alreadyExists(status, words)) {
        const found = await rereadWithin(o.landed, this.readLagMs, this.opts.sleep);
        if (found !== undefined) return found;
      }
      const retryAfter = parseRetryAfter(reply.headers["retry-after"], this.opts.now());
      const transient = status === 429 || (idempotent && unknownOutcomeStatus(status));
      if (transient && attempt < this.opts.maxRetries) {
        // 429 means "not processed": safe to send again, a write included.
        this.counters.retries++;
        await this.opts.sleep(this.backoff(attempt, retryAfter));
        continue;
      }
      const hint =
        path === "/token"
          ? tokenHint(status, reply.body)
          : status === 403
            ? forbiddenHint(words)
            : status === 401
              ? `The server refused the token ${refreshesOn401 + 1} times in a row, fresh ones included; check that the API Authorization (connection.clientId) is enabled for this database.`
              : transient
                ? `Gave up after ${attempt + 1} attempts.`
                : undefined;
      throw this.err(method, display, {
        status,
        kind: status === 404 || status === 405 ? "unavailable" : "http",
        serverMessage: words,
        hint,
        retryable: transient,
      });
    }
  }

  /**
   * A write whose reply was lost after it was sent: re-read by the natural key (`landed`) for readLagMs (reads may
   * lag writes); the record found is the write's result. Not found, or nothing to re-read with: stop with
   * "maybe-landed". Never sends the write again (lib/vantagepoint/unknownOutcome.ts).
   */
  private async unknownOutcome(
    method: string,
    display: string,
    landed: (() => Promise<unknown | undefined>) | undefined,
    words: string,
    status?: number,
  ): Promise<unknown> {
    this.counters.unknownOutcomes++;
    const found = landed ? await rereadWithin(landed, this.readLagMs, this.opts.sleep) : undefined;
    if (found !== undefined) return found;
    throw this.err(method, display, {
      status,
      kind: "maybe-landed",
      serverMessage: words,
      hint: landed
        ? replyLostHint(this.readLagMs)
        : "The reply was lost, so the write may have been done; it was not sent again. Re-run in a minute.",
    });
  }

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

/** Refreshes on a 401 before giving up: a fresh token refused once more is retried once more. */
export const MAX_REFRESHES_ON_401 = 2;

/** The refresh margin for a token of `lifetimeMs`: the configured one, at most a quarter of the lifetime. */
export function refreshMargin(marginMs: number, lifetimeMs: number): number {
  return Math.max(0, Math.min(marginMs, lifetimeMs / 4));
}

/** The key a Location header names: its last path segment, when the header points under `path`. */
export function keyFromLocation(location: string | undefined, path: string): string | undefined {
  if (!location) return undefined;
  let pathname: string;
  try {
    pathname = new URL(location, "http://placeholder.invalid").pathname;
  } catch {
    return undefined;
  }
  const hub = path.replace(/\/+$/, "").toLowerCase();
  const at = pathname.toLowerCase().lastIndexOf(`${hub}/`);
  if (at < 0) return undefined;
  const rest = pathname.slice(at + hub.length + 1);
  if (!rest || rest.includes("/")) return undefined;
  try {
    return decodeURIComponent(rest);
  } catch {
    return undefined;
  }
}

/**
 * The hint for a failed token grant, by the OAuth error code (RFC 6749 5.2) the server sent: which settings to
 * check. Never contradicts the server: an unknown code gets the whole list.
 */
export function tokenHint(status: number, body: string): string {
  let code = "";
  try {
    const o = JSON.parse(body) as { error?: unknown };
    if (typeof o?.error === "string") code = o.error.toLowerCase();
  } catch {
    // not OAuth JSON
  }
  if (code === "invalid_grant")
    return "The user credentials were refused: check connection.username, connection.password and connection.database (vantagepoint.username, vantagepoint.password, vantagepoint.database in the stack config); Vantagepoint also refuses a user whose password must be updated in the API's User record.";
  if (code === "invalid_client" || code === "unauthorized_client")
    return "The API Authorization was refused: check connection.clientId and connection.clientSecret (vantagepoint.clientId, vantagepoint.clientSecret) against Utilities > Integrations, and that it allows the password grant.";
  if (code === "unsupported_grant_type")
    return 'The password grant is not allowed: tick "Allow Password Grant Type" on the API Authorization (connection.clientId) in Utilities > Integrations.';
  return `The token grant failed${status ? ` (${status})` : ""}: check connection.username, password, database, clientId and clientSecret, and that the API Authorization allows the password grant.`;
}

/**
 * The hint for a 403. Deltek answers `insufficient_scope` when the API user's role lacks a hub; other refusals
 * (a read-only record, a locked period) carry their own reason, which the hint must not contradict.
 */
export function forbiddenHint(serverWords: string | undefined): string {
  const words = (serverWords ?? "").toLowerCase();
  const generic =
    words === "" ||
    words === "(empty reply body)" ||
    /insufficient_scope|scope|access (is )?denied|not authori[sz]ed|forbidden|permission|role/.test(words);
  const readOnly = /read[- ]?only|locked|cannot be (changed|modified|edited)/.test(words);
  if (generic && !readOnly)
    return "The API user's security role lacks access to this hub: grant it in Settings > Security > Roles.";
  return "The server refused this request for the reason it gave above.";
}

function unwrapWrite<T>(reply: unknown): T | undefined {
  if (reply === undefined || reply === null) return undefined;
  if (Array.isArray(reply)) return reply[0] as T | undefined;
  if (typeof reply === "object") return reply as T;
  return undefined;
}
