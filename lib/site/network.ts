/**
 * Site rules about the network: how the gateway reaches the backend, the gateway subnet, the VNet's address space
 * and IPv6. Pure, over the args view (lib/site/view.ts); the components and the stack-config loader both call them.
 *
 * Facts and their sources: shared/reference/azure-facts.md, "What makes a first `pulumi up` fail".
 */
import { isIP } from "node:net";
import { containsCidr, overlapCidr } from "cidr-tools";
import { isCovered, parseRange, rangeProblem } from "../allowList";
import { resourceIdProblem } from "../values/validators";
import { hubIsOwnVnetProblem } from "../values/valueRules";
import type { ArgProblem, Caller, SiteView } from "./view";
import { str } from "./view";

/** How the gateway reaches the backend address. */
export const BACKEND_ROUTES = [
  /** The gateway goes into an existing virtual network that already has the VPN/ExpressRoute path. */
  "existingVirtualNetwork",
  /** A new VNet peered to a hub whose VPN/ExpressRoute gateway reaches on-premises. */
  "hubPeering",
  /** The backend is an Azure VM inside the new VNet's address space. */
  "sameVirtualNetwork",
  /** The backend has a public address the gateway reaches over the Internet. */
  "internet",
] as const;
export type BackendRoute = (typeof BACKEND_ROUTES)[number];

/** The address space of a VNet created here when the args leave it out. */
export const DEFAULT_ADDRESS_SPACE = "10.60.0.0/16";
/** The gateway subnet when the args leave it out. */
export const DEFAULT_GATEWAY_SUBNET = "10.60.1.0/24";

type Net = NonNullable<SiteView["network"]>;

/**
 * How the gateway reaches the backend: the given route, else inferred (existing VNet, hub peering, the backend
 * inside the new VNet, a public backend address). Undefined when nothing says how (a new, isolated VNet with an
 * on-premises backend), which networkRules refuse.
 */
export function backendRoute(network: Net | undefined, address: string): BackendRoute | undefined {
  const n = network ?? {};
  if (n.backendRoute) return n.backendRoute as BackendRoute;
  if (n.existingVirtualNetwork) return "existingVirtualNetwork";
  if (n.hub) return "hubPeering";
  const ip = backendIp(address);
  if (ip === undefined) return undefined;
  if (isCovered([str(n.addressSpace) ?? DEFAULT_ADDRESS_SPACE], ip)) return "sameVirtualNetwork";
  if (isPublicAddress(ip)) return "internet";
  return undefined;
}

/** The backend as an IPv4 CIDR (/32) when it is an address; undefined for a host name. */
export function backendIp(address: string): string | undefined {
  const a = address.trim();
  return isIP(a) === 4 ? `${a}/32` : undefined;
}

/** True for a public IPv4 /32 (not private, CGNAT, loopback, link-local or reserved). */
function isPublicAddress(cidr: string): boolean {
  const parsed = parseRange(cidr);
  return !("error" in parsed) && rangeProblem(parsed) === undefined;
}

/** Network shapes that cannot work: each at the field the caller wrote, with a fix that passes. */
export function networkRules(v: SiteView, c: Caller): ArgProblem[] {
  const out: ArgProblem[] = [];
  const add = (path: string, message: string) => out.push({ path: c.key(path), message });
  const n: Net = v.network ?? {};
  const k = c.key;
  if (n.hub && n.existingVirtualNetwork) {
    add(
      "network.hub",
      `peers a VNet this stack creates; with ${k("network.existingVirtualNetwork")} the existing VNet's peerings are managed where it is: remove hub`,
    );
  }
  if (n.hub?.virtualNetworkId !== undefined) {
    const problem = resourceIdProblem(
      String(n.hub.virtualNetworkId),
      "Microsoft.Network/virtualNetworks",
      "virtual network",
    );
    if (problem) add("network.hub.virtualNetworkId", problem);
    const prefix = str(v.namePrefix);
    const group = str(v.resourceGroup?.name);
    const own =
      !problem && prefix && group && hubIsOwnVnetProblem(String(n.hub.virtualNetworkId), group, prefix);
    if (own) add("network.hub.virtualNetworkId", own);
  }
  if (Array.isArray(n.dnsServers) && n.dnsServers.length > 0 && n.existingVirtualNetwork) {
    add(
      "network.dnsServers",
      "sets the DNS servers of a VNet this stack creates; an existing VNet keeps its own: remove dnsServers",
    );
  }
  gatewaySubnetRules(n, add, k);
  const address = str(v.backend?.address);
  if (address !== undefined) backendRouteRules(n, address, add, k);
  return out;
}

type Add = (path: string, message: string) => void;

/** The VNet's address space (given, or the default) parses as a range. */
function spaceParses(n: Net): boolean {
  return !("error" in parseRange(str(n.addressSpace) ?? DEFAULT_ADDRESS_SPACE, { allowPrivate: true }));
}

