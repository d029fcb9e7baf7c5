/**
 * npm run bench:config: how long a valid 100,000-row roster file takes to check, and the peak memory.
 * Each step runs in a fresh child process (so its peak RSS is its own):
 *   config  the config step alone: read the stack file, load and validate it with the roster file (what
 *           `vpconnect check` does before anything runs);
 *   check   the whole `vpconnect check --format json` (config step, program under mocks, policies, report).
 * One JSON line per step on stdout; a target line per step on stderr (target: under 10 s and under 500 MB).
 * BENCH_ROWS (default 100000) and BENCH_STEPS (default config,check) change what runs.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type * as Cli from "../cli/main";
import type * as Load from "../lib/config/load";
import type * as ProjectFile from "../lib/config/projectFile";
import type * as RosterFile from "../lib/config/rosterFile";
import type * as StackFile from "../lib/config/stackFile";

/** Loaded in the child only, so each step's memory is its own (the config step never loads Pulumi). */
const lazy = {
  cli: () => require("../cli/main") as typeof Cli,
  load: () => require("../lib/config/load") as typeof Load,
  projectFile: () => require("../lib/config/projectFile") as typeof ProjectFile,
  rosterFile: () => require("../lib/config/rosterFile") as typeof RosterFile,
  stackFile: () => require("../lib/config/stackFile") as typeof StackFile,
};

const ROOT = path.resolve(__dirname, "..");
const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const STEPS = (process.env.BENCH_STEPS ?? "config,check").split(",");
const TARGET = { ms: 10_000, rssMb: 500 };

/** A valid roster: every row a distinct person with an email user ID. */
function rosterCsv(rows: number): string {
  const lines = ["userId,email,firstName,lastName"];
  for (let i = 1; i <= rows; i++) {
    const id = String(i).padStart(6, "0");
    lines.push(`U${id},connect.user${id}@contoso.example,Connect,User ${id}`);
  }
  return `${lines.join("\n")}\n`;
}

async function child(step: string, stackFile: string): Promise<void> {
  const started = process.hrtime.bigint();
  let detail: Record<string, unknown> = {};
  if (step === "config") {
    const { loadStackConfig } = lazy.load();
    const { projectFileReader } = lazy.projectFile();
    const { readRosterFile } = lazy.rosterFile();
    const { parseStackFile } = lazy.stackFile();
    const { config, environments } = parseStackFile(fs.readFileSync(stackFile, "utf8"), stackFile);
    const loaded = loadStackConfig(config, {
      source: stackFile,
      readFile: projectFileReader(ROOT),
      parseRosterFile: readRosterFile,
      environments,
    });
    detail = { people: loaded.roster.length };
  } else {
    const { main } = lazy.cli();
    const out = path.join(path.dirname(stackFile), "reports");
    const code = await main(["check", "--config", stackFile, "--format", "json", "--out", out], {
      stdout: () => {},
      stderr: () => {},
      cwd: ROOT,
      env: process.env,
    });
    detail = { exitCode: code };
  }
  const ms = Number((process.hrtime.bigint() - started) / 1_000_000n);
  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  process.stdout.write(`${JSON.stringify({ step, rows: ROWS, ms, peakRssMb, ...detail })}\n`);
}

function parent(): void {
  const dir = fs.mkdtempSync(path.join(ROOT, ".bench-config-"));
  try {
    const roster = path.join(dir, "roster.csv");
    fs.writeFileSync(roster, rosterCsv(ROWS));
    const stack = fs
      .readFileSync(path.join(ROOT, "stacks/Pulumi.dev.yaml"), "utf8")
      .replace(
        "    defaultRole: CONNECT",
        `    defaultRole: CONNECT\n    file: ${path.relative(ROOT, roster).split(path.sep).join("/")}`,
      );
    const stackFile = path.join(dir, "Pulumi.bench.yaml");
    fs.writeFileSync(stackFile, stack);
    let allMet = true;
    for (const step of STEPS) {
      const line = execFileSync(
        process.execPath,
        ["-r", "ts-node/register/transpile-only", __filename, "--child", step, stackFile],
        { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 20 },
      ).trim();
      console.log(line);
      const { ms, peakRssMb } = JSON.parse(line) as { ms: number; peakRssMb: number };
      const met = ms < TARGET.ms && peakRssMb < TARGET.rssMb;
      allMet &&= met;
      console.error(
        `${step}: ${ROWS} rows in ${(ms / 1000).toFixed(1)} s, peak ${peakRssMb} MB (target < ${TARGET.ms / 1000} s, < ${TARGET.rssMb} MB): ${met ? "met" : "MISSED"}`,
      );
    }
    process.exitCode = allMet ? 0 : 1;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const at = process.argv.indexOf("--child");
if (at !== -1) {
  child(process.argv[at + 1]!, process.argv[at + 2]!).catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
} else {
  parent();
}
