/**
 * The analysis stage of a check: the captured resources evaluated by Pulumi's analyzer (each pack's
 * run-policy-pack over gRPC, as the engine drives it) or in-process (the policy objects called directly, which
 * test/evaluator/parity.test.ts proves gives the same violations).
 */
import { engineViews, evaluateWithAnalyzers, withEngineResources } from "../analyzerRun";
import { evaluatePolicies, withApplicability } from "../evaluate";
import type { EvaluatedPack, EvaluationResult } from "../evaluate";
import type { RunProgramResult } from "../program";
import type { AnalyzerPool, EngineConfig } from "./run";

/** What the analysis is about: the stack, its engine config, and whether it is a first preview. */
export interface AnalysisContext {
  project: string;
  stack: string;
  engine: EngineConfig;
  preview: boolean;
}

/** An evaluation, how long it took (ms per phase), and the note saying who evaluated. */
export interface Analysis {
  result: EvaluationResult;
  timings: { analyzerStart: number; analyzerWait: number; evaluation: number };
  note: string;
}

function viewsOf(run: RunProgramResult, context: AnalysisContext) {
  return engineViews(run.resources, run.policyView, {
    project: context.project,
    stack: context.stack,
    config: context.engine.config,
    secretKeys: context.engine.secretKeys,
    preview: context.preview,
  });
}

/**
 * Pulumi's analyzer. It only says which resources a policy was told were not applicable: the same policies run
 * in-process (watched) tell the reports which resources each really examined, and its time (`onParity` gets both).
 */
export async function analyzeWithPacks(
  pool: AnalyzerPool,
  evaluated: readonly EvaluatedPack[],
  run: RunProgramResult,
  context: AnalysisContext,
  onParity?: (results: { analyzer: EvaluationResult; inProcess: EvaluationResult }) => void,
): Promise<Analysis> {
  const waitStarted = Date.now();
  const analyzers = await pool.ready();
  const analyzerWait = Date.now() - waitStarted;
  const analyzerStart = Math.max(...analyzers.map((a) => a.startMs), 0);
  const evaluationStarted = Date.now();
  const packs = analyzers.map((analyzer, i) => ({
    analyzer,
    resolved: evaluated[i]!.resolved,
    policies: evaluated[i]!.policies,
  }));
  for (const p of packs) await p.analyzer.configure(p.resolved);
  const secrets = [...run.secrets];
  const views = viewsOf(run, context);
  let result: EvaluationResult = await evaluateWithAnalyzers(packs, views, secrets);
  const evaluation = Date.now() - evaluationStarted;
  const engineShaped = withEngineResources(run.resources, run.policyView, views);
  const probe = await evaluatePolicies(evaluated, engineShaped.resources, engineShaped.view, secrets);
  onParity?.({ analyzer: result, inProcess: probe });
  result = { ...result, policies: withApplicability(result.policies, probe.policies) };
  return {
    result,
    timings: { analyzerStart, analyzerWait, evaluation },
    note: `policies evaluated by Pulumi's analyzer: each pack started with @pulumi/pulumi's run-policy-pack and driven over gRPC as the engine drives it (${analyzers.map((a) => `${a.info.name}@${a.info.version}`).join(", ")})`,
  };
}

/** The policy objects called directly, as @pulumi/policy's analyzer calls them. */
export async function analyzeInProcess(
  evaluated: readonly EvaluatedPack[],
  run: RunProgramResult,
  context: AnalysisContext,
): Promise<Analysis> {
  const evaluationStarted = Date.now();
  const engineShaped = withEngineResources(run.resources, run.policyView, viewsOf(run, context));
  const result = await evaluatePolicies(evaluated, engineShaped.resources, engineShaped.view, [
    ...run.secrets,
  ]);
  return {
    result,
    timings: { analyzerStart: 0, analyzerWait: 0, evaluation: Date.now() - evaluationStarted },
    note: "policies evaluated in-process (the policy objects called directly, as @pulumi/policy's analyzer calls them); run without --in-process for Pulumi's own analyzer",
  };
}
