/* eslint-disable @typescript-eslint/no-explicit-any -- stack config fixtures are untyped YAML, edited freely by each test */
/**
 * lib/site/view.ts: how one rule names a field for its two callers. A library caller sees the arg path it wrote
 * (`backend.hostName`); the bundled program's user sees the stack key they wrote (`site.backend.hostHeader`). Each
 * arg path below is one a site rule reports, with the stack key a person must edit to fix it, checked against the
 * bundled program's own mapping (program/siteArgs.ts maps stack config to args the other way): a wrong row would
 * send the person to a key that does not hold the value.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { plainView } from "../../components/argsCheck";
import { loadStackConfig } from "../../lib/config/load";
import { parseStackFile } from "../../lib/config/stackFile";
import { certificateRules } from "../../lib/site/rules";
import {
  hasUnknown,
  items,
  LIBRARY_CALLER,
  SECRET_NOT_AT_HAND,
  STACK_CALLER,
  stackKeyOf,
  str,
  UNKNOWN,
} from "../../lib/site/view";
import { siteArgsFromConfig } from "../../program/siteArgs";

const root = path.resolve(__dirname, "../..");
const devFile = "stacks/Pulumi.dev.yaml";
const NOW = new Date("2026-12-06T12:00:00Z");

/** The dev stack with every mapped section present (a host header, an enabled mailbox app), loaded and mapped. */
function devSite() {
  const raw = structuredClone(
    parseStackFile(readFileSync(path.join(root, devFile), "utf8"), devFile).config,
  ) as Record<string, any>;
  raw["vpconnect:site"].backend.hostHeader = "vp-dev-web.corp.example.com";
  raw["vpconnect:site"].httpListener = "redirect";
  raw["vpconnect:azure"].dns = {
    zoneName: "example.com",
    zoneResourceGroupName: "rg-dns",
    recordName: "vantagepoint",
  };
  raw["vpconnect:vantagepoint"].connectApiClient.clientId = "8c0f6c1e-2d4b-4f7a-9e3c-5b1a7d9e2f40";
  raw["vpconnect:entra"].mailboxApp = {
    enabled: true,
    displayName: "Vantagepoint Connect mailbox (dev)",
    secretRotatedOn: "2026-11-01",
  };
  const loaded = loadStackConfig(raw, {
    source: devFile,
    secretOverrides: {
      "vantagepoint.password": "sentinel-view-password",
      "vantagepoint.clientSecret": "sentinel-view-secret",
    },
  });
  return { config: loaded.config as unknown as Record<string, unknown>, args: siteArgsFromConfig(loaded) };
}

