/**
 * The modules `npm run mutate` mutates, and the test files each is run with. A module's tests are every test file
 * that imports it (directly, or through a barrel `index.ts` that re-exports it), plus the suites listed here that
 * reach it through a component or provider (Pulumi mocks) without importing it.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

/** Core rule modules (issue 23). New lib modules join here as they land. */
export const MUTATION_SET = [
  "lib/vantagepoint/roster.ts",
  "lib/vantagepoint/client.ts",
  // Split out of roster.ts and client.ts (issue 18 item 7), moved code only, after their scores were measured:
  // each is run with its parent's suites (SPLIT_FROM).
  "lib/vantagepoint/rosterEntries.ts",
  "lib/vantagepoint/rosterNewEmployees.ts",
  "lib/vantagepoint/rosterMatching.ts",
  "lib/vantagepoint/clientRules.ts",
  "lib/vantagepoint/clientTransport.ts",
  "lib/vantagepoint/clientCall.ts",
  "lib/cidr.ts",
  "lib/allowList.ts",
  "lib/allowListPlan.ts",
  "lib/config/siteShape.ts",
  "lib/people.ts",
  "lib/values/validators.ts",
  "lib/reports/sarif.ts",
  // Landed this round (issue 17): the identifier rule and the role model.
  "lib/vantagepoint/identifiers.ts",
  "lib/vantagepoint/roleModel.ts",
  // Landed since (issues 17-21): unknown-outcome writes, paging, the removal brake, shards, the group roster,
  // rotation dates, the day-2 gateway and WAF rules, the free-text value rules, saved pages.
  "lib/vantagepoint/unknownOutcome.ts",
  "lib/vantagepoint/paging.ts",
  "lib/vantagepoint/removalBrake.ts",
  "lib/vantagepoint/rosterShards.ts",
  "lib/entraGroup/roster.ts",
  "lib/entraGroup/graph.ts",
  // Not in the set: lib/entraGroup/readSync.ts and readMain.ts, the glue that runs graph.ts in a child process for
  // the synchronous config loader. No test runs them in-process (tests hand the loader a reader; a synchronous
  // child cannot be served by an in-process Graph stand-in), so every mutant would be "no coverage"; the rules
  // they carry live in graph.ts, which is in the set.
  "lib/rotation.ts",
  "lib/gatewayRules.ts",
  "lib/waf.ts",
  "lib/values/valueRules.ts",
  "lib/savedPage.ts",
  "lib/config/day2Shape.ts",
  // Landed during the second round (roster text and per-shard changes): in the set, not yet scored.
  "lib/vantagepoint/rosterText.ts",
  "lib/vantagepoint/rosterChanges.ts",
  // Issue 18 (library first): the site rules over ConnectSite's args, shared with the stack-config loader, and
  // the config modules split out of schema.ts and load.ts. In the set, not yet scored.
  "lib/site/rules.ts",
  "lib/site/network.ts",
  "lib/site/check.ts",
  "lib/values/siteValues.ts",
  "lib/config/crossChecks.ts",
  "lib/config/rosterBuild.ts",
  // Landed with issue 18 since: the components' own args checks and the pieces the site rules share.
  "lib/site/componentArgs.ts",
  "lib/site/appArgs.ts",
  "lib/site/argsSchema.ts",
  "lib/site/crossFields.ts",
  "lib/site/roster.ts",
  "lib/site/view.ts",
  // The stack config's size rule (issue 21).
  "lib/config/configSize.ts",
  // The loader's checked roster that ConnectSite's args check skips the per-person rules for (issue 21 item 4).
  "lib/site/checkedRoster.ts",
  // The shard entry lists ConnectSite marks as checked, which ConnectRoster's args check skips (issue 21 item 4).
  "components/vantagepoint/siteCheckedEntries.ts",
  // One roster build per check: the hand-over from the check's load to the program's (issue 21 item 4).
  "lib/config/loadShare.ts",
];

/**
 * Modules split out of a scored module by moving code (issue 18 item 7): each is run with the suites of the module
 * it came from (its tests import the parent, which re-exports or extends it).
 */
