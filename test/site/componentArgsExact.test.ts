/**
 * lib/site/componentArgs.ts called as a library (issue 23): the args checks of ConnectKeyVault, PublicEndpoint,
 * ConnectRoster, ConnectRosterBrake, ConnectAdminRole and ConnectApiClient, each with args wrong the way a
 * JavaScript, YAML or Python caller gets them wrong, with the exact problems (arg path and fix), the near misses
 * that pass, and values not known yet (checked once they are).
 */
import assert from "node:assert/strict";
import {
  adminRoleArgsProblems,
  apiClientArgsProblems,
  keyVaultArgsProblems,
  publicEndpointArgsProblems,
  rosterArgsProblems,
  rosterBrakeArgsProblems,
} from "../../lib/site/componentArgs";
import { UNKNOWN } from "../../lib/site/view";
import { ROOT_CA_DER_BASE64 } from "../support/rootCertificates";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- args as a JavaScript caller gets them wrong
type Args = Record<string, any>;

const NOT_AN_OBJECT = [{ path: "args", message: "must be an object of named args" }];
const NEEDED_TO_CREATE =
  "is required to create a Key Vault; give it, or name an existing vault under existing";

const vault = (more: Args = {}): Args => ({ resourceGroupName: "rg-vp", location: "westeurope", ...more });

const endpoint = (more: Args = {}): Args => ({
  resourceGroupName: "rg-vp",
  location: "westeurope",
  namePrefix: "vp-test",
  publicHostname: "vantagepoint.example.com",
  backend: { address: "10.20.0.5", port: 443 },
  gatewaySubnetId:
    "/subscriptions/s/resourceGroups/rg-vp/providers/Microsoft.Network/virtualNetworks/v/subnets/a",
  wafPolicyId: "/subscriptions/s/resourceGroups/rg-vp/providers/Microsoft.Network/waf/w",
  certificateSecretId: "https://vp-kv.vault.azure.net/secrets/vantagepoint-tls",
  ...more,
});

const API = "https://vp.example.com/vantagepoint/api";
const connection = (more: Args = {}): Args => ({
  url: API,
  database: "VP",
  username: "svc-pulumi",
  password: "pw",
  clientId: "vpconnect-provisioning",
  clientSecret: "sec",
  ...more,
});
const person = (userId: string, email: string): Args => ({
  userId,
  email,
  firstName: "Pat",
  lastName: "Jones",
});

const TOKEN_URL_PROBLEM = {
  path: "connection.url",
  message: `"${API}/token" is the token endpoint; give the API root without /token, "${API}" (Deltek: the API root is https://<host>/<instance>/api)`,
};
const OWN_CLIENT_ID = {
  path: "clientId",
  message:
    "\"vpconnect-provisioning\" is the Client ID this project signs in with (connection.clientId), not Connect's; copy Connect's Client ID from Connect Administration's Settings tab, or remove clientId to find it by name",
};

