/**
 * The shapes the evaluation stages share with evaluator/evaluate.ts: a pack as it is evaluated and what an
 * evaluation returns (here, so the stages import no module that imports them).
 */
import type { Policy } from "@pulumi/policy";
import type { ReportError, ReportEvaluation, ReportPolicy, ReportViolation } from "../../lib/reports/model";
import type { ResolvedPolicyConfig } from "../packConfig";

export interface EvaluatedPack {
  name: string;
  version: string;
  policies: Policy[];
  /** Effective level and config per policy name. */
  resolved: Map<string, ResolvedPolicyConfig>;
}

export interface EvaluationResult {
  policies: ReportPolicy[];
  evaluations: ReportEvaluation[];
  violations: ReportViolation[];
  errors: ReportError[];
  notes: string[];
}
