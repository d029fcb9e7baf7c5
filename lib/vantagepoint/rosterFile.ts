/** Roster files: CSV (header row) or a JSON array of entries. */
import { parse } from "csv-parse/sync";
import type { RosterEntry } from "./types";

export class RosterFileError extends Error {
  /** Where in the file: "row N" (CSV line, header is row 1) or "entry N" (JSON index), when known. */
  readonly where?: string;
  constructor(message: string, where?: string) {
    super(message);
    this.name = "RosterFileError";
    this.where = where;
  }
}

/** Entries plus, per entry, where it is in the file ("row 5" for CSV, "entry 3" for JSON). */
export interface RosterFileRows {
  entries: RosterEntry[];
  where: string[];
}

const COLUMNS: Record<string, keyof RosterEntry> = {
  userid: "userId",
  email: "email",
  firstname: "firstName",
  lastname: "lastName",
  employee: "employee",
  role: "role",
  configurer: "configurer",
};
const REQUIRED: Array<keyof RosterEntry> = ["userId", "email", "firstName", "lastName"];

/** Column names seen, canonicalised once (a 100,000-row file repeats the same few names). */
const CANONICAL = new Map<string, keyof RosterEntry | undefined>();

function canonical(header: string): keyof RosterEntry | undefined {
  const known = CANONICAL.get(header);
  if (known !== undefined || CANONICAL.has(header)) return known;
  const key = header
    .replace(/^\uFEFF/, "")
    .trim()
    .toLowerCase();
  // Own keys only: "constructor" or "__proto__" must not reach Object.prototype (they are unknown columns).
  const name = Object.hasOwn(COLUMNS, key) ? COLUMNS[key] : undefined;
  if (CANONICAL.size < 256) CANONICAL.set(header, name);
  return name;
}

function toBool(value: string, where: string): boolean {
  const v = value.trim().toLowerCase();
  if (["true", "yes", "y", "1"].includes(v)) return true;
  if (["false", "no", "n", "0", ""].includes(v)) return false;
  throw new RosterFileError(
    `${where}: configurer must be true or false, got "${value}"`,
    where.replace(/^.* (row|entry) /, "$1 "),
  );
}

function toEntry(raw: Record<string, unknown>, where: string): RosterEntry {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) {
    const name = canonical(k);
    if (!name) continue; // extra columns (for example from an HR export) are ignored
    if (v === undefined || v === null) continue;
    if (name === "configurer") {
      out.configurer = typeof v === "boolean" ? v : toBool(String(v), where);
      continue;
    }
    // A JSON number or true/false where text belongs is kept as it is, so the row check refuses it by name:
    // `"employee": 201` turned into "201" would silently drop the leading zeros of a key like 00201.
    if (typeof v !== "string") {
      out[name] = v;
      continue;
    }
    const s = v.trim();
    if (s === "" && (name === "employee" || name === "role")) continue;
    out[name] = s;
  }
  return out as unknown as RosterEntry;
}

/**
 * The line each CSV record starts on: blank lines skipped, line breaks inside quoted fields counted (CRLF, LF
 * or CR each once), as csv-parse reads them with its default quote `"`. Allocation-free scan.
 */
function recordLines(text: string): number[] {
  const out: number[] = [];
  const n = text.length;
  let line = 1;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) {
      line++;
      i += c === 13 && text.charCodeAt(i + 1) === 10 ? 2 : 1;
      continue;
    }
    out.push(line);
    let quoted = false;
    for (; i < n; i++) {
      const ch = text.charCodeAt(i);
      if (ch === 34) quoted = !quoted;
      else if (ch === 10 || ch === 13) {
        line++;
        if (ch === 13 && text.charCodeAt(i + 1) === 10) i++;
        if (!quoted) {
          i++;
          break;
        }
      }
    }
  }
  return out;
}

/** recordLines the slow, sure way: csv-parse's `info.bytes` per record. */
function recordLinesFromParser(body: string, options: Record<string, unknown>): number[] {
  const records = parse(body, { ...options, info: true }) as unknown as Array<{ info: { bytes: number } }>;
  const buffer = Buffer.from(body, "utf8");
  const lines: number[] = [];
  let offset = 0;
  let line = 1;
  for (const { info } of records) {
    const segment = buffer.subarray(offset, info.bytes).toString("utf8");
    const lead = /^[\r\n]*/.exec(segment)![0];
    line += lineBreaks(lead);
    lines.push(line);
    line += lineBreaks(segment.slice(lead.length));
    offset = info.bytes;
  }
  return lines;
}

/** Line breaks (CRLF, LF or CR each count once) in `text`. */
function lineBreaks(text: string): number {
  return (text.match(/\r\n|\n|\r/g) ?? []).length;
}

/**
 * Parses a roster file. `.json` files hold an array of entries; anything else is CSV with a header row
 * naming userId, email, firstName, lastName and optionally employee, role, configurer (any letter case).
 * Structural problems (missing columns, bad JSON) throw RosterFileError; entry rules are checked by
 * validateRosterEntries.
 */
