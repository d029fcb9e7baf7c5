/**
 * What every `vpconnect` command shares: where it writes (Io), its entry in cli/main.ts's table (Command) and the
 * tool's version. Commands import these from here, not from cli/main.ts, so no command module imports the table
 * that loads it (cli/main.ts re-exports them for callers that always did).
 */
import * as fs from "node:fs";
import * as path from "node:path";

/** Where a command writes; tests pass their own. */
export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Working directory flags are relative to. */
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Whether stderr is a terminal: progress lines are drawn only then (lib/progress.ts). */
  stderrIsTTY?: boolean;
}

export interface Command {
  /** One line for `vpconnect --help`. */
  summary: string;
  run(argv: string[], io: Io): Promise<number>;
}

export function processIo(): Io {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    cwd: process.cwd(),
    env: process.env,
    stderrIsTTY: process.stderr.isTTY === true,
  };
}

/**
 * This tool's version, from the package's package.json: beside cli/ in a checkout, two levels up once compiled
 * (dist/cli/main.js in the installed package).
 */
export function toolVersion(): string {
  for (const up of ["..", path.join("..", "..")]) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, up, "package.json"), "utf8")) as {
        name?: unknown;
        version?: unknown;
      };
      if (pkg.name === "vantagepoint-connect" && typeof pkg.version === "string") return pkg.version;
    } catch {
      // not here; try the next folder up
    }
  }
  return "unknown";
}
