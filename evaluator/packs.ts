/**
 * Loads any standard Pulumi policy pack from its folder, the way `pulumi preview --policy-pack DIR` does, but
 * without starting the pack's gRPC server: the writable `PolicyPack` export of `@pulumi/policy/policy` is
 * replaced by a recording class while the pack's entry file is required, then put back. Works for this
 * project's `policies/` and for an organization's own packs written against @pulumi/policy with no change.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Policy } from "@pulumi/policy";
import type { EnforcementLevel } from "../lib/reports/model";

export interface LoadedPack {
  name: string;
  version: string;
  /** The folder as given. */
  dir: string;
  /** Absolute folder. */
  absDir: string;
  /** The pack-level enforcement level (`advisory` when the pack does not say, as in @pulumi/policy). */
  enforcementLevel: EnforcementLevel;
  policies: Policy[];
  /** The third argument of `new PolicyPack(name, args, initialConfig)`. */
  initialConfig?: Record<string, unknown>;
}

/** A problem with a pack folder (usage error, exit 2). */
export class PackLoadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PackLoadError";
  }
}

interface PolicyModule {
  PolicyPack: unknown;
}

/** The entry file `pulumi preview --policy-pack` would run: package.json `main`, else index.ts / index.js. */
export function packEntry(absDir: string): string {
  const pkgFile = path.join(absDir, "package.json");
  if (fs.existsSync(pkgFile)) {
    let pkg: { main?: string };
    try {
      pkg = JSON.parse(fs.readFileSync(pkgFile, "utf8")) as { main?: string };
    } catch (error) {
      throw new PackLoadError(
        `${pkgFile}: not valid JSON (${(error as Error).message}); fix the pack's package.json`,
      );
    }
    if (pkg.main) {
      const main = path.resolve(absDir, pkg.main);
      for (const candidate of [
        main,
        `${main}.ts`,
        `${main}.js`,
        path.join(main, "index.ts"),
        path.join(main, "index.js"),
      ]) {
        if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) {
          // A compiled `main` (bin/index.js) that has not been built: fall back to the TypeScript source.
          return candidate;
        }
      }
    }
  }
  for (const name of ["index.ts", "index.js"]) {
    const candidate = path.join(absDir, name);
    if (fs.existsSync(candidate)) return candidate;
  }
  throw new PackLoadError(
    `${absDir}: no policy pack entry found (package.json "main", index.ts or index.js); --policy-pack takes the pack's folder`,
  );
}

/** The `@pulumi/policy/policy` module the pack will use (its own install first, then the project's). */
function policyModuleFor(absDir: string, projectDir: string): string {
  for (const base of [absDir, projectDir, __dirname]) {
    try {
      return require.resolve("@pulumi/policy/policy", { paths: [base] });
    } catch {
      // try the next place
    }
  }
  throw new PackLoadError(
    `${absDir}: @pulumi/policy is not installed for this pack; run npm install in the pack folder`,
  );
}

/**
 * Every loaded instance of `@pulumi/policy/policy` the pack may reach: the cached one, and the one the cached
 * `@pulumi/policy` index re-exports through its getters (they differ when something cleared require.cache).
 */
function policyModules(modulePath: string): PolicyModule[] {
  const out: PolicyModule[] = [require(modulePath) as PolicyModule];
  const indexPath = path.join(path.dirname(modulePath), "index.js");
  const index = require.cache[indexPath];
  for (const child of index?.children ?? []) {
    if (child.filename === modulePath && !out.includes(child.exports as PolicyModule))
      out.push(child.exports as PolicyModule);
  }
  return out;
}

/**
 * Requires the pack's entry with a recording PolicyPack in place and returns the packs it constructed
 * (normally one). `dir` is resolved against `cwd`.
 */
