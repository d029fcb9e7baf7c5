/**
 * Checks for hostile or absurd stack config that the per-key schema cannot see, each applied in one place:
 * a pass over every string and key of the parsed config (control, bidi-override and invisible characters,
 * JavaScript-reserved keys, absurd nesting), the allow list as a whole (coverage after merging, the NSG and
 * WAF size limits from lib/allowListPlan.ts), the VNet address space, and secret rotation dates against
 * today. Pure: `now` is passed in.
 */
import { containsCidr, overlapCidr } from "cidr-tools";
import { coverageProblem, parseRange, rangeProblem } from "../allowList";
import { planAllowList } from "../allowListPlan";
import type { EnforceAt } from "../allowListPlan";
import { secretExpiry, secretExpiryProblem } from "../secretExpiry";
import {
  RotationSettingsError,
  rotationFields,
  rotationPlan,
  rotationProblems,
  rotationStatus,
} from "../rotation";
import type { RotationPlan } from "../rotation";
import { isSecretValue } from "./secret";
import { unsafeTextProblem } from "./validators";

export type IssuePath = Array<string | number>;
export interface PathIssue {
  path: IssuePath;
  message: string;
}

/** Deeper than this, no stack config key goes (the deepest real key is 4 levels under a section). */
export const MAX_DEPTH = 16;

/**
 * Keys whose values are multi-line by nature (PEM certificates): line breaks are allowed there, every other
 * unsafe character is not. Written as the user writes keys, with `[]` for any list index. Add a key here
 * when its schema takes multi-line text.
 */
export const MULTILINE_KEYS = new Set(["site.backend.trustedRootCertificates[].pem"]);

/** `path` (from a section) as MULTILINE_KEYS writes it. */
function pattern(path: IssuePath): string {
  return path.reduce<string>(
    (out, part, i) => (typeof part === "number" ? `${out}[]` : i === 0 ? part : `${out}.${part}`),
    "",
  );
}

/** Keys that would reach an object's prototype machinery in JavaScript. */
const RESERVED_KEYS = new Set(["__proto__", "constructor", "prototype"]);

/**
 * Every string and key under `root` (a section, or a roster file entry): unsafe characters, reserved keys,
 * nesting past MAX_DEPTH. Secrets are skipped (never shown, never echoed). Iterative, so depth cannot
 * overflow the stack.
 */
export function textIssues(root: unknown, base: IssuePath): PathIssue[] {
  if (isPlainText(root)) return []; // the common case, checked without building paths
  const out: PathIssue[] = [];
  const stack: Array<{ value: unknown; path: IssuePath }> = [{ value: root, path: base }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (typeof value === "string") {
      const multiline = MULTILINE_KEYS.has(pattern(path));
      const problem = unsafeTextProblem(multiline ? value.replace(/\r?\n/g, " ") : value);
      if (problem) out.push({ path, message: problem });
      continue;
    }
    if (value === null || typeof value !== "object" || isSecretValue(value)) continue;
    if (path.length - base.length >= MAX_DEPTH) {
      out.push({
        path,
        message: `is nested more than ${MAX_DEPTH} levels deep; no vpconnect key goes that deep, so remove the extra levels`,
      });
      continue;
    }
    const entries = Array.isArray(value)
      ? value.map((v, i) => [i, v] as const)
      : Object.keys(value).map((k) => [k, (value as Record<string, unknown>)[k]] as const);
    for (const [key, child] of entries) {
      if (typeof key === "string") {
        const keyProblem = unsafeTextProblem(key);
        if (keyProblem) {
          out.push({ path: [...path, key], message: `is a key that ${keyProblem}` });
          continue;
        }
        if (RESERVED_KEYS.has(key)) {
          out.push({
            path: [...path, key],
            message: "is not a vpconnect key (a name JavaScript reserves); remove it",
          });
          continue;
        }
      }
      stack.push({ value: child, path: [...path, key] });
    }
  }
  return out.reverse();
}

/** Characters unsafeTextProblem would report (a cheap test first; the message comes from unsafeTextProblem). */
const MAYBE_UNSAFE =
  /[\u0000-\u001f\u007f-\u009f\u061c\u200b\u200e\u200f\u2028-\u202e\u2060\u2066-\u2069\ufeff\ufffd\ud800-\udfff]/;

/** True when a flat map or list holds only safe strings under ordinary keys (no allocation). */
function isPlainText(value: unknown): boolean {
  if (typeof value === "string") return !MAYBE_UNSAFE.test(value);
  if (value === null || typeof value !== "object" || isSecretValue(value)) return true;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    if (RESERVED_KEYS.has(key) || MAYBE_UNSAFE.test(key)) return false;
    const child = (value as Record<string, unknown>)[key];
    if (typeof child === "string") {
      if (MAYBE_UNSAFE.test(child)) return false;
    } else if (child !== null && typeof child === "object") return false; // nested: take the full walk
  }
  return true;
}

