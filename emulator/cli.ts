/** `vpconnect emulator`: starts the Vantagepoint API emulator and prints its URL and demo credentials. */
import { parseArgs } from "node:util";
import type { ParseArgsConfig } from "node:util";
import { didYouMean } from "../lib/config/load";
import { startEmulator, Emulator, EmulatorOptions } from "./server";
import type { BrokenState } from "./seed";

const USAGE = `Usage: vpconnect emulator [options]
  --port <n>               port on 127.0.0.1 (default: random)
  --latency <ms>           added latency per request
  --employees <n>          seeded employees (default 300)
  --token-expires-in <s>   expires_in of issued tokens (default 1799)
  --html-errors            serve errors as IIS-style HTML pages
  --lenient                the forgiving profile (default strict: employee keys required, symbol operators, ...)
  --busy                   a busy production server: pages filled by size, inserts while paging, reads lagging
                           writes by 1.5 s, some replies lost after the write committed (emulator/busy.ts)
  --server-keys            the site numbers new employees (a create without Employee gets a key and 201 + Location)
  --vantagepoint-version <v>  e.g. 7.0 (default), 6.0 (permission ConnectAdministration), 3.5 (no API authorization list)
  --no-roles               switch the role endpoint off (404)
  --no-api-authorizations  switch the API authorization endpoint off (404)
  --no-connect-api-authorization  seed without the "Vantagepoint Connect" API Authorization
  --broken <a,b,..>        seed broken states: roleWithoutConnectAdmin, usersWithoutEmployee, duplicateEmails,
                           terminatedEmployees, employeesWithoutEmail, connectApiAuthMissing, connectApiAuthEdited
  --json                   print the connection as one JSON line
`;

/** A bad flag: the message names the flag and the fix. `vpconnect emulator` prints it and exits 2. */
export class EmulatorUsageError extends Error {}

const OPTIONS = {
  port: { type: "string" },
  latency: { type: "string" },
  employees: { type: "string" },
  "token-expires-in": { type: "string" },
  "html-errors": { type: "boolean" },
  lenient: { type: "boolean" },
  busy: { type: "boolean" },
  "server-keys": { type: "boolean" },
  "vantagepoint-version": { type: "string" },
  "no-roles": { type: "boolean" },
  "no-api-authorizations": { type: "boolean" },
  "no-connect-api-authorization": { type: "boolean" },
  broken: { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const satisfies ParseArgsConfig["options"];

const EXAMPLES: Record<string, string> = {
  port: "--port 8080",
  latency: "--latency 50",
  employees: "--employees 300",
  "token-expires-in": "--token-expires-in 1799",
  broken: "--broken duplicateEmails,usersWithoutEmployee",
};

/** Every broken state (a Record, so a new BrokenState must be listed here to compile). */
const BROKEN_STATES: Readonly<Record<BrokenState, true>> = {
  roleWithoutConnectAdmin: true,
  usersWithoutEmployee: true,
  duplicateEmails: true,
  terminatedEmployees: true,
  employeesWithoutEmail: true,
  connectApiAuthMissing: true,
  connectApiAuthEdited: true,
};

const HELP_HINT = "run vpconnect emulator --help for the flags";

function num(
  value: string | undefined,
  flag: keyof typeof EXAMPLES,
  integer = false,
  max = Infinity,
): number | undefined {
  if (value === undefined) return undefined;
  const v = Number(value);
  if (value.trim() === "" || !Number.isFinite(v) || v < 0 || v > max || (integer && !Number.isInteger(v)))
    throw new EmulatorUsageError(
      `--${flag} needs a number${integer ? ` (a whole number${max < Infinity ? ` up to ${max}` : ""})` : ""}, got ${value === "" ? "nothing" : value}, e.g. ${EXAMPLES[flag]}`,
    );
  return v;
}

function flagMessage(error: Error & { code?: string }): string {
  const flag = /'(-{1,2}[^' =]+)/.exec(error.message)?.[1] ?? "";
  switch (error.code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION": {
      const hint = didYouMean(flag.replace(/^-+/, ""), Object.keys(OPTIONS));
      return `Unknown option ${flag}${hint ? ` (did you mean --${hint}?)` : ""}; ${HELP_HINT}`;
    }
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE": {
      const name = /--([a-z][a-z-]*)/.exec(error.message)?.[1] ?? flag.replace(/^-+/, "");
      if ((OPTIONS as Record<string, { type: string }>)[name]?.type === "boolean")
        return `--${name} takes no value; ${HELP_HINT}`;
      return `--${name} needs a value, e.g. ${EXAMPLES[name] ?? `--${name} VALUE`}`;
    }
    case "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL": {
      const arg = /'([^']*)'/.exec(error.message)?.[1];
      return `unexpected argument${arg ? ` ${arg}` : ""}: vpconnect emulator takes flags only; ${HELP_HINT}`;
    }
    default:
      return `${error.message}; ${HELP_HINT}`;
  }
}

