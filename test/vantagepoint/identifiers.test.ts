/**
 * One comparison rule for identifiers (lib/vantagepoint/identifiers.ts), as SQL Server's default collation compares
 * them: the roster planner, the person match behind diff and preview, doctor and the API client all use it. The
 * starting states are case variants and padded values a busy production server really holds.
 */
import assert from "node:assert/strict";
import { Emulator, startEmulator } from "../../emulator";
import {
  connectRosterProvider as roster,
  ConnectRosterInputs,
  ConnectRosterOutputs,
} from "../../components/vantagepoint/connectRoster";
import {
  connectApiClientProvider as apiClient,
  ConnectApiClientInputs,
  ConnectApiClientOutputs,
} from "../../components/vantagepoint/connectApiClient";
import {
  diffRosterEntries,
  groupById,
  idKey,
  personMatches,
  planRoster,
  sameId,
  spelledDifferently,
} from "../../lib/vantagepoint";
import type { EmployeeRecord, RosterEntry, UserRecord } from "../../lib/vantagepoint";
import { checkConnectUsers, indexPeople } from "../../lib/doctor/checks";
import { runDoctorChecks } from "../../lib/doctor/collect";
import { CONNECT_CLIENT_ID } from "../../emulator/seed";
import { connectionFor, fastClient, fastRetryEnv } from "./helpers";

describe("identifiers: the one comparison rule", () => {
  it("idKey trims and lower-cases text, and is empty for anything else", () => {
    assert.equal(idKey("  JDoe@Contoso.EXAMPLE  "), "jdoe@contoso.example");
    assert.equal(idKey("E0042 "), "e0042");
    assert.equal(idKey(undefined), "");
    assert.equal(idKey(null), "");
    assert.equal(idKey(42), "");
    assert.equal(idKey("Zoë"), "zoë", "accents are kept: the collation is accent-sensitive");
  });

  it("sameId: case and surrounding spaces do not matter; empty is never the same as anything", () => {
    assert.equal(sameId("JDOE", "jdoe"), true);
    assert.equal(sameId("jdoe  ", "JDoe"), true);
    assert.equal(sameId("jdoe", "jdoe2"), false);
    assert.equal(sameId("", ""), false);
    assert.equal(sameId(undefined, undefined), false);
    assert.equal(sameId("zoe", "zoë"), false);
  });

  it("spelledDifferently: the same identifier in another spelling, not an identical one", () => {
    assert.equal(spelledDifferently("JDOE", "jdoe"), true);
    assert.equal(spelledDifferently("jdoe ", "jdoe"), true);
    assert.equal(spelledDifferently("jdoe", "jdoe"), false);
    assert.equal(spelledDifferently("jdoe", "ann"), false);
  });

  it("groupById groups case variants together and leaves out empty identifiers", () => {
    const groups = groupById(["A1", "a1 ", "B2", "", "  "], (s) => s);
    assert.deepEqual(
      [...groups.entries()],
      [
        ["a1", ["A1", "a1 "]],
        ["b2", ["B2"]],
      ],
    );
  });
});

const maria: RosterEntry = {
  userId: "maria.garcia@contoso.example",
  email: "maria.garcia@contoso.example",
  firstName: "Maria",
  lastName: "Garcia",
};

describe("identifiers in the roster planner and the person match", () => {
  // The server holds her in other spellings: user ID, link and email in other case, with trailing spaces.
  const employees: EmployeeRecord[] = [
    {
      Employee: "E0042",
      FirstName: "Maria",
      LastName: "Garcia",
      EMail: "Maria.Garcia@Contoso.Example ",
      Status: "A",
    },
  ];
  const users: UserRecord[] = [{ Username: "MARIA.GARCIA@contoso.example", Employee: "e0042 ", Status: "A" }];

  it("a person whose records differ from the roster only in case or trailing spaces needs no write", () => {
    const plan = planRoster({ employees, users }, [maria]);
    assert.deepEqual(plan.conflicts, []);
    assert.deepEqual(plan.employeeOps, [], "a case-only email difference is not written");
    assert.deepEqual(plan.userOps, [], "the link e0042 is employee E0042");
    assert.equal(plan.observed[0]!.linked, true);
  });

  it("the person match (diff and preview) agrees: after refresh nothing is shown as changed", () => {
    const plan = planRoster({ employees, users }, [maria]);
    assert.equal(personMatches(maria, plan.observed[0]), true);
    assert.deepEqual(diffRosterEntries([maria], [maria], plan.observed), []);
  });

  it("a roster that changes only the case of an identifier is no change; a new email is one", () => {
    const recased = {
      ...maria,
      userId: "Maria.Garcia@Contoso.example",
      email: "MARIA.garcia@contoso.example",
    };
    assert.deepEqual(diffRosterEntries([maria], [recased]), []);
    const moved = { ...maria, email: "maria.g@contoso.example" };
    assert.deepEqual(diffRosterEntries([maria], [moved]), [
      { key: maria.userId, kind: "update", fields: ["email"] },
    ]);
  });

  it("a different email is still written, in the roster's spelling", () => {
    const plan = planRoster({ employees, users }, [{ ...maria, email: "M.Garcia@contoso.example" }]);
    assert.deepEqual(
      plan.employeeOps.map((o) => (o.kind === "updateEmployee" ? o.fields : {})),
      [{ EMail: "M.Garcia@contoso.example" }],
    );
  });
});

