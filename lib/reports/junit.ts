/**
 * JUnit XML for CI test tabs: one test suite per policy pack, one test case per policy, with the time spent in
 * it. A policy with mandatory violations fails; the failure's body lists every resource it failed on with the
 * message. A policy that threw is an error. Advisory and remediate violations never fail the gate, so their
 * test cases pass and list the violations in system-out. A policy that checked nothing (disabled, not
 * applicable, nothing of its kind in the stack) is skipped, with why and what to run in system-out. An emulated
 * run says so in the suites' name and in the name of every test case whose result is the emulator's demo data.
 * Stack config problems (exit 2) are failures of a `stack-config` suite. Pure; built with junit-report-builder.
 */
import builder from "junit-report-builder";
import { checkedDetail, emulatedPolicy, shortType } from "./describe";
import { EMULATED_LABEL, emulatedNote, policyChecked, PREREQUISITES, verdictLine } from "./model";
import type { CheckReport, ReportViolation } from "./model";

/** XML 1.0 cannot carry most control characters, even escaped. */
export function clean(text: string): string {
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, "?");
}

/**
 * Text for a CDATA body (failure, error, system-out): `clean`, and "]]>" shown as "]] >" (the builder's
 * xmlbuilder splits only the first "]]>" of a CDATA section, so a second one would end it early).
 */
export function body(text: string): string {
  return clean(text).split("]]>").join("]] >");
}

/** A violation as one line of a failure body: where, then the message. */
function line(v: ReportViolation): string {
  const where = v.urn ? `${shortType(v.resourceType ?? "")} ${v.resourceName ?? ""} (${v.urn})`.trim() : "stack";
  return `${where}: ${v.message}`;
}

export function renderJunit(report: CheckReport): string {
  const label = report.emulator ? ` (${EMULATED_LABEL})` : "";
  const root = builder.newBuilder().name(clean(`vpconnect check ${report.stack}${label}`));

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
      suite
        .testCase()
        .className("stack-config")
        .name("program runs")
        .error(clean(report.programError), "ProgramError", body(report.programError));
    }
  }

  for (const pack of report.packs) {
    const policies = report.policies.filter((p) => p.pack === pack.name);
    const suite = root
      .testSuite()
      .name(clean(`${pack.name}${label}`))
      .time(policies.reduce((t, p) => t + p.durationMs, 0) / 1000)
      .property("version", clean(pack.version))
      .property("stack", clean(report.stack))
      .property("verdict", clean(verdictLine(report)));
    if (report.emulator) suite.property("emulated", clean(emulatedNote(report)));
    for (const policy of policies) {
      const emulated = emulatedPolicy(report, policy);
      const testCase = suite
        .testCase()
        .className(clean(pack.name))
        .name(clean(`${policy.name}${emulated && policyChecked(policy) ? ` [${EMULATED_LABEL}]` : ""}`))
        .file(clean(report.stackFile))
        .time(policy.durationMs / 1000)
        .property("level", policy.level)
        .property("applicable", String(policy.applicable));
      if (policy.prerequisite) testCase.property("prerequisite", clean(policy.prerequisite));
      const violations = report.violations.filter((v) => v.pack === pack.name && v.policy === policy.name);
      const errors = report.errors.filter((e) => e.pack === pack.name && e.policy === policy.name);
      const blocking = violations.filter((v) => v.level === "mandatory");
      const others = violations.filter((v) => v.level !== "mandatory");
      const out: string[] = [checkedDetail(report, policy)];
      if (emulated && policyChecked(policy)) out.push(emulatedNote(report));
      if (errors.length > 0) {
        testCase.error(
          clean(`${policy.name} threw on ${errors.length} resource${errors.length === 1 ? "" : "s"}: ${errors[0]!.message}`),
          "PolicyError",
          body(errors.map((e) => `${e.urn ?? "stack"}: ${e.message}`).join("\n")),
        );
      }
      if (blocking.length > 0) {
        const resources = new Set(blocking.map((v) => v.urn ?? "stack")).size;
        testCase
          .failure(
            clean(`${blocking.length} mandatory violation${blocking.length === 1 ? "" : "s"} on ${resources} resource${resources === 1 ? "" : "s"}: ${blocking[0]!.message}`),
            "mandatory",
          )
          .stacktrace(body(blocking.map(line).join("\n")));
      } else if (errors.length === 0 && !policyChecked(policy) && violations.length === 0) {
        testCase.skipped();
        const prerequisite = PREREQUISITES.find((p) => p.id === policy.prerequisite);
        if (prerequisite) out.push(`To check it: ${prerequisite.verify.split("{stack}").join(report.stack)}`);
      }
      if (others.length > 0) out.push(...others.map((v) => `${v.level}: ${line(v)}`));
      testCase.standardOutput(body(out.join("\n")));
    }
  }
  return root.build();
}
