// The rules' folders import one way (issue 18): the stack-config loader (lib/config) runs the library's rules
// (lib/site) and both use the field rules (lib/values); lib/site never imports lib/config, and lib/values neither.
// A folder-level loop would make the library's rules depend on the bundled program's stack config.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "../..");

/** Where each relative import of the .ts files in `folder` lands (a path from the project root). */
function importedFolders(folder: string): Array<{ file: string; target: string }> {
  const dir = path.join(ROOT, folder);
  const out: Array<{ file: string; target: string }> = [];
  for (const name of fs.readdirSync(dir).filter((n) => n.endsWith(".ts"))) {
    const text = fs.readFileSync(path.join(dir, name), "utf8");
    for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*)["'](\.[^"']+)["']/g)) {
      const target = path.relative(ROOT, path.resolve(dir, m[1]!)).split(path.sep).join("/");
      out.push({ file: `${folder}/${name}`, target });
    }
  }
  return out;
}

const under = (target: string, folder: string) => target === folder || target.startsWith(`${folder}/`);

describe("lib/site and lib/values do not import the stack config", () => {
  it("reads the imports it checks (lib/site uses lib/values, lib/config uses lib/site)", () => {
    assert.ok(importedFolders("lib/site").some((i) => under(i.target, "lib/values")));
    assert.ok(importedFolders("lib/config").some((i) => under(i.target, "lib/site")));
  });

  it("lib/site imports nothing from lib/config", () => {
    assert.deepEqual(
      importedFolders("lib/site").filter((i) => under(i.target, "lib/config")),
      [],
      "a field rule both need goes in lib/values",
    );
  });

  it("lib/values imports nothing from lib/config or lib/site", () => {
    assert.deepEqual(
      importedFolders("lib/values").filter(
        (i) => under(i.target, "lib/config") || under(i.target, "lib/site"),
      ),
      [],
    );
  });
});