export const SPLIT_FROM = {
  "lib/vantagepoint/rosterEntries.ts": "lib/vantagepoint/roster.ts",
  "lib/vantagepoint/rosterNewEmployees.ts": "lib/vantagepoint/roster.ts",
  "lib/vantagepoint/rosterMatching.ts": "lib/vantagepoint/roster.ts",
  "lib/vantagepoint/clientRules.ts": "lib/vantagepoint/client.ts",
  "lib/vantagepoint/clientTransport.ts": "lib/vantagepoint/client.ts",
  "lib/vantagepoint/clientCall.ts": "lib/vantagepoint/client.ts",
};

/** Suites that exercise a module without importing it (through a provider or component under Pulumi mocks). */
export const EXTRA_SPECS = {
  // Ownership through the ConnectRoster provider (0.6 s). connectRoster.test.ts (7 s against the emulator) is left
  // out: it would run for every planning mutant.
  "lib/vantagepoint/roster.ts": ["test/reliability/ownership.test.ts"],
  // Reached through the stack-config loader and lib/connectIps.ts.
  "lib/config/day2Shape.ts": ["test/config/day2Shape.test.ts"],
  "lib/savedPage.ts": ["test/lib/connectIps.test.ts"],
  // Reached through lib/config/siteShape.ts's re-exports and the components' args check.
  "lib/values/siteValues.ts": ["test/config/siteShape.test.ts", "test/config/siteShapeWarnings.test.ts"],
  // trustedRootData runs backendTlsRules' data check through lib/site/check.ts and componentArgs.ts (the args checks).
  "lib/site/rules.ts": [
    "test/components/libraryTwins.test.ts",
    "test/config/siteShapeRules.test.ts",
    "test/values/trustedRootData.test.ts",
  ],
  "lib/site/network.ts": ["test/components/libraryTwins.test.ts", "test/config/siteShapeRules.test.ts"],
  // Run by lib/config/siteRules.ts (the loader) and components/argsCheck.ts.
  "lib/site/check.ts": [
    "test/components/libraryTwins.test.ts",
    "test/config/siteShape.test.ts",
    "test/config/siteShapeRules.test.ts",
  ],
  "lib/site/crossFields.ts": ["test/components/libraryTwins.test.ts", "test/config/siteShapeRules.test.ts"],
  // argsSchemaExact runs the schema through lib/site/check.ts (ConnectSite's args check), not importing it.
  "lib/site/argsSchema.ts": [
    "test/components/componentArgs.test.ts",
    "test/components/libraryTwins.test.ts",
    "test/site/argsSchemaExact.test.ts",
  ],
  // Each component's args check, under Pulumi mocks.
  "lib/site/componentArgs.ts": [
    "test/components/componentArgs.test.ts",
    "test/components/connectKeyVault.test.ts",
    "test/components/publicEndpoint.test.ts",
  ],
  "lib/site/appArgs.ts": [
    "test/components/appArgs.test.ts",
    "test/components/connectMailboxApp.test.ts",
    "test/components/loginAppRotation.test.ts",
    "test/components/vantagepointLoginApp.test.ts",
  ],
  // The stack-key table and stackKeyOf name every loader problem (lib/config/siteRules.ts, STACK_CALLER);
  // program/siteArgs.ts passes SECRET_NOT_AT_HAND. The table is module-level: each row is a static mutant, run with
  // every suite (about 40 s a mutant at load 15 with componentArgs, siteShape, siteShapeWarnings and valueRules
  // too), so only the fast loader suites; test/site/viewExact.test.ts pins each row against program/siteArgs.ts.
  "lib/site/view.ts": [
    "test/config/load.test.ts",
    "test/config/siteShapeRules.test.ts",
    "test/site/siteArgs.test.ts",
  ],
  // Run by the loader (lib/config/rosterBuild.ts), ConnectSite's cross-field check (crossFields.ts) and
  // ConnectRoster's args check (componentArgs.ts, under Pulumi mocks).
  "lib/site/roster.ts": [
    "test/components/componentArgs.test.ts",
    "test/components/libraryTwins.test.ts",
    "test/components/siteCheckedEntries.test.ts",
    "test/config/hostile.test.ts",
    "test/config/load.test.ts",
    "test/config/valueRules.test.ts",
    "test/site/crossFieldsExact.test.ts",
  ],
  // Reached through the stack-config loader (lib/config/schema.ts and load.ts).
  "lib/config/crossChecks.ts": [
    "test/config/day2Shape.test.ts",
    "test/config/entraConfig.test.ts",
    "test/config/load.test.ts",
    "test/config/valueRules.test.ts",
  ],
  // Through the loader (lib/config/load.ts) and the check's hand-over.
  "lib/config/loadShare.ts": ["test/config/rosterHandOver.test.ts"],
  "lib/config/rosterBuild.ts": [
    "test/config/groupRoster.test.ts",
    "test/config/hostile.test.ts",
    "test/config/load.test.ts",
    "test/config/rosterBuildExact.test.ts",
    "test/config/rosterScale.test.ts",
    "test/config/rosterSize.test.ts",
    "test/reliability/rosterFiles.test.ts",
    // Whether the loader's roster is marked checked for ConnectSite (checkedAsSiteChecks), 7 s under Pulumi mocks.
    "test/site/checkedRoster.test.ts",
  ],
};

