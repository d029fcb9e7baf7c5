/**
 * The free-text value rules with exact answers (issue 23): values as people paste them (a word joiner from a web
 * page, a database name with its connection string, a URL with a trailing slash or a port), edge values (128 and
 * 90 characters, 224.0.0.0, .255 in a /16) and the fix each message offers.
 */
import assert from "node:assert/strict";
import {
  apiRootProblem,
  backendIpProblem,
  connectClientIdProblem,
  databaseNameProblem,
  hubIsOwnVnetProblem,
  identifierTextProblem,
  identifierUriProblem,
  invisibleCharProblem,
  keyVaultNameProblem,
  resourceGroupNameProblem,
  tenantMismatchProblem,
  windowsLoginVersionProblem,
} from "../../lib/values/valueRules";

const TENANT = "11111111-2222-3333-4444-555555555555";
const DELTEK = "(Deltek: the API root is https://<host>/<instance>/api)";
const MS = '(Microsoft: "Restrictions on identifier URIs of Microsoft Entra applications")';

describe("value rules: invisible characters", () => {
  it("names a word joiner, a byte order mark and any other format character, with where it is and the fix", () => {
    assert.equal(
      invisibleCharProblem("alex\u2060lee"),
      'contains a word joiner (U+2060) at character 5, which no one sees; type it again without it, e.g. "alexlee"',
    );
    assert.equal(
      invisibleCharProblem("\ufeffVP01"),
      'contains a byte order mark (U+FEFF) at character 1, which no one sees; type it again without it, e.g. "VP01"',
    );
    assert.equal(
      invisibleCharProblem("VP\u200e01"),
      "contains an invisible format character (U+200E) at character 3, which no one sees; type it again without it, " +
        'e.g. "VP01"',
    );
    assert.equal(identifierTextProblem("alex\u2060lee"), invisibleCharProblem("alex\u2060lee"));
  });
});

describe("value rules: Vantagepoint", () => {
  it("the API root: a trailing slash passes; below the root, an instance named like the token, an app path", () => {
    assert.equal(apiRootProblem("https://vp.contoso.example/vantagepoint/api//"), undefined);
    assert.equal(apiRootProblem("not a url"), undefined);
    assert.equal(
      apiRootProblem("https://vp.contoso.example/vantagepoint/api/token/revoke"),
      '"https://vp.contoso.example/vantagepoint/api/token/revoke" points below the API root; give the root, ' +
        `"https://vp.contoso.example/vantagepoint/api" ${DELTEK}`,
    );
    assert.equal(
      apiRootProblem("https://vp.contoso.example/tokenvp/api/token"),
      '"https://vp.contoso.example/tokenvp/api/token" is the token endpoint; give the API root without /token, ' +
        `"https://vp.contoso.example/tokenvp/api" ${DELTEK}`,
    );
    assert.equal(
      apiRootProblem("https://vp.contoso.example/vantagepoint/app"),
      '"https://vp.contoso.example/vantagepoint/app" is the Vantagepoint web app, not its API; give the API root, ' +
        `e.g. "https://vp.contoso.example/vantagepoint/api" ${DELTEK}`,
    );
    assert.equal(
      apiRootProblem("https://vp.contoso.example/appserver/vantagepoint"),
      '"https://vp.contoso.example/appserver/vantagepoint" does not end in "/api"; give the API root, e.g. ' +
        `"https://vp.contoso.example/appserver/vantagepoint/api" ${DELTEK}`,
    );
  });

  it("a database name: 128 characters pass, 129 do not; pasted with its connection string or in quotes", () => {
    assert.equal(databaseNameProblem("D".repeat(128)), undefined);
    assert.equal(
      databaseNameProblem("D".repeat(129)),
      "is 129 characters; a SQL Server database name has at most 128",
    );
    const tail = "(the name as SQL Server and Vantagepoint's login page show it)";
    assert.equal(
      databaseNameProblem("VP01 ; Trusted_Connection=yes"),
      `"VP01 ; Trusted_Connection=yes" contains ";" (connection-string syntax); give the name alone, e.g. "VP01" ${tail}`,
    );
    assert.equal(
      databaseNameProblem("Database=VP01"),
      `"Database=VP01" contains "=" (connection-string syntax); give the name alone, e.g. "Database" ${tail}`,
    );
    assert.equal(
      databaseNameProblem("\u201cVP01\u201d"),
      `"\u201cVP01\u201d" contains the quote "\u201c"; give the name alone, e.g. "VP01" ${tail}`,
    );
    assert.equal(
      databaseNameProblem('"";'),
      `"\\"\\";" contains the quote "\\""; give the database name alone ${tail}`,
    );
  });

  it("Connect's Client ID equal to this project's, in another case and with spaces, is refused", () => {
    assert.match(
      connectClientIdProblem("vpconnect", " VPConnect ") ?? "",
      /^"vpconnect" is the Client ID this project/,
    );
    assert.equal(connectClientIdProblem("vpconnect", "vpconnect-sync"), undefined);
  });

  it("Windows login: refused on 4.5, not on 10.0 (the major version is the number before the first dot)", () => {
    assert.match(windowsLoginVersionProblem("4.5") ?? "", /^Vantagepoint 4\.5 does not support Windows/);
    assert.equal(windowsLoginVersionProblem("10.0"), undefined);
  });
});

