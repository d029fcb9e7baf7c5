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

const fs = require("node:fs");
const https = require("node:https");
const net = require("node:net");
const tls = require("node:tls");

const DAY_MS = 24 * 60 * 60 * 1000;
const DEFAULT_MIN_DAYS = 21;
const DEFAULT_TIMEOUT_MS = 10000;
/** At most this many bytes of a response body are read. */
const MAX_BODY_BYTES = 64 * 1024;

/** The likely fixes, by kind of failure. */
const FIX = {
  config: "set the variable named above (the SiteVerification component passes it from stack config)",
  dns: "create the DNS A record for the host name, pointing at the Application Gateway's public IP address",
  refused:
    "open the path to the gateway: the NSG/firewall rules and the allow list must admit this machine's address, and the gateway needs an HTTPS listener on that port",
  timeout:
    "check the firewall/NSG and the gateway's allow list (they may silently drop this machine's address) and that the gateway's HTTPS listener is running",
  network: "check the network path to the gateway (firewall/NSG, allow list, gateway listener)",
  certName:
    "the certificate does not cover this host name: renew or replace the Key Vault certificate with one whose subject alternative names include it, or fix publicUrl",
  certExpired:
    "renew the certificate in Key Vault (the gateway picks up the new version of a versionless secret id)",
  certExpiring:
    "renew the certificate in Key Vault before it expires (the gateway picks up the new version of a versionless secret id)",
  certUntrusted:
    "use a certificate from a publicly trusted CA in Key Vault, with its full chain (Connect does not trust private CAs); for a private CA in tests set VPC_CA_FILE",
  tls: "fix the gateway's HTTPS listener and its Key Vault certificate (TLS handshake failed)",
  backend:
    "backend health: check the Application Gateway's backend health and its probe path, and that IIS and Vantagepoint are running on the backend",
  waf: "the gateway's WAF allow list blocks this machine: run the deploy from an allowed address or add it to the allow list",
  apiPath:
    "the API URL does not reach Vantagepoint's API: check apiUrl (usually https://host/vantagepoint/api) and the gateway's path rules",
  redirect:
    "the API answered with a redirect (a login page or the web app), not the API: check apiUrl and that nothing in front of Vantagepoint (proxy, sign-in gateway) intercepts /api/token",
};

/** @typedef {{ name: string, ok: boolean, skipped?: boolean, url?: string, message: string, fix?: string, kind?: string, daysLeft?: number, status?: number }} CheckResult */

/** A URL as safe to print: scheme, host, port and path, no user info or query. */
function displayUrl(raw) {
  try {
    const u = new URL(raw);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return "(not a URL)";
  }
}

/** Whether a host name is an IP literal (no SNI is sent for those). */
function isIp(host) {
  return net.isIP(host.replace(/^\[|\]$/g, "")) !== 0;
}

/**
 * Reads and validates the inputs. Returns { options } or { errors: string[] } where each error names the
 * environment variable and what it expects.
 */
