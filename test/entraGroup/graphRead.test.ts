/**
 * The Graph reader with exact answers (issue 23), against scripted replies the way a busy Graph and a flaky network
 * behave: 503 and 429 without Retry-After, Retry-After exactly at the limit, a reset connection, an error body
 * spread over lines, a reply that is not JSON, members without an id, a null nextLink; and the token request.
 */
import assert from "node:assert/strict";
import {
  clientCredentialsToken,
  GraphReadError,
  membersUrl,
  readGroupMembers,
  retryAfterMs,
} from "../../lib/entraGroup/graph";

const URL0 = "http://127.0.0.1:9/v1.0";
const page = (value: unknown, next?: unknown) =>
  new Response(JSON.stringify(next === undefined ? { value } : { value, "@odata.nextLink": next }), {
    status: 200,
  });
/** A fetch that answers from a script, one reply per request, recording what was asked. */
function scripted(replies: Array<() => Response | Promise<Response>>) {
  const seen: Array<{ url: string; init: RequestInit | undefined }> = [];
  const fetch = (async (url: string, init?: RequestInit) => {
    seen.push({ url, init });
    const next = replies.shift();
    if (!next) throw new Error("no more replies");
    return next();
  }) as unknown as typeof globalThis.fetch;
  return { fetch, seen };
}
const tail =
  "A partial list would take everyone it missed off the roster, so nothing was planned or written; run again.";
async function failure(replies: Array<() => Response | Promise<Response>>): Promise<string> {
  const { fetch } = scripted(replies);
  const err = await readGroupMembers("g1", {
    url: URL0,
    token: async () => "t",
    fetch,
    sleep: async () => {},
  }).then(
    () => assert.fail("the read must stop"),
    (e: Error) => e,
  );
  assert.ok(err instanceof GraphReadError);
  assert.equal(err.name, "GraphReadError");
  return err.message;
}

describe("Graph reader (scripted replies)", () => {
  it("Retry-After: seconds (with spaces), an HTTP date (past is 0), anything else is unreadable", () => {
    assert.equal(retryAfterMs(" 7 "), 7000);
    assert.equal(retryAfterMs("Thu, 01 Jan 2026 00:00:00 GMT", Date.parse("2026-01-01T00:00:05Z")), 0);
    for (const v of ["", "  ", "x5", "5x", "soon"])
      assert.equal(retryAfterMs(v), undefined, JSON.stringify(v));
  });

  it("the first page's URL: trailing slashes off the root, the group ID encoded, a page of at least 1", () => {
    assert.equal(
      membersUrl("a b/c", { url: `${URL0}//`, transitive: false, pageSize: 0 }),
      `${URL0}/groups/a%20b%2Fc/members?$select=id,userPrincipalName,mail,accountEnabled,userType,givenName,surname,displayName,onPremisesSamAccountName&$top=1`,
    );
  });

  it("sends the bearer token and asks for JSON; counts units by the operation (4 transitive, 2 direct)", async () => {
    const a = scripted([() => page([{ id: "1" }], `${URL0}/next`), () => page([{ id: "2" }])]);
    const read = await readGroupMembers("g1", { url: URL0, token: async () => "tok", fetch: a.fetch });
    assert.deepEqual(a.seen[0]!.init, {
      headers: { authorization: "Bearer tok", accept: "application/json" },
    });
    assert.equal(a.seen[1]!.url, `${URL0}/next`);
    assert.deepEqual(read, {
      members: [{ id: "1" }, { id: "2" }],
      requests: 2,
      pages: 2,
      units: 8,
      waitedMs: 0,
    });
    const b = scripted([() => page([{ id: "1" }])]);
    const direct = await readGroupMembers("g1", {
      url: URL0,
      token: async () => "t",
      fetch: b.fetch,
      transitive: false,
    });
    assert.equal(direct.units, 2);
  });

  it("a 503 and 429s without Retry-After wait 1 s, then 2 s; Retry-After exactly at the limit is honoured", async () => {
    const busy = (status: number, retryAfter?: string) => () =>
      new Response("busy", { status, headers: retryAfter ? { "retry-after": retryAfter } : {} });
    const { fetch } = scripted([busy(503), busy(429), busy(429, "120"), () => page([{ id: "1" }])]);
    const waits: number[] = [];
    const read = await readGroupMembers("g1", {
      url: URL0,
      token: async () => "t",
      fetch,
      sleep: async (ms) => void waits.push(ms),
    });
    assert.deepEqual(waits, [1000, 2000, 120_000]);
    assert.deepEqual([read.requests, read.pages, read.waitedMs], [4, 1, 123_000]);
  });

  it("without a sleep given, a Retry-After of 1 s is really waited out", async () => {
    const { fetch } = scripted([
      () => new Response("busy", { status: 429, headers: { "retry-after": "1" } }),
      () => page([{ id: "1" }]),
    ]);
    const started = Date.now();
    const read = await readGroupMembers("g1", { url: URL0, token: async () => "t", fetch });
    assert.ok(Date.now() - started >= 950, `waited ${Date.now() - started} ms`);
    assert.equal(read.waitedMs, 1000);
  });

  it("a reset connection stops the read with the whole message", async () => {
    assert.equal(
      await failure([
        () => {
          throw new Error("read ECONNRESET");
        },
      ]),
      `Entra ID group g1: Graph did not answer (read ECONNRESET); read 0 members in 0 pages before it stopped. ${tail}`,
    );
  });

  it("an error reply is quoted on one line, at most 300 characters, with the hint for 401 and none for 400", async () => {
    const reply = (status: number, body: string) => () => new Response(body, { status });
    assert.equal(
      await failure([() => page([{ id: "1" }], `${URL0}/p2`), reply(500, "upstream\n\n  timeout")]),
      `Entra ID group g1: Graph answered 500: upstream timeout; read 1 members in 1 pages before it stopped. ${tail}`,
    );
    assert.match(
      await failure([reply(401, "")]),
      /^Entra ID group g1: Graph answered 401 \(the token was refused: check tenant, client ID and secret\); read 0/,
    );
    assert.match(await failure([reply(400, "")]), /^Entra ID group g1: Graph answered 400; read 0/);
    assert.ok(
      (await failure([reply(502, "x".repeat(400))])).includes(`Graph answered 502: ${"x".repeat(300)}; read`),
    );
    const broken = () =>
      ({
        status: 500,
        ok: false,
        headers: new Headers(),
        text: async () => {
          throw new Error("aborted");
        },
      }) as unknown as Response;
    assert.match(await failure([broken]), /^Entra ID group g1: Graph answered 500; read 0/);
  });

  it("a page that is not JSON, a member without an id and a nextLink that is not a URL all stop", async () => {
    assert.match(
      await failure([() => new Response("<html>busy</html>", { status: 200 })]),
      /: a page was not JSON; /,
    );
    for (const member of [null, "id-1", { "@odata.type": "#microsoft.graph.user" }, { id: 5 }])
      assert.match(
        await failure([() => page([member])]),
        /: a member without an id; read 0 members/,
        JSON.stringify(member),
      );
    assert.match(await failure([() => page([{ id: "1" }], null)]), /: @odata\.nextLink was not a URL; /);
    assert.match(await failure([() => page([{ id: "1" }], 2)]), /: @odata\.nextLink was not a URL; /);
  });
});

