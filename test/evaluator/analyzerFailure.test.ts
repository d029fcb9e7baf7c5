/**
 * evaluator/analyzerRun.ts failureOf: what the report keeps of a failed analyzer call (the policy @pulumi/policy
 * named and the thrown error's own first line, secrets scrubbed); evaluator/plain.ts scrubString, which scrubs it.
 */
import assert from "node:assert/strict";
import { failureOf } from "../../evaluator/analyzerRun";
import { scrubString } from "../../evaluator/plain";

const keep = (s: string) => s;

describe("analyzerRun: failureOf", () => {
  it("names the policy and keeps the thrown error's own message, without its class or stack", () => {
    // What @pulumi/policy answers (protoutil.js asGrpcError) for a policy that throws.
    const details =
      "Error validating resource with policy 'nsg-allows-connect' from policy pack 'vantagepoint-connect@v0.1.0':\n" +
      "TypeError: cannot read rules of undefined\n    at validateResource (policies/nsg.ts:10:5)";
    assert.deepEqual(failureOf({ details }, keep), {
      policy: "nsg-allows-connect",
      message: "cannot read rules of undefined",
    });
  });

  it("names a remediation that throws", () => {
    const details = "Error remediating with remediation 'tag-owner' from policy pack 'org@v1':\nError: boom";
    assert.deepEqual(failureOf({ details }, keep), { policy: "tag-owner", message: "boom" });
  });

  it("a failure naming no policy (the call itself failed) keeps its first line and an empty policy", () => {
    assert.deepEqual(failureOf(new Error("14 UNAVAILABLE: Connection dropped\nmore"), keep), {
      policy: "",
      message: "14 UNAVAILABLE: Connection dropped",
    });
  });

  it("scrubs the run's secrets from the message", () => {
    const details =
      "Error validating resource with policy 'p' from policy pack 'x@v1':\nError: bad password hunter2";
    assert.equal(failureOf({ details }, (s) => scrubString(s, ["hunter2"])).message, "bad password [secret]");
  });
});

describe("plain: scrubString", () => {
  it("replaces a secret that contains another whole, whatever order the secrets were seen in", () => {
    const text = "token abcd-xyz-1234 and abcd";
    for (const secrets of [
      ["abcd", "abcd-xyz-1234"],
      ["abcd-xyz-1234", "abcd"],
    ])
      assert.equal(scrubString(text, secrets), "token [secret] and [secret]", secrets.join(" then "));
  });

  it("sees a secret added to a list it has scrubbed with before", () => {
    const secrets = ["abcd"];
    assert.equal(scrubString("abcd-xyz-1234", secrets), "[secret]-xyz-1234");
    secrets.push("abcd-xyz-1234");
    assert.equal(scrubString("abcd-xyz-1234", secrets), "[secret]");
  });
});
