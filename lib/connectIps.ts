/**
 * Connect's outbound addresses from a saved copy of Deltek's "Exposed IP Addresses" help topic (P2, see
 * shared/reference/connect-prerequisites.md): the page's real format is unknown and changes, so reading is
 * liberal (HTML or text, tables, lists, prose, junk around; IPv4 and IPv6; CIDRs, bare addresses, netmasks,
 * `a.b.c.*` and `first - last` ranges) and writing is strict (normalized network ranges that the stack config's
 * own rule accepts, or a problem naming the line). Pure: no file or network access, no Pulumi import.
 */
import { parseRange, rangeProblem } from "./allowList";
import { decodeQuotedPrintable, hiddenAddresses, V4, V6 } from "./savedPage";
export { decodeQuotedPrintable };
import type { ConnectIpsCopyFile, ConnectIpsProvenance, RangeProblem } from "./connectIpsFile";

/** One range found, with the line it came from (1-based, in the text as read). */
export interface FoundRange {
  cidr: string;
  line: number;
  /** What the page said, e.g. `203.0.113.0 - 203.0.113.255`. */
  text: string;
}

export type { RangeProblem } from "./connectIpsFile";

export interface Extracted {
  /** Normalized, de-duplicated, sorted (IPv4 first, then IPv6, by address). */
  ranges: FoundRange[];
  problems: RangeProblem[];
  /** Address-like text left out on purpose (shown to the reviewer, never written). */
  ignored: RangeProblem[];
  /** Whether the input was read as HTML. */
  html: boolean;
}

const ENTITIES: Record<string, string> = {
  nbsp: " ",
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  ndash: "–",
  mdash: "—",
  sol: "/",
  colon: ":",
  period: ".",
};

/** Whether `text` is an HTML page or fragment (rather than plain text that mentions a `<`). */
export function looksLikeHtml(text: string): boolean {
  return /<\s*(!doctype|html|head|body|table|tr|td|th|ul|ol|li|p|div|span|br|h[1-6]|pre|code)\b/i.test(text);
}

/**
 * HTML to text with the line numbers kept: script/style/comments and tags become spaces (their newlines stay),
 * block ends become line breaks only where the tag had none, entities are decoded.
 */
export function htmlToText(html: string): string {
  const blank = (s: string) => s.replace(/[^\n]/g, " ");
  return html
    .replace(/<!--[\s\S]*?-->/g, blank)
    .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, blank)
    .replace(/<[^>]*>/g, (tag) => (/\n/.test(tag) ? blank(tag) : " ".repeat(tag.length)))
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, name: string) => {
      if (name[0] === "#") {
        const code = name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : Number(name.slice(1));
        return Number.isFinite(code) && code > 0 && code < 0x110000 && code !== 10 && code !== 13
          ? String.fromCodePoint(code)
          : " ";
      }
      return ENTITIES[name.toLowerCase()] ?? entity;
    });
}

/** A token that is or tries to be an address, range or CIDR. Alternatives are tried in order. */
const TOKEN = new RegExp(
  [
    // an IPv4-mapped IPv6 address, ::ffff:a.b.c.d (read before the IPv6 branch takes "::ffff:a" of it)
    String.raw`(?<mapped>::[fF]{4}:${V4})`,
    // first - last (IPv4), with -, en/em dash, "to" or "through"
    String.raw`(?<v4from>${V4})\s*(?:-|–|—|\bto\b|\bthrough\b)\s*(?<v4to>${V4})(?![\d.]*\d)`,
    // a.b.c.d/nn, a.b.c.d/255.255.255.0, a.b.c.d 255.255.255.0
    String.raw`(?<v4>${V4})(?:\s*\/\s*(?<v4len>${V4}|\d{1,3})|[ \t]+(?<v4mask>(?:255|254|252|248|240|224|192|128)\.\d{1,3}\.\d{1,3}\.\d{1,3})(?![\d.]*\d))?`,
    // a.b.c.* and a.b.*.* (wildcards)
    String.raw`(?<wild>\d{1,3}(?:\.(?:\d{1,3}|\*)){3})`,
    // IPv6 with an optional /nn
    String.raw`(?<v6>${V6})(?:\s*\/\s*(?<v6len>\d{1,3}))?`,
  ].join("|"),
  "g",
);

