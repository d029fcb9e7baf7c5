/**
 * The GitHub Actions example (examples/ci/github-actions.yml): parsed, its stack list matches the stacks folder
 * the way the workflow's shell computes it, each site's gate runs a command `vpconnect check` accepts, and each
 * site uploads its SARIF under its own category.
 */
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { parseCheckArgs } from "../../cli/check";
import { discoverStackFiles } from "../../lib/fleet/sites";

const root = path.join(__dirname, "..", "..");
/** The parsed workflow, read like JSON. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
const workflow = parse(
  fs.readFileSync(path.join(root, "examples", "ci", "github-actions.yml"), "utf8"),
) as Json;

/** Expands the matrix expressions the way GitHub does for one stack. */
function forStack(text: string, stack: string): string {
  return text.replace(/\$\{\{\s*matrix\.stack\s*\}\}/g, stack);
}

describe("the GitHub Actions fleet example", () => {
  it("has one gate job per stack from a dynamic matrix, not failing fast", () => {
    const gate = workflow.jobs.gate;
    assert.equal(gate.needs, "stacks");
    assert.equal(gate.strategy["fail-fast"], false);
    assert.equal(gate.strategy.matrix.stack, "${{ fromJSON(needs.stacks.outputs.stacks) }}");
    assert.equal(workflow.jobs.stacks.outputs.stacks, "${{ steps.list.outputs.stacks }}");
  });

  it("the stack list command finds exactly the stacks in stacks/", function () {
    const list = workflow.jobs.stacks.steps.find((s: { id?: string }) => s.id === "list").run as string;
    const command = /stacks=\$\((.*)\)/.exec(list)?.[1];
    assert.ok(command, "the list step computes stacks=$(...)");
    // Run the workflow's own pipeline (ls | sed) without jq, which the test machine need not have.
    const pipeline = command.replace(/\s*\|\s*jq .*$/, "");
    const out = execFileSync("bash", ["-c", pipeline], { cwd: root, encoding: "utf8" });
    assert.deepEqual(
      out.trim().split("\n"),
      discoverStackFiles(path.join(root, "stacks")).map((s) => s.stack),
    );
  });

  for (const stack of ["dev", "prod"]) {
    it(`${stack}: the gate command is one vpconnect check accepts, and its SARIF goes up under its own category`, () => {
      const steps = workflow.jobs.gate.steps as Json[];
      const check = steps.find((s) => s.name === "vpconnect check");
      const argv = forStack(check.run, stack).split(/\s+/);
      assert.deepEqual(argv.slice(0, 3), ["npx", "vpconnect", "check"]);
      const flags = parseCheckArgs(argv.slice(3));
      assert.equal(flags.stack, stack);
      assert.deepEqual(flags.formats, ["table", "sarif", "junit", "html"]);
      const upload = steps.find((s) => String(s.uses).startsWith("github/codeql-action/upload-sarif"));
      // Uploaded when the gate fails too, but only when the gate wrote the file (else the upload hides the error).
      assert.equal(upload.if, "always() && hashFiles(format('reports/{0}.sarif', matrix.stack)) != ''");
      assert.equal(forStack(upload.with.category, stack), `vpconnect-${stack}`);
      // The file the gate writes is the one uploaded.
      assert.equal(forStack(upload.with.sarif_file, stack), `${flags.out}/${stack}.sarif`);
    });
  }

  it("the preview job runs the project's policy pack through pulumi/actions", () => {
    const steps = workflow.jobs.preview.steps as Json[];
    const pulumiStep = steps.find((s) => String(s.uses).startsWith("pulumi/actions@"));
    assert.equal(pulumiStep.with.command, "preview");
    assert.equal(pulumiStep.with.policyPacks, "policies");
    // The pack is built before the engine loads it (package.json main is the compiled bin/policies/index.js).
    const policiesSteps = steps.filter((s) => s["working-directory"] === "policies").map((s) => s.run);
    assert.deepEqual(policiesSteps, ["npm ci --no-audit --no-fund && npm run build"]);
    assert.equal(
      JSON.parse(fs.readFileSync(path.join(root, "policies", "package.json"), "utf8")).main,
      "bin/policies/index.js",
    );
    assert.ok(
      fs.existsSync(path.join(root, pulumiStep.with.policyPackConfigs)),
      "the pack config file exists",
    );
    assert.ok(fs.existsSync(path.join(root, "policies", "PulumiPolicy.yaml")));
    assert.ok(
      workflow.permissions["security-events"] === "write",
      "SARIF upload needs security-events: write",
    );
  });
});
