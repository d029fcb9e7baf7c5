/**
 * Shared validators for stack config values, pure (zod and node:net only). Each is an exported function that
 * returns what is wrong (a sentence to follow the key) or undefined, plus a zod builder for schema.ts. A
 * suggested fix inside a message is itself checked with the same function, so a fix never fails its own check.
 *
 * Anyone adding keys to schema.ts: use `safeText()` for free text, `httpsUrl()` for URLs, `guid()` for Entra
 * IDs, `hostnameProblem` (schema.ts) for DNS names. Control and bidi characters are refused for every string of
 * the config in one pass (lib/values/hostile.ts), so per-key schemas need not repeat that.
 */
import { isIP } from "node:net";
import { z } from "zod";

// ---- text a person or a report will read ----

/** Characters never allowed in config text: what each is, for the message. */
const UNSAFE_CHARS: Array<{ test: RegExp; what: string }> = [
  { test: /\u0000/u, what: "a NUL character" },
  { test: /[\u0001-\u001f\u007f]/u, what: "a control character (line break, tab, escape...)" },
  { test: /[\u0080-\u009f]/u, what: "a C1 control character" },
  // Trojan Source (CVE-2021-42574): bidirectional overrides and isolates reorder text on screen.
  {
    test: /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/u,
    what: "a bidirectional-override character (it makes text display in another order than it is stored)",
  },
  { test: /[\u2028\u2029]/u, what: "a Unicode line or paragraph separator" },
  { test: /[\u200b\u2060\ufeff]/u, what: "an invisible zero-width character" },
  { test: /[\u{e0000}-\u{e007f}]/u, what: "an invisible tag character" },
  {
    test: /\ufffd/u,
    what: "U+FFFD, the mark left where bytes were not valid UTF-8 (save the file as UTF-8)",
  },
  { test: /[\ud800-\udfff]/, what: "a lone UTF-16 surrogate (not valid text)" },
];

/** Every unsafe character, for escaping in messages. */
const UNSAFE_ANY =
  /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\u2028\u2029\u200b\u2060\ufeff\ufffd\u{e0000}-\u{e007f}]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/gu;

/**
 * Why `text` must not be shown to a person as it is (control, bidi-override, invisible or replacement
 * characters), or undefined. The message says which character and where, and that removing it is the fix.
 */
export function unsafeTextProblem(text: string): string | undefined {
  UNSAFE_ANY.lastIndex = 0;
  const match = UNSAFE_ANY.exec(text);
  if (!match) return undefined;
  const char = match[0];
  const code = char.codePointAt(0)!;
  const at = `${codePoint(code)} at character ${[...text.slice(0, match.index)].length + 1}`;
  if (char === "\n" || char === "\r") return `must not contain line breaks (${at}); keep it on one line`;
  const what = UNSAFE_CHARS.find((c) => c.test.test(char))?.what ?? "an unsafe character";
  return `contains ${what}, ${at}; remove it`;
}

/** Escapes the characters unsafeTextProblem refuses as \u{...}, so a message never carries them. */
export function escapeUnsafe(text: string): string {
  return text.replace(UNSAFE_ANY, (c) => `\\u{${c.codePointAt(0)!.toString(16).toUpperCase()}}`);
}

