import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { main } from "../../cli/main";
import { captureIo } from "../support/io";
import { parseCheckArgs, FlagError } from "../../cli/check";
import { loadPacks } from "../../evaluator/check";
import { UsageError } from "../../evaluator/stack";

const root = path.join(__dirname, "..", "..");
const PROGRAM = "test/fixtures/programs/site/index.js";
const ORG = "test/fixtures/packs/org";

async function vpconnect(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const captured = captureIo(root);
  const code = await main(argv, captured.io);
  return { code, stdout: captured.stdout, stderr: captured.stderr };
}

const check = (stack: string, ...more: string[]) =>
  vpconnect(
    "check",
    "--config",
    `test/fixtures/stacks/Pulumi.${stack}.yaml`,
    "--program",
    PROGRAM,
    "--policy-pack",
    ORG,
    // The organization's fixture pack alone: P1..P8 are not checked, so the gate passes only with --packs-only.
    "--packs-only",
    ...more,
  );

describe("vpconnect check: exit codes", () => {
  it("0 when no mandatory policy fails", async () => {
    const r = await check("pass");
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /PASS\s+org-cost-center-tag\s+mandatory/);
    assert.match(r.stdout, /PASSED: no mandatory violation/);
  });

  it("1 when no prerequisite was checked (another pack alone), never PASSED (issue 19)", async () => {
    const r = await vpconnect(
      "check",
      "--config",
      "test/fixtures/stacks/Pulumi.pass.yaml",
      "--program",
      PROGRAM,
      "--policy-pack",
      ORG,
    );
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.doesNotMatch(r.stdout, /PASSED/);
    assert.match(
      r.stdout,
      /FAILED: nothing this gate exists for was checked \(not checked: P1, P2, P3, P4, P5, P6, P7, P8, baseline\): the project's policy pack did not run; add --policy-pack policies beside the others, or pass --packs-only to gate on these packs alone\. Exit 1\./,
    );
  });

  it("--packs-only lets another pack alone pass, and the verdict says P1..P8 were not checked (issue 19)", async () => {
    const alone = await check("pass");
    assert.equal(alone.code, 0);
    assert.match(
      alone.stdout,
      /PASSED: no mandatory violation .*not checked: P1, P2, P3, P4, P5, P6, P7, P8, baseline \(--packs-only: the given packs alone\)\. Exit 0\./,
    );
  });

  it("1 on a mandatory violation, naming policy and resource", async () => {
    const r = await check("fail");
    assert.equal(r.code, 1);
    assert.match(
      r.stdout,
      /\[mandatory\] org-cost-center-tag \(network:PublicIPAddress vpconnect-dev-pip\): Add a costCenter tag/,
    );
  });

  it("2 on invalid config, listing every problem as file: key: message", async () => {
    const r = await check(
      "invalid",
      "--format",
      "json",
      "--out",
      fs.mkdtempSync(path.join(os.tmpdir(), "vpc-")),
    );
    assert.equal(r.code, 2);
    const lines = r.stderr
      .trim()
      .split("\n")
      .filter((l) => !l.startsWith("Reports:"));
    assert.equal(lines.length, 4, r.stderr);
    for (const line of lines)
      assert.match(line, /^test\/fixtures\/stacks\/Pulumi\.invalid\.yaml: vpconnect:[^:]+: .+/);
    assert.ok(lines.some((l) => l.includes("vpconnect:allowList.connectIps[1]: 0.0.0.0/0")));
  });

  it("advisory never fails the gate: a pack config file lowers the level", async () => {
    const r = await check("fail", "--policy-pack-config", "test/fixtures/packs/configs/org-advisory.json");
    assert.equal(r.code, 0, r.stdout);
    assert.match(r.stdout, /\[advisory\] org-cost-center-tag/);
  });

  it("pack config can also tighten: all mandatory and maxPublicIps 0 fails the stack policy", async () => {
    const r = await check("pass", "--policy-pack-config", "test/fixtures/packs/configs/org-strict.json");
    assert.equal(r.code, 1);
    assert.match(
      r.stdout,
      /\[mandatory\] org-max-public-ips \(stack\): The stack has 1 public IP addresses; at most 0 are allowed\./,
    );
  });

  it("1 when a policy throws (the engine would stop), reported as an error not a crash", async () => {
    const r = await check("pass", "--policy-pack", "test/fixtures/packs/broken");
    assert.equal(r.code, 1);
    assert.match(
      r.stdout,
      /Policy errors[^\n]*\n\s+throws-on-nsg on vpconnect-dev-nsg: cannot read rules of vpconnect-dev-nsg/,
    );
    assert.match(r.stdout, /\[remediate\] remediate-ip-tags/);
  });
});

