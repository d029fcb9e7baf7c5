/* eslint-disable @typescript-eslint/no-explicit-any -- stack config fixtures are untyped YAML, edited freely by each test */
/**
 * Plausible wrong values (issue 19): each is refused by the loader naming the key, and the fix the message offers
 * is applied and loaded again, so a suggested fix always passes the check that suggested it.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { ConfigError, loadStackConfig } from "../../lib/config/load";
import { readRosterFile } from "../../lib/config/rosterFile";
import { parseStackFile } from "../../lib/config/stackFile";
import {
  apiRootProblem,
  backendIpProblem,
  connectClientIdProblem,
  databaseNameProblem,
  hubIsOwnVnetProblem,
  identifierTextProblem,
  identifierUriProblem,
  invisibleCharProblem,
  keyVaultNameProblem,
  redirectUriProblem,
  resourceGroupNameProblem,
  tenantMismatchProblem,
  windowsLoginVersionNote,
  windowsLoginVersionProblem,
} from "../../lib/values/valueRules";

const root = path.resolve(__dirname, "../..");
const devFile = "stacks/Pulumi.dev.yaml";
const devConfig = parseStackFile(readFileSync(path.join(root, devFile), "utf8"), devFile).config;
const TENANT = "7d3c2b1a-4e5f-4a6b-8c9d-0e1f2a3b4c5d";
const OTHER_APP = "0b5f6a7c-1d2e-4f3a-8b9c-0d1e2f3a4b5c";

function dev(edit: (c: Record<string, any>) => void): Record<string, unknown> {
  const copy = structuredClone(devConfig) as Record<string, any>;
  edit(copy);
  return copy;
}

function load(raw: Record<string, unknown>, files: Record<string, string> = {}) {
  return loadStackConfig(raw, {
    source: devFile,
    readFile: (p) => {
      if (p in files) return files[p]!;
      throw Object.assign(new Error("missing"), { code: "ENOENT" });
    },
    parseRosterFile: readRosterFile,
  });
}

function issuesOf(raw: Record<string, unknown>, files: Record<string, string> = {}) {
  try {
    load(raw, files);
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.issues;
  }
  assert.fail("expected the config to be refused");
}

/** The quoted value a message offers after `marker` (e.g. `e.g. "VP_DEV"`). */
function offered(message: string, marker: RegExp): string {
  const match = new RegExp(`${marker.source}\\s*("(?:[^"\\\\]|\\\\.)*")`).exec(message);
  assert.ok(match, `no fix offered after ${marker} in: ${message}`);
  return JSON.parse(match[1]!) as string;
}

interface Case {
  name: string;
  edit: (c: Record<string, any>) => void;
  key: string;
  fragment: string;
  /** Applies the fix the message offers. */
  fix: (c: Record<string, any>, message: string) => void;
  files?: Record<string, string>;
}

