/**
 * The Entra app components and SiteVerification check their args before registering (issue 18, item 2): a
 * JavaScript, YAML or Python caller that gives a wrong type, leaves out a required arg or gives a value the rules
 * refuse gets one error listing every problem by arg (a RunError: no stack trace), never a TypeError or a failure
 * after resources registered.
 */
import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { ConnectMailboxApp } from "../../components/connectMailboxApp";
import { SiteVerification } from "../../components/siteVerification";
import { VantagepointLoginApp } from "../../components/vantagepointLoginApp";
import { laterErrors } from "../support/laterErrors";
import { argsCheckTests, type ArgsCase, type ComponentUnderTest } from "../support/argsCases";
import { Harness, installMocks } from "../support/pulumiMocks";

const VAULT_ID = "/subscriptions/sub/resourceGroups/rg-kv/providers/Microsoft.KeyVault/vaults/vp-kv";
const daysAgo = (n: number) => new Date(Date.now() - n * 86400_000).toISOString().slice(0, 10);

/** Each component with valid args (so each case fails for its one edit). */
const COMPONENTS: Record<string, ComponentUnderTest> = {
  VantagepointLoginApp: {
    make: (name, args) => new VantagepointLoginApp(name, args as never),
    args: () => ({
      namePrefix: "vp-test",
      publicUrl: "https://vantagepoint.example.com/vantagepoint",
      keyVaultId: VAULT_ID,
      secretRotatedOn: daysAgo(10),
    }),
  },
  ConnectMailboxApp: {
    make: (name, args) => new ConnectMailboxApp(name, args as never),
    args: () => ({ namePrefix: "vp-test", keyVaultId: VAULT_ID, secretRotatedOn: daysAgo(5) }),
  },
  SiteVerification: {
    make: (name, args) => new SiteVerification(name, args as never),
    args: () => ({
      publicUrl: "https://vp.contoso.com/vantagepoint",
      apiUrl: "https://vp.contoso.com/vantagepoint/api",
      certificateMinDays: 30,
      publicIpAddress: "20.1.2.3",
    }),
  },
};

type Case = ArgsCase & { component: keyof typeof COMPONENTS };

const CASES: Case[] = [
  {
    component: "VantagepointLoginApp",
    what: "a date given as a number",
    edit: (a) => (a.secretRotatedOn = 20251201),
    lines: ["  secretRotatedOn: must be a date written YYYY-MM-DD, not 20251201"],
  },
  {
    component: "VantagepointLoginApp",
    what: "a missing required arg",
    edit: (a) => delete a.keyVaultId,
    lines: ["  keyVaultId: is required (text)"],
  },
  {
    component: "VantagepointLoginApp",
    what: "two mistakes at once (an http URL, owners as one text)",
    edit: (a) => {
      a.publicUrl = "http://vantagepoint.example.com/vantagepoint";
      a.owners = "5f0c2a61-3b7e-4f7a-9d2c-6a1e8b4c7d90";
    },
    lines: [
      '  owners: must be a list, not "5f0c2a61-3b7e-4f7a-9d2c-6a1e8b4c7d90"',
      '  publicUrl: "http://vantagepoint.example.com/vantagepoint" is not an https URL; expected https://<host>/vantagepoint',
    ],
  },
  {
    component: "ConnectMailboxApp",
    what: "owners given as one text, not a list",
    edit: (a) => (a.owners = "5f0c2a61-3b7e-4f7a-9d2c-6a1e8b4c7d90"),
    lines: ['  owners: must be a list, not "5f0c2a61-3b7e-4f7a-9d2c-6a1e8b4c7d90"'],
  },
  {
    component: "ConnectMailboxApp",
    what: "a missing required arg",
    edit: (a) => delete a.secretRotatedOn,
    lines: ["  secretRotatedOn: is required (text)"],
  },
  {
    component: "VantagepointLoginApp",
    what: "the vault's URI where its resource id belongs",
    edit: (a) => (a.keyVaultId = "https://vp-kv.vault.azure.net/"),
    lines: [
      '  keyVaultId: "https://vp-kv.vault.azure.net/" is not a Key Vault resource id; expected /subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.KeyVault/vaults/<name>',
    ],
  },
  {
    component: "ConnectMailboxApp",
    what: "the vault's name where its resource id belongs",
    edit: (a) => (a.keyVaultId = "vp-kv"),
    lines: [
      '  keyVaultId: "vp-kv" is not a Key Vault resource id; expected /subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.KeyVault/vaults/<name>',
    ],
  },
  {
    component: "SiteVerification",
    what: "a number given as text (as YAML often does)",
    edit: (a) => (a.certificateMinDays = "30"),
    lines: ['  certificateMinDays: must be a number, not "30"'],
  },
  {
    component: "SiteVerification",
    what: "a missing required arg",
    edit: (a) => delete a.apiUrl,
    lines: ["  apiUrl: is required (text)"],
  },
  {
    component: "SiteVerification",
    what: "an http API URL (the rule the deploy-time check had)",
    edit: (a) => (a.apiUrl = "http://vp.contoso.com/vantagepoint/api"),
    lines: [
      "  apiUrl: must use https:// (got http://; http only for 127.0.0.1/localhost); Connect reaches the site only over HTTPS",
    ],
  },
];

describe("the Entra apps and SiteVerification check their args before registering", function () {
  this.timeout(60_000);
  let harness: Harness;
  before(async () => {
    harness = await installMocks();
  });
  beforeEach(() => harness.reset());
  after(() => harness.restore());

  argsCheckTests(() => harness, COMPONENTS, CASES, { minResources: 2 });

  it("SiteVerification: a URL given as an Output is checked once known, and the command is not created", async () => {
    const errors = await laterErrors(() => {
      new SiteVerification("later", {
        ...COMPONENTS.SiteVerification!.args(),
        apiUrl: pulumi.output("https://admin:pw@vp.contoso.com/vantagepoint/api"),
      } as never);
    });
    const message = errors.find((e) => e.startsWith('SiteVerification "later"'));
    assert.ok(message, errors.join("\n"));
    assert.match(message, /found once the values were known/);
    assert.match(message, /\n {2}apiUrl: remove the user name and password from the URL/);
    assert.doesNotMatch(message, /pw@/);
    assert.equal(harness.ofType("command:local:Command").length, 0, "the command is not created");
  });
});
