/**
 * lib/reports/sarif.ts on hand-built reports, with exact expected values: which rule a violation points at, where
 * it is located, its fingerprint, and the artifact uri code scanning resolves. The wider suite (reports.test.ts)
 * checks a real `vpconnect check` run against the schema; this one pins the rules a scanner depends on.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { SRCROOT, artifactUri, renderSarif, toSarif } from "../../lib/reports/sarif";
import type { CheckReport, ReportPolicy, ReportViolation } from "../../lib/reports/model";

const STACK_TEXT = [
  "encryptionsalt: v1:x", // 1
  "config:", // 2
  "  vpconnect:site:", // 3
  "    publicHostname: vp.example.com", // 4
  "  vpconnect:allowList:", // 5
  "    connectIps:", // 6
  "      - 203.0.113.0/24", // 7
  "  vpconnect:roster:", // 8
  "    users: []", // 9
  "",
].join("\n");

function policy(pack: string, name: string, extra: Partial<ReportPolicy> = {}): ReportPolicy {
  return {
    pack,
    name,
    description: `${name} holds. More detail follows.`,
    level: "mandatory",
    prerequisite: null,
    kind: "resource",
    results: { evaluated: 1, passed: 0, violations: 1, notApplicable: 0, errors: 0 },
    applicable: 1,
    durationMs: 1,
    ...extra,
  };
}

function violation(pack: string, name: string, extra: Partial<ReportViolation> = {}): ReportViolation {
  return {
    pack,
    policy: name,
    level: "mandatory",
    urn: `urn:pulumi:dev::vp::azure:thing::${name}`,
    message: `${name} failed`,
    prerequisite: null,
    ...extra,
  };
}

function report(extra: Partial<CheckReport> = {}): CheckReport {
  return {
    tool: { name: "vpconnect", version: "0.1.0" },
    stack: "dev",
    project: "vp",
    stackFile: "stacks/Pulumi.dev.yaml",
    repoBase: "",
    stackFileText: STACK_TEXT,
    program: "index.ts",
    resources: [],
    outputs: {},
    packs: [],
    policies: [],
    evaluations: [],
    violations: [],
    errors: [],
    configIssues: [],
    notes: [],
    summary: { resources: 0, policies: 0, mandatory: 0, advisory: 0, remediate: 0, errors: 0, passed: true },
    exitCode: 0,
    ...extra,
  };
}

const run = (r: CheckReport) => toSarif(r).runs[0]!;
const fp = (...parts: string[]) => createHash("sha256").update(parts.join("\u0000")).digest("hex").slice(0, 32);

describe("SARIF: rules and results", () => {
  it("points each violation at its own policy's rule, even when another pack's policy comes first", () => {
    const r = report({
      policies: [
        policy("org", "tags-required", { level: "advisory", configKey: "vpconnect:roster.users" }),
        policy("vpconnect", "connect-ips-allowed", { prerequisite: "P2" }),
      ],
      violations: [violation("vpconnect", "connect-ips-allowed"), violation("org", "tags-required", { level: "advisory" })],
    });
    const sarif = run(r);
    assert.deepEqual(
      sarif.tool.driver.rules!.map((x) => x.id),
      ["tags-required", "connect-ips-allowed"],
    );
    assert.deepEqual(
      sarif.results!.map((x) => [x.ruleId, x.ruleIndex, x.level, x.locations![0]!.physicalLocation!.region!.startLine]),
      [
        ["connect-ips-allowed", 1, "error", 6],
        ["tags-required", 0, "warning", 9],
      ],
    );
  });

  it("gives a policy name two packs use one rule per pack, prefixed with the pack, and no duplicate ids", () => {
    const r = report({
      policies: [policy("org", "tls-1-2"), policy("vpconnect", "tls-1-2", { level: "advisory" }), policy("org", "solo")],
      violations: [violation("vpconnect", "tls-1-2", { level: "advisory" }), violation("org", "tls-1-2")],
      errors: [{ pack: "vpconnect", policy: "tls-1-2", urn: null, message: "boom" }],
    });
    const sarif = run(r);
    const ids = sarif.tool.driver.rules!.map((x) => x.id);
    assert.deepEqual(ids, ["org/tls-1-2", "vpconnect/tls-1-2", "solo"]);
    assert.equal(new Set(ids).size, ids.length);
    assert.deepEqual(
      sarif.results!.map((x) => [x.ruleId, x.ruleIndex, x.level]),
      [
        ["vpconnect/tls-1-2", 1, "warning"],
        ["org/tls-1-2", 0, "error"],
      ],
    );
    assert.deepEqual(sarif.invocations![0]!.toolExecutionNotifications![0], {
      level: "error",
      message: { text: "policy tls-1-2 (vpconnect) failed: boom" },
      descriptor: { id: "vpconnect/tls-1-2" },
    });
  });

  it("fingerprints a violation by pack, policy, resource and message, so a changed message is a new alert", () => {
    const one = violation("vpconnect", "connect-ips-allowed");
    const r = report({
      policies: [policy("vpconnect", "connect-ips-allowed")],
      violations: [one, { ...one, message: "another problem" }, { ...one, urn: null }],
    });
    const prints = run(r).results!.map((x) => x.partialFingerprints!["vpconnectViolation/v1"]);
    assert.deepEqual(prints, [
      fp("vpconnect", "connect-ips-allowed", one.urn!, one.message),
      fp("vpconnect", "connect-ips-allowed", one.urn!, "another problem"),
      fp("vpconnect", "connect-ips-allowed", "", one.message),
    ]);
    assert.equal(new Set(prints).size, 3);
    assert.match(prints[0]!, /^[0-9a-f]{32}$/);
  });

  it("writes the resource into the message and the URN as a logical location; a stack violation has neither", () => {
    const r = report({
      policies: [policy("vpconnect", "p", { kind: "stack" })],
      violations: [
        violation("vpconnect", "p", { resourceType: "azure-native:network:NetworkSecurityGroup", resourceName: "nsg" }),
        violation("vpconnect", "p", { urn: null }),
      ],
    });
    const [withResource, stackWide] = run(r).results!;
    assert.equal(withResource!.message.text, "p failed (azure-native:network:NetworkSecurityGroup 'nsg')");
    assert.deepEqual(withResource!.locations![0]!.logicalLocations, [
      { fullyQualifiedName: "urn:pulumi:dev::vp::azure:thing::p", kind: "resource" },
    ]);
    assert.deepEqual(withResource!.properties, {
      pack: "vpconnect",
      enforcementLevel: "mandatory",
      prerequisite: null,
      urn: "urn:pulumi:dev::vp::azure:thing::p",
    });
    assert.equal(stackWide!.message.text, "p failed");
    assert.equal(stackWide!.locations![0]!.logicalLocations, undefined);
    assert.equal(stackWide!.properties!.urn, undefined);
  });

  it("locates a violation of a policy with no config key at the config: line, and without the file text at line 1", () => {
    const r = report({ policies: [policy("org", "free")], violations: [violation("org", "free")] });
    assert.equal(run(r).results![0]!.locations![0]!.physicalLocation!.region!.startLine, 2);
    const blind = report({ ...r, stackFileText: undefined });
    assert.equal(run(blind).results![0]!.locations![0]!.physicalLocation!.region!.startLine, 1);
  });

  it("maps enforcement levels to SARIF levels, a disabled policy's rule off", () => {
    const levels = ["mandatory", "advisory", "remediate", "disabled"] as const;
    const r = report({
      policies: levels.map((level) => policy("p", level, { level })),
      violations: levels.map((level) => violation("p", level, { level })),
    });
    const sarif = run(r);
    assert.deepEqual(
      sarif.results!.map((x) => x.level),
      ["error", "warning", "note", "none"],
    );
    assert.deepEqual(
      sarif.tool.driver.rules!.map((x) => x.defaultConfiguration),
      [{ level: "error" }, { level: "warning" }, { level: "note" }, { enabled: false, level: "none" }],
    );
  });

  it("describes a rule: first sentence, help with the config key or the remediation steps, severity, tags", () => {
    const r = report({
      policies: [
        policy("vpconnect", "connect-ips-allowed", { prerequisite: "P2", severity: "high" }),
        policy("org", "custom", { remediationSteps: "Do the thing.", severity: "unknown", description: "No stop" }),
      ],
    });
    const [a, b] = run(r).tool.driver.rules!;
    assert.deepEqual(a!.shortDescription, { text: "connect-ips-allowed holds." });
    assert.deepEqual(a!.fullDescription, { text: "connect-ips-allowed holds. More detail follows." });
    assert.deepEqual(a!.help, {
      text: "connect-ips-allowed holds. More detail follows. Fix it in vpconnect:allowList.connectIps of the stack file.",
      markdown:
        "connect-ips-allowed holds. More detail follows. Fix it in `vpconnect:allowList.connectIps` of the stack file, then run `vpconnect check` again.",
    });
    assert.deepEqual(a!.properties, {
      tags: ["vpconnect", "P2", "policy-as-code"],
      pack: "vpconnect",
      enforcementLevel: "mandatory",
      prerequisite: "P2",
      "security-severity": "7.5",
    });
    assert.deepEqual(b!.shortDescription, { text: "No stop" });
    assert.deepEqual(b!.help, { text: "Do the thing.", markdown: "Do the thing." });
    assert.deepEqual(b!.properties!.tags, ["org", "policy-as-code"]);
    assert.equal(b!.properties!["security-severity"], undefined);
  });

  it("reports config problems under vpconnect-config, at the key's line in the stack file, line 1 elsewhere", () => {
    const r = report({
      policies: [policy("org", "a")],
      configIssues: [
        { file: "stacks/Pulumi.dev.yaml", key: "vpconnect:site.publicHostname", message: "is not a host name" },
        { file: "roster.csv", key: "vpconnect:roster.file", message: "row 3: bad email" },
      ],
      exitCode: 2,
    });
    const sarif = run(r);
    const rule = sarif.tool.driver.rules!.at(-1)!;
    assert.equal(rule.id, "vpconnect-config");
    assert.deepEqual(
      sarif.results!.map((x) => [
        x.ruleId,
        x.ruleIndex,
        x.level,
        x.message.text,
        x.locations![0]!.physicalLocation!.artifactLocation!.uri,
        x.locations![0]!.physicalLocation!.region!.startLine,
        x.partialFingerprints!["vpconnectViolation/v1"],
      ]),
      [
        [
          "vpconnect-config",
          1,
          "error",
          "vpconnect:site.publicHostname: is not a host name",
          "stacks/Pulumi.dev.yaml",
          4,
          fp("config", "vpconnect:site.publicHostname", "", "is not a host name"),
        ],
        [
          "vpconnect-config",
          1,
          "error",
          "vpconnect:roster.file: row 3: bad email",
          "roster.csv",
          1,
          fp("config", "vpconnect:roster.file", "", "row 3: bad email"),
        ],
      ],
    );
    assert.equal(sarif.invocations![0]!.exitCode, 2);
    assert.equal(run(report()).tool.driver.rules!.length, 0, "no config rule without config problems");
  });

  it("says the run failed when a policy threw or the program failed, and lists notes", () => {
    assert.equal(run(report()).invocations![0]!.executionSuccessful, true);
    const failed = run(report({ programError: "TypeError: x", notes: ["remediate is reported only"] }));
    assert.equal(failed.invocations![0]!.executionSuccessful, false);
    assert.deepEqual(failed.invocations![0]!.toolExecutionNotifications, [
      { level: "error", message: { text: "the Pulumi program failed: TypeError: x" } },
      { level: "note", message: { text: "remediate is reported only" } },
    ]);
    const threw = run(report({ errors: [{ pack: "o", policy: "p", urn: "urn:x", message: "boom" }] }));
    assert.equal(threw.invocations![0]!.executionSuccessful, false);
    assert.equal(threw.invocations![0]!.toolExecutionNotifications![0]!.message.text, "policy p (o) failed on urn:x: boom");
  });

  it("labels an emulated run: its own category, a warning first, [EMULATED] on Vantagepoint-side results only", () => {
    const r = report({
      emulator: { url: "http://127.0.0.1:1", database: "VP" },
      policies: [policy("vpconnect", "connect-users-linked", { prerequisite: "P5" }), policy("vpconnect", "tls", { prerequisite: "baseline" })],
      violations: [violation("vpconnect", "connect-users-linked"), violation("vpconnect", "tls")],
      notes: ["n"],
    });
    const sarif = run(r);
    assert.equal(sarif.automationDetails!.id, "vpconnect-check/dev/emulated/");
    assert.equal(run(report()).automationDetails!.id, "vpconnect-check/dev/");
    assert.equal(sarif.invocations![0]!.toolExecutionNotifications![0]!.level, "warning");
    assert.match(sarif.invocations![0]!.toolExecutionNotifications![0]!.message.text!, /^EMULATED, demo data: P3 to P6 .* --stack dev` .*relying on them\.$/);
    assert.deepEqual(
      sarif.results!.map((x) => x.message.text),
      ["[EMULATED, demo data] connect-users-linked failed", "tls failed"],
    );
    assert.equal(sarif.properties!.emulated, true);
    assert.equal(run(report()).properties!.emulated, false);
  });

  it("renders valid JSON ending in a newline, with the run's properties", () => {
    const text = renderSarif(report({ resources: [] }));
    assert.ok(text.endsWith("}\n"));
    const log = JSON.parse(text);
    assert.equal(log.version, "2.1.0");
    assert.deepEqual(Object.keys(log.runs[0].properties), ["stack", "project", "resources", "verdict", "emulated"]);
    assert.equal(log.runs[0].columnKind, "utf16CodeUnits");
    assert.deepEqual(log.runs[0].artifacts, [{ location: { uri: "stacks/Pulumi.dev.yaml", uriBaseId: SRCROOT } }]);
  });
});

describe("SARIF: artifact uris", () => {
  it("makes a cwd-relative path repository-relative, with %SRCROOT%", () => {
    assert.deepEqual(artifactUri("stacks/Pulumi.dev.yaml", "infra"), { uri: "infra/stacks/Pulumi.dev.yaml", uriBaseId: SRCROOT });
    assert.deepEqual(artifactUri("stacks\\Pulumi.dev.yaml", ""), { uri: "stacks/Pulumi.dev.yaml", uriBaseId: SRCROOT });
    assert.deepEqual(artifactUri("../shared/roster.csv", "infra/site"), { uri: "infra/shared/roster.csv", uriBaseId: SRCROOT });
  });
  it("gives a path escaping the repository no repository-relative uri", () => {
    assert.deepEqual(artifactUri("../roster.csv", ""), { uri: "../roster.csv" });
    assert.deepEqual(artifactUri("../../x/roster.csv", "infra"), { uri: "../../x/roster.csv" });
    assert.deepEqual(artifactUri("..", ""), { uri: ".." });
    assert.deepEqual(artifactUri("../infra/../../r.csv", "infra"), { uri: "../infra/../../r.csv" });
  });
  it("leaves absolute paths, URLs and runs outside a repository as they are", () => {
    assert.deepEqual(artifactUri("/etc/roster.csv", "infra"), { uri: "/etc/roster.csv" });
    assert.deepEqual(artifactUri("C:\\work\\roster.csv", "infra"), { uri: "C:/work/roster.csv" });
    assert.deepEqual(artifactUri("https://example.com/r.csv", ""), { uri: "https://example.com/r.csv" });
    assert.deepEqual(artifactUri("stacks/x.yaml", undefined), { uri: "stacks/x.yaml" });
  });
  it("percent-encodes spaces, ? and #, and replaces a lone surrogate", () => {
    assert.deepEqual(artifactUri("stacks/my stack?#1.yaml", ""), { uri: "stacks/my%20stack%3F%231.yaml", uriBaseId: SRCROOT });
    assert.deepEqual(artifactUri("a\ud800b.yaml", ""), { uri: "a%EF%BF%BDb.yaml", uriBaseId: SRCROOT });
    assert.deepEqual(artifactUri("a\udc00b.yaml", ""), { uri: "a%EF%BF%BDb.yaml", uriBaseId: SRCROOT });
    assert.deepEqual(artifactUri("ok\ud83d\ude00.yaml", ""), { uri: "ok%F0%9F%98%80.yaml", uriBaseId: SRCROOT });
  });
});

describe("SARIF: what a scanner reads of each rule and result", () => {
  it("scores each security severity a policy may carry, and none for a missing or misspelt one", () => {
    const r = report({
      policies: [
        policy("org", "a", { severity: "critical" }),
        policy("org", "b", { severity: "high" }),
        policy("org", "c", { severity: "medium" }),
        policy("org", "d", { severity: "low" }),
        policy("org", "e", { severity: "Urgent" }),
        policy("org", "f"),
      ],
    });
    const props = run(r).tool.driver.rules!.map((x) => x.properties!);
    assert.deepEqual(
      props.map((p) => p["security-severity"]),
      ["9.0", "7.5", "5.0", "3.0", undefined, undefined],
    );
    // No key at all (not a key holding undefined) where there is no score: JSON readers see no property.
    assert.deepEqual(props[4], { tags: ["org", "policy-as-code"], pack: "org", enforcementLevel: "mandatory", prerequisite: null });
    assert.deepEqual(props[5], { tags: ["org", "policy-as-code"], pack: "org", enforcementLevel: "mandatory", prerequisite: null });
  });

  it("locates a result in the stack file by its repository path, with the artifact index", () => {
    const r = report({
      repoBase: "infra",
      policies: [policy("vpconnect", "connect-ips-allowed")],
      violations: [violation("vpconnect", "connect-ips-allowed")],
    });
    assert.deepEqual(run(r).results![0]!.locations![0]!.physicalLocation, {
      artifactLocation: { uri: "infra/stacks/Pulumi.dev.yaml", uriBaseId: SRCROOT, index: 0 },
      region: { startLine: 6 },
    });
  });

  it("falls back to the config: line itself, not a comment that mentions config: or a line with trailing spaces", () => {
    const text = ["encryptionsalt: v1:x", "# values under config:", "config:   ", "  vpconnect:site:", ""].join("\n");
    const r = report({
      stackFileText: text,
      policies: [policy("org", "custom")],
      violations: [violation("org", "custom")],
    });
    assert.equal(run(r).results![0]!.locations![0]!.physicalLocation!.region!.startLine, 3);
  });

  it("describes the stack-config rule a config problem points at", () => {
    const r = report({ configIssues: [{ key: "vpconnect:site.publicHostname", message: "not a host name", file: "stacks/Pulumi.dev.yaml" }] });
    assert.deepEqual(run(r).tool.driver.rules, [
      {
        id: "vpconnect-config",
        name: "stack-config",
        shortDescription: { text: "The stack config is valid." },
        fullDescription: {
          text: "Every vpconnect:* key in the stack file passes the config schema; nothing runs until it does.",
        },
        defaultConfiguration: { level: "error" },
        properties: { tags: ["config"] },
      },
    ]);
  });

  it("reports a violation of a policy the report does not describe (an emulated run) without the emulated label", () => {
    const r = report({
      emulator: { url: "http://127.0.0.1:1", database: "VP" },
      policies: [],
      violations: [violation("org", "unlisted")],
    });
    const result = run(r).results![0]!;
    assert.equal(result.message.text, "unlisted failed");
    assert.equal(result.ruleId, "unlisted");
  });

  it("lists no notification for a run that neither failed nor noted anything; notes are of level note", () => {
    assert.deepEqual(run(report()).invocations![0]!.toolExecutionNotifications, []);
    assert.deepEqual(run(report({ notes: ["remediate is reported only", "2 warnings"] })).invocations![0]!.toolExecutionNotifications, [
      { level: "note", message: { text: "remediate is reported only" } },
      { level: "note", message: { text: "2 warnings" } },
    ]);
  });

  it("locates a violation by its own pack's policy when two packs use the policy's name", () => {
    const r = report({
      policies: [
        policy("org", "tls-1-2", { configKey: "vpconnect:roster.users" }),
        policy("vpconnect", "tls-1-2", { configKey: "vpconnect:allowList.connectIps" }),
      ],
      violations: [violation("vpconnect", "tls-1-2"), violation("org", "tls-1-2")],
    });
    assert.deepEqual(
      run(r).results!.map((x) => [x.ruleId, x.locations![0]!.physicalLocation!.region!.startLine]),
      [
        ["vpconnect/tls-1-2", 6],
        ["org/tls-1-2", 9],
      ],
    );
  });

  it("names the SARIF 2.1.0 schema", () => {
    assert.equal(toSarif(report()).$schema, "https://json.schemastore.org/sarif-2.1.0.json");
  });

  it("gives a policy with no config key its description alone as help", () => {
    const r = report({ policies: [policy("org", "custom", { description: "Tags are set." })] });
    assert.deepEqual(run(r).tool.driver.rules![0]!.help, { text: "Tags are set.", markdown: "Tags are set." });
  });

  it("takes the short description from the first line's sentence only; a first line without a stop is kept whole", () => {
    const r = report({
      policies: [policy("org", "a", { description: "Keeps TLS at 1.2\nOlder protocols are refused. See the docs." })],
    });
    assert.deepEqual(run(r).tool.driver.rules![0]!.shortDescription, {
      text: "Keeps TLS at 1.2\nOlder protocols are refused. See the docs.",
    });
  });
});
