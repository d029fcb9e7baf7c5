/** Test helpers: an emulator plus a connection and a fast client. */
import assert from "node:assert/strict";
import { startEmulator, Emulator, EmulatorOptions } from "../../emulator";
import { ClientOptions, VantagepointClient, VantagepointConnection } from "../../lib/vantagepoint";

export function connectionFor(
  emu: Emulator,
  extra: Partial<VantagepointConnection> = {},
): VantagepointConnection {
  return { ...emu.connection(), ...extra };
}

/** A client whose sleeps are recorded, not waited. */
export function fastClient(
  emu: Emulator,
  opts: ClientOptions = {},
  extra: Partial<VantagepointConnection> = {},
) {
  const delays: number[] = [];
  const client = new VantagepointClient(connectionFor(emu, extra), {
    sleep: async (ms) => {
      delays.push(ms);
    },
    random: () => 0.5,
    ...opts,
  });
  return { client, delays };
}

export async function withEmulator<T>(
  options: EmulatorOptions,
  fn: (emu: Emulator) => Promise<T>,
): Promise<T> {
  const emu = await startEmulator(options);
  try {
    return await fn(emu);
  } finally {
    await emu.stop();
  }
}

/** Sentinel secrets: tests assert these never show up in errors. */
export const SENTINEL_PASSWORD = "Sentinel-Pa55word-7e3f1c";
export const SENTINEL_CLIENT_SECRET = "sentinel-client-secret-91b2d4";

/** Env for providers so retries do not wait in tests. */
export function fastRetryEnv(): () => void {
  const keys = [
    "VPCONNECT_RETRY_BASE_MS",
    "VPCONNECT_RETRY_MAX_MS",
    "VPCONNECT_MAX_RETRY_AFTER_MS",
    "VPCONNECT_HTTP_TIMEOUT_MS",
  ];
  const saved = keys.map((k) => process.env[k]);
  process.env.VPCONNECT_RETRY_BASE_MS = "1";
  process.env.VPCONNECT_RETRY_MAX_MS = "5";
  process.env.VPCONNECT_MAX_RETRY_AFTER_MS = "5";
  process.env.VPCONNECT_HTTP_TIMEOUT_MS = "2000";
  return () =>
    keys.forEach((k, i) => {
      if (saved[i] === undefined) delete process.env[k];
      else process.env[k] = saved[i];
    });
}

/** The rejection of `p` (fails the test when it resolves). */
export async function errorOf(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  assert.fail("expected a rejection");
}

/**
 * Mocha hooks for a provider's describe block: fast retries and one emulator for the block (handed to
 * `started`), reset before each test, stopped and the environment restored after.
 */
export function useEmulator(options: EmulatorOptions, started: (emu: Emulator) => void): void {
  let emu: Emulator;
  let restoreEnv: () => void;
  before(async () => {
    restoreEnv = fastRetryEnv();
    emu = await startEmulator(options);
    started(emu);
  });
  after(async () => {
    await emu.stop();
    restoreEnv();
  });
  beforeEach(() => emu.reset());
}
