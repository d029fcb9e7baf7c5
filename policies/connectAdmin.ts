/**
 * Policies on whoever configures Connect (P3, P4): their security role grants Connect Administration, and they
 * have an active employee with a valid email linked to their user.
 */
import { StackValidationPolicy } from "@pulumi/policy";
import { emailProblem, userIdProblem } from "../lib/people";
import { arr, has, read, str } from "./lib/props";
import {
  entriesOf,
  NOT_READ,
  ofKind,
  peopleOf,
  personProblems,
  roleTypesOf,
} from "./lib/vantagepointResources";

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
