/**
 * Which modules a program run loads afresh: clearing the program and the project's own modules from require.cache,
 * keeping the checker's infrastructure and any `keepLoaded` folders. Used by program.ts.
 */
import * as path from "node:path";

/** Folders of the project that are infrastructure of the checker, not of the program (kept in require.cache). */
const KEEP_CACHED = ["node_modules", "evaluator", "cli", "bench", "lib/reports"];

/**
 * Removes the program and the project's own modules (but those under `keepLoaded` folders) from require.cache so
 * the program runs fresh.
 */
export function clearProjectModules(
  projectDir: string,
  program: string,
  keepLoaded: readonly string[] = [],
): void {
  const root = path.resolve(projectDir) + path.sep;
  const keep = [
    ...KEEP_CACHED.map((d) => path.join(root, d) + path.sep),
    ...keepLoaded.map((d) => path.resolve(d) + path.sep),
  ];
  const programPath = path.resolve(program);
  for (const key of Object.keys(require.cache)) {
    if (key === programPath) {
      delete require.cache[key];
      continue;
    }
    if (!key.startsWith(root) || key.includes(`${path.sep}node_modules${path.sep}`)) continue;
    if (keep.some((k) => key.startsWith(k))) continue;
    if (
      key.startsWith(path.join(root, "test") + path.sep) &&
      !key.startsWith(path.join(root, "test", "fixtures") + path.sep)
    )
      continue;
    delete require.cache[key];
  }
}
