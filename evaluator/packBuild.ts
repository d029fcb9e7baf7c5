/**
 * Keeps a TypeScript policy pack's compiled build current, so the analyzer starts it without type-checking.
 *
 * `run-policy-pack` registers ts-node with type checking on every start (@pulumi/pulumi
 * cmd/run-policy-pack/run.js); a pack whose package.json `main` is compiled JavaScript skips that. This
 * project's pack builds with `npm run build` in policies/ (tsc: type-checks and emits, as CI's typecheck does).
 * When the sources changed since the last build, `vpconnect check` transpiles them (no type check: CI does
 * that) into the same folder, so a changed policy is never evaluated from a stale build.
 *
 * Only packs with a `tsconfig.json` (with `outDir`) and a `.js` main are built; any other pack runs as it is,
 * as the engine runs it.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

const STAMP = ".vpconnect-build.json";

interface BuildPlan {
  outDir: string;
  rootDir: string;
  /** Every source file the entry reaches through relative imports (absolute paths). */
  sources: string[];
  compilerOptions: Record<string, unknown>;
  hash: string;
}

/** What ensurePackBuilt did: nothing to do, a fresh transpile, or no build needed for this pack. */
export type BuildOutcome = "current" | "built" | "not-built";

function readJson(file: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

function planBuild(absDir: string): BuildPlan | undefined {
  const pkg = readJson(path.join(absDir, "package.json"));
  const tsconfig = readJson(path.join(absDir, "tsconfig.json"));
  const main = typeof pkg?.main === "string" ? pkg.main : undefined;
  const options = (tsconfig?.compilerOptions ?? {}) as Record<string, unknown>;
  if (!main || !main.endsWith(".js") || typeof options.outDir !== "string") return undefined;
  const outDir = path.resolve(absDir, options.outDir);
  const rootDir = path.resolve(absDir, typeof options.rootDir === "string" ? options.rootDir : ".");
  const entry = path.join(rootDir, path.relative(outDir, path.resolve(absDir, main))).replace(/\.js$/, ".ts");
  if (!fs.existsSync(entry)) return undefined;
  const sources: string[] = [];
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    sources.push(file);
    const text = fs.readFileSync(file, "utf8");
    for (const m of text.matchAll(/(?:from|import)\s*\(?\s*"(\.[^"]+)"/g)) {
      const base = path.resolve(path.dirname(file), m[1]!);
      for (const candidate of [`${base}.ts`, path.join(base, "index.ts")]) {
        if (fs.existsSync(candidate)) {
          visit(candidate);
          break;
        }
      }
    }
  };
  visit(entry);
  sources.sort();
  const hash = createHash("sha256");
  for (const file of [...sources, path.join(absDir, "tsconfig.json"), path.join(absDir, "package.json")]) {
    hash.update(path.relative(absDir, file));
    hash.update("\0");
    hash.update(fs.readFileSync(file));
    hash.update("\0");
  }
  return { outDir, rootDir, sources, compilerOptions: options, hash: hash.digest("hex") };
}

/** Whether the pack's compiled build matches its sources (true for packs that need no build). */
export function packBuildIsCurrent(absDir: string): boolean {
  const plan = planBuild(absDir);
  if (!plan) return true;
  const stamp = readJson(path.join(plan.outDir, STAMP));
  return stamp?.hash === plan.hash && fs.existsSync(path.resolve(absDir, String(readMain(absDir))));
}

function readMain(absDir: string): unknown {
  return readJson(path.join(absDir, "package.json"))?.main;
}

/**
 * Transpiles the pack's sources into its `outDir` when they changed since the last build (or it was never
 * built). Writes a stamp with the sources' hash; `npm run build` output without a stamp is rebuilt once.
 */
export function ensurePackBuilt(absDir: string): BuildOutcome {
  const plan = planBuild(absDir);
  if (!plan) return "not-built";
  if (packBuildIsCurrent(absDir)) return "current";
  const ts = require("typescript") as typeof import("typescript");
  const { options } = ts.convertCompilerOptionsFromJson(plan.compilerOptions, absDir);
  for (const file of plan.sources) {
    const out = ts.transpileModule(fs.readFileSync(file, "utf8"), {
      compilerOptions: { ...options, sourceMap: false, inlineSourceMap: false, declaration: false },
      fileName: file,
    });
    const target = path.join(plan.outDir, path.relative(plan.rootDir, file)).replace(/\.ts$/, ".js");
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, out.outputText);
  }
  fs.writeFileSync(path.join(plan.outDir, STAMP), JSON.stringify({ hash: plan.hash }) + "\n");
  return "built";
}
