/**
 * What the fleet suites share: `vpconnect` run through the command line in-process (as a CI job runs it), and site
 * stack files generated from the bundled dev stack.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse, stringify } from "yaml";
import { main } from "../../cli/main";
import { captureIo } from "./io";

export const root = path.join(__dirname, "..", "..");

/** Parsed YAML and JSON reports, read like JSON. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

/** `vpconnect <argv>` in the project folder: its exit code and what it printed. */
export async function vpconnect(
  ...argv: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  const captured = captureIo(root);
  const code = await main(argv, captured.io);
  return { code, stdout: captured.stdout, stderr: captured.stderr };
}

/** A site generated from the dev stack file, changed by `edit` (parsed YAML, so secure values stay as they are). */
export function site(dir: string, name: string, edit: (config: Json) => void = () => {}): string {
  const doc = parse(fs.readFileSync(path.join(root, "stacks", "Pulumi.dev.yaml"), "utf8"));
  edit(doc.config);
  const file = path.join(dir, `Pulumi.${name}.yaml`);
  fs.writeFileSync(file, stringify(doc));
  return file;
}
