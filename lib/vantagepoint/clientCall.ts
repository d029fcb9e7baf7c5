/**
 * The REST client's token and calls: token grant and refresh (refresh token first, then the password grant), and
 * one API call with retries honouring Retry-After, a refresh on 401, same-origin redirects only, and a write whose
 * reply was lost resolved by re-reading, never by sending it again (split out of client.ts).
 */
import * as http from "node:http";
import { parseErrorBody, VantagepointError } from "./errors";
import {
  alreadyExists,
  NOT_SENT_CODES,
  replyLostHint,
  rereadWithin,
  unknownOutcomeStatus,
} from "./unknownOutcome";
import {
  forbiddenHint,
  IDEMPOTENT,
  MAX_REFRESHES_ON_401,
  NETWORK_CODES,
  parseRetryAfter,
  refreshMargin,
  tokenHint,
} from "./clientRules";
import type { RawReply } from "./clientRules";
import { ClientTransport } from "./clientTransport";

/** VantagepointClient's token and calls with retries, on top of the transport. */
export class ClientCall extends ClientTransport {
  // ---- token -------------------------------------------------------------------------------------

  protected async ensureToken(force = false): Promise<void> {
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

  /**
   * One API call with retries. Returns the parsed JSON body (undefined for an empty body).
   * POST is sent again only when the server said it did not process it (429) or the connection was refused; a
   * lost reply (reset, timeout, 502, 503, 504) is resolved by re-reading with `landed`, never by sending again.
   */
  protected async call(
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
}
