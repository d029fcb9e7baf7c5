import assert from "node:assert/strict";
import {
  applyRoster,
  diffRosterEntries,
  emailProblem,
  newEmployeeRule,
  newEmployeeRuleIssues,
  sequenceKeys,
  parseRosterFile,
  planDeactivation,
  planRoster,
  RosterEntry,
  RosterFileError,
  userIdProblem,
  validateRosterEntries,
  VantagepointClient,
} from "../../lib/vantagepoint";
import { startEmulator } from "../../emulator";

const entry = (o: Partial<RosterEntry> = {}): RosterEntry => ({
  userId: "jdoe",
  email: "jane.doe@example.com",
  firstName: "Jane",
  lastName: "Doe",
  ...o,
});

describe("roster validation", () => {
  it("applies the user ID rules from the Users form", () => {
    assert.equal(userIdProblem("a".repeat(120)), undefined);
    assert.match(userIdProblem("a".repeat(121))!, /at most 120/);
    assert.equal(userIdProblem(`${"a".repeat(64)}@${"b".repeat(44)}.com`), undefined); // 113
    assert.match(userIdProblem(`${"a".repeat(64)}@${"b".repeat(45)}.com`)!, /at most 113/);
    assert.match(userIdProblem(`${"a".repeat(65)}@b.com`)!, /65 characters before the @; at most 64/);
    assert.match(userIdProblem(`a@${"b".repeat(45)}.com`)!, /49 characters after the @; at most 48/);
    assert.match(userIdProblem("a@b@c.com")!, /at most one @/);
    assert.match(userIdProblem("jane.@example.com")!, /"\." right before the @/);
    assert.match(userIdProblem("")!, /required/);
    assert.match(userIdProblem("jane doe")!, /spaces/);
  });

  it("checks emails", () => {
    assert.equal(emailProblem("jane.doe@example.com"), undefined);
    assert.equal(emailProblem("zoë@exämple.com") === undefined, false);
    for (const bad of [
      "",
      "jane",
      "jane@",
      "@example.com",
      "jane@example",
      "a@b@example.com",
      " jane@example.com",
      "jane..doe@example.com",
    ]) {
      assert.ok(emailProblem(bad), bad);
    }
  });

  it("reports every bad entry with its index and field", () => {
    const issues = validateRosterEntries([
      entry(),
      entry({ userId: "JDOE", email: "other@example.com" }),
      entry({ userId: "x", email: "JANE.DOE@example.com" }),
      entry({ userId: "y", email: "not-an-email", firstName: "" }),
      { userId: "z" },
    ]);
    const got = issues.map((i) => `${i.index}.${i.field}`);
    assert.deepEqual(got, [
      "1.userId",
      "2.email",
      "3.email",
      "3.firstName",
      "4.email",
      "4.firstName",
      "4.lastName",
    ]);
    assert.match(issues[0].message, /entries\[1\]\.userId "JDOE" is already used by entries\[0\]/);
    assert.match(issues[2].message, /entries\[3\]\.email must contain exactly one @ \(got "not-an-email"\)/);
  });

  it("rejects a non-list", () => {
    assert.equal(validateRosterEntries({})[0].field, "entries");
  });
});

