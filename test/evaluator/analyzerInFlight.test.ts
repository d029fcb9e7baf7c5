/**
 * The analysis's memory at scale (issue 21 item 4): at most IN_FLIGHT resources' calls are in flight at once, in
 * registration order in the report whatever order the answers come in, and the property bytes a resource's calls
 * were sent are released once every pack was sent them; the check collects a large heap's garbage between phases.
 */
import assert from "node:assert/strict";
import { evaluateWithAnalyzers, type AnalyzerPack, type EngineView } from "../../evaluator/analyzerRun";
import {
  engineResource,
  propertyBytes,
  type AnalyzeResult,
  type EngineResource,
} from "../../evaluator/analyzerMessages";
import { collectLargeGarbage } from "../../evaluator/collectGarbage";

function view(i: number): EngineView {
  const inputs = { entries: `person ${i}` };
  return {
    resource: engineResource({ urn: `urn:pulumi:dev::p::t:m:R::r${i}`, type: "t:m:R", name: `r${i}` }),
    inputs,
    remediateInputs: { ...inputs },
    outputs: inputs,
  };
}

/** A pack that answers after a random short wait, counting the resources in flight and the bytes it was sent. */
function fakePack(seen: { inFlight: number; most: number; sent: Map<object, Buffer> }): AnalyzerPack {
  const wait = () => new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 4)));
  const none: AnalyzeResult = { diagnostics: [], notApplicable: [] };
  const analyzer = {
    info: {
      name: "fake",
      version: "1.0.0",
      supportsConfig: false,
      initialConfig: {},
      policies: [
        { name: "every", description: "d", enforcementLevel: "mandatory", kind: "resource", tags: [] },
      ],
    },
    async remediate(_r: EngineResource, properties: Record<string, unknown>) {
      seen.inFlight++;
      seen.most = Math.max(seen.most, seen.inFlight);
      seen.sent.set(properties, propertyBytes(properties));
      await wait();
      return { remediations: [], notApplicable: [] };
    },
    async analyze(_r: EngineResource, properties: Record<string, unknown>) {
      seen.sent.set(properties, propertyBytes(properties));
      await wait();
      seen.inFlight--;
      return none;
    },
    async analyzeStack(resources: ReadonlyArray<{ properties: Record<string, unknown> }>) {
      for (const { properties } of resources) seen.sent.set(properties, propertyBytes(properties));
      return none;
    },
  };
  return { analyzer: analyzer as never, resolved: new Map() };
}

describe("analysis through the packs: bounded in flight, bytes released", () => {
  it("runs at most 8 resources at once but more than one, and reports in registration order", async () => {
    const seen = { inFlight: 0, most: 0, sent: new Map<object, Buffer>() };
    const views = Array.from({ length: 40 }, (_, i) => view(i));
    const result = await evaluateWithAnalyzers([fakePack(seen)], views);
    assert.equal(seen.most, 8);
    assert.deepEqual(
      result.evaluations.map((e) => e.urn),
      views.map((v) => v.resource.urn),
    );
    assert.ok(result.evaluations.every((e) => e.outcome === "pass"));
  });

  it("forgets the bytes of every bag once the packs were sent it: encoding it again makes new bytes", async () => {
    const seen = { inFlight: 0, most: 0, sent: new Map<object, Buffer>() };
    const views = Array.from({ length: 3 }, (_, i) => view(i));
    await evaluateWithAnalyzers([fakePack(seen)], views);
    assert.equal(seen.sent.size, 6, "remediate and analyze bags (outputs are the analyze bags here)");
    for (const [bag, bytes] of seen.sent) {
      const again = propertyBytes(bag as Record<string, unknown>);
      assert.notEqual(again, bytes, "released");
      assert.deepEqual(again, bytes, "the same encoding");
    }
  });

  it("collects garbage only past the size it is given", async () => {
    assert.equal(collectLargeGarbage(Number.MAX_SAFE_INTEGER), false);
    let ref: WeakRef<object> | undefined;
    (() => {
      ref = new WeakRef({ big: new Array(1000).fill("x") });
    })();
    // A WeakRef's target is kept until the job that made it ends.
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(collectLargeGarbage(0), true);
    assert.equal(ref!.deref(), undefined);
  });
});
