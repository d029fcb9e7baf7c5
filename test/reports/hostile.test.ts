/**
 * Hostile strings in every report format: policy messages, resource names, stack names, config keys and
 * roster user IDs full of HTML, Markdown, Mermaid and XML syntax and control characters. Each format must
 * keep its own syntax intact and show the text escaped.
 */
import assert from "node:assert/strict";
import { buildDoctorReport } from "../../lib/doctor/collect";
import {
  renderDoctorHtml,
  renderDoctorJunit,
  renderDoctorMarkdown,
  renderDoctorSarif,
} from "../../lib/doctor/render";
import type { DoctorCheck, DoctorReport } from "../../lib/doctor/model";
import { escapeHtml } from "../../lib/reports/html";
import { renderHtml, renderJunit, renderMarkdown, renderSarif } from "../../lib/reports";
import type { CheckReport, ReportResource } from "../../lib/reports";
import { toSarif } from "../../lib/reports/sarif";

/** Everything that breaks one format or another, tagged so each field can be found in the output. */
const hostile = (tag: string) =>
  `${tag}<script>alert(1)</script> & "dq" 'sq' \`bt\` \`\`\` a|b c\\|d\nline2\r\nline3 [x](https://evil.example){z};#quot;#35;<b> ]]> --> ` +
  `\u0000\u0001\u0008\u000b\u000c\u001b[2J\u001f\ufffe\uffff\ud800\ttab`;

const H = {
  stack: hostile("STACK"),
  message: hostile("MSG"),
  errorMessage: hostile("ERR"),
  resourceName: hostile("RES"),
  resourceType: hostile("TYPE"),
  policy: hostile("POL"),
  pack: hostile("PACK"),
  configKey: hostile("KEY"),
  configMessage: hostile("CFGMSG"),
  configurer: hostile("USER"),
  note: hostile("NOTE"),
  stackFile: hostile("FILE"),
};

function resource(type: string, name: string, inputs: Record<string, unknown> = {}, protect = false): ReportResource {
  return {
    urn: `urn:pulumi:${H.stack}::vantagepoint-connect::${type}::${name}`,
    type,
    name,
    custom: true,
    parent: "",
    protect,
    retainOnDelete: false,
    additionalSecretOutputs: [],
    dependencies: [],
    provider: "",
    inputs,
    outputs: inputs,
    secretPaths: [],
  };
}

function checkReport(): CheckReport {
  const dyn = (kind: string, inputs: Record<string, unknown>) =>
    resource("pulumi-nodejs:dynamic:Resource", hostile(kind), { vpconnectResource: kind, ...inputs }, true);
  const resources: ReportResource[] = [
    resource("azure-native:network:NetworkSecurityGroup", H.resourceName, {
      securityRules: [{ access: "Allow", direction: "Inbound", sourceAddressPrefix: hostile("SRC") }],
    }),
    resource("azure-native:network:WebApplicationFirewallPolicy", hostile("WAFNAME"), {
      policySettings: { mode: hostile("WAFMODE") },
    }),
    resource("azure-native:network:ApplicationGateway", hostile("GW"), {
      sku: { tier: hostile("TIER") },
      httpListeners: [{ protocol: hostile("PROTO") }],
      backendAddressPools: [{ backendAddresses: [{ fqdn: hostile("BACKEND") }] }],
    }),
    resource("azuread:index/application:Application", hostile("APPNAME"), { displayName: hostile("APP") }),
    resource("azure-native:keyvault:Vault", hostile("KVNAME"), { vaultName: hostile("KV") }),
    dyn("ConnectRoster", { entries: [{ userId: H.configurer }] }),
    dyn("ConnectAdminRole", { role: hostile("ROLE") }),
    dyn("ConnectApiClient", { name: hostile("APICLIENT") }),
  ];
  const urn = resources[0]!.urn;
  return {
    tool: { name: "vpconnect", version: "0.1.0" },
    stack: H.stack,
    project: hostile("PROJECT"),
    stackFile: H.stackFile,
    repoBase: "infra",
    program: hostile("PROGRAM"),
    resources,
    outputs: { publicUrl: hostile("URL") },
    packs: [{ name: H.pack, version: "1.0.0", dir: hostile("DIR"), enforcementLevel: "mandatory", policies: 2 }],
    policies: [
      {
        pack: H.pack,
        name: H.policy,
        description: hostile("DESC"),
        level: "mandatory",
        prerequisite: "P2",
        kind: "resource",
        severity: "high",
        remediationSteps: hostile("FIX"),
        configKey: H.configKey,
        results: { evaluated: 1, passed: 0, violations: 1, notApplicable: 0, errors: 0 },
        applicable: 1,
        durationMs: 1.5,
      },
      {
        pack: H.pack,
        name: hostile("POL2"),
        description: hostile("DESC2"),
        level: "advisory",
        prerequisite: null,
        kind: "stack",
        results: { evaluated: 1, passed: 0, violations: 0, notApplicable: 0, errors: 1 },
        applicable: 0,
        durationMs: 0.5,
        notChecked: hostile("WHY"),
      },
    ],
    evaluations: [
      {
        pack: H.pack,
        policy: H.policy,
        urn,
        resourceType: H.resourceType,
        resourceName: H.resourceName,
        outcome: "violation",
        messages: [H.message],
      },
      { pack: H.pack, policy: hostile("POL2"), urn: null, outcome: "error", messages: [H.errorMessage] },
    ],
    violations: [
      {
        pack: H.pack,
        policy: H.policy,
        level: "mandatory",
        urn,
        message: H.message,
        prerequisite: "P2",
        resourceType: H.resourceType,
        resourceName: H.resourceName,
      },
    ],
    errors: [{ pack: H.pack, policy: hostile("POL2"), urn: null, message: H.errorMessage }],
    configIssues: [],
    programError: hostile("PROGERR"),
    notes: [H.note],
    roster: { people: 3, configurer: H.configurer },
    summary: { resources: 8, policies: 2, mandatory: 1, advisory: 0, remediate: 0, errors: 1, passed: false },
    exitCode: 1,
  };
}

