/**
 * The fleet report: one row per site stack from `vpconnect check --all`, the aggregated verdict and exit code,
 * and its console table, JSON, Markdown, JUnit and SARIF forms (the dashboard is fleetHtml.ts). Pure: built
 * from the sites' CheckReports, or from why a site could not be checked.
 */
import builder from "junit-report-builder";
import { clean } from "./junit";
import { cell } from "./markdown";
import { EMULATED_LABEL, prerequisiteStatus, PREREQUISITES, verdictLine, verdictOf } from "./model";
import type { CheckReport, PrerequisiteStatus } from "./model";
import type { Run } from "sarif";
import { toSarif } from "./sarif";
import { columns } from "./table";

/** A secret with an end date that the site declares (Key Vault secret expiry, Entra app password end date). */
export interface FleetSecret {
  /** What it is, in the user's words: `login app password`, `Key Vault secret <name>`. */
  name: string;
  /** The end date, YYYY-MM-DD. */
  expiresOn: string;
  /** Whole days from the report's date to the end date (negative: expired). */
  daysLeft: number;
}

/** One site's row. */
export interface FleetSite {
  stack: string;
  stackFile: string;
  /** PASSED / FAILED / INVALID as for one stack; REFUSED when the check could not run at all. */
  verdict: "PASSED" | "FAILED" | "INVALID" | "REFUSED";
  exitCode: 0 | 1 | 2;
  /** The one-line verdict of the site's own report, or why it was refused. */
  line: string;
  /** Status per prerequisite P1..P8 (all "not checked" for a refused or invalid site). */
  prerequisites: Array<{ id: string; status: PrerequisiteStatus; reason?: string }>;
  mandatory: number;
  advisory: number;
  errors: number;
  secrets: FleetSecret[];
  emulated: boolean;
  durationMs: number;
}

/** The pack's reviewed copy of Connect's addresses, as far as the fleet run read it. */
export interface FleetIpCopy {
  copiedOn: string;
  ageDays: number;
  placeholder: boolean;
}

export interface FleetReport {
  tool: { name: string; version: string };
  /** When the run ended (ISO 8601). */
  generatedAt: string;
  ipCopy?: FleetIpCopy;
  sites: FleetSite[];
  summary: { sites: number; passed: number; failed: number; invalid: number; refused: number };
  /** 2 when any site is invalid or refused, else 1 when any failed, else 0. */
  exitCode: 0 | 1 | 2;
}

/** What a site run gave: its report, or the reason it could not be checked. */
export type SiteOutcome =
  | { stack: string; stackFile: string; report: CheckReport; durationMs: number }
  | { stack: string; stackFile: string; refused: string; durationMs: number };

const DAY_MS = 24 * 60 * 60 * 1000;

function daysBetween(from: Date, toIso: string): number {
  return Math.floor((Date.parse(toIso) - from.getTime()) / DAY_MS);
}

/** Secrets with an end date among a report's resources (Key Vault secrets, Entra application passwords). */
export function secretsOf(report: CheckReport, now: Date): FleetSecret[] {
  const found: FleetSecret[] = [];
  for (const r of report.resources) {
    const inputs = r.inputs as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    let expires: string | undefined;
    let name = r.name;
    if (r.type === "azure-native:keyvault:Secret" && typeof inputs.properties?.attributes?.expires === "number") {
      expires = new Date(inputs.properties.attributes.expires * 1000).toISOString();
      name = `Key Vault secret ${typeof inputs.secretName === "string" ? inputs.secretName : r.name}`;
    } else if (r.type === "azuread:index/applicationPassword:ApplicationPassword" && typeof inputs.endDate === "string") {
      expires = inputs.endDate;
      name = `Entra app password ${r.name}`;
    }
    if (expires === undefined || Number.isNaN(Date.parse(expires))) continue;
    found.push({ name, expiresOn: expires.slice(0, 10), daysLeft: daysBetween(now, expires) });
  }
  return found.sort((a, b) => a.daysLeft - b.daysLeft || (a.name < b.name ? -1 : 1));
}

