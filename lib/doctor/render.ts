/**
 * The doctor's report formats, each saying only what was verified on the live server: the verdict (exit 3 when
 * sign-in or a read failed, never a pass), could-not-check with why and what to run, and a run against a
 * Vantagepoint on this machine over http (the bundled emulator) labelled EMULATED. SARIF has its own tool
 * (`vpconnect-doctor`), one rule per prerequisite with help, results located at the stack file's key when there
 * is one and always at the record (a logical location), never at the API URL. JUnit has one test case per
 * prerequisite with its read time; broken is a failure listing every record with the message, a failed read an
 * error, anything else not checkable skipped with why. The look is check's (lib/reports). Pure.
 */
import { createHash } from "node:crypto";
import builder from "junit-report-builder";
import type { Location, Log, Notification, ReportingDescriptor, Result } from "sarif";
import { BASE_CSS, escapeHtml, htmlPage, htmlProse, htmlTable } from "../reports/html";
import { body as cdata, clean } from "../reports/junit";
import { findKeyLine } from "../reports/locate";
import { cell, code, prose } from "../reports/markdown";
import { EMULATED_LABEL } from "../reports/model";
import type { ReportFormat } from "../reports";
import { artifactUri } from "../reports/sarif";
import { columns } from "../reports/table";
import { DOCTOR_POLICIES, failedRead, nextStepOf } from "./model";
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

const LABEL: Record<DoctorStatus, string> = {
  ok: "OK",
  broken: "BROKEN",
  "could-not-check": "COULD NOT CHECK",
};

