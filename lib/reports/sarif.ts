/**
 * SARIF 2.1.0 for code scanning (GitHub, Azure DevOps): one rule per policy, one result per violation,
 * located in the stack file at the config key the policy is about. Policy errors and a failed program are
 * tool execution notifications; stack config problems are results of the `vpconnect-config` rule. Pure.
 */
import { createHash } from "node:crypto";
import * as path from "node:path";
import type { Location, Log, Notification, ReportingDescriptor, Result } from "sarif";
import { configKeyFor } from "./configKeys";
import { findKeyLine } from "./locate";
import { emulatedPolicy } from "./describe";
import { EMULATED_LABEL, emulatedNote, verdictLine } from "./model";
import type { CheckReport, EnforcementLevel, ReportPolicy } from "./model";

const CONFIG_RULE = "vpconnect-config";

function levelOf(level: EnforcementLevel): Result.level {
  switch (level) {
    case "mandatory":
      return "error";
    case "advisory":
      return "warning";
    case "remediate":
      return "note";
    default:
      return "none";
  }
}

const SECURITY_SEVERITY: Record<string, string> = { critical: "9.0", high: "7.5", medium: "5.0", low: "3.0" };

/** A SARIF URI base for the repository root (GitHub code scanning resolves it to the checkout). */
export const SRCROOT = "%SRCROOT%";

/**
 * A cwd-relative file as a SARIF artifact location: a repository-relative, percent-encoded uri with uriBaseId
 * %SRCROOT% when the report knows where the repository root is (code scanning maps alerts to files by their
 * path from the root, so `stacks/x.yaml` run from `infra/` must become `infra/stacks/x.yaml`); anything with a
 * scheme (a URL) or outside the repository is left as it is.
 */
