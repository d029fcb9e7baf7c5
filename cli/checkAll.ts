/**
 * `vpconnect check --all`: a fleet of Vantagepoint sites, one stack each. Every site is checked exactly as
 * `vpconnect check --config <its stack file>` checks it (same evaluator, same reports per site); a site that
 * fails or cannot be checked does not stop the others. One process (with `--jobs N`, it and N-1 worker processes)
 * loads the program, TypeScript and policy packs once and checks its sites one after another. Then one fleet verdict,
 * one table, and the fleet reports (fleet.json, fleet.md, fleet.html dashboard, fleet.junit.xml, fleet.sarif).
 */
import { fork } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { discoverStackFiles, stackNameOf as stackOfFile } from "../lib/fleet/sites";
import type { SiteStackFile } from "../lib/fleet/sites";
import {
  buildFleetReport,
  renderFleetJson,
  renderFleetJunit,
  renderFleetMarkdown,
  renderFleetSarif,
  renderFleetTable,
} from "../lib/reports/fleet";
import type { FleetReport, SiteOutcome } from "../lib/reports/fleet";
import { fleetVerdictLine } from "../lib/reports/fleet";
import { renderFleetHtml } from "../lib/reports/fleetHtml";
import type { ReportFormat } from "../lib/reports";
import { removeReports, reportTargets, runOneCheck, writeReportFiles } from "./checkRun";
import type { CheckCommandOptions, CheckFlags } from "./checkRun";
import type { CheckOptions } from "../evaluator/check";
import type { SharedAnalyzers } from "../evaluator/sharedAnalyzers";
import type { Io } from "./io";
import { toolVersion } from "./io";

/** Set in a worker process's environment; the worker answers `{ file }` messages with `{ outcome }`. */
export const WORKER_ENV = "VPCONNECT_CHECK_WORKER";

/** The fleet's report files under --out, by format (the console table has none). */
export const FLEET_FILES: Readonly<Record<Exclude<ReportFormat, "table">, string>> = {
  json: "fleet.json",
  markdown: "fleet.md",
  html: "fleet.html",
  junit: "fleet.junit.xml",
  sarif: "fleet.sarif",
};

class FleetUsageError extends Error {}

/** The sites to check: the stack files listed after --all, else every stack file of the project. */
export function fleetSites(flags: Pick<CheckFlags, "stackFiles">, cwd: string): SiteStackFile[] {
  let sites: SiteStackFile[];
  if (flags.stackFiles.length > 0) {
    sites = flags.stackFiles.map((given) => {
      const file = path.resolve(cwd, given);
      const stack = stackOfFile(file);
      if (stack === undefined)
        throw new FleetUsageError(
          `--all ${given}: a stack file is named Pulumi.<stack>.yaml, e.g. stacks/Pulumi.dev.yaml`,
        );
      if (!fs.existsSync(file) || !fs.statSync(file).isFile())
        throw new FleetUsageError(
          `--all ${given}: no such file; list existing stack files, e.g. --all stacks/Pulumi.dev.yaml`,
        );
      return { stack, file };
    });
  } else {
    const { findProject } = require("../evaluator/stack") as typeof import("../evaluator/stack");
    let dir: string;
    try {
      dir = findProject(cwd).stackConfigDir;
    } catch {
      throw new FleetUsageError(
        "--all: no Pulumi.yaml here or above; run it in the project, or list stack files after --all",
      );
    }
    sites = discoverStackFiles(dir);
    if (sites.length === 0)
      throw new FleetUsageError(
        `--all: no Pulumi.<stack>.yaml in ${path.relative(cwd, dir) || "."}; list stack files after --all`,
      );
  }
  // The fleet's own files are fleet.*: a site of that name would overwrite them (and they it).
  const reserved = sites.find((s) => s.stack.toLowerCase() === "fleet");
  if (reserved)
    throw new FleetUsageError(
      `--all: ${path.relative(cwd, reserved.file) || reserved.file} is stack "${reserved.stack}", whose reports would overwrite the fleet's own fleet.* files; rename the stack (pulumi stack rename) or check it alone with --config`,
    );
  // Two files for one stack name would write over each other's reports: refuse, naming both.
  const seen = new Map<string, string>();
  for (const s of sites) {
    const key = s.stack.toLowerCase();
    const other = seen.get(key);
    if (other !== undefined)
      throw new FleetUsageError(
        `--all: ${path.relative(cwd, other)} and ${path.relative(cwd, s.file)} are both stack "${s.stack}" (their reports would overwrite each other); list one of them`,
      );
    seen.set(key, s.file);
  }
  return sites;
}

