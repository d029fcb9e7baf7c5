/**
 * lib/site/roster.ts, the cases the first suite (rosterRules.test.ts) leaves loose, each written the way a roster is
 * really got wrong: the imitation listed before the real address, two imitations of one address, a name with
 * accents that imitates nobody, a repeated row whose email has accents, a blank list item, values not known yet
 * in a component's args, two people given one employee key. Exact problem lists.
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

/** "алех.лее@example.com": every letter of the local part Cyrillic (no part mixes scripts), reads as alex.lee. */
const CYRILLIC_ALEX_LEE = "\u0430\u04cf\u0435\u0445.\u04cf\u0435\u0435@example.com";
/** "асе.lee@example.com" and "ace.лее@example.com": one part Cyrillic each, both read as ace.lee. */
const ACE_FIRST_PART_CYRILLIC = "\u0430\u0441\u0435.lee@example.com";
const ACE_SECOND_PART_CYRILLIC = "ace.\u04cf\u0435\u0435@example.com";

const looksLike = (email: string, other: string, where: string) =>
  `${JSON.stringify(email)} looks like ${JSON.stringify(other)} (at ${where}) but uses letters of another script; give this person's real address`;

describe("roster rules (lib/site/roster.ts), exact", () => {
  describe("emails in another script", () => {
    it("names the imitation when it is listed before the real address", () => {
      const result = rosterRules([
        at("roster.users[0]", "XLEE", CYRILLIC_ALEX_LEE),
        at("roster.users[1]", "ALEE", "alex.lee@example.com"),
      ]);
      assert.deepEqual(result.problems, [
        {
          path: "roster.users[0].email",
          message: looksLike(CYRILLIC_ALEX_LEE, "alex.lee@example.com", "roster.users[1]"),
        },
      ]);
      assert.deepEqual(result.kept, [true, true]);
    });

    it("points two imitations of one address at the plain-ASCII one, not at each other", () => {
      const result = rosterRules([
        at("r[0]", "ALEE1", ACE_FIRST_PART_CYRILLIC),
        at("r[1]", "ALEE2", ACE_SECOND_PART_CYRILLIC),
        at("r[2]", "ALEE", "ace.lee@example.com"),
      ]);
      assert.deepEqual(result.problems, [
        { path: "r[0].email", message: looksLike(ACE_FIRST_PART_CYRILLIC, "ace.lee@example.com", "r[2]") },
        { path: "r[1].email", message: looksLike(ACE_SECOND_PART_CYRILLIC, "ace.lee@example.com", "r[2]") },
      ]);
    });

    it("two imitations and no real address: each is named with the other", () => {
      const result = rosterRules([
        at("r[0]", "ALEE1", ACE_FIRST_PART_CYRILLIC),
        at("r[1]", "ALEE2", ACE_SECOND_PART_CYRILLIC),
      ]);
      assert.deepEqual(result.problems, [
        { path: "r[0].email", message: looksLike(ACE_FIRST_PART_CYRILLIC, ACE_SECOND_PART_CYRILLIC, "r[1]") },
        { path: "r[1].email", message: looksLike(ACE_SECOND_PART_CYRILLIC, ACE_FIRST_PART_CYRILLIC, "r[0]") },
      ]);
    });

    it("accepts an address with accents or in one other script that imitates nobody", () => {
      const result = rosterRules([
        at("r[0]", "ZMULLER", "zo\u00eb.m\u00fcller@example.com"),
        at("r[1]", "IPETROV", "\u0438\u0432\u0430\u043d.\u043f\u0435\u0442\u0440\u043e\u0432@example.com"),
        at("r[2]", "ALEE", "alex.lee@example.com"),
      ]);
      assert.deepEqual(result.problems, []);
      assert.deepEqual(result.kept, [true, true, true]);
    });

    it("a repeated row whose email has accents is named once, as listed twice, not as an imitation of itself", () => {
      const result = rosterRules([
        at("r[0]", "ZMULLER", "zo\u00eb.m\u00fcller@example.com"),
        at("r[1]", "ZMUELLER", "Zo\u00eb.M\u00fcller@example.com"),
        at("r[2]", "zmuller", "zo\u00eb.m\u00fcller@example.com"),
      ]);
      assert.deepEqual(result.problems, [
        {
          path: "r[1].email",
          message:
            '"Zo\u00eb.M\u00fcller@example.com" is listed twice (also at r[0]); Connect needs one email per person',
        },
        { path: "r[2].userId", message: '"zmuller" is listed twice (also at r[0]); each user ID once' },
      ]);
      assert.deepEqual(result.kept, [true, false, false]);
    });

    it("a repeated user ID with an address in another script that imitates nobody: the repeat alone", () => {
      const result = rosterRules([
        at("r[0]", "IPETROV", "ivan.petrov@example.com"),
        at("r[1]", "ipetrov", "\u0438\u0432\u0430\u043d@example.com"),
      ]);
      assert.deepEqual(result.problems, [
        { path: "r[1].userId", message: '"ipetrov" is listed twice (also at r[0]); each user ID once' },
      ]);
    });

    it("a repeated user ID whose address imitates someone else's is named for both", () => {
      const result = rosterRules([
        at("r[0]", "ALEE", "alex.lee@example.com"),
        at("r[1]", "SCHEN", "sam.chen@example.com"),
        at("r[2]", "schen", CYRILLIC_ALEX_LEE),
      ]);
      assert.deepEqual(result.problems, [
        { path: "r[2].userId", message: '"schen" is listed twice (also at r[1]); each user ID once' },
        { path: "r[2].email", message: looksLike(CYRILLIC_ALEX_LEE, "alex.lee@example.com", "r[0]") },
      ]);
    });
  });

  describe("over a component's args", () => {
    it("a blank list item (YAML `-` with nothing after it) is left to the shape check; the rest are checked", () => {
      const list = [
        null,
        { userId: "ALEE", email: "alex.lee@example.com" },
        { userId: "alee", email: "a.lee@example.com" },
      ];
      assert.deepEqual(rosterArgRules(list, "vantagepoint.roster", LIBRARY_CALLER), [
        {
          path: "vantagepoint.roster[2].userId",
          message: '"alee" is listed twice (also at vantagepoint.roster[1]); each user ID once',
        },
      ]);
    });

    it("emails and employee keys not known yet (Outputs) are not repeats of each other", () => {
      const list = [
        { userId: "ALEE", email: UNKNOWN, employee: UNKNOWN },
        { userId: "MGARCIA", email: UNKNOWN, employee: UNKNOWN },
        { userId: "SCHEN", email: "sam.chen@example.com", employee: UNKNOWN },
        { userId: "JOKAFOR", email: "jude.okafor@example.com", employee: UNKNOWN },
      ];
      assert.deepEqual(rosterArgRules(list, "people", LIBRARY_CALLER), []);
    });

    it("an employee key written as a YAML number is the shape check's, not a shared key", () => {
      const list = [
        { userId: "ALEE", email: "alex.lee@example.com", employee: 201 },
        { userId: "MGARCIA", email: "maria.garcia@example.com", employee: 201 },
      ];
      assert.deepEqual(rosterArgRules(list, "people", LIBRARY_CALLER), []);
    });

    it("two people given one employee key are named by the caller's key for the second", () => {
      const list = [
        { userId: "ALEE", email: "alex.lee@example.com", employee: "00201" },
        { userId: "MGARCIA", email: "maria.garcia@example.com", employee: " 00201" },
      ];
      const message = (where: string) =>
        `" 00201" is also the employee key at ${where}; each person needs their own employee record: give this person's key, or leave employee out to match by email`;
      assert.deepEqual(rosterArgRules(list, "vantagepoint.roster", LIBRARY_CALLER), [
        { path: "vantagepoint.roster[1].employee", message: message("vantagepoint.roster[0]") },
      ]);
      assert.deepEqual(rosterArgRules(list, "vantagepoint.roster", STACK_CALLER), [
        { path: "roster[1].employee", message: message("roster[0]") },
      ]);
    });

    it("one entry with a blank user ID and email is the shape check's to name, not a repeat", () => {
      assert.deepEqual(rosterArgRules([{ userId: "", email: "" }], "people", LIBRARY_CALLER), []);
    });
  });
});
