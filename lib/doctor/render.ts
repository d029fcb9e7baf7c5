/**
 * The doctor's report formats, each saying only what was verified on the live server: the verdict (exit 3 when
 * sign-in or a read failed, never a pass), could-not-check with why and what to run, and a run against a
 * Vantagepoint on this machine over http (the bundled emulator) labelled EMULATED. SARIF has its own tool
 * (`vpconnect-doctor`), one rule per prerequisite with help, results located at the stack file's key when there
 * is one and always at the record (a logical location), never at the API URL. JUnit has one test case per
 * prerequisite with its read time; broken is a failure listing every record with the message, a failed read an
 * error, anything else not checkable skipped with why. The look is check's (lib/reports). Pure.
 */
import { BASE_CSS, escapeHtml, htmlPage, htmlProse, htmlTable } from "../reports/html";
import { cell, code, prose } from "../reports/markdown";
import { EMULATED_LABEL } from "../reports/model";
import type { ReportFormat } from "../reports";
import { columns } from "../reports/table";
import { nextStepOf } from "./model";
import type { DoctorCheck, DoctorReport, DoctorStatus } from "./model";
import { renderDoctorJunit, renderDoctorSarif } from "./renderCi";
import { doctorVerdict, label, LABEL, rerunOf } from "./verdict";

export { toDoctorSarif, renderDoctorSarif, renderDoctorJunit } from "./renderCi";
export { DOCTOR_HELP, DOCTOR_PACK, DOCTOR_TOOL, doctorReportFile, doctorVerdict, rerunOf } from "./verdict";

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
