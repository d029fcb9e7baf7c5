/**
 * `vpconnect check`: the CI gate. Runs the Pulumi program offline for a stack's config, evaluates the policy
 * packs and writes the reports.
 *
 *   vpconnect check [--stack NAME | --config FILE] [--policy-pack DIR]... [--policy-pack-config FILE]...
 *                   [--format table,json,sarif,junit,markdown,html] [--out DIR] [--program PATH]
 *
 * Exit 0: no mandatory violation. 1: mandatory violations (or a policy that throws). 2: invalid config or usage.
 */
import * as path from "node:path";
import { parseArgs } from "node:util";
import { didYouMean } from "../lib/config/load";
import { emulatedNote, REPORT_FORMATS, RENDERERS, verdictLine } from "../lib/reports";
import type { CheckReport, ReportFormat } from "../lib/reports";
import type { Command } from "./io";
import { removeReports, reportTargets, runOneCheck, writeReportFiles } from "./checkRun";
import type { CheckCommandOptions, CheckFlags, OptionsConfig } from "./checkRun";

export { removeReports, reportTargets, runOneCheck, writeReportFiles };
export type { CheckCommandOptions, CheckFlags };

export const CHECK_OPTIONS = {
  stack: { type: "string", short: "s" },
  config: { type: "string", short: "c" },
  "policy-pack": { type: "string", multiple: true },
  "policy-pack-config": { type: "string", multiple: true },
  format: { type: "string", short: "f", multiple: true },
  out: { type: "string", short: "o" },
  program: { type: "string" },
  preview: { type: "boolean" },
  "packs-only": { type: "boolean" },
  "in-process": { type: "boolean" },
  all: { type: "boolean" },
  jobs: { type: "string" },
  "isolate-analyzers": { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const satisfies OptionsConfig;

export const CHECK_HELP = `Usage: vpconnect check [--stack NAME | --config FILE] [--policy-pack DIR]... [--policy-pack-config FILE]...
                       [--format table,json,sarif,junit,markdown,html] [--out DIR] [--program PATH]
       vpconnect check --all [STACK_FILE...] [--jobs N] [the same flags]

Runs the Pulumi program offline (no cloud, no Pulumi CLI) for a stack's config, evaluates the policy packs
the way \`pulumi preview --policy-pack\` does, and writes reports.

  -s, --stack NAME               the stack: reads <stackConfigDir>/Pulumi.NAME.yaml (stacks/ here)
  -c, --config FILE              a stack file anywhere (the stack is named after Pulumi.<name>.yaml)
      --policy-pack DIR          a policy pack folder; repeatable (default: the project's policies/)
      --policy-pack-config FILE  JSON config for the --policy-pack at the same position
  -f, --format LIST              table,json,sarif,junit,markdown,html (default: table; all with --out)
  -o, --out DIR                  where report files go (default: reports): <stack>.policy.json, <stack>.sarif,
                                 <stack>.junit.xml, <stack>.md, <stack>.html
      --program PATH             the Pulumi program's entry (default: the project's index.ts)
      --preview                  evaluate as a first \`pulumi preview\` sees a new stack: ids and computed
                                 outputs unknown, dynamic resources not run
      --packs-only               gate on the --policy-pack packs alone: without it, a run in which no
                                 prerequisite (P1..P8) was checked fails instead of passing
      --in-process               call the policies in this process instead of starting each pack with
                                 Pulumi's analyzer (run-policy-pack); same results, proven by a parity test
      --all [STACK_FILE...]      check a fleet: every stack in <stackConfigDir> (stacks/ here), or the stack
                                 files listed; one row per site, one verdict, a dashboard (fleet.html with --out)
      --jobs N                   with --all: sites checked at once, each worker loading the program once
                                 (default 1; at most 8)
      --isolate-analyzers        with --all: start each pack's analyzer afresh for every site, as a single
                                 check does, instead of one per pack per worker switched between sites (for a
                                 pack that keeps stack state in its own module variables)
  -h, --help                     this help

Exit codes: 0 no mandatory violation; 1 mandatory violations or a policy error; 2 invalid config or usage.
With --all: 0 every site passed; 1 a site has mandatory violations; 2 a site's config is invalid or a site
could not be checked (the other sites are still checked).
`;

/** A command-line mistake: the message names the flag and the fix. Exit 2. */
export class FlagError extends Error {}

/** Parses `check`'s flags strictly (unknown flag or bad value -> FlagError naming it). */
export function parseCheckArgs(argv: string[], extraOptions: OptionsConfig = {}): CheckFlags {
  const options = { ...CHECK_OPTIONS, ...extraOptions };
  let values: Record<string, unknown>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: argv, options, strict: true, allowPositionals: true }));
  } catch (error) {
    throw new FlagError(flagMessage(error as Error & { code?: string }, Object.keys(options)));
  }
  if (positionals.length > 0 && values.all !== true)
    throw new FlagError(
      `unexpected argument ${JSON.stringify(positionals[0])}: vpconnect check takes flags only; did you mean --stack ${positionals[0]}? (stack files to check together go after --all)`,
    );
  if (values.all === true && (values.stack !== undefined || values.config !== undefined))
    throw new FlagError(
      `--all checks every stack (or the stack files listed after it): drop --${values.stack !== undefined ? "stack" : "config"}, or drop --all to check one stack`,
    );
  if (values.jobs !== undefined && values.all !== true)
    throw new FlagError("--jobs goes with --all, e.g. --all --jobs 2");
  if (values["isolate-analyzers"] === true && values.all !== true)
    throw new FlagError(
      "--isolate-analyzers goes with --all (a single check always starts its analyzers afresh), e.g. --all --isolate-analyzers",
    );
  let jobs = 1;
  if (values.jobs !== undefined) {
    const text = String(values.jobs).trim();
    jobs = /^[1-9][0-9]*$/.test(text) ? Number(text) : NaN;
    if (!(jobs >= 1 && jobs <= 8))
      throw new FlagError(`--jobs ${String(values.jobs)}: give a whole number from 1 to 8, e.g. --jobs 2`);
  }
  const formats: ReportFormat[] = [];
  for (const item of ((values.format as string[] | undefined) ?? []).flatMap((f) => f.split(","))) {
    const f = item.trim().toLowerCase() === "md" ? "markdown" : item.trim().toLowerCase();
    if (f === "") continue;
    if (!(REPORT_FORMATS as string[]).includes(f)) {
      const hint = didYouMean(f, REPORT_FORMATS);
      throw new FlagError(
        `--format ${item}: unknown format${hint ? `; did you mean ${hint}?` : ""}; use a comma list of ${REPORT_FORMATS.join(",")}`,
      );
    }
    if (!formats.includes(f as ReportFormat)) formats.push(f as ReportFormat);
  }
  for (const flag of ["stack", "config", "out", "program"] as const) {
    if (values[flag] !== undefined && String(values[flag]).trim() === "")
      throw new FlagError(`--${flag} needs a value, e.g. ${example(flag)}`);
  }
  const known = new Set(Object.keys(CHECK_OPTIONS));
  return {
    ...(values.stack !== undefined ? { stack: values.stack as string } : {}),
    ...(values.config !== undefined ? { config: values.config as string } : {}),
    ...(values["policy-pack"] !== undefined ? { policyPacks: values["policy-pack"] as string[] } : {}),
    ...(values["policy-pack-config"] !== undefined
      ? { policyPackConfigs: values["policy-pack-config"] as string[] }
      : {}),
    formats,
    ...(values.out !== undefined ? { out: values.out as string } : {}),
    ...(values.program !== undefined ? { program: values.program as string } : {}),
    help: values.help === true,
    preview: values.preview === true,
    packsOnly: values["packs-only"] === true,
    inProcess: values["in-process"] === true,
    all: values.all === true,
    stackFiles: values.all === true ? positionals : [],
    jobs,
    isolateAnalyzers: values["isolate-analyzers"] === true,
    extra: Object.fromEntries(Object.entries(values).filter(([k]) => !known.has(k))),
  };
}

