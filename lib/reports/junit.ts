/**
 * JUnit XML for CI test tabs: one test suite per policy pack, one test case per policy and resource it
 * applies to (and one per stack policy). Mandatory violations are failures and policy errors are errors;
 * advisory and remediate violations never fail the gate, so their test cases pass and carry the message in
 * system-out (and a `level` property). Disabled or not-applicable policies are skipped test cases.
 * Stack config problems (exit 2) are failures of a `stack-config` suite. Pure; built with junit-report-builder.
 */
import builder from "junit-report-builder";
import type { CheckReport } from "./model";

/** XML 1.0 cannot carry most control characters, even escaped. */
function clean(text: string): string {
   
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, "?");
}

export function renderJunit(report: CheckReport): string {
  const root = builder.newBuilder().name(clean(`vpconnect check ${report.stack}`));
  const suiteTime = 0;

  if (report.configIssues.length > 0 || report.programError !== undefined) {
    const suite = root.testSuite().name("stack-config").property("stackFile", clean(report.stackFile));
    if (report.configIssues.length === 0) suite.testCase().className("stack-config").name("stack config is valid");
    for (const issue of report.configIssues) {
      suite
        .testCase()
        .className("stack-config")
        .name(clean(issue.key))
        .file(clean(issue.file))
        .failure(clean(`${issue.file}: ${issue.key}: ${issue.message}`), "config");
    }
    if (report.programError !== undefined) {
      suite.testCase().className("stack-config").name("program runs").error(clean(report.programError), "ProgramError");
    }
  }

  for (const pack of report.packs) {
    const suite = root
      .testSuite()
      .name(clean(pack.name))
      .time(suiteTime)
      .property("version", clean(pack.version))
      .property("stack", clean(report.stack));
    for (const policy of report.policies.filter((p) => p.pack === pack.name)) {
      const className = clean(`${pack.name}.${policy.name}`);
      const evaluations = report.evaluations.filter((e) => e.pack === pack.name && e.policy === policy.name);
      if (policy.level === "disabled") {
        suite.testCase().className(className).name(clean(`${policy.name} (disabled)`)).skipped();
        continue;
      }
      if (evaluations.length === 0) {
        suite.testCase().className(className).name(clean(`${policy.name} (no applicable resources)`)).skipped();
        continue;
      }
      for (const e of evaluations) {
        const target = e.urn ? `${e.resourceType} ${e.resourceName}` : "stack";
        const testCase = suite
          .testCase()
          .className(className)
          .name(clean(`${policy.name}: ${target}`))
          .file(clean(report.stackFile))
          .property("level", policy.level);
        if (policy.prerequisite) testCase.property("prerequisite", policy.prerequisite);
        if (e.urn) testCase.property("urn", clean(e.urn));
        const violations = report.violations.filter(
          (v) => v.pack === pack.name && v.policy === policy.name && (policy.kind === "stack" || (v.urn ?? null) === e.urn),
        );
        const blocking = violations.filter((v) => v.level === "mandatory");
        if (e.outcome === "error") {
          testCase.error(clean(e.messages[0] ?? "policy failed"), "PolicyError", clean(e.messages.join("\n")));
        } else if (blocking.length > 0) {
          testCase.failure(clean(blocking.map((v) => v.message).join("\n")), "mandatory");
        } else if (e.outcome === "notApplicable") {
          testCase.skipped().standardOutput(clean(e.messages.join("\n")));
        } else if (violations.length > 0 || e.messages.length > 0) {
          const lines = violations.length > 0 ? violations.map((v) => `${v.level}: ${v.message}`) : e.messages;
          testCase.standardOutput(clean(lines.join("\n")));
        }
      }
    }
  }
  return root.build();
}