describe("vpconnect check: usage errors (exit 2)", () => {
  it("an unknown flag names the flag and the fix", async () => {
    const r = await vpconnect("check", "--stack", "dev", "--polcy-pack", "policies");
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown flag --polcy-pack \(did you mean --policy-pack\?\)/);
  });

  it("a bad --format value, a missing value, a positional", async () => {
    assert.match(
      (await vpconnect("check", "--format", "table,xml")).stderr,
      /--format xml: unknown format; use a comma list of table,json,sarif,junit,markdown,html/,
    );
    assert.match((await vpconnect("check", "--stack")).stderr, /--stack needs a value, e.g. --stack dev/);
    assert.match((await vpconnect("check", "dev")).stderr, /did you mean --stack dev\?/);
  });

  it("invalid pack config is a usage error listing every problem", async () => {
    const r = await check("pass", "--policy-pack-config", "test/fixtures/packs/configs/org-invalid.json");
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /org-cost-centre-tag: pack "acme-org" has no such policy; did you mean "org-cost-center-tag"\?/,
    );
    assert.match(r.stderr, /org-max-public-ips\.maxPublicIps: must be an integer, not "two"/);
  });

  it("an empty --policy-pack-config file is no config (as the CLI reads it); broken JSON is a usage error", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vpc-cfg-"));
    fs.writeFileSync(path.join(dir, "empty.json"), " \n");
    fs.writeFileSync(path.join(dir, "broken.json"), "{ ");
    const [loaded] = loadPacks([ORG], [path.join(dir, "empty.json")], root, root);
    assert.equal(loaded!.pack.name, "acme-org");
    assert.equal(loaded!.config, undefined);
    assert.throws(
      () => loadPacks([ORG], [path.join(dir, "broken.json")], root, root),
      (e: Error) =>
        e instanceof UsageError && /--policy-pack-config .*broken\.json: not valid JSON/.test(e.message),
    );
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("a flag without its value gets a real example, not a placeholder", async () => {
    assert.match(
      (await vpconnect("check", "--format")).stderr,
      /--format needs a value, e.g. --format json,sarif/,
    );
    assert.match(
      (await vpconnect("check", "--policy-pack")).stderr,
      /--policy-pack needs a value, e.g. --policy-pack policies/,
    );
  });

  it("a missing stack, pack folder or command", async () => {
    assert.match(
      (await vpconnect("check", "--stack", "nope")).stderr,
      /--stack nope: no stacks\/Pulumi\.nope\.yaml; stacks here: dev/,
    );
    assert.match(
      (await check("pass", "--policy-pack", "no/such/pack")).stderr,
      /--policy-pack no\/such\/pack: no such folder/,
    );
    const r = await vpconnect("chek");
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown command "chek"; did you mean "check"\?/);
  });

  it("--help exits 0 and parses repeatable flags in order", async () => {
    const r = await vpconnect("check", "--help");
    assert.equal(r.code, 0);
    assert.match(r.stdout, /--policy-pack-config FILE/);
    const flags = parseCheckArgs([
      "--policy-pack",
      "a",
      "--policy-pack",
      "b",
      "--policy-pack-config",
      "a.json",
      "-f",
      "json,sarif",
      "--format",
      "md",
    ]);
    assert.deepEqual(flags.policyPacks, ["a", "b"]);
    assert.deepEqual(flags.policyPackConfigs, ["a.json"]);
    assert.deepEqual(flags.formats, ["json", "sarif", "markdown"]);
    assert.throws(() => parseCheckArgs(["--out", ""]), FlagError);
  });
});

describe("vpconnect check: run from a folder inside the project", () => {
  it("finds the project's policies/ pack by default, not ./policies of the working folder", async function () {
    this.timeout(60000);
    const captured = captureIo(path.join(root, "docs"));
    const code = await main(
      ["check", "--config", "../test/fixtures/stacks/Pulumi.pass.yaml", "--program", `../${PROGRAM}`],
      captured.io,
    );
    assert.doesNotMatch(captured.stderr, /no such folder/);
    assert.match(captured.stdout, /vantagepoint-connect/);
    assert.notEqual(code, 2, captured.stderr);
  });
});

describe("vpconnect check: an organization's pack beside this project's", () => {
  let outDir: string;
  let result: { code: number; stdout: string; stderr: string };
  before(async function () {
    this.timeout(60000);
    outDir = fs.mkdtempSync(path.join(os.tmpdir(), "vpc-both-"));
    result = await check("fail", "--policy-pack", "policies", "--out", outDir);
  });

  it("evaluates both packs and reports the org pack's violation with the right level", () => {
    const json = JSON.parse(fs.readFileSync(path.join(outDir, "fail.policy.json"), "utf8"));
    assert.deepEqual(
      json.packs.map((p: { name: string }) => p.name),
      ["acme-org", "vantagepoint-connect"],
    );
    const org = json.violations.filter((v: { pack: string }) => v.pack === "acme-org");
    assert.deepEqual(
      org.map((v: { policy: string; level: string }) => [v.policy, v.level]),
      [["org-cost-center-tag", "mandatory"]],
    );
    assert.ok(
      json.policies.some(
        (p: { name: string; prerequisite: string }) =>
          p.name === "connect-public-url-https" && p.prerequisite === "P1",
      ),
    );
    assert.deepEqual(json.errors, [], "no policy of either pack throws on this program");
    assert.equal(result.code, 1);
  });

  it("writes every format under --out", () => {
    assert.deepEqual(fs.readdirSync(outDir).sort(), [
      "fail.html",
      "fail.junit.xml",
      "fail.md",
      "fail.policy.json",
      "fail.sarif",
    ]);
    assert.match(result.stdout, /Reports: .*fail\.policy\.json/);
  });
});
