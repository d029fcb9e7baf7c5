/**
 * ConnectSite's network: the resource group, the gateway subnet in a new or an existing virtual network, its route
 * table and Key Vault service endpoint, and the peering to a hub.
 */
import * as pulumi from "@pulumi/pulumi";
import * as network from "@pulumi/azure-native/network";
import { Provider as AzureNativeProvider } from "@pulumi/azure-native/provider";
import * as resources from "@pulumi/azure-native/resources";
import * as authorization from "@pulumi/azure-native/authorization";
import * as keyvault from "@pulumi/azure-native/keyvault";
import {
  HUB_PROVIDER_SECRET_SETTINGS,
  hubProviderArgs,
  keyVaultServiceEndpointNeeded,
  subnetResourceId,
} from "../../lib/gatewayRules";
import type { VaultNetworkAcls } from "../../lib/gatewayRules";
import { parseVirtualNetworkId } from "../../lib/publicEndpoint";
import { DEFAULT_NETWORK } from "./args";
import type { ConnectSiteArgs, ConnectSiteHub } from "./args";

/** The resource group's name: created here, or an existing one. */
export function resourceGroup(
  name: string,
  args: ConnectSiteArgs,
  tags: Record<string, pulumi.Input<string>>,
  parent: pulumi.Resource,
): pulumi.Output<string> {
  if (args.resourceGroup.create === false) return pulumi.output(args.resourceGroup.name);
  const group = new resources.ResourceGroup(
    `${name}-rg`,
    { resourceGroupName: args.resourceGroup.name, location: args.location, tags },
    { parent },
  );
  return group.name;
}

/**
 * The Application Gateway's dedicated subnet with the allow-list NSG attached, in a virtual network created here
 * (peered to a hub when asked) or in an existing one. The subnet is a standalone resource (never inline in the
 * VNet) so the two do not fight. A route table keeps a learned default route away (forced tunnelling is not
 * supported for v2); a vault firewall with a VNet rule needs the Microsoft.KeyVault service endpoint.
 */
export function gatewaySubnet(
  name: string,
  args: ConnectSiteArgs,
  resourceGroupName: pulumi.Input<string>,
  nsgId: pulumi.Input<string>,
  tags: Record<string, pulumi.Input<string>>,
  parent: pulumi.Resource,
): pulumi.Output<string> {
  const net = { ...DEFAULT_NETWORK, ...definedOnly(args.network ?? {}) };
  // checkSiteArgs refused a hub beside an existing network, and an IPv6 frontend without an IPv6 subnet.
  const existing = args.network?.existingVirtualNetwork;
  const v6 = args.ipv6Frontend ? args.network?.gatewaySubnetIpv6Prefix : undefined;
  const vnet = existing
    ? undefined
    : new network.VirtualNetwork(
        `${name}-vnet`,
        {
          resourceGroupName,
          location: args.location,
          virtualNetworkName: `${args.namePrefix}-vnet`,
          addressSpace: {
            addressPrefixes: [
              net.addressSpace,
              ...(args.ipv6Frontend && args.network?.ipv6AddressSpace ? [args.network.ipv6AddressSpace] : []),
            ],
          },
          ...(args.network?.dnsServers?.length
            ? { dhcpOptions: { dnsServers: args.network.dnsServers } }
            : {}),
          tags,
        },
        { parent, ignoreChanges: ["subnets", "virtualNetworkPeerings"] },
      );
  const vnetName = existing ? pulumi.output(existing.name) : vnet!.name;
  const routeTable = gatewayRouteTable(name, args, resourceGroupName, tags, parent);
  const subnetGroup = existing ? existing.resourceGroupName : resourceGroupName;
  const subnet = new network.Subnet(
    `${name}-gateway-subnet`,
    {
      resourceGroupName: subnetGroup,
      virtualNetworkName: vnetName,
      subnetName: net.gatewaySubnetName,
      ...(v6 !== undefined
        ? { addressPrefixes: [net.gatewaySubnetPrefix, v6] }
        : { addressPrefix: net.gatewaySubnetPrefix }),
      networkSecurityGroup: { id: nsgId },
      ...(routeTable ? { routeTable: { id: routeTable.id } } : {}),
      serviceEndpoints: keyVaultServiceEndpoints(args, subnetGroup, vnetName, net.gatewaySubnetName, parent),
    },
    { parent },
  );
  // After the subnet: writes to a new VNet at once fail with ReferencedResourceNotProvisioned
  // (pulumi-azure-native#4340), so subnet, hub-side peering and spoke-side peering go one after the other.
  if (vnet && args.network?.hub)
    hubPeering(name, args, args.network.hub, vnet, subnet, resourceGroupName, parent);
  return subnet.id;
}

/**
 * The gateway subnet's service endpoints: `Microsoft.KeyVault` whenever the vault is reached through a VNet rule
 * for this subnet (a created vault in "gatewaySubnet" mode, or an existing vault whose firewall names the subnet;
 * lib/gatewayRules keyVaultServiceEndpointNeeded), declared here so the next subnet update does not remove one
 * added by hand. The existing vault's firewall is read at deploy time, against the subnet's id known in advance.
 */
