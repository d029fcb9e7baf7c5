/** How a dynamic provider reaches Vantagepoint. password and clientSecret are Pulumi secrets. */
export interface VantagepointConnection {
  /** API root, https://host/vantagepoint/api (http only for loopback). */
  url: string;
  /** Vantagepoint database name sent with the token grant. */
  database: string;
  /** Vantagepoint user name for the password grant. */
  username: string;
  /** Password of that user (secret). */
  password: string;
  /** Client ID of the API Authorization used by this project. */
  clientId: string;
  /** Client secret of that API Authorization (secret). */
  clientSecret: string;
  /** Integrated=Y (Windows authentication). */
  integrated?: boolean;
  /** Override hub paths (roles and API authorizations are UNVERIFIED paths). */
  paths?: VantagepointPaths;
  /** Records per list call, default 500. */
  pageSize?: number;
  /**
   * How long, in ms, a write may stay invisible to reads (readable secondaries, caches), default 10 000: after a
   * lost reply the record is re-read for this long before the person is stopped with "re-run in a minute".
   */
  readLagMs?: number;
}

/** REST paths under the API root (the roles and API authorizations paths are UNVERIFIED in public docs). */
export interface VantagepointPaths {
  /** The employee hub (default "/employee"). */
  employees?: string;
  /** The user hub (default "/user"). */
  users?: string;
  /** Security roles (default "/security/role", UNVERIFIED). */
  roles?: string;
  /** API Authorizations (default "/apiauthorization", UNVERIFIED). */
  apiAuthorizations?: string;
}

export const DEFAULT_PATHS: Required<VantagepointPaths> = {
  employees: "/employee",
  users: "/user",
  roles: "/security/role",
  apiAuthorizations: "/apiauthorization",
};

export const DEFAULT_PAGE_SIZE = 500;

/** One person who will use Connect. */
export interface RosterEntry {
  /** Vantagepoint user ID (Users form). */
  userId: string;
  /** Email on the employee record; Connect matches mailboxes by it. */
  email: string;
  /** First name for a new employee record. */
  firstName: string;
  /** Last name for a new employee record. */
  lastName: string;
  /** Existing employee key to use (otherwise matched by linked user, then email). */
  employee?: string;
  /** Security role for the user; left out, a new user gets none set and an existing user keeps theirs. */
  role?: string;
  /** The person who configures Connect (needs the admin role). */
  configurer?: boolean;
}

export type EmployeeStatus = "A" | "I" | "T";
export type UserStatus = "A" | "I";

/** Employee record fields this project reads (PascalCase as the API spells them). */
export interface EmployeeRecord {
  Employee: string;
  FirstName?: string;
  LastName?: string;
  EMail?: string;
  Status?: string;
  [field: string]: unknown;
}

/** User record fields this project reads. */
export interface UserRecord {
  Username: string;
  Employee?: string;
  Status?: string;
  Role?: string;
  [field: string]: unknown;
}

export interface RoleRecord {
  Role: string;
  Description?: string;
  Type?: string;
  ConnectAdministration?: string;
  [field: string]: unknown;
}

export interface ApiAuthorizationRecord {
  ClientId: string;
  Name: string;
  ClientSecret?: string;
  CallbackUrl?: string;
  Scopes?: string;
  AllowPasswordGrant?: string;
  [field: string]: unknown;
}

/** What ConnectRoster reports per entry. */
export interface RosterPerson {
  userId: string;
  employee: string;
  email: string;
  employeeStatus: EmployeeStatus;
  userStatus: UserStatus;
  linked: boolean;
  role?: string;
  configurer?: boolean;
}
