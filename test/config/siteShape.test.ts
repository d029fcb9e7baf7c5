/* eslint-disable @typescript-eslint/no-explicit-any -- stack config fixtures are untyped YAML, edited freely by each test */
/**
 * Site shapes that cannot deploy or cannot work (lib/config/siteShape.ts): each is written the way a person gets
 * it wrong, refused at the key they wrote, and the fix the message gives loads.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import * as fs from "node:fs";
import * as path from "node:path";
import { ConfigError, loadStackConfig } from "../../lib/config/load";
import type { LoadOptions } from "../../lib/config/load";
import {
  apiThroughPublicUrl,
  effectiveBackendRoute,
  effectiveRouteTable,
  gatewayZones,
  locksEnabled,
  pemToBase64Der,
  pfxProblem,
  trustedRootProblem,
  vaultFirewall,
} from "../../lib/config/siteShape";
import { readRosterFile } from "../../lib/config/rosterFile";
import { parseStackFile } from "../../lib/config/stackFile";
import { makeCertificates } from "../verification/tlsFixtures";
import type { Certificates } from "../verification/tlsFixtures";

const root = path.resolve(__dirname, "../..");
const stack = (name: string) => {
  const file = `stacks/Pulumi.${name}.yaml`;
  return parseStackFile(readFileSync(path.join(root, file), "utf8"), file).config;
};
const devConfig = stack("dev");
const prodConfig = stack("prod");
const HUB =
  "/subscriptions/3f2b8c1d-5e6a-4b7c-9d8e-1a2b3c4d5e6f/resourceGroups/rg-connectivity/providers/Microsoft.Network/virtualNetworks/vnet-hub-weu";

function dev(edit: (c: Record<string, any>) => void = () => {}): Record<string, unknown> {
  const copy = structuredClone(devConfig) as Record<string, any>;
  edit(copy);
  return copy;
}

function load(raw: Record<string, unknown>, options: Partial<LoadOptions> = {}) {
  return loadStackConfig(raw, {
    source: "stacks/Pulumi.dev.yaml",
    readFile: (f) => readFileSync(path.join(root, f), "utf8"),
    parseRosterFile: readRosterFile,
    ...options,
  });
}

function problems(raw: Record<string, unknown>, options: Partial<LoadOptions> = {}): string[] {
  try {
    load(raw, options);
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected ConfigError, got ${String(error)}`);
    return error.issues.map((i) => `${i.key}: ${i.message}`);
  }
  assert.fail("expected the config to be rejected");
}

function assertRefused(raw: Record<string, unknown>, key: string, fragment: string | RegExp): void {
  const lines = problems(raw);
  const hit = lines.find(
    (l) =>
      l.startsWith(`${key}: `) && (typeof fragment === "string" ? l.includes(fragment) : fragment.test(l)),
  );
  assert.ok(hit, `no problem at ${key} matching ${fragment}; got:\n${lines.join("\n")}`);
}

describe("site shapes that cannot work are refused before anything is created", () => {
  it("the bundled stacks load without warnings", () => {
    assert.deepEqual(load(dev()).warnings, []);
    const prod = loadStackConfig(prodConfig, {
      source: "stacks/Pulumi.prod.yaml",
      readFile: (f) => readFileSync(path.join(root, f), "utf8"),
      parseRosterFile: readRosterFile,
    });
    assert.deepEqual(prod.warnings, []);
  });

  describe("certificate", () => {
    const oldDev = (c: Record<string, any>) => {
      // The dev stack as it was: a new vault and the name of a certificate nobody put in it.
      delete c["vpconnect:tls"].certificateSource;
      delete c["vpconnect:tls"].pfx;
      delete c["vpconnect:tls"].certificateExpiresOn;
    };
    it("refuses a new (empty) vault as the source of an existing certificate, and the PFX fix loads", () => {
      assertRefused(dev(oldDev), "vpconnect:tls.certificateSource", "a new vault is empty");
      assert.doesNotThrow(() => load(dev()));
    });
    it("the other fix, an existing vault that holds the certificate, loads too", () =>
      assert.doesNotThrow(() =>
        load(
          dev((c) => {
            oldDev(c);
            c["vpconnect:tls"].keyVault = { name: "kv-platform-dev", resourceGroupName: "rg-security" };
          }),
        ),
      ));
    it("needs the PFX with certificateSource pfx, naming the command", () =>
      assertRefused(
        dev((c) => delete c["vpconnect:tls"].pfx),
        "vpconnect:tls.pfx",
        "pulumi config set --secret --path 'vpconnect:tls.pfx'",
      ));
    it("refuses a PFX that would never be imported (source keyVault)", () =>
      assertRefused(
        dev((c) => {
          c["vpconnect:tls"].certificateSource = "keyVault";
          c["vpconnect:tls"].keyVault = { name: "kv-platform-dev" };
        }),
        "vpconnect:tls.pfx",
        "only imported with tls.certificateSource: pfx",
      ));
    it("refuses a PFX pasted in plaintext, without echoing it", () => {
      const lines = problems(dev((c) => (c["vpconnect:tls"].pfx = "MIIKPlaintextPfxSentinel9")));
      assert.ok(lines.some((l) => l.startsWith("vpconnect:tls.pfx: is in plaintext")));
      assert.ok(!lines.join("\n").includes("PlaintextPfxSentinel"));
    });
    it("checks the decrypted PFX's content when it is at hand (inside pulumi up)", () => {
      const pem = Buffer.from("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n").toString(
        "base64",
      );
      const lines = problems(dev(), { secretOverrides: { "tls.pfx": pem } });
      assert.ok(
        lines.some((l) => l.startsWith("vpconnect:tls.pfx: is a PEM file in base64, not a PFX")),
        lines.join("\n"),
      );
      assert.ok(!lines.join("\n").includes(pem));
    });
    it("refuses uniqueName and firewall on a vault it does not create", () => {
      const existing = (extra: Record<string, unknown>) =>
        dev((c) => {
          oldDev(c);
          c["vpconnect:tls"].keyVault = { name: "kv-platform-dev", ...extra };
        });
      assertRefused(existing({ uniqueName: true }), "vpconnect:tls.keyVault.uniqueName", "only applies");
      assertRefused(
        existing({ firewall: "gatewaySubnet" }),
        "vpconnect:tls.keyVault.firewall",
        "--bypass AzureServices",
      );
    });
  });

  describe("how the gateway reaches the backend", () => {
    const isolated = (c: Record<string, any>) => delete c["vpconnect:azure"].network.hub;
    it("refuses a new isolated VNet with an on-premises backend address (the dev stack as it was)", () =>
      assertRefused(dev(isolated), "vpconnect:site.backend.address", "the new VNet is isolated"));
    it("refuses an on-premises FQDN behind an isolated VNet", () =>
      assertRefused(
        dev((c) => {
          isolated(c);
          c["vpconnect:site"].backend.address = "vp-web01.corp.example.com";
        }),
        "vpconnect:site.backend.address",
        "is a host name and the new VNet is isolated",
      ));
    it("both fixes the message names load: a hub, or an existing connected VNet", () => {
      assert.doesNotThrow(() => load(dev()));
      assert.doesNotThrow(() =>
        load(
          dev((c) => {
            isolated(c);
            c["vpconnect:azure"].network = {
              existingVirtualNetwork: { name: "vnet-hub-weu", resourceGroupName: "rg-network" },
              gatewaySubnetPrefix: "10.10.8.0/24",
            };
          }),
        ),
      );
    });
    it("refuses a hub beside an existing VNet", () =>
      assertRefused(
        dev((c) => {
          c["vpconnect:azure"].network.existingVirtualNetwork = { name: "vnet-a", resourceGroupName: "rg-n" };
        }),
        "vpconnect:azure.network.hub",
        "remove hub",
      ));
    it("refuses a VNet name where the hub's resource id belongs", () =>
      assertRefused(
        dev((c) => (c["vpconnect:azure"].network.hub.virtualNetworkId = "vnet-hub-weu")),
        "vpconnect:azure.network.hub.virtualNetworkId",
        "is not a virtual network resource id",
      ));
    it("refuses a new VNet whose address space holds the on-premises backend", () =>
      assertRefused(
        dev((c) => {
          c["vpconnect:azure"].network.addressSpace = "10.0.0.0/8";
          c["vpconnect:azure"].network.gatewaySubnetPrefix = "10.60.1.0/24";
        }),
        "vpconnect:azure.network.addressSpace",
        "never send it to the hub",
      ));
    it('refuses "internet" for a private backend address', () =>
      assertRefused(
        dev((c) => {
          isolated(c);
          c["vpconnect:azure"].network.backendRoute = "internet";
        }),
        "vpconnect:site.backend.address",
        "not a public address",
      ));
    it("refuses hubPeering without a hub and existingVirtualNetwork without one", () => {
      assertRefused(
        dev((c) => {
          isolated(c);
          c["vpconnect:azure"].network.backendRoute = "hubPeering";
        }),
        "vpconnect:azure.network.backendRoute",
        "needs azure.network.hub.virtualNetworkId",
      );
      assertRefused(
        dev((c) => {
          isolated(c);
          c["vpconnect:azure"].network.backendRoute = "existingVirtualNetwork";
        }),
        "vpconnect:azure.network.backendRoute",
        "needs azure.network.existingVirtualNetwork",
      );
    });
    it("accepts a backend VM inside the new VNet, but not inside the gateway subnet", () => {
      assert.doesNotThrow(() =>
        load(
          dev((c) => {
            isolated(c);
            c["vpconnect:site"].backend.address = "10.60.2.10";
          }),
        ),
      );
      assertRefused(
        dev((c) => {
          isolated(c);
          c["vpconnect:site"].backend.address = "10.60.1.10";
        }),
        "vpconnect:site.backend.address",
        "inside the gateway subnet",
      );
    });
    it("refuses an IPv6 backend (Application Gateway has no IPv6 backends)", () =>
      assertRefused(
        dev((c) => (c["vpconnect:site"].backend.address = "2001:db8::10")),
        "vpconnect:site.backend.address",
        "does not support IPv6 backends",
      ));
    it("warns that a backend FQDN through the hub needs DNS servers that resolve it", () => {
      const warnings = load(
        dev((c) => (c["vpconnect:site"].backend.address = "vp-web01.corp.example.com")),
      ).warnings;
      assert.ok(
        warnings.some((w) => w.includes("azure.network.dnsServers")),
        warnings.join("\n"),
      );
      assert.deepEqual(
        load(
          dev((c) => {
            c["vpconnect:site"].backend.address = "vp-web01.corp.example.com";
            c["vpconnect:azure"].network.dnsServers = ["10.1.0.4"];
          }),
        ).warnings,
        [],
      );
    });
  });

  describe("forced tunnelling", () => {
    it("refuses turning route propagation off where the on-premises route comes from the gateway", () =>
      assertRefused(
        dev((c) => (c["vpconnect:azure"].network.routeTable = "noRoutePropagation")),
        "vpconnect:azure.network.routeTable",
        'use "internetDefaultRoute"',
      ));
    it("defaults to 0.0.0.0/0 to Internet behind a hub, and none for a public backend", () => {
      assert.equal(effectiveRouteTable(load(dev()).config), "internetDefaultRoute");
      const publicBackend = load(
        dev((c) => {
          delete c["vpconnect:azure"].network.hub;
          c["vpconnect:site"].backend.address = "203.0.113.80";
        }),
      ).config;
      assert.equal(effectiveBackendRoute(publicBackend), "internet");
      assert.equal(effectiveRouteTable(publicBackend), "none");
    });
  });

  describe("port 80 and the audience", () => {
    it("refuses the HTTP redirect when only the WAF enforces the allow list; both fixes load", () => {
      const wafOnly = (c: Record<string, any>) => (c["vpconnect:allowList"].enforceAt = "waf");
      assertRefused(dev(wafOnly), "vpconnect:site.httpListener", "bypasses WAF custom rules");
      assert.doesNotThrow(() => load(dev((c) => (wafOnly(c), (c["vpconnect:site"].httpListener = "off")))));
      assert.doesNotThrow(() => load(dev((c) => (c["vpconnect:allowList"].enforceAt = "both"))));
    });
    it("warns when people's sign-in would be blocked (no split DNS), naming the login redirect", () => {
      const warnings = load(dev((c) => delete c["vpconnect:site"].splitDns)).warnings;
      assert.equal(warnings.length, 1, warnings.join("\n"));
      assert.match(warnings[0]!, /vantagepoint\.example\.com\/vantagepoint\/app/);
      assert.match(warnings[0]!, /site\.splitDns: true/);
    });
    it('warns that audience "anyone" opens the NSG', () => {
      const warnings = load(dev((c) => (c["vpconnect:site"].audience = "anyone"))).warnings;
      assert.ok(warnings.some((w) => w.includes("allow-list-no-any-source")));
    });
    it("refuses a misspelt audience", () =>
      assertRefused(
        dev((c) => (c["vpconnect:site"].audience = "everyone")),
        "vpconnect:site.audience",
        'must be "allowList" or "anyone"',
      ));
  });

  describe("IPv6", () => {
    it("refuses an office IPv6 range without an IPv6 frontend; the fix loads", () => {
      assertRefused(
        dev((c) => c["vpconnect:allowList"].extraRanges.push("2001:db8:77::/48")),
        "vpconnect:allowList.extraRanges[1]",
        "no IPv6 frontend",
      );
      assert.doesNotThrow(() =>
        load(
          dev((c) => {
            c["vpconnect:allowList"].extraRanges.push("2001:db8:77::/48");
            c["vpconnect:site"].ipv6Frontend = true;
            c["vpconnect:allowList"].enforceAt = "nsg";
            Object.assign(c["vpconnect:azure"].network, {
              ipv6AddressSpace: "2001:db8:60::/56",
              gatewaySubnetIpv6Prefix: "2001:db8:60:1::/64",
            });
          }),
        ),
      );
    });
    it("only warns about IPv6 ranges in Connect's own list (Deltek's list is kept as published)", () => {
      const warnings = load(
        dev((c) => c["vpconnect:allowList"].connectIps.push("2001:db8:4000::/48")),
      ).warnings;
      assert.ok(warnings.some((w) => w.includes("no IPv6 frontend")));
    });
    it("refuses an IPv6 frontend without a dual-stack subnet, and a subnet that is not a /64", () => {
      assertRefused(
        dev((c) => (c["vpconnect:site"].ipv6Frontend = true)),
        "vpconnect:azure.network.gatewaySubnetIpv6Prefix",
        "is required with site.ipv6Frontend: true",
      );
      assertRefused(
        dev((c) => {
          c["vpconnect:site"].ipv6Frontend = true;
          Object.assign(c["vpconnect:azure"].network, {
            ipv6AddressSpace: "2001:db8:60::/56",
            gatewaySubnetIpv6Prefix: "2001:db8:60::/56",
          });
        }),
        "vpconnect:azure.network.gatewaySubnetIpv6Prefix",
        "must be a /64",
      );
    });
    it("refuses IPv6 subnet ranges without the IPv6 frontend", () =>
      assertRefused(
        dev((c) => (c["vpconnect:azure"].network.gatewaySubnetIpv6Prefix = "2001:db8:60:1::/64")),
        "vpconnect:azure.network.gatewaySubnetIpv6Prefix",
        "only used with site.ipv6Frontend: true",
      ));
  });

  describe("backend TLS: internal-CA trusted roots", () => {
    let certs: Certificates;
    before(() => (certs = makeCertificates()));
    after(() => fs.rmSync(certs.dir, { recursive: true, force: true }));
    const withRoots = (roots: unknown[], protocol = "https") =>
      dev((c) => {
        c["vpconnect:site"].backend.trustedRootCertificates = roots;
        c["vpconnect:site"].backend.protocol = protocol;
      });

    it("accepts the CA's PEM and hands the gateway base64 DER", () => {
      const loaded = load(withRoots([{ name: "corp-root", pem: certs.ca }]));
      assert.equal(loaded.config.site.backend.trustedRootCertificates.length, 1);
      const der = pemToBase64Der(certs.ca);
      assert.ok(!der.includes("BEGIN"));
      assert.ok(certs.ca.replace(/\s/g, "").includes(der.slice(0, 40)));
    });
    it("refuses the server's own certificate pasted instead of the root", () =>
      assertRefused(
        withRoots([{ name: "corp-root", pem: certs.good.cert }]),
        "vpconnect:site.backend.trustedRootCertificates[0].pem",
        "is not a CA certificate",
      ));
    it("refuses a key pasted with the certificate, without echoing it", () => {
      const lines = problems(withRoots([{ name: "corp-root", pem: `${certs.ca}\n${certs.good.key}` }]));
      assert.ok(
        lines.some((l) => l.includes("contains a private key")),
        lines.join("\n"),
      );
      assert.ok(!lines.join("\n").includes(certs.good.key.split("\n")[1]!));
    });
    it("refuses a file path or a thumbprint where the PEM belongs", () =>
      assertRefused(
        withRoots([{ name: "corp-root", pem: "certs/corp-root.cer" }]),
        "vpconnect:site.backend.trustedRootCertificates[0].pem",
        "is not a PEM certificate",
      ));
    it("refuses trusted roots for an http backend, and two roots with one name", () => {
      assertRefused(
        withRoots([{ name: "corp-root", pem: certs.ca }], "http"),
        "vpconnect:site.backend.trustedRootCertificates",
        "only used for an HTTPS backend",
      );
      assertRefused(
        withRoots([
          { name: "corp-root", pem: certs.ca },
          { name: "Corp-Root", pem: certs.ca },
        ]),
        "vpconnect:site.backend.trustedRootCertificates[1].name",
        "also the name of entry 0",
      );
    });
    it("refuses an expired root", () =>
      assert.match(trustedRootProblem(certs.ca, new Date("2099-01-01")) ?? "", /^expired on /));
  });

  describe("PFX content", () => {
    let dir: string;
    before(() => {
      const certs = makeCertificates();
      dir = certs.dir;
      execFileSync(
        "openssl",
        [
          "pkcs12",
          "-export",
          "-in",
          "good.crt",
          "-inkey",
          "good.key",
          "-passout",
          "pass:",
          "-out",
          "good.pfx",
        ],
        { cwd: dir, stdio: "ignore" },
      );
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));
    it("accepts a real PFX and refuses what people paste instead", () => {
      assert.equal(pfxProblem(fs.readFileSync(path.join(dir, "good.pfx")).toString("base64")), undefined);
      assert.match(pfxProblem("C:\\certs\\vp.pfx") ?? "", /^is not base64/);
      assert.match(
        pfxProblem(fs.readFileSync(path.join(dir, "good.crt")).toString("base64")) ?? "",
        /PEM file in base64/,
      );
      assert.match(pfxProblem(Buffer.from("hello world!").toString("base64")) ?? "", /not a PFX/);
      assert.match(pfxProblem("MII" + "A".repeat(30000 - 3)) ?? "", /at most 25 KB/);
    });
  });

  describe("defaults that depend on more than one key", () => {
    it("zones as stated, never chosen from the region (none when not stated)", () => {
      const c = load(dev()).config;
      assert.deepEqual(gatewayZones(c), ["1", "2", "3"]);
      assert.deepEqual(gatewayZones({ azure: { ...c.azure, zones: undefined } }), []);
      assert.deepEqual(
        gatewayZones({ azure: { ...c.azure, zones: undefined, location: "westcentralus" } }),
        [],
      );
      assert.deepEqual(gatewayZones({ azure: { ...c.azure, zones: ["2", "1", "2"] } }), ["1", "2"]);
    });
    it("locks on for prod-like stacks, off for dev, as configured when given", () => {
      const d = load(dev()).config;
      assert.equal(locksEnabled(d), false);
      assert.equal(locksEnabled({ azure: { ...d.azure, tags: { Environment: "Production" } } }), true);
      assert.equal(locksEnabled({ azure: { ...d.azure, namePrefix: "vp-prod-weu" } }), true);
      assert.equal(locksEnabled({ azure: { ...d.azure, namePrefix: "vp-prod-weu", locks: false } }), false);
    });
    it("the Vantagepoint side waits for the gateway only when the API is the public URL", () => {
      assert.equal(apiThroughPublicUrl(load(dev()).config), false);
      const prod = loadStackConfig(prodConfig, {
        source: "stacks/Pulumi.prod.yaml",
        readFile: (f) => readFileSync(path.join(root, f), "utf8"),
        parseRosterFile: readRosterFile,
      }).config;
      assert.equal(apiThroughPublicUrl(prod), true);
      assert.equal(effectiveBackendRoute(prod), "existingVirtualNetwork");
      assert.equal(locksEnabled(prod), true);
      assert.equal(vaultFirewall(prod), undefined, "an existing vault's firewall is read, not set");
    });
    it("a created vault admits trusted services only unless told otherwise", () => {
      assert.equal(vaultFirewall(load(dev()).config), "trustedServices");
      assert.equal(
        vaultFirewall(load(dev((c) => (c["vpconnect:tls"].keyVault.firewall = "gatewaySubnet"))).config),
        "gatewaySubnet",
      );
    });
    it("a mailbox app section must say enabled: without it the stack is refused; enabled: false says nothing is created", () => {
      // A stack from when the app was on by default: reading the missing key as false would delete its app.
      assertRefused(
        dev(
          (c) =>
            (c["vpconnect:entra"].mailboxApp = { secretRotatedOn: "2026-11-01", grantAdminConsent: true }),
        ),
        "vpconnect:entra.mailboxApp.enabled",
        "is required when entra.mailboxApp is present: the mailbox app was created by default in earlier versions",
      );
      const loaded = load(
        dev(
          (c) =>
            (c["vpconnect:entra"].mailboxApp = {
              enabled: false,
              secretRotatedOn: "2026-11-01",
              grantAdminConsent: true,
            }),
        ),
      );
      assert.equal(loaded.config.entra.mailboxApp?.enabled, false);
      assert.ok(loaded.warnings.some((w) => w.includes("no mailbox app is created")));
    });
    it("the login app has no access-token version or identifier URI unless configured", () => {
      const app = load(dev()).config.entra.loginApp!;
      assert.equal(app.accessTokenVersion, undefined);
      assert.equal(app.identifierUri, undefined);
      assert.equal(app.grantAdminConsent, false);
      assertRefused(
        dev((c) => (c["vpconnect:entra"].loginApp.accessTokenVersion = "2")),
        "vpconnect:entra.loginApp.accessTokenVersion",
        "must be 1 or 2",
      );
      assertRefused(
        dev((c) => (c["vpconnect:entra"].loginApp.identifierUri = "vantagepoint")),
        "vpconnect:entra.loginApp.identifierUri",
        "must be an Application ID URI",
      );
    });
    it("warns that enforce verification fails a first deploy whose DNS record is made by hand", () => {
      const warnings = load(dev((c) => delete c["vpconnect:site"].verification)).warnings;
      assert.ok(warnings.some((w) => w.includes("site.verification: report for the first deploy")));
    });
  });

  it(`the dev hub id is a real-looking resource id (${HUB.split("/").pop()})`, () =>
    assert.equal(load(dev()).config.azure.network.hub?.virtualNetworkId, HUB));
});
