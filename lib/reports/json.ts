/**
 * The JSON report: `{"stack","resources":N,"policies":[{"name","level","prerequisite"}],"violations":[{"policy",
 * "level","urn","message","prerequisite"}]}` plus pack, summary and error detail. Pure.
 */
import type { CheckReport } from "./model";

export interface JsonReport {
  stack: string;
  project: string;
  stackFile: string;
  /** Number of resources `pulumi up` would create (the root stack included, as Pulumi counts). */
  resources: number;
  passed: boolean;
  exitCode: 0 | 1 | 2;
  summary: CheckReport["summary"];
  packs: CheckReport["packs"];
  policies: Array<{
    name: string;
    level: string;
    prerequisite: string | null;
    pack: string;
    kind: "resource" | "stack";
    description: string;
    results: CheckReport["policies"][number]["results"];
  }>;
  violations: Array<{
    policy: string;
    level: string;
    urn: string | null;
    message: string;
    prerequisite: string | null;
    pack: string;
    resourceType?: string;
    resourceName?: string;
  }>;
  errors: CheckReport["errors"];
  configIssues: CheckReport["configIssues"];
  programError?: string;
  notes: string[];
  tool: CheckReport["tool"];
}

export function toJsonReport(report: CheckReport): JsonReport {
  return {
    stack: report.stack,
    project: report.project,
    stackFile: report.stackFile,
    resources: report.resources.length,
    passed: report.summary.passed,
    exitCode: report.exitCode,
    summary: report.summary,
    packs: report.packs,
    policies: report.policies.map((p) => ({
      name: p.name,
      level: p.level,
      prerequisite: p.prerequisite,
      pack: p.pack,
      kind: p.kind,
      description: p.description,
      results: p.results,
    })),
    violations: report.violations.map((v) => ({
      policy: v.policy,
      level: v.level,
      urn: v.urn,
      message: v.message,
      prerequisite: v.prerequisite,
      pack: v.pack,
      ...(v.resourceType ? { resourceType: v.resourceType } : {}),
      ...(v.resourceName ? { resourceName: v.resourceName } : {}),
    })),
    errors: report.errors,
    configIssues: report.configIssues,
    ...(report.programError !== undefined ? { programError: report.programError } : {}),
    notes: report.notes,
    tool: report.tool,
  };
}

export function renderJson(report: CheckReport): string {
  return `${JSON.stringify(toJsonReport(report), null, 2)}\n`;
}
