/** The doctor's pure checks: no server, every rule and status. */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import {
  allCouldNotCheck,
  checkAdminRole,
  checkApiClient,
  checkConfigurer,
  checkConnectUsers,
  checkLoginConfig,
  connectUsersOf,
  doctorExitCode,
  indexPeople,
  personFindings,
} from "../../lib/doctor";
import { fingerprintApiAuthorization } from "../../lib/vantagepoint/apiClient";
import type { ApiAuthorizationRecord, EmployeeRecord, UserRecord } from "../../lib/vantagepoint/types";

const employees: EmployeeRecord[] = [
  { Employee: "001", FirstName: "Pat", LastName: "Jones", EMail: "pat.jones@example.com", Status: "A" },
  { Employee: "002", FirstName: "Ana", LastName: "Lee", EMail: "ana.lee@example.com", Status: "A" },
  { Employee: "003", FirstName: "Ben", LastName: "Kim", EMail: "", Status: "A" },
  { Employee: "004", FirstName: "Cy", LastName: "Ng", EMail: "cy.ng@", Status: "A" },
  { Employee: "005", FirstName: "Di", LastName: "Ro", EMail: "di.ro@example.com", Status: "T" },
  { Employee: "006", FirstName: "Ed", LastName: "Su", EMail: "ed.su@example.com", Status: "I" },
  { Employee: "007", FirstName: "Fe", LastName: "Xu", EMail: "ANA.LEE@example.com", Status: "A" },
  { Employee: "008", FirstName: "Go", LastName: "Yi", EMail: "same@example.com", Status: "A" },
  { Employee: "009", FirstName: "Ha", LastName: "Zo", EMail: "same@example.com", Status: "A" },
];
const users: UserRecord[] = [
  { Username: "PJONES", Employee: "001", Status: "A", Role: "ADMIN" },
  { Username: "ALEE", Employee: "002", Status: "A", Role: "DEFAULT" },
  { Username: "BKIM", Employee: "003", Status: "A", Role: "DEFAULT" },
  { Username: "CNG", Employee: "004", Status: "A", Role: "DEFAULT" },
  { Username: "DRO", Employee: "005", Status: "A", Role: "DEFAULT" },
  { Username: "ESU", Employee: "006", Status: "A", Role: "DEFAULT" },
  { Username: "SVC", Employee: "", Status: "A", Role: "DEFAULT" },
  { Username: "GONE", Employee: "999", Status: "A", Role: "DEFAULT" },
  { Username: "OLD", Employee: "002", Status: "I", Role: "DEFAULT" },
  { Username: "API", Employee: "", Status: "A", Role: "ADMIN" },
];
const index = indexPeople(users, employees);
const kinds = (userId: string, employee?: string) =>
  personFindings(index, { userId, ...(employee ? { employee } : {}) }, "Connect user").map((f) => f.kind);

