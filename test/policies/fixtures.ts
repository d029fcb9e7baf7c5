// Happy-path resource shapes, taken from docs/design.md (the components' contract). Every factory returns
// fresh objects, so a test can change one field and leave the rest of the stack valid.
import type { Props } from "../../policies/lib/props";
import type { TestResource } from "./util";

export const SITE = "vantagepoint-connect:index:ConnectSite";
export const CONNECT_IPS = ["203.0.113.10/32", "203.0.113.11/32", "198.51.100.0/28", "2001:db8:10::/64"];
/** The public host, and the public URL as PublicEndpoint registers it (https://<host><vantagepointPath>). */
export const PUBLIC_HOST = "https://vp.example.com";
export const PUBLIC_URL = `${PUBLIC_HOST}/vantagepoint`;
const AGW_ID = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Network/applicationGateways/agw";
const DAY_MS = 86_400_000;

export function site(): TestResource {
  return { type: SITE, name: "site", props: { publicUrl: PUBLIC_URL } };
}

export function component(
  kind: string,
  name: string,
  parent: TestResource = site(),
  props: Props = {},
): TestResource {
  return { type: `vantagepoint-connect:index:${kind}`, name, parent, props };
}

export function publicIp(): TestResource {
  return {
    type: "azure-native:network:PublicIPAddress",
    name: "agw-ip",
    parent: component("PublicEndpoint", "public"),
    props: {
      sku: { name: "Standard" },
      publicIPAllocationMethod: "Static",
      tags: { app: "vantagepoint-connect" },
    },
  };
}

export function appGateway(): TestResource {
  return {
    type: "azure-native:network:ApplicationGateway",
    name: "agw",
    parent: component("PublicEndpoint", "public", site(), { publicUrl: PUBLIC_URL }),
    props: {
      sku: { name: "WAF_v2", tier: "WAF_v2", capacity: 1 },
      firewallPolicy: {
        id: "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies/waf",
      },
      sslPolicy: { policyType: "Predefined", policyName: "AppGwSslPolicy20220101S" },
      identity: { type: "UserAssigned", userAssignedIdentities: ["/subscriptions/0000/identity"] },
      sslCertificates: [{ name: "vp-cert", keyVaultSecretId: "https://kv.vault.azure.net/secrets/vp-cert" }],
      frontendIPConfigurations: [
        { name: "public", publicIPAddress: { id: "/subscriptions/0000/publicIPAddresses/agw-ip" } },
      ],
      frontendPorts: [
        { name: "https", port: 443 },
        { name: "http", port: 80 },
      ],
      httpListeners: [
        {
          name: "https",
          protocol: "Https",
          sslCertificate: { id: `${AGW_ID}/sslCertificates/vp-cert` },
          frontendPort: { id: `${AGW_ID}/frontendPorts/https` },
        },
        { name: "http", protocol: "Http", frontendPort: { id: `${AGW_ID}/frontendPorts/http` } },
      ],
      redirectConfigurations: [
        {
          name: "http-to-https",
          redirectType: "Permanent",
          targetListener: { id: `${AGW_ID}/httpListeners/https` },
        },
      ],
      requestRoutingRules: [
        {
          name: "https",
          priority: 100,
          ruleType: "Basic",
          httpListener: { id: `${AGW_ID}/httpListeners/https` },
          backendAddressPool: { id: `${AGW_ID}/backendAddressPools/vantagepoint` },
          backendHttpSettings: { id: `${AGW_ID}/backendHttpSettingsCollection/vantagepoint` },
        },
        {
          name: "http-redirect",
          priority: 200,
          ruleType: "Basic",
          httpListener: { id: `${AGW_ID}/httpListeners/http` },
          redirectConfiguration: { id: `${AGW_ID}/redirectConfigurations/http-to-https` },
        },
      ],
      probes: [{ name: "vantagepoint", protocol: "Https", path: "/vantagepoint/app" }],
    },
  };
}

