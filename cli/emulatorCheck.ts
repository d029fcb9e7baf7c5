/**
 * `vpconnect check --emulator`: the offline demo and the main job of `npm start`. Starts the Vantagepoint API
 * emulator on 127.0.0.1, points the stack's Vantagepoint connection at it (URL, database, user, client, and the
 * demo credentials as secret overrides, so the stack file's ciphertext is never needed), and executes the
 * dynamic Vantagepoint resources for real against it, so the policies see seeded state. Nothing leaves the machine.
 *
 * The dynamic resources go through Pulumi's own dynamic provider host (`@pulumi/pulumi/cmd/dynamic-provider`,
 * started in the program folder and driven over gRPC as the engine drives it: evaluator/grpc/), which loads the
 * `__provider` closure the SDK serialized: the same serialization, Check and Create a `pulumi up` runs.
 */
import * as path from "node:path";
import type { CheckFlags, CheckCommandOptions } from "./check";
import type { CheckOptions } from "../evaluator/check";
import type { Io } from "./io";
import { watchProgress } from "../lib/progress";

export const EMULATOR_CHECK_HELP = `
  --emulator                     start the Vantagepoint API emulator on 127.0.0.1 and seed it for real
                                 (the stack's vantagepoint URL and credentials are replaced by the emulator's)
`;

export const emulatorCheckOptions: CheckCommandOptions = {
  extraOptions: { emulator: { type: "boolean" } },
  help: EMULATOR_CHECK_HELP,
  async prepare(flags: CheckFlags, options: CheckOptions, io: Io) {
    if (flags.extra.emulator !== true) return { options };
    const { startEmulator } = require("../emulator") as typeof import("../emulator");
    const { findProject, readProject } = require("../evaluator/stack") as typeof import("../evaluator/stack");
    const grpc = require("../evaluator/grpc") as typeof import("../evaluator/grpc");
    const cwd = options.cwd ?? io.cwd;
    const project = options.projectDir
      ? readProject(path.resolve(cwd, options.projectDir))
      : findProject(cwd);
    // The providers read these at call time, in the host process: keep retries quick for a local server.
    io.env.VPCONNECT_RETRY_BASE_MS ??= "20";
    const env = { ...io.env };
    const emulator = await startEmulator();
    const started: Array<{ stop(): Promise<void> }> = [emulator];
    const dispose = async () => {
      for (const s of started.reverse()) await s.stop();
    };
    try {
      // A preview creates nothing (dynamic resources have no preview): no provider host, nothing seeded.
      const seedsForReal = options.preview !== true;
      const engine = seedsForReal ? await grpc.startEngine() : undefined;
      if (engine) started.push(engine);
      // Started alongside the program run (it loads @pulumi/pulumi, ~1.5 s): the first dynamic resource waits for it.
      const host = engine
        ? grpc.startDynamicProviderHost({
            programDir: project.dir,
            engineAddress: engine.address,
            project: project.name,
            runtimeOptions: grpc.runtimeOptionsOf(project.dir),
            env,
          })
        : undefined;
      if (host) {
        host.catch(() => undefined); // reported by the first dynamic resource that needs it
        started.push({
          stop: () =>
            host.then(
              (h) => h.stop(),
              () => undefined,
            ),
        });
      }
      // A roster from an Entra ID group: a Graph stand-in with the demo directory answers (emulator/graph.ts).
      const graph = stackHasGroup(project, options, cwd) ? await startDemoGraph() : undefined;
      if (graph) {
        started.push(graph);
        io.stderr(
          `Microsoft Graph stand-in at ${graph.url} (demo group ${graph.groupId}, 100 a page, one 429)\n`,
        );
      }
      const c = emulator.credentials;
      // Seeding thousands of people takes a while: count the emulator's writes on a terminal (nothing in pipes).
      const seeding = watchProgress(io, "seeding the emulator", () => ({ done: emulator.counters.writes }), {
        unit: "records written",
      });
      started.splice(1, 0, { stop: async () => seeding.stop() });
      io.stderr(
        `Vantagepoint API emulator at ${emulator.url} (database ${c.database}); ${
          seedsForReal
            ? "seeding it for real through Pulumi's dynamic provider host"
            : "preview: nothing is seeded (dynamic resources have no preview)"
        }\n`,
      );
      return {
        options: {
          ...options,
          emulator: { url: emulator.url, database: c.database },
          configOverrides: {
            "vantagepoint.apiUrl": emulator.url,
            "vantagepoint.database": c.database,
            "vantagepoint.username": c.username,
            "vantagepoint.clientId": c.clientId,
            ...(graph
              ? {
                  "roster.group.id": graph.groupId,
                  "roster.group.graph.url": graph.url,
                  "roster.group.graph.tokenUrl": graph.tokenUrl,
                  "roster.group.graph.clientId": graph.clientId,
                  "roster.group.graph.tenantId": graph.tenantId,
                }
              : {}),
          },
          secretOverrides: {
            "vantagepoint.password": c.password,
            "vantagepoint.clientSecret": c.clientSecret,
            ...(graph ? { "roster.group.graph.clientSecret": graph.clientSecret } : {}),
          },
          ...(host ? { dynamicExecutor: grpc.hostExecutor(host) } : {}),
        },
        dispose,
      };
    } catch (error) {
      await dispose();
      throw error;
    }
  },
};

/** Whether the checked stack file names `roster.group` (then the Graph stand-in answers for it). */
function stackHasGroup(project: { dir: string; name: string }, options: CheckOptions, cwd: string): boolean {
  const fs = require("node:fs") as typeof import("node:fs");
  const { locateStack } = require("../evaluator/stack") as typeof import("../evaluator/stack");
  const { parseStackFile } = require("../lib/config/stackFile") as typeof import("../lib/config/stackFile");
  try {
    const { file } = locateStack(project as never, {
      stack: options.stack,
      configFile: options.configFile,
      cwd,
    });
    const roster = parseStackFile(fs.readFileSync(file, "utf8"), file).config["vpconnect:roster"];
    return typeof roster === "object" && roster !== null && "group" in roster;
  } catch {
    return false; // the check itself reports an unreadable stack
  }
}

/**
 * The Graph stand-in with the demo directory (240 users, half in a nested group, paging at 100, one 429), in a
 * process of its own (emulator/graphMain.ts): the group is read synchronously while this process waits.
 */
async function startDemoGraph() {
  const { spawn } = require("node:child_process") as typeof import("node:child_process");
  const main = require.resolve("../emulator/graphMain");
  const args = main.endsWith(".ts")
    ? ["-r", require.resolve("ts-node/register/transpile-only"), main]
    : [main];
  const child = spawn(process.execPath, args, { stdio: ["pipe", "pipe", "inherit"] });
  const info = await new Promise<{
    url: string;
    tokenUrl: string;
    clientId: string;
    clientSecret: string;
    tenantId: string;
    groupId: string;
  }>((resolve, reject) => {
    let text = "";
    child.stdout.on("data", (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes("\n")) resolve(JSON.parse(text.slice(0, text.indexOf("\n"))));
    });
    child.once("exit", (code) => reject(new Error(`the Graph stand-in stopped (exit ${code})`)));
  });
  return {
    ...info,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.stdin.end();
      }),
  };
}
