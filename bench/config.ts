/**
 * npm run bench:config: how long a valid 100,000-row roster file takes to check, and the peak memory.
 * Each step runs in a fresh child process (so its peak RSS is its own):
 *   config  the config step alone: read the stack file, load and validate it with the roster file (what
 *           `vpconnect check` does before anything runs);
 *   check   the whole `vpconnect check --format json` (config step, program under mocks, policies, report).
 *   group   the whole check of a stack whose roster is a 5,000-member Entra ID group (BENCH_GROUP_USERS), read
 *           from the Graph stand-in (emulator/graphMain.ts, its own process) through the same runCheck and JSON
 *           report as the CLI (the stand-in's address and secret given as overrides, as --emulator does).
 * Each child runs under /usr/bin/time, so besides the child's own peak (`peakRssMb`) and its own timing from its
 * first line (`ms`) the line carries the process's wall time from start to exit (`processWallMs`, module loading
 * included: what the target is on) and the largest peak of any process it started (`largestProcessRssMb`: the
 * policy analyzer, the group read). On a shared machine wall time includes waiting for a core.
 * One JSON line per step on stdout; a target line per step on stderr (target: under 10 s and under 500 MB).
 * BENCH_ROWS (default 100000) and BENCH_STEPS (default config,check,group) change what runs.
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
const STEPS = (process.env.BENCH_STEPS ?? "config,check,group").split(",");
const GROUP_USERS = Number(process.env.BENCH_GROUP_USERS ?? 5000);
const TARGET = { ms: 10_000, rssMb: 500 };
/** How each child loads TypeScript: as bin/vpconnect.js and the tests do (SWC's transpiler when installed). */
const REGISTER = path.join(ROOT, "scripts", "ts-register.js");

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
  } else if (step === "group") {
    detail = await groupCheck(stackFile);
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
  process.stdout.write(
    `${JSON.stringify({ step, ...(step === "group" ? { members: GROUP_USERS } : { rows: ROWS }), ms, peakRssMb, ...detail })}\n`,
  );
}

/** The whole check of the group stack, its roster read from a Graph stand-in holding GROUP_USERS members. */
async function groupCheck(stackFile: string): Promise<Record<string, unknown>> {
  const { spawn } = require("node:child_process") as typeof import("node:child_process");
  const { runCheck } = require("../evaluator") as typeof import("../evaluator");
  const { RENDERERS } = require("../lib/reports") as typeof import("../lib/reports");
  const main = require.resolve("../emulator/graphMain");
  const standIn = spawn(process.execPath, ["-r", REGISTER, main], {
    stdio: ["pipe", "pipe", "inherit"],
    env: { ...process.env, VPCONNECT_DEMO_GROUP_USERS: String(GROUP_USERS) },
  });
  try {
    const g = await new Promise<Record<string, string>>((resolve, reject) => {
      let text = "";
      standIn.stdout.on("data", (c: Buffer) => {
        text += c.toString();
        if (text.includes("\n")) resolve(JSON.parse(text.slice(0, text.indexOf("\n"))));
      });
      standIn.once("exit", (code) => reject(new Error(`Graph stand-in exited ${code}`)));
    });
    const report = await runCheck({
      cwd: ROOT,
      configFile: stackFile,
      configOverrides: {
        "roster.group.id": g.groupId,
        "roster.group.graph.url": g.url,
        "roster.group.graph.tokenUrl": g.tokenUrl,
        "roster.group.graph.clientId": g.clientId,
        "roster.group.graph.tenantId": g.tenantId,
      },
      secretOverrides: { "roster.group.graph.clientSecret": g.clientSecret },
    });
    const json = RENDERERS.json(report);
    return { exitCode: report.exitCode, people: report.roster?.people, reportBytes: json.length };
  } finally {
    standIn.stdin.end();
  }
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
    const groupStack = path.join(dir, "Pulumi.group.yaml");
    fs.copyFileSync(path.join(ROOT, "examples/group-roster/Pulumi.group.yaml"), groupStack);
    let allMet = true;
    for (const step of STEPS) {
      const timeFile = path.join(dir, `${step}.time`);
      const line = execFileSync(
        "/usr/bin/time",
        [
          "-f",
          "%e %M %U %S",
          "-o",
          timeFile,
          process.execPath,
          "-r",
          REGISTER,
          __filename,
          "--child",
          step,
          step === "group" ? groupStack : stackFile,
        ],
        { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 20 },
      ).trim();
      // GNU time: %e the child's wall time in seconds (process start to exit, module loading included), %M the
      // largest resident set of the child or any process it waited for, %U and %S their CPU seconds.
      const [wall, maxRss, user, sys] = fs
        .readFileSync(timeFile, "utf8")
        .trim()
        .split("\n")
        .pop()!
        .split(" ");
      const largestProcessRssMb = Math.round(Number(maxRss) / 1024);
      const processWallMs = Math.round(Number(wall) * 1000);
      // CPU of the child and every process it waited for (%U user + %S system): what a loaded machine does not inflate.
      const cpuMs = Math.round((Number(user) + Number(sys)) * 1000);
      // The check logs (info: ...) on stdout before the child's JSON line: the result is the last line.
      const result = line.split("\n").pop()!;
      const parsed = {
        ...(JSON.parse(result) as { ms: number; peakRssMb: number }),
        processWallMs,
        cpuMs,
        largestProcessRssMb,
      };
      console.log(JSON.stringify(parsed));
      // The target is on the whole process (start to exit), not just the part the child times itself.
      const ms = parsed.processWallMs;
      const peakRssMb = Math.max(parsed.peakRssMb, largestProcessRssMb);
      const met = ms < TARGET.ms && peakRssMb < TARGET.rssMb;
      allMet &&= met;
      console.error(
        `${step}: ${step === "group" ? `${GROUP_USERS}-member group` : `${ROWS} rows`} in ${(ms / 1000).toFixed(1)} s (${(parsed.cpuMs / 1000).toFixed(1)} s CPU), peak ${peakRssMb} MB (target < ${TARGET.ms / 1000} s, < ${TARGET.rssMb} MB): ${met ? "met" : "MISSED"}`,
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
