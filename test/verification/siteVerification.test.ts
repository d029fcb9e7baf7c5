import assert from "node:assert/strict";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";

import { type Harness, childrenOf, installMocks, valueOf } from "../support/pulumiMocks";
import {
  SITE_VERIFICATION_TOKEN,
  SiteVerification,
  type SiteVerificationArgs,
  secretInputNames,
  verifyScriptPath,
} from "../../components/siteVerification";
import {
  secretLookingEntries,
  validateVerificationUrl,
  verificationEnvironment,
} from "../../lib/siteVerification";

const COMMAND = "command:local:Command";
const SCRIPT = path.resolve(__dirname, "../../scripts/verify-site.js");

const ARGS: SiteVerificationArgs = {
  publicUrl: "https://vp.contoso.com/vantagepoint",
  apiUrl: "https://vp.contoso.com/vantagepoint/api",
  loginUrl: "https://vp.contoso.com/vantagepoint/app/login/callback",
  certificateMinDays: 30,
  publicIpAddress: "20.1.2.3",
  certificateSecretId: "https://connect-kv.vault.azure.net/secrets/vp-contoso-com",
  backendAddress: "10.0.2.4",
};

describe("SiteVerification under mocks", () => {
  let harness: Harness;

  before(async () => {
    harness = await installMocks({
      // The mock echoes inputs; give the command the stdout a real run would produce.
      outputs: (a) =>
        a.type === COMMAND ? { stdout: "verify-site: all checks passed (3 ok)", stderr: "" } : undefined,
    });
  });
  after(() => harness.restore());
  beforeEach(() => harness.reset());

  async function build(args: SiteVerificationArgs = ARGS) {
    const site = new SiteVerification("contoso", args);
    await harness.settle();
    return { site, component: harness.one(SITE_VERIFICATION_TOKEN), command: harness.one(COMMAND) };
  }

  it("runs node on the absolute script path, with no shell, update or delete command", async () => {
    const { command } = await build();
    assert.deepEqual(command.inputs.interpreter, ["node"]);
    assert.equal(command.inputs.create, SCRIPT);
    assert.ok(path.isAbsolute(command.inputs.create));
    assert.equal(command.inputs.update, undefined, "no update: a change re-runs create");
    assert.equal(command.inputs.delete, undefined, "no delete command that could fail destroy");
    assert.equal(command.inputs.addPreviousOutputInEnv, false);
    assert.equal(command.inputs.logging, "stdoutAndStderr");
  });

  it("is a child of the component and exports the command's stdout as the report", async () => {
    const { site, component, command } = await build();
    assert.equal(command.parent, component.urn);
    assert.deepEqual(
      childrenOf(harness, component).map((r) => r.type),
      [COMMAND],
    );
    assert.equal(await valueOf(site.report), "verify-site: all checks passed (3 ok)");
  });

  it("re-runs when the public URL, certificate or backend changes (triggers)", async () => {
    const { command } = await build();
    const triggers = command.inputs.triggers as string[];
    assert.ok(triggers.includes("publicUrl=https://vp.contoso.com/vantagepoint"), triggers.join(" "));
    assert.ok(triggers.includes("certificate=https://connect-kv.vault.azure.net/secrets/vp-contoso-com"));
    assert.ok(triggers.includes("backend=10.0.2.4"));
    assert.ok(triggers.includes("publicIp=20.1.2.3"));
    harness.reset();
    const changed = await build({ ...ARGS, backendAddress: "10.0.2.5", extraTriggers: ["gateway-v2"] });
    const next = changed.command.inputs.triggers as string[];
    assert.ok(next.includes("backend=10.0.2.5"));
    assert.ok(next.includes("extra=gateway-v2"));
    assert.notDeepEqual(next, triggers);
  });

  it("passes the URLs through the environment, never the command line, with nothing secret-looking", async () => {
    const { command } = await build();
    const env = command.inputs.environment as Record<string, string>;
    assert.deepEqual(env, {
      VPC_PUBLIC_URL: "https://vp.contoso.com/vantagepoint",
      VPC_API_URL: "https://vp.contoso.com/vantagepoint/api",
      VPC_LOGIN_URL: "https://vp.contoso.com/vantagepoint/app/login/callback",
      VPC_CERT_MIN_DAYS: "30",
      VPC_TIMEOUT_MS: "",
      VPC_CA_FILE: "",
      VPC_OUTPUT: "text",
      VPC_REPORT_ONLY: "",
      // No public IP given here: the check resolves the name (with one, it connects to it: issue 20 item 12).
      VPC_CONNECT_ADDRESS: "",
    });
    assert.deepEqual(command.secretPaths, [], "no input of the command is a secret");
    assert.deepEqual(secretLookingEntries(env), []);
    assert.doesNotMatch(command.inputs.create, /vp\.contoso\.com/, "URLs are not on the command line");
  });

  it("defaults the minimum days to 21 and sets report-only when asked", async () => {
    const { command } = await build({ publicUrl: ARGS.publicUrl, apiUrl: ARGS.apiUrl, reportOnly: true });
    const env = command.inputs.environment as Record<string, string>;
    assert.equal(env.VPC_CERT_MIN_DAYS, "21");
    assert.equal(env.VPC_LOGIN_URL, "");
    assert.equal(env.VPC_REPORT_ONLY, "1");
  });
});

describe("SiteVerification pure helpers", () => {
  it("finds the script beside the project root", () => {
    assert.equal(verifyScriptPath(), SCRIPT);
  });

  it("refuses URLs with credentials, http, or credential-looking query parameters, naming the field", () => {
    assert.throws(
      () => validateVerificationUrl("publicUrl", "http://vp.contoso.com/vantagepoint"),
      /publicUrl: must use https/,
    );
    assert.throws(
      () => validateVerificationUrl("apiUrl", "https://admin:pw@vp.contoso.com/api"),
      (e: Error) => /apiUrl: remove the user name and password/.test(e.message) && !e.message.includes("pw@"),
    );
    assert.throws(
      () => validateVerificationUrl("loginUrl", "https://vp.contoso.com/cb?client_secret=x"),
      /loginUrl: remove the query parameter\(s\) client_secret/,
    );
    assert.throws(
      () => validateVerificationUrl("publicUrl", "vp.contoso.com"),
      /publicUrl: "vp.contoso.com" is not a URL/,
    );
  });

  it("refuses bad minimum days and timeouts", () => {
    const base = { publicUrl: ARGS.publicUrl as string, apiUrl: ARGS.apiUrl as string };
    assert.throws(
      () => verificationEnvironment({ ...base, certificateMinDays: 2.5 }),
      /certificateMinDays: 2.5/,
    );
    assert.throws(() => verificationEnvironment({ ...base, timeoutMs: 5 }), /timeoutMs: 5/);
    assert.equal(verificationEnvironment({ ...base, certificateMinDays: 0 }).VPC_CERT_MIN_DAYS, "0");
  });

  it("flags secret-looking environment values", () => {
    assert.deepEqual(
      secretLookingEntries({
        A: "https://vp.contoso.com/vantagepoint",
        B: "https://u:p@vp.contoso.com/",
        C: "https://vp.contoso.com/x?access_token=abc",
        D: "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig",
      }),
      ["B", "C", "D"],
    );
  });

  it("names the inputs that are Pulumi secrets", async () => {
    const names = await secretInputNames({
      publicUrl: "https://vp.contoso.com/vantagepoint",
      apiUrl: pulumi.secret("https://vp.contoso.com/vantagepoint/api"),
      loginUrl: undefined,
    });
    assert.deepEqual(names, ["apiUrl"]);
  });
});
