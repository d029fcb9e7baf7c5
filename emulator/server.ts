/**
 * The Vantagepoint API emulator: a real HTTP server on 127.0.0.1 (random port) with token grants,
 * employees, users, roles and API authorizations, request counters, latency and fault injection.
 * Roles and API authorizations use UNVERIFIED paths; they are configurable and can be switched off.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { randomBytes, randomUUID } from "node:crypto";
import {
  applyBrokenStates,
  BrokenState,
  buildSeed,
  cloneData,
  DEMO_CREDENTIALS,
  EmulatorData,
  employeeKey,
  Rec,
  SeedOptions,
} from "./seed";

export type FaultKind =
  | "429" // Too Many Requests with Retry-After
  | "503" // Service Unavailable (with Retry-After when retryAfter is set)
  | "reset" // connection reset without a reply
  | "slow" // reply after delayMs (then normal)
  | "expireToken" // every access token expires before this request is handled
  | "html" // IIS-style HTML error page (status, default 502)
  | "malformed" // 200 with a body that is not JSON
  | "truncated" // 200 with the real JSON cut in half
  | "wrongType" // 200 with a JSON string where records were expected
  | "huge" // 200 with a body of hugeBytes (default 70 MB)
  | "redirect" // 302 to another host (which records any credentials it receives)
  | "echoSecrets" // 400 whose message repeats the credentials the request carried
  | "restart"; // simulated restart: state back to seed, tokens revoked, then the request is handled

export interface FaultSpec {
  kind: FaultKind;
  /** HTTP method to match (any when left out). */
  method?: string;
  /** Path to match, relative to the API root without query: a string prefix or a RegExp. */
  path?: string | RegExp;
  /** Fire from the nth matching request on (1-based, default 1). */
  nth?: number;
  /** How many times to fire (default 1; Infinity for always). */
  count?: number;
  /** Seconds for Retry-After (429 default 1; 503 none unless set). */
  retryAfter?: number;
  /** Delay for "slow" in ms (default 2000). */
  delayMs?: number;
  /** Status for "html" (default 502). */
  status?: number;
  /** Handle the request (write lands) before failing the reply: for reset, 503, malformed, truncated. */
  afterHandling?: boolean;
  /** Size of the "huge" body in bytes. */
  hugeBytes?: number;
}

interface ActiveFault extends FaultSpec {
  id: number;
  seen: number;
  fired: number;
}

export interface EmulatorOptions {
  /** Port (default 0: random). */
  port?: number;
  /** Added latency per request in ms (default 0). */
  latencyMs?: number;
  /** expires_in of issued tokens, seconds (default 1799). */
  tokenExpiresIn?: number;
  /** Base path of the API root (default /vantagepoint/api). */
  basePath?: string;
  paths?: { employees?: string; users?: string; roles?: string; apiAuthorizations?: string };
  /** Switch endpoints off (404) to test the "do it by hand" path. */
  disable?: { roles?: boolean; apiAuthorizations?: boolean; users?: boolean };
  /** Serve every error as an IIS-style HTML page. */
  htmlErrors?: boolean;
  /** How write replies look (default object). */
  writeReply?: "object" | "array" | "204";
  /** Largest page the server returns (default 10 000). */
  maxPageSize?: number;
  seed?: SeedOptions;
  /** Broken states applied on top of the seed (also after reset/restart). */
  broken?: BrokenState[];
  credentials?: Partial<typeof DEMO_CREDENTIALS>;
}