const vp = (c: Record<string, any>) => c["vpconnect:vantagepoint"];
const CASES: Case[] = [
  {
    name: "apiUrl at the server root",
    edit: (c) => (vp(c).apiUrl = "https://vp-dev-web.corp.example.com"),
    key: "vpconnect:vantagepoint.apiUrl",
    fragment: "is the server's root; give the API root",
    fix: (c, m) => (vp(c).apiUrl = offered(m, /e\.g\./)),
  },
  {
    name: "apiUrl ending in /api/token",
    edit: (c) => (vp(c).apiUrl = "https://vp-dev-web.corp.example.com/vantagepoint/api/token"),
    key: "vpconnect:vantagepoint.apiUrl",
    fragment: "is the token endpoint",
    fix: (c, m) => (vp(c).apiUrl = offered(m, /without \/token,/)),
  },
  {
    name: "apiUrl of the web app",
    edit: (c) => (vp(c).apiUrl = "https://vp-dev-web.corp.example.com/vantagepoint/app"),
    key: "vpconnect:vantagepoint.apiUrl",
    fragment: "is the Vantagepoint web app, not its API",
    fix: (c, m) => (vp(c).apiUrl = offered(m, /e\.g\./)),
  },
  {
    name: "database with an injected statement",
    edit: (c) => (vp(c).database = "VP_DEV; DROP DATABASE VP_DEV;--"),
    key: "vpconnect:vantagepoint.database",
    fragment: "(connection-string syntax)",
    fix: (c, m) => (vp(c).database = offered(m, /e\.g\./)),
  },
  {
    name: "database in curly quotes",
    edit: (c) => (vp(c).database = "\u201cVP_DEV\u201d"),
    key: "vpconnect:vantagepoint.database",
    fragment: "contains the quote",
    fix: (c, m) => (vp(c).database = offered(m, /e\.g\./)),
  },
  {
    name: "client ID with a trailing no-break space",
    edit: (c) => (vp(c).clientId = "vpconnect-provisioning\u00a0"),
    key: "vpconnect:vantagepoint.clientId",
    fragment: "has a no-break space (U+00A0) at the end",
    fix: (c, m) => (vp(c).clientId = offered(m, /give it without,/)),
  },
  {
    name: "Connect's Client ID equal to the project's own",
    edit: (c) => (vp(c).connectApiClient.clientId = "VPCONNECT-provisioning"),
    key: "vpconnect:vantagepoint.connectApiClient.clientId",
    fragment: "is the Client ID this project signs in with",
    fix: (c) => delete vp(c).connectApiClient.clientId,
  },
  {
    name: "identifier URI naming another app's ID",
    edit: (c) => (c["vpconnect:entra"].loginApp.identifierUri = `api://${OTHER_APP}`),
    key: "vpconnect:entra.loginApp.identifierUri",
    fragment: "this is another app's",
    fix: (c, m) => (c["vpconnect:entra"].loginApp.identifierUri = offered(m, /use/)),
  },
  {
    name: "identifier URI on a .local domain",
    edit: (c) => (c["vpconnect:entra"].loginApp.identifierUri = "https://vantagepoint.corp.local/api"),
    key: "vpconnect:entra.loginApp.identifierUri",
    fragment: ".local is reserved for local networks",
    fix: (c, m) => (c["vpconnect:entra"].loginApp.identifierUri = offered(m, /use/)),
  },
  {
    name: "redirect URI with a fragment",
    edit: (c) =>
      (c["vpconnect:entra"].loginApp.redirectUri =
        "https://vantagepoint.example.com/vantagepoint/app#/login"),
    key: "vpconnect:entra.loginApp.redirectUri",
    fragment: "RFC 6749 section 3.1.2",
    fix: (c, m) => (c["vpconnect:entra"].loginApp.redirectUri = offered(m, /; use/)),
  },
  {
    name: "entra.tenantId differs from azuread:tenantId",
    edit: (c) => (c["azuread:tenantId"] = OTHER_APP),
    key: "vpconnect:entra.tenantId",
    fragment: "differs from azuread:tenantId",
    fix: (c) => (c["azuread:tenantId"] = TENANT.toUpperCase()),
  },
  {
    name: "Windows login on 4.5",
    edit: (c) => {
      c["vpconnect:entra"].loginMode = "windows";
      delete c["vpconnect:entra"].loginApp;
      vp(c).version = "4.5";
    },
    key: "vpconnect:entra.loginMode",
    fragment: "not supported on 3.5 and 4.5",
    fix: (c) => (vp(c).version = "7.0"),
  },
  {
    name: "backend address 0.0.0.0",
    edit: (c) => (c["vpconnect:site"].backend.address = "0.0.0.0"),
    key: "vpconnect:site.backend.address",
    fragment: "which no server has",
    fix: (c, m) => (c["vpconnect:site"].backend.address = /e\.g\. (\S+),/.exec(m)![1]!),
  },
  {
    name: "resource group name ending in a period",
    edit: (c) => (c["vpconnect:azure"].resourceGroupName = "rg-vpconnect-dev."),
    key: "vpconnect:azure.resourceGroupName",
    fragment: "cannot end in a period",
    fix: (c, m) => (c["vpconnect:azure"].resourceGroupName = offered(m, /: use/)),
  },
  {
    name: "hub VNet id equal to the stack's own VNet",
    edit: (c) =>
      (c["vpconnect:azure"].network.hub.virtualNetworkId =
        "/subscriptions/3f2b8c1d-5e6a-4b7c-9d8e-1a2b3c4d5e6f/resourceGroups/RG-vpconnect-dev/providers/Microsoft.Network/virtualNetworks/vpconnect-dev-vnet"),
    key: "vpconnect:azure.network.hub.virtualNetworkId",
    fragment: "cannot be peered to itself",
    fix: (c) =>
      (c["vpconnect:azure"].network.hub.virtualNetworkId =
        "/subscriptions/3f2b8c1d-5e6a-4b7c-9d8e-1a2b3c4d5e6f/resourceGroups/rg-connectivity/providers/Microsoft.Network/virtualNetworks/vnet-hub-weu"),
  },
  {
    name: "Key Vault name with two hyphens",
    edit: (c) => (c["vpconnect:tls"].keyVault.name = "kv--vpconnect-dev"),
    key: "vpconnect:tls.keyVault.name",
    fragment: "has two hyphens in a row",
    fix: (c, m) => (c["vpconnect:tls"].keyVault.name = offered(m, /e\.g\./)),
  },
  {
    name: "two users sharing one employee key",
    edit: (c) => {
      const users = c["vpconnect:roster"].users;
      users[1].employee = "00201";
      users[3].employee = "00201";
    },
    key: "vpconnect:roster.users[3].employee",
    fragment: "is also the employee key at vpconnect:roster.users[1]",
    fix: (c) => delete c["vpconnect:roster"].users[3].employee,
  },
  {
    name: "email with a soft hyphen",
    edit: (c) => (c["vpconnect:roster"].users[0].email = "alex.lee@exam\u00adple.com"),
    key: "vpconnect:roster.users[0].email",
    fragment: "contains a soft hyphen (U+00AD) at character 14",
    fix: (c, m) => (c["vpconnect:roster"].users[0].email = offered(m, /e\.g\./)),
  },
  {
    name: "user ID with a zero-width joiner",
    edit: (c) => (c["vpconnect:roster"].users[2].userId = "SC\u200dHEN"),
    key: "vpconnect:roster.users[2].userId",
    fragment: "contains a zero-width joiner (U+200D)",
    fix: (c, m) => (c["vpconnect:roster"].users[2].userId = offered(m, /e\.g\./)),
  },
  {
    name: "employee given as a JSON number in a roster file",
    edit: (c) => (c["vpconnect:roster"].file = "people.json"),
    files: {
      "people.json": JSON.stringify([
        {
          userId: "TWEBB",
          email: "tess.webb@example.com",
          firstName: "Tess",
          lastName: "Webb",
          employee: 201,
        },
      ]),
    },
    key: "people.json entry 0 employee",
    fragment: "must be text, not 201; put the value in quotes",
    fix: (c) => (c["vpconnect:roster"].file = "fixed.json"),
  },
];

