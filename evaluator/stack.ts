/**
 * Finding the project and a stack's config the way the Pulumi CLI does (Pulumi.yaml `stackConfigDir`,
 * `Pulumi.<stack>.yaml`), and turning a stack file's config into what the engine hands a program:
 * `ns:key` -> string (objects as JSON) plus the keys that hold secrets.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";

/** A usage problem (exit 2): the message names the flag or file and the fix. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export interface ProjectInfo {
  /** The folder holding Pulumi.yaml. */
  dir: string;
  name: string;
  /** Absolute folder of stack files. */
  stackConfigDir: string;
  /** The program's entry file (package.json `main`, else index.ts). */
  main: string;
}

/** Finds Pulumi.yaml from `from` upwards and reads it. */
export function findProject(from: string): ProjectInfo {
  let dir = path.resolve(from);
  for (;;) {
    const file = path.join(dir, "Pulumi.yaml");
    if (fs.existsSync(file)) return readProject(dir);
    const up = path.dirname(dir);
    if (up === dir)
      throw new UsageError(
        `no Pulumi.yaml in ${path.resolve(from)} or above; run vpconnect check inside the project folder`,
      );
    dir = up;
  }
}

export function readProject(dir: string): ProjectInfo {
  const doc = (parse(fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8")) ?? {}) as {
    name?: string;
    stackConfigDir?: string;
    main?: string;
  };
  let main = path.join(dir, doc.main ?? "");
  if (!doc.main) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { main?: string };
      main = path.join(dir, pkg.main ?? "index.ts");
    } catch {
      main = path.join(dir, "index.ts");
    }
  } else if (fs.existsSync(main) && fs.statSync(main).isDirectory()) {
    main = path.join(main, "index.ts");
  }
  return {
    dir,
    name: doc.name ?? path.basename(dir),
    stackConfigDir: path.join(dir, doc.stackConfigDir ?? "."),
    main,
  };
}

/** The stack file for `--stack NAME`, or the stack name for `--config FILE`. */
export function locateStack(
  project: ProjectInfo,
  options: { stack?: string; configFile?: string; cwd: string },
): { stack: string; file: string } {
  if (options.configFile) {
    const file = path.resolve(options.cwd, options.configFile);
    if (!fs.existsSync(file))
      throw new UsageError(
        `--config ${options.configFile}: no such file; give a stack file such as stacks/Pulumi.dev.yaml`,
      );
    const match = /^Pulumi\.(.+)\.ya?ml$/.exec(path.basename(file));
    const stack = options.stack ?? (match ? match[1]! : path.basename(file).replace(/\.ya?ml$/, ""));
    return { stack, file };
  }
  if (!options.stack) {
    const known = listStacks(project);
    throw new UsageError(
      `give --stack NAME or --config FILE${known.length ? `; stacks here: ${known.join(", ")}` : ""} (e.g. vpconnect check --stack ${known[0] ?? "dev"})`,
    );
  }
  for (const ext of ["yaml", "yml"]) {
    const file = path.join(project.stackConfigDir, `Pulumi.${options.stack}.${ext}`);
    if (fs.existsSync(file)) return { stack: options.stack, file };
  }
  const known = listStacks(project);
  throw new UsageError(
    `--stack ${options.stack}: no ${path.relative(options.cwd, path.join(project.stackConfigDir, `Pulumi.${options.stack}.yaml`))}${
      known.length ? `; stacks here: ${known.join(", ")}` : ""
    }`,
  );
}

export function listStacks(project: ProjectInfo): string[] {
  try {
    return fs
      .readdirSync(project.stackConfigDir)
      .map((f) => /^Pulumi\.(.+)\.ya?ml$/.exec(f)?.[1])
      .filter((s): s is string => s !== undefined)
      .sort();
  } catch {
    return [];
  }
}

/** Whether a value holds a `{ secure: ... }` leaf anywhere. */
export function hasSecureLeaf(value: unknown): boolean {
  if (isSecure(value)) return true;
  if (Array.isArray(value)) return value.some(hasSecureLeaf);
  if (value !== null && typeof value === "object") return Object.values(value).some(hasSecureLeaf);
  return false;
}

function isSecure(value: unknown): value is { secure: string } {
  return (
    value !== null &&
    typeof value === "object" &&
    !Array.isArray(value) &&
    Object.keys(value).length === 1 &&
    typeof (value as { secure?: unknown }).secure === "string"
  );
}

/**
 * Stack file config to engine config. A top-level key with any `{secure: ...}` leaf is secret. Secure leaves
 * stay `{"secure": "..."}` (they cannot be decrypted offline) unless `overrides` gives the plaintext for that
 * path (`vantagepoint.password`, or with its namespace `vpconnect:vantagepoint.password`).
 */
export function toEngineConfig(
  config: Readonly<Record<string, unknown>>,
  overrides: Readonly<Record<string, string>> = {},
  defaultNamespace = "vpconnect",
): { config: Record<string, string>; secretKeys: string[] } {
  const out: Record<string, string> = {};
  const secretKeys: string[] = [];
  const byKey = new Map<string, Array<{ path: string[]; value: string }>>();
  for (const [k, value] of Object.entries(overrides)) {
    const full = k.includes(":") ? k : `${defaultNamespace}:${k}`;
    const [ns, rest] = [full.slice(0, full.indexOf(":")), full.slice(full.indexOf(":") + 1)];
    const [section, ...pathParts] = rest.split(".");
    const key = `${ns}:${section}`;
    byKey.set(key, [...(byKey.get(key) ?? []), { path: pathParts, value }]);
  }
  for (const [key, original] of Object.entries(config)) {
    let value: unknown = original;
    const secret = hasSecureLeaf(value);
    for (const o of byKey.get(key) ?? []) {
      if (o.path.length === 0) value = o.value;
      else value = setIn(value, o.path, o.value);
    }
    if (secret || byKey.has(key)) secretKeys.push(key);
    out[key] = typeof value === "string" ? value : JSON.stringify(value);
  }
  return { config: out, secretKeys };
}

function setIn(value: unknown, pathParts: string[], leaf: string): unknown {
  const copy = structuredClone(value ?? {}) as Record<string, unknown>;
  let node = copy;
  for (const part of pathParts.slice(0, -1)) {
    if (node[part] === null || typeof node[part] !== "object") node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[pathParts[pathParts.length - 1]!] = leaf;
  return copy;
}
