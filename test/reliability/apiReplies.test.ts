/**
 * Bad API replies against the REST client (lib/vantagepoint/client.ts) and the roster logic on top of it, from a
 * tiny scripted server: HTML where JSON was expected, truncated JSON, wrong types, empty bodies, huge and endless
 * bodies, redirects to another host. Each ends in a clear error (never a TypeError, never a write planned from a
 * reply that was not Vantagepoint's), and no credential ever reaches another host or an error message.
 */
import "./support/tally";
import assert from "node:assert/strict";
import type * as http from "node:http";
import {
  applyRoster,
  DEFAULT_MAX_RESPONSE_BYTES,
  readRosterState,
  VantagepointClient,
  VantagepointError,
} from "../../lib/vantagepoint";
import type { ClientOptions } from "../../lib/vantagepoint";
import { json, RawServer, startRawServer, tokenReply } from "./support/rawServer";
import { describeFindings, scan, SENTINELS } from "./support/sentinels";

const ACCESS_TOKEN = "Tok-Sentinel-Access-0b7e";
const CREDENTIALS = [SENTINELS.password, SENTINELS.clientSecret, ACCESS_TOKEN, "Tok-Sentinel-Refresh-51aa"];
const PERSON = { userId: "ALEE", email: "alex.lee@example.com", firstName: "Alex", lastName: "Lee" };

function clientFor(server: RawServer, options: ClientOptions = {}): VantagepointClient {
  return new VantagepointClient(
    {
      url: `${server.origin}/vantagepoint/api`,
      database: "VP_TEST",
      username: "svc-pulumi",
      password: SENTINELS.password,
      clientId: "vpconnect-iac",
      clientSecret: SENTINELS.clientSecret,
    },
    { sleep: async () => {}, random: () => 0.5, maxRetries: 2, ...options },
  );
}

/** The rejection of `p` as a VantagepointError, checked for credentials in every spelling. */
async function failure(p: Promise<unknown>): Promise<VantagepointError> {
  let error: unknown;
  try {
    await p;
  } catch (e) {
    error = e;
  }
  assert.ok(error instanceof VantagepointError, `expected a VantagepointError, got ${String(error)}`);
  const findings = scan("client error", error.message, CREDENTIALS);
  assert.deepEqual(findings, [], describeFindings(findings, error.message));
  return error;
}

/** Scripts `/token` as a normal grant and everything else with `hub`. */
function vantagepoint(hub: (req: { method: string; path: string }, res: http.ServerResponse) => void) {
  return (req: { method: string; path: string; body: string }, res: http.ServerResponse) => {
    if (req.path.startsWith("/vantagepoint/api/token")) return tokenReply(res, ACCESS_TOKEN);
    return hub(req, res);
  };
}

const hubRequests = (server: RawServer) => server.requests.filter((r) => !r.path.includes("/token"));