/** The allow list as raw input (before the schema), for checks over the whole list. */
interface RawAllowList {
  connectIps?: unknown;
  extraRanges?: unknown;
  enforceAt?: unknown;
  allowPrivateRanges?: unknown;
}

/**
 * The allow list as a whole, once every range in it is valid on its own: together the ranges must not cover
 * every address or more than MAX_ADMITTED, and after merging they must fit the NSG and WAF limits
 * (planAllowList, the planning the component itself uses, so a list passing here never fails there).
 */
export function allowListIssues(raw: RawAllowList | undefined): PathIssue[] {
  if (!raw || typeof raw !== "object") return [];
  const allowPrivate = raw.allowPrivateRanges === true;
  const lists: Array<["connectIps" | "extraRanges", string[]]> = [];
  for (const name of ["connectIps", "extraRanges"] as const) {
    const items = raw[name];
    if (items === undefined) continue;
    if (!Array.isArray(items)) return [];
    const valid: string[] = [];
    for (const item of items) {
      const parsed = parseRange(item, { allowPrivate });
      if ("error" in parsed || rangeProblem(parsed, { allowPrivate })) return []; // reported per item
      valid.push(parsed.cidr);
    }
    lists.push([name, valid]);
  }
  const connect = lists.find(([n]) => n === "connectIps")?.[1] ?? [];
  const extra = lists.find(([n]) => n === "extraRanges")?.[1] ?? [];
  if (connect.length === 0) return [];

  const own = coverageProblem(connect, { allowPrivate });
  if (own) return [{ path: ["allowList", "connectIps"], message: own }];
  const together = coverageProblem([...connect, ...extra], { allowPrivate });
  if (together)
    return [
      {
        path: ["allowList", "extraRanges"],
        message: `with allowList.connectIps, ${together.replace(/^together /, "")}`,
      },
    ];

  const enforceAt = (
    ["both", "nsg", "waf"].includes(raw.enforceAt as string) ? raw.enforceAt : "both"
  ) as EnforceAt;
  try {
    planAllowList({ connectIps: connect, extraRanges: extra, enforceAt, allowPrivateRanges: allowPrivate });
  } catch (error) {
    const message = (error as Error).message.replace(/^allow list \(enforceAt: \w+\): /, "");
    return [
      {
        path: ["allowList", "connectIps"],
        message: `with allowList.extraRanges and enforceAt "${enforceAt}": ${message}`,
      },
    ];
  }
  return [];
}

/**
 * Address ranges Azure refuses in a virtual network's address space (Microsoft, "Azure Virtual Network
 * frequently asked questions": What address ranges can I use in my virtual networks?).
 */
const AZURE_VNET_FORBIDDEN = [
  { cidr: "224.0.0.0/4", what: "multicast" },
  { cidr: "255.255.255.255/32", what: "broadcast" },
  { cidr: "127.0.0.0/8", what: "loopback" },
  { cidr: "169.254.0.0/16", what: "link-local" },
  { cidr: "168.63.129.16/32", what: "Azure's internal DNS and health-probe address" },
];
/** Private address space (RFC 1918) and shared address space (RFC 6598), which VNets normally use. */
const VNET_PRIVATE = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"];

/**
 * The new VNet's address space: never the whole Internet or more than a /8, never a range Azure refuses.
 * A public range is a warning: traffic to those Internet addresses would stay inside the VNet.
 */
export function addressSpaceIssues(
  value: unknown,
  existingVirtualNetwork: unknown,
): { errors: PathIssue[]; warnings: string[] } {
  const path = ["azure", "network", "addressSpace"];
  if (typeof value !== "string" || existingVirtualNetwork) return { errors: [], warnings: [] };
  const parsed = parseRange(value, { allowPrivate: true });
  if ("error" in parsed || parsed.version !== 4) return { errors: [], warnings: [] };
  if (parsed.prefix < 8) {
    return {
      errors: [
        {
          path,
          message: `${parsed.cidr} ${parsed.prefix === 0 ? "is the whole IPv4 Internet" : "is more than a /8"}; the gateway needs a /26 subnet in a small private range such as 10.60.0.0/16`,
        },
      ],
      warnings: [],
    };
  }
  for (const forbidden of AZURE_VNET_FORBIDDEN) {
    if (overlapCidr(parsed.cidr, forbidden.cidr)) {
      return {
        errors: [
          {
            path,
            message: `${parsed.cidr} overlaps ${forbidden.cidr} (${forbidden.what}), which Azure does not allow in a virtual network; use a private range such as 10.60.0.0/16`,
          },
        ],
        warnings: [],
      };
    }
  }
  if (!VNET_PRIVATE.some((p) => containsCidr(p, parsed.cidr))) {
    return {
      errors: [],
      warnings: [
        `azure.network.addressSpace ${parsed.cidr} is public address space: traffic from the VNet to those Internet addresses stays inside it; prefer a private range such as 10.60.0.0/16`,
      ],
    };
  }
  return { errors: [], warnings: [] };
}

