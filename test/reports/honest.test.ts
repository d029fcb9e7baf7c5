/**
 * Reports claim only what was verified: an emulated run is labelled so in every format, "not checked" says why
 * and what to run, a run never leaves an earlier run's reports behind, and `--format json` still prints the
 * verdict. Through the command line (`main` in-process), as a CI job runs it.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { main } from "../../cli/main";
import { REPORT_FILES } from "../../lib/reports";
import { captureIo } from "../support/io";

const root = path.join(__dirname, "..", "..");
const PROGRAM = "test/fixtures/programs/site/index.js";
const ORG = "test/fixtures/packs/org";
const LABEL = "EMULATED, demo data";

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  files: Record<string, string>;
}

let tmp: string;
before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "vpconnect-honest-"));
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function vpconnect(out: string, ...argv: string[]): Promise<Run> {
  const captured = captureIo(root, { VPCONNECT_MAX_RETRIES: "0" });
  const code = await main(argv, captured.io);
  const files: Record<string, string> = {};
  if (fs.existsSync(out)) for (const f of fs.readdirSync(out)) files[f] = fs.readFileSync(path.join(out, f), "utf8");
  return { code, stdout: captured.stdout, stderr: captured.stderr, files };
}

const outDir = (name: string) => path.join(tmp, name);

describe("reports: an emulated run is labelled in every format", function () {
  this.timeout(120000);
  let emulated: Run;
  let offline: Run;
  before(async () => {
    emulated = await vpconnect(outDir("emu"), "check", "--stack", "dev", "--emulator", "--format", "table,json,sarif,junit,markdown,html", "--out", outDir("emu"));
    offline = await vpconnect(outDir("off"), "check", "--stack", "dev", "--format", "table,json,sarif,junit,markdown,html", "--out", outDir("off"));
  });

  it("both runs pass (so the label is all that tells them apart)", () => {
    assert.equal(emulated.code, 0, emulated.stdout + emulated.stderr);
    assert.equal(offline.code, 0, offline.stdout + offline.stderr);
  });

  it("console: the first lines and the verdict say EMULATED, with what to run against the real site", () => {
    const lines = emulated.stdout.trimEnd().split("\n");
    assert.match(lines[1]!, /^EMULATED, demo data: Vantagepoint is the bundled emulator at http:\/\/127\.0\.0\.1:\d+\/vantagepoint\/api \(database VP_DEMO\), not a real site\.$/);
    const verdict = lines.findIndex((l) => l.startsWith("PASSED"));
    assert.match(lines[verdict]!, /^PASSED \(EMULATED, demo data\): no mandatory violation/);
    assert.match(lines[verdict + 1]!, /^P3 to P6 were checked against the bundled Vantagepoint emulator's demo data, not a real site; run `vpconnect doctor --stack dev`/);
    assert.match(emulated.stdout, /^\s+PASS\*\s+connect-admin-role\s+mandatory\s+P3/m);
    assert.doesNotMatch(offline.stdout, /EMULATED|\bPASS\*/);
  });

  it("JSON: emulated, the source and the verdict", () => {
    const json = JSON.parse(emulated.files["dev.policy.json"]!);
    assert.equal(json.emulated, true);
    assert.equal(json.source.vantagepoint, "emulator");
    assert.equal(json.source.database, "VP_DEMO");
    assert.match(json.verdict, /^PASSED \(EMULATED, demo data\)/);
    const p3 = json.prerequisites.find((p: { id: string }) => p.id === "P3");
    assert.deepEqual([p3.status, p3.emulated], ["pass", true]);
    const p1 = json.prerequisites.find((p: { id: string }) => p.id === "P1");
    assert.equal(p1.emulated, false, "the stack file's own prerequisites are not the emulator's");
    const plain = JSON.parse(offline.files["dev.policy.json"]!);
    assert.equal(plain.emulated, false);
    assert.doesNotMatch(plain.verdict, /EMULATED/);
  });

  it("Markdown: the headline, never a green tick", () => {
    const md = emulated.files["dev.md"]!;
    assert.match(md.split("\n")[0]!, /^## ⚠️ PASSED \(EMULATED, demo data\): vpconnect check on stack `dev`$/);
    assert.match(md, /^> \*\*EMULATED, demo data\.\*\* Vantagepoint was the bundled emulator/m);
    assert.match(md, /^\| P3 \| .* \| ✅ pass \(EMULATED, demo data\) \|$/m);
    // Offline, P3 to P5 are not checked: a warning sign too, never a tick (the tick is in reports.test.ts).
    assert.match(offline.files["dev.md"]!.split("\n")[0]!, /^## ⚠️ PASSED: /);
  });

  it("HTML: the title, the heading and the verdict, which is not shown as a pass", () => {
    const html = emulated.files["dev.html"]!;
    assert.match(html, /<title>vpconnect check: dev PASSED \(EMULATED, demo data\)<\/title>/);
    assert.match(html, /<h1>Vantagepoint Connect readiness: stack dev \(EMULATED, demo data\)<\/h1>/);
    assert.match(html, /<div class="verdict warn"><strong>PASSED \(EMULATED, demo data\)<\/strong>/);
    assert.doesNotMatch(html, /class="verdict pass"/);
    assert.match(offline.files["dev.html"]!, /<div class="verdict warn"><strong>PASSED<\/strong>: [^<]*not checked: P3, P4, P5/);
  });

  it("JUnit: the suites' name and every test case judged on demo data", () => {
    const xml = emulated.files["dev.junit.xml"]!;
    assert.match(xml, /<testsuites name="vpconnect check dev \(EMULATED, demo data\)"/);
    for (const policy of ["connect-admin-role", "connect-admin-linked", "connect-users-linked", "connect-api-client-protected"])
      assert.match(xml, new RegExp(`<testcase classname="vantagepoint-connect" name="${policy} \\[EMULATED, demo data\\]"`));
    assert.match(xml, /<testcase classname="vantagepoint-connect" name="connect-ips-allowed"/, "P2 comes from the stack file");
    assert.doesNotMatch(offline.files["dev.junit.xml"]!, /EMULATED/);
  });

  it("SARIF: a warning notification, run properties and its own category", () => {
    const run = JSON.parse(emulated.files["dev.sarif"]!).runs[0];
    assert.equal(run.properties.emulated, true);
    assert.match(run.properties.verdict, /EMULATED/);
    assert.equal(run.automationDetails.id, "vpconnect-check/dev/emulated/");
    const first = run.invocations[0].toolExecutionNotifications[0];
    assert.deepEqual([first.level, first.message.text.startsWith(`${LABEL}: P3 to P6`)], ["warning", true]);
    const plain = JSON.parse(offline.files["dev.sarif"]!).runs[0];
    assert.equal(plain.properties.emulated, false);
    assert.equal(plain.automationDetails.id, "vpconnect-check/dev/");
  });

  it("not checked says why and what to run, in every format (P3 to P5 offline)", () => {
    const md = offline.files["dev.md"]!;
    const p3 = md.split("\n").find((l) => l.startsWith("| P3 |"))!;
    assert.match(p3, /➖ not checked: .*is not known until the resource has read Vantagepoint.* \*\*To check it:\*\* run `vpconnect doctor --stack dev` against the live Vantagepoint/);
    const html = offline.files["dev.html"]!;
    assert.match(html, /<td>P3<\/td>.*?<span class="badge skip">not checked<\/span><br>[^<]*is not known until the resource has read Vantagepoint[^<]*<br><strong>To check it:<\/strong> run <code>vpconnect doctor --stack dev<\/code>/);
    assert.match(offline.stdout, /^Not checked \(never a pass\):\n {2}P3 .*\n {5}to check it: run `vpconnect doctor --stack dev`/m);
    assert.match(offline.stdout, /PASSED: no mandatory violation \(\d+ advisory violations?\); not checked: P3, P4, P5\. Exit 0\./);
    const json = JSON.parse(offline.files["dev.policy.json"]!);
    const p5 = json.prerequisites.find((p: { id: string }) => p.id === "P5");
    assert.equal(p5.status, "not checked");
    assert.match(p5.nextStep, /vpconnect doctor --stack dev/);
    assert.match(offline.files["dev.junit.xml"]!, /name="connect-users-linked"[^>]*>[\s\S]*?<skipped\/>[\s\S]*?To check it: run `vpconnect doctor --stack dev`/);
  });

  it('"to remediate" appears only when something is to be remediated, and then says what it means', () => {
    for (const text of [offline.stdout, offline.files["dev.md"]!, offline.files["dev.html"]!]) assert.doesNotMatch(text, /remediate/);
  });
});

