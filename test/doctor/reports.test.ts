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
  isLocalTarget,
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

  it("SARIF for a run where the token grant failed is valid too, has no results, and says exit 3 with errors", () => {
    const r = buildDoctorReport({
      checks: allCouldNotCheck("the token grant failed").map((c) => ({ ...c, cause: "sign-in" as const })),
      target,
      connectUsers: "roster",
      strict: true,
    });
    assert.equal(r.exitCode, 3);
    const log = JSON.parse(renderDoctorSarif(r));
    assert.ok(validate(log).valid, validate(log).errors);
    assert.equal(log.runs[0].results.length, 0);
    const inv = log.runs[0].invocations[0];
    assert.deepEqual([inv.exitCode, inv.executionSuccessful], [3, false]);
    const errors = inv.toolExecutionNotifications.filter((n: { level: string }) => n.level === "error");
    assert.equal(errors.length, 4);
    assert.match(
      errors[0].message.text,
      /^P3 could not be checked: the token grant failed\. To check it: fix the sign-in .*vpconnect doctor --url https:\/\/vp\.example\.com/,
    );
  });

  it("SARIF is the doctor's own: tool vpconnect-doctor, rules with help, records as logical locations, never the API URL", () => {
    const log = JSON.parse(renderDoctorSarif(report));
    const run = log.runs[0];
    assert.equal(run.tool.driver.name, "vpconnect-doctor");
    for (const rule of run.tool.driver.rules) {
      assert.ok(rule.help.text.length > 40, `${rule.id} has help`);
      assert.match(rule.help.text, /Then run vpconnect doctor again\.$/);
    }
    assert.match(run.tool.driver.rules[0].help.text, /Settings > Security > Roles/);
    assert.ok(
      !JSON.stringify(run.results).includes(target.url),
      "the API URL is no file: no result points at it",
    );
    for (const result of run.results) {
      assert.equal(result.locations[0].physicalLocation, undefined, "no stack file: no physical location");
      assert.match(
        result.locations[0].logicalLocations[0].fullyQualifiedName,
        /^vantagepoint:(user|employee|role|apiauthorization):/,
      );
    }
    assert.equal(run.artifacts, undefined);
    assert.equal(run.automationDetails.id, "vpconnect-doctor/VP_PROD/");
  });

  it("SARIF with a stack file places each finding at its prerequisite's key in it, and keeps the record", () => {
    const text =
      "config:\n  vpconnect:roster:\n    users: []\n  vpconnect:vantagepoint:\n    connectApiClient:\n      name: x\n";
    const r: DoctorReport = {
      ...report,
      target: { ...target, stack: "prod", stackFile: "stacks/Pulumi.prod.yaml", repoBase: "" },
    };
    const run = JSON.parse(renderDoctorSarif(r, text)).runs[0];
    const p6 = run.results.find((x: { ruleId: string }) => x.ruleId === "doctor-p6-connect-api-client");
    assert.equal(p6.locations[0].physicalLocation.region.startLine, 5);
    assert.equal(
      p6.locations[0].logicalLocations[0].fullyQualifiedName,
      "vantagepoint:apiauthorization:Vantagepoint Connect",
    );
    const p5 = run.results.find((x: { ruleId: string }) => x.ruleId === "doctor-p5-connect-users-linked");
    assert.equal(p5.locations[0].physicalLocation.region.startLine, 3);
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

  it("JUnit: one test case per prerequisite with its read time; the failure body lists every record with its message", () => {
    const timed: DoctorReport = {
      ...report,
      checks: report.checks.map((c, i) => ({ ...c, durationMs: 100 * (i + 1) })),
    };
    const xml = renderDoctorJunit(timed);
    assert.equal((xml.match(/<testcase /g) ?? []).length, 4);
    assert.match(
      xml,
      /<testcase classname="vpconnect-doctor" name="doctor-p3-connect-admin-role" time="0\.1">/,
    );
    assert.match(
      xml,
      /<testcase classname="vpconnect-doctor" name="doctor-p5-connect-users-linked" time="0\.3">/,
    );
    const p5 =
      /name="doctor-p5-connect-users-linked"[\s\S]*?<failure message="(\d+) problems: [^"]*" type="broken"><!\[CDATA\[([\s\S]*?)\]\]><\/failure>/.exec(
        xml,
      );
    assert.ok(p5, xml);
    const lines = p5[2]!.split("\n");
    const p5check = report.checks.find((c) => c.id === "P5")!;
    assert.equal(Number(p5[1]), p5check.findings.length);
    assert.equal(lines.length, p5check.findings.length, "every record, not only the first");
    assert.equal(lines[1], `${p5check.findings[1]!.location}: ${p5check.findings[1]!.message}`);
  });

  it("JUnit: could not check because a read failed is an error; because the endpoint is missing, skipped with what to do", () => {
    const checks = report.checks.map((c) =>
      c.id === "P3"
        ? { ...c, cause: "unavailable" as const }
        : c.id === "P6"
          ? {
              ...c,
              status: "could-not-check" as const,
              findings: [],
              reason: "connection reset",
              cause: "read-failed" as const,
            }
          : c,
    );
    const xml = renderDoctorJunit({ ...report, checks });
    assert.match(
      xml,
      /name="doctor-p3-connect-admin-role"[^>]*>[\s\S]*?<skipped\/>[\s\S]*?To check it: do the manual step above/,
    );
    assert.match(
      xml,
      /name="doctor-p6-connect-api-client"[^>]*>[\s\S]*?<error message="could not be checked: connection reset" type="read-failed">/,
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
    assert.match(text, /BROKEN: 2 prerequisites broken, 1 could not be checked \(P3\)\. Exit 1\./);
  });

  it("could not check says why and what to run, in the table, Markdown and HTML", () => {
    const r: DoctorReport = {
      ...report,
      checks: report.checks.map((c) => (c.id === "P3" ? { ...c, cause: "unavailable" as const } : c)),
      rerun: "vpconnect doctor --stack prod",
    };
    assert.match(
      renderDoctorTable(r),
      /^Could not check \(never a pass\):\n {2}- P3 .*Roles are not available.*\n {4}to check it: do the manual step above, .*then run `vpconnect doctor --stack prod`$/m,
    );
    const row = renderDoctorMarkdown(r)
      .split("\n")
      .find((l) => l.startsWith("| P3 |"))!;
    assert.match(
      row,
      /➖ could not check \| Roles are not available through the API on this server \*\*To check it:\*\* do the manual step above.* then run `vpconnect doctor --stack prod` \|$/,
    );
    assert.match(
      renderDoctorHtml(r),
      /Roles are not available through the API on this server<br><strong>To check it:<\/strong> do the manual step above[^<]*<code>vpconnect doctor --stack prod<\/code>/,
    );
  });

  it("a local http Vantagepoint (the emulator) is labelled EMULATED in every format, never a plain OK", () => {
    const ok = buildDoctorReport({
      checks: report.checks.map((c) => ({ ...c, status: "ok" as const, findings: [] })),
      target: { ...target, url: "http://127.0.0.1:4000/vantagepoint/api", local: true },
      connectUsers: "roster",
      strict: false,
    });
    assert.equal(ok.exitCode, 0);
    assert.match(
      renderDoctorTable(ok),
      /^EMULATED, demo data: http:\/\/127\.0\.0\.1:4000\/vantagepoint\/api is a Vantagepoint on this machine/m,
    );
    assert.match(
      renderDoctorTable(ok),
      /^OK \(EMULATED, demo data\): P3\.\.P6 hold on the local server .*Exit 0\.$/m,
    );
    assert.match(
      renderDoctorMarkdown(ok).split("\n")[0]!,
      /^## ⚠️ OK \(EMULATED, demo data\): vpconnect doctor/,
    );
    const html = renderDoctorHtml(ok);
    assert.match(html, /<title>vpconnect doctor: VP_PROD OK \(EMULATED, demo data\)<\/title>/);
    assert.doesNotMatch(html, /class="verdict pass"/);
    assert.equal(JSON.parse(renderDoctorJson(ok)).emulated, true);
    assert.match(
      renderDoctorJunit(ok),
      /<testsuites name="vpconnect doctor VP_PROD \(EMULATED, demo data\)"[\s\S]*name="doctor-p3-connect-admin-role \[EMULATED, demo data\]"/,
    );
    const run = JSON.parse(renderDoctorSarif(ok)).runs[0];
    assert.deepEqual(
      [run.properties.emulated, run.automationDetails.id],
      [true, "vpconnect-doctor/VP_PROD/emulated/"],
    );
    // And a real site's OK says so plainly.
    const real = { ...ok, target };
    assert.match(renderDoctorTable(real), /^OK: P3\.\.P6 hold on the live server\. Exit 0\.$/m);
    assert.match(renderDoctorHtml(real), /class="verdict pass"/);
  });

  it("isLocalTarget: http on loopback only", () => {
    assert.equal(isLocalTarget("http://127.0.0.1:8080/vantagepoint/api"), true);
    assert.equal(isLocalTarget("http://localhost/api"), true);
    assert.equal(isLocalTarget("http://[::1]:9/api"), true);
    assert.equal(isLocalTarget("https://127.0.0.1/api"), false);
    assert.equal(isLocalTarget("https://vp.example.com/vantagepoint/api"), false);
    assert.equal(isLocalTarget("http://127.0.0.1.example.com/api"), false);
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
