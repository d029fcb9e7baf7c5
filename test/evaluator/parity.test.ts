/**
 * Parity: `vpconnect check`'s in-process evaluator (--in-process) against Pulumi's own analyzer (each pack
 * started with run-policy-pack and driven over gRPC, the default path). On provoking variants of the bundled
 * stacks, each violating a different policy, with this project's pack and an organization's pack
 * (test/fixtures/packs/org), both paths must report the same violations (pack, policy, level, URN, message)
 * and the same policy errors; the test fails when they drift. Each variant also asserts that it provokes the
 * policy it is meant to, so a variant that stops provoking fails instead of passing quietly.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseDocument } from "yaml";
import { runCheck } from "../../evaluator/check";
import type { EvaluationResult } from "../../evaluator/evaluate";

const ROOT = path.join(__dirname, "..", "..");

interface Variant {
  name: string;
  /** The bundled stack it starts from. */
  stack: "dev" | "prod";
  /** Stack config edits: path under `config` -> value. */
  edits?: Array<[string[], unknown]>;
  /** --policy-pack-config for this project's pack and for the organization's pack. */
  packConfig?: Record<string, unknown>;
  orgConfig?: Record<string, unknown>;
  preview?: boolean;
  /** The policy (and level) the variant must provoke. */
  provokes: [string, string];
}

const VARIANTS: Variant[] = [
  { name: "dev as bundled", stack: "dev", provokes: ["org-cost-center-tag", "mandatory"] },
  { name: "prod as bundled", stack: "prod", provokes: ["connect-ips-reviewed-copy", "advisory"] },
  {
    name: "organization caps public IPs at 0",
    stack: "dev",
    orgConfig: { "org-max-public-ips": { maxPublicIps: 0 } },
    provokes: ["org-max-public-ips", "mandatory"],
  },
  {
    name: "secret lifetime cap below the stack's 365 days",
    stack: "dev",
    packConfig: { "entra-secret-max-lifetime": { maxSecretLifetimeDays: 30 } },
    provokes: ["entra-secret-max-lifetime", "mandatory"],
  },
  {
    name: "login redirect checked against another public URL",
    stack: "dev",
    packConfig: { "entra-login-redirect-matches-public-url": { vantagepointAppPath: "/elsewhere/app" } },
    provokes: ["entra-login-redirect-matches-public-url", "mandatory"],
  },
  {
    name: "the placeholder copy of Connect's addresses made mandatory",
    stack: "dev",
    packConfig: { "connect-ips-reviewed-copy": "mandatory" },
    provokes: ["connect-ips-reviewed-copy", "mandatory"],
  },
  {
    name: "allow ranges narrower than the stack's /24s",
    stack: "dev",
    packConfig: { "connect-ips-allowed": { widestPrefixV4: 28 } },
    provokes: ["connect-ips-allowed", "mandatory"],
  },
  {
    name: "mailbox app with whole-tenant application permissions",
    stack: "dev",
    edits: [
      [
        ["vpconnect:entra", "mailboxApp"],
        {
          enabled: true,
          applicationPermissions: true,
          secretLifetimeDays: 180,
          secretRotatedOn: "2026-11-01",
        },
      ],
    ],
    provokes: ["mailbox-app-least-privilege", "advisory"],
  },
  {
    name: "every policy advisory, one disabled, the org's tag policy at remediate",
    stack: "dev",
    packConfig: {
      all: "advisory",
      "connect-ips-reviewed-copy": "disabled",
      "entra-secret-max-lifetime": { maxSecretLifetimeDays: 30 },
    },
    orgConfig: { "org-cost-center-tag": "remediate" },
    provokes: ["entra-secret-max-lifetime", "advisory"],
  },
  {
    name: "the costCenter tag set, the organization's policies advisory and its IP cap at 0",
    stack: "dev",
    edits: [[["vpconnect:azure", "tags", "costCenter"], "cc-1234"]],
    orgConfig: { all: "advisory", "org-max-public-ips": { maxPublicIps: 0 } },
    provokes: ["org-max-public-ips", "advisory"],
  },
  {
    name: "a first preview of a new stack",
    stack: "dev",
    preview: true,
    // The engine turns a read of an unknown value into an advisory "can't run ... during preview".
    provokes: ["connect-public-url-https", "advisory"],
  },
];

function key(v: EvaluationResult["violations"][number]): string {
  return JSON.stringify([v.pack, v.policy, v.level, v.urn, v.message]);
}

describe("parity: in-process evaluator = Pulumi's analyzer (run-policy-pack over gRPC)", function () {
  this.timeout(600_000);
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "vpconnect-parity-"));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("has at least ten variants, each provoking a different policy or level, with an organization pack", () => {
    assert.ok(VARIANTS.length >= 10);
    const provoked = new Set(VARIANTS.map((v) => v.provokes.join("@")));
    assert.ok(provoked.size >= 10, `variants provoke ${provoked.size} distinct policy results`);
  });

  for (const variant of VARIANTS) {
    it(`${variant.name}: same violations and errors on both paths`, async () => {
      const doc = parseDocument(
        fs.readFileSync(path.join(ROOT, "stacks", `Pulumi.${variant.stack}.yaml`), "utf8"),
      );
      for (const [at, value] of variant.edits ?? []) doc.setIn(["config", ...at], value);
      const slug = variant.name.replace(/[^a-z0-9]+/gi, "-").toLowerCase();
      const stackFile = path.join(dir, `Pulumi.${variant.stack}.yaml`);
      fs.writeFileSync(stackFile, doc.toString({ lineWidth: 0 }));
      const configs: string[] = [];
      for (const [which, config] of [
        ["pack", variant.packConfig ?? {}],
        ["org", variant.orgConfig ?? {}],
      ] as const) {
        const file = path.join(dir, `${slug}.${which}.json`);
        fs.writeFileSync(file, JSON.stringify(config));
        configs.push(file);
      }
      let results: { analyzer: EvaluationResult; inProcess: EvaluationResult } | undefined;
      const report = await runCheck({
        cwd: ROOT,
        configFile: path.relative(ROOT, stackFile),
        policyPacks: ["policies", "test/fixtures/packs/org"],
        policyPackConfigs: configs,
        ...(variant.preview ? { preview: true } : {}),
        onParity: (r) => (results = r),
      });
      assert.equal(report.configIssues.length, 0, JSON.stringify(report.configIssues));
      assert.equal(report.programError, undefined);
      assert.ok(results, "both paths ran");
      const analyzer = results.analyzer.violations.map(key).sort();
      const inProcess = results.inProcess.violations.map(key).sort();
      assert.deepEqual(inProcess, analyzer, "violations (pack, policy, level, URN, message) drifted");
      assert.deepEqual(
        results.inProcess.errors.map((e) => [e.pack, e.policy, e.urn, e.message]).sort(),
        results.analyzer.errors.map((e) => [e.pack, e.policy, e.urn, e.message]).sort(),
      );
      assert.deepEqual(
        results.inProcess.policies.map((p) => [p.pack, p.name, p.level, p.results.violations]),
        results.analyzer.policies.map((p) => [p.pack, p.name, p.level, p.results.violations]),
      );
      const [policy, level] = variant.provokes;
      assert.ok(
        report.violations.some((v) => v.policy === policy && v.level === level),
        `${variant.name} must provoke ${policy} at ${level}; got ${report.violations.map((v) => `${v.policy}@${v.level}`).join(", ")}`,
      );
    });
  }
});