function siteRow(outcome: SiteOutcome, now: Date): FleetSite {
  if ("refused" in outcome) {
    return {
      stack: outcome.stack,
      stackFile: outcome.stackFile,
      verdict: "REFUSED",
      exitCode: 2,
      line: outcome.refused,
      prerequisites: PREREQUISITES.map((p) => ({ id: p.id, status: "not checked" as const, reason: "the site could not be checked" })),
      mandatory: 0,
      advisory: 0,
      errors: 0,
      secrets: [],
      emulated: false,
      durationMs: outcome.durationMs,
    };
  }
  const r = outcome.report;
  return {
    stack: r.stack,
    stackFile: outcome.stackFile,
    verdict: verdictOf(r),
    exitCode: r.exitCode,
    line: verdictLine(r),
    prerequisites: prerequisiteStatus(r).map((p) => ({
      id: p.id,
      status: p.status,
      ...(p.reason !== undefined ? { reason: p.reason } : {}),
    })),
    mandatory: r.summary.mandatory,
    advisory: r.summary.advisory,
    errors: r.summary.errors,
    secrets: secretsOf(r, now),
    emulated: r.emulator !== undefined,
    durationMs: outcome.durationMs,
  };
}

/** The fleet report from every site's outcome, in the order given. */
export function buildFleetReport(
  outcomes: readonly SiteOutcome[],
  options: { tool: { name: string; version: string }; now?: Date; ipCopy?: { copiedOn: string; placeholder: boolean } },
): FleetReport {
  const now = options.now ?? new Date();
  const sites = outcomes.map((o) => siteRow(o, now));
  const count = (v: FleetSite["verdict"]) => sites.filter((s) => s.verdict === v).length;
  const summary = { sites: sites.length, passed: count("PASSED"), failed: count("FAILED"), invalid: count("INVALID"), refused: count("REFUSED") };
  const exitCode: 0 | 1 | 2 = summary.invalid + summary.refused > 0 ? 2 : summary.failed > 0 ? 1 : 0;
  return {
    tool: options.tool,
    generatedAt: now.toISOString(),
    ...(options.ipCopy
      ? { ipCopy: { ...options.ipCopy, ageDays: Math.max(0, Math.floor((now.getTime() - Date.parse(`${options.ipCopy.copiedOn}T00:00:00Z`)) / DAY_MS)) } }
      : {}),
    sites,
    summary,
    exitCode,
  };
}

/** The fleet's one-line verdict (the console's last line). */
export function fleetVerdictLine(report: FleetReport): string {
  const s = report.summary;
  const word = report.exitCode === 0 ? "PASSED" : report.exitCode === 1 ? "FAILED" : "NOT ALL CHECKED";
  const emulated = report.sites.some((x) => x.emulated) ? ` (${EMULATED_LABEL})` : "";
  return `FLEET ${word}${emulated}: ${s.sites} sites, ${s.passed} passed, ${s.failed} failed, ${s.invalid} invalid config, ${s.refused} refused. Exit ${report.exitCode}.`;
}

const SHORT: Record<PrerequisiteStatus, string> = { pass: "ok", fail: "FAIL", warn: "warn", "not checked": "-" };

/** The first secret to expire, as a short cell. */
function nextExpiry(site: FleetSite): string {
  const first = site.secrets[0];
  return first ? `${first.expiresOn} (${first.daysLeft} d)` : "none";
}

export function renderFleetTable(report: FleetReport): string {
  const header = ["site", "verdict", ...PREREQUISITES.map((p) => p.id), "mandatory", "advisory", "next secret expiry"];
  const rows = report.sites.map((s) => [
    s.stack,
    s.verdict,
    ...s.prerequisites.map((p) => SHORT[p.status]),
    String(s.mandatory),
    String(s.advisory),
    nextExpiry(s),
  ]);
  const lines = columns(header, rows);
  const why = report.sites.filter((s) => s.verdict === "REFUSED" || s.verdict === "INVALID").map((s) => `  ${s.stack}: ${s.line}`);
  const copy = report.ipCopy
    ? `Connect IP copy: copied on ${report.ipCopy.copiedOn} (${report.ipCopy.ageDays} days ago)${report.ipCopy.placeholder ? ", a PLACEHOLDER list" : ""}.`
    : "Connect IP copy: not read.";
  return [...lines, ...(why.length ? ["", "Not checked:", ...why] : []), "", copy, fleetVerdictLine(report), ""].join("\n");
}

