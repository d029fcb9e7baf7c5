// Parts used alone, the way a platform team adds them to a program it already has.
import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { ConnectAllowList } from "../../components/connectAllowList";
import { ConnectKeyVault } from "../../components/connectKeyVault";
import { ConnectApiClient, ConnectRoster } from "../../components/vantagepoint";
import { connectApiClientProvider, connectRosterProvider } from "../../components/vantagepoint";
import type { ConnectApiClientInputs, ConnectRosterInputs } from "../../components/vantagepoint";
import { startEmulator, type Emulator } from "../../emulator";
import { Harness, installMocks, valueOf } from "../support/pulumiMocks";

const DYNAMIC = "pulumi-nodejs:dynamic:Resource";

describe("ConnectRoster and ConnectApiClient against an existing site (no Azure at all)", () => {
  let harness: Harness;
  let emu: Emulator;
  before(async () => {
    harness = await installMocks();
    emu = await startEmulator({});
  });
  beforeEach(() => harness.reset());
  after(async () => {
    harness.restore();
    await emu.stop();
  });

  function declare(): void {
    const connection = pulumi.secret(emu.connection());
    new ConnectRoster("team-roster", {
      connection,
      entries: [
        {
          userId: "KSMITH",
          email: "k.smith@contoso.example",
          firstName: "Kim",
          lastName: "Smith",
          role: "ADMIN",
          configurer: true,
        },
        { userId: "LBROWN", email: "l.brown@contoso.example", firstName: "Lee", lastName: "Brown" },
      ],
      // A site that does not number employees itself (the strict emulator): keys T00001, T00002, ...
      newEmployees: { key: "sequence", prefix: "T" },
    });
    new ConnectApiClient("team-connect-client", { connection });
  }

  const byKind = (kind: string) => {
    const found = harness.ofType(DYNAMIC).filter((r) => r.inputs.vpconnectResource === kind);
    assert.equal(found.length, 1, `one ${kind}`);
    return found[0]!;
  };
  /** A dynamic resource's inputs as the engine hands them to its provider (without the serialized provider). */
  function providerInputs<T>(kind: string): T {
    const { __provider: _provider, ...inputs } = byKind(kind).inputs;
    void _provider;
    return inputs as T;
  }

  it("registers the two dynamic resources and nothing from Azure or Entra", async () => {
    declare();
    await harness.settle();
    assert.deepEqual(
      harness.resources.map((r) => r.type),
      [DYNAMIC, DYNAMIC],
    );
    assert.deepEqual(
      harness.calls.map((c) => c.token),
      [],
      "no Azure or Entra function call (no credentials for them needed)",
    );
  });

  it("takes the documented defaults: detach on delete, adopt-only, protected and retained", async () => {
    declare();
    await harness.settle();
    const roster = byKind("ConnectRoster");
    const client = byKind("ConnectApiClient");
    assert.equal(roster!.inputs.onDelete, "detach");
    assert.equal(client!.inputs.name, "Vantagepoint Connect");
    assert.equal(client!.inputs.allowCreate, false);
    assert.equal(client!.protect, true);
    assert.equal(client!.retainOnDelete, true);
    for (const r of [roster!, client!]) {
      assert.ok(
        r.secretPaths.some((p) => p.startsWith("connection")),
        `${r.name}: the connection must be secret`,
      );
    }
  });

  it("seeds the site and adopts its Connect API client when the recorded inputs are applied", async () => {
    declare();
    await harness.settle();
    const rosterInputs = providerInputs<ConnectRosterInputs>("ConnectRoster");
    const clientInputs = providerInputs<ConnectApiClientInputs>("ConnectApiClient");
    const checkedRoster = await connectRosterProvider.check!(rosterInputs, rosterInputs);
    assert.deepEqual(checkedRoster.failures, []);
    const roster = await connectRosterProvider.create!(checkedRoster.inputs!);
    const people = roster.outs!.people as Array<{ email: string; linked: boolean }>;
    assert.deepEqual(
      people.map((p) => [p.email, p.linked]),
      [
        ["k.smith@contoso.example", true],
        ["l.brown@contoso.example", true],
      ],
    );
    const checkedClient = await connectApiClientProvider.check!(clientInputs, clientInputs);
    assert.deepEqual(checkedClient.failures, []);
    const adopted = await connectApiClientProvider.create!(checkedClient.inputs!);
    assert.match(String(adopted.outs!.clientId), /\S/);
    assert.equal(adopted.outs!.created, false, "adopted, not created");
  });
});

describe("ConnectAllowList with a gateway the team already has", () => {
  let harness: Harness;
  before(async () => {
    harness = await installMocks();
  });
  beforeEach(() => harness.reset());
  after(() => harness.restore());

  it("creates only the NSG and the WAF policy, named after the component when no prefix is given", async () => {
    const allowList = new ConnectAllowList("office", {
      connectIps: ["203.0.113.0/24"],
      resourceGroupName: "rg-network",
      location: "westeurope",
    });
    await harness.settle();
    assert.deepEqual(harness.resources.map((r) => r.type).sort(), [
      "azure-native:network:NetworkSecurityGroup",
      "azure-native:network:WebApplicationFirewallPolicy",
      "vantagepoint-connect:index:ConnectAllowList",
    ]);
    assert.equal(
      harness.one("azure-native:network:NetworkSecurityGroup").inputs.networkSecurityGroupName,
      "office-appgw-nsg",
    );
    // The team attaches these to its own gateway and subnet.
    assert.match(await valueOf(allowList.wafPolicyId), /\S/);
    assert.match(await valueOf(allowList.nsgId), /\S/);
  });
});

describe("ConnectKeyVault for an existing vault", () => {
  let harness: Harness;
  before(async () => {
    harness = await installMocks();
  });
  beforeEach(() => harness.reset());
  after(() => harness.restore());

  it("needs only the vault's name and resource group, and creates nothing", async () => {
    const vault = new ConnectKeyVault("certs", {
      existing: { vaultName: "kv-team-certs", resourceGroupName: "rg-security" },
    });
    await harness.settle();
    assert.deepEqual(
      harness.resources.map((r) => r.type),
      ["vantagepoint-connect:index:ConnectKeyVault"],
    );
    assert.equal(await valueOf(vault.vaultUri), "https://kv-team-certs.vault.azure.net/");
  });
});
