/**
 * The `vpconnect` command line. Subcommands live in a table: adding one is one line (`name: () => command`),
 * loaded lazily so `vpconnect emulator` does not load Pulumi. Exit codes: whatever the subcommand returns
 * (check: 0 pass, 1 mandatory violations, 2 config or usage problems).
 */
import { didYouMean } from "../lib/config/load";
import type { Command, Io } from "./io";
import { processIo, toolVersion } from "./io";

export type { Command, Io } from "./io";
export { processIo, toolVersion } from "./io";

/** Every subcommand. Add one line per command (`emulator` and `doctor` are wired by their owners). */
export const COMMANDS: Record<string, () => Command> = {
  check: () =>
    (require("./check") as typeof import("./check")).makeCheckCommand(
      (require("./emulatorCheck") as typeof import("./emulatorCheck")).emulatorCheckOptions,
    ),
  doctor: () => (require("./doctor") as typeof import("./doctor")).doctorCommand,
  ips: () => (require("./ips") as typeof import("./ips")).ipsCommand,
  emulator: () => ({
    summary: "start the Vantagepoint API emulator on 127.0.0.1 and print its URL and demo credentials",
    run: async (argv, io) => {
      const { EmulatorUsageError, runEmulatorCli } =
        require("../emulator/cli") as typeof import("../emulator/cli");
      let emulator;
      try {
        emulator = await runEmulatorCli(argv, (line) => io.stdout(line.endsWith("\n") ? line : `${line}\n`));
      } catch (error) {
        if (!(error instanceof EmulatorUsageError)) throw error;
        io.stderr(`vpconnect emulator: ${error.message}\n`);
        return 2;
      }
      if (emulator) await new Promise(() => {}); // serve until Ctrl+C (runEmulatorCli stops it and exits)
      return 0;
    },
  }),
};

export function usage(): string {
  const names = Object.keys(COMMANDS);
  const width = Math.max(...names.map((n) => n.length));
  const lines = names.map((n) => {
    let summary = "";
    try {
      summary = COMMANDS[n]!().summary;
    } catch {
      summary = "";
    }
    return `  ${n.padEnd(width)}  ${summary}`;
  });
  return [
    "Usage: vpconnect <command> [flags]",
    "       vpconnect --version",
    "",
    "Commands:",
    ...lines,
    "",
    "Run vpconnect <command> --help for its flags.",
    "",
  ].join("\n");
}

export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.stderr(usage());
    return 2;
  }
  if (name === "--help" || name === "-h" || name === "help") {
    io.stdout(usage());
    return 0;
  }
  if (name === "--version" || name === "-V" || name === "version") {
    io.stdout(`vpconnect ${toolVersion()}\n`);
    return 0;
  }
  if (name.startsWith("-")) {
    const hint = didYouMean(name.replace(/^-+/, ""), ["help", "version"]);
    io.stderr(
      `vpconnect: unknown flag ${name}${hint ? ` (did you mean --${hint}?)` : ""}; flags go after the command, e.g. vpconnect check --stack dev\n\n${usage()}`,
    );
    return 2;
  }
  const factory = COMMANDS[name];
  if (!factory) {
    const hint = didYouMean(name, Object.keys(COMMANDS));
    io.stderr(`vpconnect: unknown command "${name}"${hint ? `; did you mean "${hint}"?` : ""}\n\n${usage()}`);
    return 2;
  }
  try {
    return await factory().run(rest, io);
  } catch (error) {
    io.stderr(`vpconnect ${name}: ${(error as Error)?.stack ?? String(error)}\n`);
    return 2;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`vpconnect: ${(error as Error)?.stack ?? String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
