/**
 * The doctor's verdict and names every report format shares: the SARIF pack and tool, the report file names, how to
 * fix each prerequisite, the status labels, the EMULATED label, the command that checks again and the one-line
 * verdict. Split from ./render.ts (which re-exports what it exported). Pure.
 */
import { EMULATED_LABEL } from "../reports/model";
import type { ReportFormat } from "../reports";
import { failedRead } from "./model";
import type { DoctorCheck, DoctorPrerequisite, DoctorReport, DoctorStatus } from "./model";

export const DOCTOR_PACK = "vpconnect-doctor";
/** The SARIF tool name: the doctor's results are its own, not `vpconnect check`'s. */
export const DOCTOR_TOOL = "vpconnect-doctor";

/** File names under --out: `doctor[-<stack>].<ext>`. */
export function doctorReportFile(format: Exclude<ReportFormat, "table">, stack?: string): string {
  const base = stack ? `doctor-${stack}` : "doctor";
  return `${base}.${{ json: "json", sarif: "sarif", junit: "junit.xml", markdown: "md", html: "html" }[format]}`;
}

/** How to fix each prerequisite (SARIF rule help), in the words of the Vantagepoint screens the findings name. */
export const DOCTOR_HELP: Readonly<Record<DoctorPrerequisite, string>> = {
  P3: "Give the role that configures Connect the Connect Administration right: Settings > Security > Roles > the role > Utilities > Integrations > Connect (before 7.0: Overview tab > Utilities > Integrations, tick Connect Administration); on 7.0 and later the role type must be Administrator. Then run vpconnect doctor again.",
  P4: "Link the configurer's user to an active employee with a valid email address: Settings > Security > Users (Employee field), and the Employees hub (General tab) for the email. Then run vpconnect doctor again.",
  P5: "Every Connect user's user record must be active and linked to an active employee with a valid email address that no other Connect user's employee has: Settings > Security > Users (Employee field) and the Employees hub. Take people who leave off the roster. Then run vpconnect doctor again.",
  P6: "The Connect API Authorization (Utilities > Integrations, API Authorizations) must exist once and must not be edited after it was adopted: Connect generates it on first use from its Sync Options. Then run vpconnect doctor again.",
  P7: "Vantagepoint's login settings (Settings > General > Options, Active Directory) must point at the Entra tenant and login app this stack manages: Entra ID login on for entra.loginMode entraId, the tenant entra.tenantId, the Server Client ID the login app's client ID. Nothing is written by doctor; change them there, then run vpconnect doctor again.",
};

export const LABEL: Record<DoctorStatus, string> = {
  ok: "OK",
  broken: "BROKEN",
  "could-not-check": "COULD NOT CHECK",
};

/** The emulated label, when the run read a Vantagepoint on this machine over http. */
export function label(report: DoctorReport): string {
  return report.target.local ? ` (${EMULATED_LABEL})` : "";
}

/** The command that checks again (no secret): the report's, or one built from the target. */
export function rerunOf(report: DoctorReport): string {
  if (report.rerun) return report.rerun;
  const t = report.target;
  if (t.stack) return `vpconnect doctor --stack ${t.stack}`;
  return `vpconnect doctor --url ${t.url} --database ${t.database} --username ${t.username} --client-id ...`;
}

/** The one-line verdict, as the console's last line and the line `--format json` prints. */
export function doctorVerdict(report: DoctorReport): string {
  const broken = report.checks.filter((c) => c.status === "broken").length;
  const unchecked = report.checks.filter((c) => c.status === "could-not-check");
  const readFailed = unchecked.filter(failedRead);
  const plural = (n: number) => (n === 1 ? "" : "s");
  const ids = (cs: readonly DoctorCheck[]) => cs.map((c) => c.id).join(", ");
  const where = label(report);
  if (broken > 0)
    return `BROKEN${where}: ${broken} prerequisite${plural(broken)} broken${unchecked.length ? `, ${unchecked.length} could not be checked (${ids(unchecked)})` : ""}. Exit ${report.exitCode}.`;
  if (readFailed.length > 0) {
    const signIn = readFailed.some((c) => c.cause === "sign-in");
    return `NOT CHECKED${where}: ${signIn ? "sign-in failed" : "reading Vantagepoint failed"}, so ${ids(readFailed)} could not be checked; nothing is proven about ${readFailed.length === 1 ? "it" : "them"}. Exit ${report.exitCode}.`;
  }
  if (unchecked.length > 0)
    return `NOTHING BROKEN FOUND${where}, but ${unchecked.length} prerequisite${plural(unchecked.length)} could not be checked (${ids(unchecked)})${report.strict ? " (--strict)" : ""}. Exit ${report.exitCode}.`;
  return report.target.local
    ? `OK${where}: P3..P6 hold on the local server (the bundled emulator or a test server, not a real site). Exit ${report.exitCode}.`
    : `OK: P3..P6 hold on the live server. Exit ${report.exitCode}.`;
}
