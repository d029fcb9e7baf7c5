/**
 * Roster planning (lib/vantagepoint/roster.ts) in the situations a real Vantagepoint database holds: people who
 * left (terminated or inactive records with their old address), a person with two employee records, records
 * linked to users inside and outside the roster. Each case pins the exact plan: which record is used, which
 * writes are planned, and the conflict message when nothing may be written.
 */
import assert from "node:assert/strict";
import {
  diffRosterEntries,
  newEmployeeRule,
  newEmployeeRuleIssues,
  personMatches,
  planDeactivation,
  planRoster,
  rosterEntryKey,
  sequenceKeys,
  validateRosterEntries,
} from "../../lib/vantagepoint/roster";
import type { EmployeeRecord, RosterEntry, RosterPerson, UserRecord } from "../../lib/vantagepoint/types";

const JANE = "jane.doe@example.com";
const entry = (o: Partial<RosterEntry> = {}): RosterEntry => ({
  userId: "JDOE",
  email: JANE,
  firstName: "Jane",
  lastName: "Doe",
  ...o,
});
const emp = (Employee: string, EMail: string, Status: string, o: Partial<EmployeeRecord> = {}) =>
  ({ Employee, EMail, Status, FirstName: "Jane", LastName: "Doe", ...o }) as EmployeeRecord;
const user = (Username: string, Employee: string, Status = "A", o: Partial<UserRecord> = {}) =>
  ({ Username, Employee, Status, ...o }) as UserRecord;
const createUser = (index: number, userId: string, Employee: string, employeeFromCreate = false) => ({
  kind: "createUser",
  index,
  userId,
  record: { Username: userId, Employee, Status: "A" },
  employeeFromCreate,
});

describe("roster planning: people who left keep their records, and never block a new one", () => {
  for (const [status, word] of [
    ["T", "terminated"],
    ["I", "inactive"],
  ] as const) {
    it(`a ${word} employee with the same email does not stop the named record from taking it`, () => {
      const plan = planRoster({ employees: [emp("00001", JANE, status), emp("00002", "", "I")], users: [] }, [
        entry({ employee: "00002" }),
      ]);
      assert.deepEqual(plan.conflicts, []);
      assert.deepEqual(plan.employeeOps, [
        {
          kind: "updateEmployee",
          index: 0,
          userId: "JDOE",
          employee: "00002",
          fields: { EMail: JANE, Status: "A" },
          changes: ["email", "status"],
        },
      ]);
      assert.deepEqual(plan.userOps, [createUser(0, "JDOE", "00002")]);
    });
  }

  it("an active employee with the same email does stop it (two active records, one email)", () => {
    const plan = planRoster({ employees: [emp("00001", JANE, "A"), emp("00002", "", "I")], users: [] }, [
      entry({ employee: "00002" }),
    ]);
    assert.deepEqual(plan.employeeOps, []);
    assert.deepEqual(plan.conflicts, [
      {
        index: 0,
        field: "employee",
        message:
          "entries[0] (JDOE): making employee 00002 (Jane Doe, no email, inactive) active with jane.doe@example.com would give two active employees one email (00001 already has it); Connect would match the wrong person. Set entries[0].employee to the right record, or clear the address on the other one",
      },
    ]);
  });

  it("of a terminated and an active record with one email, the active one is used, untouched", () => {
    const plan = planRoster({ employees: [emp("00001", JANE, "T"), emp("00002", JANE, "A")], users: [] }, [
      entry(),
    ]);
    assert.deepEqual(plan.conflicts, []);
    assert.deepEqual(plan.employeeOps, []);
    assert.deepEqual(plan.userOps, [createUser(0, "JDOE", "00002")]);
  });

  it("of an inactive and an active record with one email, the active one is used", () => {
    const plan = planRoster({ employees: [emp("00002", JANE, "A"), emp("00001", JANE, "I")], users: [] }, [
      entry(),
    ]);
    assert.deepEqual(plan.userOps, [createUser(0, "JDOE", "00002")]);
  });

  it("of two inactive records with one email, none is guessed", () => {
    const plan = planRoster({ employees: [emp("00001", JANE, "I"), emp("00002", JANE, "I")], users: [] }, [
      entry(),
    ]);
    assert.deepEqual(plan.conflicts, [
      {
        index: 0,
        field: "employee",
        message:
          "entries[0] (JDOE): the email jane.doe@example.com belongs to employees 00001, 00002; set entries[0].employee to the right one",
      },
    ]);
    assert.deepEqual([...plan.employeeOps, ...plan.userOps], []);
  });

  it("the only record with the email, terminated, is not brought back unless named or recorded last run", () => {
    const state = { employees: [emp("00001", JANE, "T")], users: [] };
    const plan = planRoster(state, [entry()]);
    assert.deepEqual(plan.conflicts, [
      {
        index: 0,
        field: "employee",
        message:
          "entries[0] (JDOE): the only employee with the email jane.doe@example.com is employee 00001 (Jane Doe, jane.doe@example.com, terminated); the roster does not bring back a terminated record it was not told to. If it is this person, set entries[0].employee to 00001 (the roster then makes it active); otherwise give this person their own email",
      },
    ]);
    const previous: RosterPerson[] = [
      { userId: "jdoe", employee: "00001", email: JANE, employeeStatus: "T", userStatus: "A", linked: true },
    ];
    // Recorded for this user ID last run is not enough: only a row that names it brings it back (the rehire rule).
    const recorded = planRoster(state, [entry()], { previous });
    assert.deepEqual(recorded.conflicts, plan.conflicts);
    assert.deepEqual(recorded.employeeOps, []);
    const named = planRoster(state, [entry({ employee: "00001" })]);
    assert.deepEqual(named.conflicts, []);
    assert.deepEqual(named.employeeOps, [
      {
        kind: "updateEmployee",
        index: 0,
        userId: "JDOE",
        employee: "00001",
        fields: { Status: "A" },
        changes: ["status"],
      },
    ]);
  });

  it("an inactive record, the only one with the email, is made active", () => {
    const plan = planRoster({ employees: [emp("00001", JANE, "I")], users: [] }, [entry()]);
    assert.deepEqual(plan.conflicts, []);
    assert.deepEqual(plan.employeeOps, [
      {
        kind: "updateEmployee",
        index: 0,
        userId: "JDOE",
        employee: "00001",
        fields: { Status: "A" },
        changes: ["status"],
      },
    ]);
  });
});

