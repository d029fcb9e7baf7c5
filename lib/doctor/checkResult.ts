/** The shape every doctor check returns: its status and reason from the findings (shared by ./checks.ts and ./peopleChecks.ts). */
import { DOCTOR_POLICIES, statusOf } from "./model";
import type { DoctorCheck, DoctorFinding, DoctorPrerequisite } from "./model";

/** One check's result: broken when anything was found, could-not-check with the reason, ok otherwise. */
export function check(
  id: DoctorPrerequisite,
  findings: DoctorFinding[],
  couldNotCheck: string | undefined,
  checked: number,
  okReason: string,
  details: string[] = [],
): DoctorCheck {
  const status = statusOf(findings, couldNotCheck);
  const reason =
    status === "broken"
      ? `${findings.length} problem${findings.length === 1 ? "" : "s"}${couldNotCheck ? `; also: ${couldNotCheck}` : ""}`
      : status === "could-not-check"
        ? couldNotCheck!
        : okReason;
  return { id, ...DOCTOR_POLICIES[id], status, reason, findings, details, checked };
}
