/** What the stack-config loader takes (LoadOptions, a roster file parser) and what it gives (LoadedConfig). */
import type { GroupReader, GroupSummary } from "./groupSource";
import { SECRET_PATHS } from "./schema";
import type { Person, StackConfig } from "./schema";

/** One person Connect serves, from the roster (configurer first). */
export interface RosterEntry extends Person {
  role: string;
  configurer: boolean;
}

export interface LoadedConfig {
  config: StackConfig;
  /** https://host/path: where Connect reaches Vantagepoint (P1). */
  publicUrl: string;
  /** The Entra login app's redirect URI: the public URL's app path (P7). */
  loginRedirectUri: string;
  /**
   * The login app's secret slots: `status` in one line ("login app secret: slot B active since ...; slot A
   * expires ...: paste B into Vantagepoint by ...") and the rotation `warnings` (active slot expiring, short
   * overlap). Kept apart from `warnings`: the component logs its own at `pulumi up`; `check` and doctor print these.
   */
  loginSecret?: { status: string; warnings: string[] };
  /** Vantagepoint 7.0 and later want the Connect role to be of type Administrator (P3). */
  requireAdministratorType: boolean;
  /** Configurer plus users (inline and file), validated, no duplicates. */
  roster: RosterEntry[];
  /** Non-fatal notes for the person deploying. */
  warnings: string[];
  /** What `roster.group` gave (when set). */
  group?: GroupSummary;
}

/**
 * A roster file parser: returns entries or row-level errors (`row` is 1-based, header is row 1). `where` (optional,
 * per entry and per error) says where it is in the file, e.g. "row 7" or "entry 3"; without it entries are
 * numbered as if the file had no blank lines.
 */
export type RosterFileParser = (
  text: string,
  fileName: string,
) => {
  entries: unknown[];
  errors: Array<{ row: number; where?: string; field?: string; message: string }>;
  where?: string[];
};

export interface LoadOptions {
  /** The stack file's name as the user knows it, e.g. `stacks/Pulumi.dev.yaml`. */
  source: string;
  /** Config keys the engine marks secret (PULUMI_CONFIG_SECRET_KEYS), e.g. `vpconnect:vantagepoint`. */
  secretKeys?: ReadonlySet<string>;
  /** Reads `roster.file` (relative to the project folder). */
  readFile?: (path: string) => string;
  parseRosterFile?: RosterFileParser;
  /** Plaintext for secrets known outside the stack file (offline runs against the emulator). */
  secretOverrides?: Partial<Record<(typeof SECRET_PATHS)[number], string>>;
  /**
   * Pulumi ESC environments the stack file imports. Offline their values are invisible, so a required secret
   * missing from the stack file is taken to come from them (with a warning) instead of being an error.
   */
  environments?: readonly string[];
  /** Today, for secret rotation dates (default: the clock). */
  now?: Date;
  /** Reads `roster.group`'s members (default: from Microsoft Graph in a child process; tests answer from fixtures). */
  readGroup?: GroupReader;
}
