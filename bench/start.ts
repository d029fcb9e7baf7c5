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
