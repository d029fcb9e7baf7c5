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

describe("client: one record, a list, a create (exact answers)", () => {
  it("getOne asks for the fields given; a record, a one-element array; null or text is malformed", async () => {
    const bodies: Record<string, string> = {
      "/employee/E1?fieldFilter=Employee%2CEmail": '[{"Employee":"E1"}]',
      "/employee/E2": '{"Employee":"E2"}',
      "/employee/E3": "null",
      "/employee/E4": '"E4"',
    };
    await withServer(
      (req) => ({ status: 200, headers: JSON_TYPE, body: bodies[req.path] ?? "[]" }),
      async (client) => {
        assert.deepEqual(await client.getOne("/employee", "E1", ["Employee", "Email"]), { Employee: "E1" });
        assert.deepEqual(await client.getOne("/employee", "E2"), { Employee: "E2" });
        for (const key of ["E3", "E4"]) {
          const e = await failure(client.getOne("/employee", key));
          assert.deepEqual([e.kind, e.status, e.path], ["malformed", 200, `/employee/${key}`]);
          assert.match(e.message, /Expected a record or a one-element array\.$/);
        }
      },
    );
  });

  it("getOne: a 404 for the record is 'not there' only when the collection answers; a 400 is an error", async () => {
    const seen: string[] = [];
    const answer = (collection: number, record: number) => (req: Req) => {
      seen.push(req.path);
      return req.path.startsWith("/employee/")
        ? { status: record, headers: JSON_TYPE, body: '{"Message":"not found"}' }
        : {
            status: collection,
            headers: JSON_TYPE,
            body: collection === 200 ? "[]" : '{"Message":"no hub"}',
          };
    };
    assert.equal(
      await withServer(answer(200, 404), (client) => client.getOne("/employee", "E1", ["Employee"])),
      undefined,
    );
    assert.deepEqual(seen, [
      "/employee/E1?fieldFilter=Employee",
      "/employee?fieldFilter=Employee&page=1&pageSize=1",
    ]);
    for (const hub of [404, 405, 501]) {
      const e = await withServer(answer(hub, 404), (client) => failure(client.getOne("/employee", "E1")));
      assert.deepEqual([e.status, e.path], [404, "/employee/E1"], `collection ${hub}`);
    }
    const broken = await withServer(answer(500, 404), (client) => failure(client.getOne("/employee", "E1")), {
      maxRetries: 0,
    });
    assert.deepEqual([broken.status, broken.path], [500, "/employee?page=1&pageSize=1"]);
    const bad = await withServer(answer(200, 400), (client) => failure(client.getOne("/employee", "E1")));
    assert.deepEqual([bad.status, bad.kind], [400, "http"]);
  });

  it("collectionAnswers: true when it answers, false for 404, 405 and 501, an error otherwise", async () => {
    const answers: Array<boolean | number> = [];
    for (const status of [200, 404, 405, 501, 400]) {
      await withServer(
        () => ({ status, headers: JSON_TYPE, body: status === 200 ? "[]" : '{"Message":"x"}' }),
        async (client) => {
          try {
            answers.push(await client.collectionAnswers("/employee", ["Employee"]));
          } catch (e) {
            answers.push((e as VantagepointError).status!);
          }
        },
      );
    }
    assert.deepEqual(answers, [true, false, false, false, 400]);
  });

  it("a list asks with the fields, the order and each filter's symbol; counts its calls and whole lists", async () => {
    await withServer(
      (req) => ({
        status: 200,
        headers: JSON_TYPE,
        body: req.path.includes("offset=0") ? '[{"Employee":"E1"}]' : "[]",
      }),
      async (client, srv) => {
        const rows = await client.list("/employee", {
          fieldFilter: ["Employee", "Email"],
          order: { field: "Employee", descending: true },
          filters: [
            { name: "Status", value: "A" },
            { name: "Email", value: "%@x.example", opp: "like" },
          ],
          pageSize: 50,
        });
        assert.deepEqual(rows, [{ Employee: "E1" }]);
        assert.deepEqual(
          srv.seen.map((r) => decodeURIComponent(r.path)),
          [0, 1].map(
            (offset) =>
              `/employee?fieldFilter=Employee,Email&order=Employee_D&filterHash[0][name]=Status&filterHash[0][value]=A&filterHash[0][opp]===&filterHash[1][name]=Email&filterHash[1][value]=%@x.example&filterHash[1][opp]=like&offset=${offset}&limit=50`,
          ),
        );
        assert.equal(client.counters.listCalls, 2);
        assert.deepEqual(client.counters.listed, {}, "a filtered list is not a whole list");
        await client.list("/employee");
        assert.deepEqual(client.counters.listed, { "/employee": 1 });
      },
    );
  });

  it("a list reply that is not an array of records is malformed, named with what came", async () => {
    for (const [body, words] of [
      ['{"rows":[]}', "Expected a JSON array of records, got object."],
      ["null", "Expected a JSON array of records, got null."],
      ['[{"Employee":"E1"},"E2"]', "A list element is not a record."],
      ['[[{"Employee":"E1"}]]', "A list element is not a record."],
    ] as const) {
      const e = await withServer(
        () => ({ status: 200, headers: JSON_TYPE, body }),
        (client) => failure(client.list("/employee")),
      );
      assert.deepEqual([e.kind, e.status], ["malformed", 200], body);
      assert.ok(e.message.endsWith(` ${words}`), e.message);
    }
  });

  it("a list the server repeats from the start says why it cannot be read to the end", async () => {
    const e = await withServer(
      () => ({ status: 200, headers: JSON_TYPE, body: '[{"Employee":"E1"},{"Employee":"E2"}]' }),
      (client) => failure(client.list("/employee", { pageSize: 2 })),
    );
    assert.equal(e.kind, "malformed");
    assert.match(
      e.message,
      /The list could not be read to its end: the server answered the first 2 rows again when asked for the rows after them \(it ignores offset\), .*\.$/,
    );
  });

  it("de-duplicates each known hub by its key field, whatever the case of the path, and merges a re-read", async () => {
    const hubs: Array<[string, string]> = [
      ["/EMPLOYEE", "Employee"],
      ["/user", "Username"],
      ["/security/role", "Role"],
    ];
    const client0 = clientFor("http://127.0.0.1:1/api");
    const paths = client0.paths;
    client0.close();
    for (const [path, key] of [...hubs, [paths.apiAuthorizations, "ClientId"]] as Array<[string, string]>) {
      const p = path === "/security/role" ? paths.roles : path === "/user" ? paths.users : path;
      // Page 1: a, b. Page 2: B again (the table moved) and c. The re-read answers a, b, c.
      let read = 0;
      const rows = await withServer(
        (req) => {
          const offset = Number(/offset=(\d+)/.exec(req.path)?.[1]);
          if (offset === 0) read++;
          const page =
            read === 1
              ? offset === 0
                ? [
                    { [key]: "a", n: 1 },
                    { [key]: "b", n: 1 },
                  ]
                : offset === 2
                  ? [
                      { [key]: "B", n: 2 },
                      { [key]: "c", n: 1 },
                    ]
                  : []
              : offset === 0
                ? [
                    { [key]: "a", n: 3 },
                    { [key]: "b", n: 3 },
                    { [key]: "c", n: 3 },
                  ]
                : [];
          return { status: 200, headers: JSON_TYPE, body: JSON.stringify(page) };
        },
        (client) => client.list<Record<string, unknown>>(p, { pageSize: 2 }),
      );
      assert.deepEqual(
        rows.map((r) => `${r[key]}${r.n}`),
        ["a3", "b3", "c3"],
        p,
      );
    }
  });

  it("createRecord learns the key from the reply, else from Location; create unwraps what came back", async () => {
    const replies: Reply[] = [
      { status: 201, headers: JSON_TYPE, body: '{"Employee":"E7","Email":"x@y.example"}' },
      { status: 201, headers: { ...JSON_TYPE, Location: "/api/employee/E8" }, body: '{"Employee":8}' },
      { status: 204, headers: { Location: "/api/employee/E9" } },
      { status: 200, headers: JSON_TYPE, body: '[{"Employee":"E10"}]' },
      { status: 200, headers: JSON_TYPE, body: "null" },
      { status: 200, headers: JSON_TYPE, body: '"created"' },
    ];
    await withServer(
      (_r, n) => replies[n - 1],
      async (client) => {
        assert.deepEqual(await client.createRecord("/employee", {}, "Employee"), {
          record: { Employee: "E7", Email: "x@y.example" },
          key: "E7",
        });
        assert.deepEqual(await client.createRecord("/employee", {}, "Employee"), {
          record: { Employee: 8 },
          key: "E8",
        });
        assert.deepEqual(await client.createRecord("/employee", {}, "Employee"), {
          record: undefined,
          key: "E9",
        });
        assert.deepEqual(await client.create("/employee", {}), { Employee: "E10" });
        assert.equal(await client.create("/employee", {}), undefined);
        assert.equal(await client.create("/employee", {}), undefined);
      },
    );
  });

  it("a PUT or DELETE answered 503 is sent again (idempotent); it reaches the record by its encoded key", async () => {
    await withServer(
      (_r, n) =>
        n % 2 === 1 ? { status: 503, headers: JSON_TYPE, body: '{"Message":"busy"}' } : { status: 204 },
      async (client, srv) => {
        await client.update("/employee", "E 1/2", { Email: "a@b.example" });
        await client.remove("/employee", "E 1/2");
        assert.deepEqual(
          srv.seen.map((r) => `${r.method} ${r.path}`),
          ["PUT", "PUT", "DELETE", "DELETE"].map((m) => `${m} /employee/E%201%2F2`),
        );
        assert.equal(client.counters.retries, 2);
      },
    );
  });
});
