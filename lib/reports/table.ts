/**
 * The console summary: what `pulumi up` would create (type, name, key settings), the stack outputs, then the
 * policy results and the verdict. Pure: returns text.
 */
import { keySettings, shortType, statusOf } from "./describe";
import type { CheckReport } from "./model";

export function renderTable(report: CheckReport): string {
  const out: string[] = [];
  out.push(`vpconnect check: stack ${report.stack} (${report.stackFile}), program ${report.program}`);

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
    const rows = report.policies.map((p) => {
      const blocking = report.violations.some((v) => v.pack === p.pack && v.policy === p.name && v.level === "mandatory");
      return [statusOf(p, blocking), p.name, p.level, p.prerequisite ?? "-", `${p.results.evaluated} checked, ${p.results.violations} violations`];
    });
    out.push(...columns(["RESULT", "POLICY", "LEVEL", "PREREQ", "DETAIL"], rows).map((l) => `  ${l}`));
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
  if (report.notes.length > 0) {
    out.push("", "Notes:");
    for (const n of report.notes) out.push(`  - ${n}`);
  }
  out.push("", verdict(report));
  return out.join("\n") + "\n";
}

function verdict(report: CheckReport): string {
  const s = report.summary;
  switch (report.exitCode) {
    case 0:
      return `PASSED: no mandatory violation (${s.advisory} advisory, ${s.remediate} to remediate). Exit 0.`;
    case 1:
      return `FAILED: ${s.mandatory} mandatory violation${s.mandatory === 1 ? "" : "s"}${s.errors ? `, ${s.errors} policy error${s.errors === 1 ? "" : "s"}` : ""} (${s.advisory} advisory). Exit 1.`;
    default:
      return report.configIssues.length > 0 ? "INVALID CONFIG: fix the problems above. Exit 2." : "PROGRAM FAILED: see above. Exit 2.";
  }
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
