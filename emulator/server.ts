/**
 * The Vantagepoint API emulator: a real HTTP server on 127.0.0.1 (random port) with token grants,
 * employees, users, roles and API authorizations, request counters, latency and fault injection.
 * This file wires the parts together and routes requests; each concern lives in its own module:
 * state and seed (./seed), token (./token), hubs (./hubs), faults (./faults), counters and leaks
 * (./counters), reply shapes (./reply). Roles and API authorizations use UNVERIFIED paths; they are
 * configurable and can be switched off.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { BusyServer } from "./busy";
import type { BusyOptions } from "./busy";
import { countRequest, LeakRecorder, newCounters, zeroCounters } from "./counters";
import type { CredentialLeak, EmulatorCounters } from "./counters";
import { applyFault, FaultRegistry, processInto } from "./faults";
import type { ActiveFault, FaultSpec } from "./faults";
import { DEFAULT_HUB_PATHS, HubService, hubsAt } from "./hubs";
import type { EmulatorProfile, Hub } from "./hubs";
import { htmlPage, makeReplies, send, sendHtml } from "./reply";
import { applyBrokenStates, buildSeed, cloneData, DEMO_CREDENTIALS, versionAtLeast } from "./seed";
import type { BrokenState, EmulatorData, SeedOptions } from "./seed";
import { TokenService } from "./token";

export type { FaultKind, FaultSpec } from "./faults";
export type { EmulatorProfile } from "./hubs";
export type { BusyOptions, LostReplyKind } from "./busy";
export type { CredentialLeak, EmulatorCounters } from "./counters";

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
  /**
   * "strict" (the default) behaves as Deltek documents the API; "lenient" accepts what earlier releases of the
   * emulator did (server-numbered employees, word operators, `order=Field asc`, 201 without Location).
   */
  profile?: EmulatorProfile;
  /** The busy profile's behaviours (profile "busy"): page byte budget, inserts while paging, read lag, lost replies. */
  busy?: Partial<BusyOptions>;
  /** Who keys new employees on a strict server: "client" (default: a create without Employee gets 400) or "server". */
  employeeKeys?: "client" | "server";
  /** Employee fields a strict server requires on create besides the key, e.g. ["Org", "HireDate"]. */
  requiredEmployeeFields?: string[];
  /**
   * Vantagepoint version (default "7.0"). Before 5.0 there is one API authorization per database and no list
   * (the /apiauthorization hub answers 404); from 7.0 the role permission is named "Connect".
   */
  version?: string;
  /** A GET of one missing record answers "empty" (default: `[]`) or "404" (busy production servers may). */
  missingRecord?: "empty" | "404";
  /** Every key (employee keys, Client IDs, employee links) compares case-insensitively, trailing spaces ignored. */
  caseInsensitiveKeys?: boolean;
  /** A role write with a field the version's role model lacks: "refuse" (400, default) or "ignore" (dropped, 200). */
  unknownRoleFields?: "refuse" | "ignore";
  seed?: SeedOptions;
  /** Broken states applied on top of the seed (also after reset/restart). */
  broken?: BrokenState[];
  credentials?: Partial<typeof DEMO_CREDENTIALS>;
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
  /** The busy profile's state (profile "busy" only): lost replies, inserted records. */
  busy?: BusyServer;
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

const NO_RESOURCE = "No HTTP resource was found that matches the request URI.";

