/**
 * What `vpconnect doctor` found on a live Vantagepoint: one result per prerequisite P3..P6, each ok, broken or
 * could-not-check, with findings located at the record they are about. Pure: no Pulumi import, no I/O.
 */
import { isLoopbackHost } from "../vantagepoint/client";

export type DoctorStatus = "ok" | "broken" | "could-not-check";

/**
 * Why a check could not run: "sign-in" (the token grant failed), "read-failed" (a read failed: network, timeout,
 * a server error or an unreadable reply), "unavailable" (this server has no such endpoint: a manual step),
 * "input" (doctor was not told what to check, e.g. no role). The first two never exit 0 (exit 3).
 */
export type DoctorCause = "sign-in" | "read-failed" | "unavailable" | "input";

/** Causes that mean Vantagepoint could not be read: the run proves nothing about those prerequisites. */
export const FAILED_READ_CAUSES: readonly DoctorCause[] = ["sign-in", "read-failed"];

/** A check that could not run because sign-in or a read failed (runDoctorChecks always sets the cause). */
export function failedRead(check: Pick<DoctorCheck, "status" | "cause">): boolean {
  return (
    check.status === "could-not-check" &&
    check.cause !== undefined &&
    FAILED_READ_CAUSES.includes(check.cause)
  );
}

export type DoctorPrerequisite = "P3" | "P4" | "P5" | "P6" | "P7";

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
  P7: {
    policy: "doctor-p7-login-config",
    title:
      "Vantagepoint login points at the tenant and login app this stack manages (LoginConfig, read-only)",
    configKey: "vpconnect:entra",
  },
};

export const DOCTOR_ORDER: readonly DoctorPrerequisite[] = ["P3", "P4", "P5", "P6", "P7"];

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
  | "api-authorization-changed"
  | "login-drift";

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
  /** could-not-check: why (set by runDoctorChecks; unset counts as needing a manual step). */
  cause?: DoctorCause;
  /** Time spent reading what this check needed, milliseconds (reads shared by checks count for each). */
  durationMs?: number;
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
    /**
     * A Vantagepoint on this machine over http (loopback: the bundled emulator or a test server; the client
     * allows http only there), so the reports label the run EMULATED and never show it as a real site's pass.
     */
    local?: boolean;
  };
  /** The command that runs this check again (flags only, never a secret), for "what to run". */
  rerun?: string;
  /** Who counts as a Connect user for P5: the roster given, or every active user. */
  connectUsers: "roster" | "all-active-users";
  strict: boolean;
  checks: DoctorCheck[];
  /** Non-fatal notes (could-not-check summary, defaults chosen). */
  warnings: string[];
  exitCode: DoctorExitCode;
}

/** What to do about a check that could not run, ending with the command that checks it again. */
export function nextStepOf(check: Pick<DoctorCheck, "status" | "cause">, rerun: string): string | undefined {
  if (check.status !== "could-not-check") return undefined;
  switch (check.cause) {
    case "sign-in":
      return `fix the sign-in (--url, --database, --username, --client-id, and VPCONNECT_PASSWORD / VPCONNECT_CLIENT_SECRET), then run \`${rerun}\``;
    case "read-failed":
      return `check that this machine reaches the server (the reason above), then run \`${rerun}\``;
    case "input":
      return `give doctor what it needs (see above), then run \`${rerun}\``;
    default:
      return `do the manual step above, or configure the endpoint's path (vantagepoint.paths in the stack), then run \`${rerun}\``;
  }
}

/** A loopback http target: the bundled emulator or a local test server, never a production site. */
export function isLocalTarget(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === "http:" && isLoopbackHost(u.hostname);
  } catch {
    return false;
  }
}

export type DoctorExitCode = 0 | 1 | 3;

/** The exit codes of `vpconnect doctor`, for --help and the README (2 is usage, before a report exists). */
export const DOCTOR_EXIT_CODES: ReadonlyArray<{ code: number; meaning: string }> = [
  {
    code: 0,
    meaning:
      "nothing broken; every prerequisite checked, or not checkable on this server for a reason that needs a manual step (a warning says which; --strict makes that 1)",
  },
  { code: 1, meaning: "a prerequisite is broken (or, with --strict, one could not be checked at all)" },
  {
    code: 2,
    meaning:
      "usage or config problem, nothing was read: a bad flag, a missing secret, Ctrl-D or Ctrl-C at the prompt",
  },
  {
    code: 3,
    meaning:
      "sign-in or a read failed (token grant refused, network, timeout, server error), so a prerequisite could not be checked; nothing broken was found in what could be read",
  },
];

/**
 * Exit code: 1 when anything is broken; 3 when a check could not run because sign-in or a read failed (never 0:
 * nothing was proven); 1 with --strict when anything else could not be checked; else 0.
 */
export function doctorExitCode(
  checks: readonly Pick<DoctorCheck, "status" | "cause">[],
  strict: boolean,
): DoctorExitCode {
  if (checks.some((c) => c.status === "broken")) return 1;
  const unchecked = checks.filter((c) => c.status === "could-not-check");
  if (unchecked.some(failedRead)) return 3;
  if (strict && unchecked.length > 0) return 1;
  return 0;
}

/** A check's status from its findings: broken if any, else could-not-check when a reason is given, else ok. */
export function statusOf(findings: readonly DoctorFinding[], couldNotCheck?: string): DoctorStatus {
  if (findings.length > 0) return "broken";
  return couldNotCheck !== undefined ? "could-not-check" : "ok";
}

/** URN-like location of a Vantagepoint record. */
export function recordUrn(
  kind: "user" | "employee" | "role" | "apiauthorization" | "loginconfig",
  key: string,
): string {
  return `vantagepoint:${kind}:${key}`;
}
