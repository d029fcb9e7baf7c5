/** How the emulator answers: JSON, OAuth-style token errors, IIS-style HTML pages, and the three shapes of write reply. */
import type * as http from "node:http";
import type { Rec } from "./seed";

export function htmlPage(status: number, title: string, text: string): string {
  return `<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN"><html><head><title>${status} - ${title}</title><style>body{font-family:Verdana}</style></head><body><div id="header"><h1>Server Error</h1></div><div id="content"><h2>${status} - ${title}</h2><h3>${text}</h3></div></body></html>`;
}

/** Sends a JSON (or pre-serialised) body; 204 or undefined sends no body. */
export function send(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.destroyed) return;
  if (status === 204 || body === undefined) {
    res.writeHead(status, headers);
    res.end();
    return;
  }
  const text = typeof body === "string" ? body : JSON.stringify(body);
  res.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

/** Sends an HTML page with the given status. */
export function sendHtml(
  res: http.ServerResponse,
  status: number,
  page: string,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, {
    "Content-Type": "text/html",
    "Content-Length": String(Buffer.byteLength(page)),
    ...headers,
  });
  res.end(page);
}

export interface ReplyOptions {
  /** Serve every error as an IIS-style HTML page. */
  htmlErrors?: boolean;
  /** How write replies look (default object). */
  writeReply?: "object" | "array" | "204";
}

/** The error and write replies, shaped by the emulator's options. */
export interface Replies {
  error(
    res: http.ServerResponse,
    status: number,
    message: string,
    detail?: string,
    headers?: Record<string, string>,
  ): void;
  oauthError(res: http.ServerResponse, status: number, error: string, description: string): void;
  write(res: http.ServerResponse, status: number, rec: Rec, headers?: Record<string, string>): void;
}

export function makeReplies(options: ReplyOptions): Replies {
  const error: Replies["error"] = (res, status, message, detail, headers = {}) => {
    if (options.htmlErrors)
      return sendHtml(res, status, htmlPage(status, message, detail ?? message), headers);
    send(res, status, { message, ...(detail ? { detail } : {}) }, headers);
  };
  return {
    error,
    oauthError(res, status, err, description) {
      if (options.htmlErrors) return error(res, status, err, description);
      send(res, status, { error: err, error_description: description });
    },
    write(res, status, rec, headers = {}) {
      const style = options.writeReply ?? "object";
      if (style === "204") return send(res, 204, undefined, headers);
      send(res, status, style === "array" ? [rec] : rec, headers);
    },
  };
}