describe("plausible wrong values (valueRules): refused by name, and the offered fix loads", () => {
  for (const spec of CASES) {
    it(spec.name, () => {
      const files = {
        ...spec.files,
        "fixed.json": JSON.stringify([
          {
            userId: "TWEBB",
            email: "tess.webb@example.com",
            firstName: "Tess",
            lastName: "Webb",
            employee: "201",
          },
        ]),
      };
      const issues = issuesOf(dev(spec.edit), files);
      const issue = issues.find((i) => i.key === spec.key && i.message.includes(spec.fragment));
      assert.ok(
        issue,
        `no issue at ${spec.key} with "${spec.fragment}":\n${issues.map((i) => `${i.key}: ${i.message}`).join("\n")}`,
      );
      const fixed = dev((c) => {
        spec.edit(c);
        spec.fix(c, issue.message);
      });
      const loaded = load(fixed, files);
      assert.ok(loaded.roster.length >= 6);
    });
  }

  it("a YAML merge key (<<: *anchor) is expanded as Pulumi's reader does", () => {
    const text = readFileSync(path.join(root, devFile), "utf8");
    const from = "    tags:\n      environment: dev\n      owner: platform-team\n";
    assert.ok(text.includes(from));
    const yaml = text.replace(
      from,
      '    tags:\n      <<: &companyTags { environment: dev, owner: platform-team }\n      costCenter: "4711"\n',
    );
    const loaded = load(parseStackFile(yaml, devFile).config);
    assert.deepEqual(loaded.config.azure.tags, {
      environment: "dev",
      owner: "platform-team",
      costCenter: "4711",
    });
  });
});

