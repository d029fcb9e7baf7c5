/** `vpconnect emulator`: starts the Vantagepoint API emulator and prints its URL and demo credentials. */
import { startEmulator, Emulator, EmulatorOptions } from "./server";
import type { BrokenState } from "./seed";

const USAGE = `Usage: vpconnect emulator [options]
  --port <n>               port on 127.0.0.1 (default: random)
  --latency <ms>           added latency per request
  --employees <n>          seeded employees (default 300)
  --token-expires-in <s>   expires_in of issued tokens (default 1799)
  --html-errors            serve errors as IIS-style HTML pages
  --no-roles               switch the role endpoint off (404)
  --no-api-authorizations  switch the API authorization endpoint off (404)
  --no-connect-api-authorization  seed without the "Vantagepoint Connect" API Authorization
  --broken <a,b,..>        seed broken states: roleWithoutConnectAdmin, usersWithoutEmployee, duplicateEmails,
                           terminatedEmployees, employeesWithoutEmail, connectApiAuthMissing, connectApiAuthEdited
  --json                   print the connection as one JSON line
`;

function num(argv: string[], i: number, flag: string): number {
  const v = Number(argv[i + 1]);
  if (argv[i + 1] === undefined || !Number.isFinite(v) || v < 0)
    throw new Error(`${flag} needs a number, got ${argv[i + 1] ?? "nothing"}`);
  return v;
}

/** Parses emulator CLI flags into options (exported for tests). */
export function parseEmulatorArgs(argv: string[]): {
  options: EmulatorOptions;
  json: boolean;
  help: boolean;
} {
  const options: EmulatorOptions = { seed: {} };
  let json = false;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    switch (a) {
      case "--port":
        options.port = num(argv, i++, a);
        break;
      case "--latency":
        options.latencyMs = num(argv, i++, a);
        break;
      case "--employees":
        options.seed!.employees = num(argv, i++, a);
        break;
      case "--token-expires-in":
        options.tokenExpiresIn = num(argv, i++, a);
        break;
      case "--html-errors":
        options.htmlErrors = true;
        break;
      case "--no-roles":
        options.disable = { ...options.disable, roles: true };
        break;
      case "--no-api-authorizations":
        options.disable = { ...options.disable, apiAuthorizations: true };
        break;
      case "--no-connect-api-authorization":
        options.seed!.connectApiAuthorization = false;
        break;
      case "--broken":
        options.broken = String(argv[++i] ?? "")
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean) as BrokenState[];
        break;
      case "--json":
        json = true;
        break;
      case "-h":
      case "--help":
        help = true;
        break;
      default:
        throw new Error(`Unknown option ${a}\n${USAGE}`);
    }
  }
  return { options, json, help };
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
  const emu = await startEmulator(options);
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
