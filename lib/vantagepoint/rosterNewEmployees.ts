/**
 * New employees, pure: how they are keyed (roster, sequence, server) and what they get, the stack config's
 * roster.newEmployees in the provider's terms, and the next keys of a sequence (split out of roster.ts).
 */
import { idKey } from "./identifiers";

/**
 * How new employees are keyed and what they get (stack config `roster.newEmployees`). Real integration code always
 * sends the key (`Employee`) and also EmployeeCompany, HomeCompany, Org, HireDate and Type on create; whether a
 * server numbers employees itself has no public source, so it is the site's setting.
 */
export interface NewEmployeeRule {
  /**
   * "roster": each row's employee key; "sequence": `prefix` plus a zero-padded number above every existing key
   * with that prefix; "server": the site numbers them (key read from the reply or its Location header). Left out:
   * the row's key when it has one, else none (a server that needs one stops the run with one error naming this).
   */
  key?: string;
  /** Sequence prefix, e.g. "C" gives C00001 (default none). */
  prefix?: string;
  /** Sequence digits, zero-padded (default 5). */
  digits?: number;
  /** Fields every new employee gets, as the API spells them (Org, EmployeeCompany, HomeCompany, Type, HireDate). */
  defaults?: Record<string, string>;
}

/** The stack config's roster.newEmployees, in the user's words. */
export interface NewEmployeesSetting {
  key?: "roster" | "sequence" | "server";
  prefix?: string;
  digits?: number;
  org?: string;
  employeeCompany?: string;
  homeCompany?: string;
  type?: string;
  /** "today" or YYYY-MM-DD. */
  hireDate?: string;
}

/** roster.newEmployees as the provider takes it (fields as the API spells them; dates as the API writes them). */
export function newEmployeeRule(setting: NewEmployeesSetting | undefined): NewEmployeeRule | undefined {
  if (!setting) return undefined;
  const defaults: Record<string, string> = {};
  if (setting.org) defaults.Org = setting.org;
  if (setting.employeeCompany) defaults.EmployeeCompany = setting.employeeCompany;
  if (setting.homeCompany) defaults.HomeCompany = setting.homeCompany;
  if (setting.type) defaults.Type = setting.type;
  if (setting.hireDate)
    defaults.HireDate = setting.hireDate === "today" ? "today" : `${setting.hireDate}T00:00:00`;
  return {
    ...(setting.key ? { key: setting.key } : {}),
    ...(setting.key === "sequence" ? { prefix: setting.prefix ?? "", digits: setting.digits ?? 5 } : {}),
    ...(Object.keys(defaults).length ? { defaults } : {}),
  };
}

/** Employee fields a new-employee default may set (as the API spells them). */
export const NEW_EMPLOYEE_DEFAULT_FIELDS = [
  "Org",
  "EmployeeCompany",
  "HomeCompany",
  "Type",
  "HireDate",
] as const;

/** Problems with a NewEmployeeRule, each naming the field under `prefix`. */
export function newEmployeeRuleIssues(
  rule: unknown,
  prefix: string,
): Array<{ field: string; message: string }> {
  if (rule === undefined || rule === null) return [];
  if (typeof rule !== "object" || Array.isArray(rule))
    return [{ field: prefix, message: `${prefix} must be an object with key, prefix, digits and defaults` }];
  const r = rule as Record<string, unknown>;
  const out: Array<{ field: string; message: string }> = [];
  const add = (f: string, m: string) => out.push({ field: `${prefix}.${f}`, message: `${prefix}.${f} ${m}` });
  if (r.key !== undefined && !["roster", "sequence", "server"].includes(String(r.key)))
    add("key", 'must be "roster", "sequence" or "server"');
  if (r.prefix !== undefined && (typeof r.prefix !== "string" || !/^[A-Za-z0-9._-]{0,12}$/.test(r.prefix)))
    add("prefix", "must be up to 12 letters, digits, '.', '_' or '-', e.g. \"C\"");
  if (
    r.digits !== undefined &&
    (!Number.isInteger(r.digits) || (r.digits as number) < 1 || (r.digits as number) > 12)
  )
    add("digits", "must be a whole number from 1 to 12");
  if (r.defaults !== undefined) {
    if (!r.defaults || typeof r.defaults !== "object" || Array.isArray(r.defaults))
      add("defaults", "must be an object");
    else
      for (const [k, v] of Object.entries(r.defaults)) {
        if (!(NEW_EMPLOYEE_DEFAULT_FIELDS as readonly string[]).includes(k))
          add(`defaults.${k}`, `is not known; use ${NEW_EMPLOYEE_DEFAULT_FIELDS.join(", ")}`);
        else if (typeof v !== "string" || v.trim() === "") add(`defaults.${k}`, "must be text");
      }
  }
  return out;
}

/** Setting to name when a server needs employee keys. */
export const EMPLOYEE_KEY_SETTING = "roster.newEmployees.key";

/** The next keys of a sequence rule: prefix + zero-padded number above every existing key with that prefix. */
export function sequenceKeys(existing: Iterable<string>, count: number, prefix = "", digits = 5): string[] {
  const taken = new Set<string>();
  let max = 0;
  const re = new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(\\d+)$`, "i");
  for (const k of existing) {
    taken.add(idKey(k));
    const m = re.exec(k);
    if (m) max = Math.max(max, Number(m[1]));
  }
  const out: string[] = [];
  for (let n = max + 1; out.length < count; n++) {
    const key = `${prefix}${String(n).padStart(digits, "0")}`;
    if (!taken.has(idKey(key))) out.push(key);
  }
  return out;
}