export interface EmulatorCounters {
  requests: number;
  writes: number;
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

/** The connection fields (VantagepointConnection's) that reach an emulator. */
export interface EmulatorConnection {
  url: string;
  database: string;
  username: string;
  password: string;
  clientId: string;
  clientSecret: string;
}

export interface Emulator {
  /** API root, e.g. http://127.0.0.1:40123/vantagepoint/api */
  url: string;
  /** Host of the "other host" that redirects point at. */
  otherHostUrl: string;
  credentials: typeof DEMO_CREDENTIALS;
  /** How to reach this emulator as a Vantagepoint connection (API root, database and the demo credentials). */
  connection(): EmulatorConnection;
  state: EmulatorData;
  counters: EmulatorCounters;
  /** Requests that carried credentials they should not have. */
  leaks: CredentialLeak[];
  /** Field names (never values) of each token request, in order. */
  tokenRequests: string[][];
  faults: {
    add(spec: FaultSpec): number;
    remove(id: number): void;
    clear(): void;
    readonly active: ReadonlyArray<Readonly<ActiveFault>>;
  };
  options: EmulatorOptions;
  /** Zero the counters. */
  resetCounters(): void;
  /** State back to seed, counters zero, faults and leaks cleared, tokens revoked. */
  reset(): void;
  /** Simulated restart: state back to seed and tokens revoked (counters and faults kept). */
  restart(): void;
  /** Expire every access token now. */
  expireTokens(): void;
  /** Apply broken states now; returns touched keys. */
  seedBroken(kinds: BrokenState[]): Record<string, string[]>;
  setLatency(ms: number): void;
  /** JSON of the API authorizations other than `exceptName` (for byte-identical checks). */
  snapshotApiAuthorizations(exceptName?: string): string;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function htmlPage(status: number, title: string, text: string): string {
  return `<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN"><html><head><title>${status} - ${title}</title><style>body{font-family:Verdana}</style></head><body><div id="header"><h1>Server Error</h1></div><div id="content"><h2>${status} - ${title}</h2><h3>${text}</h3></div></body></html>`;
}

interface Hub {
  name: "employees" | "users" | "roles" | "apiAuthorizations";
  path: string;
  keyField: string;
  caseInsensitiveKey: boolean;
  hidden: string[];
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const creds = { ...DEMO_CREDENTIALS, ...(options.credentials ?? {}) };
  const basePath = (options.basePath ?? "/vantagepoint/api").replace(/\/+$/, "");
  const paths = {
    employees: "/employee",
    users: "/user",
    roles: "/security/role",
    apiAuthorizations: "/apiauthorization",
    ...(options.paths ?? {}),
  };
  const hubs: Hub[] = [
    { name: "employees", path: paths.employees, keyField: "Employee", caseInsensitiveKey: false, hidden: [] },
    { name: "users", path: paths.users, keyField: "Username", caseInsensitiveKey: true, hidden: [] },
    { name: "roles", path: paths.roles, keyField: "Role", caseInsensitiveKey: true, hidden: [] },
    {
      name: "apiAuthorizations",
      path: paths.apiAuthorizations,
      keyField: "ClientId",
      caseInsensitiveKey: false,
      hidden: ["ClientSecret"],
    },
  ];
  const seedData = buildSeed(options.seed);
  if (options.broken?.length) applyBrokenStates(seedData, options.broken);

  let latency = options.latencyMs ?? 0;
  let faultId = 0;
  let active: ActiveFault[] = [];
  const tokens = new Map<string, number>(); // access -> expiresAt
  const refreshTokens = new Set<string>();

  const emu = {
    url: "",
    otherHostUrl: "",
    credentials: creds,
    state: cloneData(seedData),
    counters: { requests: 0, writes: 0, tokenGrants: 0, byRoute: {} } as EmulatorCounters,
    leaks: [] as CredentialLeak[],
    tokenRequests: [] as string[][],
    options,
  } as Emulator;

  const secretsOf = () => [creds.password, creds.clientSecret];

  function nextEmployeeKey(): string {
    let max = 0;
    for (const k of emu.state.employees.keys()) if (/^\d+$/.test(k)) max = Math.max(max, Number(k));
    return employeeKey(max + 1);
  }
  let employeeCounter = 0;