describe("reports: a run leaves no earlier report behind", function () {
  this.timeout(60000);
  const passing = fs.readFileSync(path.join(root, "test/fixtures/stacks/Pulumi.pass.yaml"), "utf8");
  const failing = fs.readFileSync(path.join(root, "test/fixtures/stacks/Pulumi.fail.yaml"), "utf8");

  it("a failing --format json run removes the earlier run's PASSED HTML, Markdown, SARIF and JUnit", async () => {
    const dir = fs.mkdtempSync(path.join(tmp, "stale-"));
    const stackFile = path.join(dir, "Pulumi.ci.yaml");
    const out = path.join(dir, "reports");
    fs.writeFileSync(stackFile, passing);
    const first = await vpconnect(out, "check", "--config", stackFile, "--program", PROGRAM, "--policy-pack", ORG, "--packs-only", "--out", out);
    assert.equal(first.code, 0, first.stdout + first.stderr);
    assert.deepEqual(Object.keys(first.files).sort(), Object.values(REPORT_FILES).map((f) => f("ci")).sort());
    assert.match(first.files["ci.html"]!, /PASSED/);

    fs.writeFileSync(stackFile, failing);
    const second = await vpconnect(out, "check", "--config", stackFile, "--program", PROGRAM, "--policy-pack", ORG, "--packs-only", "--format", "json", "--out", out);
    assert.equal(second.code, 1);
    assert.deepEqual(Object.keys(second.files), ["ci.policy.json"], "only this run's report is left");
    assert.equal(JSON.parse(second.files["ci.policy.json"]!).passed, false);
  });

  it("a run refused before it starts (bad --policy-pack) removes them too; other stacks' and other files stay", async () => {
    const dir = fs.mkdtempSync(path.join(tmp, "stale-"));
    const stackFile = path.join(dir, "Pulumi.ci.yaml");
    const out = path.join(dir, "reports");
    fs.writeFileSync(stackFile, passing);
    await vpconnect(out, "check", "--config", stackFile, "--program", PROGRAM, "--policy-pack", ORG, "--packs-only", "--out", out);
    fs.writeFileSync(path.join(out, "other.html"), "someone else's");
    fs.writeFileSync(path.join(out, "ci.notes.txt"), "mine");
    const refused = await vpconnect(out, "check", "--config", stackFile, "--program", PROGRAM, "--policy-pack", "no/such/pack", "--out", out);
    assert.equal(refused.code, 2);
    assert.deepEqual(Object.keys(refused.files).sort(), ["ci.notes.txt", "other.html"]);
  });

  it("a table-only run without --out leaves the reports folder alone", async () => {
    const dir = fs.mkdtempSync(path.join(tmp, "stale-"));
    const stackFile = path.join(dir, "Pulumi.ci.yaml");
    fs.writeFileSync(stackFile, passing);
    const reports = path.join(root, "reports");
    const before = fs.existsSync(reports) ? fs.readdirSync(reports).sort() : [];
    const run = await vpconnect(reports, "check", "--config", stackFile, "--program", PROGRAM, "--policy-pack", ORG, "--packs-only");
    assert.equal(run.code, 0);
    assert.deepEqual(fs.existsSync(reports) ? fs.readdirSync(reports).sort() : [], before);
  });

  it("--format json prints the one-line verdict on stdout (and only that)", async () => {
    const dir = fs.mkdtempSync(path.join(tmp, "stale-"));
    const stackFile = path.join(dir, "Pulumi.ci.yaml");
    const out = path.join(dir, "reports");
    fs.writeFileSync(stackFile, failing);
    const run = await vpconnect(out, "check", "--config", stackFile, "--program", PROGRAM, "--policy-pack", ORG, "--packs-only", "--format", "json", "--out", out);
    assert.equal(run.code, 1);
    assert.equal(run.stdout, `${JSON.parse(run.files["ci.policy.json"]!).verdict}\n`);
    assert.match(run.stdout, /^FAILED: 1 mandatory violation \(0 advisory violations\).*Exit 1\.\n$/);
    assert.match(run.stderr, /^Reports: /m);
  });
});
