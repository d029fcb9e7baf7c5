import assert from "node:assert/strict";
import { prerequisiteStatus } from "../../lib/reports/model";
import type { CheckReport, ReportPolicy, ReportViolation } from "../../lib/reports/model";

function policy(name: string, prerequisite: string, passed: number, notApplicable = 0): ReportPolicy {
  return {
    pack: "p",
    name,
    description: "",
    level: "mandatory",
    prerequisite,
    kind: "resource",
    results: { evaluated: passed + notApplicable, passed, violations: 0, notApplicable, errors: 0 },
    applicable: passed,
    durationMs: 0,
    ...(passed === 0 ? { notChecked: "not applicable: nothing read yet" } : {}),
  };
}

/** A report with the given policies and violations; everything else empty. */
function report(policies: ReportPolicy[], violations: ReportViolation[] = []): CheckReport {
  return { policies, violations, errors: [] } as unknown as CheckReport;
}

const statusOf = (r: CheckReport, id: string) => prerequisiteStatus(r).find((p) => p.id === id)!.status;

describe("reports: status per prerequisite", () => {
  it("passes a prerequisite whose policies passed resources", () => {
    assert.equal(statusOf(report([policy("connect-admin-role", "P3", 1)]), "P3"), "pass");
  });

  it("says not checked, not pass, when every policy of it was not applicable", () => {
    assert.equal(statusOf(report([policy("connect-admin-role", "P3", 0, 1)]), "P3"), "not checked");
  });

  it("says not checked when no policy covers it", () => {
    assert.equal(statusOf(report([policy("connect-admin-role", "P3", 1)]), "P8"), "not checked");
  });

  it("fails on a mandatory violation even when other resources passed", () => {
    const violation = { pack: "p", policy: "connect-admin-role", level: "mandatory", urn: null, message: "m", prerequisite: "P3" } as ReportViolation;
    assert.equal(statusOf(report([policy("connect-admin-role", "P3", 4)], [violation]), "P3"), "fail");
  });

  it("warns on an advisory violation only", () => {
    const violation = { pack: "p", policy: "mailbox-app-least-privilege", level: "advisory", urn: null, message: "m", prerequisite: "P8" } as ReportViolation;
    assert.equal(statusOf(report([policy("mailbox-app-least-privilege", "P8", 0)], [violation]), "P8"), "warn");
  });
});
