/**
 * The emulator's hubs described (moved from emulator/hubs.ts): their names, paths and key fields, the profiles
 * and the options the hub handlers read.
 */
import type { BusyServer } from "./busy";

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

/**
 * "strict": as Deltek documents it; "lenient": the forgiving stand-in of earlier releases; "busy": strict, and
 * behaving like a busy production server (emulator/busy.ts).
 */
export type EmulatorProfile = "strict" | "lenient" | "busy";

export interface HubOptions {
  /** Largest page the server returns (default 10 000). */
  maxPageSize?: number;
  /**
   * "strict" (default) behaves as Deltek documents it: an employee create needs its key unless the site numbers
   * them, creates answer 201 with Location, filterHash operators are symbols, order is `Field` / `Field_D`, role
   * types are a set and unknown role fields are refused. "lenient" is the forgiving stand-in of earlier releases.
   */
  profile?: EmulatorProfile;
  /** Who keys new employees: "client" (strict default: a create without Employee is refused) or "server". */
  employeeKeys?: "client" | "server";
  /** Employee fields a create must carry besides the key (default none), e.g. ["Org", "EmployeeCompany"]. */
  requiredEmployeeFields?: string[];
  /** Vantagepoint version (default "7.0"): the role permission field follows it. */
  version?: string;
  /**
   * A GET of one record that does not exist answers "empty" (default: `[]`) or "404", as busy production servers
   * may ("Not found can be a 404", reference "What busy production servers do"). The list still answers.
   */
  missingRecord?: "empty" | "404";
  /**
   * Every key compares as SQL Server's default collation does (case-insensitive, trailing spaces ignored):
   * employee keys, Client IDs and a user's employee link too, not only user names and roles (default false).
   */
  caseInsensitiveKeys?: boolean;
  /**
   * A role write with a field this version's role model does not have: "refuse" (strict default: 400) or
   * "ignore" (the write answers 200 and the field is dropped, as a server that ignores unknown fields does).
   */
  unknownRoleFields?: "refuse" | "ignore";
  /** The busy profile's state (set when profile is "busy"). */
  busy?: BusyServer;
}
