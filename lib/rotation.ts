/**
 * Two-slot rotation of the login app's client secret, pure (no Pulumi import, no clock except the `now` passed in).
 *
 * Slot A and slot B are two Entra passwords of the same app, each issued on a day written in config
 * (`secretRotatedOn` is slot A: the single password of earlier versions; `secretSlotBRotatedOn` is slot B). Each
 * lives `secretLifetimeDays` from its own day, so their end dates are staggered. The ACTIVE slot is the one issued
 * last: what the Key Vault secret holds and what goes into Vantagepoint. The other one is RETIRING: it keeps
 * working until its own end date, which is the day by which the active value must be pasted into Vantagepoint.
 *
 * Which slot is active follows the dates in config, never the clock: the same config gives the same plan on any
 * day, so a re-run never rotates by accident. `now` only decides what is reported (expired, days left, warnings).
 * Sources: shared/reference/entra-graph-and-rotation.md, "Rotating a client secret without an outage".
 */
import { secretExpiry } from "./secretExpiry";
import type { SecretExpiry } from "./secretExpiry";

/** Days the retiring secret must outlive the new one's issue day by default (time to paste it into Vantagepoint). */
export const DEFAULT_OVERLAP_DAYS = 30;
/** `check` warns this many days more than the overlap before the active secret expires, by default. */
export const DEFAULT_WARNING_MARGIN_DAYS = 30;

const DAY_MS = 24 * 60 * 60 * 1000;

/** A rotation setting that cannot work, naming the field it is in. */
export class RotationSettingsError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = "Error";
  }
}

/** The two slots' names, as reports say them. */
export type SlotName = "A" | "B";

/** The field names the values came from, so messages name the caller's keys. */
export interface RotationFields {
  slotA: string;
  slotB: string;
  lifetimeDays: string;
  overlapDays: string;
  warningDays: string;
}

/** Field names of the login app component's args. */
export const COMPONENT_ROTATION_FIELDS: RotationFields = {
  slotA: "secretRotatedOn",
  slotB: "secretSlotBRotatedOn",
  lifetimeDays: "secretLifetimeDays",
  overlapDays: "secretOverlapDays",
  warningDays: "secretWarningDays",
};

/** The same fields as written in stack config, under `prefix` (e.g. "entra.loginApp"). */
export function rotationFields(prefix: string): RotationFields {
  const f = COMPONENT_ROTATION_FIELDS;
  return {
    slotA: `${prefix}.${f.slotA}`,
    slotB: `${prefix}.${f.slotB}`,
    lifetimeDays: `${prefix}.${f.lifetimeDays}`,
    overlapDays: `${prefix}.${f.overlapDays}`,
    warningDays: `${prefix}.${f.warningDays}`,
  };
}

/** What the rotation settings say, as given. */
export interface RotationSettings {
  /** Slot A's issue day, YYYY-MM-DD. */
  slotA: string;
  /** Slot B's issue day, YYYY-MM-DD; absent until the first rotation. */
  slotB?: string;
  /** Lifetime of each slot in days (1 to 730). */
  lifetimeDays: number;
  /** Days the retiring slot must outlive the active one's issue day (default 30). */
  overlapDays?: number;
  /** Warn this many days before the active slot expires (default overlap + 30). */
  warningDays?: number;
}

/** One slot's planned life. */
export interface SlotPlan extends SecretExpiry {
  slot: SlotName;
  /** The day it was issued, YYYY-MM-DD. */
  rotatedOn: string;
  /** The day it stops working, YYYY-MM-DD. */
  expiresOn: string;
}

/** The plan for both slots: which is active, which retires and until when. Same settings, same plan. */
export interface RotationPlan {
  slots: SlotPlan[];
  active: SlotPlan;
  retiring?: SlotPlan;
  overlapDays: number;
  warningDays: number;
  /** The last day to issue the other slot while keeping a full overlap (active's end minus the overlap). */
  rotateBy: string;
}

/**
 * The plan for the settings. Throws an error naming the field for a date that is not a real day, a lifetime
 * outside 1..730, an overlap that is not shorter than the lifetime, a warning that comes after the last day
 * to rotate with a full overlap, or two slots issued on the same day (their end dates would not be staggered).
 */
