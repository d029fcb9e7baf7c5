/**
 * Every component checks its args before registering (issue 18, item 2): a JavaScript, YAML or Python caller that
 * gives a wrong type or leaves out a required arg gets one error naming the arg (a RunError: no stack trace), never
 * a TypeError, and nothing registers. Values given as Outputs are checked once known, with the same words.
 */
import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { ConnectKeyVault } from "../../components/connectKeyVault";
import { PublicEndpoint } from "../../components/publicEndpoint";
import {
  ConnectAdminRole,
  ConnectApiClient,
  ConnectRoster,
  ConnectRosterBrake,
} from "../../components/vantagepoint";
import { laterErrors } from "../support/laterErrors";
import { argsCheckTests, type Args, type ArgsCase, type ComponentUnderTest } from "../support/argsCases";
import { Harness, installMocks } from "../support/pulumiMocks";

const connection = (): Args => ({
  url: "https://vp.example.com/vantagepoint/api",
  database: "VP",
  username: "svc-pulumi",
  password: "component-sentinel-password",
  clientId: "vpconnect-provisioning",
  clientSecret: "component-sentinel-secret",
});

const person = (userId: string, email: string): Args => ({
  userId,
  email,
  firstName: "Pat",
  lastName: "Jones",
});

/** Each component with valid args (so each case fails for its one edit). */
const COMPONENTS: Record<string, ComponentUnderTest> = {
  ConnectKeyVault: {
    make: (name, args) => new ConnectKeyVault(name, args as never),
    args: () => ({
      namePrefix: "vp",
      vaultName: "kv-vpconnect-dev",
      resourceGroupName: "rg-vp",
      location: "westeurope",
      certificate: { name: "vantagepoint-tls", source: "keyVault" },
    }),
  },
  PublicEndpoint: {
    make: (name, args) => new PublicEndpoint(name, args as never),
    args: () => ({
      resourceGroupName: "rg-vp",
      location: "westeurope",
      namePrefix: "vp-test",
      publicHostname: "vantagepoint.example.com",
      backend: { address: "10.20.0.5", port: 443 },
      gatewaySubnetId:
        "/subscriptions/s/resourceGroups/rg-vp/providers/Microsoft.Network/virtualNetworks/v/subnets/a",
      wafPolicyId: "/subscriptions/s/resourceGroups/rg-vp/providers/Microsoft.Network/waf/w",
      certificateSecretId: "https://vp-kv.vault.azure.net/secrets/vantagepoint-tls",
    }),
  },
  ConnectRoster: {
    make: (name, args) => new ConnectRoster(name, args as never),
    args: () => ({
      connection: connection(),
      entries: [person("PJONES", "pat.jones@example.com"), person("ALEE", "alex.lee@example.com")],
    }),
  },
  ConnectRosterBrake: {
    make: (name, args) => new ConnectRosterBrake(name, args as never),
    args: () => ({ userIds: ["PJONES", "ALEE"], removalBrake: { maxRemovals: 5 } }),
  },
  ConnectAdminRole: {
    make: (name, args) => new ConnectAdminRole(name, args as never),
    args: () => ({ connection: connection(), role: "ADMIN" }),
  },
  ConnectApiClient: {
    make: (name, args) => new ConnectApiClient(name, args as never),
    args: () => ({ connection: connection(), name: "Vantagepoint Connect" }),
  },
};

type Case = ArgsCase & { component: keyof typeof COMPONENTS };

