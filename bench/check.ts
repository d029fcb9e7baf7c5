/**
 * npm run bench:check: how `vpconnect check` scales with the size of a site, and what Pulumi's analyzer costs.
 *
 * Generates two stack files from stacks/Pulumi.dev.yaml: 10 users and 20 allow-list ranges, and 5,000 users
 * and 3,000 ranges (public /32s that do not merge into fewer CIDRs), and checks the dev stack as bundled. Times
 * the whole check in this one process: read and validate the stack config, run the program under mocks,
 * evaluate every policy, and render every report format (no file writes); with the analyzer (the default path:
 * each pack started with run-policy-pack and driven over gRPC, evaluator/analyzer.ts) and in-process
 * (--in-process), in the same run. The dev check's time is split into program, analyzer start (spawn to
 * GetAnalyzerInfo; it runs while the program runs, `analyzer_wait` is the part the program did not hide) and
 * evaluation.
 *
 * Warm-up: one untimed check per case first, so module loading and TypeScript transpiling (paid once per
 * process) are counted in neither; each case is then timed RUNS times and the median is reported.
 * Prints one JSON line; targets (reported on stderr): analyzer dev check <= 1.5x the in-process one, and the
 * large check <= 3x the small one (analyzer path).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseDocument } from "yaml";
import { runCheck } from "../evaluator";
import type { CheckTimings, EvaluationPath } from "../evaluator/check";
import { RENDERERS, REPORT_FORMATS } from "../lib/reports";

const ROOT = path.join(__dirname, "..");
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const TARGET_RATIO = 3;
const TARGET_ANALYZER = 1.5;

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

/**
 * A stack file like the dev stack with `userCount` users and `rangeCount` ranges (2 Connect IPs, the rest
 * extra). The users go into a roster file (as the prod stack keeps its roster): Pulumi hands plugins the whole
 * stack config in one environment variable, which Linux caps at 128 KiB, so 5,000 inline users cannot reach a
 * policy pack (or the program) under the engine at all.
 */
function stackFile(dir: string, name: string, userCount: number, rangeCount: number): string {
  const doc = parseDocument(fs.readFileSync(path.join(ROOT, "stacks", "Pulumi.dev.yaml"), "utf8"));
  const all = ranges(rangeCount);
  doc.setIn(["config", "vpconnect:allowList", "connectIps"], all.slice(0, 2));
  doc.setIn(["config", "vpconnect:allowList", "extraRanges"], all.slice(2));
  const roster = path.join(dir, `roster.${name}.csv`);
  fs.writeFileSync(
    roster,
    [
      "userId,email,firstName,lastName",
      ...users(userCount).map((u) => `${u.userId},${u.email},${u.firstName},${u.lastName}`),
    ].join("\n") + "\n",
  );
  doc.deleteIn(["config", "vpconnect:roster", "users"]);
  doc.setIn(["config", "vpconnect:roster", "file"], path.relative(ROOT, roster));
  const file = path.join(dir, `Pulumi.${name}.yaml`);
  fs.writeFileSync(file, doc.toString({ lineWidth: 0 }));
  return file;
}

interface Timed {
  ms: number;
  exitCode: number;
  resources: number;
  timings: CheckTimings;
}

async function checkOnce(configFile: string, program: string, evaluator: EvaluationPath): Promise<Timed> {
  let timings: CheckTimings = { program: 0, analyzerStart: 0, analyzerWait: 0, evaluation: 0 };
  const start = process.hrtime.bigint();
  const report = await runCheck({
    cwd: ROOT,
    configFile,
    program,
    policyPacks: ["policies"],
    evaluator,
    onTimings: (t) => (timings = t),
  });
  for (const format of REPORT_FORMATS) RENDERERS[format](report);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (report.exitCode === 2) {
    throw new Error(
      `bench stack is not valid: ${report.programError ?? report.configIssues.map((i) => `${i.key}: ${i.message}`).join("; ")}`,
    );
  }
  return { ms, exitCode: report.exitCode, resources: report.resources.length, timings };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return Math.round(sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2);
}

async function main(): Promise<void> {
  // Inside the project: the config refuses roster files outside it.
  const dir = fs.mkdtempSync(path.join(ROOT, "stacks", ".bench-"));
  const program = fs.existsSync(path.join(ROOT, "index.ts"))
    ? path.join(ROOT, "index.ts")
    : path.join(ROOT, "test", "fixtures", "programs", "site", "index.js");
  const cases = {
    dev: path.join(ROOT, "stacks", "Pulumi.dev.yaml"),
    small: stackFile(dir, "bench-small", 10, 20),
    large: stackFile(dir, "bench-large", 5000, 3000),
  };
  const paths: EvaluationPath[] = ["in-process", "analyzer"];
  try {
    for (const file of Object.values(cases)) for (const p of paths) await checkOnce(file, program, p); // warm-up
    const runs = new Map<string, Timed[]>();
    for (let i = 0; i < RUNS; i++) {
      for (const [name, file] of Object.entries(cases)) {
        for (const p of paths) {
          const key = `${name}/${p}`;
          runs.set(key, [...(runs.get(key) ?? []), await checkOnce(file, program, p)]);
        }
      }
    }
    const ms = (key: string) => median(runs.get(key)!.map((r) => r.ms));
    const split = (key: string) => {
      const list = runs.get(key)!;
      return {
        total_ms: ms(key),
        program_ms: median(list.map((r) => r.timings.program)),
        analyzer_start_ms: median(list.map((r) => r.timings.analyzerStart)),
        analyzer_wait_ms: median(list.map((r) => r.timings.analyzerWait)),
        evaluation_ms: median(list.map((r) => r.timings.evaluation)),
      };
    };
    const analyzerRatio = Math.round((ms("dev/analyzer") / ms("dev/in-process")) * 100) / 100;
    const ratio = Math.round((ms("large/analyzer") / ms("small/analyzer")) * 100) / 100;
    const inProcessRatio = Math.round((ms("large/in-process") / ms("small/in-process")) * 100) / 100;
    process.stdout.write(
      `${JSON.stringify({
        dev_in_process: split("dev/in-process"),
        dev_analyzer: split("dev/analyzer"),
        analyzer_vs_in_process: analyzerRatio,
        small_ms: ms("small/analyzer"),
        large_ms: ms("large/analyzer"),
        ratio,
        small_in_process_ms: ms("small/in-process"),
        large_in_process_ms: ms("large/in-process"),
        ratio_in_process: inProcessRatio,
        runs: RUNS,
        program: path.relative(ROOT, program),
        resources: {
          dev: runs.get("dev/analyzer")![0]!.resources,
          large: runs.get("large/analyzer")![0]!.resources,
        },
      })}\n`,
    );
    const verdict = (value: number, target: number) =>
      `${value} ${value <= target ? "<=" : ">"} target ${target}: ${value <= target ? "OK" : "OVER TARGET"}`;
    process.stderr.write(`analyzer dev check vs in-process ${verdict(analyzerRatio, TARGET_ANALYZER)}\n`);
    process.stderr.write(`large vs small (analyzer) ${verdict(ratio, TARGET_RATIO)}\n`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error)?.stack ?? String(error)}\n`);
  process.exitCode = 1;
});