/** Parses emulator CLI flags into options (exported for tests). Throws EmulatorUsageError naming the flag. */
export function parseEmulatorArgs(argv: string[]): {
  options: EmulatorOptions;
  json: boolean;
  help: boolean;
} {
  let values: {
    [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K]["type"] extends "string" ? string : boolean;
  };
  try {
    ({ values } = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new EmulatorUsageError(flagMessage(error as Error & { code?: string }));
  }
  const options: EmulatorOptions = { seed: {} };
  const port = num(values.port, "port", true, 65535);
  if (port !== undefined) options.port = port;
  const latency = num(values.latency, "latency");
  if (latency !== undefined) options.latencyMs = latency;
  const employees = num(values.employees, "employees", true);
  if (employees !== undefined) options.seed!.employees = employees;
  const expiresIn = num(values["token-expires-in"], "token-expires-in");
  if (expiresIn !== undefined) options.tokenExpiresIn = expiresIn;
  if (values["html-errors"]) options.htmlErrors = true;
  if (values.lenient && values.busy)
    throw new EmulatorUsageError(`--lenient and --busy are two profiles; pick one (${HELP_HINT})`);
  if (values.lenient) options.profile = "lenient";
  if (values.busy) options.profile = "busy";
  if (values["server-keys"]) options.employeeKeys = "server";
  if (values["vantagepoint-version"] !== undefined) {
    if (!/^\d+\.\d+$/.test(values["vantagepoint-version"]))
      throw new EmulatorUsageError(
        `--vantagepoint-version needs major.minor, got ${values["vantagepoint-version"] || "nothing"}, e.g. --vantagepoint-version 7.0`,
      );
    options.version = values["vantagepoint-version"];
  }
  if (values["no-roles"]) options.disable = { ...options.disable, roles: true };
  if (values["no-api-authorizations"]) options.disable = { ...options.disable, apiAuthorizations: true };
  if (values["no-connect-api-authorization"]) options.seed!.connectApiAuthorization = false;
  if (values.broken !== undefined) {
    const known = Object.keys(BROKEN_STATES);
    const kinds = values.broken
      .split(",")
      .map((k) => k.trim())
      .filter(Boolean);
    if (kinds.length === 0) throw new EmulatorUsageError(`--broken needs a value, e.g. ${EXAMPLES.broken}`);
    for (const kind of kinds) {
      if (known.includes(kind)) continue;
      const hint = didYouMean(kind, known);
      throw new EmulatorUsageError(
        `--broken ${kind}: unknown broken state${hint ? ` (did you mean ${hint}?)` : ""}; use a comma list of ${known.join(",")}`,
      );
    }
    options.broken = kinds as BrokenState[];
  }
  return { options, json: values.json === true, help: values.help === true };
}

/**
 * Starts the emulator and prints how to reach it. Resolves with the running emulator; it stops on
 * SIGINT/SIGTERM when `handleSignals` is true (the default).
 */
export async function runEmulatorCli(
  argv: string[],
  out: (line: string) => void = (l) => console.log(l),
  handleSignals = true,
): Promise<Emulator | undefined> {
  const { options, json, help } = parseEmulatorArgs(argv);
  if (help) {
    out(USAGE);
    return undefined;
  }
  let emu: Emulator;
  try {
    emu = await startEmulator(options);
  } catch (error) {
    const code = (error as { code?: string }).code;
    const at = `127.0.0.1:${options.port ?? 0}`;
    if (code === "EADDRINUSE")
      throw new EmulatorUsageError(
        `--port ${options.port}: ${at} is already in use (another emulator?); stop it, pick another port, or leave --port out for a free one`,
      );
    if (code === "EACCES")
      throw new EmulatorUsageError(
        `--port ${options.port}: not allowed to listen on ${at} (ports below 1024 need privileges); use e.g. --port 8080`,
      );
    throw error;
  }
  const c = emu.credentials;
  const connection = emu.connection();
  if (json) {
    out(JSON.stringify(connection));
  } else {
    out(`Vantagepoint API emulator listening at ${emu.url}`);
    out(`  database      ${c.database}`);
    out(`  username      ${c.username}`);
    out(`  password      ${c.password}   (demo only)`);
    out(`  clientId      ${c.clientId}`);
    out(`  clientSecret  ${c.clientSecret}   (demo only)`);
    out(
      `  employees ${emu.state.employees.size}, users ${emu.state.users.size}, API authorizations ${emu.state.apiAuthorizations.size}`,
    );
    out(`Press Ctrl+C to stop.`);
  }
  if (handleSignals) {
    const stop = () => {
      void emu.stop().then(() => process.exit(0));
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  }
  return emu;
}