function keyVaultServiceEndpoints(
  args: ConnectSiteArgs,
  subnetGroup: pulumi.Input<string>,
  vnetName: pulumi.Input<string>,
  subnetName: pulumi.Input<string>,
  parent: pulumi.Resource,
): pulumi.Input<Array<{ service: string }> | undefined> {
  const kv = args.tls.keyVault;
  const endpoints = (needed: boolean) => (needed ? [{ service: "Microsoft.KeyVault" }] : undefined);
  if (kv.create) {
    return endpoints(
      keyVaultServiceEndpointNeeded({
        createdFirewall: kv.firewall ?? "trustedServices",
        gatewaySubnetId: "",
      }),
    );
  }
  const vault = keyvault.getVaultOutput(
    { vaultName: kv.name, resourceGroupName: kv.resourceGroupName ?? args.resourceGroup.name },
    { parent },
  );
  const subscriptionId = authorization.getClientConfigOutput({ parent }).subscriptionId;
  return pulumi
    .all([vault.properties, subscriptionId, subnetGroup, vnetName, subnetName])
    .apply(([properties, sub, group, vnet, subnet]) =>
      endpoints(
        keyVaultServiceEndpointNeeded({
          existingAcls: (properties as { networkAcls?: VaultNetworkAcls } | undefined)?.networkAcls,
          gatewaySubnetId: subnetResourceId(sub, group, vnet, subnet),
        }),
      ),
    );
}

/**
 * The gateway subnet's route table: 0.0.0.0/0 to Internet (a default route learned from the hub would otherwise
 * break the gateway; the more specific on-premises routes still apply), or gateway route propagation off.
 */
function gatewayRouteTable(
  name: string,
  args: ConnectSiteArgs,
  resourceGroupName: pulumi.Input<string>,
  tags: Record<string, pulumi.Input<string>>,
  parent: pulumi.Resource,
): network.RouteTable | undefined {
  const mode = args.network?.routeTable ?? "none";
  if (mode === "none") return undefined;
  return new network.RouteTable(
    `${name}-gateway-routes`,
    {
      resourceGroupName,
      location: args.location,
      routeTableName: `${args.namePrefix}-appgw-routes`,
      ...(mode === "internetDefaultRoute"
        ? { routes: [{ name: "default-to-internet", addressPrefix: "0.0.0.0/0", nextHopType: "Internet" }] }
        : { disableBgpRoutePropagation: true }),
      tags,
    },
    { parent },
  );
}

/**
 * Peering between the new network and the hub, after the gateway subnet: hub to spoke first (it allows gateway
 * transit, in the hub's subscription), then spoke to hub using the hub's VPN/ExpressRoute gateway.
 */
function hubPeering(
  name: string,
  args: ConnectSiteArgs,
  hub: ConnectSiteHub,
  vnet: network.VirtualNetwork,
  subnet: network.Subnet,
  resourceGroupName: pulumi.Input<string>,
  parent: pulumi.Resource,
): void {
  const ref = parseVirtualNetworkId(hub.virtualNetworkId, "network.hub.virtualNetworkId");
  const useRemoteGateways = hub.useRemoteGateways ?? true;
  const hubSide =
    hub.createHubSidePeering === false
      ? undefined
      : new network.VirtualNetworkPeering(
          `${name}-hub-to-spoke`,
          {
            resourceGroupName: ref.resourceGroupName,
            virtualNetworkName: ref.name,
            virtualNetworkPeeringName: `${args.namePrefix}-vnet`,
            remoteVirtualNetwork: { id: vnet.id },
            allowVirtualNetworkAccess: true,
            allowForwardedTraffic: true,
            allowGatewayTransit: useRemoteGateways,
          },
          {
            parent,
            dependsOn: [subnet],
            provider: hub.provider ?? hubProvider(name, ref.subscriptionId, parent),
          },
        );
  new network.VirtualNetworkPeering(
    `${name}-spoke-to-hub`,
    {
      resourceGroupName,
      virtualNetworkName: vnet.name,
      virtualNetworkPeeringName: `to-${ref.name}`,
      remoteVirtualNetwork: { id: hub.virtualNetworkId },
      allowVirtualNetworkAccess: true,
      allowForwardedTraffic: true,
      useRemoteGateways,
    },
    { parent, dependsOn: hubSide ? [subnet, hubSide] : [subnet] },
  );
}

/**
 * An azure-native provider for the hub's subscription with the stack's credentials settings: an explicit provider
 * does not read `azure-native:*` stack config (Pulumi docs), so they are copied (lib/gatewayRules hubProviderArgs);
 * the secret ones stay secrets. ARM_* environment variables the provider reads itself still apply.
 */
function hubProvider(name: string, subscriptionId: string, parent: pulumi.Resource): AzureNativeProvider {
  const config = new pulumi.Config("azure-native");
  const plain = hubProviderArgs(
    (key) => (HUB_PROVIDER_SECRET_SETTINGS.has(key) ? undefined : config.get(key)),
    subscriptionId,
  );
  const secrets = Object.fromEntries(
    [...HUB_PROVIDER_SECRET_SETTINGS].flatMap((key) => {
      const value = config.getSecret(key);
      return value === undefined ? [] : [[key, value]];
    }),
  );
  return new AzureNativeProvider(`${name}-hub-subscription`, { ...plain, ...secrets }, { parent });
}

/** The object without its undefined fields (so spreading it keeps the defaults underneath). */
function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
