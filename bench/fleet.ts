/**
 * npm run bench:fleet: what checking a fleet costs against checking its sites one by one.
 *
 * Generates SITES stack files from the dev stack (each under its own name), then times, in fresh processes
 * (spawn to exit, `node bin/vpconnect.js`, what a user runs):
 * - one: `check --config <one site>` (one stack, the analyzer path);
 * - fleet: `check --all <SITES files>` in one process (--jobs 1) and with two workers (--jobs 2);
 * - start: `npm start`'s command (`check --stack dev --emulator --out <tmp>`).
 * The measurements run in RUNS rounds, each round every measurement once in turn, so a machine whose speed drifts
 * over minutes slows the runs compared with each other alike. Prints one JSON line per measurement (the median of
 * RUNS: wall, and CPU seconds user+sys of the process tree when /usr/bin/time is there, which machine load hardly
 * changes, and the largest process's peak RSS; every run's wall) and the ratios fleet/one: per round (a round's
 * fleet over the same round's single site), their median, and the ratio of the medians. Target (issue 22): 20 sites
 * in under 3x the time of one; `npm start` at 3 s or less on a quiet 2-core machine. `check --all` shares one analyzer per pack per worker (evaluator/sharedAnalyzers.ts); BENCH_ISOLATE=1
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
  const format = ["--format", "json", "--out", out];
  const cases: Array<{ name: string; sites: number; args: string[] }> = [
    { name: "one", sites: 1, args: ["check", "--config", files[0]!, ...format] },
    { name: "fleet --jobs 1", sites: SITES, args: ["check", "--all", ...files, ...format] },
    { name: "fleet --jobs 2", sites: SITES, args: ["check", "--all", ...files, "--jobs", "2", ...format] },
    ...(process.env.BENCH_ISOLATE === "1"
      ? [
          {
            name: "fleet --jobs 2 --isolate-analyzers",
            sites: SITES,
            args: ["check", "--all", ...files, "--jobs", "2", "--isolate-analyzers", ...format],
          },
        ]
      : []),
    { name: "npm start", sites: 1, args: ["check", "--stack", "dev", "--emulator", "--out", out] },
  ];
  // Rounds, each case once per round in turn: a machine whose speed drifts over minutes (a shared host) slows every
  // case of a round alike, so the ratios compare runs taken side by side (a round's fleet to the same round's one).
  const runs = new Map<string, Array<ReturnType<typeof timed>>>(cases.map((c) => [c.name, []]));
  const loads: number[] = [];
  for (let round = 0; round < RUNS; round++) {
    loads.push(+os.loadavg()[0]!.toFixed(1));
    for (const c of cases) runs.get(c.name)!.push(timed(c.args));
  }
  const summary = new Map<string, { ms: number; cpuS?: number }>();
  for (const c of cases) {
    const rs = runs.get(c.name)!;
    const cpus = rs.flatMap((r) => (r.cpuS === undefined ? [] : [r.cpuS]));
    const rss = rs.flatMap((r) => (r.rssMb === undefined ? [] : [r.rssMb]));
    const ms = median(rs.map((r) => r.ms));
    const cpuS = cpus.length > 0 ? median(cpus) : undefined;
    summary.set(c.name, { ms, ...(cpuS !== undefined ? { cpuS } : {}) });
    console.log(
      JSON.stringify({
        bench: "fleet",
        name: c.name,
        sites: c.sites,
        medianMs: Math.round(ms),
        ...(cpuS !== undefined ? { medianCpuS: cpuS } : {}),
        ...(rss.length > 0 ? { peakRssMb: Math.max(...rss) } : {}),
        runsMs: rs.map((r) => Math.round(r.ms)),
        runs: RUNS,
      }),
    );
  }
  /** Per round, a case's wall over the same round's single site. */
  const roundRatios = (name: string) =>
    runs.get(name)!.map((r, i) => +(r.ms / runs.get("one")![i]!.ms).toFixed(2));
  const roundRatio = (name: string) => median(roundRatios(name));
  const ratio = (a: number | undefined, b: number | undefined) =>
    a === undefined || b === undefined ? undefined : +(a / b).toFixed(2);
  const one = summary.get("one")!;
  const fleet1 = summary.get("fleet --jobs 1")!;
  const fleet2 = summary.get("fleet --jobs 2")!;
  console.log(
    JSON.stringify({
      bench: "fleet",
      ratio: { "jobs 1 / one": roundRatio("fleet --jobs 1"), "jobs 2 / one": roundRatio("fleet --jobs 2") },
      roundRatios: {
        "jobs 1 / one": roundRatios("fleet --jobs 1"),
        "jobs 2 / one": roundRatios("fleet --jobs 2"),
      },
      ratioOfMedians: { "jobs 1 / one": ratio(fleet1.ms, one.ms), "jobs 2 / one": ratio(fleet2.ms, one.ms) },
      cpuRatio: {
        "jobs 1 / one": ratio(fleet1.cpuS, one.cpuS),
        "jobs 2 / one": ratio(fleet2.cpuS, one.cpuS),
      },
      target: `< 3x for ${SITES} sites`,
      npmStartMs: Math.round(summary.get("npm start")!.ms),
      npmStartTarget: "<= 3000 ms wall, quiet machine",
      cpus: os.cpus().length,
      loadBeforeRounds: loads,
      loadavg: os.loadavg().map((l) => +l.toFixed(1)),
    }),
  );
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
