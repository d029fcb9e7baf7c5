/**
 * lib/site/check.ts called as a library (issue 23): every problem with ConnectSite's and ConnectAllowList's args at
 * once (the shape, the text a person reads, each site rule group), named by arg path; values not known yet skipped;
 * the one error message a component throws (count, escaping, masked URL passwords). Exact answers.
 */
import assert from "node:assert/strict";
import { z } from "zod";
import {
  allowListArgsProblems,
  argPath,
  dedupe,
  formatArgProblems,
  knownOnly,
  safely,
  schemaProblems,
  siteArgsProblems,
  siteRuleProblems,
} from "../../lib/site/check";
import { STACK_CALLER, UNKNOWN } from "../../lib/site/view";
import type { SiteView } from "../../lib/site/view";
import { ROOT_CA_DER_BASE64 } from "../support/rootCertificates";
import { minimalSiteArgs } from "../support/minimalSiteArgs";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- args as a JavaScript caller gets them wrong
type Args = Record<string, any>;

const NOW = new Date("2026-12-07T00:00:00Z");
const API = "https://vp.example.com/vantagepoint/api";
const TENANT = "3f2b8c1d-5e6a-4b7c-9d8e-1a2b3c4d5e6f";
const OTHER_APP = "api://11111111-2222-3333-4444-555555555555/other";
const NOT_AN_OBJECT = [{ path: "args", message: "must be an object of named args" }];
const PRIVATE_10 =
  "10.0.0.0/8 is private (RFC 1918), not a public address Connect can come from; remove it or set allowList.allowPrivateRanges: true";
/** The same for ConnectAllowList, whose arg is the top-level allowPrivateRanges. */
const PRIVATE_10_ALLOW_LIST = PRIVATE_10.replace("allowList.allowPrivateRanges", "allowPrivateRanges");

/** ConnectSite's args with nothing wrong. */
const site = minimalSiteArgs;

const person = (userId: string, email: string) => ({ userId, email, firstName: "Pat", lastName: "Jones" });

/** One mistake for each site rule group. */
const everyGroupWrong = (): Args =>
  site({
    tls: { keyVault: { name: "kv-vp-dev" }, certificateName: "vantagepoint-tls", certificateSource: "pfx" },
    network: { addressSpace: "10.0.0.0/7", gatewaySubnetIpv6Prefix: "2001:db8:60:1::/64" },
    backend: {
      address: "10.60.2.4",
      protocol: "Http",
      trustedRootCertificates: [{ name: "ca", data: ROOT_CA_DER_BASE64 }],
    },
    allowList: { connectIps: ["10.0.0.0/8"], enforceAt: "waf" },
    httpListener: "redirect",
    tenantId: TENANT,
    loginApp: { secretRotatedOn: "2027-01-01", identifierUri: OTHER_APP },
    vantagepoint: {
      connection: {
        url: `${API}/token`,
        database: "VP",
        username: "svc",
        password: "pw",
        clientId: "vpc",
        clientSecret: "s",
      },
      roster: [person("PJONES", "pat@example.com"), person("pjones", "pj@example.com")],
      connectApiClient: { clientId: "VPC" },
    },
  });

