/**
 * An internal-CA root given to a component as Application Gateway takes it (`data`, base64): a library caller
 * (ConnectSite, PublicEndpoint) gets the same checks the stack file's PEM gets, named at the arg, before anything
 * registers: a root that would make every backend health probe fail must not wait for `pulumi up` to say so.
 */
import assert from "node:assert/strict";
import { siteArgsProblems } from "../../lib/site/check";
import { publicEndpointArgsProblems } from "../../lib/site/componentArgs";
import { UNKNOWN } from "../../lib/site/view";
import { trustedRootDataProblem, trustedRootProblem } from "../../lib/values/siteValues";
import {
  ROOT_CA_DER_BASE64,
  ROOT_CA_PEM,
  ROOT_CA_VALID_TO,
  SERVER_CERT_DER_BASE64,
} from "../support/rootCertificates";
import { minimalSiteArgs } from "../support/minimalSiteArgs";

const FIX =
  "give the root CA certificate of the internal CA that signed the server's certificate, base64 DER (openssl x509 -in root.cer -outform der | base64 -w0)";
const base64 = (text: string) => Buffer.from(text, "utf8").toString("base64");

describe("trusted root as data (base64): the checks the stack's PEM gets", () => {
  it("takes a root CA in base64 DER, wrapped or not, and a base64 PEM file, up to the instant it expires", () => {
    assert.equal(trustedRootDataProblem(ROOT_CA_DER_BASE64), undefined);
    assert.equal(trustedRootDataProblem(ROOT_CA_DER_BASE64.replace(/(.{64})/g, "$1\n")), undefined);
    assert.equal(trustedRootDataProblem(base64(ROOT_CA_PEM)), undefined);
    assert.equal(trustedRootDataProblem(ROOT_CA_DER_BASE64, ROOT_CA_VALID_TO), undefined);
  });

  it("names the day a root expired", () => {
    const after = new Date(ROOT_CA_VALID_TO.getTime() + 1000);
    assert.equal(trustedRootDataProblem(ROOT_CA_DER_BASE64, after), `expired on 2126-11-13; ${FIX}`);
    assert.match(
      trustedRootDataProblem(base64(ROOT_CA_PEM), after) ?? "",
      /^\(a base64 PEM file\) expired on 2126-11-13; give the root CA certificate/,
    );
  });

  it("refuses what people paste instead: PEM text, a file name, the server's own certificate, bytes that are no certificate", () => {
    assert.equal(trustedRootDataProblem(ROOT_CA_PEM), `is PEM text, not base64; ${FIX}`);
    assert.equal(trustedRootDataProblem("certs/corp-root.cer"), `is not base64; ${FIX}`);
    assert.equal(trustedRootDataProblem("MIIB"), `does not parse as an X.509 certificate; ${FIX}`);
    assert.equal(
      trustedRootDataProblem(SERVER_CERT_DER_BASE64),
      `is not a CA certificate (CN=vp-web.corp.example): it looks like the server's own certificate; ${FIX}`,
    );
    assert.equal(
      trustedRootDataProblem(base64(`${ROOT_CA_PEM}\n${ROOT_CA_PEM}`)),
      `(a base64 PEM file) holds more than one certificate; give one root per entry (paste the root CA certificate of the internal CA that signed the server's certificate, PEM (export it as Base-64 X.509 .cer))`,
    );
  });

  it("refuses a key or a second certificate wherever it sits: after openssl's Bag Attributes, a BOM, or DER's end", () => {
    // Not a key: the rule looks for the PEM label, as trustedRootProblem does.
    const key = "-----BEGIN PRIVATE KEY-----\nnot a real key\n-----END PRIVATE KEY-----\n";
    assert.equal(
      trustedRootDataProblem(base64(`Bag Attributes\n    localKeyID: 01\n${key}${ROOT_CA_PEM}`)),
      "(a base64 PEM file) contains a private key; never put a key here: paste the root CA certificate of the internal CA that signed the server's certificate, PEM (export it as Base-64 X.509 .cer)",
    );
    assert.equal(
      trustedRootDataProblem(base64(`\uFEFF${ROOT_CA_PEM}\n${ROOT_CA_PEM}`)),
      `(a base64 PEM file) holds more than one certificate; give one root per entry (paste the root CA certificate of the internal CA that signed the server's certificate, PEM (export it as Base-64 X.509 .cer))`,
    );
    assert.equal(trustedRootDataProblem(base64(`\uFEFF${ROOT_CA_PEM}`)), undefined);
    const der = Buffer.from(ROOT_CA_DER_BASE64, "base64");
    assert.equal(
      trustedRootDataProblem(Buffer.concat([der, der]).toString("base64")),
      `holds more than one certificate, or data after it; give one root per entry (${FIX})`,
    );
  });

  it("gives the PEM rule and the data rule the same verdict on the same certificate", () => {
    assert.equal(trustedRootProblem(ROOT_CA_PEM), undefined);
    assert.equal(trustedRootDataProblem(ROOT_CA_DER_BASE64), undefined);
  });

  it("ConnectSite's args: a server certificate as a root is named at the arg; a good root and a value not known yet pass", () => {
    const args = minimalSiteArgs({
      backend: {
        address: "10.60.2.4",
        trustedRootCertificates: [
          { name: "corp-root", data: ROOT_CA_DER_BASE64 },
          { name: "server", data: SERVER_CERT_DER_BASE64 },
          { name: "later", data: UNKNOWN },
        ],
      },
    });
    assert.deepEqual(siteArgsProblems(args), [
      {
        path: "backend.trustedRootCertificates[1].data",
        message: `is not a CA certificate (CN=vp-web.corp.example): it looks like the server's own certificate; ${FIX}`,
      },
    ]);
  });

  it("PublicEndpoint's args: a PEM pasted as data is named at the arg", () => {
    const problems = publicEndpointArgsProblems({
      resourceGroupName: "rg-vp",
      location: "westeurope",
      namePrefix: "vp-test",
      publicHostname: "vantagepoint.example.com",
      backend: { address: "10.20.0.5", trustedRootCertificates: [{ name: "corp-root", data: ROOT_CA_PEM }] },
      gatewaySubnetId:
        "/subscriptions/s/resourceGroups/rg-vp/providers/Microsoft.Network/virtualNetworks/v/subnets/a",
      wafPolicyId: "/subscriptions/s/resourceGroups/rg-vp/providers/Microsoft.Network/waf/w",
      certificateSecretId: "https://vp-kv.vault.azure.net/secrets/vantagepoint-tls",
    });
    assert.deepEqual(problems, [
      { path: "backend.trustedRootCertificates[0].data", message: `is PEM text, not base64; ${FIX}` },
    ]);
  });
});
