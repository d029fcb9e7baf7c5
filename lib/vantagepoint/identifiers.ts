/**
 * The one comparison rule for Vantagepoint identifiers: employee keys, user IDs, employee links on users, emails,
 * role names and API Authorization Client IDs.
 *
 * Vantagepoint runs on SQL Server, whose default collation is case-insensitive and compares text without
 * trailing spaces: "JDOE", "jdoe" and "jdoe  " are one record to the server (docs/reliability.md and
 * ../shared/reference/vantagepoint-rest.md, "What busy production servers do"). So every identifier is compared
 * case-insensitively with surrounding spaces removed: a leading space is not ignored by SQL Server, but no roster
 * identifier may start with one (the roster refuses it) and a record whose identifier does is read as the same
 * person rather than a second one (never act on an ambiguity: two records that differ only so are reported, not
 * picked from). Accents are kept (the collation is accent-sensitive).
 *
 * What is written keeps the spelling the roster or config gives. A stored value that differs from the wanted one
 * only in case or in surrounding spaces is the same value: nothing is written for it (a write would change nothing
 * the server compares by, and a server that pads or re-cases values would be written to on every run). Pure; no
 * Pulumi import.
 */

/** The comparison key of an identifier: trimmed and lower-cased; "" for anything that is not text. */
export function idKey(value: unknown): string {
  return typeof value === "string" ? value.trim().toLowerCase() : "";
}

/** Are a and b the same identifier to the server (case and surrounding spaces ignored)? Two empties are not. */
export function sameId(a: unknown, b: unknown): boolean {
  const k = idKey(a);
  return k !== "" && k === idKey(b);
}

/** Do a and b differ only in case or surrounding spaces (the same identifier, spelled differently)? */
export function spelledDifferently(a: unknown, b: unknown): boolean {
  return sameId(a, b) && a !== b;
}

/** Items grouped by the identifier `keyOf` gives them (items whose identifier is empty are left out). */
export function groupById<T>(items: Iterable<T>, keyOf: (item: T) => unknown): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = idKey(keyOf(item));
    if (!k) continue;
    const group = out.get(k);
    if (group) group.push(item);
    else out.set(k, [item]);
  }
  return out;
}
