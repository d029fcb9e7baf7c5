#!/usr/bin/env node
/**
 * verify-site: checks, from the machine that runs it, that a Vantagepoint site is reachable the way
 * Vantagepoint Connect needs it. Plain Node.js (standard library only, no curl), so it runs wherever
 * `pulumi up` runs, on any OS. The SiteVerification component runs it through `@pulumi/command`.
 *
 * Inputs come from environment variables (never argv):
 *   VPC_PUBLIC_URL     the site's public URL, https://host/vantagepoint (required)
 *   VPC_API_URL        the API root, https://host/vantagepoint/api (required)
 *   VPC_LOGIN_URL      the login redirect URL (optional; the check is skipped when empty)
 *   VPC_CERT_MIN_DAYS  fail when the certificate expires within this many days (default 21)
 *   VPC_TIMEOUT_MS     per-request timeout in milliseconds (default 10000)
 *   VPC_CA_FILE        extra PEM CA bundle trusted besides Node's default store (optional)
 *   VPC_OUTPUT         "text" (default) or "json"
 *   VPC_REPORT_ONLY    "1"/"true": print failures but exit 0 (the deploy does not fail)
 *   VPC_CONNECT_ADDRESS the gateway's public IP (optional): requests to VPC_PUBLIC_URL's host connect there, with
 *                      SNI and the Host header still the host name, so the gateway is tested even where the name
 *                      resolves to something else from this machine (split DNS)
 *
 * Checks: (1) certificate: the public URL answers over HTTPS with a certificate that is valid for the host
 * name, chains to a trusted CA and does not expire within VPC_CERT_MIN_DAYS; (2) api-token: `POST {api}/token`
 * with an empty grant answers like Vantagepoint (a JSON OAuth-style error), not a network error, an HTML page
 * or a redirect; (3) login-url: the login redirect URL answers over HTTPS with a non-5xx status.
 *
 * It sends no credentials, never follows redirects (so never to another host), prints URLs without user
 * info or query string, and never prints a server's error text (only an OAuth error code that looks like one).
 * Exit code: 0 when every check passes, 1 otherwise.
 */
"use strict";

const { DEFAULT_MIN_DAYS, DEFAULT_TIMEOUT_MS, FIX } = require("./verify-site/fixes");
const { readOptions } = require("./verify-site/options");
const { classifyError } = require("./verify-site/errors");
const { displayUrl } = require("./verify-site/request");
const {
  checkCertificate,
  checkApiToken,
  checkLoginUrl,
  runChecks,
  tokenUrl,
} = require("./verify-site/checks");
const { formatText, formatJson } = require("./verify-site/report");

/** The CLI: reads the environment, runs the checks, prints the report, returns the exit code. */
async function main(env = process.env, out = (s) => process.stdout.write(`${s}\n`)) {
  const read = readOptions(env);
  if (read.errors) {
    const results = read.errors.map((message) => ({ name: "config", ok: false, message, fix: FIX.config }));
    const json = /^json$/i.test((env.VPC_OUTPUT ?? "").trim());
    out(json ? formatJson(results) : formatText(results));
    return 1;
  }
  const { options } = read;
  const results = await runChecks(options);
  out(options.output === "json" ? formatJson(results) : formatText(results));
  const ok = results.every((r) => r.ok);
  if (!ok && options.reportOnly) return 0;
  return ok ? 0 : 1;
}

module.exports = {
  checkCertificate,
  checkApiToken,
  checkLoginUrl,
  runChecks,
  readOptions,
  classifyError,
  formatText,
  formatJson,
  tokenUrl,
  displayUrl,
  main,
  FIX,
  DEFAULT_MIN_DAYS,
  DEFAULT_TIMEOUT_MS,
};

if (require.main === module) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.stdout.write(
        `FAIL verify-site: internal error (${(err && err.name) || "error"}) -> fix: report this as a bug\n`,
      );
      process.exitCode = 1;
    },
  );
}
