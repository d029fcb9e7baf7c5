// Policies on the Vantagepoint side, read from the dynamic resources (type pulumi-nodejs:dynamic:Resource,
// told apart by the input `vpconnectResource`). Inputs are always checked; the outputs `people` and
// `connectAdministration` exist only after a real run against Vantagepoint (pulumi up, or vpconnect check
// against the emulator). When they are missing or unknown the policy says so through notApplicable
// instead of passing silently, and when the resource itself is missing it is a violation.
import { StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { emailProblem, userIdProblem } from "../lib/people";
import { rosterEntriesOf } from "../lib/vantagepoint/rosterText";
import {
  arr,
  has,
  isUnknownError,
  listSome,
  read,
  ResourceLike,
  str,
  vpconnectKind,
  Props,
} from "./lib/props";

/** A role's types as a set: a list, or text separated by "," ";" or "|". */
function roleTypesOf(value: unknown): string[] {
  const parts = Array.isArray(value)
    ? value.map(String)
    : typeof value === "string"
      ? value.split(/[,;|]/)
      : [];
  return parts.map((t) => t.trim()).filter(Boolean);
}

/** Resources of one Vantagepoint kind. */
function ofKind(args: StackValidationArgs, kind: string): ResourceLike[] {
  return (args.resources as unknown as ResourceLike[]).filter((r) => vpconnectKind(r) === kind);
}

/** A roster entry (input). */
interface Entry {
  userId: string;
  email: string;
  role: string;
  configurer: boolean;
}

/** A person as the roster read them from Vantagepoint (output). */
interface Person {
  userId: string;
  employee: string;
  email: string;
  employeeStatus: string;
  userStatus: string;
  linked: boolean;
}

/** A roster resource that holds one shard of a roster spread over several (input `shard.count` above 1). */
function isShard(r: ResourceLike): boolean {
  const shard = r.props.shard as Props | undefined;
  return typeof shard === "object" && shard !== null && Number(shard.count) > 1;
}

/** Each roster resource's entries read once (roster text is parsed, not re-read by every policy and shard). */
const readEntries = new WeakMap<object, { entries: Entry[]; problem?: string }>();

/**
 * A roster resource's entries: roster text (one JSON object a line, as ConnectRoster writes it) or a list. Text
 * that cannot be read gives no entries and a problem (P5 reports it): never a roster read as empty by mistake.
 */
function rosterOf(r: ResourceLike): { entries: Entry[]; problem?: string } {
  const known = readEntries.get(r);
  if (known) return known;
  let value: unknown = [];
  let problem: string | undefined;
  try {
    value = r.props.entries === undefined ? [] : rosterEntriesOf(r.props.entries);
  } catch (e) {
    if (isUnknownError(e)) throw e; // unknown in a preview: the policy's own handling applies
    problem = e instanceof Error ? e.message : String(e);
  }
  const out = {
    entries: arr<Props>(value).map((e) => ({
      userId: str(e.userId),
      email: str(e.email),
      role: str(e.role),
      configurer: e.configurer === true,
    })),
    ...(problem ? { problem } : {}),
  };
  readEntries.set(r, out);
  return out;
}

function entriesOf(r: ResourceLike): Entry[] {
  return rosterOf(r).entries;
}

/** The roster's `people` output: undefined when missing or unknown (not yet read from Vantagepoint). */
function peopleOf(r: ResourceLike): Map<string, Person> | undefined {
  if (!has(r.props, "people")) return undefined;
  const people = read(() =>
    arr<Props>(r.props.people).map((p) => ({
      userId: str(p.userId),
      employee: str(p.employee),
      email: str(p.email),
      employeeStatus: str(p.employeeStatus),
      userStatus: str(p.userStatus),
      linked: p.linked === true,
    })),
  );
  if (!people.known || !Array.isArray(r.props.people)) return undefined;
  return new Map(people.value.map((p) => [p.userId.toLowerCase(), p]));
}

/** What is wrong with a person Connect depends on, or an empty list. */
function personProblems(p: Person): string[] {
  const out: string[] = [];
  if (!p.linked || p.employee === "") out.push("employee not linked to the user");
  if (p.employeeStatus !== "A")
    out.push(`employee status ${p.employeeStatus || "(none)"}, must be A (Active)`);
  if (p.userStatus !== "A") out.push(`user status ${p.userStatus || "(none)"}, must be A (Active)`);
  if (emailProblem(p.email) !== undefined) out.push("employee email missing or invalid");
  return out;
}

const NOT_READ =
  "is not known until the resource has read Vantagepoint (pulumi up, or vpconnect check against a Vantagepoint URL or the emulator); the inputs were checked";

/** P3: the configuring role has Connect Administration. */
export const connectAdminRole: StackValidationPolicy = {
  name: "connect-admin-role",
  description:
    "The security role of whoever configures Connect must grant Connect Administration (and be of type Administrator from Vantagepoint 7.0).",
  enforcementLevel: "mandatory",
  severity: "high",
  tags: ["vantagepoint-connect", "P3"],
  remediationSteps:
    "Declare a ConnectAdminRole for the configurer's role; grant Connect Administration in Settings > Security > Roles > Overview (Utilities > Integrations).",
  validateStack: (args, reportViolation) => {
    const roles = ofKind(args, "ConnectAdminRole");
    if (roles.length === 0) {
      reportViolation(
        "The stack must declare the Connect configurer's security role (a ConnectAdminRole resource) so Connect Administration is checked.",
      );
      return;
    }
    const roleNames = new Set<string>();
    const unverified: string[] = [];
    const manual: string[] = [];
    for (const r of roles) {
      const role = str(r.props.role);
      if (role === "")
        reportViolation(`ConnectAdminRole '${r.name}' must name the security role (role).`, r.urn);
      roleNames.add(role.toLowerCase());
      const out = has(r.props, "connectAdministration")
        ? read(() => ({
            connectAdministration: r.props.connectAdministration,
            available: r.props.available,
            exists: r.props.exists,
            roleTypes: roleTypesOf(r.props.roleTypes ?? r.props.roleType),
            manualSteps: arr<string>(r.props.manualSteps),
          }))
        : undefined;
      if (!out || !out.known || typeof out.value.connectAdministration !== "boolean") {
        unverified.push(r.name);
        continue;
      }
      if (out.value.available === false) {
        // The server has no role endpoint (no public REST source documents one): it cannot be checked here.
        manual.push(
          `${role}: ${out.value.manualSteps.join(" ") || "check the role by hand in Settings > Security > Roles"}`,
        );
        continue;
      }
      if (out.value.exists === false) {
        reportViolation(`Security role '${role}' must exist in Vantagepoint; it was not found.`, r.urn);
        continue;
      }
      if (out.value.connectAdministration !== true) {
        reportViolation(
          `Security role '${role}' must grant Connect Administration (Settings > Security > Roles > Overview > Utilities > Integrations).`,
          r.urn,
        );
      }
      // A role may be of several types at once (Deltek's CRM documentation): Administrator must be among them.
      if (
        r.props.requireAdministratorType === true &&
        !out.value.roleTypes.some((t) => t.toLowerCase() === "administrator")
      ) {
        reportViolation(
          `Security role '${role}' must have Administrator among its types (Vantagepoint 7.0 and later); it has '${out.value.roleTypes.join(", ") || "(none)"}'.`,
          r.urn,
        );
      }
    }
    for (const roster of ofKind(args, "ConnectRoster")) {
      for (const e of entriesOf(roster).filter((x) => x.configurer && x.role !== "")) {
        if (!roleNames.has(e.role.toLowerCase())) {
          reportViolation(
            `Configurer '${e.userId}' has role '${e.role}', which must be the role checked for Connect Administration (${[...roleNames].join(", ")}).`,
            roster.urn,
          );
        }
      }
    }
    if (manual.length > 0) {
      args.notApplicable(
        `The server has no role endpoint, so Connect's permission is a manual step: ${manual.join(" ")}`,
      );
    }
    if (unverified.length > 0) {
      args.notApplicable(`Connect Administration of ConnectAdminRole ${unverified.join(", ")} ${NOT_READ}.`);
    }
  },
};

/** P4: the configurer has an active employee with a valid email linked to their user. */
export const connectAdminLinked: StackValidationPolicy = {
  name: "connect-admin-linked",
  description:
    "The person who configures Connect must be in the roster with an active employee record, a valid email, linked to an active user.",
  enforcementLevel: "mandatory",
  severity: "high",
  tags: ["vantagepoint-connect", "P4"],
  remediationSteps:
    "Mark the configurer in the roster (configurer: true) with a valid email; the roster links employee and user.",
  validateStack: (args, reportViolation) => {
    const rosters = ofKind(args, "ConnectRoster");
    if (rosters.length === 0) {
      reportViolation(
        "The stack must declare a ConnectRoster that names the person who configures Connect (configurer: true).",
      );
      return;
    }
    let configurers = 0;
    const unverified: string[] = [];
    for (const roster of rosters) {
      const mine = entriesOf(roster).filter((e) => e.configurer);
      configurers += mine.length;
      for (const e of mine) {
        const idProblem = userIdProblem(e.userId);
        if (idProblem) reportViolation(`Configurer user ID ${idProblem}.`, roster.urn);
        if (emailProblem(e.email) !== undefined)
          reportViolation(
            `Configurer '${e.userId}' must have a valid email (found '${e.email}').`,
            roster.urn,
          );
      }
      const people = peopleOf(roster);
      if (!people) {
        if (mine.length > 0) unverified.push(roster.name);
        continue;
      }
      for (const e of mine) {
        const p = people.get(e.userId.toLowerCase());
        if (!p) {
          reportViolation(
            `Configurer '${e.userId}' must exist in Vantagepoint as a user; the roster did not find or create them.`,
            roster.urn,
          );
          continue;
        }
        const problems = personProblems(p);
        if (problems.length > 0) {
          reportViolation(
            `Configurer '${e.userId}' must have an active employee with a valid email linked to their user: ${problems.join("; ")}.`,
            roster.urn,
          );
        }
      }
    }
    if (configurers === 0) {
      reportViolation(
        "The roster must mark the person who configures Connect with configurer: true.",
        rosters[0].urn,
      );
    }
    if (unverified.length > 0) {
      args.notApplicable(
        `The employee/user link of the configurer in ConnectRoster ${unverified.join(", ")} ${NOT_READ}.`,
      );
    }
  },
};

/** P5: every Connect user has an active employee with a valid email linked to a user. */
export const connectUsersLinked: StackValidationPolicy = {
  name: "connect-users-linked",
  description:
    "Every person in the Connect roster must have a valid user ID and email, and an active employee record linked to an active user.",
  enforcementLevel: "mandatory",
  severity: "high",
  tags: ["vantagepoint-connect", "P5"],
  remediationSteps:
    "Fix the roster rows named in the message (email, user ID), then run pulumi up so the roster links them.",
  validateStack: (args, reportViolation) => {
    const rosters = ofKind(args, "ConnectRoster");
    if (rosters.length === 0) {
      reportViolation(
        "The stack must declare a ConnectRoster listing the people who use Connect; Connect cannot work without linked users.",
      );
      return;
    }
    const unverified: string[] = [];
    for (const roster of rosters) {
      const { entries, problem } = rosterOf(roster);
      if (problem) {
        reportViolation(`ConnectRoster '${roster.name}': ${problem}.`, roster.urn);
        continue;
      }
      if (entries.length === 0) {
        // One shard of a larger roster may happen to hold nobody; the roster as a whole must not be empty.
        if (!isShard(roster) || !rosters.some((r) => entriesOf(r).length > 0))
          reportViolation(`ConnectRoster '${roster.name}' must list at least one Connect user.`, roster.urn);
        continue;
      }
      const badIds: string[] = [];
      const badEmails: string[] = [];
      const seenIds = new Map<string, number>();
      const seenEmails = new Map<string, number>();
      for (const e of entries) {
        const problem = userIdProblem(e.userId);
        if (problem) badIds.push(problem);
        if (emailProblem(e.email) !== undefined) badEmails.push(`${e.userId} ('${e.email}')`);
        seenIds.set(e.userId.toLowerCase(), (seenIds.get(e.userId.toLowerCase()) ?? 0) + 1);
        seenEmails.set(e.email.toLowerCase(), (seenEmails.get(e.email.toLowerCase()) ?? 0) + 1);
      }
      const dupIds = [...seenIds].filter(([, n]) => n > 1).map(([k]) => k);
      const dupEmails = [...seenEmails].filter(([k, n]) => n > 1 && k !== "").map(([k]) => k);
      if (badIds.length > 0)
        reportViolation(`Roster user IDs must follow the Users form rules: ${listSome(badIds)}.`, roster.urn);
      if (badEmails.length > 0)
        reportViolation(
          `Every Connect user must have a valid email; invalid: ${listSome(badEmails)}.`,
          roster.urn,
        );
      if (dupIds.length > 0)
        reportViolation(`Roster user IDs must be unique; repeated: ${listSome(dupIds)}.`, roster.urn);
      if (dupEmails.length > 0)
        reportViolation(
          `Roster emails must be unique (one mailbox, one user); repeated: ${listSome(dupEmails)}.`,
          roster.urn,
        );

      const people = peopleOf(roster);
      if (!people) {
        unverified.push(roster.name);
        continue;
      }
      const missing: string[] = [];
      const broken: string[] = [];
      for (const e of entries) {
        const p = people.get(e.userId.toLowerCase());
        if (!p) {
          missing.push(e.userId);
          continue;
        }
        const problems = personProblems(p);
        if (problems.length > 0) broken.push(`${e.userId} (${problems.join("; ")})`);
      }
      if (missing.length > 0) {
        reportViolation(
          `Every roster entry must exist in Vantagepoint as a user; ${missing.length} not found: ${listSome(missing)}.`,
          roster.urn,
        );
      }
      if (broken.length > 0) {
        reportViolation(
          `Every Connect user must have an active employee with a valid email linked to an active user; ${broken.length} do not: ${listSome(broken)}.`,
          roster.urn,
        );
      }
    }
    if (unverified.length > 0) {
      args.notApplicable(`The employee/user links of ConnectRoster ${unverified.join(", ")} ${NOT_READ}.`);
    }
  },
};

/** P6: the Connect API client is protected / retained on delete, and only one resource manages it. */
export const connectApiClientProtected: StackValidationPolicy = {
  name: "connect-api-client-protected",
  description:
    "The Connect API Authorization must be adopted by exactly one ConnectApiClient resource, protected, with its secret marked secret (and retained on delete, checked where the engine reports that option).",
  enforcementLevel: "mandatory",
  severity: "critical",
  tags: ["vantagepoint-connect", "P6"],
  remediationSteps:
    'Declare one ConnectApiClient with protect: true, retainOnDelete: true and additionalSecretOutputs ["clientSecret"]; remove duplicates with `pulumi state delete`.',
  validateStack: (args, reportViolation) => {
    const clients = ofKind(args, "ConnectApiClient");
    if (clients.length === 0) {
      reportViolation(
        "The stack must adopt the Connect API Authorization with a ConnectApiClient resource, so deleting or editing it is detected.",
      );
      return;
    }
    const byKey = new Map<string, ResourceLike[]>();
    for (const c of clients) {
      const opts = (c as unknown as { opts?: Props }).opts ?? {};
      if (opts.protect !== true) {
        reportViolation(
          `ConnectApiClient '${c.name}' must be protected (protect: true): deleting it breaks Connect for everyone.`,
          c.urn,
        );
      }
      // @pulumi/policy 1.21 does not pass retainOnDelete to policies; check it whenever the caller does.
      if ("retainOnDelete" in opts && opts.retainOnDelete !== true) {
        reportViolation(
          `ConnectApiClient '${c.name}' must be retained on delete (retainOnDelete: true).`,
          c.urn,
        );
      }
      if (!arr<string>(opts.additionalSecretOutputs).includes("clientSecret")) {
        reportViolation(
          `ConnectApiClient '${c.name}' must list "clientSecret" in additionalSecretOutputs.`,
          c.urn,
        );
      }
      const conn = read(() => ({ url: str(c.props.connection?.url), db: str(c.props.connection?.database) }));
      const name = read(() => str(c.props.name));
      if (!conn.known || !name.known) continue;
      const key = `${conn.value.url.toLowerCase().replace(/\/+$/, "")}|${conn.value.db.toLowerCase()}|${name.value.toLowerCase()}`;
      byKey.set(key, [...(byKey.get(key) ?? []), c]);
      if (has(c.props, "clientId")) {
        const id = read(() => str(c.props.clientId));
        if (id.known && id.value !== "") {
          const idKey = `${conn.value.url.toLowerCase().replace(/\/+$/, "")}|${conn.value.db.toLowerCase()}|id:${id.value.toLowerCase()}`;
          byKey.set(idKey, [...(byKey.get(idKey) ?? []), c]);
          // Connect finds its API Authorization by Client ID (Connect Administration's Settings tab): the adopted
          // record must be the configured one, whatever its name says.
          const expected = read(() => str(c.props.expectedClientId));
          if (
            expected.known &&
            expected.value !== "" &&
            expected.value.toLowerCase() !== id.value.toLowerCase()
          ) {
            reportViolation(
              `ConnectApiClient '${c.name}' must adopt the API Authorization with the configured Client ID ${expected.value} (vantagepoint.connectApiClient.clientId); it holds ${id.value}.`,
              c.urn,
            );
          }
        }
      }
    }
    const reported = new Set<string>();
    for (const group of byKey.values()) {
      if (group.length < 2) continue;
      for (const c of group) {
        if (reported.has(c.urn)) continue;
        reported.add(c.urn);
        const others = group.filter((o) => o !== c).map((o) => o.name);
        reportViolation(
          `Only one resource may manage the Connect API Authorization; ConnectApiClient '${c.name}' manages the same one as ${others.join(", ")}.`,
          c.urn,
        );
      }
    }
  },
};

/** The Vantagepoint policies. */
export const vantagepointPolicies = [
  connectAdminRole,
  connectAdminLinked,
  connectUsersLinked,
  connectApiClientProtected,
];
