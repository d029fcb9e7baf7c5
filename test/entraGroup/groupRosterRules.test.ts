/**
 * The group-roster rules with exact answers (issue 23): directory data as people really leave it (names only in
 * displayName, UPNs pasted with spaces, no sAMAccountName in a cloud-only tenant, the same user through two nested
 * groups) and the warning lines a reviewer reads.
 */
import assert from "node:assert/strict";
import {
  describeSkipped,
  groupPeopleNotListed,
  memberType,
  rosterFromGroup,
  USER_ID_RULES,
  userIdFor,
} from "../../lib/entraGroup/roster";
import type { GraphMember, GroupSkipped } from "../../lib/entraGroup/roster";

const user = (id: string, extra: Partial<GraphMember> = {}): GraphMember => ({
  "@odata.type": "#microsoft.graph.user",
  id,
  userPrincipalName: `${id}@contoso.example`,
  mail: `${id}@contoso.example`,
  accountEnabled: true,
  userType: "Member",
  givenName: "Given",
  surname: "Sur",
  ...extra,
});
const namesOf = (m: GraphMember) => {
  const p = rosterFromGroup([m]).people[0]!;
  return [p.firstName, p.lastName];
};
const none: GroupSkipped = {
  nonUsers: {},
  disabled: [],
  guests: [],
  noMail: [],
  badUserId: [],
  duplicates: [],
};