/** Checks one site; never throws: a refused site is an outcome with the reason, like a failed one. */
export async function checkSite(
  site: SiteStackFile,
  flags: CheckFlags,
  io: Io,
  custom: CheckCommandOptions,
  fleet?: Pick<CheckOptions, "sharedAnalyzers">,
): Promise<SiteOutcome> {
  const started = Date.now();
  const stackFile = path.relative(io.cwd, site.file) || site.file;
  try {
    // Inside the try: a report path that cannot be cleared (a folder by a report's name) refuses this site only.
    const { formats, outDir, writes } = reportTargets(flags, io);
    if (writes) removeReports(outDir, site.stack);
    const report = await runOneCheck({ ...flags, stack: undefined }, io, custom, site.file, fleet);
    writeReportFiles(report, formats, outDir, io);
    return { stack: site.stack, stackFile, report, durationMs: Date.now() - started };
  } catch (error) {
    const { UsageError } = require("../evaluator/check") as typeof import("../evaluator/check");
    const message = error instanceof Error ? error.message : String(error);
    // One line, no stack frame: what a person needs to fix the site.
    const reason = error instanceof UsageError ? message : `the check failed: ${message.split("\n")[0]}`;
    return { stack: site.stack, stackFile, refused: reason, durationMs: Date.now() - started };
  }
}

/** The flags a worker is started with: the parent's, without the site list and --jobs. */
export function workerArgv(flags: CheckFlags): string[] {
  const argv = ["check", "--all"];
  if (flags.formats.length > 0) argv.push("--format", flags.formats.join(","));
  if (flags.out !== undefined) argv.push("--out", flags.out);
  for (const p of flags.policyPacks ?? []) argv.push("--policy-pack", p);
  for (const c of flags.policyPackConfigs ?? []) argv.push("--policy-pack-config", c);
  if (flags.program !== undefined) argv.push("--program", flags.program);
  if (flags.preview) argv.push("--preview");
  if (flags.inProcess) argv.push("--in-process");
  if (flags.isolateAnalyzers) argv.push("--isolate-analyzers");
  for (const [name, value] of Object.entries(flags.extra)) {
    if (value === true) argv.push(`--${name}`);
    else if (typeof value === "string") argv.push(`--${name}`, value);
  }
  return argv;
}

function launcher(): string {
  for (const up of ["..", path.join("..", "..")]) {
    const file = path.join(__dirname, up, "bin", "vpconnect.js");
    if (fs.existsSync(file)) return file;
  }
  throw new Error("bin/vpconnect.js not found beside the CLI");
}

/** The fleet's sites, handed out one at a time, and each one's outcome when known. */
interface SiteQueue {
  readonly sites: readonly SiteStackFile[];
  readonly outcomes: Array<SiteOutcome | undefined>;
  /** The next site's index, undefined when every site has been handed out. */
  take(): number | undefined;
}

function siteQueue(sites: readonly SiteStackFile[]): SiteQueue {
  let next = 0;
  return {
    sites,
    outcomes: new Array<SiteOutcome | undefined>(sites.length),
    take: () => (next < sites.length ? next++ : undefined),
  };
}

/** This process's share: it checks the next site while there is one, with its own shared analyzers. */
async function checkHere(queue: SiteQueue, flags: CheckFlags, io: Io, custom: CheckCommandOptions) {
  const fleet = fleetContext(flags);
  try {
    for (let index = queue.take(); index !== undefined; index = queue.take())
      queue.outcomes[index] = await checkSite(queue.sites[index]!, flags, io, custom, fleet);
  } finally {
    await fleet.sharedAnalyzers?.close();
  }
}

