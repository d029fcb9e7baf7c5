// The component package as the engine sees it: @pulumi/pulumi's component provider host started the way the
// Pulumi CLI's Node.js language host starts a plugin (RunPlugin: `node <@pulumi/pulumi/cmd/run-plugin>
// <package folder> <engine address>`, working folder the consumer program's, pulumi/pulumi
// sdk/nodejs/cmd/pulumi-language-nodejs/main.go), asked for its schema over gRPC (GetSchema, provider.proto).
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { providerProto, providerRpc, grpc, toStruct, unary } from "../../evaluator/grpc/proto";
import { createResourceMonitor, type ResourceMonitor } from "../../evaluator/grpc/monitor";
import { resolveFrom, startEngine, startPlugin } from "../../evaluator/grpc";
import type { EngineServer, PluginProcess } from "../../evaluator/grpc";
import { loadSchema, type PackageSchema } from "./schemaFile";

const root = path.resolve(__dirname, "../..");
const PKG = "vantagepoint-connect";
const COMPONENTS = [
  "ConnectSite",
  "PublicEndpoint",
  "ConnectAllowList",
  "ConnectKeyVault",
  "VantagepointLoginApp",
  "ConnectMailboxApp",
  "SiteVerification",
];

/** Every property description in a bag of schema properties (name to description). */
function undocumented(props: Record<string, { description?: string }> | undefined, where: string): string[] {
  return Object.entries(props ?? {})
    .filter(([, p]) => !p.description || p.description.trim().length < 8)
    .map(([name]) => `${where}.${name}`);
}

