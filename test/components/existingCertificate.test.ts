/**
 * Issue 20 item 1: an existing certificate made with the certificates API is invisible to Azure Resource Manager
 * (Key Vault team, MicrosoftDocs/azure-docs#11893). The check asks the vault's data plane too: seen there, the deploy
 * goes on; absent from both, it stops naming the certificate; not askable (403, firewall, no network), it goes on as
 * "unverified" and the gateway's own create is what fails if the certificate is really missing.
 */
import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { ConnectKeyVault } from "../../components/connectKeyVault";
import {
  certificateProbeVerdict,
  existingCertificateVerdict,
  keyVaultTokenResource,
} from "../../lib/keyVault";
import type { Harness } from "../support/pulumiMocks";
import { installMocks, valueOf } from "../support/pulumiMocks";

async function failureOf(output: pulumi.Output<unknown>): Promise<string> {
  try {
    await (output as unknown as { promise(): Promise<unknown> }).promise();
  } catch (error) {
    return String((error as Error).message ?? error);
  }
  return "";
}

describe("an existing certificate behind the certificates API (ARM cannot see it)", () => {
  let harness: Harness;
  let status = 200;
  const asked: Array<{ url: string; auth: string | null }> = [];
  const realFetch = globalThis.fetch;
  before(async () => {
    harness = await installMocks({
      call: (args) => {
        if (args.token === "azure-native:keyvault:getSecret") {
          throw new Error(
            "SecretNotFound: A secret with (name/id) vp-example-com was not found in this key vault.",
          );
        }
        if (args.token === "azure-native:authorization:getClientToken") {
          return { token: `token-for-${args.inputs.endpoint}` };
        }
        return undefined;
      },
    });
    globalThis.fetch = (async (input: string | URL, init?: RequestInit) => {
      asked.push({ url: String(input), auth: new Headers(init?.headers).get("authorization") });
      if (status === 0) throw new TypeError("fetch failed (ENOTFOUND)");
      return new Response(null, { status });
    }) as typeof fetch;
  });
  after(() => {
    globalThis.fetch = realFetch;
    harness.restore();
  });
  beforeEach(() => {
    harness.reset();
    asked.length = 0;
  });
  const vault = (name: string) =>
    new ConnectKeyVault(name, {
      existing: { vaultName: "kv-platform-prod", resourceGroupName: "rg-platform-security" },
      certificate: { name: "vp-example-com", source: "keyVault", field: "tls.certificateName" },
    });

  it("goes on when the data plane has the certificate, asking with a token for the vault's resource", async () => {
    status = 200;
    const kv = vault("kv-cert");
    assert.equal(
      await valueOf(kv.certificateSecretId),
      "https://kv-platform-prod.vault.azure.net/secrets/vp-example-com",
    );
    assert.equal(await valueOf(kv.certificateCheck), "verified");
    assert.deepEqual(asked, [
      {
        url: "https://kv-platform-prod.vault.azure.net/certificates/vp-example-com?api-version=7.4",
        auth: "Bearer token-for-https://vault.azure.net",
      },
    ]);
  });

  it("stops, naming the certificate and the fix, when both the data plane and ARM say it is absent", async () => {
    status = 404;
    const message = await failureOf(vault("kv-absent").certificateSecretId);
    assert.match(
      message,
      /^tls\.certificateName: the Key Vault "kv-platform-prod" has no certificate "vp-example-com" \(the vault answered 404/,
    );
    assert.match(
      message,
      /az keyvault certificate import --vault-name kv-platform-prod --name vp-example-com/,
    );
  });

  for (const [what, code] of [
    ["the deploying identity has no role (403)", 403],
    ["the vault cannot be reached", 0],
  ] as const) {
    it(`goes on as "unverified" when ${what}`, async () => {
      status = code;
      const kv = vault(`kv-unverified-${code}`);
      assert.equal(
        await valueOf(kv.certificateSecretId),
        "https://kv-platform-prod.vault.azure.net/secrets/vp-example-com",
      );
      assert.equal(await valueOf(kv.certificateCheck), "unverified");
    });
  }

  it("decides from both answers; the token resource follows the vault's cloud", () => {
    assert.equal(existingCertificateVerdict("absent", "absent"), "missing");
    assert.equal(existingCertificateVerdict("unknown", "absent"), "unverified");
    assert.equal(existingCertificateVerdict("absent", "present"), "verified");
    assert.equal(existingCertificateVerdict("present", "absent"), "verified");
    assert.equal(certificateProbeVerdict(401), "unknown");
    assert.equal(keyVaultTokenResource("https://kv-x.vault.azure.cn/"), "https://vault.azure.cn");
  });
});
