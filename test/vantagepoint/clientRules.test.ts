/**
 * The client's pure rules with exact answers (issue 23: what the mutation run of lib/vantagepoint/client.ts found
 * unpinned): the API root a person may give, the connection settings' bounds, the key a Location header names, the
 * hints for a refused token or a 403, the filter operators, and the site key of the lock.
 */
import assert from "node:assert/strict";
import {
  FILTER_SYMBOLS,
  VantagepointClient,
  forbiddenHint,
  isLoopbackHost,
  keyFromLocation,
  orderParam,
  parseApiRoot,
  refreshMargin,
  tokenHint,
} from "../../lib/vantagepoint/client";
import { VantagepointError } from "../../lib/vantagepoint";
import type { VantagepointConnection } from "../../lib/vantagepoint";

const connection = (extra: Partial<VantagepointConnection> = {}): VantagepointConnection => ({
  url: "https://vp.example.com/vantagepoint/api",
  database: "VP_Prod",
  username: "u",
  password: "pw-1",
  clientId: "c",
  clientSecret: "secret-2",
  ...extra,
});

/** The config error `fn` throws: [path, message]. */
function configError(fn: () => unknown): [string, string] {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof VantagepointError, String(e));
    assert.deepEqual([e.method, e.kind], ["CONFIG", "config"]);
    return [e.path, e.message];
  }
  assert.fail("expected a config error");
}