  function mapOf(hub: Hub): Map<string, Rec> {
    return emu.state[hub.name];
  }
  function keyOf(hub: Hub, key: string): string {
    return hub.caseInsensitiveKey ? key.toLowerCase() : key;
  }
  function view(hub: Hub, rec: Rec): Rec {
    const out: Rec = { ...rec };
    for (const h of hub.hidden) delete out[h];
    if (hub.name === "users") {
      const emp = rec.Employee ? emu.state.employees.get(String(rec.Employee)) : undefined;
      out.EmployeeStatus = emp ? emp.Status : "";
      out.EmployeeName = emp ? `${emp.FirstName} ${emp.LastName}` : "";
    }
    return out;
  }
  function project(rec: Rec, fields: string[] | undefined): Rec {
    if (!fields) return rec;
    const out: Rec = {};
    for (const f of fields) {
      const hit = Object.keys(rec).find((k) => k.toLowerCase() === f.toLowerCase());
      if (hit) out[hit] = rec[hit];
    }
    return out;
  }

  function recordLeak(req: http.IncomingMessage, path: string, reason: string, host = "emulator") {
    emu.leaks.push({ method: req.method ?? "", path, host, reason });
  }

  function checkLeaks(req: http.IncomingMessage, rel: string, url: URL, body: string) {
    const q = url.search;
    for (const s of secretsOf()) {
      if (q.includes(encodeURIComponent(s)) || q.includes(s))
        recordLeak(req, rel, "a password or client secret in the query string");
    }
    if (/access_token=|refresh_token=/.test(q)) recordLeak(req, rel, "a token in the query string");
    if (rel === "/token") {
      if (req.headers.authorization) recordLeak(req, rel, "an Authorization header on the token request");
    } else if (body) {
      for (const s of secretsOf())
        if (body.includes(s)) recordLeak(req, rel, "a password or client secret in the body of a hub call");
    }
  }

  // ---- replies -------------------------------------------------------------------------------

  function send(
    res: http.ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ) {
    if (res.destroyed) return;
    if (status === 204 || body === undefined) {
      res.writeHead(status, headers);
      res.end();
      return;
    }
    const text = typeof body === "string" ? body : JSON.stringify(body);
    res.writeHead(status, {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Length": String(Buffer.byteLength(text)),
      ...headers,
    });
    res.end(text);
  }
  function sendError(
    res: http.ServerResponse,
    status: number,
    message: string,
    detail?: string,
    headers: Record<string, string> = {},
  ) {
    if (options.htmlErrors) {
      const page = htmlPage(status, message, detail ?? message);
      res.writeHead(status, {
        "Content-Type": "text/html",
        "Content-Length": String(Buffer.byteLength(page)),
        ...headers,
      });
      res.end(page);
      return;
    }
    send(res, status, { message, ...(detail ? { detail } : {}) }, headers);
  }
  function sendOAuthError(res: http.ServerResponse, status: number, error: string, description: string) {
    if (options.htmlErrors) return sendError(res, status, error, description);
    send(res, status, { error, error_description: description });
  }
  function writeReply(res: http.ServerResponse, status: number, rec: Rec) {
    const style = options.writeReply ?? "object";
    if (style === "204") return send(res, 204, undefined);
    send(res, status, style === "array" ? [rec] : rec);
  }

  // ---- token ---------------------------------------------------------------------------------

  function issueToken(res: http.ServerResponse) {
    const access = randomBytes(24).toString("hex");
    const refresh = randomBytes(24).toString("hex");
    const expiresIn = options.tokenExpiresIn ?? 1799;
    tokens.set(access, Date.now() + expiresIn * 1000);
    refreshTokens.add(refresh);
    emu.counters.tokenGrants++;
    send(res, 200, {
      access_token: access,
      token_type: "bearer",
      expires_in: expiresIn,
      refresh_token: refresh,
    });
  }

