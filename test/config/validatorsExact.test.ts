/**
 * The shared validators with exact answers (issue 23): text pasted with a lone surrogate or a carriage return,
 * URLs with a bare username, an empty fragment or a loopback look-alike, host names at 253 characters, backend
 * addresses written as URLs, GUIDs in braces or copied with a comma, secure: values one character short, email
 * addresses mixing scripts a keyboard switch produces.
 */
import assert from "node:assert/strict";
import {
  backendAddressProblem,
  ciphertextProblem,
  confusableSkeleton,
  escapeUnsafe,
  guid,
  guidProblem,
  hostnameShapeProblem,
  mixedScriptProblem,
  safeText,
  unsafeTextProblem,
  urlProblems,
} from "../../lib/values/validators";

const G = "7d3c2b1a-4e5f-4a6b-8c9d-0e1f2a3b4c5d";

describe("validators: unsafe text", () => {
  it("names a lone surrogate, a carriage return and a tag character; a real emoji (a surrogate pair) passes", () => {
    assert.equal(
      unsafeTextProblem("ab\ud800c"),
      "contains a lone UTF-16 surrogate (not valid text), U+D800 at character 3; remove it",
    );
    assert.equal(
      unsafeTextProblem("a\udc00"),
      "contains a lone UTF-16 surrogate (not valid text), U+DC00 at character 2; remove it",
    );
    assert.equal(
      unsafeTextProblem("abc\rdef"),
      "must not contain line breaks (U+000D at character 4); keep it on one line",
    );
    assert.equal(
      unsafeTextProblem("ab\ndef"),
      "must not contain line breaks (U+000A at character 3); keep it on one line",
    );
    assert.equal(
      unsafeTextProblem("x\u{e0041}"),
      "contains an invisible tag character, U+E0041 at character 2; remove it",
    );
    assert.equal(unsafeTextProblem("ok \u{1f600} done"), undefined);
    assert.equal(escapeUnsafe("a\u202eb\ud800"), "a\\u{202E}b\\u{D800}");
  });

  it("safeText() refuses in a schema with the same message", () => {
    const r = safeText().safeParse("a\u0000b");
    assert.equal(r.success, false);
    assert.deepEqual(
      r.error?.issues.map((i) => i.message),
      ["contains a NUL character, U+0000 at character 2; remove it"],
    );
    assert.equal(safeText().safeParse("Contoso Ltd.").success, true);
  });
});

describe("validators: URLs", () => {
  it("a value that is not a URL is named with the default example", () => {
    assert.deepEqual(urlProblems("vantagepoint/api"), [
      '"vantagepoint/api" must be a URL such as https://vantagepoint.example.com/vantagepoint/api',
    ]);
  });

  it("a user name alone is credentials too; an empty fragment ('#') is still a fragment", () => {
    assert.deepEqual(urlProblems("https://svc@vp.contoso.example/api#"), [
      "must not carry credentials; use vantagepoint.username and the secret vantagepoint.password",
      '"https://svc@vp.contoso.example/api#" must not have a fragment ("#..."); give the address only, e.g. "https://vp.contoso.example/api"',
    ]);
  });

  it("http on a real host is refused with the address; the query fix keeps http only on loopback", () => {
    assert.deepEqual(urlProblems("http://vp.contoso.example/vantagepoint/api?db=VP01"), [
      '"http://vp.contoso.example/vantagepoint/api" must use https:// (http is allowed only for 127.0.0.1/localhost)',
      '"http://vp.contoso.example/vantagepoint/api?db=VP01" must not have a query ("?..."); give the address only, e.g. "https://vp.contoso.example/vantagepoint/api"',
    ]);
    assert.deepEqual(urlProblems("http://127.0.0.1:8080/api?x=1"), [
      '"http://127.0.0.1:8080/api?x=1" must not have a query ("?..."); give the address only, e.g. "http://127.0.0.1:8080/api"',
    ]);
    assert.deepEqual(urlProblems("https://127.0.0.1:8443/api?x=1"), [
      '"https://127.0.0.1:8443/api?x=1" must not have a query ("?..."); give the address only, e.g. "https://127.0.0.1:8443/api"',
    ]);
    assert.deepEqual(urlProblems("http://127.0.0.1:8080/api?x=1", { httpOnLoopback: false }), [
      '"http://127.0.0.1:8080/api" must use https:// (http is allowed only for 127.0.0.1/localhost)',
      '"http://127.0.0.1:8080/api?x=1" must not have a query ("?..."); give the address only, e.g. "https://127.0.0.1:8080/api"',
    ]);
  });

  it("loopback is localhost, [::1] and all of 127.0.0.0/8, not a name that merely contains 127.0.0.1", () => {
    for (const ok of [
      "http://localhost:8080/api",
      "http://[::1]:8080/api",
      "http://127.10.200.30/api",
      "https://[2001:db8::1]/api",
    ])
      assert.deepEqual(urlProblems(ok), [], ok);
    for (const host of ["127.0.0.1.nip.example", "a127.0.0.1.example"])
      assert.deepEqual(urlProblems(`http://${host}/api`), [
        `"http://${host}/api" must use https:// (http is allowed only for 127.0.0.1/localhost)`,
      ]);
  });
});

