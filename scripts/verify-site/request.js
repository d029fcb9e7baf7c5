/**
 * verify-site: one HTTPS request (no redirects, bounded body, optional pinned address) and URL helpers.
 */
"use strict";

const https = require("node:https");
const net = require("node:net");
const tls = require("node:tls");

/** At most this many bytes of a response body are read. */
const MAX_BODY_BYTES = 64 * 1024;

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

/** The CA list: Node's default trust store plus the optional extra bundle. */
function trustedCas(ca) {
  return ca ? [...tls.rootCertificates, ca] : undefined;
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

module.exports = {
  displayUrl,
  pinFor,
  via,
  request,
};
