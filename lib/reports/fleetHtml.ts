/**
 * The fleet dashboard: one self-contained HTML page (inline CSS, no scripts, strict CSP), a site per row with
 * its verdict, P1..P8, violations, why anything was not checked, the secrets' end dates, and the age of the
 * Connect IP copy. Worst sites first, so a person sees what needs them at the top. Pure.
 */
import type { FleetReport, FleetSite } from "./fleet";
import { fleetVerdictLine } from "./fleet";
import { badge, BASE_CSS, escapeHtml, htmlPage, htmlTable } from "./html";
import { EMULATED_LABEL, PREREQUISITES } from "./model";

const CSS = `${BASE_CSS}body{max-width:none}.verdict{font-size:1.1rem;padding:.6rem 1rem;border-radius:.4rem;margin:1rem 0}
.meta{color:#57606a}td.num{text-align:right}ul.why{margin:.2rem 0;padding-left:1.1rem}
#sites td,#sites th{white-space:nowrap}#sites code{word-break:normal}h3{font-size:1rem;margin:1.2rem 0 .3rem}
`;

/** Days before an end date that make a secret amber (Key Vault's SecretNearExpiry fires 30 days before). */
export const SECRET_WARN_DAYS = 30;

const VERDICT_CLASS: Record<FleetSite["verdict"], string> = { PASSED: "pass", FAILED: "fail", INVALID: "fail", REFUSED: "fail" };
const SEVERITY: Record<FleetSite["verdict"], number> = { REFUSED: 0, INVALID: 1, FAILED: 2, PASSED: 3 };

/** Sites worst first (refused, invalid, failed, passed), then by name: a stable order a person can scan. */
export function dashboardOrder(sites: readonly FleetSite[]): FleetSite[] {
  return [...sites].sort((a, b) => SEVERITY[a.verdict] - SEVERITY[b.verdict] || (a.stack < b.stack ? -1 : a.stack > b.stack ? 1 : 0));
}

function verdictCell(site: FleetSite): string {
  // A passed site that left a prerequisite unchecked, or ran on demo data, is amber, never green.
  const unchecked = site.prerequisites.some((p) => p.status === "not checked");
  const cls = site.verdict === "PASSED" && (unchecked || site.emulated) ? "warn" : VERDICT_CLASS[site.verdict];
  return `<span class="badge ${cls}" data-verdict="${site.verdict}">${escapeHtml(site.verdict)}</span>${site.emulated ? ` <span class="badge warn">${escapeHtml(EMULATED_LABEL)}</span>` : ""}`;
}

function expiryBadge(s: FleetSite["secrets"][number]): string {
  const cls = s.daysLeft < 0 ? "fail" : s.daysLeft <= SECRET_WARN_DAYS ? "warn" : "pass";
  const when = s.daysLeft < 0 ? `expired ${-s.daysLeft} d ago` : `${s.daysLeft} d left`;
  return `<span class="badge ${cls}">${escapeHtml(s.expiresOn)} (${escapeHtml(when)})</span>`;
}

/** The first secret to expire (the table cell); every secret is listed in the site's details. */
function nextExpiryCell(site: FleetSite): string {
  const first = site.secrets[0];
  return first ? expiryBadge(first) : '<span class="meta">none declared</span>';
}

/** A site's details under the table: its verdict line, what was not checked and why, every secret's end date. */
function siteDetails(site: FleetSite): string {
  const e = escapeHtml;
  const items = [`<li>${e(site.line)}</li>`];
  // A refused site: its one reason says it all (nothing of it was checked).
  for (const p of site.verdict === "REFUSED" ? [] : site.prerequisites)
    if (p.status === "not checked" && p.reason) items.push(`<li>${e(p.id)} not checked: ${e(p.reason)}</li>`);
  for (const s of site.secrets) items.push(`<li>${e(s.name)}: ${expiryBadge(s)}</li>`);
  return `<h3 id="site-${e(site.stack)}">${e(site.stack)} <span class="meta">(${e(site.stackFile)})</span></h3><ul class="why">${[...new Set(items)].join("")}</ul>`;
}


export function renderFleetHtml(report: FleetReport): string {
  const e = escapeHtml;
  const s = report.summary;
  const cls = report.exitCode === 0 ? (report.sites.some((x) => x.emulated || x.prerequisites.some((p) => p.status === "not checked")) ? "warn" : "pass") : "fail";
  const rows = dashboardOrder(report.sites).map((site) => [
    `<a href="#site-${e(site.stack)}"><strong>${e(site.stack)}</strong></a>`,
    verdictCell(site),
    ...PREREQUISITES.map((p) => {
      const st = site.prerequisites.find((x) => x.id === p.id)?.status ?? "not checked";
      return badge(st, st === "not checked" ? "not checked" : st);
    }),
    String(site.mandatory),
    String(site.advisory),
    nextExpiryCell(site),
  ]);
  const copy = report.ipCopy
    ? `Connect IP copy: copied on <strong>${e(report.ipCopy.copiedOn)}</strong>, ${report.ipCopy.ageDays} days ago${report.ipCopy.placeholder ? ' <span class="badge warn">PLACEHOLDER list</span>' : ""}${report.ipCopy.ageDays > 180 ? ' <span class="badge fail">older than 180 days</span>' : ""}`
    : "Connect IP copy: not read";
  const body = [
    `<h1>Vantagepoint Connect: fleet dashboard</h1>`,
    `<p class="meta">${e(report.tool.name)} ${e(report.tool.version)}, ${e(report.generatedAt)}. ${s.sites} sites.</p>`,
    `<div class="verdict ${cls}" id="fleet-verdict"><strong>${e(fleetVerdictLine(report))}</strong></div>`,
    `<p id="ip-copy">${copy}</p>`,
    `<h2>Sites</h2>`,
    htmlTable(["Site", "Verdict", ...PREREQUISITES.map((p) => p.id), "Mandatory", "Advisory", "Next secret expiry"], rows).replace(
      "<table>",
      '<table id="sites">',
    ),
    `<h2>Per site: what was not checked, and every secret's end date</h2>`,
    ...dashboardOrder(report.sites).map(siteDetails),
    `<h2>Prerequisites</h2>`,
    htmlTable(
      ["Id", "What"],
      PREREQUISITES.map((p) => [e(p.id), e(p.title)]),
    ),
  ];
  return htmlPage(`vpconnect fleet: ${e(fleetVerdictLine(report))}`, CSS, body);
}