export function wafPolicy(values: string[] = [...CONNECT_IPS]): TestResource {
  return {
    type: "azure-native:network:WebApplicationFirewallPolicy",
    name: "waf",
    parent: component("ConnectAllowList", "allow"),
    props: {
      policySettings: { state: "Enabled", mode: "Prevention" },
      managedRules: { managedRuleSets: [{ ruleSetType: "OWASP", ruleSetVersion: "3.2" }] },
      customRules: [
        {
          name: "ConnectAllowList",
          priority: 10,
          ruleType: "MatchRule",
          action: "Block",
          matchConditions: [
            {
              matchVariables: [{ variableName: "RemoteAddr" }],
              operator: "IPMatch",
              negationConditon: true,
              matchValues: values,
            },
          ],
        },
      ],
    },
  };
}

/** An NSG rule in the inline shape. */
export function rule(name: string, priority: number, fields: Props): Props {
  return {
    name,
    priority,
    direction: "Inbound",
    access: "Allow",
    protocol: "Tcp",
    sourcePortRange: "*",
    destinationAddressPrefix: "*",
    ...fields,
  };
}

export function nsg(): TestResource {
  return {
    type: "azure-native:network:NetworkSecurityGroup",
    name: "agw-nsg",
    parent: component("ConnectAllowList", "allow"),
    props: {
      securityRules: [
        rule("AllowGatewayManager", 100, {
          sourceAddressPrefix: "GatewayManager",
          destinationPortRange: "65200-65535",
        }),
        rule("AllowAzureLoadBalancer", 110, {
          protocol: "*",
          sourceAddressPrefix: "AzureLoadBalancer",
          destinationPortRange: "*",
        }),
        rule("AllowConnect-0", 200, {
          sourceAddressPrefixes: [...CONNECT_IPS],
          destinationPortRanges: ["443", "80"],
        }),
        rule("DenyInternetInbound", 4096, {
          access: "Deny",
          protocol: "*",
          sourceAddressPrefix: "Internet",
          destinationPortRange: "*",
        }),
      ],
    },
  };
}

export function vault(): TestResource {
  return {
    type: "azure-native:keyvault:Vault",
    name: "kv",
    parent: component("ConnectKeyVault", "vault"),
    props: {
      properties: {
        tenantId: "00000000-0000-0000-0000-000000000001",
        sku: { family: "A", name: "standard" },
        enableRbacAuthorization: true,
        enableSoftDelete: true,
        enablePurgeProtection: true,
        softDeleteRetentionInDays: 90,
      },
    },
  };
}

export function vaultSecret(days = 365): TestResource {
  return {
    type: "azure-native:keyvault:Secret",
    name: "login-secret",
    parent: component("VantagepointLoginApp", "login"),
    props: {
      properties: {
        value: "s3cr3t",
        attributes: { enabled: true, expires: Math.floor((Date.now() + days * DAY_MS) / 1000) },
      },
    },
  };
}

export function appPassword(days = 730): TestResource {
  return {
    type: "azuread:index/applicationPassword:ApplicationPassword",
    name: "login-password",
    parent: component("VantagepointLoginApp", "login"),
    props: {
      applicationId: "/applications/1",
      displayName: "Vantagepoint",
      endDate: new Date(Date.now() + days * DAY_MS - 60_000).toISOString(),
    },
  };
}

export function loginApp(): TestResource {
  return {
    type: "azuread:index/application:Application",
    name: "login",
    parent: component("VantagepointLoginApp", "login"),
    props: {
      displayName: "Deltek Vantagepoint",
      signInAudience: "AzureADMyOrg",
      web: { redirectUris: [`${PUBLIC_URL}/app`] },
      api: {
        oauth2PermissionScopes: [
          {
            value: "user_impersonation",
            enabled: true,
            type: "User",
            id: "11111111-1111-1111-1111-111111111111",
          },
        ],
      },
    },
  };
}