export function artifactUri(file: string, repoBase: string | undefined): { uri: string; uriBaseId?: string } {
  const slashed = file.split("\\").join("/");
  if (/^[a-z][a-z0-9+.-]*:/i.test(slashed) || slashed.startsWith("/") || repoBase === undefined) return { uri: slashed };
  const joined = path.posix.normalize(path.posix.join(repoBase, slashed));
  if (joined === ".." || joined.startsWith("../")) return { uri: slashed };
  // encodeURI throws on a lone surrogate (a name no file system hands out, but a report may carry one).
  const wellFormed = joined.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd");
  return { uri: encodeURI(wellFormed).replace(/[?#]/g, encodeURIComponent), uriBaseId: SRCROOT };
}

export function toSarif(report: CheckReport): Log {
  const stackArtifact = artifactUri(report.stackFile, report.repoBase);
  const text = report.stackFileText ?? "";
  const configLine = findLine(text, /^config:\s*$/m) ?? 1;
  const lineOf = (key: string | undefined) => (key && text ? findKeyLine(text, key) : undefined) ?? configLine;
  const location = (key: string | undefined, urn?: string | null): Location => ({
    physicalLocation: { artifactLocation: { ...stackArtifact, index: 0 }, region: { startLine: lineOf(key) } },
    ...(urn ? { logicalLocations: [{ fullyQualifiedName: urn, kind: "resource" }] } : {}),
  });

  // Rule ids are policy names; a name used by two packs gets its pack as a prefix.
  const counts = new Map<string, number>();
  for (const p of report.policies) counts.set(p.name, (counts.get(p.name) ?? 0) + 1);
  const ruleId = (pack: string, name: string) => ((counts.get(name) ?? 0) > 1 ? `${pack}/${name}` : name);

  const rules: ReportingDescriptor[] = report.policies.map((p) => ({
    id: ruleId(p.pack, p.name),
    name: p.name,
    shortDescription: { text: firstSentence(p.description) },
    fullDescription: { text: p.description },
    help: ruleHelp(p),
    defaultConfiguration: p.level === "disabled" ? { enabled: false, level: "none" } : { level: levelOf(p.level) },
    properties: {
      tags: [p.pack, ...(p.prerequisite ? [p.prerequisite] : []), "policy-as-code"],
      pack: p.pack,
      enforcementLevel: p.level,
      prerequisite: p.prerequisite,
      ...(p.severity && SECURITY_SEVERITY[p.severity] ? { "security-severity": SECURITY_SEVERITY[p.severity] } : {}),
    },
  }));
  if (report.configIssues.length > 0) {
    rules.push({
      id: CONFIG_RULE,
      name: "stack-config",
      shortDescription: { text: "The stack config is valid." },
      fullDescription: { text: "Every vpconnect:* key in the stack file passes the config schema; nothing runs until it does." },
      defaultConfiguration: { level: "error" },
      properties: { tags: ["config"] },
    });
  }
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));

  const results: Result[] = report.violations.map((v) => {
    const policy = report.policies.find((p) => p.pack === v.pack && p.name === v.policy);
    const id = ruleId(v.pack, v.policy);
    const where = v.resourceName ? ` (${v.resourceType} '${v.resourceName}')` : "";
    const emulated = policy && emulatedPolicy(report, policy) ? `[${EMULATED_LABEL}] ` : "";
    return {
      ruleId: id,
      ruleIndex: ruleIndex.get(id) ?? 0,
      level: levelOf(v.level),
      message: { text: `${emulated}${v.message}${where}` },
      locations: [location(configKeyFor(policy), v.urn)],
      partialFingerprints: { "vpconnectViolation/v1": fingerprint(v.pack, v.policy, v.urn ?? "", v.message) },
      properties: { pack: v.pack, enforcementLevel: v.level, prerequisite: v.prerequisite, ...(v.urn ? { urn: v.urn } : {}) },
    };
  });
  for (const issue of report.configIssues) {
    results.push({
      ruleId: CONFIG_RULE,
      ruleIndex: ruleIndex.get(CONFIG_RULE) ?? 0,
      level: "error",
      message: { text: `${issue.key}: ${issue.message}` },
      locations: [
        {
          physicalLocation: {
            artifactLocation: artifactUri(issue.file, report.repoBase),
            region: { startLine: issue.file === report.stackFile ? lineOf(issue.key) : 1 },
          },
        },
      ],
      partialFingerprints: { "vpconnectViolation/v1": fingerprint("config", issue.key, "", issue.message) },
    });
  }

  const notifications: Notification[] = report.errors.map((e) => ({
    level: "error",
    message: { text: `policy ${e.policy} (${e.pack}) failed${e.urn ? ` on ${e.urn}` : ""}: ${e.message}` },
    descriptor: { id: ruleId(e.pack, e.policy) },
  }));
  if (report.programError !== undefined) {
    notifications.push({ level: "error", message: { text: `the Pulumi program failed: ${report.programError}` } });
  }
  if (report.emulator) {
    notifications.unshift({ level: "warning", message: { text: `${EMULATED_LABEL}: ${emulatedNote(report)}.` } });
  }
  for (const note of report.notes) notifications.push({ level: "note", message: { text: note } });

  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: report.tool.name,
            version: report.tool.version,
            rules,
          },
        },
        invocations: [
          {
            executionSuccessful: report.errors.length === 0 && report.programError === undefined,
            exitCode: report.exitCode,
            toolExecutionNotifications: notifications,
          },
        ],
        artifacts: [{ location: stackArtifact }],
        columnKind: "utf16CodeUnits",
        results,
        // An emulated run gets its own category, so uploading it never closes a real site's alerts.
        automationDetails: { id: `vpconnect-check/${report.stack}${report.emulator ? "/emulated" : ""}/` },
        properties: {
          stack: report.stack,
          project: report.project,
          resources: report.resources.length,
          verdict: verdictLine(report),
          emulated: report.emulator !== undefined,
        },
      },
    ],
  };
}

export function renderSarif(report: CheckReport): string {
  return `${JSON.stringify(toSarif(report), null, 2)}\n`;
}

/** A rule's help: the policy's remediation steps, else its description and the stack-config key to change. */
function ruleHelp(p: ReportPolicy): { text: string; markdown: string } {
  const key = configKeyFor(p);
  const text = p.remediationSteps ?? `${p.description}${key ? ` Fix it in ${key} of the stack file.` : ""}`;
  const markdown = p.remediationSteps
    ? p.remediationSteps
    : `${p.description}${key ? ` Fix it in \`${key}\` of the stack file, then run \`vpconnect check\` again.` : ""}`;
  return { text, markdown };
}

function fingerprint(...parts: string[]): string {
  return createHash("sha256").update(parts.join("\u0000")).digest("hex").slice(0, 32);
}

function firstSentence(text: string): string {
  const m = /^(.*?[.!?])(\s|$)/.exec(text);
  return m ? m[1]! : text;
}

function findLine(text: string, pattern: RegExp): number | undefined {
  const m = pattern.exec(text);
  return m ? text.slice(0, m.index).split("\n").length : undefined;
}
