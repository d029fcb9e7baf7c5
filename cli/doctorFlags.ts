/**
 * `vpconnect doctor`'s flags: the options table, help text, strict parsing with a fix for every mistake, secret
 * flags refused without echoing them, and the command line that runs the same check again. Also the two
 * environment variables the secrets come from and the Io doctor writes to (cli/doctorAll.ts reads them here).
 */
import { parseArgs } from "node:util";
import type { ParseArgsConfig } from "node:util";
import { DOCTOR_EXIT_CODES } from "../lib/doctor/model";
import { didYouMean } from "../lib/config/load";
import { REPORT_FORMATS } from "../lib/reports";
import type { ReportFormat } from "../lib/reports";
import { DEFAULT_CONNECT_API_NAME } from "../lib/vantagepoint/apiClient";
import { guidProblem } from "../lib/values/validators";

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

export const EXAMPLES: Record<string, string> = {
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

/** The value of a flag in raw argv (`--out DIR` or `--out=DIR`), for cleaning up after a refused run. */
function flagValue(argv: readonly string[], long: string, short?: string): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === `--${long}` || (short && a === `-${short}`)) return argv[i + 1];
    if (a.startsWith(`--${long}=`)) return a.slice(long.length + 3);
  }
  return undefined;
}
export const outFor = (argv: readonly string[]) => flagValue(argv, "out", "o");
export const stackFor = (argv: readonly string[]) => flagValue(argv, "stack", "s");

/** The command line that runs this check again: the same flags (never a secret: secret flags are refused). */
export function rerunCommand(argv: readonly string[]): string {
  const quote = (a: string) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`);
  return ["vpconnect", "doctor", ...argv].map(quote).join(" ");
}
