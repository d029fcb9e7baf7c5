/**
 * `vpconnect:roster.group`: the group's members as roster people, for the config loader. The read itself is the
 * caller's (`LoadOptions.readGroup`: the program reads Microsoft Graph, tests answer from fixtures); the rules are
 * lib/entraGroup/roster.ts. A group person named by the static roster (same user ID or email) is left to it.
 */
import { describeSkipped, groupPeopleNotListed, rosterFromGroup } from "../entraGroup/roster";
import type { GraphMember, GroupSkipped } from "../entraGroup/roster";
import type { StackConfig } from "./schema";

/** What the reader is asked: which group, and how to reach Graph (the secret in plaintext). */
export interface GroupReadRequest {
  groupId: string;
  transitive: boolean;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  url?: string;
  tokenUrl?: string;
}

/** Every member the read returned (to the end), and what it cost. */
export interface GroupReadResult {
  members: GraphMember[];
  pages: number;
  requests: number;
  /** Graph resource units. */
  units: number;
}

/** Reads a group's members to the end, or throws (a partial read must stop the run). */
export type GroupReader = (request: GroupReadRequest) => GroupReadResult;

/** What the group gave, for reports and warnings. */
export interface GroupSummary {
  groupId: string;
  members: number;
  /** People the group added (those the static roster did not already name). */
  added: number;
  pages: number;
  units: number;
  skipped: GroupSkipped;
}

interface PersonSource {
  where: string;
  person: { userId: string; email: string; firstName: string; lastName: string; role?: string };
}

const KEY = "vpconnect:roster.group";

/**
 * The group's people not already in `listed`, as roster sources; problems go to `add`, the members left out to
 * `warnings`. Returns no people when the group could not be read (the error stops the run).
 */
export function groupSources(
  config: StackConfig,
  listed: readonly PersonSource[],
  readGroup: GroupReader | undefined,
  add: (key: string, message: string) => void,
  warnings: string[],
): { sources: PersonSource[]; summary?: GroupSummary } {
  const group = config.roster.group;
  if (!group) return { sources: [] };
  if (!readGroup) {
    add(KEY, "a group cannot be read here; list the users under roster.users or roster.file");
    return { sources: [] };
  }
  const secret = group.graph.clientSecret;
  if (!secret.available) {
    add(
      `${KEY}.graph.clientSecret`,
      "is encrypted in the stack file and cannot be decrypted offline; run inside `pulumi up`, or `vpconnect check --emulator` (which answers with the Graph stand-in)",
    );
    return { sources: [] };
  }
  let read: GroupReadResult;
  try {
    read = readGroup({
      groupId: group.id,
      transitive: group.transitive,
      tenantId: group.graph.tenantId ?? config.entra.tenantId,
      clientId: group.graph.clientId,
      clientSecret: secret.reveal(`${KEY}.graph.clientSecret`),
      ...(group.graph.url ? { url: group.graph.url } : {}),
      ...(group.graph.tokenUrl ? { tokenUrl: group.graph.tokenUrl } : {}),
    });
  } catch (error) {
    add(KEY, error instanceof Error ? error.message : String(error));
    return { sources: [] };
  }
  const roster = rosterFromGroup(read.members, {
    includeGuests: group.includeGuests,
    userIdRule: group.userIdRule,
  });
  const people = groupPeopleNotListed(
    listed.map((s) => s.person),
    roster.people,
  );
  for (const line of describeSkipped(roster.skipped)) warnings.push(`roster.group ${group.id}: ${line}`);
  return {
    sources: people.map((p) => ({
      where: `${KEY} (${p.userId})`,
      person: {
        userId: p.userId,
        email: p.email,
        firstName: p.firstName.slice(0, 100),
        lastName: p.lastName.slice(0, 100),
        ...(group.role ? { role: group.role } : {}),
      },
    })),
    summary: {
      groupId: group.id,
      members: read.members.length,
      added: people.length,
      pages: read.pages,
      units: read.units,
      skipped: roster.skipped,
    },
  };
}
