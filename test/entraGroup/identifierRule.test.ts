import assert from "node:assert/strict";
import { groupPeopleNotListed, rosterFromGroup } from "../../lib/entraGroup/roster";
import type { GroupPerson } from "../../lib/entraGroup/roster";
import { idKey } from "../../lib/vantagepoint/identifiers";
import { rosterIdentity } from "../../lib/vantagepoint/removalBrake";

const groupPerson = (userId: string, email: string): GroupPerson => ({
  userId,
  email,
  firstName: "Ann",
  lastName: "Lee",
  objectId: `obj-${userId}`,
});

describe("group members matched by the Vantagepoint identifier rule (identifiers.ts)", () => {
  it("a static entry wins over a group person whose email differs only in case or surrounding spaces", () => {
    const group = [
      groupPerson("ann.lee", " Ann.Lee@Contoso.Example "),
      groupPerson("bo.park", "bo.park@contoso.example"),
    ];
    const kept = groupPeopleNotListed([{ userId: "ALEE", email: "ann.lee@contoso.example" }], group);
    assert.deepEqual(
      kept.map((p) => p.userId),
      ["bo.park"],
    );
  });

  it("and over one whose user ID differs only so", () => {
    const kept = groupPeopleNotListed(
      [{ userId: " BO.PARK", email: "someone.else@contoso.example" }],
      [groupPerson("bo.park", "bo.park@contoso.example")],
    );
    assert.deepEqual(kept, []);
  });

  it("two members with one address in other case are one person: the second is named and left out", () => {
    const roster = rosterFromGroup([
      { id: "1", userPrincipalName: "ann.lee@contoso.example", mail: "Ann.Lee@Contoso.example" },
      { id: "2", userPrincipalName: "ann.lee2@contoso.example", mail: "ann.lee@contoso.EXAMPLE" },
    ]);
    assert.deepEqual(
      roster.people.map((p) => p.userId),
      ["ann.lee"],
    );
    assert.deepEqual(roster.skipped.duplicates, [
      { upn: "ann.lee2@contoso.example", of: "ann.lee@contoso.example" },
    ]);
  });

  it("the roster's identity of a user ID is the identifier rule's key", () => {
    for (const id of ["ALEE", " alee ", "Ann.Lee@X", "", "ÀLEE"]) assert.equal(rosterIdentity(id), idKey(id));
  });
});