describe("value rules: Entra", () => {
  it("api://<tenant>/<name> passes; api://<tenant>/ alone and another app's ID are refused with a fix", () => {
    assert.equal(identifierUriProblem(`api://${TENANT}/vantagepoint`, TENANT), undefined);
    assert.match(
      identifierUriProblem("api://99999999-2222-3333-4444-555555555555/vantagepoint", TENANT) ?? "",
      /names an application ID/,
      "another GUID with a name after it is still another app's",
    );
    const fix = `use "api://${TENANT}/vantagepoint" (api://<tenant id>/<name>), or remove identifierUri for the default api://<application id>`;
    assert.equal(
      identifierUriProblem(`api://${TENANT}/`, TENANT.toUpperCase()),
      `"api://${TENANT}/" is the tenant ID without a name after it; use "api://${TENANT.toUpperCase()}/vantagepoint" ` +
        `(api://<tenant id>/<name>), or remove identifierUri for the default api://<application id> ${MS}`,
    );
    assert.equal(
      identifierUriProblem(`api://${TENANT}/x`),
      `"api://${TENANT}/x" names an application ID, and the login app's own ID is assigned by Entra when this stack ` +
        "creates it, so this is another app's; remove identifierUri: the default api://<application id> is what " +
        `Deltek's guide accepts ${MS}`,
    );
    assert.match(
      identifierUriProblem(`api://${TENANT}`, TENANT) ?? "",
      new RegExp(`; ${fix.replace(/[()/.*?]/g, "\\$&")} `),
    );
    assert.match(
      identifierUriProblem(`api://${TENANT}`, "contoso.onmicrosoft.com") ?? "",
      /; remove identifierUri: /,
    );
  });

  it("names no tenant can verify: each reserved suffix, localhost, a port, a name without a domain", () => {
    for (const suffix of [
      ".local",
      ".localhost",
      ".internal",
      ".lan",
      ".home.arpa",
      ".localdomain",
      ".invalid",
      ".test",
    ])
      assert.match(
        identifierUriProblem(`https://vp.contoso${suffix}/app`) ?? "",
        new RegExp(
          `uses "vp\\.contoso${suffix.replace(/\./g, "\\.")}", a name no tenant can verify \\(${suffix.replace(/\./g, "\\.")} is reserved`,
        ),
        suffix,
      );
    assert.match(
      identifierUriProblem("api://localhost") ?? "",
      /\(\.localhost is reserved for local networks\)/,
    );
    assert.match(
      identifierUriProblem("https://vp.contoso.local:8443/x") ?? "",
      /uses "vp\.contoso\.local", /,
    );
    assert.match(
      identifierUriProblem("api://vpconnect-prod") ?? "",
      /uses "vpconnect-prod", a name no tenant can verify \(no domain\)/,
    );
    assert.match(identifierUriProblem(`api://app-${TENANT}`) ?? "", /\(no domain\)/);
    assert.equal(identifierUriProblem(`https://${TENANT}.contoso.example`), undefined);
    assert.equal(identifierUriProblem("https://vp.contoso.example/connect"), undefined);
    assert.equal(identifierUriProblem("vp.contoso.local"), undefined, "malformed: the schema names it");
    assert.equal(
      identifierUriProblem("xapi://vp.contoso.local"),
      undefined,
      "malformed: the schema names it",
    );
  });

  it("the provider tenant: unset or empty is no conflict; the same ID with spaces and capitals agrees", () => {
    assert.equal(tenantMismatchProblem(TENANT, ""), undefined);
    assert.equal(tenantMismatchProblem(TENANT, ` ${TENANT.toUpperCase()} `), undefined);
    assert.match(
      tenantMismatchProblem(TENANT, "99999999-2222-3333-4444-555555555555") ?? "",
      /differs from azuread:tenantId/,
    );
  });
});

