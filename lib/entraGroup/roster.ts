/**
 * A roster from an Entra ID group, pure: which of the group's members are Connect users and how each becomes a
 * roster entry. Facts (shared/reference/entra-graph-and-rotation.md): a group's transitive members are every type
 * (users, groups, devices, service principals, contacts), told apart by `@odata.type`; `mail` is the SMTP address;
 * guests have `userType: "Guest"` and UPNs like `alias_domain#EXT#@tenant`. Deltek: Vantagepoint user IDs for
 * Azure AD login are typically the email's local part or the full UPN (shared/reference/connect-prerequisites.md).
 * No Pulumi import.
 */
import { idKey } from "../vantagepoint/identifiers";
import { emailProblem, userIdProblem } from "../vantagepoint/roster";

/** A directory object as Graph returns it from `transitiveMembers` with the $select below. */
export interface GraphMember {
  "@odata.type"?: string;
  id: string;
  userPrincipalName?: string | null;
  mail?: string | null;
  accountEnabled?: boolean | null;
  userType?: string | null;
  givenName?: string | null;
  surname?: string | null;
  displayName?: string | null;
  onPremisesSamAccountName?: string | null;
}

/** The fields asked for (`$select`: fewer bytes, and Graph charges one unit less). */
export const MEMBER_FIELDS = [
  "id",
  "userPrincipalName",
  "mail",
  "accountEnabled",
  "userType",
  "givenName",
  "surname",
  "displayName",
  "onPremisesSamAccountName",
] as const;

/** How a member's Vantagepoint user ID is made. */
export type UserIdRule = "upnPrefix" | "upn" | "mailPrefix" | "samAccountName";
export const USER_ID_RULES: readonly UserIdRule[] = ["upnPrefix", "upn", "mailPrefix", "samAccountName"];

export interface GroupRosterOptions {
  /** Guests (userType "Guest") are Connect users only when this is true (default false). */
  includeGuests?: boolean;
  /**
   * "upnPrefix" (default; Deltek: the user name without the domain, for Entra and Windows login), "upn" (the
   * whole UPN), "mailPrefix" (the address before "@"), "samAccountName" (on-premises sAMAccountName).
   */
  userIdRule?: UserIdRule;
}

/** A person the group makes a Connect user. */
export interface GroupPerson {
  userId: string;
  email: string;
  firstName: string;
  lastName: string;
  /** The Entra object ID (for messages). */
  objectId: string;
}

/** Who was left out, and why: counted or named, never guessed. */
export interface GroupSkipped {
  /** Members that are not users, by type (device, servicePrincipal, orgContact, group...). */
  nonUsers: Record<string, number>;
  /** Disabled accounts (UPNs). */
  disabled: string[];
  /** Guests, when includeGuests is off (UPNs). */
  guests: string[];
  /** Users without a `mail` address (UPNs): reported, never guessed. */
  noMail: string[];
  /** Users whose rule gives no valid user ID, with why. */
  badUserId: Array<{ upn: string; problem: string }>;
  /** Users whose user ID or email another member already has (the first one is kept). */
  duplicates: Array<{ upn: string; of: string }>;
}

export interface GroupRoster {
  people: GroupPerson[];
  skipped: GroupSkipped;
}

