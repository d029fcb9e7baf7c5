/**
 * Retry paths of the client the issue-23 mutation run found untested: GET retried on 502 and 504, a 503 to a create
 * resolved by re-reading, a redirect or token refresh that must not use up the retry budget, Retry-After as an HTTP
 * date, and a refresh that fails with 5xx without falling back to the password grant.
 */
import assert from "node:assert/strict";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { VantagepointClient, VantagepointError } from "../../lib/vantagepoint";

interface Seen {
  method: string;
  path: string;
  grant?: string;
}

/** A scripted server: `answer` decides each reply; token grants answer a token unless `token` says otherwise. */
async function scripted(
  answer: (
    req: Seen,
    n: number,
  ) => { status: number; body?: unknown; headers?: Record<string, string> } | "reset",
  token: (grant: string, n: number) => { status: number; body?: unknown } = () => ({
    status: 200,
    body: { access_token: "t", refresh_token: "r", token_type: "bearer", expires_in: 3600 },
  }),
) {
  const seen: Seen[] = [];
  let calls = 0;
  let grants = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const path = url.pathname.replace(/^\/api/, "");
      if (path === "/token") {
        const grant = new URLSearchParams(Buffer.concat(chunks).toString()).get("grant_type") ?? "";
        seen.push({ method: req.method ?? "", path, grant });
        const r = token(grant, ++grants);
        res.writeHead(r.status, { "Content-Type": "application/json" });
        res.end(JSON.stringify(r.body ?? { message: "error" }));
        return;
      }
      const s: Seen = { method: req.method ?? "", path: `${path}${url.search}` };
      seen.push(s);
      const r = answer(s, ++calls);
      if (r === "reset") return void req.socket.destroy();
      res.writeHead(r.status, { "Content-Type": "application/json", ...(r.headers ?? {}) });
      res.end(r.body === undefined ? "" : JSON.stringify(r.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/api`, seen, close: () => server.close() };
}

function clientFor(url: string, options: ConstructorParameters<typeof VantagepointClient>[1] = {}) {
  const delays: number[] = [];
  const client = new VantagepointClient(
    {
      url,
      database: "DB",
      username: "u",
      password: "p",
      clientId: "c",
      clientSecret: "s",
      readLagMs: 0,
    },
    {
      sleep: async (ms) => void delays.push(ms),
      random: () => 0.5,
      ...options,
    },
  );
  return { client, delays };
}

describe("client retries (paths the mutation run found untested)", () => {
  for (const status of [502, 504]) {
    it(`retries a GET answered ${status}, then reads it`, async () => {
      const srv = await scripted((_r, n) =>
        n === 1 ? { status, body: { message: "gateway" } } : { status: 200, body: [] },
      );
      try {
        const { client } = clientFor(srv.url);
        assert.deepEqual(await client.get("/employee"), []);
        assert.equal(srv.seen.filter((s) => s.method === "GET").length, 2);
        assert.equal(client.counters.retries, 1);
        client.close();
      } finally {
        srv.close();
      }
    });
  }

  it("a 503 to a create is re-read instead of sent again: the record found is the result", async () => {
    const srv = await scripted((r) =>
      r.method === "POST"
        ? { status: 503, body: { message: "busy" } }
        : { status: 200, body: [{ Employee: "E1" }] },
    );
    try {
      const { client } = clientFor(srv.url);
      const got = await client.create<{ Employee: string }>("/employee", { Employee: "E1" }, async () =>
        client.getOne("/employee", "E1"),
      );
      assert.deepEqual(got, { Employee: "E1" });
      assert.equal(srv.seen.filter((s) => s.method === "POST" && s.path === "/employee").length, 1);
      assert.equal(client.counters.retries, 0);
      client.close();
    } finally {
      srv.close();
    }
  });

  it("a redirect on the same host does not use up the retry budget", async () => {
    const srv = await scripted((r, n) => {
      if (r.path.startsWith("/old")) return { status: 302, headers: { Location: "/api/employee" } };
      return n === 2 ? { status: 503, body: { message: "busy" } } : { status: 200, body: [] };
    });
    try {
      // One retry allowed: the redirect is not one, the 503 is.
      const { client } = clientFor(srv.url, { maxRetries: 1 });
      assert.deepEqual(await client.get("/old"), []);
      assert.deepEqual(
        srv.seen.filter((s) => s.method === "GET").map((s) => s.path),
        ["/old", "/employee", "/employee"],
      );
      client.close();
    } finally {
      srv.close();
    }
  });

  it("a token refresh on a 401 does not use up the retry budget", async () => {
    const srv = await scripted((_r, n) =>
      n === 1
        ? { status: 401, body: { message: "expired" } }
        : n === 2
          ? { status: 503 }
          : { status: 200, body: [] },
    );
    try {
      const { client } = clientFor(srv.url, { maxRetries: 1 });
      assert.deepEqual(await client.get("/employee"), []);
      assert.deepEqual(
        srv.seen.filter((s) => s.path === "/token").map((s) => s.grant),
        ["password", "refresh_token"],
      );
      client.close();
    } finally {
      srv.close();
    }
  });

  it("honours Retry-After given as an HTTP date", async () => {
    const now = Date.parse("2026-12-06T20:00:00Z");
    const srv = await scripted((_r, n) =>
      n === 1
        ? {
            status: 429,
            headers: { "Retry-After": "Sun, 06 Dec 2026 20:00:07 GMT" },
            body: { message: "slow down" },
          }
        : { status: 200, body: [] },
    );
    try {
      const { client, delays } = clientFor(srv.url, { now: () => now });
      await client.get("/employee");
      assert.deepEqual(delays, [7000]);
      client.close();
    } finally {
      srv.close();
    }
  });

  it("a refresh that fails with 5xx does not fall back to the password grant", async () => {
    const srv = await scripted(
      (_r, n) => (n === 1 ? { status: 401, body: { message: "expired" } } : { status: 200, body: [] }),
      (grant) =>
        grant === "refresh_token"
          ? { status: 500, body: { message: "token service down" } }
          : { status: 200, body: { access_token: "t", refresh_token: "r", expires_in: 3600 } },
    );
    try {
      const { client } = clientFor(srv.url);
      await assert.rejects(client.get("/employee"), (e: unknown) => {
        assert.ok(e instanceof VantagepointError);
        assert.equal(e.status, 500);
        assert.equal(e.path, "/token");
        return true;
      });
      assert.deepEqual(
        srv.seen.filter((s) => s.path === "/token").map((s) => s.grant),
        ["password", "refresh_token"],
      );
      client.close();
    } finally {
      srv.close();
    }
  });
});
