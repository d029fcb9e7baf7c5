/**
 * The data every report format reads: what `vpconnect check` found for one stack. Pure (no Pulumi import):
 * the evaluator builds it, the formats in this folder render it. Secret values never reach it: resource
 * inputs and outputs carry SECRET_MARKER in their place.
 */

/** What replaces a secret value in captured inputs, outputs and messages. */
export const SECRET_MARKER = "[secret]";

/** Pulumi's enforcement levels. `remediate` is reported only, offline (the engine would fix the resource). */
export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";

/**
 * Connect's prerequisites (see docs and the Connect prerequisites reference), in display order.
 * `fromVantagepoint`: the policies judge what the roster/role/API-client resources read from Vantagepoint, so
 * under `check --emulator` the result is the emulator's demo data. `verify`: how to check it when `check`
 * could not (`{stack}` is replaced by the stack's name).
 */
export const PREREQUISITES: ReadonlyArray<{
  id: string;
  title: string;
  configKey: string;
  fromVantagepoint: boolean;
  verify: string;
}> = [
  {
    id: "P1",
    title: "Public HTTPS URL Connect can reach",
    configKey: "vpconnect:site",
    fromVantagepoint: false,
    verify:
      "declare the public endpoint in vpconnect:site and run `vpconnect check --stack {stack}` again; after `pulumi up` the SiteVerification step (scripts/verify-site.js) checks it from outside",
  },
  {
    id: "P2",
    title: "Connect's outbound IPs admitted, nothing wider",
    configKey: "vpconnect:allowList",
    fromVantagepoint: false,
    verify: "declare vpconnect:allowList.connectIps and run `vpconnect check --stack {stack}` again",
  },
  {
    id: "P3",
    title: "Configuring role has Connect Administration",
    configKey: "vpconnect:vantagepoint.adminRole",
    fromVantagepoint: true,
    verify: "run `vpconnect doctor --stack {stack}` against the live Vantagepoint (read-only)",
  },
  {
    id: "P4",
    title: "Configurer's employee linked, valid email",
    configKey: "vpconnect:roster.configurer",
    fromVantagepoint: true,
    verify: "run `vpconnect doctor --stack {stack}` against the live Vantagepoint (read-only)",
  },
  {
    id: "P5",
    title: "Every Connect user's employee linked, valid email",
    configKey: "vpconnect:roster.users",
    fromVantagepoint: true,
    verify: "run `vpconnect doctor --stack {stack}` against the live Vantagepoint (read-only)",
  },
  {
    id: "P6",
    title: "Connect API client protected, one owner",
    configKey: "vpconnect:vantagepoint.connectApiClient",
    fromVantagepoint: true,
    verify: "run `vpconnect doctor --stack {stack}` against the live Vantagepoint (read-only)",
  },
  {
    id: "P7",
    title: "Login app redirect matches the public URL",
    configKey: "vpconnect:entra.loginApp",
    fromVantagepoint: false,
    verify:
      "declare vpconnect:entra.loginApp (or, with Windows AD login, check the login settings by hand) and run `vpconnect check --stack {stack}` again",
  },
  {
    id: "P8",
    title: "Mailbox access least privilege (Graph, no EWS)",
    configKey: "vpconnect:entra.mailboxApp",
    fromVantagepoint: false,
    verify:
      "declare vpconnect:entra.mailboxApp (or check the mailbox app's API permissions in the Entra admin center by hand) and run `vpconnect check --stack {stack}` again",
  },
  {
    id: "baseline",
    title: "Security baseline (TLS, WAF, NSG, secrets, Key Vault)",
    configKey: "vpconnect:azure",
    fromVantagepoint: false,
    verify: "run `vpconnect check --stack {stack}` with the project's policy pack (policies/)",
  },
];

/** What the bundled emulator stands in for: the label every format shows on an emulated run. */
export const EMULATED_LABEL = "EMULATED, demo data";

/** Why an emulated run is not a pass of a real site, in one sentence (`{stack}`: the stack's name). */
export const EMULATED_NOTE =
  "P3 to P6 were checked against the bundled Vantagepoint emulator's demo data, not a real site; run `vpconnect doctor --stack {stack}` against the real Vantagepoint before relying on them";

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
  /** Counts over this policy's evaluations, as the engine counts them (every run not declared not applicable). */
  results: { evaluated: number; passed: number; violations: number; notApplicable: number; errors: number };
  /**
   * Resources the policy applies to: those it examined (read inputs or options of, reported a violation on, or
   * threw on), not those it skipped by type or declared not applicable. For a stack policy: the resources whose
   * outputs or options it read. What the reports call "N checked".
   */
  applicable: number;
  /** Time spent in this policy's validate functions, milliseconds. */
  durationMs: number;
  /** Why the policy checked nothing (disabled, not applicable, nothing of its kind in the stack); absent when it did. */
  notChecked?: string;
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
  /**
   * Set when Vantagepoint's answers came from the bundled emulator (`check --emulator`): every format labels the
   * run EMULATED_LABEL and never shows it as a plain pass of a real site.
   */
  emulator?: { url: string; database: string };
  /** `--packs-only`: the given packs alone gate the run; a run that checked no prerequisite may then pass. */
  packsOnly?: boolean;
  /** Set by `vpconnect check` (without --packs-only): a run that checked no prerequisite fails. */
  requirePrerequisites?: boolean;
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

export interface PrerequisiteResult {
  id: string;
  title: string;
  status: PrerequisiteStatus;
  policies: string[];
  violations: number;
  /** The result came from the bundled emulator's demo data (an emulated run, P3 to P6). */
  emulated: boolean;
  /** Not checked: why (the policies' own not-applicable reasons, or that no policy covers it). */
  reason?: string;
  /** Not checked: what to run to check it. */
  nextStep?: string;
}