export function rotationPlan(
  settings: RotationSettings,
  fields: RotationFields = COMPONENT_ROTATION_FIELDS,
): RotationPlan {
  const overlapDays = settings.overlapDays ?? DEFAULT_OVERLAP_DAYS;
  if (!Number.isInteger(overlapDays) || overlapDays < 1 || overlapDays >= settings.lifetimeDays) {
    throw new RotationSettingsError(
      fields.overlapDays,
      `${JSON.stringify(overlapDays)} is not an overlap the lifetime allows; expected a whole number of days from 1 to ${Math.max(1, settings.lifetimeDays - 1)} (less than ${fields.lifetimeDays}, ${settings.lifetimeDays}); ${DEFAULT_OVERLAP_DAYS} or more leaves time to paste the new secret into Vantagepoint`,
    );
  }
  const warningDays = settings.warningDays ?? overlapDays + DEFAULT_WARNING_MARGIN_DAYS;
  if (!Number.isInteger(warningDays) || warningDays <= overlapDays) {
    throw new RotationSettingsError(
      fields.warningDays,
      `${JSON.stringify(warningDays)} must be a whole number of days more than ${fields.overlapDays} (${overlapDays}), so the warning comes before the last day to rotate with a full overlap; e.g. ${overlapDays + DEFAULT_WARNING_MARGIN_DAYS}`,
    );
  }
  const slot = (name: SlotName, rotatedOn: string, field: string): SlotPlan => {
    const expiry = secretExpiry(rotatedOn, settings.lifetimeDays, {
      rotatedOn: field,
      lifetimeDays: fields.lifetimeDays,
    });
    return { slot: name, rotatedOn, ...expiry, expiresOn: expiry.endDate.slice(0, 10) };
  };
  const a = slot("A", settings.slotA, fields.slotA);
  const slots = [a];
  if (settings.slotB !== undefined) {
    const b = slot("B", settings.slotB, fields.slotB);
    if (b.rotatedOn === a.rotatedOn) {
      throw new RotationSettingsError(
        fields.slotB,
        `${b.rotatedOn} is the same day as ${fields.slotA}; the two slots must be issued on different days (set ${fields.slotB} to the day you issue slot B, today when you rotate)`,
      );
    }
    slots.push(b);
  }
  const ordered = [...slots].sort((x, y) => x.expiresUnix - y.expiresUnix);
  const active = ordered[ordered.length - 1]!;
  const retiring = ordered.length > 1 ? ordered[0] : undefined;
  return {
    slots,
    active,
    ...(retiring ? { retiring } : {}),
    overlapDays,
    warningDays,
    rotateBy: dayOf(active.expiresUnix * 1000 - overlapDays * DAY_MS),
  };
}

/**
 * The slots to keep in the program on day `now`: both, except a retiring slot past its end date. A dead password
 * left in the program would fail the mandatory policy entra-secret-max-lifetime on every run until the next
 * rotation; dropped, it leaves Pulumi's state only (the passwords carry retainOnDelete, so Entra is not called)
 * and nothing that works changes: the active slot and the vault secret stay exactly as they were.
 */
export function liveSlots(plan: RotationPlan, now: Date): SlotPlan[] {
  const retiring = plan.retiring;
  if (!retiring || retiring.expiresUnix * 1000 > now.getTime()) return plan.slots;
  return plan.slots.filter((s) => s !== retiring);
}

/** The other slot's name. */
export function otherSlot(slot: SlotName): SlotName {
  return slot === "A" ? "B" : "A";
}

/** A problem with the plan on day `now`: errors stop the run before anything is registered, warnings are printed. */
export interface RotationProblem {
  level: "error" | "warning";
  /** The field the fix goes into. */
  field: string;
  message: string;
}

/**
 * What is wrong with the plan on day `now`: a slot issued in the future or an active slot already expired
 * (errors), the active slot expiring within the warning period, or a rotation whose retiring slot ends before
 * the overlap is over (warnings, while that rotation's paste window is open).
 */
