/**
 * Strict flag parsing for `vpconnect` subcommands (node:util parseArgs): unknown flags get "did you mean",
 * missing values an example, every message names the flag as the user writes it (`--from`). Exit 2.
 */
import { parseArgs } from "node:util";
import type { ParseArgsConfig } from "node:util";
import { didYouMean } from "../lib/config/load";

export type FlagOptions = NonNullable<ParseArgsConfig["options"]>;

/** A command-line mistake (exit 2); the message names the flag and a fix. */
export class CommandFlagError extends Error {}

/**
 * Parses `argv` for `command` (e.g. "ips update"). `examples` maps a flag name to an example use for the
 * "needs a value" message. Positionals are refused unless `positionals` is true.
 */
export function parseFlags(
  command: string,
  argv: string[],
  options: FlagOptions,
  examples: Record<string, string> = {},
  positionals = false,
): { values: Record<string, unknown>; positionals: string[] } {
  try {
    const parsed = parseArgs({ args: argv, options, strict: true, allowPositionals: positionals });
    for (const [name, value] of Object.entries(parsed.values)) {
      if (typeof value === "string" && value.trim() === "")
        throw new CommandFlagError(`--${name} needs a value, e.g. ${examples[name] ?? `--${name} VALUE`}`);
    }
    return { values: parsed.values as Record<string, unknown>, positionals: parsed.positionals };
  } catch (error) {
    if (error instanceof CommandFlagError) throw error;
    const e = error as Error & { code?: string };
    const flag = /'(-{1,2}[^' ]+)/.exec(e.message)?.[1] ?? "";
    switch (e.code) {
      case "ERR_PARSE_ARGS_UNKNOWN_OPTION": {
        const hint = didYouMean(flag.replace(/^-+/, ""), Object.keys(options));
        throw new CommandFlagError(
          `unknown flag ${flag}${hint ? ` (did you mean --${hint}?)` : ""}; run vpconnect ${command} --help for the flags`,
        );
      }
      case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE": {
        const name = /--([a-z][a-z-]*)/.exec(e.message)?.[1] ?? flag.replace(/^-+/, "");
        if (options[name]?.type === "boolean") throw new CommandFlagError(`--${name} takes no value`);
        throw new CommandFlagError(`--${name} needs a value, e.g. ${examples[name] ?? `--${name} VALUE`}`);
      }
      case "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL": {
        const arg = /'([^']+)'/.exec(e.message)?.[1] ?? "";
        throw new CommandFlagError(
          `unexpected argument ${JSON.stringify(arg)}: vpconnect ${command} takes flags only; run vpconnect ${command} --help`,
        );
      }
      default:
        throw new CommandFlagError(e.message);
    }
  }
}