describe("validators: host names and backend addresses", () => {
  it("host names: 1 to 253 characters, a dot unless single labels are allowed, one-letter labels are fine", () => {
    const l = (n: number) => "a".repeat(n);
    assert.equal(hostnameShapeProblem(""), "must be 1 to 253 characters");
    assert.equal(hostnameShapeProblem([l(63), l(63), l(63), l(61)].join(".")), undefined, "253");
    assert.equal(hostnameShapeProblem([l(63), l(63), l(63), l(62)].join(".")), "must be 1 to 253 characters");
    assert.equal(hostnameShapeProblem("vpserver"), "must have a dot, e.g. vantagepoint.example.com");
    assert.equal(hostnameShapeProblem("vpserver", true), undefined);
    assert.equal(hostnameShapeProblem("contoso.example"), undefined);
    assert.equal(
      hostnameShapeProblem("x.contoso.example."),
      undefined,
      "a trailing dot (the DNS root) is fine",
    );
    assert.equal(
      hostnameShapeProblem("vp.con_toso.example"),
      'may hold only letters, digits and "-" between dots, e.g. vantagepoint.example.com',
    );
    assert.equal(hostnameShapeProblem("vp.contoso.10"), "ends in a number, so it is not a DNS name");
    assert.equal(hostnameShapeProblem("vp.contoso.x10"), undefined);
    assert.equal(
      hostnameShapeProblem("vp.contoso.1a"),
      undefined,
      "a last label that starts with a digit is a name",
    );
  });

  it("a backend address: blank, padded, bracketed IPv6 with and without a port, a bracketed IPv4", () => {
    const empty = "must not be empty; give the server's private IP or FQDN";
    assert.equal(backendAddressProblem(""), empty);
    assert.equal(backendAddressProblem("   "), empty);
    assert.equal(backendAddressProblem(" 10.0.0.4"), '" 10.0.0.4" has spaces before or after it');
    assert.equal(
      backendAddressProblem("[fd00::4]:8443"),
      '"[fd00::4]:8443" is written like a URL; give the address only, "fd00::4", and put 8443 in site.backend.port',
    );
    assert.equal(
      backendAddressProblem("[fd00::4]"),
      '"[fd00::4]" is written like a URL; give the address only, "fd00::4"',
    );
    assert.equal(
      backendAddressProblem("[fd00::4]/64"),
      '"[fd00::4]/64" has a path or a prefix length; give one server\'s private IP or FQDN',
    );
    assert.equal(
      backendAddressProblem("[10.0.0.4]"),
      '"[10.0.0.4]" is not an IP address or a DNS name: it may hold only letters, digits and "-" between dots, e.g. vantagepoint.example.com',
    );
  });

  it("a backend written as a URL: the fix names the host and where the scheme and port go", () => {
    assert.equal(
      backendAddressProblem("https://vp01.contoso.example:8443/vantagepoint"),
      '"https://vp01.contoso.example:8443/vantagepoint" has a scheme; give the address only, e.g. "vp01.contoso.example" ' +
        "(the scheme goes in site.backend.protocol, the port in site.backend.port)",
    );
    assert.equal(
      backendAddressProblem("http://[fd00::4]/", { port: "backend.port", protocol: "backend.protocol" }),
      '"http://[fd00::4]/" has a scheme; give the address only, e.g. "fd00::4" (the scheme goes in backend.protocol)',
    );
    assert.equal(
      backendAddressProblem("https://vp 01/"),
      '"https://vp 01/" has a scheme; give the server\'s private IP or FQDN only (the scheme goes in site.backend.protocol)',
    );
    assert.equal(
      backendAddressProblem("https://vp_01/"),
      '"https://vp_01/" has a scheme; give the server\'s private IP or FQDN only (the scheme goes in site.backend.protocol)',
    );
  });

  it("a backend with a port: the host and port named when the host passes, else only where the port goes", () => {
    assert.equal(
      backendAddressProblem("vp01:8443"),
      '"vp01:8443" has a port; give the address only, "vp01", and put 8443 in site.backend.port',
    );
    assert.equal(
      backendAddressProblem("vp01:"),
      '"vp01:" has a port; give the address only, "vp01", and put the port in site.backend.port',
    );
    assert.equal(
      backendAddressProblem("vp_01:8443"),
      '"vp_01:8443" has a port; give the address only and the port in site.backend.port',
    );
  });
});

