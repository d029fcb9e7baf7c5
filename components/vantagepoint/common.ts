/**
 * Shared by the Vantagepoint dynamic providers and their resources. No Pulumi import and nothing
 * unserializable at module scope: the providers are serialized by Pulumi, so they load the client library
 * inside their methods with `require` (registering ts-node first when the library is TypeScript source).
 */
import type * as pulumi from "@pulumi/pulumi";
import type * as VpLib from "../../lib/vantagepoint";

/** Absolute path of the library entry, resolved where the program runs (a plain string serializes). */
const VP_LIB_ENTRY: string = require.resolve("../../lib/vantagepoint");

/**
 * The same entry relative to the folder the program runs in (the project folder), with "/" separators. The
 * serialized provider is stored in the state and `pulumi refresh`/`destroy` run the stored copy: when the stack
 * is deployed from another checkout (another machine, a CI runner, a moved folder), the absolute path above
 * names a folder that may not exist. The provider host runs in the project folder, so this one is tried first.
 */
const VP_LIB_FROM_PROJECT: string = (() => {
  const path = require("node:path") as typeof import("node:path");
  return path.relative(process.cwd(), VP_LIB_ENTRY).split(path.sep).join("/");
})();

/**
 * Installed as a package (the entry lies in a node_modules folder), the library is also found by its package
 * name from the folder the program runs in: that survives a reinstall with another layout (npm, pnpm, a moved
 * or re-created node_modules) where the relative path above does not. The name is the package's export
 * `<package>/lib/vantagepoint` (package.json "exports").
 */
const VP_LIB_PACKAGE: string | undefined = (() => {
  const path = require("node:path") as typeof import("node:path");
  const parts = VP_LIB_ENTRY.split(path.sep);
  const at = parts.lastIndexOf("node_modules");
  if (at < 0) return undefined;
  const name = parts[at + 1]?.startsWith("@") ? `${parts[at + 1]}/${parts[at + 2]}` : parts[at + 1];
  return name ? `${name}/lib/vantagepoint` : undefined;
})();

/** Where the library is: by package name, then from the current checkout, then where it was at deploy time. */
export function vantagepointLibEntry(): string {
  const path = require("node:path") as typeof import("node:path");
  const fs = require("node:fs") as typeof import("node:fs");
  if (VP_LIB_PACKAGE) {
    try {
      return require.resolve(VP_LIB_PACKAGE, { paths: [process.cwd()] });
    } catch {
      // not installed under the current folder: fall back to the paths below
    }
  }
  const fromProject = path.resolve(process.cwd(), VP_LIB_FROM_PROJECT);
  return fromProject !== VP_LIB_ENTRY && fs.existsSync(fromProject) ? fromProject : VP_LIB_ENTRY;
}

/** Loads lib/vantagepoint inside a provider method (from the current checkout or install when it has one). */
export function loadVantagepointLib(): typeof VpLib {
  const entry = vantagepointLibEntry();
  if (entry.endsWith(".ts") && !require.extensions[".ts"]) {
    // SWC's transpiler when @swc/core is installed (this repository's devDependency, as scripts/ts-register.js):
    // the provider host loads the library in about a fifth of the CPU TypeScript's transpiler takes.
    let swc = false;
    try {
      require.resolve("@swc/core");
      swc = true;
    } catch {
      // not installed: TypeScript's transpiler
    }
    require("ts-node").register({ transpileOnly: true, swc });
  }
  return require(entry) as typeof VpLib;
}

/** Runs fn and rethrows any error with the given secrets (and tokens) removed from its message. */
export async function withoutSecrets<T>(secrets: ReadonlyArray<unknown>, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    const lib = loadVantagepointLib();
    const known = secrets.filter((s): s is string => typeof s === "string");
    const message = lib.redactSecrets(e instanceof Error ? e.message : String(e), known);
    const err = new Error(message);
    err.name = e instanceof Error ? e.name : "Error";
    throw err;
  }
}

/** The secret values of a connection input, for redaction. */
export function connectionSecrets(connection: unknown): string[] {
  const c = (connection ?? {}) as { password?: unknown; clientSecret?: unknown };
  return [c.password, c.clientSecret].filter((s): s is string => typeof s === "string");
}

/** A short stable id for a site: hash of the API root and database. */
export function siteId(prefix: string, connection: unknown): string {
  const c = (connection ?? {}) as { url?: string; database?: string };
  const crypto = require("node:crypto") as typeof import("node:crypto");
  return `${prefix}-${crypto
    .createHash("sha256")
    .update(`${c.url ?? ""}|${c.database ?? ""}`)
    .digest("hex")
    .slice(0, 12)}`;
}

/**
 * A dynamic resource's options: its safe defaults (e.g. protect, additionalSecretOutputs) merged with what the
 * caller passed, where options the caller left undefined keep the defaults.
 */
export function resourceOptions(
  defaults: pulumi.CustomResourceOptions,
  opts: pulumi.CustomResourceOptions | undefined,
): pulumi.CustomResourceOptions {
  const { mergeOptions } = require("@pulumi/pulumi") as typeof import("@pulumi/pulumi");
  const given = Object.fromEntries(Object.entries(opts ?? {}).filter(([, v]) => v !== undefined));
  return mergeOptions(defaults, given as pulumi.CustomResourceOptions);
}

/**
 * How to reach Vantagepoint's REST API, as a caller has the values: each field an Input, so a password from
 * `config.requireSecret(...)` type-checks and stays a Pulumi secret (the components make the whole connection one).
 */
export interface VantagepointConnectionArgs {
  /** API root, https://host/vantagepoint/api (http only for loopback). */
  readonly url: pulumi.Input<string>;
  /** Vantagepoint database name sent with the token grant. */
  readonly database: pulumi.Input<string>;
  /** Vantagepoint user name for the password grant. */
  readonly username: pulumi.Input<string>;
  /** Password of that user (a Pulumi secret). */
  readonly password: pulumi.Input<string>;
  /** Client ID of the API Authorization used by this project. */
  readonly clientId: pulumi.Input<string>;
  /** Client secret of that API Authorization (a Pulumi secret). */
  readonly clientSecret: pulumi.Input<string>;
  /** Integrated=Y (Windows authentication). */
  readonly integrated?: pulumi.Input<boolean>;
  /** Override hub paths (roles and API authorizations are UNVERIFIED paths). */
  readonly paths?: VpLib.VantagepointPaths;
  /** Records per list call, default 500. */
  readonly pageSize?: pulumi.Input<number>;
  /**
   * How long, in ms, a write may stay invisible to reads (readable secondaries, caches), default 10 000: after a
   * lost reply the record is re-read for this long before the person is stopped with "re-run in a minute".
   */
  readonly readLagMs?: pulumi.Input<number>;
}