describe("doctor checks (pure)", () => {
  describe("personFindings", () => {
    it("a linked, active person with a valid email has no findings", () => {
      assert.deepEqual(kinds("pjones"), []);
    });
    it("names each way a person breaks, located at the record", () => {
      assert.deepEqual(kinds("NOBODY"), ["user-missing"]);
      assert.deepEqual(kinds("SVC"), ["user-without-employee"]);
      assert.deepEqual(kinds("BKIM"), ["employee-without-email"]);
      assert.deepEqual(kinds("CNG"), ["employee-invalid-email"]);
      assert.deepEqual(kinds("DRO"), ["employee-terminated"]);
      assert.deepEqual(kinds("ESU"), ["employee-inactive"]);
      assert.deepEqual(kinds("GONE"), ["employee-missing"]);
      assert.deepEqual(kinds("OLD"), ["user-inactive"]);
      assert.deepEqual(kinds("ALEE", "001"), ["wrong-employee"]);
      const f = personFindings(index, { userId: "DRO" }, "Connect user")[0]!;
      assert.equal(f.location, "vantagepoint:employee:005");
      assert.match(f.message, /terminated while user DRO is a Connect user/);
      assert.equal(personFindings(index, { userId: "SVC" }, "x")[0]!.location, "vantagepoint:user:SVC");
    });
  });

  describe("P3 checkAdminRole", () => {
    const ok = { connectAdministration: true, roleType: "Administrator", available: true, exists: true };
    it("ok when every role grants Connect Administration and is of type Administrator", () => {
      const c = checkAdminRole([{ role: "ADMIN", because: "x", state: ok }], true);
      assert.equal(c.status, "ok");
      assert.equal(c.policy, "doctor-p3-connect-admin-role");
    });
    it("broken without Connect Administration, and for a Standard role on 7.0+ only", () => {
      const state = { ...ok, connectAdministration: false, roleType: "Standard" };
      const c = checkAdminRole([{ role: "PM", because: "x", state }], true);
      assert.equal(c.status, "broken");
      assert.deepEqual(
        c.findings.map((f) => f.kind),
        ["role-without-connect-administration", "role-not-administrator-type"],
      );
      assert.match(c.findings[0]!.message, /Settings > Security > Roles/);
      const before7 = checkAdminRole(
        [{ role: "PM", because: "x", state: { ...ok, roleType: "Standard" } }],
        false,
      );
      assert.equal(before7.status, "ok");
    });
    it("broken for a role that does not exist; could-not-check when the endpoint is absent or no role is named", () => {
      const missing = checkAdminRole([{ role: "NOPE", because: "x", state: { ...ok, exists: false } }], true);
      assert.deepEqual(
        missing.findings.map((f) => f.kind),
        ["role-missing"],
      );
      const absent = checkAdminRole(
        [{ role: "ADMIN", because: "x", problem: "not available; do it by hand" }],
        true,
      );
      assert.equal(absent.status, "could-not-check");
      assert.match(absent.reason, /do it by hand/);
      assert.equal(checkAdminRole([], true, "no role to check").status, "could-not-check");
    });
  });

  describe("P4 checkConfigurer", () => {
    it("ok, broken or could-not-check", () => {
      assert.equal(checkConfigurer({ index }, { userId: "PJONES" }).status, "ok");
      const broken = checkConfigurer({ index }, { userId: "BKIM" });
      assert.equal(broken.status, "broken");
      assert.equal(broken.findings[0]!.kind, "employee-without-email");
      assert.match(checkConfigurer({ index }, undefined).reason, /--configurer/);
      const unread = checkConfigurer({ problem: "users endpoint gone" }, { userId: "PJONES" });
      assert.equal(unread.status, "could-not-check");
      assert.equal(unread.reason, "users endpoint gone");
    });
  });

  describe("P5 checkConnectUsers", () => {
    it("without a roster: every active user except the API user and the configurer", () => {
      const who = connectUsersOf(index, { apiUser: "api", configurer: { userId: "PJONES" } }).map(
        (p) => p.userId,
      );
      assert.ok(!who.includes("API") && !who.includes("PJONES") && !who.includes("OLD"));
      assert.ok(who.includes("SVC") && who.includes("BKIM"));
    });
    it("with a roster: only the roster, and duplicates only when a Connect user's employee shares the email", () => {
      const c = checkConnectUsers({ index }, { roster: [{ userId: "ALEE" }], apiUser: "API" });
      assert.equal(c.status, "broken");
      assert.deepEqual(
        c.findings.map((f) => f.kind),
        ["duplicate-email"],
      );
      assert.match(c.findings[0]!.message, /002, 007/);
      assert.equal(c.findings[0]!.location, "vantagepoint:employee:002");
      // 008 and 009 share an address but neither belongs to a Connect user.
      assert.equal(
        checkConnectUsers({ index }, { roster: [{ userId: "PJONES" }], apiUser: "API" }).status,
        "ok",
      );
    });
    it("a roster user missing from Vantagepoint is broken", () => {
      const c = checkConnectUsers({ index }, { roster: [{ userId: "GHOST" }], apiUser: "API" });
      assert.deepEqual(
        c.findings.map((f) => f.kind),
        ["user-missing"],
      );
    });
  });

  describe("P6 checkApiClient", () => {
    const rec: ApiAuthorizationRecord = {
      ClientId: "c1",
      Name: "Vantagepoint Connect",
      CallbackUrl: "https://x/cb",
      Scopes: "Match Role Access",
      AllowPasswordGrant: "Y",
    };
    const fp = fingerprintApiAuthorization(rec);
    it("found: ok with Client ID and the same fingerprint as the ConnectApiClient logic", () => {
      const c = checkApiClient({ hits: [rec] }, "Vantagepoint Connect");
      assert.equal(c.status, "ok");
      assert.ok(c.details.includes(`fingerprint ${fp}`));
      assert.equal(checkApiClient({ hits: [rec] }, "Vantagepoint Connect", fp).status, "ok");
    });
    it("a client adopted by an older release (raw upper-case, padded Client ID in its fingerprint) is unchanged", () => {
      const upper = { ...rec, ClientId: "C1-ABC  " };
      // sha256 of the pre-issue-17 canon: the Client ID exactly as the server spelled it.
      const oldFp = createHash("sha256")
        .update(
          JSON.stringify([
            ["ClientId", "C1-ABC  "],
            ["Name", "Vantagepoint Connect"],
            ["CallbackUrl", "https://x/cb"],
            ["Scopes", "Match Role Access"],
            ["AllowPasswordGrant", "Y"],
          ]),
        )
        .digest("hex")
        .slice(0, 32);
      assert.notEqual(oldFp, fingerprintApiAuthorization(upper));
      const c = checkApiClient({ hits: [upper] }, "Vantagepoint Connect", oldFp);
      assert.deepEqual([c.status, c.findings], ["ok", []]);
      const edited = checkApiClient({ hits: [{ ...upper, Scopes: "All" }] }, "Vantagepoint Connect", oldFp);
      assert.equal(edited.findings[0]!.kind, "api-authorization-changed");
    });
    it("changed since adopted, missing, duplicated: broken; unreadable: could-not-check", () => {
      const changed = checkApiClient(
        { hits: [{ ...rec, AllowPasswordGrant: "N" }] },
        "Vantagepoint Connect",
        fp,
      );
      assert.equal(changed.findings[0]!.kind, "api-authorization-changed");
      assert.equal(changed.findings[0]!.location, "vantagepoint:apiauthorization:c1");
      assert.equal(
        checkApiClient({ hits: [] }, "Vantagepoint Connect").findings[0]!.kind,
        "api-authorization-missing",
      );
      assert.equal(
        checkApiClient({ hits: [rec, { ...rec, ClientId: "c2" }] }, "Vantagepoint Connect").findings[0]!.kind,
        "api-authorization-duplicated",
      );
      assert.equal(
        checkApiClient({ problem: "no endpoint" }, "Vantagepoint Connect").status,
        "could-not-check",
      );
    });
  });

  describe("exit codes", () => {
    it("broken -> 1; could-not-check alone -> 0, or 1 with --strict; ok -> 0", () => {
      assert.equal(doctorExitCode([{ status: "ok" }, { status: "broken" }], false), 1);
      assert.equal(doctorExitCode([{ status: "ok" }, { status: "could-not-check" }], false), 0);
      assert.equal(doctorExitCode([{ status: "ok" }, { status: "could-not-check" }], true), 1);
      assert.equal(doctorExitCode([{ status: "ok" }], true), 0);
      const all = allCouldNotCheck("token refused");
      assert.deepEqual(
        all.map((c) => [c.id, c.status]),
        [
          ["P3", "could-not-check"],
          ["P4", "could-not-check"],
          ["P5", "could-not-check"],
          ["P6", "could-not-check"],
        ],
      );
    });
  });
});