describe("identifiers in doctor", () => {
  it("a user's employee link in another case (or padded) is the employee, not employee-missing", () => {
    const index = indexPeople(
      [
        { Username: "ann", Employee: "e0001", Status: "A" },
        { Username: "bob", Employee: "E0002  ", Status: "A" },
        { Username: "cy", Employee: "E0404", Status: "A" },
      ],
      [
        { Employee: "E0001", FirstName: "Ann", LastName: "A", EMail: "ann@contoso.example", Status: "A" },
        { Employee: "E0002", FirstName: "Bob", LastName: "B", EMail: "Bob@Contoso.example ", Status: "A" },
      ],
    );
    const check = checkConnectUsers(
      { index },
      { roster: [{ userId: "ANN" }, { userId: "Bob", employee: "e0002" }, { userId: "cy" }] },
    );
    assert.deepEqual(
      check.findings.map((f) => [f.kind, f.location]),
      [["employee-missing", "vantagepoint:employee:E0404"]],
    );
  });

  it("two employees whose emails differ only in case share one address", () => {
    const index = indexPeople(
      [{ Username: "ann", Employee: "E0001", Status: "A" }],
      [
        { Employee: "E0001", EMail: "ann@contoso.example", Status: "A" },
        { Employee: "E0009", EMail: "ANN@contoso.example ", Status: "A" },
      ],
    );
    const check = checkConnectUsers({ index }, { roster: [{ userId: "ann" }] });
    assert.deepEqual(
      check.findings.map((f) => f.kind),
      ["duplicate-email"],
    );
  });
});

/** Every record's JSON, keyed by hub and key: to count what a run changed. */
function snapshot(emu: Emulator): Map<string, string> {
  const out = new Map<string, string>();
  for (const hub of ["employees", "users", "roles", "apiAuthorizations"] as const)
    for (const [k, v] of emu.state[hub]) out.set(`${hub}/${k}`, JSON.stringify(v));
  return out;
}

function changedKeys(before: Map<string, string>, after: Map<string, string>): string[] {
  const keys = new Set([...before.keys(), ...after.keys()]);
  return [...keys].filter((k) => before.get(k) !== after.get(k)).sort();
}

describe("identifiers against a case-insensitive server (emulator caseInsensitiveKeys)", () => {
  let emu: Emulator;
  let restore: () => void;
  before(async () => {
    restore = fastRetryEnv();
    emu = await startEmulator({ caseInsensitiveKeys: true, missingRecord: "404" });
  });
  after(async () => {
    await emu.stop();
    restore();
  });
  beforeEach(() => emu.reset());

  function rosterInputs(entries: RosterEntry[]): ConnectRosterInputs {
    return {
      vpconnectResource: "ConnectRoster",
      connection: connectionFor(emu, { pageSize: 100 }),
      entries,
      onDelete: "detach",
      newEmployees: { key: "sequence", prefix: "C" },
    };
  }

  it("roster: case-variant and padded user IDs, links and emails converge with 0 writes; refresh and diff show none", async () => {
    emu.state.employees.set("E9001", {
      Employee: "E9001",
      FirstName: "Maria",
      LastName: "Garcia",
      EMail: "Maria.Garcia@Contoso.Example ",
      Status: "A",
    });
    emu.state.users.set("maria.garcia@contoso.example", {
      Username: "MARIA.GARCIA@contoso.example",
      DisplayUsername: "Maria",
      Employee: "e9001 ",
      Status: "A",
      Role: "DEFAULT",
    });
    const before = snapshot(emu);
    const employeesBefore = emu.state.employees.size;
    emu.resetCounters();
    const inputs = rosterInputs([maria]);
    const created = await roster.create(inputs);
    assert.equal(emu.counters.writes, 0, "nothing differs but spelling");
    assert.deepEqual(changedKeys(before, snapshot(emu)), []);
    assert.equal(emu.state.employees.size, employeesBefore, "no employee created for her");
    const refreshed = await roster.read!(created.id, created.outs as ConnectRosterOutputs);
    const diff = await roster.diff!(created.id, refreshed.props as ConnectRosterOutputs, inputs);
    assert.equal(diff.changes, false, "the preview after refresh shows exactly what up writes: nothing");
    emu.resetCounters();
    await roster.update!(created.id, refreshed.props as ConnectRosterOutputs, inputs);
    assert.equal(emu.counters.writes, 0);
  });

  function apiInputs(expectedClientId: string): ConnectApiClientInputs {
    return {
      vpconnectResource: "ConnectApiClient",
      connection: connectionFor(emu),
      name: "Vantagepoint Connect",
      expectedClientId,
      allowCreate: false,
    };
  }

  it("API client: a Client ID configured in another case is the same record, kept as configured; refresh shows no drift", async () => {
    const before = snapshot(emu);
    const configured = CONNECT_CLIENT_ID.toUpperCase();
    const created = await apiClient.create(apiInputs(configured));
    const outs = created.outs as ConnectApiClientOutputs;
    assert.deepEqual([outs.clientId, outs.available, outs.identifiedBy], [configured, true, "clientId"]);
    const refreshed = await apiClient.read!(created.id, outs);
    const props = refreshed.props as ConnectApiClientOutputs;
    assert.deepEqual([props.drifted, props.missing], [false, false]);
    const diff = await apiClient.diff!(created.id, props, apiInputs(CONNECT_CLIENT_ID));
    assert.equal(diff.changes, false, "a Client ID re-cased in the config is no change");
    assert.deepEqual(changedKeys(before, snapshot(emu)), [], "nothing written");
  });
});

