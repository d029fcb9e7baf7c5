// The components are a library: their args are typed, and the stack-config schema is the bundled program's own.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";

const COMPONENTS = path.resolve(__dirname, "../../components");

/** Every .ts file under `dir`. */
function tsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return tsFiles(full);
    return e.name.endsWith(".ts") ? [full] : [];
  });
}

/** The module specifiers a TypeScript file imports or requires. */
export function importedModules(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(
    /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire(?:\.resolve)?\s*\(\s*)["']([^"']+)["']/g,
  ))
    found.push(m[1]!);
  return found;
}

/** Whether a module specifier names the stack-config schema or loader (lib/config). */
export function isStackConfigModule(specifier: string): boolean {
  return /(^|\/)lib\/config(\/|$)/.test(specifier);
}

describe("components/ does not depend on the stack config", () => {
  it("finds an import of lib/config however it is written", () => {
    const text = [
      'import type { LoadedConfig } from "../lib/config/load";',
      "const schema = require('../../lib/config/schema');",
      'import { x } from "../lib/configuration";',
    ].join("\n");
    assert.deepEqual(importedModules(text).filter(isStackConfigModule), [
      "../lib/config/load",
      "../../lib/config/schema",
    ]);
  });

  it("has no component that imports lib/config (the program maps config to typed args)", () => {
    const files = tsFiles(COMPONENTS);
    assert.ok(
      files.some((f) => f.endsWith("connectSite.ts")),
      "the walk reaches the components",
    );
    const offenders = files.filter((f) =>
      importedModules(fs.readFileSync(f, "utf8")).some(isStackConfigModule),
    );
    assert.deepEqual(
      offenders.map((f) => path.relative(COMPONENTS, f)),
      [],
      "components must take typed args; map the stack config in program/siteArgs.ts",
    );
  });
});
