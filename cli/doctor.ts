/**
 * `vpconnect doctor`: read-only checks of Connect's prerequisites P3..P6 on a live Vantagepoint.
 *
 *   vpconnect doctor --url URL --database DB --username U --client-id ID [--stack NAME] [--users FILE]
 *                    [--configurer USERID] [--admin-role ROLE] [--vantagepoint-version X.Y]
 *                    [--connect-client-name NAME] [--adopted-fingerprint F] [--strict]
 *                    [--format table,json,sarif,junit,markdown,html] [--out DIR]
 *
 * Secrets come only from VPCONNECT_PASSWORD and VPCONNECT_CLIENT_SECRET, or a hidden prompt when stdin is a
 * terminal; a secret flag is refused. Exit codes: DOCTOR_EXIT_CODES (lib/doctor/model.ts): 0 nothing broken,
 * 1 broken, 2 usage or config (Ctrl-D at the prompt too), 3 sign-in or a read failed so something is not checked.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { buildDoctorReport, runDoctorChecks } from "../lib/doctor/collect";
import { watchProgress } from "../lib/progress";
import type { DoctorInputs, DoctorSeen } from "../lib/doctor/collect";
import type { PersonRef } from "../lib/doctor/checks";
import { DOCTOR_RENDERERS, doctorReportFile, doctorVerdict } from "../lib/doctor/render";
import { isLocalTarget } from "../lib/doctor/model";
import { REPORT_FORMATS } from "../lib/reports";
import { repoBaseOf } from "../lib/reports/locate";
import type { ReportFormat } from "../lib/reports";
import { DEFAULT_CONNECT_API_NAME } from "../lib/vantagepoint/apiClient";
import { sameId } from "../lib/vantagepoint/identifiers";
import { VantagepointClient } from "../lib/vantagepoint/client";
import { clientOptionsFromEnv, environmentProblems } from "../lib/vantagepoint/connection";
import { apiRootProblem } from "../lib/values/valueRules";
import { VantagepointError } from "../lib/vantagepoint/errors";
import { describeRoleModel } from "../lib/vantagepoint/roleModel";
import type { VantagepointConnection } from "../lib/vantagepoint/types";
import {
  CLIENT_SECRET_ENV,
  DOCTOR_HELP,
  DoctorUsageError,
  EXAMPLES,
  outFor,
  parseDoctorArgs,
  PASSWORD_ENV,
  rerunCommand,
  stackFor,
} from "./doctorFlags";
import type { DoctorIo } from "./doctorFlags";
import { readStack, readUsersFile, scrubber, secretFrom, ttyPrompt } from "./doctorInputs";

export {
  CLIENT_SECRET_ENV,
  DOCTOR_HELP,
  DOCTOR_OPTIONS,
  DoctorUsageError,
  parseDoctorArgs,
  PASSWORD_ENV,
  refuseSecretFlags,
  rerunCommand,
} from "./doctorFlags";
export type { DoctorFlags, DoctorIo } from "./doctorFlags";
export { ttyPrompt } from "./doctorInputs";

/** Runs `vpconnect doctor`; returns the exit code. */
export async function runDoctor(argv: string[], io: DoctorIo): Promise<number> {
  const cwd = io.cwd ?? process.cwd();
  let secrets: string[] = [];
  const scrub = () => scrubber(secrets);
  const stdout = (t: string) => io.stdout(scrub()(t));
  const stderr = (t: string) => io.stderr(scrub()(t));
  let client: VantagepointClient | undefined;
  try {
    const flags = parseDoctorArgs(argv);
    if (flags.help) {
      stdout(DOCTOR_HELP);
      return 0;
    }
    const stack = flags.stack !== undefined ? readStack(flags.stack, cwd) : undefined;
    const need = (value: string | undefined, flag: string) => {
      if (value === undefined || value === "")
        throw new DoctorUsageError(
          `--${flag} is required (or --stack NAME to read it from the stack), e.g. ${EXAMPLES[flag]}`,
        );
      return value;
    };
    const url = need(flags.url ?? stack?.url, "url");
    // The API root, not the web app or the token endpoint: a wrong path would end as "sign-in failed" (exit 3).
    const urlProblem = flags.url !== undefined ? apiRootProblem(flags.url) : undefined;
    if (urlProblem) throw new DoctorUsageError(`--url ${urlProblem}`);
    const envProblems = environmentProblems(io.env);
    if (envProblems.length > 0) throw new DoctorUsageError(envProblems.join("\n"));
    const database = need(flags.database ?? stack?.database, "database");
    const username = need(flags.username ?? stack?.username, "username");
    const clientId = need(flags.clientId ?? stack?.clientId, "client-id");

    let roster: PersonRef[] | undefined = stack?.roster;
    let configurer: PersonRef | undefined = stack?.configurer;
    if (flags.users !== undefined) {
      const file = readUsersFile(flags.users, cwd);
      roster = file.roster;
      if (file.configurer) configurer = file.configurer;
    }
    if (flags.configurer !== undefined) {
      configurer = { userId: flags.configurer };
      if (roster) roster = roster.filter((p) => !sameId(p.userId, flags.configurer));
    }
    const version = flags.version ?? stack?.version;
    const requireAdministratorType =
      version !== undefined ? versionAtLeast(version, 7, 0) : (stack?.requireAdministratorType ?? true);

    const password = await secretFrom(io, PASSWORD_ENV, `Vantagepoint password for ${username}: `);
    secrets = [password];
    const clientSecret = await secretFrom(
      io,
      CLIENT_SECRET_ENV,
      `Client secret of API Authorization ${clientId}: `,
    );
    secrets = [password, clientSecret];

    const connection: VantagepointConnection = {
      url,
      database,
      username,
      password,
      clientId,
      clientSecret,
      integrated: flags.integrated || (stack?.integrated ?? false),
      ...(stack ? { paths: stack.paths, pageSize: stack.pageSize } : {}),
    };
    try {
      client = new VantagepointClient(connection, clientOptionsFromEnv(io.env));
    } catch (error) {
      if (error instanceof VantagepointError && error.kind === "config")
        throw new DoctorUsageError(
          error.message
            .replace(/connection\.url/g, "--url")
            .replace(/connection\.pageSize/g, "vantagepoint.pageSize"),
        );
      throw error;
    }

    const inputs: DoctorInputs = {
      ...((flags.adminRole ?? stack?.adminRole) ? { adminRole: flags.adminRole ?? stack?.adminRole } : {}),
      requireAdministratorType,
      ...(version !== undefined ? { version } : {}),
      ...(configurer ? { configurer } : {}),
      ...(roster ? { roster } : {}),
      apiUser: username,
      connectClientName: flags.connectClientName ?? stack?.connectClientName ?? DEFAULT_CONNECT_API_NAME,
      ...(flags.adoptedFingerprint ? { adoptedFingerprint: flags.adoptedFingerprint } : {}),
      ...(stack?.connectClientId ? { connectClientId: stack.connectClientId } : {}),
      // P7: the stack's login mode and tenant; --login-client-id adds the Server Client ID to compare (alone, it
      // means Entra ID login, the only mode with a Server Client ID).
      ...(stack || flags.loginClientId
        ? {
            login: {
              ...(stack ? stack.login : { mode: "entraId" as const }),
              ...(flags.loginClientId ? { serverClientId: flags.loginClientId } : {}),
              database,
            },
          }
        : {}),
    };
    const warnings: string[] = [];
    if (!roster)
      warnings.push(
        `no roster given (--users FILE or --stack NAME): every active user except ${username} was treated as a Connect user`,
      );

    // Doctor reads Vantagepoint, not Entra: the secret's dates come from the stack's config, said as such.
    if (stack?.loginSecret) {
      warnings.push(`${stack.loginSecret.status} (from the stack's config)`, ...stack.loginSecret.warnings);
    }
    // A large site takes many pages: count the requests answered, on a terminal only (lib/progress.ts).
    const reader = client;
    const reading = watchProgress(
      io,
      "doctor: reading Vantagepoint",
      () => ({ done: reader.counters.requests }),
      {
        unit: "requests answered",
      },
    );
    let checks: Awaited<ReturnType<typeof runDoctorChecks>>;
    const seen: DoctorSeen = {};
    try {
      checks = await runDoctorChecks(reader, inputs, seen);
    } finally {
      reading.stop();
    }
    // Which role model P3 used, and how it is known, on stderr whatever the formats (and in the reports).
    const versionLine = seen.roleModel
      ? describeRoleModel(seen.roleModel)
      : `Vantagepoint version ${version ?? "not known"} (${version !== undefined ? "configured" : "no role could be read, so none was probed"})`;
    stderr(`doctor: ${versionLine}\n`);
    if (seen.roleModel?.source === "assumed") warnings.push(versionLine);
    // How many records each list read (a list read only in part is never used: its checks could not run).
    const listed = Object.entries(reader.counters.listed);
    if (listed.length)
      stderr(`doctor: read ${listed.map(([p, n]) => `${n} records from ${p}`).join(", ")}\n`);
    const report = {
      ...buildDoctorReport({
        checks,
        target: {
          url: safeUrl(url),
          database,
          username,
          ...(stack ? { stack: flags.stack!, stackFile: stack.stackFile, ...repoBaseOf(cwd) } : {}),
          ...(isLocalTarget(url) ? { local: true } : {}),
        },
        connectUsers: roster ? "roster" : "all-active-users",
        strict: flags.strict,
        warnings,
      }),
      rerun: rerunCommand(argv),
    };

    const formats: ReportFormat[] =
      flags.formats.length > 0 ? flags.formats : flags.out !== undefined ? [...REPORT_FORMATS] : ["table"];
    if (formats.includes("table")) stdout(DOCTOR_RENDERERS.table(report));
    else {
      const warn = report.warnings.filter((w) => /could not be checked/.test(w));
      for (const w of warn) stderr(`WARNING: ${w}\n`);
      // The console's last line, whatever the formats: a CI log always says what happened.
      stdout(`${doctorVerdict(report)}\n`);
    }
    const files = formats.filter((f): f is Exclude<ReportFormat, "table"> => f !== "table");
    const outDir = path.resolve(cwd, flags.out ?? "reports");
    if (files.length > 0 || flags.out !== undefined) removeDoctorReports(outDir, flags.stack);
    if (files.length > 0) {
      fs.mkdirSync(outDir, { recursive: true });
      const written: string[] = [];
      for (const f of files) {
        const file = path.join(outDir, doctorReportFile(f, flags.stack));
        fs.writeFileSync(file, scrub()(DOCTOR_RENDERERS[f](report, stack?.stackFileText)));
        written.push(path.relative(cwd, file) || file);
      }
      (formats.includes("table") ? stdout : stderr)(`Reports: ${written.join(", ")}\n`);
    }
    return report.exitCode;
  } catch (error) {
    if (error instanceof DoctorUsageError) {
      // A refused run leaves no earlier run's report behind either.
      if (outFor(argv) !== undefined) removeDoctorReports(path.resolve(cwd, outFor(argv)!), stackFor(argv));
      stderr(`vpconnect doctor: ${error.message}\n`);
      return 2;
    }
    throw new Error(scrub()(`vpconnect doctor failed: ${(error as Error)?.message ?? String(error)}`));
  } finally {
    client?.close();
  }
}

