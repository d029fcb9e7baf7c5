/**
 * Roster lists the stack-config loader (lib/config/rosterBuild.ts) built and checked with the same per-person rules
 * ConnectSite's args check runs on `vantagepoint.roster`: each person's fields by the same field rules (rosterEntry
 * is the stack config's person plus configurer, lib/site/argsSchema.ts), every string by the same unsafe-text rule
 * (lib/values/hostile.ts), and the list by the same roster rules (lib/site/roster.ts) with no problem found.
 * ConnectSite's check skips those three per-person passes for these lists and only these (issue 21 item 4: at
 * 100,000 people each pass cost about a second of CPU and 100 MB of garbage); every other rule of the args still
 * runs. A list is recorded only frozen, entries and all, so nobody can change it after the check; a copy of it (a
 * library caller's own list, or the loader's list with a person added or changed) is a new list and gets the full
 * check. Pure, no Pulumi import.
 */

const checkedByLoader = new WeakSet<object>();

/**
 * Freezes `entries` and each entry, and records the list as checked when every value in it is a plain string or
 * boolean. Call only with entries the loader built from people its per-person rules passed (see above).
 */
export function markRosterChecked<T extends object>(entries: T[]): T[] {
  let plain = true;
  for (const entry of entries) {
    for (const key in entry) {
      const value = (entry as Record<string, unknown>)[key];
      if (typeof value !== "string" && typeof value !== "boolean") plain = false;
    }
    Object.freeze(entry);
  }
  Object.freeze(entries);
  if (plain) checkedByLoader.add(entries);
  return entries;
}

/** Whether `list` is a frozen list the loader recorded with markRosterChecked. */
export function rosterCheckedByLoader(list: unknown): boolean {
  return Array.isArray(list) && Object.isFrozen(list) && checkedByLoader.has(list);
}
