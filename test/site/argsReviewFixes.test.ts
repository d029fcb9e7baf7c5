/**
 * Four wrong answers the mutation review of the site rules found (issue 23, s23b's notes), each the way a caller
 * gets the input wrong, with the exact answer it must get now.
 */
import assert from "node:assert/strict";
import { allowListArgsProblems, siteArgsProblems } from "../../lib/site/check";
import { ipv6Rules, networkRules } from "../../lib/site/network";
import { LIBRARY_CALLER as C } from "../../lib/site/view";
import type { SiteView } from "../../lib/site/view";
import { minimalSiteArgs } from "../support/minimalSiteArgs";

const lines = (problems: { path: string; message: string }[]) =>
  problems.map((p) => `${p.path}: ${p.message}`);

describe("site rules: answers the mutation review found wrong", () => {
  it("ConnectAllowList names its own arg for private ranges (allowPrivateRanges), ConnectSite its own", () => {
    const allowList = allowListArgsProblems({
      resourceGroupName: "rg-vp",
      location: "westeurope",
      connectIps: ["10.0.0.0/8"],
    });
    assert.deepEqual(lines(allowList), [
      "connectIps[0]: 10.0.0.0/8 is private (RFC 1918), not a public address Connect can come from; remove it or set allowPrivateRanges: true",
    ]);
    const site = minimalSiteArgs({ allowList: { connectIps: ["10.0.0.0/8"] } });
    assert.deepEqual(lines(siteArgsProblems(site)), [
      "allowList.connectIps[0]: 10.0.0.0/8 is private (RFC 1918), not a public address Connect can come from; remove it or set allowList.allowPrivateRanges: true",
    ]);
  });

  it("an IPv6 backend address is named once, as IPv6, not also as a host name", () => {
    assert.deepEqual(lines(networkRules({ backend: { address: "fd00::4" } }, C)), [
      "backend.address: fd00::4 is IPv6; Application Gateway does not support IPv6 backends: give the server's IPv4 address or FQDN",
    ]);
  });

  it("a malformed address space does not hide the other network problems (the shape check names it)", () => {
    const view: SiteView = {
      network: { addressSpace: "10.60.0.0/33", gatewaySubnetPrefix: "10.60.0.0/28" },
      backend: { address: "10.60.2.4" },
    };
    assert.deepEqual(lines(networkRules(view, C)), [
      "network.gatewaySubnetPrefix: 10.60.0.0/28 is too small; an Application Gateway v2 subnet must be /26 or larger (a /24 is usual)",
    ]);
  });

  it("a malformed address space still lets the rules that do not read it speak: an IPv6 backend, a route without its hub", () => {
    assert.deepEqual(
      lines(
        networkRules(
          {
            backend: { address: "2001:db8::10" },
            network: { addressSpace: "10.0.0.0/33", backendRoute: "hubPeering" },
          },
          C,
        ),
      ),
      [
        "backend.address: 2001:db8::10 is IPv6; Application Gateway does not support IPv6 backends: give the server's IPv4 address or FQDN",
        'network.backendRoute: "hubPeering" needs network.hub.virtualNetworkId (the resource id of the hub VNet with the VPN/ExpressRoute gateway)',
      ],
    );
  });

  it('ipv6Frontend given as text ("no", "true") is the shape check\'s alone: no IPv6 rule guesses', () => {
    assert.deepEqual(ipv6Rules({ ipv6Frontend: "no" } as unknown as SiteView, C), []);
    assert.deepEqual(
      lines(
        ipv6Rules(
          { ipv6Frontend: "no", network: { ipv6AddressSpace: "2001:db8:60::/56" } } as unknown as SiteView,
          C,
        ),
      ),
      [],
    );
    assert.deepEqual(ipv6Rules({ ipv6Frontend: "true" } as unknown as SiteView, C), []);
  });
});

describe("the loader's checked-roster mark is not part of the package's API", () => {
  it("a library caller cannot import it by the package's name (it would skip the per-person checks)", () => {
    assert.throws(
      () => require.resolve("vantagepoint-connect/lib/site/checkedRoster"),
      (e: NodeJS.ErrnoException) => e.code === "ERR_PACKAGE_PATH_NOT_EXPORTED",
    );
    assert.doesNotThrow(() => require.resolve("vantagepoint-connect/lib/site/check"));
  });
});
