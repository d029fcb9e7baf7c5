/**
 * The shared config validators (lib/values/validators.ts), tested directly: each refuses input the way a person
 * (or an attacker) really writes it wrong, and every fix a message suggests passes the same check.
 */
import assert from "node:assert/strict";
import {
  backendAddressProblem,
  ciphertextProblem,
  confusableSkeleton,
  escapeUnsafe,
  guidProblem,
  mixedScriptProblem,
  quote,
  redactUrlCredentials,
  unsafeTextProblem,
  urlProblem,
  urlProblems,
} from "../../lib/values/validators";
import { hostnameProblem } from "../../lib/config/schema";

/** The first double-quoted value after `marker` in a message (a suggested fix), unescaped. */
function suggested(message: string, marker: RegExp): string {
  const m = new RegExp(`${marker.source}"((?:[^"\\\\]|\\\\.)*)"`).exec(message);
  assert.ok(m, `no suggestion after ${marker} in: ${message}`);
  return JSON.parse(`"${m[1]}"`) as string;
}

describe("config validators", () => {
  describe("unsafeTextProblem: characters a person or a report must not be shown", () => {
    const cases: Array<[string, string, RegExp]> = [
      ["NUL", "Pa\u0000t", /NUL character, U\+0000 at character 3/],
      ["escape (terminal colours)", "dev\u001b[31m", /control character.*U\+001B/],
      ["line break", "two\nlines", /must not contain line breaks \(U\+000A at character 4\)/],
      ["DEL", "a\u007fb", /control character/],
      ["C1 control", "a\u0085b", /C1 control/],
      ["right-to-left override", "Deltek \u202eved", /bidirectional-override.*U\+202E/],
      ["right-to-left isolate", "x\u2067y", /bidirectional-override/],
      ["right-to-left mark", "x\u200fy", /bidirectional-override/],
      ["zero-width space", "alex\u200b.lee", /invisible zero-width/],
      ["tag character", "ok\u{E0041}", /invisible tag character, U\+E0041/],
      ["replacement character", "Jos\ufffd", /U\+FFFD.*save the file as UTF-8/],
      ["line separator", "a\u2028b", /line or paragraph separator/],
    ];
    for (const [what, text, expected] of cases) {
      it(`refuses ${what}`, () => {
        const problem = unsafeTextProblem(text);
        assert.ok(problem, `${JSON.stringify(text)} must be refused`);
        assert.match(problem, expected);
        assert.match(problem, /remove it|one line/);
      });
    }
    it("accepts names in any script, accents and emoji, and ZWJ/ZWNJ that scripts need", () => {
      for (const ok of [
        "Zoë",
        "José",
        "Ólafur",
        "Łukasz",
        "王小明",
        "محمد",
        "Παύλος",
        "نامه‌ای",
        "👩‍💻",
        "O'Brien",
      ])
        assert.equal(unsafeTextProblem(ok), undefined, ok);
    });
    it("escapes what it refuses, so a message never carries the character", () => {
      const escaped = escapeUnsafe("a\u202eb\u0000c\u{E0041}");
      assert.equal(escaped, "a\\u{202E}b\\u{0}c\\u{E0041}");
      assert.equal(unsafeTextProblem(escaped), undefined);
    });
  });

  describe("URLs", () => {
    it("refuses queries, fragments, other schemes and fake hosts, and suggests a URL that passes", () => {
      for (const bad of [
        "https://vp.example.com/vantagepoint/api?db=VP",
        "https://vp.example.com/vantagepoint/api#top",
        "https://vp.example.com/vantagepoint/api?",
      ]) {
        const problem = urlProblem(bad);
        assert.ok(problem, bad);
        assert.equal(urlProblem(suggested(problem, /e\.g\. /)), undefined, problem);
      }
      assert.match(urlProblem("javascript:alert(1)")!, /not javascript:/);
      assert.match(urlProblem("ftp://vp.example.com/api")!, /not ftp:/);
      assert.match(urlProblem("https://vp_example/api")!, /is not a host name/);
      assert.match(urlProblem("https://10.0.0.300/api")!, /must be a URL/);
      assert.match(urlProblem("http://vp.example.com/api")!, /must use https:\/\//);
      assert.equal(urlProblem("http://127.0.0.1:8080/vantagepoint/api"), undefined);
      assert.equal(urlProblem("https://10.20.0.10/vantagepoint/api"), undefined);
    });
    it("names every problem at once, and never repeats the URL's password", () => {
      const problems = urlProblems("http://svc:Sentinel-Pw-1@vp.example.com/api?x=1");
      assert.equal(problems.length, 3, problems.join("\n"));
      assert.ok(!problems.join("\n").includes("Sentinel-Pw-1"));
      const unparsable = urlProblem("https://svc:Sentinel-Pw-2@vantage point.example.com/api")!;
      assert.ok(!unparsable.includes("Sentinel-Pw-2"), unparsable);
      assert.match(unparsable, /svc:\*\*\*@/);
    });
    it("redacts user:password@ in any text, leaving user-only and plain text alone", () => {
      assert.equal(
        redactUrlCredentials("see https://a:b@h/x and ftp://u:p%40ss@h"),
        "see https://a:***@h/x and ftp://u:***@h",
      );
      assert.equal(redactUrlCredentials("mailto a@b.com https://u@h/"), "mailto a@b.com https://u@h/");
      assert.equal(quote("https://a:secret@h"), '"https://a:***@h"');
    });
  });

  describe("host names and backend addresses", () => {
    it("refuses IP literals and numeric names as the public host name", () => {
      assert.match(hostnameProblem("203.0.113.10")!, /is an IP address; give the DNS name/);
      assert.match(hostnameProblem("2001:db8::1")!, /is an IP address/);
      assert.match(hostnameProblem("[2001:db8::1]")!, /is an IP address/);
      assert.match(hostnameProblem("vantagepoint.123")!, /not a DNS host name/);
      assert.equal(hostnameProblem("vantagepoint.example.com"), undefined);
    });
    it("suggests the URL's host only when that host passes", () => {
      const good = hostnameProblem("https://vantagepoint.example.com/x")!;
      assert.equal(hostnameProblem(suggested(good, /e\.g\. /)), undefined);
      const ip = hostnameProblem("https://203.0.113.10/")!;
      assert.doesNotMatch(ip, /e\.g\./, "an IP is not offered as a host name");
      const creds = hostnameProblem("https://user:pw@vp.example.com")!;
      assert.ok(!creds.includes(":pw@"), creds);
    });
    it("refuses schemes, ports and paths in backend addresses, with fixes that pass", () => {
      const cases: Array<[string, RegExp, string]> = [
        ["https://10.20.0.10", /has a scheme/, "10.20.0.10"],
        ["http://vpweb01.corp.example:8080/", /the port in site\.backend\.port/, "vpweb01.corp.example"],
        ["10.20.0.10:8443", /put 8443 in site\.backend\.port/, "10.20.0.10"],
        ["vpweb01:443", /has a port/, "vpweb01"],
        ["[2001:db8::10]:443", /written like a URL/, "2001:db8::10"],
      ];
      for (const [bad, expected, fix] of cases) {
        const problem = backendAddressProblem(bad)!;
        assert.match(problem, expected, bad);
        assert.ok(problem.includes(JSON.stringify(fix)), `${bad}: ${problem}`);
        assert.equal(backendAddressProblem(fix), undefined, fix);
      }
      assert.match(backendAddressProblem("10.20.0.0/24")!, /prefix length/);
      assert.match(backendAddressProblem("vp web")!, /not an IP address or a DNS name/);
      assert.match(backendAddressProblem("https://[bad")!, /give the server's private IP or FQDN only/);
      for (const ok of ["10.20.0.10", "2001:db8::10", "vpweb01", "vp.corp.example.com"])
        assert.equal(backendAddressProblem(ok), undefined, ok);
    });
  });

  describe("GUIDs", () => {
    it("refuses the nil and max GUIDs, braces and non-GUIDs", () => {
      assert.match(guidProblem("00000000-0000-0000-0000-000000000000", "the tenant ID")!, /nil GUID/);
      assert.match(guidProblem("FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF")!, /max GUID/);
      const braces = guidProblem("{7d3c2b1a-4e5f-4a6b-8c9d-0e1f2a3b4c5d}")!;
      assert.equal(guidProblem(suggested(braces, /e\.g\. /)), undefined);
      assert.match(guidProblem("contoso.onmicrosoft.com")!, /must be a GUID/);
      assert.equal(guidProblem("7d3c2b1a-4e5f-4a6b-8c9d-0e1f2a3b4c5d"), undefined);
    });
  });

  describe("secure: ciphertext", () => {
    const key = "vpconnect:vantagepoint.password";
    it("accepts what Pulumi writes: v1:<12-byte nonce>:<data> and base64", () => {
      assert.equal(ciphertextProblem("v1:q0cX9o2b5y3S4d7L:6cT1x4RZbq0w7l3nY2kZ8d6Fz1HcNw==", key), undefined);
      assert.equal(ciphertextProblem(Buffer.alloc(48, 7).toString("base64"), key), undefined);
    });
    it("refuses empty, non-text and malformed values without echoing them, with the command that fixes it", () => {
      for (const bad of [
        "",
        "   ",
        12,
        null,
        ["x"],
        "v1:abc",
        "v1::",
        "v1:AAAA:BBBB",
        "hunter2-Sentinel",
        "v1:q0cX9o2b5y3S4d7L:not base64!",
      ]) {
        const problem = ciphertextProblem(bad, key);
        assert.ok(problem, `${JSON.stringify(bad)} must be refused`);
        assert.ok(problem.includes(`pulumi config set --secret --path '${key}'`));
        if (typeof bad === "string" && bad.trim()) assert.ok(!problem.includes(bad), problem);
      }
    });
  });

  describe("emails that mix scripts", () => {
    it("refuses a Cyrillic or Greek letter among Latin ones and names the address it imitates", () => {
      const problem = mixedScriptProblem("\u0430lex.lee@example.com")!; // Cyrillic а
      assert.match(problem, /mixes Cyrillic and Latin letters/);
      assert.match(problem, /looks like "alex\.lee@example\.com"/);
      assert.match(mixedScriptProblem("pat.j\u03bfnes@example.com")!, /Greek and Latin/); // Greek ο
      assert.match(mixedScriptProblem("alex@ex\u0430mple.com")!, /Cyrillic and Latin/);
    });
    it("accepts one script per part, and the Latin+CJK mixes Unicode allows", () => {
      for (const ok of [
        "zoë@example.com",
        "иван@example.com",
        "алекс.lee@example.com",
        "山田taro@example.com",
        "jane@example.com",
      ])
        assert.equal(mixedScriptProblem(ok), undefined, ok);
    });
    it("gives whole-script lookalikes one skeleton with the Latin address", () => {
      assert.equal(confusableSkeleton("\u0430\u0435\u0441.\u0440@x"), confusableSkeleton("aec.p@x"));
      assert.notEqual(confusableSkeleton("bob1@x"), confusableSkeleton("bobl@x"));
    });
  });
});