export function loadPolicyPack(dir: string, options: { cwd?: string; projectDir?: string } = {}): LoadedPack {
  const cwd = options.cwd ?? process.cwd();
  const absDir = path.resolve(cwd, dir);
  if (!fs.existsSync(absDir) || !fs.statSync(absDir).isDirectory()) {
    throw new PackLoadError(
      `--policy-pack ${dir}: no such folder; give the policy pack's folder (the one with PulumiPolicy.yaml)`,
    );
  }
  const entry = packEntry(absDir);
  const version = readVersion(absDir, dir);
  const modulePath = policyModuleFor(absDir, options.projectDir ?? cwd);
  const targets = policyModules(modulePath);
  const recorded: Array<{
    name: string;
    args: { policies?: Policy[]; enforcementLevel?: EnforcementLevel };
    initialConfig?: Record<string, unknown>;
  }> = [];

  class RecordingPolicyPack {
    readonly name: string;
    readonly policies: Policy[];
    constructor(
      name: string,
      args: { policies?: Policy[]; enforcementLevel?: EnforcementLevel },
      initialConfig?: Record<string, unknown>,
    ) {
      this.name = name;
      this.policies = args?.policies ?? [];
      recorded.push({ name, args: args ?? {}, ...(initialConfig ? { initialConfig } : {}) });
    }
  }

  clearPackModules(absDir);
  const originals = targets.map((m) => m.PolicyPack);
  for (const m of targets) m.PolicyPack = RecordingPolicyPack;
  try {
    require(entry);
  } catch (error) {
    throw new PackLoadError(
      `--policy-pack ${dir}: loading ${path.relative(cwd, entry) || entry} failed: ${(error as Error).message}`,
    );
  } finally {
    targets.forEach((m, i) => (m.PolicyPack = originals[i]));
  }
  if (recorded.length === 0) {
    throw new PackLoadError(
      `--policy-pack ${dir}: ${path.relative(cwd, entry)} constructed no PolicyPack; a pack's entry must call new PolicyPack(name, { policies })`,
    );
  }
  if (recorded.length > 1) {
    throw new PackLoadError(
      `--policy-pack ${dir}: ${recorded.length} PolicyPacks constructed; Pulumi allows one per pack`,
    );
  }
  const [pack] = recorded as [(typeof recorded)[number]];
  if (!/^[a-zA-Z0-9-_.]{1,100}$/.test(pack.name)) {
    throw new PackLoadError(
      `--policy-pack ${dir}: invalid pack name "${pack.name}"; use letters, digits, "-", "_" or "."`,
    );
  }
  const policies = pack.args.policies ?? [];
  const seen = new Set<string>();
  for (const p of policies) {
    if (p.name === "all")
      throw new PackLoadError(`--policy-pack ${dir}: a policy is named "all", which Pulumi reserves`);
    if (seen.has(p.name)) throw new PackLoadError(`--policy-pack ${dir}: two policies are named "${p.name}"`);
    seen.add(p.name);
    // server.js serve(): the engine refuses these (the level is set beside the config, never inside it).
    const schema = p.configSchema as { properties?: object; required?: unknown } | undefined;
    if (schema?.properties && "enforcementLevel" in schema.properties)
      throw new PackLoadError(
        `--policy-pack ${dir}: policy "${p.name}": configSchema.properties must not declare enforcementLevel (Pulumi sets it beside the config); remove it`,
      );
    if (Array.isArray(schema?.required) && schema.required.includes("enforcementLevel"))
      throw new PackLoadError(
        `--policy-pack ${dir}: policy "${p.name}": configSchema.required must not list enforcementLevel; remove it`,
      );
  }
  return {
    name: pack.name,
    version,
    dir,
    absDir,
    enforcementLevel: pack.args.enforcementLevel ?? "advisory",
    policies,
    ...(pack.initialConfig ? { initialConfig: pack.initialConfig } : {}),
  };
}

/** The pack's version: PolicyPack reads package.json `version` and throws without it, so the engine fails too. */
function readVersion(absDir: string, dir: string): string {
  let version: unknown;
  try {
    version = (
      JSON.parse(fs.readFileSync(path.join(absDir, "package.json"), "utf8")) as { version?: unknown }
    ).version;
  } catch (error) {
    const why =
      (error as NodeJS.ErrnoException).code === "ENOENT"
        ? "has no package.json"
        : "has an unreadable package.json";
    throw new PackLoadError(
      `--policy-pack ${dir}: the pack ${why}; PolicyPack needs one with a "version" (e.g. "0.1.0")`,
    );
  }
  if (typeof version !== "string" || version === "") {
    throw new PackLoadError(
      `--policy-pack ${dir}: package.json has no "version"; PolicyPack needs one (e.g. "version": "0.1.0")`,
    );
  }
  return version;
}

/** Forgets the pack's own modules so it loads fresh (and a changed pack is seen within one process). */
function clearPackModules(absDir: string): void {
  const root = absDir + path.sep;
  for (const key of Object.keys(require.cache)) {
    if (key.startsWith(root) && !key.includes(`${path.sep}node_modules${path.sep}`))
      delete require.cache[key];
  }
}
