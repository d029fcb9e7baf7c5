/* eslint-disable @typescript-eslint/no-explicit-any -- parsed config sections, built by hand for each case */
/**
 * day2Issues / day2Warnings with exact answers (issue 23): each problem at the key path the person wrote (a WAF
 * exclusion past the tenth, a section that did not parse), the fix in the message, and quiet for what is sound.
 */
import assert from "node:assert/strict";
import { day2Issues, day2Warnings } from "../../lib/config/day2Shape";

const site = (extra: object = {}) => ({ audience: "allowList", ipv6Frontend: false, ...extra });
const azure = (extra: object = {}) => ({ location: "westcentralus", waf: {}, ...extra });
const allowList = (extra: object = {}) => ({ enforceAt: "both", ...extra });
const issues = (c: object) => day2Issues(c as any);

describe("day-2 issues on the parsed config (exact paths and messages)", () => {
  it("a sound config has none; a section that did not parse skips the rules that read it", () => {
    assert.deepEqual(issues({ site: site(), azure: azure(), allowList: allowList() }), []);
    assert.deepEqual(issues({ site: site({ ipv6Frontend: true, audience: "anyone" }), azure: azure() }), []);
    assert.deepEqual(issues({ allowList: allowList({ enforceAt: "waf" }), site: undefined }), []);
  });

  it("an exclusion past the tenth is refused at its index (exclusions[12] is path ..., 12, ...)", () => {
    const good = {
      matchVariable: "RequestArgNames",
      selectorMatchOperator: "Equals",
      selector: "__VIEWSTATE",
    };
    const exclusions = [...Array.from({ length: 12 }, () => good), { ...good, selector: " " }];
    const out = issues({ site: site(), azure: azure({ waf: { exclusions } }), allowList: allowList() });
    assert.deepEqual(
      out.map((i) => i.path),
      [["azure", "waf", "exclusions", 12, "selector"]],
    );
  });

  it("IPv6 with audience anyone is refused at site.audience, naming site.ipv6Frontend", () => {
    assert.deepEqual(
      issues({ site: site({ ipv6Frontend: true, audience: "anyone" }), allowList: allowList() }),
      [
        {
          path: ["site", "audience"],
          message:
            '"anyone" with site.ipv6Frontend: true leaves IPv6 with no filter at all: IPv6 traffic bypasses the WAF\'s ' +
            "managed rules (Microsoft: Application Gateway IPv6 frontend). Use site.audience: allowList, or turn the IPv6 " +
            "frontend off",
        },
      ],
    );
  });

  it("zones left out are none, as recorded for a gateway created without zones; a change names the record", () => {
    const createdWith = { ipv6Frontend: false, zones: [] };
    assert.deepEqual(issues({ site: site(), azure: azure({ gatewayCreatedWith: createdWith }) }), []);
    const out = issues({ site: site(), azure: azure({ zones: ["1"], gatewayCreatedWith: createdWith }) });
    assert.deepEqual(
      out.map((i) => i.path),
      [["azure", "zones"]],
    );
    assert.match(out[0]!.message, /\(azure\.gatewayCreatedWith\.zones: \[\]\)/);
  });

  it("Detection with enforceAt waf names allowList.enforceAt as the key to change", () => {
    const out = issues({
      site: site(),
      azure: azure({ waf: { mode: "Detection" } }),
      allowList: allowList({ enforceAt: "waf" }),
    });
    assert.deepEqual(
      out.map((i) => i.path),
      [["azure", "waf", "mode"]],
    );
    assert.ok(
      out[0]!.message.startsWith('"Detection" with allowList.enforceAt: waf enforces no allow list at all'),
      out[0]!.message,
    );
    assert.ok(out[0]!.message.includes("Set allowList.enforceAt: both"), out[0]!.message);
  });

  it("a vault-name suffix: the part after the last '-' passes; upper case is refused without repeating the key", () => {
    const tls = (nameSuffix: string, uniqueName = true, create = true) => ({
      tls: { keyVault: { nameSuffix, uniqueName, create } },
    });
    assert.deepEqual(issues(tls("3fa9c1")), []);
    assert.deepEqual(issues(tls("3FA9C1")), [
      {
        path: ["tls", "keyVault", "nameSuffix"],
        message:
          '"3FA9C1" is not a vault-name suffix; give the part after the last "-" of the vault\'s current name (1-10 ' +
          'lowercase letters or digits, e.g. "3fa9c1"): pulumi stack output keyVaultUri shows it',
      },
    ]);
    assert.deepEqual(issues(tls("3fa9c1", false)), [
      {
        path: ["tls", "keyVault", "nameSuffix"],
        message:
          "only used with uniqueName: true (the suffix is appended to the vault's name); remove it, or set uniqueName: true",
      },
    ]);
  });

  it("warns about Detection only when the audience is anyone, and not in Prevention", () => {
    const s = (audience: string) => site({ audience }) as any;
    assert.deepEqual(day2Warnings({ site: s("allowList"), azure: azure() as any }), []);
    assert.deepEqual(
      day2Warnings({ site: s("anyone"), azure: azure({ waf: { mode: "Prevention" } }) as any }),
      [],
    );
    assert.equal(day2Warnings({ site: s("anyone"), azure: azure() as any }).length, 1);
  });
});
