/**
 * npm run bench:fleet: what checking a fleet costs against checking its sites one by one.
 *
 * Generates SITES stack files from the dev stack (each under its own name), then times, in fresh processes
 * (spawn to exit, `node bin/vpconnect.js`, what a user runs):
 * - one: `check --config <one site>` (one stack, the analyzer path);
 * - fleet: `check --all <SITES files>` in one process (--jobs 1) and with two workers (--jobs 2);
 * - start: `npm start`'s command (`check --stack dev --emulator --out <tmp>`).
 * Prints one JSON line per measurement (the median of RUNS: wall, and CPU seconds user+sys of the process tree
 * when /usr/bin/time is there, which machine load hardly changes, and the largest process's peak RSS; the load
 * average before it) and the ratios
 * fleet/one. Target (issue 22): 20 sites in under 3x the time of one; `npm start` at 3 s or less on a quiet 2-core
 * machine. `check --all` shares one analyzer per pack per worker (evaluator/sharedAnalyzers.ts); BENCH_ISOLATE=1
 * adds the same fleet with --isolate-analyzers (one analyzer per site) for comparison.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse, stringify } from "yaml";

const ROOT = path.join(__dirname, "..");
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SITES = Number(process.env.BENCH_SITES ?? 20);
const BIN = path.join(ROOT, "bin", "vpconnect.js");

const TIME = "/usr/bin/time";
const HAS_TIME = fs.existsSync(TIME);

/**
 * One fresh process: wall ms and, with /usr/bin/time, CPU seconds (user + sys, children included) and peak RSS
 * (MB, the largest process of the tree).
 */
function timed(args: string[]): { ms: number; cpuS?: number; rssMb?: number } {
  const started = process.hrtime.bigint();
  const r = HAS_TIME
    ? spawnSync(TIME, ["-f", "VPBENCH %U %S %M", process.execPath, BIN, ...args], {
        cwd: ROOT,
        encoding: "utf8",
      })
    : spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: "utf8" });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.status !== 0 && r.status !== 1)
    throw new Error(`vpconnect ${args.join(" ")}: exit ${r.status}\n${r.stderr}`);
  const cpu = /VPBENCH ([\d.]+) ([\d.]+) (\d+)/.exec(r.stderr ?? "");
  return cpu
    ? {
        ms,
        cpuS: +(Number(cpu[1]) + Number(cpu[2])).toFixed(2),
        rssMb: Math.round(Number(cpu[3]) / 1024),
      }
    : { ms };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vp-bench-fleet-"));
try {
  const dev = parse(fs.readFileSync(path.join(ROOT, "stacks", "Pulumi.dev.yaml"), "utf8"));
  const files: string[] = [];
  for (let i = 1; i <= SITES; i++) {
    const file = path.join(dir, `Pulumi.site${String(i).padStart(2, "0")}.yaml`);
    fs.writeFileSync(file, stringify(dev));
    files.push(file);
  }
  const out = path.join(dir, "reports");
  const measure = (name: string, args: string[]) => {
    const load = +os.loadavg()[0]!.toFixed(1);
    const runs = Array.from({ length: RUNS }, () => timed(args));
    const ms = median(runs.map((r) => r.ms));
    const cpus = runs.flatMap((r) => (r.cpuS === undefined ? [] : [r.cpuS]));
    const rss = runs.flatMap((r) => (r.rssMb === undefined ? [] : [r.rssMb]));
    console.log(
      JSON.stringify({
        bench: "fleet",
        name,
        sites: name.startsWith("fleet") ? SITES : 1,
        medianMs: Math.round(ms),
        ...(cpus.length > 0 ? { medianCpuS: median(cpus) } : {}),
        ...(rss.length > 0 ? { peakRssMb: Math.max(...rss) } : {}),
        runs: RUNS,
        loadBefore: load,
      }),
    );
    return { ms, cpuS: cpus.length > 0 ? median(cpus) : undefined };
  };
  const one = measure("one", ["check", "--config", files[0], "--format", "json", "--out", out]);
  const fleet1 = measure("fleet --jobs 1", ["check", "--all", ...files, "--format", "json", "--out", out]);
  const fleet2 = measure("fleet --jobs 2", [
    "check",
    "--all",
    ...files,
    "--jobs",
    "2",
    "--format",
    "json",
    "--out",
    out,
  ]);
  if (process.env.BENCH_ISOLATE === "1")
    measure("fleet --jobs 2 --isolate-analyzers", [
      "check",
      "--all",
      ...files,
      "--jobs",
      "2",
      "--isolate-analyzers",
      "--format",
      "json",
      "--out",
      out,
    ]);
  const start = measure("npm start", ["check", "--stack", "dev", "--emulator", "--out", out]);
  const ratio = (a: number | undefined, b: number | undefined) =>
    a === undefined || b === undefined ? undefined : +(a / b).toFixed(2);
  console.log(
    JSON.stringify({
      bench: "fleet",
      ratio: { "jobs 1 / one": ratio(fleet1.ms, one.ms), "jobs 2 / one": ratio(fleet2.ms, one.ms) },
      cpuRatio: {
        "jobs 1 / one": ratio(fleet1.cpuS, one.cpuS),
        "jobs 2 / one": ratio(fleet2.cpuS, one.cpuS),
      },
      target: `< 3x for ${SITES} sites`,
      npmStartMs: Math.round(start.ms),
      npmStartTarget: "<= 3000 ms wall, quiet machine",
      cpus: os.cpus().length,
      loadavg: os.loadavg().map((l) => +l.toFixed(1)),
    }),
  );
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
