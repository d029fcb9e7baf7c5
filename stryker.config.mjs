// StrykerJS 9.6.1 (the last line that runs on Node 20) with the mocha runner. Run it through `npm run mutate`
// (scripts/mutate.mjs), which runs Stryker once per module with only the test files that reach that module and
// prints one score line per module. Run directly (`npx stryker run`), it mutates MUTATE_MODULE (default: the
// whole set, with every test file of every module).
import { MUTATION_SET, specsFor } from "./scripts/mutation-set.mjs";

const modules = process.env.MUTATE_MODULE ? [process.env.MUTATE_MODULE] : MUTATION_SET;
const slug = process.env.MUTATE_MODULE ? process.env.MUTATE_MODULE.replace(/[/.]/g, "_") : "all";
const spec = [...new Set(modules.flatMap((m) => specsFor(m)))].sort();

/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
export default {
  packageManager: "npm",
  testRunner: "mocha",
  mutate: modules,
  mochaOptions: {
    config: ".mocharc.json",
    spec,
  },
  // Each mutant runs only the tests that executed its code in the dry run.
  coverageAnalysis: "perTest",
  // The machine is shared: one test process unless MUTATE_CONCURRENCY says otherwise.
  concurrency: Number(process.env.MUTATE_CONCURRENCY ?? 1),
  timeoutMS: 10000,
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