/** The Entra apps whose client secrets carry rotation dates, as the user knows them. */
const APPS = [
  { key: "loginApp", what: "the login app" },
  { key: "mailboxApp", what: "the mailbox app" },
] as const;

interface ParsedApp {
  displayName?: string;
  enabled?: boolean;
  secretRotatedOn: string;
  secretLifetimeDays: number;
  secretSlotBRotatedOn?: string;
  secretOverlapDays?: number;
  secretWarningDays?: number;
}

const LOGIN_FIELDS = rotationFields("entra.loginApp");

/** The login app's two-slot plan from its config section; throws RotationSettingsError or a date error. */
function loginPlan(app: ParsedApp): RotationPlan {
  return rotationPlan(
    {
      slotA: app.secretRotatedOn,
      slotB: app.secretSlotBRotatedOn,
      lifetimeDays: app.secretLifetimeDays,
      overlapDays: app.secretOverlapDays,
      warningDays: app.secretWarningDays,
    },
    LOGIN_FIELDS,
  );
}

/**
 * The login app's two-slot secret as `check`, doctor and the reports say it: the status line ("slot B active
 * since ..., slot A expires ...: paste B into Vantagepoint by ...") and the warnings (active slot expiring within
 * secretWarningDays, short overlap). Empty for a stack without a login app. The same rules as the component
 * (lib/rotation.ts).
 */
export function loginSecretNotes(
  entra: { loginMode?: string; loginApp?: ParsedApp } | undefined,
  now: Date,
): { status?: string; warnings: string[] } {
  const app = entra?.loginApp;
  if (!app || entra?.loginMode === "windows") return { warnings: [] };
  let plan: RotationPlan;
  try {
    plan = loginPlan(app);
  } catch {
    return { warnings: [] }; // reported as a config error
  }
  const warnings = rotationProblems(plan, now, LOGIN_FIELDS)
    .filter((p) => p.level === "warning")
    .map((p) => p.message);
  return { status: rotationStatus(plan, now), warnings };
}

/**
 * A client secret rotated in the future, or already expired, is a config error naming the app: the
 * password would be created with an end date in the past, or the date is a typo. Uses the same rule as
 * the app components (lib/secretExpiry.ts), checked here before anything is registered.
 */
export function rotationDateIssues(
  entra: { loginApp?: ParsedApp; mailboxApp?: ParsedApp } | undefined,
  now: Date,
): PathIssue[] {
  const out: PathIssue[] = [];
  for (const { key, what } of APPS) {
    const app = entra?.[key];
    if (!app || app.enabled === false) continue;
    if (key === "loginApp") {
      out.push(...loginRotationIssues(app, now));
      continue;
    }
    const field = `entra.${key}.secretRotatedOn`;
    let problem: ReturnType<typeof secretExpiryProblem>;
    try {
      const expiry = secretExpiry(app.secretRotatedOn, app.secretLifetimeDays);
      problem = secretExpiryProblem(app.secretRotatedOn, expiry, now, {
        rotatedOn: field,
        lifetimeDays: `entra.${key}.secretLifetimeDays`,
      });
    } catch {
      continue; // a bad date or lifetime is reported by the schema
    }
    if (problem?.level !== "error") continue;
    const name = app.displayName ? ` (${JSON.stringify(app.displayName)})` : "";
    out.push({
      path: ["entra", key, "secretRotatedOn"],
      message: `${what}${name}: ${problem.message.replace(`${field}: `, "")}`,
    });
  }
  return out;
}

/** The login app's rotation errors (lib/rotation.ts): bad overlap or warning days, same-day slots, dates in the future, an expired active slot. */
function loginRotationIssues(app: ParsedApp, now: Date): PathIssue[] {
  const pathOf = (field: string) => field.split(".");
  const name = app.displayName ? ` (${JSON.stringify(app.displayName)})` : "";
  const say = (message: string) => `the login app${name}: ${message}`;
  let plan: RotationPlan;
  try {
    plan = loginPlan(app);
  } catch (error) {
    if (error instanceof RotationSettingsError) {
      return [{ path: pathOf(error.field), message: say(error.message.slice(error.field.length + 2)) }];
    }
    return []; // a bad date or lifetime is reported by the schema
  }
  return rotationProblems(plan, now, LOGIN_FIELDS)
    .filter((p) => p.level === "error")
    .map((p) => ({ path: pathOf(p.field), message: say(p.message.slice(p.field.length + 2)) }));
}
