/**
 * Reads a group synchronously for the config loader (which runs before any resource registers, in a program whose
 * stack outputs are module exports): the read runs in a child Node.js process (readMain) and this waits for it.
 * The client secret goes to the child on stdin, never on its command line. No Pulumi import.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import * as path from "node:path";
import type { GroupReader, GroupReadResult } from "../config/groupSource";

/** Longest a group read may take (a 5,000-member group is 6 pages; 429 waits are bounded in graph.ts). */
const READ_TIMEOUT_MS = 15 * 60 * 1000;

export const readGroupSync: GroupReader = (request) => {
  const main = require.resolve("./readMain");
  const args = main.endsWith(".ts") ? ["-r", tsLoader(), main] : [main];
  let out: string;
  try {
    out = execFileSync(process.execPath, args, {
      input: JSON.stringify(request),
      encoding: "utf8",
      maxBuffer: 1024 * 1024 * 1024,
      timeout: READ_TIMEOUT_MS,
      stdio: ["pipe", "pipe", "pipe"],
    });
  } catch (e) {
    throw new Error(
      `the group read did not finish (${(e as Error).message.split("\n")[0]}); nothing was planned or written`,
    );
  }
  const reply = JSON.parse(out) as { ok: true; result: GroupReadResult } | { ok: false; message: string };
  if (!reply.ok) throw new Error(reply.message);
  return reply.result;
};

/**
 * How the child loads TypeScript (a checkout runs from source): this repository's register script, SWC's transpiler
 * when @swc/core is installed (about a fifth of the CPU TypeScript's transpiler takes to start the child), else
 * ts-node's transpile-only.
 */
export function tsLoader(): string {
  const own = path.join(__dirname, "..", "..", "scripts", "ts-register.js");
  return existsSync(own) ? own : require.resolve("ts-node/register/transpile-only");
}
