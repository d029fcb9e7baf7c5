/**
 * verify-site: the three checks (certificate, api-token, login-url) and runChecks.
 */
"use strict";

const tls = require("node:tls");
const { DEFAULT_MIN_DAYS, DEFAULT_TIMEOUT_MS, FIX } = require("./fixes");
const { classifyError, classifyCertificateCode } = require("./errors");
const { displayUrl, pinFor, via, request } = require("./request");

const DAY_MS = 24 * 60 * 60 * 1000;

/** @typedef {{ name: string, ok: boolean, skipped?: boolean, url?: string, message: string, fix?: string, kind?: string, daysLeft?: number, status?: number }} CheckResult */

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

module.exports = {
  checkCertificate,
  checkApiToken,
  checkLoginUrl,
  runChecks,
  tokenUrl,
};