/** The same stack with config problems (what the reports show instead of results). */
function configReport(): CheckReport {
  return {
    ...checkReport(),
    configIssues: [
      { file: H.stackFile, key: H.configKey, message: H.configMessage },
      { file: hostile("OTHERFILE"), key: hostile("KEY2"), message: hostile("CFGMSG2") },
    ],
    violations: [],
    errors: [],
    evaluations: [],
    exitCode: 2,
  };
}

function doctorReport(): DoctorReport {
  const check = (id: "P3" | "P4" | "P5" | "P6", status: DoctorCheck["status"]): DoctorCheck => ({
    id,
    policy: `doctor-${id.toLowerCase()}`,
    title: hostile(`TITLE${id}`),
    status,
    reason: hostile(`REASON${id}`),
    details: [hostile(`DETAIL${id}`)],
    findings:
      status === "broken"
        ? [{ kind: "user-without-employee", location: hostile(`LOC${id}`), message: hostile(`FINDING${id}`) }]
        : [],
    checked: 1,
  });
  return buildDoctorReport({
    checks: [check("P3", "could-not-check"), check("P4", "ok"), check("P5", "broken"), check("P6", "broken")],
    target: {
      url: hostile("DURL"),
      database: hostile("DB"),
      username: H.configurer,
      stack: H.stack,
      stackFile: "stacks/Pulumi.prod.yaml",
    },
    connectUsers: "roster",
    strict: false,
    warnings: [hostile("WARN")],
  });
}

// ---- HTML ----------------------------------------------------------------------------------------------

function assertHtmlSafe(html: string, values: readonly string[]): void {
  assert.doesNotMatch(html, /<script/i, "no raw script tag");
  assert.doesNotMatch(html, /<b>/, "no injected markup");
  for (const v of values) assert.ok(html.includes(escapeHtml(v)), `escaped in the HTML: ${JSON.stringify(v)}`);
}

// ---- Markdown ------------------------------------------------------------------------------------------

/** Cells of a GFM table row: `|` not escaped by a backslash separates them. */
function cellCount(row: string): number {
  let n = 0;
  for (let i = 0; i < row.length; i++) {
    if (row[i] === "\\" && row[i + 1] === "|") i++;
    else if (row[i] === "|") n++;
  }
  return n - 1;
}

