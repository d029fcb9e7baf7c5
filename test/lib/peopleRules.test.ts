/**
 * The rules for people's email addresses and user IDs, with the answer each input must get: the stack config
 * (lib/people.ts) words its messages for a config file, the ConnectRoster provider (lib/vantagepoint/roster.ts)
 * for a deploy log, and both must accept exactly the same values (a value the offline check accepts and the
 * provider's `check` refuses would pass CI and fail `pulumi up`). Each case is written the way a person gets it
 * wrong in a roster file or stack config.
 */
import assert from "node:assert/strict";
import * as config from "../../lib/people";
import * as provider from "../../lib/vantagepoint/roster";

const q = JSON.stringify;
const invalid = (email: string, detail?: string) =>
  `${q(email)} is not a valid email address (expected name@example.com)${detail ? `: it ${detail}` : ""}`;

/** [email, the stack config's answer, the provider's answer] (undefined: accepted). */
const emails: Array<[string, string | undefined, string | undefined]> = [
  ["jane.doe@example.com", undefined, undefined],
  ["j+tag@example.co.uk", undefined, undefined],
  ["o'brien@example.com", undefined, undefined],
  ["a@b.co", undefined, undefined],
  ["zoë@example.com", undefined, undefined],
  [`${"x".repeat(64)}@example.com`, undefined, undefined],
  [
    "",
    "is empty; every Connect user needs an email address",
    "is required (Connect matches people by email)",
  ],
  [
    "   ",
    "is empty; every Connect user needs an email address",
    "is required (Connect matches people by email)",
  ],
  [
    " jane@example.com",
    '" jane@example.com" has leading or trailing spaces',
    "has spaces before or after it",
  ],
  [
    "jane@example.com ",
    '"jane@example.com " has leading or trailing spaces',
    "has spaces before or after it",
  ],
  ["jane", invalid("jane", "must contain exactly one @"), "must contain exactly one @"],
  ["jane@", invalid("jane@"), 'is not a valid email address (expected name@example.com; domain "")'],
  [
    "@example.com",
    invalid("@example.com"),
    'is not a valid email address (expected name@example.com; domain "example.com")',
  ],
  [
    "jane@@example.com",
    invalid("jane@@example.com", "must contain exactly one @"),
    "must contain exactly one @",
  ],
  [
    "jane@example",
    invalid("jane@example"),
    'is not a valid email address (expected name@example.com; domain "example")',
  ],
  [
    "jane..doe@example.com",
    invalid("jane..doe@example.com", "has a misplaced dot before the @"),
    "has a misplaced dot before the @",
  ],
  [
    ".jane@example.com",
    invalid(".jane@example.com", "has a misplaced dot before the @"),
    "has a misplaced dot before the @",
  ],
  [
    "jane.@example.com",
    invalid("jane.@example.com", "has a misplaced dot before the @"),
    "has a misplaced dot before the @",
  ],
  [
    "jane doe@example.com",
    invalid("jane doe@example.com"),
    'is not a valid email address (expected name@example.com; domain "example.com")',
  ],
  [
    "jane@exa mple.com",
    invalid("jane@exa mple.com"),
    'is not a valid email address (expected name@example.com; domain "exa mple.com")',
  ],
  [
    "jane@-example.com",
    invalid("jane@-example.com"),
    'is not a valid email address (expected name@example.com; domain "-example.com")',
  ],
  [
    "jane@example-.com",
    invalid("jane@example-.com"),
    'is not a valid email address (expected name@example.com; domain "example-.com")',
  ],
  [
    "jane@exämple.com",
    invalid("jane@exämple.com"),
    'is not a valid email address (expected name@example.com; domain "exämple.com")',
  ],
  [
    "sam.tanaka(at)example.com",
    invalid("sam.tanaka(at)example.com", "must contain exactly one @"),
    "must contain exactly one @",
  ],
  [
    "<jane@example.com>",
    invalid("<jane@example.com>"),
    'is not a valid email address (expected name@example.com; domain "example.com>")',
  ],
  [
    "jane@example.com;bob@example.com",
    invalid("jane@example.com;bob@example.com", "must contain exactly one @"),
    "must contain exactly one @",
  ],
  [
    `${"x".repeat(65)}@example.com`,
    invalid(`${"x".repeat(65)}@example.com`, "has more than 64 characters before the @"),
    "has more than 64 characters before the @",
  ],
  // A NUL or a tab pasted from a spreadsheet cell.
  [
    "jane\u0000@example.com",
    invalid("jane\u0000@example.com", "contains control characters"),
    "contains control characters",
  ],
  [
    "jane@example.com\u0007",
    invalid("jane@example.com\u0007", "contains control characters"),
    "contains control characters",
  ],
  // 254 characters is the longest address (RFC 5321 path limit less the brackets); 255 is one too many.
  [`${"x".repeat(64)}@${"d".repeat(185)}.com`, undefined, undefined],
  [
    `${"x".repeat(64)}@${"d".repeat(186)}.com`,
    invalid(`${"x".repeat(64)}@${"d".repeat(186)}.com`, "is longer than 254 characters"),
    "is longer than 254 characters",
  ],
  [
    `jane@${"d".repeat(250)}.com`,
    invalid(`jane@${"d".repeat(250)}.com`, "is longer than 254 characters"),
    "is longer than 254 characters",
  ],
];

