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
import * as readline from "node:readline";
import { parseArgs } from "node:util";
import type { ParseArgsConfig } from "node:util";
import { buildDoctorReport, runDoctorChecks } from "../lib/doctor/collect";
import { watchProgress } from "../lib/progress";
import type { DoctorInputs, DoctorSeen } from "../lib/doctor/collect";
import type { PersonRef } from "../lib/doctor/checks";
import { DOCTOR_RENDERERS, doctorReportFile, doctorVerdict } from "../lib/doctor/render";
import { DOCTOR_EXIT_CODES, isLocalTarget } from "../lib/doctor/model";
import { ConfigError, didYouMean, formatIssues, loadStackConfig } from "../lib/config/load";
import { projectFileReader } from "../lib/config/projectFile";
import { readGroupSync } from "../lib/entraGroup/readSync";
import { readRosterFile } from "../lib/config/rosterFile";
import { parseStackFile } from "../lib/config/stackFile";
import { REPORT_FORMATS } from "../lib/reports";
import { repoBaseOf } from "../lib/reports/locate";
import type { ReportFormat } from "../lib/reports";
import { DEFAULT_CONNECT_API_NAME } from "../lib/vantagepoint/apiClient";
import { sameId } from "../lib/vantagepoint/identifiers";
import { VantagepointClient } from "../lib/vantagepoint/client";
import { clientOptionsFromEnv, environmentProblems } from "../lib/vantagepoint/connection";
import { apiRootProblem } from "../lib/config/valueRules";
import { guidProblem } from "../lib/config/validators";
import { VantagepointError } from "../lib/vantagepoint/errors";
import { describeRoleModel } from "../lib/vantagepoint/roleModel";
import { parseRosterFile, RosterFileError } from "../lib/vantagepoint/rosterFile";
import type { VantagepointConnection, VantagepointPaths } from "../lib/vantagepoint/types";

type OptionsConfig = NonNullable<ParseArgsConfig["options"]>;

/** Where doctor writes and reads; `prompt` asks for a secret without echo (only when stdin is a terminal). */
export interface DoctorIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: NodeJS.ProcessEnv | Record<string, string | undefined>;
  prompt?: (question: string) => Promise<string>;
  /** Folder --stack, --users and --out are relative to (default: the process's). */
  cwd?: string;
  /** Whether stderr is a terminal: a progress line is drawn only then (lib/progress.ts). */
  stderrIsTTY?: boolean;
}

export const PASSWORD_ENV = "VPCONNECT_PASSWORD";
export const CLIENT_SECRET_ENV = "VPCONNECT_CLIENT_SECRET";

export const DOCTOR_OPTIONS = {
  url: { type: "string" },
  database: { type: "string" },
  username: { type: "string" },
  "client-id": { type: "string" },
  integrated: { type: "boolean" },
  stack: { type: "string", short: "s" },
  users: { type: "string" },
  configurer: { type: "string" },
  "admin-role": { type: "string" },
  "vantagepoint-version": { type: "string" },
  "connect-client-name": { type: "string" },
  "adopted-fingerprint": { type: "string" },
  "login-client-id": { type: "string" },
  strict: { type: "boolean" },
  format: { type: "string", short: "f", multiple: true },
  out: { type: "string", short: "o" },
  help: { type: "boolean", short: "h" },
} as const satisfies OptionsConfig;

