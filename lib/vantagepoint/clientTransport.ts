/**
 * The REST client's transport: its settings checked once (API root, page size, read lag), kept-alive sockets, one
 * HTTP request with a timeout and a reply size cap, the full-jitter backoff, URLs and secret-free errors. The token
 * and the call with retries are in clientCall.ts, the public API in client.ts (split out of client.ts).
 */
import * as http from "node:http";
import * as https from "node:https";
import { VantagepointError } from "./errors";
import { DEFAULT_READ_LAG_MS, MAX_READ_LAG_MS } from "./unknownOutcome";
import { DEFAULT_PAGE_SIZE, DEFAULT_PATHS, VantagepointConnection, VantagepointPaths } from "./types";
import { DEFAULT_MAX_RESPONSE_BYTES, parseApiRoot } from "./clientRules";
import type { ClientOptions, RawReply, RequestCounters } from "./clientRules";

/** VantagepointClient's base: settings, sockets, one request, backoff, URLs and errors. */
export class ClientTransport {
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
  protected readonly opts: Required<ClientOptions>;
  protected token?: { access: string; refresh?: string; expiresAt: number; refreshAt: number };
  protected granting?: Promise<void>;

  constructor(
    protected readonly connection: VantagepointConnection,
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

  // ---- low-level ---------------------------------------------------------------------------------

  protected send(
    method: string,
    url: URL,
    headers: Record<string, string>,
    body?: string,
  ): Promise<RawReply> {
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

  protected backoff(attempt: number, retryAfterMs?: number): number {
    const cap = Math.min(this.opts.maxDelayMs, this.opts.baseDelayMs * 2 ** attempt);
    const jitter = Math.floor(this.opts.random() * cap);
    if (retryAfterMs === undefined) return jitter;
    return Math.min(this.opts.maxRetryAfterMs, Math.max(retryAfterMs, jitter));
  }

  protected url(path: string, query?: Record<string, string | number | undefined>): URL {
    const u = new URL(this.root.toString());
    u.pathname = `${this.basePath}${path.startsWith("/") ? path : `/${path}`}`;
    u.search = "";
    if (query) {
      for (const [k, v] of Object.entries(query)) if (v !== undefined) u.searchParams.append(k, String(v));
    }
    return u;
  }

  protected err(
    method: string,
    path: string,
    args: Omit<ConstructorParameters<typeof VantagepointError>[0], "method" | "path" | "knownSecrets">,
  ) {
    return new VantagepointError({ ...args, method, path, knownSecrets: this.knownSecrets });
  }
}
