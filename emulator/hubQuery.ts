/**
 * How the emulator reads a list request's query (moved from emulator/hubs.ts): SQL Server's default collation,
 * filterHash filters and their operators, `order`, and fieldFilter projection.
 */
import type { Rec } from "./seed";
import type { EmulatorProfile } from "./hubTypes";

/** SQL Server's default collation as a key: case-insensitive, trailing spaces ignored. */
export function collationKey(value: string): string {
  return value.replace(/\s+$/, "").toLowerCase();
}

/**
 * filterHash operators as real integration code sends them (symbols), mapped to the comparison. The words
 * (eq, ne, ...) are accepted by the lenient profile only: Deltek's examples and real code use the symbols.
 */
export const FILTER_SYMBOLS: Readonly<Record<string, string>> = {
  "=": "eq",
  "==": "eq",
  "!=": "ne",
  "<>": "ne",
  ">": "gt",
  "<": "lt",
  ">=": "ge",
  "<=": "le",
  like: "like",
  in: "in",
};
const FILTER_WORDS = new Set(["eq", "ne", "gt", "lt", "ge", "le", "like", "in"]);

interface Filter {
  name: string;
  value: string;
  opp: string;
}

/** filterHash[i][name|value|opp] from the query, in index order. */
export function filtersOf(url: URL): Filter[] {
  const byIndex = new Map<string, Record<string, string>>();
  for (const [k, v] of url.searchParams) {
    const m = /^filterHash\[(\d+)\]\[(\w+)\]$/i.exec(k);
    if (!m) continue;
    const e = byIndex.get(m[1]) ?? {};
    e[m[2].toLowerCase()] = v;
    byIndex.set(m[1], e);
  }
  return [...byIndex.values()].map((e) => ({
    name: e.name ?? "",
    value: e.value ?? "",
    opp: (e.opp ?? "==").trim().toLowerCase(),
  }));
}

/** The comparison an operator means, or undefined when the profile does not accept it. */
export function operatorOf(opp: string, profile: EmulatorProfile): string | undefined {
  if (FILTER_SYMBOLS[opp]) return FILTER_SYMBOLS[opp];
  return profile === "lenient" && FILTER_WORDS.has(opp) ? opp : undefined;
}

/** `order` as Deltek documents it (`Field` ascending, `Field_D` descending, `Field_A`); lenient also `Field desc`. */
export function orderOf(
  value: string,
  profile: EmulatorProfile,
): { field: string; sign: 1 | -1 } | undefined {
  const v = value.trim();
  const documented = /^(\w+?)(?:_([AD]))?$/i.exec(v);
  if (documented) return { field: documented[1], sign: documented[2]?.toUpperCase() === "D" ? -1 : 1 };
  const spaced = /^(\w+)\s+(asc|desc)$/i.exec(v);
  if (spaced && profile === "lenient")
    return { field: spaced[1], sign: spaced[2].toLowerCase() === "desc" ? -1 : 1 };
  return undefined;
}

/** Does the record pass one filter (case-insensitive comparison, as SQL Server's default collation does)? */
export function matches(rec: Rec, f: Filter): boolean {
  const key = Object.keys(rec).find((k) => k.toLowerCase() === f.name.toLowerCase());
  const v = key ? String(rec[key] ?? "") : "";
  // Equality ignores trailing spaces too, as SQL Server's = does.
  const a = f.opp === "like" ? v.toLowerCase() : collationKey(v);
  const b = f.opp === "like" ? f.value.toLowerCase() : collationKey(f.value);
  switch (f.opp) {
    case "eq":
      return a === b;
    case "ne":
      return a !== b;
    case "like": {
      const re = new RegExp(
        `^${b
          .replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
          .replace(/%/g, ".*")
          .replace(/_/g, ".")}$`,
      );
      return b.includes("%") || b.includes("_") ? re.test(a) : a.includes(b);
    }
    case "in":
      return b
        .split(",")
        .map((x) => x.trim())
        .includes(a);
    case "gt":
      return a > b;
    case "lt":
      return a < b;
    case "ge":
      return a >= b;
    case "le":
      return a <= b;
    default:
      return false;
  }
}

export function project(rec: Rec, fields: string[] | undefined): Rec {
  if (!fields) return rec;
  const out: Rec = {};
  for (const f of fields) {
    const hit = Object.keys(rec).find((k) => k.toLowerCase() === f.toLowerCase());
    if (hit) out[hit] = rec[hit];
  }
  return out;
}

export function fieldFilterOf(value: string | null): string[] | undefined {
  return value
    ? value
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean)
    : undefined;
}
