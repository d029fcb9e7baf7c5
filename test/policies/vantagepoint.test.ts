import * as assert from "node:assert/strict";
import {
  connectAdminLinked,
  connectAdminRole,
  connectApiClientProtected,
  connectUsersLinked,
} from "../../policies/vantagepoint";
import { rosterText } from "../../lib/vantagepoint/rosterText";
import { adminRole, apiClient, roster, site, stack } from "./fixtures";
import {
  assertHasViolation,
  assertNoViolations,
  assertNotApplicable,
  runPolicy,
  TestResource,
  UNKNOWN,
} from "./util";

const KINDS = ["ConnectRoster", "ConnectAdminRole", "ConnectApiClient"];

/** The happy stack with the Vantagepoint resource of `kind` replaced (or removed when `r` is null). */
function stackWith(kind: string, r: TestResource | null): TestResource[] {
  if (!KINDS.includes(kind)) throw new Error(kind);
  const rest = stack().filter((x) => x.props.vpconnectResource !== kind);
  return r ? [...rest, r] : rest;
}

describe("connect-admin-role (P3)", () => {
  it("passes a seeded role with Connect Administration of type Administrator", async () => {
    await assertNoViolations(connectAdminRole, stack());
  });

  it("fails when the stack declares no ConnectAdminRole", async () => {
    await assertHasViolation(
      connectAdminRole,
      stackWith("ConnectAdminRole", null),
      "must declare the Connect configurer's security role",
    );
  });

  it("fails when the role lacks Connect Administration", async () => {
    const r = adminRole();
    r.props.connectAdministration = false;
    const v = await assertHasViolation(
      connectAdminRole,
      stackWith("ConnectAdminRole", r),
      "must grant Connect Administration",
    );
    assert.match(v.urn ?? "", /dynamic:Resource::admin-role$/);
  });

  it("fails when the role does not exist in Vantagepoint", async () => {
    const r = adminRole();
    r.props.exists = false;
    await assertHasViolation(
      connectAdminRole,
      stackWith("ConnectAdminRole", r),
      "must exist in Vantagepoint",
    );
  });

  it("says the role is a manual step (not that it is missing) where the server has no role endpoint", async () => {
    const r = adminRole();
    r.props.available = false;
    r.props.manualSteps = ["Settings > Security > Roles > ADMIN: select Connect."];
    const result = await runPolicy(connectAdminRole, stackWith("ConnectAdminRole", r));
    assert.deepEqual(result.violations, []);
    assert.match(result.notApplicable.join(" "), /manual step: .*Settings > Security > Roles > ADMIN/);
  });

  it("fails a non-Administrator role when Administrator type is required (7.0+)", async () => {
    const r = adminRole();
    r.props.roleType = "Standard";
    await assertHasViolation(
      connectAdminRole,
      stackWith("ConnectAdminRole", r),
      "must have Administrator among its types",
    );
  });

  it("takes role types as a set: Administrator among others passes, others without it fail", async () => {
    const r = adminRole();
    r.props.roleTypes = ["Accounting", "Administrator", "CRM"];
    await assertNoViolations(connectAdminRole, stackWith("ConnectAdminRole", r));
    const s2 = adminRole();
    s2.props.roleType = "Accounting,CRM";
    await assertHasViolation(connectAdminRole, stackWith("ConnectAdminRole", s2), "it has 'Accounting, CRM'");
  });

  it("accepts a non-Administrator role when the type is not required", async () => {
    const r = adminRole();
    r.props.roleType = "Standard";
    r.props.requireAdministratorType = false;
    await assertNoViolations(connectAdminRole, stackWith("ConnectAdminRole", r));
  });

  it("fails when the configurer's role is not the checked role", async () => {
    const ros = roster();
    ros.props.entries[0].role = "ACCOUNTING";
    await assertHasViolation(
      connectAdminRole,
      stackWith("ConnectRoster", ros),
      "Configurer 'ada' has role 'ACCOUNTING'",
    );
  });

  it("says it cannot verify when the role has not been read from Vantagepoint (inputs only)", async () => {
    await assertNotApplicable(
      connectAdminRole,
      stackWith("ConnectAdminRole", adminRole(false)),
      "is not known until the resource has read Vantagepoint",
    );
  });

  it("says it cannot verify when the output is unknown during preview", async () => {
    const r = adminRole();
    r.props.connectAdministration = UNKNOWN.boolean;
    await assertNotApplicable(
      connectAdminRole,
      stackWith("ConnectAdminRole", r),
      "ConnectAdminRole admin-role",
    );
  });
});