/** Every table: a header, a delimiter row, rows with the header's cell count; returns row counts. */
function assertTables(md: string): number[] {
  const lines = md.split("\n");
  const sizes: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i]!.startsWith("|")) continue;
    const header = lines[i]!;
    assert.match(lines[i + 1] ?? "", /^\|(---\|)+$/, `a table starts with a header and a delimiter: ${header}`);
    const columns = cellCount(header);
    let j = i + 2;
    for (; j < lines.length && lines[j]!.startsWith("|"); j++) {
      assert.equal(cellCount(lines[j]!), columns, `row keeps ${columns} cells: ${lines[j]}`);
    }
    assert.ok(j >= lines.length || lines[j] === "", `a table ends with a blank line, not: ${lines[j]}`);
    sizes.push(j - i - 2);
    i = j;
  }
  return sizes;
}

/** The Markdown outside the Mermaid block, with code spans removed (GitHub shows those literally). */
function outsideCode(md: string): string {
  return md.replace(/```mermaid[\s\S]*?\n```\n/, "").replace(/(`+)(?!`)[^\n]*?[^`\n]?\1(?!`)/g, "");
}

function assertMarkdownText(md: string): void {
  const text = outsideCode(md);
  assert.doesNotMatch(text, /<script/i, "no raw script tag outside code spans");
  assert.doesNotMatch(text, /<b>/, "no injected markup outside code spans");
  assert.doesNotMatch(text, /(?<!\\)\[x\]\(https/, "no injected link");
  assert.doesNotMatch(text, /`/, "every backtick pairs up into a code span");
}

const MERMAID_ENTITIES: Record<string, string> = { quot: '"', amp: "&", lt: "<", gt: ">" };
const decodeMermaid = (label: string) =>
  label.replace(/#(\w+);/g, (_, e: string) =>
    /^\d+$/.test(e) ? String.fromCodePoint(Number(e)) : (MERMAID_ENTITIES[e] ?? `#${e};`),
  );

/** Node labels of the Mermaid block, decoded; asserts each line is a node or an edge that cannot break. */
function mermaidLabels(md: string): string[] {
  const block = /```mermaid\n([\s\S]*?)\n```\n/.exec(md);
  assert.ok(block, "a Mermaid block");
  const [first, ...lines] = block[1]!.split("\n");
  assert.equal(first, "flowchart LR");
  const labels: string[] = [];
  for (const line of lines) {
    if (/^ {2}\w+ (-->|---|-\.->) \w+$/.test(line)) continue;
    const node = /^ {2}\w+(\(\(|\[\(|\[)"([^"]*)"(\)\)|\)\]|\])$/.exec(line);
    assert.ok(node, `a node with a quoted label: ${line}`);
    const label = node[2]!;
    // Entity codes (#quot;, #35;) are the only place for # and ;.
    const bare = label.replace(/#\w+;/g, "");
    assert.doesNotMatch(bare, /[[\](){}<>;#`|&\u0000-\u001f]/, `nothing in the label ends it: ${label}`);
    labels.push(decodeMermaid(label));
  }
  return labels;
}

/** What a label shows for a hostile value: whitespace and control characters as single spaces. */
const asLabel = (v: string) => v.replace(/[\u0000-\u001f]/g, " ");

// ---- XML -----------------------------------------------------------------------------------------------

const ILLEGAL_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const ENTITY = /&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/y;
const TAG = /<(\/?)([A-Za-z_][\w.:-]*)((?:\s+[A-Za-z_][\w.:-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/y;

/** A minimal XML 1.0 well-formedness check: legal characters, entities, quoted attributes, balanced tags. */
function assertWellFormedXml(xml: string): Array<{ name: string; attrs: Record<string, string> }> {
  assert.doesNotMatch(xml, ILLEGAL_XML, "no character XML 1.0 forbids");
  for (const [, hex, dec] of xml.matchAll(/&#(?:x([0-9a-fA-F]+)|(\d+));/g)) {
    const c = String.fromCodePoint(hex !== undefined ? parseInt(hex, 16) : Number(dec));
    assert.doesNotMatch(c, ILLEGAL_XML, "no character reference to a character XML 1.0 forbids");
  }
  const stack: string[] = [];
  const elements: Array<{ name: string; attrs: Record<string, string> }> = [];
  let i = 0;
  let root = 0;
  while (i < xml.length) {
    const c = xml[i]!;
    if (c === "&") {
      ENTITY.lastIndex = i;
      assert.ok(ENTITY.test(xml), `a bare & at ${i}: ${xml.slice(i, i + 20)}`);
      i = ENTITY.lastIndex;
    } else if (c !== "<") {
      assert.ok(stack.length > 0 || /\s/.test(c), `text outside the root element at ${i}`);
      i++;
    } else if (xml.startsWith("<?", i)) {
      const end = xml.indexOf("?>", i);
      assert.ok(end > 0, "a closed processing instruction");
      i = end + 2;
    } else if (xml.startsWith("<![CDATA[", i)) {
      assert.ok(stack.length > 0, "CDATA inside an element");
      const end = xml.indexOf("]]>", i);
      assert.ok(end > 0, "a closed CDATA section");
      i = end + 3;
    } else if (xml.startsWith("<!--", i)) {
      const end = xml.indexOf("-->", i);
      assert.ok(end > 0 && !xml.slice(i + 4, end).includes("--"), "a well-formed comment");
      i = end + 3;
    } else {
      TAG.lastIndex = i;
      const m = TAG.exec(xml);
      assert.ok(m, `a well-formed tag at ${i}: ${xml.slice(i, i + 60)}`);
      const [, close, name, attrText, selfClose] = m;
      if (close) {
        assert.equal(stack.pop(), name, `</${name}> closes the open element`);
      } else {
        const attrs: Record<string, string> = {};
        for (const a of attrText!.matchAll(/([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
          const raw = a[2] ?? a[3] ?? "";
          assert.doesNotMatch(raw.replace(/&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, ""), /&/, "attribute entities");
          assert.ok(!(a[1]! in attrs), `attribute ${a[1]} once`);
          attrs[a[1]!] = raw;
        }
        elements.push({ name: name!, attrs });
        if (stack.length === 0) root++;
        if (!selfClose) stack.push(name!);
      }
      i = TAG.lastIndex;
    }
  }
  assert.deepEqual(stack, [], "every element closed");
  assert.equal(root, 1, "one root element");
  return elements;
}

const decodeXml = (text: string) =>
  text
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&(lt|gt|quot|apos);/g, (_, e: string) => ({ lt: "<", gt: ">", quot: '"', apos: "'" })[e]!)
    .replace(/&amp;/g, "&");

describe("reports: hostile strings", () => {
  const report = checkReport();
  const invalid = configReport();

  describe("HTML", () => {
    it("escapes every hostile value of a run with results", () => {
      assertHtmlSafe(renderHtml(report), [
        H.stack,
        H.message,
        H.errorMessage,
        H.resourceName,
        H.policy,
        H.pack,
        H.note,
        H.stackFile,
        hostile("PROGERR"),
        hostile("DESC"),
        hostile("URL"),
      ]);
      assert.ok(renderHtml(report).includes(escapeHtml(`configurer ${H.configurer}`)), "roster configurer");
    });

    it("escapes config keys and messages of a run with config problems", () => {
      assertHtmlSafe(renderHtml(invalid), [H.stack, H.configKey, H.configMessage, H.stackFile]);
    });

    it("escapes the doctor's records, target and reasons", () => {
      const d = doctorReport();
      assertHtmlSafe(renderDoctorHtml(d), [
        hostile("LOCP5"),
        hostile("FINDINGP6"),
        hostile("REASONP3"),
        hostile("DURL"),
        hostile("DB"),
        H.configurer,
        H.stack,
        hostile("WARN"),
      ]);
    });
  });

  describe("Markdown", () => {
    it("keeps every table's column count, and one row per violation and error", () => {
      const md = renderMarkdown(report);
      const sizes = assertTables(md);
      // Prerequisites (9 + other packs' policies), violations, policy errors.
      assert.deepEqual(sizes, [10, 1, 1]);
      assertMarkdownText(md);
      assert.deepEqual(assertTables(renderMarkdown(invalid)), [2]);
      assertMarkdownText(renderMarkdown(invalid));
    });

    it("shows the hostile text, not a mangled cell", () => {
      const md = renderMarkdown(report);
      const row = md.split("\n").find((l) => l.startsWith("| mandatory"))!;
      assert.ok(row.includes("MSG&lt;script&gt;alert(1)&lt;/script&gt; &amp; "), row);
      assert.ok(row.includes("line2<br>"), "newlines in a cell become <br>");
      assert.ok(row.includes("\\[x\\](https"), "no link from a message");
      // Names in code font: escaped inside <code> (a code span would show entities literally), one line.
      const policy = `<code>POL&lt;script&gt;alert(1)&lt;/script&gt; &amp; "dq" 'sq' &#96;bt&#96; &#96;&#96;&#96; a\\|b c\\\\\\|d line2  line3 \\[x\\](https://evil.example){z};#quot;#35;&lt;b&gt;`;
      assert.ok(row.includes(policy), row);
    });

    it("quotes every Mermaid label and encodes what would end it", () => {
      const labels = mermaidLabels(renderMarkdown(report));
      const shown = (v: string) => labels.some((l) => l.includes(asLabel(v)));
      for (const tag of ["SRC", "WAFMODE", "TIER", "PROTO", "BACKEND", "APP", "KV", "ROLE", "APICLIENT", "URL"]) {
        if (tag === "SRC") continue; // sources are counted, not shown
        assert.ok(shown(hostile(tag)), `the ${tag} label survives: ${labels.join("\n")}`);
      }
      assert.ok(shown(H.resourceName), "the NSG's name");
      assert.ok(shown(H.configurer), "the roster's configurer");
    });

    it("the doctor's tables and text survive too", () => {
      const md = renderDoctorMarkdown(doctorReport());
      assert.deepEqual(assertTables(md), [4, 2]);
      assertMarkdownText(md);
    });
  });

  describe("JUnit", () => {
    it("is well-formed XML without illegal characters, messages kept", () => {
      const xml = renderJunit(report);
      const elements = assertWellFormedXml(xml);
      const failure = elements.find((e) => e.name === "failure");
      assert.ok(failure, "the mandatory violation is a failure");
      assert.ok(decodeXml(failure.attrs.message!).includes(": MSG<script>alert(1)</script> & \"dq\" 'sq'"));
      // The body lists the resource and the whole message (CDATA; "]]>" inside it split, not ending it early).
      const body = /<failure (?:[^>"]|"[^"]*")*>((?:<!\[CDATA\[[\s\S]*?\]\]>)+)<\/failure>/.exec(xml)?.[1] ?? "";
      const text = body.replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, "$1");
      assert.ok(text.includes(`: MSG<script>alert(1)</script> & "dq"`), body);
      assert.ok(text.includes("<b> ]] > -->"), "a ]]> in the message is shown as ]] >");
      assert.ok(decodeXml(failure.attrs.message!).includes("<b> ]]> -->"), "the attribute keeps it as it is");
      const error = elements.find((e) => e.name === "error" && e.attrs.type === "PolicyError");
      assert.ok(error && decodeXml(error.attrs.message!).includes(": ERR<script>"));
      assertWellFormedXml(renderJunit(invalid));
    });

    it("the doctor's JUnit too", () => {
      const elements = assertWellFormedXml(renderDoctorJunit(doctorReport()));
      assert.equal(elements.filter((e) => e.name === "failure").length, 2);
    });
  });

  describe("SARIF", () => {
    it("round-trips through JSON with every string intact", () => {
      for (const r of [report, invalid]) {
        const text = renderSarif(r);
        assert.deepEqual(JSON.parse(text), JSON.parse(JSON.stringify(toSarif(r))));
      }
      const log = JSON.parse(renderSarif(report));
      assert.ok(log.runs[0].results[0].message.text.startsWith(H.message));
      assert.equal(log.runs[0].properties.stack, H.stack);
      const sarifInvalid = JSON.parse(renderSarif(invalid));
      const configResult = sarifInvalid.runs[0].results.find(
        (r: { ruleId: string }) => r.ruleId === "vpconnect-config",
      );
      assert.ok(configResult.message.text.startsWith(`${H.configKey}: ${H.configMessage}`));
      assert.equal(configResult.locations[0].physicalLocation.artifactLocation.uriBaseId, "%SRCROOT%");
    });

    it("the doctor's SARIF round-trips too", () => {
      const log = JSON.parse(renderDoctorSarif(doctorReport()));
      const texts = log.runs[0].results.map((r: { message: { text: string } }) => r.message.text);
      assert.ok(texts.some((t: string) => t.startsWith(hostile("FINDINGP5"))));
    });
  });
});