/** [user ID, the stack config's answer, the provider's answer]. */
const a64 = "a".repeat(64);
const userIds: Array<[string, string | undefined, string | undefined]> = [
  ["JDOE", undefined, undefined],
  ["ADMIN.JONES", undefined, undefined],
  ["jane.doe@example.com", undefined, undefined],
  ["a".repeat(120), undefined, undefined],
  [`${a64}@${"b".repeat(44)}.com`, undefined, undefined],
  ["", "is empty; give the Vantagepoint user ID", "is required"],
  ["   ", "is empty; give the Vantagepoint user ID", "is required"],
  [" JDOE", '" JDOE" has leading or trailing spaces', "has spaces before or after it"],
  ["J DOE", '"J DOE" must not contain spaces', "must not contain spaces"],
  ["x'; DROP TABLE users;--", `"x'; DROP TABLE users;--" must not contain spaces`, "must not contain spaces"],
  ["J\u0001DOE", '"J\\u0001DOE" contains control characters', "contains control characters"],
  ["JDOE\u007f", '"JDOE\u007f" contains control characters', "contains control characters"],
  [
    "a".repeat(121),
    `"${"a".repeat(121)}" is 121 characters; a user ID without "@" may have at most 120`,
    "is 121 characters; a user ID without @ may have at most 120",
  ],
  [
    `${a64}@${"b".repeat(45)}.com`,
    `"${a64}@${"b".repeat(45)}.com" is 114 characters; an email user ID may have at most 113`,
    "is 114 characters; a user ID with @ may have at most 113",
  ],
  [
    `${"a".repeat(65)}@b.com`,
    `"${"a".repeat(65)}@b.com": the part before "@" must be 1 to 64 characters`,
    "has 65 characters before the @; at most 64",
  ],
  [
    `a@${"b".repeat(45)}.com`,
    `"a@${"b".repeat(45)}.com": the part after "@" must be 1 to 48 characters`,
    "has 49 characters after the @; at most 48",
  ],
  [`a@${"b".repeat(44)}.com`, undefined, undefined],
  [
    "a@b@c.com",
    '"a@b@c.com" has 2 "@"; a user ID written as an email has exactly one',
    "must contain at most one @",
  ],
  [
    "jane.@example.com",
    '"jane.@example.com": a "." may not stand right before "@"',
    'must not have "." right before the @',
  ],
  [
    "@example.com",
    '"@example.com": the part before "@" must be 1 to 64 characters',
    "needs a name before the @",
  ],
  ["jane@", '"jane@": the part after "@" must be 1 to 48 characters', "needs a domain after the @"],
];

const label = (s: string) => q(s.length > 40 ? `${s.slice(0, 37)}...` : s);

describe("people rules: each email gets its answer, in the stack config and in the ConnectRoster provider", () => {
  for (const [email, fromConfig, fromProvider] of emails) {
    it(`email ${label(email)} (${email.length} characters)`, () => {
      assert.equal(config.emailProblem(email), fromConfig);
      assert.equal(provider.emailProblem(email), fromProvider);
    });
  }
  it("an email that is not text is refused as missing by both", () => {
    for (const value of [undefined, null, 42, ["jane@example.com"]]) {
      assert.equal(config.emailProblem(value), "is empty; every Connect user needs an email address");
      assert.equal(provider.emailProblem(value), "is required (Connect matches people by email)");
    }
  });
});

describe("people rules: each user ID gets its answer, in the stack config and in the ConnectRoster provider", () => {
  for (const [userId, fromConfig, fromProvider] of userIds) {
    it(`user ID ${label(userId)} (${userId.length} characters)`, () => {
      assert.equal(config.userIdProblem(userId), fromConfig);
      assert.equal(provider.userIdProblem(userId), fromProvider);
    });
  }
  it("a user ID that is not text is refused as missing by both", () => {
    for (const value of [undefined, null, 7]) {
      assert.equal(config.userIdProblem(value), "is empty; give the Vantagepoint user ID");
      assert.equal(provider.userIdProblem(value), "is required");
    }
  });
});

describe("people rules: keys compare people the way Vantagepoint does", () => {
  it("personKey ignores case and surrounding spaces only", () => {
    assert.equal(config.personKey("  Jane.Doe@Example.COM "), "jane.doe@example.com");
    assert.equal(config.personKey("JDOE"), "jdoe");
    assert.notEqual(config.personKey("j doe"), config.personKey("jdoe"));
  });
});