function readOptions(env) {
  const errors = [];
  const httpsUrl = (name, required) => {
    const raw = (env[name] ?? "").trim();
    if (!raw) {
      if (required) errors.push(`${name} is not set; expected an https:// URL`);
      return undefined;
    }
    let u;
    try {
      u = new URL(raw);
    } catch {
      errors.push(
        `${name} is not a URL; expected an https:// URL such as https://vp.example.com/vantagepoint`,
      );
      return undefined;
    }
    if (u.protocol !== "https:") {
      errors.push(
        `${name} must use https:// (got ${u.protocol}//); Connect only reaches the site over HTTPS`,
      );
      return undefined;
    }
    if (u.username || u.password) {
      errors.push(`${name} must not contain a user name or password; remove them from the URL`);
      return undefined;
    }
    return raw;
  };
  const wholeNumber = (name, fallback, min, max) => {
    const raw = (env[name] ?? "").trim();
    if (!raw) return fallback;
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || n < min || n > max) {
      errors.push(`${name} is ${JSON.stringify(raw)}; expected a whole number from ${min} to ${max}`);
      return fallback;
    }
    return n;
  };

  const publicUrl = httpsUrl("VPC_PUBLIC_URL", true);
  const apiUrl = httpsUrl("VPC_API_URL", true);
  const loginUrl = httpsUrl("VPC_LOGIN_URL", false);
  const minDays = wholeNumber("VPC_CERT_MIN_DAYS", DEFAULT_MIN_DAYS, 0, 397);
  const timeoutMs = wholeNumber("VPC_TIMEOUT_MS", DEFAULT_TIMEOUT_MS, 100, 300000);
  const output = (env.VPC_OUTPUT ?? "").trim().toLowerCase() || "text";
  if (output !== "text" && output !== "json") {
    errors.push(`VPC_OUTPUT is ${JSON.stringify(env.VPC_OUTPUT)}; expected "text" or "json"`);
  }
  const reportOnly = /^(1|true|yes)$/i.test((env.VPC_REPORT_ONLY ?? "").trim());
  const connectAddress = (env.VPC_CONNECT_ADDRESS ?? "").trim() || undefined;
  if (connectAddress && net.isIP(connectAddress) === 0) {
    errors.push(
      `VPC_CONNECT_ADDRESS is ${JSON.stringify(connectAddress)}; expected the gateway's public IP address`,
    );
  }
  let ca;
  const caFile = (env.VPC_CA_FILE ?? "").trim();
  if (caFile) {
    try {
      ca = fs.readFileSync(caFile, "utf8");
      if (!ca.includes("-----BEGIN CERTIFICATE-----")) {
        errors.push(`VPC_CA_FILE (${caFile}) holds no PEM certificate; expected a PEM CA bundle`);
        ca = undefined;
      }
    } catch (err) {
      errors.push(
        `VPC_CA_FILE (${caFile}) cannot be read (${err.code ?? "error"}); expected a PEM CA bundle`,
      );
    }
  }
  if (errors.length > 0) return { errors };
  return {
    options: { publicUrl, apiUrl, loginUrl, minDays, timeoutMs, ca, output, reportOnly, connectAddress },
  };
}

/** The CA list: Node's default trust store plus the optional extra bundle. */
function trustedCas(ca) {
  return ca ? [...tls.rootCertificates, ca] : undefined;
}

/** Turns a network or TLS error into { kind, message, fix }. */
function classifyError(err, host, timeoutMs) {
  const code = err && (err.code || (err.cause && err.cause.code));
  switch (code) {
    case "ENOTFOUND":
    case "EAI_AGAIN":
    case "EAI_NONAME":
    case "EAI_NODATA":
    case "EAI_FAIL":
      return { kind: "dns", message: `DNS: ${host} does not resolve (${code})`, fix: FIX.dns };
    case "ECONNREFUSED":
      return { kind: "refused", message: `connection refused by ${host}`, fix: FIX.refused };
    case "ETIMEDOUT":
    case "VPC_TIMEOUT":
      return { kind: "timeout", message: `no answer from ${host} within ${timeoutMs} ms`, fix: FIX.timeout };
    case "ECONNRESET":
    case "EPIPE":
      return { kind: "network", message: `connection to ${host} was reset (${code})`, fix: FIX.network };
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return { kind: "network", message: `${host} is unreachable from here (${code})`, fix: FIX.network };
    default: {
      const cert = classifyCertificateCode(code);
      if (cert) return { ...cert, message: `certificate for ${host}: ${cert.message}` };
      if (code === "ERR_TLS_CERT_ALTNAME_INVALID") {
        return {
          kind: "certName",
          message: `certificate name mismatch: not valid for ${host}`,
          fix: FIX.certName,
        };
      }
      if (typeof code === "string" && (code.startsWith("ERR_SSL") || code.startsWith("ERR_TLS"))) {
        return { kind: "tls", message: `TLS handshake with ${host} failed (${code})`, fix: FIX.tls };
      }
      return {
        kind: "network",
        message: `cannot reach ${host} (${code || (err && err.name) || "error"})`,
        fix: FIX.network,
      };
    }
  }
}

/** Node's certificate verification codes, as { kind, message, fix } (undefined for other codes). */
function classifyCertificateCode(code) {
  switch (code) {
    case "CERT_HAS_EXPIRED":
      return { kind: "certExpired", message: "certificate has expired", fix: FIX.certExpired };
    case "CERT_NOT_YET_VALID":
      return {
        kind: "certExpired",
        message: "certificate is not yet valid (check the clock)",
        fix: FIX.certExpired,
      };
    case "DEPTH_ZERO_SELF_SIGNED_CERT":
    case "SELF_SIGNED_CERT_IN_CHAIN":
    case "UNABLE_TO_VERIFY_LEAF_SIGNATURE":
    case "UNABLE_TO_GET_ISSUER_CERT":
    case "UNABLE_TO_GET_ISSUER_CERT_LOCALLY":
    case "CERT_UNTRUSTED":
    case "CERT_CHAIN_TOO_LONG":
    case "INVALID_CA":
    case "CERT_SIGNATURE_FAILURE":
      return {
        kind: "certUntrusted",
        message: `untrusted certificate chain (${code})`,
        fix: FIX.certUntrusted,
      };
    case "CERT_REVOKED":
      return { kind: "certUntrusted", message: "certificate is revoked", fix: FIX.certUntrusted };
    default:
      return undefined;
  }
}

