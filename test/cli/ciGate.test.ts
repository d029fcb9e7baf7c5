// The README's CI gate, run as written (offline, in-process): a mistyped Connect IP in the stack file fails it
// with exit 1, the correct list passes. The command is read from the README's GitHub Actions example, so the
// test follows the documentation; only the stack file and the report folder are pointed at temp copies.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { main } from "../../cli/main";
import { captureIo } from "../support/io";

const root = path.join(__dirname, "..", "..");

/** The arguments of `npm run --silent vpconnect -- check ...` in the README's GitHub Actions job. */
function readmeGateArgs(): string[] {
  const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");
  const line = readme
    .split("\n")
    .find((l) => /- run: npm run --silent vpconnect -- check /.test(l) && /--stack prod/.test(l));
  assert.ok(line, "the README's GitHub Actions job runs vpconnect check on the prod stack");
  return line
    .slice(line.indexOf("-- check") + 3)
    .trim()
    .split(/\s+/);
}

/** Runs the README's gate on a copy of stacks/Pulumi.prod.yaml changed by `edit`. */
async function gate(edit: (text: string) => string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vpc-gate-"));
  const stackFile = path.join(dir, "Pulumi.prod.yaml");
  fs.writeFileSync(stackFile, edit(fs.readFileSync(path.join(root, "stacks", "Pulumi.prod.yaml"), "utf8")));
  const args = readmeGateArgs();
  const stackAt = args.indexOf("--stack");
  args.splice(stackAt, 2, "--config", stackFile);
  const outAt = args.indexOf("--out");
  args.splice(outAt, 2, "--out", path.join(dir, "reports"));
  const captured = captureIo(root);
  const code = await main(args, captured.io);
  return { code, stdout: captured.stdout, stderr: captured.stderr, dir };
}

describe("the README's CI gate on P2 (offline)", function () {
  this.timeout(120_000);

  it("uses the pack config the README documents", () => {
    const args = readmeGateArgs();
    assert.equal(args[args.indexOf("--policy-pack-config") + 1], "policies/config.example.json");
  });

  it("passes the bundled prod stack as written (exit 0), saying P2 used a placeholder list", async () => {
    const r = await gate((t) => t);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /PASS\s+connect-ips-allowed\s+mandatory/);
    assert.match(r.stdout, /P2 was checked against a PLACEHOLDER list, not Deltek's/);
    // The login app's secret slots, from the stack's dates (README, "Rotating the login app's secret").
    const slots =
      /login app secret: slot A active since 2026-09-15 \(expires 2028-09-14\); no slot B yet: issue it by 2028-08-15/;
    assert.match(r.stdout, slots);
    for (const file of ["prod.md", "prod.html", "prod.policy.json", "prod.sarif", "prod.junit.xml"]) {
      const text = fs.readFileSync(path.join(r.dir, "reports", file), "utf8");
      assert.match(text, /PLACEHOLDER list, not Deltek(&#39;|&#x27;|'|&apos;)s/, `${file} says so`);
      if (file !== "prod.junit.xml") assert.match(text, slots, `${file} says which secret slot is active`);
    }
  });

  it("fails a mistyped Connect IP (198.51.10.0/24 for 198.51.100.0/24) with exit 1", async () => {
    const r = await gate((t) => {
      assert.match(t, /- 198\.51\.100\.0\/24/);
      return t.replace("- 198.51.100.0/24", "- 198.51.10.0/24");
    });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /FAIL\s+connect-ips-allowed\s+mandatory/);
    assert.match(r.stdout, /not admitted: 198\.51\.100\.0\/24/);
    assert.match(r.stdout, /198\.51\.10\.0\/24 \(not in the reviewed copy/);
  });

  it("fails a stack that drops one of the copy's Connect ranges with exit 1", async () => {
    const r = await gate((t) => t.replace(/^\s+- 198\.51\.100\.0\/24\n/m, ""));
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /missing: 198\.51\.100\.0\/24/);
  });
});

describe("an empty copy of Connect's addresses", function () {
  this.timeout(120_000);

  it("leaves P2 not checked, said loudly in the table and the reports, never a pass", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vpc-empty-"));
    // The copy lives in the pack folder (the pack reads nothing outside it); the path is relative to it.
    fs.mkdirSync(path.join(root, "policies", ".test-copies"), { recursive: true });
    const copyDir = fs.mkdtempSync(path.join(root, "policies", ".test-copies", "empty-"));
    const copy = path.join(copyDir, "connect-ips.json");
    fs.writeFileSync(
      copy,
      JSON.stringify({
        connectIps: [],
        provenance: { source: "x", copiedOn: "2026-11-30", reviewedBy: "P" },
      }),
    );
    const config = path.join(dir, "pack-config.json");
    fs.writeFileSync(
      config,
      JSON.stringify({
        "connect-ips-allowed": { connectIpsFile: path.relative(path.join(root, "policies"), copy) },
        "connect-ips-reviewed-copy": { connectIpsFile: path.relative(path.join(root, "policies"), copy) },
      }),
    );
    const captured = captureIo(root);
    const out = path.join(dir, "reports");
    await main(["check", "--stack", "prod", "--policy-pack-config", config, "--out", out], captured.io);
    assert.match(captured.stdout, /SKIP\s+connect-ips-allowed/);
    assert.match(captured.stdout, /P2 was NOT CHECKED: .*lists no Connect addresses/);
    const md = fs.readFileSync(path.join(out, "prod.md"), "utf8");
    const p2 = md.split("\n").find((l) => l.startsWith("| P2 "));
    assert.ok(p2 && !/✅|\bpass\b/i.test(p2), `P2 is not shown as passed: ${p2}`);
    assert.match(md, /P2 was NOT CHECKED/);
    fs.rmSync(copyDir, { recursive: true, force: true });
  });
});

describe("policies/config.example.json agrees with the bundled stacks", function () {
  this.timeout(120_000);
  for (const file of fs.readdirSync(path.join(root, "stacks")).filter((f) => /^Pulumi\..+\.yaml$/.test(f))) {
    const stack = file.replace(/^Pulumi\.|\.yaml$/g, "");
    it(`the README's --policy-pack-config example passes on ${file}`, async () => {
      const captured = captureIo(root);
      const out = fs.mkdtempSync(path.join(os.tmpdir(), "vpc-example-"));
      const code = await main(
        ["check", "--stack", stack, "--policy-pack-config", "policies/config.example.json", "--out", out],
        captured.io,
      );
      assert.equal(code, 0, captured.stdout + captured.stderr);
      assert.match(captured.stdout, /PASS\s+connect-ips-allowed/);
    });
  }
});
