/**
 * The doctor's CI formats: SARIF (its own tool, one rule per prerequisite with help, results at the stack file's key
 * and at the record) and JUnit (one test case per prerequisite). Split from ./render.ts (which re-exports them). Pure.
 */
import { createHash } from "node:crypto";
import builder from "junit-report-builder";
import type { Location, Log, Notification, ReportingDescriptor, Result } from "sarif";
import { body as cdata, clean } from "../reports/junit";
import { findKeyLine } from "../reports/locate";
import { EMULATED_LABEL } from "../reports/model";
import { artifactUri } from "../reports/sarif";
import { DOCTOR_POLICIES, failedRead, nextStepOf } from "./model";
import type { DoctorReport } from "./model";
import { DOCTOR_HELP, DOCTOR_PACK, DOCTOR_TOOL, doctorVerdict, label, rerunOf } from "./verdict";

/**
 * SARIF 2.1.0: tool `vpconnect-doctor`, one rule per prerequisite (help: how to fix it), one error result per
 * finding. A result sits at the record (a logical location, `vantagepoint:user:JDOE`) and, when doctor read a
 * stack file, at the stack-config key of its prerequisite in that file; never at the API URL, which is no file.
 * Could-not-check is a notification (an error when sign-in or a read failed).
 */
export function toDoctorSarif(report: DoctorReport, stackFileText?: string): Log {
  const stackFile = report.target.stackFile;
  const artifact = stackFile !== undefined ? artifactUri(stackFile, report.target.repoBase) : undefined;
  const lineOf = (key: string) => (stackFileText ? findKeyLine(stackFileText, key) : undefined) ?? 1;
  const rules: ReportingDescriptor[] = report.checks.map((c) => ({
    id: c.policy,
    name: c.policy,
    shortDescription: { text: `${c.id}: ${c.title}.` },
    fullDescription: { text: `${c.id}: ${c.title}. Checked read-only on the live Vantagepoint.` },
    help: { text: DOCTOR_HELP[c.id], markdown: DOCTOR_HELP[c.id] },
    defaultConfiguration: { level: "error" },
    properties: { tags: [DOCTOR_PACK, c.id], prerequisite: c.id, configKey: DOCTOR_POLICIES[c.id].configKey },
  }));
  const results: Result[] = report.checks.flatMap((c, ruleIndex) =>
    c.findings.map((f): Result => {
      const location: Location = {
        ...(artifact
          ? {
              physicalLocation: {
                artifactLocation: { ...artifact, index: 0 },
                region: { startLine: lineOf(DOCTOR_POLICIES[c.id].configKey) },
              },
            }
          : {}),
        logicalLocations: [{ fullyQualifiedName: f.location, kind: f.location.split(":")[1] ?? "record" }],
      };
      return {
        ruleId: c.policy,
        ruleIndex,
        level: "error",
        message: { text: `${report.target.local ? `[${EMULATED_LABEL}] ` : ""}${f.message}` },
        locations: [location],
        partialFingerprints: {
          "vpconnectDoctor/v1": createHash("sha256")
            .update([c.policy, f.kind, f.location].join("\u0000"))
            .digest("hex")
            .slice(0, 32),
        },
        properties: { kind: f.kind, record: f.location, prerequisite: c.id },
      };
    }),
  );
  const rerun = rerunOf(report);
  const notifications: Notification[] = [];
  if (report.target.local)
    notifications.push({
      level: "warning",
      message: {
        text: `${EMULATED_LABEL}: ${report.target.url} is a Vantagepoint on this machine over http, not a real site.`,
      },
    });
  for (const c of report.checks.filter((x) => x.status === "could-not-check")) {
    const failed = failedRead(c);
    notifications.push({
      level: failed ? "error" : "warning",
      message: { text: `${c.id} could not be checked: ${c.reason}. To check it: ${nextStepOf(c, rerun)}` },
      descriptor: { id: c.policy },
    });
  }
  for (const w of report.warnings) notifications.push({ level: "note", message: { text: w } });
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: DOCTOR_TOOL,
            version: report.tool.version,
            rules,
          },
        },
        invocations: [
          {
            executionSuccessful: report.exitCode !== 3,
            exitCode: report.exitCode,
            commandLine: rerun,
            toolExecutionNotifications: notifications,
          },
        ],
        ...(artifact ? { artifacts: [{ location: artifact }] } : {}),
        automationDetails: {
          id: `vpconnect-doctor/${report.target.stack ?? report.target.database}${report.target.local ? "/emulated" : ""}/`,
        },
        columnKind: "utf16CodeUnits",
        results,
        properties: {
          verdict: doctorVerdict(report),
          emulated: report.target.local === true,
          database: report.target.database,
          ...(report.target.stack ? { stack: report.target.stack } : {}),
        },
      },
    ],
  };
}

export function renderDoctorSarif(report: DoctorReport, stackFileText?: string): string {
  return `${JSON.stringify(toDoctorSarif(report, stackFileText), null, 2)}\n`;
}

/**
 * JUnit: one test case per prerequisite, timed by its reads. Broken: a failure whose body lists every record
 * with its message. Could not check because sign-in or a read failed: an error (nothing was proven). Could not
 * check otherwise: skipped. The reason and what to run go in system-out.
 */
export function renderDoctorJunit(report: DoctorReport): string {
  const root = builder
    .newBuilder()
    .name(clean(`vpconnect doctor ${report.target.stack ?? report.target.database}${label(report)}`));
  const suite = root
    .testSuite()
    .name(clean(`${DOCTOR_PACK}${label(report)}`))
    .time(report.checks.reduce((t, c) => Math.max(t, c.durationMs ?? 0), 0) / 1000)
    .property("database", clean(report.target.database))
    .property("verdict", clean(doctorVerdict(report)));
  const rerun = rerunOf(report);
  for (const c of report.checks) {
    const testCase = suite
      .testCase()
      .className(DOCTOR_PACK)
      .name(
        clean(
          `${c.policy}${report.target.local && c.status !== "could-not-check" ? ` [${EMULATED_LABEL}]` : ""}`,
        ),
      )
      .time((c.durationMs ?? 0) / 1000)
      .property("prerequisite", c.id)
      .property("checked", String(c.checked));
    if (report.target.stackFile) testCase.file(clean(report.target.stackFile));
    const out = [`${c.id} ${c.title}: ${c.reason}`];
    if (c.status === "broken") {
      testCase
        .failure(
          clean(
            `${c.findings.length} problem${c.findings.length === 1 ? "" : "s"}: ${c.findings[0]!.message}`,
          ),
          "broken",
        )
        .stacktrace(cdata(c.findings.map((f) => `${f.location}: ${f.message}`).join("\n")));
    } else if (c.status === "could-not-check") {
      const next = nextStepOf(c, rerun);
      out.push(`To check it: ${next}`);
      if (failedRead(c))
        testCase.error(
          clean(`could not be checked: ${c.reason}`),
          c.cause ?? "read-failed",
          cdata(`${c.reason}\nTo check it: ${next}`),
        );
      else testCase.skipped();
    }
    if (c.details.length) out.push(...c.details);
    testCase.standardOutput(cdata(out.join("\n")));
  }
  return root.build();
}