/** One worker process's share: it is given the next site whenever it answers; resolves when it is gone. */
function checkInWorker(queue: SiteQueue, flags: CheckFlags, io: Io): Promise<void> {
  return new Promise<void>((resolve) => {
    const child = fork(launcher(), workerArgv(flags), {
      // V8's default young generation: the 64 MB one workers had saved ~12% of CPU while every resource built
      // an Output per API-version alias (evaluator/versionAliases.ts); without those it saves nothing measurable
      // (20 sites --jobs 2: 9.2 to 9.7 s of CPU either way) and cost ~60 MB of peak memory per worker.
      execArgv: process.execArgv,
      cwd: io.cwd,
      env: { ...io.env, [WORKER_ENV]: "1" },
      stdio: ["ignore", "ignore", "pipe", "ipc"],
      serialization: "advanced",
    });
    let current: number | undefined;
    let done = false;
    let stderr = "";
    /** The worker is gone (exit, or an error such as a failed fork or send): its current site is refused. */
    const gone = (why: string) => {
      if (done) return;
      done = true;
      if (current !== undefined && queue.outcomes[current] === undefined) {
        const site = queue.sites[current]!;
        queue.outcomes[current] = {
          stack: site.stack,
          stackFile: path.relative(io.cwd, site.file),
          refused: `the worker checking it ${why}: ${stderr.trim().split("\n").pop() ?? ""}`.trim(),
          durationMs: 0,
        };
      }
      resolve();
    };
    child.stderr?.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
    const give = () => {
      current = queue.take();
      if (current === undefined) {
        child.disconnect();
        return;
      }
      child.send({ file: queue.sites[current]!.file }, (error) => {
        if (error) {
          child.kill();
          gone(`could not be given the site (${error.message})`);
        }
      });
    };
    child.on("message", (m: { outcome: SiteOutcome }) => {
      if (current !== undefined) queue.outcomes[current] = m.outcome;
      give();
    });
    child.on("exit", (code) => gone(`exited (code ${code})`));
    child.on("error", (error) => {
      child.kill();
      gone(`failed (${error.message})`);
    });
    give();
  });
}

/**
 * Checks the sites `jobs` at a time (one: in this process alone): this process checks sites itself (it has loaded the CLI, TypeScript and the
 * checker already) beside `jobs - 1` worker processes; each takes the next site when it is free. A worker start
 * costs a whole process load and its own analyzers (about 2.5 s of CPU, measured), so this one is not left idle.
 */
async function checkInWorkers(
  sites: SiteStackFile[],
  flags: CheckFlags,
  io: Io,
  jobs: number,
  custom: CheckCommandOptions,
): Promise<SiteOutcome[]> {
  const queue = siteQueue(sites);
  // The workers first: they start while this process checks its first site.
  const workers = Array.from({ length: Math.min(jobs, sites.length) - 1 }, () =>
    checkInWorker(queue, flags, io),
  );
  await Promise.all([...workers, checkHere(queue, flags, io, custom)]);
  // A site no worker reached (every worker died) is refused, never silently missing.
  return sites.map(
    (site, i) =>
      queue.outcomes[i] ?? {
        stack: site.stack,
        stackFile: path.relative(io.cwd, site.file),
        refused: "no worker was left to check it",
        durationMs: 0,
      },
  );
}

/**
 * What the sites of one process (the fleet's, or one worker's) share: the packs' analyzers, unless
 * --isolate-analyzers or --in-process (evaluator/sharedAnalyzers.ts).
 */
function fleetContext(flags: CheckFlags): { sharedAnalyzers?: SharedAnalyzers } {
  if (flags.isolateAnalyzers || flags.inProcess) return {};
  const { SharedAnalyzers } =
    require("../evaluator/sharedAnalyzers") as typeof import("../evaluator/sharedAnalyzers");
  return { sharedAnalyzers: new SharedAnalyzers() };
}