describe("roster planning: records linked to users", () => {
  it("of two active records with one email, the one no other roster user is linked to is used", () => {
    const state = {
      employees: [
        emp("00001", JANE, "A"),
        emp("00002", JANE, "A"),
        emp("00003", "bob@example.com", "A", { FirstName: "Bob", LastName: "Ray" }),
      ],
      users: [user("BOB", "00001")],
    };
    const plan = planRoster(state, [
      entry(),
      entry({
        userId: "BOB",
        email: "bob@example.com",
        firstName: "Bob",
        lastName: "Ray",
        employee: "00003",
      }),
    ]);
    assert.deepEqual(plan.conflicts, []);
    assert.deepEqual(
      plan.userOps.find((o) => o.userId === "JDOE"),
      createUser(0, "JDOE", "00002"),
    );
  });

  it("the record the entry's own user links is used even when it is also linked to a user outside the roster", () => {
    const state = {
      employees: [emp("00001", JANE, "A")],
      users: [user("JDOE", "00001"), user("JANE-OLD", "00001")],
    };
    const plan = planRoster(state, [entry()]);
    assert.deepEqual(plan.conflicts, []);
    assert.deepEqual([...plan.employeeOps, ...plan.userOps], []);
    assert.equal(plan.observed[0]!.linked, true);
  });

  it("a record linked to another roster user is not an outsider's: the entry that names it uses it", () => {
    const state = {
      employees: [emp("00001", JANE, "I")],
      users: [user("JANE2", "00001", "I")],
    };
    const plan = planRoster(state, [
      entry({ employee: "00001" }),
      entry({ userId: "JANE2", email: "jane2@example.com", firstName: "Jane", lastName: "Two" }),
    ]);
    assert.deepEqual(
      plan.employeeOps.filter((o) => o.index === 0),
      [
        {
          kind: "updateEmployee",
          index: 0,
          userId: "JDOE",
          employee: "00001",
          fields: { Status: "A" },
          changes: ["status"],
        },
      ],
    );
    assert.deepEqual(
      plan.conflicts.filter((c) => c.index === 0),
      [],
    );
  });

  it("a record linked to a user outside the roster is that person's: named, it is refused with both names", () => {
    const state = { employees: [emp("00001", JANE, "A")], users: [user("MDOE", "00001")] };
    const plan = planRoster(state, [entry({ employee: "00001" })]);
    assert.deepEqual(plan.conflicts, [
      {
        index: 0,
        field: "employee",
        message:
          "entries[0] (JDOE) names employee 00001 (Jane Doe, jane.doe@example.com), but it is linked to user MDOE, who is not in the roster; the roster does not change another person's record. Fix entries[0].employee, or correct that record in Vantagepoint first",
      },
    ]);
    assert.deepEqual([...plan.employeeOps, ...plan.userOps], []);
  });

  it("a named record carrying another entry's email is refused", () => {
    const state = { employees: [emp("00001", "bob@example.com", "A")], users: [] };
    const plan = planRoster(state, [
      entry({ employee: "00001" }),
      entry({ userId: "BOB", email: "bob@example.com", firstName: "Bob", lastName: "Ray" }),
    ]);
    assert.equal(
      plan.conflicts[0]!.message,
      "entries[0] (JDOE) names employee 00001 (Jane Doe, bob@example.com), but its email is that of entries[1] (BOB); the roster does not change another person's record. Fix entries[0].employee, or correct that record in Vantagepoint first",
    );
  });

  it("a named record whose email is another user's ID is refused", () => {
    const state = {
      employees: [emp("00001", "mdoe@example.com", "A")],
      users: [user("mdoe@example.com", "")],
    };
    const plan = planRoster(state, [entry({ employee: "00001" })]);
    assert.match(plan.conflicts[0]!.message, /but its email is the user ID of user mdoe@example\.com;/);
  });

  it("a user linked to a stranger's record is relinked to the person's own record, found by email", () => {
    const state = {
      employees: [
        emp("00001", "maria@example.com", "A", { FirstName: "Maria", LastName: "Garcia" }),
        emp("00002", JANE, "A"),
      ],
      users: [user("JDOE", "00001"), user("MGARCIA", "00001")],
    };
    const plan = planRoster(state, [entry()]);
    assert.deepEqual(plan.conflicts, []);
    assert.deepEqual(plan.employeeOps, []);
    assert.deepEqual(plan.userOps, [
      {
        kind: "updateUser",
        index: 0,
        userId: "JDOE",
        username: "JDOE",
        fields: { Employee: "00002" },
        changes: ["link"],
        employeeFromCreate: false,
      },
    ]);
    assert.equal(plan.observed[0]!.linked, false);
  });

  it("a user linked to a stranger's record, with no record of their own, gets a new one", () => {
    const state = {
      employees: [emp("00001", "maria@example.com", "A", { FirstName: "Maria", LastName: "Garcia" })],
      users: [user("JDOE", "00001"), user("MGARCIA", "00001")],
    };
    const plan = planRoster(state, [entry()], { newEmployees: { key: "sequence", prefix: "C", digits: 3 } });
    assert.deepEqual(plan.employeeOps, [
      {
        kind: "createEmployee",
        index: 0,
        userId: "JDOE",
        record: { FirstName: "Jane", LastName: "Doe", EMail: JANE, Status: "A", Employee: "C001" },
      },
    ]);
    assert.deepEqual(plan.userOps, [
      {
        kind: "updateUser",
        index: 0,
        userId: "JDOE",
        username: "JDOE",
        fields: { Employee: "C001" },
        changes: ["link"],
        employeeFromCreate: true,
      },
    ]);
  });

  it("two entries resolving to one record: the second is refused", () => {
    // A record without an email, named by two rows (the key copied down a spreadsheet column).
    const state = { employees: [emp("00001", "", "A")], users: [] };
    const plan = planRoster(state, [
      entry({ employee: "00001" }),
      entry({ userId: "JDOE2", email: "jd2@example.com", employee: "00001" }),
    ]);
    assert.equal(
      plan.conflicts[0]!.message,
      "entries[1] (JDOE2) and entries[0] resolve to the same employee 00001; set employee on one of them",
    );
  });
});