describe("connect-admin-linked (P4)", () => {
  it("passes a seeded roster whose configurer is linked and active", async () => {
    await assertNoViolations(connectAdminLinked, stack());
  });

  it("fails when the stack has no roster", async () => {
    await assertHasViolation(
      connectAdminLinked,
      stackWith("ConnectRoster", null),
      "must declare a ConnectRoster",
    );
  });

  it("fails when no roster entry is the configurer", async () => {
    const r = roster();
    r.props.entries[0].configurer = false;
    await assertHasViolation(connectAdminLinked, stackWith("ConnectRoster", r), "configurer: true");
  });

  it("fails when the configurer's email is invalid", async () => {
    const r = roster(false);
    r.props.entries[0].email = "ada.example.com";
    await assertHasViolation(
      connectAdminLinked,
      stackWith("ConnectRoster", r),
      "must have a valid email (found 'ada.example.com')",
    );
  });

  it("fails when the configurer's employee is not linked", async () => {
    const r = roster();
    r.props.people[0].linked = false;
    await assertHasViolation(
      connectAdminLinked,
      stackWith("ConnectRoster", r),
      "employee not linked to the user",
    );
  });

  it("fails when the configurer's employee is terminated", async () => {
    const r = roster();
    r.props.people[0].employeeStatus = "T";
    await assertHasViolation(
      connectAdminLinked,
      stackWith("ConnectRoster", r),
      "employee status T, must be A (Active)",
    );
  });

  it("fails when the configurer was not found in Vantagepoint", async () => {
    const r = roster();
    r.props.people.shift();
    await assertHasViolation(
      connectAdminLinked,
      stackWith("ConnectRoster", r),
      "Configurer 'ada' must exist in Vantagepoint",
    );
  });

  it("checks inputs and says it cannot verify the link before a run", async () => {
    const result = await assertNotApplicable(
      connectAdminLinked,
      stackWith("ConnectRoster", roster(false)),
      "employee/user link of the configurer",
    );
    assert.equal(result.violations.length, 0);
  });
});

describe("connect-users-linked (P5)", () => {
  it("passes a seeded roster where everyone is linked and active", async () => {
    await assertNoViolations(connectUsersLinked, stack());
  });

  it("fails when the stack has no roster", async () => {
    await assertHasViolation(
      connectUsersLinked,
      stackWith("ConnectRoster", null),
      "Connect cannot work without linked users",
    );
  });

  it("fails an empty roster", async () => {
    const r = roster();
    r.props.entries = [];
    await assertHasViolation(
      connectUsersLinked,
      stackWith("ConnectRoster", r),
      "must list at least one Connect user",
    );
  });

  it("reads roster text (one person a line, as ConnectRoster writes it) like the list it replaces", async () => {
    const r = roster();
    r.props.entries = rosterText(r.props.entries);
    await assertNoViolations(connectUsersLinked, stackWith("ConnectRoster", r));
    await assertNoViolations(connectAdminLinked, stackWith("ConnectRoster", r));
    const bad = roster();
    bad.props.entries[1].email = "grace@";
    bad.props.entries = rosterText(bad.props.entries);
    await assertHasViolation(
      connectUsersLinked,
      stackWith("ConnectRoster", bad),
      "invalid: grace ('grace@')",
    );
  });

  it("fails roster text it cannot read, naming the line, rather than reading it as nobody", async () => {
    const r = roster();
    r.props.entries = `${rosterText(r.props.entries)}\n{"userId":`;
    await assertHasViolation(
      connectUsersLinked,
      stackWith("ConnectRoster", r),
      "entries line 4 is not a JSON object; each line is one person",
    );
  });

  it("fails a user without a valid email", async () => {
    const r = roster();
    r.props.entries[1].email = "";
    await assertHasViolation(connectUsersLinked, stackWith("ConnectRoster", r), "invalid: grace ('')");
  });

  it("fails a user ID that breaks the Users form rules", async () => {
    const r = roster();
    r.props.entries[2].userId = "alan.@example.com";
    await assertHasViolation(
      connectUsersLinked,
      stackWith("ConnectRoster", r),
      'a "." may not stand right before "@"',
    );
  });

  it("fails repeated user IDs (case-insensitive)", async () => {
    const r = roster();
    r.props.entries[1].userId = "ADA";
    await assertHasViolation(connectUsersLinked, stackWith("ConnectRoster", r), "repeated: ada");
  });

  it("fails repeated emails", async () => {
    const r = roster();
    r.props.entries[1].email = "ada@example.com";
    await assertHasViolation(connectUsersLinked, stackWith("ConnectRoster", r), "emails must be unique");
  });

  it("fails an inactive employee", async () => {
    const r = roster();
    r.props.people[1].employeeStatus = "I";
    await assertHasViolation(
      connectUsersLinked,
      stackWith("ConnectRoster", r),
      "grace (employee status I, must be A (Active))",
    );
  });

  it("fails a user whose link is missing", async () => {
    const r = roster();
    r.props.people[2].linked = false;
    r.props.people[2].employee = "";
    await assertHasViolation(
      connectUsersLinked,
      stackWith("ConnectRoster", r),
      "alan@example.com (employee not linked to the user)",
    );
  });

  it("fails entries not found in Vantagepoint", async () => {
    const r = roster();
    r.props.people.pop();
    await assertHasViolation(
      connectUsersLinked,
      stackWith("ConnectRoster", r),
      "1 not found: alan@example.com",
    );
  });

  it("lists at most ten offenders and counts the rest", async () => {
    const r = roster();
    for (let i = 0; i < 25; i++) {
      r.props.entries.push({ userId: `u${i}`, email: `u${i}@example.com`, firstName: "U", lastName: `${i}` });
    }
    const v = await assertHasViolation(connectUsersLinked, stackWith("ConnectRoster", r), "25 not found");
    assert.match(v.message, /and 15 more\.$/);
  });

  it("checks inputs and says it cannot verify links before a run", async () => {
    const r = roster(false);
    r.props.entries[1].email = "nope";
    const result = await assertNotApplicable(
      connectUsersLinked,
      stackWith("ConnectRoster", r),
      "employee/user links of ConnectRoster roster",
    );
    assert.equal(result.violations.length, 1);
    assert.match(result.violations[0].message, /grace \('nope'\)/);
  });

  it("treats people unknown during preview as not yet verified", async () => {
    const r = roster();
    r.props.people = UNKNOWN.array;
    await assertNotApplicable(connectUsersLinked, stackWith("ConnectRoster", r), "is not known until");
  });

  it("never puts the connection password in a message", async () => {
    const r = roster();
    r.props.people = [];
    const result = await runPolicy(connectUsersLinked, stackWith("ConnectRoster", r));
    assert.ok(result.violations.length > 0);
    for (const v of result.violations) assert.doesNotMatch(v.message, /p@ss|vp-secret/);
  });
});

