/** The emulator's token endpoint: password and refresh grants, access-token expiry and revocation. */
import type * as http from "node:http";
import { randomBytes } from "node:crypto";
import type { EmulatorCounters } from "./counters";
import { send } from "./reply";
import type { Replies } from "./reply";
import type { DEMO_CREDENTIALS } from "./seed";

export interface TokenOptions {
  /** expires_in of issued tokens, seconds (default 1799). */
  tokenExpiresIn?: number;
}

export class TokenService {
  private readonly tokens = new Map<string, number>(); // access -> expiresAt
  private readonly refreshTokens = new Set<string>();
  /** Field names (never values) of each token request, in order. */
  readonly requests: string[][] = [];

  constructor(
    private readonly creds: typeof DEMO_CREDENTIALS,
    private readonly options: TokenOptions,
    private readonly counters: () => EmulatorCounters,
    private readonly reply: Replies,
  ) {}

  private issue(res: http.ServerResponse) {
    const access = randomBytes(24).toString("hex");
    const refresh = randomBytes(24).toString("hex");
    const expiresIn = this.options.tokenExpiresIn ?? 1799;
    this.tokens.set(access, Date.now() + expiresIn * 1000);
    this.refreshTokens.add(refresh);
    this.counters().tokenGrants++;
    send(res, 200, {
      access_token: access,
      token_type: "bearer",
      expires_in: expiresIn,
      refresh_token: refresh,
    });
  }

  /** POST /token. `echo` answers with the credentials in the error text (the echoSecrets fault). */
  handle(res: http.ServerResponse, body: string, echo: boolean): void {
    const creds = this.creds;
    const form = new URLSearchParams(body);
    this.requests.push([...form.keys()]);
    const f = new Map<string, string>();
    for (const [k, v] of form) f.set(k.toLowerCase(), v);
    const grant = f.get("grant_type");
    const fail = (status: number, error: string, description: string) =>
      this.reply.oauthError(res, status, error, description);
    if (echo) {
      return fail(
        400,
        "invalid_request",
        `Login failed for user ${f.get("username")} with password ${f.get("password")} and client_secret=${f.get("client_secret")}`,
      );
    }
    if (f.get("client_id") !== creds.clientId || f.get("client_secret") !== creds.clientSecret) {
      return fail(400, "invalid_client", "The client_id or client_secret is not valid.");
    }
    if (grant === "password") {
      if (
        (f.get("username") ?? "").toLowerCase() !== creds.username.toLowerCase() ||
        f.get("password") !== creds.password
      ) {
        return fail(400, "invalid_grant", "The user name or password is incorrect.");
      }
      if (f.get("database") !== creds.database)
        return fail(400, "invalid_grant", `Database ${f.get("database") ?? ""} is not available.`);
      return this.issue(res);
    }
    if (grant === "refresh_token") {
      const r = f.get("refresh_token") ?? "";
      if (!this.refreshTokens.has(r)) return fail(400, "invalid_grant", "The refresh token is not valid.");
      this.refreshTokens.delete(r);
      return this.issue(res);
    }
    return fail(400, "unsupported_grant_type", `grant_type ${grant ?? "(missing)"} is not supported.`);
  }

  /** True when the request carries a live bearer token. */
  authorised(req: http.IncomingMessage): boolean {
    const h = req.headers.authorization ?? "";
    const m = /^Bearer\s+(\S+)$/i.exec(h);
    if (!m) return false;
    const exp = this.tokens.get(m[1]);
    return exp !== undefined && exp > Date.now();
  }

  /** Every access token expires now (refresh tokens stay valid). */
  expireAll(): void {
    for (const k of this.tokens.keys()) this.tokens.set(k, 0);
  }

  /** Forgets every access and refresh token (a restart). */
  revoke(): void {
    this.tokens.clear();
    this.refreshTokens.clear();
  }
}
