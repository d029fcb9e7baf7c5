/**
 * The role that configures Connect (P3): it grants Connect's permission and, from 7.0, is of type Administrator.
 * No public REST source documents security roles (docs/reliability.md): the path is configurable, the field
 * names are the emulator's and this module's best reading of the Roles form, and a server without the endpoint
 * gets the manual steps. Writes are additive only: a role's type may be several at once (Accounting,
 * Administrator, CRM per Deltek's CRM documentation), so Administrator is added to the set, never written
 * alone, and no other permission is sent. Without a configured version the role record's own fields say which
 * role model the server has (roleModel.ts), so no field the server ignores is written. A role that is not there
 * while the roles collection answers does not exist (an error naming it); only a missing collection makes the
 * role endpoint "not available". After a write the role is read again: a write the server accepted but did not
 * keep is an error, never `connectAdministration: true`. No Pulumi import.
 */
import type { VantagepointClient } from "./client";
import { VantagepointError } from "./errors";
import { sameId } from "./identifiers";
import { roleModelOf, versionAtLeast } from "./roleModel";
import type { RoleModel } from "./roleModel";
import type { RoleRecord } from "./types";

export { versionAtLeast };

/**
 * The role permission Connect needs: "Connect" from 7.0 (Deltek's help: the role must have Connect selected under
 * Utilities > Integrations > Connect), "ConnectAdministration" before ("Connect Administration"). UNVERIFIED field
 * names (no public REST source).
 */
export function connectPermissionField(version: string): "Connect" | "ConnectAdministration" {
  return roleModelOf(undefined, version).permissionField;
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
  /** The role model used: the version, and whether it was configured, probed or assumed. */
  model?: RoleModel;
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

/** Does this role model ask for Administrator among the types (asked for, and 7.0 or later)? */
export function administratorTypeRequired(
  requireAdministratorType: boolean,
  model: RoleModel | undefined,
): boolean {
  return requireAdministratorType && (model ? model.administratorType : true);
}

/**
 * Reads the role. `version` left out: the role record's fields tell the role model (roleModel.ts). Throws
 * RoleEndpointUnavailableError when the server has no roles collection.
 */
export async function readAdminRole(
  client: VantagepointClient,
  role: string,
  requireAdministratorType = true,
  version?: string,
): Promise<AdminRoleState> {
  const rec = await onRoleEndpoint(client, role, requireAdministratorType, () =>
    client.getOne<RoleRecord>(client.paths.roles, role),
  );
  const model = roleModelOf(rec, version);
  if (!rec)
    return {
      connectAdministration: false,
      roleType: "",
      roleTypes: [],
      available: true,
      exists: false,
      model,
    };
  const types = roleTypesOf(rec.Type);
  return {
    connectAdministration: granted(rec, model.permissionField),
    roleType: types.join(","),
    roleTypes: types,
    available: true,
    exists: true,
    model,
  };
}

/**
 * The fields to write so the role grants Connect (and is of type Administrator when the model asks for it):
 * additions only, and only fields of the role model in use.
 */
export function adminRoleChanges(
  now: AdminRoleState,
  requireAdministratorType: boolean,
  version?: string,
): Record<string, string> {
  const model = version ? roleModelOf(undefined, version) : (now.model ?? roleModelOf(undefined, "7.0"));
  const fields: Record<string, string> = {};
  if (!now.connectAdministration) fields[model.permissionField] = "Y";
  const types = now.roleTypes ?? roleTypesOf(now.roleType);
  if (
    administratorTypeRequired(requireAdministratorType, model) &&
    !types.some((t) => sameId(t, "Administrator"))
  )
    fields.Type = [...types, "Administrator"].join(",");
  return fields;
}

/** The role does not exist while the roles collection answers: the error names it and the fix. */
export class RoleMissingError extends Error {
  constructor(role: string) {
    super(
      `Role "${role}" does not exist in Vantagepoint (the roles list answers; this role is not in it). Create it in Settings > Security > Roles, or set the role to an existing one (vantagepoint.adminRole), then run again.`,
    );
    this.name = "RoleMissingError";
  }
}

/**
 * Makes the role grant Connect (and Administrator type when the model asks). One write at most, additive only,
 * then one read to confirm the server kept it.
 */
export async function ensureAdminRole(
  client: VantagepointClient,
  role: string,
  requireAdministratorType: boolean,
  version?: string,
): Promise<AdminRoleState & { writes: number }> {
  const now = await readAdminRole(client, role, requireAdministratorType, version);
  if (!now.exists) throw new RoleMissingError(role);
  const fields = adminRoleChanges(now, requireAdministratorType, version);
  if (!Object.keys(fields).length) return { ...now, writes: 0 };
  // Never write under an assumed model: a 6.x server that leaves empty fields out of its reply looks like neither
  // model, and writing Connect and Type=...,Administrator to it would change the wrong fields.
  if (!version && (!now.model || now.model.source === "assumed")) {
    throw new Error(
      `Role ${role} needs ${Object.keys(fields).join(", ")}, but the Vantagepoint version could not be told from the role record (${now.model?.evidence ?? "no role model"}); nothing was written. Set vantagepoint.version to the site's version (e.g. "6.0" or "7.1"), then run again.`,
    );
  }
  await onRoleEndpoint(client, role, requireAdministratorType, () =>
    client.update(client.paths.roles, role, fields),
  );
  const after = await readAdminRole(client, role, requireAdministratorType, version ?? now.model?.version);
  const left = after.exists
    ? adminRoleChanges(after, requireAdministratorType, version ?? now.model?.version)
    : fields;
  if (Object.keys(left).length) {
    throw new Error(
      `The server accepted the write to role ${role} (${Object.keys(fields).join(", ")}) but did not keep ${Object.keys(left).join(", ")}: its role model is not the one used (${now.model ? `${now.model.label}, ${now.model.source}` : "unknown"}). Set vantagepoint.version to the server's version, or grant it by hand. ${manualRoleSteps(role, requireAdministratorType)}`,
    );
  }
  return { ...after, model: now.model, writes: 1 };
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
