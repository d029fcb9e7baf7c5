import assert from "node:assert/strict";
import { DEMO_GROUP_ID, demoDirectory, flattenMembers, startGraphStandIn } from "../../emulator/graph";
import type { GraphStandIn } from "../../emulator/graph";
import {
  clientCredentialsToken,
  describeSkipped,
  GraphReadError,
  groupPeopleNotListed,
  membersUrl,
  readGroupMembers,
  retryAfterMs,
  rosterFromGroup,
  userIdFor,
} from "../../lib/entraGroup";
import type { GraphMember } from "../../lib/entraGroup";

const u = (n: number, extra: Partial<GraphMember> = {}): GraphMember => ({
  "@odata.type": "#microsoft.graph.user",
  id: `id-${n}`,
  userPrincipalName: `person${n}@contoso.example`,
  mail: `person${n}@contoso.example`,
  accountEnabled: true,
  userType: "Member",
  givenName: "Person",
  surname: `No ${n}`,
  ...extra,
});

describe("roster from an Entra ID group: the rules", () => {
  it("users only: nested groups flattened, devices, service principals and contacts ignored and counted", () => {
    const members = flattenMembers(demoDirectory(240), DEMO_GROUP_ID);
    const r = rosterFromGroup(members);
    assert.equal(r.people.length, 240, "120 direct + 120 nested, the one in both once");
    assert.deepEqual(r.skipped.nonUsers, { group: 1, device: 1, servicePrincipal: 1, orgContact: 1 });
    assert.deepEqual(
      describeSkipped(r.skipped)[0],
      "not users, ignored: 1 device, 1 group, 1 orgContact, 1 servicePrincipal",
    );
  });

  it("disabled accounts are not Connect users; guests only with includeGuests", () => {
    const members = [
      u(1),
      u(2, { accountEnabled: false }),
      u(3, { userType: "Guest", userPrincipalName: "g_x.example#EXT#@t.onmicrosoft.com" }),
    ];
    const off = rosterFromGroup(members);
    assert.deepEqual(
      off.people.map((p) => p.userId),
      ["person1"],
    );
    assert.deepEqual(off.skipped.disabled, ["person2@contoso.example"]);
    assert.deepEqual(off.skipped.guests, ["g_x.example#EXT#@t.onmicrosoft.com"]);
    const on = rosterFromGroup(members, { includeGuests: true, userIdRule: "mailPrefix" });
    assert.deepEqual(
      on.people.map((p) => p.userId),
      ["person1", "person3"],
    );
  });

  it("the address is mail; a user without one is reported, never guessed from the UPN", () => {
    const r = rosterFromGroup([u(1, { mail: null }), u(2, { mail: "not-an-address" }), u(3)]);
    assert.deepEqual(
      r.people.map((p) => p.email),
      ["person3@contoso.example"],
    );
    assert.deepEqual(r.skipped.noMail, ["person1@contoso.example", "person2@contoso.example"]);
    assert.match(describeSkipped(r.skipped).join("\n"), /2 users without a mail address, left out/);
  });

  it("the user ID follows the rule: the UPN without the domain by default (Deltek), or the UPN, mail or sAMAccountName", () => {
    const m = u(7, {
      userPrincipalName: "Alex.Lee@contoso.example",
      mail: "alee@contoso.example",
      onPremisesSamAccountName: "ALEE",
    });
    assert.deepEqual(
      (["upnPrefix", "upn", "mailPrefix", "samAccountName"] as const).map((r) => userIdFor(m, r)),
      ["Alex.Lee", "Alex.Lee@contoso.example", "alee", "ALEE"],
    );
    const r = rosterFromGroup([u(1, { onPremisesSamAccountName: null })], { userIdRule: "samAccountName" });
    assert.equal(r.people.length, 0);
    assert.deepEqual(r.skipped.badUserId, [
      { upn: "person1@contoso.example", problem: 'user ID has no value for the rule "samAccountName"' },
    ]);
  });

  it("two members that make the same user ID (case-insensitively) or share a mail: the first is kept, the other named", () => {
    const r = rosterFromGroup([
      u(1, { userPrincipalName: "alee@contoso.example" }),
      u(2, { userPrincipalName: "ALEE@fabrikam.example" }),
    ]);
    assert.deepEqual(
      r.people.map((p) => p.userId),
      ["alee"],
    );
    assert.deepEqual(r.skipped.duplicates, [{ upn: "ALEE@fabrikam.example", of: "alee@contoso.example" }]);
  });

  it("group and static roster combine; the static entry wins for the same person (user ID or email)", () => {
    const group = rosterFromGroup([u(1), u(2), u(3)]).people;
    const rest = groupPeopleNotListed(
      [
        { userId: " PERSON1 ", email: "other@contoso.example" },
        { userId: "someone", email: "Person2@Contoso.example" },
      ],
      group,
    );
    assert.deepEqual(
      rest.map((p) => p.userId),
      ["person3"],
    );
  });
});

