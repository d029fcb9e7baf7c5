/**
 * The emulator's hubs: employees, users, roles and API authorizations, each a keyed map in the state, with
 * list (paging, fieldFilter, filterHash, order), get one, create, update and delete. Roles and API
 * authorizations use UNVERIFIED paths (configurable in the options).
 */
import type * as http from "node:http";
import { randomBytes, randomUUID } from "node:crypto";
import { send } from "./reply";
import type { Replies } from "./reply";
import { employeeKey } from "./seed";
import type { EmulatorData, Rec } from "./seed";

export type HubName = "employees" | "users" | "roles" | "apiAuthorizations";

export interface Hub {
  name: HubName;
  path: string;
  keyField: string;
  caseInsensitiveKey: boolean;
  hidden: string[];
}

export type HubPaths = Record<HubName, string>;

export const DEFAULT_HUB_PATHS: HubPaths = {
  employees: "/employee",
  users: "/user",
  roles: "/security/role",
  apiAuthorizations: "/apiauthorization",
};

/** The four hubs at the given paths. */
export function hubsAt(paths: HubPaths): Hub[] {
  return [
    { name: "employees", path: paths.employees, keyField: "Employee", caseInsensitiveKey: false, hidden: [] },
    { name: "users", path: paths.users, keyField: "Username", caseInsensitiveKey: true, hidden: [] },
    { name: "roles", path: paths.roles, keyField: "Role", caseInsensitiveKey: true, hidden: [] },
    {
      name: "apiAuthorizations",
      path: paths.apiAuthorizations,
      keyField: "ClientId",
      caseInsensitiveKey: false,
      hidden: ["ClientSecret"],
    },
  ];
}

export interface HubOptions {
  /** Largest page the server returns (default 10 000). */
  maxPageSize?: number;
}

interface Filter {
  name: string;
  value: string;
  opp: string;
}

/** filterHash[i][name|value|opp] from the query, in index order. */
export function filtersOf(url: URL): Filter[] {
  const byIndex = new Map<string, Record<string, string>>();
  for (const [k, v] of url.searchParams) {
    const m = /^filterHash\[(\d+)\]\[(\w+)\]$/i.exec(k);
    if (!m) continue;
    const e = byIndex.get(m[1]) ?? {};
    e[m[2].toLowerCase()] = v;
    byIndex.set(m[1], e);
  }
  return [...byIndex.values()].map((e) => ({
    name: e.name ?? "",
    value: e.value ?? "",
    opp: (e.opp ?? "eq").toLowerCase(),
  }));
}

/** Does the record pass one filter (case-insensitive comparison, as SQL Server's default collation does)? */
export function matches(rec: Rec, f: Filter): boolean {
  const key = Object.keys(rec).find((k) => k.toLowerCase() === f.name.toLowerCase());
  const v = key ? String(rec[key] ?? "") : "";
  const a = v.toLowerCase();
  const b = f.value.toLowerCase();
  switch (f.opp) {
    case "eq":
      return a === b;
    case "ne":
      return a !== b;
    case "like": {
      const re = new RegExp(
        `^${b
          .replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
          .replace(/%/g, ".*")
          .replace(/_/g, ".")}$`,
      );
      return b.includes("%") || b.includes("_") ? re.test(a) : a.includes(b);
    }
    case "in":
      return b
        .split(",")
        .map((x) => x.trim())
        .includes(a);
    case "gt":
      return a > b;
    case "lt":
      return a < b;
    case "ge":
      return a >= b;
    case "le":
      return a <= b;
    default:
      return false;
  }
}

function project(rec: Rec, fields: string[] | undefined): Rec {
  if (!fields) return rec;
  const out: Rec = {};
  for (const f of fields) {
    const hit = Object.keys(rec).find((k) => k.toLowerCase() === f.toLowerCase());
    if (hit) out[hit] = rec[hit];
  }
  return out;
}

function fieldFilterOf(value: string | null): string[] | undefined {
  return value
    ? value
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean)
    : undefined;
}