describe("value rules: Azure names and addresses", () => {
  it("resource group names: empty, 90 and 91 characters, a space, digits, trailing periods", () => {
    const rules = "(Microsoft naming rules)";
    assert.equal(resourceGroupNameProblem(""), "must not be empty; give the resource group name");
    assert.equal(resourceGroupNameProblem("r".repeat(90)), undefined);
    assert.equal(
      resourceGroupNameProblem("r".repeat(91)),
      `is 91 characters; a resource group name has at most 90 ${rules}`,
    );
    assert.equal(resourceGroupNameProblem("rg-connect-01"), undefined);
    assert.equal(
      resourceGroupNameProblem("rg connect"),
      `"rg connect" may hold only letters, digits, ".", "_", "-", "(" and ")" ${rules}`,
    );
    assert.equal(
      resourceGroupNameProblem("rg!"),
      `"rg!" may hold only letters, digits, ".", "_", "-", "(" and ")" ${rules}`,
    );
    assert.equal(
      resourceGroupNameProblem("!rg"),
      `"!rg" may hold only letters, digits, ".", "_", "-", "(" and ")" ${rules}`,
    );
    assert.equal(
      resourceGroupNameProblem("rg.connect.."),
      `"rg.connect.." ends in "."; a resource group name cannot end in a period ${rules}: use "rg.connect"`,
    );
    assert.equal(
      resourceGroupNameProblem(".."),
      `".." ends in "."; a resource group name cannot end in a period ${rules}`,
    );
  });

  it("Key Vault names: double hyphens anywhere, a digit first; the fix offered only when it passes", () => {
    const rules =
      "3-24 letters, digits and single hyphens, starting with a letter and ending with a letter or digit (Microsoft naming rules)";
    assert.equal(
      keyVaultNameProblem("kv-connect--prod-"),
      `"kv-connect--prod-" has two hyphens in a row; use ${rules}; e.g. "kv-connect-prod"`,
    );
    assert.equal(keyVaultNameProblem("1kv-connect"), `"1kv-connect" is not a Key Vault name; use ${rules}`);
    assert.equal(keyVaultNameProblem("k--"), `"k--" has two hyphens in a row; use ${rules}`);
    assert.equal(
      keyVaultNameProblem("kv-connect--prod"),
      `"kv-connect--prod" has two hyphens in a row; use ${rules}; e.g. "kv-connect-prod"`,
    );
  });

  it("the hub VNet is the stack's own only for <prefix>-vnet in its own group (any case); other IDs pass", () => {
    const id = (group: string, vnet: string) =>
      `/subscriptions/s/resourceGroups/${group}/providers/Microsoft.Network/virtualNetworks/${vnet}`;
    assert.match(
      hubIsOwnVnetProblem(id("RG-Connect", "VPC-VNET"), "rg-connect", "vpc") ?? "",
      /^is the virtual network this stack creates \(vpc-vnet in rg-connect\)/,
    );
    assert.equal(hubIsOwnVnetProblem(id("rg-connect", "hub-vnet"), "rg-connect", "vpc"), undefined);
    assert.equal(hubIsOwnVnetProblem(id("rg-hub", "vpc-vnet"), "rg-connect", "vpc"), undefined);
    assert.equal(
      hubIsOwnVnetProblem(`${id("rg-connect", "vpc-vnet")}/subnets/default`, "rg-connect", "vpc"),
      undefined,
    );
    assert.equal(hubIsOwnVnetProblem("vpc-vnet", "rg-connect", "vpc"), undefined);
  });

  it("backend addresses: multicast from 224 to 239, broadcast only as 255.255.255.255, IPv6 loopback and others", () => {
    const fix = "give the Vantagepoint server's private IP address, e.g. 10.20.0.10, or its DNS name";
    assert.equal(backendIpProblem("224.0.0.1"), `"224.0.0.1" is a multicast address; ${fix}`);
    assert.equal(backendIpProblem("239.255.255.255"), `"239.255.255.255" is a multicast address; ${fix}`);
    assert.equal(backendIpProblem("240.0.0.1"), undefined);
    assert.equal(backendIpProblem("255.255.255.255"), `"255.255.255.255" is the broadcast address; ${fix}`);
    for (const ok of ["10.20.0.255", "255.255.255.254", "255.255.0.255", "255.0.255.255", "1.255.255.255"])
      assert.equal(backendIpProblem(ok), undefined, ok);
    assert.equal(backendIpProblem("::"), `"::" is the unspecified address (::), which no server has; ${fix}`);
    assert.equal(
      backendIpProblem("::1"),
      `"::1" is a loopback address: the gateway would call itself; ${fix}`,
    );
    assert.equal(
      backendIpProblem("0:0:0:0:0:0:0:1"),
      `"0:0:0:0:0:0:0:1" is a loopback address: the gateway would call itself; ${fix}`,
    );
    for (const ok of ["::10", "fd00::1", "fd00::"]) assert.equal(backendIpProblem(ok), undefined, ok);
    // A host name is not an address at all (a Frankfurt server named ffm-vp01 is not IPv6 multicast ff00::/8).
    assert.equal(backendIpProblem("ffm-vp01.contoso.example"), undefined);
  });
});