describe("roster planning", () => {
  const state = () => ({
    employees: [
      { Employee: "E1", FirstName: "Jane", LastName: "Doe", EMail: "jane.doe@example.com", Status: "A" },
      { Employee: "E2", FirstName: "Bo", LastName: "Li", EMail: "", Status: "I" },
      { Employee: "E3", FirstName: "Al", LastName: "Ng", EMail: "al@example.com", Status: "A" },
      { Employee: "E4", FirstName: "Al", LastName: "Ng", EMail: "AL@example.com", Status: "A" },
    ],
    users: [
      { Username: "JDOE", Employee: "E1", Status: "A", Role: "DEFAULT" },
      { Username: "BLI", Employee: "E2", Status: "I", Role: "DEFAULT" },
    ],
  });

  it("plans nothing when everything matches", () => {
    const plan = planRoster(state(), [entry({ userId: "jdoe" })]);
    assert.equal(plan.employeeOps.length + plan.userOps.length, 0);
    assert.equal(plan.expected[0].employee, "E1");
  });

  it("plans exactly one write for one changed email", () => {
    const plan = planRoster(state(), [entry({ email: "jane@example.org" })]);
    assert.deepEqual(plan.employeeOps, [
      {
        kind: "updateEmployee",
        index: 0,
        userId: "jdoe",
        employee: "E1",
        fields: { EMail: "jane@example.org" },
        changes: ["email"],
      },
    ]);
    assert.equal(plan.userOps.length, 0);
  });

  it("matches by linked user, then email (case-insensitive), then creates", () => {
    const plan = planRoster(state(), [
      entry({ userId: "bli", email: "bo.li@example.com", firstName: "Bo", lastName: "Li" }),
      entry({ userId: "new1", email: "JANE.DOE@EXAMPLE.COM", firstName: "J", lastName: "D" }),
      entry({ userId: "new2", email: "fresh@example.com" }),
    ]);
    // bli: linked employee E2 gets email + status; user reactivated.
    assert.deepEqual(plan.employeeOps[0], {
      kind: "updateEmployee",
      index: 0,
      userId: "bli",
      employee: "E2",
      fields: { EMail: "bo.li@example.com", Status: "A" },
      changes: ["email", "status"],
    });
    assert.deepEqual(plan.userOps[0], {
      kind: "updateUser",
      index: 0,
      userId: "bli",
      username: "BLI",
      fields: { Status: "A" },
      changes: ["status"],
      employeeFromCreate: false,
    });
    // new1: E1 has that email (but for case) and is linked to JDOE, who is not in this roster: E1 is Jane's, so
    // the roster neither fixes its case nor links a second user to it; it reports the conflict naming both.
    assert.ok(!plan.employeeOps.some((o) => o.kind === "updateEmployee" && o.employee === "E1"));
    assert.match(
      plan.conflicts.find((c) => c.index === 1)!.message,
      /employee E1 \(Jane Doe, jane\.doe@example\.com\), but it is linked to user JDOE, who is not in the roster.*use that user ID/,
    );
    assert.ok(!plan.userOps.some((o) => o.userId === "new1"), "no second user linked to E1");
    // new2: nothing matches: create employee and user.
    assert.ok(
      plan.employeeOps.some(
        (o) =>
          o.kind === "createEmployee" && o.record.EMail === "fresh@example.com" && o.record.Status === "A",
      ),
    );
    assert.ok(
      plan.userOps.some((o) => o.kind === "createUser" && o.userId === "new2" && o.employeeFromCreate),
    );
  });

  it("uses the entry's employee key first, links and sets the role", () => {
    const plan = planRoster(state(), [
      entry({ userId: "jdoe", employee: "E3", email: "al@example.com", role: "ADMIN" }),
    ]);
    assert.deepEqual(plan.userOps, [
      {
        kind: "updateUser",
        index: 0,
        userId: "jdoe",
        username: "JDOE",
        fields: { Employee: "E3", Role: "ADMIN" },
        changes: ["link", "role"],
        employeeFromCreate: false,
      },
    ]);
    assert.equal(plan.employeeOps.length, 0);
  });

  it("reports ambiguous email matches instead of guessing", () => {
    const plan = planRoster(state(), [entry({ userId: "al", email: "al@example.com" })]);
    assert.equal(plan.conflicts.length, 1);
    assert.match(plan.conflicts[0].message, /belongs to employees E3, E4; set entries\[0\]\.employee/);
    assert.equal(plan.employeeOps.length + plan.userOps.length, 0);
  });

  it("never plans employee deletion or termination", () => {
    const plan = planRoster(state(), [entry({ userId: "bli", email: "bo@example.com" })]);
    for (const op of [...plan.employeeOps, ...plan.userOps]) {
      assert.ok(["createEmployee", "updateEmployee", "createUser", "updateUser"].includes(op.kind));
      if (op.kind === "updateEmployee") assert.notEqual(op.fields.Status, "T");
    }
    assert.deepEqual(planDeactivation(state().users, ["bli", "jdoe"]), [
      { username: "JDOE", fields: { Status: "I" } },
    ]);
  });

  it("diffs per entry key and counts drift", () => {
    const olds = [
      entry(),
      entry({ userId: "b", email: "b@example.com" }),
      entry({ userId: "c", email: "c@example.com" }),
    ];
    const news = [
      entry({ email: "jane@example.org" }),
      entry({ userId: "c", email: "c@example.com" }),
      entry({ userId: "d", email: "d@example.com" }),
    ];
    const people = [
      {
        userId: "c",
        employee: "E9",
        email: "c@example.com",
        employeeStatus: "T" as const,
        userStatus: "A" as const,
        linked: true,
      },
    ];
    const d = diffRosterEntries(olds, news, people);
    assert.deepEqual(
      d.map((c) => `${c.kind}:${c.key}:${c.fields.join("+")}`),
      ["update:jdoe:email", "update:c:employeeStatus", "add:d:", "delete:b:"],
    );
  });
});

