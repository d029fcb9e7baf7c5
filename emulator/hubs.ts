/**
 * The emulator's hubs: employees, users, roles and API authorizations, each a keyed map in the state, with
 * list (paging, fieldFilter, filterHash, order), get one, create, update and delete. Roles and API
 * authorizations use UNVERIFIED paths (configurable in the options).
 */
import type * as http from "node:http";
import { randomBytes, randomUUID } from "node:crypto";
import { collationKey, fieldFilterOf, filtersOf, matches, operatorOf, orderOf, project } from "./hubQuery";
import type { EmulatorProfile, Hub, HubOptions } from "./hubTypes";
import { send } from "./reply";
import type { Replies } from "./reply";
import { connectPermissionField, employeeKey, ROLE_TYPES } from "./seed";
import type { EmulatorData, Rec } from "./seed";

// The hubs' descriptions (./hubTypes) and query reading (./hubQuery) are their own modules; re-exported here.
export { DEFAULT_HUB_PATHS, hubsAt } from "./hubTypes";
export type { EmulatorProfile, Hub, HubName, HubOptions, HubPaths } from "./hubTypes";
export { collationKey, FILTER_SYMBOLS, filtersOf, matches, operatorOf, orderOf } from "./hubQuery";

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
    /** The Location of a new record (the strict profile answers 201 with it). */
    private readonly locationOf: (hub: Hub, key: string) => string,
    /** Called once for every write that changed the state (the server accepted it). */
    private readonly onAccepted: () => void = () => undefined,
  ) {}

  private get strict(): boolean {
    return (this.options.profile ?? "strict") !== "lenient";
  }

  private get profile(): EmulatorProfile {
    return this.options.profile ?? "strict";
  }

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

  /** The key a record is stored under for `key` (by the collation when caseInsensitiveKeys), or undefined. */
  private storedKey(hub: Hub, key: string): string | undefined {
    const map = this.mapOf(hub);
    const k = this.keyOf(hub, key);
    if (map.has(k)) return k;
    if (!this.options.caseInsensitiveKeys) return undefined;
    const want = collationKey(key);
    for (const stored of map.keys()) if (collationKey(stored) === want) return stored;
    return undefined;
  }

  /** The employee a user's link names (by the collation when caseInsensitiveKeys). */
  private employeeOf(link: unknown): Rec | undefined {
    if (!link) return undefined;
    const employees = this.state().employees;
    const exact = employees.get(String(link));
    if (exact || !this.options.caseInsensitiveKeys) return exact;
    const stored = this.storedKey({ name: "employees" } as Hub, String(link));
    return stored === undefined ? undefined : employees.get(stored);
  }

  /** A record as the API shows it: hidden fields removed, users with their employee's status and name. */
  private view(hub: Hub, rec: Rec): Rec {
    const out: Rec = { ...rec };
    for (const h of hub.hidden) delete out[h];
    if (hub.name === "users") {
      const emp = this.employeeOf(rec.Employee);
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
      if (rec.Employee && !this.employeeOf(rec.Employee)) return `Employee ${rec.Employee} does not exist.`;
      if (rec.Role && !state.roles.has(String(rec.Role).toLowerCase()))
        return `Role ${rec.Role} does not exist.`;
      if (rec.Status !== undefined && !["A", "I"].includes(String(rec.Status)))
        return `Status must be A or I.`;
    }
    if (hub.name === "roles") {
      for (const field of ["Connect", "ConnectAdministration"]) {
        if (rec[field] !== undefined && !["Y", "N"].includes(String(rec[field])))
          return `${field} must be Y or N.`;
      }
      if (this.strict) {
        const permission = connectPermissionField(this.options.version ?? "7.0");
        for (const field of Object.keys(rec)) {
          if (!["Role", "Description", "Type", permission].includes(field))
            return `Field ${field} does not exist on security roles.`;
        }
        const types = String(rec.Type ?? "")
          .split(",")
          .map((t) => t.trim())
          .filter(Boolean);
        // Under the collation (caseInsensitiveKeys) "administrator" is the type Administrator.
        const known = (t: string) =>
          this.options.caseInsensitiveKeys
            ? ROLE_TYPES.some((r) => collationKey(r) === collationKey(t))
            : (ROLE_TYPES as readonly string[]).includes(t);
        const unknown = types.find((t) => !known(t));
        if (unknown) return `Role type ${unknown} is not one of ${ROLE_TYPES.join(", ")}.`;
        if (types.length === 0) return "A role needs at least one type.";
      }
    }
    if (hub.name === "apiAuthorizations") {
      if (rec.AllowPasswordGrant !== undefined && !["Y", "N"].includes(String(rec.AllowPasswordGrant)))
        return "AllowPasswordGrant must be Y or N.";
    }
    return undefined;
  }

  /** The records a read sees, in the table's order (a busy server's reads lag its writes). */
  private readable(hub: Hub): Rec[] {
    const busy = this.options.busy;
    const out: Rec[] = [];
    for (const [key, rec] of this.mapOf(hub)) {
      const seen = busy ? busy.visible(hub.name, key, rec) : rec;
      if (seen) out.push(seen);
    }
    return out;
  }

  /** Someone else adds an employee or user before position `start` while a list is read (busy profile). */
  private insertWhilePaging(hub: Hub, start: number): void {
    const busy = this.options.busy;
    if (!busy || (hub.name !== "employees" && hub.name !== "users") || !busy.insertsNow(start)) return;
    const map = this.mapOf(hub);
    const n = busy.inserted;
    const rec: Rec =
      hub.name === "employees"
        ? {
            Employee: `ZB${String(n).padStart(4, "0")}`,
            FirstName: "Hired",
            LastName: `Meanwhile ${n}`,
            EMail: `hired.meanwhile${n}@elsewhere.example`,
            Status: "A",
          }
        : {
            Username: `added.meanwhile${n}`,
            Employee: "",
            Status: "A",
            DisplayUsername: `added.meanwhile${n}`,
          };
    const key = this.keyOf(hub, String(rec[hub.keyField]));
    if (map.has(key)) return;
    const entries = [...map.entries()];
    entries.splice(busy.positionBelow(Math.min(start, entries.length)), 0, [key, rec]);
    map.clear();
    for (const [k, v] of entries) map.set(k, v);
  }

  list(res: http.ServerResponse, hub: Hub, url: URL): void {
    const busy = this.options.busy;
    const offsetParam = [...url.searchParams.keys()].find((x) => x.toLowerCase() === "offset");
    if (busy)
      this.insertWhilePaging(
        hub,
        Math.max(0, Number(offsetParam ? url.searchParams.get(offsetParam) : 0) || 0),
      );
    let rows = this.readable(hub);
    // The API's view of each record (filters and order may look at its computed fields); a plain page only needs
    // the view of the rows it returns.
    const filters = filtersOf(url);
    const viewed = filters.length > 0 || url.searchParams.has("order");
    if (viewed) rows = rows.map((r) => this.view(hub, r));
    for (const [i, f] of filters.entries()) {
      const opp = operatorOf(f.opp, this.profile);
      if (!opp)
        return this.reply.error(
          res,
          400,
          "The request is invalid.",
          `filterHash[${i}][opp] ${JSON.stringify(f.opp)} is not an operator; use ==, !=, >, <, >=, <=, like or in.`,
        );
      rows = rows.filter((r) => matches(r, { ...f, opp }));
    }
    const orderParam = url.searchParams.get("order");
    if (orderParam) {
      const order = orderOf(orderParam, this.profile);
      if (!order)
        return this.reply.error(
          res,
          400,
          "The request is invalid.",
          `order ${JSON.stringify(orderParam)} is not a column; use order=Column (ascending) or order=Column_D (descending).`,
        );
      const { field, sign } = order;
      const hit = (r: Rec) => Object.keys(r).find((k) => k.toLowerCase() === field.toLowerCase()) ?? field;
      rows.sort((x, y) => sign * String(x[hit(x)] ?? "").localeCompare(String(y[hit(y)] ?? "")));
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
    const slice = rows.slice(start, start + size);
    const shown = (r: Rec) => project(viewed ? r : this.view(hub, r), fields);
    // A busy server fills pages by a byte budget: fewer rows than asked, a different count each page.
    const page = busy ? busy.fillPage((i) => shown(slice[i]), slice.length) : slice.map(shown);
    send(res, 200, page);
  }

  getOne(res: http.ServerResponse, hub: Hub, key: string, url: URL): void {
    const stored = this.storedKey(hub, key);
    const found = stored === undefined ? undefined : this.mapOf(hub).get(stored);
    const rec =
      found && stored !== undefined && this.options.busy
        ? this.options.busy.visible(hub.name, stored, found)
        : found;
    const fields = fieldFilterOf(url.searchParams.get("fieldFilter"));
    if (!rec && this.options.missingRecord === "404")
      return this.reply.error(res, 404, `${hub.keyField} ${key} was not found.`);
    send(res, 200, rec ? [project(this.view(hub, rec), fields)] : []);
  }

  create(res: http.ServerResponse, hub: Hub, body: unknown): void {
    const rec = oneRecord(body);
    if (!rec) return this.reply.error(res, 400, "The request is invalid.", "Expected one JSON record.");
    const map = this.mapOf(hub);
    if (hub.name === "employees") {
      if (!rec.Employee) {
        if (this.strict && (this.options.employeeKeys ?? "client") === "client")
          return this.reply.error(res, 400, "The request is invalid.", "Employee is required.");
        rec.Employee = `${this.nextEmployeeKey()}`;
      }
      if (this.strict) {
        const missing = (this.options.requiredEmployeeFields ?? []).filter(
          (f) => rec[f] === undefined || rec[f] === null || String(rec[f]).trim() === "",
        );
        if (missing.length)
          return this.reply.error(res, 400, "The request is invalid.", `${missing.join(", ")} is required.`);
      }
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
      rec.Type ??= "Accounting";
      rec[connectPermissionField(this.options.version ?? "7.0")] ??= "N";
    }
    const key = rec[hub.keyField];
    if (typeof key !== "string" || !key) return this.reply.error(res, 400, `${hub.keyField} is required.`);
    if (this.storedKey(hub, key) !== undefined)
      return this.reply.error(res, 400, `A record with ${hub.keyField} ${key} already exists.`);
    const problem = this.validate(hub, rec);
    if (problem) return this.reply.error(res, 400, "The request is invalid.", problem);
    map.set(this.keyOf(hub, key), rec);
    this.options.busy?.created(hub.name, this.keyOf(hub, key));
    this.onAccepted();
    const out = this.view(hub, rec);
    if (hub.name === "apiAuthorizations") out.ClientSecret = rec.ClientSecret; // shown once
    // Deltek "Responses": POST answers 201 with a Location header naming the new record.
    this.reply.write(res, 201, out, this.strict ? { Location: this.locationOf(hub, key) } : {});
  }

  update(res: http.ServerResponse, hub: Hub, key: string, body: unknown): void {
    const stored = this.storedKey(hub, key);
    const rec = stored === undefined ? undefined : this.mapOf(hub).get(stored);
    if (!rec) return this.reply.error(res, 404, `${hub.keyField} ${key} was not found.`);
    const changes = oneRecord(body);
    if (!changes) return this.reply.error(res, 400, "The request is invalid.", "Expected one JSON record.");
    delete changes[hub.keyField];
    if (hub.name === "apiAuthorizations") delete changes.ClientSecret;
    if (hub.name === "roles" && this.options.unknownRoleFields === "ignore")
      this.dropUnknownRoleFields(changes);
    const merged = { ...rec, ...changes };
    const problem = this.validate(hub, merged);
    if (problem) return this.reply.error(res, 400, "The request is invalid.", problem);
    this.options.busy?.updating(hub.name, stored!, rec);
    Object.assign(rec, changes);
    this.onAccepted();
    this.reply.write(res, 200, this.view(hub, rec));
  }

  /** A server that ignores fields its role model does not have: they are dropped from the write. */
  private dropUnknownRoleFields(changes: Rec): void {
    const permission = connectPermissionField(this.options.version ?? "7.0");
    for (const field of Object.keys(changes))
      if (!["Role", "Description", "Type", permission].includes(field)) delete changes[field];
  }

  remove(res: http.ServerResponse, hub: Hub, key: string): void {
    const stored = this.storedKey(hub, key);
    if (stored === undefined || !this.mapOf(hub).delete(stored))
      return this.reply.error(res, 404, `${hub.keyField} ${key} was not found.`);
    this.onAccepted();
    send(res, 204, undefined);
  }
}
