/* eslint-disable @typescript-eslint/no-explicit-any -- invoke inputs and resource inputs here are untyped JSON (as in pulumi.runtime.Mocks) */
/**
 * What the evaluator's mocks answer for the cloud: canned invoke answers, the outputs a provider computes per type
 * token, and the ids mocked resources get (Azure resource ids for azure-native). Used by program.ts.
 */

/** Answers a provider function call (invoke) under mocks. */
export type InvokeHandler = (inputs: Record<string, any>) => Record<string, any>;

export const MOCK_SUBSCRIPTION_ID = "00000000-0000-0000-0000-000000000001";
export const MOCK_TENANT_ID = "00000000-0000-0000-0000-0000000000aa";

/** Canned answers for provider functions the components call. Extend per run with `invokes`. */
export const DEFAULT_INVOKES: Record<string, InvokeHandler> = {
  "azure-native:authorization:getClientConfig": () => ({
    subscriptionId: MOCK_SUBSCRIPTION_ID,
    tenantId: MOCK_TENANT_ID,
    clientId: "offline-client",
    objectId: "offline-object",
  }),
  "azuread:index/getClientConfig:getClientConfig": () => ({
    tenantId: MOCK_TENANT_ID,
    clientId: "offline-client",
    objectId: "offline-object",
  }),
  "azuread:index/getServicePrincipal:getServicePrincipal": (inputs) => ({
    clientId: inputs.clientId,
    objectId: `sp-object-${inputs.clientId}`,
    id: `/servicePrincipals/sp-object-${inputs.clientId}`,
    appRoleIds: {},
    oauth2PermissionScopeIds: {},
    appRoles: [],
    oauth2PermissionScopes: [],
  }),
  "azure-native:keyvault:getVault": (inputs) => ({
    id: `/subscriptions/${MOCK_SUBSCRIPTION_ID}/resourceGroups/${inputs.resourceGroupName}/providers/Microsoft.KeyVault/vaults/${inputs.vaultName}`,
    name: inputs.vaultName,
    properties: { vaultUri: `https://${inputs.vaultName}.vault.azure.net/` },
  }),
  "azure-native:resources:getResourceGroup": (inputs) => ({
    id: `/subscriptions/${MOCK_SUBSCRIPTION_ID}/resourceGroups/${inputs.resourceGroupName}`,
    name: inputs.resourceGroupName,
    location: "westeurope",
  }),
};

/** Computed outputs a mock adds per type token (beyond the echoed inputs and `id`); `secret` lists secret outputs. */
export const COMPUTED_OUTPUTS: Record<
  string,
  (
    name: string,
    inputs: Record<string, any>,
    seq: number,
  ) => { outputs: Record<string, unknown>; secret?: string[] }
> = {
  "azure-native:network:PublicIPAddress": (_name, _inputs, seq) => ({
    outputs: { ipAddress: `20.50.${(seq >> 8) & 255}.${seq & 255}` },
  }),
  "azure-native:keyvault:Vault": (name, inputs) => ({
    outputs: {
      properties: {
        ...(inputs.properties ?? {}),
        vaultUri: `https://${inputs.vaultName ?? name}.vault.azure.net/`,
      },
    },
  }),
  "azuread:index/application:Application": (name) => ({
    outputs: { clientId: `${name}-client-id`, objectId: `${name}-object-id` },
  }),
  "azuread:index/servicePrincipal:ServicePrincipal": (name) => ({
    outputs: { objectId: `${name}-object-id` },
  }),
  "azure-native:managedidentity:UserAssignedIdentity": (name) => ({
    outputs: { principalId: `${name}-principal-id`, clientId: `${name}-client-id`, tenantId: MOCK_TENANT_ID },
  }),
  // A stand-in for the drawn value (lowercase letters and digits, as lib/keyVault VAULT_NAME_SUFFIX asks).
  "random:index/randomString:RandomString": (_name, inputs) => ({
    outputs: {
      result: "x7k2m9".padEnd(Number(inputs.length ?? 6), "0").slice(0, Number(inputs.length ?? 6)),
    },
  }),
  "azuread:index/applicationPassword:ApplicationPassword": (name) => ({
    outputs: { value: `${name}-offline-password`, keyId: `${name}-key-id` },
    secret: ["value"],
  }),
};