/** The member's type without the namespace: "user", "group", "device", "servicePrincipal", "orgContact". */
export function memberType(m: GraphMember): string {
  return (m["@odata.type"] ?? "#microsoft.graph.user").replace(/^#microsoft\.graph\./, "");
}

/** The user ID the rule makes for a member, or undefined when the member lacks what the rule needs. */
export function userIdFor(m: GraphMember, rule: UserIdRule = "upnPrefix"): string | undefined {
  const upn = (m.userPrincipalName ?? "").trim();
  const mail = (m.mail ?? "").trim();
  switch (rule) {
    case "upn":
      return upn || undefined;
    case "upnPrefix":
      return upn.includes("@") ? upn.slice(0, upn.indexOf("@")) : undefined;
    case "mailPrefix":
      return mail.includes("@") ? mail.slice(0, mail.indexOf("@")) : undefined;
    case "samAccountName":
      return (m.onPremisesSamAccountName ?? "").trim() || undefined;
  }
}

/** First and last name: givenName/surname, else the display name split at its last space. */
function names(m: GraphMember): { firstName: string; lastName: string } {
  const first = (m.givenName ?? "").trim();
  const last = (m.surname ?? "").trim();
  if (first && last) return { firstName: first, lastName: last };
  const display = (m.displayName ?? "").trim();
  const at = display.lastIndexOf(" ");
  if (at > 0) return { firstName: first || display.slice(0, at), lastName: last || display.slice(at + 1) };
  const one = first || last || display || (m.userPrincipalName ?? "").split("@")[0];
  return { firstName: one, lastName: one };
}

/** The group's Connect users by the rules above, and everyone left out with the reason. */
export function rosterFromGroup(
  members: readonly GraphMember[],
  options: GroupRosterOptions = {},
): GroupRoster {
  const rule = options.userIdRule ?? "upnPrefix";
  const skipped: GroupSkipped = {
    nonUsers: {},
    disabled: [],
    guests: [],
    noMail: [],
    badUserId: [],
    duplicates: [],
  };
  const people: GroupPerson[] = [];
  const seenIds = new Map<string, string>();
  const seenObjects = new Set<string>();
  const seenMail = new Map<string, string>();
  for (const m of members) {
    const type = memberType(m);
    if (type !== "user") {
      skipped.nonUsers[type] = (skipped.nonUsers[type] ?? 0) + 1;
      continue;
    }
    if (seenObjects.has(m.id)) continue; // the same user through two nested groups
    seenObjects.add(m.id);
    const upn = (m.userPrincipalName ?? m.id).trim();
    if (m.accountEnabled === false) {
      skipped.disabled.push(upn);
      continue;
    }
    if ((m.userType ?? "Member").toLowerCase() === "guest" && !options.includeGuests) {
      skipped.guests.push(upn);
      continue;
    }
    const email = (m.mail ?? "").trim();
    if (!email || emailProblem(email)) {
      skipped.noMail.push(upn);
      continue;
    }
    const userId = userIdFor(m, rule);
    const problem = userId === undefined ? `has no value for the rule "${rule}"` : userIdProblem(userId);
    if (problem || userId === undefined) {
      skipped.badUserId.push({ upn, problem: `user ID ${problem}` });
      continue;
    }
    // User IDs and emails compare as the Vantagepoint side compares them (identifiers.ts: SQL Server's default).
    const key = idKey(userId);
    const mailKey = idKey(email);
    const other = seenIds.get(key) ?? seenMail.get(mailKey);
    if (other !== undefined) {
      skipped.duplicates.push({ upn, of: other });
      continue;
    }
    seenIds.set(key, upn);
    seenMail.set(mailKey, upn);
    people.push({ userId, email, ...names(m), objectId: m.id });
  }
  return { people, skipped };
}

/**
 * The group's people combined with the static roster: a static entry wins for the same person (same user ID or
 * same email under the identifier rule the Vantagepoint side uses, identifiers.ts idKey: case and surrounding
 * spaces ignored). Returns the group people the static roster did not name.
 */
export function groupPeopleNotListed<T extends { userId: string; email: string }>(
  staticPeople: readonly T[],
  group: readonly GroupPerson[],
): GroupPerson[] {
  const ids = new Set(staticPeople.map((p) => idKey(p.userId)));
  const mails = new Set(staticPeople.map((p) => idKey(p.email)));
  return group.filter((g) => !ids.has(idKey(g.userId)) && !mails.has(idKey(g.email)));
}

/** One line per reason a member was left out (for warnings), empty when nobody was. */
export function describeSkipped(s: GroupSkipped): string[] {
  const lines: string[] = [];
  const types = Object.entries(s.nonUsers).sort(([a], [b]) => a.localeCompare(b));
  if (types.length)
    lines.push(`not users, ignored: ${types.map(([t, n]) => `${n} ${t}${n === 1 ? "" : "s"}`).join(", ")}`);
  const few = (list: string[]) =>
    `${list.slice(0, 10).join(", ")}${list.length > 10 ? `, ... (${list.length})` : ""}`;
  if (s.disabled.length)
    lines.push(`${s.disabled.length} disabled accounts, not Connect users: ${few(s.disabled)}`);
  if (s.guests.length)
    lines.push(`${s.guests.length} guests left out (roster.group.includeGuests is off): ${few(s.guests)}`);
  if (s.noMail.length)
    lines.push(
      `${s.noMail.length} users without a mail address, left out (set their mail in Entra ID): ${few(s.noMail)}`,
    );
  for (const b of s.badUserId) lines.push(`${b.upn}: ${b.problem}; left out`);
  for (const d of s.duplicates) lines.push(`${d.upn}: same user ID or email as ${d.of}; left out`);
  return lines;
}