describe("validators: GUIDs and secure values", () => {
  it("a GUID in braces gets the bare GUID; copied with a comma or an extra digit it is just not a GUID", () => {
    assert.equal(guidProblem(`{${G}}`), `"{${G}}" must be a GUID without braces, e.g. "${G}"`);
    const notGuid = (v: string) =>
      `must be a GUID, e.g. 7d3c2b1a-4e5f-4a6b-8c9d-0e1f2a3b4c5d, not ${JSON.stringify(v)}`;
    for (const v of [`{${G}},`, `'{${G}}`, `{not-a-guid}`, `${G}0`, `0${G}`])
      assert.equal(guidProblem(v), notGuid(v), v);
  });

  it("only the all-zero and all-f GUIDs are placeholders, not GUIDs that start or end with zeros or f", () => {
    assert.equal(
      guidProblem("00000000-0000-0000-0000-000000000000", "a tenant ID"),
      "is the nil GUID (all zeros), a placeholder; give a tenant ID from the Entra admin center",
    );
    assert.equal(
      guidProblem("FFFFFFFF-ffff-ffff-ffff-ffffffffffff"),
      "is the max GUID (all f), a placeholder; give a GUID from the Entra admin center",
    );
    for (const ok of [
      "7d3c2b1a-4e5f-4a6b-8c9d-000000000000",
      "00000000-4e5f-4a6b-8c9d-0e1f2a3b4c5d",
      "7d3c2b1a-4e5f-4a6b-8c9d-ffffffffffff",
      "ffffffff-4e5f-4a6b-8c9d-0e1f2a3b4c5d",
    ])
      assert.equal(guidProblem(ok), undefined, ok);
  });

  it("guid(): a custom message replaces the shape sentence only, never the placeholder one", () => {
    const schema = guid("a tenant ID", "must be the Directory (tenant) ID from the Entra overview page");
    const msg = (v: string) => schema.safeParse(v).error?.issues.map((i) => i.message);
    assert.deepEqual(msg("contoso.onmicrosoft.com"), [
      "must be the Directory (tenant) ID from the Entra overview page",
    ]);
    assert.deepEqual(msg("00000000-0000-0000-0000-000000000000"), [
      "is the nil GUID (all zeros), a placeholder; give a tenant ID from the Entra admin center",
    ]);
    assert.deepEqual(
      guid()
        .safeParse("x")
        .error?.issues.map((i) => i.message),
      ['must be a GUID, e.g. 7d3c2b1a-4e5f-4a6b-8c9d-0e1f2a3b4c5d, not "x"'],
    );
  });

  it("secure: values: blank, a v1 value with a fourth part, a 17-character nonce, data one character short", () => {
    const fix = "run `pulumi config set --secret --path 'vantagepoint.password' <value>` to write it again";
    const p = (v: unknown) => ciphertextProblem(v, "vantagepoint.password");
    const notV1 = `has a \`secure:\` value that is not Pulumi ciphertext (v1:<nonce>:<data>); ${fix}`;
    const nonce = "AAAAAAAAAAAAAAAA";
    assert.equal(p("   "), `has an empty \`secure:\` value; ${fix}`);
    assert.equal(p(`v1:${nonce}:${"B".repeat(16)}`), undefined);
    assert.equal(p(`v1:${nonce}:${"B".repeat(15)}`), notV1);
    assert.equal(p(`v1:${nonce}:${"B".repeat(16)}:x`), notV1);
    assert.equal(p(`v1:${nonce}A:${"B".repeat(16)}`), notV1);
    assert.equal(p(`v1:A${nonce}:${"B".repeat(16)}`), notV1);
    assert.equal(p("QUJDREVGR0hJSktMTU5P"), undefined, "base64 from another secrets provider");
    assert.equal(p("B".repeat(16)), undefined);
    assert.equal(
      p("B".repeat(15)),
      `has a \`secure:\` value that is not Pulumi ciphertext (expected base64 or v1:<nonce>:<data>); ${fix}`,
    );
  });
});

