/** The doctor's report formats: SARIF valid against the 2.1.0 schema, JUnit, JSON, Markdown and HTML. */
import assert from "node:assert/strict";
import * as path from "node:path";
import {
  allCouldNotCheck,
  buildDoctorReport,
  checkAdminRole,
  checkApiClient,
  checkConfigurer,
  checkConnectUsers,
  indexPeople,
  renderDoctorHtml,
  renderDoctorJson,
  renderDoctorJunit,
  renderDoctorMarkdown,
  renderDoctorSarif,
  renderDoctorTable,
  TABLE_FINDINGS_LIMIT,
} from "../../lib/doctor";
import type { DoctorReport } from "../../lib/doctor";

/** The SARIF 2.1.0 schema from @microsoft/jest-sarif is draft-04: checked with the ajv 6 that package ships. */
function sarifValidator(): (data: unknown) => { valid: boolean; errors: string } {
  const base = path.dirname(require.resolve("@microsoft/jest-sarif/package.json"));
  const Ajv = require(require.resolve("ajv", { paths: [base] }));
  const ajv = new Ajv({ schemaId: "auto", validateSchema: false, allErrors: true });
  ajv.addMetaSchema(require(require.resolve("ajv/lib/refs/json-schema-draft-04.json", { paths: [base] })));
  const validate = ajv.compile(require(path.join(base, "lib/schemas/sarif-2.1.0-rtm.5.json")));
  return (data) => ({ valid: validate(data) as boolean, errors: JSON.stringify(validate.errors) });
}

const target = { url: "https://vp.example.com/vantagepoint/api", database: "VP_PROD", username: "svc" };

function brokenReport(): DoctorReport {
  const index = indexPeople(
    [
      { Username: "PJ", Employee: "1", Status: "A", Role: "ADMIN" },
      { Username: "<script>", Employee: "", Status: "A" },
      ...Array.from({ length: TABLE_FINDINGS_LIMIT + 5 }, (_, i) => ({
        Username: `U${i}`,
        Employee: "",
        Status: "A",
      })),
    ],
    [{ Employee: "1", EMail: "pj@example.com", Status: "A" }],
  );
  const checks = [
    checkAdminRole(
      [
        {
          role: "ADMIN",
          because: "the admin role",
          problem: "Roles are not available through the API on this server",
        },
      ],
      true,
    ),
    checkConfigurer({ index }, { userId: "PJ" }),
    checkConnectUsers({ index }, { apiUser: "svc", configurer: { userId: "PJ" } }),
    checkApiClient({ hits: [] }, "Vantagepoint Connect"),
  ];
  return buildDoctorReport({ checks, target, connectUsers: "all-active-users", strict: false });
}

