/**
 * Which site stacks a fleet has: every `Pulumi.<stack>.yaml` in the project's stack folder, or the files a user
 * lists. No Pulumi import (used by `vpconnect check --all` and the fleet program alike).
 */
import * as fs from "node:fs";
import * as path from "node:path";

/** One site stack: its name and its stack file. */
export interface SiteStackFile {
  stack: string;
  file: string;
}

const STACK_FILE = /^Pulumi\.([^.][^/\\]*)\.ya?ml$/;

/** The stack name a stack file stands for (`Pulumi.dev.yaml` -> `dev`), or undefined for other files. */
export function stackNameOf(file: string): string | undefined {
  return STACK_FILE.exec(path.basename(file))?.[1];
}

/** Every stack file in `dir`, sorted by stack name (a stable row order for reports and dashboards). */
export function discoverStackFiles(dir: string): SiteStackFile[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .map((name) => ({ stack: stackNameOf(name), file: path.join(dir, name) }))
    .filter((s): s is SiteStackFile => s.stack !== undefined && fs.statSync(s.file).isFile())
    .sort((a, b) => (a.stack < b.stack ? -1 : a.stack > b.stack ? 1 : 0));
}
