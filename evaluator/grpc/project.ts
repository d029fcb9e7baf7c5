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