describe("parseRosterFile", () => {
  it("parses CSV with BOM, CRLF, quoted commas, unicode and any header case", () => {
    const csv =
      '\uFEFFUserID,EMAIL,firstname,LastName,Employee,Role\r\njdoe,jane@example.com,"Jane, Q.",Doe,,\r\nzoe,zoë@example.com,Zoë,Ångström,00042,ADMIN\r\n';
    const rows = parseRosterFile(csv, "roster.csv");
    assert.deepEqual(rows, [
      { userId: "jdoe", email: "jane@example.com", firstName: "Jane, Q.", lastName: "Doe" },
      {
        userId: "zoe",
        email: "zoë@example.com",
        firstName: "Zoë",
        lastName: "Ångström",
        employee: "00042",
        role: "ADMIN",
      },
    ]);
  });

  it("names a missing required column", () => {
    assert.throws(
      () => parseRosterFile("userId,email,firstName\njdoe,j@example.com,J\n", "people.csv"),
      (e: Error) => {
        assert.ok(e instanceof RosterFileError);
        assert.match(e.message, /people\.csv: missing required column "lastName"/);
        return true;
      },
    );
  });

  it("parses a JSON array and rejects other JSON", () => {
    assert.deepEqual(
      parseRosterFile(
        '[{"userId":"a","Email":"a@example.com","firstName":"A","lastName":"B","configurer":true}]',
        "r.json",
      ),
      [{ userId: "a", email: "a@example.com", firstName: "A", lastName: "B", configurer: true }],
    );
    assert.throws(() => parseRosterFile('{"userId":"a"}', "r.json"), /expected a JSON array/);
    assert.throws(() => parseRosterFile("[{", "r.json"), /not valid JSON/);
  });

  it("reports malformed CSV", () => {
    assert.throws(
      () => parseRosterFile('userId,email,firstName,lastName\n"jdoe,j@example.com,J,D\n', "bad.csv"),
      /bad\.csv: not valid CSV/,
    );
  });
});

