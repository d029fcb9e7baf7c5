// Pack config files a person gets wrong (issue 19): an allow range admitting everyone, a copy of Connect's
// addresses outside the pack folder (whose content must never be echoed), a policy named twice, broken JSON.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { main } from "../../cli/main";
import { loadPacks } from "../../evaluator/check";
import { resolvePackConfig } from "../../evaluator/packConfig";
import { duplicateJsonKeys, jsonSyntaxProblem } from "../../lib/fileRules";
import { readConnectIpsCopy } from "../../policies/lib/connectIpsCopy";
import { captureIo } from "../support/io";

const root = path.join(__dirname, "..", "..");
const SENTINEL = "root:x:0:0:Sentinel-Private-Line-5e1c";

describe("pack config files (issue 19)", function () {
  this.timeout(120_000);
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "vpc-packcfg-"));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  function configFile(name: string, text: string): string {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  }

  async function check(config: string) {
    const captured = captureIo(root);
    const out = fs.mkdtempSync(path.join(dir, "out-"));
    const code = await main(
      ["check", "--stack", "dev", "--policy-pack-config", config, "--format", "json", "--out", out],
      captured.io,
    );
    const reports = fs.readdirSync(out).map((f) => fs.readFileSync(path.join(out, f), "utf8"));
    return { code, stdout: captured.stdout, stderr: captured.stderr, reports: reports.join("\n") };
  }

  it('refuses extraAllowedRanges ["0.0.0.0/0"] before anything runs, and the offered range passes', async () => {
    const bad = { "connect-ips-allowed": { extraAllowedRanges: ["0.0.0.0/0"] } };
    const r = await check(configFile("open.json", JSON.stringify(bad)));
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(
      r.stderr,
      /connect-ips-allowed\.extraAllowedRanges\[0\]: "0\.0\.0\.0\/0" admits every address, so P2's allow list would admit anyone; list the office or monitoring ranges themselves, e.g\. "192\.0\.2\.64\/27"/,
    );
    const offered = /e\.g\. "([^"]+)"/.exec(r.stderr)![1]!;
    const [loaded] = loadPacks(["policies"], [], root, root);
    const fixed = resolvePackConfig(loaded!.pack, {
      "connect-ips-allowed": { extraAllowedRanges: [offered] },
    });
    assert.deepEqual(fixed.problems, []);
  });

  it("refuses connectIpsFile outside the pack folder and never echoes the file's content", async () => {
    const outside = path.join(dir, "passwd");
    fs.writeFileSync(outside, `${SENTINEL}\n`);
    const climb = path.relative(path.join(root, "policies"), outside);
    for (const file of [climb, "../../../etc/passwd", outside]) {
      const config = configFile(
        "escape.json",
        JSON.stringify({
          "connect-ips-allowed": { connectIpsFile: file },
          "connect-ips-reviewed-copy": { connectIpsFile: file },
        }),
      );
      const r = await check(config);
      assert.equal(r.code, 2, r.stdout + r.stderr);
      assert.match(
        r.stderr,
        /connect-ips-allowed\.connectIpsFile: .*(leaves the policy pack folder|is an absolute path)/,
      );
      for (const text of [r.stdout, r.stderr, r.reports]) {
        assert.ok(!text.includes("root:x"), "no file content in any output");
        assert.ok(!text.includes("Sentinel-Private"), "no file content in any output");
      }
    }
  });

  it("the pack's own reader refuses a path or a symbolic link out of its folder, naming no content", () => {
    const pack = fs.mkdtempSync(path.join(dir, "pack-"));
    const outside = path.join(dir, "secret.txt");
    fs.writeFileSync(outside, SENTINEL);
    fs.symlinkSync(outside, path.join(pack, "connect-ips.json"));
    for (const copy of [readConnectIpsCopy(pack), readConnectIpsCopy(pack, "../secret.txt")]) {
      assert.equal(copy.ranges.length, 0);
      assert.equal(copy.problems.length, 1);
      assert.match(copy.problems[0]!, /symbolic link|leaves the policy pack folder/);
      assert.ok(!copy.problems[0]!.includes("Sentinel"), copy.problems[0]);
    }
    // A copy that is not JSON is described by place, not by its text.
    fs.unlinkSync(path.join(pack, "connect-ips.json"));
    fs.writeFileSync(path.join(pack, "connect-ips.json"), SENTINEL);
    const broken = readConnectIpsCopy(pack);
    assert.ok(!broken.problems[0]!.includes("Sentinel"), broken.problems[0]);
    assert.match(broken.problems[0]!, /not valid JSON \(it does not start like JSON/);
  });

  it("refuses a policy named twice in the file (JSON keeps only the last), naming both lines", async () => {
    const text = [
      "{",
      '  "keyvault-purge-protection": "mandatory",',
      '  "connect-ips-reviewed-copy": { "connectIpsMaxAgeDays": 90 },',
      '  "keyvault-purge-protection": "disabled"',
      "}",
    ].join("\n");
    const r = await check(configFile("twice.json", text));
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(
      r.stderr,
      /twice\.json:4: keyvault-purge-protection: is given twice \(also line 2\); only the last would count, so keep one entry/,
    );
  });

  it("broken JSON is described by line and column, never by its text", () => {
    assert.equal(
      jsonSyntaxProblem(
        catchOf(() => JSON.parse('{\n  "a": 1,\n}')),
        '{\n  "a": 1,\n}',
      ),
      "not valid JSON at line 3, column 1 (Expected double-quoted property name)",
    );
    const text = `${SENTINEL}\n`;
    const message = jsonSyntaxProblem(
      catchOf(() => JSON.parse(text)),
      text,
    );
    assert.ok(!message.includes("root"), message);
    assert.deepEqual(duplicateJsonKeys('{"a": {"x": 1, "x": 2}, "b": [ {"y": 1}, {"y": 2} ]}'), [
      { key: "x", at: "a", firstLine: 1, line: 1 },
    ]);
  });
});

function catchOf(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}
