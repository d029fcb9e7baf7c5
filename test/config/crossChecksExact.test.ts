/**
 * lib/config/crossChecks.ts on the parsed sections, each cross-field mistake as a person makes it in a stack file,
 * with the exact issue list (path and message) and the near miss that passes (issue 23).
 */
import assert from "node:assert/strict";
import { crossChecks } from "../../lib/config/crossChecks";
import type { Sections } from "../../lib/config/sections";
import { MAILBOX_ENABLED_REQUIRED } from "../../lib/entra";

const check = (sections: unknown) =>
  crossChecks(sections as Sections).map((i) => `${i.path.join(".")}: ${i.message}`);
const policy = { maxSecretLifetimeDays: 365, allowEws: false };

describe("stack config cross checks (exact answers)", () => {
  it("nothing to say about an empty config", () => {
    assert.deepEqual(check({}), []);
  });

  it("Entra login needs the login app; Windows login takes none", () => {
    assert.deepEqual(check({ entra: { loginMode: "entraId" } }), [
      'entra.loginApp: is required when entra.loginMode is "entraId"; add loginApp.secretRotatedOn (YYYY-MM-DD)',
    ]);
    assert.deepEqual(
      check({ entra: { loginMode: "entraId", loginApp: { secretRotatedOn: "2026-01-01" } } }),
      [],
    );
    assert.deepEqual(
      check({ entra: { loginMode: "windows", loginApp: { secretRotatedOn: "2026-01-01" } } }),
      [
        'entra.loginApp: is not used with entra.loginMode "windows" (Connect signs in through Vantagepoint\'s own OAuth flow); remove it',
      ],
    );
  });

  it("Windows login on 4.5 is refused for the version given; 6.0, or no version, passes", () => {
    assert.deepEqual(check({ entra: { loginMode: "windows" }, vantagepoint: { version: "4.5" } }), [
      `entra.loginMode: Vantagepoint 4.5 does not support Windows (local Active Directory) login with Connect (Deltek: not supported on 3.5 and 4.5; supported from 6.0 through Vantagepoint's OAuth flow); use entra.loginMode "entraId", or upgrade and set vantagepoint.version`,
    ]);
    assert.deepEqual(check({ entra: { loginMode: "windows" }, vantagepoint: { version: "6.0" } }), []);
    assert.deepEqual(check({ entra: { loginMode: "windows" }, vantagepoint: {} }), []);
    assert.deepEqual(
      check({ entra: { loginMode: "entraId", loginApp: {} }, vantagepoint: { version: "4.5" } }),
      [],
    );
  });

  it("a mailbox app section must say whether it is enabled", () => {
    assert.deepEqual(check({ entra: { loginMode: "entraId", loginApp: {}, mailboxApp: {} } }), [
      `entra.mailboxApp.enabled: ${MAILBOX_ENABLED_REQUIRED}`,
    ]);
    assert.deepEqual(
      check({ entra: { loginMode: "entraId", loginApp: {}, mailboxApp: { enabled: false } } }),
      [],
    );
  });

  it("secret lifetimes over the policy's maximum, each app by name; at the maximum passes", () => {
    const apps = (login: number, mailbox: number) => ({
      entra: {
        loginMode: "entraId",
        loginApp: { secretLifetimeDays: login },
        mailboxApp: { enabled: true, secretLifetimeDays: mailbox },
      },
      policy,
    });
    assert.deepEqual(check(apps(400, 366)), [
      "entra.loginApp.secretLifetimeDays: 400 is over policy.maxSecretLifetimeDays (365); lower it",
      "entra.mailboxApp.secretLifetimeDays: 366 is over policy.maxSecretLifetimeDays (365); lower it",
    ]);
    assert.deepEqual(check(apps(365, 365)), []);
    assert.deepEqual(check({ ...apps(400, 400), policy: undefined }), [], "no policy section: no maximum");
  });

  it("EWS needs the policy's consent; Graph, or a policy that allows EWS, passes", () => {
    const ews = (allowEws: boolean, access = "ews") => ({
      entra: { loginMode: "entraId", loginApp: {}, mailboxApp: { enabled: true, access } },
      policy: { ...policy, allowEws },
    });
    assert.deepEqual(check(ews(false)), [
      'entra.mailboxApp.access: "ews" needs policy.allowEws: true (Exchange Online turned EWS off from 1 October 2026); use "graph"',
    ]);
    assert.deepEqual(check(ews(true)), []);
    assert.deepEqual(check(ews(false, "graph")), []);
  });
});
