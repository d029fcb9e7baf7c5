/**
 * The JSON report, for reviewers and other tools: the verdict, what came from where (`source`: the bundled
 * emulator or nothing live), the result per prerequisite, every policy with the resources it applies to and
 * its time, every violation, and every resource `pulumi up` would create with its type, name, URN, parent,
 * dependencies, options and inputs (secrets masked as "[secret]"). Pure.
 */
import { EMULATED_LABEL, emulatedNote, prerequisiteStatus, verdictLine } from "./model";
import type { CheckReport, PrerequisiteResult } from "./model";

export interface JsonResource {
  type: string;
  name: string;
  urn: string;
  /** The parent's URN, "" at the stack root. */
  parent: string;
  dependencies: string[];
  /** false for component resources. */
  custom: boolean;
  /** The provider reference (`urn::id`), "" for the default provider. */
  provider: string;
  options: { protect: boolean; retainOnDelete: boolean; additionalSecretOutputs: string[] };
  /** Inputs as plain JSON, every secret replaced by "[secret]". */
  inputs: Record<string, unknown>;
  /** Dotted paths of the inputs that are secret. */
  secretPaths: string[];
}

export interface JsonReport {
  stack: string;
  project: string;
  stackFile: string;
  /** The one-line verdict, as the console prints it. */
  verdict: string;
  passed: boolean;
  exitCode: 0 | 1 | 2;
  /** True when Vantagepoint's answers were the bundled emulator's demo data (never a pass of a real site). */
  emulated: boolean;
  source: {
    /** "emulator": P3 to P6 were judged on the emulator's demo data; "not contacted": no Vantagepoint was read. */
    vantagepoint: "emulator" | "not contacted";
    url?: string;
    database?: string;
    label?: string;
    note?: string;
  };
  summary: CheckReport["summary"];
  prerequisites: PrerequisiteResult[];
  packs: CheckReport["packs"];
  policies: Array<{
    name: string;
    level: string;
    prerequisite: string | null;
    pack: string;
    kind: "resource" | "stack";
    description: string;
    /** Resources the policy applies to (examined), the "N checked" of the other formats. */
    applicable: number;
    durationMs: number;
    notChecked?: string;
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
  /** Every resource `pulumi up` would create, the root stack included. */
  resources: JsonResource[];
  /** Stack outputs, secrets masked. */
  outputs: Record<string, unknown>;
  errors: CheckReport["errors"];
  configIssues: CheckReport["configIssues"];
  programError?: string;
  notes: string[];
  tool: CheckReport["tool"];
}

export function toJsonReport(report: CheckReport): JsonReport {
  const ran = report.configIssues.length === 0 && report.programError === undefined;
  return {
    stack: report.stack,
    project: report.project,
    stackFile: report.stackFile,
    verdict: verdictLine(report),
    passed: report.summary.passed,
    exitCode: report.exitCode,
    emulated: report.emulator !== undefined,
    source: report.emulator
      ? {
          vantagepoint: "emulator",
          url: report.emulator.url,
          database: report.emulator.database,
          label: EMULATED_LABEL,
          note: emulatedNote(report),
        }
      : { vantagepoint: "not contacted" },
    summary: report.summary,
    prerequisites: ran ? prerequisiteStatus(report) : [],
    packs: report.packs,
    policies: report.policies.map((p) => ({
      name: p.name,
      level: p.level,
      prerequisite: p.prerequisite,
      pack: p.pack,
      kind: p.kind,
      description: p.description,
      applicable: p.applicable,
      durationMs: Math.round(p.durationMs * 1000) / 1000,
      ...(p.notChecked !== undefined ? { notChecked: p.notChecked } : {}),
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
    resources: report.resources.map((r) => ({
      type: r.type,
      name: r.name,
      urn: r.urn,
      parent: r.parent,
      dependencies: r.dependencies,
      custom: r.custom,
      provider: r.provider,
      options: {
        protect: r.protect,
        retainOnDelete: r.retainOnDelete,
        additionalSecretOutputs: r.additionalSecretOutputs,
      },
      inputs: r.inputs,
      secretPaths: r.secretPaths,
    })),
    outputs: report.outputs,
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
