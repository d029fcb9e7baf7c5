/**
 * The program under Pulumi's own runner: `node <@pulumi/pulumi/cmd/run> --monitor A --engine A --project P
 * --root-directory DIR --stack S --pwd DIR [--dry-run] --parallel N .`, started as the Node.js language host
 * starts it (pulumi/pulumi v3.245.0 sdk/nodejs/cmd/pulumi-language-nodejs/main.go `constructArguments`,
 * `constructConfig`, `execRuntime`), against this project's engine server and ResourceMonitor (engine.ts,
 * monitor.ts). The environment is the language host's: PULUMI_CONFIG (keys in the `<ns>:config:<key>` form it
 * writes), PULUMI_CONFIG_SECRET_KEYS (`<ns>:<key>`), PULUMI_NODEJS_TYPESCRIPT=true for a `typescript` project
 * (the default), so the runner registers ts-node with type checking unless PULUMI_NODEJS_TRANSPILE_ONLY says not.
 */
import { spawn } from "node:child_process";
import { startEngine, type EngineLog } from "./engine";
import { createResourceMonitor, type MonitorRegistration, type ResourceMonitorOptions } from "./monitor";
import { resolveFrom } from "./plugin";
import { programEntryOf, runtimeOptionsOf } from "./project";

export interface RunUnderRunnerOptions extends Omit<ResourceMonitorOptions, "project" | "stack" | "preview"> {
  /** The program folder (Pulumi.yaml); the runner's --pwd and --root-directory. */
  projectDir: string;
  project: string;
  stack: string;
  /** `--dry-run`: a preview. */
  preview: boolean;
  /** The stack config as the engine holds it: `<ns>:<key>` -> value (objects as JSON text). */
  config: Readonly<Record<string, string>>;
  /** Which of those keys are secret. */
  secretKeys: readonly string[];
  /** Type-check the program (the runner's default for TypeScript); false sets PULUMI_NODEJS_TRANSPILE_ONLY. */
  typeCheck?: boolean;
  /** Extra environment. */
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
}

export interface RunnerResult {
  /** The runner's exit code (0 success; 32 "already reported to the user"; other non-zero failures). */
  exitCode: number;
  stdout: string;
  stderr: string;
  /** Engine.Log calls: the program's `pulumi.log.*` and the runner's error reports. */
  logs: EngineLog[];
  registrations: MonitorRegistration[];
  invokes: Array<{ token: string; args: Record<string, unknown> }>;
  /** The root stack URN the runner set (SetRootResource). */
  rootResource: string;
  features: Record<string, boolean>;
  /** How long the runner ran, ms. */
  ms: number;
}

/** The language host's PULUMI_CONFIG: `<ns>:<key>` becomes `<ns>:config:<key>` (main.go constructConfig). */
export function languageHostConfig(config: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(config)) {
    const colon = k.indexOf(":");
    out[colon < 0 ? k : `${k.slice(0, colon)}:config:${k.slice(colon + 1)}`] = v;
  }
  return out;
}

/** Runs the program under cmd/run against a fresh engine + monitor; resolves when the runner exits. */
export async function runUnderRunner(options: RunUnderRunnerOptions): Promise<RunnerResult> {
  const monitor = createResourceMonitor({
    project: options.project,
    stack: options.stack,
    preview: options.preview,
    ...(options.create ? { create: options.create } : {}),
    ...(options.invokes ? { invokes: options.invokes } : {}),
  });
  const engine = await startEngine({ monitor: monitor.service });
  const runPath = resolveFrom(options.projectDir, "@pulumi/pulumi/cmd/run");
  const program = programEntryOf(options.projectDir);
  const args = [
    runPath,
    "--monitor",
    engine.address,
    "--engine",
    engine.address,
    "--project",
    options.project,
    "--root-directory",
    options.projectDir,
    "--stack",
    options.stack,
    "--pwd",
    program.pwd,
    ...(options.preview ? ["--dry-run"] : []),
    "--parallel",
    "16",
    program.entry,
  ];
  const env: Record<string, string | undefined> = { ...process.env };
  // The language host starts node with its own environment, not a test runner's ts-node settings.
  for (const k of Object.keys(env)) if (k.startsWith("TS_NODE_") || k === "NODE_OPTIONS") delete env[k];
  const typescript = runtimeOptionsOf(options.projectDir).typescript ?? true;
  Object.assign(env, {
    PULUMI_CONFIG: JSON.stringify(languageHostConfig(options.config)),
    PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(options.secretKeys),
    ...(typescript !== false ? { PULUMI_NODEJS_TYPESCRIPT: "true" } : {}),
    ...(options.typeCheck === false ? { PULUMI_NODEJS_TRANSPILE_ONLY: "true" } : {}),
    ...options.env,
  });
  const started = Date.now();
  let stdout = "";
  let stderr = "";
  try {
    const exitCode = await new Promise<number>((resolve, reject) => {
      const child = spawn(process.execPath, args, {
        cwd: options.projectDir,
        env,
        stdio: ["ignore", "pipe", "pipe"],
      });
      const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 180_000);
      child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
      child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
      child.once("error", reject);
      child.once("exit", (code, signal) => {
        clearTimeout(timer);
        resolve(code ?? (signal ? 128 : 1));
      });
    });
    return {
      exitCode,
      stdout,
      stderr,
      logs: engine.logs,
      registrations: monitor.registrations,
      invokes: monitor.invokes,
      rootResource: engine.rootResource(),
      features: monitor.features,
      ms: Date.now() - started,
    };
  } finally {
    await engine.stop();
  }
}
