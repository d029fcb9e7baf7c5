/**
 * The WAF policy's settings and their checks with exact answers (issue 23): limits copied from the portal in the
 * wrong unit, an exclusion typed from the WAF log with a typo, a mode in the wrong case, Detection where the WAF is
 * the only place the allow list is enforced.
 */
import assert from "node:assert/strict";
import { wafPolicySettings, wafSettingsProblems } from "../../lib/waf";
import type { WafSettings } from "../../lib/waf";

const P = "vpconnect:azure.waf";
const both = { enforceAt: "both", enforceAtKey: "vpconnect:allowList.enforceAt" };
const problems = (w: unknown, allowList = both) => wafSettingsProblems(w as WafSettings, P, allowList);

describe("WAF policy settings (lib/waf)", () => {
  it("unset limits are left to Azure; the body check is on unless turned off; the mode follows the allow list", () => {
    assert.deepEqual(wafPolicySettings(), { state: "Enabled", mode: "Detection", requestBodyCheck: true });
    assert.deepEqual(wafPolicySettings({}, { enforceAt: "waf" }), {
      state: "Enabled",
      mode: "Prevention",
      requestBodyCheck: true,
    });
    assert.deepEqual(
      wafPolicySettings({
        mode: "Prevention",
        requestBodyCheck: false,
        maxRequestBodySizeInKb: 512,
        fileUploadLimitInMb: 100,
      }),
      {
        state: "Enabled",
        mode: "Prevention",
        requestBodyCheck: false,
        maxRequestBodySizeInKb: 512,
        fileUploadLimitInMb: 100,
      },
    );
    assert.deepEqual(wafPolicySettings({ fileUploadLimitInMb: 100 }), {
      state: "Enabled",
      mode: "Detection",
      requestBodyCheck: true,
      fileUploadLimitInMb: 100,
    });
  });

  it("sound settings have no problem, at both ends of each limit", () => {
    assert.deepEqual(problems({}), []);
    assert.deepEqual(problems({ mode: "Prevention", maxRequestBodySizeInKb: 8, fileUploadLimitInMb: 1 }), []);
    assert.deepEqual(problems({ maxRequestBodySizeInKb: 2000, fileUploadLimitInMb: 4000 }), []);
  });

  it("a mode written in lower case is refused at mode", () => {
    assert.deepEqual(problems({ mode: "prevention" }), [
      { key: `${P}.mode`, message: '"prevention" is not "Detection" or "Prevention"' },
    ]);
  });

  it("a body limit in bytes or in MB, or a fractional upload limit, is refused with the range and the unit", () => {
    const body = (v: unknown) => ({
      key: `${P}.maxRequestBodySizeInKb`,
      message: `${JSON.stringify(v)} is not 8 to 2000 KB (Application Gateway WAF_v2 with CRS 3.2 or later)`,
    });
    const upload = (v: unknown) => ({
      key: `${P}.fileUploadLimitInMb`,
      message: `${JSON.stringify(v)} is not 1 to 4000 MB (Application Gateway WAF_v2 with CRS 3.2 or later)`,
    });
    assert.deepEqual(problems({ maxRequestBodySizeInKb: 131072 }), [body(131072)]);
    assert.deepEqual(problems({ maxRequestBodySizeInKb: 7 }), [body(7)]);
    assert.deepEqual(problems({ maxRequestBodySizeInKb: 2001 }), [body(2001)]);
    assert.deepEqual(problems({ fileUploadLimitInMb: 0 }), [upload(0)]);
    assert.deepEqual(problems({ fileUploadLimitInMb: 4001 }), [upload(4001)]);
    assert.deepEqual(problems({ fileUploadLimitInMb: 1.5, maxRequestBodySizeInKb: 0.5 }), [
      body(0.5),
      upload(1.5),
    ]);
  });

  it("an exclusion copied from the WAF log with the log's names, or an empty selector, is refused field by field", () => {
    const out = problems({
      exclusions: [
        { matchVariable: "RequestArgNames", selectorMatchOperator: "Equals", selector: "__VIEWSTATE" },
        { matchVariable: "REQUEST_COOKIES", selectorMatchOperator: "equals", selector: "  " },
        { matchVariable: "RequestHeaderNames", selectorMatchOperator: "StartsWith" },
      ],
    });
    const empty =
      "is empty; name the header, cookie or argument the exclusion is for (e.g. a false positive's matchVariableName in the WAF log)";
    assert.deepEqual(out, [
      {
        key: `${P}.exclusions[1].matchVariable`,
        message:
          '"REQUEST_COOKIES" is not one of RequestHeaderNames, RequestHeaderKeys, RequestHeaderValues, RequestCookieNames, ' +
          "RequestCookieKeys, RequestCookieValues, RequestArgNames, RequestArgKeys, RequestArgValues",
      },
      {
        key: `${P}.exclusions[1].selectorMatchOperator`,
        message: '"equals" is not one of Equals, Contains, StartsWith, EndsWith, EqualsAny',
      },
      { key: `${P}.exclusions[1].selector`, message: empty },
      { key: `${P}.exclusions[2].selector`, message: empty },
    ]);
  });

  it("Detection with enforceAt waf is refused (the allow list would only log) unless the audience is anyone", () => {
    const waf = { enforceAt: "waf", enforceAtKey: "vpconnect:allowList.enforceAt" };
    assert.deepEqual(problems({ mode: "Detection" }, waf), [
      {
        key: `${P}.mode`,
        message:
          '"Detection" with vpconnect:allowList.enforceAt: waf enforces no allow list at all: in Detection mode a custom ' +
          "block rule only logs (Microsoft: custom rules overview), and the NSG admits the Internet. Set " +
          "vpconnect:allowList.enforceAt: both (the NSG enforces the list while the WAF is tuned), or " +
          "vpconnect:azure.waf.mode: Prevention",
      },
    ]);
    assert.deepEqual(problems({ mode: "Detection" }, { ...waf, audience: "anyone" } as typeof waf), []);
    assert.deepEqual(problems({ mode: "Detection" }, both), []);
    assert.deepEqual(problems({}, waf), [], "unset means Prevention there");
  });
});
