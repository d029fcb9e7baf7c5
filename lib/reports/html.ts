/**
 * One self-contained HTML file for auditors: inline CSS, no scripts, no external fetches, every value
 * escaped. Shows the verdict, pass/fail per prerequisite, violations, the policies evaluated, the topology
 * and the resources. Pure.
 */
import { checkedDetail, emulatedPolicy, keySettings, shortType, statusOf } from "./describe";
import { EMULATED_LABEL, emulatedNote, prerequisiteStatus, verdictLine, verdictOf } from "./model";
import type { CheckReport, PrerequisiteResult } from "./model";
import { topologyOf } from "./topology";

export function escapeHtml(text: unknown): string {
  return String(text ?? "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** The look every HTML report shares (check's and the doctor's): page, headings, tables, badges. */
export const BASE_CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;max-width:1100px;padding:0 1rem;color:#1f2328}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #d0d7de;padding-bottom:.3rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid #d0d7de;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}code{font-family:ui-monospace,Consolas,monospace;font-size:.9em;word-break:break-all}
.badge{display:inline-block;padding:.1rem .5rem;border-radius:1rem;font-weight:600;font-size:.85em;white-space:nowrap}
code.name{word-break:normal;overflow-wrap:normal;white-space:nowrap}
.pass{background:#dafbe1;color:#116329}.fail{background:#ffebe9;color:#a40e26}.warn{background:#fff8c5;color:#7d4e00}.skip{background:#eaeef2;color:#57606a}
`;

const CSS = `${BASE_CSS}.verdict{font-size:1.1rem;padding:.6rem 1rem;border-radius:.4rem;margin:1rem 0}
.flow{display:flex;flex-wrap:wrap;align-items:center;gap:.4rem}.box{border:1px solid #8c959f;border-radius:.4rem;padding:.4rem .6rem;background:#f6f8fa}
.arrow{color:#57606a}.meta{color:#57606a}
@media print{.verdict{border:1px solid #000}}
`;

/** Prose that may hold `code` spans, escaped, each span as <code>. */
export function htmlProse(text: string): string {
  return text
    .split(/`([^`]*)`/)
    .map((part, i) => (i % 2 === 1 ? `<code>${escapeHtml(part)}</code>` : escapeHtml(part)))
    .join("");
}

/** A prerequisite's result cell: badge, emulated label, or why not checked and what to run. */
function prerequisiteResult(p: PrerequisiteResult): string {
  if (p.status === "not checked")
    return `${badge(p.status)}<br>${htmlProse(p.reason ?? "")}<br><strong>To check it:</strong> ${htmlProse(p.nextStep ?? "")}`;
  return `${badge(p.status)}${p.emulated ? ` <span class="badge warn">${escapeHtml(EMULATED_LABEL)}</span>` : ""}`;
}

const STATUS_CLASS: Record<string, string> = { pass: "pass", fail: "fail", warn: "warn", "not checked": "skip", PASS: "pass", FAIL: "fail", WARN: "warn", ERROR: "fail", SKIP: "skip" };

export function renderHtml(report: CheckReport): string {
  const e = escapeHtml;
  const s = report.summary;
  const label = report.emulator ? ` (${EMULATED_LABEL})` : "";
  const verdict = `${verdictOf(report)}${label}`;
  // Green only for a pass of everything: an emulated run, or a prerequisite not checked, is amber.
  const unchecked = report.exitCode === 0 && prerequisiteStatus(report).some((p) => p.status === "not checked");
  const verdictClass = report.exitCode !== 0 ? "fail" : report.emulator || unchecked ? "warn" : "pass";
  const body: string[] = [];
  body.push(`<h1>Vantagepoint Connect readiness: stack ${e(report.stack)}${e(label)}</h1>`);
  body.push(
    `<p class="meta">Project ${e(report.project)} · stack file <code>${e(report.stackFile)}</code> · program <code>${e(report.program)}</code> · ${e(report.tool.name)} ${e(report.tool.version)} · evaluated offline (no cloud calls)${report.emulator ? ` · Vantagepoint: the bundled emulator at <code>${e(report.emulator.url)}</code>` : ""}</p>`,
  );
  if (report.emulator) {
    body.push(
      `<div class="verdict warn"><strong>${e(EMULATED_LABEL)}.</strong> Vantagepoint was the bundled emulator (database <code>${e(report.emulator.database)}</code>), not a real site. ${htmlProse(emulatedNote(report))}.</div>`,
    );
  }
  body.push(
    `<div class="verdict ${verdictClass}"><strong>${e(verdict)}</strong>: ${e(verdictLine(report).replace(/^[A-Z ]+(\([^)]*\))?: /, ""))}<br><span class="meta">${s.resources} resources, ${s.policies} policies, ${s.mandatory} mandatory violations, ${s.advisory} advisory${s.remediate ? `, ${s.remediate} to remediate (pulumi up would fix them; reported only)` : ""}, ${s.errors} policy errors.</span></div>`,
  );
  if (report.packs.length > 0) {
    body.push(`<p>Policy packs: ${report.packs.map((p) => `<code>${e(p.name)}@${e(p.version)}</code> (${e(p.dir)}${p.configFile ? `, config ${e(p.configFile)}` : ""})`).join(", ")}</p>`);
  }

  if (report.configIssues.length > 0) {
    body.push(`<h2>Stack config problems</h2><p>Nothing was evaluated until these are fixed.</p>`);
    body.push(htmlTable(["File", "Key", "Problem"], report.configIssues.map((i) => [e(i.file), `<code>${e(i.key)}</code>`, e(i.message)])));
  } else {
    if (report.programError !== undefined) body.push(`<h2>Program failure</h2><p class="fail">${e(report.programError)}</p>`);
    body.push(`<h2>Prerequisites</h2>`);
    body.push(
      htmlTable(
        ["", "Prerequisite", "Policies", "Violations", "Result"],
        [
          ...prerequisiteStatus(report).map((p) => [
            e(p.id),
            e(p.title),
            p.policies.map((n) => `<code class="name">${e(n)}</code>`).join(" ") || "-",
            String(p.violations),
            prerequisiteResult(p),
          ]),
          // Other packs' policies (no prerequisite), as the Markdown overview has them: their failures fail the gate.
          ...otherPacksRow(report),
        ],
      ),
    );

    body.push(`<h2>Violations (${report.violations.length})</h2>`);
    body.push(
      report.violations.length === 0
        ? "<p>None.</p>"
        : htmlTable(
            ["Level", "Policy", "Resource", "Message"],
            report.violations.map((v) => [
              badge(v.level === "mandatory" ? "fail" : "warn", v.level),
              `<code class="name">${e(v.policy)}</code><br><span class="meta">${e(v.pack)}</span>`,
              v.urn ? `${e(shortType(v.resourceType ?? ""))} <code>${e(v.resourceName)}</code><br><span class="meta"><code>${e(v.urn)}</code></span>` : "stack",
              e(v.message),
            ]),
          ),
    );
    if (report.errors.length > 0) {
      body.push(`<h2>Policy errors (${report.errors.length})</h2><p>A policy that throws stops <code>pulumi up</code>; the gate fails.</p>`);
      body.push(htmlTable(["Policy", "Resource", "Error"], report.errors.map((x) => [`<code class="name">${e(x.policy)}</code>`, `<code>${e(x.urn ?? "stack")}</code>`, e(x.message)])));
    }

    body.push(`<h2>Policies evaluated (${report.policies.length})</h2>`);
    body.push(
      htmlTable(
        ["Result", "Policy", "Pack", "Level", "Prereq.", "Checked", "Description"],
        report.policies.map((p) => {
          const blocking = report.violations.some((v) => v.pack === p.pack && v.policy === p.name && v.level === "mandatory");
          const status = statusOf(p, blocking);
          const emulated = status !== "SKIP" && emulatedPolicy(report, p);
          return [
            badge(status) + (emulated ? ` <span class="badge warn">${e(EMULATED_LABEL)}</span>` : ""),
            `<code class="name">${e(p.name)}</code>`,
            e(p.pack),
            e(p.level),
            e(p.prerequisite ?? "-"),
            e(checkedDetail(report, p)),
            e(p.description),
          ];
        }),
      ),
    );

    const t = topologyOf(report);
    const boxes: string[] = ["Internet / Connect"];
    if (t.nsg) boxes.push(`NSG ${t.nsg.name}: ${t.nsg.allowedSources} allowed sources`);
    if (t.waf) boxes.push(`WAF ${t.waf.mode}: ${t.waf.ranges} allowed ranges`);
    if (t.gateway) boxes.push(`Application Gateway ${t.gateway.tier} (${t.gateway.listeners.join("/")})${t.publicUrl ? ` ${t.publicUrl}` : ""}`);
    boxes.push(`Vantagepoint${t.backend.length ? ` ${t.backend.join(", ")}` : ""}`);
    body.push(`<h2>Topology</h2><div class="flow">${boxes.map((b) => `<span class="box">${e(b)}</span>`).join('<span class="arrow">→</span>')}</div>`);
    const extra: string[] = [];
    if (t.entraApps.length) extra.push(`Entra apps: ${t.entraApps.join(", ")}`);
    if (t.keyVault) extra.push(`Key Vault: ${t.keyVault}`);
    if (t.roster) extra.push(`Roster: ${t.roster.people} people${t.roster.linked !== undefined ? `, ${t.roster.linked} linked` : ""}${t.roster.configurer ? `, configurer ${t.roster.configurer}` : ""}`);
    if (t.adminRole) extra.push(`Connect admin role: ${t.adminRole}`);
    if (t.apiClient) extra.push(`Connect API client: ${t.apiClient.name}${t.apiClient.protect ? " (protected)" : ""}`);
    if (extra.length) body.push(`<ul>${extra.map((x) => `<li>${e(x)}</li>`).join("")}</ul>`);

    body.push(`<h2>Resources (${report.resources.length})</h2>`);
    body.push(
      htmlTable(
        ["Type", "Name", "Settings", "Options"],
        report.resources.map((r) => [
          `<code>${e(r.type)}</code>`,
          e(r.name),
          e(keySettings(r)),
          e([r.protect ? "protect" : "", r.retainOnDelete ? "retainOnDelete" : "", r.secretPaths.length ? `secrets: ${r.secretPaths.join(", ")}` : ""].filter(Boolean).join("; ")),
        ]),
      ),
    );
  }
  if (report.notes.length > 0) body.push(`<h2>Notes</h2><ul>${report.notes.map((n) => `<li>${e(n)}</li>`).join("")}</ul>`);

  return htmlPage(`vpconnect check: ${e(report.stack)} ${e(verdict)}`, CSS, body);
}

/** A self-contained page: strict CSP (no scripts, no fetches), inline CSS; `title` and `body` are already-escaped HTML. */
export function htmlPage(title: string, css: string, body: readonly string[]): string {
  return [
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    `<title>${title}</title>`,
    `<style>${css}</style>`,
    "</head>",
    "<body>",
    ...body,
    "</body>",
    "</html>",
    "",
  ].join("\n");
}

export function badge(status: string, text = status): string {
  return `<span class="badge ${STATUS_CLASS[status] ?? "skip"}">${escapeHtml(text)}</span>`;
}

/** A table; cells are already-escaped HTML. */
export function htmlTable(header: string[], rows: string[][]): string {
  return `<table><thead><tr>${header.map((h) => `<th>${escapeHtml(h)}</th>`).join("")}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join("")}</tr>`)
    .join("")}</tbody></table>`;
}

/** The overview row for other packs' policies (those without a prerequisite), or none. */
function otherPacksRow(report: CheckReport): string[][] {
  const other = report.policies.filter((p) => p.prerequisite === null);
  if (other.length === 0) return [];
  const failing = other.filter((p) =>
    report.violations.some((v) => v.policy === p.name && v.pack === p.pack && v.level === "mandatory"),
  );
  const violations = report.violations.filter((v) => other.some((p) => p.name === v.policy && p.pack === v.pack));
  return [
    [
      "-",
      escapeHtml("Other packs' policies"),
      other.map((p) => `<code class="name">${escapeHtml(p.name)}</code>`).join(" "),
      String(violations.length),
      failing.length > 0 ? badge("fail", `${failing.length} failing`) : badge("pass"),
    ],
  ];
}