const CASES: Case[] = [
  {
    component: "ConnectKeyVault",
    what: "a wrong type",
    edit: (a) => (a.uniqueName = "yes"),
    lines: ['  uniqueName: must be true or false, not "yes"'],
  },
  {
    component: "ConnectKeyVault",
    what: "a missing required arg",
    edit: (a) => delete a.location,
    lines: [
      "  location: is required to create a Key Vault; give it, or name an existing vault under existing",
    ],
  },
  {
    component: "PublicEndpoint",
    what: "a wrong type",
    edit: (a) => (a.backend.port = "443"),
    lines: ['  backend.port: must be a number, not "443"'],
  },
  {
    component: "PublicEndpoint",
    what: "a missing required arg",
    edit: (a) => delete a.publicHostname,
    lines: ["  publicHostname: is required (text)"],
  },
  {
    component: "ConnectRoster",
    what: "a wrong type",
    edit: (a) => (a.entries = person("PJONES", "pat.jones@example.com")),
    lines: ["  entries: must be a list, not an object"],
  },
  {
    component: "ConnectRoster",
    what: "a missing required arg",
    edit: (a) => delete a.connection.url,
    lines: ["  connection.url: is required (text)"],
  },
  {
    component: "ConnectRoster",
    what: "one person listed twice (the shared roster rules)",
    edit: (a) => (a.entries[1].userId = "pjones"),
    lines: ['  entries[1].userId: "pjones" is listed twice (also at entries[0]); each user ID once'],
  },
  {
    component: "ConnectRosterBrake",
    what: "one user ID instead of a list",
    edit: (a) => (a.userIds = "PJONES"),
    lines: ['  userIds: must be a list, not "PJONES"'],
  },
  {
    component: "ConnectRosterBrake",
    what: "a missing required arg",
    edit: (a) => delete a.userIds,
    lines: ["  userIds: is required (a list)"],
  },
  {
    component: "ConnectAdminRole",
    what: "a wrong type",
    edit: (a) => (a.role = ["ADMIN"]),
    lines: ["  role: must be text, not a list of 1"],
  },
  {
    component: "ConnectAdminRole",
    what: "a missing required arg",
    edit: (a) => delete a.role,
    lines: ["  role: is required (text)"],
  },
  {
    component: "ConnectApiClient",
    what: "a wrong type",
    edit: (a) => (a.allowCreate = "false"),
    lines: ['  allowCreate: must be true or false, not "false"'],
  },
  {
    component: "ConnectApiClient",
    what: "a missing required arg",
    edit: (a) => delete a.connection,
    lines: ["  connection: is required (a map of keys)"],
  },
  {
    component: "ConnectApiClient",
    what: "its own Client ID as Connect's (the shared value rule)",
    edit: (a) => (a.clientId = "VPCONNECT-PROVISIONING"),
    lines: [
      `  clientId: "VPCONNECT-PROVISIONING" is the Client ID this project signs in with (connection.clientId), not Connect's; copy Connect's Client ID from Connect Administration's Settings tab, or remove clientId to find it by name`,
    ],
  },
];

describe("components check their args before registering", function () {
  this.timeout(60_000);
  let harness: Harness;
  before(async () => {
    harness = await installMocks();
  });
  beforeEach(() => harness.reset());
  after(() => harness.restore());

  argsCheckTests(() => harness, COMPONENTS, CASES, { minResources: 1, neverShown: /component-sentinel/ });

  it("ConnectRoster: a connection given as an Output is checked once known, and the roster is not created", async () => {
    const errors = await laterErrors(() => {
      new ConnectRoster("later", {
        connection: pulumi.secret({ ...connection(), url: "https://vp.example.com/vantagepoint/api/token" }),
        entries: [person("PJONES", "pat.jones@example.com")],
      } as never);
    });
    const message = errors.find((e) => e.startsWith('ConnectRoster "later"'));
    assert.ok(message, errors.join("\n"));
    assert.match(message, /found once the values were known/);
    assert.match(
      message,
      /\n {2}connection\.url: "https:\/\/vp\.example\.com\/vantagepoint\/api\/token" is the token endpoint/,
    );
    assert.doesNotMatch(message, /component-sentinel/);
    assert.equal(harness.resources.filter((r) => r.name === "later").length, 0, "the roster is not created");
  });
});