describe("group roster rules (exact answers)", () => {
  it("the user ID rules the config accepts are exactly the four documented ones", () => {
    assert.deepEqual(USER_ID_RULES, ["upnPrefix", "upn", "mailPrefix", "samAccountName"]);
  });

  it("a member without @odata.type is a user; the namespace is taken off the others", () => {
    assert.equal(memberType({ id: "1" }), "user");
    assert.equal(
      memberType({ id: "1", "@odata.type": "#microsoft.graph.servicePrincipal" }),
      "servicePrincipal",
    );
  });

  it("each rule reads its field trimmed; a field without what the rule needs gives no user ID", () => {
    const m = user("x", {
      userPrincipalName: " Alex.Lee@contoso.example ",
      mail: " alex@contoso.example\t",
      onPremisesSamAccountName: " ALEE ",
    });
    assert.equal(userIdFor(m), "Alex.Lee", "upnPrefix is the default");
    assert.equal(userIdFor(m, "upn"), "Alex.Lee@contoso.example");
    assert.equal(userIdFor(m, "mailPrefix"), "alex");
    assert.equal(userIdFor(m, "samAccountName"), "ALEE");
    const cloudOnly = user("y", { userPrincipalName: "alee", mail: "alee", onPremisesSamAccountName: null });
    assert.equal(userIdFor(cloudOnly, "upnPrefix"), undefined);
    assert.equal(userIdFor(cloudOnly, "mailPrefix"), undefined);
    assert.equal(userIdFor(cloudOnly, "samAccountName"), undefined);
    assert.equal(userIdFor(user("z", { userPrincipalName: "  " }), "upn"), undefined);
    assert.equal(userIdFor(user("z", { userPrincipalName: null, mail: null }), "upn"), undefined);
    assert.equal(userIdFor(user("z", { userPrincipalName: null, mail: null }), "mailPrefix"), undefined);
  });

  it("names come from givenName and surname (trimmed), else from displayName split at its last space", () => {
    assert.deepEqual(namesOf(user("a", { givenName: " Ann ", surname: " Lee " })), ["Ann", "Lee"]);
    const display = (extra: Partial<GraphMember>) =>
      namesOf(user("bo.lee", { givenName: null, surname: null, displayName: null, ...extra }));
    assert.deepEqual(display({ displayName: " Mary Ann Smith " }), ["Mary Ann", "Smith"]);
    assert.deepEqual(display({ givenName: "Ann", displayName: "Ann Smith-Jones" }), ["Ann", "Smith-Jones"]);
    assert.deepEqual(display({ surname: "Lee", displayName: "Alex Lee" }), ["Alex", "Lee"]);
    assert.deepEqual(display({ displayName: "Cher" }), ["Cher", "Cher"]);
    assert.deepEqual(display({ surname: "Lee" }), ["Lee", "Lee"]);
    assert.deepEqual(display({ givenName: "Ann" }), ["Ann", "Ann"]);
    assert.deepEqual(display({}), ["bo.lee", "bo.lee"], "nothing but the UPN: its name part");
  });

  it("the same user through two nested groups is one person, not a duplicate", () => {
    const ann = user("ann");
    const r = rosterFromGroup([ann, { ...ann }]);
    assert.equal(r.people.length, 1);
    assert.deepEqual(r.skipped, none);
  });

  it("a member without a UPN is named by its object ID; the mail is trimmed", () => {
    const r = rosterFromGroup([
      user("gone", { userPrincipalName: null, accountEnabled: false }),
      user("ann", { mail: " Ann@Contoso.example " }),
      user("g", { userPrincipalName: " g_fabrikam.example#EXT#@contoso.example ", userType: "Guest" }),
    ]);
    assert.deepEqual(r.skipped.disabled, ["gone"]);
    assert.deepEqual(r.skipped.guests, ["g_fabrikam.example#EXT#@contoso.example"]);
    assert.deepEqual(r.people, [
      { userId: "ann", email: "Ann@Contoso.example", firstName: "Given", lastName: "Sur", objectId: "ann" },
    ]);
  });

  it("a user ID the rule makes but Vantagepoint refuses is left out with the reason, as is a missing one", () => {
    const r = rosterFromGroup(
      [
        user("a", { userPrincipalName: "a..b.@contoso.example" }),
        user("b", { userPrincipalName: "x@y@contoso.example" }),
        user("c", { onPremisesSamAccountName: "CLEE" }),
      ],
      { userIdRule: "upn" },
    );
    assert.deepEqual(r.skipped.badUserId, [
      { upn: "a..b.@contoso.example", problem: 'user ID must not have "." right before the @' },
      { upn: "x@y@contoso.example", problem: "user ID must contain at most one @" },
    ]);
    const sam = rosterFromGroup([user("d"), user("c", { onPremisesSamAccountName: "CLEE" })], {
      userIdRule: "samAccountName",
    });
    assert.deepEqual(sam.skipped.badUserId, [
      { upn: "d@contoso.example", problem: 'user ID has no value for the rule "samAccountName"' },
    ]);
    assert.deepEqual(
      sam.people.map((p) => p.userId),
      ["CLEE"],
    );
  });

  it("a static entry written with spaces and capitals still wins over the group's same person", () => {
    const group = rosterFromGroup([user("ann"), user("bob")]).people;
    assert.deepEqual(
      groupPeopleNotListed([{ userId: "someone", email: " ANN@contoso.example " }], group).map(
        (p) => p.userId,
      ),
      ["bob"],
    );
  });

  it("describes who was left out, one line a reason, ten names then a count", () => {
    assert.deepEqual(describeSkipped(none), []);
    const upns = (n: number, p: string) =>
      Array.from({ length: n }, (_, i) => `${p}${i + 1}@contoso.example`);
    const lines = describeSkipped({
      nonUsers: { servicePrincipal: 1, device: 2 },
      disabled: upns(11, "d"),
      guests: upns(10, "g"),
      noMail: ["n1@contoso.example"],
      badUserId: [{ upn: "b@contoso.example", problem: "user ID must contain at most one @" }],
      duplicates: [{ upn: "dup@contoso.example", of: "ann@contoso.example" }],
    });
    assert.deepEqual(lines, [
      "not users, ignored: 2 devices, 1 servicePrincipal",
      `11 disabled accounts, not Connect users: ${upns(10, "d").join(", ")}, ... (11)`,
      `10 guests left out (roster.group.includeGuests is off): ${upns(10, "g").join(", ")}`,
      "1 users without a mail address, left out (set their mail in Entra ID): n1@contoso.example",
      "b@contoso.example: user ID must contain at most one @; left out",
      "dup@contoso.example: same user ID or email as ann@contoso.example; left out",
    ]);
  });
});