/** One JSON record from a write body (an object or a one-element array), or undefined. */
function oneRecord(body: unknown): Rec | undefined {
  const input = Array.isArray(body) && body.length === 1 ? body[0] : body;
  if (!input || typeof input !== "object" || Array.isArray(input)) return undefined;
  return { ...(input as Rec) };
}

/** The hubs' handlers over the current state (the state object is replaced on restart, hence the getter). */
export class HubService {
  private employeeCounter = 0;

  constructor(
    private readonly state: () => EmulatorData,
    private readonly options: HubOptions,
    private readonly reply: Replies,
  ) {}

  /** Forget the next-key counter (after the state went back to seed). */
  resetKeys(): void {
    this.employeeCounter = 0;
  }

  private mapOf(hub: Hub): Map<string, Rec> {
    return this.state()[hub.name];
  }

  private keyOf(hub: Hub, key: string): string {
    return hub.caseInsensitiveKey ? key.toLowerCase() : key;
  }

  /** A record as the API shows it: hidden fields removed, users with their employee's status and name. */
  private view(hub: Hub, rec: Rec): Rec {
    const out: Rec = { ...rec };
    for (const h of hub.hidden) delete out[h];
    if (hub.name === "users") {
      const emp = rec.Employee ? this.state().employees.get(String(rec.Employee)) : undefined;
      out.EmployeeStatus = emp ? emp.Status : "";
      out.EmployeeName = emp ? `${emp.FirstName} ${emp.LastName}` : "";
    }
    return out;
  }

  private nextEmployeeKey(): string {
    const employees = this.state().employees;
    if (this.employeeCounter === 0) {
      let max = 0;
      for (const k of employees.keys()) if (/^\d+$/.test(k)) max = Math.max(max, Number(k));
      this.employeeCounter = max + 1;
    } else this.employeeCounter++;
    while (employees.has(employeeKey(this.employeeCounter))) this.employeeCounter++;
    return employeeKey(this.employeeCounter);
  }

  private validate(hub: Hub, rec: Rec): string | undefined {
    const state = this.state();
    for (const [k, v] of Object.entries(rec)) {
      if (v !== null && typeof v === "object")
        return `Field ${k} must be a value, not ${Array.isArray(v) ? "a list" : "an object"}.`;
    }
    if (hub.name === "employees") {
      if (rec.Status !== undefined && !["A", "I", "T"].includes(String(rec.Status)))
        return `Status must be A, I or T.`;
    }
    if (hub.name === "users") {
      if (rec.Employee && !state.employees.has(String(rec.Employee)))
        return `Employee ${rec.Employee} does not exist.`;
      if (rec.Role && !state.roles.has(String(rec.Role).toLowerCase()))
        return `Role ${rec.Role} does not exist.`;
      if (rec.Status !== undefined && !["A", "I"].includes(String(rec.Status)))
        return `Status must be A or I.`;
    }
    if (hub.name === "roles") {
      if (rec.ConnectAdministration !== undefined && !["Y", "N"].includes(String(rec.ConnectAdministration)))
        return "ConnectAdministration must be Y or N.";
    }
    if (hub.name === "apiAuthorizations") {
      if (rec.AllowPasswordGrant !== undefined && !["Y", "N"].includes(String(rec.AllowPasswordGrant)))
        return "AllowPasswordGrant must be Y or N.";
    }
    return undefined;
  }

