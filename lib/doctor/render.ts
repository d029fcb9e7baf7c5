/**
 * The doctor's report formats. SARIF and JUnit reuse lib/reports' writers through an adapter (each
 * prerequisite is a "policy" of the `vpconnect-doctor` pack, each finding a mandatory violation located at
 * its record's URN-like key; could-not-check is a skipped test case and a SARIF warning notification).
 * Table, JSON, Markdown and HTML are doctor-specific (check's are about resources) with the same look. Pure.
 */
import type { Notification } from "sarif";
import { BASE_CSS, escapeHtml, htmlPage, htmlTable } from "../reports/html";
import { renderJunit } from "../reports/junit";
import { cell, code } from "../reports/markdown";
import type { ReportFormat } from "../reports";
import type { CheckReport } from "../reports/model";
import { toSarif } from "../reports/sarif";
import { columns } from "../reports/table";
import { DOCTOR_POLICIES } from "./model";
import type { DoctorCheck, DoctorReport, DoctorStatus } from "./model";

export const DOCTOR_PACK = "vpconnect-doctor";

/** File names under --out: `doctor[-<stack>].<ext>`. */
export function doctorReportFile(format: Exclude<ReportFormat, "table">, stack?: string): string {
  const base = stack ? `doctor-${stack}` : "doctor";
  return `${base}.${{ json: "json", sarif: "sarif", junit: "junit.xml", markdown: "md", html: "html" }[format]}`;
}

const LABEL: Record<DoctorStatus, string> = {
  ok: "OK",
  broken: "BROKEN",
  "could-not-check": "COULD NOT CHECK",
};

function verdict(report: DoctorReport): string {
  const broken = report.checks.filter((c) => c.status === "broken").length;
  const unchecked = report.checks.filter((c) => c.status === "could-not-check").length;
  if (broken > 0)
    return `BROKEN: ${broken} prerequisite${broken === 1 ? "" : "s"} broken${unchecked ? `, ${unchecked} could not be checked` : ""}. Exit ${report.exitCode}.`;
  if (unchecked > 0)
    return `NOTHING BROKEN FOUND, but ${unchecked} prerequisite${unchecked === 1 ? "" : "s"} could not be checked${report.strict ? " (--strict)" : ""}. Exit ${report.exitCode}.`;
  return `OK: P3..P6 hold on the live server. Exit ${report.exitCode}.`;
}

function where(report: DoctorReport): string {
  const t = report.target;
  return `${t.url}, database ${t.database}, as ${t.username}${t.stack ? `, stack ${t.stack}` : ""}`;
}

/** Findings shown per check on the console before "... and N more". */
export const TABLE_FINDINGS_LIMIT = 25;

export function renderDoctorTable(report: DoctorReport): string {
  const out: string[] = [`vpconnect doctor: ${where(report)} (read-only)`, ""];
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
    out.push("", "Could not check:");
    for (const c of unchecked) out.push(`  - ${c.id} ${c.title}: ${c.reason}`);
  }
  if (report.warnings.length > 0) {
    out.push("");
    for (const w of report.warnings) out.push(`WARNING: ${w}`);
  }
  out.push("", verdict(report));
  return out.join("\n") + "\n";
}

export interface DoctorJson {
  tool: DoctorReport["tool"];
  target: Omit<DoctorReport["target"], "repoBase">;
  connectUsers: DoctorReport["connectUsers"];
  exitCode: 0 | 1;
  strict: boolean;
  summary: { ok: number; broken: number; couldNotCheck: number; findings: number };
  checks: DoctorCheck[];
  warnings: string[];
}