export const DOCTOR_HELP = `Usage: vpconnect doctor --url URL --database DB --username U --client-id ID [--stack NAME]
                        [--users FILE] [--configurer USERID] [--admin-role ROLE] [--vantagepoint-version X.Y]
                        [--connect-client-name NAME] [--adopted-fingerprint F] [--strict]
                        [--format table,json,sarif,junit,markdown,html] [--out DIR]

Checks Connect's prerequisites P3..P6 on a live Vantagepoint, read-only (the token grant and GETs, never a
write), and reports each as ok, broken or could-not-check with the reason.

      --url URL                    the API root, e.g. https://vp.example.com/vantagepoint/api
      --database DB                the Vantagepoint database
      --username U                 the user doctor signs in as (its password from ${PASSWORD_ENV})
      --client-id ID               Client ID of an API Authorization with the password grant
                                   (its secret from ${CLIENT_SECRET_ENV})
      --integrated                 Windows authentication (Integrated=Y)
  -s, --stack NAME                 take url, database, username, client ID, admin role, version, roster and
                                   the Connect client name from stacks/Pulumi.NAME.yaml (flags override it)
      --users FILE                 roster CSV/JSON of the Connect users (default: the stack's roster; with
                                   neither, every active user except --username counts as a Connect user)
      --configurer USERID          who configures Connect (default: the roster's configurer)
      --admin-role ROLE            the role that must grant Connect Administration (the configurer's own
                                   role is checked too)
      --vantagepoint-version X.Y   7.0 and later also need the role to be of type Administrator (default:
                                   probed from the role record, else 7.0 assumed; printed on stderr)
      --connect-client-name NAME   the Connect API Authorization's name (default "${DEFAULT_CONNECT_API_NAME}")
      --adopted-fingerprint F      the ConnectApiClient resource's fingerprint output: report edits since then
      --login-client-id ID         the login app's client ID (the stack's loginAppClientId output): P7 compares
                                   Vantagepoint's Server Client ID with it (with --stack, or Entra ID login)
      --strict                     could-not-check exits 1 too
  -f, --format LIST                table,json,sarif,junit,markdown,html (default: table; all with --out)
  -o, --out DIR                    where report files go (default: reports): doctor[-<stack>].json, .sarif,
                                   .junit.xml, .md, .html
      --all                        every stack in stacks/, one after another (each as --stack NAME); each
                                   site's secrets from VPCONNECT_PASSWORD_<STACK> and
                                   VPCONNECT_CLIENT_SECRET_<STACK>, else the shared variables below
  -h, --help                       this help

Secrets never go on the command line: set ${PASSWORD_ENV} and ${CLIENT_SECRET_ENV}, or run in a terminal
to be prompted.

Exit codes:
${DOCTOR_EXIT_CODES.map((e) => `  ${e.code}  ${e.meaning}`).join("\n")}
`;

/** A usage or config problem: the message names the flag and the fix. Exit 2. */
export class DoctorUsageError extends Error {}

const SECRET_FLAG =
  /^--?(password|passwd|pwd|pass|client-secret|clientsecret|client_secret|secret|token|access-token|vpconnect-password|vpconnect-client-secret)(=.*)?$/i;

/** Refuses secret flags before parsing, without echoing their values. */
export function refuseSecretFlags(argv: readonly string[]): void {
  for (const arg of argv) {
    const m = SECRET_FLAG.exec(arg);
    if (!m) continue;
    const name = m[1]!.toLowerCase();
    const env = /secret/.test(name) ? CLIENT_SECRET_ENV : PASSWORD_ENV;
    throw new DoctorUsageError(
      `--${name} is refused: secrets never go on the command line (shell history, process lists). Set the environment variable ${env} instead, or run in a terminal to be prompted.`,
    );
  }
}

export interface DoctorFlags {
  url?: string;
  database?: string;
  username?: string;
  clientId?: string;
  integrated: boolean;
  stack?: string;
  users?: string;
  configurer?: string;
  adminRole?: string;
  version?: string;
  connectClientName?: string;
  adoptedFingerprint?: string;
  loginClientId?: string;
  strict: boolean;
  formats: ReportFormat[];
  out?: string;
  help: boolean;
}

const EXAMPLES: Record<string, string> = {
  url: "--url https://vp.example.com/vantagepoint/api",
  database: "--database VP_PROD",
  username: "--username svc-vpconnect",
  "client-id": "--client-id vpconnect-provisioning",
  stack: "--stack prod",
  users: "--users stacks/roster.prod.csv",
  configurer: "--configurer PJONES",
  "admin-role": "--admin-role CONNECTADMIN",
  "vantagepoint-version": "--vantagepoint-version 7.1",
  "connect-client-name": '--connect-client-name "Vantagepoint Connect"',
  "adopted-fingerprint": "--adopted-fingerprint 0123456789abcdef0123456789abcdef",
  "login-client-id": "--login-client-id 0b5f6a7c-1d2e-4f3a-8b9c-0d1e2f3a4b5c",
  format: "--format table,json",
  out: "--out reports",
};

