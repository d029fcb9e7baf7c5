/**
 * Bad input: every stack file in test/fixtures/bad-configs/ (the dev stack with one defect) makes `vpconnect
 * check` exit 2 with a message naming the key path (or file row / YAML line) and the fix, echoes no secret, and
 * the program run under mocks registers no resource.
 */
import "./support/tally";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { makeCheckCommand } from "../../cli/check";
import type { Command } from "../../cli/main";
import { loadPacks } from "../../evaluator/check";
import { ConfigError, loadStackConfig } from "../../lib/config/load";
import { readRosterFile } from "../../lib/config/rosterFile";
import { parseStackFile } from "../../lib/config/stackFile";
import { Harness, installMocks } from "../support/pulumiMocks";
import {
  BAD_CONFIGS,
  BASE_STACK,
  CORPUS_DIR,
  corpusFiles,
  expectationOf,
  PLAINTEXT_SENTINELS,
  renderFixtureBytes,
  ROOT,
} from "./support/badConfigs";
import { decryptedStandIn, engineConfigFor, registered, runProgramUnderMocks } from "./support/program";
import { describeFindings, scan } from "./support/sentinels";
import { tally } from "./support/tally";
import { captureIo } from "../support/io";

/** Fixtures also run end to end through bin/vpconnect.js in a child process (one per kind of failure). */
const CHILD_PROCESS_FIXTURES = [
  "allow-any-ipv4.yaml",
  "vp-password-plaintext.yaml",
  "yaml-tab-indent.yaml",
  "yaml-alias-bomb.yaml",
  "bytes-stack-invalid-utf8.yaml",
];

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  report: {
    exitCode: number;
    resources: unknown[];
    configIssues: Array<{ file: string; key: string; message: string }>;
  };
  reportText: string;
}

/** The issue the fixture's `# expect:` line asks for, or undefined. */
function matchingIssue<T extends { key: string; message: string }>(
  issues: readonly T[],
  key: string,
  fragment: string,
): T | undefined {
  return issues.find((i) => i.key === key && i.message.includes(fragment));
}

/** Secrets a fixture may hold: plaintext sentinels, and the stand-ins the engine would decrypt secure values to. */
function secretsOf(file: string): string[] {
  const raw = (() => {
    try {
      return parseStackFile(fs.readFileSync(file, "utf8"), file).config;
    } catch {
      return {};
    }
  })();
  const standIns = Object.values(engineConfigFor(raw).config).flatMap(
    (v) => v.match(/Decrypted-Standin-[\w-]+-7d41/g) ?? [],
  );
  return [...PLAINTEXT_SENTINELS, ...standIns];
}