describe("connect-api-client-protected (P6)", () => {
  it("fails when the adopted record is not the one with the configured Client ID", async () => {
    const c = apiClient();
    c.props.expectedClientId = "c0nnect-configured";
    c.props.clientId = "someone-elses-client";
    await assertHasViolation(
      connectApiClientProtected,
      stackWith("ConnectApiClient", c),
      "must adopt the API Authorization with the configured Client ID c0nnect-configured",
    );
    const ok = apiClient();
    ok.props.expectedClientId = String(ok.props.clientId);
    await assertNoViolations(connectApiClientProtected, stackWith("ConnectApiClient", ok));
  });

  it("passes one protected, retained API client", async () => {
    await assertNoViolations(connectApiClientProtected, stack());
  });

  it("fails when no resource adopts the API Authorization", async () => {
    await assertHasViolation(
      connectApiClientProtected,
      stackWith("ConnectApiClient", null),
      "must adopt the Connect API Authorization",
    );
  });

  it("fails an unprotected client", async () => {
    const c = apiClient();
    c.opts!.protect = false;
    await assertHasViolation(
      connectApiClientProtected,
      stackWith("ConnectApiClient", c),
      "must be protected (protect: true)",
    );
  });

  it("fails a client not retained on delete when the caller passes retainOnDelete", async () => {
    const c = apiClient();
    c.opts!.retainOnDelete = false;
    await assertHasViolation(
      connectApiClientProtected,
      stackWith("ConnectApiClient", c),
      "retainOnDelete: true",
    );
  });

  it("checks protect alone when opts carry no retainOnDelete (as @pulumi/policy 1.21 gives them)", async () => {
    const c = apiClient();
    delete c.opts!.retainOnDelete;
    await assertNoViolations(connectApiClientProtected, stackWith("ConnectApiClient", c));
  });

  it("fails when clientSecret is not an additional secret output", async () => {
    const c = apiClient();
    c.opts!.additionalSecretOutputs = ["connection"];
    await assertHasViolation(
      connectApiClientProtected,
      stackWith("ConnectApiClient", c),
      '"clientSecret" in additionalSecretOutputs',
    );
  });

  it("fails two resources managing the same API Authorization", async () => {
    const second = apiClient();
    second.name = "api-client-copy";
    const result = await runPolicy(connectApiClientProtected, [...stack(), second]);
    const dupes = result.violations.filter((v) => v.message.includes("Only one resource may manage"));
    assert.equal(dupes.length, 2);
    assert.deepEqual(dupes.map((v) => v.urn?.split("::").pop()).sort(), ["api-client", "api-client-copy"]);
  });

  it("fails two differently named resources adopting the same client id", async () => {
    const second = apiClient();
    second.name = "renamed";
    second.props.name = "Connect (old)";
    await assertHasViolation(connectApiClientProtected, [...stack(), second], "manages the same one as");
  });

  it("accepts clients on two different databases", async () => {
    const second = apiClient();
    second.name = "test-db";
    second.props.connection.database = "VP_TEST";
    await assertNoViolations(connectApiClientProtected, [site(), apiClient(), second]);
  });
});
