/**
 * The removal brake and the shard rules with exact answers (issue 23: mutation testing): settings written the way a
 * person gets YAML wrong, approvals that nearly match, lists at the 50-name edge, shard counts out of range.
 */
import assert from "node:assert/strict";
import {
  checkRemovals,
  identityLines,
  identityText,
  leftTheRoster,
  removalBrakeIssues,
  removalDigest,
  removalLimitExceeded,
} from "../../lib/vantagepoint/removalBrake";
import { brakeForRun, MAX_SHARDS, shardOf, shardsProblem } from "../../lib/vantagepoint/rosterShards";

const ANN = "ann@contoso.example";
const BOB = "bob@contoso.example";
/** sha256("ann@contoso.example\nbob@contoso.example"), first 16 hex digits (computed with `node -e`, not the code). */
const ANN_BOB_DIGEST = "f60e08873224748a";
const names = (n: number) =>
  Array.from({ length: n }, (_, i) => `p${String(i).padStart(3, "0")}@contoso.example`);

describe("removal brake settings (as people write them in YAML)", () => {
  const notObject = [["removalBrake", "must be an object with maxRemovals, maxRemovalPercent or approve"]];

  it("an empty `removalBrake:` key (YAML null) is no settings; a bare number, text or list is refused", () => {
    assert.deepEqual(removalBrakeIssues(null), []);
    assert.deepEqual(removalBrakeIssues(10), notObject);
    assert.deepEqual(removalBrakeIssues("10%"), notObject);
    assert.deepEqual(removalBrakeIssues([{ maxRemovals: 5 }]), notObject);
    assert.deepEqual(removalBrakeIssues("x", "vantagepoint.removalBrake"), [
      ["vantagepoint.removalBrake", "must be an object with maxRemovals, maxRemovalPercent or approve"],
    ]);
  });

  it("maxRemovals 0 (no removal without approval) passes; a fraction or a quoted number does not", () => {
    const bad = [["removalBrake.maxRemovals", "must be a whole number of people, 0 or more (e.g. 50)"]];
    assert.deepEqual(removalBrakeIssues({ maxRemovals: 0 }), []);
    assert.deepEqual(removalBrakeIssues({ maxRemovals: 50 }), []);
    assert.deepEqual(removalBrakeIssues({ maxRemovals: 2.5 }), bad);
    assert.deepEqual(removalBrakeIssues({ maxRemovals: "50" }), bad);
  });

  it("maxRemovalPercent takes 0 and 100 and nothing outside, nor a quoted '10' or YAML .inf / .nan", () => {
    const bad = [["removalBrake.maxRemovalPercent", "must be a number from 0 to 100 (e.g. 10)"]];
    for (const ok of [0, 0.5, 10, 100])
      assert.deepEqual(removalBrakeIssues({ maxRemovalPercent: ok }), [], `${ok}`);
    for (const wrong of [-1, -0.1, 100.1, 101, "10", "10%", Infinity, NaN])
      assert.deepEqual(removalBrakeIssues({ maxRemovalPercent: wrong }), bad, `${wrong}`);
  });

  it("an approval must be the { count, digest } a refusal printed: not null, a list, the digest alone", () => {
    const shape = [
      [
        "removalBrake.approve",
        'must be { count: <people>, digest: "<16 hex digits>" } as a refusal printed it',
      ],
    ];
    assert.deepEqual(removalBrakeIssues({ approve: null }), shape);
    assert.deepEqual(removalBrakeIssues({ approve: ANN_BOB_DIGEST }), shape);
    assert.deepEqual(removalBrakeIssues({ approve: [2, ANN_BOB_DIGEST] }), shape);
    assert.deepEqual(removalBrakeIssues({ approve: { count: 1, digest: ANN_BOB_DIGEST } }), []);
    assert.deepEqual(
      removalBrakeIssues({ approve: { count: 2, digest: ANN_BOB_DIGEST } }, "vantagepoint.removalBrake"),
      [],
    );
  });

  it("the digest is exactly 16 lower-case hex digits: copied with a quote, a digit short or upper-cased it is refused", () => {
    const bad = [["removalBrake.approve.digest", "must be the 16 hex digits the refusal printed"]];
    for (const digest of [
      ANN_BOB_DIGEST.toUpperCase(),
      ANN_BOB_DIGEST.slice(1),
      `${ANN_BOB_DIGEST}0`,
      `"${ANN_BOB_DIGEST}`,
      `${ANN_BOB_DIGEST}"`,
      0xf60e0887,
      // A digest of 16 decimal digits written without quotes is a YAML number (and loses digits past 2^53).
      1234567890123456,
    ])
      assert.deepEqual(removalBrakeIssues({ approve: { count: 2, digest } }), bad, `${digest}`);
  });
});

