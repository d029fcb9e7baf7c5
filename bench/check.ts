/**
 * npm run bench:check: how `vpconnect check` scales with the size of a site.
 *
 * Generates two stack files from stacks/Pulumi.dev.yaml: 10 users and 20 allow-list ranges, and 5,000 users
 * and 3,000 ranges (public /32s that do not merge into fewer CIDRs). Times the whole check on each, in this one
 * process: read and validate the stack config, run the program under mocks, load the policy packs, evaluate
 * every policy, and render every report format (no file writes).
 *
 * Warm-up: one untimed check per size first, so module loading and TypeScript transpiling (paid once per
 * process) are counted in neither; each size is then timed RUNS times and the median is reported.
 * Prints one JSON line {"small_ms","large_ms","ratio",...}; target ratio <= 3 (reported on stderr).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseDocument } from "yaml";
import { runCheck } from "../evaluator";
import { RENDERERS, REPORT_FORMATS } from "../lib/reports";

const ROOT = path.join(__dirname, "..");
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const TARGET_RATIO = 3;

/** Public /32s in 20.10.0.0 and up, one per /24, so no two merge into a wider CIDR. */
function ranges(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `20.${10 + Math.floor(i / 256)}.${i % 256}.1/32`);
}

function users(n: number) {
  return Array.from({ length: n }, (_, i) => {
    const id = String(i + 1).padStart(5, "0");
    return {
      userId: `USER${id}`,
      email: `user${id}@example.com`,
      firstName: "Connect",
      lastName: `User ${id}`,
    };
  });
}

/** A stack file like the dev stack with `userCount` users and `rangeCount` ranges (2 Connect IPs, the rest extra). */
function stackFile(dir: string, name: string, userCount: number, rangeCount: number): string {
  const doc = parseDocument(fs.readFileSync(path.join(ROOT, "stacks", "Pulumi.dev.yaml"), "utf8"));
  const all = ranges(rangeCount);
  doc.setIn(["config", "vpconnect:allowList", "connectIps"], all.slice(0, 2));
  doc.setIn(["config", "vpconnect:allowList", "extraRanges"], all.slice(2));
  doc.setIn(["config", "vpconnect:roster", "users"], users(userCount));
  const file = path.join(dir, `Pulumi.${name}.yaml`);
  fs.writeFileSync(file, doc.toString({ lineWidth: 0 }));
  return file;
}

async function checkOnce(
  configFile: string,
  program: string,
): Promise<{ ms: number; exitCode: number; resources: number }> {
  const start = process.hrtime.bigint();
  const report = await runCheck({ cwd: ROOT, configFile, program, policyPacks: ["policies"] });
  for (const format of REPORT_FORMATS) RENDERERS[format](report);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (report.exitCode === 2) {
    throw new Error(
      `bench stack is not valid: ${report.programError ?? report.configIssues.map((i) => `${i.key}: ${i.message}`).join("; ")}`,
    );
  }
  return { ms, exitCode: report.exitCode, resources: report.resources.length };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vpconnect-bench-"));
  const program = fs.existsSync(path.join(ROOT, "index.ts"))
    ? path.join(ROOT, "index.ts")
    : path.join(ROOT, "test", "fixtures", "programs", "site", "index.js");
  const small = stackFile(dir, "bench-small", 10, 20);
  const large = stackFile(dir, "bench-large", 5000, 3000);
  try {
    await checkOnce(small, program); // warm-up: module loading, transpiling, JIT
    await checkOnce(large, program);
    const smallRuns: number[] = [];
    const largeRuns: number[] = [];
    let resources = { small: 0, large: 0 };
    for (let i = 0; i < RUNS; i++) {
      const s = await checkOnce(small, program);
      const l = await checkOnce(large, program);
      smallRuns.push(s.ms);
      largeRuns.push(l.ms);
      resources = { small: s.resources, large: l.resources };
    }
    const smallMs = Math.round(median(smallRuns));
    const largeMs = Math.round(median(largeRuns));
    const ratio = Math.round((largeMs / smallMs) * 100) / 100;
    process.stdout.write(
      `${JSON.stringify({ small_ms: smallMs, large_ms: largeMs, ratio, runs: RUNS, program: path.relative(ROOT, program), resources })}\n`,
    );
    process.stderr.write(
      `ratio ${ratio} ${ratio <= TARGET_RATIO ? "<=" : ">"} target ${TARGET_RATIO}: ${ratio <= TARGET_RATIO ? "OK" : "OVER TARGET"}\n`,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error)?.stack ?? String(error)}\n`);
  process.exitCode = 1;
});
