/* eslint-disable @typescript-eslint/no-explicit-any -- stack config fixtures are untyped YAML, edited freely by each test */
/**
 * lib/config/siteShape.ts, the rules the wider suite (siteShape.test.ts) leaves loose: each shape written the way a
 * person gets it wrong in a stack file, with the exact problem list it must get (key and message), so a check that
 * goes missing, fires on the wrong key or fires on a good shape fails here.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { ConfigError, loadStackConfig } from "../../lib/config/load";
import {
  effectiveBackendRoute,
  effectiveRouteTable,
  gatewayZones,
  isProdLike,
  locksEnabled,
  pfxProblem,
  resourceIdProblem,
  vaultFirewall,
} from "../../lib/config/siteShape";
import { readRosterFile } from "../../lib/config/rosterFile";
import { parseStackFile } from "../../lib/config/stackFile";
import { siteShapeIssues } from "../support/siteRules";

const root = path.resolve(__dirname, "../..");
const devConfig = parseStackFile(
  readFileSync(path.join(root, "stacks/Pulumi.dev.yaml"), "utf8"),
  "stacks/Pulumi.dev.yaml",
).config;
const HUB =
  "/subscriptions/3f2b8c1d-5e6a-4b7c-9d8e-1a2b3c4d5e6f/resourceGroups/rg-connectivity/providers/Microsoft.Network/virtualNetworks/vnet-hub-weu";
const NOW = new Date("2026-12-06T12:00:00Z");

function dev(edit: (c: Record<string, any>) => void = () => {}): Record<string, unknown> {
  const copy = structuredClone(devConfig) as Record<string, any>;
  edit(copy);
  return copy;
}

/** Every problem the loader reports, as "key: message"; [] when the config loads. */
function problems(raw: Record<string, unknown>, now = NOW): string[] {
  try {
    loadStackConfig(raw, {
      source: "stacks/Pulumi.dev.yaml",
      readFile: (f) => readFileSync(path.join(root, f), "utf8"),
      parseRosterFile: readRosterFile,
      now,
    });
    return [];
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected ConfigError, got ${String(error)}`);
    return error.issues.map((i) => `${i.key}: ${i.message}`);
  }
}

const tls = (c: Record<string, any>) => c["vpconnect:tls"];
/** The dev stack's tls section as the schema hands it to the checks (the PFX itself not at hand). */
const parsedTls = {
  certificateSource: "pfx",
  certificateName: "vantagepoint-example-com",
  pfx: { available: false },
  keyVault: { name: "kv-vpconnect-dev", create: true },
};
const network = (c: Record<string, any>) => c["vpconnect:azure"].network;
const site = (c: Record<string, any>) => c["vpconnect:site"];

describe("site shapes, exact problems", () => {
  it("the dev stack loads as it is (the baseline every case below edits)", () => {
    assert.deepEqual(problems(dev()), []);
  });

  describe("certificate expiry date", () => {
    it("refuses certificateExpiresOn with a Key Vault certificate (which carries its own expiry)", () => {
      assert.deepEqual(
        problems(
          dev((c) => {
            tls(c).certificateSource = "keyVault";
            tls(c).keyVault = { name: "kv-platform-dev", resourceGroupName: "rg-security" };
            delete tls(c).pfx;
          }),
        ),
        [
          "vpconnect:tls.certificateExpiresOn: is only used with tls.certificateSource: pfx (a Key Vault certificate carries its own expiry); remove it",
        ],
      );
    });
    it("refuses a date already past (the loader checks against the clock)", () => {
      assert.deepEqual(problems(dev((c) => (tls(c).certificateExpiresOn = "2020-06-30"))), [
        "vpconnect:tls.certificateExpiresOn: 2020-06-30 is in the past: the certificate has expired and Connect would refuse it; renew it, import the new PFX and set its date",
      ]);
    });
    it("takes the last day itself, up to its end (UTC), and refuses it the next day", () => {
      const onDay = (now: string) =>
        siteShapeIssues(
          {},
          { tls: { ...parsedTls, certificateExpiresOn: "2026-12-06" } } as any,
          new Date(now),
        );
      assert.deepEqual(onDay("2026-12-06T23:59:59Z"), []);
      assert.deepEqual(onDay("2026-12-07T00:00:00Z"), [
        {
          path: ["tls", "certificateExpiresOn"],
          message:
            "2026-12-06 is in the past: the certificate has expired and Connect would refuse it; renew it, import the new PFX and set its date",
        },
      ]);
    });
    it("needs the date with a PFX", () => {
      assert.deepEqual(problems(dev((c) => delete tls(c).certificateExpiresOn)), [
        'vpconnect:tls.certificateExpiresOn: is required with tls.certificateSource: pfx: the certificate\'s "valid to" date, YYYY-MM-DD (openssl pkcs12 -in certificate.pfx -nokeys -passin pass: | openssl x509 -noout -enddate); the imported secret carries it as its expiry',
      ]);
    });
  });

  describe("backendRoute against the network it describes", () => {
    const existing = { name: "vnet-shared-weu", resourceGroupName: "rg-network" };
    it('refuses "internet" beside an existing VNet', () => {
      assert.deepEqual(
        problems(
          dev((c) => {
            delete network(c).hub;
            network(c).existingVirtualNetwork = existing;
            network(c).backendRoute = "internet";
          }),
        ),
        [
          'vpconnect:azure.network.backendRoute: "internet" does not fit azure.network.existingVirtualNetwork; use "existingVirtualNetwork" or remove backendRoute',
          "vpconnect:site.backend.address: 10.20.0.10 is not a public address, so the gateway cannot reach it over the Internet (azure.network.backendRoute: internet); peer the new VNet to your hub with the VPN/ExpressRoute gateway (azure.network.hub.virtualNetworkId), or put the gateway in a VNet that already has the path (azure.network.existingVirtualNetwork)",
        ],
      );
    });
    it('refuses "sameVirtualNetwork" beside a hub, and says so once', () => {
      const lines = problems(
        dev((c) => {
          network(c).backendRoute = "sameVirtualNetwork";
          site(c).backend.address = "10.60.2.10";
        }),
      );
      assert.deepEqual(lines, [
        'vpconnect:azure.network.backendRoute: "sameVirtualNetwork" does not fit azure.network.hub; use "hubPeering" or remove hub',
      ]);
    });
    it('with both an existing VNet and a hub, "hubPeering" is refused for the existing VNet, and the hub for being there', () => {
      assert.deepEqual(
        problems(
          dev((c) => {
            network(c).existingVirtualNetwork = existing;
            network(c).backendRoute = "hubPeering";
          }),
        ),
        [
          "vpconnect:azure.network.hub: peers a VNet this stack creates; with azure.network.existingVirtualNetwork the existing VNet's peerings are managed where it is: remove hub",
          'vpconnect:azure.network.backendRoute: "hubPeering" does not fit azure.network.existingVirtualNetwork; use "existingVirtualNetwork" or remove backendRoute',
        ],
      );
    });
    it("the routes that fit load", () => {
      assert.deepEqual(problems(dev((c) => (network(c).backendRoute = "hubPeering"))), []);
      assert.deepEqual(
        problems(
          dev((c) => {
            delete network(c).hub;
            network(c).existingVirtualNetwork = existing;
            network(c).backendRoute = "existingVirtualNetwork";
          }),
        ),
        [],
      );
    });
    it("refuses DNS servers for an existing VNet", () => {
      assert.deepEqual(
        problems(
          dev((c) => {
            delete network(c).hub;
            network(c).existingVirtualNetwork = existing;
            network(c).dnsServers = ["10.20.0.4"];
          }),
        ),
        [
          "vpconnect:azure.network.dnsServers: sets the DNS servers of a VNet this stack creates; an existing VNet keeps its own: remove dnsServers",
        ],
      );
    });
  });

  describe("IPv6 frontend", () => {
    const dual = (c: Record<string, any>) => {
      site(c).ipv6Frontend = true;
      c["vpconnect:allowList"].enforceAt = "nsg";
      network(c).ipv6AddressSpace = "2001:db8:60::/56";
      network(c).gatewaySubnetIpv6Prefix = "2001:db8:60:1::/64";
    };
    it("a dual-stack VNet with its /64 loads", () => {
      assert.deepEqual(problems(dev(dual)), []);
    });
    it("refuses an IPv6 frontend on a new VNet without ipv6AddressSpace", () => {
      assert.deepEqual(
        problems(
          dev((c) => {
            dual(c);
            delete network(c).ipv6AddressSpace;
          }),
        ),
        [
          "vpconnect:azure.network.ipv6AddressSpace: is required with site.ipv6Frontend: true for the VNet this stack creates; give an IPv6 range, e.g. 2001:db8:60::/56",
        ],
      );
    });
    it("an existing VNet brings its own IPv6 space", () => {
      assert.deepEqual(
        problems(
          dev((c) => {
            dual(c);
            delete network(c).ipv6AddressSpace;
            delete network(c).hub;
            network(c).existingVirtualNetwork = { name: "vnet-shared-weu", resourceGroupName: "rg-network" };
          }),
        ),
        [],
      );
    });
    it("refuses the gateway's /64 outside the VNet's IPv6 space", () => {
      assert.deepEqual(
        problems(
          dev((c) => {
            dual(c);
            network(c).gatewaySubnetIpv6Prefix = "2001:db8:61:1::/64";
          }),
        ),
        [
          "vpconnect:azure.network.gatewaySubnetIpv6Prefix: 2001:db8:61:1::/64 is outside azure.network.ipv6AddressSpace (2001:db8:60::/56); pick a /64 inside it",
        ],
      );
    });
    it("refuses a subnet that is not a /64", () => {
      assert.deepEqual(
        problems(
          dev((c) => {
            dual(c);
            network(c).gatewaySubnetIpv6Prefix = "2001:db8:60::/60";
          }),
        ),
        [
          "vpconnect:azure.network.gatewaySubnetIpv6Prefix: 2001:db8:60::/60 must be a /64: Azure IPv6 subnets are exactly /64",
        ],
      );
    });
    it("refuses the IPv6 ranges without the frontend, each at its key", () => {
      assert.deepEqual(
        problems(
          dev((c) => {
            dual(c);
            site(c).ipv6Frontend = false;
          }),
        ),
        [
          "vpconnect:azure.network.ipv6AddressSpace: is only used with site.ipv6Frontend: true; set it, or remove the IPv6 ranges",
          "vpconnect:azure.network.gatewaySubnetIpv6Prefix: is only used with site.ipv6Frontend: true; set it, or remove the IPv6 ranges",
        ],
      );
    });
  });
});

describe("site shape defaults, exact answers", () => {
  const azure = (tags: Record<string, string>, namePrefix: string, locks?: boolean) => ({
    azure: { tags, namePrefix, ...(locks === undefined ? {} : { locks }) },
  });

  it("a prod environment tag counts only as a whole word: preprod and prod-like words do not", () => {
    for (const value of ["prod", "Production", "PRD", "live", " prod "]) {
      assert.equal(isProdLike(azure({ environment: value }, "vpconnect")), true, value);
    }
    for (const value of ["preprod", "prod2", "nonprod", "production-copy", "delivery", "dev", ""]) {
      assert.equal(isProdLike(azure({ environment: value }, "vpconnect")), false, value);
    }
    assert.equal(isProdLike(azure({ Environment: "prod" }, "vpconnect")), true, "the tag name in any case");
  });
  it("a prod name prefix counts only as a whole dash-separated part", () => {
    for (const prefix of ["prod", "vp-prod", "prod-vp", "vp-prd-weu", "vp-production"]) {
      assert.equal(isProdLike(azure({}, prefix)), true, prefix);
    }
    for (const prefix of ["vp-preprod", "products", "vp-prodx", "vpprod", "vp-dev"]) {
      assert.equal(isProdLike(azure({}, prefix)), false, prefix);
    }
  });
  it("locks follow prod-likeness unless azure.locks says otherwise", () => {
    assert.equal(locksEnabled(azure({ environment: "preprod" }, "vp-preprod") as any), false);
    assert.equal(locksEnabled(azure({ environment: "prod" }, "vp") as any), true);
    assert.equal(locksEnabled(azure({ environment: "prod" }, "vp", false) as any), false);
    assert.equal(locksEnabled(azure({}, "vp-dev", true) as any), true);
  });
  it("zones: the configured list sorted without duplicates, else none: never chosen from the region (issue 20 item 8)", () => {
    assert.deepEqual(gatewayZones({ azure: { zones: ["3", "1", "3"], location: "westeurope" } } as any), [
      "1",
      "3",
    ]);
    assert.deepEqual(gatewayZones({ azure: { location: "westeurope" } } as any), []);
    assert.deepEqual(gatewayZones({ azure: { zones: [], location: "westeurope" } } as any), []);
    assert.deepEqual(gatewayZones({ azure: { location: "westcentralus" } } as any), []);
  });
  it("a created vault's firewall defaults to trusted services; an existing vault has none of ours", () => {
    assert.equal(vaultFirewall({ tls: { keyVault: { create: true } } } as any), "trustedServices");
    assert.equal(vaultFirewall({ tls: { keyVault: { create: true, firewall: "open" } } } as any), "open");
    assert.equal(vaultFirewall({ tls: { keyVault: { create: false, firewall: "open" } } } as any), undefined);
  });

  const shape = (network: Record<string, unknown>, address: string) =>
    ({
      site: { backend: { address } },
      azure: { network: { addressSpace: "10.60.0.0/16", dnsServers: [], ...network } },
      tls: {},
      allowList: {},
    }) as any;
  it("infers how the gateway reaches the backend, the configured route first", () => {
    assert.equal(
      effectiveBackendRoute(
        shape({ backendRoute: "internet", hub: { virtualNetworkId: HUB } }, "10.20.0.10"),
      ),
      "internet",
    );
    assert.equal(
      effectiveBackendRoute(
        shape({ existingVirtualNetwork: { name: "v" }, hub: { virtualNetworkId: HUB } }, "10.20.0.10"),
      ),
      "existingVirtualNetwork",
    );
    assert.equal(
      effectiveBackendRoute(shape({ hub: { virtualNetworkId: HUB } }, "10.20.0.10")),
      "hubPeering",
    );
    assert.equal(effectiveBackendRoute(shape({}, "10.60.2.10")), "sameVirtualNetwork");
    assert.equal(effectiveBackendRoute(shape({}, " 203.0.113.10 ")), "internet");
    assert.equal(effectiveBackendRoute(shape({}, "10.20.0.10")), undefined);
    assert.equal(effectiveBackendRoute(shape({}, "vp.corp.example.com")), undefined);
    assert.equal(effectiveBackendRoute(shape({}, "2001:db8::10")), undefined);
  });
  it("the route table: 0.0.0.0/0 to Internet where a default route can be learned, else none, the configured mode first", () => {
    assert.equal(
      effectiveRouteTable(shape({ hub: { virtualNetworkId: HUB } }, "10.20.0.10")),
      "internetDefaultRoute",
    );
    assert.equal(
      effectiveRouteTable(shape({ existingVirtualNetwork: { name: "v" } }, "10.20.0.10")),
      "internetDefaultRoute",
    );
    assert.equal(effectiveRouteTable(shape({}, "203.0.113.10")), "none");
    assert.equal(effectiveRouteTable(shape({}, "10.60.2.10")), "none");
    assert.equal(
      effectiveRouteTable(
        shape({ hub: { virtualNetworkId: HUB }, routeTable: "noRoutePropagation" }, "10.20.0.10"),
      ),
      "noRoutePropagation",
    );
  });
  it("checks nothing for sections that did not parse", () => {
    assert.deepEqual(siteShapeIssues({}, {}), []);
  });
});

describe("site shape value checks, exact answers", () => {
  it("a resource id of the right type, in any case, passes; a name or the wrong type does not", () => {
    const type = "Microsoft.Network/virtualNetworks";
    assert.equal(resourceIdProblem(HUB, type, "virtual network"), undefined);
    assert.equal(resourceIdProblem(HUB.toLowerCase(), type, "virtual network"), undefined);
    assert.equal(
      resourceIdProblem("vnet-hub-weu", type, "virtual network"),
      '"vnet-hub-weu" is not a virtual network resource id; expected /subscriptions/<subscription id>/resourceGroups/<group>/providers/Microsoft.Network/virtualNetworks/<name> (az resource show ... --query id)',
    );
    assert.match(
      resourceIdProblem(HUB.replace("virtualNetworks", "networkSecurityGroups"), type, "virtual network")!,
      /is not a virtual network resource id/,
    );
    assert.match(resourceIdProblem(`${HUB}/subnets/x`, type, "virtual network")!, /is not a virtual network/);
    assert.match(
      resourceIdProblem(HUB.replace("Microsoft.Network", "MicrosoftxNetwork"), type, "virtual network")!,
      /is not/,
    );
    assert.match(resourceIdProblem(`x${HUB}`, type, "virtual network")!, /is not/);
  });
  it("a PFX: base64 of a DER sequence within the Key Vault secret limit", () => {
    const fix =
      "set it with pulumi config set --secret --path 'vpconnect:tls.pfx' \"$(base64 -w0 certificate.pfx)\"";
    assert.equal(pfxProblem("MIIK"), undefined);
    assert.equal(pfxProblem(" MII\nK "), undefined, "line breaks from base64 without -w0 are fine");
    assert.equal(pfxProblem(""), `is not base64; ${fix}`);
    assert.equal(pfxProblem("MIIK!"), `is not base64; ${fix}`);
    assert.equal(pfxProblem("MIIKA"), `is not base64; ${fix}`);
    assert.equal(pfxProblem("AAAA"), `is not a PFX (PKCS#12) file; ${fix}`);
    assert.match(pfxProblem("LS0tLS1CRUdJTiBDRVJU")!, /^is a PEM file in base64, not a PFX; convert it/);
    const big = `MII${"A".repeat(25 * 1024 - 3)}`;
    assert.equal(pfxProblem(big), undefined, "exactly 25 KB");
    assert.equal(
      pfxProblem(`${big}AAAA`),
      `is ${25 * 1024 + 4} characters; a Key Vault secret holds at most 25 KB: drop unneeded chain certificates and ${fix}`,
    );
  });
});
