/**
 * `check --all`: a site whose old report cannot be cleared (a folder where its SARIF file goes) is refused with
 * the reason, and the other sites are still checked: the fleet run never stops at one site.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { main } from "../../cli/main";
import { captureIo } from "../support/io";

const root = path.join(__dirname, "..", "..");

describe("vpconnect check --all: a site's report path that cannot be cleared", function () {
  this.timeout(120_000);
  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "vpconnect-fleet-files-"))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("refuses that site only, naming why, and checks the others", async () => {
    const dev = fs.readFileSync(path.join(root, "stacks", "Pulumi.dev.yaml"), "utf8");
    const south = path.join(dir, "Pulumi.south.yaml");
    const north = path.join(dir, "Pulumi.north.yaml");
    fs.writeFileSync(south, dev);
    fs.writeFileSync(north, dev);
    const out = path.join(dir, "reports");
    fs.mkdirSync(path.join(out, "south.sarif"), { recursive: true });
    const captured = captureIo(root);
    const code = await main(["check", "--all", south, north, "--in-process", "--out", out], captured.io);
    assert.notEqual(code, 0);
    const fleet = JSON.parse(fs.readFileSync(path.join(out, "fleet.json"), "utf8"));
    assert.deepEqual(
      fleet.sites.map((s: { stack: string; verdict: string }) => [s.stack, s.verdict]),
      [
        ["south", "REFUSED"],
        ["north", "PASSED"],
      ],
    );
    assert.match(fleet.sites[0].line, /^the check failed: .*EISDIR.*south\.sarif$/);
    assert.ok(fs.existsSync(path.join(out, "north.sarif")), "the other site's reports are written");
  });
});
