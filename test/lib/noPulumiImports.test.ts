// The design's split: pure logic lives in lib/ and never imports Pulumi; components/ is the thin wiring.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";

const LIB = path.resolve(__dirname, "../../lib");

/** Every .ts file under `dir`, relative to lib/. */
function tsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return tsFiles(full);
    return e.name.endsWith(".ts") ? [path.relative(LIB, full)] : [];
  });
}

describe("lib/ is pure", () => {
  it("has no file that imports or mentions @pulumi/", () => {
    const files = tsFiles(LIB);
    // The walk reaches the nested folders (lib/vantagepoint was checked on its own before) and the moved modules.
    for (const expected of [
      path.join("vantagepoint", "client.ts"),
      path.join("config", "load.ts"),
      "allowListPlan.ts",
      "entra.ts",
      "secretExpiry.ts",
      "keyVault.ts",
      "publicEndpoint.ts",
      "siteVerification.ts",
    ]) {
      assert.ok(files.includes(expected), `${expected} is under lib/`);
    }
    const offenders = files.filter((f) => /@pulumi\//.test(fs.readFileSync(path.join(LIB, f), "utf8")));
    assert.deepEqual(offenders, [], `lib/ files must not import Pulumi: ${offenders.join(", ")}`);
  });
});