/**
 * Finds every address, CIDR or range in `input` (HTML or text). Problems are things that look like an address
 * but are not acceptable for Connect (bad octets, host bits, netmasks that are not contiguous, private or
 * reserved ranges, every address): the caller refuses to write when there is one.
 */
export function extractConnectRanges(saved: string): Extracted {
  const input = decodeQuotedPrintable(saved);
  const html = looksLikeHtml(input);
  const text = html ? htmlToText(input) : input;
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === "\n") lineStarts.push(i + 1);
  const lineOf = (index: number) => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (lineStarts[mid]! <= index) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  };

  const found = new Map<string, FoundRange>();
  const problems: RangeProblem[] = [];
  // Addresses in parts of the page a reader never sees are listed, never read and never silently dropped.
  const ignored: RangeProblem[] = html ? hiddenAddresses(input) : [];
  for (const m of text.matchAll(TOKEN)) {
    const start = m.index;
    const token = m[0];
    const before = text[start - 1] ?? "";
    const after = text[start + token.length] ?? "";
    const next = text[start + token.length + 1] ?? "";
    const g = m.groups ?? {};
    const line = lineOf(start);
    const shown = token.replace(/\s+/g, " ").trim();
    if (g.mapped !== undefined) {
      const v4 = g.mapped.slice(7);
      problems.push({
        line,
        text: shown,
        message: `is an IPv4-mapped IPv6 address; Connect's list gives IPv4 addresses: write ${v4} if it is one of Connect's`,
      });
      continue;
    }
    // Part of a longer word or number (a version 1.2.3.4.5, a hex id, a time 10:30:00) is not an address; a
    // dotted quad inside one is listed as left out, so nothing that looks like an IPv4 address vanishes.
    const v6 = g.v6 !== undefined;
    const quad = g.v4 !== undefined && g.v4len === undefined && g.v4mask === undefined;
    if ((v6 ? /[\w:./]/ : /[\w.]/).test(before) || /\w/.test(after) || (v6 && after === ":")) {
      if (quad) {
        const word =
          /[\w.]*$/.exec(text.slice(0, start))![0] +
          token +
          /^[\w.]*/.exec(text.slice(start + token.length))![0];
        ignored.push({ line, text: word, message: "is part of a longer word or number, not an address" });
      }
      continue;
    }
    if (quad && after === ":" && /\d/.test(next)) {
      const port = /^:\d+/.exec(text.slice(start + token.length))![0];
      problems.push({
        line,
        text: shown + port,
        message: `has a port (${port}); Connect's list gives source addresses, which have none: write ${g.v4} if it is one of Connect's`,
      });
      continue;
    }
    if (/[.:]/.test(after) && /[\da-f]/i.test(next)) {
      if (quad && after === ".") {
        const longer = token + /^[\d.]*/.exec(text.slice(start + token.length))![0];
        ignored.push({
          line,
          text: longer,
          message: "is a longer dotted number (a version?), not an address",
        });
      }
      continue;
    }
    // Real IPv6 has "::" or eight groups; and at least one digit.
    if (v6 && ((!g.v6!.includes("::") && g.v6!.split(":").length !== 8) || !/[0-9a-f]/i.test(g.v6!)))
      continue;
    if (!v6 && VERSION_WORDS.test(text.slice(Math.max(0, start - 24), start))) {
      ignored.push({ line, text: shown, message: "looks like a version number, not an address" });
      continue;
    }
    const add = (candidate: string) => {
      const parsed = parseRange(candidate);
      if ("error" in parsed) {
        problems.push({ line, text: shown, message: parsed.error });
        return;
      }
      // The stack config's own rule (so the stack can match the copy), worded for a copy of Deltek's list.
      const problem =
        ipv4MappedProblem(parsed.cidr) ?? rangeProblem(parsed)?.replace(/; remove it or set .*$/, "");
      if (problem) {
        problems.push({ line, text: shown, message: problem });
        return;
      }
      if (!found.has(parsed.cidr)) found.set(parsed.cidr, { cidr: parsed.cidr, line, text: shown });
    };
    if (g.v4from !== undefined && g.v4to !== undefined) {
      const cidrs = rangeToCidrs(g.v4from, g.v4to);
      if (typeof cidrs === "string") problems.push({ line, text: shown, message: cidrs });
      else cidrs.forEach(add);
    } else if (g.v4 !== undefined) {
      const length = g.v4len ?? g.v4mask;
      if (length === undefined) add(g.v4);
      else if (/^\d{1,3}$/.test(length)) add(`${g.v4}/${length}`);
      else {
        const prefix = maskToPrefix(length);
        if (prefix === undefined)
          problems.push({ line, text: shown, message: `${length} is not a contiguous netmask` });
        else add(`${g.v4}/${prefix}`);
      }
    } else if (g.wild !== undefined) {
      const parts = g.wild.split(".");
      const firstStar = parts.indexOf("*");
      if (firstStar === -1) continue; // a plain address is matched by the v4 branch; this is a longer number
      if (firstStar === 0 || parts.slice(firstStar).some((p) => p !== "*")) {
        problems.push({ line, text: shown, message: "only trailing octets may be wildcards (203.0.113.*)" });
      } else {
        add(`${parts.map((p) => (p === "*" ? "0" : p)).join(".")}/${firstStar * 8}`);
      }
    } else if (g.v6 !== undefined) {
      add(g.v6len !== undefined ? `${g.v6}/${g.v6len}` : g.v6);
    }
  }
  return { ranges: sortRanges([...found.values()]), problems, ignored, html };
}

