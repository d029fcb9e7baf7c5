/**
 * The shared roster rules (lib/site/roster.ts): one copy for ConnectSite's and ConnectRoster's args and the
 * stack-config loader. Identifiers compare as SQL Server does; the first person listed keeps an identifier.
 */
import assert from "node:assert/strict";
import { rosterArgRules, rosterRules } from "../../lib/site/roster";
import { LIBRARY_CALLER, STACK_CALLER, UNKNOWN } from "../../lib/site/view";

const at = (where: string, userId: string, email: string, employee?: string) => ({
  where,
  userId,
  email,
  ...(employee ? { employee } : {}),
});

describe("roster rules (lib/site/roster.ts)", () => {
  it("keeps the first of two people who are one to SQL Server, and names the second with the first", () => {
    const result = rosterRules([
      at("r[0]", "PJONES", "pat.jones@example.com", "00201"),
      at("r[1]", "pjones ", "other@example.com"),
      at("r[2]", "ALEE", "Pat.Jones@Example.com"),
      at("r[3]", "MGARCIA", "maria@example.com", "00201"),
      at("r[4]", "SCHEN", "sam@example.com"),
    ]);
    assert.deepEqual(result.kept, [true, false, false, false, true]);
    assert.deepEqual(result.problems, [
      { path: "r[1].userId", message: '"pjones " is listed twice (also at r[0]); each user ID once' },
      {
        path: "r[2].email",
        message: '"Pat.Jones@Example.com" is listed twice (also at r[0]); Connect needs one email per person',
      },
      {
        path: "r[3].employee",
        message:
          '"00201" is also the employee key at r[0]; each person needs their own employee record: give this person\'s key, or leave employee out to match by email',
      },
    ]);
  });

  it("names an email in another script that imitates someone's, and one that mixes scripts", () => {
    const result = rosterRules([
      at("r[0]", "ALEE", "alex.lee@example.com"),
      at("r[1]", "XLEE", "\u0430\u04cf\u0435\u0445.\u04cf\u0435\u0435@example.com"),
      at("r[2]", "MIX", "m\u0430ria@example.com"),
    ]);
    assert.deepEqual(result.kept, [true, true, false]);
    assert.equal(result.problems.length, 2);
    assert.match(result.problems[0]!.path, /^r\[2\]\.email$/);
    assert.deepEqual(result.problems[1], {
      path: "r[1].email",
      message:
        '"\u0430\u04cf\u0435\u0445.\u04cf\u0435\u0435@example.com" looks like "alex.lee@example.com" (at r[0]) but uses letters of another script; give this person\'s real address',
    });
  });

  it("over args: named by the caller's keys, entries not known yet or not text left out", () => {
    const list = [
      { userId: "A", email: "a@example.com" },
      { userId: UNKNOWN, email: "a@example.com" },
      { userId: "a", email: "b@example.com" },
      "not a person",
    ];
    assert.deepEqual(
      rosterArgRules(list, "vantagepoint.roster", LIBRARY_CALLER).map((p) => p.path),
      ["vantagepoint.roster[2].userId"],
    );
    assert.deepEqual(
      rosterArgRules(list, "vantagepoint.roster", STACK_CALLER).map((p) => p.path),
      ["roster[2].userId"],
    );
    assert.deepEqual(rosterArgRules(UNKNOWN, "people", LIBRARY_CALLER), []);
  });
});