/** Parses doctor's flags strictly. Throws DoctorUsageError naming the flag and the fix. */
export function parseDoctorArgs(argv: string[]): DoctorFlags {
  refuseSecretFlags(argv);
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({ args: argv, options: DOCTOR_OPTIONS, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new DoctorUsageError(flagMessage(error as Error & { code?: string }));
  }
  for (const [k, v] of Object.entries(values)) {
    if (typeof v === "string" && v.trim() === "")
      throw new DoctorUsageError(`--${k} needs a value, e.g. ${EXAMPLES[k] ?? `--${k} VALUE`}`);
  }
  const formats: ReportFormat[] = [];
  for (const item of ((values.format as string[] | undefined) ?? []).flatMap((f) => f.split(","))) {
    const f = item.trim().toLowerCase() === "md" ? "markdown" : item.trim().toLowerCase();
    if (f === "") continue;
    if (!(REPORT_FORMATS as readonly string[]).includes(f)) {
      const hint = didYouMean(f, REPORT_FORMATS);
      throw new DoctorUsageError(
        `--format ${item}: unknown format${hint ? `; did you mean ${hint}?` : ""}; use a comma list of ${REPORT_FORMATS.join(",")}`,
      );
    }
    if (!formats.includes(f as ReportFormat)) formats.push(f as ReportFormat);
  }
  const version = values["vantagepoint-version"] as string | undefined;
  if (version !== undefined && !/^\d+\.\d+$/.test(version.trim()))
    throw new DoctorUsageError(
      `--vantagepoint-version ${version}: give "major.minor", e.g. ${EXAMPLES["vantagepoint-version"]}`,
    );
  const fp = values["adopted-fingerprint"] as string | undefined;
  if (fp !== undefined && !/^[0-9a-f]{32}$/i.test(fp.trim()))
    throw new DoctorUsageError(
      `--adopted-fingerprint must be the 32 hex characters the ConnectApiClient resource outputs as "fingerprint" (pulumi stack output), e.g. ${EXAMPLES["adopted-fingerprint"]}`,
    );
  const str = (k: keyof typeof DOCTOR_OPTIONS) =>
    values[k] === undefined ? undefined : String(values[k]).trim();
  const loginClientId = str("login-client-id");
  const loginProblem =
    loginClientId !== undefined ? guidProblem(loginClientId, "the login app's client ID") : undefined;
  if (loginProblem)
    throw new DoctorUsageError(`--login-client-id ${loginProblem}, e.g. ${EXAMPLES["login-client-id"]}`);
  return {
    url: str("url"),
    database: str("database"),
    username: str("username"),
    clientId: str("client-id"),
    integrated: values.integrated === true,
    stack: str("stack"),
    users: str("users"),
    configurer: str("configurer"),
    adminRole: str("admin-role"),
    version: version?.trim(),
    connectClientName: str("connect-client-name"),
    adoptedFingerprint: fp?.trim().toLowerCase(),
    ...(loginClientId !== undefined ? { loginClientId } : {}),
    strict: values.strict === true,
    formats,
    out: str("out"),
    help: values.help === true,
  };
}

function flagMessage(error: Error & { code?: string }): string {
  const flag = /'(-{1,2}[^' =]+)/.exec(error.message)?.[1] ?? "";
  switch (error.code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION": {
      const hint = didYouMean(flag.replace(/^-+/, ""), Object.keys(DOCTOR_OPTIONS));
      return `unknown flag ${flag}${hint ? ` (did you mean --${hint}?)` : ""}; run vpconnect doctor --help for the flags`;
    }
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE": {
      const name = /--([a-z][a-z-]*)/.exec(error.message)?.[1] ?? flag.replace(/^-+/, "");
      if ((DOCTOR_OPTIONS as Record<string, { type: string }>)[name]?.type === "boolean")
        return `--${name} takes no value`;
      return `--${name} needs a value, e.g. ${EXAMPLES[name] ?? `--${name} VALUE`}`;
    }
    case "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL":
      // The argument itself is not echoed: it may be a secret typed in the wrong place.
      return "unexpected argument without a flag: vpconnect doctor takes flags only (run vpconnect doctor --help); secrets go in environment variables";
    default:
      return error.message;
  }
}