function gatewaySubnetRules(n: Net, add: Add, k: (p: string) => string): void {
  const prefix = str(n.gatewaySubnetPrefix) ?? DEFAULT_GATEWAY_SUBNET;
  const space = str(n.addressSpace) ?? DEFAULT_ADDRESS_SPACE;
  const subnet = parseRange(prefix, { allowPrivate: true });
  if ("error" in subnet || subnet.version !== 4) return;
  if (subnet.prefix > 26) {
    add(
      "network.gatewaySubnetPrefix",
      `${subnet.cidr} is too small; an Application Gateway v2 subnet must be /26 or larger (a /24 is usual)`,
    );
  }
  const spaceParsed = parseRange(space, { allowPrivate: true });
  if (!n.existingVirtualNetwork && !("error" in spaceParsed) && !isCovered([space], subnet.cidr)) {
    add(
      "network.gatewaySubnetPrefix",
      `${subnet.cidr} is outside ${k("network.addressSpace")} (${space}); pick a subnet inside it`,
    );
  }
}

function backendRouteRules(n: Net, rawAddress: string, add: Add, k: (p: string) => string): void {
  const address = rawAddress.trim();
  const ip = backendIp(address);
  const explicit = n.backendRoute;
  const space = str(n.addressSpace) ?? DEFAULT_ADDRESS_SPACE;
  const fix = `peer the new VNet to your hub with the VPN/ExpressRoute gateway (${k("network.hub.virtualNetworkId")}), or put the gateway in a VNet that already has the path (${k("network.existingVirtualNetwork")})`;
  const Fix = `${fix[0]!.toUpperCase()}${fix.slice(1)}`;

  if (isIP(address) === 6) {
    add(
      "backend.address",
      `${address} is IPv6; Application Gateway does not support IPv6 backends: give the server's IPv4 address or FQDN`,
    );
  }
  if (explicit === "existingVirtualNetwork" && !n.existingVirtualNetwork) {
    add(
      "network.backendRoute",
      `"existingVirtualNetwork" needs ${k("network.existingVirtualNetwork")} (name, resourceGroupName) of the VNet with the VPN/ExpressRoute path`,
    );
  }
  if (explicit === "hubPeering" && !n.hub) {
    add(
      "network.backendRoute",
      `"hubPeering" needs ${k("network.hub.virtualNetworkId")} (the resource id of the hub VNet with the VPN/ExpressRoute gateway)`,
    );
  }
  if (explicit && explicit !== "existingVirtualNetwork" && n.existingVirtualNetwork) {
    add(
      "network.backendRoute",
      `${JSON.stringify(explicit)} does not fit ${k("network.existingVirtualNetwork")}; use "existingVirtualNetwork" or remove backendRoute`,
    );
  }
  if (explicit && explicit !== "hubPeering" && n.hub && !n.existingVirtualNetwork) {
    add(
      "network.backendRoute",
      `${JSON.stringify(explicit)} does not fit ${k("network.hub")}; use "hubPeering" or remove hub`,
    );
  }
  // The rules below need the address space: a malformed one is the shape check's to name (argsSchema, the stack
  // schema). An IPv6 address is named above; it is not also a host name.
  if (!spaceParses(n) || isIP(address) === 6) return;
  const route = backendRoute(n, address);
  if (route === undefined) {
    add(
      "backend.address",
      ip === undefined
        ? `${JSON.stringify(address)} is a host name and the new VNet is isolated: it has neither a route to an on-premises server nor DNS that resolves one, so the gateway would answer 502. ${Fix}; set ${k("network.backendRoute")}: internet only if the name resolves publicly to a public address`
        : `${address} is outside ${k("network.addressSpace")} (${space}) and the new VNet is isolated: it has no route to an on-premises address, so the gateway would answer 502. ${Fix}`,
    );
    return;
  }
  if (route === "hubPeering" && !n.existingVirtualNetwork && ip && isCovered([space], ip)) {
    add(
      "network.addressSpace",
      `${space} contains the backend ${address}: the new VNet would keep that traffic local and never send it to the hub; pick an address space that overlaps none of your on-premises or hub ranges`,
    );
  }
  if (route === "sameVirtualNetwork" && ip && !isCovered([space], ip)) {
    add(
      "backend.address",
      `${address} is outside ${k("network.addressSpace")} (${space}), but ${k("network.backendRoute")} says the backend is in the new VNet; fix the address, or say how the gateway reaches it (${fix})`,
    );
  }
  const subnet = str(n.gatewaySubnetPrefix) ?? DEFAULT_GATEWAY_SUBNET;
  if (route === "sameVirtualNetwork" && ip && !("error" in parseRange(subnet, { allowPrivate: true }))) {
    if (isCovered([subnet], ip)) {
      add(
        "backend.address",
        `${address} is inside the gateway subnet (${subnet}), which holds nothing but the gateway; put the server in another subnet`,
      );
    }
  }
  if (route === "internet" && ip && !isPublicAddress(ip)) {
    add(
      "backend.address",
      `${address} is not a public address, so the gateway cannot reach it over the Internet (${k("network.backendRoute")}: internet); ${fix}`,
    );
  }
  if (
    n.routeTable === "noRoutePropagation" &&
    (route === "hubPeering" || route === "existingVirtualNetwork")
  ) {
    add(
      "network.routeTable",
      '"noRoutePropagation" drops every route the VPN/ExpressRoute gateway gives the gateway subnet, the one to the on-premises backend too; use "internetDefaultRoute" (0.0.0.0/0 to Internet: the more specific on-premises routes still apply)',
    );
  }
}

