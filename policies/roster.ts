/**
 * Policy on the Connect roster (P5): every Connect user has a valid user ID and email, and an active employee
 * linked to an active user.
 */
import { StackValidationPolicy } from "@pulumi/policy";
import { emailProblem, userIdProblem } from "../lib/people";
import { listSome } from "./lib/props";
import {
  entriesOf,
  isShard,
  NOT_READ,
  ofKind,
  peopleOf,
  personProblems,
  rosterOf,
} from "./lib/vantagepointResources";

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