export const GRAPH = "00000003-0000-0000-c000-000000000000";
export const EXCHANGE = "00000002-0000-0ff1-ce00-000000000000";

export function mailboxApp(): TestResource {
  return {
    type: "azuread:index/application:Application",
    name: "mailbox",
    parent: component("ConnectMailboxApp", "mailbox"),
    props: {
      displayName: "Vantagepoint Connect mailbox",
      signInAudience: "AzureADMyOrg",
      requiredResourceAccesses: [
        {
          resourceAppId: GRAPH,
          resourceAccesses: [
            { id: "024d486e-b451-40bb-833d-3e66d98c5c73", type: "Scope" },
            { id: "1ec239c2-d7c9-4623-a91a-a9775856bb36", type: "Scope" },
            { id: "d56682ec-c09e-4743-aaf4-1a3aac4caa21", type: "Scope" },
            { id: "7427e0e9-2fba-42fe-b0c0-848c9e6a8182", type: "Scope" },
          ],
        },
      ],
    },
  };
}

export const CONNECTION = {
  url: "https://vp.example.com/vantagepoint/api",
  database: "VP_PROD",
  username: "connect-admin",
  password: "p@ss",
  clientId: "vp-client",
  clientSecret: "vp-secret",
};

export function dynamic(
  kind: string,
  name: string,
  props: Props,
  opts: TestResource["opts"] = {},
): TestResource {
  return {
    type: "pulumi-nodejs:dynamic:Resource",
    name,
    parent: site(),
    props: {
      __provider: "exports.handler = ...",
      vpconnectResource: kind,
      connection: { ...CONNECTION },
      ...props,
    },
    opts,
  };
}

export interface RosterPerson {
  userId: string;
  email: string;
  firstName: string;
  lastName: string;
  role?: string;
  configurer?: boolean;
}

export const ROSTER: RosterPerson[] = [
  {
    userId: "ada",
    email: "ada@example.com",
    firstName: "Ada",
    lastName: "Lovelace",
    role: "CONNECTADMIN",
    configurer: true,
  },
  { userId: "grace", email: "grace@example.com", firstName: "Grace", lastName: "Hopper" },
  { userId: "alan@example.com", email: "alan@example.com", firstName: "Alan", lastName: "Turing" },
];

/** A roster as inputs only (before a run), or with outputs (`seeded`) as after a real run. */
export function roster(seeded = true): TestResource {
  const entries = ROSTER.map((e) => ({ ...e }));
  const props: Props = { entries, onDelete: "detach" };
  if (seeded) {
    props.people = entries.map((e, i) => ({
      userId: e.userId,
      employee: `0000${i + 1}`,
      email: e.email,
      employeeStatus: "A",
      userStatus: "A",
      linked: true,
      role: e.role,
      configurer: e.configurer,
    }));
    props.lastRun = { requests: 4, writes: 0 };
  }
  return dynamic("ConnectRoster", "roster", props);
}

export function adminRole(seeded = true): TestResource {
  const props: Props = { role: "CONNECTADMIN", requireAdministratorType: true };
  if (seeded)
    Object.assign(props, { connectAdministration: true, roleType: "Administrator", available: true });
  return dynamic("ConnectAdminRole", "admin-role", props);
}

export function apiClient(): TestResource {
  return dynamic(
    "ConnectApiClient",
    "api-client",
    { name: "Deltek Connect", allowCreate: false, clientId: "connect-client-1", fingerprint: "abc123" },
    { protect: true, retainOnDelete: true, additionalSecretOutputs: ["clientSecret", "connection"] },
  );
}

/** A whole happy stack, as the offline evaluator would capture it after a seeding run. */
export function stack(): TestResource[] {
  const s = site();
  return [
    s,
    appGateway(),
    publicIp(),
    wafPolicy(),
    nsg(),
    vault(),
    vaultSecret(),
    appPassword(),
    loginApp(),
    mailboxApp(),
    roster(),
    adminRole(),
    apiClient(),
  ];
}
