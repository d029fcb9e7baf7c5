/** What the CLI reads from a project's Pulumi.yaml before starting its plugins. */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";

/**
 * `runtime.options` of the project's Pulumi.yaml (e.g. `typescript: true`): the CLI hands them to the language
 * host and, as PULUMI_RUNTIME_<KEY>, to the dynamic provider host. {} when there are none.
 */
export function runtimeOptionsOf(projectDir: string): Record<string, unknown> {
  for (const name of ["Pulumi.yaml", "Pulumi.yml"]) {
    const file = path.join(projectDir, name);
    if (!fs.existsSync(file)) continue;
    const doc = parse(fs.readFileSync(file, "utf8")) as { runtime?: unknown } | null;
    const runtime = doc?.runtime;
    if (runtime && typeof runtime === "object" && "options" in runtime) {
      const options = (runtime as { options?: unknown }).options;
      if (options && typeof options === "object") return { ...(options as Record<string, unknown>) };
    }
    return {};
  }
  return {};
}

/**
 * The program's working folder and entry as the CLI hands them to the language host (`--pwd`, the last
 * argument of cmd/run): Pulumi.yaml `main` when set (a file: its folder and its name; a folder: it and "."),
 * else the project folder and "." (pulumi/pulumi pkg/engine/project.go `getPwdMain`).
 */
export function programEntryOf(projectDir: string): { pwd: string; entry: string } {
  for (const name of ["Pulumi.yaml", "Pulumi.yml"]) {
    const file = path.join(projectDir, name);
    if (!fs.existsSync(file)) continue;
    const doc = parse(fs.readFileSync(file, "utf8")) as { main?: unknown } | null;
    if (typeof doc?.main !== "string" || doc.main === "") break;
    const main = path.resolve(projectDir, doc.main);
    if (fs.existsSync(main) && fs.statSync(main).isDirectory()) return { pwd: main, entry: "." };
    return { pwd: path.dirname(main), entry: path.basename(main) };
  }
  return { pwd: projectDir, entry: "." };
}
