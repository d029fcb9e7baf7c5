/** Errors raised by the Vantagepoint client, and helpers that keep secrets out of them. */

const REDACTED = "[REDACTED]";

/**
 * Removes secrets from text meant for people (errors, logs). Known secret values are removed in plain,
 * URL-encoded and form-encoded spellings; so are values after words like password, secret and token,
 * and bearer tokens.
 */
export function redactSecrets(
  text: string,
  knownSecrets: ReadonlyArray<string | undefined | null> = [],
): string {
  let out = String(text);
  const values = new Set<string>();
  for (const s of knownSecrets) {
    if (typeof s !== "string" || s.length < 3) continue;
    values.add(s);
    values.add(encodeURIComponent(s));
    values.add(encodeURIComponent(s).replace(/%20/g, "+"));
    values.add(JSON.stringify(s).slice(1, -1));
  }
  // Longest first so a secret that contains another is removed whole.
  for (const v of [...values].sort((a, b) => b.length - a.length)) {
    out = out.split(v).join(REDACTED);
  }
  const key =
    "(?:password|passwd|pwd|client_secret|clientsecret|secret|access_token|refresh_token|token|apikey|api_key)";
  // JSON style: "Password": "value"
  out = out.replace(new RegExp(`("${key}"\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"`, "gi"), `$1"${REDACTED}"`);
  // form / query style: password=value
  out = out.replace(new RegExp(`(\\b${key}=)[^&\\s"'<]+`, "gi"), `$1${REDACTED}`);
  // prose style: password: value (known values were removed above whatever the wording). Only a value that looks
  // like a credential (8 or more characters, or one with a digit or symbol): "a new secret: that breaks" stays prose.
  out = out.replace(
    new RegExp(
      `(\\b${key}\\s*:\\s*)(?!\\[REDACTED\\])(?=[^\\s,;"'<]{8}|[^\\s,;"'<]*[^A-Za-z\\s,;"'<])[^\\s,;"'<]+`,
      "gi",
    ),
    `$1${REDACTED}`,
  );
  // bearer tokens
  out = out.replace(/(\bBearer\s+)[A-Za-z0-9\-._~+/=]+/gi, `$1${REDACTED}`);
  return out;
}

export type VantagepointErrorKind =
  | "http" // the server answered with an error status
  | "network" // connection reset, refused, DNS
  | "timeout" // no reply within the per-request timeout
  | "maybe-landed" // a create failed in a way that may have written; re-read before retrying
  | "malformed" // the reply was not the JSON expected
  | "too-large" // the reply exceeded the size limit
  | "redirect" // redirected where credentials must not go
  | "unavailable" // the endpoint does not exist on this server (404/405 on a hub path)
  | "config"; // bad connection settings

/** An error from a Vantagepoint call: method, path, status and the server's words (secrets removed). */
export class VantagepointError extends Error {
  readonly method: string;
  readonly path: string;
  readonly status?: number;
  readonly kind: VantagepointErrorKind;
  /** The server's own words, secrets removed. */
  readonly serverMessage?: string;
  readonly retryable: boolean;

  constructor(args: {
    method: string;
    path: string;
    status?: number;
    kind: VantagepointErrorKind;
    serverMessage?: string;
    hint?: string;
    retryable?: boolean;
    knownSecrets?: ReadonlyArray<string | undefined>;
  }) {
    const secrets = args.knownSecrets ?? [];
    const server = args.serverMessage ? redactSecrets(args.serverMessage, secrets) : undefined;
    const path = redactSecrets(args.path, secrets);
    const head = `Vantagepoint ${args.method} ${path}`;
    const status = args.status !== undefined ? ` failed with ${args.status}` : ` failed (${args.kind})`;
    const words = server ? `: ${server}` : "";
    const hint = args.hint ? ` ${redactSecrets(args.hint, secrets)}` : "";
    super(args.kind === "config" && args.hint ? hint.trim() : `${head}${status}${words}${hint}`);
    this.name = "VantagepointError";
    this.method = args.method;
    this.path = path;
    this.status = args.status;
    this.kind = args.kind;
    this.serverMessage = server;
    this.retryable = args.retryable ?? false;
  }
}

function stripHtml(html: string): string {
  const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html)?.[1]?.trim();
  const body = html
    .replace(/<(script|style|head)[^>]*>[\s\S]*?<\/\1>/gi, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/&nbsp;/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ")
    .trim();
  const text = title && !body.startsWith(title) ? `${title}: ${body}` : body;
  return text || title || "(HTML page with no text)";
}

function truncate(s: string, max = 400): string {
  return s.length > max ? `${s.slice(0, max)}...` : s;
}

/** Turns an error reply body (JSON, OAuth, HTML, text or empty) into one line of the server's words. */
export function parseErrorBody(body: string, contentType = ""): string {
  const text = body.trim();
  if (!text) return "(empty reply body)";
  const looksJson = /json/i.test(contentType) || text.startsWith("{") || text.startsWith("[");
  if (looksJson) {
    try {
      let parsed = JSON.parse(text) as unknown;
      if (Array.isArray(parsed)) parsed = parsed[0];
      if (parsed && typeof parsed === "object") {
        const o = parsed as Record<string, unknown>;
        const pick = (...names: string[]) => {
          for (const n of names) {
            const hit = Object.keys(o).find((k) => k.toLowerCase() === n.toLowerCase());
            if (hit && o[hit] !== undefined && o[hit] !== null && String(o[hit]).trim() !== "")
              return typeof o[hit] === "string" ? (o[hit] as string) : JSON.stringify(o[hit]);
          }
          return undefined;
        };
        const error = pick("error");
        const description = pick("error_description");
        if (error !== undefined && (description !== undefined || !pick("message"))) {
          return truncate(description ? `${error}: ${description}` : error);
        }
        const message = pick("message", "Message", "title");
        const detail = pick("detail", "Detail", "ExceptionMessage", "MessageDetail");
        if (message || detail) {
          const parts = [message, detail !== message ? detail : undefined].filter((x): x is string => !!x);
          return truncate(parts.join(": "));
        }
        return truncate(text);
      }
    } catch {
      // not JSON after all
    }
  }
  if (/<html|<!doctype|<body|<h1/i.test(text) || /html/i.test(contentType)) return truncate(stripHtml(text));
  return truncate(text.replace(/\s+/g, " "));
}