/** The worker side: check each site the parent sends, answer with its outcome. */
function serveAsWorker(flags: CheckFlags, io: Io, custom: CheckCommandOptions): Promise<number> {
  const fleet = fleetContext(flags);
  return new Promise((resolve) => {
    process.on("message", (m: { file: string }) => {
      void checkSite(
        { stack: stackOfFile(m.file) ?? path.basename(m.file), file: m.file },
        flags,
        io,
        custom,
        fleet,
      ).then((outcome) => process.send?.({ outcome }));
    });
    process.on("disconnect", () => {
      void (fleet.sharedAnalyzers?.close() ?? Promise.resolve()).then(() => resolve(0));
    });
  });
}

/** The pack's reviewed Connect IP copy (the project's pack), for the dashboard; undefined when unreadable. */
function ipCopyOf(flags: CheckFlags, cwd: string): { copiedOn: string; placeholder: boolean } | undefined {
  try {
    const { readConnectIpsCopy } =
      require("../policies/lib/connectIpsCopy") as typeof import("../policies/lib/connectIpsCopy");
    const { findProject } = require("../evaluator/stack") as typeof import("../evaluator/stack");
    const dir = flags.policyPacks?.[0]
      ? path.resolve(cwd, flags.policyPacks[0])
      : path.join(findProject(cwd).dir, "policies");
    const { provenance } = readConnectIpsCopy(dir);
    return provenance
      ? { copiedOn: provenance.copiedOn, placeholder: provenance.placeholder === true }
      : undefined;
  } catch {
    return undefined;
  }
}

/** Writes the fleet's files for the formats asked; returns their paths. */
function writeFleetFiles(
  report: FleetReport,
  outcomes: readonly SiteOutcome[],
  formats: ReportFormat[],
  outDir: string,
  cwd: string,
): string[] {
  const render: Record<Exclude<ReportFormat, "table">, () => string> = {
    json: () => renderFleetJson(report),
    markdown: () => renderFleetMarkdown(report),
    html: () => renderFleetHtml(report),
    junit: () => renderFleetJunit(report),
    sarif: () => renderFleetSarif(outcomes, report.tool),
  };
  const written: string[] = [];
  for (const f of formats) {
    if (f === "table") continue;
    fs.mkdirSync(outDir, { recursive: true });
    const file = path.join(outDir, FLEET_FILES[f]);
    fs.writeFileSync(file, render[f]());
    written.push(path.relative(cwd, file) || file);
  }
  return written;
}

/** `vpconnect check --all`. Exit 0 every site passed, 1 a site failed, 2 a site invalid or refused (or usage). */
export async function runCheckAll(flags: CheckFlags, io: Io, custom: CheckCommandOptions): Promise<number> {
  if (io.env[WORKER_ENV] === "1" && typeof process.send === "function")
    return serveAsWorker(flags, io, custom);
  let sites: SiteStackFile[];
  try {
    sites = fleetSites(flags, io.cwd);
  } catch (error) {
    if (error instanceof FleetUsageError) {
      io.stderr(`vpconnect check: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  const { formats, outDir } = reportTargets(flags, io);
  for (const name of Object.values(FLEET_FILES)) fs.rmSync(path.join(outDir, name), { force: true });
  const started = Date.now();
  const outcomes = await checkInWorkers(sites, flags, io, flags.jobs, custom);
  const report = buildFleetReport(outcomes, {
    tool: { name: "vpconnect", version: toolVersion() },
    ...(() => {
      const copy = ipCopyOf(flags, io.cwd);
      return copy ? { ipCopy: copy } : {};
    })(),
  });
  if (formats.includes("table")) io.stdout(renderFleetTable(report));
  else io.stdout(`${fleetVerdictLine(report)}\n`);
  const written = writeFleetFiles(report, outcomes, formats, outDir, io.cwd);
  if (written.length > 0)
    io.stderr(
      `Fleet reports: ${written.join(", ")} (per site: <stack>.* beside them); ${sites.length} sites in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
    );
  return report.exitCode;
}
