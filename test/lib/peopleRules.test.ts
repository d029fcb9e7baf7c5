import assert from "node:assert/strict";
import * as config from "../../lib/people";
import * as provider from "../../lib/vantagepoint/roster";

// The stack config (lib/people.ts) words its messages for a config file, the ConnectRoster provider
// (lib/vantagepoint/roster.ts) for a deploy log. They must agree on what is accepted: a value the offline check
// accepts and the provider's `check` refuses would pass CI and fail `pulumi up`.
const emails = [
  "jane.doe@example.com",
  "j+tag@example.co.uk",
  "o'brien@example.com",
  "a@b.co",
  "",
  " jane@example.com",
  "jane@example.com ",
  "jane",
  "jane@",
  "@example.com",
  "jane@@example.com",
  "jane@example",
  "jane..doe@example.com",
  ".jane@example.com",
  "jane.@example.com",
  "jane doe@example.com",
  "jane@exa mple.com",
  "jane@-example.com",
  "jane@example-.com",
  "sam.tanaka(at)example.com",
  `${"x".repeat(65)}@example.com`,
  `${"x".repeat(64)}@example.com`,
  `jane@${"d".repeat(250)}.com`,
  "zoë@example.com",
  "jane@exämple.com",
  "<jane@example.com>",
  "jane@example.com;bob@example.com",
];

const userIds = [
  "JDOE",
  "ADMIN.JONES",
  "jane.doe@example.com",
  "",
  " JDOE",
  "J DOE",
  "a".repeat(120),
  "a".repeat(121),
  `${"a".repeat(64)}@${"b".repeat(44)}.com`,
  `${"a".repeat(64)}@${"b".repeat(45)}.com`,
  `${"a".repeat(65)}@b.com`,
  `a@${"b".repeat(45)}.com`,
  "a@b@c.com",
  "jane.@example.com",
  "@example.com",
  "jane@",
  "x'; DROP TABLE users;--",
];

describe("people rules: the stack config and the ConnectRoster provider agree", () => {
  for (const email of emails) {
    it(`email ${JSON.stringify(email.length > 40 ? `${email.slice(0, 37)}...` : email)}`, () => {
      assert.equal(config.emailProblem(email) === undefined, provider.emailProblem(email) === undefined);
    });
  }
  for (const userId of userIds) {
    it(`user ID ${JSON.stringify(userId.length > 40 ? `${userId.slice(0, 37)}...` : userId)}`, () => {
      assert.equal(config.userIdProblem(userId) === undefined, provider.userIdProblem(userId) === undefined);
    });
  }
});
