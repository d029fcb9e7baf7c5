/**
 * lib/site/rules.ts called directly with ConnectSite's arg paths (the library caller), each shape written the way a
 * person gets it wrong, with the exact problem list (path and message) it must get, and the near miss that must
 * pass (issue 23: what the mutation run of rules.ts found unpinned by the two suites that import it).
 */
import assert from "node:assert/strict";
import {
  allowListRules,
  apiUrlRules,
  backendTlsRules,
  certificateRules,
  httpListenerRules,
  rotationDateRules,
} from "../../lib/site/rules";
import { LIBRARY_CALLER as C, UNKNOWN } from "../../lib/site/view";
import type { ArgProblem, SiteView } from "../../lib/site/view";

const NOW = new Date("2026-12-06T12:00:00Z");
const lines = (problems: ArgProblem[]) => problems.map((p) => `${p.path}: ${p.message}`);
const IMPORT_FIX =
  'pass tls.pfx as a Pulumi secret, e.g. config.requireSecret(...) holding "$(base64 -w0 certificate.pfx)"';
const NOT_PUBLIC = (cidr: string, what: string) =>
  `${cidr} includes ${what}, not public addresses Connect can come from; remove it and list Connect's published addresses instead`;

describe("site rules, called as a library (exact answers)", () => {
  it("a new vault with a Key Vault certificate cannot deploy: names the certificate, or says 'the certificate'", () => {
    const fix = (held: string) =>
      `tls.certificateSource: "keyVault" with tls.keyVault.create: true cannot deploy: a new vault is empty, and Application Gateway fails to create a listener whose certificate it cannot read. Import the certificate here (tls.certificateSource: "pfx", then ${IMPORT_FIX}), or name an existing vault that already holds ${held} (tls.keyVault.create: false)`;
    assert.deepEqual(
      lines(certificateRules({ tls: { keyVault: { create: true }, certificateName: "vp-cert" } }, C, NOW)),
      [fix('"vp-cert"')],
    );
    assert.deepEqual(lines(certificateRules({ tls: { keyVault: { create: true } } }, C, NOW)), [
      fix("the certificate"),
    ]);
  });

  it("a PFX source needs the PFX and its date; a Key Vault source takes neither", () => {
    const pfx: SiteView = {
      tls: { certificateSource: "pfx", keyVault: { create: true }, certificateExpiresOn: "2027-01-01" },
    };
    assert.deepEqual(lines(certificateRules(pfx, C, NOW)), [
      `tls.pfx: is required with tls.certificateSource: "pfx" (the certificate for the public host name, a PFX without a password, base64); ${IMPORT_FIX}`,
    ]);
    assert.deepEqual(
      lines(
        certificateRules(
          { tls: { certificateSource: "pfx", keyVault: { create: true }, pfx: UNKNOWN } },
          C,
          NOW,
        ),
      ),
      [
        `tls.certificateExpiresOn: is required with tls.certificateSource: "pfx": the certificate's "valid to" date, YYYY-MM-DD (openssl pkcs12 -in certificate.pfx -nokeys -passin pass: | openssl x509 -noout -enddate); the imported secret carries it as its expiry`,
      ],
    );
    assert.deepEqual(
      lines(
        certificateRules({ resourceGroup: { create: false }, tls: { keyVault: {}, pfx: "MIIx" } }, C, NOW),
      ),
      [
        'tls.pfx: is only imported with tls.certificateSource: "pfx"; set tls.certificateSource: "pfx", or remove tls.pfx to use the existing Key Vault certificate',
      ],
    );
  });

  it("a certificate that expired yesterday is refused; one valid through today passes", () => {
    const on = (date: string): SiteView => ({
      tls: { certificateSource: "pfx", keyVault: { create: true }, pfx: UNKNOWN, certificateExpiresOn: date },
    });
    assert.deepEqual(lines(certificateRules(on("2026-12-05"), C, NOW)), [
      "tls.certificateExpiresOn: 2026-12-05 is in the past: the certificate has expired and Connect would refuse it; renew it, import the new PFX and set its date",
    ]);
    assert.deepEqual(certificateRules(on("2026-12-06"), C, NOW), []);
  });

  it("an existing vault: its resource group when this stack creates its own; no uniqueName or firewall", () => {
    assert.deepEqual(lines(certificateRules({ tls: { keyVault: { name: "kv1" } } }, C, NOW)), [
      "tls.keyVault.resourceGroupName: is required for an existing vault (tls.keyVault.create: false) when this stack creates its resource group: the vault is looked up in resourceGroup.name, which is new and empty. Give the existing vault's resource group, or set resourceGroup.create: false",
    ]);
    assert.deepEqual(
      certificateRules(
        { resourceGroup: {}, tls: { keyVault: { name: "kv1", resourceGroupName: "rg" } } },
        C,
        NOW,
      ),
      [],
    );
    assert.deepEqual(
      certificateRules({ resourceGroup: { create: false }, tls: { keyVault: { name: "kv1" } } }, C, NOW),
      [],
    );
    assert.deepEqual(
      lines(
        certificateRules(
          {
            resourceGroup: { create: false },
            tls: { keyVault: { name: "kv1", uniqueName: true, firewall: "deny" } },
          },
          C,
          NOW,
        ),
      ),
      [
        "tls.keyVault.uniqueName: only applies to a vault this stack creates (tls.keyVault.create: true); an existing vault keeps its name: remove uniqueName",
        "tls.keyVault.firewall: only applies to a vault this stack creates; an existing vault's firewall belongs to its owner and is read at deploy time: remove firewall, and if the vault admits only selected networks ask its owner to allow trusted Microsoft services (az keyvault update --name kv1 --bypass AzureServices)",
      ],
    );
  });

  it("allow list: each range on its own, by index; the whole list only once every range is known and good", () => {
    assert.deepEqual(
      lines(allowListRules({ allowList: { connectIps: ["1.0.0.0/8", "10.0.0.0/8", "2.0.0.0/8"] } }, C)),
      [
        "allowList.connectIps[1]: 10.0.0.0/8 is private (RFC 1918), not a public address Connect can come from; remove it or set allowList.allowPrivateRanges: true",
      ],
    );
    assert.deepEqual(
      lines(allowListRules({ allowList: { connectIps: ["0.0.0.0/1", "203.0.113.0/24"] } }, C)),
      [`allowList.connectIps[0]: ${NOT_PUBLIC("0.0.0.0/1", "0.0.0.0/8, 'this network' (reserved)")}`],
    );
    // Two /8s are more than a /8, but a range not known yet, one that does not parse, or a list that is not a list
    // leaves the whole-list rule to the check that sees them all.
    const lists: Array<Array<string | typeof UNKNOWN>> = [
      ["1.0.0.0/8", UNKNOWN, "2.0.0.0/8"],
      ["1.0.0.0/8", "2.0.0.0/", "2.0.0.0/8"],
    ];
    for (const connectIps of lists) {
      assert.deepEqual(allowListRules({ allowList: { connectIps } }, C), [], String(connectIps.length));
    }
    assert.deepEqual(
      allowListRules({ allowList: { connectIps: ["1.0.0.0/8"], extraRanges: "2.0.0.0/8" as never } }, C),
      [],
    );
    assert.deepEqual(
      allowListRules({ allowList: { connectIps: [], extraRanges: ["1.0.0.0/8", "2.0.0.0/8"] } }, C),
      [],
    );
    assert.deepEqual(
      allowListRules(
        { allowList: { allowPrivateRanges: true, connectIps: ["10.0.0.0/8", "172.16.0.0/12"] } },
        C,
      ),
      [],
    );
  });

  it("allow list as a whole: Connect's own ranges, then with the extra ranges", () => {
    const wide =
      "admit 33,554,432 public IPv4 addresses, more than a /8 (16,777,216); an allow list holds Connect's published addresses and a few office ranges: remove the widest ranges";
    assert.deepEqual(lines(allowListRules({ allowList: { connectIps: ["1.0.0.0/8", "2.0.0.0/8"] } }, C)), [
      `allowList.connectIps: together ${wide}`,
    ]);
    assert.deepEqual(
      lines(allowListRules({ allowList: { connectIps: ["1.0.0.0/8"], extraRanges: ["2.0.0.0/8"] } }, C)),
      [`allowList.extraRanges: with allowList.connectIps, ${wide}`],
    );
  });

  it("allow list plan: an IPv6-only list cannot be a WAF rule (an unknown enforceAt is read as both)", () => {
    const v6 = (enforceAt: unknown): SiteView => ({
      ipv6Frontend: true,
      allowList: { connectIps: ["2001:db8::/48"], enforceAt: enforceAt as string },
    });
    const refused = [
      `allowList.connectIps: with allowList.extraRanges and enforceAt "both": the WAF custom rule matches IPv4 only and the list holds no IPv4 range; add Connect's IPv4 ranges, or set enforceAt: "nsg"`,
    ];
    assert.deepEqual(lines(allowListRules(v6("both"), C)), refused);
    assert.deepEqual(lines(allowListRules(v6("wafonly"), C)), refused);
    assert.deepEqual(allowListRules(v6("nsg"), C), []);
    assert.deepEqual(allowListRules(v6(UNKNOWN), C), [], "not known yet: checked once it is");
  });

  it("an IPv6 extra range without an IPv6 frontend admits nobody; with one it is fine", () => {
    const view = (ipv6Frontend: boolean): SiteView => ({
      ipv6Frontend,
      allowList: { connectIps: ["203.0.113.0/24"], extraRanges: ["2001:db8::/48", "198.51.100.0/24"] },
    });
    assert.deepEqual(lines(allowListRules(view(false), C)), [
      "allowList.extraRanges[0]: 2001:db8::/48 is IPv6, but the gateway has no IPv6 frontend, so it admits nobody: IPv6 clients cannot reach the site at all. Give the office's IPv4 egress range instead, or set ipv6Frontend: true (with network.ipv6AddressSpace and gatewaySubnetIpv6Prefix)",
    ]);
    assert.deepEqual(allowListRules(view(true), C), []);
  });

  it("port 80 redirect with the allow list in the WAF only answers everyone; off, public or NSG-enforced is fine", () => {
    assert.deepEqual(lines(httpListenerRules({ allowList: { enforceAt: "waf" } }, C)), [
      'httpListener: "redirect" with allowList.enforceAt: waf answers every source on port 80: a redirect rule bypasses WAF custom rules, and the NSG admits the Internet. Set allowList.enforceAt: both (the NSG enforces the allow list on port 80 too), or httpListener: off',
    ]);
    assert.deepEqual(httpListenerRules({ httpListener: "off", allowList: { enforceAt: "waf" } }, C), []);
    assert.deepEqual(httpListenerRules({ allowList: { enforceAt: "waf", audience: "public" } }, C), []);
    assert.deepEqual(httpListenerRules({ allowList: { enforceAt: "both" } }, C), []);
    assert.deepEqual(httpListenerRules({}, C), []);
  });

  it("internal-CA roots: only for an HTTPS backend (HTTPS by default), each under its own name in any case", () => {
    assert.deepEqual(
      lines(
        backendTlsRules(
          {
            backend: {
              protocol: "Http",
              trustedRootCertificates: [{ name: "CA" }, { name: "ca" }, { name: "other" }],
            },
          },
          C,
        ),
      ),
      [
        'backend.trustedRootCertificates: are only used for an HTTPS backend; set backend.protocol: "Https", or remove them',
        'backend.trustedRootCertificates[1].name: "ca" is also the name of entry 0; give each certificate its own name',
      ],
    );
    assert.deepEqual(
      backendTlsRules({ backend: { trustedRootCertificates: [{ name: "CA" }, { name: "CA2" }] } }, C),
      [],
    );
    assert.deepEqual(backendTlsRules({ backend: { protocol: "Http" } }, C), []);
    assert.deepEqual(backendTlsRules({ backend: { protocol: "Http", trustedRootCertificates: [] } }, C), []);
  });

  it("the mailbox app's secret: expired (named by the app), or dated in the future; a bad date is the field check's", () => {
    assert.deepEqual(
      lines(
        rotationDateRules({ mailboxApp: { displayName: "VP mail", secretRotatedOn: "2024-01-01" } }, C, NOW),
      ),
      [
        'mailboxApp.secretRotatedOn: the mailbox app ("VP mail"): the secret rotated on 2024-01-01 expired on 2025-12-31T00:00:00Z; set mailboxApp.secretRotatedOn to today\'s date to issue a new one, then enter it where it is used',
      ],
    );
    assert.deepEqual(
      lines(
        rotationDateRules({ mailboxApp: { secretRotatedOn: "2024-01-01", secretLifetimeDays: 365 } }, C, NOW),
      ),
      [
        "mailboxApp.secretRotatedOn: the mailbox app: the secret rotated on 2024-01-01 expired on 2024-12-31T00:00:00Z; set mailboxApp.secretRotatedOn to today's date to issue a new one, then enter it where it is used",
      ],
    );
    assert.deepEqual(lines(rotationDateRules({ mailboxApp: { secretRotatedOn: "2027-01-01" } }, C, NOW)), [
      "mailboxApp.secretRotatedOn: the mailbox app: 2027-01-01 is in the future; set it to the day you rotate the secret (today or earlier)",
    ]);
    assert.deepEqual(rotationDateRules({ mailboxApp: { secretRotatedOn: "2025-01-01" } }, C, NOW), []);
    assert.deepEqual(rotationDateRules({ mailboxApp: { secretRotatedOn: "2027-13-01" } }, C, NOW), []);
  });

  it("the login app's slots: expired active slot, future date, same-day slots, an overlap the lifetime cannot hold", () => {
    const login = (app: NonNullable<SiteView["loginApp"]>) =>
      lines(rotationDateRules({ loginApp: app }, C, NOW));
    assert.deepEqual(login({ displayName: "VP login", secretRotatedOn: "2024-01-01" }), [
      'loginApp.secretSlotBRotatedOn: the login app ("VP login"): the active secret (slot A, issued 2024-01-01) expired on 2025-12-31 and Entra sign-in to Vantagepoint fails; set loginApp.secretSlotBRotatedOn to today\'s date to issue slot B, run pulumi up, then paste it into Vantagepoint',
    ]);
    assert.deepEqual(login({ secretRotatedOn: "2027-01-01" }), [
      "loginApp.secretRotatedOn: the login app: 2027-01-01 is in the future; set it to the day you issue slot A (today or earlier)",
    ]);
    assert.deepEqual(login({ secretRotatedOn: "2026-01-01", secretSlotBRotatedOn: "2026-01-01" }), [
      "loginApp.secretSlotBRotatedOn: the login app: 2026-01-01 is the same day as loginApp.secretRotatedOn; the two slots must be issued on different days (set loginApp.secretSlotBRotatedOn to the day you issue slot B, today when you rotate)",
    ]);
    assert.deepEqual(login({ secretRotatedOn: "2026-01-01", secretOverlapDays: 800 }), [
      "loginApp.secretOverlapDays: the login app: 800 is not an overlap the lifetime allows; expected a whole number of days from 1 to 729 (less than loginApp.secretLifetimeDays, 730); 30 or more leaves time to paste the new secret into Vantagepoint",
    ]);
    assert.deepEqual(login({ secretRotatedOn: "2026-06-01" }), []);
    assert.deepEqual(login({ secretRotatedOn: "2026-02-30" }), []);
  });

  it("the API root: required for the verification without vantagepoint, no trailing '/', the API's root, once per field", () => {
    assert.deepEqual(lines(apiUrlRules({}, C)), [
      'verification.apiUrl: is required when vantagepoint is left out; give the Vantagepoint API root (https://<host>/vantagepoint/api) or set verification.mode to "off"',
    ]);
    assert.deepEqual(apiUrlRules({ verification: { mode: "off" } }, C), []);
    assert.deepEqual(apiUrlRules({ vantagepoint: {} }, C), []);
    assert.deepEqual(
      apiUrlRules({ verification: { apiUrl: "https://vp.example.com/vantagepoint/api" } }, C),
      [],
    );
    const slash = "https://vp.example.com/vantagepoint/api/";
    const noSlash =
      'must not end with "/"; give the API root, e.g. https://vantagepoint.example.com/vantagepoint/api';
    assert.deepEqual(
      lines(
        apiUrlRules({ vantagepoint: { connection: { url: slash } }, verification: { apiUrl: slash } }, C),
      ),
      [`vantagepoint.connection.url: ${noSlash}`, `verification.apiUrl: ${noSlash}`],
    );
    assert.deepEqual(
      lines(apiUrlRules({ vantagepoint: { connection: { url: "https://vp.example.com/vantagepoint" } } }, C)),
      [
        'vantagepoint.connection.url: "https://vp.example.com/vantagepoint" does not end in "/api"; give the API root, e.g. "https://vp.example.com/vantagepoint/api" (Deltek: the API root is https://<host>/<instance>/api)',
      ],
    );
    assert.deepEqual(lines(apiUrlRules({ verification: { apiUrl: "https://vp.example.com/" } }, C)), [
      'verification.apiUrl: "https://vp.example.com/" is the server\'s root; give the API root, e.g. "https://vp.example.com/vantagepoint/api" (Deltek: the API root is https://<host>/<instance>/api)',
    ]);
    assert.deepEqual(apiUrlRules({ vantagepoint: { connection: UNKNOWN } }, C), []);
    assert.deepEqual(
      apiUrlRules({ verification: { apiUrl: "vp.example.com/api" } }, C),
      [],
      "not a URL: the field check's",
    );
  });
});