  list(res: http.ServerResponse, hub: Hub, url: URL): void {
    let rows = [...this.mapOf(hub).values()].map((r) => this.view(hub, r));
    for (const f of filtersOf(url)) rows = rows.filter((r) => matches(r, f));
    const order = url.searchParams.get("order");
    if (order) {
      const [field, dir] = order.trim().split(/\s+/);
      const sign = (dir ?? "asc").toLowerCase() === "desc" ? -1 : 1;
      rows.sort((x, y) => sign * String(x[field] ?? "").localeCompare(String(y[field] ?? "")));
    }
    const maxPage = this.options.maxPageSize ?? 10000;
    const q = (n: string) => {
      const k = [...url.searchParams.keys()].find((x) => x.toLowerCase() === n.toLowerCase());
      return k ? url.searchParams.get(k) : null;
    };
    let start = 0;
    let size = rows.length;
    if (q("pageSize") || q("page")) {
      size = Math.min(maxPage, Math.max(1, Number(q("pageSize") ?? 100) || 100));
      start = (Math.max(1, Number(q("page") ?? 1) || 1) - 1) * size;
    } else if (q("limit") || q("offset")) {
      size = Math.min(maxPage, Math.max(1, Number(q("limit") ?? 100) || 100));
      start = Math.max(0, Number(q("offset") ?? 0) || 0);
    } else {
      size = Math.min(maxPage, rows.length);
    }
    const fields = fieldFilterOf(q("fieldFilter"));
    send(
      res,
      200,
      rows.slice(start, start + size).map((r) => project(r, fields)),
    );
  }

  getOne(res: http.ServerResponse, hub: Hub, key: string, url: URL): void {
    const rec = this.mapOf(hub).get(this.keyOf(hub, key));
    const fields = fieldFilterOf(url.searchParams.get("fieldFilter"));
    send(res, 200, rec ? [project(this.view(hub, rec), fields)] : []);
  }

  create(res: http.ServerResponse, hub: Hub, body: unknown): void {
    const rec = oneRecord(body);
    if (!rec) return this.reply.error(res, 400, "The request is invalid.", "Expected one JSON record.");
    const map = this.mapOf(hub);
    if (hub.name === "employees") {
      if (!rec.Employee) rec.Employee = `${this.nextEmployeeKey()}`;
      rec.Status ??= "A";
      rec.EMail ??= "";
    } else if (hub.name === "apiAuthorizations") {
      rec.ClientId = randomUUID();
      rec.ClientSecret = randomBytes(18).toString("base64url");
      rec.AllowPasswordGrant ??= "N";
      rec.Scopes ??= "Match Role Access";
      rec.CallbackUrl ??= "";
      if (!rec.Name) return this.reply.error(res, 400, "Name is required.");
    } else if (hub.name === "users") {
      rec.Status ??= "A";
      rec.Employee ??= "";
      rec.DisplayUsername ??= rec.Username;
    } else if (hub.name === "roles") {
      rec.Type ??= "Standard";
      rec.ConnectAdministration ??= "N";
    }
    const key = rec[hub.keyField];
    if (typeof key !== "string" || !key) return this.reply.error(res, 400, `${hub.keyField} is required.`);
    if (map.has(this.keyOf(hub, key)))
      return this.reply.error(res, 400, `A record with ${hub.keyField} ${key} already exists.`);
    const problem = this.validate(hub, rec);
    if (problem) return this.reply.error(res, 400, "The request is invalid.", problem);
    map.set(this.keyOf(hub, key), rec);
    const out = this.view(hub, rec);
    if (hub.name === "apiAuthorizations") out.ClientSecret = rec.ClientSecret; // shown once
    this.reply.write(res, 201, out);
  }

  update(res: http.ServerResponse, hub: Hub, key: string, body: unknown): void {
    const rec = this.mapOf(hub).get(this.keyOf(hub, key));
    if (!rec) return this.reply.error(res, 404, `${hub.keyField} ${key} was not found.`);
    const changes = oneRecord(body);
    if (!changes) return this.reply.error(res, 400, "The request is invalid.", "Expected one JSON record.");
    delete changes[hub.keyField];
    if (hub.name === "apiAuthorizations") delete changes.ClientSecret;
    const merged = { ...rec, ...changes };
    const problem = this.validate(hub, merged);
    if (problem) return this.reply.error(res, 400, "The request is invalid.", problem);
    Object.assign(rec, changes);
    this.reply.write(res, 200, this.view(hub, rec));
  }

  remove(res: http.ServerResponse, hub: Hub, key: string): void {
    if (!this.mapOf(hub).delete(this.keyOf(hub, key)))
      return this.reply.error(res, 404, `${hub.keyField} ${key} was not found.`);
    send(res, 204, undefined);
  }
}
