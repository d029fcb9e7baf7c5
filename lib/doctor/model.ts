/**
 * What `vpconnect doctor` found on a live Vantagepoint: one result per prerequisite P3..P6, each ok, broken or
 * could-not-check, with findings located at the record they are about. Pure: no Pulumi import, no I/O.
 */

export type DoctorStatus = "ok" | "broken" | "could-not-check";

export type DoctorPrerequisite = "P3" | "P4" | "P5" | "P6";

/** The "policy" name of each prerequisite check (stable: reports, SARIF rule ids and JUnit test names use it). */
export const DOCTOR_POLICIES: Readonly<
  Record<DoctorPrerequisite, { policy: string; title: string; configKey: string }>
> = {
  P3: {
    policy: "doctor-p3-connect-admin-role",
    title: "Configuring role has Connect Administration",
    configKey: "vpconnect:vantagepoint.adminRole",
  },
  P4: {
    policy: "doctor-p4-configurer-linked",
    title: "Configurer's employee linked, valid email, active",
    configKey: "vpconnect:roster.configurer",
  },
  P5: {
    policy: "doctor-p5-connect-users-linked",
    title: "Every Connect user's employee linked, valid unique email, active",
    configKey: "vpconnect:roster.users",
  },
  P6: {
    policy: "doctor-p6-connect-api-client",
    title: "Connect API Authorization present and unchanged since adopted",
    configKey: "vpconnect:vantagepoint.connectApiClient",
  },
};

export const DOCTOR_ORDER: readonly DoctorPrerequisite[] = ["P3", "P4", "P5", "P6"];

/** What kind of problem a finding is (stable codes for JSON consumers). */
export type FindingKind =
  | "role-missing"
  | "role-without-connect-administration"
  | "role-not-administrator-type"
  | "user-missing"
  | "user-inactive"
  | "user-without-employee"
  | "wrong-employee"
  | "employee-missing"
  | "employee-inactive"
  | "employee-terminated"
  | "employee-without-email"
  | "employee-invalid-email"
  | "duplicate-email"
  | "api-authorization-missing"
  | "api-authorization-duplicated"
  | "api-authorization-changed";

/** One broken record. */
export interface DoctorFinding {
  kind: FindingKind;
  /** URN-like location of the record: `vantagepoint:user:JDOE`, `vantagepoint:employee:00042`, ... */
  location: string;
  /** What is wrong and how to fix it (server words already redacted). */
  message: string;
}

export interface DoctorCheck {
  id: DoctorPrerequisite;
  policy: string;
  title: string;
  status: DoctorStatus;
  /** Why it could not be checked (could-not-check), or a one-line summary (ok / broken). */
  reason: string;
  findings: DoctorFinding[];
  /** Facts worth showing when ok, e.g. the Connect API Authorization's Client ID and fingerprint. */
  details: string[];
  /** Records looked at (roles, people, authorizations). */
  checked: number;
}

export interface DoctorReport {
  tool: { name: string; version: string };
  /** Where doctor looked (never a secret). */
  target: {
    url: string;
    database: string;
    username: string;
    stack?: string;
    /** The stack file, relative to the working directory. */
    stackFile?: string;
    /** The working directory relative to the repository root, as CheckReport.repoBase (SARIF paths). */
    repoBase?: string;
  };
  /** Who counts as a Connect user for P5: the roster given, or every active user. */
  connectUsers: "roster" | "all-active-users";
  strict: boolean;
  checks: DoctorCheck[];
  /** Non-fatal notes (could-not-check summary, defaults chosen). */
  warnings: string[];
  exitCode: 0 | 1;
}

/** Exit code: 1 when anything is broken, or (with --strict) when anything could not be checked; else 0. */
export function doctorExitCode(checks: readonly Pick<DoctorCheck, "status">[], strict: boolean): 0 | 1 {
  if (checks.some((c) => c.status === "broken")) return 1;
  if (strict && checks.some((c) => c.status === "could-not-check")) return 1;
  return 0;
}

/** A check's status from its findings: broken if any, else could-not-check when a reason is given, else ok. */
export function statusOf(findings: readonly DoctorFinding[], couldNotCheck?: string): DoctorStatus {
  if (findings.length > 0) return "broken";
  return couldNotCheck !== undefined ? "could-not-check" : "ok";
}

/** URN-like location of a Vantagepoint record. */
export function recordUrn(kind: "user" | "employee" | "role" | "apiauthorization", key: string): string {
  return `vantagepoint:${kind}:${key}`;
}