describe("roster planning: what a plan writes", () => {
  it("without a users hub, the user steps become manual, naming the key", () => {
    const plan = planRoster({ employees: [emp("00001", JANE, "A")] }, [
      entry({ role: "CONNECT" }),
      entry({ userId: "NEW", email: "n@example.com" }),
    ]);
    assert.deepEqual(plan.userOps, []);
    assert.deepEqual(plan.manualSteps, [
      "Settings > Security > Users: make sure user JDOE exists, is active, has role CONNECT, and has Employee 00001",
      "Settings > Security > Users: make sure user NEW exists, is active, and has Employee (the new employee for n@example.com)",
    ]);
    assert.deepEqual(
      plan.expected.map((p) => [p.employee, p.userStatus, p.linked, p.role]),
      [
        ["00001", "I", false, "CONNECT"],
        ["", "I", false, undefined],
      ],
    );
  });

  it("a user that exists but is inactive, unlinked and without the role gets exactly those three fields", () => {
    const state = {
      employees: [emp("00001", JANE, "A")],
      users: [user("jdoe", "", "I", { Role: "DEFAULT" })],
    };
    const plan = planRoster(state, [entry({ role: "connect", configurer: true })]);
    assert.deepEqual(plan.userOps, [
      {
        kind: "updateUser",
        index: 0,
        userId: "JDOE",
        username: "jdoe",
        fields: { Employee: "00001", Status: "A", Role: "connect" },
        changes: ["link", "status", "role"],
        employeeFromCreate: false,
      },
    ]);
    assert.deepEqual(plan.expected[0], {
      userId: "JDOE",
      employee: "00001",
      email: JANE,
      employeeStatus: "A",
      userStatus: "A",
      linked: true,
      role: "connect",
      configurer: true,
    });
    assert.deepEqual(plan.observed[0], {
      userId: "JDOE",
      employee: "00001",
      email: JANE,
      employeeStatus: "A",
      userStatus: "I",
      linked: false,
      role: "DEFAULT",
      configurer: true,
    });
  });

  it("a role that differs only in case is not rewritten; the user's role is kept when the entry names none", () => {
    const state = {
      employees: [emp("00001", JANE, "A")],
      users: [user("JDOE", "00001", "A", { Role: "CONNECT" })],
    };
    assert.deepEqual(planRoster(state, [entry({ role: "connect" })]).userOps, []);
    assert.equal(planRoster(state, [entry()]).expected[0]!.role, "CONNECT");
  });

  it("a case-only difference of email is not written (Vantagepoint compares identifiers without case)", () => {
    const state = { employees: [emp("00001", "Jane.Doe@Example.com", "A")], users: [user("JDOE", "00001")] };
    const plan = planRoster(state, [entry()]);
    assert.deepEqual(plan.employeeOps, []);
    assert.deepEqual(plan.userOps, []);
  });

  it("new employees get the defaults, their own key from the row, and under 'server' none", () => {
    const plan = planRoster(
      { employees: [], users: [] },
      [entry({ employee: "E77" }), entry({ userId: "B", email: "b@example.com" })],
      {
        newEmployees: { key: "server", defaults: { Org: "01", Type: "E" } },
      },
    );
    assert.deepEqual(
      plan.employeeOps.map((o) => (o.kind === "createEmployee" ? o.record : undefined)),
      [
        {
          Org: "01",
          Type: "E",
          FirstName: "Jane",
          LastName: "Doe",
          EMail: JANE,
          Status: "A",
          Employee: "E77",
        },
        { Org: "01", Type: "E", FirstName: "Jane", LastName: "Doe", EMail: "b@example.com", Status: "A" },
      ],
    );
    assert.deepEqual(plan.userOps, [createUser(0, "JDOE", "E77", true), createUser(1, "B", "", true)]);
  });

  it("sequence keys skip taken keys and count past the highest with the prefix only", () => {
    assert.deepEqual(sequenceKeys(["C009", "X010", "c010"], 2, "C", 3), ["C011", "C012"]);
    assert.deepEqual(sequenceKeys(["C.1"], 1, "C.", 2), ["C.02"]);
    assert.deepEqual(sequenceKeys(["CX1"], 1, "C.", 2), ["C.01"], "the prefix's dot is not a wildcard");
    assert.deepEqual(sequenceKeys([], 0, "C"), []);
  });
});

