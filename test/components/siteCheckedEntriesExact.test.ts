/**
 * components/vantagepoint/siteCheckedEntries.ts called directly (issue 23): which entry lists ConnectRoster may take
 * as checked. Only a list ConnectSite marked, frozen with its entries, whose every value is text or true/false; a
 * copy, a list with a value not known yet (an Output) or a number, or a list nobody marked gets the full check.
 */
import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { entriesCheckedBySite, markCheckedBySite } from "../../components/vantagepoint/siteCheckedEntries";

const person = (userId: string, more: Record<string, unknown> = {}) => ({
  userId,
  email: `${userId.toLowerCase()}@example.com`,
  firstName: "Pat",
  lastName: "Jones",
  ...more,
});

describe("entry lists ConnectSite checked (exact answers)", () => {
  it("a list of text and true/false values: the same list back, frozen with its entries, and recorded", () => {
    const entries = [person("PJONES", { configurer: true }), person("ALEE", { configurer: false })];
    const marked = markCheckedBySite(entries);
    assert.equal(marked, entries);
    assert.equal(Object.isFrozen(entries), true);
    assert.deepEqual(
      entries.map((e) => Object.isFrozen(e)),
      [true, true],
    );
    assert.equal(entriesCheckedBySite(entries), true);
    assert.throws(() => {
      (entries as unknown[]).push(person("EVE"));
    }, TypeError);
    assert.throws(() => {
      (entries[0] as { userId: string }).userId = "EVE";
    }, TypeError);
  });

  it("an empty list is recorded (nothing in it to check)", () => {
    const entries: object[] = [];
    markCheckedBySite(entries);
    assert.equal(entriesCheckedBySite(entries), true);
  });

  it("a value not known yet, a number or a missing value: frozen, but not recorded (ConnectRoster checks it)", () => {
    for (const odd of [pulumi.output("later@example.com"), 42, undefined, null, { nested: "x" }]) {
      const entries = [person("PJONES"), person("ALEE", { email: odd })];
      markCheckedBySite(entries);
      assert.equal(Object.isFrozen(entries), true);
      assert.equal(Object.isFrozen(entries[1]), true);
      assert.equal(entriesCheckedBySite(entries), false, String(odd));
    }
    // The odd value first: the rest of the list does not make it plain again.
    const first = [person("ALEE", { configurer: 1 }), person("PJONES")];
    markCheckedBySite(first);
    assert.equal(entriesCheckedBySite(first), false);
  });

  it("a copy of a recorded list, a list nobody marked, and things that are not lists are not checked", () => {
    const entries = markCheckedBySite([person("PJONES")]);
    assert.equal(entriesCheckedBySite([...entries]), false);
    assert.equal(entriesCheckedBySite(entries.slice()), false);
    assert.equal(entriesCheckedBySite(Object.freeze([person("PJONES")])), false);
    assert.equal(entriesCheckedBySite([person("PJONES")]), false);
    assert.equal(entriesCheckedBySite(undefined), false);
    assert.equal(entriesCheckedBySite({ 0: entries[0], length: 1 }), false);
    assert.equal(entriesCheckedBySite("PJONES"), false);
  });
});