/**
 * The truth about one Connect user, computed from the emulator's own records by SQL Server's rule written out
 * here (not the library's): which doctor finding kinds apply, in doctor's order.
 */
function truthFor(emu: Emulator, userId: string): string[] {
  const sql = (s: unknown) =>
    String(s ?? "")
      .replace(/\s+$/, "")
      .toLowerCase();
  const user = [...emu.state.users.values()].find((u) => sql(u.Username) === sql(userId));
  if (!user) return ["user-missing"];
  const out: string[] = [];
  if (user.Status !== "A") out.push("user-inactive");
  if (sql(user.Employee) === "") return [...out, "user-without-employee"];
  const emp = [...emu.state.employees.values()].find((e) => sql(e.Employee) === sql(user.Employee));
  if (!emp) return [...out, "employee-missing"];
  if (emp.Status === "T") out.push("employee-terminated");
  else if (emp.Status !== "A") out.push("employee-inactive");
  if (sql(emp.EMail) === "") out.push("employee-without-email");
  return out;
}

describe("doctor against a case-insensitive server: findings equal the truth from the emulator's records", () => {
  let emu: Emulator;
  let restore: () => void;
  before(async () => {
    restore = fastRetryEnv();
    emu = await startEmulator({ caseInsensitiveKeys: true, missingRecord: "404", seed: { employees: 40 } });
  });
  after(async () => {
    await emu.stop();
    restore();
  });

  it("links, user IDs and emails in other case or padded; real problems are still found", async () => {
    const put = (key: string, first: string, email: string, status = "A") =>
      emu.state.employees.set(key, {
        Employee: key,
        FirstName: first,
        LastName: "Case",
        EMail: email,
        Status: status,
      });
    const user = (name: string, link: string, status = "A") =>
      emu.state.users.set(name.toLowerCase(), {
        Username: name,
        DisplayUsername: name,
        Employee: link,
        Status: status,
        Role: "DEFAULT",
      });
    put("CASEA", "Ann", "Ann.Case@Contoso.example");
    user("ann.case", "casea"); // link in another case: fine
    put("CASEB", "Bob", "bob.case@contoso.example ");
    user("Bob.Case", "CASEB  "); // padded link, user ID in another case: fine
    put("CASEC", "Cy", "cy.case@contoso.example", "T");
    user("cy.case", "casec"); // terminated, found through a re-cased link
    user("dee.case", "CASE-NONE"); // a link to nothing: really missing
    put("CASEE", "Eve", "");
    user("EVE.CASE", "caseE"); // no email, behind a re-cased link
    user("fay.case", "CASEA ", "I"); // inactive user, re-cased padded link
    const roster = ["ANN.CASE", "bob.case ", "Cy.Case", "dee.case", "eve.case", "FAY.case", "gus.case"];
    const { client } = fastClient(emu);
    const checks = await runDoctorChecks(client, {
      requireAdministratorType: true,
      apiUser: emu.credentials.username,
      connectClientName: "Vantagepoint Connect",
      roster: roster.map((userId) => ({ userId })),
    });
    client.close();
    const p5 = checks.find((c) => c.id === "P5")!;
    const got = new Map<string, string[]>();
    for (const f of p5.findings) {
      if (f.kind === "duplicate-email") continue;
      const who = roster.find((u) => f.message.toLowerCase().includes(u.trim().toLowerCase()));
      got.set(who!, [...(got.get(who!) ?? []), f.kind]);
    }
    for (const u of roster) assert.deepEqual(got.get(u) ?? [], truthFor(emu, u), u);
    assert.deepEqual(
      roster.map((u) => truthFor(emu, u).join("+")),
      [
        "",
        "",
        "employee-terminated",
        "employee-missing",
        "employee-without-email",
        "user-inactive",
        "user-missing",
      ],
      "the starting state holds exactly these problems",
    );
  });
});
