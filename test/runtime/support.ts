/**
 * Shared by the test/runtime tests (Pulumi's own processes driven over gRPC; the harness itself is
 * evaluator/grpc/): the dynamic resources a program run under mocks registers, with the `__provider` the SDK
 * serialized; a second checkout of the project; finding secrets in text.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { runCheck } from "../../evaluator/check";
import type { CheckOptions } from "../../evaluator/check";
import type { CheckReport } from "../../lib/reports/model";

export const ROOT = path.resolve(__dirname, "..", "..");

/** One dynamic resource as the engine would receive it. */
export interface CapturedDynamic {
  /** `vpconnectResource`: ConnectRoster, ConnectAdminRole, ConnectApiClient. */
  kind: string;
  name: string;
  urn: string;
  /** Plaintext inputs, without `__provider`. */
  inputs: Record<string, unknown>;
  /** The closure text the SDK wrote into `__provider`. */
  serializedProvider: string;
  stackConfig: { config: Readonly<Record<string, string>>; secretKeys: readonly string[] };
}

/**
 * Runs the program under mocks (as `vpconnect check` does), with its dynamic resources captured, not executed.
 * The working folder is the project folder while it runs, as under `pulumi up` (the language host passes
 * `--pwd <program folder>` to cmd/run, which changes into it before loading the program).
 */
export async function runCapturing(
  options: CheckOptions & { cwd: string },
): Promise<{ captured: CapturedDynamic[]; report: CheckReport }> {
  const captured: CapturedDynamic[] = [];
  const previous = process.cwd();
  process.chdir(options.cwd);
  try {
    const report = await runCheck({
      policyPacks: [],
      ...options,
      dynamicExecutor: async (_type, name, inputs, resource) => {
        captured.push({
          kind: String(inputs.vpconnectResource),
          name,
          urn: resource!.urn,
          inputs: structuredClone(inputs),
          serializedProvider: resource!.serializedProvider,
          stackConfig: resource!.stackConfig,
        });
        return {};
      },
    });
    return { captured, report };
  } finally {
    process.chdir(previous);
  }
}

/** The dynamic resources of a program run that must succeed (see runCapturing). */
export async function captureDynamicResources(
  options: CheckOptions & { cwd: string },
): Promise<CapturedDynamic[]> {
  const { captured, report } = await runCapturing(options);
  if (report.configIssues.length > 0 || report.programError !== undefined)
    throw new Error(
      `the program did not run: ${JSON.stringify(report.configIssues)} ${report.programError ?? ""}`,
    );
  return captured;
}

/**
 * A second checkout of the project at `dir`: the tracked and untracked (not ignored) files of this one, with
 * node_modules linked (an install there would be the same packages).
 */
export function copyProject(dir: string): string {
  const files = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z"], {
    cwd: ROOT,
    encoding: "utf8",
  })
    .split("\0")
    .filter((f) => f !== "" && fs.existsSync(path.join(ROOT, f)));
  for (const f of files) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.copyFileSync(path.join(ROOT, f), path.join(dir, f));
  }
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
  return dir;
}

/** The secrets (of at least 4 characters) that occur in `text`. */
export function secretsIn(text: string, secrets: readonly string[]): string[] {
  return secrets.filter((s) => s.length >= 4 && text.includes(s));
}