function codePoint(code: number): string {
  return `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
}

/** A string a person will read: refused when it holds control, bidi or invisible characters. */
export function safeText() {
  return z.string().superRefine((value, ctx) => {
    const problem = unsafeTextProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });
}

/** Quotes a value for a message: JSON-style, unsafe characters escaped, URL passwords masked. */
export function quote(value: string): string {
  return redactUrlCredentials(escapeUnsafe(JSON.stringify(value)));
}

// ---- URLs ----

/** Masks the password of any `scheme://user:password@` in `text` (messages and reports never echo it). */
export function redactUrlCredentials(text: string): string {
  return text.replace(
    /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#@"'`]*?):([^\s/?#"'`]*)@/gi,
    (_m, scheme: string, user: string) => `${scheme}${user}:***@`,
  );
}

/** Options for urlProblem. */
export interface UrlRules {
  /** Allow http:// for 127.0.0.1/localhost/::1 (the emulator). Default true. */
  httpOnLoopback?: boolean;
  /** The example a message offers. */
  example?: string;
}

/**
 * Why `value` is not a plain https URL: a scheme other than https (http only on loopback when allowed), user
 * info, a query or fragment, or no real host. Messages never repeat the URL's password.
 */
export function urlProblem(value: string, rules: UrlRules = {}): string | undefined {
  return urlProblems(value, rules)[0];
}

/** Every problem urlProblem would name, in order (so one message does not hide another). */
export function urlProblems(value: string, rules: UrlRules = {}): string[] {
  const example = rules.example ?? "https://vantagepoint.example.com/vantagepoint/api";
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return [`${quote(value)} must be a URL such as ${example}`];
  }
  if (url.protocol !== "https:" && url.protocol !== "http:")
    return [`${quote(value)} must be a URL such as ${example} (an https:// address, not ${url.protocol})`];
  const out: string[] = [];
  if (url.username || url.password)
    out.push("must not carry credentials; use vantagepoint.username and the secret vantagepoint.password");
  const where = `${url.protocol}//${url.host}${url.pathname}`;
  if (url.protocol === "http:" && !(rules.httpOnLoopback !== false && isLoopbackName(url.hostname)))
    out.push(`${quote(where)} must use https:// (http is allowed only for 127.0.0.1/localhost)`);
  const keepHttp = url.protocol === "http:" && rules.httpOnLoopback !== false && isLoopbackName(url.hostname);
  const bare = `${keepHttp ? "http:" : "https:"}//${url.host}${url.pathname}`;
  if (url.search || value.includes("?"))
    out.push(`${quote(value)} must not have a query ("?..."); give the address only, e.g. ${quote(bare)}`);
  if (url.hash || value.includes("#"))
    out.push(`${quote(value)} must not have a fragment ("#..."); give the address only, e.g. ${quote(bare)}`);
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (isIP(host) === 0 && !isLoopbackName(host) && hostnameShapeProblem(host) !== undefined)
    out.push(`${quote(value)} must be a URL such as ${example}: ${quote(url.hostname)} is not a host name`);
  return out;
}

/** A URL checked with urlProblem. */
export function httpsUrl(rules: UrlRules = {}) {
  return z.string().superRefine((value, ctx) => {
    for (const message of urlProblems(value, rules)) ctx.addIssue({ code: "custom", message });
  });
}

function isLoopbackName(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "");
  return h === "localhost" || h === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

// ---- host names and addresses ----

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;

/**
 * Why `host` is not a DNS name made of letter-digit-hyphen labels (RFC 1123), or undefined. `singleLabel`
 * admits a name without dots (a backend on the VNet's DNS). A last label of digits only is an IP-like
 * number, not a name (RFC 3696 section 2).
 */
export function hostnameShapeProblem(host: string, singleLabel = false): string | undefined {
  if (host.length === 0 || host.length > 253) return "must be 1 to 253 characters";
  const labels = host.replace(/\.$/, "").split(".");
  if (!singleLabel && labels.length < 2) return "must have a dot, e.g. vantagepoint.example.com";
  if (!labels.every((l) => LABEL.test(l)))
    return 'may hold only letters, digits and "-" between dots, e.g. vantagepoint.example.com';
  if (/^\d+$/.test(labels[labels.length - 1]!)) return "ends in a number, so it is not a DNS name";
  return undefined;
}

/**
 * Why `value` is not a backend address for the gateway: an IPv4/IPv6 address or a DNS name, without a
 * scheme, port or path (those have their own keys). `keys` names them as the user writes them.
 */