describe("removal brake verdicts (exact lists and messages)", () => {
  it("the digest is sha256 of the sorted identities, first 16 hex digits", () => {
    assert.equal(removalDigest([" Bob@Contoso.example", ANN, BOB]), ANN_BOB_DIGEST);
  });

  it("the maxRemovals rule only applies when set (0 means any removal stops)", () => {
    assert.equal(removalLimitExceeded(1000, 1, {}), undefined);
    assert.equal(removalLimitExceeded(1000, 1, { maxRemovals: 0 }), "more than maxRemovals (0)");
  });

  it("the same person written twice (a trailing space) counts once, listed as trimmed, in case-insensitive order", () => {
    const v = checkRemovals({
      before: 100,
      removed: ["bob@contoso.example ", "Carl@contoso.example", ANN, BOB],
    });
    assert.deepEqual(v, {
      stop: false,
      removed: [ANN, BOB, "Carl@contoso.example"],
      approved: false,
    });
  });

  it("a refusal gives the whole message: the reason, the approval for exactly this list, one line a person", () => {
    const v = checkRemovals({ before: 2, removed: [BOB, ANN] });
    assert.deepEqual(v, {
      stop: true,
      removed: [ANN, BOB],
      reason: "100 % of the 2 on the roster, more than maxRemovalPercent (10 %)",
      message: [
        "The roster would lose 2 people in one run (100 % of the 2 on the roster, more than maxRemovalPercent (10 %)); " +
          "nothing was written. A source emptied by mistake (a group, a roster file) must not take the firm out of " +
          "Connect. Check the source; if these people are really leaving, review the list and set " +
          `vpconnect:roster.removalBrake.approve: { count: 2, digest: "${ANN_BOB_DIGEST}" }, then run again (or raise the limit):`,
        `  - ${ANN}`,
        `  - ${BOB}`,
      ].join("\n"),
    });
  });

  it("50 people are listed by name; the 51st is counted, not listed", () => {
    const fifty = checkRemovals({ before: 50, removed: names(50) });
    assert.ok(fifty.stop);
    if (!fifty.stop) return;
    const lines = fifty.message.split("\n");
    assert.equal(lines.length, 51);
    assert.equal(lines[50], "  - p049@contoso.example");
    const more = checkRemovals({ before: 60, removed: names(51) });
    if (!more.stop) return assert.fail("51 of 60 must stop");
    const moreLines = more.message.split("\n");
    assert.deepEqual(moreLines.slice(49), [
      "  - p048@contoso.example",
      "  - p049@contoso.example",
      "  ... and 1 more",
    ]);
  });

  it("a stale approval stops with the fix; the re-approval is offered only when a limit is exceeded", () => {
    const approve = { count: 2, digest: ANN_BOB_DIGEST };
    const carl = "carl@contoso.example";
    const under = checkRemovals({ before: 100, removed: [carl], settings: { approve } });
    const carlDigest = removalDigest([carl]);
    assert.deepEqual(under, {
      stop: true,
      removed: [carl],
      reason: "approval does not match",
      message:
        `vpconnect:roster.removalBrake.approve names 2 people (digest ${ANN_BOB_DIGEST}), but this run would take 1 off ` +
        `the roster (digest ${carlDigest}); nothing was written. An approval lets exactly one reviewed list through: ` +
        `remove vpconnect:roster.removalBrake.approve.\n  - ${carl}`,
    });
    const over = checkRemovals({ before: 3, removed: [carl, "dee@contoso.example"], settings: { approve } });
    if (!over.stop) return assert.fail("a different list must stop");
    assert.match(
      over.message,
      /remove vpconnect:roster\.removalBrake\.approve, or if these are the people to remove, set vpconnect:roster\.removalBrake\.approve: \{ count: 2, digest: "[0-9a-f]{16}" \}\.\n {2}- carl@contoso\.example\n {2}- dee@contoso\.example$/,
    );
  });

  it("an exact approval needs the same count and digest; a shard's part passes up to the approved count", () => {
    const settings = { approve: { count: 2, digest: ANN_BOB_DIGEST } };
    assert.deepEqual(checkRemovals({ before: 2, removed: [ANN, BOB], settings }), {
      stop: false,
      removed: [ANN, BOB],
      approved: true,
    });
    const others = ["x1@contoso.example", "x2@contoso.example"];
    assert.equal(
      checkRemovals({ before: 2, removed: others, settings }).stop,
      true,
      "same count, other people",
    );
    assert.equal(checkRemovals({ before: 2, removed: others, settings, scope: "exact" }).stop, true);
    assert.deepEqual(checkRemovals({ before: 2, removed: others, settings, scope: "part" }), {
      stop: false,
      removed: others,
      approved: true,
    });
    assert.equal(checkRemovals({ before: 2, removed: [ANN], settings, scope: "part" }).stop, false);
    const three = checkRemovals({ before: 3, removed: [...others, ANN], settings, scope: "part" });
    assert.deepEqual([three.stop, three.stop && three.reason], [true, "approval does not match"]);
  });
});

