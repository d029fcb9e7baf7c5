/**
 * A tiny HTTP server on 127.0.0.1 whose replies a test scripts per request, recording every request it saw
 * (method, path, headers, body) and how many reply bytes it managed to send.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";

export interface SeenRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export type Reply = (req: SeenRequest, res: http.ServerResponse) => void | Promise<void>;

export interface RawServer {
  /** Origin, e.g. http://127.0.0.1:40123 */
  origin: string;
  requests: SeenRequest[];
  /** Reply body bytes written and accepted by the socket. */
  bytesSent: number;
  /** Replaces the reply script. */
  reply: Reply;
  close(): Promise<void>;
}

/** Answers a token grant like Vantagepoint and everything else through `reply`. */
export async function startRawServer(reply: Reply, host = "127.0.0.1"): Promise<RawServer> {
  const server: RawServer = {
    origin: "",
    requests: [],
    bytesSent: 0,
    reply,
    close: async () => {},
  };
  const srv = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const seen: SeenRequest = {
        method: req.method ?? "",
        path: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      server.requests.push(seen);
      const write = res.write.bind(res);
      res.write = ((chunk: string | Buffer, ...rest: unknown[]) => {
        const ok = (write as (...a: unknown[]) => boolean)(chunk, ...rest);
        server.bytesSent += typeof chunk === "string" ? Buffer.byteLength(chunk) : chunk.length;
        return ok;
      }) as typeof res.write;
      Promise.resolve(server.reply(seen, res)).catch(() => res.destroy());
    });
  });
  await new Promise<void>((resolve) => srv.listen(0, host, () => resolve()));
  server.origin = `http://${host === "::1" ? "[::1]" : host}:${(srv.address() as AddressInfo).port}`;
  server.close = async () => {
    srv.closeAllConnections();
    await new Promise<void>((resolve) => srv.close(() => resolve()));
  };
  return server;
}

/** A JSON reply. */
export function json(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  res.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

/** The token grant reply every scripted server gives. */
export function tokenReply(res: http.ServerResponse, token = "Tok-Sentinel-Access-0b7e"): void {
  json(res, 200, {
    access_token: token,
    token_type: "bearer",
    expires_in: 3600,
    refresh_token: "Tok-Sentinel-Refresh-51aa",
  });
}