/** Words that put a version number, not an address, right after them ("manifest 2.4.1.87", "Version 7.0.3.12"). */
const VERSION_WORDS =
  /\b(version|ver|release|build|manifest|add-?in|update|patch|revision|rev|v)\.?\s*:?\s*$/i;

/** `::ffff:0:0/96` and friends admit IPv4 through an IPv6 form: refused, the IPv4 form is clear. */
function ipv4MappedProblem(cidr: string): string | undefined {
  if (!cidr.includes(":")) return undefined;
  const value = toBigInt(cidr.split("/")[0]!, 6);
  if (value === undefined) return undefined;
  if (value >> 32n === 0xffffn)
    return `${cidr} is an IPv4-mapped IPv6 range; write the IPv4 addresses instead`;
  return undefined;
}

function toBigInt(address: string, family: 4 | 6): bigint | undefined {
  if (family === 4) {
    const parts = address.split(".").map(Number);
    if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return undefined;
    return parts.reduce((acc, p) => (acc << 8n) | BigInt(p), 0n);
  }
  const halves = address.split("::");
  if (halves.length > 2) return undefined;
  const groups = (s: string) => (s === "" ? [] : s.split(":"));
  const left = groups(halves[0]!);
  const right = halves.length === 2 ? groups(halves[1]!) : [];
  const fill = halves.length === 2 ? 8 - left.length - right.length : 0;
  const all = [...left, ...Array<string>(fill).fill("0"), ...right];
  if (all.length !== 8 || all.some((g) => !/^[0-9a-f]{1,4}$/i.test(g))) return undefined;
  return all.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

function v4Text(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 255n)).join(".");
}

/** The prefix length of a contiguous netmask (255.255.255.0 -> 24), or undefined. */
export function maskToPrefix(mask: string): number | undefined {
  const value = toBigInt(mask, 4);
  if (value === undefined) return undefined;
  const inverted = ~value & 0xffffffffn;
  if ((inverted & (inverted + 1n)) !== 0n) return undefined;
  return 32 - inverted.toString(2).replace(/^0+/, "").length;
}

