/**
 * The console summary: what `pulumi up` would create (type, name, key settings), the stack outputs, then the
 * policy results and the verdict. Pure: returns text.
 */
import { checkedDetail, emulatedPolicy, keySettings, shortType, statusOf } from "./describe";
import { EMULATED_LABEL, emulatedNote, prerequisiteStatus, verdictLine } from "./model";
import type { CheckReport } from "./model";

export function renderTable(report: CheckReport): string {
  const out: string[] = [];
  out.push(`vpconnect check: stack ${report.stack} (${report.stackFile}), program ${report.program}`);
  if (report.emulator) {
    out.push(
      `${EMULATED_LABEL}: Vantagepoint is the bundled emulator at ${report.emulator.url} (database ${report.emulator.database}), not a real site.`,
    );
  }

  if (report.configIssues.length > 0) {
    out.push("", `${report.configIssues.length} problem${report.configIssues.length === 1 ? "" : "s"} in the stack config; nothing ran:`);
    for (const i of report.configIssues) out.push(`  ${i.file}: ${i.key}: ${i.message}`);
    out.push("", verdict(report));
    return out.join("\n") + "\n";
  }
  if (report.programError !== undefined) {
    out.push("", `The program failed: ${report.programError}`);
  }

  const custom = report.resources.filter((r) => r.type !== "pulumi:pulumi:Stack");
  out.push("", `Resources (${report.resources.length} to create, the stack included):`);
  out.push(
    ...columns(
      ["TYPE", "NAME", "SETTINGS"],
      custom.map((r) => [shortType(r.type), r.name, keySettings(r)]),
    ).map((l) => `  ${l}`),
  );

  const outputs = Object.entries(report.outputs);
  if (outputs.length > 0) {
    out.push("", "Outputs:");
    out.push(...columns(["NAME", "VALUE"], outputs.map(([k, v]) => [k, short(v)])).map((l) => `  ${l}`));
  }

  if (report.policies.length > 0) {
    out.push("", `Policies (${report.packs.map((p) => `${p.name}@${p.version}`).join(", ")}):`);
    let emulated = false;
    const below = new Set(prerequisiteStatus(report).filter((p) => p.status === "not checked").map((p) => p.id));
    const rows = report.policies.map((p) => {
      const blocking = report.violations.some((v) => v.pack === p.pack && v.policy === p.name && v.level === "mandatory");
      const status = statusOf(p, blocking);
      const mark = status !== "SKIP" && emulatedPolicy(report, p) ? "*" : "";
      if (mark) emulated = true;
      const detail = status === "SKIP" && p.prerequisite && below.has(p.prerequisite) ? "not checked (see below)" : checkedDetail(report, p);
      return [`${status}${mark}`, p.name, p.level, p.prerequisite ?? "-", detail];
    });
    out.push(...columns(["RESULT", "POLICY", "LEVEL", "PREREQ", "DETAIL"], rows).map((l) => `  ${l}`));
    if (emulated) out.push(`  * ${EMULATED_LABEL}: checked against the bundled emulator, not a real site`);
  }

  if (report.violations.length > 0) {
    out.push("", "Violations:");
    for (const v of report.violations) {
      const where = v.resourceName ? `${shortType(v.resourceType ?? "")} ${v.resourceName}` : "stack";
      out.push(`  [${v.level}] ${v.policy} (${where}): ${v.message}`);
    }
  }
  if (report.errors.length > 0) {
    out.push("", "Policy errors (the engine would stop the update):");
    for (const e of report.errors) out.push(`  ${e.policy}${e.urn ? ` on ${e.urn.split("::").pop()}` : ""}: ${e.message}`);
  }
  const notChecked = report.policies.length > 0 ? prerequisiteStatus(report).filter((p) => p.status === "not checked") : [];
  if (notChecked.length > 0) {
    out.push("", "Not checked (never a pass):");
    for (const p of notChecked) out.push(`  ${p.id} ${p.title}: ${p.reason}`, `     to check it: ${p.nextStep}`);
  }
  if (report.notes.length > 0) {
    out.push("", "Notes:");
    for (const n of report.notes) out.push(`  - ${n}`);
  }
  out.push("", verdict(report));
  return out.join("\n") + "\n";
}

/** The verdict line, and on an emulated run the sentence saying what it does not prove. */
function verdict(report: CheckReport): string {
  const note = emulatedNote(report);
  return note && report.configIssues.length === 0 ? `${verdictLine(report)}\n${note}.` : verdictLine(report);
}

function short(value: unknown): string {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text === undefined ? "" : text.length > 100 ? `${text.slice(0, 97)}...` : text;
}

/** Left-aligned columns; the last column is not padded. */
export function columns(header: string[], rows: string[][]): string[] {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.min(60, Math.max(...all.map((r) => (r[i] ?? "").length))));
  return all.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : (cell ?? "").padEnd(widths[i]!))).join("  ").trimEnd());
}
