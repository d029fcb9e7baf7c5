/**
 * A pull-request comment: verdict and counts, pass/fail per prerequisite (P1..P8, baseline), a table of
 * violations, and a Mermaid diagram of the topology built from the captured resources. Pure.
 */
import { shortType } from "./describe";
import { prerequisiteStatus } from "./model";
import type { CheckReport, PrerequisiteStatus } from "./model";
import { mermaid, topologyOf } from "./topology";

const ICON: Record<PrerequisiteStatus, string> = { pass: "✅ pass", fail: "❌ fail", warn: "⚠️ advisory", "not checked": "➖ not checked" };

/** Escapes text for a Markdown table cell (GitHub renders inline HTML, so < > & too). */
export function cell(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/\|/g, "\\|")
    .replace(/`/g, "'")
    .replace(/\r?\n/g, "<br>");
}

export function renderMarkdown(report: CheckReport): string {
  const s = report.summary;
  const out: string[] = [];
  const verdict = report.exitCode === 0 ? "✅ PASSED" : report.exitCode === 1 ? "❌ FAILED" : "⛔ INVALID";
  out.push(`## ${verdict}: vpconnect check on stack \`${cell(report.stack)}\``, "");
  out.push(
    `**${s.resources}** resources · **${s.policies}** policies · **${s.mandatory}** mandatory · **${s.advisory}** advisory · **${s.remediate}** to remediate · **${s.errors}** policy errors`,
    "",
  );
  if (report.packs.length > 0) out.push(`Packs: ${report.packs.map((p) => `\`${cell(p.name)}@${cell(p.version)}\``).join(", ")}. Stack file: \`${cell(report.stackFile)}\`.`, "");

  if (report.configIssues.length > 0) {
    out.push(`### Stack config problems (${report.configIssues.length}); nothing ran`, "", "| File | Key | Problem |", "|---|---|---|");
    for (const i of report.configIssues) out.push(`| ${cell(i.file)} | \`${cell(i.key)}\` | ${cell(i.message)} |`);
    out.push("");
    return out.join("\n");
  }
  if (report.programError !== undefined) out.push(`> **The program failed:** ${cell(report.programError)}`, "");

  out.push("### Prerequisites", "", "| | Prerequisite | Policies | Result |", "|---|---|---|---|");
  for (const p of prerequisiteStatus(report)) {
    out.push(`| ${p.id} | ${cell(p.title)} | ${p.policies.map((n) => `\`${cell(n)}\``).join(" ") || "-"} | ${ICON[p.status]} |`);
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
      const res = v.resourceName ? `${shortType(v.resourceType ?? "")} \`${cell(v.resourceName)}\`` : "stack";
      out.push(`| ${v.level} | \`${cell(v.policy)}\` | ${res} | ${cell(v.message)} |`);
    }
    out.push("");
  } else {
    out.push("No violations.", "");
  }
  if (report.errors.length > 0) {
    out.push(`### Policy errors (${report.errors.length})`, "", "| Policy | Resource | Error |", "|---|---|---|");
    for (const e of report.errors) out.push(`| \`${cell(e.policy)}\` | ${cell(e.urn?.split("::").pop() ?? "stack")} | ${cell(e.message)} |`);
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