describe("roster from an Entra ID group: reading Graph (stand-in on 127.0.0.1)", () => {
  let graph: GraphStandIn | undefined;
  afterEach(async () => {
    await graph?.stop();
    graph = undefined;
  });
  const token = () =>
    clientCredentialsToken({
      tenantId: graph!.tenantId,
      clientId: graph!.clientId,
      clientSecret: graph!.clientSecret,
      tokenUrl: graph!.tokenUrl,
    });

  it("follows @odata.nextLink to the end at 100 a page and waits out a 429's Retry-After", async () => {
    graph = await startGraphStandIn({
      groups: demoDirectory(240),
      throttle: { requests: [2], retryAfterSeconds: 3 },
    });
    const waits: number[] = [];
    const read = await readGroupMembers(DEMO_GROUP_ID, {
      url: graph.url,
      token: token(),
      sleep: async (ms) => void waits.push(ms),
    });
    assert.equal(
      read.members.length,
      247,
      "240 users (one in both groups once), 3 left-out users, the nested group, 3 others",
    );
    assert.deepEqual(
      [read.pages, read.requests, read.units],
      [3, 4, 12],
      "3 pages of transitiveMembers at 4 units",
    );
    assert.deepEqual(waits, [3000], "Retry-After: 3 honoured once");
    assert.equal(graph.counters.throttled, 1);
    assert.equal(graph.counters.tokens, 1, "one token for the whole read");
  });

  it("a read that breaks half-way stops the run, saying how far it got", async () => {
    graph = await startGraphStandIn({ groups: demoDirectory(240), failFrom: { request: 3, status: 500 } });
    const err = await readGroupMembers(DEMO_GROUP_ID, {
      url: graph.url,
      token: token(),
      sleep: async () => {},
    }).then(
      () => assert.fail("a partial read must not succeed"),
      (e: Error) => e,
    );
    assert.ok(err instanceof GraphReadError);
    assert.match(
      err.message,
      /Graph answered 500.*read 200 members in 2 pages before it stopped.*nothing was planned or written/,
    );
  });

  it("endless 429s, a long Retry-After, a refused app, an unknown group and a foreign nextLink all stop", async () => {
    graph = await startGraphStandIn({
      groups: demoDirectory(10),
      throttle: { requests: [1, 2, 3], retryAfterSeconds: 1 },
    });
    const stopped = (p: Promise<unknown>) =>
      p.then(
        () => "read",
        (e: Error) => e.message,
      );
    assert.match(
      await stopped(
        readGroupMembers(DEMO_GROUP_ID, {
          url: graph.url,
          token: token(),
          maxRetries: 2,
          sleep: async () => {},
        }),
      ),
      /answered 429 3 times in a row/,
    );
    await graph.stop();
    graph = await startGraphStandIn({
      groups: demoDirectory(10),
      throttle: { requests: [1], retryAfterSeconds: 600 },
    });
    assert.match(
      await stopped(
        readGroupMembers(DEMO_GROUP_ID, { url: graph.url, token: token(), sleep: async () => {} }),
      ),
      /asked to wait 600 s/,
    );
    assert.match(
      await stopped(
        readGroupMembers("no-such-group", { url: graph.url, token: token(), sleep: async () => {} }),
      ),
      /answered 404 \(no group with that object ID/,
    );
    const forbidden: typeof fetch = async () => new Response("{}", { status: 403 });
    assert.match(
      await stopped(readGroupMembers("g", { url: graph.url, token: async () => "t", fetch: forbidden })),
      /GroupMember\.Read\.All/,
    );
    const foreign: typeof fetch = async () =>
      new Response(JSON.stringify({ value: [], "@odata.nextLink": "https://evil.example/next" }), {
        status: 200,
      });
    assert.match(
      await stopped(readGroupMembers("g", { url: graph.url, token: async () => "t", fetch: foreign })),
      /nextLink leads to another host/,
    );
    const notAList: typeof fetch = async () => new Response(JSON.stringify({ value: {} }), { status: 200 });
    assert.match(
      await stopped(readGroupMembers("g", { url: graph.url, token: async () => "t", fetch: notAList })),
      /no member list/,
    );
  });

  it("a wrong client secret is refused at the token, naming the setting", async () => {
    graph = await startGraphStandIn({ groups: demoDirectory(10) });
    const bad = clientCredentialsToken({
      tenantId: graph.tenantId,
      clientId: graph.clientId,
      clientSecret: "wrong",
      tokenUrl: graph.tokenUrl,
    });
    await assert.rejects(
      bad(),
      /Entra ID refused a Graph token .*401 invalid_client.*roster\.group\.graph\.clientId/,
    );
  });

  it("asks for the fields it needs, 999 a page, and reads Retry-After as seconds or a date", () => {
    assert.equal(
      membersUrl("g1", {}),
      "https://graph.microsoft.com/v1.0/groups/g1/transitiveMembers?$select=id,userPrincipalName,mail,accountEnabled,userType,givenName,surname,displayName,onPremisesSamAccountName&$top=999",
    );
    assert.match(membersUrl("g1", { transitive: false, pageSize: 5000 }), /\/members\?.*\$top=999$/);
    assert.equal(retryAfterMs("7"), 7000);
    assert.equal(retryAfterMs("Thu, 01 Jan 2026 00:00:10 GMT", Date.parse("2026-01-01T00:00:00Z")), 10_000);
    assert.equal(retryAfterMs(null), undefined);
  });
});