/** The emulated label, when the run read a Vantagepoint on this machine over http. */
function label(report: DoctorReport): string {
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

function where(report: DoctorReport): string {
  const t = report.target;
  return `${t.url}, database ${t.database}, as ${t.username}${t.stack ? `, stack ${t.stack}` : ""}`;
}

/** Findings shown per check on the console before "... and N more". */
export const TABLE_FINDINGS_LIMIT = 25;

export function renderDoctorTable(report: DoctorReport): string {
  const out: string[] = [`vpconnect doctor: ${where(report)} (read-only)`];
  if (report.target.local)
    out.push(
      `${EMULATED_LABEL}: ${report.target.url} is a Vantagepoint on this machine over http (the bundled emulator or a test server), not a real site.`,
    );
  out.push("");
  out.push(
    ...columns(
      ["RESULT", "PREREQ", "CHECK", "DETAIL"],
      report.checks.map((c) => [LABEL[c.status], c.id, c.policy, c.reason]),
    ).map((l) => `  ${l}`),
  );
  for (const c of report.checks) {
    if (c.findings.length === 0) continue;
    out.push("", `${c.id} ${c.title}: ${c.findings.length} problem${c.findings.length === 1 ? "" : "s"}`);
    for (const f of c.findings.slice(0, TABLE_FINDINGS_LIMIT)) out.push(`  - ${f.location}: ${f.message}`);
    if (c.findings.length > TABLE_FINDINGS_LIMIT)
      out.push(`  ... and ${c.findings.length - TABLE_FINDINGS_LIMIT} more (write --format json for all)`);
  }
  const unchecked = report.checks.filter((c) => c.status === "could-not-check");
  if (unchecked.length > 0) {
    out.push("", "Could not check (never a pass):");
    for (const c of unchecked)
      out.push(`  - ${c.id} ${c.title}: ${c.reason}`, `    to check it: ${nextStepOf(c, rerunOf(report))}`);
  }
  if (report.warnings.length > 0) {
    out.push("");
    for (const w of report.warnings) out.push(`WARNING: ${w}`);
  }
  out.push("", doctorVerdict(report));
  return out.join("\n") + "\n";
}

export interface DoctorJson {
  tool: DoctorReport["tool"];
  target: Omit<DoctorReport["target"], "repoBase">;
  /** The one-line verdict, as the console prints it. */
  verdict: string;
  /** A Vantagepoint on this machine over http: the bundled emulator's (or a test server's) data, not a real site. */
  emulated: boolean;
  connectUsers: DoctorReport["connectUsers"];
  exitCode: DoctorReport["exitCode"];
  strict: boolean;
  summary: { ok: number; broken: number; couldNotCheck: number; findings: number };
  checks: Array<DoctorCheck & { nextStep?: string }>;
  warnings: string[];
}

export function toDoctorJson(report: DoctorReport): DoctorJson {
  const n = (s: DoctorStatus) => report.checks.filter((c) => c.status === s).length;
  // repoBase only places the stack file for SARIF; the JSON's target stays where doctor looked.
  const { repoBase: _repoBase, ...target } = report.target;
  const rerun = rerunOf(report);
  return {
    tool: report.tool,
    target,
    verdict: doctorVerdict(report),
    emulated: report.target.local === true,
    connectUsers: report.connectUsers,
    exitCode: report.exitCode,
    strict: report.strict,
    summary: {
      ok: n("ok"),
      broken: n("broken"),
      couldNotCheck: n("could-not-check"),
      findings: report.checks.reduce((k, c) => k + c.findings.length, 0),
    },
    checks: report.checks.map((c) => {
      const nextStep = nextStepOf(c, rerun);
      return nextStep ? { ...c, nextStep } : c;
    }),
    warnings: report.warnings,
  };
}

export function renderDoctorJson(report: DoctorReport): string {
  return `${JSON.stringify(toDoctorJson(report), null, 2)}\n`;
}

const ICON: Record<DoctorStatus, string> = {
  ok: "✅ ok",
  broken: "❌ broken",
  "could-not-check": "➖ could not check",
};

function headWord(report: DoctorReport): string {
  if (report.exitCode === 1) return "BROKEN";
  if (report.exitCode === 3) return "NOT CHECKED";
  return report.checks.some((c) => c.status === "could-not-check") ? "INCOMPLETE" : "OK";
}

export function renderDoctorMarkdown(report: DoctorReport): string {
  const out: string[] = [];
  const word = headWord(report);
  const icon =
    word === "BROKEN"
      ? "❌"
      : word === "NOT CHECKED"
        ? "⛔"
        : word === "OK" && !report.target.local
          ? "✅"
          : "⚠️";
  out.push(`## ${icon} ${word}${label(report)}: vpconnect doctor on ${code(report.target.url, false)}`, "");
  if (report.target.local)
    out.push(
      `> **${EMULATED_LABEL}.** ${code(report.target.url, false)} is a Vantagepoint on this machine over http (the bundled emulator or a test server), not a real site.`,
      "",
    );
  out.push(`**${cell(doctorVerdict(report))}**`, "");
  out.push(
    `Database ${code(report.target.database, false)}, signed in as ${code(report.target.username, false)}${report.target.stack ? `, stack ${code(report.target.stack, false)}` : ""}. Read-only. Connect users: ${report.connectUsers === "roster" ? "the roster" : "every active user"}.`,
    "",
  );
  const rerun = rerunOf(report);
  out.push("| | Prerequisite | Check | Result | Detail |", "|---|---|---|---|---|");
  for (const c of report.checks) {
    const next = nextStepOf(c, rerun);
    const detail = `${cell(c.reason)}${next ? ` **To check it:** ${prose(next)}` : ""}`;
    out.push(`| ${c.id} | ${cell(c.title)} | ${code(c.policy)} | ${ICON[c.status]} | ${detail} |`);
  }
  out.push("");
  const findings = report.checks.flatMap((c) => c.findings.map((f) => ({ c, f })));
  if (findings.length > 0) {
    out.push(`### Findings (${findings.length})`, "", "| Prereq. | Record | Problem |", "|---|---|---|");
    for (const { c, f } of findings) out.push(`| ${c.id} | ${code(f.location)} | ${cell(f.message)} |`);
    out.push("");
  } else out.push("No findings.", "");
  if (report.warnings.length > 0) {
    for (const w of report.warnings) out.push(`> **Warning:** ${cell(w)}`);
    out.push("");
  }
  out.push(`<sub>${cell(report.tool.name)} ${cell(report.tool.version)} doctor</sub>`, "");
  return out.join("\n");
}

const CSS = `${BASE_CSS}.verdict{font-size:1.1rem;padding:.6rem 1rem;border-radius:.4rem;margin:1rem 0}.meta{color:#57606a}
@media print{.verdict{border:1px solid #000}}
`;

const CLASS: Record<DoctorStatus, string> = { ok: "pass", broken: "fail", "could-not-check": "skip" };

export function renderDoctorHtml(report: DoctorReport): string {
  const e = escapeHtml;
  const badge = (s: DoctorStatus) => `<span class="badge ${CLASS[s]}">${e(s)}</span>`;
  const tbl = htmlTable;
  const word = headWord(report);
  const verdictClass =
    word === "BROKEN" || word === "NOT CHECKED"
      ? "fail"
      : word === "OK" && !report.target.local
        ? "pass"
        : "warn";
  const body: string[] = [];
  body.push(`<h1>Vantagepoint Connect doctor: ${e(report.target.url)}${e(label(report))}</h1>`);
  body.push(
    `<p class="meta">Database ${e(report.target.database)} · signed in as ${e(report.target.username)}${report.target.stack ? ` · stack ${e(report.target.stack)}` : ""} · ${e(report.tool.name)} ${e(report.tool.version)} · read-only (GET and the token grant only)</p>`,
  );
  if (report.target.local)
    body.push(
      `<div class="verdict warn"><strong>${e(EMULATED_LABEL)}.</strong> <code>${e(report.target.url)}</code> is a Vantagepoint on this machine over http (the bundled emulator or a test server), not a real site.</div>`,
    );
  body.push(`<div class="verdict ${verdictClass}"><strong>${e(doctorVerdict(report))}</strong></div>`);
  body.push("<h2>Prerequisites</h2>");
  const rerun = rerunOf(report);
  body.push(
    tbl(
      ["", "Prerequisite", "Check", "Result", "Detail"],
      report.checks.map((c) => {
        const next = nextStepOf(c, rerun);
        return [
          e(c.id),
          e(c.title),
          `<code class="name">${e(c.policy)}</code>`,
          badge(c.status),
          e(c.reason) +
            (next ? `<br><strong>To check it:</strong> ${htmlProse(next)}` : "") +
            (c.details.length ? `<br><span class="meta">${e(c.details.join(" · "))}</span>` : ""),
        ];
      }),
    ),
  );
  const findings = report.checks.flatMap((c) => c.findings.map((f) => ({ c, f })));
  body.push(`<h2>Findings (${findings.length})</h2>`);
  body.push(
    findings.length === 0
      ? "<p>None.</p>"
      : tbl(
          ["Prereq.", "Record", "Kind", "Problem"],
          findings.map(({ c, f }) => [e(c.id), `<code>${e(f.location)}</code>`, e(f.kind), e(f.message)]),
        ),
  );
  if (report.warnings.length > 0)
    body.push(`<h2>Warnings</h2><ul>${report.warnings.map((w) => `<li>${e(w)}</li>`).join("")}</ul>`);
  return htmlPage(`vpconnect doctor: ${e(report.target.database)} ${e(word)}${e(label(report))}`, CSS, body);
}

/**
 * SARIF 2.1.0: tool `vpconnect-doctor`, one rule per prerequisite (help: how to fix it), one error result per
 * finding. A result sits at the record (a logical location, `vantagepoint:user:JDOE`) and, when doctor read a
 * stack file, at the stack-config key of its prerequisite in that file; never at the API URL, which is no file.
 * Could-not-check is a notification (an error when sign-in or a read failed).
 */
export function toDoctorSarif(report: DoctorReport, stackFileText?: string): Log {
  const stackFile = report.target.stackFile;
  const artifact = stackFile !== undefined ? artifactUri(stackFile, report.target.repoBase) : undefined;
  const lineOf = (key: string) => (stackFileText ? findKeyLine(stackFileText, key) : undefined) ?? 1;
  const rules: ReportingDescriptor[] = report.checks.map((c) => ({
    id: c.policy,
    name: c.policy,
    shortDescription: { text: `${c.id}: ${c.title}.` },
    fullDescription: { text: `${c.id}: ${c.title}. Checked read-only on the live Vantagepoint.` },
    help: { text: DOCTOR_HELP[c.id], markdown: DOCTOR_HELP[c.id] },
    defaultConfiguration: { level: "error" },
    properties: { tags: [DOCTOR_PACK, c.id], prerequisite: c.id, configKey: DOCTOR_POLICIES[c.id].configKey },
  }));
  const results: Result[] = report.checks.flatMap((c, ruleIndex) =>
    c.findings.map((f): Result => {
      const location: Location = {
        ...(artifact
          ? {
              physicalLocation: {
                artifactLocation: { ...artifact, index: 0 },
                region: { startLine: lineOf(DOCTOR_POLICIES[c.id].configKey) },
              },
            }
          : {}),
        logicalLocations: [{ fullyQualifiedName: f.location, kind: f.location.split(":")[1] ?? "record" }],
      };
      return {
        ruleId: c.policy,
        ruleIndex,
        level: "error",
        message: { text: `${report.target.local ? `[${EMULATED_LABEL}] ` : ""}${f.message}` },
        locations: [location],
        partialFingerprints: {
          "vpconnectDoctor/v1": createHash("sha256")
            .update([c.policy, f.kind, f.location].join("\u0000"))
            .digest("hex")
            .slice(0, 32),
        },
        properties: { kind: f.kind, record: f.location, prerequisite: c.id },
      };
    }),
  );
  const rerun = rerunOf(report);
  const notifications: Notification[] = [];
  if (report.target.local)
    notifications.push({
      level: "warning",
      message: {
        text: `${EMULATED_LABEL}: ${report.target.url} is a Vantagepoint on this machine over http, not a real site.`,
      },
    });
  for (const c of report.checks.filter((x) => x.status === "could-not-check")) {
    const failed = failedRead(c);
    notifications.push({
      level: failed ? "error" : "warning",
      message: { text: `${c.id} could not be checked: ${c.reason}. To check it: ${nextStepOf(c, rerun)}` },
      descriptor: { id: c.policy },
    });
  }
  for (const w of report.warnings) notifications.push({ level: "note", message: { text: w } });
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: DOCTOR_TOOL,
            version: report.tool.version,
            rules,
          },
        },
        invocations: [
          {
            executionSuccessful: report.exitCode !== 3,
            exitCode: report.exitCode,
            commandLine: rerun,
            toolExecutionNotifications: notifications,
          },
        ],
        ...(artifact ? { artifacts: [{ location: artifact }] } : {}),
        automationDetails: {
          id: `vpconnect-doctor/${report.target.stack ?? report.target.database}${report.target.local ? "/emulated" : ""}/`,
        },
        columnKind: "utf16CodeUnits",
        results,
        properties: {
          verdict: doctorVerdict(report),
          emulated: report.target.local === true,
          database: report.target.database,
          ...(report.target.stack ? { stack: report.target.stack } : {}),
        },
      },
    ],
  };
}