describe("client rules (exact answers)", () => {
  it("filter operators and sort order as Deltek writes them", () => {
    assert.deepEqual(FILTER_SYMBOLS, {
      eq: "==",
      ne: "!=",
      gt: ">",
      lt: "<",
      ge: ">=",
      le: "<=",
      like: "like",
      in: "in",
    });
    assert.equal(orderParam({ field: "Employee", descending: true }), "Employee_D");
    assert.equal(orderParam({ field: "Employee" }), "Employee");
  });

  it("loopback: 127.0.0.0/8 written out, localhost and ::1; not a name that starts or ends like one", () => {
    for (const h of [
      "127.0.0.1",
      "127.10.0.1",
      "127.0.10.1",
      "127.0.0.10",
      "127.255.255.254",
      "LOCALHOST",
      "::1",
      "[::1]",
    ]) {
      assert.equal(isLoopbackHost(h), true, h);
    }
    for (const h of [
      "127.0.0.1.nip.io",
      "1127.0.0.1",
      "10.127.0.0.1",
      "127.0.0.1000",
      "128.0.0.1",
      "localhost.example.com",
    ]) {
      assert.equal(isLoopbackHost(h), false, h);
    }
  });

  it("the API root: https, or http on loopback; anything else refused with a fix", () => {
    assert.equal(parseApiRoot("https://vp.example.com/api").href, "https://vp.example.com/api");
    assert.equal(parseApiRoot("http://127.0.0.1:8080/api").host, "127.0.0.1:8080");
    assert.deepEqual(
      configError(() => parseApiRoot("vp.example.com/api")),
      [
        "connection.url",
        "connection.url is not a URL; use the API root, for example https://vp.example.com/vantagepoint/api.",
      ],
    );
    const noCredentials =
      "connection.url must not carry a user name or password; use connection.username and connection.password.";
    assert.deepEqual(
      configError(() => parseApiRoot("https://admin@vp.example.com/api")),
      ["connection.url", noCredentials],
    );
    assert.deepEqual(
      configError(() => parseApiRoot("https://:pw@vp.example.com/api")),
      ["connection.url", noCredentials],
    );
    assert.deepEqual(
      configError(() => parseApiRoot("http://vp.example.com/api")),
      [
        "connection.url",
        "connection.url must use https:// (http:// is allowed only for loopback addresses such as 127.0.0.1); got http://vp.example.com.",
      ],
    );
    assert.match(configError(() => parseApiRoot("ftp://127.0.0.1/api"))[1], /; got ftp:\/\/127\.0\.0\.1\.$/);
  });

  it("page size from 1 to 10000 and read lag from 0 to 10 minutes, whole numbers; anything else refused", () => {
    for (const pageSize of [1, 10000]) new VantagepointClient(connection({ pageSize })).close();
    for (const readLagMs of [0, 600000]) new VantagepointClient(connection({ readLagMs })).close();
    for (const pageSize of [0, 10001, 2.5, -1]) {
      assert.deepEqual(
        configError(() => new VantagepointClient(connection({ pageSize }))),
        [
          "connection.pageSize",
          `connection.pageSize must be a whole number from 1 to 10000; got ${pageSize}.`,
        ],
      );
    }
    for (const readLagMs of [-1, 600001, 1.5]) {
      assert.deepEqual(
        configError(() => new VantagepointClient(connection({ readLagMs }))),
        [
          "connection.readLagMs",
          `connection.readLagMs must be a whole number of milliseconds from 0 to 600000; got ${readLagMs}.`,
        ],
      );
    }
  });

  it("the site key: origin, API path without trailing slashes and database, compared without case", () => {
    const client = new VantagepointClient(
      connection({ url: "https://VP.example.com/VantagePoint/API//", database: "VP_Prod" }),
    );
    assert.equal(client.site, "https://vp.example.com/vantagepoint/api|vp_prod");
    client.close();
  });

  it("custom hub paths replace the defaults they name and keep the rest", () => {
    const client = new VantagepointClient(connection({ paths: { employees: "/hub/emp" } }));
    assert.equal(client.paths.employees, "/hub/emp");
    assert.equal(client.paths.users, new VantagepointClient(connection()).paths.users);
    client.close();
  });

  it("secrets never shown: the password and client secret, not an empty one", () => {
    const client = new VantagepointClient(connection({ clientSecret: "" }));
    assert.deepEqual(client.knownSecrets, ["pw-1"]);
    client.close();
  });

  it("refresh margin: the configured one, at most a quarter of the token's life, never negative", () => {
    assert.deepEqual(
      [refreshMargin(60000, 3600000), refreshMargin(60000, 120000), refreshMargin(-5, 1000)],
      [60000, 30000, 0],
    );
  });

  it("the key a Location header names: the last segment under the hub, decoded; nothing else", () => {
    assert.equal(keyFromLocation("https://vp.example.com/api/employee/E%201", "/employee"), "E 1");
    assert.equal(keyFromLocation("/api/Employee/E1", "/employee//"), "E1");
    assert.equal(keyFromLocation("/employee/E1", "/employee"), "E1");
    assert.equal(keyFromLocation("employee/E2", "/employee"), "E2");
    assert.equal(keyFromLocation(undefined, "/employee"), undefined);
    assert.equal(keyFromLocation("", "/employee"), undefined);
    assert.equal(keyFromLocation("/api/employee/", "/employee"), undefined);
    assert.equal(keyFromLocation("/api/employee/E1/photo", "/employee"), undefined);
    assert.equal(keyFromLocation("/api/user/E1", "/employee"), undefined);
    assert.equal(keyFromLocation("/api/employee/%E0%A4%A", "/employee"), undefined);
    assert.equal(keyFromLocation("http://[bad/api/employee/E1", "/employee"), undefined);
  });

  it("token hints by the OAuth error code, any case; an unknown one gets the whole list with the status", () => {
    assert.match(tokenHint(400, '{"error":"INVALID_GRANT"}'), /^The user credentials were refused: /);
    assert.match(tokenHint(400, '{"error":"invalid_client"}'), /^The API Authorization was refused: /);
    assert.match(tokenHint(401, '{"error":"unauthorized_client"}'), /^The API Authorization was refused: /);
    assert.equal(
      tokenHint(400, '{"error":"unsupported_grant_type"}'),
      'The password grant is not allowed: tick "Allow Password Grant Type" on the API Authorization (connection.clientId) in Utilities > Integrations.',
    );
    const all =
      ": check connection.username, password, database, clientId and clientSecret, and that the API Authorization allows the password grant.";
    assert.equal(tokenHint(500, '{"error":"server_error"}'), `The token grant failed (500)${all}`);
    assert.equal(tokenHint(0, "<html>down</html>"), `The token grant failed${all}`);
    assert.equal(tokenHint(400, "null"), `The token grant failed (400)${all}`);
  });

  it("a 403's hint: the role when the server says so (or nothing), its own reason otherwise", () => {
    const role =
      "The API user's security role lacks access to this hub: grant it in Settings > Security > Roles.";
    const own = "The server refused this request for the reason it gave above.";
    const cases: Array<[string | undefined, string]> = [
      [undefined, role],
      ["", role],
      ["(empty reply body)", role],
      ["Access denied", role],
      ["Access is denied.", role],
      ["User is not authorized for this hub", role],
      ["Not authorised", role],
      ["insufficient_scope", role],
      ["The record is read-only", own],
      ["The record is readonly", own],
      ["Permission denied: the period is locked", own],
      ["Timesheet already submitted", own],
    ];
    assert.deepEqual(
      cases.map(([words]) => forbiddenHint(words)),
      cases.map(([, hint]) => hint),
    );
  });
});