describe("value rules, one by one", () => {
  it("apiRootProblem accepts the API root and names each wrong shape", () => {
    assert.equal(apiRootProblem("https://vp.example.com/vantagepoint/api"), undefined);
    assert.equal(apiRootProblem("http://127.0.0.1:8080/vantagepoint/api"), undefined);
    assert.equal(
      apiRootProblem("https://vp.example.com/vantagepoint/api/token"),
      '"https://vp.example.com/vantagepoint/api/token" is the token endpoint; give the API root without /token, "https://vp.example.com/vantagepoint/api" (Deltek: the API root is https://<host>/<instance>/api)',
    );
    assert.match(
      apiRootProblem("https://vp.example.com/vantagepoint/api/employee")!,
      /points below the API root; give the root, "https:\/\/vp\.example\.com\/vantagepoint\/api"/,
    );
    assert.match(
      apiRootProblem("https://vp.example.com/")!,
      /e\.g\. "https:\/\/vp\.example\.com\/vantagepoint\/api"/,
    );
    assert.match(
      apiRootProblem("https://vp.example.com/vp")!,
      /does not end in "\/api"; give the API root, e.g\. "https:\/\/vp\.example\.com\/vp\/api"/,
    );
  });

  it("databaseNameProblem: plain names pass; quotes, separators and padding are refused with a fix that passes", () => {
    for (const ok of ["VP_DEV", "Vantagepoint Prod", "vp-2025.1"])
      assert.equal(databaseNameProblem(ok), undefined, ok);
    for (const bad of [
      "'VP_DEV'",
      "\u2018VP_DEV\u2019",
      "VP_DEV;",
      "Database=VP_DEV",
      "[VP_DEV]",
      " VP_DEV",
      "VP_DEV\u00a0",
    ]) {
      const problem = databaseNameProblem(bad);
      assert.ok(problem, bad);
      const fix = /e\.g\. ("[^"]*")|without, ("[^"]*")/.exec(problem);
      if (fix) assert.equal(databaseNameProblem(JSON.parse(fix[1] ?? fix[2]!)), undefined, problem);
    }
    assert.match(databaseNameProblem("x".repeat(129))!, /at most 128/);
  });

  it("identifierTextProblem and invisibleCharProblem: exact messages", () => {
    assert.equal(identifierTextProblem("abc"), undefined);
    assert.equal(identifierTextProblem(" abc"), 'has a space at the start; give it without, "abc"');
    assert.equal(
      identifierTextProblem("abc\u202f"),
      'has a space (U+202F) at the end; give it without, "abc"',
    );
    assert.equal(
      invisibleCharProblem("a\u200cb"),
      'contains a zero-width non-joiner (U+200C) at character 2, which no one sees; type it again without it, e.g. "ab"',
    );
    assert.equal(invisibleCharProblem("plain@example.com"), undefined);
  });

  it("connectClientIdProblem compares as SQL Server does (case and padding ignored)", () => {
    assert.ok(connectClientIdProblem("ABC ", "abc"));
    assert.equal(connectClientIdProblem("connect-1", "abc"), undefined);
  });

  it("identifierUriProblem: Microsoft's accepted forms pass", () => {
    for (const ok of [
      "api://vantagepoint.example.com/api",
      `api://${TENANT}/vantagepoint`,
      "https://vantagepoint.example.com/api",
    ])
      assert.equal(identifierUriProblem(ok, TENANT), undefined, ok);
    assert.match(identifierUriProblem(`api://${TENANT}`, TENANT)!, /tenant ID without a name/);
    assert.match(identifierUriProblem("api://vantagepoint", TENANT)!, /no domain/);
    assert.match(identifierUriProblem(`api://${OTHER_APP}`)!, /remove identifierUri/);
    assert.match(identifierUriProblem("api://vp.corp.lan/x", TENANT)!, /\.lan is reserved/);
  });

  it("redirectUriProblem, tenantMismatchProblem", () => {
    assert.equal(redirectUriProblem("https://a.example.com/app"), undefined);
    assert.equal(
      redirectUriProblem("https://a.example.com/app#x"),
      '"https://a.example.com/app#x" has a fragment ("#..."), which a redirect URI must not have (RFC 6749 section 3.1.2); use "https://a.example.com/app"',
    );
    assert.equal(tenantMismatchProblem(TENANT, undefined), undefined);
    assert.equal(tenantMismatchProblem(TENANT, TENANT.toUpperCase()), undefined);
    assert.ok(tenantMismatchProblem(TENANT, OTHER_APP));
  });

  it("windows login: refused before 5.0, a note on 5.x, fine from 6.0 and on date-numbered releases", () => {
    assert.ok(windowsLoginVersionProblem("3.5"));
    assert.ok(windowsLoginVersionProblem("4.5"));
    assert.equal(windowsLoginVersionProblem("5.0"), undefined);
    assert.ok(windowsLoginVersionNote("5.0"));
    assert.equal(windowsLoginVersionProblem("6.0"), undefined);
    assert.equal(windowsLoginVersionNote("2025.1"), undefined);
    assert.equal(windowsLoginVersionProblem("2025.1"), undefined);
  });

  it("Azure names and addresses", () => {
    assert.equal(resourceGroupNameProblem("rg-vp.prod"), undefined);
    assert.match(resourceGroupNameProblem("rg.")!, /: use "rg"$/);
    assert.match(resourceGroupNameProblem("x".repeat(91))!, /at most 90/);
    assert.equal(keyVaultNameProblem("kv-vpconnect-dev"), undefined);
    assert.match(keyVaultNameProblem("kv-vp-")!, /e\.g\. "kv-vp"$/);
    assert.match(keyVaultNameProblem("1kv")!, /is not a Key Vault name/);
    assert.equal(
      hubIsOwnVnetProblem(
        "/subscriptions/x/resourceGroups/rg-hub/providers/Microsoft.Network/virtualNetworks/vpconnect-vnet",
        "rg",
        "vpconnect",
      ),
      undefined,
    );
    assert.ok(
      hubIsOwnVnetProblem(
        "/subscriptions/x/resourceGroups/RG/providers/Microsoft.Network/virtualNetworks/VPCONNECT-vnet",
        "rg",
        "vpconnect",
      ),
    );
    for (const bad of ["0.0.0.0", "127.0.0.1", "255.255.255.255", "239.1.1.1", "::", "::1", "ff02::1"])
      assert.ok(backendIpProblem(bad), bad);
    for (const ok of ["10.20.0.10", "203.0.113.7", "fd00::10", "vp.corp.example.com"])
      assert.equal(backendIpProblem(ok), undefined, ok);
  });
});
