/**
 * Roster entry lists that ConnectSite built itself from a `vantagepoint.roster` its own args check passed, with the
 * same rules ConnectRoster's check runs (lib/site/argsSchema.ts rosterEntry, lib/site/roster.ts): ConnectRoster
 * skips the per-entry rules for these and only these (issue 21 item 4: at 100,000 people the third pass cost
 * ~300 MB of allocation and ~2 s CPU). A list is recorded only frozen, entries and all, so nobody can change it
 * after the check; a copy of it is a new list and gets the full check. A shard holds a subset of a checked roster's
 * people with their values unchanged: a subset of a list without repeats or lookalikes has none either.
 */

const checkedBySite = new WeakSet<object>();

/**
 * Freezes `entries` and each entry, and records the list as checked when every value in it is a plain string or
 * boolean (an Output or Promise inside was not checked yet when ConnectSite's check ran: such a list is frozen but
 * not recorded, and ConnectRoster checks it in full). Call only with entries built from args ConnectSite's check
 * already passed.
 */
export function markCheckedBySite<T extends object>(entries: T[]): T[] {
  let plain = true;
  for (const entry of entries) {
    for (const value of Object.values(entry)) {
      if (typeof value !== "string" && typeof value !== "boolean") plain = false;
    }
    Object.freeze(entry);
  }
  Object.freeze(entries);
  if (plain) checkedBySite.add(entries);
  return entries;
}

/** Whether `entries` is a frozen list ConnectSite recorded with markCheckedBySite. */
export function entriesCheckedBySite(entries: unknown): boolean {
  return Array.isArray(entries) && Object.isFrozen(entries) && checkedBySite.has(entries);
}
