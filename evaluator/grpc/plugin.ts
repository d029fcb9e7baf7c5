/**
 * Starting one of Pulumi's own plugin processes the way the CLI starts it: `node <entry> <args...>` in a given
 * folder, reading the gRPC port it prints as its first line of stdout (sdk/go/common/resource/plugin/plugin.go
 * `newPlugin` reads the port the same way). Used for `@pulumi/pulumi/cmd/dynamic-provider` (the dynamic
 * provider host) and `@pulumi/pulumi/cmd/run-policy-pack` (a policy pack as an analyzer).
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

export interface PluginProcess {
  /** `127.0.0.1:<port>`, the plugin's gRPC server. */
  readonly address: string;
  readonly child: ChildProcess;
  /** Everything the plugin wrote so far (its stdout after the port line, and its stderr). */
  output(): string;
  /** Kills the process (SIGTERM, then SIGKILL) and waits for it to end. */
  stop(): Promise<void>;
}

export interface StartPluginOptions {
  /** The plugin's working directory (the CLI uses the program or pack folder). */
  cwd: string;
  /** Extra environment (merged over process.env). */
  env?: Record<string, string | undefined>;
  /** How long to wait for the port line. */
  timeoutMs?: number;
  /** Node flags before the entry (the CLI's `nodeargs`). */
  nodeArgs?: string[];
  /** Opens an IPC channel to the process (a shared analyzer's preload listens on it: bin/analyzerPreload.js). */
  ipc?: boolean;
}

/** A file of this package's bin/ folder, beside the sources (evaluator/grpc/) or the compiled output (dist/...). */
export function binFile(name: string): string | undefined {
  for (const up of [path.join("..", ".."), path.join("..", "..", "..")]) {
    const file = path.join(__dirname, up, "bin", name);
    if (fs.existsSync(file)) return file;
  }
  return undefined;
}

/**
 * The Node flags that preload bin/pluginPreload.js (@pulumi/pulumi's unused @npmcli/arborist loaded on first use
 * only) into a plugin process; none when the file is missing (the plugin then loads it as usual).
 */
export function pluginPreloadArgs(): string[] {
  const file = binFile("pluginPreload.js");
  return file ? ["-r", file] : [];
}

/** Resolves `request` (e.g. `@pulumi/pulumi/cmd/dynamic-provider`) from `dir`, as `node` would there. */
export function resolveFrom(dir: string, request: string): string {
  return require.resolve(request, { paths: [path.resolve(dir)] });
}

/** Starts `node <entry> ...args` and waits for the port it prints. Rejects with its output when it exits first. */
export function startPlugin(
  entry: string,
  args: string[],
  options: StartPluginOptions,
): Promise<PluginProcess> {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), entry, ...args], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: options.ipc ? ["ignore", "pipe", "pipe", "ipc"] : ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let buffered = "";
  let port: number | undefined;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return new Promise<PluginProcess>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(
        new Error(
          `${path.basename(path.dirname(entry))}: no port within ${options.timeoutMs ?? 60_000} ms\n${out}`,
        ),
      );
    }, options.timeoutMs ?? 60_000);
    child.stdout!.on("data", (chunk: Buffer) => {
      if (port !== undefined) {
        out += chunk.toString();
        return;
      }
      buffered += chunk.toString();
      const newline = buffered.indexOf("\n");
      if (newline < 0) return;
      const line = buffered.slice(0, newline).trim();
      out += buffered.slice(newline + 1);
      const parsed = Number(line);
      if (!Number.isInteger(parsed) || parsed <= 0) {
        clearTimeout(timer);
        child.kill("SIGKILL");
        reject(new Error(`${entry}: expected a port on the first line, got ${JSON.stringify(line)}\n${out}`));
        return;
      }
      port = parsed;
      clearTimeout(timer);
      resolve({
        address: `127.0.0.1:${port}`,
        child,
        output: () => out,
        async stop() {
          if (child.exitCode === null && child.signalCode === null) {
            child.kill("SIGTERM");
            const killer = setTimeout(() => child.kill("SIGKILL"), 2_000);
            await exited;
            clearTimeout(killer);
          }
        },
      });
    });
    child.stderr!.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.once("exit", (code, signal) => {
      if (port !== undefined) return;
      clearTimeout(timer);
      reject(new Error(`${entry} exited (${code ?? signal}) before printing its port\n${out}${buffered}`));
    });
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}