describe("Graph token (client credentials)", () => {
  it("posts the client-credentials form to the tenant's v2.0 endpoint, once for many requests", async () => {
    const { fetch, seen } = scripted([
      () => new Response(JSON.stringify({ access_token: "at" }), { status: 200 }),
    ]);
    const token = clientCredentialsToken({
      tenantId: "contoso.onmicrosoft.com",
      clientId: "11111111-2222-3333-4444-555555555555",
      clientSecret: "s&cret=1",
      fetch,
    });
    assert.deepEqual([await token(), await token()], ["at", "at"]);
    assert.equal(seen.length, 1);
    assert.equal(seen[0]!.url, "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token");
    assert.deepEqual(seen[0]!.init, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body:
        "grant_type=client_credentials&client_id=11111111-2222-3333-4444-555555555555&client_secret=s%26cret%3D1" +
        "&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default",
    });
  });

  it("a 200 without a token, a 400 with an error code and a reply that is not JSON are refused", async () => {
    const refused = async (reply: () => Response) => {
      const { fetch } = scripted([reply]);
      const token = clientCredentialsToken({
        tenantId: "t",
        clientId: "app",
        clientSecret: "s",
        tokenUrl: URL0,
        fetch,
      });
      return token().then(
        () => assert.fail("no token"),
        (e: Error) => e.message,
      );
    };
    const fix = "check roster.group.graph.clientId, its secret and the tenant";
    assert.equal(
      await refused(() => new Response(JSON.stringify({ token_type: "Bearer" }), { status: 200 })),
      `Entra ID refused a Graph token for client app (200); ${fix}`,
    );
    assert.equal(
      await refused(
        () => new Response(JSON.stringify({ error: "invalid_request", access_token: "x" }), { status: 400 }),
      ),
      `Entra ID refused a Graph token for client app (400 invalid_request); ${fix}`,
    );
    assert.equal(
      await refused(() => new Response("<html>bad gateway</html>", { status: 502 })),
      `Entra ID refused a Graph token for client app (502); ${fix}`,
    );
  });
});
