/**
 * The fleet dashboard in a real headless browser (Debian's Chromium driven by playwright-core): what a person
 * sees (text, row order, the colours of verdicts and secret end dates), not pixels. `.ci/run` installs Chromium;
 * under CI the test must run; elsewhere, without Chromium, it says so and is skipped.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { chromium } from "playwright-core";
import type { Browser, Page } from "playwright-core";
import { buildFleetReport } from "../../lib/reports/fleet";
import type { SiteOutcome } from "../../lib/reports/fleet";
import { renderFleetHtml } from "../../lib/reports/fleetHtml";
import type { CheckReport } from "../../lib/reports";

/** The page's own function (the project's tsconfig has no DOM library; this runs in the browser). */
declare const getComputedStyle: (element: unknown) => { backgroundColor: string };

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const NOW = new Date("2026-12-06T12:00:00Z");

/** The smallest CheckReport a fleet row reads: a verdict, P2's policy, and the secrets it declares. */
function report(
  stack: string,
  opts: { exitCode: 0 | 1 | 2; p2?: "pass" | "fail"; secretEnd?: string; invalid?: boolean },
): CheckReport {
  const p2Violations =
    opts.p2 === "fail"
      ? [
          {
            pack: "vantagepoint-connect",
            policy: "allow-list-connect-ips",
            level: "mandatory" as const,
            urn: null,
            message: "must admit 198.51.100.0/24",
            prerequisite: "P2",
          },
        ]
      : [];
  return {
    tool: { name: "vpconnect", version: "test" },
    stack,
    project: "vantagepoint-connect",
    stackFile: `stacks/Pulumi.${stack}.yaml`,
    program: "index.ts",
    resources: opts.secretEnd
      ? [
          {
            urn: `urn:pulumi:${stack}::p::azuread:index/applicationPassword:ApplicationPassword::login-password`,
            type: "azuread:index/applicationPassword:ApplicationPassword",
            name: "login-password",
            custom: true,
            parent: "",
            protect: false,
            retainOnDelete: false,
            additionalSecretOutputs: [],
            dependencies: [],
            provider: "",
            inputs: { endDate: opts.secretEnd },
            outputs: {},
            secretPaths: [],
          },
        ]
      : [],
    outputs: {},
    packs: [],
    policies: opts.invalid
      ? []
      : [
          {
            pack: "vantagepoint-connect",
            name: "allow-list-connect-ips",
            description: "",
            level: "mandatory",
            prerequisite: "P2",
            kind: "resource",
            results: {
              evaluated: 1,
              passed: opts.p2 === "fail" ? 0 : 1,
              violations: p2Violations.length,
              notApplicable: 0,
              errors: 0,
            },
            applicable: 1,
            durationMs: 1,
          },
        ],
    evaluations: [],
    violations: p2Violations,
    errors: [],
    configIssues: opts.invalid
      ? [{ file: `stacks/Pulumi.${stack}.yaml`, key: "vpconnect:entra.tenantId", message: "must be a GUID" }]
      : [],
    notes: [],
    summary: {
      resources: 1,
      policies: 1,
      mandatory: p2Violations.length,
      advisory: 0,
      remediate: 0,
      errors: 0,
      passed: opts.exitCode === 0,
    },
    exitCode: opts.exitCode,
  } as CheckReport;
}

function outcome(r: CheckReport): SiteOutcome {
  return { stack: r.stack, stackFile: r.stackFile, report: r, durationMs: 1000 };
}