describe("validators: emails mixing scripts", () => {
  it("names each lookalike script mixed with another, exactly", () => {
    const cases: Array<[string, string, string]> = [
      ["j\u0585hn@contoso.example", "Armenian and Latin", "j\u0585hn"],
      ["\u13aalex@contoso.example", "Cherokee and Latin", "\u13aalex"],
      ["abc\u05d0@contoso.example", "Hebrew and Latin", "abc\u05d0"],
      ["abc\u0628@contoso.example", "Arabic and Latin", "abc\u0628"],
      ["\u0430\u3053@contoso.example", "Cyrillic and Hiragana", "\u0430\u3053"],
      ["\u0430\u30ab@contoso.example", "Cyrillic and Katakana", "\u0430\u30ab"],
      ["\u0430\uae40@contoso.example", "Cyrillic and Hangul", "\u0430\uae40"],
      ["abc\u0e01@contoso.example", "Latin and other", "abc\u0e01"],
    ];
    for (const [email, scripts, part] of cases)
      assert.equal(
        mixedScriptProblem(email),
        `${JSON.stringify(email)} mixes ${scripts} letters in ${JSON.stringify(part)}; type the address again with one keyboard layout`,
        email,
      );
  });

  it("Latin with Japanese or Korean is allowed (Unicode TR 39); digits are not letters", () => {
    for (const ok of [
      "yamada\u3053@contoso.example",
      "yamada\u30ab@contoso.example",
      "yamada\u5c71@contoso.example",
      "yamada\u5c71\u3053@contoso.example",
      "kim\uae40@contoso.example",
      "kim\uae40\u5c71@contoso.example",
      "user1@contoso.example",
    ])
      assert.equal(mixedScriptProblem(ok), undefined, ok);
  });

  it("a Cyrillic 'а' in a Latin address says which address it looks like", () => {
    assert.equal(
      mixedScriptProblem("p\u0430ypal@contoso.example"),
      '"p\u0430ypal@contoso.example" mixes Cyrillic and Latin letters in "p\u0430ypal"; it looks like "paypal@contoso.example"; type the address again with one keyboard layout',
    );
  });

  it("every lookalike letter maps to its Latin twin (a subset of Unicode's confusables.txt)", () => {
    assert.equal(
      confusableSkeleton("авеёкмнорстухѕіїјԛԝһӏԁɡ αβεικνορτυχω ıℓ"),
      "abeekmhopctyxsiijqwhldg abeikvoptuxw il",
    );
  });
});