describe("doctor reports", () => {
  const validate = sarifValidator();
  const report = brokenReport();

  it("the model: P3 could-not-check, P4 ok, P5 and P6 broken, exit 1", () => {
    assert.deepEqual(
      report.checks.map((c) => c.status),
      ["could-not-check", "ok", "broken", "broken"],
    );
    assert.equal(report.exitCode, 1);
  });

  it("SARIF is valid 2.1.0: one rule per prerequisite, one error result per finding at its record, could-not-check as a warning", () => {
    const log = JSON.parse(renderDoctorSarif(report));
    const v = validate(log);
    assert.ok(v.valid, v.errors);
    const run = log.runs[0];
    assert.deepEqual(
      run.tool.driver.rules.map((r: { id: string }) => r.id),
      [
        "doctor-p3-connect-admin-role",
        "doctor-p4-configurer-linked",
        "doctor-p5-connect-users-linked",
        "doctor-p6-connect-api-client",
      ],
    );
    const findings = report.checks.reduce((n, c) => n + c.findings.length, 0);
    assert.equal(run.results.length, findings);
    assert.ok(run.results.every((r: { level: string }) => r.level === "error"));
    const names = run.results.map(
      (r: { locations: Array<{ logicalLocations: Array<{ fullyQualifiedName: string }> }> }) =>
        r.locations[0]!.logicalLocations[0]!.fullyQualifiedName,
    );
    assert.ok(names.includes("vantagepoint:user:U0"));
    assert.ok(names.includes("vantagepoint:apiauthorization:Vantagepoint Connect"));
    const warn = run.invocations[0].toolExecutionNotifications.filter(
      (n: { level: string }) => n.level === "warning",
    );
    assert.equal(warn.length, 1);
    assert.match(warn[0].message.text, /^P3 could not be checked/);
    assert.equal(run.invocations[0].exitCode, 1);
  });

  it("SARIF for a run where the token grant failed is valid too and has no results", () => {
    const r = buildDoctorReport({
      checks: allCouldNotCheck("the token grant failed"),
      target,
      connectUsers: "roster",
      strict: true,
    });
    const log = JSON.parse(renderDoctorSarif(r));
    assert.ok(validate(log).valid, validate(log).errors);
    assert.equal(log.runs[0].results.length, 0);
    assert.equal(log.runs[0].invocations[0].exitCode, 1); // --strict
  });

  it("SARIF points at the stack file by its repository path, as check's SARIF does", () => {
    const r: DoctorReport = {
      ...report,
      target: { ...target, stack: "prod", stackFile: "stacks/Pulumi.prod env.yaml", repoBase: "infra" },
    };
    const log = JSON.parse(renderDoctorSarif(r, "config:\n  vpconnect:roster:\n    users: []\n"));
    assert.ok(validate(log).valid, validate(log).errors);
    const expected = { uri: "infra/stacks/Pulumi.prod%20env.yaml", uriBaseId: "%SRCROOT%" };
    assert.deepEqual(log.runs[0].artifacts[0].location, expected);
    for (const result of log.runs[0].results)
      assert.deepEqual(result.locations[0].physicalLocation.artifactLocation, { ...expected, index: 0 });
    assert.equal(
      JSON.parse(renderDoctorJson(r)).target.repoBase,
      undefined,
      "the JSON's target is unchanged",
    );
  });

  it("JUnit: a failure per broken prerequisite, skipped for could-not-check, named after doctor", () => {
    const xml = renderDoctorJunit(report);
    assert.match(xml, /<testsuites[^>]*name="vpconnect doctor /);
    assert.equal((xml.match(/<failure/g) ?? []).length, 2);
    assert.equal((xml.match(/<skipped/g) ?? []).length, 1);
    const outsideCdata = xml.replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, "");
    assert.ok(!outsideCdata.includes("<script>"), "record names are escaped (or in CDATA)");
    assert.match(xml, /name="doctor-p5-connect-users-linked"/);
  });

  it("JSON carries every finding and a summary", () => {
    const json = JSON.parse(renderDoctorJson(report));
    assert.deepEqual(json.summary, {
      ok: 1,
      broken: 2,
      couldNotCheck: 1,
      findings: report.checks.reduce((n, c) => n + c.findings.length, 0),
    });
    assert.equal(json.checks[2].findings.length, TABLE_FINDINGS_LIMIT + 6);
  });

  it("the table caps long finding lists and ends with the verdict", () => {
    const text = renderDoctorTable(report);
    assert.match(text, /\.\.\. and \d+ more \(write --format json for all\)/);
    assert.match(text, /BROKEN: 2 prerequisites broken, 1 could not be checked\. Exit 1\./);
  });

  it("Markdown and HTML escape record names", () => {
    const md = renderDoctorMarkdown(report);
    assert.match(md, /## ❌ BROKEN: vpconnect doctor/);
    assert.ok(!md.includes("<script>"));
    const html = renderDoctorHtml(report);
    assert.ok(!html.includes("<script>"));
    assert.match(html, /vantagepoint:user:&lt;script&gt;/);
    assert.match(html, /Content-Security-Policy/);
  });
});