describe("the fleet dashboard in headless Chromium", function () {
  this.timeout(120_000);
  let browser: Browser | undefined;
  let page: Page;
  let dir: string;

  before(async function () {
    if (!fs.existsSync(CHROMIUM)) {
      if (process.env.CI === "true")
        throw new Error(`${CHROMIUM} is missing: .ci/run installs Debian's chromium for this test`);
      console.log(
        `    (skipped: no Chromium at ${CHROMIUM}; apt-get install chromium, or set CHROMIUM_PATH)`,
      );
      this.skip();
    }
    const fleet = buildFleetReport(
      [
        outcome(report("alpha", { exitCode: 0, p2: "pass", secretEnd: "2027-06-01T00:00:00Z" })),
        outcome(report("bravo", { exitCode: 1, p2: "fail", secretEnd: "2026-12-20T00:00:00Z" })),
        {
          stack: "charlie",
          stackFile: "stacks/Pulumi.charlie.yaml",
          refused: "--policy-pack: no such folder",
          durationMs: 5,
        },
        outcome(report("delta", { exitCode: 2, invalid: true })),
        outcome(report("echo", { exitCode: 0, p2: "pass", secretEnd: "2026-11-30T00:00:00Z" })),
      ],
      {
        tool: { name: "vpconnect", version: "test" },
        now: NOW,
        ipCopy: { copiedOn: "2026-05-01", placeholder: false },
      },
    );
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "vpconnect-dashboard-"));
    fs.writeFileSync(path.join(dir, "fleet.html"), renderFleetHtml(fleet));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`file://${path.join(dir, "fleet.html")}`);
  });
  after(async () => {
    await browser?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("leads with the fleet verdict", async () => {
    assert.equal(
      (await page.locator("#fleet-verdict").innerText()).trim(),
      "FLEET NOT ALL CHECKED: 5 sites, 2 passed, 1 failed, 1 invalid config, 1 refused. Exit 2.",
    );
  });

  it("lists the sites worst first: refused, invalid, failed, then passed by name", async () => {
    const rows = await page
      .locator("#sites tbody tr")
      .evaluateAll((trs) =>
        trs.map((tr) => [tr.children[0].textContent?.trim(), tr.children[1].textContent?.trim()]),
      );
    assert.deepEqual(rows, [
      ["charlie", "REFUSED"],
      ["delta", "INVALID"],
      ["bravo", "FAILED"],
      ["alpha", "PASSED"],
      ["echo", "PASSED"],
    ]);
  });

  /** The background colour of a site's verdict badge, as the browser computed it. */
  const verdictColour = (stack: string) =>
    page
      .locator("#sites tbody tr", { hasText: stack })
      .locator("[data-verdict]")
      .evaluate((el) => getComputedStyle(el).backgroundColor);

  it("colours verdicts: red for refused, invalid and failed; amber for a pass that left prerequisites unchecked", async () => {
    const red = "rgb(255, 235, 233)";
    assert.equal(await verdictColour("charlie"), red);
    assert.equal(await verdictColour("delta"), red);
    assert.equal(await verdictColour("bravo"), red);
    // alpha checked only P2 here: a pass with P1, P3-P8 not checked is amber, never green.
    assert.equal(await verdictColour("alpha"), "rgb(255, 248, 197)");
  });

  it("shows each secret's end date: amber within 30 days, red once expired, green otherwise", async () => {
    const badge = (stack: string) =>
      page.locator("#sites tbody tr", { hasText: stack }).locator("td").last().locator(".badge");
    assert.equal(await badge("bravo").innerText(), "2026-12-20 (13 d left)");
    assert.equal(
      await badge("bravo").evaluate((el) => getComputedStyle(el).backgroundColor),
      "rgb(255, 248, 197)",
    );
    assert.equal(await badge("echo").innerText(), "2026-11-30 (expired 7 d ago)");
    assert.equal(
      await badge("echo").evaluate((el) => getComputedStyle(el).backgroundColor),
      "rgb(255, 235, 233)",
    );
    assert.equal(
      await badge("alpha").evaluate((el) => getComputedStyle(el).backgroundColor),
      "rgb(218, 251, 225)",
    );
  });

  it("says the Connect IP copy's age, and flags one older than 180 days", async () => {
    assert.equal(
      (await page.locator("#ip-copy").innerText()).trim(),
      "Connect IP copy: copied on 2026-05-01, 219 days ago older than 180 days",
    );
  });

  it("says why a site was not checked, under the table", async () => {
    assert.match(await page.locator("#site-charlie + ul").innerText(), /--policy-pack: no such folder/);
    assert.match(
      await page.locator("#site-delta + ul").innerText(),
      /INVALID CONFIG: 1 problem in the stack config/,
    );
    await page.screenshot({ path: path.join(dir, "fleet.png"), fullPage: true });
    assert.ok(fs.statSync(path.join(dir, "fleet.png")).size > 10_000, "a screenshot of the page was taken");
  });
});
