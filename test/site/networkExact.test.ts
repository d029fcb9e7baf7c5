/**
 * lib/site/network.ts called as a library (issue 23): how the gateway reaches the backend, the gateway subnet, the
 * new VNet's address space and IPv6, each with a network wrong the way a person plans it wrong, with the exact
 * problems named as the stack file writes them (azure.network.*, site.backend.address) or as args, and the near
 * misses that pass.
 */
import assert from "node:assert/strict";
import { addressSpaceRules, backendIp, backendRoute, ipv6Rules, networkRules } from "../../lib/site/network";
import { LIBRARY_CALLER as ARGS, STACK_CALLER as STACK } from "../../lib/site/view";
import type { SiteView } from "../../lib/site/view";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a view as a caller writes it
const view = (v: Record<string, any>) => v as SiteView;
const EXISTING = { name: "vnet-corp", resourceGroupName: "rg-net" };
const HUB =
  "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-hub/providers/Microsoft.Network/virtualNetworks/vnet-hub";
const OWN_VNET =
  "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-vp/providers/Microsoft.Network/virtualNetworks/vp-vnet";
const FIX =
  "peer the new VNet to your hub with the VPN/ExpressRoute gateway (azure.network.hub.virtualNetworkId), or put the gateway in a VNet that already has the path (azure.network.existingVirtualNetwork)";
const NO_PROPAGATION = {
  path: "azure.network.routeTable",
  message:
    '"noRoutePropagation" drops every route the VPN/ExpressRoute gateway gives the gateway subnet, the one to the on-premises backend too; use "internetDefaultRoute" (0.0.0.0/0 to Internet: the more specific on-premises routes still apply)',
};
const net = (network: Record<string, unknown>, address = "10.60.2.4") =>
  networkRules(view({ network, backend: { address } }), STACK);

