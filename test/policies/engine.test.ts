// Parity: the test util must give policies exactly what the engine gives. Run the same inputs through the
// real @pulumi/policy analyzer handlers (server.js makeAnalyzeRpcFun / makeAnalyzeStackRpcFun, fed protobuf
// requests as the CLI sends them, with no policy config as when none is passed) and compare the results.
import * as assert from "node:assert/strict";
import { policies } from "../../policies/all";
import { broken } from "./examples";
import { stack } from "./fixtures";
import { AnyPolicy, runPolicy, TestResource, urnOf } from "./util";

const server = require("@pulumi/policy/server") as {
  makeAnalyzeRpcFun(pack: string, version: string, level: string, policies: AnyPolicy[]): RpcFun;
  makeAnalyzeStackRpcFun(pack: string, version: string, level: string, policies: AnyPolicy[]): RpcFun;
};
type RpcFun = (
  call: { request: unknown },
  callback: (err: unknown, resp?: AnalyzeResponse) => void,
) => Promise<void>;
interface AnalyzeResponse {
  getDiagnosticsList(): {
    getMessage(): string;
    getPolicyname(): string;
    getUrn(): string;
    getEnforcementlevel(): number;
  }[];
  getNotApplicableList(): { getPolicyName(): string; getReason(): string }[];
}
const pb = require("@pulumi/pulumi/proto/analyzer_pb");
const { Struct } = require("google-protobuf/google/protobuf/struct_pb");

function options(r: TestResource) {
  const o = new pb.AnalyzerResourceOptions();
  o.setProtect(r.opts?.protect ?? false);
  o.setAdditionalsecretoutputsList(r.opts?.additionalSecretOutputs ?? []);
  if (r.parent) o.setParent(urnOf(r.parent));
  return o;
}

function props(r: TestResource) {
  return Struct.fromJavaScript(JSON.parse(JSON.stringify(r.props)));
}

async function call(fn: RpcFun, request: unknown): Promise<{ messages: string[]; notApplicable: string[] }> {
  const resp = await new Promise<AnalyzeResponse>((resolve, reject) => {
    void fn({ request }, (err, r) => (err ? reject(err) : resolve(r!)));
  });
  return {
    messages: resp.getDiagnosticsList().map((d) => d.getMessage()),
    notApplicable: resp.getNotApplicableList().map((n) => n.getReason()),
  };
}

async function viaEngine(policy: AnyPolicy, input: TestResource[]) {
  if ("validateStack" in policy) {
    const req = new pb.AnalyzeStackRequest();
    req.setResourcesList(
      input.map((r) => {
        const ar = new pb.AnalyzerResource();
        ar.setType(r.type);
        ar.setName(r.name);
        ar.setUrn(urnOf(r));
        ar.setProperties(props(r));
        ar.setOptions(options(r));
        if (r.parent) ar.setParent(urnOf(r.parent));
        return ar;
      }),
    );
    return call(server.makeAnalyzeStackRpcFun("vantagepoint-connect", "0.1.0", "advisory", [policy]), req);
  }
  const out = { messages: [] as string[], notApplicable: [] as string[] };
  for (const r of input) {
    const req = new pb.AnalyzeRequest();
    req.setType(r.type);
    req.setName(r.name);
    req.setUrn(urnOf(r));
    req.setProperties(props(r));
    req.setOptions(options(r));
    const res = await call(
      server.makeAnalyzeRpcFun("vantagepoint-connect", "0.1.0", "advisory", [policy]),
      req,
    );
    out.messages.push(...res.messages);
    out.notApplicable.push(...res.notApplicable);
  }
  return out;
}

describe("engine parity (real @pulumi/policy analyzer handlers)", () => {
  for (const policy of policies) {
    it(`${policy.name}: the util and the engine agree on the broken example and the happy stack`, async () => {
      const example = broken[policy.name]();
      // The engine has no retainOnDelete in opts; drop it so both sides see the same options.
      const strip = (rs: TestResource[]) =>
        rs.map((r) => ({ ...r, opts: r.opts && { ...r.opts, retainOnDelete: undefined } }));
      const cases = [strip([example.input].flat()), strip(stack())];
      for (const input of cases) {
        const engine = await viaEngine(policy, input);
        if (input === cases[0])
          assert.ok(engine.messages.length > 0, "the broken example must fail under the engine too");
        const util = await runPolicy(policy, input, { applySchemaDefaults: false });
        assert.deepEqual(util.violations.map((v) => v.engineMessage).sort(), engine.messages.sort());
        assert.deepEqual(util.notApplicable.sort(), engine.notApplicable.sort());
      }
    });
  }
});
