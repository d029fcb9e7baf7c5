import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runCheck } from "../../evaluator";
import { repoBaseOf } from "../../evaluator/check";
import { findKeyLine } from "../../lib/reports/locate";
import { RENDERERS, REPORT_FORMATS, renderHtml, renderJunit, renderMarkdown, renderSarif, renderTable } from "../../lib/reports";
import { artifactUri, toSarif as toSarifForTest } from "../../lib/reports/sarif";
import { PREREQUISITES } from "../../lib/reports";
import type { CheckReport } from "../../lib/reports";

const root = path.join(__dirname, "..", "..");
const SENTINELS = ["S3ntinel-pa55word-ZQX", "sentinel-kv-value-5b1f", "sentinel-output-secret-9c2e"];

/** The SARIF 2.1.0 schema from @microsoft/jest-sarif is draft-04: checked with the ajv 6 that package ships. */
function sarifValidator(): (data: unknown) => { valid: boolean; errors: string } {
  const base = path.dirname(require.resolve("@microsoft/jest-sarif/package.json"));
   
  const Ajv = require(require.resolve("ajv", { paths: [base] }));
  const ajv = new Ajv({ schemaId: "auto", validateSchema: false, allErrors: true });
  ajv.addMetaSchema(require(require.resolve("ajv/lib/refs/json-schema-draft-04.json", { paths: [base] })));
  const validate = ajv.compile(require(path.join(base, "lib/schemas/sarif-2.1.0-rtm.5.json")));
   
  return (data) => ({ valid: validate(data) as boolean, errors: JSON.stringify(validate.errors) });
}

function count(xml: string, tag: string): number {
  return (xml.match(new RegExp(`<${tag}[\\s>/]`, "g")) ?? []).length;
}

function rootAttr(xml: string, name: string): number {
  return Number(new RegExp(`<testsuites[^>]*\\s${name}="(\\d+)"`).exec(xml)?.[1]);
}

