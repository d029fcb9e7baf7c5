/* eslint-disable @typescript-eslint/no-explicit-any -- stack config fixtures are untyped YAML, edited freely by each test */
/**
 * lib/config/siteShape.ts: the warnings `vpconnect check` prints (exact text, and silence where nothing is wrong),
 * the zone regions as sourced, internal-CA roots at their expiry boundary, and the network checks called on
 * parsed sections directly (what the schema hands them), each written the way a person gets it wrong.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { loadStackConfig } from "../../lib/config/load";
import {
  ZONE_REGIONS,
  apiThroughPublicUrl,
  gatewayZones,
  isProdLike,
  pemToBase64Der,
  trustedRootProblem,
} from "../../lib/config/siteShape";
import { readRosterFile } from "../../lib/config/rosterFile";
import { parseStackFile } from "../../lib/config/stackFile";
import { makeCertificates } from "../verification/tlsFixtures";
import type { Certificates } from "../verification/tlsFixtures";
import { siteShapeIssues } from "../support/siteRules";
import { ZONE_DEFAULT_REGIONS_2025 } from "../support/zoneRegions";

const root = path.resolve(__dirname, "../..");
const devConfig = parseStackFile(
  readFileSync(path.join(root, "stacks/Pulumi.dev.yaml"), "utf8"),
  "stacks/Pulumi.dev.yaml",
).config;
const dev = (edit: (c: Record<string, any>) => void) => {
  const copy = structuredClone(devConfig) as Record<string, any>;
  edit(copy);
  return copy;
};
const warnings = (raw: Record<string, unknown>) =>
  loadStackConfig(raw, {
    source: "stacks/Pulumi.dev.yaml",
    readFile: (f) => readFileSync(path.join(root, f), "utf8"),
    parseRosterFile: readRosterFile,
  }).warnings;
const site = (c: Record<string, any>) => c["vpconnect:site"];
const network = (c: Record<string, any>) => c["vpconnect:azure"].network;

describe("site shape warnings, exact text", () => {
  it("an IPv6 frontend: IPv6 bypasses the WAF, so the NSG alone filters it, with either enforcement that passes", () => {
    const dual = (enforceAt: string) =>
      dev((c) => {
        site(c).ipv6Frontend = true;
        c["vpconnect:allowList"].enforceAt = enforceAt;
        network(c).ipv6AddressSpace = "2001:db8:60::/56";
        network(c).gatewaySubnetIpv6Prefix = "2001:db8:60:1::/64";
      });
    const bypass =
      "site.ipv6Frontend is true: IPv6 traffic bypasses the WAF, managed rules included (Microsoft: Application Gateway IPv6 frontend); the NSG alone filters IPv6 sources, and the WAF allow-list rule holds the IPv4 ranges only";
    assert.deepEqual(warnings(dual("both")), [bypass]);
    assert.deepEqual(warnings(dual("nsg")), [bypass]);
    assert.ok(!warnings(dev(() => {})).includes(bypass), "no IPv6 frontend, no bypass note");
  });
  it("IPv6 ranges in Connect's list without an IPv6 frontend: kept, with a note", () => {
    assert.deepEqual(
      warnings(dev((c) => c["vpconnect:allowList"].connectIps.push("2001:db8:c0::/48", "2001:db8:c1::/48"))),
      [
        "allowList.connectIps lists 2 IPv6 range(s) (2001:db8:c0::/48, 2001:db8:c1::/48) but the gateway has no IPv6 frontend: Connect reaches it over IPv4 and those entries admit nothing. Keep them if they are Deltek's published list; set site.ipv6Frontend: true to serve IPv6",
      ],
    );
  });
  it('routeTable "none" behind a hub: forced tunnelling would stop the gateway; behind a public backend, quiet', () => {
    assert.deepEqual(warnings(dev((c) => (network(c).routeTable = "none"))), [
      'azure.network.routeTable is "none": if the hub advertises a default route (forced tunnelling), Application Gateway v2 stops working; "internetDefaultRoute" is the supported shape',
    ]);
    assert.deepEqual(
      warnings(
        dev((c) => {
          network(c).routeTable = "none";
          delete network(c).hub;
          site(c).backend.address = "203.0.113.50";
        }),
      ),
      [],
    );
  });
  it("zones named in a region this project does not know to have them; an empty list or a known region is quiet", () => {
    const zoned = (location: string, zones: string[]) =>
      dev((c) => {
        c["vpconnect:azure"].location = location;
        c["vpconnect:azure"].zones = zones;
      });
    assert.deepEqual(warnings(zoned("westcentralus", ["1"])), [
      "azure.zones is set but westcentralus is not in this project's list of regions with availability zones; the deploy fails there if the region has none",
    ]);
    assert.deepEqual(warnings(zoned("westcentralus", [])), []);
    assert.deepEqual(warnings(zoned("westeurope", ["1", "2"])), []);
  });
  it("audience allowList without split DNS: people's sign-in would be blocked, naming the redirect", () => {
    assert.deepEqual(warnings(dev((c) => (site(c).splitDns = false))), [
      "site.audience is \"allowList\" and site.splitDns is false: only Connect's ranges and allowList.extraRanges reach https://vantagepoint.example.com, but people's browsers open it too: the Entra ID sign-in redirects to vantagepoint.example.com/vantagepoint/app, and authorising Connect opens Vantagepoint's OAuth page there. Make vantagepoint.example.com resolve to the internal server on your network (split DNS) and set site.splitDns: true, list people's egress ranges in allowList.extraRanges, or set site.audience: anyone",
    ]);
  });
  it("an enabled mailbox app: a standing secret nobody may need, and tenant-wide consent named when granted", () => {
    const mailbox = (app: Record<string, unknown>) => dev((c) => (c["vpconnect:entra"].mailboxApp = app));
    assert.deepEqual(warnings(mailbox({ enabled: true, secretRotatedOn: "2026-11-01" })), [
      "entra.mailboxApp.enabled creates an app with a standing client secret that Connect's own mailbox options (Exchange logon, Office 365 OAuth where each person signs in) do not use; keep it only if something on your site does",
    ]);
    assert.deepEqual(
      warnings(mailbox({ enabled: true, grantAdminConsent: true, secretRotatedOn: "2026-11-01" })),
      [
        "entra.mailboxApp.enabled creates an app with a standing client secret and tenant-wide admin consent that Connect's own mailbox options (Exchange logon, Office 365 OAuth where each person signs in) do not use; keep it only if something on your site does",
      ],
    );
  });
});

describe("site shape: zone regions and prod tags", () => {
  // Microsoft, "Azure regions with availability zone support" (2025), as lib/config/siteShape.ts lists them.
  const regions = ZONE_DEFAULT_REGIONS_2025;
  it("knows every sourced zone region, and chooses zones for none of them (they are stated: issue 20 item 8)", () => {
    assert.deepEqual([...ZONE_REGIONS].sort(), [...regions].sort());
    for (const location of regions) {
      assert.deepEqual(gatewayZones({ azure: { location } } as any), [], location);
      assert.deepEqual(gatewayZones({ azure: { location, zones: ["2"] } } as any), ["2"], location);
    }
    assert.deepEqual(gatewayZones({ azure: { location: "" } } as any), []);
  });
  it("reads the environment tag, not another tag that happens to say prod", () => {
    assert.equal(
      isProdLike({ azure: { tags: { owner: "live", environment: "dev" }, namePrefix: "vp" } } as any),
      false,
    );
    assert.equal(
      isProdLike({ azure: { tags: { owner: "team", ENVIRONMENT: "live" }, namePrefix: "vp" } } as any),
      true,
    );
  });
});

describe("site shape: where the Vantagepoint API is reached", () => {
  const through = (apiUrl: string) =>
    apiThroughPublicUrl({ site: { publicHostname: "VP.example.com" }, vantagepoint: { apiUrl } } as any);
  it("waits for the gateway only when the API's host is the public host name (any case)", () => {
    assert.equal(through("https://vp.EXAMPLE.com/vantagepoint/api"), true);
    assert.equal(through("https://vp-web.corp.example.com/vantagepoint/api"), false);
    assert.equal(
      through("vp.example.com/vantagepoint/api"),
      false,
      "not a URL: the schema names it; nothing waits",
    );
  });
});

describe("site shape: internal-CA roots", () => {
  let certs: Certificates;
  before(() => (certs = makeCertificates()));
  after(() => fs.rmSync(certs.dir, { recursive: true, force: true }));
  const fix =
    "paste the root CA certificate of the internal CA that signed the server's certificate, PEM (export it as Base-64 X.509 .cer)";

  it("takes the root up to the instant it expires, and names the day after", () => {
    const validTo = new Date(new X509Certificate(certs.ca).validTo);
    assert.equal(trustedRootProblem(certs.ca, validTo), undefined);
    assert.equal(
      trustedRootProblem(certs.ca, new Date(validTo.getTime() + 1000)),
      `expired on ${validTo.toISOString().slice(0, 10)}; ${fix}`,
    );
  });
  it("takes a root pasted with blank lines around it, and gives the gateway the same DER", () => {
    const padded = `\n\n  ${certs.ca}\n  \n`;
    assert.equal(trustedRootProblem(padded), undefined);
    assert.equal(pemToBase64Der(padded), new X509Certificate(certs.ca).raw.toString("base64"));
  });
  it("names what is wrong: two certificates, the server's own, a key, not PEM", () => {
    assert.equal(
      trustedRootProblem(`${certs.ca}\n${certs.ca}`),
      `holds more than one certificate; give one root per entry (${fix})`,
    );
    const subject = new X509Certificate(certs.good.cert).subject.replace(/\n/g, ", ");
    assert.equal(
      trustedRootProblem(certs.good.cert),
      `is not a CA certificate (${subject}): it looks like the server's own certificate; ${fix}`,
    );
    assert.equal(
      trustedRootProblem(`${certs.ca}\n${certs.good.key}`),
      `contains a private key; never put a key here: ${fix}`,
    );
    assert.equal(
      trustedRootProblem("certs/corp-root.cer"),
      `is not a PEM certificate ("-----BEGIN CERTIFICATE-----" ... "-----END CERTIFICATE-----"); ${fix}`,
    );
    assert.equal(
      trustedRootProblem("-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----"),
      `does not parse as an X.509 certificate; ${fix}`,
    );
  });
});

describe("site shape checks on parsed sections", () => {
  const HUB =
    "/subscriptions/3f2b8c1d-5e6a-4b7c-9d8e-1a2b3c4d5e6f/resourceGroups/rg-connectivity/providers/Microsoft.Network/virtualNetworks/vnet-hub-weu";
  const FIX =
    "peer the new VNet to your hub with the VPN/ExpressRoute gateway (azure.network.hub.virtualNetworkId), or put the gateway in a VNet that already has the path (azure.network.existingVirtualNetwork)";
  const shape = (
    address: string,
    net: Record<string, unknown> = {},
    siteExtra: Record<string, unknown> = {},
  ) =>
    ({
      site: {
        backend: { address, protocol: "https", trustedRootCertificates: [] },
        ipv6Frontend: false,
        ...siteExtra,
      },
      azure: {
        network: {
          addressSpace: "10.60.0.0/16",
          gatewaySubnetPrefix: "10.60.1.0/24",
          dnsServers: [],
          ...net,
        },
      },
    }) as any;
  const issues = (c: any) => siteShapeIssues(c, c).map((i) => `${i.path.join(".")}: ${i.message}`);

  it("an isolated VNet and an on-premises backend: the message starts the fix with a capital, for an address and a name", () => {
    assert.deepEqual(issues(shape("10.20.0.10")), [
      `site.backend.address: 10.20.0.10 is outside azure.network.addressSpace (10.60.0.0/16) and the new VNet is isolated: it has no route to an on-premises address, so the gateway would answer 502. Peer${FIX.slice(4)}`,
    ]);
    assert.deepEqual(issues(shape("vp.corp.example.com")), [
      `site.backend.address: "vp.corp.example.com" is a host name and the new VNet is isolated: it has neither a route to an on-premises server nor DNS that resolves one, so the gateway would answer 502. Peer${FIX.slice(4)}; set azure.network.backendRoute: internet only if the name resolves publicly to a public address`,
    ]);
  });
  it("sameVirtualNetwork: a backend outside the address space, or inside the gateway subnet, is refused", () => {
    assert.deepEqual(issues(shape("10.20.0.10", { backendRoute: "sameVirtualNetwork" })), [
      `site.backend.address: 10.20.0.10 is outside azure.network.addressSpace (10.60.0.0/16), but azure.network.backendRoute says the backend is in the new VNet; fix the address, or say how the gateway reaches it (${FIX})`,
    ]);
    assert.deepEqual(issues(shape("10.60.1.9")), [
      "site.backend.address: 10.60.1.9 is inside the gateway subnet (10.60.1.0/24), which holds nothing but the gateway; put the server in another subnet",
    ]);
    assert.deepEqual(issues(shape("10.60.2.9")), []);
  });
  it("a backend address with spaces around it is read as the address", () => {
    assert.deepEqual(issues(shape(" 10.60.2.9 ")), []);
    assert.deepEqual(issues(shape(" 2001:db8::9 ")).slice(0, 1), [
      "site.backend.address: 2001:db8::9 is IPv6; Application Gateway does not support IPv6 backends: give the server's IPv4 address or FQDN",
    ]);
  });
  it("noRoutePropagation with an existing VNet drops the on-premises route; with a public backend it is fine", () => {
    assert.deepEqual(
      issues(
        shape("10.20.0.10", { existingVirtualNetwork: { name: "v" }, routeTable: "noRoutePropagation" }),
      ),
      [
        'azure.network.routeTable: "noRoutePropagation" drops every route the VPN/ExpressRoute gateway gives the gateway subnet, the one to the on-premises backend too; use "internetDefaultRoute" (0.0.0.0/0 to Internet: the more specific on-premises routes still apply)',
      ],
    );
    assert.deepEqual(issues(shape("203.0.113.9", { routeTable: "noRoutePropagation" })), []);
  });
  it("a hub with the backend inside the new VNet's space: the traffic would never reach the hub", () => {
    assert.deepEqual(issues(shape("10.60.2.9", { hub: { virtualNetworkId: HUB } })), [
      "azure.network.addressSpace: 10.60.0.0/16 contains the backend 10.60.2.9: the new VNet would keep that traffic local and never send it to the hub; pick an address space that overlaps none of your on-premises or hub ranges",
    ]);
  });
  it("the HTTP redirect with the WAF alone: refused only when the audience is the allow list", () => {
    const c = (audience: string, enforceAt: string) => ({
      ...shape("10.60.2.9", {}, { httpListener: "redirect", audience }),
      allowList: { enforceAt, extraRanges: [], connectIps: [] },
    });
    assert.equal(issues(c("allowList", "waf")).length, 1);
    assert.match(
      issues(c("allowList", "waf"))[0]!,
      /^site\.httpListener: redirect with allowList\.enforceAt: waf answers every source/,
    );
    assert.deepEqual(issues(c("anyone", "waf")), []);
    assert.deepEqual(issues(c("allowList", "both")), []);
  });
  it("a gateway IPv6 prefix that did not parse is left to the schema's message", () => {
    const c = shape(
      "10.60.2.9",
      { ipv6AddressSpace: "2001:db8:60::/56", gatewaySubnetIpv6Prefix: "2001:db8:60:1::/200" },
      { ipv6Frontend: true },
    );
    assert.deepEqual(issues(c), []);
  });
  it("no trusted roots with an http backend is fine", () => {
    const c = shape("10.60.2.9");
    c.site.backend.protocol = "http";
    assert.deepEqual(issues(c), []);
  });
  it("a decrypted PFX is checked when it is at hand: a good one passes, a PEM is refused at tls.pfx", () => {
    const tls = (content: string) => ({
      tls: {
        certificateSource: "pfx",
        certificateExpiresOn: "2099-01-01",
        certificateName: "c",
        pfx: { available: true, reveal: () => content },
        keyVault: { name: "kv", create: true },
      },
    });
    assert.deepEqual(siteShapeIssues({}, tls("MIIK") as any), []);
    // Base64 with a stray character at either end (a quote or a "!" pasted along) is not base64.
    for (const pasted of ["MIIKAAA!", "!MIIKAAA", "MIIK AA!", '"MIIKAA"']) {
      assert.deepEqual(
        siteShapeIssues({}, tls(pasted) as any).map((i) => i.message),
        [
          "is not base64; run pulumi config set --secret --path 'vpconnect:tls.pfx' \"$(base64 -w0 certificate.pfx)\"",
        ],
        pasted,
      );
    }
    assert.deepEqual(
      siteShapeIssues({}, tls("LS0tLS1CRUdJTiBDRVJU") as any).map((i) => i.path.join(".")),
      ["tls.pfx"],
    );
  });
});
