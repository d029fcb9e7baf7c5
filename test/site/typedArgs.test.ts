// ConnectSite declared from a program of one's own: typed args, no stack config, the documented defaults.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  checkSiteArgs,
  ConnectSite,
  ConnectSiteArgs,
  dynamicResourcesProblem,
} from "../../components/connectSite";
import { Harness, installMocks, valueOf } from "../support/pulumiMocks";
import { rosterEntriesOf } from "../../lib/vantagepoint/rosterText";

const DYNAMIC = "pulumi-nodejs:dynamic:Resource";

/** The fewest args a site takes: no login or mailbox app, verification on, every default. */
const minimal: ConnectSiteArgs = {
  namePrefix: "vp-own",
  location: "westeurope",
  resourceGroup: { name: "rg-vp-own" },
  publicHostname: "vp.contoso.example",
  // An Azure VM in the new network: a backend the gateway reaches without a hub (the rules refuse an isolated
  // network in front of an on-premises address).
  backend: { address: "10.60.2.4" },
  tls: {
    keyVault: { name: "kv-vp-own", resourceGroupName: "rg-security" },
    certificateName: "vp-contoso-example",
  },
  allowList: { connectIps: ["203.0.113.0/24"] },
  vantagepoint: {
    connection: {
      url: "https://vp.contoso.example/vantagepoint/api",
      database: "VP",
      username: "api",
      password: "sentinel-own-password",
      clientId: "client",
      clientSecret: "sentinel-own-secret",
    },
    roster: [
      { userId: "ZED", email: "z@contoso.example", firstName: "Zed", lastName: "Z" },
      {
        userId: "KSMITH",
        email: "k.smith@contoso.example",
        firstName: "Kim",
        lastName: "Smith",
        role: "ADMIN",
        configurer: true,
      },
      { userId: "abe", email: "abe@contoso.example", firstName: "Abe", lastName: "A" },
    ],
  },
};