/**
 * Address ranges Azure refuses in a virtual network's address space (Microsoft, "Azure Virtual Network
 * frequently asked questions": What address ranges can I use in my virtual networks?).
 */
const AZURE_VNET_FORBIDDEN = [
  { cidr: "224.0.0.0/4", what: "multicast" },
  { cidr: "255.255.255.255/32", what: "broadcast" },
  { cidr: "127.0.0.0/8", what: "loopback" },
  { cidr: "169.254.0.0/16", what: "link-local" },
  { cidr: "168.63.129.16/32", what: "Azure's internal DNS and health-probe address" },
];
/** Private address space (RFC 1918) and shared address space (RFC 6598), which VNets normally use. */
const VNET_PRIVATE = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"];

/**
 * The new VNet's address space: never the whole Internet or more than a /8, never a range Azure refuses.
 * A public range is a warning: traffic to those Internet addresses would stay inside the VNet.
 */
export function addressSpaceRules(v: SiteView, c: Caller): { errors: ArgProblem[]; warnings: string[] } {
  const none = { errors: [], warnings: [] };
  const value = str(v.network?.addressSpace);
  if (value === undefined || v.network?.existingVirtualNetwork) return none;
  const path = c.key("network.addressSpace");
  const parsed = parseRange(value, { allowPrivate: true });
  if ("error" in parsed || parsed.version !== 4) return none;
  if (parsed.prefix < 8) {
    const what = parsed.prefix === 0 ? "is the whole IPv4 Internet" : "is more than a /8";
    const message = `${parsed.cidr} ${what}; the gateway needs a /26 subnet in a small private range such as 10.60.0.0/16`;
    return { errors: [{ path, message }], warnings: [] };
  }
  for (const forbidden of AZURE_VNET_FORBIDDEN) {
    if (overlapCidr(parsed.cidr, forbidden.cidr)) {
      const message = `${parsed.cidr} overlaps ${forbidden.cidr} (${forbidden.what}), which Azure does not allow in a virtual network; use a private range such as 10.60.0.0/16`;
      return { errors: [{ path, message }], warnings: [] };
    }
  }
  if (!VNET_PRIVATE.some((p) => containsCidr(p, parsed.cidr))) {
    return {
      errors: [],
      warnings: [
        `${path} ${parsed.cidr} is public address space: traffic from the VNet to those Internet addresses stays inside it; prefer a private range such as 10.60.0.0/16`,
      ],
    };
  }
  return none;
}

/** A dual-stack gateway's IPv6 ranges, and IPv6 ranges given without it. */
export function ipv6Rules(v: SiteView, c: Caller): ArgProblem[] {
  const out: ArgProblem[] = [];
  const add = (path: string, message: string) => out.push({ path: c.key(path), message });
  const n: Net = v.network ?? {};
  const k = c.key;
  // A value that is not a boolean (or not known yet) is the shape check's: no rule here guesses what it meant.
  if (v.ipv6Frontend !== undefined && typeof v.ipv6Frontend !== "boolean") return out;
  if (v.ipv6Frontend !== true) {
    for (const key of ["ipv6AddressSpace", "gatewaySubnetIpv6Prefix"] as const) {
      if (n[key] !== undefined) {
        add(
          `network.${key}`,
          `is only used with ${k("ipv6Frontend")}: true; set it, or remove the IPv6 ranges`,
        );
      }
    }
    return out;
  }
  if (n.gatewaySubnetIpv6Prefix === undefined) {
    add(
      "network.gatewaySubnetIpv6Prefix",
      `is required with ${k("ipv6Frontend")}: true (a dual-stack gateway subnet); give a /64 inside the VNet's IPv6 space, e.g. 2001:db8:60:1::/64`,
    );
  }
  if (!n.existingVirtualNetwork && n.ipv6AddressSpace === undefined) {
    add(
      "network.ipv6AddressSpace",
      `is required with ${k("ipv6Frontend")}: true for the VNet this stack creates; give an IPv6 range, e.g. 2001:db8:60::/56`,
    );
  }
  const prefix = str(n.gatewaySubnetIpv6Prefix);
  const subnet = prefix ? parseRange(prefix, { allowPrivate: true }) : undefined;
  const space = str(n.ipv6AddressSpace);
  if (subnet && !("error" in subnet)) {
    if (subnet.prefix !== 64) {
      add(
        "network.gatewaySubnetIpv6Prefix",
        `${subnet.cidr} must be a /64: Azure IPv6 subnets are exactly /64`,
      );
    }
    if (
      space &&
      !("error" in parseRange(space, { allowPrivate: true })) &&
      !isCovered([space], subnet.cidr)
    ) {
      add(
        "network.gatewaySubnetIpv6Prefix",
        `${subnet.cidr} is outside ${k("network.ipv6AddressSpace")} (${space}); pick a /64 inside it`,
      );
    }
  }
  return out;
}
