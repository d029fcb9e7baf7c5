/**
 * The bundled group example (examples/group-roster/Pulumi.group.yaml) passes the offline check as the README
 * says to run it: `vpconnect check --config examples/group-roster/Pulumi.group.yaml --emulator`, its roster read
 * from the Graph stand-in (nesting, 100 a page, one 429) and seeded into the Vantagepoint emulator through
 * Pulumi's dynamic provider host.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { makeCheckCommand } from "../../cli/check";
import { emulatorCheckOptions } from "../../cli/emulatorCheck";
import type { CheckReport } from "../../lib/reports/model";
import { rosterEntriesOf } from "../../lib/vantagepoint/rosterText";
import { captureIo } from "../support/io";
import { ROOT } from "./support";

const EXAMPLE = "examples/group-roster/Pulumi.group.yaml";

describe("the group roster example passes the offline check against the emulators", function () {
  this.timeout(240_000);

  it("vpconnect check --config <the example> --emulator: exit 0, the group's people on the roster", async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "vp-group-example-"));
    try {
      const captured = captureIo(ROOT, { ...process.env });
      const code = await makeCheckCommand(emulatorCheckOptions).run(
        ["--config", EXAMPLE, "--emulator", "--format", "json", "--out", out],
        captured.io,
      );
      assert.equal(code, 0, captured.stderr);
      assert.match(captured.stderr, /Microsoft Graph stand-in at http:\/\/127\.0\.0\.1:\d+\/v1\.0/);
      const report = JSON.parse(
        fs.readFileSync(path.join(out, "group.policy.json"), "utf8"),
      ) as CheckReport & {
        prerequisites: Array<{ id: string; status: string }>;
      };
      assert.equal(report.exitCode, 0);
      // P3 to P5 judged from what the roster really seeded into the emulator (not "not applicable").
      for (const id of ["P3", "P4", "P5"])
        assert.equal(report.prerequisites.find((p) => p.id === id)?.status, "pass", id);
      // The roster: the configurer, the one static user (ALEE) and the demo group's Connect users.
      const entries = report.resources
        .filter((r) => r.inputs.vpconnectResource === "ConnectRoster")
        .flatMap((r) => rosterEntriesOf(r.inputs.entries));
      assert.deepEqual(
        entries.slice(0, 2).map((e) => e.userId),
        ["ADMIN.JONES", "ALEE"],
      );
      assert.ok(
        entries.some((e) => /^demo\.user\d+$/.test(e.userId)),
        "the group's members are on the roster",
      );
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  it("the README shows the setup, the Graph permission and this command", () => {
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("### A roster from an Entra ID group"));
    assert.match(section, /application permission `GroupMember\.Read\.All`/);
    assert.match(section, /clientSecret: \{ secure: \.\.\. \}/);
    assert.ok(section.includes(`check --config ${EXAMPLE} --emulator`));
  });
});
