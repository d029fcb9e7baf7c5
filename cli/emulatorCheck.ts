/**
 * `vpconnect check --emulator`: the offline demo and the main job of `npm start`. Starts the Vantagepoint API
 * emulator on 127.0.0.1, points the stack's Vantagepoint connection at it (URL, database, user, client, and the
 * demo credentials as secret overrides, so the stack file's ciphertext is never needed), and executes the
 * dynamic Vantagepoint resources for real against it, so the policies see seeded state. Nothing leaves the machine.
 */
import type { CheckFlags, CheckCommandOptions } from "./check";
import type { CheckOptions } from "../evaluator/check";
import type { Io } from "./main";

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
    const { providerExecutor } = require("../evaluator/dynamic") as typeof import("../evaluator/dynamic");
    const vantagepoint = require("../components/vantagepoint") as typeof import("../components/vantagepoint");
    // The providers read these at call time: keep retries quick for a local server.
    io.env.VPCONNECT_RETRY_BASE_MS ??= "20";
    const emulator = await startEmulator();
    const c = emulator.credentials;
    io.stderr(`Vantagepoint API emulator at ${emulator.url} (database ${c.database}); seeding it for real\n`);
    return {
      options: {
        ...options,
        configOverrides: {
          "vantagepoint.apiUrl": emulator.url,
          "vantagepoint.database": c.database,
          "vantagepoint.username": c.username,
          "vantagepoint.clientId": c.clientId,
        },
        secretOverrides: { "vantagepoint.password": c.password, "vantagepoint.clientSecret": c.clientSecret },
        dynamicExecutor: providerExecutor({
          ConnectRoster: vantagepoint.connectRosterProvider,
          ConnectAdminRole: vantagepoint.connectAdminRoleProvider,
          ConnectApiClient: vantagepoint.connectApiClientProvider,
        }),
      },
      dispose: () => emulator.stop(),
    };
  },
};
