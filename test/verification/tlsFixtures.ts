/**
 * Test fixtures for scripts/verify-site.js: a private CA and server certificates generated at test time with
 * the `openssl` CLI (present on developer machines and CI; the tests fail loudly when it is missing), and a
 * small HTTPS server on 127.0.0.1 that plays Vantagepoint behind an Application Gateway.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as https from "node:https";
import type { AddressInfo } from "node:net";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";

/** The verify-site module's exports, typed for the tests. */
export interface CheckResult {
  name: string;
  ok: boolean;
  skipped?: boolean;
  url?: string;
  message: string;
  fix?: string;
  kind?: string;
  daysLeft?: number;
  status?: number;
}
export interface CheckOptions {
  publicUrl?: string;
  apiUrl?: string;
  loginUrl?: string;
  minDays?: number;
  ca?: string;
  timeoutMs?: number;
  now?: Date;
  /** The gateway's public IP: requests to publicUrl's host connect there (VPC_CONNECT_ADDRESS). */
  connectAddress?: string;
}
export interface VerifySite {
  checkCertificate(o: CheckOptions): Promise<CheckResult>;
  checkApiToken(o: CheckOptions): Promise<CheckResult>;
  checkLoginUrl(o: CheckOptions): Promise<CheckResult>;
  runChecks(o: CheckOptions): Promise<CheckResult[]>;
  readOptions(env: Record<string, string | undefined>): {
    errors?: string[];
    options?: Record<string, unknown>;
  };
  formatText(results: CheckResult[]): string;
  tokenUrl(api: string): string;
  displayUrl(url: string): string;
  main(env: Record<string, string | undefined>, out: (s: string) => void): Promise<number>;
  FIX: Record<string, string>;
}

export const SCRIPT_PATH = path.resolve(__dirname, "../../scripts/verify-site.js");
export const verify = require(SCRIPT_PATH) as VerifySite;

export interface KeyPair {
  key: string;
  cert: string;
}

export interface Certificates {
  dir: string;
  /** PEM file of the test CA (for VPC_CA_FILE). */
  caFile: string;
  ca: string;
  /** Signed by the CA for 127.0.0.1 and localhost, valid 200 days. */
  good: KeyPair;
  /** Signed by the CA for 127.0.0.1 and localhost, valid 5 days. */
  expiring: KeyPair;
  /** Signed by the CA for 127.0.0.1 and localhost, expired in 2020 (made with `openssl ca`, which takes dates). */
  expired: KeyPair;
  /** Signed by the CA for vantagepoint.example.com only. */
  wrongName: KeyPair;
}

function openssl(args: string[], cwd: string): void {
  try {
    execFileSync("openssl", args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: Buffer };
    if (e.code === "ENOENT") {
      throw new Error(
        "the verification tests need the `openssl` CLI on PATH to generate test certificates; install OpenSSL",
      );
    }
    throw new Error(`openssl ${args[0]} failed: ${e.stderr?.toString() ?? e.message}`);
  }
}