describe("ConnectSite with typed args (a program of one's own)", () => {
  let harness: Harness;
  before(async () => {
    harness = await installMocks();
  });
  beforeEach(() => harness.reset());
  after(() => harness.restore());

  async function build(args: Partial<ConnectSiteArgs> = {}) {
    const site = new ConnectSite("site", { ...minimal, ...args });
    await harness.settle();
    return site;
  }

  it("creates the resource group and a 10.60.0.0/16 network with the gateway subnet by default", async () => {
    await build();
    assert.equal(harness.one("azure-native:resources:ResourceGroup").inputs.resourceGroupName, "rg-vp-own");
    const vnet = harness.one("azure-native:network:VirtualNetwork").inputs;
    assert.deepEqual(vnet.addressSpace.addressPrefixes, ["10.60.0.0/16"]);
    const subnet = harness.one("azure-native:network:Subnet").inputs;
    assert.deepEqual([subnet.subnetName, subnet.addressPrefix], ["snet-appgw-connect", "10.60.1.0/24"]);
    assert.equal(
      harness.one("azure-native:network:NetworkSecurityGroup").inputs.tags["managed-by"],
      "vantagepoint-connect",
    );
  });

  it("uses an existing resource group and virtual network when told to", async () => {
    await build({
      resourceGroup: { name: "rg-shared", create: false },
      network: {
        existingVirtualNetwork: { name: "vnet-hub", resourceGroupName: "rg-net" },
        gatewaySubnetPrefix: "10.9.4.0/24",
      },
    });
    assert.deepEqual(harness.ofType("azure-native:resources:ResourceGroup"), []);
    assert.deepEqual(harness.ofType("azure-native:network:VirtualNetwork"), []);
    const subnet = harness.one("azure-native:network:Subnet").inputs;
    assert.deepEqual(
      [subnet.virtualNetworkName, subnet.resourceGroupName, subnet.addressPrefix, subnet.subnetName],
      ["vnet-hub", "rg-net", "10.9.4.0/24", "snet-appgw-connect"],
    );
  });

  it("registers no Entra app when no login or mailbox app is asked for", async () => {
    const site = await build();
    assert.deepEqual(harness.ofType("vantagepoint-connect:index:VantagepointLoginApp"), []);
    assert.deepEqual(harness.ofType("vantagepoint-connect:index:ConnectMailboxApp"), []);
    assert.deepEqual(harness.ofType("azuread:index/application:Application"), []);
    assert.equal(await valueOf(site.loginAppClientId), undefined);
  });

  it("orders the roster configurer first, then by user ID, and counts it", async () => {
    const site = await build();
    const roster = harness.ofType(DYNAMIC).find((r) => r.inputs.vpconnectResource === "ConnectRoster")!;
    assert.deepEqual(
      rosterEntriesOf(roster.inputs.entries).map((e) => [e.userId, e.configurer]),
      [
        ["KSMITH", true],
        ["abe", false],
        ["ZED", false],
      ],
    );
    assert.equal(await valueOf(site.connectUsers), 3);
  });

  it("adopts the Connect API client under the defaults: admin role ADMIN, protected", async () => {
    await build();
    const dynamic = harness.ofType(DYNAMIC);
    const role = dynamic.find((r) => r.inputs.vpconnectResource === "ConnectAdminRole")!;
    assert.deepEqual([role.inputs.role, role.inputs.requireAdministratorType], ["ADMIN", true]);
    const client = dynamic.find((r) => r.inputs.vpconnectResource === "ConnectApiClient")!;
    assert.deepEqual(
      [client.inputs.name, client.protect, client.retainOnDelete],
      ["Vantagepoint Connect", true, true],
    );
    await build({
      vantagepoint: { ...minimal.vantagepoint!, connectApiClient: { protect: false } },
    });
    const unprotected = harness
      .ofType(DYNAMIC)
      .filter((r) => r.inputs.vpconnectResource === "ConnectApiClient")
      .at(-1)!;
    assert.deepEqual([unprotected.protect, unprotected.retainOnDelete], [false, false]);
  });

  it("verifies against the connection's API root and the login path, never with a secret", async () => {
    await build();
    const verify = harness
      .ofType("command:local:Command")
      .find((c) => c.name === "site-verification-verify")!;
    const env = verify.inputs.environment as Record<string, string>;
    assert.deepEqual(
      [env.VPC_PUBLIC_URL, env.VPC_API_URL, env.VPC_LOGIN_URL, env.VPC_CERT_MIN_DAYS, env.VPC_REPORT_ONLY],
      [
        "https://vp.contoso.example/vantagepoint",
        "https://vp.contoso.example/vantagepoint/api",
        "https://vp.contoso.example/vantagepoint/app",
        "21",
        "",
      ],
    );
    assert.deepEqual(verify.secretPaths, [], "the verification's inputs are not secret");
    assert.doesNotMatch(JSON.stringify(verify.inputs), /sentinel-own/);
  });

  it("skips the verification when it is off", async () => {
    await build({ verification: { mode: "off" } });
    assert.deepEqual(harness.ofType("vantagepoint-connect:index:SiteVerification"), []);
  });

  it("keeps the connection secret on every resource that holds it", async () => {
    await build();
    for (const r of harness.resources) {
      if (!JSON.stringify(r.inputs).includes("sentinel-own")) continue;
      assert.ok(r.secretPaths.length > 0, `${r.type} ${r.name} holds the password outside a secret`);
    }
  });

  it("leaves the Vantagepoint side out when it is managed elsewhere (no dynamic resource)", async () => {
    const site = await build({
      vantagepoint: undefined,
      verification: { apiUrl: "https://vp.contoso.example/vantagepoint/api" },
    });
    assert.deepEqual(harness.ofType(DYNAMIC), []);
    assert.equal(await valueOf(site.connectClientId), undefined);
    assert.equal(await valueOf(site.connectUsers), 0);
    assert.equal(harness.ofType("vantagepoint-connect:index:SiteVerification").length, 1);
  });

  it("refuses a site without the Vantagepoint side whose verification has no API root, registering nothing", async () => {
    assert.throws(
      () => new ConnectSite("site", { ...minimal, vantagepoint: undefined }),
      /verification\.apiUrl: is required when vantagepoint is left out/,
    );
    await harness.settle();
    assert.deepEqual(harness.resources, []);
  });
});

describe("ConnectSite served to another Pulumi language (the component provider host)", () => {
  const root = path.resolve(__dirname, "../..");
  const runPlugin = path.join(root, "node_modules", "@pulumi", "pulumi", "cmd", "run-plugin");
  let pythonProject: string;
  before(() => {
    pythonProject = fs.mkdtempSync(path.join(os.tmpdir(), "vpconnect-python-"));
    fs.writeFileSync(path.join(pythonProject, "__main__.py"), "import pulumi\n");
  });
  after(() => fs.rmSync(pythonProject, { recursive: true, force: true }));

  it("refuses the Vantagepoint side where the engine could not start its dynamic provider, saying what to do", () => {
    const problem = dynamicResourcesProblem({ entry: runPlugin, programDir: pythonProject });
    assert.match(problem ?? "", /^vantagepoint: .*Node\.js dynamic resources.*leave vantagepoint out/);
    assert.throws(
      () => checkSiteArgs("site", minimal, { entry: runPlugin, programDir: pythonProject }),
      /ConnectSite site: vantagepoint: /,
    );
  });

  it("allows it where the program's folder has @pulumi/pulumi, and always in a Node.js program", () => {
    assert.equal(dynamicResourcesProblem({ entry: runPlugin, programDir: root }), undefined);
    assert.equal(
      dynamicResourcesProblem({
        entry: path.join(root, "node_modules", "@pulumi", "pulumi", "cmd", "run"),
        programDir: pythonProject,
      }),
      undefined,
    );
  });

  it("serves the Azure and Entra side alone there", () => {
    assert.doesNotThrow(() =>
      checkSiteArgs(
        "site",
        {
          ...minimal,
          vantagepoint: undefined,
          verification: { apiUrl: "https://vp.contoso.example/vantagepoint/api" },
        },
        { entry: runPlugin, programDir: pythonProject },
      ),
    );
  });
});