function example(flag: string): string {
  return (
    {
      stack: "--stack dev",
      config: "--config stacks/Pulumi.dev.yaml",
      out: "--out reports",
      program: "--program index.ts",
      format: "--format json,sarif",
      "policy-pack": "--policy-pack policies",
      "policy-pack-config": "--policy-pack-config policies/config.example.json",
    }[flag] ?? ""
  );
}

function flagMessage(error: Error & { code?: string }, names: string[]): string {
  // node's messages: "Unknown option '--x'", "Option '-s, --stack <value>' argument missing".
  const flag = /'(-{1,2}[^' ]+)/.exec(error.message)?.[1] ?? "";
  switch (error.code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION": {
      const hint = didYouMean(flag.replace(/^-+/, ""), names);
      return `unknown flag ${flag}${hint ? ` (did you mean --${hint}?)` : ""}; run vpconnect check --help for the flags`;
    }
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE": {
      const name = /--([a-z][a-z-]*)/.exec(error.message)?.[1] ?? flag.replace(/^-+/, "");
      if (name === "help") return "--help takes no value";
      return `--${name} needs a value, e.g. ${example(name) || `--${name} VALUE`}`;
    }
    default:
      return error.message;
  }
}

/** Builds the `check` command; wrappers (the emulator demo) pass extra flags and a prepare step. */
export function makeCheckCommand(custom: CheckCommandOptions = {}): Command {
  return {
    summary:
      "run the program offline, evaluate policy packs, write reports (exit 0 pass, 1 violations, 2 config/usage)",
    async run(argv, io) {
      let flags: CheckFlags;
      try {
        flags = parseCheckArgs(argv, custom.extraOptions);
      } catch (error) {
        if (error instanceof FlagError) {
          io.stderr(`vpconnect check: ${error.message}\n`);
          return 2;
        }
        throw error;
      }
      if (flags.help) {
        io.stdout(CHECK_HELP + (custom.help ?? ""));
        return 0;
      }
      if (flags.all) {
        const { runCheckAll } = require("./checkAll") as typeof import("./checkAll");
        return runCheckAll(flags, io, custom);
      }
      const { formats, outDir, writes } = reportTargets(flags, io);
      // Before anything runs: a run that then fails or is refused leaves no earlier report behind.
      const named = stackNameOf(flags);
      if (writes && named !== undefined) removeReports(outDir, named);

      const { UsageError } = require("../evaluator/check") as typeof import("../evaluator/check");
      let report: CheckReport;
      try {
        report = await runOneCheck(flags, io, custom);
      } catch (error) {
        if (error instanceof UsageError) {
          io.stderr(`vpconnect check: ${error.message}\n`);
          return 2;
        }
        throw error;
      }

      if (formats.includes("table")) io.stdout(RENDERERS.table(report));
      else {
        if (report.configIssues.length > 0) {
          io.stderr(report.configIssues.map((i) => `${i.file}: ${i.key}: ${i.message}`).join("\n") + "\n");
        } else if (report.programError !== undefined) {
          io.stderr(`the program failed: ${report.programError}\n`);
        }
        // The console's last line, whatever the formats: a CI log always says what happened.
        const note = report.configIssues.length === 0 ? emulatedNote(report) : "";
        io.stdout(`${verdictLine(report)}\n${note ? `${note}.\n` : ""}`);
      }
      if (writes) removeReports(outDir, report.stack);
      const written = writeReportFiles(report, formats, outDir, io);
      if (written.length > 0)
        (formats.includes("table") ? io.stdout : io.stderr)(`Reports: ${written.join(", ")}\n`);
      return report.exitCode;
    },
  };
}

export const checkCommand: Command = makeCheckCommand();

/** The stack a run is for, from its flags (`--stack NAME`, or `--config .../Pulumi.NAME.yaml`). */
export function stackNameOf(flags: Pick<CheckFlags, "stack" | "config">): string | undefined {
  if (flags.stack !== undefined) return flags.stack;
  if (flags.config === undefined) return undefined;
  return /^Pulumi\.(.+)\.ya?ml$/i.exec(path.basename(flags.config))?.[1];
}
