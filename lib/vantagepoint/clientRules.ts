/**
 * The REST client's pure rules and shapes: its options and counters, list filters and sort order, the API root
 * check, which failures are retried and how long Retry-After asks to wait, bounded concurrency, the token and 403
 * hints, the key a Location header names (split out of client.ts; no Pulumi import).
 */
import * as http from "node:http";
import { VantagepointError } from "./errors";

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

export interface RawReply {
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

export const IDEMPOTENT = new Set(["GET", "HEAD", "PUT", "DELETE", "OPTIONS"]);
export const NETWORK_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "EPIPE",
  "ETIMEDOUT",
  "EAI_AGAIN",
  "ECONNABORTED",
  "UND_ERR_SOCKET",
]);

export function parseRetryAfter(value: string | string[] | undefined, now: number): number | undefined {
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

export function unwrapWrite<T>(reply: unknown): T | undefined {
  if (reply === undefined || reply === null) return undefined;
  if (Array.isArray(reply)) return reply[0] as T | undefined;
  if (typeof reply === "object") return reply as T;
  return undefined;
}