/** Azure resource id paths by type token: provider namespace/collection and the input naming the resource. */
const AZURE_IDS: Record<
  string,
  { path: (name: string, i: Record<string, any>) => string; rgScoped?: false }
> = {
  "azure-native:resources:ResourceGroup": {
    path: (n, i) => `/subscriptions/${MOCK_SUBSCRIPTION_ID}/resourceGroups/${i.resourceGroupName ?? n}`,
    rgScoped: false,
  },
  "azure-native:keyvault:Vault": { path: (n, i) => `Microsoft.KeyVault/vaults/${i.vaultName ?? n}` },
  "azure-native:keyvault:Secret": {
    path: (n, i) => `Microsoft.KeyVault/vaults/${i.vaultName}/secrets/${i.secretName ?? n}`,
  },
  "azure-native:network:PublicIPAddress": {
    path: (n, i) => `Microsoft.Network/publicIPAddresses/${i.publicIpAddressName ?? n}`,
  },
  "azure-native:network:NetworkSecurityGroup": {
    path: (n, i) => `Microsoft.Network/networkSecurityGroups/${i.networkSecurityGroupName ?? n}`,
  },
  "azure-native:network:VirtualNetwork": {
    path: (n, i) => `Microsoft.Network/virtualNetworks/${i.virtualNetworkName ?? n}`,
  },
  "azure-native:network:Subnet": {
    path: (n, i) => `Microsoft.Network/virtualNetworks/${i.virtualNetworkName}/subnets/${i.subnetName ?? n}`,
  },
  "azure-native:network:ApplicationGateway": {
    path: (n, i) => `Microsoft.Network/applicationGateways/${i.applicationGatewayName ?? n}`,
  },
  "azure-native:network:WebApplicationFirewallPolicy": {
    path: (n, i) => `Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies/${i.policyName ?? n}`,
  },
  "azure-native:managedidentity:UserAssignedIdentity": {
    path: (n, i) => `Microsoft.ManagedIdentity/userAssignedIdentities/${i.resourceName ?? n}`,
  },
  "azure-native:authorization:RoleAssignment": {
    path: (n, i) =>
      `${i.scope ?? `/subscriptions/${MOCK_SUBSCRIPTION_ID}`}/providers/Microsoft.Authorization/roleAssignments/${i.roleAssignmentName ?? n}`,
    rgScoped: false,
  },
};

/**
 * Outputs a created resource has because of its id: an azure-native resource's `name` output is the Azure
 * resource's name, the id's last segment (every azure-native class declares `readonly name: Output<string>`, e.g.
 * @pulumi/azure-native/resources/resourceGroup.d.ts "The name of the resource group."). Without it a mock
 * resolves `group.name` to undefined where `pulumi up` has the name (found by test/runtime/runner.test.ts:
 * the real runner's registrations lost their dependency on the resource group under check's mocks).
 */
export function idOutputs(
  type: string,
  id: string,
  outputs: Record<string, unknown>,
): Record<string, unknown> {
  if (!type.startsWith("azure-native:") || outputs.name !== undefined || !id.startsWith("/")) return {};
  return { name: id.split("/").pop() };
}

/**
 * The id a mocked resource gets: an Azure resource id for azure-native (components parse them, e.g. a vault id),
 * `<name>-id` for everything else.
 */
export function mockId(type: string, name: string, inputs: Record<string, any>): string {
  const known = AZURE_IDS[type];
  const rg = `/subscriptions/${MOCK_SUBSCRIPTION_ID}/resourceGroups/${inputs.resourceGroupName ?? "rg"}/providers/`;
  if (known) return known.rgScoped === false ? known.path(name, inputs) : rg + known.path(name, inputs);
  const [pkg, module, kind] = type.split(":");
  if (pkg === "azure-native" && module && kind) {
    const own = Object.entries(inputs).find(
      ([k, v]) => /Name$/.test(k) && k !== "resourceGroupName" && typeof v === "string",
    );
    const namespace = `Microsoft.${module.charAt(0).toUpperCase()}${module.slice(1)}`;
    return `${rg}${namespace}/${kind.charAt(0).toLowerCase()}${kind.slice(1)}s/${own?.[1] ?? name}`;
  }
  return `${name}-id`;
}