/** What the stack file says, for the fields doctor uses. */
interface StackSettings {
  url: string;
  database: string;
  username: string;
  clientId: string;
  integrated: boolean;
  paths: VantagepointPaths;
  pageSize: number;
  adminRole: string;
  requireAdministratorType: boolean;
  /** vantagepoint.version, when set (left out: the role record tells). */
  version?: string;
  connectClientName: string;
  /** vantagepoint.connectApiClient.clientId, when set. */
  connectClientId?: string;
  /** entra.loginMode and entra.tenantId: what P7 compares LoginConfig with. */
  login: { mode: "entraId" | "windows"; tenantId: string };
  configurer: PersonRef;
  roster: PersonRef[];
  stackFile: string;
  stackFileText: string;
  /** The login app's secret slots and rotation warnings (lib/rotation.ts), when the stack has a login app. */
  loginSecret?: { status: string; warnings: string[] };
}

/** Finds Pulumi.yaml upwards from cwd and reads `<stackConfigDir>/Pulumi.NAME.yaml` through the config loader. */
function readStack(name: string, cwd: string): StackSettings {
  // The evaluator's project lookup is plain fs/yaml (no Pulumi import).
  const { findProject, locateStack, UsageError } =
    require("../evaluator/stack") as typeof import("../evaluator/stack");
  let project: ReturnType<typeof findProject>;
  let file: string;
  try {
    project = findProject(cwd);
    ({ file } = locateStack(project, { stack: name, cwd }));
  } catch (error) {
    if (error instanceof UsageError)
      throw new DoctorUsageError(error.message.replace(/vpconnect check/g, "vpconnect doctor"));
    throw error;
  }
  const stackFile = path.relative(cwd, file) || file;
  const text = fs.readFileSync(file, "utf8");
  try {
    const { config: raw } = parseStackFile(text, stackFile);
    const loaded = loadStackConfig(raw, {
      source: stackFile,
      readFile: projectFileReader(project.dir),
      parseRosterFile: readRosterFile,
      readGroup: readGroupSync,
    });
    const vp = loaded.config.vantagepoint;
    const people = loaded.roster.map((r) => ({
      userId: r.userId,
      ...(r.employee ? { employee: r.employee } : {}),
    }));
    return {
      url: vp.apiUrl,
      database: vp.database,
      username: vp.username,
      clientId: vp.clientId,
      integrated: vp.integrated,
      paths: vp.paths,
      pageSize: vp.pageSize,
      adminRole: vp.adminRole,
      requireAdministratorType: loaded.requireAdministratorType,
      ...(vp.version ? { version: vp.version } : {}),
      connectClientName: vp.connectApiClient.name,
      ...(vp.connectApiClient.clientId ? { connectClientId: vp.connectApiClient.clientId } : {}),
      login: { mode: loaded.config.entra.loginMode, tenantId: loaded.config.entra.tenantId },
      configurer: people[0]!,
      roster: people.slice(1),
      stackFile,
      stackFileText: text,
      ...(loaded.loginSecret ? { loginSecret: loaded.loginSecret } : {}),
    };
  } catch (error) {
    if (error instanceof ConfigError)
      throw new DoctorUsageError(
        formatIssues(error.issues).replace("; nothing was created:", "; doctor did not run:"),
      );
    throw error;
  }
}

