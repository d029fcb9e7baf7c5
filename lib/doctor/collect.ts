/**
 * Reads what the doctor needs from a live Vantagepoint, read-only: the token grant (POST /token) and GETs
 * of users, employees, roles and API Authorizations. Nothing here writes: it only calls `authenticate`,
 * `list` and `getOne` (through the lib/vantagepoint readers). No Pulumi import.
 */
import {
  ApiAuthorizationUnavailableError,
  findApiAuthorizationById,
  findApiAuthorizations,
} from "../vantagepoint/apiClient";
import { readAdminRole, RoleEndpointUnavailableError } from "../vantagepoint/adminRole";
import type { RoleModel } from "../vantagepoint/roleModel";
import type { VantagepointClient } from "../vantagepoint/client";
import { VantagepointError } from "../vantagepoint/errors";
import { idKey, sameId } from "../vantagepoint/identifiers";
import { EMPLOYEE_FIELDS, USER_FIELDS } from "../vantagepoint/rosterSync";
import type { EmployeeRecord, UserRecord } from "../vantagepoint/types";
import {
  allCouldNotCheck,
  checkAdminRole,
  checkApiClient,
  checkConfigurer,
  checkConnectUsers,
  checkLoginConfig,
  indexPeople,
} from "./checks";
import type {
  ApiClientRead,
  LoginConfigRead,
  LoginExpectation,
  PeopleRead,
  PersonRef,
  RoleObservation,
} from "./checks";
import { doctorExitCode, failedRead } from "./model";
import type { DoctorCause, DoctorCheck, DoctorReport } from "./model";

/** The part of VantagepointClient the doctor uses: reads only. */
export type ReadOnlyClient = Pick<
  VantagepointClient,
  "authenticate" | "list" | "getOne" | "get" | "paths" | "redact" | "counters"
>;

export interface DoctorInputs {
  /** Roles named explicitly (--admin-role, the stack's vantagepoint.adminRole). */
  adminRole?: string;
  /** Vantagepoint 7.0 and later: the Connect role must be of type Administrator. */
  requireAdministratorType: boolean;
  /** The Vantagepoint version given (--vantagepoint-version, the stack); left out, the role record tells. */
  version?: string;
  configurer?: PersonRef;
  /** The Connect users (configurer excluded); undefined: every active user. */
  roster?: PersonRef[];
  /** The user doctor signs in as. */
  apiUser: string;
  /** Name of the Connect API Authorization (a hint). */
  connectClientName: string;
  /** Its Client ID (vantagepoint.connectApiClient.clientId): what identifies it, read with one GET. */
  connectClientId?: string;
  /** What the stack manages for login: when given, P7 reads LoginConfig for `database` (read-only). */
  login?: LoginExpectation & { database: string };
  adoptedFingerprint?: string;
}

/** A reason fit for people: the error's message, secrets removed. */
export function reasonOf(client: Pick<ReadOnlyClient, "redact">, error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return client.redact(text);
}

/** What the checks learnt about the server besides findings: the role model used (version and how it is known). */
export interface DoctorSeen {
  roleModel?: RoleModel;
}