describe("roster: new employees and ownership (planner)", () => {
  it("sequence keys never collide with existing keys, whatever their case", () => {
    assert.deepEqual(sequenceKeys(["C00001", "c00003", "00042", "C00004X"], 3, "C", 5), [
      "C00004",
      "C00005",
      "C00006",
    ]);
    assert.deepEqual(sequenceKeys([], 2), ["00001", "00002"]);
  });

  it("maps roster.newEmployees to API fields and checks the provider input", () => {
    assert.deepEqual(
      newEmployeeRule({
        key: "sequence",
        prefix: "C",
        digits: 4,
        org: "01:NY",
        hireDate: "2026-01-05",
        type: "E",
      }),
      {
        key: "sequence",
        prefix: "C",
        digits: 4,
        defaults: { Org: "01:NY", Type: "E", HireDate: "2026-01-05T00:00:00" },
      },
    );
    assert.deepEqual(
      newEmployeeRuleIssues({ key: "numbered", defaults: { Org: "", Salary: "1" } }, "newEmployees").map(
        (i) => i.field,
      ),
      ["newEmployees.key", "newEmployees.defaults.Org", "newEmployees.defaults.Salary"],
    );
    assert.deepEqual(newEmployeeRuleIssues({ key: "server" }, "newEmployees"), []);
  });

  it("gives new employees the key rule's keys and the defaults, and reports a row without a key under 'roster'", () => {
    const state = { employees: [{ Employee: "C00007", EMail: "x@example.com", Status: "A" }], users: [] };
    const plan = planRoster(state, [entry({ userId: "a", email: "a@example.com" })], {
      newEmployees: { key: "sequence", prefix: "C", defaults: { Org: "01:NY" } },
    });
    assert.deepEqual(plan.employeeOps[0], {
      kind: "createEmployee",
      index: 0,
      userId: "a",
      record: {
        Org: "01:NY",
        FirstName: "Jane",
        LastName: "Doe",
        EMail: "a@example.com",
        Status: "A",
        Employee: "C00008",
      },
    });
    const byRoster = planRoster(state, [entry({ userId: "b", email: "b@example.com" })], {
      newEmployees: { key: "roster" },
    });
    assert.equal(byRoster.employeeOps.length, 0);
    assert.match(byRoster.conflicts[0]!.message, /has no employee key; add it.*roster\.newEmployees\.key/);
  });

  it("updates the email of a linked record of the same person (same name), not of someone else's (other name)", () => {
    const state = {
      employees: [
        { Employee: "E1", FirstName: "Jane", LastName: "Doe", EMail: "jane.old@example.com", Status: "A" },
        { Employee: "E2", FirstName: "Maria", LastName: "Other", EMail: "maria@example.com", Status: "A" },
      ],
      users: [
        { Username: "JDOE", Employee: "E1", Status: "A" },
        { Username: "ALEE", Employee: "E2", Status: "A" },
      ],
    };
    const plan = planRoster(state, [
      entry({ userId: "JDOE", email: "jane.new@example.com" }),
      entry({ userId: "ALEE", email: "alex@example.com", firstName: "Alex", lastName: "Lee" }),
    ]);
    assert.deepEqual(
      plan.employeeOps.map((o) => (o.kind === "updateEmployee" ? [o.employee, o.fields] : o.kind)),
      [["E1", { EMail: "jane.new@example.com" }]],
    );
    assert.match(
      plan.conflicts[0]!.message,
      /user ALEE is linked to employee E2 \(Maria Other, maria@example\.com\).*set entries\[1\]\.employee to E2/,
    );
    assert.equal(plan.observed[1]!.linked, false, "a user linked to someone else's record is not linked");
    // The last run recorded E2 for ALEE (or the row names it): then it is ALEE's and its email may change.
    const owned = planRoster(
      state,
      [entry({ userId: "ALEE", email: "alex@example.com", firstName: "Alex", lastName: "Lee" })],
      {
        previous: [
          {
            userId: "ALEE",
            employee: "E2",
            email: "alex@example.com",
            employeeStatus: "A",
            userStatus: "A",
            linked: true,
          },
        ],
      },
    );
    assert.equal(owned.conflicts.length, 0);
  });

  it("never makes two active employees share an email", () => {
    const state = {
      employees: [
        { Employee: "E1", FirstName: "Jane", LastName: "Doe", EMail: "", Status: "A" },
        { Employee: "E9", FirstName: "Jane", LastName: "Doe", EMail: "jane.doe@example.com", Status: "A" },
      ],
      users: [
        { Username: "JDOE", Employee: "E1", Status: "A" },
        { Username: "JANE2", Employee: "E9", Status: "A" },
      ],
    };
    const plan = planRoster(state, [entry({ userId: "JDOE" })]);
    assert.equal(plan.employeeOps.length, 0);
    assert.match(
      plan.conflicts[0]!.message,
      /would give two active employees one email \(E9 already has it\)/,
    );
  });

  it("reports progress after each write (done, total) for a progress display", async () => {
    const emu = await startEmulator({ seed: { employees: 10 } });
    const client = new VantagepointClient(emu.connection());
    try {
      const seen: Array<[number, number]> = [];
      await applyRoster(
        client,
        [entry({ userId: "p1", email: "p1@example.com" }), entry({ userId: "p2", email: "p2@example.com" })],
        undefined,
        {
          newEmployees: { key: "sequence", prefix: "P" },
          onProgress: (done, total) => seen.push([done, total]),
        },
      );
      assert.deepEqual(seen, [
        [1, 4],
        [2, 4],
        [3, 4],
        [4, 4],
      ]);
    } finally {
      client.close();
      await emu.stop();
    }
  });
});
