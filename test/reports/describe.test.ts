import assert from "node:assert/strict";
import { keySettings } from "../../lib/reports/describe";
import type { ReportResource } from "../../lib/reports/model";

const command = (inputs: Record<string, unknown>) =>
  ({ type: "command:local:Command", name: "c", custom: true, inputs }) as unknown as ReportResource;

describe("reports: key settings of deploy-time commands", () => {
  it("says how long a wait command waits", () => {
    assert.equal(keySettings(command({ create: "setTimeout(() => {}, 90000)" })), "runs on deploy: waits 90 s");
  });

  it("names the script a command runs and how many inputs re-run it", () => {
    const settings = keySettings(command({ create: "/work/x/scripts/verify-site.js", triggers: ["a", "b"] }));
    assert.equal(settings, "runs on deploy: verify-site.js, re-runs when 2 inputs change");
  });
});
