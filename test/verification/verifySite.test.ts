import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";

import {
  type Certificates,
  type FakeSite,
  SCRIPT_PATH,
  closedPort,
  makeCertificates,
  startSite,
  verify,
} from "./tlsFixtures";

const TIMEOUT_MS = 2000;

/** Runs the script as a child process with only the given VPC_* variables (plus PATH). */
function runScript(
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SCRIPT_PATH], {
      env: { PATH: process.env.PATH ?? "", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

function siteEnv(
  site: FakeSite,
  certs: Certificates,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    VPC_PUBLIC_URL: site.publicUrl,
    VPC_API_URL: site.apiUrl,
    VPC_LOGIN_URL: site.loginUrl,
    VPC_CA_FILE: certs.caFile,
    VPC_TIMEOUT_MS: String(TIMEOUT_MS),
    ...extra,
  };
}

describe("verify-site script", function () {
  this.timeout(20000);
  let certs: Certificates;
  const sites: FakeSite[] = [];
  const start = async (...args: Parameters<typeof startSite>) => {
    const site = await startSite(...args);
    sites.push(site);
    return site;
  };

  before(() => {
    certs = makeCertificates();
  });
  after(async () => {
    await Promise.all(sites.map((s) => s.close()));
    fs.rmSync(certs.dir, { recursive: true, force: true });
  });

  describe("as a child process", () => {
    it("passes a healthy site: exit 0, one ok line per check and a summary", async () => {
      const site = await start(certs.good);
      const { code, stdout, stderr } = await runScript(siteEnv(site, certs));
      assert.equal(stderr, "");
      const lines = stdout.trim().split("\n");
      assert.equal(lines.length, 4, stdout);
      assert.match(
        lines[0]!,
        /^ok\s+certificate https:\/\/127\.0\.0\.1:\d+\/vantagepoint: valid for 127\.0\.0\.1, trusted, expires in 19\d days/,
      );
      assert.match(
        lines[1]!,
        /^ok\s+api-token .*\/vantagepoint\/api\/token: answers like Vantagepoint \(400 unsupported_grant_type/,
      );
      assert.match(lines[2]!, /^ok\s+login-url .*: answers \(302\)/);
      assert.match(lines[3]!, /^verify-site: all checks passed \(3 ok\)$/);
      assert.equal(code, 0);
      assert.deepEqual(site.tokenBodies, [""], "the token request carries an empty grant and no credentials");
    });

    it("fails an untrusted certificate (no CA file): exit 1, names the certificate fix", async () => {
      const site = await start(certs.good);
      const env = siteEnv(site, certs);
      delete env.VPC_CA_FILE;
      const { code, stdout } = await runScript(env);
      assert.equal(code, 1);
      assert.match(
        stdout,
        /^FAIL certificate .*untrusted certificate chain \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\) -> fix: .*Key Vault/m,
      );
      assert.match(stdout, /^verify-site: \d of 3 checks FAILED \(certificate/m);
    });

    it("fails a closed port with the firewall hint and prints JSON when asked", async () => {
      const port = await closedPort();
      const base = `https://127.0.0.1:${port}`;
      const { code, stdout } = await runScript({
        VPC_PUBLIC_URL: `${base}/vantagepoint`,
        VPC_API_URL: `${base}/vantagepoint/api`,
        VPC_TIMEOUT_MS: String(TIMEOUT_MS),
        VPC_OUTPUT: "json",
      });
      assert.equal(code, 1);
      const report = JSON.parse(stdout) as {
        ok: boolean;
        summary: string;
        checks: Array<{ name: string; ok: boolean; kind?: string; fix?: string; skipped?: boolean }>;
      };
      assert.equal(report.ok, false);
      assert.deepEqual(
        report.checks.map((c) => [c.name, c.ok, c.kind]),
        [
          ["certificate", false, "refused"],
          ["api-token", false, "refused"],
          ["login-url", true, undefined],
        ],
      );
      assert.equal(report.checks[2]!.skipped, true);
      assert.match(report.checks[0]!.fix!, /NSG\/firewall/);
      assert.match(report.summary, /2 of 3 checks FAILED/);
    });

    it("reports bad inputs by variable name and exits 1 without touching the network", async () => {
      const { code, stdout } = await runScript({
        VPC_PUBLIC_URL: "http://vp.example.com/vantagepoint",
        VPC_API_URL: "https://user:hunter2@vp.example.com/vantagepoint/api",
        VPC_CERT_MIN_DAYS: "soon",
      });
      assert.equal(code, 1);
      assert.match(stdout, /FAIL config: VPC_PUBLIC_URL must use https:\/\//);
      assert.match(stdout, /FAIL config: VPC_API_URL must not contain a user name or password/);
      assert.match(stdout, /FAIL config: VPC_CERT_MIN_DAYS is "soon"; expected a whole number/);
      assert.doesNotMatch(stdout, /hunter2/);
    });

    it("exits 0 in report-only mode while still printing the failure", async () => {
      const port = await closedPort();
      const { code, stdout } = await runScript({
        VPC_PUBLIC_URL: `https://127.0.0.1:${port}/vantagepoint`,
        VPC_API_URL: `https://127.0.0.1:${port}/vantagepoint/api`,
        VPC_TIMEOUT_MS: String(TIMEOUT_MS),
        VPC_REPORT_ONLY: "1",
      });
      assert.equal(code, 0);
      assert.match(stdout, /^FAIL certificate .*connection refused/m);
    });
  });

  describe("checkCertificate", () => {
    it("passes a trusted certificate for the host and reports the days left", async () => {
      const site = await start(certs.good);
      const r = await verify.checkCertificate({
        publicUrl: site.publicUrl,
        ca: certs.ca,
        minDays: 21,
        timeoutMs: TIMEOUT_MS,
      });
      assert.equal(r.ok, true, r.message);
      assert.ok(r.daysLeft! >= 198 && r.daysLeft! <= 200, `daysLeft ${r.daysLeft}`);
    });

    it("fails a certificate expiring within the minimum days, with 'expires' and the renewal fix", async () => {
      const site = await start(certs.expiring);
      const r = await verify.checkCertificate({
        publicUrl: site.publicUrl,
        ca: certs.ca,
        minDays: 21,
        timeoutMs: TIMEOUT_MS,
      });
      assert.equal(r.ok, false);
      assert.equal(r.kind, "certExpiring");
      assert.match(r.message, /expires in [45] days on \d{4}-\d{2}-\d{2} \(minimum 21 days\)/);
      assert.match(r.fix!, /renew the certificate in Key Vault/);
    });

    it("passes the same certificate when the minimum is lower than the days left", async () => {
      const site = await start(certs.expiring);
      const r = await verify.checkCertificate({
        publicUrl: site.publicUrl,
        ca: certs.ca,
        minDays: 2,
        timeoutMs: TIMEOUT_MS,
      });
      assert.equal(r.ok, true, r.message);
    });

    it("fails an expired certificate (seen from a later date) as expired", async () => {
      const site = await start(certs.expiring);
      const later = new Date(Date.now() + 30 * 24 * 60 * 60 * 1000);
      const r = await verify.checkCertificate({
        publicUrl: site.publicUrl,
        ca: certs.ca,
        timeoutMs: TIMEOUT_MS,
        now: later,
      });
      assert.equal(r.ok, false);
      assert.equal(r.kind, "certExpired");
      assert.match(r.message, /expired on .* days ago/);
    });

    it("fails a certificate that has expired, with the date", async () => {
      const site = await start(certs.expired);
      const r = await verify.checkCertificate({
        publicUrl: site.publicUrl,
        ca: certs.ca,
        timeoutMs: TIMEOUT_MS,
      });
      assert.equal(r.ok, false);
      assert.equal(r.kind, "certExpired");
      assert.match(r.message, /certificate for 127\.0\.0\.1 expired on 2020-02-01 \(\d+ days ago\)/);
      assert.ok(r.daysLeft! < -1000);
    });

    it("fails a certificate for another host name as a name mismatch", async () => {
      const site = await start(certs.wrongName);
      const r = await verify.checkCertificate({
        publicUrl: site.publicUrl,
        ca: certs.ca,
        timeoutMs: TIMEOUT_MS,
      });
      assert.equal(r.ok, false);
      assert.equal(r.kind, "certName");
      assert.match(
        r.message,
        /name mismatch: not valid for 127\.0\.0\.1 \(it covers DNS:vantagepoint\.example\.com\)/,
      );
      assert.match(r.fix!, /subject alternative names/);
    });

    it("fails an untrusted certificate when the CA is not given", async () => {
      const site = await start(certs.good);
      const r = await verify.checkCertificate({ publicUrl: site.publicUrl, timeoutMs: TIMEOUT_MS });
      assert.equal(r.ok, false);
      assert.equal(r.kind, "certUntrusted");
      assert.match(r.message, /untrusted/);
    });

    it("fails a name that does not resolve (.invalid) with the DNS hint", async () => {
      const r = await verify.checkCertificate({
        publicUrl: "https://vp.connect-test.invalid/vantagepoint",
        timeoutMs: TIMEOUT_MS,
      });
      assert.equal(r.ok, false);
      assert.equal(r.kind, "dns");
      assert.match(r.message, /^DNS: vp\.connect-test\.invalid does not resolve/);
      assert.match(r.fix!, /A record .* public IP/);
    });

    it("fails a closed port with the firewall/listener hint", async () => {
      const port = await closedPort();
      const r = await verify.checkCertificate({
        publicUrl: `https://127.0.0.1:${port}/vantagepoint`,
        timeoutMs: TIMEOUT_MS,
      });
      assert.equal(r.ok, false);
      assert.equal(r.kind, "refused");
      assert.match(r.message, /connection refused/);
      assert.match(r.fix!, /NSG\/firewall rules and the allow list/);
    });
  });

  describe("checkApiToken", () => {
    it("passes a JSON OAuth error to an empty grant", async () => {
      const site = await start(certs.good);
      const r = await verify.checkApiToken({
        apiUrl: `${site.apiUrl}/`,
        ca: certs.ca,
        timeoutMs: TIMEOUT_MS,
      });
      assert.equal(r.ok, true, r.message);
      assert.equal(r.status, 400);
    });

    it("fails an HTML page with the backend health hint", async () => {
      const site = await start(certs.good, "html502");
      const r = await verify.checkApiToken({ apiUrl: site.apiUrl, ca: certs.ca, timeoutMs: TIMEOUT_MS });
      assert.equal(r.ok, false);
      assert.equal(r.kind, "backend");
      assert.match(r.message, /answered 502 with an HTML page/);
      assert.match(r.fix!, /backend health and its probe path/);
      assert.doesNotMatch(r.message, /Microsoft-Azure/, "server text is not echoed");
    });

    it("fails a redirect to a login page without following it", async () => {
      const site = await start(certs.good, "redirect");
      const r = await verify.checkApiToken({ apiUrl: site.apiUrl, ca: certs.ca, timeoutMs: TIMEOUT_MS });
      assert.equal(r.ok, false);
      assert.equal(r.kind, "redirect");
      assert.match(r.message, /302 redirecting to https:\/\/login\.example\.com\/sign-in,/);
      assert.doesNotMatch(r.message, /return=/, "query strings are not printed");
    });

    it("fails a WAF block page with the allow list hint", async () => {
      const site = await start(certs.good, "waf403");
      const r = await verify.checkApiToken({ apiUrl: site.apiUrl, ca: certs.ca, timeoutMs: TIMEOUT_MS });
      assert.equal(r.ok, false);
      assert.equal(r.kind, "waf");
      assert.match(r.fix!, /allow list/);
    });

    it("fails the wrong API path (404 HTML) with the apiUrl hint", async () => {
      const site = await start(certs.good);
      const r = await verify.checkApiToken({
        apiUrl: `${site.base}/elsewhere/api`,
        ca: certs.ca,
        timeoutMs: TIMEOUT_MS,
      });
      assert.equal(r.ok, false);
      assert.equal(r.kind, "apiPath");
      assert.match(r.fix!, /check apiUrl/);
    });

    it("fails when DNS does not resolve", async () => {
      const r = await verify.checkApiToken({
        apiUrl: "https://vp.connect-test.invalid/vantagepoint/api",
        timeoutMs: TIMEOUT_MS,
      });
      assert.equal(r.ok, false);
      assert.equal(r.kind, "dns");
    });
  });

  describe("checkLoginUrl", () => {
    it("passes any non-5xx answer and is skipped without a URL", async () => {
      const site = await start(certs.good);
      const r = await verify.checkLoginUrl({ loginUrl: site.loginUrl, ca: certs.ca, timeoutMs: TIMEOUT_MS });
      assert.deepEqual([r.ok, r.status], [true, 302]);
      const skipped = await verify.checkLoginUrl({ timeoutMs: TIMEOUT_MS });
      assert.deepEqual([skipped.ok, skipped.skipped], [true, true]);
    });

    it("fails a 5xx answer with the backend hint, and a closed port with the firewall hint", async () => {
      const site = await start(certs.good);
      const r = await verify.checkLoginUrl({
        loginUrl: `${site.base}/broken/login`,
        ca: certs.ca,
        timeoutMs: TIMEOUT_MS,
      });
      assert.deepEqual([r.ok, r.status, r.kind], [false, 503, "backend"]);
      assert.match(r.fix!, /backend health/);
      const port = await closedPort();
      const refused = await verify.checkLoginUrl({
        loginUrl: `https://127.0.0.1:${port}/login`,
        timeoutMs: TIMEOUT_MS,
      });
      assert.deepEqual([refused.ok, refused.kind], [false, "refused"]);
    });
  });

  describe("readOptions and helpers", () => {
    it("applies defaults and rejects bad values by name", () => {
      const ok = verify.readOptions({
        VPC_PUBLIC_URL: "https://vp.example.com/vantagepoint",
        VPC_API_URL: "https://vp.example.com/vantagepoint/api",
      });
      assert.deepEqual(ok.errors, undefined);
      assert.equal(ok.options!.minDays, 21);
      assert.equal(ok.options!.timeoutMs, 10000);
      assert.equal(ok.options!.loginUrl, undefined);
      const bad = verify.readOptions({
        VPC_API_URL: "not a url",
        VPC_CA_FILE: "/nonexistent/ca.pem",
        VPC_OUTPUT: "xml",
      });
      assert.deepEqual(
        bad.errors!.map((e) => e.split(" ")[0]),
        ["VPC_PUBLIC_URL", "VPC_API_URL", "VPC_OUTPUT", "VPC_CA_FILE"],
      );
    });

    it("builds the token URL and prints URLs without user info or query", () => {
      assert.equal(
        verify.tokenUrl("https://vp.example.com/vantagepoint/api/"),
        "https://vp.example.com/vantagepoint/api/token",
      );
      assert.equal(
        verify.displayUrl("https://u:p@vp.example.com:8443/x?code=abc"),
        "https://vp.example.com:8443/x",
      );
    });
  });
});