/** The minimal CIDR cover of an IPv4 range first..last, or a sentence saying why it is not a range. */
export function rangeToCidrs(first: string, last: string): string[] | string {
  const a = toBigInt(first, 4);
  const b = toBigInt(last, 4);
  if (a === undefined || b === undefined)
    return `${a === undefined ? first : last} is not an IPv4 address (each part is 0 to 255)`;
  if (a > b) return `${first} - ${last} runs backwards; write the lower address first`;
  const out: string[] = [];
  let start = a;
  while (start <= b) {
    let size = 32;
    while (size > 0) {
      const block = 1n << BigInt(33 - size);
      if (start % block !== 0n || start + block - 1n > b) break;
      size--;
    }
    out.push(`${v4Text(start)}/${size}`);
    start += 1n << BigInt(32 - size);
  }
  return out;
}

/** IPv4 before IPv6, each by address then prefix. */
export function sortRanges<T extends { cidr: string }>(ranges: readonly T[]): T[] {
  const key = (cidr: string) => {
    const [address, prefix] = cidr.split("/");
    const family = address!.includes(":") ? 6 : 4;
    return { family, value: toBigInt(address!, family) ?? 0n, prefix: Number(prefix) };
  };
  return [...ranges].sort((x, y) => {
    const a = key(x.cidr);
    const b = key(y.cidr);
    if (a.family !== b.family) return a.family - b.family;
    if (a.value !== b.value) return a.value < b.value ? -1 : 1;
    return a.prefix - b.prefix;
  });
}

/** What changes between the current copy and a new list. */
export interface CopyDiff {
  added: string[];
  removed: string[];
  unchanged: string[];
}

/** Set difference on normalized CIDRs (the lists are compared as written, not merged). */
export function diffRanges(current: readonly string[], next: readonly string[]): CopyDiff {
  const normalize = (c: string) => {
    const parsed = parseRange(c);
    return "error" in parsed ? c : parsed.cidr;
  };
  const before = new Set(current.map(normalize));
  const after = new Set(next.map(normalize));
  const sorted = (list: string[]) => sortRanges(list.map((cidr) => ({ cidr }))).map((r) => r.cidr);
  return {
    added: sorted([...after].filter((c) => !before.has(c))),
    removed: sorted([...before].filter((c) => !after.has(c))),
    unchanged: sorted([...after].filter((c) => before.has(c))),
  };
}

/** The diff as lines: `+ added`, `- removed`, `  unchanged`. */
export function renderDiff(diff: CopyDiff): string[] {
  return [
    ...diff.removed.map((c) => `- ${c}`),
    ...diff.added.map((c) => `+ ${c}`),
    ...diff.unchanged.map((c) => `  ${c}`),
  ];
}

/**
 * The copy file's text, formatted as Prettier formats JSON at the project's printWidth (110), so a written copy
 * passes `npm run format:check` unchanged.
 */
export function renderCopyFile(copy: ConnectIpsCopyFile, printWidth = 110): string {
  const list = copy.connectIps.map((c) => JSON.stringify(c));
  const inline = `  "connectIps": [${list.join(", ")}],`;
  const ips =
    inline.length <= printWidth
      ? inline
      : `  "connectIps": [\n${list.map((c) => `    ${c}`).join(",\n")}\n  ],`;
  const p: ConnectIpsProvenance = copy.provenance;
  const ordered: Record<string, unknown> = {
    ...(p.placeholder ? { placeholder: true } : {}),
    source: p.source,
    copiedOn: p.copiedOn,
    reviewedBy: p.reviewedBy,
    ...(p.note !== undefined ? { note: p.note } : {}),
  };
  const provenance = Object.entries(ordered)
    .map(([k, v]) => `    ${JSON.stringify(k)}: ${JSON.stringify(v)}`)
    .join(",\n");
  return `{\n${ips}\n  "provenance": {\n${provenance}\n  }\n}\n`;
}