describe("bad input: the bad stack config corpus", function () {
  this.timeout(120_000);
  const files = corpusFiles();
  let command: Command;
  let outRoot: string;
  let harness: Harness;

  before(async () => {
    outRoot = fs.mkdtempSync(path.join(os.tmpdir(), "vpc-bad-"));
    // The check command exactly as `vpconnect check` builds it; the policy packs are loaded once for all runs.
    const packs = loadPacks(["policies"], [], ROOT, ROOT);
    command = makeCheckCommand({
      prepare: async (_flags, options) => ({ options: { ...options, loadedPacks: packs } }),
    });
    harness = await installMocks({ stack: "badconfig" });
  });
  after(() => {
    harness.restore();
    fs.rmSync(outRoot, { recursive: true, force: true });
  });

  it("has at least 110 fixtures, each the dev stack with exactly the one edit its header names", () => {
    assert.ok(files.length >= 110, `only ${files.length} fixtures`);
    const base = fs.readFileSync(BASE_STACK, "utf8");
    assert.deepEqual(
      files,
      BAD_CONFIGS.map((c) => `${c.name}.yaml`).sort(),
      "corpus files and the table differ",
    );
    for (const spec of BAD_CONFIGS) {
      const committed = fs.readFileSync(path.join(CORPUS_DIR, `${spec.name}.yaml`));
      assert.ok(
        committed.equals(renderFixtureBytes(base, spec)),
        `${spec.name}.yaml drifted from its table entry; re-render it`,
      );
      assert.deepEqual(expectationOf(committed.toString("utf8")), { key: spec.key, fragment: spec.fragment });
    }
  });

  it("the dev stack they derive from is valid (so each fixture fails for its one defect)", () => {
    const { config } = parseStackFile(fs.readFileSync(BASE_STACK, "utf8"), "stacks/Pulumi.dev.yaml");
    const loaded = loadStackConfig(config, {
      source: "stacks/Pulumi.dev.yaml",
      readFile: (p) => fs.readFileSync(path.resolve(ROOT, p), "utf8"),
      parseRosterFile: readRosterFile,
    });
    assert.equal(loaded.roster.length, 6);
  });

  /** Runs the check command in-process, the way bin/vpconnect.js does, with a JSON report. */
  async function checkInProcess(file: string, outDir: string): Promise<CliRun> {
    const captured = captureIo(ROOT);
    const code = await command.run(["--config", file, "--format", "json", "--out", outDir], captured.io);
    return { code, stdout: captured.stdout, stderr: captured.stderr, ...readReport(outDir) };
  }

  function readReport(outDir: string): Pick<CliRun, "report" | "reportText"> {
    const reportFile = fs.readdirSync(outDir).find((f) => f.endsWith(".policy.json"));
    assert.ok(reportFile, `no JSON report in ${outDir}`);
    const reportText = fs.readFileSync(path.join(outDir, reportFile), "utf8");
    return { report: JSON.parse(reportText) as CliRun["report"], reportText };
  }

  for (const name of corpusFiles()) {
    it(`${name} is rejected cleanly`, async () => {
      tally.badConfig.total++;
      const file = path.join(CORPUS_DIR, name);
      const text = fs.readFileSync(file, "utf8");
      const { key, fragment } = expectationOf(text);
      const outDir = fs.mkdtempSync(path.join(outRoot, "run-"));

      // 1. vpconnect check exits 2 and names the key and the fix, in the report and on stderr.
      const run = await checkInProcess(path.relative(ROOT, file), outDir);
      assert.equal(run.code, 2, `exit code\n${run.stderr}`);
      assert.equal(run.report.exitCode, 2);
      assert.deepEqual(run.report.resources, [], "a rejected config must not reach the program");
      const issue = matchingIssue(run.report.configIssues, key, fragment);
      assert.ok(
        issue,
        `no issue at ${key} saying "${fragment}"; got:\n${run.report.configIssues.map((i) => `  ${i.key}: ${i.message}`).join("\n")}`,
      );
      assert.ok(
        run.stderr.includes(`${key}: ${issue.message}`),
        `stderr must list the problem:\n${run.stderr}`,
      );
      assert.ok(
        issue.file.endsWith(name) || /\.(csv|json)$/.test(issue.file),
        `issue names the file: ${issue.file}`,
      );
      assert.doesNotMatch(run.stderr + run.stdout, /^\s+at .+:\d+:\d+\)?$/m, "no stack trace");

      // 2. No secret in anything it printed or wrote.
      for (const [source, content] of [
        ["stdout", run.stdout],
        ["stderr", run.stderr],
        ["report", run.reportText],
      ] as const) {
        const findings = scan(`${name} ${source}`, content, secretsOf(file));
        assert.deepEqual(findings, [], describeFindings(findings, content));
      }

      // 3. The program, run under mocks with the config the engine would hand it, registers nothing.
      harness.reset();
      let raw: Record<string, unknown>;
      try {
        raw = parseStackFile(text, name).config;
      } catch (error) {
        // The engine cannot read this file either: no program runs, nothing is registered.
        assert.ok(error instanceof ConfigError, String(error));
        assert.ok(matchingIssue(error.issues, key, fragment), "the parser names the line");
        tally.badConfig.clean++;
        return;
      }
      const thrown = await runProgramUnderMocks(harness, engineConfigFor(raw), file);
      assert.deepEqual(registered(harness), [], "the program registered resources for a bad config");
      assert.ok(
        thrown instanceof Error && thrown.name === "ConfigError",
        `the program must throw a ConfigError, got ${String(thrown)}`,
      );
      const programIssues = (thrown as ConfigError).issues;
      assert.ok(
        matchingIssue(programIssues, key, fragment),
        `the program's error must name ${key}: ${programIssues.map((i) => `${i.key}: ${i.message}`).join("; ")}`,
      );
      const message = (thrown as Error).message;
      const findings = scan(`${name} program error`, message, secretsOf(file));
      assert.deepEqual(findings, [], describeFindings(findings, message));
      tally.badConfig.clean++;
    });
  }

  it("end to end: bin/vpconnect.js check in a child process exits 2 with the same messages", async function () {
    // Five children at once on a shared 2-core machine under load took over a minute each: the limit is generous
    // so the test fails on what the children print, not on the machine's load.
    this.timeout(600_000);
    const runs = await Promise.all(
      CHILD_PROCESS_FIXTURES.map(
        (name) =>
          new Promise<{ name: string; code: number | null; stdout: string; stderr: string; outDir: string }>(
            (resolve) => {
              const outDir = fs.mkdtempSync(path.join(outRoot, "child-"));
              execFile(
                process.execPath,
                [
                  path.join(ROOT, "bin/vpconnect.js"),
                  "check",
                  "--config",
                  path.join(CORPUS_DIR, name),
                  "--format",
                  "json",
                  "--out",
                  outDir,
                ],
                { cwd: ROOT, env: { ...process.env, VPCONNECT_DEBUG: "1" }, timeout: 480_000 },
                (error, stdout, stderr) =>
                  resolve({
                    name,
                    code: error ? ((error as { code?: number }).code ?? null) : 0,
                    stdout,
                    stderr,
                    outDir,
                  }),
              );
            },
          ),
      ),
    );
    for (const run of runs) {
      const { key, fragment } = expectationOf(fs.readFileSync(path.join(CORPUS_DIR, run.name), "utf8"));
      assert.equal(run.code, 2, `${run.name}: exit code\n${run.stderr}`);
      const { report, reportText } = readReport(run.outDir);
      assert.ok(matchingIssue(report.configIssues, key, fragment), `${run.name}: ${reportText}`);
      assert.match(run.stderr, new RegExp(`${key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: `));
      for (const [source, content] of [
        ["stdout", run.stdout],
        ["stderr", run.stderr],
        ["report", reportText],
      ] as const) {
        const findings = scan(
          `${run.name} child ${source}`,
          content,
          secretsOf(path.join(CORPUS_DIR, run.name)),
        );
        assert.deepEqual(findings, [], describeFindings(findings, content));
      }
    }
  });

  it("a plaintext secret beside an encrypted one is caught by the program too (the engine marks the whole key secret)", async () => {
    const file = path.join(CORPUS_DIR, "vp-password-plaintext.yaml");
    const raw = parseStackFile(fs.readFileSync(file, "utf8"), "x").config;
    const engine = engineConfigFor(raw);
    assert.ok(
      engine.secretKeys.includes("vpconnect:vantagepoint"),
      "the engine would hand the password over as a secret",
    );
    assert.ok(
      engine.config["vpconnect:vantagepoint"]!.includes(
        decryptedStandIn("vpconnect:vantagepoint.clientSecret"),
      ),
    );
    harness.reset();
    const thrown = (await runProgramUnderMocks(harness, engine, file)) as ConfigError;
    assert.deepEqual(
      thrown.issues.map((i) => i.key),
      ["vpconnect:vantagepoint.password"],
    );
    assert.deepEqual(registered(harness), []);
  });
});
