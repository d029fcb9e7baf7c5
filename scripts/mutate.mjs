#!/usr/bin/env node
/**
 * `npm run mutate [-- lib/x.ts ...] [--force] [--survivors]`: mutation testing of the core rule modules
 * (scripts/mutation-set.mjs), one Stryker run per module with only the test files that reach it, then one score
 * line per module read from Stryker's JSON report. The score counts every mutant: (killed + timeout) / (killed +
 * timeout + survived + no coverage); mutants disabled by a `// Stryker disable` comment (with its reason) are
 * shown as "ignored" and not counted. `--report-only` prints the table from the last reports without running.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { MUTATION_SET, specsFor } from "./mutation-set.mjs";

const args = process.argv.slice(2);
const flags = new Set(args.filter((a) => a.startsWith("--")));
const requested = args.filter((a) => !a.startsWith("--"));
for (const flag of flags) {
  if (!["--force", "--survivors", "--report-only"].includes(flag)) {
    console.error(`mutate: unknown flag ${flag} (known: --force, --survivors, --report-only)`);
    process.exit(2);
  }
}
const modules = requested.length > 0 ? requested : MUTATION_SET;
for (const m of modules) {
  if (!existsSync(m)) {
    console.error(`mutate: ${m} does not exist; give a module path such as lib/cidr.ts`);
    process.exit(2);
  }
}

// MUTATE_LINES (stryker.config.mjs): a ranged run writes its own report, named with the ranges.
const lineRanges = (process.env.MUTATE_LINES ?? "")
  .split(",")
  .map((r) => r.trim())
  .filter(Boolean);
const slugOf = (m) =>
  `${m.replace(/[/.]/g, "_")}${lineRanges.length > 0 ? `.lines-${lineRanges.join("_")}` : ""}`;
const stryker = "node_modules/@stryker-mutator/core/bin/stryker.js";

/** Per-module counts from a Stryker JSON report (mutation-testing-report-schema). */
export function countsOf(report, module) {
  const counts = {
    Killed: 0,
    Timeout: 0,
    Survived: 0,
    NoCoverage: 0,
    Ignored: 0,
    RuntimeError: 0,
    CompileError: 0,
  };
  const survivors = [];
  for (const [path, file] of Object.entries(report.files)) {
    if (path.replace(/\\/g, "/") !== module) continue;
    for (const mutant of file.mutants) {
      counts[mutant.status] = (counts[mutant.status] ?? 0) + 1;
      if (mutant.status === "Survived" || mutant.status === "NoCoverage") survivors.push(mutant);
    }
  }
  return { counts, survivors };
}

const rows = [];
let failed = false;
for (const module of modules) {
  const json = `mutation-reports/${slugOf(module)}.json`;
  if (!flags.has("--report-only")) {
    const specs = specsFor(module);
    const ranges = lineRanges.length > 0 ? ` (lines ${lineRanges.join(", ")} only)` : "";
    console.log(`\n== ${module}${ranges}: ${specs.length} test file(s): ${specs.join(" ")}`);
    if (specs.length === 0) {
      console.error(`mutate: no test file imports ${module}; every mutant would survive`);
    }
    const run = spawnSync(
      process.execPath,
      [stryker, "run", "stryker.config.mjs", ...(flags.has("--force") ? ["--force"] : [])],
      { stdio: "inherit", env: { ...process.env, MUTATE_MODULE: module } },
    );
    if (run.status !== 0) {
      console.error(`mutate: Stryker failed on ${module} (exit ${run.status})`);
      failed = true;
      continue;
    }
  }
  if (!existsSync(json)) {
    rows.push({ module, missing: true });
    continue;
  }
  const { counts, survivors } = countsOf(JSON.parse(readFileSync(json, "utf8")), module);
  rows.push({ module, counts, survivors });
}

console.log(
  "\nmodule                                  score   killed timeout survived no-cov ignored errors",
);
for (const row of rows) {
  if (row.missing) {
    console.log(`${row.module.padEnd(38)}  (no report: run npm run mutate -- ${row.module})`);
    continue;
  }
  const c = row.counts;
  const detected = c.Killed + c.Timeout;
  const counted = detected + c.Survived + c.NoCoverage;
  const score = counted === 0 ? "n/a" : `${((100 * detected) / counted).toFixed(1)} %`;
  console.log(
    `${(lineRanges.length > 0 ? `${row.module}:${lineRanges.join(",")}` : row.module).padEnd(38)} ${score.padStart(7)} ${String(c.Killed).padStart(8)} ${String(c.Timeout).padStart(7)} ` +
      `${String(c.Survived).padStart(8)} ${String(c.NoCoverage).padStart(6)} ${String(c.Ignored).padStart(7)} ` +
      `${String(c.RuntimeError + c.CompileError).padStart(6)}`,
  );
  if (flags.has("--survivors")) {
    for (const m of row.survivors) {
      const at = `${m.location.start.line}:${m.location.start.column}`;
      const replacement = (m.replacement ?? "").replace(/\s+/g, " ").slice(0, 80);
      console.log(
        `    ${m.status === "NoCoverage" ? "no coverage" : "survived"} ${at} ${m.mutatorName}: ${replacement}`,
      );
    }
  }
}
process.exit(failed ? 1 : 0);
