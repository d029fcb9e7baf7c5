/**
 * lib/site/rules.ts's backendTlsRules (internal-CA roots) called directly, with the stack file's names and with
 * ConnectSite's, each shape written the way a person gets it wrong (issue 23: the mutants of the rule that
 * survived after 37de478 added the data check): the fix names the protocol as each caller writes it, and an entry
 * left empty, a root without a name, or one root written without the list neither throws nor hides the other
 * entries' problems.
 */
import assert from "node:assert/strict";
import { backendTlsRules } from "../../lib/site/rules";
import { LIBRARY_CALLER, STACK_CALLER } from "../../lib/site/view";
import type { ArgProblem, SiteView } from "../../lib/site/view";
import { ROOT_CA_DER_BASE64, SERVER_CERT_DER_BASE64 } from "../support/rootCertificates";

const lines = (problems: ArgProblem[]) => problems.map((p) => `${p.path}: ${p.message}`);
const NOT_A_CA =
  "is not a CA certificate (CN=vp-web.corp.example): it looks like the server's own certificate; give the root CA certificate of the internal CA that signed the server's certificate, base64 DER (openssl x509 -in root.cer -outform der | base64 -w0)";

describe("backendTlsRules, exact answers (issue 23)", () => {
  it("a root on an HTTP backend: the stack file is told `https` under its own key, ConnectSite's args `Https`", () => {
    const view: SiteView = {
      backend: { protocol: "Http", trustedRootCertificates: [{ name: "corp-root" }] },
    };
    assert.deepEqual(lines(backendTlsRules(view, STACK_CALLER)), [
      "site.backend.trustedRootCertificates: are only used for an HTTPS backend; set site.backend.protocol: https, or remove them",
    ]);
    assert.deepEqual(lines(backendTlsRules(view, LIBRARY_CALLER)), [
      'backend.trustedRootCertificates: are only used for an HTTPS backend; set backend.protocol: "Https", or remove them',
    ]);
  });

  it("an entry left empty or without a name does not hide the others' problems (the shape check names it)", () => {
    // What a JavaScript caller or a hand-edited YAML list can hand over: not SiteView's types.
    const view = {
      backend: {
        trustedRootCertificates: [
          { name: "corp-root", data: ROOT_CA_DER_BASE64 },
          null,
          { data: SERVER_CERT_DER_BASE64 },
          { name: "CORP-ROOT", data: ROOT_CA_DER_BASE64 },
        ],
      },
    } as unknown as SiteView;
    assert.deepEqual(lines(backendTlsRules(view, LIBRARY_CALLER)), [
      `backend.trustedRootCertificates[2].data: ${NOT_A_CA}`,
      'backend.trustedRootCertificates[3].name: "CORP-ROOT" is also the name of entry 0; give each certificate its own name',
    ]);
  });

  it("one root written without the list, or no backend section, is the shape check's: no problem here, no throw", () => {
    const one = { name: "corp-root", data: SERVER_CERT_DER_BASE64 };
    const unlisted = (protocol?: string) =>
      ({ backend: { protocol, trustedRootCertificates: one } }) as unknown as SiteView;
    assert.deepEqual(backendTlsRules(unlisted(), LIBRARY_CALLER), []);
    assert.deepEqual(backendTlsRules(unlisted("Http"), STACK_CALLER), []);
    assert.deepEqual(backendTlsRules({}, STACK_CALLER), []);
  });
});
