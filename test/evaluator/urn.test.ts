/**
 * The URNs `vpconnect check` reports are the engine's: the type part is the parent's whole qualified type
 * chain (`Grandparent$Parent$Type`), as pulumi/pulumi v3.245.0 builds it (pkg/resource/deploy/deployment.go
 * `generateURN`, sdk/go/common/resource/urn/urn.go `New`), and as the Node SDK's own `createUrn` computes it.
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { engineUrn, runCheck } from "../../evaluator";
import { qualifiedTypeOf } from "../../evaluator/mockRuntime";
import type { ReportResource } from "../../lib/reports/model";

const root = path.join(__dirname, "..", "..");

/** The SDK's createUrn (resource.ts), resolved: the Node SDK's statement of the engine's rule. */
async function sdkUrn(name: string, type: string, parent: string, project: string, stack: string) {
  const out = pulumi.createUrn(name, type, parent || undefined, project, stack);
  return (out as unknown as { promise(): Promise<string> }).promise();
}

describe("evaluator: engine URNs", () => {
  it("prefixes the parent's whole qualified type, and nothing for no parent or the root stack", () => {
    const stack = "urn:pulumi:dev::proj::pulumi:pulumi:Stack::proj-dev";
    const site = engineUrn(stack, "vpc:index:ConnectSite", "site", "dev", "proj");
    assert.equal(site, "urn:pulumi:dev::proj::vpc:index:ConnectSite::site");
    assert.equal(engineUrn("", "vpc:index:ConnectSite", "site", "dev", "proj"), site);
    const list = engineUrn(site, "vpc:index:ConnectAllowList", "allow", "dev", "proj");
    assert.equal(list, "urn:pulumi:dev::proj::vpc:index:ConnectSite$vpc:index:ConnectAllowList::allow");
    const nsg = engineUrn(list, "azure-native:network:NetworkSecurityGroup", "nsg", "dev", "proj");
    assert.equal(
      nsg,
      "urn:pulumi:dev::proj::vpc:index:ConnectSite$vpc:index:ConnectAllowList$azure-native:network:NetworkSecurityGroup::nsg",
    );
    assert.equal(
      qualifiedTypeOf(nsg),
      "vpc:index:ConnectSite$vpc:index:ConnectAllowList$azure-native:network:NetworkSecurityGroup",
    );
    // A name may hold "::": the qualified type is still the third part.
    assert.equal(
      engineUrn(engineUrn("", "a:b:C", "x::y", "dev", "proj"), "a:b:D", "z", "dev", "proj"),
      "urn:pulumi:dev::proj::a:b:C$a:b:D::z",
    );
  });

  for (const stack of ["dev", "prod"]) {
    describe(`the ${stack} stack`, () => {
      let resources: ReportResource[];
      before(async function () {
        this.timeout(60_000);
        const report = await runCheck({ stack, cwd: root, policyPacks: [] });
        resources = report.resources;
      });

      it("every URN, parent and dependency equals the SDK's createUrn over the parent chain", async () => {
        const byUrn = new Map(resources.map((r) => [r.urn, r]));
        let deepest = 0;
        for (const r of resources) {
          if (r.type === "pulumi:pulumi:Stack") continue;
          const parent = byUrn.get(r.parent);
          assert.ok(parent, `${r.urn}: its parent ${r.parent} is a registered resource`);
          assert.equal(r.urn, await sdkUrn(r.name, r.type, r.parent, "vantagepoint-connect", stack));
          for (const d of r.dependencies)
            assert.ok(byUrn.has(d), `${r.urn} depends on a registered URN ${d}`);
          deepest = Math.max(deepest, qualifiedTypeOf(r.urn).split("$").length);
        }
        // Grandchildren exist, so a rule that prefixes only the parent's last type would fail above.
        assert.ok(deepest >= 3, `deepest chain ${deepest}`);
      });
    });
  }
});