describe("network rules, called as a library (exact answers)", () => {
  it("how the gateway reaches the backend when the args do not say", () => {
    assert.equal(backendRoute(undefined, "10.60.0.9"), "sameVirtualNetwork");
    assert.equal(backendRoute({}, " 10.60.0.9 "), "sameVirtualNetwork");
    assert.equal(backendRoute({ addressSpace: "10.70.0.0/16" }, "10.60.0.9"), undefined);
    assert.equal(backendRoute({ addressSpace: "10.70.0.0/16" }, "10.70.0.9"), "sameVirtualNetwork");
    assert.equal(backendRoute(undefined, "20.1.2.3"), "internet");
    assert.equal(backendRoute(undefined, "192.168.1.1"), undefined);
    assert.equal(backendRoute(undefined, "vp.example.com"), undefined);
    assert.equal(
      backendRoute({ existingVirtualNetwork: EXISTING }, "vp.example.com"),
      "existingVirtualNetwork",
    );
    assert.equal(backendRoute({ hub: { virtualNetworkId: HUB } }, "vp.example.com"), "hubPeering");
    assert.equal(
      backendRoute({ hub: { virtualNetworkId: HUB }, existingVirtualNetwork: EXISTING }, "10.1.1.1"),
      "existingVirtualNetwork",
    );
    assert.equal(
      backendRoute({ backendRoute: "internet", hub: { virtualNetworkId: HUB } }, "10.1.1.1"),
      "internet",
    );
    assert.equal(backendIp(" 10.1.2.3 "), "10.1.2.3/32");
    assert.equal(backendIp("fd00::4"), undefined);
    assert.equal(backendIp("vp.example.com"), undefined);
  });

  it("a hub next to an existing VNet, and DNS servers for a VNet this stack does not create", () => {
    assert.deepEqual(net({ hub: { virtualNetworkId: HUB }, existingVirtualNetwork: EXISTING }), [
      {
        path: "azure.network.hub",
        message:
          "peers a VNet this stack creates; with azure.network.existingVirtualNetwork the existing VNet's peerings are managed where it is: remove hub",
      },
    ]);
    const dns = {
      path: "azure.network.dnsServers",
      message:
        "sets the DNS servers of a VNet this stack creates; an existing VNet keeps its own: remove dnsServers",
    };
    assert.deepEqual(net({ dnsServers: ["10.0.0.4"], existingVirtualNetwork: EXISTING }), [dns]);
    assert.deepEqual(net({ dnsServers: [], existingVirtualNetwork: EXISTING }), []);
    assert.deepEqual(net({ dnsServers: ["10.0.0.4"] }), []);
  });

  it("the hub's id: not a resource id, or this stack's own VNet (needs the prefix and the group to tell)", () => {
    assert.deepEqual(networkRules(view({ network: { hub: { virtualNetworkId: "vnet-hub" } } }), ARGS), [
      {
        path: "network.hub.virtualNetworkId",
        message:
          '"vnet-hub" is not a virtual network resource id; expected /subscriptions/<subscription id>/resourceGroups/<group>/providers/Microsoft.Network/virtualNetworks/<name> (az resource show ... --query id)',
      },
    ]);
    const site = (more: Record<string, unknown>) =>
      networkRules(
        view({
          network: { hub: { virtualNetworkId: OWN_VNET } },
          backend: { address: "192.168.1.3" },
          ...more,
        }),
        STACK,
      );
    assert.deepEqual(site({ namePrefix: "vp", resourceGroup: { name: "rg-vp" } }), [
      {
        path: "azure.network.hub.virtualNetworkId",
        message:
          "is the virtual network this stack creates (vp-vnet in rg-vp), and a VNet cannot be peered to itself; give the hub VNet that has the VPN/ExpressRoute gateway (az network vnet show -g <hub group> -n <hub vnet> --query id)",
      },
    ]);
    // An id that is not a resource id (a subscription name, not its GUID) is named once, as that.
    const bySubscriptionName =
      "/subscriptions/sub/resourceGroups/rg-vp/providers/Microsoft.Network/virtualNetworks/vp-vnet";
    assert.deepEqual(
      networkRules(
        view({
          namePrefix: "vp",
          resourceGroup: { name: "rg-vp" },
          network: { hub: { virtualNetworkId: bySubscriptionName } },
          backend: { address: "192.168.1.3" },
        }),
        STACK,
      ),
      [
        {
          path: "azure.network.hub.virtualNetworkId",
          message: `"${bySubscriptionName}" is not a virtual network resource id; expected /subscriptions/<subscription id>/resourceGroups/<group>/providers/Microsoft.Network/virtualNetworks/<name> (az resource show ... --query id)`,
        },
      ],
    );
    assert.deepEqual(site({ namePrefix: "vp" }), []);
    assert.deepEqual(site({ resourceGroup: { name: "rg-vp" } }), []);
    assert.deepEqual(site({ namePrefix: "vp2", resourceGroup: { name: "rg-vp" } }), []);
  });

  it("the gateway subnet: /26 or larger, inside the new VNet (not checked for an existing VNet)", () => {
    assert.deepEqual(net({ gatewaySubnetPrefix: "10.60.1.0/27" }), [
      {
        path: "azure.network.gatewaySubnetPrefix",
        message:
          "10.60.1.0/27 is too small; an Application Gateway v2 subnet must be /26 or larger (a /24 is usual)",
      },
    ]);
    assert.deepEqual(net({ gatewaySubnetPrefix: "10.60.1.0/26" }), []);
    assert.deepEqual(net({ gatewaySubnetPrefix: "10.61.1.0/24" }), [
      {
        path: "azure.network.gatewaySubnetPrefix",
        message: "10.61.1.0/24 is outside azure.network.addressSpace (10.60.0.0/16); pick a subnet inside it",
      },
    ]);
    assert.deepEqual(net({ gatewaySubnetPrefix: "10.61.1.0/24", existingVirtualNetwork: EXISTING }), []);
    // The default subnet 10.60.1.0/24 is outside a given address space.
    assert.deepEqual(net({ addressSpace: "10.70.0.0/16" }, "10.70.2.4"), [
      {
        path: "azure.network.gatewaySubnetPrefix",
        message: "10.60.1.0/24 is outside azure.network.addressSpace (10.70.0.0/16); pick a subnet inside it",
      },
    ]);
    assert.deepEqual(
      net({ addressSpace: "10.70.0.0/16", gatewaySubnetPrefix: "10.70.1.0/24" }, " 10.70.2.4 "),
      [],
    );
    // The backend's address not known yet, an unreadable address space: the subnet's own size is still checked.
    assert.deepEqual(
      networkRules(
        view({ network: { addressSpace: "10.60.0.0/", gatewaySubnetPrefix: "10.60.1.0/27" }, backend: {} }),
        STACK,
      ),
      [
        {
          path: "azure.network.gatewaySubnetPrefix",
          message:
            "10.60.1.0/27 is too small; an Application Gateway v2 subnet must be /26 or larger (a /24 is usual)",
        },
      ],
    );
    // An IPv6 or unreadable prefix is the field check's to refuse.
    assert.deepEqual(net({ gatewaySubnetPrefix: "2001:db8::/64" }), []);
    assert.deepEqual(net({ gatewaySubnetPrefix: "10.60.1.0/" }), []);
  });

  it("an IPv6 backend address is refused (Application Gateway has IPv4 backends only)", () => {
    assert.deepEqual(
      net({ backendRoute: "existingVirtualNetwork", existingVirtualNetwork: EXISTING }, "fd00::4"),
      [
        {
          path: "site.backend.address",
          message:
            "fd00::4 is IPv6; Application Gateway does not support IPv6 backends: give the server's IPv4 address or FQDN",
        },
      ],
    );
  });

  it("a backend route without what it needs, or next to what contradicts it", () => {
    assert.deepEqual(net({ backendRoute: "existingVirtualNetwork" }, "10.1.2.3"), [
      {
        path: "azure.network.backendRoute",
        message:
          '"existingVirtualNetwork" needs azure.network.existingVirtualNetwork (name, resourceGroupName) of the VNet with the VPN/ExpressRoute path',
      },
    ]);
    assert.deepEqual(net({ backendRoute: "hubPeering" }, "10.1.2.3"), [
      {
        path: "azure.network.backendRoute",
        message:
          '"hubPeering" needs azure.network.hub.virtualNetworkId (the resource id of the hub VNet with the VPN/ExpressRoute gateway)',
      },
    ]);
    assert.deepEqual(net({ backendRoute: "internet", existingVirtualNetwork: EXISTING }, "20.1.2.3"), [
      {
        path: "azure.network.backendRoute",
        message:
          '"internet" does not fit azure.network.existingVirtualNetwork; use "existingVirtualNetwork" or remove backendRoute',
      },
    ]);
    assert.deepEqual(net({ backendRoute: "internet", hub: { virtualNetworkId: HUB } }, "20.1.2.3"), [
      {
        path: "azure.network.backendRoute",
        message: '"internet" does not fit azure.network.hub; use "hubPeering" or remove hub',
      },
    ]);
    // Both a hub and an existing VNet: the hub is the one to remove, said once.
    assert.deepEqual(
      net(
        { backendRoute: "hubPeering", hub: { virtualNetworkId: HUB }, existingVirtualNetwork: EXISTING },
        "192.168.0.4",
      ),
      [
        {
          path: "azure.network.hub",
          message:
            "peers a VNet this stack creates; with azure.network.existingVirtualNetwork the existing VNet's peerings are managed where it is: remove hub",
        },
        {
          path: "azure.network.backendRoute",
          message:
            '"hubPeering" does not fit azure.network.existingVirtualNetwork; use "existingVirtualNetwork" or remove backendRoute',
        },
      ],
    );
    assert.deepEqual(net({ backendRoute: "hubPeering", hub: { virtualNetworkId: HUB } }, "192.168.0.4"), []);
    assert.deepEqual(
      net(
        {
          backendRoute: "existingVirtualNetwork",
          existingVirtualNetwork: EXISTING,
          routeTable: "internetDefaultRoute",
        },
        "10.60.0.4",
      ),
      [],
    );
  });

  it("an isolated new VNet and an on-premises backend: the gateway would answer 502", () => {
    assert.deepEqual(net({}, "vp.corp.local"), [
      {
        path: "site.backend.address",
        message: `"vp.corp.local" is a host name and the new VNet is isolated: it has neither a route to an on-premises server nor DNS that resolves one, so the gateway would answer 502. P${FIX.slice(1)}; set azure.network.backendRoute: internet only if the name resolves publicly to a public address`,
      },
    ]);
    assert.deepEqual(net({}, "192.168.5.5"), [
      {
        path: "site.backend.address",
        message: `192.168.5.5 is outside azure.network.addressSpace (10.60.0.0/16) and the new VNet is isolated: it has no route to an on-premises address, so the gateway would answer 502. P${FIX.slice(1)}`,
      },
    ]);
    // An address pasted with spaces around it is named without them.
    assert.deepEqual(net({}, " 192.168.5.5 "), [
      {
        path: "site.backend.address",
        message: `192.168.5.5 is outside azure.network.addressSpace (10.60.0.0/16) and the new VNet is isolated: it has no route to an on-premises address, so the gateway would answer 502. P${FIX.slice(1)}`,
      },
    ]);
    assert.deepEqual(net({ backendRoute: "internet" }, "vp.example.com"), []);
    assert.deepEqual(networkRules(view({ network: {} }), STACK), []);
    assert.deepEqual(networkRules(view({}), STACK), []);
  });

  it("a hub-peered VNet whose own space holds the backend would keep that traffic local", () => {
    assert.deepEqual(net({ hub: { virtualNetworkId: HUB } }, "10.60.5.5"), [
      {
        path: "azure.network.addressSpace",
        message:
          "10.60.0.0/16 contains the backend 10.60.5.5: the new VNet would keep that traffic local and never send it to the hub; pick an address space that overlaps none of your on-premises or hub ranges",
      },
    ]);
    assert.deepEqual(
      net(
        { hub: { virtualNetworkId: HUB }, addressSpace: "10.70.0.0/16", gatewaySubnetPrefix: "10.70.1.0/24" },
        "10.60.0.4",
      ),
      [],
    );
    // With an existing VNet (and the hub refused beside it) no address space is created: nothing kept local.
    assert.deepEqual(
      net(
        { backendRoute: "hubPeering", hub: { virtualNetworkId: HUB }, existingVirtualNetwork: EXISTING },
        "10.60.5.5",
      ).map((p) => p.path),
      ["azure.network.hub", "azure.network.backendRoute"],
    );
    // The hub's backend inside the new VNet's gateway subnet: the one problem is the space that keeps it local.
    assert.deepEqual(
      net({ hub: { virtualNetworkId: HUB } }, "10.60.1.7").map((p) => p.path),
      ["azure.network.addressSpace"],
    );
    assert.deepEqual(net({ hub: { virtualNetworkId: HUB } }, "vp.corp.local"), []);
  });

  it("the backend in the new VNet: inside its space, not inside the gateway subnet", () => {
    assert.deepEqual(net({ backendRoute: "sameVirtualNetwork" }, "192.168.5.5"), [
      {
        path: "site.backend.address",
        message: `192.168.5.5 is outside azure.network.addressSpace (10.60.0.0/16), but azure.network.backendRoute says the backend is in the new VNet; fix the address, or say how the gateway reaches it (${FIX})`,
      },
    ]);
    const inSubnet = {
      path: "site.backend.address",
      message:
        "10.60.1.7 is inside the gateway subnet (10.60.1.0/24), which holds nothing but the gateway; put the server in another subnet",
    };
    assert.deepEqual(net({}, "10.60.1.7"), [inSubnet]);
    assert.deepEqual(net({ backendRoute: "sameVirtualNetwork" }, "10.60.1.7"), [inSubnet]);
    assert.deepEqual(net({ backendRoute: "sameVirtualNetwork" }, "10.60.2.7"), []);
    assert.deepEqual(net({ backendRoute: "sameVirtualNetwork" }, "vp.corp.local"), []);
    // An unreadable subnet is the field check's: no subnet rule then.
    assert.deepEqual(
      net({ backendRoute: "sameVirtualNetwork", gatewaySubnetPrefix: "junk" }, "10.60.0.4"),
      [],
    );
  });

  it("the internet route to a private address", () => {
    assert.deepEqual(net({ backendRoute: "internet" }, "192.168.5.5"), [
      {
        path: "site.backend.address",
        message: `192.168.5.5 is not a public address, so the gateway cannot reach it over the Internet (azure.network.backendRoute: internet); ${FIX}`,
      },
    ]);
    assert.deepEqual(net({ backendRoute: "internet" }, "20.1.2.3"), []);
  });

  it("no route propagation on the gateway subnet breaks the on-premises route (hub or existing VNet only)", () => {
    assert.deepEqual(
      net({ routeTable: "noRoutePropagation", hub: { virtualNetworkId: HUB } }, "192.168.5.5"),
      [NO_PROPAGATION],
    );
    assert.deepEqual(
      net({ routeTable: "noRoutePropagation", existingVirtualNetwork: EXISTING }, "192.168.5.5"),
      [NO_PROPAGATION],
    );
    assert.deepEqual(net({ routeTable: "noRoutePropagation" }, "20.1.2.3"), []);
    assert.deepEqual(net({ routeTable: "noRoutePropagation" }, "10.60.2.4"), []);
    assert.deepEqual(
      net({ routeTable: "internetDefaultRoute", hub: { virtualNetworkId: HUB } }, "192.168.5.5"),
      [],
    );
  });

  it("the new VNet's address space: not more than a /8, nothing Azure refuses; public space only warned", () => {
    const space = (addressSpace: string, more: Record<string, unknown> = {}) =>
      addressSpaceRules(view({ network: { addressSpace, ...more } }), STACK);
    const error = (message: string) => ({
      errors: [{ path: "azure.network.addressSpace", message }],
      warnings: [],
    });
    const none = { errors: [], warnings: [] };
    assert.deepEqual(
      space("0.0.0.0/0"),
      error(
        "0.0.0.0/0 is the whole IPv4 Internet; the gateway needs a /26 subnet in a small private range such as 10.60.0.0/16",
      ),
    );
    assert.deepEqual(
      space("10.0.0.0/7"),
      error(
        "10.0.0.0/7 is more than a /8; the gateway needs a /26 subnet in a small private range such as 10.60.0.0/16",
      ),
    );
    assert.deepEqual(space("10.0.0.0/8"), none);
    const refused = (cidr: string, forbidden: string, what: string) =>
      error(
        `${cidr} overlaps ${forbidden} (${what}), which Azure does not allow in a virtual network; use a private range such as 10.60.0.0/16`,
      );
    assert.deepEqual(space("224.0.0.0/8"), refused("224.0.0.0/8", "224.0.0.0/4", "multicast"));
    assert.deepEqual(
      space("255.255.255.255/32"),
      refused("255.255.255.255/32", "255.255.255.255/32", "broadcast"),
    );
    assert.deepEqual(space("127.0.0.0/16"), refused("127.0.0.0/16", "127.0.0.0/8", "loopback"));
    assert.deepEqual(space("169.254.0.0/16"), refused("169.254.0.0/16", "169.254.0.0/16", "link-local"));
    assert.deepEqual(
      space("168.63.129.0/24"),
      refused("168.63.129.0/24", "168.63.129.16/32", "Azure's internal DNS and health-probe address"),
    );
    assert.deepEqual(space("20.0.0.0/16"), {
      errors: [],
      warnings: [
        "azure.network.addressSpace 20.0.0.0/16 is public address space: traffic from the VNet to those Internet addresses stays inside it; prefer a private range such as 10.60.0.0/16",
      ],
    });
    for (const privateSpace of [
      "10.60.0.0/16",
      "172.16.0.0/12",
      "172.31.0.0/16",
      "192.168.0.0/24",
      "100.64.0.0/16",
    ]) {
      assert.deepEqual(space(privateSpace), none, privateSpace);
    }
    assert.deepEqual(space("0.0.0.0/0", { existingVirtualNetwork: EXISTING }), none);
    assert.deepEqual(space("fd00::/48"), none);
    assert.deepEqual(space("10.0.0.0/"), none);
    assert.deepEqual(addressSpaceRules(view({ network: {} }), STACK), none);
    assert.deepEqual(addressSpaceRules(view({}), STACK), none);
    assert.deepEqual(
      addressSpaceRules(view({ network: { addressSpace: "0.0.0.0/0" } }), ARGS).errors[0]?.path,
      "network.addressSpace",
    );
  });

  it("IPv6 ranges: only with an IPv6 frontend; then a /64 subnet inside the VNet's IPv6 space", () => {
    const v6 = (ipv6Frontend: boolean | undefined, network?: Record<string, unknown>) =>
      ipv6Rules(view({ ipv6Frontend, network }), STACK);
    const onlyWith = (key: string) => ({
      path: `azure.network.${key}`,
      message: "is only used with site.ipv6Frontend: true; set it, or remove the IPv6 ranges",
    });
    const subnetRequired = {
      path: "azure.network.gatewaySubnetIpv6Prefix",
      message:
        "is required with site.ipv6Frontend: true (a dual-stack gateway subnet); give a /64 inside the VNet's IPv6 space, e.g. 2001:db8:60:1::/64",
    };
    const spaceRequired = {
      path: "azure.network.ipv6AddressSpace",
      message:
        "is required with site.ipv6Frontend: true for the VNet this stack creates; give an IPv6 range, e.g. 2001:db8:60::/56",
    };
    const both = { ipv6AddressSpace: "2001:db8:60::/56", gatewaySubnetIpv6Prefix: "2001:db8:60:1::/64" };
    assert.deepEqual(v6(undefined, both), [
      onlyWith("ipv6AddressSpace"),
      onlyWith("gatewaySubnetIpv6Prefix"),
    ]);
    assert.deepEqual(v6(false, { gatewaySubnetIpv6Prefix: "2001:db8:60:1::/64" }), [
      onlyWith("gatewaySubnetIpv6Prefix"),
    ]);
    assert.deepEqual(v6(false, {}), []);
    assert.deepEqual(v6(false), []);
    assert.deepEqual(v6(true, {}), [subnetRequired, spaceRequired]);
    assert.deepEqual(v6(true), [subnetRequired, spaceRequired]);
    assert.deepEqual(v6(true, { existingVirtualNetwork: EXISTING }), [subnetRequired]);
    assert.deepEqual(v6(true, both), []);
    assert.deepEqual(v6(true, { ...both, gatewaySubnetIpv6Prefix: "2001:db8:60:1::/80" }), [
      {
        path: "azure.network.gatewaySubnetIpv6Prefix",
        message: "2001:db8:60:1::/80 must be a /64: Azure IPv6 subnets are exactly /64",
      },
    ]);
    assert.deepEqual(v6(true, { ...both, gatewaySubnetIpv6Prefix: "2001:db8:61:1::/64" }), [
      {
        path: "azure.network.gatewaySubnetIpv6Prefix",
        message:
          "2001:db8:61:1::/64 is outside azure.network.ipv6AddressSpace (2001:db8:60::/56); pick a /64 inside it",
      },
    ]);
    // An existing VNet's space is not given: the subnet is not compared with it.
    assert.deepEqual(
      v6(true, { existingVirtualNetwork: EXISTING, gatewaySubnetIpv6Prefix: "2001:db8:61:1::/64" }),
      [],
    );
    // Unreadable ranges are the field check's to refuse.
    assert.deepEqual(v6(true, { ...both, ipv6AddressSpace: "junk" }), []);
    assert.deepEqual(v6(true, { ...both, gatewaySubnetIpv6Prefix: "junk" }), []);
    assert.deepEqual(
      ipv6Rules(view({ ipv6Frontend: true, network: {} }), ARGS).map((p) => p.path),
      ["network.gatewaySubnetIpv6Prefix", "network.ipv6AddressSpace"],
    );
  });
});