export function renderFleetJson(report: FleetReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

export function renderFleetMarkdown(report: FleetReport): string {
  const header = ["Site", "Verdict", ...PREREQUISITES.map((p) => p.id), "Mandatory", "Advisory", "Next secret expiry"];
  const out = [
    `# vpconnect fleet check`,
    "",
    `**${cell(fleetVerdictLine(report))}**`,
    "",
    `| ${header.join(" | ")} |`,
    `| ${header.map(() => "---").join(" | ")} |`,
    ...report.sites.map(
      (s) =>
        `| ${[cell(s.stack), s.verdict, ...s.prerequisites.map((p) => SHORT[p.status]), String(s.mandatory), String(s.advisory), cell(nextExpiry(s))].join(" | ")} |`,
    ),
  ];
  const why = report.sites.filter((s) => s.exitCode !== 0);
  if (why.length) out.push("", "## Sites that did not pass", "", ...why.map((s) => `- **${cell(s.stack)}**: ${cell(s.line)}`));
  if (report.ipCopy)
    out.push("", `Connect IP copy: copied on ${report.ipCopy.copiedOn} (${report.ipCopy.ageDays} days ago)${report.ipCopy.placeholder ? ", a placeholder list" : ""}.`);
  return `${out.join("\n")}\n`;
}

/** JUnit: one test suite per site, one test case per prerequisite; a refused or invalid site fails its suite. */
export function renderFleetJunit(report: FleetReport): string {
  const root = builder.newBuilder().name("vpconnect check --all");
  for (const site of report.sites) {
    const suite = root.testSuite().name(clean(site.stack)).property("stackFile", clean(site.stackFile)).time(site.durationMs / 1000);
    if (site.verdict === "REFUSED" || site.verdict === "INVALID") {
      suite.testCase().className(clean(site.stack)).name("site checked").failure(clean(site.line), site.verdict.toLowerCase());
      continue;
    }
    for (const p of site.prerequisites) {
      const c = suite.testCase().className(clean(site.stack)).name(p.id);
      if (p.status === "fail") c.failure(clean(`${site.stack} ${p.id}: ${site.line}`), "mandatory");
      else if (p.status === "not checked") c.skipped().standardOutput(clean(p.reason ?? "not checked"));
    }
  }
  return root.build();
}

/**
 * SARIF: one run per site. Each checked site's run is exactly the one its own `<stack>.sarif` holds, with its
 * own `automationDetails.id` (`vpconnect-check/<stack>/`, `/emulated/` for demo data), so uploading the fleet
 * file and the per-site files updates the same code-scanning categories. A site that could not be checked gets
 * a run with no results, `executionSuccessful: false` and a notification saying why: never silently missing.
 */
export function renderFleetSarif(outcomes: readonly SiteOutcome[], tool: { name: string; version: string }): string {
  const runs = outcomes.flatMap((o): Run[] => {
    if ("report" in o) return toSarif(o.report).runs;
    return [
      {
        tool: { driver: { name: tool.name, version: tool.version, rules: [] } },
        invocations: [
          {
            executionSuccessful: false,
            exitCode: 2,
            toolExecutionNotifications: [{ level: "error", message: { text: `${o.stack} could not be checked: ${o.refused}` } }],
          },
        ],
        results: [],
        automationDetails: { id: `vpconnect-check/${o.stack}/` },
        properties: { stack: o.stack, stackFile: o.stackFile, refused: o.refused },
      },
    ];
  });
  return `${JSON.stringify({ $schema: "https://json.schemastore.org/sarif-2.1.0.json", version: "2.1.0", runs }, null, 2)}\n`;
}
