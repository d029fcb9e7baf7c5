import assert from "node:assert/strict";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { mapLimit, parseApiRoot, VantagepointClient, VantagepointError } from "../../lib/vantagepoint";
import { startEmulator, Emulator } from "../../emulator";
import { connectionFor, fastClient } from "./helpers";

async function rejectsWith(p: Promise<unknown>, check: (e: VantagepointError) => void) {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof VantagepointError, `expected VantagepointError, got ${e}`);
    check(e);
    return;
  }
  assert.fail("expected a rejection");
}

describe("Vantagepoint client", () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({});
  });
  after(async () => {
    await emu.stop();
  });
  beforeEach(() => emu.reset());

  describe("connection URL", () => {
    it("accepts https and loopback http only", () => {
      assert.equal(parseApiRoot("https://vp.example.com/vantagepoint/api").host, "vp.example.com");
      for (const ok of [
        "http://127.0.0.1:8080/api",
        "http://127.9.9.9/api",
        "http://localhost/api",
        "http://[::1]:3000/api",
      ])
        parseApiRoot(ok);
      for (const bad of [
        "http://vp.example.com/api",
        "http://10.0.0.5/api",
        "ftp://vp.example.com",
        "not a url",
        "https://user:pw@vp.example.com/api",
      ]) {
        assert.throws(() => parseApiRoot(bad), /connection\.url/);
      }
    });
  });

  describe("token", () => {
    it("grants with the documented fields in one spelling, no Authorization header, and sends the bearer on every call", async () => {
      const { client } = fastClient(emu);
      await client.list(client.paths.roles);
      await client.getOne(client.paths.employees, "00001");
      assert.deepEqual(emu.tokenRequests, [
        ["grant_type", "Username", "Password", "Integrated", "database", "Client_Id", "client_secret"],
      ]);
      assert.equal(client.counters.tokenGrants, 1);
      assert.equal(emu.counters.byRoute["POST /token"], 1);
      assert.deepEqual(emu.leaks, []);
      client.close();
    });

    it("refreshes 60 s before expiry with the refresh grant", async () => {
      let now = 1_000_000;
      const { client } = fastClient(emu, { now: () => now });
      await client.list(client.paths.roles); // token valid for 1799 s
      now += (1799 - 61) * 1000;
      await client.list(client.paths.roles);
      assert.equal(client.counters.tokenGrants, 1);
      now += 2000; // inside the 60 s margin
      await client.list(client.paths.roles);
      assert.equal(client.counters.tokenGrants, 2);
      assert.equal(emu.tokenRequests[1][0], "grant_type");
      assert.ok(emu.tokenRequests[1].includes("refresh_token"));
      assert.ok(!emu.tokenRequests[1].includes("Password"));
      client.close();
    });

    it("caps the refresh margin by the token's lifetime: a 20 s token is not re-granted before every call", async () => {
      const short = await startEmulator({ tokenExpiresIn: 20 });
      try {
        let now = 0;
        const { client } = fastClient(short, { now: () => now });
        for (let i = 0; i < 5; i++) {
          await client.list(client.paths.roles);
          now += 2000;
        }
        assert.equal(client.counters.tokenGrants, 1, "5 calls over 10 s of a 20 s token: one grant");
        now = 16_000; // past three quarters of the lifetime
        await client.list(client.paths.roles);
        assert.equal(client.counters.tokenGrants, 2);
        client.close();
      } finally {
        await short.stop();
      }
    });

    it("retries a 401 once more after the refresh before giving up, then names the setting", async () => {
      const { client } = fastClient(emu);
      await client.list(client.paths.roles);
      emu.faults.add({ kind: "expireToken", method: "GET", path: "/employee", count: 2 });
      const one = await client.getOne<{ Employee: string }>(client.paths.employees, "00001");
      assert.equal(one?.Employee, "00001", "a fresh token refused once is retried once more");
      assert.equal(client.counters.tokenGrants, 3);
      emu.faults.add({ kind: "expireToken", method: "GET", path: "/employee", count: Infinity });
      await rejectsWith(client.getOne(client.paths.employees, "00001"), (e) => {
        assert.equal(e.status, 401);
        assert.match(e.message, /refused the token 3 times in a row.*connection\.clientId/);
      });
      client.close();
    });

    it("says which credentials to check for each OAuth error of the token grant", async () => {
      const wrongUser = fastClient(emu, {}, { password: "Wrong-Sentinel-Pw-42" }).client;
      await rejectsWith(wrongUser.authenticate(), (e) =>
        assert.match(e.message, /connection\.username, connection\.password and connection\.database/),
      );
      const wrongClient = fastClient(emu, {}, { clientSecret: "wrong-secret-sentinel" }).client;
      await rejectsWith(wrongClient.authenticate(), (e) => {
        assert.match(e.message, /invalid_client.*connection\.clientId and connection\.clientSecret/);
        assert.doesNotMatch(e.message, /connection\.password/, "the user's password is not the problem");
      });
      wrongUser.close();
      wrongClient.close();
    });

    it("refreshes once on a 401 (token expired mid-run) and succeeds", async () => {
      const { client } = fastClient(emu);
      await client.list(client.paths.roles);
      emu.faults.add({ kind: "expireToken", method: "GET", path: "/employee" });
      const one = await client.getOne<{ Employee: string }>(client.paths.employees, "00001");
      assert.equal(one?.Employee, "00001");
      assert.equal(client.counters.tokenGrants, 2);
      client.close();
    });

    it("falls back to the password grant when the refresh token is no longer valid (restart)", async () => {
      let now = 0;
      const { client } = fastClient(emu, { now: () => now });
      await client.list(client.paths.roles);
      emu.restart(); // tokens and refresh tokens revoked
      now += 1799 * 1000;
      await client.list(client.paths.roles);
      assert.equal(client.counters.tokenGrants, 3);
      assert.ok(emu.tokenRequests[2].includes("Password"));
      client.close();
    });

    it("fails a bad password with the OAuth words and without the password", async () => {
      const { client } = fastClient(emu, {}, { password: "Wrong-Sentinel-Pw-42" });
      await rejectsWith(client.list(client.paths.roles), (e) => {
        assert.equal(e.status, 400);
        assert.equal(e.path, "/token");
        assert.match(e.message, /invalid_grant: The user name or password is incorrect/);
        assert.ok(!e.message.includes("Wrong-Sentinel-Pw-42"));
      });
      client.close();
    });

    it("redacts credentials a server echoes back", async () => {
      emu.faults.add({ kind: "echoSecrets", path: "/token" });
      const { client } = fastClient(emu);
      await rejectsWith(client.authenticate(), (e) => {
        assert.ok(!e.message.includes(emu.credentials.password), e.message);
        assert.ok(!e.message.includes(emu.credentials.clientSecret), e.message);
        assert.match(e.message, /\[REDACTED\]/);
      });
      client.close();
    });
  });

  describe("paging", () => {
    it("reads N records in ceil(N / pageSize) list calls with fieldFilter, plus the empty page that ends it", async () => {
      const { client } = fastClient(emu, {}, { pageSize: 70 });
      const rows = await client.list<Record<string, unknown>>(client.paths.employees, {
        fieldFilter: ["Employee", "EMail"],
      });
      assert.equal(rows.length, 300);
      assert.equal(emu.counters.byRoute["GET /employee"], Math.ceil(300 / 70) + 1);
      assert.equal(client.counters.listed["/employee"], 300);
      assert.deepEqual(Object.keys(rows[0]).sort(), ["EMail", "Employee"]);
      assert.equal(new Set(rows.map((r) => r.Employee)).size, 300);
      client.close();
    });

    it("reads every record when the server caps pages below pageSize (a short round first page)", async () => {
      const capped = await startEmulator({ maxPageSize: 100 });
      try {
        const { client } = fastClient(capped, {}, { pageSize: 500 });
        const rows = await client.list<{ Employee: string }>(client.paths.employees, {
          fieldFilter: ["Employee"],
        });
        assert.equal(rows.length, 300);
        assert.equal(new Set(rows.map((r) => r.Employee)).size, 300);
        client.close();
      } finally {
        await capped.stop();
      }
    });

    it("stops after one page when a server that ignores paging answers a round short list", async () => {
      const all = Array.from({ length: 100 }, (_, i) => ({ Employee: String(i).padStart(5, "0") }));
      const server = http.createServer((req, res) => {
        res.setHeader("Content-Type", "application/json");
        if (req.url?.startsWith("/api/token")) {
          res.end(JSON.stringify({ access_token: "t", token_type: "bearer", expires_in: 3600 }));
        } else res.end(JSON.stringify(all));
      });
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
      try {
        const { port } = server.address() as AddressInfo;
        const client = new VantagepointClient({
          ...connectionFor(emu),
          url: `http://127.0.0.1:${port}/api`,
          pageSize: 500,
        });
        const rows = await client.list<{ Employee: string }>("/employee");
        assert.equal(rows.length, 100);
        client.close();
      } finally {
        server.close();
      }
    });

    it("filters with filterHash", async () => {
      const { client } = fastClient(emu);
      const email = String(emu.state.employees.get("00001")!.EMail);
      const rows = await client.list<{ Employee: string }>(client.paths.employees, {
        filters: [{ name: "EMail", value: email.toUpperCase() }],
      });
      assert.deepEqual(
        rows.map((r) => r.Employee),
        ["00001"],
      );
      client.close();
    });
  });

  describe("retries", () => {
    it("honours Retry-After on 429 with full-jitter backoff", async () => {
      emu.faults.add({ kind: "429", method: "GET", path: "/employee", retryAfter: 7, count: 2 });
      const { client, delays } = fastClient(emu);
      const rows = await client.list(client.paths.employees);
      assert.equal(rows.length, 300);
      assert.deepEqual(delays, [7000, 7000]);
      assert.equal(client.counters.retries, 2);
      client.close();
    });

    it("backs off exponentially with jitter on 503 and connection resets", async () => {
      emu.faults.add({ kind: "503", method: "GET", path: "/employee", count: 2 });
      emu.faults.add({ kind: "reset", method: "GET", path: "/user", count: 1 });
      const { client, delays } = fastClient(emu, { baseDelayMs: 100, random: () => 0.5 });
      await client.list(client.paths.employees);
      await client.list(client.paths.users);
      assert.deepEqual(delays, [50, 100, 50]);
      client.close();
    });

    it("gives up after maxRetries with a clear error", async () => {
      emu.faults.add({ kind: "503", method: "GET", path: "/employee", count: Infinity });
      const { client } = fastClient(emu, { maxRetries: 2 });
      await rejectsWith(client.list(client.paths.employees), (e) => {
        assert.equal(e.status, 503);
        assert.equal(e.method, "GET");
        assert.match(e.message, /GET \/employee.*503.*Service Unavailable.*Gave up after 3 attempts/);
      });
      client.close();
    });

    it("retries a POST on 429 (not processed)", async () => {
      emu.faults.add({ kind: "429", method: "POST", path: "/employee", retryAfter: 0 });
      const { client } = fastClient(emu);
      const rec = await client.create<{ Employee: string }>(client.paths.employees, {
        Employee: "T429",
        FirstName: "A",
        LastName: "B",
        EMail: "a.b@example.com",
      });
      assert.ok(rec?.Employee);
      assert.equal([...emu.state.employees.values()].filter((e) => e.EMail === "a.b@example.com").length, 1);
      client.close();
    });

    it("does not blindly retry a POST that may have landed: without a re-read it stops", async () => {
      emu.faults.add({ kind: "reset", method: "POST", path: "/employee", afterHandling: true });
      const { client } = fastClient(emu);
      await rejectsWith(
        client.create(client.paths.employees, {
          Employee: "TLANDED",
          FirstName: "A",
          LastName: "B",
          EMail: "landed@example.com",
        }),
        (e) => {
          assert.equal(e.kind, "maybe-landed");
          assert.match(e.message, /reply was lost.*not sent again.*Re-run in a minute/);
        },
      );
      assert.equal(
        [...emu.state.employees.values()].filter((e) => e.EMail === "landed@example.com").length,
        1,
      );
      client.close();
    });

    it("re-reads after a reset POST and returns the landed record instead of writing twice", async () => {
      emu.faults.add({ kind: "reset", method: "POST", path: "/employee", afterHandling: true });
      const { client } = fastClient(emu);
      const find = async () =>
        (
          await client.list<{ Employee: string; EMail: string }>(client.paths.employees, {
            filters: [{ name: "EMail", value: "landed2@example.com" }],
          })
        )[0];
      const rec = await client.create(
        client.paths.employees,
        { Employee: "TLANDED2", FirstName: "A", LastName: "B", EMail: "landed2@example.com" },
        find,
      );
      assert.ok(rec);
      assert.equal(
        [...emu.state.employees.values()].filter((e) => e.EMail === "landed2@example.com").length,
        1,
      );
      assert.equal(emu.counters.byRoute["POST /employee"], 1);
      client.close();
    });

    it("learns a server-assigned key from the Location header of a 201 with no body", async () => {
      const numbering = await startEmulator({ employeeKeys: "server", writeReply: "204" });
      try {
        const { client } = fastClient(numbering);
        const created = await client.createRecord(
          client.paths.employees,
          { FirstName: "L", LastName: "H", EMail: "location@example.com" },
          "Employee",
        );
        assert.deepEqual(created, { record: undefined, key: "00301" });
        client.close();
      } finally {
        await numbering.stop();
      }
    });

    it("sends filterHash operators as symbols, which the strict server requires", async () => {
      const { client } = fastClient(emu);
      const rows = await client.list<{ Status: string }>(client.paths.users, {
        filters: [{ name: "Status", value: "I", opp: "eq" }],
        order: { field: "Username", descending: true },
      });
      assert.ok(rows.length > 0 && rows.every((r) => r.Status === "I"));
      client.close();
    });

    it("does not send a create again after a reset, even when the re-reads never find it (it did not land)", async () => {
      emu.faults.add({ kind: "reset", method: "POST", path: "/employee" });
      const { client, delays } = fastClient(emu, {}, { readLagMs: 1000 });
      const find = async () =>
        (
          await client.list<{ Employee: string; EMail: string }>(client.paths.employees, {
            filters: [{ name: "EMail", value: "retry@example.com" }],
          })
        )[0];
      await rejectsWith(
        client.create(
          client.paths.employees,
          { Employee: "TRETRY", FirstName: "A", LastName: "B", EMail: "retry@example.com" },
          find,
        ),
        (e) => {
          assert.equal(e.kind, "maybe-landed");
          assert.match(e.message, /reply was lost.*1 s of re-reading.*Re-run in a minute/);
        },
      );
      assert.equal(emu.counters.byRoute["POST /employee"], 1);
      // re-read now, then after 250, 500 and 250 ms (the 1 s window)
      assert.deepEqual(delays, [250, 500, 250]);
      assert.equal(
        [...emu.state.employees.values()].filter((e) => e.EMail === "retry@example.com").length,
        0,
      );
      client.close();
    });

    it("times out a slow reply and retries the GET", async () => {
      emu.faults.add({ kind: "slow", method: "GET", path: "/user", delayMs: 400 });
      const { client } = fastClient(emu, { timeoutMs: 100 });
      const rows = await client.list(client.paths.users);
      assert.ok(rows.length > 0);
      assert.equal(client.counters.retries, 1);
      client.close();
    });
  });

  describe("bad replies", () => {
    it("raises HTML error pages with the page's words", async () => {
      emu.faults.add({ kind: "html", method: "GET", path: "/security/role", status: 500 });
      const { client } = fastClient(emu);
      await rejectsWith(client.list(client.paths.roles), (e) => {
        assert.equal(e.status, 500);
        assert.match(
          e.message,
          /GET \/security\/role.* failed with 500: 500 - Web server received an invalid response/,
        );
        assert.ok(!e.message.includes("<"));
      });
      client.close();
    });

    it("retries malformed and truncated JSON on reads, then succeeds", async () => {
      emu.faults.add({ kind: "malformed", method: "GET", path: "/user" });
      emu.faults.add({ kind: "truncated", method: "GET", path: "/user", nth: 2 });
      const { client } = fastClient(emu);
      const rows = await client.list(client.paths.users);
      assert.ok(rows.length > 100);
      assert.equal(client.counters.retries, 2);
      client.close();
    });

    it("rejects wrong types with a clear error", async () => {
      emu.faults.add({ kind: "wrongType", method: "GET", path: "/employee" });
      const { client } = fastClient(emu);
      await rejectsWith(client.list(client.paths.employees), (e) => {
        assert.equal(e.kind, "malformed");
        assert.match(e.message, /Expected a JSON array of records, got string/);
      });
      client.close();
    });

    it("stops reading a huge body at the size limit", async () => {
      emu.faults.add({ kind: "huge", method: "GET", path: "/employee", hugeBytes: 3 * 1024 * 1024 });
      const { client } = fastClient(emu, { maxResponseBytes: 1024 * 1024 });
      await rejectsWith(client.list(client.paths.employees), (e) => {
        assert.equal(e.kind, "too-large");
        assert.match(e.message, /larger than 1048576 bytes/);
      });
      client.close();
    });

    it("never follows a redirect to another host with credentials", async () => {
      emu.faults.add({ kind: "redirect", method: "GET", path: "/employee" });
      const { client } = fastClient(emu);
      await rejectsWith(client.list(client.paths.employees), (e) => {
        assert.equal(e.kind, "redirect");
        assert.match(
          e.message,
          /redirected to http:\/\/localhost:\d+; credentials are never sent to another host/,
        );
      });
      await new Promise((r) => setTimeout(r, 20));
      assert.deepEqual(emu.leaks, []);
      client.close();
    });

    it("parses JSON error shapes and raises 404 as unavailable", async () => {
      const { client } = fastClient(emu);
      await rejectsWith(client.update(client.paths.employees, "NOPE", { EMail: "x@example.com" }), (e) => {
        assert.equal(e.status, 404);
        assert.equal(e.kind, "unavailable");
        assert.match(e.message, /PUT \/employee\/NOPE failed with 404: Employee NOPE was not found/);
      });
      await rejectsWith(client.create(client.paths.users, { Username: "X1", Employee: "NOPE" }), (e) => {
        assert.equal(e.status, 400);
        assert.match(e.message, /The request is invalid\.: Employee NOPE does not exist/);
      });
      client.close();
    });
  });

  describe("writes", () => {
    for (const style of ["object", "array", "204"] as const) {
      it(`accepts a write reply as ${style}`, async () => {
        const e2 = await startEmulator({ writeReply: style, seed: { employees: 5 } });
        try {
          const { client } = fastClient(e2);
          const created = await client.create<{ Employee: string }>(client.paths.employees, {
            Employee: "W1",
            FirstName: "W",
            LastName: "R",
            EMail: "w@example.com",
          });
          const updated = await client.update<{ EMail: string }>(client.paths.employees, "W1", {
            EMail: "w2@example.com",
          });
          if (style === "204") {
            assert.equal(created, undefined);
            assert.equal(updated, undefined);
          } else {
            assert.equal(created?.Employee, "W1");
            assert.equal(updated?.EMail, "w2@example.com");
          }
          assert.equal(e2.state.employees.get("W1")!.EMail, "w2@example.com");
          assert.equal(e2.state.employees.get("W1")!.FirstName, "W"); // partial update kept the rest
          client.close();
        } finally {
          await e2.stop();
        }
      });
    }

    it("bounds concurrency", async () => {
      let inFlight = 0;
      let peak = 0;
      const out = await mapLimit([...Array(20).keys()], 3, async (i) => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await new Promise((r) => setTimeout(r, 2));
        inFlight--;
        if (i === 5) throw new Error("five");
        return i * 2;
      });
      assert.equal(peak, 3);
      assert.deepEqual(out[4], { ok: true, value: 8 });
      assert.equal(out[5].ok, false);
    });

    it("counts requests, accepted writes and write attempts apart", async () => {
      const { client } = fastClient(emu);
      await client.list(client.paths.roles);
      await client.update(client.paths.roles, "PM", { Description: "PMs" });
      await assert.rejects(client.update(client.paths.roles, "PM", { Connect: "maybe" }));
      emu.faults.add({ kind: "429", method: "PUT", retryAfter: 0 });
      await client.update(client.paths.roles, "PM", { Description: "PMs again" });
      assert.deepEqual(
        {
          requests: client.counters.requests,
          writes: client.counters.writes,
          writeAttempts: client.counters.writeAttempts,
        },
        { requests: 7, writes: 2, writeAttempts: 4 },
      );
      assert.equal(emu.counters.writesAccepted, 2);
      client.close();
    });
  });

  describe("against a raw server", () => {
    it("sends Content-Type only with a body and Accept always", async () => {
      const seen: http.IncomingHttpHeaders[] = [];
      const srv = http.createServer((req, res) => {
        seen.push(req.headers);
        req.resume();
        req.on("end", () => {
          res.setHeader("Content-Type", "application/json");
          res.end(
            req.url === "/api/token" ? JSON.stringify({ access_token: "T0K", expires_in: 3600 }) : "[]",
          );
        });
      });
      await new Promise<void>((r) => srv.listen(0, "127.0.0.1", () => r()));
      const port = (srv.address() as AddressInfo).port;
      const client = new VantagepointClient({
        url: `http://127.0.0.1:${port}/api`,
        database: "D",
        username: "u",
        password: "p",
        clientId: "c",
        clientSecret: "s",
      });
      await client.list("/employee");
      client.close();
      srv.closeAllConnections();
      srv.close();
      assert.equal(seen[0]["content-type"], "application/x-www-form-urlencoded");
      assert.equal(seen[0].authorization, undefined);
      assert.equal(seen[1]["content-type"], undefined);
      assert.equal(seen[1].authorization, "Bearer T0K");
      assert.equal(seen[1].accept, "application/json");
    });
  });

  it("exposes connectionFor for other tests", () => {
    assert.equal(connectionFor(emu).url, emu.url);
  });
});