export function parseRosterFile(text: string, fileName: string): RosterEntry[] {
  return parseRosterFileRows(text, fileName).entries;
}

/**
 * parseRosterFile plus where each entry is: the CSV line its record starts on (blank lines and quoted line
 * breaks counted, so messages point at the line an editor shows) or the JSON array index.
 */
export function parseRosterFileRows(text: string, fileName: string): RosterFileRows {
  const body = text.replace(/^\uFEFF/, "");
  if (/\.json$/i.test(fileName) || (/^\s*\[/.test(body) && !/\.csv$/i.test(fileName))) {
    let data: unknown;
    try {
      data = JSON.parse(body);
    } catch (e) {
      // Node's message may quote the text around the error over several lines: keep it to one line.
      const words = (e as Error).message.replace(/\s+/g, " ").slice(0, 200);
      const position = /position (\d+)/.exec(words);
      const line = position ? lineBreaks(body.slice(0, Number(position[1]))) + 1 : undefined;
      throw new RosterFileError(
        `${fileName}: not valid JSON (${words}); expected an array of entries`,
        line !== undefined ? `line ${line}` : undefined,
      );
    }
    if (!Array.isArray(data))
      throw new RosterFileError(
        `${fileName}: expected a JSON array of entries, got ${data === null ? "null" : typeof data}`,
      );
    const entries = data.map((d, i) => {
      if (!d || typeof d !== "object" || Array.isArray(d))
        throw new RosterFileError(`${fileName}: entry ${i} is not an object`, `entry ${i}`);
      return toEntry(d as Record<string, unknown>, `${fileName} entry ${i}`);
    });
    return { entries, where: entries.map((_, i) => `entry ${i}`) };
  }
  const options = { bom: true, skip_empty_lines: true, relax_column_count: false, trim: true } as const;
  let rows: string[][];
  try {
    rows = parse(body, options) as string[][];
  } catch (e) {
    const bytes = (e as { bytes?: unknown }).bytes;
    let where: string | undefined;
    if (typeof bytes === "number") {
      const before = Buffer.from(body, "utf8")
        .subarray(0, bytes)
        .toString("utf8")
        .replace(/[\r\n]+$/, "");
      where = `row ${lineBreaks(before) + 1}`;
    }
    throw new RosterFileError(`${fileName}: not valid CSV (${(e as Error).message})`, where);
  }
  if (!rows.length)
    throw new RosterFileError(
      `${fileName}: empty file; expected a header row: userId,email,firstName,lastName`,
    );
  // The line each record starts on, from one scan of the text; csv-parse's per-record `info` doubled the parse
  // time of a large file. When the scan and the parser disagree (an edge case), ask the parser.
  let lines = recordLines(body);
  if (lines.length !== rows.length) lines = recordLinesFromParser(body, options);
  const header = rows[0].map((h) => canonical(h));
  const seen = new Set<string>();
  header.forEach((h, i) => {
    if (!h) return;
    if (seen.has(h)) throw new RosterFileError(`${fileName}: column "${rows[0][i]}" appears twice`, "row 1");
    seen.add(h);
  });
  const missing = REQUIRED.filter((r) => !seen.has(r));
  if (missing.length) {
    const separator =
      rows[0].length === 1 && /[;\t|]/.test(rows[0][0])
        ? `; the header looks separated by ${JSON.stringify(/[;\t|]/.exec(rows[0][0])![0])}: save the file with commas`
        : "";
    throw new RosterFileError(
      `${fileName}: missing required column${missing.length > 1 ? "s" : ""} ${missing.map((m) => `"${m}"`).join(", ")}; the header row must name userId,email,firstName,lastName (employee, role, configurer optional)${separator}`,
      "row 1",
    );
  }
  const entries = new Array<RosterEntry>(rows.length - 1);
  const where = new Array<string>(rows.length - 1);
  for (let r = 1; r < rows.length; r++) {
    entries[r - 1] = csvEntry(rows[r]!, header, fileName, lines[r]!);
    where[r - 1] = `row ${lines[r]}`;
  }
  return { entries, where };
}

/**
 * toEntry for a CSV record, read by column: the same entry (fields in header order, blank employee and role left
 * out) without a record object, its entry list and a message prefix per row (100,000 rows: 60 MB of allocation).
 */
function csvEntry(
  row: readonly string[],
  header: ReadonlyArray<string | undefined>,
  fileName: string,
  line: number,
): RosterEntry {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < header.length; i++) {
    const name = header[i];
    const v = row[i];
    if (!name || v === undefined || v === null) continue;
    if (name === "configurer") {
      out.configurer = toBool(String(v), `${fileName} row ${line}`);
      continue;
    }
    const s = v.trim();
    if (s === "" && (name === "employee" || name === "role")) continue;
    out[name] = s;
  }
  return out as unknown as RosterEntry;
}
