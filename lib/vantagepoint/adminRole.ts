/** The role that configures Connect: Connect Administration (and Administrator type on 7.0+). No Pulumi import. */
import type { VantagepointClient } from "./client";
import { VantagepointError } from "./errors";
import type { RoleRecord } from "./types";

/** The manual steps, for servers without a role endpoint. */
export function manualRoleSteps(role: string, requireAdministratorType: boolean): string {
  return [
    `Do it by hand in Vantagepoint for role "${role}":`,
    `before 7.0: Settings > Security > Roles > ${role} > Overview tab > Utilities > Integrations: tick "Connect Administration";`,
    `7.0 and later: Settings > Security > Roles > ${role} > Utilities > Integrations > Connect: grant access` +
      (requireAdministratorType ? `, and set the role type to Administrator.` : "."),
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
  roleType: string;
  available: boolean;
  exists: boolean;
}

function unavailable(e: unknown): boolean {
  return e instanceof VantagepointError && (e.status === 404 || e.status === 405 || e.status === 501);
}

/** Reads the role. Throws RoleEndpointUnavailableError when the server has no role endpoint. */
export async function readAdminRole(
  client: VantagepointClient,
  role: string,
  requireAdministratorType = true,
): Promise<AdminRoleState> {
  const rec = await onRoleEndpoint(client, role, requireAdministratorType, () =>
    client.getOne<RoleRecord>(client.paths.roles, role),
  );
  if (!rec) return { connectAdministration: false, roleType: "", available: true, exists: false };
  return {
    connectAdministration: rec.ConnectAdministration === "Y",
    roleType: typeof rec.Type === "string" ? rec.Type : "",
    available: true,
    exists: true,
  };
}

/** Makes the role grant Connect Administration (and Administrator type when asked). One write at most. */
export async function ensureAdminRole(
  client: VantagepointClient,
  role: string,
  requireAdministratorType: boolean,
): Promise<AdminRoleState & { writes: number }> {
  const now = await readAdminRole(client, role, requireAdministratorType);
  if (!now.exists) {
    throw new Error(
      `Role "${role}" does not exist in Vantagepoint. Create it in Settings > Security > Roles (or set role to an existing one), then run again.`,
    );
  }
  const fields: Record<string, string> = {};
  if (!now.connectAdministration) fields.ConnectAdministration = "Y";
  if (requireAdministratorType && now.roleType !== "Administrator") fields.Type = "Administrator";
  if (!Object.keys(fields).length) return { ...now, writes: 0 };
  await onRoleEndpoint(client, role, requireAdministratorType, () =>
    client.update(client.paths.roles, role, fields),
  );
  return {
    connectAdministration: true,
    roleType: fields.Type ?? now.roleType,
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
