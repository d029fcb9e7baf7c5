/** Roster files: CSV (header row) or a JSON array of entries. */
import { parse } from "csv-parse/sync";
import type { RosterEntry } from "./types";

export class RosterFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RosterFileError";
  }
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

function canonical(header: string): keyof RosterEntry | undefined {
  return COLUMNS[
    header
      .replace(/^\uFEFF/, "")
      .trim()
      .toLowerCase()
  ];
}

function toBool(value: string, where: string): boolean {
  const v = value.trim().toLowerCase();
  if (["true", "yes", "y", "1"].includes(v)) return true;
  if (["false", "no", "n", "0", ""].includes(v)) return false;
  throw new RosterFileError(`${where}: configurer must be true or false, got "${value}"`);
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
    const s = typeof v === "string" ? v.trim() : String(v);
    if (s === "" && (name === "employee" || name === "role")) continue;
    out[name] = s;
  }
  return out as unknown as RosterEntry;
}

/**
 * Parses a roster file. `.json` files hold an array of entries; anything else is CSV with a header row
 * naming userId, email, firstName, lastName and optionally employee, role, configurer (any letter case).
 * Structural problems (missing columns, bad JSON) throw RosterFileError; entry rules are checked by
 * validateRosterEntries.
 */
export function parseRosterFile(text: string, fileName: string): RosterEntry[] {
  const body = text.replace(/^\uFEFF/, "");
  if (/\.json$/i.test(fileName) || (/^\s*\[/.test(body) && !/\.csv$/i.test(fileName))) {
    let data: unknown;
    try {
      data = JSON.parse(body);
    } catch (e) {
      throw new RosterFileError(
        `${fileName}: not valid JSON (${(e as Error).message}); expected an array of entries`,
      );
    }
    if (!Array.isArray(data))
      throw new RosterFileError(
        `${fileName}: expected a JSON array of entries, got ${data === null ? "null" : typeof data}`,
      );
    return data.map((d, i) => {
      if (!d || typeof d !== "object" || Array.isArray(d))
        throw new RosterFileError(`${fileName}: entry ${i} is not an object`);
      return toEntry(d as Record<string, unknown>, `${fileName} entry ${i}`);
    });
  }
  let rows: string[][];
  try {
    rows = parse(body, {
      bom: true,
      skip_empty_lines: true,
      relax_column_count: false,
      trim: true,
    }) as string[][];
  } catch (e) {
    throw new RosterFileError(`${fileName}: not valid CSV (${(e as Error).message})`);
  }
  if (!rows.length)
    throw new RosterFileError(
      `${fileName}: empty file; expected a header row: userId,email,firstName,lastName`,
    );
  const header = rows[0].map((h) => canonical(h));
  const seen = new Set<string>();
  header.forEach((h, i) => {
    if (!h) return;
    if (seen.has(h)) throw new RosterFileError(`${fileName}: column "${rows[0][i]}" appears twice`);
    seen.add(h);
  });
  const missing = REQUIRED.filter((r) => !seen.has(r));
  if (missing.length) {
    throw new RosterFileError(
      `${fileName}: missing required column${missing.length > 1 ? "s" : ""} ${missing.map((m) => `"${m}"`).join(", ")}; the header row must name userId,email,firstName,lastName (employee, role, configurer optional)`,
    );
  }
  return rows.slice(1).map((row, r) => {
    const rec: Record<string, unknown> = {};
    header.forEach((h, i) => {
      if (h) rec[h] = row[i];
    });
    return toEntry(rec, `${fileName} line ${r + 2}`);
  });
}
