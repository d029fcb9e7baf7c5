/**
 * ConnectSite's Vantagepoint side (dynamic resources on its REST API): the roster in shards behind one removal
 * brake, the configurer's admin role and the adopted Connect API client.
 */
import * as pulumi from "@pulumi/pulumi";
import { shardCount, splitIntoShards } from "../../lib/vantagepoint/rosterShards";
import type { VantagepointConnection } from "../../lib/vantagepoint/types";
import { ConnectAdminRole, ConnectApiClient, ConnectRoster, ConnectRosterBrake } from "../vantagepoint";
import { markCheckedBySite } from "../vantagepoint/siteCheckedEntries";
import type { ConnectSiteArgs, ConnectSiteVantagepoint } from "./args";

/** Whether the Vantagepoint API is reached through the public URL (see ConnectSiteVantagepoint.throughPublicUrl). */
export function throughPublicUrl(args: ConnectSiteArgs): boolean {
  const explicit = args.vantagepoint?.throughPublicUrl;
  if (explicit !== undefined) return explicit;
  const api = args.verification?.apiUrl;
  if (typeof api === "string" && typeof args.publicHostname === "string") {
    try {
      return new URL(api).hostname.toLowerCase() === args.publicHostname.toLowerCase();
    } catch {
      return true;
    }
  }
  return true;
}

/** The Vantagepoint side: roster (P4, P5), the configurer's role (P3) and the adopted Connect API client (P6). */
export function vantagepointSide(
  name: string,
  vp: ConnectSiteVantagepoint,
  parent: pulumi.Resource,
  dependsOn: pulumi.Resource[] = [],
) {
  const connection = pulumi.secret(vp.connection);
  const roster = rosterShards(name, vp, connection, parent, dependsOn);
  const adminRole = new ConnectAdminRole(
    `${name}-admin-role`,
    {
      connection,
      role: vp.adminRole ?? "ADMIN",
      requireAdministratorType: vp.requireAdministratorType,
      version: vp.version,
    },
    { parent, dependsOn },
  );
  const apiClientArgs = vp.connectApiClient ?? {};
  const protect = apiClientArgs.protect ?? true;
  const apiClient = new ConnectApiClient(
    `${name}-connect-api-client`,
    {
      connection,
      name: apiClientArgs.name,
      clientId: apiClientArgs.clientId,
      allowCreate: apiClientArgs.allowCreate,
      ...(apiClientArgs.clientSecret !== undefined
        ? { clientSecret: pulumi.secret(apiClientArgs.clientSecret) }
        : {}),
    },
    { parent, protect, retainOnDelete: protect, dependsOn },
  );
  return { roster, adminRole, apiClient };
}

/**
 * The roster in shards (lib/vantagepoint/rosterShards.ts): shard 0 keeps the name a single roster always had
 * (`<name>-roster`), so a stack moves to shards with shard 0 updated in place (people who moved out are neither
 * braked nor deactivated) and the other shards created over records that are already right: no Vantagepoint write.
 * With more than one shard, a ConnectRosterBrake sees every user ID and holds the removal brake for the whole roster;
 * the shards wait for it.
 */
function rosterShards(
  name: string,
  vp: ConnectSiteVantagepoint,
  connection: pulumi.Output<VantagepointConnection>,
  parent: pulumi.Resource,
  dependsOn: pulumi.Resource[],
): ConnectRoster[] {
  // Configurer first, then by user ID: the engine diffs `entries` by index, so reordering a roster file must not
  // show up as a change in `pulumi preview`.
  const entries = rosterInStableOrder(vp.roster).map((p) => ({
    userId: p.userId,
    email: p.email,
    firstName: p.firstName,
    lastName: p.lastName,
    ...(p.employee ? { employee: p.employee } : {}),
    role: p.role,
    configurer: p.configurer ?? false,
  }));
  const count = shardCount(entries.length, { shards: vp.rosterShards });
  const brake =
    count > 1
      ? new ConnectRosterBrake(
          `${name}-roster-brake`,
          { userIds: entries.map((e) => e.userId), removalBrake: vp.removalBrake },
          { parent, dependsOn },
        )
      : undefined;
  return splitIntoShards(entries, count).map(
    (part, index) =>
      new ConnectRoster(
        index === 0 ? `${name}-roster` : `${name}-roster-${index}`,
        {
          connection,
          // Built from the roster ConnectSite's args check passed: frozen, and not checked again per person.
          entries: markCheckedBySite(part),
          onDelete: vp.rosterOnDelete,
          newEmployees: vp.newEmployees,
          ...(vp.removalBrake ? { removalBrake: vp.removalBrake } : {}),
          ...(count > 1 ? { shard: { index, count } } : {}),
        },
        { parent, dependsOn: brake ? [...dependsOn, brake] : dependsOn },
      ),
  );
}

/** The roster with the configurer first and everyone else ordered by user ID (case-insensitive). */
export function rosterInStableOrder<T extends { userId: string; configurer?: boolean }>(
  roster: readonly T[],
): T[] {
  return [...roster].sort(
    (a, b) =>
      Number(b.configurer ?? false) - Number(a.configurer ?? false) ||
      a.userId.toLowerCase().localeCompare(b.userId.toLowerCase(), "en"),
  );
}