/** Whether a policy checked anything: a resource policy examined a resource, a stack policy ran. */
export function policyChecked(p: Pick<ReportPolicy, "level" | "kind" | "applicable" | "results">): boolean {
  if (p.level === "disabled") return false;
  return p.kind === "stack" ? p.results.evaluated > 0 : p.applicable > 0;
}

/**
 * Pass/fail per prerequisite: fail on a mandatory violation or error, warn on advisory/remediate only, and
 * "not checked" (with the reason and what to run) when no policy of it checked anything (none enabled, all
 * not applicable, nothing of their kind in the stack).
 */
export function prerequisiteStatus(report: CheckReport): PrerequisiteResult[] {
  return PREREQUISITES.map((p) => {
    const policies = report.policies.filter((x) => x.prerequisite === p.id && x.level !== "disabled");
    const violations = report.violations.filter((v) => v.prerequisite === p.id);
    const errors = report.errors.filter((e) => policies.some((x) => x.name === e.policy && x.pack === e.pack));
    let status: PrerequisiteStatus = "pass";
    if (errors.length > 0 || violations.some((v) => v.level === "mandatory")) status = "fail";
    else if (violations.length > 0) status = "warn";
    // Not applicable everywhere (e.g. P3-P5 before the roster has read Vantagepoint) is not a pass.
    else if (!policies.some(policyChecked)) status = "not checked";
    const result: PrerequisiteResult = {
      id: p.id,
      title: p.title,
      status,
      policies: policies.map((x) => x.name),
      violations: violations.length,
      emulated: report.emulator !== undefined && p.fromVantagepoint && status !== "not checked",
    };
    if (status === "not checked") {
      const reasons = [...new Set(policies.map((x) => x.notChecked).filter((r): r is string => !!r))];
      result.reason =
        policies.length === 0
          ? "no enabled policy covers it (the project's policy pack was not loaded, or its policies are disabled)"
          : reasons.join(" ") || "its policies examined no resource of this stack";
      result.nextStep = p.verify.split("{stack}").join(report.stack);
    }
    return result;
  });
}

export type Verdict = "PASSED" | "FAILED" | "INVALID";

/** The verdict word of a report, one rule for every format. */
export function verdictOf(report: Pick<CheckReport, "exitCode">): Verdict {
  return report.exitCode === 0 ? "PASSED" : report.exitCode === 1 ? "FAILED" : "INVALID";
}

/** The emulated-run sentence for this stack (empty when the run was not emulated). */
export function emulatedNote(report: Pick<CheckReport, "emulator" | "stack">): string {
  return report.emulator ? EMULATED_NOTE.split("{stack}").join(report.stack) : "";
}

/**
 * The one-line verdict every format leads with (the console's last line, the line `--format json` prints):
 * verdict, counts, the emulated label when it applies, the exit code.
 */
export function verdictLine(report: CheckReport): string {
  const s = report.summary;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  const label = report.emulator ? ` (${EMULATED_LABEL})` : "";
  const remediate = s.remediate
    ? `, ${s.remediate} to remediate (pulumi up would fix ${s.remediate === 1 ? "it" : "them"}; reported only)`
    : "";
  const notChecked = prerequisiteStatus(report).filter((p) => p.status === "not checked").map((p) => p.id);
  const unchecked = notChecked.length ? `; not checked: ${notChecked.join(", ")}` : "";
  switch (report.exitCode) {
    case 0:
      return `PASSED${label}: no mandatory violation (${plural(s.advisory, "advisory violation")}${remediate})${unchecked}${report.packsOnly && nothingChecked(report.policies) ? " (--packs-only: the given packs alone)" : ""}. Exit 0.`;
    case 1:
      if (s.mandatory === 0 && s.errors === 0)
        return `FAILED${label}: nothing this gate exists for was checked (not checked: ${notChecked.join(", ")}): the project's policy pack did not run; add --policy-pack policies beside the others, or pass --packs-only to gate on these packs alone. Exit 1.`;
      return `FAILED${label}: ${plural(s.mandatory, "mandatory violation")}${s.errors ? `, ${plural(s.errors, "policy error")}` : ""} (${plural(s.advisory, "advisory violation")}${remediate})${unchecked}. Exit 1.`;
    default:
      return report.configIssues.length > 0
        ? `INVALID CONFIG: ${plural(report.configIssues.length, "problem")} in the stack config, nothing was checked. Exit 2.`
        : "PROGRAM FAILED: the Pulumi program threw, nothing was checked. Exit 2.";
  }
}

/** The gate's exit code: 2 for config/program problems, 1 for a mandatory violation or a policy error, else 0. */
export function exitCodeOf(
  report: Pick<CheckReport, "configIssues" | "programError" | "violations" | "errors"> &
    Partial<Pick<CheckReport, "policies" | "requirePrerequisites">>,
): 0 | 1 | 2 {
  if (report.configIssues.length > 0 || report.programError !== undefined) return 2;
  if (report.errors.length > 0 || report.violations.some((v) => v.level === "mandatory")) return 1;
  // A gate never claims more than it checked: no prerequisite checked is not a pass (unless --packs-only).
  if (report.policies && report.requirePrerequisites && nothingChecked(report.policies)) return 1;
  return 0;
}

/** True when no enabled policy of any prerequisite P1..P8 checked anything (e.g. only an organization's pack ran). */
export function nothingChecked(policies: readonly ReportPolicy[]): boolean {
  return !policies.some((p) => /^P[1-8]$/.test(p.prerequisite ?? "") && p.level !== "disabled" && policyChecked(p));
}

/** A short label for a resource: `type name`. */
export function resourceLabel(r: { type: string; name: string }): string {
  return `${r.type} ${r.name}`;
}