/** The value at a dotted path (`a.b[2].c`), or undefined. */
function at(root: unknown, dotted: string): unknown {
  let value = root;
  for (const part of dotted.split(/\.|\[|\]\.?/).filter(Boolean)) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/**
 * [arg path a rule reports, stack key the person edits]. The ones the program copies unchanged are checked to hold
 * the same value in the dev stack; the others (derived, secret or list-merged values) are the key alone.
 */
const COPIED: Array<[string, string]> = [
  ["namePrefix", "azure.namePrefix"],
  ["location", "azure.location"],
  ["resourceGroup.name", "azure.resourceGroupName"],
  ["resourceGroup.create", "azure.createResourceGroup"],
  ["tags", "azure.tags"],
  ["tags.environment", "azure.tags.environment"],
  ["network.addressSpace", "azure.network.addressSpace"],
  ["network.gatewaySubnetPrefix", "azure.network.gatewaySubnetPrefix"],
  ["network.hub.virtualNetworkId", "azure.network.hub.virtualNetworkId"],
  ["dns", "azure.dns"],
  ["diagnostics", "azure.diagnostics"],
  ["publicHostname", "site.publicHostname"],
  ["vantagepointPath", "site.vantagepointPath"],
  ["backend.hostName", "site.backend.hostHeader"],
  ["backend.address", "site.backend.address"],
  ["backend.port", "site.backend.port"],
  ["httpListener", "site.httpListener"],
  ["ipv6Frontend", "site.ipv6Frontend"],
  ["allowList.audience", "site.audience"],
  ["allowList.connectIps", "allowList.connectIps"],
  ["allowList.connectIps[1]", "allowList.connectIps[1]"],
  ["allowList.extraRanges[0]", "allowList.extraRanges[0]"],
  ["allowList.enforceAt", "allowList.enforceAt"],
  ["tls.keyVault.create", "tls.keyVault.create"],
  ["tls.certificateName", "tls.certificateName"],
  ["tenantId", "entra.tenantId"],
  ["loginApp.secretRotatedOn", "entra.loginApp.secretRotatedOn"],
  ["loginApp.displayName", "entra.loginApp.displayName"],
  ["mailboxApp.secretRotatedOn", "entra.mailboxApp.secretRotatedOn"],
  ["mailboxApp.displayName", "entra.mailboxApp.displayName"],
  ["verification.mode", "site.verification"],
  ["verification.apiUrl", "vantagepoint.apiUrl"],
  ["verification.certificateMinDays", "tls.certificateMinDaysLeft"],
  ["vantagepoint.rosterOnDelete", "roster.onDelete"],
  ["vantagepoint.connectApiClient.clientId", "vantagepoint.connectApiClient.clientId"],
];

const KEY_ONLY: Array<[string, string]> = [
  // Derived by the program (gatewayZones, locksEnabled, newEmployeeRule, the login URL rule).
  ["zones", "azure.zones"],
  ["locks", "azure.locks"],
  ["vantagepoint.newEmployees", "roster.newEmployees"],
  ["vantagepoint.newEmployees.prefix", "roster.newEmployees.prefix"],
  ["verification.loginUrl", "entra.loginApp.redirectUri"],
  // Inside the connection secret: the stack keeps them in the vantagepoint section.
  ["vantagepoint.connection.url", "vantagepoint.apiUrl"],
  ["vantagepoint.connection.clientId", "vantagepoint.clientId"],
  ["vantagepoint.connection", "vantagepoint"],
  // The merged roster (configurer, users, file, group).
  ["vantagepoint.roster", "roster"],
  ["vantagepoint.roster[3].email", "roster[3].email"],
  ["vantagepoint", "vantagepoint"],
  // Under no prefix: kept as written.
  ["gatewayCreatedWith", "gatewayCreatedWith"],
  ["appOwners[0]", "appOwners[0]"],
];

describe("lib/site/view: a field named for its caller, exact", () => {
  const { config, args } = devSite();

  describe("the stack key of each arg path a rule reports", () => {
    for (const [argPath, stackKey] of COPIED) {
      it(`${argPath} -> ${stackKey}, where the dev stack holds the same value`, () => {
        assert.equal(stackKeyOf(argPath), stackKey);
        assert.equal(STACK_CALLER.key(argPath), stackKey);
        assert.equal(LIBRARY_CALLER.key(argPath), argPath);
        const value = at(args, argPath);
        assert.notEqual(value, undefined, `the dev stack sets ${stackKey}`);
        assert.deepEqual(value, at(config, stackKey));
      });
    }
    for (const [argPath, stackKey] of KEY_ONLY) {
      it(`${argPath} -> ${stackKey}`, () => {
        assert.equal(stackKeyOf(argPath), stackKey);
        assert.equal(STACK_CALLER.key(argPath), stackKey);
      });
    }
  });

  it("a prefix is matched only on a whole name: vantagepointPath is not under vantagepoint, tagsX not under tags", () => {
    assert.equal(stackKeyOf("vantagepointPath"), "site.vantagepointPath");
    assert.equal(stackKeyOf("tagsExtra"), "tagsExtra");
    assert.equal(stackKeyOf("networkRules.x"), "networkRules.x");
    assert.equal(stackKeyOf("backendPool"), "backendPool");
    assert.equal(stackKeyOf("namePrefix2"), "namePrefix2");
  });

  it("the tls rule's message in each caller's words: arg path and quoted value, or stack key, bare value and the config command", () => {
    const view = {
      resourceGroup: { create: true },
      tls: {
        keyVault: { name: "kv-vpconnect-dev", create: true },
        certificateSource: "keyVault",
        certificateName: "vantagepoint-example-com",
      },
    };
    const library = certificateRules(view, LIBRARY_CALLER, NOW).map((p) => `${p.path}: ${p.message}`);
    const stack = certificateRules(view, STACK_CALLER, NOW).map((p) => `${p.path}: ${p.message}`);
    assert.deepEqual(library, [
      `tls.certificateSource: "keyVault" with tls.keyVault.create: true cannot deploy: a new vault is empty, and Application Gateway fails to create a listener whose certificate it cannot read. Import the certificate here (tls.certificateSource: "pfx", then pass tls.pfx as a Pulumi secret, e.g. config.requireSecret(...) holding "$(base64 -w0 certificate.pfx)"), or name an existing vault that already holds "vantagepoint-example-com" (tls.keyVault.create: false)`,
    ]);
    assert.deepEqual(stack, [
      `tls.certificateSource: keyVault with tls.keyVault.create: true cannot deploy: a new vault is empty, and Application Gateway fails to create a listener whose certificate it cannot read. Import the certificate here (tls.certificateSource: pfx, then run pulumi config set --secret --path 'vpconnect:tls.pfx' "$(base64 -w0 certificate.pfx)"), or name an existing vault that already holds "vantagepoint-example-com" (tls.keyVault.create: false)`,
    ]);
  });

  it("the secret fix names the stack key of a secret under a mapped prefix", () => {
    assert.equal(
      STACK_CALLER.secretFix("vantagepoint.connection.url", "https://vp.example.com/vantagepoint/api"),
      "run pulumi config set --secret --path 'vpconnect:vantagepoint.apiUrl' https://vp.example.com/vantagepoint/api",
    );
    assert.equal(STACK_CALLER.value("Https"), "Https");
    assert.equal(LIBRARY_CALLER.value("Https"), '"Https"');
  });

  describe("values not known yet", () => {
    it("UNKNOWN is the registered symbol, so two copies of the library (dist and source) share it", () => {
      assert.equal(UNKNOWN, Symbol.for("vantagepoint-connect.unknown"));
    });

    it("a secret the program cannot decrypt is unknown to the args check; an empty string a caller wrote is checked", () => {
      assert.equal(SECRET_NOT_AT_HAND, "[encrypted]");
      const { view, pending } = plainView({ namePrefix: "", tls: { pfx: "[encrypted]" }, tenantId: " " });
      assert.deepEqual(view, { namePrefix: "", tls: { pfx: UNKNOWN }, tenantId: " " });
      assert.deepEqual(pending, []);
    });

    it("hasUnknown finds an unknown value at any depth, and nothing in known data", () => {
      assert.equal(hasUnknown(UNKNOWN), true);
      assert.equal(hasUnknown(["203.0.113.0/24", UNKNOWN]), true);
      assert.equal(hasUnknown({ tls: { keyVault: { name: UNKNOWN } } }), true);
      assert.equal(hasUnknown([{ userId: "ALEE", email: UNKNOWN }]), true);
      assert.equal(hasUnknown(["203.0.113.0/24", "198.51.100.0/24"]), false);
      assert.equal(hasUnknown({ tls: { keyVault: { name: "kv", create: true } }, port: 443 }), false);
      assert.equal(hasUnknown(null), false);
      assert.equal(hasUnknown(undefined), false);
      assert.equal(hasUnknown("vantagepoint-connect.unknown"), false);
      assert.equal(hasUnknown([]), false);
      assert.equal(hasUnknown({}), false);
      assert.equal(hasUnknown({ a: null, b: [null, 0, ""] }), false);
    });

    it("items keeps a list's known text with its place; a value that is not a list has none", () => {
      assert.deepEqual(items(["203.0.113.0/24", UNKNOWN, 24, null, "198.51.100.0/24"]), [
        [0, "203.0.113.0/24"],
        [4, "198.51.100.0/24"],
      ]);
      assert.deepEqual(items([UNKNOWN]), []);
      assert.deepEqual(items([]), []);
      assert.deepEqual(items("203.0.113.0/24"), []);
      assert.deepEqual(items(UNKNOWN), []);
      assert.deepEqual(items(undefined), []);
    });

    it("str is the text or nothing", () => {
      assert.equal(str("vpconnect-dev"), "vpconnect-dev");
      assert.equal(str(""), "");
      assert.equal(str(UNKNOWN), undefined);
      assert.equal(str(42), undefined);
    });
  });

  it("a component's Output stays pending and unknown", () => {
    const { view, pending } = plainView({ namePrefix: pulumi.output("vpconnect-dev") });
    assert.deepEqual(view, { namePrefix: UNKNOWN });
    assert.deepEqual(
      pending.map((p) => p.path),
      [["namePrefix"]],
    );
  });
});