describe("bad input: API replies the REST client must survive", () => {
  let server: RawServer;
  beforeEach(async () => {
    server = await startRawServer(() => {});
  });
  afterEach(async () => {
    await server.close();
  });

  describe("HTML where JSON was expected", () => {
    it("a 200 HTML page on a read is retried, then named as an HTML page with its words and no markup", async () => {
      server.reply = vantagepoint((_req, res) => {
        res.writeHead(200, { "Content-Type": "text/html" });
        res.end(
          "<!DOCTYPE html><html><head><title>Sign in</title></head><body><h1>Sign in to continue</h1></body></html>",
        );
      });
      const client = clientFor(server);
      const e = await failure(client.list("/employee"));
      assert.equal(e.kind, "malformed");
      assert.match(
        e.message,
        /GET \/employee.* failed with 200: Sign in to continue The reply was an HTML page, not the JSON expected/,
      );
      assert.ok(!e.message.includes("<"), e.message);
      assert.equal(hubRequests(server).length, 3, "first try plus maxRetries (2)");
      client.close();
    });

    it("a 200 HTML page to a create is not retried blindly (it may have landed)", async () => {
      server.reply = vantagepoint((_req, res) => {
        res.writeHead(200, { "Content-Type": "text/html" });
        res.end("<html><body>OK</body></html>");
      });
      const client = clientFor(server);
      const e = await failure(client.create("/employee", { FirstName: "A" }));
      assert.equal(e.kind, "malformed");
      assert.equal(hubRequests(server).filter((r) => r.method === "POST").length, 1);
      client.close();
    });
  });

  describe("truncated and empty bodies", () => {
    it("JSON cut off mid-record, every time: a clear error after the retries", async () => {
      server.reply = vantagepoint((_req, res) =>
        json(res, 200, '[{"Employee":"00001","EMail":"a@example.com"},{"Employ'),
      );
      const client = clientFor(server);
      const e = await failure(client.list("/employee"));
      assert.equal(e.kind, "malformed");
      assert.match(
        e.message,
        /The reply was malformed JSON, not the JSON expected; check that connection\.url is the API root/,
      );
      client.close();
    });

    it("a body shorter than its Content-Length (connection dropped mid-reply) is a network failure, retried", async () => {
      let first = true;
      server.reply = vantagepoint((_req, res) => {
        if (first) {
          first = false;
          res.writeHead(200, { "Content-Type": "application/json", "Content-Length": "1000" });
          res.write('[{"Employee":"00001"');
          res.destroy();
          return;
        }
        json(res, 200, [{ Employee: "00001", EMail: "a@example.com", Status: "A" }]);
      });
      const client = clientFor(server);
      assert.deepEqual(await client.list("/employee"), [
        { Employee: "00001", EMail: "a@example.com", Status: "A" },
      ]);
      assert.equal(client.counters.retries, 1);
      client.close();
    });

    it("an empty 200 reply to a list is not 'no employees': the roster writes nothing", async () => {
      server.reply = vantagepoint((req, res) => {
        if (req.method === "GET") {
          res.writeHead(200, { "Content-Type": "application/json" });
          res.end("   \n");
          return;
        }
        json(res, 201, { Employee: "99999" });
      });
      const client = clientFor(server);
      const e = await failure(applyRoster(client, [PERSON]));
      assert.match(e.message, /The reply was empty, not the JSON expected/);
      assert.deepEqual(
        hubRequests(server).filter((r) => r.method !== "GET"),
        [],
        "a write was planned from an empty reply",
      );
      client.close();
    });
  });

  describe("wrong types", () => {
    it("an employee list that is an object (OData style) is refused", async () => {
      server.reply = vantagepoint((_req, res) =>
        json(res, 200, { value: [{ Employee: "00001" }], "@odata.count": 1 }),
      );
      const client = clientFor(server);
      const e = await failure(client.list("/employee"));
      assert.match(e.message, /Expected a JSON array of records, got object/);
      client.close();
    });

    it("a list whose elements are not records is refused", async () => {
      server.reply = vantagepoint((_req, res) => json(res, 200, ["00001", "00002"]));
      const client = clientFor(server);
      assert.match((await failure(client.list("/employee"))).message, /A list element is not a record/);
      client.close();
    });

    it("an EMail that is a number stops the roster before any write, naming the record and field", async () => {
      server.reply = vantagepoint((req, res) => {
        if (req.path.includes("/employee"))
          return json(res, 200, [{ Employee: "00007", EMail: 42, Status: "A" }]);
        return json(res, 200, []);
      });
      const client = clientFor(server);
      const e = await failure(applyRoster(client, [PERSON]));
      assert.equal(e.kind, "malformed");
      assert.match(
        e.message,
        /Employee "00007" has EMail of type number where text was expected; nothing was written/,
      );
      assert.deepEqual(
        hubRequests(server).filter((r) => r.method !== "GET"),
        [],
      );
      client.close();
    });

    it("a Username that is a number, or an employee without a key, is refused the same way", async () => {
      for (const [hub, record, words] of [
        [
          "/user",
          { Username: 1001, Employee: "", Status: "A" },
          /Record 1 has a number Username where text was expected/,
        ],
        ["/employee", { EMail: "x@example.com" }, /Record 1 has no Employee where text was expected/],
        [
          "/user",
          { Username: "ALEE", Employee: { key: "00001" } },
          /Username "ALEE" has Employee of type object/,
        ],
      ] as const) {
        server.reply = vantagepoint((req, res) => json(res, 200, req.path.includes(hub) ? [record] : []));
        const client = clientFor(server);
        assert.match((await failure(readRosterState(client))).message, words);
        client.close();
      }
    });

    it("a token reply without a text access_token is refused", async () => {
      server.reply = (_req, res) => json(res, 200, { access_token: 12345, expires_in: "soon" });
      const client = clientFor(server);
      const e = await failure(client.list("/employee"));
      assert.match(e.message, /POST \/token failed with 200 The token reply has no access_token/);
      client.close();
    });

    it("one record that is a string is refused", async () => {
      server.reply = vantagepoint((_req, res) => json(res, 200, '"ADMIN"'));
      const client = clientFor(server);
      assert.match(
        (await failure(client.getOne("/security/role", "ADMIN"))).message,
        /Expected a record or a one-element array/,
      );
      client.close();
    });
  });

  describe("huge and endless bodies", () => {
    it(`has a reply size cap by default (${DEFAULT_MAX_RESPONSE_BYTES / 1024 / 1024} MiB) and stops reading a 50 MB body there`, async () => {
      const total = 50 * 1000 * 1000;
      server.reply = vantagepoint((_req, res) => {
        res.writeHead(200, { "Content-Type": "application/json", "Content-Length": String(total) });
        const chunk = Buffer.alloc(256 * 1024, 0x20);
        let sent = 0;
        const pump = () => {
          while (sent < total && !res.destroyed) {
            sent += chunk.length;
            if (!res.write(chunk)) return void res.once("drain", pump);
          }
          res.end();
        };
        res.on("close", () => (sent = total));
        pump();
      });
      const client = clientFor(server, {}); // the default cap, as the providers use it
      const e = await failure(client.list("/employee"));
      assert.equal(e.kind, "too-large");
      assert.match(
        e.message,
        new RegExp(`larger than ${DEFAULT_MAX_RESPONSE_BYTES} bytes; lower connection\\.pageSize`),
      );
      assert.ok(DEFAULT_MAX_RESPONSE_BYTES < total);
      assert.equal(hubRequests(server).length, 1, "a too-large reply is not retried");
      // The client hung up near the cap instead of reading all 50 MB (socket buffers on both ends allow some slack).
      assert.ok(
        server.bytesSent < DEFAULT_MAX_RESPONSE_BYTES + 16 * 1024 * 1024,
        `server sent ${server.bytesSent} bytes`,
      );
      client.close();
    });

    it("a huge error page is capped the same way", async () => {
      server.reply = vantagepoint((_req, res) => {
        res.writeHead(500, { "Content-Type": "text/html" });
        res.end(Buffer.alloc(3 * 1024 * 1024, 0x41));
      });
      const client = clientFor(server, { maxResponseBytes: 1024 * 1024 });
      assert.equal((await failure(client.list("/employee"))).kind, "too-large");
      client.close();
    });

    it("a body that never ends is cut by the request timeout", async () => {
      server.reply = vantagepoint((_req, res) => {
        res.writeHead(200, { "Content-Type": "application/json" });
        res.write("[");
        const drip = setInterval(() => (res.destroyed ? clearInterval(drip) : res.write(" ")), 5);
        res.on("close", () => clearInterval(drip));
      });
      const client = clientFor(server, { timeoutMs: 60, maxRetries: 1 });
      const e = await failure(client.list("/employee"));
      assert.equal(e.kind, "timeout");
      assert.match(e.message, /no reply within 60 ms.*Gave up after 2 attempts/);
      client.close();
    });
  });

  describe("refusals: the hint never contradicts the server's own words", () => {
    const refuse = (status: number, body: unknown) =>
      vantagepoint((_req, res) => {
        const text = JSON.stringify(body);
        res.writeHead(status, {
          "Content-Type": "application/json",
          "Content-Length": Buffer.byteLength(text),
        });
        res.end(text);
      });

    it("a 403 insufficient_scope says the role lacks access to the hub", async () => {
      server.reply = refuse(403, {
        message: "insufficient_scope",
        detail: "The role does not grant this hub.",
      });
      const e = await failure(clientFor(server).list("/employee"));
      assert.match(
        e.message,
        /insufficient_scope.*security role lacks access to this hub: grant it in Settings > Security > Roles/,
      );
    });

    it("a 403 that says the record is read-only is not blamed on the role", async () => {
      server.reply = refuse(403, {
        message: "The record is read-only.",
        detail: "Employee 00042 is locked by payroll.",
      });
      const e = await failure(clientFor(server).update("/employee", "00042", { EMail: "a@example.com" }));
      assert.match(e.message, /read-only.*for the reason it gave above/);
      assert.doesNotMatch(e.message, /role lacks access/);
    });

    it("an OAuth invalid_grant names the user settings; invalid_client names the API Authorization's", async () => {
      server.reply = (req, res) => {
        const text = JSON.stringify(
          req.body.includes("client_secret=") && server.requests.length === 1
            ? { error: "invalid_grant", error_description: "The user name or password is incorrect." }
            : { error: "invalid_client", error_description: "Unknown client." },
        );
        res.writeHead(400, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) });
        res.end(text);
      };
      const grant = await failure(clientFor(server).authenticate());
      assert.match(
        grant.message,
        /invalid_grant.*check connection\.username, connection\.password and connection\.database/,
      );
      const client = await failure(clientFor(server).authenticate());
      assert.match(client.message, /invalid_client.*check connection\.clientId and connection\.clientSecret/);
    });

    it("a refused write is an attempt, not a write the server accepted", async () => {
      server.reply = refuse(400, { message: "The request is invalid.", detail: "Org 99 does not exist." });
      const c = clientFor(server);
      await failure(c.update("/employee", "00042", { Org: "99" }));
      assert.deepEqual([c.counters.writes, c.counters.writeAttempts], [0, 1]);
    });
  });

  describe("redirects", () => {
    let other: RawServer;
    beforeEach(async () => {
      // Another host: same machine, different origin (a different port is a different host for credentials).
      other = await startRawServer((_req, res) => json(res, 200, []), "127.0.0.1");
    });
    afterEach(async () => {
      await other.close();
    });

    /** Nothing that reached the other host carried a credential. */
    function assertOtherHostSawNoCredentials() {
      for (const r of other.requests) {
        assert.equal(r.headers.authorization, undefined, `Authorization sent to ${other.origin}${r.path}`);
        const findings = scan("other host", JSON.stringify(r), CREDENTIALS);
        assert.deepEqual(findings, [], describeFindings(findings, JSON.stringify(r)));
      }
    }

    for (const status of [301, 302, 303, 307, 308]) {
      it(`${status} from a hub to another host is not followed: the other host never sees the token`, async () => {
        server.reply = vantagepoint((req, res) => {
          res.writeHead(status, { Location: `${other.origin}${req.path}?access_token=${ACCESS_TOKEN}` });
          res.end();
        });
        const client = clientFor(server);
        const e = await failure(client.list("/employee"));
        assert.equal(e.kind, "redirect");
        assert.match(e.message, /credentials are never sent to another host/);
        assert.equal(other.requests.length, 0);
        client.close();
      });
    }

    it("a token grant redirected (307) to another host does not re-send the password there", async () => {
      server.reply = (req, res) => {
        res.writeHead(307, { Location: `${other.origin}/vantagepoint/api/token` });
        res.end();
      };
      const client = clientFor(server);
      const e = await failure(client.authenticate());
      assert.equal(e.kind, "redirect");
      assert.equal(other.requests.length, 0);
      assertOtherHostSawNoCredentials();
      client.close();
    });

    it("a write (PUT, 308) redirected to another host is not re-sent", async () => {
      server.reply = vantagepoint((req, res) => {
        res.writeHead(308, { Location: `${other.origin}${req.path}` });
        res.end();
      });
      const client = clientFor(server);
      assert.equal(
        (await failure(client.update("/employee", "00001", { EMail: "a@example.com" }))).kind,
        "redirect",
      );
      assert.equal(other.requests.length, 0);
      client.close();
    });

    it("a redirect to another scheme on the same host and port is refused too", async () => {
      server.reply = vantagepoint((req, res) => {
        res.writeHead(302, { Location: `${server.origin.replace("http:", "https:")}${req.path}` });
        res.end();
      });
      const client = clientFor(server);
      assert.match(
        (await failure(client.list("/employee"))).message,
        /redirected to https:\/\/127\.0\.0\.1:\d+; credentials are never sent to another host/,
      );
      client.close();
    });

    it("a same-origin redirect on a read is followed (bearer to the same host only), at most 3 times", async () => {
      server.reply = vantagepoint((req, res) => {
        if (req.path.startsWith("/vantagepoint/api/employee")) {
          res.writeHead(302, { Location: "/vantagepoint/api/v2/employee" });
          return void res.end();
        }
        return json(res, 200, [{ Employee: "00001" }]);
      });
      const client = clientFor(server);
      assert.deepEqual(await client.get("/employee"), [{ Employee: "00001" }]);
      const followed = server.requests.find((r) => r.path.startsWith("/vantagepoint/api/v2/employee"))!;
      assert.equal(followed.headers.authorization, `Bearer ${ACCESS_TOKEN}`);

      server.reply = vantagepoint((req, res) => {
        res.writeHead(302, { Location: req.path });
        res.end();
      });
      assert.equal((await failure(client.get("/employee"))).kind, "redirect");
      client.close();
    });
  });
});
