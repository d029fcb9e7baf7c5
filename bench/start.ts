/**
 * npm run bench:start: what seeding through Pulumi's dynamic provider host costs `npm start`.
 *
 * Runs `vpconnect check --stack dev --emulator` (the main job, reports rendered but not written) in fresh
 * processes, alternating two ways of executing the three dynamic Vantagepoint resources against the emulator:
 * - host: through Pulumi's own dynamic provider host (`@pulumi/pulumi/cmd/dynamic-provider`, what `npm start`
 *   does), loading the serialized `__provider` over gRPC;
 * - in-process: calling the provider objects directly in the check's process (what `npm start` did before).
 * Everything else (program, policy evaluation, reports) is the same in both. Each process is timed from spawn to
 * exit, RUNS times per way (alternating, so machine load hits both alike); prints one JSON line with the medians.
 *
 * Then `npm start` itself (issue 22's target: 3 s or less wall) and its command without npm
 * (`node bin/vpconnect.js check --stack dev --emulator --out <tmp>`), alternating, RUNS times each: a second JSON
 * line with the median wall, CPU seconds (user + sys of the process tree) and peak RSS (the largest process),
 * from /usr/bin/time when it is there, and the load average before.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const ROOT = path.join(__dirname, "..");
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

/** The child: one `check --emulator`, the dynamic resources executed the `way` given. */
const CHILD = `
require("ts-node").register({ project: ${JSON.stringify(path.join(ROOT, "tsconfig.json"))}, transpileOnly: true });
const { makeCheckCommand } = require(${JSON.stringify(path.join(ROOT, "cli", "check.ts"))});
const { emulatorCheckOptions } = require(${JSON.stringify(path.join(ROOT, "cli", "emulatorCheck.ts"))});
const vp = require(${JSON.stringify(path.join(ROOT, "components", "vantagepoint"))});
const { providerExecutor } = require(${JSON.stringify(path.join(ROOT, "evaluator", "dynamic.ts"))});
const way = process.argv[1];
const command = makeCheckCommand({
  ...emulatorCheckOptions,
  async prepare(flags, options, io) {
    const prepared = await emulatorCheckOptions.prepare(flags, options, io);
    if (way === "host") return prepared;
    return { ...prepared, options: { ...prepared.options, dynamicExecutor: providerExecutor({
      ConnectRoster: vp.connectRosterProvider,
      ConnectAdminRole: vp.connectAdminRoleProvider,
      ConnectApiClient: vp.connectApiClientProvider,
    }) } };
  },
});
const out = process.argv[2];
command.run(["--stack", "dev", "--emulator", "--out", out], {
  stdout: () => {}, stderr: () => {}, cwd: ${JSON.stringify(ROOT)}, env: process.env,
}).then((code) => { process.exitCode = code; });
`;

function once(way: "host" | "in-process"): number {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "vp-bench-start-"));
  try {
    const started = process.hrtime.bigint();
    const r = spawnSync(process.execPath, ["-e", CHILD, way, out], { cwd: ROOT, encoding: "utf8" });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (r.status !== 0) throw new Error(`${way}: exit ${r.status}\n${r.stderr}`);
    return ms;
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const TIME = "/usr/bin/time";
const HAS_TIME = fs.existsSync(TIME);

/** One fresh process tree from spawn to exit: wall ms, and with /usr/bin/time CPU seconds and peak RSS (MB). */
function timed(command: string, args: string[]): { ms: number; cpuS?: number; rssMb?: number } {
  const started = process.hrtime.bigint();
  const r = HAS_TIME
    ? spawnSync(TIME, ["-f", "VPBENCH %U %S %M", command, ...args], { cwd: ROOT, encoding: "utf8" })
    : spawnSync(command, args, { cwd: ROOT, encoding: "utf8" });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.status !== 0) throw new Error(`${command} ${args.join(" ")}: exit ${r.status}\n${r.stderr}`);
  const m = /VPBENCH ([\d.]+) ([\d.]+) (\d+)/.exec(r.stderr ?? "");
  return m
    ? { ms, cpuS: +(Number(m[1]) + Number(m[2])).toFixed(2), rssMb: Math.round(Number(m[3]) / 1024) }
    : { ms };
}
const host: number[] = [];
const inProcess: number[] = [];
for (let i = 0; i < RUNS; i++) {
  inProcess.push(once("in-process"));
  host.push(once("host"));
}
const result = {
  in_process_ms: Math.round(median(inProcess)),
  host_ms: Math.round(median(host)),
  added_ms: Math.round(median(host) - median(inProcess)),
  runs: RUNS,
  load: os.loadavg()[0]!.toFixed(1),
};
process.stdout.write(`${JSON.stringify(result)}\n`);

const npmStart: Array<ReturnType<typeof timed>> = [];
const nodeOnly: Array<ReturnType<typeof timed>> = [];
const loadBefore = +os.loadavg()[0]!.toFixed(1);
for (let i = 0; i < RUNS; i++) {
  npmStart.push(timed("npm", ["start"]));
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "vp-bench-start-"));
  try {
    nodeOnly.push(
      timed(process.execPath, ["bin/vpconnect.js", "check", "--stack", "dev", "--emulator", "--out", out]),
    );
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}
const medians = (runs: Array<ReturnType<typeof timed>>) => {
  const of = (k: "cpuS" | "rssMb") => runs.flatMap((r) => (r[k] === undefined ? [] : [r[k]!]));
  return {
    wallMs: Math.round(median(runs.map((r) => r.ms))),
    ...(of("cpuS").length > 0 ? { cpuS: median(of("cpuS")), peakRssMb: median(of("rssMb")) } : {}),
  };
};
process.stdout.write(
  `${JSON.stringify({
    bench: "start",
    "npm start": medians(npmStart),
    "node bin/vpconnect.js": medians(nodeOnly),
    target: "npm start <= 3000 ms wall",
    runs: RUNS,
    loadBefore,
    loadAfter: +os.loadavg()[0]!.toFixed(1),
  })}\n`,
);
