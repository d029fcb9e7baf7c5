/** Seed data for the Vantagepoint API emulator: realistic, deterministic, with a few known flaws. */

export type Rec = Record<string, unknown>;

export interface EmulatorData {
  employees: Map<string, Rec>; // key: Employee (exact)
  users: Map<string, Rec>; // key: lower-case Username
  roles: Map<string, Rec>; // key: lower-case Role
  apiAuthorizations: Map<string, Rec>; // key: ClientId
  /** GET /LoginConfig/{database}: the database's login settings (read-only through the API). */
  loginConfig: Rec;
}

/** The Entra tenant and login app the emulator's LoginConfig points at (the dev stack's tenant). */
export const DEMO_LOGIN = {
  tenantId: "7d3c2b1a-4e5f-4a6b-8c9d-0e1f2a3b4c5d",
  serverClientId: "5e1f0c2d-7a3b-4c9d-8e6f-1a2b3c4d5e6f",
};

function defaultLoginConfig(database: string): Rec {
  return {
    database,
    winAuthDefault: "N",
    emailConfig: "N",
    WAADEnabled: "Y",
    Languages: ["en-US"],
    WAADSettings: { WAADTenant: DEMO_LOGIN.tenantId, WAADServerClientID: DEMO_LOGIN.serverClientId },
  };
}

export interface SeedOptions {
  /** Employees to seed (default 300). */
  employees?: number;
  /** Share of employees that get a user (default 0.6). */
  userShare?: number;
  /** Seed an existing "Vantagepoint Connect" API Authorization (default true). */
  connectApiAuthorization?: boolean;
  /** PRNG seed (default 42). */
  seed?: number;
  /** Vantagepoint version the roles look like (default "7.0"): from 7.0 the role permission is named "Connect". */
  version?: string;
}

/** Role types Deltek's CRM documentation lists; a role may be of one or more at once (stored comma-separated). */
export const ROLE_TYPES = ["Accounting", "Administrator", "CRM"] as const;

/** major.minor as a number pair compared lexically: "2025.1" > "7.0" > "5.0" > "3.5". */
export function versionAtLeast(version: string, min: string): boolean {
  const [a = 0, b = 0] = version.split(".").map(Number);
  const [c = 0, d = 0] = min.split(".").map(Number);
  return a > c || (a === c && b >= d);
}

/**
 * The role field that grants Connect's permission: "Connect" from 7.0 (the help's menu Utilities > Integrations >
 * Connect), "ConnectAdministration" before. UNVERIFIED field names: no public source documents role records.
 */
export function connectPermissionField(version: string): "Connect" | "ConnectAdministration" {
  return versionAtLeast(version, "7.0") ? "Connect" : "ConnectAdministration";
}

export const CONNECT_API_NAME = "Vantagepoint Connect";
export const CONNECT_CLIENT_ID = "c0nnect0-0000-4000-8000-000000000006";

/** Demo credentials accepted by the emulator's token endpoint. */
export const DEMO_CREDENTIALS = {
  username: "VPCONNECT",
  password: "demo-Password-1!",
  database: "VP_DEMO",
  clientId: "vpconnect-iac-client",
  clientSecret: "demo-client-secret-0f9a",
};

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = [
  "Anna",
  "Ben",
  "Carla",
  "David",
  "Elena",
  "Farid",
  "Grace",
  "Hiro",
  "Ines",
  "Jonas",
  "Kara",
  "Liam",
  "Maya",
  "Noah",
  "Olga",
  "Pablo",
  "Quinn",
  "Rosa",
  "Sam",
  "Tara",
  "Umar",
  "Vera",
  "Will",
  "Xia",
  "Yusuf",
  "Zoë",
  "José",
  "Åsa",
  "Chloé",
  "Bjørn",
];
const LAST = [
  "Smith",
  "Jones",
  "García",
  "Müller",
  "Nguyen",
  "Okafor",
  "Rossi",
  "Tanaka",
  "Kowalski",
  "Dubois",
  "O'Brien",
  "Silva",
  "Johansson",
  "Novak",
  "Patel",
  "Kim",
  "Lopez",
  "Schmidt",
  "Brown",
  "Wilson",
];
const ORGS = ["01:NY:ENG", "01:NY:ARC", "01:CHI:ENG", "02:LON:PM", "01:NY:ADM"];
const TITLES = [
  "Engineer",
  "Architect",
  "Project Manager",
  "Principal",
  "Accountant",
  "Designer",
  "Coordinator",
];

function ascii(s: string): string {
  return s
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/ø/g, "o")
    .replace(/[^A-Za-z]/g, "");
}