export function backendAddressProblem(
  value: string,
  keys = { port: "site.backend.port", protocol: "site.backend.protocol" },
): string | undefined {
  if (value.trim() === "") return "must not be empty; give the server's private IP or FQDN";
  if (value !== value.trim()) return `${quote(value)} has spaces before or after it`;
  if (isIP(value) !== 0) return undefined;
  const bracketed = /^\[([0-9a-f:.]+)\](?::(\d+))?$/i.exec(value);
  if (bracketed && isIP(bracketed[1]!) === 6) {
    return `${quote(value)} is written like a URL; give the address only, ${quote(bracketed[1]!)}${bracketed[2] ? `, and put ${bracketed[2]} in ${keys.port}` : ""}`;
  }
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(value);
  if (scheme) {
    let suggestion: string | undefined;
    let port = "";
    try {
      const url = new URL(value);
      suggestion = url.hostname.replace(/^\[|\]$/g, "");
      port = url.port;
    } catch {
      suggestion = undefined;
    }
    const fix =
      suggestion && backendAddressProblem(suggestion, keys) === undefined
        ? `give the address only, e.g. ${quote(suggestion)}`
        : "give the server's private IP or FQDN only";
    return `${quote(value)} has a scheme; ${fix} (the scheme goes in ${keys.protocol}${port ? `, the port in ${keys.port}` : ""})`;
  }
  const hostPort = /^([^:/]+):(\d*)$/.exec(value);
  if (hostPort) {
    const host = hostPort[1]!;
    const fix =
      backendAddressProblem(host, keys) === undefined
        ? `give the address only, ${quote(host)}, and put ${hostPort[2] || "the port"} in ${keys.port}`
        : `give the address only and the port in ${keys.port}`;
    return `${quote(value)} has a port; ${fix}`;
  }
  if (value.includes("/"))
    return `${quote(value)} has a path or a prefix length; give one server's private IP or FQDN`;
  const problem = hostnameShapeProblem(value, true);
  if (problem) return `${quote(value)} is not an IP address or a DNS name: it ${problem}`;
  return undefined;
}

// ---- GUIDs ----

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Why `value` is not a usable Entra GUID (tenant, client or object ID), or undefined. The nil GUID
 * (all zeros) and the max GUID (all f) are placeholders, never an ID Entra hands out.
 */
export function guidProblem(value: string, what = "a GUID"): string | undefined {
  const bare = /^\{(.+)\}$/.exec(value)?.[1];
  if (bare !== undefined && GUID.test(bare))
    return `${quote(value)} must be ${what} without braces, e.g. ${quote(bare)}`;
  if (!GUID.test(value))
    return `must be ${what}, e.g. 7d3c2b1a-4e5f-4a6b-8c9d-0e1f2a3b4c5d, not ${quote(value)}`;
  if (/^[0-]+$/.test(value))
    return `is the nil GUID (all zeros), a placeholder; give ${what} from the Entra admin center`;
  if (/^[f-]+$/i.test(value))
    return `is the max GUID (all f), a placeholder; give ${what} from the Entra admin center`;
  return undefined;
}

/** An Entra GUID checked with guidProblem; `message` (when given) replaces the "must be" sentence for bad shapes. */
export function guid(what = "a GUID", message?: string) {
  return z.string().superRefine((value, ctx) => {
    const problem = guidProblem(value, what);
    if (!problem) return;
    ctx.addIssue({ code: "custom", message: message && !GUID.test(value) ? message : problem });
  });
}

// ---- secrets ----

