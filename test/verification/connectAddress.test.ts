/**
 * Split DNS: the deploying machine resolves the public host name to the internal server, so the verification must
 * connect to the gateway's public IP (VPC_CONNECT_ADDRESS) with SNI and the Host header still the public host name.
 * Here the "gateway" listens on 127.0.0.1 with a certificate for vantagepoint.example.com only, a name this machine
 * cannot resolve to it: the checks pass only when they connect to the given address and send the name.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as https from "node:https";
import type { AddressInfo } from "node:net";
import { verificationEnvironment } from "../../lib/siteVerification";
import { type Certificates, type CheckOptions, makeCertificates, verify } from "./tlsFixtures";

describe("verify-site connects to the gateway's public IP with the public host name (split DNS)", function () {
  this.timeout(20000);
  let certs: Certificates;
  let server: https.Server;
  let port = 0;
  const seen: Array<{
    host: string | undefined;
    servername: string | false | null | undefined;
    url: string;
  }> = [];

  before(async () => {
    certs = makeCertificates();
    server = https.createServer({ key: certs.wrongName.key, cert: certs.wrongName.cert }, (req, res) => {
      const socket = req.socket as import("node:tls").TLSSocket;
      seen.push({ host: req.headers.host, servername: socket.servername, url: req.url ?? "" });
      if (req.method === "POST" && req.url === "/vantagepoint/api/token") {
        req.resume();
        req.on("end", () => {
          res.writeHead(400, { "Content-Type": "application/json" });
          res.end(JSON.stringify({ error: "unsupported_grant_type" }));
        });
        return;
      }
      res.writeHead(200, { "Content-Type": "text/html" });
      res.end("<html><body>Vantagepoint</body></html>");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    fs.rmSync(certs.dir, { recursive: true, force: true });
  });
  beforeEach(() => (seen.length = 0));

  const urls = () => {
    const base = `https://vantagepoint.example.com:${port}/vantagepoint`;
    return { publicUrl: base, apiUrl: `${base}/api`, loginUrl: `${base}/app` };
  };

  it("passes every check through the pinned address, sending SNI and Host for the public name", async () => {
    const env = verificationEnvironment({ ...urls(), connectAddress: "127.0.0.1", timeoutMs: 2000 });
    assert.equal(env.VPC_CONNECT_ADDRESS, "127.0.0.1");
    const read = verify.readOptions({ ...env, VPC_CA_FILE: certs.caFile }) as {
      options?: Record<string, unknown>;
      errors?: string[];
    };
    assert.deepEqual(read.errors, undefined);
    const results = await verify.runChecks(read.options as CheckOptions);
    assert.deepEqual(
      results.map((r) => [r.name, r.ok]),
      [
        ["certificate", true],
        ["api-token", true],
        ["login-url", true],
      ],
      JSON.stringify(results),
    );
    assert.match(results[0]!.message, /valid for vantagepoint\.example\.com.*\(connected to 127\.0\.0\.1\)/);
    assert.equal(seen.length, 3);
    for (const r of seen) {
      assert.equal(r.servername, "vantagepoint.example.com", `SNI for ${r.url}`);
      assert.equal(r.host, `vantagepoint.example.com:${port}`, `Host for ${r.url}`);
    }
  });

  it("does not pin a host other than the public one (an internal API URL resolves through DNS as before)", async () => {
    const read = verify.readOptions({
      ...verificationEnvironment({
        ...urls(),
        apiUrl: `https://127.0.0.1:${port}/vantagepoint/api`,
        connectAddress: "192.0.2.1",
        timeoutMs: 2000,
      }),
      VPC_CA_FILE: certs.caFile,
    }) as { options?: Record<string, unknown> };
    const results = await verify.runChecks(read.options as CheckOptions);
    // The API check went to 127.0.0.1 by its own address (the certificate does not cover it: a TLS failure, not a
    // connection to 192.0.2.1, which would time out).
    assert.equal(results[1]!.name, "api-token");
    assert.doesNotMatch(results[1]!.message, /connected to 192\.0\.2\.1|no answer/);
  });

  it("refuses a connect address that is not an IP, naming it", () => {
    assert.throws(
      () => verificationEnvironment({ ...urls(), connectAddress: "gateway.example.com" }),
      /^Error: SiteVerification connectAddress: "gateway\.example\.com" is not an IP address/,
    );
    const read = verify.readOptions({
      VPC_PUBLIC_URL: urls().publicUrl,
      VPC_API_URL: urls().apiUrl,
      VPC_CONNECT_ADDRESS: "not-an-ip",
    }) as { errors?: string[] };
    assert.deepEqual(read.errors, [
      'VPC_CONNECT_ADDRESS is "not-an-ip"; expected the gateway\'s public IP address',
    ]);
  });
});
