/**
 * One API call of the client (lib/vantagepoint/client.ts `call`) against a raw server that answers the way proxies,
 * gateways and busy IIS hosts do: redirects, HTML error pages, bodies that are not JSON, lost connections, stale
 * tokens on writes in flight. Exact answers (issue 23: the paths the mutation run of client.ts found unpinned).
 */
import assert from "node:assert/strict";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { VantagepointClient, VantagepointError } from "../../lib/vantagepoint";

interface Req {
  method: string;
  path: string;
  auth: string;
  contentType: string;
}

type Reply = { status: number; body?: string; headers?: Record<string, string> } | "reset" | "hang";

/**
 * A server whose `answer` gives each API reply as raw text (status, headers, body), or drops the connection.
 * Token grants answer t1, then t2, ... (a refresh grant included).
 */
async function rawServer(answer: (req: Req, n: number, res: http.ServerResponse) => Reply | undefined) {
  const seen: Req[] = [];
  const grants: string[] = [];
  let calls = 0;
  const sockets = new Set<import("node:net").Socket>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const path = `${url.pathname.replace(/^\/api/, "")}${url.search}`;
      if (path === "/token") {
        grants.push(new URLSearchParams(Buffer.concat(chunks).toString()).get("grant_type") ?? "");
        res.writeHead(200, { "Content-Type": "application/json" });
        res.end(JSON.stringify({ access_token: `t${grants.length}`, refresh_token: "r", expires_in: 3600 }));
        return;
      }
      const r: Req = {
        method: req.method ?? "",
        path,
        auth: req.headers.authorization ?? "",
        contentType: req.headers["content-type"] ?? "",
      };
      seen.push(r);
      const reply = answer(r, ++calls, res);
      if (reply === undefined || reply === "hang") return; // answered later by `answer`, or never
      if (reply === "reset") return void req.socket.destroy();
      res.writeHead(reply.status, reply.headers ?? {});
      res.end(reply.body ?? "");
    });
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api`,
    port,
    seen,
    grants,
    close: () => {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}

const JSON_TYPE = { "Content-Type": "application/json" };

function clientFor(url: string, options: ConstructorParameters<typeof VantagepointClient>[1] = {}) {
  return new VantagepointClient(
    { url, database: "DB", username: "u", password: "p", clientId: "c", clientSecret: "s", readLagMs: 0 },
    { sleep: async () => undefined, random: () => 0.5, ...options },
  );
}

/** Runs `fn` with a client on a server answering `answer`; closes both. */
async function withServer<T>(
  answer: Parameters<typeof rawServer>[0],
  fn: (client: VantagepointClient, srv: Awaited<ReturnType<typeof rawServer>>) => Promise<T>,
  options: ConstructorParameters<typeof VantagepointClient>[1] = {},
): Promise<T> {
  const srv = await rawServer(answer);
  const client = clientFor(srv.url, options);
  try {
    return await fn(client, srv);
  } finally {
    client.close();
    srv.close();
  }
}

/** The VantagepointError `promise` rejects with. */
async function failure(promise: Promise<unknown>): Promise<VantagepointError> {
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof VantagepointError, String(e));
    return e;
  }
  assert.fail("expected the call to fail");
}

describe("client: one call, as proxies and busy servers answer (exact answers)", () => {
  it("counts writes: a GET is no write attempt, a POST and a PUT are, token grants are not", async () => {
    await withServer(
      () => ({ status: 200, headers: JSON_TYPE, body: "{}" }),
      async (client, srv) => {
        await client.get("/employee");
        await client.create("/employee", { Employee: "E1" });
        await client.update("/employee", "E1", { Email: "a@b.example" });
        assert.deepEqual(
          [client.counters.writeAttempts, client.counters.writes, client.counters.tokenGrants],
          [2, 2, 1],
        );
        assert.deepEqual(
          srv.seen.map((r) => [r.method, r.contentType]),
          [
            ["GET", ""],
            ["POST", "application/json"],
            ["PUT", "application/json"],
          ],
        );
      },
    );
  });

  it("names the request in an error with its query decoded, as a person would read it", async () => {
    const e = await withServer(
      () => ({ status: 400, headers: JSON_TYPE, body: '{"Message":"bad filter"}' }),
      async (client) =>
        failure(client.get("/employee", { "filterHash[0][name]": "Email", "filterHash[0][opp]": "=" })),
    );
    assert.equal(e.path, "/employee?filterHash[0][name]=Email&filterHash[0][opp]==");
    assert.equal(e.kind, "http");
    assert.equal(e.status, 400);
  });

  it("a connection dropped on every try: gives up after the retries with the network code, retryable", async () => {
    const e = await withServer(
      () => "reset",
      async (client, srv) => {
        const err = await failure(client.get("/employee"));
        assert.equal(srv.seen.length, 3);
        return err;
      },
      { maxRetries: 2 },
    );
    assert.deepEqual([e.kind, e.serverMessage, e.retryable], ["network", "ECONNRESET", true]);
    assert.match(e.message, /Gave up after 3 attempts\.$/);
  });

  it("a server that never answers: a timeout, tried again, then given up with the wait in words", async () => {
    const e = await withServer(
      () => "hang",
      async (client, srv) => {
        const err = await failure(client.get("/employee"));
        assert.equal(srv.seen.length, 2);
        return err;
      },
      { maxRetries: 1, timeoutMs: 60 },
    );
    assert.deepEqual([e.kind, e.serverMessage, e.retryable], ["timeout", "no reply within 60 ms", true]);
  });

  it("https to a server that speaks plain HTTP: refused at once with the TLS error, not retried", async () => {
    const srv = await rawServer(() => ({ status: 200, headers: JSON_TYPE, body: "[]" }));
    const client = clientFor(`https://127.0.0.1:${srv.port}/api`, { maxRetries: 3 });
    try {
      const e = await failure(client.get("/employee"));
      assert.equal(e.kind, "network");
      assert.equal(e.retryable, false);
      assert.match(e.message, /Check connection\.url and that the server is reachable\.$/);
      assert.ok(e.serverMessage && !/ECONNRESET|timeout/.test(e.serverMessage), e.serverMessage);
      assert.equal(client.counters.retries, 0);
    } finally {
      client.close();
      srv.close();
    }
  });

  it("follows up to 3 redirects on the same host for a read, and refuses the 4th", async () => {
    const hops = (n: number) => (req: Req) => {
      const at = Number(/\/hop(\d+)/.exec(req.path)?.[1] ?? "0");
      return at < n
        ? { status: 302, headers: { Location: `/api/hop${at + 1}` } }
        : { status: 200, headers: JSON_TYPE, body: '["ok"]' };
    };
    assert.deepEqual(await withServer(hops(3), (client) => client.get("/hop0")), ["ok"]);
    const e = await withServer(hops(4), (client) => failure(client.get("/hop0")));
    assert.equal(e.kind, "redirect");
    assert.match(e.message, / Unexpected redirect to \/api\/hop4; point connection\.url at the API root\.$/);
  });

  it("a write that is redirected is not sent again to the new place", async () => {
    const e = await withServer(
      () => ({ status: 307, headers: { Location: "/api/v2/employee" } }),
      async (client, srv) => {
        const err = await failure(client.create("/employee", { Employee: "E1" }));
        assert.deepEqual(
          srv.seen.map((r) => `${r.method} ${r.path}`),
          ["POST /employee"],
        );
        return err;
      },
    );
    assert.deepEqual([e.kind, e.status], ["redirect", 307]);
    assert.match(e.message, /Unexpected redirect to \/api\/v2\/employee;/);
  });

  it("a redirect to a Location that is not a URL stops with the redirect named", async () => {
    const e = await withServer(
      () => ({ status: 302, headers: { Location: "http://[::1" } }),
      (client) => failure(client.get("/employee")),
    );
    assert.deepEqual([e.kind, e.status], ["redirect", 302]);
    assert.match(e.message, /The server redirected to an invalid location\.$/);
  });

  it("an error reply that carries a Location header is an error, not a redirect; 300 with one is followed", async () => {
    const e = await withServer(
      (req) =>
        req.path === "/employee"
          ? {
              status: 400,
              headers: { ...JSON_TYPE, Location: "/api/login" },
              body: '{"Message":"bad request"}',
            }
          : { status: 200, headers: JSON_TYPE, body: "[]" },
      (client) => failure(client.get("/employee")),
    );
    assert.deepEqual([e.kind, e.status, e.serverMessage], ["http", 400, "bad request"]);
    const followed = await withServer(
      (req) =>
        req.path === "/employee"
          ? { status: 300, headers: { Location: "/api/employees" } }
          : { status: 200, headers: JSON_TYPE, body: '["moved"]' },
      (client) => client.get("/employee"),
    );
    assert.deepEqual(followed, ["moved"]);
  });

  it("a 300 without a Location is an error, not a reply", async () => {
    const e = await withServer(
      () => ({ status: 300, headers: JSON_TYPE, body: '{"Message":"choose"}' }),
      (client) => failure(client.get("/employee")),
    );
    assert.deepEqual([e.kind, e.status, e.serverMessage], ["http", 300, "choose"]);
  });

  it("tells an HTML page from malformed JSON by its type or its first character, whatever the label", async () => {
    const read = (reply: { body: string; headers: Record<string, string> }) =>
      withServer(
        () => ({ status: 200, ...reply }),
        (client) => failure(client.get("/employee")),
        { maxRetries: 0 },
      );
    const page = "<html><head><title>Sign in</title></head><body><h1>Sign in</h1> to continue</body></html>";
    const mislabelled = await read({ body: `\n  ${page}`, headers: JSON_TYPE });
    assert.match(mislabelled.message, /The reply was an HTML page, not the JSON expected;/);
    assert.equal(mislabelled.serverMessage, "Sign in to continue");
    const bare = await read({ body: page, headers: JSON_TYPE });
    assert.match(bare.message, /The reply was an HTML page, not the JSON expected;/);
    const typed = await read({
      body: "Service Unavailable &amp; back soon",
      headers: { "Content-Type": "text/html; charset=utf-8" },
    });
    assert.match(typed.message, /The reply was an HTML page, not the JSON expected;/);
    assert.equal(typed.serverMessage, "Service Unavailable & back soon");
    const garbage = await read({ body: "ok <b>done</b>", headers: JSON_TYPE });
    assert.match(garbage.message, /The reply was malformed JSON, not the JSON expected;/);
    assert.equal(garbage.serverMessage, undefined);
    assert.equal(garbage.status, 200);
  });

  it("reads an error page's words by its content type (entities decoded for text/html)", async () => {
    const e = await withServer(
      () => ({
        status: 403,
        headers: { "Content-Type": "text/html" },
        body: "Request blocked by the firewall &amp; logged (support ID 42)",
      }),
      (client) => failure(client.get("/employee")),
    );
    assert.equal(e.serverMessage, "Request blocked by the firewall & logged (support ID 42)");
  });

  it("a 404 or 405 is the path not being there (unavailable); a 400 or 409 is an http error", async () => {
    const kinds: Array<[number, string]> = [];
    for (const status of [404, 405, 400, 409]) {
      const e = await withServer(
        () => ({ status, headers: JSON_TYPE, body: '{"Message":"no"}' }),
        (client) => failure(client.get("/employee")),
      );
      kinds.push([e.status!, e.kind]);
    }
    assert.deepEqual(kinds, [
      [404, "unavailable"],
      [405, "unavailable"],
      [400, "http"],
      [409, "http"],
    ]);
  });

  it("a 502 to a create with nothing to re-read with stops as maybe-landed with the status and the server's words", async () => {
    const e = await withServer(
      () => ({ status: 502, headers: JSON_TYPE, body: '{"Message":"upstream went away"}' }),
      (client) => failure(client.create("/employee", { Employee: "E1" })),
    );
    assert.deepEqual([e.kind, e.status, e.serverMessage], ["maybe-landed", 502, "502: upstream went away"]);
  });

  it("'already exists' to an update is an error (nothing to re-read); a create refused for another reason is not re-read", async () => {
    const dup = await withServer(
      () => ({ status: 409, headers: JSON_TYPE, body: '{"Message":"Duplicate key"}' }),
      (client) => failure(client.update("/employee", "E1", { Email: "a@b.example" })),
    );
    assert.deepEqual([dup.kind, dup.status, dup.serverMessage], ["http", 409, "Duplicate key"]);
    let reads = 0;
    const invalid = await withServer(
      () => ({ status: 400, headers: JSON_TYPE, body: '{"Message":"Email is not valid"}' }),
      (client) =>
        failure(
          client.create("/employee", { Employee: "E1" }, async () => {
            reads++;
            return { Employee: "E1" };
          }),
        ),
    );
    assert.deepEqual([invalid.kind, invalid.status, reads], ["http", 400, 0]);
  });

  it("two reads refused with the same stale token share one refresh: the second does not refresh again", async () => {
    const held: http.ServerResponse[] = [];
    const refuse = (res: http.ServerResponse) => {
      res.writeHead(401, JSON_TYPE);
      res.end('{"Message":"token expired"}');
    };
    const srv = await rawServer((req, _n, res) => {
      if (req.auth !== "Bearer t1") return { status: 200, headers: JSON_TYPE, body: "[]" };
      held.push(res);
      if (held.length === 2) {
        // The first is refused now; the second only once the first's refresh has come back and been taken in.
        refuse(held[0]!);
        const wait = setInterval(() => {
          if (srv.grants.length === 2) {
            clearInterval(wait);
            setTimeout(() => refuse(held[1]!), 50);
          }
        }, 5);
      }
      return undefined;
    });
    const client = clientFor(srv.url);
    try {
      await client.authenticate();
      const [a, b] = await Promise.all([client.get("/employee"), client.get("/employee")]);
      assert.deepEqual([a, b], [[], []]);
      assert.deepEqual(srv.grants, ["password", "refresh_token"]);
    } finally {
      client.close();
      srv.close();
    }
  });
});
