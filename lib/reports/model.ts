/**
 * The data every report format reads: what `vpconnect check` found for one stack. Pure (no Pulumi import):
 * the evaluator builds it, the formats in this folder render it. Secret values never reach it: resource
 * inputs and outputs carry SECRET_MARKER in their place.
 */

/** What replaces a secret value in captured inputs, outputs and messages. */
export const SECRET_MARKER = "[secret]";

/** Pulumi's enforcement levels. `remediate` is reported only, offline (the engine would fix the resource). */
export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";

/** Connect's prerequisites (see docs and the Connect prerequisites reference), in display order. */
export const PREREQUISITES: ReadonlyArray<{ id: string; title: string; configKey: string }> = [
  { id: "P1", title: "Public HTTPS URL Connect can reach", configKey: "vpconnect:site" },
  { id: "P2", title: "Connect's outbound IPs admitted, nothing wider", configKey: "vpconnect:allowList" },
  { id: "P3", title: "Configuring role has Connect Administration", configKey: "vpconnect:vantagepoint.adminRole" },
  { id: "P4", title: "Configurer's employee linked, valid email", configKey: "vpconnect:roster.configurer" },
  { id: "P5", title: "Every Connect user's employee linked, valid email", configKey: "vpconnect:roster.users" },
  { id: "P6", title: "Connect API client protected, one owner", configKey: "vpconnect:vantagepoint.connectApiClient" },
  { id: "P7", title: "Login app redirect matches the public URL", configKey: "vpconnect:entra.loginApp" },
  { id: "P8", title: "Mailbox access least privilege (Graph, no EWS)", configKey: "vpconnect:entra.mailboxApp" },
  { id: "baseline", title: "Security baseline (TLS, WAF, NSG, secrets, Key Vault)", configKey: "vpconnect:azure" },
];

/** A resource the program would create, as the evaluator captured it. */
export interface ReportResource {
  urn: string;
  type: string;
  name: string;
  /** false for component resources. */
  custom: boolean;
  /** The parent's URN, "" at the stack root. */
  parent: string;
  protect: boolean;
  retainOnDelete: boolean;
  additionalSecretOutputs: string[];
  dependencies: string[];
  /** The provider reference (`urn::id`), "" for the default provider. */
  provider: string;
  /** Inputs as plain JSON, secrets replaced by SECRET_MARKER. */
  inputs: Record<string, unknown>;
  /** Outputs (inputs plus computed fields, or a dynamic provider's outs), secrets replaced by SECRET_MARKER. */
  outputs: Record<string, unknown>;
  /** Dotted paths of inputs that were secret, e.g. `properties.value`, `connection.password`. */
  secretPaths: string[];
}

export interface ReportPolicy {
  pack: string;
  name: string;
  description: string;
  /** The effective level after pack config and overrides. */
  level: EnforcementLevel;
  /** P1..P8 or baseline; null when the policy does not say (an organization's own pack). */
  prerequisite: string | null;
  kind: "resource" | "stack";
  severity?: string;
  remediationSteps?: string;
  /** The stack-config key a violation points at (SARIF region), when known. */
  configKey?: string;
  /** Counts over this policy's evaluations. */
  results: { evaluated: number; passed: number; violations: number; notApplicable: number; errors: number };
}

export interface ReportViolation {
  pack: string;
  policy: string;
  level: EnforcementLevel;
  /** The resource's URN; null for a stack policy violation that names no resource. */
  urn: string | null;
  message: string;
  prerequisite: string | null;
  resourceType?: string;
  resourceName?: string;
  severity?: string;
}

/** One policy run against one resource (resource policies) or the whole stack (urn null). */
export interface ReportEvaluation {
  pack: string;
  policy: string;
  urn: string | null;
  resourceType?: string;
  resourceName?: string;
  outcome: "pass" | "violation" | "notApplicable" | "error" | "disabled";
  /** Violation messages, the error, or the not-applicable reason. */
  messages: string[];
}