/** Extra columns so a full record is heavy, as on a real server (fieldFilter matters). */
function filler(i: number): Rec {
  const r: Rec = {};
  for (let f = 1; f <= 30; f++)
    r[`CustomField${String(f).padStart(2, "0")}`] = f % 3 === 0 ? null : `value ${i}-${f}`;
  return r;
}

export function employeeKey(n: number): string {
  return String(n).padStart(5, "0");
}

export function makeEmployee(n: number, first: string, last: string, email: string, status: string): Rec {
  return {
    Employee: employeeKey(n),
    FirstName: first,
    LastName: last,
    PreferredName: "",
    EMail: email,
    Status: status,
    Org: ORGS[n % ORGS.length],
    Title: TITLES[n % TITLES.length],
    Supervisor: n > 10 ? employeeKey(1 + (n % 10)) : "",
    HireDate: `20${String(10 + (n % 14)).padStart(2, "0")}-0${1 + (n % 9)}-15T00:00:00`,
    TerminationDate: status === "T" ? "2024-03-31T00:00:00" : null,
    EmployeeCompany: "01",
    HomeCompany: "01",
    Type: "E",
    ...filler(n),
  };
}

/** Builds the seed data. Deterministic for a given seed. */
export function buildSeed(options: SeedOptions = {}): EmulatorData {
  const rand = mulberry32(options.seed ?? 42);
  const count = options.employees ?? 300;
  const userShare = options.userShare ?? 0.6;
  const data: EmulatorData = {
    employees: new Map(),
    users: new Map(),
    roles: new Map(),
    apiAuthorizations: new Map(),
    loginConfig: defaultLoginConfig(DEMO_CREDENTIALS.database),
  };
  const usedEmails = new Set<string>();
  const usedUsers = new Set<string>();
  for (let n = 1; n <= count; n++) {
    const first = FIRST[Math.floor(rand() * FIRST.length)];
    const last = LAST[Math.floor(rand() * LAST.length)];
    let email = `${ascii(first).toLowerCase()}.${ascii(last).toLowerCase()}@example.com`;
    for (let k = 2; usedEmails.has(email); k++)
      email = `${ascii(first).toLowerCase()}.${ascii(last).toLowerCase()}${k}@example.com`;
    const r = rand();
    const status = r < 0.05 ? "I" : r < 0.09 ? "T" : "A";
    const noEmail = rand() < 0.08;
    if (!noEmail) usedEmails.add(email);
    const emp = makeEmployee(n, first, last, noEmail ? "" : email, status);
    data.employees.set(emp.Employee as string, emp);
    if (rand() < userShare) {
      // FIRST.LAST, as many sites name users (the stacks' examples use initial + last name, so they never
      // collide by accident with a seeded person; collisions are tested on purpose in test/reliability).
      let username = `${ascii(first)}.${ascii(last)}`.toUpperCase();
      for (let k = 2; usedUsers.has(username.toLowerCase()); k++)
        username = `${ascii(first)}.${ascii(last)}${k}`.toUpperCase();
      usedUsers.add(username.toLowerCase());
      data.users.set(username.toLowerCase(), {
        Username: username,
        DisplayUsername: `${first} ${last}`,
        Employee: emp.Employee,
        Status: status === "A" ? "A" : "I",
        Role: n === 1 ? "ADMIN" : n % 7 === 0 ? "PM" : "DEFAULT",
      });
    }
  }
  // Users with no employee: service accounts and leftovers.
  for (const name of ["SVC_REPORTS", "SVC_INTEGRATION", "TEMPUSER"]) {
    data.users.set(name.toLowerCase(), {
      Username: name,
      DisplayUsername: name,
      Employee: "",
      Status: "A",
      Role: "DEFAULT",
    });
  }
  data.users.set(DEMO_CREDENTIALS.username.toLowerCase(), {
    Username: DEMO_CREDENTIALS.username,
    DisplayUsername: "Connect automation",
    Employee: "",
    Status: "A",
    Role: "ADMIN",
  });
  const permission = connectPermissionField(options.version ?? "7.0");
  const roles: Array<[string, string, string, "Y" | "N"]> = [
    ["ADMIN", "Administrators", "Administrator,Accounting", "Y"],
    ["DEFAULT", "Default role", "Accounting", "N"],
    ["PM", "Project managers", "Accounting,CRM", "N"],
    ["CONNECTADMIN", "Configures Connect", "Accounting,CRM", "N"],
    ["CONNECT", "Vantagepoint Connect users", "CRM", "N"],
  ];
  for (const [role, description, type, grant] of roles)
    data.roles.set(role.toLowerCase(), {
      Role: role,
      Description: description,
      Type: type,
      [permission]: grant,
    });
  const auths: Rec[] = [
    {
      ClientId: "d7e1a2b4-1111-4c3d-9e8f-0a1b2c3d4e51",
      Name: "Deltek Touch",
      ClientSecret: "touch-secret-kept-by-server",
      CallbackUrl: "https://touch.deltek.com/callback",
      Scopes: "Match Role Access",
      AllowPasswordGrant: "N",
    },
    {
      ClientId: "b1f0c9d8-2222-4a5b-8c7d-1e2f3a4b5c62",
      Name: "Power BI Connector",
      ClientSecret: "powerbi-secret-kept-by-server",
      CallbackUrl: "",
      Scopes: "Match Role Access",
      AllowPasswordGrant: "Y",
    },
    {
      ClientId: DEMO_CREDENTIALS.clientId,
      Name: "vpconnect automation",
      ClientSecret: DEMO_CREDENTIALS.clientSecret,
      CallbackUrl: "",
      Scopes: "Match Role Access",
      AllowPasswordGrant: "Y",
    },
  ];
  if (options.connectApiAuthorization ?? true) {
    auths.push({
      ClientId: CONNECT_CLIENT_ID,
      Name: CONNECT_API_NAME,
      ClientSecret: "connect-secret-kept-by-server",
      CallbackUrl: "https://connect.deltekfirst.com/oauth/callback",
      Scopes: "Match Role Access",
      AllowPasswordGrant: "Y",
    });
  }
  for (const a of auths) data.apiAuthorizations.set(String(a.ClientId), a);
  return data;
}

