/** Request counters and the credential-leak recorder of the emulator. */
import type * as http from "node:http";

export interface EmulatorCounters {
  requests: number;
  /** Write requests (POST/PUT/DELETE) received on hubs, whatever their outcome. */
  writes: number;
  /** Writes that changed the state (the server accepted them). */
  writesAccepted: number;
  tokenGrants: number;
  /** Requests by "METHOD /route", e.g. "GET /employee", "PUT /employee/{key}". */
  byRoute: Record<string, number>;
}

export interface CredentialLeak {
  method: string;
  path: string;
  host: string;
  reason: string;
}

export function newCounters(): EmulatorCounters {
  return { requests: 0, writes: 0, writesAccepted: 0, tokenGrants: 0, byRoute: {} };
}

/** Zeroes the counters in place (callers hold the object). */
export function zeroCounters(c: EmulatorCounters): void {
  c.requests = 0;
  c.writes = 0;
  c.writesAccepted = 0;
  c.tokenGrants = 0;
  c.byRoute = {};
}

/** Counts one request on its route; a non-GET on a hub is a write. */
export function countRequest(c: EmulatorCounters, route: string, hubWrite: boolean): void {
  c.requests++;
  c.byRoute[route] = (c.byRoute[route] ?? 0) + 1;
  if (hubWrite) c.writes++;
}

/** Records requests that carry credentials where they must not be. */
export class LeakRecorder {
  readonly leaks: CredentialLeak[] = [];
  constructor(private readonly secrets: () => string[]) {}

  record(req: http.IncomingMessage, path: string, reason: string, host = "emulator"): void {
    this.leaks.push({ method: req.method ?? "", path, host, reason });
  }

  /** Secrets or tokens in the query, an Authorization header on /token, secrets in a hub call's body. */
  check(req: http.IncomingMessage, rel: string, url: URL, body: string): void {
    const q = url.search;
    for (const s of this.secrets()) {
      if (q.includes(encodeURIComponent(s)) || q.includes(s))
        this.record(req, rel, "a password or client secret in the query string");
    }
    if (/access_token=|refresh_token=/.test(q)) this.record(req, rel, "a token in the query string");
    if (rel === "/token") {
      if (req.headers.authorization) this.record(req, rel, "an Authorization header on the token request");
    } else if (body) {
      for (const s of this.secrets())
        if (body.includes(s)) this.record(req, rel, "a password or client secret in the body of a hub call");
    }
  }

  /** What the "other host" (redirect target) received. */
  checkOtherHost(req: http.IncomingMessage, body: string): void {
    const path = (req.url ?? "/").split("?")[0];
    if (req.headers.authorization)
      this.record(req, path, "an Authorization header sent to another host after a redirect", "other-host");
    for (const s of this.secrets())
      if (body.includes(s) || (req.url ?? "").includes(s))
        this.record(req, path, "credentials sent to another host after a redirect", "other-host");
  }
}
