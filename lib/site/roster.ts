/**
 * The roster rules over a list of people, one copy for every caller: ConnectSite's `vantagepoint.roster` and
 * ConnectRoster's `people` (named by arg path), and the stack-config loader's merged configurer, users, roster
 * file rows and group members (named by stack key or file row). Pure.
 *
 * Identifiers compare as SQL Server does, case-insensitively with surrounding spaces removed
 * (lib/vantagepoint/identifiers.ts): "ALEE" and "alee" are one user to Vantagepoint, so they are one person here.
 */
import { confusableSkeleton, mixedScriptProblem } from "../values/validators";
import { idKey } from "../vantagepoint/identifiers";
import type { ArgProblem, Caller } from "./view";

/** One person as the rules read them, and where the caller wrote them (`vantagepoint.roster[2]`, `vpconnect:roster.users[1]`). */
export interface PlacedPerson {
  where: string;
  userId: string;
  email: string;
  employee?: string;
}

/** What the roster rules found: problems named `<where>.<field>`, and which people stay on the roster. */
export interface RosterRulesResult {
  problems: ArgProblem[];
  /** kept[i]: person i is not a repeat of an earlier one (the loader builds the roster from these). */
  kept: boolean[];
}

const ASCII = /^[\x00-\x7f]*$/;

/**
 * Duplicates (user ID, email, employee key: one record each to the server), emails that mix scripts in one part,
 * and emails in another script that look like someone else's. The first person listed keeps an identifier; every
 * later one that repeats it is named with where the first is.
 */
export function rosterRules(people: readonly PlacedPerson[]): RosterRulesResult {
  const problems: ArgProblem[] = [];
  const add = (path: string, message: string) => problems.push({ path, message });
  const byEmail = new Map<string, string>();
  const byUser = new Map<string, string>();
  const byEmployee = new Map<string, string>();
  const kept = people.map(() => false);
  /** Emails with letters beyond ASCII, checked against everyone once all are known. */
  const nonAscii: Array<{ where: string; email: string }> = [];
  for (const [index, person] of people.entries()) {
    const { where } = person;
    if (!ASCII.test(person.email)) {
      const mixed = mixedScriptProblem(person.email);
      if (mixed) {
        add(`${where}.email`, mixed);
        continue;
      }
      nonAscii.push({ where, email: person.email });
    }
    const sameUser = byUser.get(idKey(person.userId));
    if (sameUser !== undefined) {
      add(
        `${where}.userId`,
        `${JSON.stringify(person.userId)} is listed twice (also at ${sameUser}); each user ID once`,
      );
      continue;
    }
    const sameEmail = byEmail.get(idKey(person.email));
    if (sameEmail !== undefined) {
      add(
        `${where}.email`,
        `${JSON.stringify(person.email)} is listed twice (also at ${sameEmail}); Connect needs one email per person`,
      );
      continue;
    }
    if (person.employee !== undefined) {
      // One employee record per person: two users linked to one employee make Connect match the wrong person
      // (Deltek, Connect Administration troubleshooting).
      const sameEmployee = byEmployee.get(idKey(person.employee));
      if (sameEmployee !== undefined) {
        add(
          `${where}.employee`,
          `${JSON.stringify(person.employee)} is also the employee key at ${sameEmployee}; each person needs their own employee record: give this person's key, or leave employee out to match by email`,
        );
        continue;
      }
      byEmployee.set(idKey(person.employee), where);
    }
    byEmail.set(idKey(person.email), where);
    byUser.set(idKey(person.userId), where);
    kept[index] = true;
  }
  problems.push(...lookalikeEmails(nonAscii, byEmail));
  return { problems, kept };
}

/**
 * An email written in another script that looks like someone else's (Cyrillic "аlex.lee@" for "alex.lee@"):
 * Connect would match mailboxes by it and a person would not see the difference.
 */
function lookalikeEmails(
  candidates: ReadonlyArray<{ where: string; email: string }>,
  byEmail: ReadonlyMap<string, string>,
): ArgProblem[] {
  if (candidates.length === 0) return [];
  const bySkeleton = new Map<string, Array<{ where: string; email: string }>>();
  for (const [email, where] of byEmail) {
    const skeleton = confusableSkeleton(email);
    const list = bySkeleton.get(skeleton);
    if (list) list.push({ where, email });
    else bySkeleton.set(skeleton, [{ where, email }]);
  }
  const out: ArgProblem[] = [];
  for (const { where, email } of candidates) {
    // Not the same address (the person's own, or the one they repeat, already named as listed twice): a repeat
    // of "zoë.müller@" is one script, not an imitation.
    const others = (bySkeleton.get(confusableSkeleton(email)) ?? []).filter((o) => o.email !== idKey(email));
    // Prefer the plain-ASCII address it imitates.
    const other = others.find((o) => ASCII.test(o.email)) ?? others[0];
    if (!other) continue;
    out.push({
      path: `${where}.email`,
      message: `${JSON.stringify(email)} looks like ${JSON.stringify(other.email)} (at ${other.where}) but uses letters of another script; give this person's real address`,
    });
  }
  return out;
}

/**
 * The roster rules over a list of people given as args (`listPath`, e.g. `vantagepoint.roster` or `people`):
 * entries whose user ID or email is not known yet or not text are left to the shape check, so nothing is guessed.
 */
export function rosterArgRules(list: unknown, listPath: string, c: Caller): ArgProblem[] {
  if (!Array.isArray(list)) return [];
  const people: PlacedPerson[] = [];
  list.forEach((entry: unknown, index) => {
    if (entry === null || typeof entry !== "object") return;
    const { userId, email, employee } = entry as Record<string, unknown>;
    if (typeof userId !== "string" || typeof email !== "string") return;
    people.push({
      where: c.key(`${listPath}[${index}]`),
      userId,
      email,
      ...(typeof employee === "string" ? { employee } : {}),
    });
  });
  return rosterRules(people).problems;
}