function readUsersFile(file: string, cwd: string): { roster: PersonRef[]; configurer?: PersonRef } {
  let text: string;
  try {
    text = fs.readFileSync(path.resolve(cwd, file), "utf8");
  } catch (error) {
    throw new DoctorUsageError(
      `--users ${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? "error"}); give a roster CSV or JSON file`,
    );
  }
  try {
    const entries = parseRosterFile(text, file);
    const bad = entries.findIndex((e) => typeof e.userId !== "string" || e.userId.trim() === "");
    if (bad >= 0)
      throw new DoctorUsageError(
        `--users ${file}: entry ${bad + 1} has no userId; every row needs the Vantagepoint user ID`,
      );
    const refs = entries.map((e) => ({
      userId: e.userId.trim(),
      ...(e.employee ? { employee: e.employee } : {}),
      configurer: e.configurer === true,
    }));
    const configurers = refs.filter((r) => r.configurer);
    if (configurers.length > 1)
      throw new DoctorUsageError(
        `--users ${file}: ${configurers.length} rows have configurer true; mark only the person who configures Connect`,
      );
    const strip = ({ configurer: _c, ...p }: PersonRef & { configurer: boolean }): PersonRef => p;
    return {
      roster: refs.filter((r) => !r.configurer).map(strip),
      ...(configurers[0] ? { configurer: strip(configurers[0]) } : {}),
    };
  } catch (error) {
    if (error instanceof RosterFileError) throw new DoctorUsageError(`--users: ${error.message}`);
    throw error;
  }
}

async function secretFrom(io: DoctorIo, env: string, question: string): Promise<string> {
  const v = io.env[env];
  if (typeof v === "string" && v !== "") return v;
  if (io.prompt) {
    const answer = await io.prompt(question);
    if (answer !== "") return answer;
    throw new DoctorUsageError(
      `nothing was typed at the prompt for the ${env === PASSWORD_ENV ? "password" : "API Authorization's client secret"}; type it, or set ${env}; nothing was read`,
    );
  }
  throw new DoctorUsageError(
    `${env} is not set: put the ${env === PASSWORD_ENV ? "password" : "API Authorization's client secret"} in the environment variable ${env} (or run in a terminal to be prompted); secrets are never taken from flags`,
  );
}

/** Replaces known secret values in any text leaving doctor (belt and braces: errors are redacted already). */
function scrubber(secrets: string[]): (text: string) => string {
  const values = new Set<string>();
  for (const s of secrets) {
    if (s.length < 3) continue;
    values.add(s);
    values.add(encodeURIComponent(s));
    values.add(JSON.stringify(s).slice(1, -1));
  }
  const sorted = [...values].sort((a, b) => b.length - a.length);
  return (text) => sorted.reduce((t, v) => t.split(v).join("[REDACTED]"), text);
}

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

/** The value of a flag in raw argv (`--out DIR` or `--out=DIR`), for cleaning up after a refused run. */
function flagValue(argv: readonly string[], long: string, short?: string): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === `--${long}` || (short && a === `-${short}`)) return argv[i + 1];
    if (a.startsWith(`--${long}=`)) return a.slice(long.length + 3);
  }
  return undefined;
}
const outFor = (argv: readonly string[]) => flagValue(argv, "out", "o");
const stackFor = (argv: readonly string[]) => flagValue(argv, "stack", "s");

/** The command line that runs this check again: the same flags (never a secret: secret flags are refused). */
export function rerunCommand(argv: readonly string[]): string {
  const quote = (a: string) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`);
  return ["vpconnect", "doctor", ...argv].map(quote).join(" ");
}

/**
 * Asks on the terminal without echoing what is typed. Ctrl-D (end of input) and Ctrl-C end doctor with a
 * usage error (exit 2) that says so; it never waits forever or exits 0 with nothing checked.
 */
export function ttyPrompt(
  question: string,
  input: NodeJS.ReadableStream = process.stdin,
  output: NodeJS.WritableStream = process.stderr,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const rl = readline.createInterface({ input, output, terminal: true });
    let settled = false;
    output.write(question);
    (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => undefined;
    rl.question("", (answer) => {
      settled = true;
      rl.close();
      output.write("\n");
      resolve(answer);
    });
    rl.on("SIGINT", () => {
      settled = true;
      rl.close();
      output.write("\n");
      reject(new DoctorUsageError("cancelled at the prompt (Ctrl-C); nothing was read"));
    });
    rl.on("close", () => {
      if (settled) return;
      settled = true;
      output.write("\n");
      reject(
        new DoctorUsageError(
          `no answer at the prompt (Ctrl-D or end of input); nothing was read. Type it at the prompt, or set ${PASSWORD_ENV} and ${CLIENT_SECRET_ENV}`,
        ),
      );
    });
  });
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
