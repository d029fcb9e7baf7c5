/**
 * verify-site: turns network, TLS and certificate errors into { kind, message, fix }.
 */
"use strict";

const { FIX } = require("./fixes");

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

module.exports = {
  classifyError,
  classifyCertificateCode,
};
