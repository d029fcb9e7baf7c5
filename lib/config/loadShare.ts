/**
 * One roster build per check. `vpconnect check` loads the stack config (to report every problem before anything
 * runs), then runs the program, which loads it again from the engine's config as it does under `pulumi up` (where
 * that is the only load). The roster is what costs: a 100,000-row roster file checked and merged, or a group read
 * from Microsoft Graph. Inside `handOverRoster(loaded, run)` the program's load takes the roster `loaded` built
 * instead of building it again, when it would build it from the same things: the same roster, login mode, tenant
 * and admin role settings (secrets compared by a hash of their plaintext) and the same roster file text. Anything
 * else, and outside the hand-over (`pulumi up`, tests), builds as always. Process-wide (the program re-requires
 * this module fresh); no Pulumi import.
 */
import { createHash } from "node:crypto";
import { SecretValue } from "../values/secret";
import { forgetRosterFileRows } from "./rosterBuild";
import type { StackConfig } from "./schema";
import type { GroupSummary } from "./groupSource";
import type { LoadedConfig, LoadOptions, RosterEntry } from "./loadOptions";

/** What buildRoster made, and the warnings it gave. */
export interface BuiltRoster {
  entries: RosterEntry[];
  group?: GroupSummary;
  warnings: string[];
  /** The entries passed ConnectSite's per-person rules (lib/site/checkedRoster.ts): the load marks its list. */
  checked: boolean;
}

/** What a build was made from: the settings it read, and the roster file's text. */
interface Made {
  key: string;
  fileText: string | undefined;
  built: BuiltRoster;
}

const BUILDS = Symbol.for("vantagepoint-connect.config.rosterBuilds");
const HANDED = Symbol.for("vantagepoint-connect.config.handedRoster");
type Store = { [BUILDS]?: WeakMap<LoadedConfig, Made>; [HANDED]?: Made };
const store = globalThis as Store;

/** The settings buildRoster reads, as text; a secret by a hash of its plaintext (never the plaintext itself). */
export function rosterSettingsKey(config: StackConfig): string {
  return JSON.stringify(
    {
      roster: config.roster,
      loginMode: config.entra.loginMode,
      tenantId: config.entra.tenantId,
      adminRole: config.vantagepoint.adminRole,
    },
    // JSON.stringify hands the replacer what toJSON made ("[secret]"): the holder still has the SecretValue.
    function (this: Record<string, unknown>, key: string, value: unknown) {
      const raw = this[key];
      if (!(raw instanceof SecretValue)) return value;
      return raw.available
        ? `sha256:${createHash("sha256").update(raw.reveal()).digest("hex")}`
        : `ciphertext:${raw.ciphertext ?? ""}`;
    },
  );
}

/**
 * The roster for `config`: handed over when a hand-over is open for the same settings and file text, else built
 * by `build` (reading the roster file through `options.readFile` once either way).
 */
export function rosterOnce(
  config: StackConfig,
  options: LoadOptions,
  build: (options: LoadOptions) => BuiltRoster,
): { built: BuiltRoster; made: Made; handedOver: boolean } {
  let fileText: string | undefined;
  let read = false;
  const readFile = options.readFile
    ? (file: string) => {
        const text = options.readFile!(file);
        if (file === config.roster.file) {
          fileText = text;
          read = true;
        }
        return text;
      }
    : undefined;
  const key = rosterSettingsKey(config);
  const handed = store[HANDED];
  if (handed && handed.key === key) {
    let text: string | undefined;
    try {
      text = config.roster.file && readFile ? readFile(config.roster.file) : undefined;
    } catch {
      text = undefined; // unreadable now: build, and let the build say so
    }
    if (text === handed.fileText && (text !== undefined || !config.roster.file)) {
      forgetRosterFileRows();
      return {
        built: {
          ...handed.built,
          entries: handed.built.entries.slice(),
          warnings: [...handed.built.warnings],
        },
        made: handed,
        handedOver: true,
      };
    }
  }
  const reused = read ? fileText : undefined;
  const built = build({
    ...options,
    ...(readFile
      ? { readFile: (file: string) => (read && file === config.roster.file ? reused! : readFile(file)) }
      : {}),
  });
  return { built, made: { key, fileText, built }, handedOver: false };
}

/** Remembers what `loaded`'s roster was made from (for a hand-over later in this process). */
export function rememberRoster(loaded: LoadedConfig, made: Made): void {
  (store[BUILDS] ??= new WeakMap()).set(loaded, made);
}

/**
 * Runs `run` (the program, under `vpconnect check`) with `loaded`'s roster handed over to the loads it makes; the
 * hand-over closes when `run` settles. Without a roster remembered for `loaded`, just runs `run`.
 */
export async function handOverRoster<T>(loaded: LoadedConfig | undefined, run: () => Promise<T>): Promise<T> {
  const made = loaded ? store[BUILDS]?.get(loaded) : undefined;
  if (!made) return run();
  const previous = store[HANDED];
  store[HANDED] = made;
  try {
    return await run();
  } finally {
    store[HANDED] = previous;
  }
}