/** Runs the four checks against the server behind `client`; `seen` receives the role model used. */
export async function runDoctorChecks(
  client: ReadOnlyClient,
  inputs: DoctorInputs,
  seen: DoctorSeen = {},
): Promise<DoctorCheck[]> {
  const signIn = performance.now();
  try {
    await client.authenticate();
  } catch (error) {
    const durationMs = performance.now() - signIn;
    return allCouldNotCheck(
      `the token grant failed, so nothing could be read: ${reasonOf(client, error)}`,
    ).map((c) => ({ ...c, cause: "sign-in" as const, durationMs }));
  }

  // Each hub is read once (the probe is the read itself); a missing one is reported, the others still checked.
  const [[people, peopleMs], [apiRead, apiMs], [loginRead, loginMs]] = await Promise.all([
    timed(() => readPeople(client)),
    timed(() => readApiAuthorizations(client, inputs)),
    timed(() => (inputs.login ? readLoginConfig(client, inputs.login.database) : Promise.resolve(undefined))),
  ]);
  const rolesStarted = performance.now();
  let roleCause: DoctorCause | undefined;

  // P3 looks at the named admin role and at the configurer's own role, when they differ.
  const roles: Array<{ role: string; because: string }> = [];
  if (inputs.adminRole) roles.push({ role: inputs.adminRole, because: "the admin role" });
  const configurerUser = inputs.configurer && people.index?.users.get(idKey(inputs.configurer.userId));
  const configurerRole = typeof configurerUser?.Role === "string" ? configurerUser.Role.trim() : "";
  if (configurerRole && !roles.some((r) => sameId(r.role, configurerRole))) {
    roles.push({ role: configurerRole, because: `the role of configurer ${configurerUser!.Username}` });
  }
  const observations: RoleObservation[] = [];
  for (const r of roles) {
    try {
      observations.push({
        ...r,
        state: await readAdminRole(
          client as VantagepointClient,
          r.role,
          inputs.requireAdministratorType,
          inputs.version,
        ),
      });
      seen.roleModel ??= observations[observations.length - 1]?.state?.model;
    } catch (error) {
      const unavailable = error instanceof RoleEndpointUnavailableError;
      roleCause = unavailable ? "unavailable" : "read-failed";
      observations.push({
        ...r,
        problem: unavailable
          ? error.message
          : `role "${r.role}" could not be read: ${reasonOf(client, error)}`,
      });
      if (unavailable) break; // the same for every role
    }
  }
  const noRole =
    roles.length === 0
      ? "no role to check: pass --admin-role ROLE, or --configurer USERID (their user's role is checked), or --stack NAME"
      : undefined;

  const rolesMs = performance.now() - rolesStarted;
  // Why a check could not run, for the exit code: no role because the people could not be read is a failed read.
  const noRoleCause: DoctorCause = inputs.configurer && people.cause ? people.cause : "input";
  return [
    withCause(
      checkAdminRole(observations, inputs.requireAdministratorType, noRole),
      roleCause ?? (noRole ? noRoleCause : undefined),
      peopleMs + rolesMs,
    ),
    withCause(checkConfigurer(people, inputs.configurer), people.cause ?? "input", peopleMs),
    withCause(
      checkConnectUsers(people, {
        roster: inputs.roster,
        apiUser: inputs.apiUser,
        configurer: inputs.configurer,
      }),
      people.cause,
      peopleMs,
    ),
    withCause(
      checkApiClient(apiRead, inputs.connectClientName, inputs.adoptedFingerprint),
      apiRead.cause,
      apiMs,
    ),
    ...(inputs.login && loginRead
      ? [withCause(checkLoginConfig(loginRead, inputs.login), loginRead.cause, loginMs)]
      : []),
  ];
}

/** The check with its cause (when it could not run) and the time its reads took. */
function withCause(check: DoctorCheck, cause: DoctorCause | undefined, durationMs: number): DoctorCheck {
  return {
    ...check,
    ...(check.status === "could-not-check" ? { cause: cause ?? "read-failed" } : {}),
    durationMs,
  };
}

async function timed<T>(run: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const value = await run();
  return [value, performance.now() - started];
}

/** Why a read failed: the endpoint does not exist on this server (a manual step), or anything else. */
function causeOf(error: unknown): DoctorCause {
  return error instanceof VantagepointError && error.kind === "unavailable" ? "unavailable" : "read-failed";
}

