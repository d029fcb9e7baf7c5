import * as assert from "node:assert/strict";
import {
  entraLoginRedirectMatchesPublicUrl,
  entraSecretMaxLifetime,
  expectedRedirectUri,
  mailboxAppLeastPrivilege,
} from "../../policies/entra";
import {
  appPassword,
  component,
  EXCHANGE,
  GRAPH,
  loginApp,
  mailboxApp,
  stack,
  vaultSecret,
} from "./fixtures";
import { assertHasViolation, assertNoViolations, assertNotApplicable, TestResource } from "./util";

/** The happy stack with the login app replaced (or removed). */
function stackWithLogin(app: TestResource | null): TestResource[] {
  const rest = stack().filter(
    (r) => !(r.type === "azuread:index/application:Application" && r.name === "login"),
  );
  return app ? [...rest, app] : rest;
}

describe("entra-login-redirect-matches-public-url (P7)", () => {
  it("passes when the redirect URI is the public URL's app path over HTTPS", async () => {
    await assertNoViolations(entraLoginRedirectMatchesPublicUrl, stack());
  });

  it("fails a redirect URI on another host", async () => {
    const app = loginApp();
    app.props.web.redirectUris = ["https://old.example.com/vantagepoint/app"];
    await assertHasViolation(
      entraLoginRedirectMatchesPublicUrl,
      stackWithLogin(app),
      "must have the web redirect URI https://vp.example.com/vantagepoint/app",
    );
  });

  it("fails an http:// redirect URI", async () => {
    const app = loginApp();
    app.props.web.redirectUris = ["http://vp.example.com/vantagepoint/app"];
    await assertHasViolation(entraLoginRedirectMatchesPublicUrl, stackWithLogin(app), "must use HTTPS");
  });

  it("fails a redirect URI with the wrong path", async () => {
    const app = loginApp();
    app.props.web.redirectUris = ["https://vp.example.com/"];
    await assertHasViolation(
      entraLoginRedirectMatchesPublicUrl,
      stackWithLogin(app),
      "found https://vp.example.com/",
    );
  });

  it("follows the configured app path (cloud-hosted paths differ)", async () => {
    const app = loginApp();
    app.props.web.redirectUris = ["https://vp.example.com/vp/app"];
    await assertNoViolations(entraLoginRedirectMatchesPublicUrl, stackWithLogin(app), {
      config: { vantagepointAppPath: "/vp/app" },
    });
  });

  it("takes the public URL from policy config over the component output", async () => {
    await assertHasViolation(
      entraLoginRedirectMatchesPublicUrl,
      stack(),
      "https://new.example.com/vantagepoint/app",
      {
        config: { publicUrl: "https://new.example.com" },
      },
    );
  });

  it("fails when the public URL cannot be found, rather than passing", async () => {
    const noUrl = stackWithLogin(loginApp()).map((r) =>
      r.type.endsWith("ConnectSite") ? { ...r, props: {} } : r,
    );
    await assertHasViolation(entraLoginRedirectMatchesPublicUrl, noUrl, "The public URL must be known");
  });

  it("accepts the redirect URI from a separate ApplicationRedirectUris resource", async () => {
    const app = loginApp();
    app.props.web.redirectUris = [];
    const extra: TestResource = {
      type: "azuread:index/applicationRedirectUris:ApplicationRedirectUris",
      name: "login-redirects",
      parent: component("VantagepointLoginApp", "login"),
      props: {
        applicationId: "/applications/1",
        type: "Web",
        redirectUris: ["https://VP.example.com/vantagepoint/app/"],
      },
    };
    await assertNoViolations(entraLoginRedirectMatchesPublicUrl, [...stackWithLogin(app), extra]);
  });

  it("is not applicable without a login app (local Active Directory login)", async () => {
    await assertNotApplicable(
      entraLoginRedirectMatchesPublicUrl,
      stackWithLogin(null),
      "local Active Directory login",
    );
  });

  it("builds the expected URI from origin and path", () => {
    assert.equal(
      expectedRedirectUri("https://VP.example.com/", "/vantagepoint/app"),
      "https://vp.example.com/vantagepoint/app",
    );
    assert.equal(
      expectedRedirectUri("https://vp.example.com/vantagepoint/app", "/vantagepoint/app"),
      "https://vp.example.com/vantagepoint/app",
    );
    assert.equal(
      expectedRedirectUri("https://vp.example.com/vantagepoint", "/vantagepoint/app"),
      "https://vp.example.com/vantagepoint/app",
    );
    assert.equal(expectedRedirectUri("not a url", "/x"), undefined);
  });
});