  function handleToken(res: http.ServerResponse, body: string, echo: boolean) {
    const form = new URLSearchParams(body);
    emu.tokenRequests.push([...form.keys()]);
    const f = new Map<string, string>();
    for (const [k, v] of form) f.set(k.toLowerCase(), v);
    const grant = f.get("grant_type");
    if (echo) {
      return sendOAuthError(
        res,
        400,
        "invalid_request",
        `Login failed for user ${f.get("username")} with password ${f.get("password")} and client_secret=${f.get("client_secret")}`,
      );
    }
    if (f.get("client_id") !== creds.clientId || f.get("client_secret") !== creds.clientSecret) {
      return sendOAuthError(res, 400, "invalid_client", "The client_id or client_secret is not valid.");
    }
    if (grant === "password") {
      if (
        (f.get("username") ?? "").toLowerCase() !== creds.username.toLowerCase() ||
        f.get("password") !== creds.password
      ) {
        return sendOAuthError(res, 400, "invalid_grant", "The user name or password is incorrect.");
      }
      if (f.get("database") !== creds.database)
        return sendOAuthError(
          res,
          400,
          "invalid_grant",
          `Database ${f.get("database") ?? ""} is not available.`,
        );
      return issueToken(res);
    }
    if (grant === "refresh_token") {
      const r = f.get("refresh_token") ?? "";
      if (!refreshTokens.has(r))
        return sendOAuthError(res, 400, "invalid_grant", "The refresh token is not valid.");
      refreshTokens.delete(r);
      return issueToken(res);
    }
    return sendOAuthError(
      res,
      400,
      "unsupported_grant_type",
      `grant_type ${grant ?? "(missing)"} is not supported.`,
    );
  }

  // ---- hubs ----------------------------------------------------------------------------------

  function filtersOf(url: URL): Array<{ name: string; value: string; opp: string }> {
    const byIndex = new Map<string, Record<string, string>>();
    for (const [k, v] of url.searchParams) {
      const m = /^filterHash\[(\d+)\]\[(\w+)\]$/i.exec(k);
      if (!m) continue;
      const e = byIndex.get(m[1]) ?? {};
      e[m[2].toLowerCase()] = v;
      byIndex.set(m[1], e);
    }
    return [...byIndex.values()].map((e) => ({
      name: e.name ?? "",
      value: e.value ?? "",
      opp: (e.opp ?? "eq").toLowerCase(),
    }));
  }

  function matches(rec: Rec, f: { name: string; value: string; opp: string }): boolean {
    const key = Object.keys(rec).find((k) => k.toLowerCase() === f.name.toLowerCase());
    const v = key ? String(rec[key] ?? "") : "";
    const a = v.toLowerCase();
    const b = f.value.toLowerCase();
    switch (f.opp) {
      case "eq":
        return a === b;
      case "ne":
        return a !== b;
      case "like": {
        const re = new RegExp(
          `^${b
            .replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
            .replace(/%/g, ".*")
            .replace(/_/g, ".")}$`,
        );
        return b.includes("%") || b.includes("_") ? re.test(a) : a.includes(b);
      }
      case "in":
        return b
          .split(",")
          .map((x) => x.trim())
          .includes(a);
      case "gt":
        return a > b;
      case "lt":
        return a < b;
      case "ge":
        return a >= b;
      case "le":
        return a <= b;
      default:
        return false;
    }
  }

  function handleList(res: http.ServerResponse, hub: Hub, url: URL) {
    let rows = [...mapOf(hub).values()].map((r) => view(hub, r));
    for (const f of filtersOf(url)) rows = rows.filter((r) => matches(r, f));
    const order = url.searchParams.get("order");
    if (order) {
      const [field, dir] = order.trim().split(/\s+/);
      const sign = (dir ?? "asc").toLowerCase() === "desc" ? -1 : 1;
      rows.sort((x, y) => sign * String(x[field] ?? "").localeCompare(String(y[field] ?? "")));
    }
    const maxPage = options.maxPageSize ?? 10000;
    const q = (n: string) => {
      const k = [...url.searchParams.keys()].find((x) => x.toLowerCase() === n.toLowerCase());
      return k ? url.searchParams.get(k) : null;
    };
    let start = 0;
    let size = rows.length;
    if (q("pageSize") || q("page")) {
      size = Math.min(maxPage, Math.max(1, Number(q("pageSize") ?? 100) || 100));
      start = (Math.max(1, Number(q("page") ?? 1) || 1) - 1) * size;
    } else if (q("limit") || q("offset")) {
      size = Math.min(maxPage, Math.max(1, Number(q("limit") ?? 100) || 100));
      start = Math.max(0, Number(q("offset") ?? 0) || 0);
    } else {
      size = Math.min(maxPage, rows.length);
    }
    const ff = q("fieldFilter");
    const fields = ff
      ? ff
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean)
      : undefined;
    send(
      res,
      200,
      rows.slice(start, start + size).map((r) => project(r, fields)),
    );
  }