/** GET /LoginConfig/{database}, else /LoginConfig (read-only; one open-source client documents both). */
export async function readLoginConfig(
  client: ReadOnlyClient,
  database: string,
): Promise<LoginConfigRead & { cause?: DoctorCause }> {
  const pick = (reply: unknown): Record<string, unknown> | undefined => {
    const rows = Array.isArray(reply) ? reply : [reply];
    const hit = rows.find(
      (r) =>
        r &&
        typeof r === "object" &&
        (!("database" in r) ||
          String((r as Record<string, unknown>).database).toLowerCase() === database.toLowerCase()),
    );
    return hit && typeof hit === "object" ? (hit as Record<string, unknown>) : undefined;
  };
  let lastError: unknown;
  for (const path of [`/LoginConfig/${encodeURIComponent(database)}`, "/LoginConfig"]) {
    try {
      const config = pick(await client.get(path));
      if (config) return { config };
    } catch (error) {
      lastError = error;
      if (!(error instanceof VantagepointError && error.kind === "unavailable")) break;
    }
  }
  return {
    cause: lastError ? causeOf(lastError) : "unavailable",
    problem: `LoginConfig could not be read (${lastError ? reasonOf(client, lastError) : "no settings for this database"}); check by hand in Settings > General > Options, Active Directory that Entra ID login, the tenant and the Server Client ID are the ones this stack manages`,
  };
}

async function readPeople(client: ReadOnlyClient): Promise<PeopleRead & { cause?: DoctorCause }> {
  try {
    const [users, employees] = await Promise.all([
      client.list<UserRecord>(client.paths.users, { fieldFilter: USER_FIELDS }),
      client.list<EmployeeRecord>(client.paths.employees, { fieldFilter: EMPLOYEE_FIELDS }),
    ]);
    return { index: indexPeople(users, employees) };
  } catch (error) {
    const unavailable = error instanceof VantagepointError && error.kind === "unavailable";
    return {
      cause: causeOf(error),
      problem: unavailable
        ? `users or employees are not available through the API on this server (${reasonOf(client, error)}); check the people by hand in the Employees hub and Settings > Security > Users (the paths are configurable as connection.paths.users and connection.paths.employees)`
        : `users and employees could not be read: ${reasonOf(client, error)}`,
    };
  }
}

async function readApiAuthorizations(
  client: ReadOnlyClient,
  inputs: DoctorInputs,
): Promise<ApiClientRead & { cause?: DoctorCause }> {
  try {
    if (inputs.connectClientId) {
      const hit = await findApiAuthorizationById(
        client as VantagepointClient,
        inputs.connectClientId,
        inputs.connectClientName,
      );
      return { hits: hit ? [hit] : [] };
    }
    return { hits: await findApiAuthorizations(client as VantagepointClient, inputs.connectClientName) };
  } catch (error) {
    if (error instanceof ApiAuthorizationUnavailableError)
      return { cause: "unavailable", problem: client.redact(error.message) };
    return {
      cause: causeOf(error),
      problem: `API Authorizations could not be read: ${reasonOf(client, error)}`,
    };
  }
}

/** Builds the report from the checks. */
export function buildDoctorReport(args: {
  checks: DoctorCheck[];
  target: DoctorReport["target"];
  connectUsers: DoctorReport["connectUsers"];
  strict: boolean;
  warnings?: string[];
  tool?: DoctorReport["tool"];
}): DoctorReport {
  const warnings = [...(args.warnings ?? [])];
  const unchecked = args.checks.filter((c) => c.status === "could-not-check");
  const readFailed = unchecked.filter(failedRead);
  const manual = unchecked.filter((c) => !readFailed.includes(c));
  if (readFailed.length > 0) {
    warnings.push(
      `${readFailed.map((c) => c.id).join(", ")} could not be checked because sign-in or a read failed; that never exits 0 (exit 3 unless something is broken)`,
    );
  }
  if (manual.length > 0) {
    warnings.push(
      `${manual.map((c) => c.id).join(", ")} could not be checked; ${args.strict ? "--strict makes that exit 1" : "that alone exits 0 (pass --strict to make it exit 1)"}`,
    );
  }
  return {
    tool: args.tool ?? { name: "vpconnect", version: "0.1.0" },
    target: args.target,
    connectUsers: args.connectUsers,
    strict: args.strict,
    checks: args.checks,
    warnings,
    exitCode: doctorExitCode(args.checks, args.strict),
  };
}