describe("reports", () => {
  let report: CheckReport;
  let invalid: CheckReport;
  const validate = sarifValidator();
  before(async function () {
    this.timeout(60000);
    report = await runCheck({
      cwd: root,
      configFile: "test/fixtures/stacks/Pulumi.fail.yaml",
      program: "test/fixtures/programs/site/index.js",
      policyPacks: ["test/fixtures/packs/org", "test/fixtures/packs/broken"],
      secretOverrides: { "vantagepoint.password": SENTINELS[0]! },
    });
    invalid = await runCheck({
      cwd: root,
      configFile: "test/fixtures/stacks/Pulumi.invalid.yaml",
      program: "test/fixtures/programs/site/index.js",
      policyPacks: ["test/fixtures/packs/org"],
    });
  });

  it("the report under test has violations, an error and a remediate result", () => {
    assert.equal(report.exitCode, 1);
    assert.deepEqual(
      report.violations.map((v) => [v.policy, v.level]).sort(),
      [["org-cost-center-tag", "mandatory"], ["remediate-ip-tags", "remediate"]],
    );
    assert.equal(report.errors.length, 1);
  });

  it("json keeps the documented fields", () => {
    const json = JSON.parse(RENDERERS.json(report));
    assert.equal(json.stack, "fail");
    assert.equal(json.summary.resources, report.resources.length);
    assert.match(json.verdict, /^FAILED: 1 mandatory violation, 1 policy error .*Exit 1\.$/);
    assert.equal(json.emulated, false);
    assert.deepEqual(json.source, { vantagepoint: "not contacted" });
    for (const p of json.policies) assert.deepEqual(Object.keys(p).slice(0, 3), ["name", "level", "prerequisite"]);
    const v = json.violations.find((x: { policy: string }) => x.policy === "org-cost-center-tag");
    assert.deepEqual(Object.keys(v).slice(0, 5), ["policy", "level", "urn", "message", "prerequisite"]);
    assert.equal(v.level, "mandatory");
    assert.equal(v.prerequisite, null);
    assert.match(v.urn, /::vpconnect-dev-pip$/);
    assert.equal(json.exitCode, 1);
  });

  it("json lists every resource: type, name, URN, parent, dependencies, options and masked inputs", () => {
    const json = JSON.parse(RENDERERS.json(report));
    assert.equal(json.resources.length, report.resources.length);
    assert.deepEqual(
      json.resources.map((r: { urn: string }) => r.urn).sort(),
      report.resources.map((r) => r.urn).sort(),
    );
    for (const r of json.resources) {
      assert.deepEqual(Object.keys(r), ["type", "name", "urn", "parent", "dependencies", "custom", "provider", "options", "inputs", "secretPaths"]);
      assert.deepEqual(Object.keys(r.options), ["protect", "retainOnDelete", "additionalSecretOutputs"]);
    }
    const byName = (name: string) => json.resources.find((r: { name: string }) => r.name === name);
    const site = byName("connect");
    const nsg = byName("vpconnect-dev-nsg");
    const pip = byName("vpconnect-dev-pip");
    assert.equal(nsg.parent, site.urn, "the parent is the component's URN");
    assert.deepEqual(nsg.dependencies, [pip.urn], "dependsOn is listed");
    assert.equal(nsg.type, "azure-native:network:NetworkSecurityGroup");
    assert.deepEqual(nsg.inputs.securityRules[0].sourceAddressPrefixes, ["203.0.113.0/24", "198.51.100.0/24", "192.0.2.64/27"]);
    const client = byName("connect-api-client");
    assert.deepEqual(client.options, { protect: true, retainOnDelete: true, additionalSecretOutputs: ["connection"] });
    assert.equal(client.inputs.connection.password, "[secret]");
    assert.ok(client.secretPaths.includes("connection.password"), client.secretPaths.join());
    const secret = byName("vpconnect-dev-login-secret");
    assert.equal(secret.inputs.properties.value, "[secret]");
    assert.deepEqual(secret.secretPaths, ["properties.value"]);
  });

  it("counts as checked only the resources a policy applies to", () => {
    const pips = report.resources.filter((r) => r.type === "azure-native:network:PublicIPAddress").length;
    const tag = report.policies.find((p) => p.name === "org-cost-center-tag")!;
    assert.ok(report.resources.length > pips + 1, "the stack has other resources too");
    assert.equal(tag.applicable, pips, "validateResourceOfType(PublicIPAddress) applies to the public IPs only");
    // A policy written `if (args.type !== X) return` applies to X only, though the engine calls it for every resource.
    const nsg = report.policies.find((p) => p.name === "throws-on-nsg")!;
    assert.ok(nsg.results.evaluated >= report.resources.length, "the engine calls it for every resource (default providers too)");
    assert.equal(nsg.applicable, 1);
    assert.match(renderTable(report), /org-cost-center-tag\s+mandatory\s+-\s+1 of \d+ resources checked, 1 violation\b/);
    for (const p of report.policies) assert.ok(p.durationMs >= 0 && Number.isFinite(p.durationMs));
  });

  it("sarif is valid SARIF 2.1.0: one rule per policy, error/warning/note by level, pointing at the stack file", () => {
    const log = JSON.parse(renderSarif(report));
    const checked = validate(log);
    assert.ok(checked.valid, checked.errors);
    const run = log.runs[0];
    assert.equal(run.tool.driver.rules.length, report.policies.length);
    assert.equal(run.results.length, report.violations.length);
    const mandatory = run.results.find((r: { ruleId: string }) => r.ruleId === "org-cost-center-tag");
    assert.equal(mandatory.level, "error");
    assert.equal(run.results.find((r: { ruleId: string }) => r.ruleId === "remediate-ip-tags").level, "note");
    const loc = mandatory.locations[0].physicalLocation;
    assert.equal(loc.artifactLocation.uri, "test/fixtures/stacks/Pulumi.fail.yaml");
    assert.ok(loc.region.startLine >= 1);
    assert.equal(run.invocations[0].executionSuccessful, false);
    assert.match(run.invocations[0].toolExecutionNotifications[0].message.text, /throws-on-nsg/);
    // The schema check can fail: a wrong level is rejected.
    run.results[0].level = "fatal";
    assert.equal(validate(log).valid, false);
  });

  it("sarif uris are repository-relative with %SRCROOT%, wherever in the repository the check ran", () => {
    // Run from infra/ of a repository: code scanning only maps an alert to infra/stacks/..., never to stacks/...
    const fromInfra: CheckReport = { ...report, stackFile: "stacks/Pulumi.prod env.yaml", repoBase: "infra" };
    const log = JSON.parse(renderSarif(fromInfra));
    assert.ok(validate(log).valid);
    const loc = log.runs[0].results[0].locations[0].physicalLocation.artifactLocation;
    assert.deepEqual(
      { uri: loc.uri, uriBaseId: loc.uriBaseId },
      { uri: "infra/stacks/Pulumi.prod%20env.yaml", uriBaseId: "%SRCROOT%" },
    );
    assert.equal(log.runs[0].artifacts[0].location.uri, "infra/stacks/Pulumi.prod%20env.yaml");
    // A file outside the repository, or a URL, is left as it is (no base it could resolve against).
    assert.deepEqual(artifactUri("../../elsewhere/Pulumi.x.yaml", "infra"), {
      uri: "../../elsewhere/Pulumi.x.yaml",
    });
    assert.deepEqual(artifactUri("https://vp.example.com/vantagepoint", ""), {
      uri: "https://vp.example.com/vantagepoint",
    });
    // runCheck finds the repository root from the working folder.
    const repo = fs.mkdtempSync(path.join(os.tmpdir(), "vpc-repo-"));
    fs.mkdirSync(path.join(repo, ".git"));
    fs.mkdirSync(path.join(repo, "infra", "sub"), { recursive: true });
    assert.deepEqual(repoBaseOf(path.join(repo, "infra", "sub")), { repoBase: "infra/sub" });
    assert.deepEqual(repoBaseOf(repo), { repoBase: "" });
    fs.rmSync(repo, { recursive: true, force: true });
  });

  it("sarif regions point at the config key a policy is about", () => {
    const text = fs.readFileSync(path.join(root, "test/fixtures/stacks/Pulumi.fail.yaml"), "utf8");
    const synthetic: CheckReport = {
      ...report,
      policies: [{ ...report.policies[0]!, pack: "vantagepoint-connect", name: "connect-ips-allowed", prerequisite: "P2" }],
      violations: [{ pack: "vantagepoint-connect", policy: "connect-ips-allowed", level: "mandatory", urn: null, message: "m", prerequisite: "P2" }],
    };
    const log = toSarifForTest(synthetic);
    const line = log.runs[0]!.results![0]!.locations![0]!.physicalLocation!.region!.startLine!;
    assert.equal(line, findKeyLine(text, "vpconnect:allowList.connectIps"));
    assert.match(text.split("\n")[line - 1]!, /^\s+connectIps:/);
  });

  it("sarif for invalid config is valid and lists each problem at its key", () => {
    const log = JSON.parse(renderSarif(invalid));
    assert.ok(validate(log).valid, validate(log).errors);
    const results = log.runs[0].results;
    assert.equal(results.length, 4);
    const text = fs.readFileSync(path.join(root, "test/fixtures/stacks/Pulumi.invalid.yaml"), "utf8");
    const host = results.find((r: { message: { text: string } }) => r.message.text.startsWith("vpconnect:site.publicHostname"));
    assert.match(text.split("\n")[host.locations[0].physicalLocation.region.startLine - 1], /publicHostname:/);
  });

  it("junit has one test case per policy with its time; failures list the resources and messages in the body", () => {
    const xml = renderJunit(report);
    assert.match(xml, /^<\?xml/);
    assert.equal(count(xml, "testcase"), report.policies.length);
    assert.equal(rootAttr(xml, "tests"), report.policies.length);
    assert.equal(count(xml, "failure"), 1);
    assert.equal(rootAttr(xml, "failures"), 1);
    assert.equal(count(xml, "error"), 1);
    assert.equal(rootAttr(xml, "errors"), 1);
    const tag = /<testcase classname="acme-org" name="org-cost-center-tag" [^>]*time="([\d.]+)"[^>]*>([\s\S]*?)<\/testcase>/.exec(xml);
    assert.ok(tag, xml);
    const policy = report.policies.find((p) => p.name === "org-cost-center-tag")!;
    assert.equal(Number(tag[1]), policy.durationMs / 1000, "the policy's own time");
    assert.match(tag[2]!, /<failure message="1 mandatory violation on 1 resource: Add a costCenter tag[^"]*" type="mandatory"><!\[CDATA\[network:PublicIPAddress vpconnect-dev-pip \(urn:pulumi:fail::[^)]*::vpconnect-dev-pip\): Add a costCenter tag/);
    assert.match(tag[2]!, /<property name="applicable" value="1"\/>/);
    // A policy that checked nothing is skipped and says why.
    assert.match(xml, /name="stack-not-applicable"[\s\S]*?<skipped\/>[\s\S]*?<system-out>[\s\S]*?not checked: /);
    const suiteTime = Number(/<testsuite name="acme-org"[^>]*time="([\d.]+)"/.exec(xml)?.[1]);
    const sum = report.policies.filter((p) => p.pack === "acme-org").reduce((t, p) => t + p.durationMs, 0) / 1000;
    assert.ok(Math.abs(suiteTime - sum) < 1e-9, `${suiteTime} vs ${sum}`);
    const bad = renderJunit(invalid);
    assert.equal(count(bad, "failure"), 4);
  });

  it("junit: several resources failing one policy are one failure listing each", () => {
    const pip = report.violations.find((v) => v.policy === "org-cost-center-tag")!;
    const two: CheckReport = {
      ...report,
      violations: [...report.violations, { ...pip, urn: `${pip.urn}2`, resourceName: "second-pip", message: "second message" }],
    };
    const xml = renderJunit(two);
    assert.equal(count(xml, "failure"), 1);
    assert.match(xml, /<failure message="2 mandatory violations on 2 resources: [^"]*"[^>]*><!\[CDATA\[[^\]]*vpconnect-dev-pip[^\]]*: Add a costCenter[^\]]*\n[^\]]*second-pip[^\]]*: second message\]\]>/);
  });

  it("markdown has counts, a prerequisite table, the violations and a Mermaid topology", () => {
    const md = renderMarkdown(report);
    assert.match(md, /^## ❌ FAILED: vpconnect check on stack `fail`/);
    for (const id of ["P1", "P2", "P3", "P4", "P5", "P6", "P7", "P8"]) assert.match(md, new RegExp(`^\\| ${id} \\|`, "m"));
    assert.match(md, /\| mandatory \| `org-cost-center-tag` \| network:PublicIPAddress `vpconnect-dev-pip` \|/);
    assert.match(md, /```mermaid\nflowchart LR\n {2}internet\(\("Internet \/ Connect"\)\)\n {2}nsg\["NSG vpconnect-dev-nsg: 3 allowed sources"\]/);
    assert.match(md, /internet --> nsg/);
  });

  it("html is self-contained, escaped, with a pass/fail overview per prerequisite", () => {
    const html = renderHtml(report);
    assert.match(html, /^<!DOCTYPE html>/);
    assert.doesNotMatch(html, /<script|<link|\ssrc=|url\(|@import|https?:\/\/(?!vantagepoint\.example\.com)/i);
    assert.match(html, /<td>P1<\/td><td>Public HTTPS URL Connect can reach<\/td>/);
    assert.match(html, /class="verdict fail"><strong>FAILED<\/strong>/);
    // Other packs' failures have their row, as in Markdown (issue 19).
    assert.match(html, /<td>-<\/td><td>Other packs&#39;? policies<\/td><td>.*org-cost-center-tag.*<\/td><td>\d+<\/td><td><span class="badge fail">1 failing<\/span><\/td>/);
    const hostile: CheckReport = {
      ...report,
      stack: `<img onerror=x>`,
      violations: [{ ...report.violations[0]!, message: `<script>alert("x")</script> & more` }],
    };
    const out = renderHtml(hostile);
    assert.ok(!out.includes("<script>") && !out.includes("<img"));
    assert.ok(out.includes("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more"));
  });

  it("green and a tick only when every prerequisite was checked and passed", () => {
    const all: CheckReport = {
      ...report,
      policies: PREREQUISITES.map((p) => ({
        ...report.policies[0]!,
        name: `policy-${p.id}`,
        prerequisite: p.id,
        level: "mandatory" as const,
        applicable: 1,
        results: { evaluated: 1, passed: 1, violations: 0, notApplicable: 0, errors: 0 },
      })),
      violations: [],
      errors: [],
      exitCode: 0,
      summary: { ...report.summary, mandatory: 0, advisory: 0, remediate: 0, errors: 0, passed: true },
    };
    assert.match(renderHtml(all), /<div class="verdict pass"><strong>PASSED<\/strong>/);
    assert.match(renderMarkdown(all).split("\n")[0]!, /^## ✅ PASSED: /);
    // One prerequisite not checked turns both amber.
    const one = { ...all, policies: all.policies.map((p, i) => (i === 2 ? { ...p, applicable: 0, notChecked: "why" } : p)) };
    assert.match(renderHtml(one), /<div class="verdict warn"><strong>PASSED<\/strong>/);
    assert.match(renderMarkdown(one).split("\n")[0]!, /^## ⚠️ PASSED: /);
  });

  it("no format ever contains a secret (sentinel values)", () => {
    for (const format of REPORT_FORMATS) {
      const text = RENDERERS[format](report);
      for (const s of SENTINELS) assert.ok(!text.includes(s), `${format} leaks ${s}`);
    }
    assert.ok(RENDERERS.table(report).includes("[secret]"), "the masked output is shown as [secret]");
  });
});