/** Base64 text (the alphabet, optional padding); padding and length are left to the engine's decryption. */
const BASE64_TEXT = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Why a stack file's `secure:` value is not ciphertext Pulumi wrote, or undefined. The passphrase and
 * cloud-KMS providers write `v1:<base64 12-byte nonce>:<base64 AES-GCM ciphertext>` (pulumi/pulumi
 * sdk/go/common/resource/config/crypt.go, symmetricCrypter: three parts, a 12-byte nonce); other providers
 * write base64. Only the shape is checked (decrypting is the engine's job): empty, not text, plaintext-like
 * (spaces, other characters, too short) or a v1 value without its three parts is refused. The value itself
 * is never echoed. `key` is the key as the user writes it.
 */
export function ciphertextProblem(value: unknown, key: string): string | undefined {
  const fix = `run \`pulumi config set --secret --path '${key}' <value>\` to write it again`;
  if (typeof value !== "string") return `has a \`secure:\` value that is not text; ${fix}`;
  if (value.trim() === "") return `has an empty \`secure:\` value; ${fix}`;
  if (value.startsWith("v1:")) {
    const parts = value.split(":");
    const ok =
      parts.length === 3 &&
      /^[A-Za-z0-9+/]{16}$/.test(parts[1]!) && // 12 bytes
      parts[2]!.length >= 16 &&
      BASE64_TEXT.test(parts[2]!);
    return ok
      ? undefined
      : `has a \`secure:\` value that is not Pulumi ciphertext (v1:<nonce>:<data>); ${fix}`;
  }
  if (value.length < 16 || !BASE64_TEXT.test(value))
    return `has a \`secure:\` value that is not Pulumi ciphertext (expected base64 or v1:<nonce>:<data>); ${fix}`;
  return undefined;
}

// ---- emails that look like someone else's ----

/** Scripts whose letters look like Latin ones (the usual homograph sources, Unicode TR 39). */
const SCRIPTS: Array<[string, RegExp]> = [
  ["Latin", /\p{Script=Latin}/u],
  ["Cyrillic", /\p{Script=Cyrillic}/u],
  ["Greek", /\p{Script=Greek}/u],
  ["Armenian", /\p{Script=Armenian}/u],
  ["Cherokee", /\p{Script=Cherokee}/u],
  ["Han", /\p{Script=Han}/u],
  ["Hiragana", /\p{Script=Hiragana}/u],
  ["Katakana", /\p{Script=Katakana}/u],
  ["Hangul", /\p{Script=Hangul}/u],
  ["Arabic", /\p{Script=Arabic}/u],
  ["Hebrew", /\p{Script=Hebrew}/u],
];

/** Script mixes TR 39 "highly restrictive" allows (Latin with the CJK scripts). */
const ALLOWED_MIXES = [
  ["Latin", "Han", "Hiragana", "Katakana"],
  ["Latin", "Han", "Hangul"],
];

function scriptsOf(text: string): string[] {
  const found = new Set<string>();
  for (const char of text) {
    if (!/\p{L}/u.test(char)) continue;
    found.add(SCRIPTS.find(([, re]) => re.test(char))?.[0] ?? "other");
  }
  return [...found].sort();
}

/**
 * Why an email mixes scripts in one part (e.g. a Cyrillic "а" among Latin letters, which looks like
 * someone else's address), or undefined. Each dot-separated part of the name and domain is checked.
 */
export function mixedScriptProblem(email: string): string | undefined {
  for (const part of email.split(/[@.+_-]/)) {
    const scripts = scriptsOf(part);
    if (scripts.length < 2) continue;
    if (ALLOWED_MIXES.some((mix) => scripts.every((s) => mix.includes(s)))) continue;
    const ascii = confusableSkeleton(email);
    const looksLike =
      ascii !== email && /^[\x21-\x7e]+$/.test(ascii) ? `; it looks like ${quote(ascii)}` : "";
    return `${quote(email)} mixes ${scripts.join(" and ")} letters in ${quote(part)}${looksLike}; type the address again with one keyboard layout`;
  }
  return undefined;
}

/** Letters of other scripts that look like Latin ones (a subset of Unicode's confusables.txt). */
const CONFUSABLES: Record<string, string> = {
  // Cyrillic
  а: "a",
  в: "b",
  е: "e",
  ё: "e",
  к: "k",
  м: "m",
  н: "h",
  о: "o",
  р: "p",
  с: "c",
  т: "t",
  у: "y",
  х: "x",
  ѕ: "s",
  і: "i",
  ї: "i",
  ј: "j",
  ԛ: "q",
  ԝ: "w",
  һ: "h",
  ӏ: "l",
  ԁ: "d",
  ɡ: "g",
  // Greek
  α: "a",
  β: "b",
  ε: "e",
  ι: "i",
  κ: "k",
  ν: "v",
  ο: "o",
  ρ: "p",
  τ: "t",
  υ: "u",
  χ: "x",
  ω: "w",
  // Latin lookalikes
  ı: "i",
  ℓ: "l",
};

/**
 * A lowercase skeleton: letters of other scripts that look like Latin ones are mapped to them. Two addresses with one skeleton look alike to a person.
 */
export function confusableSkeleton(text: string): string {
  let out = "";
  for (const char of text.normalize("NFKC").toLowerCase()) out += CONFUSABLES[char] ?? char;
  return out;
}

// ---- Azure resource ids ----

/** Why `value` is not a full Azure resource id of `type`, or undefined. */
export function resourceIdProblem(value: string, type: string, what: string): string | undefined {
  const [namespace, kind] = type.split("/") as [string, string];
  const pattern = new RegExp(
    `^/subscriptions/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/resourceGroups/[^/]+/providers/${namespace.replace(".", "\\.")}/${kind}/[^/]+$`,
    "i",
  );
  if (pattern.test(value)) return undefined;
  return `${JSON.stringify(value)} is not a ${what} resource id; expected /subscriptions/<subscription id>/resourceGroups/<group>/providers/${type}/<name> (az resource show ... --query id)`;
}
