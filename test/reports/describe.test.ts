import assert from "node:assert/strict";
import { keySettings, shortType } from "../../lib/reports/describe";
import { GRANT_WAIT_SCRIPT } from "../../lib/publicEndpoint";
import type { ReportResource } from "../../lib/reports/model";

const command = (inputs: Record<string, unknown>) =>
  ({ type: "command:local:Command", name: "c", custom: true, inputs }) as unknown as ReportResource;

describe("reports: key settings of deploy-time commands", () => {
  it("says how long a wait command waits", () => {
    assert.equal(keySettings(command({ create: "setTimeout(() => {}, 90000)" })), "runs on deploy: waits 90 s");
  });

  it("says how long the grant wait waits, not a piece of its script (issue 19)", () => {
    const settings = keySettings(
      command({ create: GRANT_WAIT_SCRIPT, environment: { VPC_GRANT_WAIT_SECONDS: "180" }, triggers: ["id"] }),
    );
    assert.equal(settings, "runs on deploy: waits 180 s for the Key Vault role assignment");
    assert.equal(
      keySettings(command({ create: "process.stdout.write(require('crypto').randomBytes(3).toString('hex'))" })),
      "runs on deploy once: a random 6-hex-digit vault name suffix",
    );
  });

  it("names the script a command runs and how many inputs re-run it", () => {
    const settings = keySettings(command({ create: "/work/x/scripts/verify-site.js", triggers: ["a", "b"] }));
    assert.equal(settings, "runs on deploy: verify-site.js, re-runs when 2 inputs change");
  });
});

describe("reports: resource types as a person reads them", () => {
  it("keeps the package for index-module providers, drops it for azure-native, names dynamic resources", () => {
    assert.equal(shortType("random:index/randomString:RandomString"), "random:RandomString");
    assert.equal(shortType("azure-native:network:PublicIPAddress"), "network:PublicIPAddress");
    assert.equal(shortType("azuread:index/application:Application"), "azuread:Application");
    assert.equal(shortType("pulumi-nodejs:dynamic:Resource"), "dynamic");
    assert.equal(shortType("vantagepoint-connect:index:ConnectSite"), "index:ConnectSite");
  });
});