  function validate(hub: Hub, rec: Rec): string | undefined {
    for (const [k, v] of Object.entries(rec)) {
      if (v !== null && typeof v === "object")
        return `Field ${k} must be a value, not ${Array.isArray(v) ? "a list" : "an object"}.`;
    }
    if (hub.name === "employees") {
      if (rec.Status !== undefined && !["A", "I", "T"].includes(String(rec.Status)))
        return `Status must be A, I or T.`;
    }
    if (hub.name === "users") {
      if (rec.Employee && !emu.state.employees.has(String(rec.Employee)))
        return `Employee ${rec.Employee} does not exist.`;
      if (rec.Role && !emu.state.roles.has(String(rec.Role).toLowerCase()))
        return `Role ${rec.Role} does not exist.`;
      if (rec.Status !== undefined && !["A", "I"].includes(String(rec.Status)))
        return `Status must be A or I.`;
    }
    if (hub.name === "roles") {
      if (rec.ConnectAdministration !== undefined && !["Y", "N"].includes(String(rec.ConnectAdministration)))
        return "ConnectAdministration must be Y or N.";
    }
    if (hub.name === "apiAuthorizations") {
      if (rec.AllowPasswordGrant !== undefined && !["Y", "N"].includes(String(rec.AllowPasswordGrant)))
        return "AllowPasswordGrant must be Y or N.";
    }
    return undefined;
  }

  function handleCreate(res: http.ServerResponse, hub: Hub, body: unknown) {
    const input = Array.isArray(body) && body.length === 1 ? body[0] : body;
    if (!input || typeof input !== "object" || Array.isArray(input))
      return sendError(res, 400, "The request is invalid.", "Expected one JSON record.");
    const rec: Rec = { ...(input as Rec) };
    const map = mapOf(hub);
    if (hub.name === "employees") {
      if (!rec.Employee) rec.Employee = `${nextEmployeeKeyFast()}`;
      rec.Status ??= "A";
      rec.EMail ??= "";
    } else if (hub.name === "apiAuthorizations") {
      rec.ClientId = randomUUID();
      rec.ClientSecret = randomBytes(18).toString("base64url");
      rec.AllowPasswordGrant ??= "N";
      rec.Scopes ??= "Match Role Access";
      rec.CallbackUrl ??= "";
      if (!rec.Name) return sendError(res, 400, "Name is required.");
    } else if (hub.name === "users") {
      rec.Status ??= "A";
      rec.Employee ??= "";
      rec.DisplayUsername ??= rec.Username;
    } else if (hub.name === "roles") {
      rec.Type ??= "Standard";
      rec.ConnectAdministration ??= "N";
    }
    const key = rec[hub.keyField];
    if (typeof key !== "string" || !key) return sendError(res, 400, `${hub.keyField} is required.`);
    if (map.has(keyOf(hub, key)))
      return sendError(res, 400, `A record with ${hub.keyField} ${key} already exists.`);
    const problem = validate(hub, rec);
    if (problem) return sendError(res, 400, "The request is invalid.", problem);
    map.set(keyOf(hub, key), rec);
    const out = view(hub, rec);
    if (hub.name === "apiAuthorizations") out.ClientSecret = rec.ClientSecret; // shown once
    writeReply(res, 201, out);
  }

  function nextEmployeeKeyFast(): string {
    if (employeeCounter === 0) employeeCounter = Number(nextEmployeeKey());
    else employeeCounter++;
    while (emu.state.employees.has(employeeKey(employeeCounter))) employeeCounter++;
    return employeeKey(employeeCounter);
  }