describe("the component package's schema (GetSchema over gRPC from the component provider host)", function () {
  this.timeout(300_000);
  let engine: EngineServer;
  let plugin: PluginProcess;
  let schema: PackageSchema;
  let program: string;
  let monitor: ResourceMonitor;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the generated gRPC client is untyped
  let client: any;

  before(async () => {
    monitor = createResourceMonitor({ project: "consumer", stack: "dev", preview: true });
    engine = await startEngine({ monitor: monitor.service });
    // The consumer program's folder: a Python project, no node_modules, no tsconfig.json.
    program = fs.mkdtempSync(path.join(os.tmpdir(), "vpconnect-python-program-"));
    plugin = await startPlugin(resolveFrom(root, "@pulumi/pulumi/cmd/run-plugin"), [root, engine.address], {
      cwd: program,
      env: { PULUMI_NODEJS_TYPESCRIPT: "true" },
      timeoutMs: 240_000,
    });
    client = new providerRpc.ResourceProviderClient(plugin.address, grpc.credentials.createInsecure());
    const request = new providerProto.GetSchemaRequest();
    request.setVersion(0);
    const reply = await unary(client, "getSchema", request, 240_000);
    schema = JSON.parse(reply.getSchema()) as PackageSchema;
  });
  after(async () => {
    client?.close();
    await plugin?.stop();
    await engine?.stop();
    if (program) fs.rmSync(program, { recursive: true, force: true });
  });

  it("names the package after package.json and serves every component, and nothing else", () => {
    assert.equal(schema.name, PKG);
    assert.equal(
      schema.version,
      JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")).version,
    );
    assert.deepEqual(Object.keys(schema.resources).sort(), COMPONENTS.map((c) => `${PKG}:index:${c}`).sort());
    for (const [token, r] of Object.entries(schema.resources)) {
      assert.equal(r.isComponent, true, `${token} is a component`);
    }
  });

  // Object and enum types carry no description: @pulumi/pulumi's generateSchema (provider/experimental/schema.ts,
  // 3.245 and still on pulumi/pulumi master) copies only their properties and values. Their properties do.
  it("documents every component, every input and output, and every property of every type", () => {
    const missing: string[] = [];
    for (const [token, r] of Object.entries(schema.resources)) {
      if (!r.description || r.description.length < 20) missing.push(token);
      missing.push(...undocumented(r.inputProperties, `${token} input`));
      missing.push(...undocumented(r.properties, `${token} output`));
    }
    for (const [token, t] of Object.entries(schema.types)) missing.push(...undocumented(t.properties, token));
    assert.deepEqual(missing, []);
  });

  it("gives ConnectSite its typed inputs, the required ones required, and its outputs", () => {
    const site = schema.resources[`${PKG}:index:ConnectSite`]!;
    assert.deepEqual(Object.keys(site.inputProperties).sort(), [
      "allowList",
      "appOwners",
      "backend",
      "diagnostics",
      "dns",
      "gatewayCreatedWith",
      "httpListener",
      "ipv6Frontend",
      "location",
      "locks",
      "loginApp",
      "mailboxApp",
      "namePrefix",
      "network",
      "publicHostname",
      "resourceGroup",
      "tags",
      "tenantId",
      "tls",
      "vantagepoint",
      "vantagepointPath",
      "verification",
      "zones",
    ]);
    assert.deepEqual([...(site.requiredInputs ?? [])].sort(), [
      "allowList",
      "backend",
      "location",
      "namePrefix",
      "publicHostname",
      "resourceGroup",
      "tls",
    ]);
    assert.deepEqual(Object.keys(site.properties).sort(), [
      "allowedRanges",
      "connectClientId",
      "connectClientSecret",
      "connectUsers",
      "keyVaultUri",
      "loginAppClientId",
      "mailboxAppClientId",
      "publicIp",
      "publicUrl",
      "verificationReport",
    ]);
    assert.equal(site.inputProperties.tls!.$ref, `#/types/${PKG}:index:ConnectSiteTls`);
    const tls = schema.types[`${PKG}:index:ConnectSiteTls`]!;
    assert.deepEqual([...(tls.required ?? [])].sort(), ["certificateName", "keyVault"]);
  });

  it("turns the choices into enums with the values the components accept", () => {
    const values = (name: string) => (schema.types[`${PKG}:index:${name}`]?.enum ?? []).map((e) => e.value);
    assert.deepEqual(values("AllowListEnforcement"), ["both", "nsg", "waf"]);
    assert.deepEqual(values("BackendProtocol"), ["Https", "Http"]);
    assert.deepEqual(values("MailboxAccessKind"), ["graph", "ews"]);
    assert.deepEqual(values("VerificationMode"), ["enforce", "report", "off"]);
    assert.deepEqual(values("RosterOnDeleteMode"), ["detach", "deactivateUsers"]);
    const allowList = schema.types[`${PKG}:index:ConnectSiteAllowList`]!;
    assert.equal(allowList.properties.enforceAt!.$ref, `#/types/${PKG}:index:AllowListEnforcement`);
  });

  it("describes each part's own inputs and outputs", () => {
    const r = (c: string) => schema.resources[`${PKG}:index:${c}`]!;
    assert.deepEqual([...(r("ConnectAllowList").requiredInputs ?? [])].sort(), [
      "connectIps",
      "location",
      "resourceGroupName",
    ]);
    assert.deepEqual(Object.keys(r("ConnectAllowList").properties).sort(), [
      "effectiveRanges",
      "nsgId",
      "wafPolicyId",
    ]);
    assert.deepEqual(Object.keys(r("ConnectKeyVault").properties).sort(), [
      "certificateCheck",
      "certificateSecretId",
      "resourceGroupName",
      "vaultId",
      "vaultName",
      "vaultUri",
    ]);
    assert.ok(r("PublicEndpoint").properties.publicUrl);
    assert.ok(r("VantagepointLoginApp").properties.applicationId);
    assert.ok(r("ConnectMailboxApp").properties.applicationId);
    assert.ok(r("SiteVerification").properties.report);
  });

  it("matches the committed copy examples are checked against (schema.json)", () => {
    assert.deepEqual(loadSchema(), schema, "run `npm run schema` and commit schema.json");
  });

  describe("Construct, as a Python or YAML program's `pulumi preview` asks for a ConnectSite", () => {
    const site = {
      namePrefix: "vp-python",
      location: "westeurope",
      resourceGroup: { name: "rg-vp-python" },
      publicHostname: "vantagepoint.contoso.com",
      network: {
        existingVirtualNetwork: { name: "vnet-hub-weu", resourceGroupName: "rg-network" },
        gatewaySubnetPrefix: "10.10.8.0/24",
      },
      backend: { address: "10.20.0.5" },
      tls: {
        keyVault: { name: "kv-vp-python", resourceGroupName: "rg-security" },
        certificateName: "vantagepoint-contoso-com",
      },
      allowList: { connectIps: ["203.0.113.0/24"] },
      verification: { apiUrl: "https://vantagepoint.contoso.com/vantagepoint/api" },
    };
    const construct = (inputs: Record<string, unknown>) => {
      const request = new providerProto.ConstructRequest();
      request.setProject("consumer");
      request.setStack("dev");
      request.setDryrun(true);
      request.setParallel(4);
      request.setMonitorendpoint(engine.address);
      request.setType(`${PKG}:index:ConnectSite`);
      request.setName("site");
      request.setInputs(toStruct(inputs));
      return unary(client, "construct", request, 120_000);
    };

    it("builds the Azure and Entra side through the component provider", async () => {
      monitor.registrations.length = 0;
      const reply = await construct(site);
      assert.equal(reply.getUrn(), `urn:pulumi:dev::consumer::${PKG}:index:ConnectSite::site`);
      const types = new Set(monitor.registrations.map((r) => r.type));
      for (const t of [
        `${PKG}:index:PublicEndpoint`,
        `${PKG}:index:ConnectAllowList`,
        "azure-native:network:ApplicationGateway",
        "azure-native:network:Subnet",
      ]) {
        assert.ok(types.has(t), `${t} registered`);
      }
      assert.ok(!types.has("pulumi-nodejs:dynamic:Resource"), "no dynamic resource without vantagepoint");
    });

    it("refuses the Vantagepoint side there, before registering anything, saying what to do", async () => {
      monitor.registrations.length = 0;
      const withVantagepoint = {
        ...site,
        vantagepoint: {
          connection: {
            url: "https://vantagepoint.contoso.com/vantagepoint/api",
            database: "VP",
            username: "api",
            password: "schema-test-password",
            clientId: "c",
            clientSecret: "schema-test-secret",
          },
          roster: [{ userId: "KSMITH", email: "k.smith@contoso.com", firstName: "Kim", lastName: "Smith" }],
        },
      };
      await assert.rejects(construct(withVantagepoint), (error: Error) => {
        assert.match(
          error.message,
          /vantagepoint: the roster, admin role and Connect API client are Node\.js dynamic resources/,
        );
        assert.match(error.message, /leave vantagepoint out/);
        assert.doesNotMatch(error.message, /schema-test-(password|secret)/);
        return true;
      });
      assert.deepEqual(
        monitor.registrations.filter((r) => r.type !== "pulumi:pulumi:Stack").map((r) => r.type),
        [],
      );
    });
  });
});