export function rotationProblems(
  plan: RotationPlan,
  now: Date,
  fields: RotationFields = COMPONENT_ROTATION_FIELDS,
): RotationProblem[] {
  const out: RotationProblem[] = [];
  const nowMs = now.getTime();
  const fieldOf = (slot: SlotName) => (slot === "A" ? fields.slotA : fields.slotB);
  for (const s of plan.slots) {
    if (Date.parse(`${s.rotatedOn}T00:00:00Z`) - nowMs > DAY_MS) {
      out.push({
        level: "error",
        field: fieldOf(s.slot),
        message: `${fieldOf(s.slot)}: ${s.rotatedOn} is in the future; set it to the day you issue slot ${s.slot} (today or earlier)`,
      });
    }
  }
  if (out.length > 0) return out;
  const { active, retiring } = plan;
  const next = otherSlot(active.slot);
  const activeEnd = active.expiresUnix * 1000;
  if (activeEnd <= nowMs) {
    out.push({
      level: "error",
      field: fieldOf(next),
      message: `${fieldOf(next)}: the active secret (slot ${active.slot}, issued ${active.rotatedOn}) expired on ${active.expiresOn} and Entra sign-in to Vantagepoint fails; set ${fieldOf(next)} to today's date to issue slot ${next}, run pulumi up, then paste it into Vantagepoint`,
    });
    return out;
  }
  const daysLeft = Math.floor((activeEnd - nowMs) / DAY_MS);
  if (daysLeft < plan.warningDays) {
    out.push({
      level: "warning",
      field: fieldOf(next),
      message: `the active login app secret (slot ${active.slot}) expires on ${active.expiresOn} (${daysLeft} days left): set ${fieldOf(next)} to today's date to issue slot ${next}${daysLeft > plan.overlapDays ? ` by ${plan.rotateBy} (keeps the ${plan.overlapDays}-day overlap)` : ""}, run pulumi up, then paste slot ${next} into Vantagepoint before ${active.expiresOn}`,
    });
  }
  if (retiring) {
    const activeStart = Date.parse(`${active.rotatedOn}T00:00:00Z`);
    const overlap = Math.floor((retiring.expiresUnix * 1000 - activeStart) / DAY_MS);
    if (overlap < plan.overlapDays && nowMs < activeStart + plan.overlapDays * DAY_MS) {
      out.push({
        level: "warning",
        field: fieldOf(active.slot),
        message:
          overlap > 0
            ? `slot ${retiring.slot} expires on ${retiring.expiresOn}, only ${overlap} days after slot ${active.slot} was issued (${fields.overlapDays} is ${plan.overlapDays}): paste slot ${active.slot} into Vantagepoint before ${retiring.expiresOn}`
            : `slot ${retiring.slot} expired on ${retiring.expiresOn}, before slot ${active.slot} was issued on ${active.rotatedOn}: Entra sign-in to Vantagepoint fails until slot ${active.slot} is pasted into Vantagepoint`,
      });
    }
  }
  return out;
}

/**
 * One line for check, doctor and the reports: "login app secret: slot B active since 2028-07-01 (expires
 * 2030-06-30); slot A expires 2028-09-14: paste B into Vantagepoint by 2028-09-14". Dates only, never a value.
 */
export function rotationStatus(plan: RotationPlan, now: Date): string {
  const { active, retiring } = plan;
  const nowMs = now.getTime();
  const head = `login app secret: slot ${active.slot} active since ${active.rotatedOn} (expires ${active.expiresOn})`;
  if (!retiring) {
    return `${head}; no slot ${otherSlot(active.slot)} yet: issue it by ${plan.rotateBy} to keep a ${plan.overlapDays}-day overlap`;
  }
  if (retiring.expiresUnix * 1000 <= nowMs) {
    return `${head}; slot ${retiring.slot} expired ${retiring.expiresOn}: Vantagepoint must hold slot ${active.slot}`;
  }
  return `${head}; slot ${retiring.slot} expires ${retiring.expiresOn}: paste ${active.slot} into Vantagepoint by ${retiring.expiresOn}`;
}

function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