export function toDoctorJson(report: DoctorReport): DoctorJson {
  const n = (s: DoctorStatus) => report.checks.filter((c) => c.status === s).length;
  // repoBase only places the stack file for SARIF; the JSON's target stays where doctor looked.
  const { repoBase: _repoBase, ...target } = report.target;
  return {
    tool: report.tool,
    target,
    connectUsers: report.connectUsers,
    exitCode: report.exitCode,
    strict: report.strict,
    summary: {
      ok: n("ok"),
      broken: n("broken"),
      couldNotCheck: n("could-not-check"),
      findings: report.checks.reduce((k, c) => k + c.findings.length, 0),
    },
    checks: report.checks,
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

export function renderDoctorMarkdown(report: DoctorReport): string {
  const out: string[] = [];
  const head =
    report.exitCode === 0
      ? report.checks.some((c) => c.status === "could-not-check")
        ? "⚠️ INCOMPLETE"
        : "✅ OK"
      : "❌ BROKEN";
  out.push(`## ${head}: vpconnect doctor on ${code(report.target.url, false)}`, "");
  out.push(
    `Database ${code(report.target.database, false)}, signed in as ${code(report.target.username, false)}${report.target.stack ? `, stack ${code(report.target.stack, false)}` : ""}. Read-only. Connect users: ${report.connectUsers === "roster" ? "the roster" : "every active user"}.`,
    "",
  );
  out.push("| | Prerequisite | Check | Result | Detail |", "|---|---|---|---|---|");
  for (const c of report.checks)
    out.push(`| ${c.id} | ${cell(c.title)} | ${code(c.policy)} | ${ICON[c.status]} | ${cell(c.reason)} |`);
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
  out.push(
    `${cell(verdict(report))}`,
    "",
    `<sub>${cell(report.tool.name)} ${cell(report.tool.version)} doctor</sub>`,
    "",
  );
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
  const verdictClass =
    report.exitCode === 1
      ? "fail"
      : report.checks.some((c) => c.status === "could-not-check")
        ? "warn"
        : "pass";
  const body: string[] = [];
  body.push(`<h1>Vantagepoint Connect doctor: ${e(report.target.url)}</h1>`);
  body.push(
    `<p class="meta">Database ${e(report.target.database)} · signed in as ${e(report.target.username)}${report.target.stack ? ` · stack ${e(report.target.stack)}` : ""} · ${e(report.tool.name)} ${e(report.tool.version)} · read-only (GET and the token grant only)</p>`,
  );
  body.push(`<div class="verdict ${verdictClass}"><strong>${e(verdict(report))}</strong></div>`);
  body.push("<h2>Prerequisites</h2>");
  body.push(
    tbl(
      ["", "Prerequisite", "Check", "Result", "Detail"],
      report.checks.map((c) => [
        e(c.id),
        e(c.title),
        `<code>${e(c.policy)}</code>`,
        badge(c.status),
        e(c.reason) + (c.details.length ? `<br><span class="meta">${e(c.details.join(" · "))}</span>` : ""),
      ]),
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
  return htmlPage(`vpconnect doctor: ${e(report.target.database)}`, CSS, body);
}

/**
 * The doctor's report as the CheckReport `check`'s writers read: one stack policy per prerequisite,
 * one mandatory violation per finding (urn: the record's location), could-not-check as not applicable.
 */
export function toCheckReport(report: DoctorReport, stackFileText?: string): CheckReport {
  const label = report.target.stack ?? report.target.database;
  const violations = report.checks.flatMap((c) =>
    c.findings.map((f) => ({
      pack: DOCTOR_PACK,
      policy: c.policy,
      level: "mandatory" as const,
      urn: f.location,
      message: f.message,
      prerequisite: c.id,
    })),
  );
  return {
    tool: report.tool,
    stack: label,
    project: "vantagepoint-connect",
    stackFile: report.target.stackFile ?? report.target.url,
    ...(report.target.repoBase !== undefined ? { repoBase: report.target.repoBase } : {}),
    ...(stackFileText !== undefined ? { stackFileText } : {}),
    program: "vpconnect doctor",
    resources: [],
    outputs: {},
    packs: [
      {
        name: DOCTOR_PACK,
        version: report.tool.version,
        dir: "",
        enforcementLevel: "mandatory",
        policies: report.checks.length,
      },
    ],
    policies: report.checks.map((c) => ({
      pack: DOCTOR_PACK,
      name: c.policy,
      description: `${c.id}: ${c.title}. Checked read-only on the live Vantagepoint.`,
      level: "mandatory" as const,
      prerequisite: c.id,
      kind: "stack" as const,
      configKey: DOCTOR_POLICIES[c.id].configKey,
      applicable: c.checked,
      durationMs: 0,
      ...(c.status === "could-not-check" ? { notChecked: c.reason } : {}),
      results: {
        evaluated: c.status === "could-not-check" ? 0 : 1,
        passed: c.status === "ok" ? 1 : 0,
        violations: c.findings.length,
        notApplicable: c.status === "could-not-check" ? 1 : 0,
        errors: 0,
      },
    })),
    evaluations: report.checks.map((c) => ({
      pack: DOCTOR_PACK,
      policy: c.policy,
      urn: null,
      outcome:
        c.status === "ok"
          ? ("pass" as const)
          : c.status === "broken"
            ? ("violation" as const)
            : ("notApplicable" as const),
      messages: c.status === "could-not-check" ? [c.reason] : c.findings.map((f) => f.message),
    })),
    violations,
    errors: [],
    configIssues: [],
    notes: [],
    summary: {
      resources: 0,
      policies: report.checks.length,
      mandatory: violations.length,
      advisory: 0,
      remediate: 0,
      errors: 0,
      passed: report.exitCode === 0,
    },
    exitCode: report.exitCode,
  };
}

export function renderDoctorSarif(report: DoctorReport, stackFileText?: string): string {
  const log = toSarif(toCheckReport(report, stackFileText));
  const run = log.runs[0]!;
  const notifications: Notification[] = [];
  for (const c of report.checks.filter((x) => x.status === "could-not-check")) {
    notifications.push({
      level: "warning",
      message: { text: `${c.id} could not be checked: ${c.reason}` },
      descriptor: { id: c.policy },
    });
  }
  for (const w of report.warnings) notifications.push({ level: "note", message: { text: w } });
  const inv = run.invocations?.[0];
  if (inv) {
    inv.toolExecutionNotifications = [...(inv.toolExecutionNotifications ?? []), ...notifications];
    inv.commandLine = "vpconnect doctor";
  }
  run.properties = { ...(run.properties ?? {}), target: report.target.url, database: report.target.database };
  delete (run.properties as Record<string, unknown>).resources;
  return `${JSON.stringify(log, null, 2)}\n`;
}

export function renderDoctorJunit(report: DoctorReport): string {
  return renderJunit(toCheckReport(report))
    .replace(/(<testsuites[^>]*name=")vpconnect check /, "$1vpconnect doctor ")
    .replace(/(name="doctor-p\d-[a-z-]+): stack"/g, '$1"');
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
