/**
 * `vpconnect doctor --all`: the read-only doctor for every site stack (stacks/Pulumi.<stack>.yaml), one after
 * another, each exactly as `vpconnect doctor --stack <stack>` with the same other flags. Each site signs in with
 * its own secrets: VPCONNECT_PASSWORD_<STACK> and VPCONNECT_CLIENT_SECRET_<STACK> (the stack name upper-cased,
 * other characters as `_`), else the shared VPCONNECT_PASSWORD / VPCONNECT_CLIENT_SECRET. A site that fails never
 * stops the others. One row per site, one exit code.
 */
import { discoverStackFiles } from "../lib/fleet/sites";
import { CLIENT_SECRET_ENV, PASSWORD_ENV } from "./doctorFlags";
import type { DoctorIo } from "./doctorFlags";

/** The environment variable holding a secret for one site: `VPCONNECT_PASSWORD_PROD_EAST` for `prod-east`. */
export function siteSecretEnv(base: string, stack: string): string {
  return `${base}_${stack.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`;
}

/** What each doctor exit code means in the fleet table. */
const MEANING: Record<number, string> = { 0: "ok", 1: "BROKEN", 2: "USAGE/CONFIG", 3: "COULD NOT CHECK" };

/**
 * The fleet's exit code: 2 when a site's flags or config were refused, else 3 when a site could not be checked,
 * else 1 when a prerequisite is broken somewhere, else 0.
 */
export function fleetDoctorExit(codes: readonly number[]): number {
  for (const worst of [2, 3, 1]) if (codes.includes(worst)) return worst;
  return codes.every((c) => c === 0) ? 0 : 2;
}

/** Runs doctor for every site; `argv` is doctor's argv without `--all`. */
export async function runDoctorAll(
  argv: readonly string[],
  io: DoctorIo,
  runDoctor: (argv: string[], io: DoctorIo) => Promise<number>,
  stackConfigDir: string,
): Promise<number> {
  if (argv.some((a) => a === "--stack" || a === "-s" || a.startsWith("--stack="))) {
    io.stderr(
      "vpconnect doctor: --all checks every stack in the stack folder: drop --stack, or drop --all\n",
    );
    return 2;
  }
  const sites = discoverStackFiles(stackConfigDir);
  if (sites.length === 0) {
    io.stderr(`vpconnect doctor: --all found no Pulumi.<stack>.yaml in ${stackConfigDir}\n`);
    return 2;
  }
  // Two stacks whose secret variables have one name would send one site's password to the other's server.
  const byVariable = new Map<string, string>();
  for (const { stack } of sites) {
    const variable = siteSecretEnv(PASSWORD_ENV, stack);
    const other = byVariable.get(variable);
    if (other !== undefined) {
      io.stderr(
        `vpconnect doctor: stacks "${other}" and "${stack}" would both read ${variable}; rename one of them (pulumi stack rename) so each site has its own secrets\n`,
      );
      return 2;
    }
    byVariable.set(variable, stack);
  }
  const rows: Array<[string, number]> = [];
  for (const { stack } of sites) {
    const env = { ...io.env };
    for (const base of [PASSWORD_ENV, CLIENT_SECRET_ENV]) {
      const own = io.env[siteSecretEnv(base, stack)];
      if (typeof own === "string" && own !== "") env[base] = own;
    }
    io.stdout(`\n== ${stack}\n`);
    let code: number;
    try {
      // No prompt: a fleet run never waits at a terminal for one site's secret.
      code = await runDoctor(["--stack", stack, ...argv], { ...io, env, prompt: undefined });
    } catch (error) {
      io.stderr(
        `vpconnect doctor: ${stack}: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}\n`,
      );
      code = 3; // a crash is a site that could not be checked, not a usage error
    }
    rows.push([stack, code]);
  }
  const width = Math.max(4, ...rows.map(([s]) => s.length));
  const exit = fleetDoctorExit(rows.map(([, c]) => c));
  io.stdout(
    [
      "",
      `${"site".padEnd(width)}  exit  result`,
      ...rows.map(([s, c]) => `${s.padEnd(width)}  ${String(c).padEnd(4)}  ${MEANING[c] ?? "?"}`),
      `DOCTOR FLEET: ${rows.length} sites, ${rows.filter(([, c]) => c === 0).length} ok. Exit ${exit}.`,
      "",
    ].join("\n"),
  );
  return exit;
}
