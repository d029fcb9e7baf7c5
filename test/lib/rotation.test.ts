import assert from "node:assert/strict";
import {
  COMPONENT_ROTATION_FIELDS,
  DEFAULT_OVERLAP_DAYS,
  liveSlots,
  RotationSettingsError,
  otherSlot,
  rotationFields,
  rotationPlan,
  rotationProblems,
  rotationStatus,
} from "../../lib/rotation";

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

describe("lib/rotation: two-slot client secret plan (exact values)", () => {
  it("one slot: A is active; rotateBy is its end minus the 30-day overlap; warning at overlap + 30", () => {
    const plan = rotationPlan({ slotA: "2026-09-15", lifetimeDays: 730 });
    assert.deepEqual(plan, {
      slots: [
        {
          slot: "A",
          rotatedOn: "2026-09-15",
          endDate: "2028-09-14T00:00:00Z",
          expiresUnix: Date.UTC(2028, 8, 14) / 1000,
          expiresOn: "2028-09-14",
        },
      ],
      active: plan.slots[0],
      overlapDays: DEFAULT_OVERLAP_DAYS,
      warningDays: 60,
      rotateBy: "2028-08-15",
    });
    assert.equal(plan.retiring, undefined);
    assert.equal(DEFAULT_OVERLAP_DAYS, 30);
  });

  it("two slots: the one issued last is active whatever the order; end dates staggered", () => {
    const plan = rotationPlan({
      slotA: "2026-09-15",
      slotB: "2028-08-01",
      lifetimeDays: 730,
      overlapDays: 45,
    });
    assert.equal(plan.active.slot, "B");
    assert.equal(plan.active.expiresOn, "2030-08-01");
    assert.equal(plan.retiring!.slot, "A");
    assert.equal(plan.retiring!.expiresOn, "2028-09-14");
    assert.equal(plan.warningDays, 75);
    assert.equal(plan.rotateBy, "2030-06-17");
    const back = rotationPlan({ slotA: "2030-06-01", slotB: "2028-08-01", lifetimeDays: 730 });
    assert.equal(back.active.slot, "A");
    assert.equal(back.retiring!.slot, "B");
    assert.deepEqual(
      back.slots.map((s) => s.slot),
      ["A", "B"],
      "slots stay in A, B order",
    );
    assert.equal(otherSlot("A"), "B");
    assert.equal(otherSlot("B"), "A");
  });

  it("the same settings give the same plan on any day (no clock)", () => {
    const s = { slotA: "2026-09-15", slotB: "2028-08-01", lifetimeDays: 730 };
    assert.deepEqual(rotationPlan(s), rotationPlan({ ...s }));
  });

  it("refuses settings that cannot work, naming the field", () => {
    const f = rotationFields("entra.loginApp");
    assert.equal(f.slotB, "entra.loginApp.secretSlotBRotatedOn");
    assert.throws(
      () => rotationPlan({ slotA: "2026-09-15", slotB: "2026-09-15", lifetimeDays: 730 }, f),
      (e: unknown) =>
        e instanceof RotationSettingsError &&
        e.field === "entra.loginApp.secretSlotBRotatedOn" &&
        e.message.startsWith(
          "entra.loginApp.secretSlotBRotatedOn: 2026-09-15 is the same day as entra.loginApp.secretRotatedOn",
        ),
    );
    for (const overlapDays of [0, 730, 10.5, -1]) {
      assert.throws(
        () => rotationPlan({ slotA: "2026-09-15", lifetimeDays: 730, overlapDays }),
        new RegExp(
          `^Error: secretOverlapDays: ${overlapDays} is not an overlap the lifetime allows; expected a whole number of days from 1 to 729`,
        ),
      );
    }
    assert.equal(rotationPlan({ slotA: "2026-09-15", lifetimeDays: 730, overlapDays: 729 }).overlapDays, 729);
    assert.equal(rotationPlan({ slotA: "2026-09-15", lifetimeDays: 730, overlapDays: 1 }).overlapDays, 1);
    assert.throws(
      () => rotationPlan({ slotA: "2026-09-15", lifetimeDays: 730, overlapDays: 30, warningDays: 30 }),
      /^Error: secretWarningDays: 30 must be a whole number of days more than secretOverlapDays \(30\)/,
    );
    assert.equal(rotationPlan({ slotA: "2026-09-15", lifetimeDays: 730, warningDays: 31 }).warningDays, 31);
    assert.throws(
      () => rotationPlan({ slotA: "2026-02-30", lifetimeDays: 730 }, COMPONENT_ROTATION_FIELDS),
      /^Error: secretRotatedOn: "2026-02-30" is not a date/,
    );
    assert.throws(
      () => rotationPlan({ slotA: "2026-09-15", slotB: "2026-9-1", lifetimeDays: 730 }),
      /^Error: secretSlotBRotatedOn: "2026-9-1" is not a date/,
    );
  });

  it("problems: future dates and an expired active slot are errors; expiring and short overlap warn", () => {
    const one = rotationPlan({ slotA: "2026-09-15", lifetimeDays: 730 });
    assert.deepEqual(rotationProblems(one, day("2028-07-16")), [], "60 days left: not yet");
    assert.deepEqual(rotationProblems(one, day("2028-07-17")), [
      {
        level: "warning",
        field: "secretSlotBRotatedOn",
        message:
          "the active login app secret (slot A) expires on 2028-09-14 (59 days left): set secretSlotBRotatedOn to today's date to issue slot B by 2028-08-15 (keeps the 30-day overlap), run pulumi up, then paste slot B into Vantagepoint before 2028-09-14",
      },
    ]);
    assert.equal(
      rotationProblems(one, day("2028-08-20"))[0]!.message,
      "the active login app secret (slot A) expires on 2028-09-14 (25 days left): set secretSlotBRotatedOn to today's date to issue slot B, run pulumi up, then paste slot B into Vantagepoint before 2028-09-14",
    );
    assert.deepEqual(rotationProblems(one, day("2028-09-14")), [
      {
        level: "error",
        field: "secretSlotBRotatedOn",
        message:
          "secretSlotBRotatedOn: the active secret (slot A, issued 2026-09-15) expired on 2028-09-14 and Entra sign-in to Vantagepoint fails; set secretSlotBRotatedOn to today's date to issue slot B, run pulumi up, then paste it into Vantagepoint",
      },
    ]);
    assert.deepEqual(rotationProblems(one, day("2026-09-14")), [], "one day early is today somewhere");
    assert.deepEqual(rotationProblems(one, day("2026-09-13")), [
      {
        level: "error",
        field: "secretRotatedOn",
        message:
          "secretRotatedOn: 2026-09-15 is in the future; set it to the day you issue slot A (today or earlier)",
      },
    ]);
    const short = rotationPlan({ slotA: "2026-09-15", slotB: "2028-09-04", lifetimeDays: 730 });
    assert.deepEqual(rotationProblems(short, day("2028-09-04")), [
      {
        level: "warning",
        field: "secretSlotBRotatedOn",
        message:
          "slot A expires on 2028-09-14, only 10 days after slot B was issued (secretOverlapDays is 30): paste slot B into Vantagepoint before 2028-09-14",
      },
    ]);
    assert.deepEqual(
      rotationProblems(short, day("2028-10-04")),
      [],
      "the paste window is over: no more noise",
    );
    const late = rotationPlan({ slotA: "2026-09-15", slotB: "2028-10-01", lifetimeDays: 730 });
    assert.equal(
      rotationProblems(late, day("2028-10-01"))[0]!.message,
      "slot A expired on 2028-09-14, before slot B was issued on 2028-10-01: Entra sign-in to Vantagepoint fails until slot B is pasted into Vantagepoint",
    );
    const full = rotationPlan({ slotA: "2026-09-15", slotB: "2028-08-15", lifetimeDays: 730 });
    assert.deepEqual(rotationProblems(full, day("2028-08-15")), [], "exactly the overlap: fine");
  });

  it("live slots: a retiring slot leaves the program the day it ends, the active one never", () => {
    const two = rotationPlan({ slotA: "2026-09-15", slotB: "2028-08-01", lifetimeDays: 730 });
    assert.deepEqual(
      liveSlots(two, new Date("2028-09-13T23:59:59Z")).map((s) => s.slot),
      ["A", "B"],
    );
    assert.deepEqual(
      liveSlots(two, day("2028-09-14")).map((s) => s.slot),
      ["B"],
    );
    const one = rotationPlan({ slotA: "2026-09-15", lifetimeDays: 730 });
    assert.deepEqual(
      liveSlots(one, day("2030-01-01")).map((s) => s.slot),
      ["A"],
      "the active slot stays",
    );
  });

  it("status: one line for check, doctor and the reports", () => {
    const one = rotationPlan({ slotA: "2026-09-15", lifetimeDays: 730 });
    assert.equal(
      rotationStatus(one, day("2026-12-06")),
      "login app secret: slot A active since 2026-09-15 (expires 2028-09-14); no slot B yet: issue it by 2028-08-15 to keep a 30-day overlap",
    );
    const two = rotationPlan({ slotA: "2026-09-15", slotB: "2028-08-01", lifetimeDays: 730 });
    assert.equal(
      rotationStatus(two, day("2028-08-02")),
      "login app secret: slot B active since 2028-08-01 (expires 2030-08-01); slot A expires 2028-09-14: paste B into Vantagepoint by 2028-09-14",
    );
    assert.equal(
      rotationStatus(two, day("2028-09-14")),
      "login app secret: slot B active since 2028-08-01 (expires 2030-08-01); slot A expired 2028-09-14: Vantagepoint must hold slot B",
    );
  });
});