/**
 * Where a request to `rawUrl` connects: `connectAddress` when its host is the public URL's host, else DNS.
 * @returns {{ host: string, address: string } | undefined}
 */
function pinFor(rawUrl, { publicUrl, connectAddress }) {
  if (!connectAddress || !publicUrl) return undefined;
  const host = new URL(rawUrl).hostname.replace(/^\[|\]$/g, "").toLowerCase();
  const publicHost = new URL(publicUrl).hostname.replace(/^\[|\]$/g, "").toLowerCase();
  return host === publicHost ? { host, address: connectAddress } : undefined;
}

/** " via <address>" for a pinned request's report line. */
function via(pin) {
  return pin ? ` (connected to ${pin.address})` : "";
}

/**
 * One HTTPS request that never follows redirects. Resolves { status, headers, body, peer } or rejects with
 * the network/TLS error (code VPC_TIMEOUT on timeout). With `inspect`, certificate problems do not abort the
 * request: `peer` carries what the handshake saw so the caller can judge it.
 */
function request(rawUrl, { method = "GET", body, headers = {}, ca, timeoutMs, inspect = false, pin }) {
  return new Promise((resolve, reject) => {
    const u = new URL(rawUrl);
    const host = u.hostname.replace(/^\[|\]$/g, "");
    let peer;
    let settled = false;
    const finish = (fn, value) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn(value);
    };
    const req = https.request(
      {
        method,
        protocol: "https:",
        hostname: host,
        port: u.port || 443,
        path: `${u.pathname}${u.search}`,
        headers: { "User-Agent": "vantagepoint-connect-verify-site", ...headers },
        servername: isIp(host) ? undefined : host,
        // Pinned: the TCP connection goes to the given address; hostname (Host header) and SNI stay the name.
        ...(pin
          ? {
              lookup: (_name, opts, cb) => {
                const family = net.isIP(pin.address);
                if (opts && opts.all) cb(null, [{ address: pin.address, family }]);
                else cb(null, pin.address, family);
              },
            }
          : {}),
        ca: trustedCas(ca),
        rejectUnauthorized: !inspect,
        agent: false,
        timeout: timeoutMs,
      },
      (res) => {
        const chunks = [];
        let size = 0;
        res.on("data", (chunk) => {
          if (size < MAX_BODY_BYTES) chunks.push(chunk);
          size += chunk.length;
          if (size >= MAX_BODY_BYTES) res.destroy();
        });
        const done = () =>
          finish(resolve, {
            status: res.statusCode,
            headers: res.headers,
            body: Buffer.concat(chunks).toString("utf8").slice(0, MAX_BODY_BYTES),
            peer,
          });
        res.on("end", done);
        res.on("close", done);
        res.on("error", done);
      },
    );
    req.on("socket", (socket) => {
      socket.on("secureConnect", () => {
        peer = {
          authorized: socket.authorized,
          authorizationError: socket.authorizationError,
          certificate: socket.getPeerCertificate(false),
        };
      });
    });
    const timeoutError = () => Object.assign(new Error("timeout"), { code: "VPC_TIMEOUT" });
    const timer = setTimeout(() => {
      req.destroy(timeoutError());
    }, timeoutMs);
    req.on("timeout", () => req.destroy(timeoutError()));
    req.on("error", (err) => finish(reject, err));
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/**
 * Check 1: the public URL answers over HTTPS with a certificate valid for its host name, chaining to a
 * trusted CA (Node's store plus `ca`), and not expiring within `minDays`. Reports the days left.
 * @returns {Promise<CheckResult>}
 */
async function checkCertificate({
  publicUrl,
  minDays = DEFAULT_MIN_DAYS,
  ca,
  timeoutMs = DEFAULT_TIMEOUT_MS,
  now = new Date(),
  connectAddress,
}) {
  const name = "certificate";
  const url = displayUrl(publicUrl);
  const host = new URL(publicUrl).hostname.replace(/^\[|\]$/g, "");
  const pin = pinFor(publicUrl, { publicUrl, connectAddress });
  let res;
  try {
    res = await request(publicUrl, { ca, timeoutMs, inspect: true, headers: { Accept: "text/html" }, pin });
  } catch (err) {
    return { name, ok: false, url, ...classifyError(err, host, timeoutMs) };
  }
  const peer = res.peer;
  if (!peer || !peer.certificate || !peer.certificate.valid_to) {
    return { name, ok: false, url, kind: "tls", message: `${host} presented no certificate`, fix: FIX.tls };
  }
  const cert = peer.certificate;
  const daysLeft = Math.floor((Date.parse(cert.valid_to) - now.getTime()) / DAY_MS);
  const expiresOn = new Date(Date.parse(cert.valid_to)).toISOString().slice(0, 10);
  const fail = (kind, message) => ({ name, ok: false, url, kind, message, fix: FIX[kind], daysLeft });

  const nameError = tls.checkServerIdentity(host, cert);
  if (nameError) {
    const names = (cert.subjectaltname || (cert.subject && `CN=${cert.subject.CN}`) || "none").slice(0, 200);
    return fail("certName", `certificate name mismatch: not valid for ${host} (it covers ${names})`);
  }
  if (daysLeft < 0 || peer.authorizationError === "CERT_HAS_EXPIRED") {
    return fail("certExpired", `certificate for ${host} expired on ${expiresOn} (${-daysLeft} days ago)`);
  }
  if (!peer.authorized) {
    const known = classifyCertificateCode(peer.authorizationError);
    if (known) return fail(known.kind, `certificate for ${host}: ${known.message}`);
    return fail(
      "certUntrusted",
      `certificate for ${host} is not trusted (${peer.authorizationError || "unknown"})`,
    );
  }
  if (daysLeft < minDays) {
    return fail(
      "certExpiring",
      `certificate for ${host} expires in ${daysLeft} days on ${expiresOn} (minimum ${minDays} days)`,
    );
  }
  if (res.status >= 500) {
    return {
      name,
      ok: false,
      url,
      kind: "backend",
      status: res.status,
      daysLeft,
      message: `certificate ok (${daysLeft} days left) but ${url} answered ${res.status}`,
      fix: FIX.backend,
    };
  }
  return {
    name,
    ok: true,
    url,
    status: res.status,
    daysLeft,
    message: `valid for ${host}, trusted, expires in ${daysLeft} days on ${expiresOn}; answered ${res.status}${via(pin)}`,
  };
}

/** Whether a response looks like an HTML page. */
function looksLikeHtml(res) {
  const type = String(res.headers["content-type"] || "").toLowerCase();
  return type.includes("html") || /^\s*</.test(res.body);
}

/** The token URL for an API root: `{api}/token` (a trailing slash on the root is tolerated). */
function tokenUrl(apiUrl) {
  const u = new URL(apiUrl);
  u.pathname = `${u.pathname.replace(/\/+$/, "")}/token`;
  u.search = "";
  u.hash = "";
  return u.toString();
}

/**
 * Check 2: `POST {api}/token` with an empty grant answers like Vantagepoint: a JSON OAuth-style error
 * (`{"error": "..."}`, status 400 or 401). A network error, an HTML page, a redirect or a 5xx fails.
 * @returns {Promise<CheckResult>}
 */
async function checkApiToken({ apiUrl, ca, timeoutMs = DEFAULT_TIMEOUT_MS, publicUrl, connectAddress }) {
  const name = "api-token";
  const target = tokenUrl(apiUrl);
  const pin = pinFor(target, { publicUrl, connectAddress });
  const url = displayUrl(target);
  const host = new URL(target).hostname.replace(/^\[|\]$/g, "");
  let res;
  try {
    res = await request(target, {
      method: "POST",
      body: "",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        Accept: "application/json",
        "Content-Length": "0",
      },
      ca,
      timeoutMs,
      pin,
    });
  } catch (err) {
    return { name, ok: false, url, ...classifyError(err, host, timeoutMs) };
  }
  const status = res.status;
  const fail = (kind, message) => ({ name, ok: false, url, status, kind, message, fix: FIX[kind] });
  if (status >= 300 && status < 400) {
    return fail(
      "redirect",
      `answered ${status} redirecting to ${displayUrl(new URL(String(res.headers.location || ""), target).toString())}, not Vantagepoint's token endpoint`,
    );
  }
  if (looksLikeHtml(res)) {
    if (status === 403)
      return fail("waf", `answered 403 with an HTML page (the WAF or an allow list blocked the request)`);
    if (status === 404)
      return fail("apiPath", `answered 404 with an HTML page: no Vantagepoint API at this path`);
    return fail("backend", `answered ${status} with an HTML page, not Vantagepoint's JSON OAuth error`);
  }
  if (status >= 500) return fail("backend", `answered ${status}, not Vantagepoint's JSON OAuth error`);
  let json;
  try {
    json = JSON.parse(res.body);
  } catch {
    json = undefined;
  }
  if (
    json &&
    typeof json === "object" &&
    typeof json.error === "string" &&
    (status === 400 || status === 401)
  ) {
    const code = /^[a-z_]{1,64}$/.test(json.error) ? json.error : "error";
    return {
      name,
      ok: true,
      url,
      status,
      message: `answers like Vantagepoint (${status} ${code} to an empty grant)${via(pin)}`,
    };
  }
  if (status === 403) return fail("waf", `answered 403 (the WAF or an allow list blocked the request)`);
  if (status === 404) return fail("apiPath", `answered 404: no token endpoint at this path`);
  const shape =
    res.body.trim() === ""
      ? "an empty body"
      : json
        ? "JSON without an OAuth error"
        : "a body that is not JSON";
  return fail(
    "apiPath",
    `answered ${status} with ${shape}, not Vantagepoint's OAuth error to an empty grant`,
  );
}

/**
 * Check 3: the login redirect URL answers over HTTPS with any status below 500 (redirects are not followed).
 * Skipped (and passing) when no login URL is configured.
 * @returns {Promise<CheckResult>}
 */
async function checkLoginUrl({ loginUrl, ca, timeoutMs = DEFAULT_TIMEOUT_MS, publicUrl, connectAddress }) {
  const name = "login-url";
  if (!loginUrl) return { name, ok: true, skipped: true, message: "no login URL configured (VPC_LOGIN_URL)" };
  const url = displayUrl(loginUrl);
  const host = new URL(loginUrl).hostname.replace(/^\[|\]$/g, "");
  let res;
  try {
    res = await request(loginUrl, {
      ca,
      timeoutMs,
      headers: { Accept: "text/html" },
      pin: pinFor(loginUrl, { publicUrl, connectAddress }),
    });
  } catch (err) {
    return { name, ok: false, url, ...classifyError(err, host, timeoutMs) };
  }
  if (res.status >= 500) {
    return {
      name,
      ok: false,
      url,
      status: res.status,
      kind: "backend",
      message: `answered ${res.status}`,
      fix: FIX.backend,
    };
  }
  const pin = pinFor(loginUrl, { publicUrl, connectAddress });
  return { name, ok: true, url, status: res.status, message: `answers (${res.status})${via(pin)}` };
}

/** Runs every check (concurrently) and returns the results in a fixed order. */
async function runChecks(options) {
  return Promise.all([checkCertificate(options), checkApiToken(options), checkLoginUrl(options)]);
}

/** The text report: one line per check and a summary line. */
function formatText(results) {
  const lines = results.map((r) => {
    const status = r.skipped ? "skip" : r.ok ? "ok  " : "FAIL";
    const where = r.url ? ` ${r.url}:` : ":";
    const fix = !r.ok && r.fix ? ` -> fix: ${r.fix}` : "";
    return `${status} ${r.name}${where} ${r.message}${fix}`;
  });
  lines.push(summaryLine(results));
  return lines.join("\n");
}

/** The summary line. */
function summaryLine(results) {
  const failed = results.filter((r) => !r.ok);
  const passed = results.filter((r) => r.ok && !r.skipped).length;
  const skipped = results.filter((r) => r.skipped).length;
  const extra = skipped ? `, ${skipped} skipped` : "";
  if (failed.length === 0) return `verify-site: all checks passed (${passed} ok${extra})`;
  return `verify-site: ${failed.length} of ${results.length} checks FAILED (${failed.map((r) => r.name).join(", ")}); ${passed} ok${extra}`;
}

/** The JSON report (VPC_OUTPUT=json). */
function formatJson(results) {
  return JSON.stringify({ ok: results.every((r) => r.ok), summary: summaryLine(results), checks: results });
}

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
