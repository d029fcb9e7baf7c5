/**
 * verify-site: reads and validates the VPC_* environment variables into the checks' options.
 */
"use strict";

const fs = require("node:fs");
const net = require("node:net");
const { DEFAULT_MIN_DAYS, DEFAULT_TIMEOUT_MS } = require("./fixes");

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

module.exports = {
  readOptions,
};