export function cloneData(d: EmulatorData): EmulatorData {
  const copy = (m: Map<string, Rec>) => new Map([...m].map(([k, v]) => [k, { ...v }]));
  return {
    employees: copy(d.employees),
    users: copy(d.users),
    roles: copy(d.roles),
    apiAuthorizations: copy(d.apiAuthorizations),
    loginConfig: JSON.parse(JSON.stringify(d.loginConfig)) as Rec,
  };
}

export type BrokenState =
  | "roleWithoutConnectAdmin"
  | "usersWithoutEmployee"
  | "duplicateEmails"
  | "terminatedEmployees"
  | "employeesWithoutEmail"
  | "connectApiAuthMissing"
  | "connectApiAuthEdited";

/** Breaks the data the way Deltek support topics describe; returns the keys it touched per kind. */
export function applyBrokenStates(
  data: EmulatorData,
  kinds: readonly BrokenState[],
): Record<string, string[]> {
  const touched: Record<string, string[]> = {};
  const linkedActive = [...data.users.values()].filter(
    (u) => u.Employee && u.Status === "A" && data.employees.get(String(u.Employee))?.Status === "A",
  );
  for (const kind of kinds) {
    const keys: string[] = [];
    switch (kind) {
      case "roleWithoutConnectAdmin": {
        for (const r of data.roles.values()) {
          if (r.Role === "ADMIN" || r.Role === "CONNECTADMIN") {
            for (const field of ["Connect", "ConnectAdministration"]) if (field in r) r[field] = "N";
            r.Type = "Accounting,CRM";
            keys.push(String(r.Role));
          }
        }
        break;
      }
      case "usersWithoutEmployee": {
        for (const u of linkedActive.slice(0, 3)) {
          u.Employee = "";
          keys.push(String(u.Username));
        }
        break;
      }
      case "duplicateEmails": {
        const emps = [...data.employees.values()].filter((e) => e.EMail && e.Status === "A");
        if (emps.length >= 3) {
          emps[1].EMail = emps[0].EMail;
          emps[2].EMail = String(emps[0].EMail).toUpperCase();
          keys.push(String(emps[0].Employee), String(emps[1].Employee), String(emps[2].Employee));
        }
        break;
      }
      case "terminatedEmployees": {
        for (const u of linkedActive.slice(3, 5)) {
          const e = data.employees.get(String(u.Employee));
          if (e) {
            e.Status = "T";
            e.TerminationDate = "2025-01-31T00:00:00";
            keys.push(String(e.Employee));
          }
        }
        break;
      }
      case "employeesWithoutEmail": {
        for (const u of linkedActive.slice(5, 7)) {
          const e = data.employees.get(String(u.Employee));
          if (e) {
            e.EMail = "";
            keys.push(String(e.Employee));
          }
        }
        break;
      }
      case "connectApiAuthMissing": {
        for (const [id, a] of data.apiAuthorizations) {
          if (a.Name === CONNECT_API_NAME) {
            data.apiAuthorizations.delete(id);
            keys.push(id);
          }
        }
        break;
      }
      case "connectApiAuthEdited": {
        for (const a of data.apiAuthorizations.values()) {
          if (a.Name === CONNECT_API_NAME) {
            a.AllowPasswordGrant = "N";
            a.CallbackUrl = "https://tidied-up.example.com/";
            keys.push(String(a.ClientId));
          }
        }
        break;
      }
    }
    touched[kind] = keys;
  }
  return touched;
}