export function renderDoctorSarif(report: DoctorReport, stackFileText?: string): string {
  return `${JSON.stringify(toDoctorSarif(report, stackFileText), null, 2)}\n`;
}

/**
 * JUnit: one test case per prerequisite, timed by its reads. Broken: a failure whose body lists every record
 * with its message. Could not check because sign-in or a read failed: an error (nothing was proven). Could not
 * check otherwise: skipped. The reason and what to run go in system-out.
 */
export function renderDoctorJunit(report: DoctorReport): string {
  const root = builder
    .newBuilder()
    .name(clean(`vpconnect doctor ${report.target.stack ?? report.target.database}${label(report)}`));
  const suite = root
    .testSuite()
    .name(clean(`${DOCTOR_PACK}${label(report)}`))
    .time(report.checks.reduce((t, c) => Math.max(t, c.durationMs ?? 0), 0) / 1000)
    .property("database", clean(report.target.database))
    .property("verdict", clean(doctorVerdict(report)));
  const rerun = rerunOf(report);
  for (const c of report.checks) {
    const testCase = suite
      .testCase()
      .className(DOCTOR_PACK)
      .name(
        clean(
          `${c.policy}${report.target.local && c.status !== "could-not-check" ? ` [${EMULATED_LABEL}]` : ""}`,
        ),
      )
      .time((c.durationMs ?? 0) / 1000)
      .property("prerequisite", c.id)
      .property("checked", String(c.checked));
    if (report.target.stackFile) testCase.file(clean(report.target.stackFile));
    const out = [`${c.id} ${c.title}: ${c.reason}`];
    if (c.status === "broken") {
      testCase
        .failure(
          clean(
            `${c.findings.length} problem${c.findings.length === 1 ? "" : "s"}: ${c.findings[0]!.message}`,
          ),
          "broken",
        )
        .stacktrace(cdata(c.findings.map((f) => `${f.location}: ${f.message}`).join("\n")));
    } else if (c.status === "could-not-check") {
      const next = nextStepOf(c, rerun);
      out.push(`To check it: ${next}`);
      if (failedRead(c))
        testCase.error(
          clean(`could not be checked: ${c.reason}`),
          c.cause ?? "read-failed",
          cdata(`${c.reason}\nTo check it: ${next}`),
        );
      else testCase.skipped();
    }
    if (c.details.length) out.push(...c.details);
    testCase.standardOutput(cdata(out.join("\n")));
  }
  return root.build();
}

export const DOCTOR_RENDERERS: Readonly<
  Record<ReportFormat, (report: DoctorReport, stackFileText?: string) => string>
> = {
  table: renderDoctorTable,
  json: renderDoctorJson,
  sarif: renderDoctorSarif,
  junit: renderDoctorJunit,
  markdown: renderDoctorMarkdown,
  html: renderDoctorHtml,
};