describe("the site args check, called as a library (exact answers)", () => {
  it("valid args: no problem", () => {
    assert.deepEqual(siteArgsProblems(site(), { now: NOW }), []);
  });

  it("one mistake in each rule group: every problem at once, in the rule groups' order, by arg path", () => {
    assert.deepEqual(siteArgsProblems(everyGroupWrong(), { now: NOW }), [
      {
        path: "tls.pfx",
        message:
          'is required with tls.certificateSource: "pfx" (the certificate for the public host name, a PFX without a password, base64); pass tls.pfx as a Pulumi secret, e.g. config.requireSecret(...) holding "$(base64 -w0 certificate.pfx)"',
      },
      {
        path: "tls.certificateExpiresOn",
        message:
          'is required with tls.certificateSource: "pfx": the certificate\'s "valid to" date, YYYY-MM-DD (openssl pkcs12 -in certificate.pfx -nokeys -passin pass: | openssl x509 -noout -enddate); the imported secret carries it as its expiry',
      },
      {
        path: "network.addressSpace",
        message:
          "10.0.0.0/7 is more than a /8; the gateway needs a /26 subnet in a small private range such as 10.60.0.0/16",
      },
      {
        path: "network.gatewaySubnetIpv6Prefix",
        message: "is only used with ipv6Frontend: true; set it, or remove the IPv6 ranges",
      },
      { path: "allowList.connectIps[0]", message: PRIVATE_10 },
      {
        path: "httpListener",
        message:
          '"redirect" with allowList.enforceAt: waf answers every source on port 80: a redirect rule bypasses WAF custom rules, and the NSG admits the Internet. Set allowList.enforceAt: both (the NSG enforces the allow list on port 80 too), or httpListener: off',
      },
      {
        path: "backend.trustedRootCertificates",
        message: 'are only used for an HTTPS backend; set backend.protocol: "Https", or remove them',
      },
      {
        path: "loginApp.secretRotatedOn",
        message:
          "the login app: 2027-01-01 is in the future; set it to the day you issue slot A (today or earlier)",
      },
      {
        path: "vantagepoint.connection.url",
        message: `"${API}/token" is the token endpoint; give the API root without /token, "${API}" (Deltek: the API root is https://<host>/<instance>/api)`,
      },
      {
        path: "loginApp.identifierUri",
        message: `"${OTHER_APP}" names an application ID, and the login app's own ID is assigned by Entra when this stack creates it, so this is another app's; use "api://${TENANT}/vantagepoint" (api://<tenant id>/<name>), or remove identifierUri for the default api://<application id> (Microsoft: "Restrictions on identifier URIs of Microsoft Entra applications")`,
      },
      {
        path: "vantagepoint.connectApiClient.clientId",
        message:
          "\"VPC\" is the Client ID this project signs in with (vantagepoint.connection.clientId), not Connect's; copy Connect's Client ID from Connect Administration's Settings tab, or remove vantagepoint.connectApiClient.clientId to find it by name",
      },
      {
        path: "vantagepoint.roster[1].userId",
        message: '"pjones" is listed twice (also at vantagepoint.roster[0]); each user ID once',
      },
    ]);
  });

  it("the same rule groups for the stack-config loader, named by stack key", () => {
    assert.deepEqual(
      siteRuleProblems(everyGroupWrong() as SiteView, STACK_CALLER, { now: NOW }).map((p) => p.path),
      [
        "tls.pfx",
        "tls.certificateExpiresOn",
        "azure.network.addressSpace",
        "azure.network.gatewaySubnetIpv6Prefix",
        "allowList.connectIps[0]",
        "site.httpListener",
        "site.backend.trustedRootCertificates",
        "entra.loginApp.secretRotatedOn",
        "vantagepoint.apiUrl",
        "entra.loginApp.identifierUri",
        "vantagepoint.connectApiClient.clientId",
        "roster[1].userId",
      ],
    );
  });

  it("today is the clock unless given: a rotation date a year ahead of the clock is in the future", () => {
    const ahead = `${new Date().getUTCFullYear() + 1}-01-01`;
    const view = site({ loginApp: { secretRotatedOn: ahead } });
    assert.deepEqual(
      siteArgsProblems(view).map((p) => p.path),
      ["loginApp.secretRotatedOn"],
    );
    assert.deepEqual(
      siteRuleProblems(view as SiteView, STACK_CALLER).map((p) => p.path),
      ["entra.loginApp.secretRotatedOn"],
    );
    assert.deepEqual(siteArgsProblems(view, { now: new Date(`${ahead}T12:00:00Z`) }), []);
  });

  it("a hidden character in the host name: the text problem first, then the shape's", () => {
    assert.deepEqual(siteArgsProblems(site({ publicHostname: "vp\u202eexample.com" }), { now: NOW }), [
      {
        path: "publicHostname",
        message:
          "contains a bidirectional-override character (it makes text display in another order than it is stored), U+202E at character 3; remove it",
      },
      {
        path: "publicHostname",
        message: '"vp\u202eexample.com" is not a DNS host name such as vantagepoint.example.com',
      },
    ]);
  });

  it("an arg not known yet: no rule speaks for it or below it; the known ones still do", () => {
    assert.deepEqual(
      siteArgsProblems(site({ allowList: { connectIps: [UNKNOWN, "10.0.0.0/8"] } }), { now: NOW }),
      [{ path: "allowList.connectIps[1]", message: PRIVATE_10 }],
    );
    assert.deepEqual(
      siteArgsProblems(site({ allowList: { connectIps: [UNKNOWN, UNKNOWN] } }), { now: NOW }),
      [],
    );
    // The backend's address not known: the isolated-VNet rule waits; the port's type is still wrong.
    assert.deepEqual(
      siteArgsProblems(
        site({ network: { addressSpace: UNKNOWN }, backend: { address: UNKNOWN, port: "443" } }),
        {
          now: NOW,
        },
      ),
      [{ path: "backend.port", message: 'must be a number, not "443"' }],
    );
    assert.deepEqual(
      siteArgsProblems(site({ tls: { keyVault: UNKNOWN, certificateName: 5 } }), { now: NOW }),
      [
        {
          path: "tls.certificateName",
          message:
            "must be text, not 5; put the value in quotes (YAML and JSON read an unquoted 5 as a number, and a number loses leading zeros)",
        },
      ],
    );
    assert.deepEqual(siteArgsProblems(site({ tls: UNKNOWN, loginApp: UNKNOWN }), { now: NOW }), []);
    // An IPv6 range not known yet, without an IPv6 frontend: the rule would speak for it; it waits instead.
    assert.deepEqual(siteArgsProblems(site({ network: { ipv6AddressSpace: UNKNOWN } }), { now: NOW }), []);
    assert.deepEqual(
      siteArgsProblems(site({ network: { ipv6AddressSpace: "2001:db8:60::/56" } }), { now: NOW }),
      [
        {
          path: "network.ipv6AddressSpace",
          message: "is only used with ipv6Frontend: true; set it, or remove the IPv6 ranges",
        },
      ],
    );
  });

  it("a misspelt arg gets a did-you-mean; a made-up one the list of args", () => {
    assert.deepEqual(siteArgsProblems(site({ bakend: { address: "10.60.2.4" } }), { now: NOW }), [
      { path: "bakend", message: 'is not an arg here; did you mean "backend"?' },
    ]);
    assert.deepEqual(siteArgsProblems(site({ zzzzzzzz: 1 }), { now: NOW }), [
      {
        path: "zzzzzzzz",
        message:
          "is not an arg here; expected one of namePrefix, location, resourceGroup, tags, network, publicHostname, vantagepointPath, backend, dns, tls, allowList, tenantId, loginApp, mailboxApp, vantagepoint, verification, httpListener, appOwners, gatewayCreatedWith, ipv6Frontend, zones, locks, diagnostics",
      },
    ]);
    assert.deepEqual(siteArgsProblems(site({ backend: { address: "10.60.2.4", prot: 443 } }), { now: NOW }), [
      { path: "backend.prot", message: 'is not an arg here; did you mean "port"?' },
    ]);
  });

  it("args that are not an object are one problem", () => {
    assert.deepEqual(siteArgsProblems(null), NOT_AN_OBJECT);
    assert.deepEqual(siteArgsProblems([site()]), NOT_AN_OBJECT);
    assert.deepEqual(siteArgsProblems("vp"), NOT_AN_OBJECT);
    // A YAML key with nothing after it is null: named as the section it is, never a TypeError.
    assert.deepEqual(siteArgsProblems(site({ vantagepoint: null }), { now: NOW }), [
      { path: "vantagepoint", message: "must be a map of keys, not null" },
    ]);
    assert.deepEqual(schemaProblems(z.strictObject({ a: z.string() }), 5, ["network", 0]), [
      { path: "network[0]", message: "must be an object of named args" },
    ]);
    assert.deepEqual(schemaProblems(z.strictObject({ a: z.string() }), { a: 5 }, ["network", 0]), [
      {
        path: "network[0].a",
        message:
          "must be text, not 5; put the value in quotes (YAML and JSON read an unquoted 5 as a number, and a number loses leading zeros)",
      },
    ]);
    assert.deepEqual(
      schemaProblems(z.strictObject({ keyVault: z.string() }), { keyVault: "x", zzzzzzzz: 1 }, ["tls"]),
      [{ path: "tls.zzzzzzzz", message: "is not an arg here; expected one of keyVault" }],
    );
  });

  describe("ConnectAllowList", () => {
    const list = (more: Args = {}) => ({
      connectIps: ["20.1.2.3"],
      resourceGroupName: "rg-vp",
      location: "westeurope",
      ...more,
    });

    it("its args named at the top level (connectIps[0], not allowList.connectIps[0])", () => {
      assert.deepEqual(allowListArgsProblems(list()), []);
      assert.deepEqual(allowListArgsProblems(list({ connectIps: ["10.0.0.0/8"] })), [
        { path: "connectIps[0]", message: PRIVATE_10_ALLOW_LIST },
      ]);
      assert.deepEqual(allowListArgsProblems(list({ connectIps: [UNKNOWN, "10.0.0.0/8"] })), [
        { path: "connectIps[1]", message: PRIVATE_10_ALLOW_LIST },
      ]);
    });

    it("an IPv6 range is allowed here: whether the gateway has an IPv6 frontend is ConnectSite's to check", () => {
      assert.deepEqual(allowListArgsProblems(list({ connectIps: ["20.1.2.3", "2603:1000::/40"] })), []);
      assert.deepEqual(allowListArgsProblems(list({ extraRanges: ["2001:db8:10::/48"] })), []);
    });

    it("its resource group and location: required, not empty", () => {
      assert.deepEqual(allowListArgsProblems(list({ resourceGroupName: "", location: "" })), [
        { path: "resourceGroupName", message: '"" must not be empty' },
        { path: "location", message: '"" must not be empty' },
      ]);
      assert.deepEqual(allowListArgsProblems({ connectIps: ["20.1.2.3"] }), [
        { path: "resourceGroupName", message: "is required (text)" },
        { path: "location", message: "is required (text)" },
      ]);
      assert.deepEqual(allowListArgsProblems("20.1.2.3"), NOT_AN_OBJECT);
      // A shape problem beside a rule problem: both listed.
      assert.deepEqual(allowListArgsProblems(list({ connectIps: ["10.0.0.0/8"], location: "" })), [
        { path: "location", message: '"" must not be empty' },
        { path: "connectIps[0]", message: PRIVATE_10_ALLOW_LIST },
      ]);
    });
  });

  describe("the pieces", () => {
    it("arg paths as a caller writes them", () => {
      assert.equal(argPath([]), "");
      assert.equal(argPath(["tls"]), "tls");
      assert.equal(argPath(["tls", "keyVault", "name"]), "tls.keyVault.name");
      assert.equal(argPath(["allowList", "connectIps", 0]), "allowList.connectIps[0]");
      assert.equal(argPath(["a", 0, "b", 1, 2]), "a[0].b[1][2]");
      assert.equal(argPath([0, "a"]), "[0].a");
    });

    it("knownOnly drops a problem at or under a value not known yet, keeps the rest", () => {
      const view = { a: { b: UNKNOWN }, l: [1, UNKNOWN], s: "text" };
      const problems = ["a.b", "a.b.c", "a", "l[1]", "l[0]", "l[1].x", "l[10]", "z.y", "s.length"].map(
        (path) => ({
          path,
          message: path,
        }),
      );
      assert.deepEqual(
        knownOnly(view, problems).map((p) => p.path),
        ["a", "l[0]", "l[10]", "z.y", "s.length"],
      );
      assert.deepEqual(knownOnly(UNKNOWN, problems), []);
      // Arg names of more than one letter, and list indexes of two digits.
      const site = { tls: UNKNOWN, allowList: { connectIps: [...Array(10).fill("20.1.2.3"), UNKNOWN] } };
      assert.deepEqual(
        knownOnly(site, [
          { path: "tls.keyVault.name", message: "1" },
          { path: "allowList.connectIps[10]", message: "2" },
          { path: "allowList.connectIps[9]", message: "3" },
          { path: "allowList", message: "4" },
        ]).map((p) => p.message),
        ["3", "4"],
      );
      assert.deepEqual(
        knownOnly(null, problems).map((p) => p.path),
        problems.map((p) => p.path),
      );
    });

    it("dedupe keeps the first of each path and message", () => {
      assert.deepEqual(
        dedupe([
          { path: "a", message: "x" },
          { path: "a", message: "x" },
          { path: "a", message: "y" },
          { path: "b", message: "x" },
          { path: "a.b", message: "c" },
          { path: "a", message: "b.c" },
        ]),
        [
          { path: "a", message: "x" },
          { path: "a", message: "y" },
          { path: "b", message: "x" },
          { path: "a.b", message: "c" },
          { path: "a", message: "b.c" },
        ],
      );
    });

    it("safely turns a rule that throws into no problem", () => {
      assert.deepEqual(
        safely(() => {
          throw new TypeError("x.map is not a function");
        }),
        [],
      );
      assert.deepEqual(
        safely(() => [{ path: "a", message: "b" }]),
        [{ path: "a", message: "b" }],
      );
    });

    it("the error message: the count, when it was found, control characters escaped, URL passwords masked", () => {
      assert.equal(
        formatArgProblems("ConnectSite", "prod", [
          { path: "backend.port", message: 'must be a number, not "443"' },
        ]),
        'ConnectSite "prod": 1 problem in its args; nothing was created:\n  backend.port: must be a number, not "443"',
      );
      assert.equal(
        formatArgProblems(
          "ConnectRoster",
          'roster "a"',
          [
            { path: "a", message: "x" },
            { path: "b\u0007", message: "see https://svc:hunter2@vp.example.com/api, not \u001b[31m" },
          ],
          true,
        ),
        'ConnectRoster "roster \\"a\\"": 2 problems in its args; found once the values were known, the deployment stops here:\n  a: x\n  b\\u{7}: see https://svc:***@vp.example.com/api, not \\u{1B}[31m',
      );
      assert.equal(
        formatArgProblems("ConnectSite", "prod", []),
        'ConnectSite "prod": 0 problems in its args; nothing was created:',
      );
    });
  });
});
