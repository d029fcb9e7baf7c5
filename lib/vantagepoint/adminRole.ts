/**
 * The role that configures Connect (P3): it grants Connect's permission and, from 7.0, is of type Administrator.
 * No public REST source documents security roles (docs/reliability.md): the path is configurable, the field
 * names are the emulator's and this module's best reading of the Roles form, and a server without the endpoint
 * gets the manual steps. Writes are additive only: a role's type may be several at once (Accounting,
 * Administrator, CRM per Deltek's CRM documentation), so Administrator is added to the set, never written
 * alone, and no other permission is sent. No Pulumi import.
 */
import type { VantagepointClient } from "./client";
import { VantagepointError } from "./errors";
import type { RoleRecord } from "./types";

/** major.minor compared numerically: "2025.1" >= "7.0" >= "5.0" >= "3.5". */
export function versionAtLeast(version: string, min: string): boolean {
  const [a = 0, b = 0] = String(version).split(".").map(Number);
  const [c = 0, d = 0] = min.split(".").map(Number);
  return a > c || (a === c && b >= d);
}

/**
 * The role permission Connect needs: "Connect" from 7.0 (Deltek's help: the role must have Connect selected under
 * Utilities > Integrations > Connect), "ConnectAdministration" before ("Connect Administration"). UNVERIFIED field
 * names (no public REST source).
 */
export function connectPermissionField(version: string): "Connect" | "ConnectAdministration" {
  return versionAtLeast(version, "7.0") ? "Connect" : "ConnectAdministration";
}

/** The role's types as a set (the API may send "Accounting,CRM"; separators , ; | accepted). */
export function roleTypesOf(type: unknown): string[] {
  if (Array.isArray(type))
    return type
      .map(String)
      .map((t) => t.trim())
      .filter(Boolean);
  if (typeof type !== "string") return [];
  return type
    .split(/[,;|]/)
    .map((t) => t.trim())
    .filter(Boolean);
}

/** The manual steps, for servers without a role endpoint. */
export function manualRoleSteps(role: string, requireAdministratorType: boolean): string {
  return [
    `Do it by hand in Vantagepoint for role "${role}":`,
    `before 7.0: Settings > Security > Roles > ${role} > Overview tab > Utilities > Integrations: tick "Connect Administration";`,
    `7.0 and later: Settings > Security > Roles > ${role} > Utilities > Integrations > Connect: select Connect` +
      (requireAdministratorType
        ? `, and add Administrator to the role's types (keep the types it has).`
        : "."),
  ].join(" ");
}

export class RoleEndpointUnavailableError extends Error {
  constructor(role: string, requireAdministratorType: boolean, path: string, status?: number) {
    super(
      `Roles are not available through the API on this server (${status ?? "no reply"} on ${path}; the path is configurable as connection.paths.roles). ${manualRoleSteps(role, requireAdministratorType)}`,
    );
    this.name = "RoleEndpointUnavailableError";
  }
}

export interface AdminRoleState {
  connectAdministration: boolean;
  /** The types joined with "," (e.g. "Accounting,Administrator"). */
  roleType: string;
  /** The types as a set. */
  roleTypes?: string[];
  available: boolean;
  exists: boolean;
}

function unavailable(e: unknown): boolean {
  return e instanceof VantagepointError && (e.status === 404 || e.status === 405 || e.status === 501);
}

/** Is the Connect permission granted: the version's field, else the other spelling when only it is present. */
function granted(rec: RoleRecord, field: string): boolean {
  const other = field === "Connect" ? "ConnectAdministration" : "Connect";
  const value = rec[field] !== undefined ? rec[field] : rec[other];
  return value === "Y";
}

/** Reads the role. Throws RoleEndpointUnavailableError when the server has no role endpoint. */
export async function readAdminRole(
  client: VantagepointClient,
  role: string,
  requireAdministratorType = true,
  version = "7.0",
): Promise<AdminRoleState> {
  const rec = await onRoleEndpoint(client, role, requireAdministratorType, () =>
    client.getOne<RoleRecord>(client.paths.roles, role),
  );
  if (!rec)
    return { connectAdministration: false, roleType: "", roleTypes: [], available: true, exists: false };
  const types = roleTypesOf(rec.Type);
  return {
    connectAdministration: granted(rec, connectPermissionField(version)),
    roleType: types.join(","),
    roleTypes: types,
    available: true,
    exists: true,
  };
}

/** The fields to write so the role grants Connect (and is of type Administrator when asked): additions only. */
export function adminRoleChanges(
  now: AdminRoleState,
  requireAdministratorType: boolean,
  version: string,
): Record<string, string> {
  const fields: Record<string, string> = {};
  if (!now.connectAdministration) fields[connectPermissionField(version)] = "Y";
  const types = now.roleTypes ?? roleTypesOf(now.roleType);
  if (requireAdministratorType && !types.some((t) => t.toLowerCase() === "administrator"))
    fields.Type = [...types, "Administrator"].join(",");
  return fields;
}

/** Makes the role grant Connect (and Administrator type when asked). One write at most, additive only. */
export async function ensureAdminRole(
  client: VantagepointClient,
  role: string,
  requireAdministratorType: boolean,
  version = "7.0",
): Promise<AdminRoleState & { writes: number }> {
  const now = await readAdminRole(client, role, requireAdministratorType, version);
  if (!now.exists) {
    throw new Error(
      `Role "${role}" does not exist in Vantagepoint. Create it in Settings > Security > Roles (or set role to an existing one), then run again.`,
    );
  }
  const fields = adminRoleChanges(now, requireAdministratorType, version);
  if (!Object.keys(fields).length) return { ...now, writes: 0 };
  await onRoleEndpoint(client, role, requireAdministratorType, () =>
    client.update(client.paths.roles, role, fields),
  );
  const types = fields.Type ? roleTypesOf(fields.Type) : (now.roleTypes ?? []);
  return {
    connectAdministration: true,
    roleType: types.join(","),
    roleTypes: types,
    available: true,
    exists: true,
    writes: 1,
  };
}

/** Runs a call on the role endpoint; a server without it (404/405) becomes the "do it by hand" error. */
async function onRoleEndpoint<T>(
  client: VantagepointClient,
  role: string,
  requireAdministratorType: boolean,
  call: () => Promise<T>,
): Promise<T> {
  try {
    return await call();
  } catch (e) {
    if (unavailable(e))
      throw new RoleEndpointUnavailableError(
        role,
        requireAdministratorType,
        `${client.paths.roles}/${role}`,
        (e as VantagepointError).status,
      );
    throw e;
  }
}