/** Finds the hub (and record key) a path addresses, and the route name the counters use. */
function routeOf(
  hubs: readonly Hub[],
  method: string,
  rel: string,
): { route: string; hub?: Hub; key?: string } {
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

/** Collects a request body, then hands it on. */
function withBody(handler: (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void) {
  return (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => handler(req, res, Buffer.concat(chunks).toString("utf8")));
  };
}

async function listen(server: http.Server, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const creds = { ...DEMO_CREDENTIALS, ...(options.credentials ?? {}) };
  const basePath = (options.basePath ?? "/vantagepoint/api").replace(/\/+$/, "");
  const hubs = hubsAt({ ...DEFAULT_HUB_PATHS, ...(options.paths ?? {}) });
  const version = options.version ?? "7.0";
  const seedData = buildSeed({ version, ...options.seed });
  seedData.loginConfig.database = creds.database;
  if (options.broken?.length) applyBrokenStates(seedData, options.broken);

  let latency = options.latencyMs ?? 0;
  const reply = makeReplies(options);
  const faults = new FaultRegistry();
  const leakRecorder = new LeakRecorder(() => [creds.password, creds.clientSecret]);

  const emu = {
    url: "",
    otherHostUrl: "",
    credentials: creds,
    state: cloneData(seedData),
    counters: newCounters(),
    leaks: leakRecorder.leaks,
    options,
  } as Emulator;
  const busy = options.profile === "busy" ? new BusyServer(options.busy) : undefined;
  emu.busy = busy;
  const tokens = new TokenService(creds, options, () => emu.counters, reply);
  emu.tokenRequests = tokens.requests;
  const hubService = new HubService(
    () => emu.state,
    { ...options, version, busy },
    reply,
    (hub, key) => `${emu.url}${hub.path}/${encodeURIComponent(key)}`,
    () => emu.counters.writesAccepted++,
  );

  function disabled(hub: Hub): boolean {
    const off = options.disable ?? {};
    return (
      (hub.name === "roles" && !!off.roles) ||
      // 3.5 to 4.x: one Client ID/Secret per database (Generate Secret), no list of API authorizations.
      (hub.name === "apiAuthorizations" && (!!off.apiAuthorizations || !versionAtLeast(version, "5.0"))) ||
      (hub.name === "users" && !!off.users)
    );
  }

  /** GET /LoginConfig and /LoginConfig/{database}: read-only login settings (one open-source client uses them). */
  function loginConfig(res: http.ServerResponse, method: string, rel: string) {
    if (method !== "GET")
      return reply.error(res, 405, `The requested resource does not support http method '${method}'.`);
    const database = decodeURIComponent(rel.slice("/loginconfig".length).replace(/^\//, ""));
    const config = emu.state.loginConfig;
    if (database && database.toLowerCase() !== String(config.database).toLowerCase())
      return reply.error(res, 404, `Database ${database} was not found.`);
    send(res, 200, config);
  }

  /** Answers a request that got past faults: token, auth, then the hub's handler. */
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
        return reply.error(res, 405, "The requested resource does not support http method 'GET'.");
      return tokens.handle(res, body, echo);
    }
    if (/^\/loginconfig(\/|$)/i.test(rel)) return loginConfig(res, method, rel);
    if (!tokens.authorised(req))
      return reply.error(res, 401, "Authorization has been denied for this request.");
    if (echo)
      return reply.error(
        res,
        400,
        "The request is invalid.",
        `Request by ${creds.username} with password ${creds.password} and token ${(req.headers.authorization ?? "").replace(/^Bearer\s+/i, "")} failed.`,
      );
    if (!hub || disabled(hub)) return reply.error(res, 404, NO_RESOURCE, rel);
    if (method === "POST" && /^true$/i.test(String(req.headers["dvp-postasget"] ?? ""))) {
      const u = new URL(url.toString());
      u.search = body;
      return key === undefined ? hubService.list(res, hub, u) : hubService.getOne(res, hub, key, u);
    }
    let json: unknown;
    if (method === "POST" || method === "PUT") {
      try {
        json = body ? JSON.parse(body) : undefined;
      } catch {
        return reply.error(res, 400, "The request is invalid.", "The body is not valid JSON.");
      }
    }
    const unsupported = () =>
      reply.error(res, 405, `The requested resource does not support http method '${method}'.`);
    if (key === undefined) {
      if (method === "GET") return hubService.list(res, hub, url);
      if (method === "POST") return hubService.create(res, hub, json);
      return unsupported();
    }
    if (method === "GET") return hubService.getOne(res, hub, key, url);
    if (method === "PUT") return hubService.update(res, hub, key, json);
    if (method === "DELETE") return hubService.remove(res, hub, key);
    return unsupported();
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, body: string) {
    const method = (req.method ?? "GET").toUpperCase();
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (!url.pathname.toLowerCase().startsWith(basePath.toLowerCase()))
      return reply.error(res, 404, "Not found.");
    const rel = url.pathname.slice(basePath.length) || "/";
    const { route, hub, key } = routeOf(hubs, method, rel);
    countRequest(emu.counters, route, !!hub && method !== "GET");
    leakRecorder.check(req, rel, url, body);
    if (latency > 0) await sleep(latency);

    const fault = faults.pick(method, rel);
    const process = (r: http.ServerResponse = res) =>
      dispatch(req, r, method, url, rel, hub, key, body, fault?.kind === "echoSecrets");
    if (fault) {
      const outcome = await applyFault(fault, {
        req,
        res,
        reply,
        process,
        expireTokens: () => tokens.expireAll(),
        restart: () => emu.restart(),
        redirectTarget: `${emu.otherHostUrl}${basePath}${rel}${url.search}`,
      });
      if (outcome === "replied") return;
    }
    // A busy server loses some replies after the write committed (a reset, or a gateway's 502/503/504).
    const lost = busy && hub && method !== "GET" && tokens.authorised(req) ? busy.loseReply() : undefined;
    if (lost) {
      await processInto(process);
      if (lost === "reset") return void req.socket.destroy();
      const status = Number(lost);
      return sendHtml(
        res,
        status,
        htmlPage(status, "The gateway did not receive a reply in time.", "Try again later."),
      );
    }
    return process(res);
  }

  const server = http.createServer(
    withBody((req, res, body) => {
      handle(req, res, body).catch((e) => {
        if (!res.headersSent) reply.error(res, 500, "An error has occurred.", String((e as Error).message));
        else res.destroy();
      });
    }),
  );
  server.keepAliveTimeout = 5000;

  // The "other host" that redirects point at: it records any credentials that follow a redirect.
  const other = http.createServer(
    withBody((req, res, body) => {
      leakRecorder.checkOtherHost(req, body);
      send(res, 200, []);
    }),
  );

  const port = await listen(server, options.port ?? 0);
  const otherPort = await listen(other, 0);
  emu.url = `http://127.0.0.1:${port}${basePath}`;
  // "localhost" is a different host from 127.0.0.1 as far as credentials go.
  emu.otherHostUrl = `http://localhost:${otherPort}`;

  emu.faults = faults;
  emu.resetCounters = () => zeroCounters(emu.counters);
  emu.restart = () => {
    emu.state = cloneData(seedData);
    hubService.resetKeys();
    busy?.reset();
    tokens.revoke();
  };
  emu.reset = () => {
    emu.restart();
    emu.resetCounters();
    faults.clear();
    emu.leaks.length = 0;
    emu.tokenRequests.length = 0;
  };
  emu.expireTokens = () => tokens.expireAll();
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