describe("component args checks, called as a library (exact answers)", () => {
  describe("ConnectKeyVault", () => {
    it("a vault to create needs its resource group and location, each named; an existing vault needs neither", () => {
      assert.deepEqual(keyVaultArgsProblems({ namePrefix: "vp" }), [
        { path: "resourceGroupName", message: NEEDED_TO_CREATE },
        { path: "location", message: NEEDED_TO_CREATE },
      ]);
      assert.deepEqual(keyVaultArgsProblems({ namePrefix: "vp", location: "westeurope" }), [
        { path: "resourceGroupName", message: NEEDED_TO_CREATE },
      ]);
      assert.deepEqual(keyVaultArgsProblems({ namePrefix: "vp", resourceGroupName: "rg-vp" }), [
        { path: "location", message: NEEDED_TO_CREATE },
      ]);
      assert.deepEqual(keyVaultArgsProblems(vault({ namePrefix: "vp" })), []);
      assert.deepEqual(
        keyVaultArgsProblems({ existing: { vaultName: "kv-shared", resourceGroupName: "rg-shared" } }),
        [],
      );
    });

    it("a name prefix that gives no valid vault name is refused at namePrefix, with the name it gives", () => {
      // The prefix "2024" loses its leading digits: the vault would be named "-kv".
      const problem = {
        path: "namePrefix",
        message:
          'gives the vault name <namePrefix>-kv, and "-kv" is not a Key Vault name; use 3-24 letters, digits and single hyphens, starting with a letter and ending with a letter or digit (Microsoft naming rules) (names are global across Azure)',
      };
      assert.deepEqual(keyVaultArgsProblems(vault({ namePrefix: "2024" })), [problem]);
      // A vault name given, or an existing vault, makes the prefix's vault name moot.
      assert.deepEqual(keyVaultArgsProblems(vault({ namePrefix: "2024", vaultName: "kv-vp-dev" })), []);
      assert.deepEqual(
        keyVaultArgsProblems({
          existing: { vaultName: "kv-shared", resourceGroupName: "rg" },
          namePrefix: "2024",
        }),
        [],
      );
      assert.deepEqual(keyVaultArgsProblems(vault({ namePrefix: "vp" })), []);
    });

    it("a kept name suffix: only with uniqueName true, and as the vault's name ends (lowercase)", () => {
      assert.deepEqual(keyVaultArgsProblems(vault({ namePrefix: "vp", nameSuffix: "3fa9c1" })), [
        {
          path: "nameSuffix",
          message:
            "only used with uniqueName: true (the suffix is appended to the vault's name); remove it, or set uniqueName: true",
        },
      ]);
      assert.deepEqual(
        keyVaultArgsProblems(vault({ namePrefix: "vp", nameSuffix: "3FA9C1", uniqueName: true })),
        [
          {
            path: "nameSuffix",
            message:
              '"3FA9C1" is not a vault-name suffix; give the part after the last "-" of the vault\'s current name (1-10 lowercase letters or digits, e.g. "3fa9c1"): pulumi stack output keyVaultUri shows it',
          },
        ],
      );
      assert.deepEqual(
        keyVaultArgsProblems(vault({ namePrefix: "vp", nameSuffix: "3fa9c1", uniqueName: true })),
        [],
      );
      // An existing vault is not named by this component: its suffix is not read.
      assert.deepEqual(
        keyVaultArgsProblems({
          existing: { vaultName: "kv-shared", resourceGroupName: "rg" },
          nameSuffix: "3FA9C1",
        }),
        [],
      );
    });

    it("not an object, a wrong type and an unknown arg: each named, the rules still run on the rest", () => {
      assert.deepEqual(keyVaultArgsProblems(null), NOT_AN_OBJECT);
      assert.deepEqual(keyVaultArgsProblems([]), NOT_AN_OBJECT);
      assert.deepEqual(keyVaultArgsProblems("kv-vp-dev"), NOT_AN_OBJECT);
      assert.deepEqual(keyVaultArgsProblems({ location: "westeurope", nameprefix: "vp" }), [
        { path: "nameprefix", message: 'is not an arg here; did you mean "namePrefix"?' },
        { path: "resourceGroupName", message: NEEDED_TO_CREATE },
      ]);
      assert.deepEqual(keyVaultArgsProblems(vault({ firewall: "on" })), [
        { path: "firewall", message: '"on" must be one of "trustedServices", "gatewaySubnet", "open"' },
      ]);
    });

    it("an empty name prefix; a tenant given as a domain or the nil GUID placeholder, named with the fix", () => {
      assert.deepEqual(keyVaultArgsProblems(vault({ vaultName: "kv-vp-dev", namePrefix: "" })), [
        { path: "namePrefix", message: '"" must not be empty' },
      ]);
      assert.deepEqual(keyVaultArgsProblems(vault({ tenantId: "contoso.onmicrosoft.com" })), [
        { path: "tenantId", message: "must be the Entra tenant ID (a GUID)" },
      ]);
      assert.deepEqual(keyVaultArgsProblems(vault({ tenantId: "00000000-0000-0000-0000-000000000000" })), [
        {
          path: "tenantId",
          message:
            "is the nil GUID (all zeros), a placeholder; give the Entra tenant ID from the Entra admin center",
        },
      ]);
      assert.deepEqual(keyVaultArgsProblems(vault({ tenantId: "3f2b8c1d-5e6a-4b7c-9d8e-1a2b3c4d5e6f" })), []);
    });

    it("a value not known yet is not spoken for: the rules wait for it", () => {
      assert.deepEqual(
        keyVaultArgsProblems({ namePrefix: "vp", resourceGroupName: UNKNOWN, location: UNKNOWN }),
        [],
      );
      assert.deepEqual(keyVaultArgsProblems(vault({ namePrefix: UNKNOWN })), []);
    });
  });

  describe("PublicEndpoint", () => {
    it("valid args pass, with or without the optional parts", () => {
      assert.deepEqual(publicEndpointArgsProblems(endpoint()), []);
      assert.deepEqual(
        publicEndpointArgsProblems(
          endpoint({
            vantagepointPath: "vantagepoint/",
            sslPolicyName: "AppGwSslPolicy20220101",
            dns: { zoneName: "example.com", zoneResourceGroupName: "rg-dns", recordName: "vantagepoint" },
            autoscale: { minCapacity: 3, maxCapacity: 3 },
          }),
        ),
        [],
      );
    });

    it("a path with a query or spaces is refused at vantagepointPath, without repeating the arg name", () => {
      assert.deepEqual(publicEndpointArgsProblems(endpoint({ vantagepointPath: "/vantagepoint?x=1" })), [
        {
          path: "vantagepointPath",
          message: '"/vantagepoint?x=1" is not a URL path; expected something like /vantagepoint',
        },
      ]);
    });

    it("a certificate id that is not the vault's secret id (the /certificates/ URL is the usual slip)", () => {
      assert.deepEqual(
        publicEndpointArgsProblems(
          endpoint({ certificateSecretId: "https://vp-kv.vault.azure.net/certificates/vantagepoint-tls" }),
        ),
        [
          {
            path: "certificateSecretId",
            message:
              '"https://vp-kv.vault.azure.net/certificates/vantagepoint-tls" is not a Key Vault secret id; expected https://<vault>.vault.azure.net/secrets/<certificate name>',
          },
        ],
      );
    });

    it("an old TLS policy is refused, naming the two accepted; both accepted ones pass", () => {
      assert.deepEqual(publicEndpointArgsProblems(endpoint({ sslPolicyName: "AppGwSslPolicy20170401S" })), [
        {
          path: "sslPolicyName",
          message:
            '"AppGwSslPolicy20170401S" is not an accepted TLS policy; use AppGwSslPolicy20220101S or AppGwSslPolicy20220101 (TLS 1.2 or newer)',
        },
      ]);
      assert.deepEqual(
        publicEndpointArgsProblems(endpoint({ sslPolicyName: "AppGwSslPolicy20220101S" })),
        [],
      );
      assert.deepEqual(publicEndpointArgsProblems(endpoint({ sslPolicyName: "AppGwSslPolicy20220101" })), []);
    });

    it("a DNS record that names another host than the public host name; compared without case; @ is the zone", () => {
      const dns = (recordName: string, zoneName = "example.com") => ({
        zoneName,
        zoneResourceGroupName: "rg-dns",
        recordName,
      });
      assert.deepEqual(publicEndpointArgsProblems(endpoint({ dns: dns("vp") })), [
        {
          path: "dns.recordName",
          message:
            "vp.example.com is not the public host name vantagepoint.example.com; the A record must name the host Connect uses",
        },
      ]);
      assert.deepEqual(publicEndpointArgsProblems(endpoint({ dns: dns("@") })), [
        {
          path: "dns.recordName",
          message:
            "example.com is not the public host name vantagepoint.example.com; the A record must name the host Connect uses",
        },
      ]);
      assert.deepEqual(publicEndpointArgsProblems(endpoint({ dns: dns("VantagePoint", "Example.COM") })), []);
      assert.deepEqual(
        publicEndpointArgsProblems(endpoint({ publicHostname: "example.com", dns: dns("@") })),
        [],
      );
      // The host name not known yet: the record is checked once it is.
      assert.deepEqual(publicEndpointArgsProblems(endpoint({ publicHostname: UNKNOWN, dns: dns("vp") })), []);
    });

    it("autoscale: a maximum below the minimum (given, or the default 0 and 2) is refused at maxCapacity", () => {
      const max = (message: string) => [{ path: "autoscale.maxCapacity", message }];
      assert.deepEqual(
        publicEndpointArgsProblems(endpoint({ autoscale: { minCapacity: 5, maxCapacity: 3 } })),
        max("3 is below minCapacity 5; give at least 5"),
      );
      // Only a minimum: the maximum is 2.
      assert.deepEqual(
        publicEndpointArgsProblems(endpoint({ autoscale: { minCapacity: 3 } })),
        max("2 is below minCapacity 3; give at least 3"),
      );
      assert.deepEqual(publicEndpointArgsProblems(endpoint({ autoscale: { minCapacity: 2 } })), []);
      // Only a maximum: the minimum is 0.
      assert.deepEqual(publicEndpointArgsProblems(endpoint({ autoscale: { maxCapacity: 2 } })), []);
      assert.deepEqual(
        publicEndpointArgsProblems(endpoint({ autoscale: { minCapacity: 4, maxCapacity: 4 } })),
        [],
      );
      assert.deepEqual(publicEndpointArgsProblems(endpoint({ autoscale: {} })), []);
    });

    it("autoscale capacities outside Azure's limits (0-125 minimum, 2-125 maximum); the limits themselves pass", () => {
      assert.deepEqual(
        publicEndpointArgsProblems(endpoint({ autoscale: { minCapacity: -1, maxCapacity: 126 } })),
        [
          { path: "autoscale.minCapacity", message: "-1 must be at least 0" },
          { path: "autoscale.maxCapacity", message: "126 must be at most 125" },
        ],
      );
      assert.deepEqual(
        publicEndpointArgsProblems(endpoint({ autoscale: { minCapacity: 126, maxCapacity: 1 } })),
        [
          { path: "autoscale.minCapacity", message: "126 must be at most 125" },
          { path: "autoscale.maxCapacity", message: "1 must be at least 2" },
          { path: "autoscale.maxCapacity", message: "1 is below minCapacity 126; give at least 126" },
        ],
      );
      assert.deepEqual(
        publicEndpointArgsProblems(endpoint({ autoscale: { minCapacity: 0, maxCapacity: 125 } })),
        [],
      );
      assert.deepEqual(
        publicEndpointArgsProblems(endpoint({ autoscale: { minCapacity: 125, maxCapacity: 125 } })),
        [],
      );
    });

    it("a DNS zone or record given as a number is the shape's problem only, not a host-name mismatch", () => {
      const NUMBER = (n: number) =>
        `must be text, not ${n}; put the value in quotes (YAML and JSON read an unquoted ${n} as a number, and a number loses leading zeros)`;
      assert.deepEqual(
        publicEndpointArgsProblems(
          endpoint({ dns: { zoneName: 5, zoneResourceGroupName: "rg-dns", recordName: "vantagepoint" } }),
        ),
        [{ path: "dns.zoneName", message: NUMBER(5) }],
      );
      assert.deepEqual(
        publicEndpointArgsProblems(
          endpoint({ dns: { zoneName: "example.com", zoneResourceGroupName: "rg-dns", recordName: 5 } }),
        ),
        [{ path: "dns.recordName", message: NUMBER(5) }],
      );
      // The host name not known yet: the other rules still speak.
      assert.deepEqual(
        publicEndpointArgsProblems(
          endpoint({
            publicHostname: UNKNOWN,
            sslPolicyName: "AppGwSslPolicy20150501",
            dns: { zoneName: "example.com", zoneResourceGroupName: "rg-dns", recordName: "vp" },
          }),
        ),
        [
          {
            path: "sslPolicyName",
            message:
              '"AppGwSslPolicy20150501" is not an accepted TLS policy; use AppGwSslPolicy20220101S or AppGwSslPolicy20220101 (TLS 1.2 or newer)',
          },
        ],
      );
    });

    it("a certificate id left out is one problem; the other rules still speak", () => {
      const args = endpoint({ sslPolicyName: "AppGwSslPolicy20170401S" });
      delete args.certificateSecretId;
      assert.deepEqual(publicEndpointArgsProblems(args), [
        { path: "certificateSecretId", message: "is required (text)" },
        {
          path: "sslPolicyName",
          message:
            '"AppGwSslPolicy20170401S" is not an accepted TLS policy; use AppGwSslPolicy20220101S or AppGwSslPolicy20220101 (TLS 1.2 or newer)',
        },
      ]);
    });

    it("an empty name prefix or subnet id is refused as empty", () => {
      assert.deepEqual(publicEndpointArgsProblems(endpoint({ namePrefix: "", gatewaySubnetId: "" })), [
        { path: "namePrefix", message: '"" must not be empty' },
        { path: "gatewaySubnetId", message: '"" must not be empty' },
      ]);
    });

    it("internal-CA roots on an HTTP backend, or two roots with one name, named with PublicEndpoint's args", () => {
      const root = (name: string) => ({ name, data: ROOT_CA_DER_BASE64 });
      assert.deepEqual(
        publicEndpointArgsProblems(
          endpoint({
            backend: {
              address: "10.20.0.5",
              port: 80,
              protocol: "Http",
              trustedRootCertificates: [root("ca")],
            },
          }),
        ),
        [
          {
            path: "backend.trustedRootCertificates",
            message: 'are only used for an HTTPS backend; set backend.protocol: "Https", or remove them',
          },
        ],
      );
      assert.deepEqual(
        publicEndpointArgsProblems(
          endpoint({
            backend: { address: "10.20.0.5", trustedRootCertificates: [root("Corp-CA"), root("corp-ca")] },
          }),
        ),
        [
          {
            path: "backend.trustedRootCertificates[1].name",
            message: '"corp-ca" is also the name of entry 0; give each certificate its own name',
          },
        ],
      );
    });

    it("not an object is one problem; a value not known yet waits; a wrong shape is named", () => {
      assert.deepEqual(publicEndpointArgsProblems(undefined), NOT_AN_OBJECT);
      assert.deepEqual(publicEndpointArgsProblems([endpoint()]), NOT_AN_OBJECT);
      assert.deepEqual(
        publicEndpointArgsProblems(endpoint({ certificateSecretId: UNKNOWN, vantagepointPath: UNKNOWN })),
        [],
      );
      assert.deepEqual(publicEndpointArgsProblems(endpoint({ autoscale: { minCapacity: "3" } })), [
        { path: "autoscale.minCapacity", message: 'must be a number, not "3"' },
      ]);
    });
  });

  describe("the Vantagepoint resources", () => {
    it("ConnectRoster: the API root is checked as connection.url; a user ID twice by entry; valid args pass", () => {
      assert.deepEqual(
        rosterArgsProblems({ connection: connection(), entries: [person("PJONES", "pat@example.com")] }),
        [],
      );
      assert.deepEqual(rosterArgsProblems({ connection: connection({ url: `${API}/token` }), entries: [] }), [
        TOKEN_URL_PROBLEM,
      ]);
      assert.deepEqual(
        rosterArgsProblems({
          connection: connection(),
          entries: [person("PJONES", "pat@example.com"), person("pjones", "pj@example.com")],
        }),
        [
          {
            path: "entries[1].userId",
            message: '"pjones" is listed twice (also at entries[0]); each user ID once',
          },
        ],
      );
      // The connection not known yet: the entries are still checked.
      assert.deepEqual(
        rosterArgsProblems({
          connection: UNKNOWN,
          entries: [person("PJONES", "pat@example.com"), person("pjones", "pj@example.com")],
        }),
        [
          {
            path: "entries[1].userId",
            message: '"pjones" is listed twice (also at entries[0]); each user ID once',
          },
        ],
      );
      assert.deepEqual(rosterArgsProblems(null), NOT_AN_OBJECT);
    });

    it("ConnectRoster with entries checked already (a site's shard): only a list, the rest still checked", () => {
      const twice = [person("PJONES", "pat@example.com"), person("pjones", "pj@example.com")];
      assert.deepEqual(rosterArgsProblems({ connection: connection(), entries: twice }, true), []);
      assert.deepEqual(rosterArgsProblems({ connection: connection(), entries: [1, 2] }, true), []);
      assert.deepEqual(rosterArgsProblems({ connection: connection(), entries: [1] }), [
        { path: "entries[0]", message: "must be a map of keys, not 1" },
      ]);
      assert.deepEqual(rosterArgsProblems({ connection: connection(), entries: "PJONES" }, true), [
        { path: "entries", message: 'must be a list, not "PJONES"' },
      ]);
      assert.deepEqual(
        rosterArgsProblems({ connection: connection({ url: `${API}/token` }), entries: twice }, true),
        [TOKEN_URL_PROBLEM],
      );
      assert.deepEqual(rosterArgsProblems(null, true), NOT_AN_OBJECT);
    });

    it("ConnectRoster's shard: an index below 0 or a count below 1 is refused; shard 0 of 1 passes", () => {
      assert.deepEqual(
        rosterArgsProblems({ connection: connection(), entries: [], shard: { index: -1, count: 0 } }),
        [
          { path: "shard.index", message: "-1 must be at least 0" },
          { path: "shard.count", message: "0 must be at least 1" },
        ],
      );
      assert.deepEqual(
        rosterArgsProblems({ connection: connection(), entries: [], shard: { index: 0, count: 1 } }),
        [],
      );
    });

    it("ConnectAdminRole: the role named, at most 40 characters; the API root checked", () => {
      assert.deepEqual(adminRoleArgsProblems({ connection: connection(), role: "" }), [
        { path: "role", message: '"" must name the security role' },
      ]);
      assert.deepEqual(adminRoleArgsProblems({ connection: connection(), role: "R".repeat(41) }), [
        { path: "role", message: `"${"R".repeat(41)}" must be at most 40 characters` },
      ]);
      assert.deepEqual(adminRoleArgsProblems({ connection: connection(), role: "R".repeat(40) }), []);
      assert.deepEqual(
        adminRoleArgsProblems({ connection: connection({ url: `${API}/token` }), role: "ADMIN" }),
        [TOKEN_URL_PROBLEM],
      );
      assert.deepEqual(adminRoleArgsProblems("ADMIN"), NOT_AN_OBJECT);
    });

    it("ConnectApiClient: its own Client ID as Connect's, with the API root's problem too; unknown waits", () => {
      assert.deepEqual(
        apiClientArgsProblems({
          connection: connection(),
          name: "Connect",
          clientId: "vpconnect-provisioning",
        }),
        [OWN_CLIENT_ID],
      );
      assert.deepEqual(
        apiClientArgsProblems({
          connection: connection({ url: `${API}/token` }),
          name: "Connect",
          clientId: "vpconnect-provisioning",
        }),
        [TOKEN_URL_PROBLEM, OWN_CLIENT_ID],
      );
      assert.deepEqual(
        apiClientArgsProblems({ connection: connection(), name: "Connect", clientId: "connect-42" }),
        [],
      );
      assert.deepEqual(
        apiClientArgsProblems({ connection: connection(), name: "Connect", clientId: UNKNOWN }),
        [],
      );
      assert.deepEqual(
        apiClientArgsProblems({
          connection: connection(),
          name: "Connect",
          clientSecret: "connect-secret-0f9a",
        }),
        [],
      );
      assert.deepEqual(
        apiClientArgsProblems({ connection: connection(), name: "Connect", clientSecret: "" }),
        [{ path: "clientSecret", message: '"" must not be empty' }],
      );
    });

    it("a wrong type and a refused value at once: both listed (the shape does not hide the rules)", () => {
      assert.deepEqual(
        apiClientArgsProblems({
          connection: connection(),
          name: "Connect",
          clientId: "vpconnect-provisioning",
          clientSecret: "",
        }),
        [{ path: "clientSecret", message: '"" must not be empty' }, OWN_CLIENT_ID],
      );
      assert.deepEqual(
        adminRoleArgsProblems({ connection: connection({ url: `${API}/token` }), role: "ADMIN", version: 7 }),
        [
          {
            path: "version",
            message:
              "must be text, not 7; put the value in quotes (YAML and JSON read an unquoted 7 as a number, and a number loses leading zeros)",
          },
          TOKEN_URL_PROBLEM,
        ],
      );
    });

    it("ConnectRosterBrake: a user ID as a number and a limit in quotes, each named; an unknown arg listed", () => {
      assert.deepEqual(
        rosterBrakeArgsProblems({ userIds: ["PJONES", 1042], removalBrake: { maxRemovals: "5" } }),
        [
          {
            path: "userIds[1]",
            message:
              "must be text, not 1042; put the value in quotes (YAML and JSON read an unquoted 1042 as a number, and a number loses leading zeros)",
          },
          { path: "removalBrake.maxRemovals", message: 'must be a number, not "5"' },
        ],
      );
      assert.deepEqual(rosterBrakeArgsProblems({ userIds: ["PJONES"], brake: { maxRemovals: 5 } }), [
        { path: "brake", message: "is not an arg here; expected one of userIds, removalBrake" },
      ]);
      assert.deepEqual(rosterBrakeArgsProblems({ userIds: ["PJONES"] }), []);
      assert.deepEqual(rosterBrakeArgsProblems(null), NOT_AN_OBJECT);
    });
  });
});