/**
 * Test files never run under Stryker: they spawn the CLI as child processes (the child does not see Stryker's
 * active mutant) or replay every fault at every request (minutes per mutant). 52 s and 16 s per run today.
 */
export const SLOW_SPECS = ["test/cli/habits.test.ts", "test/reliability/faults.test.ts"];

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== "fixtures" && name !== "node_modules") walk(path, out);
    } else if (path.endsWith(".test.ts")) out.push(path);
  }
  return out;
}

function resolveImport(fromFile, spec) {
  const base = resolve(dirname(fromFile), spec);
  for (const candidate of [`${base}.ts`, join(base, "index.ts"), base]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

function importsOf(file) {
  // A type-only import runs nothing of the module: it does not make a test file one of its tests.
  const text = readFileSync(file, "utf8").replace(/import\s+type\s[^;]*?from\s*["'][^"']+["']/g, "");
  const out = [];
  for (const m of text.matchAll(/(?:from|import|require\()\s*["'](\.\.?\/[^"']+)["']/g)) {
    const target = resolveImport(file, m[1]);
    if (target) out.push(target);
  }
  return out;
}

/** Whether `file` is `module`, or a barrel (index.ts) that re-exports it (transitively). */
function reaches(file, module, seen = new Set()) {
  if (file === module) return true;
  if (!file.endsWith("index.ts") || seen.has(file)) return false;
  seen.add(file);
  return importsOf(file).some((next) => reaches(next, module, seen));
}

/** The test files run for `module` (repository-relative paths, sorted). */
export function specsFor(module, root = process.cwd()) {
  // MUTATE_SPECS (comma-separated test files): run the module with these suites only, for a time-boxed run of a
  // module every emulator suite reaches (paging.ts, client.ts: the whole closure takes about a minute a surviving
  // mutant here). A mutant the unit suites miss may be killed by a suite left out: the score is a lower bound, and
  // the README says which suites a row used.
  const only = (process.env.MUTATE_SPECS ?? "")
    .split(",")
    .map((f) => f.trim())
    .filter(Boolean);
  if (only.length > 0) {
    const missing = only.filter((f) => !existsSync(resolve(root, f)));
    if (missing.length > 0) throw new Error(`MUTATE_SPECS: no such test file: ${missing.join(", ")}`);
    return [...new Set(only)].sort();
  }
  const targets = [module, SPLIT_FROM[module]].filter(Boolean).map((m) => resolve(root, m));
  const found = new Set([...(EXTRA_SPECS[module] ?? []), ...(EXTRA_SPECS[SPLIT_FROM[module]] ?? [])]);
  for (const test of walk(resolve(root, "test"))) {
    const imported = importsOf(test);
    if (targets.some((target) => imported.some((i) => reaches(i, target)))) found.add(relative(root, test));
  }
  // MUTATE_EXCLUDE (comma-separated test files): leave out a suite that fails on main for reasons of its own, so the
  // dry run can start; the run prints the list it used, and the README says which were left out of a measurement.
  const excluded = (process.env.MUTATE_EXCLUDE ?? "")
    .split(",")
    .map((f) => f.trim())
    .filter(Boolean);
  return [...found]
    .filter((f) => existsSync(resolve(root, f)) && !SLOW_SPECS.includes(f) && !excluded.includes(f))
    .sort();
}