  function handleUpdate(res: http.ServerResponse, hub: Hub, key: string, body: unknown) {
    const map = mapOf(hub);
    const rec = map.get(keyOf(hub, key));
    if (!rec) return sendError(res, 404, `${hub.keyField} ${key} was not found.`);
    const input = Array.isArray(body) && body.length === 1 ? body[0] : body;
    if (!input || typeof input !== "object" || Array.isArray(input))
      return sendError(res, 400, "The request is invalid.", "Expected one JSON record.");
    const changes = { ...(input as Rec) };
    delete changes[hub.keyField];
    if (hub.name === "apiAuthorizations") delete changes.ClientSecret;
    const merged = { ...rec, ...changes };
    const problem = validate(hub, merged);
    if (problem) return sendError(res, 400, "The request is invalid.", problem);
    Object.assign(rec, changes);
    writeReply(res, 200, view(hub, rec));
  }

  // ---- dispatch ------------------------------------------------------------------------------

  function routeOf(method: string, rel: string): { route: string; hub?: Hub; key?: string } {
    if (rel.toLowerCase() === "/token") return { route: `${method} /token` };
    for (const hub of hubs) {
      const p = hub.path.toLowerCase();
      const r = rel.toLowerCase();
      if (r === p) return { route: `${method} ${hub.path}`, hub };
      if (r.startsWith(`${p}/`)) {
        return {
          route: `${method} ${hub.path}/{key}`,
          hub,
          key: decodeURIComponent(rel.slice(hub.path.length + 1)),
        };
      }
    }
    return { route: `${method} ${rel}` };
  }

  function pickFault(method: string, rel: string): ActiveFault | undefined {
    let chosen: ActiveFault | undefined;
    for (const f of active) {
      if (f.method && f.method.toUpperCase() !== method) continue;
      if (f.path !== undefined) {
        if (
          typeof f.path === "string" ? !rel.toLowerCase().startsWith(f.path.toLowerCase()) : !f.path.test(rel)
        )
          continue;
      }
      f.seen++;
      if (!chosen && f.seen >= (f.nth ?? 1) && f.fired < (f.count ?? 1)) {
        f.fired++;
        chosen = f;
      }
    }
    return chosen;
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, body: string) {
    const method = (req.method ?? "GET").toUpperCase();
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (!url.pathname.toLowerCase().startsWith(basePath.toLowerCase()))
      return sendError(res, 404, "Not found.");
    const rel = url.pathname.slice(basePath.length) || "/";
    const { route, hub, key } = routeOf(method, rel);
    emu.counters.requests++;
    emu.counters.byRoute[route] = (emu.counters.byRoute[route] ?? 0) + 1;
    if (hub && method !== "GET") emu.counters.writes++;
    checkLeaks(req, rel, url, body);
    if (latency > 0) await sleep(latency);

    const fault = pickFault(method, rel);
    const process = (r: http.ServerResponse = res) =>
      dispatch(req, r, method, url, rel, hub, key, body, fault?.kind === "echoSecrets");
    if (fault) {
      switch (fault.kind) {
        case "429":
          return sendError(res, 429, "Too many requests.", "Try again later.", {
            "Retry-After": String(fault.retryAfter ?? 1),
          });
        case "503":
          if (fault.afterHandling) await processInto(process);
          return sendError(
            res,
            503,
            "Service Unavailable",
            "The service is temporarily unavailable.",
            fault.retryAfter !== undefined ? { "Retry-After": String(fault.retryAfter) } : {},
          );
        case "reset":
          if (fault.afterHandling) await processInto(process);
          req.socket.destroy();
          return;
        case "slow":
          await sleep(fault.delayMs ?? 2000);
          break;
        case "expireToken":
          for (const k of tokens.keys()) tokens.set(k, 0);
          break;
        case "html": {
          const status = fault.status ?? 502;
          const page = htmlPage(
            status,
            "Web server received an invalid response while acting as a gateway or proxy server.",
            "There is a problem with the page you are looking for, and it cannot be displayed.",
          );
          res.writeHead(status, {
            "Content-Type": "text/html",
            "Content-Length": String(Buffer.byteLength(page)),
          });
          res.end(page);
          return;
        }
        case "malformed":
          if (fault.afterHandling) await processInto(process);
          return send(res, 200, '{"message": "ok", "records": [ {"Employee": "0001", ');
        case "truncated": {
          const captured = await processInto(process);
          const text = captured ?? "[]";
          return send(res, 200, text.slice(0, Math.max(1, Math.floor(text.length / 2))));
        }
        case "wrongType":
          return send(res, 200, JSON.stringify("OK"));
        case "huge": {
          const total = fault.hugeBytes ?? 70 * 1024 * 1024;
          res.writeHead(200, { "Content-Type": "application/json", "Content-Length": String(total) });
          const chunk = Buffer.alloc(64 * 1024, 0x20);
          let sent = 0;
          const pump = (): void => {
            while (sent < total && !res.destroyed) {
              const n = Math.min(chunk.length, total - sent);
              sent += n;
              if (!res.write(n === chunk.length ? chunk : chunk.subarray(0, n))) {
                res.once("drain", pump);
                return;
              }
            }
            res.end();
          };
          pump();
          return;
        }
        case "redirect":
          res.writeHead(302, { Location: `${emu.otherHostUrl}${basePath}${rel}${url.search}` });
          res.end();
          return;
        case "echoSecrets":
          break;
        case "restart":
          emu.restart();
          break;
      }
    }
    return process(res);
  }