describe("brake bookkeeping and shard rules", () => {
  it("identity text is trimmed, lower-case, unique and sorted, one per line; empty text is no one", () => {
    assert.equal(identityText(["Bob@Contoso.example ", ANN, BOB]), `${ANN}\n${BOB}`);
    assert.deepEqual(identityLines(""), []);
    assert.deepEqual(identityLines(`${ANN}\n${BOB}`), [ANN, BOB]);
    assert.deepEqual(leftTheRoster([ANN, BOB, "c"], [BOB]), [ANN, "c"]);
  });

  it("roster.shards must be a whole number from 1 to 256: 0, 257, 2.5 and a quoted '8' are refused", () => {
    const bad = `must be a whole number from 1 to ${MAX_SHARDS} (e.g. 8)`;
    assert.equal(bad, "must be a whole number from 1 to 256 (e.g. 8)");
    for (const ok of [undefined, 1, 8, 256]) assert.equal(shardsProblem(ok), undefined, `${ok}`);
    for (const wrong of [0, -4, 257, 2.5, "8", null]) assert.equal(shardsProblem(wrong), bad, `${wrong}`);
  });

  it("a shard count of 0 or 1 puts everyone in shard 0", () => {
    assert.equal(shardOf("Alex.Lee@contoso.example", 0), 0);
    assert.equal(shardOf("Alex.Lee@contoso.example", 1), 0);
  });

  it("a single resource's run is checked exactly (an approval's digest counts); a shard's as a part of the whole", () => {
    const olds = [{ userId: ANN }, { userId: BOB }];
    const settings = { approve: { count: 2, digest: "0000000000000000" } };
    const whole = brakeForRun(olds, [], undefined, settings);
    assert.deepEqual([whole.stop, whole.stop && whole.reason], [true, "approval does not match"]);
    if (whole.stop) assert.ok(whole.message.startsWith("removalBrake.approve names 2 people"), whole.message);
    const oneOfOne = brakeForRun(olds, [], { index: 0, count: 1 }, settings);
    assert.equal(oneOfOne.stop, true, "a roster of one shard is the whole list");
    const shard = { index: shardOf(ANN, 2), count: 2 };
    const part = brakeForRun(olds, [], shard, settings);
    assert.deepEqual([part.stop, part.stop === false && part.approved], [false, true]);
  });
});
