// StrykerJS 9.6.1 (the last line that runs on Node 20) with the mocha runner. Run it through `npm run mutate`
// (scripts/mutate.mjs), which runs Stryker once per module with only the test files that reach that module and
// prints one score line per module. Run directly (`npx stryker run`), it mutates MUTATE_MODULE (default: the
// whole set, with every test file of every module).
import { MUTATION_SET, specsFor } from "./scripts/mutation-set.mjs";

const modules = process.env.MUTATE_MODULE ? [process.env.MUTATE_MODULE] : MUTATION_SET;
// MUTATE_LINES ("444-654,290-352"): mutate only these line ranges of the module (Stryker's `file:from-to`), for a
// module too big to run whole in the time there is (client.ts); the report and incremental file get the ranges in
// their name, so a ranged run never stands in for a whole one.
const lines = (process.env.MUTATE_LINES ?? "")
  .split(",")
  .map((r) => r.trim())
  .filter(Boolean);
for (const r of lines) {
  if (!/^\d+-\d+$/.test(r)) throw new Error(`MUTATE_LINES: "${r}" is not a line range such as 444-654`);
}
const base = process.env.MUTATE_MODULE ? process.env.MUTATE_MODULE.replace(/[/.]/g, "_") : "all";
const slug = lines.length > 0 ? `${base}.lines-${lines.join("_")}` : base;
const spec = [...new Set(modules.flatMap((m) => specsFor(m)))].sort();

/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
export default {
  packageManager: "npm",
  testRunner: "mocha",
  mutate: lines.length > 0 ? modules.flatMap((m) => lines.map((r) => `${m}:${r}`)) : modules,
  mochaOptions: {
    config: ".mocharc.json",
    spec,
  },
  // Each mutant runs only the tests that executed its code in the dry run.
  coverageAnalysis: "perTest",
  // The machine is shared: one test process unless MUTATE_CONCURRENCY says otherwise.
  concurrency: Number(process.env.MUTATE_CONCURRENCY ?? 1),
  // MUTATE_TIMEOUT_MS: a shorter wait for a mutant that hangs (its tests take well under a second here).
  timeoutMS: Number(process.env.MUTATE_TIMEOUT_MS ?? 10000),
  reporters: ["json", "html", "progress"],
  jsonReporter: { fileName: `mutation-reports/${slug}.json` },
  htmlReporter: { fileName: `mutation-reports/${slug}.html` },
  // Results are reused for unchanged code and tests; the file lives in mutation-reports/ (out of git; not reports/, which
  // the CLI tests watch). `--force` reruns all.
  incremental: true,
  incrementalFile: `mutation-reports/${slug}.incremental.json`,
  tempDirName: ".stryker-tmp",
  cleanTempDir: true,
  ignorePatterns: ["mutation-reports", "dist", "stacks/.bench-*", "policies/bin", "policies/node_modules"],
  thresholds: { high: 95, low: 85, break: null },
};