  /** Runs the real handler against a throwaway response to make a write land; returns its body. */
  async function processInto(fn: (r: http.ServerResponse) => unknown): Promise<string | undefined> {
    let captured = "";
    const fake = {
      destroyed: false,
      headersSent: false,
      writeHead: () => fake,
      write: (t: string | Buffer) => {
        captured += String(t);
        return true;
      },
      end: (t?: string | Buffer) => {
        if (t !== undefined) captured += String(t);
      },
    };
    await fn(fake as unknown as http.ServerResponse);
    return captured;
  }

  function authorised(req: http.IncomingMessage): boolean {
    const h = req.headers.authorization ?? "";
    const m = /^Bearer\s+(\S+)$/i.exec(h);
    if (!m) return false;
    const exp = tokens.get(m[1]);
    return exp !== undefined && exp > Date.now();
  }

  function dispatch(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    method: string,
    url: URL,
    rel: string,
    hub: Hub | undefined,
    key: string | undefined,
    body: string,
    echo: boolean,
  ) {
    if (rel.toLowerCase() === "/token") {
      if (method !== "POST")
        return sendError(res, 405, "The requested resource does not support http method 'GET'.");
      return handleToken(res, body, echo);
    }
    if (!authorised(req)) return sendError(res, 401, "Authorization has been denied for this request.");
    if (echo)
      return sendError(
        res,
        400,
        "The request is invalid.",
        `Request by ${creds.username} with password ${creds.password} and token ${(req.headers.authorization ?? "").replace(/^Bearer\s+/i, "")} failed.`,
      );
    if (!hub) return sendError(res, 404, "No HTTP resource was found that matches the request URI.", rel);
    if (
      (hub.name === "roles" && options.disable?.roles) ||
      (hub.name === "apiAuthorizations" && options.disable?.apiAuthorizations) ||
      (hub.name === "users" && options.disable?.users)
    ) {
      return sendError(res, 404, "No HTTP resource was found that matches the request URI.", rel);
    }
    if (method === "POST" && /^true$/i.test(String(req.headers["dvp-postasget"] ?? ""))) {
      const u = new URL(url.toString());
      u.search = body;
      return key === undefined ? handleList(res, hub, u) : handleGetOne(res, hub, key, u);
    }
    let json: unknown;
    if (method === "POST" || method === "PUT") {
      try {
        json = body ? JSON.parse(body) : undefined;
      } catch {
        return sendError(res, 400, "The request is invalid.", "The body is not valid JSON.");
      }
    }
    if (key === undefined) {
      if (method === "GET") return handleList(res, hub, url);
      if (method === "POST") return handleCreate(res, hub, json);
      return sendError(res, 405, `The requested resource does not support http method '${method}'.`);
    }
    if (method === "GET") return handleGetOne(res, hub, key, url);
    if (method === "PUT") return handleUpdate(res, hub, key, json);
    if (method === "DELETE") {
      const map = mapOf(hub);
      if (!map.delete(keyOf(hub, key))) return sendError(res, 404, `${hub.keyField} ${key} was not found.`);
      return send(res, 204, undefined);
    }
    return sendError(res, 405, `The requested resource does not support http method '${method}'.`);
  }

