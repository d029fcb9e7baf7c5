/**
 * One offline deployment's policy evaluation through Pulumi's analyzer: the resources of the program run, put
 * in the shape and order the engine sends them (default providers included), through every started pack
 * (evaluator/analyzer.ts), folded into the report's policies, evaluations, violations and errors. The engine's
 * view of the resources (default providers included) is built in engineViews.ts (re-exported here).
 */
import { isDeepStrictEqual } from "node:util";
import type { PackAnalyzer } from "./analyzer";
import { Findings, type AnalyzerPack, type CallFailure } from "./analyzerFindings";
import { releasePropertyBytes } from "./analyzerMessages";
import { engineViews, withEngineResources, type EngineView } from "./engineViews";
import type { EvaluationResult } from "./evaluate";
import { engineToPolicy, wireToEngine } from "./plain";

export { engineViews, withEngineResources };
export type { AnalyzerPack, EngineView };

/**
 * How many resources' calls are in flight at once. Each holds its request's bytes until it is answered: with every
 * resource in flight together a 100,000-person roster's shards held ~50 MB of request bytes at once, which the
 * process's allocator kept after they were freed (issue 21 item 4, npm run bench:config). Eight keep the pack busy.
 */
const IN_FLIGHT = 8;

/** Milliseconds spent in Remediate/Analyze and in AnalyzeStack. */
export interface AnalyzerTimings {
  analyzeMs: number;
  analyzeStackMs: number;
}

/**
 * A policy that throws fails the whole call: @pulumi/policy answers "Error validating resource with policy
 * 'NAME' from policy pack 'PACK@vVERSION':\n<the error's stack>" (protoutil.js asGrpcError). The report keeps the
 * error's own message, as the in-process path does.
 */
export function failureOf(error: unknown, clean: (s: string) => string): CallFailure {
  const text = String((error as { details?: string }).details ?? (error as Error).message ?? error);
  const policy = /(?:policy|remediation) '([^']+)' from policy pack/.exec(text)?.[1] ?? "";
  const thrown = text.includes(":\n") ? text.slice(text.indexOf(":\n") + 2) : text;
  const first = thrown.split("\n")[0]!.replace(/^[A-Za-z]*Error: /, "");
  return { policy, message: clean(first) };
}

/** What one resource's calls found, applied to the findings later (in registration order). */
type Found = Array<() => void>;

/**
 * Remediate on every pack in turn, each seeing the inputs the previous one changed (the engine's first pass);
 * returns the inputs Analyze then sees.
 */
async function remediate(
  packs: readonly AnalyzerPack[],
  v: EngineView,
  findings: Findings,
  found: Found,
): Promise<Record<string, unknown>> {
  let inputs = v.inputs;
  let remediateInputs = v.remediateInputs;
  for (const { analyzer } of packs) {
    const pack = analyzer.info.name;
    let remediations: Awaited<ReturnType<PackAnalyzer["remediate"]>>["remediations"];
    try {
      ({ remediations } = await analyzer.remediate(v.resource, remediateInputs));
    } catch (error) {
      const failed = failureOf(error, (s) => findings.clean(s));
      found.push(() => findings.callError(pack, failed, v.resource.urn));
      continue;
    }
    for (const r of remediations) {
      if (r.diagnostic) {
        found.push(() => findings.remediation(pack, r, v.resource));
      } else if (r.properties) {
        const next = wireToEngine(r.properties);
        if (isDeepStrictEqual(engineToPolicy(next), engineToPolicy(inputs))) continue;
        inputs = next;
        remediateInputs = r.properties;
        found.push(() => findings.remediation(pack, r, v.resource));
      }
    }
  }
  return inputs;
}

/** A resource's calls: Remediate on every pack, then Analyze on every pack (together) with the final inputs. */
async function analyzeResource(
  packs: readonly AnalyzerPack[],
  v: EngineView,
  findings: Findings,
): Promise<Found> {
  const found: Found = [];
  const inputs = await remediate(packs, v, findings, found);
  const analyzed = await Promise.all(
    packs.map(({ analyzer }) =>
      analyzer.analyze(v.resource, inputs).then(
        (result) => () => findings.record(analyzer.info.name, "resource", result, v.resource),
        (error: unknown) => () =>
          findings.record(
            analyzer.info.name,
            "resource",
            { diagnostics: [], notApplicable: [] },
            v.resource,
            failureOf(error, (s) => findings.clean(s)),
          ),
      ),
    ),
  );
  return [...found, ...analyzed];
}

/**
 * Several resources' calls in flight together (the engine, too, analyzes resources as they register, not one after
 * another), at most IN_FLIGHT; each resource's request bytes are released once answered. Returns what each found,
 * in the views' order.
 */
async function analyzeResources(
  packs: readonly AnalyzerPack[],
  views: readonly EngineView[],
  findings: Findings,
): Promise<Found[]> {
  const found: Found[] = [];
  let next = 0;
  const worker = async () => {
    while (next < views.length) {
      const index = next++;
      const v = views[index]!;
      found[index] = await analyzeResource(packs, v, findings);
      releasePropertyBytes([v.remediateInputs, v.inputs]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, views.length) }, worker));
  return found;
}

/** AnalyzeStack on every pack with every resource's outputs. */
async function analyzeStack(
  packs: readonly AnalyzerPack[],
  views: readonly EngineView[],
  findings: Findings,
) {
  const stackResources = views.map((v) => ({ resource: v.resource, properties: v.outputs }));
  for (const { analyzer } of packs) {
    const pack = analyzer.info.name;
    try {
      findings.record(pack, "stack", await analyzer.analyzeStack(stackResources), null);
    } catch (error) {
      const failed = failureOf(error, (s) => findings.clean(s));
      findings.record(pack, "stack", { diagnostics: [], notApplicable: [] }, null, failed);
    }
  }
  releasePropertyBytes(stackResources.map((r) => r.properties));
}

/**
 * Runs Remediate and Analyze per resource, then AnalyzeStack, on every pack, as the engine does, and folds the
 * answers into the report's shape. `secrets` are scrubbed from every message.
 */
export async function evaluateWithAnalyzers(
  packs: readonly AnalyzerPack[],
  views: readonly EngineView[],
  secrets: readonly string[] = [],
): Promise<EvaluationResult & { timings: AnalyzerTimings }> {
  const findings = new Findings(
    packs,
    views.map((v) => v.resource),
    secrets,
  );
  const started = Date.now();
  // What each resource found is applied in registration order, so the report's order does not depend on timing.
  for (const found of await analyzeResources(packs, views, findings)) for (const apply of found) apply();
  const analyzeMs = Date.now() - started;
  const stackStarted = Date.now();
  await analyzeStack(packs, views, findings);
  return { ...findings.result(), timings: { analyzeMs, analyzeStackMs: Date.now() - stackStarted } };
}