function versionAtLeast(version: string, major: number, minor: number): boolean {
  const [a = 0, b = 0] = version.split(".").map(Number);
  return a > major || (a === major && b >= minor);
}

/** The URL without query or fragment (it never carries credentials: the client refuses those). */
function safeUrl(raw: string): string {
  try {
    const u = new URL(raw);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return raw;
  }
}

/** Removes every report file a doctor run for `stack` writes (all formats), so none is left from an earlier run. */
export function removeDoctorReports(outDir: string, stack: string | undefined): void {
  for (const format of REPORT_FORMATS) {
    if (format === "table") continue;
    const file = path.join(outDir, doctorReportFile(format, stack));
    if (path.dirname(file) !== outDir) continue; // a stack name with separators is never ours
    fs.rmSync(file, { force: true });
  }
}

/** The `vpconnect doctor` entry for cli/main.ts's command table. */
export const doctorCommand = {
  summary:
    "read-only check of P3..P6 on a live Vantagepoint (exit 0 ok, 1 broken, 2 usage/config, 3 sign-in or a read failed)",
  run(
    argv: string[],
    io: { stdout(t: string): void; stderr(t: string): void; env: NodeJS.ProcessEnv; cwd: string },
  ) {
    if (argv.includes("--all")) {
      const { runDoctorAll } = require("./doctorAll") as typeof import("./doctorAll");
      const { findProject } = require("../evaluator/stack") as typeof import("../evaluator/stack");
      return runDoctorAll(
        argv.filter((a) => a !== "--all"),
        io,
        runDoctor,
        findProject(io.cwd).stackConfigDir,
      );
    }
    return runDoctor(argv, { ...io, ...(process.stdin.isTTY ? { prompt: ttyPrompt } : {}) });
  },
};
