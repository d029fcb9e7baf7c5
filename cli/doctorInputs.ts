/**
 * What `vpconnect doctor` reads besides its flags: the stack file (through the config loader), a users file, the
 * secrets (environment, else a prompt that does not echo) and the scrubber that keeps them out of every output.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as readline from "node:readline";
import type { PersonRef } from "../lib/doctor/checks";
import { ConfigError, formatIssues, loadStackConfig } from "../lib/config/load";
import { projectFileReader } from "../lib/config/projectFile";
import { readGroupSync } from "../lib/entraGroup/readSync";
import { readRosterFile } from "../lib/config/rosterFile";
import { parseStackFile } from "../lib/config/stackFile";
import { parseRosterFile, RosterFileError } from "../lib/vantagepoint/rosterFile";
import type { VantagepointPaths } from "../lib/vantagepoint/types";
import { CLIENT_SECRET_ENV, DoctorUsageError, PASSWORD_ENV } from "./doctorFlags";
import type { DoctorIo } from "./doctorFlags";

/** What the stack file says, for the fields doctor uses. */
export interface StackSettings {
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
export function readStack(name: string, cwd: string): StackSettings {
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

export function readUsersFile(file: string, cwd: string): { roster: PersonRef[]; configurer?: PersonRef } {
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

export async function secretFrom(io: DoctorIo, env: string, question: string): Promise<string> {
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
export function scrubber(secrets: string[]): (text: string) => string {
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
