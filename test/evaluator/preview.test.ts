/**
 * `vpconnect check --preview` with Pulumi's analyzer: the unknowns of a first preview of a new stack (ids and
 * computed outputs unknown, dynamic resources not run) reach the packs as the engine sends them, a policy that
 * reads one is reported as the engine reports it ("can't run ... during preview", advisory), and the report lists
 * every mandatory policy that could not run in preview and when it will.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runCheck } from "../../evaluator/check";

const ROOT = path.join(__dirname, "..", "..");

describe("vpconnect check --preview (real analyzer)", function () {
  this.timeout(300_000);

  it("runs every mandatory policy of the project's pack on what a first preview knows (P1 included)", async () => {
    const report = await runCheck({ cwd: ROOT, stack: "dev", preview: true });
    assert.equal(report.programError, undefined);
    const cannot = report.violations.filter((v) => v.message.startsWith("can't run"));
    assert.deepEqual(
      cannot.map((v) => v.policy),
      [],
      "no policy of the pack reads a value a first preview cannot know",
    );
    // P1 ran on the gateway and said what it leaves to pulumi up (the listener ids come from the gateway's id).
    const p1 = report.violations.find((v) => v.policy === "connect-public-url-https");
    assert.ok(p1, "P1 names what it could not check");
    assert.equal(p1.level, "advisory");
    assert.match(p1.message, /checked by pulumi up: routing rule '[^']+' listener/);
    // P3-P5 answer not applicable in every preview (the Vantagepoint side does not run): named, never "every
    // mandatory policy ran" (issue 19).
    assert.ok(
      !report.notes.includes("preview: every mandatory policy ran on what is known"),
      report.notes.join("\n"),
    );
    for (const [policy, prerequisite] of [
      ["connect-admin-role", "P3"],
      ["connect-admin-linked", "P4"],
      ["connect-users-linked", "P5"],
    ])
      assert.ok(
        report.notes.some((n) =>
          n.startsWith(
            `preview: mandatory policy vantagepoint-connect/${policy} (${prerequisite}) did not run: `,
          ),
        ),
        `${policy}: ${report.notes.join("\n")}`,
      );
    assert.ok(
      report.notes.some((n) =>
        /^preview: 3 mandatory policies did not run \(vantagepoint-connect\/connect-admin-role, vantagepoint-connect\/connect-admin-linked, vantagepoint-connect\/connect-users-linked\); .*pulumi up evaluates all of them$/.test(
          n,
        ),
      ),
      report.notes.join("\n"),
    );
    assert.ok(report.notes.some((n) => n.startsWith("policies evaluated by Pulumi's analyzer")));
  });

  it("still fails a mandatory violation whose values are known in preview", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vpconnect-preview-"));
    try {
      const config = path.join(dir, "pack.json");
      fs.writeFileSync(
        config,
        JSON.stringify({ "entra-secret-max-lifetime": { maxSecretLifetimeDays: 30 } }),
      );
      const report = await runCheck({ cwd: ROOT, stack: "dev", preview: true, policyPackConfigs: [config] });
      assert.ok(
        report.violations.some((v) => v.policy === "entra-secret-max-lifetime" && v.level === "mandatory"),
        report.violations.map((v) => `${v.policy}@${v.level}`).join(", "),
      );
      assert.equal(report.exitCode, 1);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("lists a mandatory policy that cannot run in preview, and when it will; without --preview it runs", async () => {
    const packs = ["policies", "test/fixtures/packs/preview-blind"];
    const preview = await runCheck({ cwd: ROOT, stack: "dev", preview: true, policyPacks: packs });
    const blind = preview.violations.find((v) => v.policy === "rule-listener-named");
    assert.ok(blind);
    assert.equal(blind.level, "advisory", "the engine downgrades a policy that cannot run to advisory");
    assert.match(
      blind.message,
      /^can't run policy 'rule-listener-named' from policy pack 'preview-blind@v0\.0\.1' during preview: string value at \.requestRoutingRules\.0\.httpListener\.id can't be known during preview$/,
    );
    const note = preview.notes.find((n) => n.includes("preview-blind/rule-listener-named"));
    assert.ok(note, preview.notes.join("\n"));
    assert.match(note, /cannot run in a first preview .*not enforced until pulumi up/);
    const update = await runCheck({ cwd: ROOT, stack: "dev", policyPacks: packs });
    assert.ok(
      !update.violations.some((v) => v.policy === "rule-listener-named"),
      "known ids: it runs and passes",
    );
    assert.ok(!update.notes.some((n) => n.includes("cannot run in a first preview")));
  });
});
