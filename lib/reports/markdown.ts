/**
 * A pull-request comment: verdict and counts, pass/fail per prerequisite (P1..P8, baseline), a table of
 * violations, and a Mermaid diagram of the topology built from the captured resources. Pure.
 */
import { shortType } from "./describe";
import { EMULATED_LABEL, emulatedNote, prerequisiteStatus, verdictLine, verdictOf } from "./model";
import type { CheckReport, PrerequisiteResult, PrerequisiteStatus } from "./model";
import { mermaid, topologyOf } from "./topology";

const ICON: Record<PrerequisiteStatus, string> = { pass: "✅ pass", fail: "❌ fail", warn: "⚠️ advisory", "not checked": "➖ not checked" };

/**
 * Escapes text for a Markdown table cell or line (GitHub renders inline HTML, so < > & too): `|` cannot end
 * the cell, a newline cannot end the row, `[` `]` cannot make a link or image, a backtick cannot open a code
 * span, and control characters go.
 */
export function cell(text: string): string {
  return text
    .replace(/\\/g, "\\\\")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/\|/g, "\\|")
    .replace(/[[\]]/g, (c) => `\\${c}`)
    .replace(/`/g, "&#96;")
    .replace(/\r?\n|\r/g, "<br>")
    .replace(/[\u0000-\u001f\u007f]/g, " ");
}

/**
 * Text in code font. Plain text becomes a code span (`name`; in a table cell, `table`, the default, `|` is
 * escaped, which GitHub removes again before showing the span). Text a code span would show wrongly or that
 * could end it (HTML, `&`, backticks, control characters, newlines) becomes `<code>` with the text escaped as
 * `cell` escapes it, newlines and control characters as spaces: GitHub shows it as typed, nothing is live.
 */
export function code(text: string, table = true): string {
  if (text !== "" && !/[<>&`\u0000-\u001f\u007f]/.test(text)) return `\`${table ? text.replace(/\|/g, "\\|") : text}\``;
  return `<code>${cell(text.replace(/[\u0000-\u001f\u007f]/g, " "))}</code>`;
}

/**
 * Prose that may hold `code` spans (the next steps: "run `vpconnect doctor --stack dev` ..."): text escaped as
 * `cell` escapes it, each span through `code`.
 */
export function prose(text: string, table = true): string {
  return text
    .split(/`([^`]*)`/)
    .map((part, i) => (i % 2 === 1 ? code(part, table) : cell(part)))
    .join("");
}

/** A prerequisite's result cell: the status, emulated label, or why not checked and what to run. */
export function prerequisiteCell(p: PrerequisiteResult): string {
  if (p.status === "not checked") return `${ICON[p.status]}: ${prose(p.reason ?? "")} **To check it:** ${prose(p.nextStep ?? "")}`;
  return `${ICON[p.status]}${p.emulated ? ` (${EMULATED_LABEL})` : ""}`;
}

export function renderMarkdown(report: CheckReport): string {
  const s = report.summary;
  const out: string[] = [];
  const word = verdictOf(report);
  // A tick only for a pass of everything: an emulated run, or a prerequisite not checked, gets a warning sign.
  const unchecked = word === "PASSED" && prerequisiteStatus(report).some((p) => p.status === "not checked");
  const icon = word === "FAILED" ? "❌" : word === "INVALID" ? "⛔" : report.emulator || unchecked ? "⚠️" : "✅";
  out.push(`## ${icon} ${word}${report.emulator ? ` (${EMULATED_LABEL})` : ""}: vpconnect check on stack ${code(report.stack, false)}`, "");
  if (report.emulator) {
    out.push(
      `> **${EMULATED_LABEL}.** Vantagepoint was the bundled emulator at ${code(report.emulator.url, false)} (database ${code(report.emulator.database, false)}). ${prose(emulatedNote(report), false)}.`,
      "",
    );
  }
  out.push(`**${cell(verdictLine(report))}**`, "");
  out.push(
    `**${s.resources}** resources · **${s.policies}** policies · **${s.mandatory}** mandatory · **${s.advisory}** advisory${s.remediate ? ` · **${s.remediate}** to remediate (pulumi up would fix them; reported only)` : ""} · **${s.errors}** policy errors`,
    "",
  );
  if (report.packs.length > 0) out.push(`Packs: ${report.packs.map((p) => code(`${p.name}@${p.version}`, false)).join(", ")}. Stack file: ${code(report.stackFile, false)}.`, "");

  if (report.configIssues.length > 0) {
    out.push(`### Stack config problems (${report.configIssues.length}); nothing ran`, "", "| File | Key | Problem |", "|---|---|---|");
    for (const i of report.configIssues) out.push(`| ${cell(i.file)} | ${code(i.key)} | ${cell(i.message)} |`);
    out.push("");
    return out.join("\n");
  }
  if (report.programError !== undefined) out.push(`> **The program failed:** ${cell(report.programError)}`, "");

  out.push("### Prerequisites", "", "| | Prerequisite | Policies | Result |", "|---|---|---|---|");
  for (const p of prerequisiteStatus(report)) {
    out.push(`| ${p.id} | ${cell(p.title)} | ${p.policies.map((n) => code(n)).join(" ") || "-"} | ${prerequisiteCell(p)} |`);
  }
  const other = report.policies.filter((p) => p.prerequisite === null);
  if (other.length > 0) {
    const failed = other.filter((p) => report.violations.some((v) => v.policy === p.name && v.pack === p.pack && v.level === "mandatory"));
    out.push(`| - | Other packs' policies | ${other.length} | ${failed.length ? `❌ ${failed.length} failing` : "✅ pass"} |`);
  }
  out.push("");

  if (report.violations.length > 0) {
    out.push(`### Violations (${report.violations.length})`, "", "| Level | Policy | Resource | Message |", "|---|---|---|---|");
    for (const v of report.violations) {
      const res = v.resourceName ? `${cell(shortType(v.resourceType ?? ""))} ${code(v.resourceName)}` : "stack";
      out.push(`| ${v.level} | ${code(v.policy)} | ${res} | ${cell(v.message)} |`);
    }
    out.push("");
  } else {
    out.push("No violations.", "");
  }
  if (report.errors.length > 0) {
    out.push(`### Policy errors (${report.errors.length})`, "", "| Policy | Resource | Error |", "|---|---|---|");
    for (const e of report.errors) out.push(`| ${code(e.policy)} | ${cell(e.urn?.split("::").pop() ?? "stack")} | ${cell(e.message)} |`);
    out.push("");
  }

  out.push("### Topology", "", "```mermaid", mermaid(topologyOf(report)), "```", "");
  if (report.notes.length > 0) {
    out.push("<details><summary>Notes</summary>", "");
    for (const n of report.notes) out.push(`- ${cell(n)}`);
    out.push("", "</details>", "");
  }
  out.push(`<sub>${cell(report.tool.name)} ${cell(report.tool.version)}, offline evaluation of ${cell(report.program)}</sub>`, "");
  return out.join("\n");
}