describe("roster input: new-employee rule and entries", () => {
  it("refuses a prefix that is not up to 12 letters, digits, '.', '_' or '-'", () => {
    const message = "newEmployees.prefix must be up to 12 letters, digits, '.', '_' or '-', e.g. \"C\"";
    for (const prefix of ["C 1", "C/1", "ABCDEFGHIJKLM", 7, "C\n"]) {
      assert.deepEqual(
        newEmployeeRuleIssues({ prefix }, "newEmployees"),
        [{ field: "newEmployees.prefix", message }],
        String(prefix),
      );
    }
    for (const prefix of ["", "C", "ABCDEFGHIJKL", "c.1_-"]) {
      assert.deepEqual(newEmployeeRuleIssues({ prefix }, "newEmployees"), [], prefix);
    }
  });
  it("refuses digits outside 1 to 12, an unknown key, and defaults that are not an object of known text fields", () => {
    const issues = (rule: unknown) => newEmployeeRuleIssues(rule, "r").map((i) => i.message);
    assert.deepEqual(issues({ digits: 0 }), ["r.digits must be a whole number from 1 to 12"]);
    assert.deepEqual(issues({ digits: 13 }), ["r.digits must be a whole number from 1 to 12"]);
    assert.deepEqual(issues({ digits: 2.5 }), ["r.digits must be a whole number from 1 to 12"]);
    assert.deepEqual(issues({ digits: 1 }), []);
    assert.deepEqual(issues({ digits: 12 }), []);
    assert.deepEqual(issues({ key: "numbered" }), ['r.key must be "roster", "sequence" or "server"']);
    assert.deepEqual(issues({ defaults: [] }), ["r.defaults must be an object"]);
    assert.deepEqual(issues({ defaults: null }), ["r.defaults must be an object"]);
    assert.deepEqual(issues({ defaults: { Org: " " } }), ["r.defaults.Org must be text"]);
    assert.deepEqual(issues({ defaults: { Salary: "1" } }), [
      "r.defaults.Salary is not known; use Org, EmployeeCompany, HomeCompany, Type, HireDate",
    ]);
    assert.deepEqual(issues("sequence"), ["r must be an object with key, prefix, digits and defaults"]);
    assert.deepEqual(issues([]), ["r must be an object with key, prefix, digits and defaults"]);
    assert.deepEqual(issues(undefined), []);
    assert.deepEqual(issues(null), []);
  });
  it("maps the stack config's words to the API's fields", () => {
    assert.equal(newEmployeeRule(undefined), undefined);
    assert.deepEqual(newEmployeeRule({}), {});
    assert.deepEqual(newEmployeeRule({ key: "sequence" }), { key: "sequence", prefix: "", digits: 5 });
    assert.deepEqual(newEmployeeRule({ key: "roster", prefix: "C", digits: 3 }), { key: "roster" });
    assert.deepEqual(newEmployeeRule({ employeeCompany: "01", homeCompany: "02", hireDate: "today" }), {
      defaults: { EmployeeCompany: "01", HomeCompany: "02", HireDate: "today" },
    });
  });
  it("names each bad field of an entry with what would pass", () => {
    const issues = validateRosterEntries([
      null,
      [],
      {
        userId: "A",
        email: "a@example.com",
        firstName: "x".repeat(101),
        lastName: " ",
        employee: "E".repeat(21),
        role: " ",
        configurer: "yes",
      },
      { userId: "B", email: "b@example.com", firstName: "B", lastName: "B", employee: "" },
      {
        userId: "C",
        email: "c@example.com",
        firstName: "C",
        lastName: "C",
        employee: "e".repeat(20),
        role: "R",
        configurer: false,
      },
    ]);
    assert.deepEqual(issues, [
      {
        index: 0,
        field: "entry",
        message: "entries[0] must be an object with userId, email, firstName and lastName",
      },
      {
        index: 1,
        field: "entry",
        message: "entries[1] must be an object with userId, email, firstName and lastName",
      },
      { index: 2, field: "firstName", message: "entries[2].firstName is longer than 100 characters" },
      { index: 2, field: "lastName", message: "entries[2].lastName is required" },
      {
        index: 2,
        field: "employee",
        message: "entries[2].employee must be an existing employee key (1 to 20 characters) or left out",
      },
      { index: 2, field: "role", message: "entries[2].role must be a role name or left out" },
      { index: 2, field: "configurer", message: "entries[2].configurer must be true or false" },
      {
        index: 3,
        field: "employee",
        message: "entries[3].employee must be an existing employee key (1 to 20 characters) or left out",
      },
    ]);
    assert.deepEqual(validateRosterEntries("people.csv"), [
      {
        index: -1,
        field: "entries",
        message: "entries must be a list of people (userId, email, firstName, lastName)",
      },
    ]);
  });
  it("names a bad user ID and email with the value, and the first entry a duplicate repeats", () => {
    const issues = validateRosterEntries([
      entry({ employee: "E1" }),
      entry({ userId: "jdoe", email: "Jane.Doe@example.com", employee: "e1" }),
      entry({ userId: "J DOE", email: "jane" }),
      { userId: 5, email: "", firstName: "A", lastName: "B" },
    ]);
    assert.deepEqual(
      issues.map((i) => i.message),
      [
        'entries[1].userId "jdoe" is already used by entries[0]; each person must appear once',
        'entries[1].email "Jane.Doe@example.com" is already used by entries[0]; each person must appear once',
        'entries[1].employee "e1" is already used by entries[0]; each person must appear once',
        'entries[2].userId must not contain spaces (got "J DOE")',
        'entries[2].email must contain exactly one @ (got "jane")',
        "entries[3].userId is required",
        "entries[3].email is required (Connect matches people by email)",
      ],
    );
  });
});