  function handleGetOne(res: http.ServerResponse, hub: Hub, key: string, url: URL) {
    const rec = mapOf(hub).get(keyOf(hub, key));
    const ff = url.searchParams.get("fieldFilter");
    const fields = ff
      ? ff
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean)
      : undefined;
    send(res, 200, rec ? [project(view(hub, rec), fields)] : []);
  }

  // ---- servers -------------------------------------------------------------------------------

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      handle(req, res, Buffer.concat(chunks).toString("utf8")).catch((e) => {
        if (!res.headersSent) sendError(res, 500, "An error has occurred.", String((e as Error).message));
        else res.destroy();
      });
    });
  });
  server.keepAliveTimeout = 5000;

  // The "other host" that redirects point at: it records any credentials that follow a redirect.
  const other = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const path = (req.url ?? "/").split("?")[0];
      if (req.headers.authorization)
        recordLeak(req, path, "an Authorization header sent to another host after a redirect", "other-host");
      for (const s of secretsOf())
        if (body.includes(s) || (req.url ?? "").includes(s))
          recordLeak(req, path, "credentials sent to another host after a redirect", "other-host");
      send(res, 200, []);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  await new Promise<void>((resolve, reject) => {
    other.once("error", reject);
    other.listen(0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  emu.url = `http://127.0.0.1:${port}${basePath}`;
  // "localhost" is a different host from 127.0.0.1 as far as credentials go.
  emu.otherHostUrl = `http://localhost:${(other.address() as AddressInfo).port}`;

  const revokeTokens = () => {
    tokens.clear();
    refreshTokens.clear();
  };
  emu.faults = {
    add(spec: FaultSpec) {
      const f: ActiveFault = { ...spec, id: ++faultId, seen: 0, fired: 0 };
      active.push(f);
      return f.id;
    },
    remove(id: number) {
      active = active.filter((f) => f.id !== id);
    },
    clear() {
      active = [];
    },
    get active() {
      return active;
    },
  };
  emu.resetCounters = () => {
    emu.counters.requests = 0;
    emu.counters.writes = 0;
    emu.counters.tokenGrants = 0;
    emu.counters.byRoute = {};
  };
  emu.restart = () => {
    emu.state = cloneData(seedData);
    employeeCounter = 0;
    revokeTokens();
  };
  emu.reset = () => {
    emu.restart();
    emu.resetCounters();
    emu.faults.clear();
    emu.leaks.length = 0;
    emu.tokenRequests.length = 0;
  };
  emu.expireTokens = () => {
    for (const k of tokens.keys()) tokens.set(k, 0);
  };
  emu.seedBroken = (kinds) => applyBrokenStates(emu.state, kinds);
  emu.setLatency = (ms) => {
    latency = ms;
  };
  emu.connection = () => ({
    url: emu.url,
    database: creds.database,
    username: creds.username,
    password: creds.password,
    clientId: creds.clientId,
    clientSecret: creds.clientSecret,
  });
  emu.snapshotApiAuthorizations = (exceptName?: string) =>
    JSON.stringify(
      [...emu.state.apiAuthorizations.values()]
        .filter((a) => exceptName === undefined || String(a.Name).toLowerCase() !== exceptName.toLowerCase())
        .sort((a, b) => String(a.ClientId).localeCompare(String(b.ClientId))),
    );
  emu.stop = async () => {
    for (const s of [server, other]) {
      s.closeAllConnections();
      await new Promise<void>((r) => s.close(() => r()));
    }
  };
  return emu;
}