/** Generates the CA and server certificates into a fresh temporary directory. */
export function makeCertificates(): Certificates {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vpc-verify-"));
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  openssl(
    [
      "req",
      "-x509",
      ...ec,
      "-keyout",
      "ca.key",
      "-out",
      "ca.crt",
      "-days",
      "30",
      "-subj",
      "/CN=vpc verify test CA",
      "-addext",
      "basicConstraints=critical,CA:TRUE",
      "-addext",
      "keyUsage=critical,keyCertSign,cRLSign",
    ],
    dir,
  );
  const leaf = (name: string, days: number, san: string): KeyPair => {
    openssl(["req", ...ec, "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", `/CN=${name}`], dir);
    fs.writeFileSync(
      path.join(dir, `${name}.ext`),
      `basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=${san}\n`,
    );
    openssl(
      [
        "x509",
        "-req",
        "-in",
        `${name}.csr`,
        "-CA",
        "ca.crt",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        String(days),
        "-extfile",
        `${name}.ext`,
        "-out",
        `${name}.crt`,
      ],
      dir,
    );
    return {
      key: fs.readFileSync(path.join(dir, `${name}.key`), "utf8"),
      cert: fs.readFileSync(path.join(dir, `${name}.crt`), "utf8"),
    };
  };
  const local = "IP:127.0.0.1,DNS:localhost";
  const expired = (): KeyPair => {
    openssl(["req", ...ec, "-keyout", "expired.key", "-out", "expired.csr", "-subj", "/CN=expired"], dir);
    fs.writeFileSync(path.join(dir, "expired.ext"), `subjectAltName=${local}\n`);
    fs.writeFileSync(path.join(dir, "index.txt"), "");
    fs.writeFileSync(path.join(dir, "serial"), "1000\n");
    fs.writeFileSync(
      path.join(dir, "ca.cnf"),
      "[ca]\ndefault_ca=test\n[test]\ndatabase=index.txt\nnew_certs_dir=.\nserial=serial\ndefault_md=sha256\npolicy=any\n[any]\ncommonName=supplied\n",
    );
    openssl(
      [
        "ca",
        "-batch",
        "-config",
        "ca.cnf",
        "-cert",
        "ca.crt",
        "-keyfile",
        "ca.key",
        "-in",
        "expired.csr",
        "-out",
        "expired.crt",
        "-startdate",
        "20200101000000Z",
        "-enddate",
        "20200201000000Z",
        "-extfile",
        "expired.ext",
        "-notext",
      ],
      dir,
    );
    return {
      key: fs.readFileSync(path.join(dir, "expired.key"), "utf8"),
      cert: fs.readFileSync(path.join(dir, "expired.crt"), "utf8"),
    };
  };
  return {
    dir,
    caFile: path.join(dir, "ca.crt"),
    ca: fs.readFileSync(path.join(dir, "ca.crt"), "utf8"),
    good: leaf("good", 200, local),
    expiring: leaf("expiring", 5, local),
    expired: expired(),
    wrongName: leaf("wrongname", 200, "DNS:vantagepoint.example.com"),
  };
}

/** How the fake site's token endpoint behaves. */
export type TokenBehaviour = "oauth" | "html502" | "redirect" | "waf403";

/** A fake Vantagepoint behind a gateway, on 127.0.0.1 over HTTPS. */
export interface FakeSite {
  port: number;
  base: string;
  publicUrl: string;
  apiUrl: string;
  loginUrl: string;
  /** Bodies POSTed to the token endpoint (to prove no credentials are sent). */
  tokenBodies: string[];
  close(): Promise<void>;
}

export async function startSite(pair: KeyPair, token: TokenBehaviour = "oauth"): Promise<FakeSite> {
  const tokenBodies: string[] = [];
  const server = https.createServer({ key: pair.key, cert: pair.cert }, (req, res) => {
    const url = req.url ?? "/";
    if (req.method === "POST" && url === "/vantagepoint/api/token") {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString("utf8")));
      req.on("end", () => {
        tokenBodies.push(body);
        if (token === "oauth") {
          res.writeHead(400, { "Content-Type": "application/json;charset=UTF-8" });
          res.end(JSON.stringify({ error: "unsupported_grant_type" }));
        } else if (token === "html502") {
          res.writeHead(502, { "Content-Type": "text/html" });
          res.end(
            "<html><head><title>502 Bad Gateway</title></head><body>Microsoft-Azure-Application-Gateway/v2</body></html>",
          );
        } else if (token === "waf403") {
          res.writeHead(403, { "Content-Type": "text/html" });
          res.end("<html><body>403 Forbidden</body></html>");
        } else {
          res.writeHead(302, { Location: "https://login.example.com/sign-in?return=%2Fapi%2Ftoken" });
          res.end();
        }
      });
      return;
    }
    if (url.startsWith("/broken")) {
      res.writeHead(503, { "Content-Type": "text/html" });
      res.end("<html><body>Service Unavailable</body></html>");
      return;
    }
    if (url.startsWith("/vantagepoint/login")) {
      res.writeHead(302, { Location: "/vantagepoint/app/" });
      res.end();
      return;
    }
    if (url.startsWith("/vantagepoint")) {
      res.writeHead(200, { "Content-Type": "text/html" });
      res.end("<html><body>Vantagepoint</body></html>");
      return;
    }
    res.writeHead(404, { "Content-Type": "text/html" });
    res.end("<html><body>Not found</body></html>");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const base = `https://127.0.0.1:${port}`;
  return {
    port,
    base,
    publicUrl: `${base}/vantagepoint`,
    apiUrl: `${base}/vantagepoint/api`,
    loginUrl: `${base}/vantagepoint/login/callback`,
    tokenBodies,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port on 127.0.0.1 that nothing listens on (connections are refused). */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