describe("roster comparisons", () => {
  const person = (o: Partial<RosterPerson> = {}): RosterPerson => ({
    userId: "JDOE",
    employee: "00001",
    email: JANE,
    employeeStatus: "A",
    userStatus: "A",
    linked: true,
    ...o,
  });
  it("a person matches the entry only when active, linked, with the entry's email, key and role", () => {
    assert.equal(personMatches(entry(), person()), true);
    assert.equal(personMatches(entry(), undefined), false);
    assert.equal(personMatches(entry(), person({ employeeStatus: "I" })), false);
    assert.equal(personMatches(entry(), person({ userStatus: "I" })), false);
    assert.equal(personMatches(entry(), person({ linked: false })), false);
    assert.equal(personMatches(entry(), person({ email: "JANE.DOE@example.com" })), true, "case only");
    assert.equal(personMatches(entry(), person({ email: "jane@example.com" })), false);
    assert.equal(personMatches(entry({ employee: "00001" }), person()), true);
    assert.equal(personMatches(entry({ employee: "00002" }), person()), false);
    assert.equal(personMatches(entry({ role: "connect" }), person({ role: "CONNECT" })), true);
    assert.equal(personMatches(entry({ role: "connect" }), person({ role: "ADMIN" })), false);
  });
  it("diffs entries by user ID without case, and counts drift recorded last run as a change", () => {
    const olds = [
      entry(),
      entry({ userId: "GONE", email: "g@example.com" }),
      entry({ userId: "SAME", email: "s@example.com" }),
    ];
    const news = [
      entry({ userId: "jdoe", role: "connect" }),
      entry({ userId: "NEW", email: "n@example.com" }),
      entry({ userId: "SAME", email: "s@example.com" }),
    ];
    assert.deepEqual(diffRosterEntries(olds, news), [
      { key: "jdoe", kind: "update", fields: ["role"] },
      { key: "NEW", kind: "add", fields: [] },
      { key: "GONE", kind: "delete", fields: [] },
    ]);
    const drift = [
      person({
        userId: "SAME",
        email: "old@example.com",
        employeeStatus: "I",
        userStatus: "I",
        linked: false,
      }),
    ];
    assert.deepEqual(
      diffRosterEntries(olds, news, drift).find((c) => c.key === "SAME"),
      {
        key: "SAME",
        kind: "update",
        fields: ["email", "employeeStatus", "userStatus", "linked"],
      },
    );
    const roleDrift = [person({ userId: "JDOE", role: "ADMIN" })];
    assert.deepEqual(
      diffRosterEntries([entry({ role: "connect" })], [entry({ role: "connect" })], roleDrift),
      [{ key: "JDOE", kind: "update", fields: ["role"] }],
    );
    assert.deepEqual(diffRosterEntries([entry()], [entry()], [person()]), []);
  });
  it("keys entries by user ID without case; deactivates only active users named", () => {
    assert.equal(rosterEntryKey({ userId: "JDoe" }), "jdoe");
    assert.deepEqual(
      planDeactivation([user("A", "1"), user("b", "2"), user("C", "3", "I")], ["a", "B", "c", "zz"]),
      [
        { username: "A", fields: { Status: "I" } },
        { username: "b", fields: { Status: "I" } },
      ],
    );
  });
});
