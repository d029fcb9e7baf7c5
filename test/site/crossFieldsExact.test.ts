/**
 * lib/site/crossFields.ts called as a library: rules that read two args at once, exact answers (issue 23), with
 * the near misses that pass and the values not known yet, which are checked once they are.
 */
import assert from "node:assert/strict";
import { connectApiClientRules, identifierUriRules, siteRosterRules } from "../../lib/site/crossFields";
import { LIBRARY_CALLER as C, UNKNOWN } from "../../lib/site/view";
import type { SiteView } from "../../lib/site/view";

const TENANT = "3f2b8c1d-5e6a-4b7c-9d8e-1a2b3c4d5e6f";
const OTHER_APP = "api://11111111-2222-3333-4444-555555555555/other";

describe("site rules across two args, called as a library (exact answers)", () => {
  it("another app's identifier URI is refused with one in this tenant; unknown tenant or no URI waits", () => {
    assert.deepEqual(identifierUriRules({ tenantId: TENANT, loginApp: { identifierUri: OTHER_APP } }, C), [
      {
        path: "loginApp.identifierUri",
        message: `"${OTHER_APP}" names an application ID, and the login app's own ID is assigned by Entra when this stack creates it, so this is another app's; use "api://${TENANT}/vantagepoint" (api://<tenant id>/<name>), or remove identifierUri for the default api://<application id> (Microsoft: "Restrictions on identifier URIs of Microsoft Entra applications")`,
      },
    ]);
    assert.deepEqual(
      identifierUriRules({ tenantId: TENANT, loginApp: { identifierUri: "api://vp.example.com" } }, C),
      [],
    );
    assert.deepEqual(
      identifierUriRules({ tenantId: UNKNOWN, loginApp: { identifierUri: OTHER_APP } }, C),
      [],
    );
    assert.deepEqual(identifierUriRules({ tenantId: TENANT }, C), []);
    assert.deepEqual(identifierUriRules({}, C), []);
  });

  it("Connect's API client must not be the Client ID this project signs in with (compared without case)", () => {
    const view = (own: unknown, connect?: string): SiteView => ({
      vantagepoint: {
        connection: own as NonNullable<SiteView["vantagepoint"]>["connection"],
        ...(connect ? { connectApiClient: { clientId: connect } } : {}),
      },
    });
    assert.deepEqual(connectApiClientRules(view({ clientId: "VPCONNECT" }, "vpconnect"), C), [
      {
        path: "vantagepoint.connectApiClient.clientId",
        message:
          "\"vpconnect\" is the Client ID this project signs in with (vantagepoint.connection.clientId), not Connect's; copy Connect's Client ID from Connect Administration's Settings tab, or remove vantagepoint.connectApiClient.clientId to find it by name",
      },
    ]);
    assert.deepEqual(connectApiClientRules(view({ clientId: "OWN" }, "CONNECT"), C), []);
    assert.deepEqual(connectApiClientRules(view(UNKNOWN, "vpconnect"), C), []);
    assert.deepEqual(connectApiClientRules(view({ clientId: "VPCONNECT" }), C), []);
    assert.deepEqual(connectApiClientRules(view(undefined, "vpconnect"), C), []);
    assert.deepEqual(connectApiClientRules({}, C), []);
  });

  it("the roster's people: a user ID twice, by index; a roster not known yet or none is fine", () => {
    assert.deepEqual(
      siteRosterRules(
        {
          vantagepoint: {
            roster: [
              { userId: "a", email: "a@x.example" },
              { userId: "A", email: "b@x.example" },
            ],
          },
        },
        C,
      ),
      [
        {
          path: "vantagepoint.roster[1].userId",
          message: '"A" is listed twice (also at vantagepoint.roster[0]); each user ID once',
        },
      ],
    );
    assert.deepEqual(siteRosterRules({ vantagepoint: { roster: UNKNOWN } }, C), []);
    assert.deepEqual(siteRosterRules({}, C), []);
  });
});