describe("doctor checks: P7 LoginConfig (read-only)", () => {
  const config = (over: Record<string, unknown> = {}, settings: Record<string, unknown> = {}) => ({
    database: "VP_DEMO",
    WAADEnabled: "Y",
    WAADSettings: { WAADTenant: "tenant-a", WAADServerClientID: "login-app-1", ...settings },
    ...over,
  });

  it("is ok when Entra login, the tenant and the Server Client ID are the stack's", () => {
    const c = checkLoginConfig(
      { config: config() },
      { mode: "entraId", tenantId: "TENANT-A", serverClientId: "login-app-1" },
    );
    assert.equal(c.status, "ok");
    assert.deepEqual(c.findings, []);
  });

  it("is broken (drift) for another tenant, another Server Client ID, login switched off, or on under windows", () => {
    const kinds = (read: Record<string, unknown>, want: Parameters<typeof checkLoginConfig>[1]) =>
      checkLoginConfig({ config: read }, want).findings.map((f) => f.message);
    assert.match(
      kinds(config({}, { WAADTenant: "tenant-b" }), { mode: "entraId", tenantId: "tenant-a" })[0]!,
      /tenant tenant-b, not entra\.tenantId tenant-a.*Settings > General > Options, Active Directory/,
    );
    assert.match(
      kinds(config({}, { WAADServerClientID: "old-app" }), {
        mode: "entraId",
        serverClientId: "login-app-1",
      })[0]!,
      /Server Client ID is old-app, not the login app this stack manages \(login-app-1\)/,
    );
    assert.match(
      kinds(config({ WAADEnabled: "N" }), { mode: "entraId" })[0]!,
      /login is off.*entra\.loginMode is "entraId"/,
    );
    assert.match(kinds(config(), { mode: "windows" })[0]!, /login is on while entra\.loginMode is "windows"/);
    assert.equal(
      checkLoginConfig({ config: config({}, { WAADTenant: "x" }) }, { mode: "entraId", tenantId: "y" })
        .status,
      "broken",
    );
  });

  it("could not check, with the manual step, when LoginConfig cannot be read", () => {
    const c = checkLoginConfig(
      { problem: "LoginConfig could not be read (404); check by hand" },
      { mode: "entraId" },
    );
    assert.equal(c.status, "could-not-check");
    assert.match(c.reason, /check by hand/);
  });
});