describe("entra-secret-max-lifetime", () => {
  it("passes a password and a Key Vault secret within 730 days", async () => {
    await assertNoViolations(entraSecretMaxLifetime, [appPassword(730), vaultSecret(365)]);
  });

  it("fails a password that lives longer than the limit", async () => {
    await assertHasViolation(
      entraSecretMaxLifetime,
      appPassword(800),
      "must expire within 730 days; endDate is 800 days",
    );
  });

  it("fails a password with no endDate", async () => {
    const p = appPassword();
    delete p.props.endDate;
    await assertHasViolation(entraSecretMaxLifetime, p, "must set endDate");
  });

  it("fails a password that has already expired", async () => {
    await assertHasViolation(entraSecretMaxLifetime, appPassword(-1), "has already expired");
  });

  it("reads endDateRelative", async () => {
    const ok = appPassword();
    delete ok.props.endDate;
    ok.props.endDateRelative = "4380h";
    await assertNoViolations(entraSecretMaxLifetime, ok);
    const long = appPassword();
    delete long.props.endDate;
    long.props.endDateRelative = "87600h";
    await assertHasViolation(entraSecretMaxLifetime, long, "endDateRelative is 3650 days");
  });

  it("fails a Key Vault secret without expiry", async () => {
    const s = vaultSecret();
    delete s.props.properties.attributes.expires;
    await assertHasViolation(entraSecretMaxLifetime, s, "must set properties.attributes.expires");
  });

  it("fails a Key Vault secret beyond the configured lifetime", async () => {
    await assertHasViolation(entraSecretMaxLifetime, vaultSecret(200), "must expire within 90 days", {
      config: { maxSecretLifetimeDays: 90 },
    });
  });

  it("never puts the secret value in a message", async () => {
    const s = vaultSecret(5000);
    const v = await assertHasViolation(entraSecretMaxLifetime, s, "must expire within");
    assert.doesNotMatch(v.message, /s3cr3t/);
  });
});

describe("mailbox-app-least-privilege (P8)", () => {
  it("passes delegated Graph scopes", async () => {
    await assertNoViolations(mailboxAppLeastPrivilege, [mailboxApp(), loginApp()]);
  });

  it("fails Graph Mail.ReadWrite as an application role", async () => {
    const app = mailboxApp();
    app.props.requiredResourceAccesses[0].resourceAccesses[0].type = "Role";
    app.props.requiredResourceAccesses[0].resourceAccesses[0].id = "e2a3a72e-5f79-4c64-b1b1-878b674786c9";
    await assertHasViolation(mailboxAppLeastPrivilege, app, "Graph application permission Mail.ReadWrite");
  });

  it("fails Exchange full_access_as_app", async () => {
    const app = mailboxApp();
    app.props.requiredResourceAccesses.push({
      resourceAppId: EXCHANGE,
      resourceAccesses: [{ id: "dc890d15-9560-4a4c-9b7f-a736ec74ec40", type: "Role" }],
    });
    await assertHasViolation(mailboxAppLeastPrivilege, app, "full_access_as_app");
  });

  it("fails any Graph application role on the mailbox app", async () => {
    const app = mailboxApp();
    app.props.requiredResourceAccesses[0].resourceAccesses.push({
      id: "df021288-bdef-4463-88db-98f22de89214",
      type: "Role",
    });
    await assertHasViolation(
      mailboxAppLeastPrivilege,
      app,
      "must use delegated (Scope) Graph permissions only",
    );
  });

  it("leaves non-mailbox Graph roles alone outside the mailbox app", async () => {
    const app = loginApp();
    app.props.requiredResourceAccesses = [
      {
        resourceAppId: GRAPH,
        resourceAccesses: [{ id: "df021288-bdef-4463-88db-98f22de89214", type: "Role" }],
      },
    ];
    await assertNoViolations(mailboxAppLeastPrivilege, app);
  });

  it("fails EWS unless allowEws is set", async () => {
    const app = mailboxApp();
    app.props.requiredResourceAccesses.push({
      resourceAppId: EXCHANGE,
      resourceAccesses: [{ id: "3b5f3d61-589b-4a3c-a359-5dd4b5ee5bd5", type: "Scope" }],
    });
    await assertHasViolation(mailboxAppLeastPrivilege, app, "EWS.AccessAsUser.All unless allowEws");
    await assertNoViolations(mailboxAppLeastPrivilege, app, { config: { allowEws: true } });
  });

  it("fails an app role assignment of a mailbox role", async () => {
    const a: TestResource = {
      type: "azuread:index/appRoleAssignment:AppRoleAssignment",
      name: "grant",
      props: {
        appRoleId: "810c84a8-4a9e-49e6-bf7d-12d183f40d01",
        principalObjectId: "p",
        resourceObjectId: "r",
      },
    };
    await assertHasViolation(mailboxAppLeastPrivilege, a, "Mail.Read");
  });

  it("is advisory by default", async () => {
    const app = mailboxApp();
    app.props.requiredResourceAccesses[0].resourceAccesses[0] = {
      id: "e2a3a72e-5f79-4c64-b1b1-878b674786c9",
      type: "Role",
    };
    const v = await assertHasViolation(mailboxAppLeastPrivilege, app, "Mail.ReadWrite");
    assert.equal(v.level, "advisory");
  });
});
