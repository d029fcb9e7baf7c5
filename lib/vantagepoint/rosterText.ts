/**
 * A roster resource's `entries` as they travel in its inputs and the state: text, one person a line, each line a
 * JSON object (JSON Lines, https://jsonlines.org). A list of objects costs the engine one protobuf value per field
 * of every person on every hop (program to engine, engine to provider and to each policy pack, and back as the
 * outputs): a 100,000-person roster as objects took 39 s of CPU and 1.5 GB in `vpconnect check`; the same people as
 * text take one string value per shard (numbers: `npm run bench:config`). One line per person also keeps a change
 * to one person a change to one line. Inputs written before (a list of objects) are read as they are, so a stack
 * that holds them diffs by person, not by form. Pure; no Pulumi import.
 */
import type { RosterEntry } from "./types";

/**
 * The entries as roster text: one JSON object a line, in the order given, fields in a fixed order (userId, email,
 * firstName, lastName, employee, role, configurer; absent ones left out, as JSON.stringify leaves out undefined).
 * One string a line, joined once: a line built field by field and appended to the text cost five times the CPU and
 * 120 MB of short-lived strings for 100,000 people.
 */
export function rosterText(entries: readonly RosterEntry[]): string {
  const lines = new Array<string>(entries.length);
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    lines[i] = JSON.stringify({
      userId: e.userId,
      email: e.email,
      firstName: e.firstName,
      lastName: e.lastName,
      employee: e.employee,
      role: e.role,
      configurer: e.configurer,
    });
  }
  return lines.join("\n");
}

/** Why `value` is not roster entries (text or a list), or undefined. */
export class RosterTextError extends Error {}

/**
 * The entries of a roster resource's `entries` input: roster text (one JSON object a line; blank lines skipped) or
 * a list as inputs held it before. Throws RosterTextError naming the line for anything else: a value that cannot be
 * read is never taken for an empty roster (that would read as everyone leaving).
 */
export function rosterEntriesOf(value: unknown): RosterEntry[] {
  if (Array.isArray(value)) return value as RosterEntry[];
  if (typeof value !== "string")
    throw new RosterTextError(
      "entries must be roster text (one JSON object a line) or a list of people (userId, email, firstName, lastName)",
    );
  const out: RosterEntry[] = [];
  let start = 0;
  let lineNo = 0;
  while (start <= value.length) {
    let end = value.indexOf("\n", start);
    if (end < 0) end = value.length;
    lineNo++;
    const line = value.slice(start, end).trim();
    start = end + 1;
    if (!line) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      throw new RosterTextError(`entries line ${lineNo} is not a JSON object; each line is one person`);
    }
    // A non-object line stays in the list: validateRosterEntries names it with its index.
    out.push(parsed as RosterEntry);
  }
  return out;
}

/** rosterEntriesOf, or undefined where the value cannot be read (for readers that report it themselves). */
export function rosterEntriesOrUndefined(value: unknown): RosterEntry[] | undefined {
  try {
    return rosterEntriesOf(value);
  } catch {
    return undefined;
  }
}

/** How many people a roster value holds (non-blank lines of text, items of a list), or undefined for neither. */
export function rosterPeopleCount(value: unknown): number | undefined {
  if (Array.isArray(value)) return value.length;
  if (typeof value !== "string") return undefined;
  let n = 0;
  for (const line of value.split("\n")) if (line.trim()) n++;
  return n;
}
