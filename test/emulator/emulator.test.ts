import assert from "node:assert/strict";
import { startEmulator, Emulator, CONNECT_API_NAME, DEMO_CREDENTIALS, buildSeed } from "../../emulator";
import { parseEmulatorArgs, runEmulatorCli } from "../../emulator/cli";

async function token(emu: Emulator, fields?: Record<string, string>, headers: Record<string, string> = {}) {
  const c = emu.credentials;
  const body = new URLSearchParams(
    fields ?? {
      grant_type: "password",
      username: c.username,
      password: c.password,
      database: c.database,
      client_id: c.clientId,
      client_secret: c.clientSecret,
    },
  );
  const res = await fetch(`${emu.url}/token`, {
    method: "POST",
    body,
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function api(emu: Emulator, method: string, path: string, access: string, body?: unknown) {
  const res = await fetch(`${emu.url}${path}`, {
    method,
    redirect: "manual",
    headers: {
      Authorization: `Bearer ${access}`,
      Accept: "application/json",
      ...(body ? { "Content-Type": "application/json" } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json: json as any, headers: res.headers }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

describe("Vantagepoint API emulator", () => {
  let emu: Emulator;
  let access: string;
  before(async () => {
    emu = await startEmulator({});
  });
  after(async () => {
    await emu.stop();
  });
  beforeEach(async () => {
    emu.reset();
    access = String((await token(emu)).body.access_token);
  });

  it("listens on 127.0.0.1 with a random port under /vantagepoint/api", () => {
    assert.match(emu.url, /^http:\/\/127\.0\.0\.1:\d+\/vantagepoint\/api$/);
  });

  it("hands out its connection: the API root, database and the demo credentials", () => {
    const c = emu.credentials;
    assert.deepEqual(emu.connection(), {
      url: emu.url,
      database: c.database,
      username: c.username,
      password: c.password,
      clientId: c.clientId,
      clientSecret: c.clientSecret,
    });
  });

  describe("token", () => {
    it("accepts either spelling of the form keys and answers OAuth-style", async () => {
      const c = emu.credentials;
      const caps = await token(emu, {
        grant_type: "password",
        Username: c.username,
        Password: c.password,
        Integrated: "N",
        database: c.database,
        Client_Id: c.clientId,
        client_secret: c.clientSecret,
      });
      assert.equal(caps.status, 200);
      assert.deepEqual(Object.keys(caps.body).sort(), [
        "access_token",
        "expires_in",
        "refresh_token",
        "token_type",
      ]);
      assert.equal(caps.body.token_type, "bearer");
      assert.equal(caps.body.expires_in, 1799);
      const bad = await token(emu, {
        grant_type: "password",
        username: c.username,
        password: "nope",
        database: c.database,
        client_id: c.clientId,
        client_secret: c.clientSecret,
      });
      assert.equal(bad.status, 400);
      assert.deepEqual(bad.body, {
        error: "invalid_grant",
        error_description: "The user name or password is incorrect.",
      });
    });

    it("issues tokens that expire, and refreshes with the refresh grant (one use)", async () => {
      const short = await startEmulator({ tokenExpiresIn: 0 });
      try {
        const t = await token(short);
        assert.equal((await api(short, "GET", "/employee/00001", String(t.body.access_token))).status, 401);
        const c = short.credentials;
        const fields = {
          grant_type: "refresh_token",
          refresh_token: String(t.body.refresh_token),
          database: c.database,
          client_id: c.clientId,
          client_secret: c.clientSecret,
        };
        assert.equal((await token(short, fields)).status, 200);
        assert.equal((await token(short, fields)).status, 400);
      } finally {
        await short.stop();
      }
    });

    it("records an Authorization header on the token request as a leak", async () => {
      await token(emu, undefined, { Authorization: "Bearer x" });
      assert.equal(emu.leaks.length, 1);
      assert.match(emu.leaks[0].reason, /Authorization header on the token request/);
    });
  });

  describe("hubs", () => {
    it("requires a bearer token", async () => {
      const r = await api(emu, "GET", "/employee", "wrong");
      assert.equal(r.status, 401);
      assert.deepEqual(r.json, { message: "Authorization has been denied for this request." });
    });

    it("returns one record as a one-element array and [] when not found", async () => {
      const one = await api(emu, "GET", "/employee/00001", access);
      assert.equal(one.json.length, 1);
      assert.equal(one.json[0].Employee, "00001");
      assert.deepEqual((await api(emu, "GET", "/employee/NOPE", access)).json, []);
    });

    it("pages with page/pageSize and limit/offset, trims with fieldFilter, filters with filterHash", async () => {
      const p2 = await api(emu, "GET", "/employee?page=2&pageSize=100&fieldFilter=Employee,EMail", access);
      assert.equal(p2.json.length, 100);
      assert.equal(p2.json[0].Employee, "00101");
      assert.deepEqual(Object.keys(p2.json[0]).sort(), ["EMail", "Employee"]);
      const lo = await api(emu, "GET", "/employee?limit=10&offset=295", access);
      assert.equal(lo.json.length, 5);
      const like = await api(
        emu,
        "GET",
        `/employee?filterHash[0][name]=EMail&filterHash[0][value]=${encodeURIComponent("anna.%")}&filterHash[0][opp]=like`,
        access,
      );
      assert.ok(like.json.length > 0);
      assert.ok(like.json.every((e: { EMail: string }) => e.EMail.startsWith("anna.")));
      const eq = await api(
        emu,
        "GET",
        `/user?filterHash[0][name]=Status&filterHash[0][value]=I&filterHash[0][opp]=${encodeURIComponent("==")}`,
        access,
      );
      assert.ok(eq.json.length > 0 && eq.json.every((u: { Status: string }) => u.Status === "I"));
    });

    it("creates with POST and updates partially with PUT, with PascalCase fields and Y/N values", async () => {
      const created = await api(emu, "POST", "/employee", access, {
        Employee: "00301",
        FirstName: "New",
        LastName: "Hire",
        EMail: "new.hire@example.com",
      });
      assert.equal(created.status, 201);
      assert.equal(created.headers.get("location"), `${emu.url}/employee/00301`);
      assert.equal(created.json.Employee, "00301");
      assert.equal(created.json.Status, "A");
      const put = await api(emu, "PUT", "/employee/00301", access, { Title: "Engineer" });
      assert.equal(put.json.EMail, "new.hire@example.com");
      assert.equal(put.json.Title, "Engineer");
      const role = await api(emu, "PUT", "/security/role/PM", access, { Connect: "maybe" });
      assert.equal(role.status, 400);
      assert.deepEqual(role.json, {
        message: "The request is invalid.",
        detail: "Connect must be Y or N.",
      });
      const user = await api(emu, "POST", "/user", access, {
        Username: "NEWHIRE",
        Employee: "00301",
        Role: "DEFAULT",
      });
      assert.equal(user.json.EmployeeName, "New Hire");
      assert.equal(emu.counters.writes, 4);
      assert.equal(
        emu.counters.writesAccepted,
        3,
        "the refused role write is an attempt, not an accepted write",
      );
      assert.equal(emu.counters.byRoute["PUT /employee/{key}"], 1);
    });

    it("never returns API authorization secrets in lists or reads, only once on create", async () => {
      const list = await api(emu, "GET", "/apiauthorization", access);
      assert.ok(list.json.length >= 4);
      assert.ok(list.json.every((a: Record<string, unknown>) => !("ClientSecret" in a)));
      assert.ok(!list.text.includes("kept-by-server"));
      const created = await api(emu, "POST", "/apiauthorization", access, {
        Name: "Test",
        AllowPasswordGrant: "Y",
      });
      assert.ok(created.json.ClientSecret);
      const again = await api(emu, "GET", `/apiauthorization/${created.json.ClientId}`, access);
      assert.equal(again.json[0].ClientSecret, undefined);
    });

    it("can switch roles and API authorizations off (404) and serve HTML errors", async () => {
      const off = await startEmulator({
        disable: { roles: true, apiAuthorizations: true },
        htmlErrors: true,
      });
      try {
        const t = String((await token(off)).body.access_token);
        const r = await api(off, "GET", "/security/role/ADMIN", t);
        assert.equal(r.status, 404);
        assert.match(r.text, /<html>/);
        assert.equal((await api(off, "GET", "/apiauthorization", t)).status, 404);
        assert.equal((await api(off, "GET", "/employee/00001", t)).status, 200);
      } finally {
        await off.stop();
      }
    });
  });

  describe("strict profile (the default) as Deltek documents the API", () => {
    it("refuses an employee create without its key, and names the field", async () => {
      const r = await api(emu, "POST", "/employee", access, {
        FirstName: "No",
        LastName: "Key",
        EMail: "n@example.com",
      });
      assert.equal(r.status, 400);
      assert.deepEqual(r.json, { message: "The request is invalid.", detail: "Employee is required." });
      assert.equal(emu.counters.writesAccepted, 0);
    });

    it("numbers employees when the site does, answering 201 with Location (also when the reply has no body)", async () => {
      const numbering = await startEmulator({ employeeKeys: "server", writeReply: "204" });
      try {
        const t = String((await token(numbering)).body.access_token);
        const r = await api(numbering, "POST", "/employee", t, {
          FirstName: "S",
          LastName: "N",
          EMail: "s@example.com",
        });
        assert.equal(r.status, 204);
        assert.equal(r.headers.get("location"), `${numbering.url}/employee/00301`);
      } finally {
        await numbering.stop();
      }
    });

    it("requires the employee fields the site requires", async () => {
      const fussy = await startEmulator({ requiredEmployeeFields: ["Org", "HireDate"] });
      try {
        const t = String((await token(fussy)).body.access_token);
        const r = await api(fussy, "POST", "/employee", t, {
          Employee: "X1",
          FirstName: "A",
          LastName: "B",
          Org: "01",
        });
        assert.equal(r.status, 400);
        assert.equal(r.json.detail, "HireDate is required.");
      } finally {
        await fussy.stop();
      }
    });

    it("takes filterHash operators as symbols and refuses the words; lenient takes both", async () => {
      const q = (opp: string) =>
        `/user?filterHash[0][name]=Status&filterHash[0][value]=I&filterHash[0][opp]=${encodeURIComponent(opp)}`;
      assert.equal((await api(emu, "GET", q("=="), access)).status, 200);
      const word = await api(emu, "GET", q("eq"), access);
      assert.equal(word.status, 400);
      assert.match(word.json.detail, /filterHash\[0\]\[opp\] "eq" is not an operator; use ==/);
      const lenient = await startEmulator({ profile: "lenient" });
      try {
        const t = String((await token(lenient)).body.access_token);
        assert.equal((await api(lenient, "GET", q("eq"), t)).status, 200);
        const keyless = await api(lenient, "POST", "/employee", t, { FirstName: "L", LastName: "N" });
        assert.equal(keyless.status, 201);
        assert.equal(keyless.headers.get("location"), null);
      } finally {
        await lenient.stop();
      }
    });

    it("orders as Deltek documents it (Column, Column_D) and refuses 'Column desc'", async () => {
      const desc = await api(
        emu,
        "GET",
        "/employee?order=Employee_D&pageSize=2&fieldFilter=Employee",
        access,
      );
      assert.deepEqual(desc.json, [{ Employee: "00300" }, { Employee: "00299" }]);
      assert.equal((await api(emu, "GET", "/employee?order=Employee%20desc", access)).status, 400);
    });

    it("keeps role types as a set: a PUT of one type replaces them all, unknown fields are refused", async () => {
      assert.equal(emu.state.roles.get("pm")!.Type, "Accounting,CRM");
      const stale = await api(emu, "PUT", "/security/role/PM", access, { ConnectAdministration: "Y" });
      assert.equal(stale.status, 400, "7.0 names the permission Connect");
      assert.match(stale.json.detail, /ConnectAdministration does not exist/);
      assert.equal((await api(emu, "PUT", "/security/role/PM", access, { Type: "Standard" })).status, 400);
      await api(emu, "PUT", "/security/role/PM", access, { Type: "Administrator" });
      assert.equal(
        emu.state.roles.get("pm")!.Type,
        "Administrator",
        "the trap a single-type write falls into",
      );
    });

    it("before 5.0 has no list of API authorizations (404), and from 5.0 it has", async () => {
      const old = await startEmulator({ version: "3.5" });
      try {
        const t = String((await token(old)).body.access_token);
        assert.equal((await api(old, "GET", "/apiauthorization", t)).status, 404);
        assert.equal(old.state.roles.get("admin")!.ConnectAdministration, "Y");
      } finally {
        await old.stop();
      }
      assert.equal((await api(emu, "GET", "/apiauthorization", access)).status, 200);
    });

    it("serves LoginConfig for the database, read-only", async () => {
      const all = await api(emu, "GET", "/LoginConfig", "");
      assert.equal(all.status, 200);
      assert.equal(all.json.WAADEnabled, "Y");
      const mine = await api(emu, "GET", `/LoginConfig/${emu.credentials.database}`, access);
      assert.equal(mine.json.WAADSettings.WAADTenant, "7d3c2b1a-4e5f-4a6b-8c9d-0e1f2a3b4c5d");
      assert.equal((await api(emu, "GET", "/LoginConfig/OTHER_DB", access)).status, 404);
      assert.equal((await api(emu, "PUT", "/LoginConfig", access, { WAADEnabled: "N" })).status, 405);
    });
  });

  describe("faults", () => {
    it("fires on the nth matching call for count calls", async () => {
      emu.faults.add({ kind: "429", method: "GET", path: "/user", nth: 2, count: 2, retryAfter: 3 });
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await api(emu, "GET", "/user?pageSize=1", access)).status);
      assert.deepEqual(statuses, [200, 429, 429, 200, 200]);
      await api(emu, "GET", "/employee?pageSize=1", access);
      assert.equal(emu.counters.byRoute["GET /user"], 5);
    });

    it("sends Retry-After, HTML pages, malformed and truncated JSON, wrong types", async () => {
      emu.faults.add({ kind: "429", path: "/employee", retryAfter: 9 });
      const r429 = await api(emu, "GET", "/employee", access);
      assert.equal(r429.headers.get("retry-after"), "9");
      emu.faults.add({ kind: "html", path: "/employee" });
      assert.match((await api(emu, "GET", "/employee", access)).text, /<title>502/);
      emu.faults.add({ kind: "malformed", path: "/employee" });
      assert.equal((await api(emu, "GET", "/employee", access)).json, undefined);
      emu.faults.add({ kind: "truncated", path: "/employee" });
      const cut = await api(emu, "GET", "/employee?pageSize=3", access);
      assert.equal(cut.json, undefined);
      assert.ok(cut.text.startsWith('[{"Employee":"00001"'));
      emu.faults.add({ kind: "wrongType", path: "/employee" });
      assert.equal((await api(emu, "GET", "/employee", access)).json, "OK");
    });

    it("resets connections, lands writes before failing when asked, and expires tokens mid-run", async () => {
      emu.faults.add({ kind: "reset", method: "POST", path: "/employee", afterHandling: true });
      await assert.rejects(
        api(emu, "POST", "/employee", access, {
          Employee: "R1",
          FirstName: "R",
          LastName: "S",
          EMail: "reset@example.com",
        }),
      );
      assert.ok([...emu.state.employees.values()].some((e) => e.EMail === "reset@example.com"));
      emu.faults.add({ kind: "expireToken", path: "/user" });
      assert.equal((await api(emu, "GET", "/user", access)).status, 401);
    });

    it("redirects to another host, which records credentials that follow", async () => {
      emu.faults.add({ kind: "redirect", path: "/employee" });
      const r = await api(emu, "GET", "/employee", access);
      assert.equal(r.status, 302);
      const location = r.headers.get("location")!;
      assert.ok(location.startsWith(emu.otherHostUrl));
      await fetch(location, { headers: { Authorization: `Bearer ${access}` } });
      assert.equal(emu.leaks.length, 1);
      assert.equal(emu.leaks[0].host, "other-host");
    });

    it("serves a huge body", async () => {
      emu.faults.add({ kind: "huge", path: "/employee", hugeBytes: 2 * 1024 * 1024 });
      const r = await api(emu, "GET", "/employee", access);
      assert.equal(r.text.length, 2 * 1024 * 1024);
    });

    it("restarts: state back to seed, tokens revoked", async () => {
      await api(emu, "PUT", "/employee/00001", access, { EMail: "changed@example.com" });
      emu.restart();
      const t = String((await token(emu)).body.access_token);
      assert.equal((await api(emu, "GET", "/employee/00001", access)).status, 401);
      assert.notEqual((await api(emu, "GET", "/employee/00001", t)).json[0].EMail, "changed@example.com");
    });
  });

  describe("seed", () => {
    it("is realistic: missing emails, inactive and terminated employees, unlinked users, ADMIN, other integrations", () => {
      const d = buildSeed();
      const emps = [...d.employees.values()];
      assert.equal(emps.length, 300);
      assert.ok(emps.filter((e) => !e.EMail).length >= 5);
      assert.ok(emps.filter((e) => e.Status === "I").length >= 3);
      assert.ok(emps.filter((e) => e.Status === "T").length >= 3);
      assert.ok([...d.users.values()].filter((u) => !u.Employee).length >= 3);
      assert.equal(d.roles.get("admin")!.Connect, "Y", "from 7.0 the permission is named Connect");
      assert.equal(buildSeed({ version: "6.0" }).roles.get("admin")!.ConnectAdministration, "Y");
      const names = [...d.apiAuthorizations.values()].map((a) => a.Name);
      for (const n of ["Deltek Touch", "Power BI Connector", CONNECT_API_NAME]) assert.ok(names.includes(n));
      assert.ok(
        ![...buildSeed({ connectApiAuthorization: false }).apiAuthorizations.values()].some(
          (a) => a.Name === CONNECT_API_NAME,
        ),
      );
    });

    it("seeds broken states for doctor tests", async () => {
      const touched = emu.seedBroken([
        "roleWithoutConnectAdmin",
        "usersWithoutEmployee",
        "duplicateEmails",
        "terminatedEmployees",
        "connectApiAuthEdited",
      ]);
      assert.equal(emu.state.roles.get("admin")!.Connect, "N");
      assert.equal(
        emu.state.roles.get("admin")!.Type,
        "Accounting,CRM",
        "types other than Administrator kept",
      );
      assert.equal(touched.usersWithoutEmployee.length, 3);
      for (const u of touched.usersWithoutEmployee)
        assert.equal(emu.state.users.get(u.toLowerCase())!.Employee, "");
      const [a, b] = touched.duplicateEmails;
      assert.equal(
        String(emu.state.employees.get(a)!.EMail).toLowerCase(),
        String(emu.state.employees.get(b)!.EMail).toLowerCase(),
      );
      for (const k of touched.terminatedEmployees) assert.equal(emu.state.employees.get(k)!.Status, "T");
      const broken = await startEmulator({ broken: ["connectApiAuthMissing"] });
      try {
        assert.ok(![...broken.state.apiAuthorizations.values()].some((x) => x.Name === CONNECT_API_NAME));
        broken.reset();
        assert.ok(
          ![...broken.state.apiAuthorizations.values()].some((x) => x.Name === CONNECT_API_NAME),
          "broken states survive reset",
        );
      } finally {
        await broken.stop();
      }
    });
  });

  describe("CLI", () => {
    it("parses flags and rejects unknown ones", () => {
      const { options } = parseEmulatorArgs([
        "--port",
        "0",
        "--latency",
        "5",
        "--no-roles",
        "--broken",
        "duplicateEmails,connectApiAuthMissing",
      ]);
      assert.equal(options.latencyMs, 5);
      assert.deepEqual(options.disable, { roles: true });
      assert.deepEqual(options.broken, ["duplicateEmails", "connectApiAuthMissing"]);
      assert.throws(() => parseEmulatorArgs(["--bogus"]), /Unknown option --bogus/);
      assert.throws(() => parseEmulatorArgs(["--latency", "x"]), /--latency needs a number/);
    });

    it("starts the emulator and prints the URL and demo credentials", async () => {
      const lines: string[] = [];
      const started = await runEmulatorCli(["--employees", "10"], (l) => lines.push(l), false);
      try {
        assert.ok(started);
        assert.match(lines[0], /listening at http:\/\/127\.0\.0\.1:\d+\/vantagepoint\/api/);
        assert.ok(lines.some((l) => l.includes(DEMO_CREDENTIALS.password)));
        assert.equal(started!.state.employees.size, 10);
      } finally {
        await started?.stop();
      }
    });
  });
});