/** A policy that threw: the engine would fail the update, so the gate fails too. */
export interface ReportError {
  pack: string;
  policy: string;
  urn: string | null;
  message: string;
}

export interface ReportConfigIssue {
  file: string;
  key: string;
  message: string;
}

export interface ReportPack {
  name: string;
  version: string;
  /** The folder as given (relative to the working directory). */
  dir: string;
  enforcementLevel: EnforcementLevel;
  policies: number;
  /** The --policy-pack-config file applied, if any. */
  configFile?: string;
}

export interface RosterSummary {
  /** Everyone on the roster, configurer included. */
  people: number;
  configurer?: string;
  /** Counts from a dynamic run (executeDynamic), when available. */
  linked?: number;
}

export interface CheckReport {
  tool: { name: string; version: string };
  stack: string;
  project: string;
  /** The stack file, relative to the working directory (what SARIF points at). */
  stackFile: string;
  /**
   * The working directory relative to the repository root (the folder holding `.git`), "/"-separated, "" at
   * the root; absent outside a repository. SARIF turns the cwd-relative file paths into repository paths with it.
   */
  repoBase?: string;
  /** The stack file's text (for line lookups; never written out as such). */
  stackFileText?: string;
  /** The program that ran. */
  program: string;
  resources: ReportResource[];
  /** Stack outputs (secrets masked). */
  outputs: Record<string, unknown>;
  packs: ReportPack[];
  policies: ReportPolicy[];
  evaluations: ReportEvaluation[];
  violations: ReportViolation[];
  errors: ReportError[];
  /** Stack config problems (exit 2). Nothing ran when there are any. */
  configIssues: ReportConfigIssue[];
  /** The program failed for a reason other than config (exit 2). */
  programError?: string;
  /** Non-fatal notes (config warnings, offline limits such as remediate). */
  notes: string[];
  roster?: RosterSummary;
  summary: {
    resources: number;
    policies: number;
    mandatory: number;
    advisory: number;
    remediate: number;
    errors: number;
    passed: boolean;
  };
  exitCode: 0 | 1 | 2;
}

export type PrerequisiteStatus = "pass" | "fail" | "warn" | "not checked";

/**
 * Pass/fail per prerequisite: fail on a mandatory violation or error, warn on advisory/remediate only, and
 * "not checked" when no policy of it passed anything (none enabled, or all not applicable).
 */
export function prerequisiteStatus(report: CheckReport): Array<{
  id: string;
  title: string;
  status: PrerequisiteStatus;
  policies: string[];
  violations: number;
}> {
  return PREREQUISITES.map((p) => {
    const policies = report.policies.filter((x) => x.prerequisite === p.id && x.level !== "disabled");
    const violations = report.violations.filter((v) => v.prerequisite === p.id);
    const errors = report.errors.filter((e) => policies.some((x) => x.name === e.policy && x.pack === e.pack));
    let status: PrerequisiteStatus = "pass";
    if (errors.length > 0 || violations.some((v) => v.level === "mandatory")) status = "fail";
    else if (violations.length > 0) status = "warn";
    // Not applicable everywhere (e.g. P3-P5 before the roster has read Vantagepoint) is not a pass.
    else if (policies.every((x) => x.results.passed === 0)) status = "not checked";
    return { id: p.id, title: p.title, status, policies: policies.map((x) => x.name), violations: violations.length };
  });
}

/** The gate's exit code: 2 for config/program problems, 1 for a mandatory violation or a policy error, else 0. */
export function exitCodeOf(report: Pick<CheckReport, "configIssues" | "programError" | "violations" | "errors">): 0 | 1 | 2 {
  if (report.configIssues.length > 0 || report.programError !== undefined) return 2;
  if (report.errors.length > 0 || report.violations.some((v) => v.level === "mandatory")) return 1;
  return 0;
}

/** A short label for a resource: `type name`. */
export function resourceLabel(r: { type: string; name: string }): string {
  return `${r.type} ${r.name}`;
}
