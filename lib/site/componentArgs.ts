/**
 * The args checks of the components other than ConnectSite and ConnectAllowList (./check.ts): ConnectKeyVault,
 * PublicEndpoint and the Vantagepoint resources (ConnectRoster, ConnectAdminRole, ConnectApiClient). Each is a
 * shape built from ConnectSite's schema pieces (./argsSchema.ts, which reuse the stack schema's field rules), and
 * the same site rules where they apply, so a JavaScript, YAML or Python caller gets one clear error naming the arg,
 * never a TypeError. Pure (zod only). Values not known yet are skipped; the components check them once known.
 */
import { z } from "zod";
import { certificateName, date, hostname, keyVaultName, location, resourceGroupName } from "../values/fields";
import { VAULT_FIREWALL_MODES } from "../values/siteValues";
import { guid } from "../values/validators";
import { defaultVaultName, vaultNameProblem, vaultNameSuffixProblem } from "../keyVault";
import { ACCEPTED_SSL_POLICIES, certificateSecretIdProblem, normalizePath } from "../publicEndpoint";
import { bool, connection, oneOf, rosterEntry, siteArgsSchema } from "./argsSchema";
import { dedupe, knownOnly, safely, schemaProblems } from "./check";
import { connectApiClientRules } from "./crossFields";
import { rosterArgRules } from "./roster";
import { apiUrlRules, backendTlsRules } from "./rules";
import type { ArgProblem, Caller, SiteView } from "./view";
import { LIBRARY_CALLER } from "./view";

const site = siteArgsSchema.shape;
const vantagepoint = site.vantagepoint.unwrap().shape;
const tags = z.record(z.string(), z.string()).optional();
const text = z.string().min(1, "must not be empty");

/** ConnectKeyVault's args. */
export const keyVaultArgsSchema = z.strictObject({
  existing: z.strictObject({ vaultName: keyVaultName, resourceGroupName }).optional(),
  namePrefix: text.optional(),
  vaultName: keyVaultName.optional(),
  uniqueName: bool,
  nameSuffix: z.string().optional(),
  resourceGroupName: resourceGroupName.optional(),
  location: location.optional(),
  tenantId: guid("the Entra tenant ID", "must be the Entra tenant ID (a GUID)").optional(),
  firewall: oneOf(VAULT_FIREWALL_MODES).optional(),
  gatewaySubnetId: text.optional(),
  certificate: z
    .strictObject({
      name: certificateName,
      source: oneOf(["keyVault", "pfx"]),
      pfx: z.string().optional(),
      expiresOn: date.optional(),
      field: z.string().optional(),
    })
    .optional(),
  lock: bool,
  tags,
});

/**
 * Every problem with ConnectKeyVault's args: the shape, where a created vault goes, its name as written (the given
 * name, or `<namePrefix>-kv`; a random suffix added later is always valid when the base is) and a kept suffix.
 */
export function keyVaultArgsProblems(view: unknown): ArgProblem[] {
  const shape = schemaProblems(keyVaultArgsSchema, view);
  if (shape.some((p) => p.path === "args")) return shape;
  const v = view as Record<string, unknown>;
  const rules: ArgProblem[] = [];
  const field = (path: string, problem: string | undefined) => {
    if (problem)
      rules.push({
        path,
        message: problem.startsWith(`${path}: `) ? problem.slice(path.length + 2) : problem,
      });
  };
  if (v.existing === undefined) {
    for (const path of ["resourceGroupName", "location"]) {
      if (v[path] === undefined)
        field(path, "is required to create a Key Vault; give it, or name an existing vault under existing");
    }
    if (v.vaultName === undefined && typeof v.namePrefix === "string") {
      const problem = vaultNameProblem(defaultVaultName(v.namePrefix), "namePrefix");
      field("namePrefix", problem?.replace(/^namePrefix: /, "gives the vault name <namePrefix>-kv, and "));
    }
    if (typeof v.nameSuffix === "string")
      field("nameSuffix", vaultNameSuffixProblem(v.nameSuffix, "nameSuffix", v.uniqueName === true));
  }
  return dedupe([...shape, ...knownOnly(view, rules)]);
}

/** PublicEndpoint's args (the gateway). */
export const publicEndpointArgsSchema = z.strictObject({
  resourceGroupName,
  location,
  namePrefix: text,
  publicHostname: hostname,
  vantagepointPath: z.string().optional(),
  backend: site.backend,
  gatewaySubnetId: text,
  wafPolicyId: text,
  certificateSecretId: text,
  keyVaultId: text.optional(),
  keyVaultSecretName: text.optional(),
  sslPolicyName: z.string().optional(),
  autoscale: z
    .strictObject({
      minCapacity: z.number().int().min(0).max(125).optional(),
      maxCapacity: z.number().int().min(2).max(125).optional(),
    })
    .optional(),
  dns: site.dns,
  keyVaultGrantWaitSeconds: site.tls.shape.grantWaitSeconds,
  httpListener: site.httpListener,
  ipv6: bool,
  zones: site.zones,
  locks: bool,
  diagnosticsWorkspaceId: text.optional(),
  tags,
});

/** PublicEndpoint's args as the site rules name them (`backend.protocol` is the same arg in both). */
const ENDPOINT_CALLER: Caller = LIBRARY_CALLER;

/** The gateway's rules across args: the vault secret id, the TLS policy, the DNS record, capacity, internal-CA roots. */
function publicEndpointRules(v: Record<string, unknown>): ArgProblem[] {
  const out: ArgProblem[] = [];
  const path = v.vantagepointPath;
  if (typeof path === "string") {
    try {
      normalizePath(path);
    } catch (error) {
      out.push({
        path: "vantagepointPath",
        message: (error as Error).message.replace(/^vantagepointPath: /, ""),
      });
    }
  }
  if (typeof v.certificateSecretId === "string") {
    const problem = certificateSecretIdProblem(v.certificateSecretId);
    if (problem)
      out.push({ path: "certificateSecretId", message: problem.replace(/^certificateSecretId: /, "") });
  }
  const policy = v.sslPolicyName;
  if (policy !== undefined && !(ACCEPTED_SSL_POLICIES as readonly unknown[]).includes(policy)) {
    out.push({
      path: "sslPolicyName",
      message: `${JSON.stringify(policy)} is not an accepted TLS policy; use ${ACCEPTED_SSL_POLICIES.join(" or ")} (TLS 1.2 or newer)`,
    });
  }
  const dns = v.dns as { zoneName?: unknown; recordName?: unknown } | undefined;
  const host = v.publicHostname;
  if (
    dns &&
    typeof dns.zoneName === "string" &&
    typeof dns.recordName === "string" &&
    typeof host === "string"
  ) {
    const fqdn = dns.recordName === "@" ? dns.zoneName : `${dns.recordName}.${dns.zoneName}`;
    if (fqdn.toLowerCase() !== host.toLowerCase()) {
      out.push({
        path: "dns.recordName",
        message: `${fqdn} is not the public host name ${host}; the A record must name the host Connect uses`,
      });
    }
  }
  const autoscale = v.autoscale as { minCapacity?: unknown; maxCapacity?: unknown } | undefined;
  const min = typeof autoscale?.minCapacity === "number" ? autoscale.minCapacity : 0;
  const max = typeof autoscale?.maxCapacity === "number" ? autoscale.maxCapacity : 2;
  if (max < min) {
    out.push({
      path: "autoscale.maxCapacity",
      message: `${max} is below minCapacity ${min}; give at least ${min}`,
    });
  }
  out.push(...backendTlsRules({ backend: v.backend as SiteView["backend"] }, ENDPOINT_CALLER));
  return out;
}

/** Every problem with PublicEndpoint's args. */
export function publicEndpointArgsProblems(view: unknown): ArgProblem[] {
  const shape = schemaProblems(publicEndpointArgsSchema, view);
  if (shape.some((p) => p.path === "args")) return shape;
  const rules = safely(() => publicEndpointRules(view as Record<string, unknown>));
  return dedupe([...shape, ...knownOnly(view, rules)]);
}

/** A Vantagepoint resource's args as the site rules name them: `connection.url`, not `vantagepoint.connection.url`. */
const VANTAGEPOINT_CALLER: Caller = {
  ...LIBRARY_CALLER,
  key: (p) => p.replace(/^vantagepoint\.connectApiClient\./, "").replace(/^vantagepoint\./, ""),
};

/** The connection's site rules (the API root) over a Vantagepoint resource's args. */
function connectionRules(v: Record<string, unknown>): ArgProblem[] {
  const view: SiteView = {
    verification: { mode: "off" },
    vantagepoint: { connection: v.connection as { url?: string } },
  };
  return safely(() => apiUrlRules(view, VANTAGEPOINT_CALLER));
}

/** ConnectRoster's args. */
export const rosterArgsSchema = z.strictObject({
  connection,
  entries: z.array(rosterEntry),
  onDelete: vantagepoint.rosterOnDelete,
  newEmployees: vantagepoint.newEmployees,
  removalBrake: vantagepoint.removalBrake,
  shard: z
    .strictObject({
      index: z.number().int().min(0),
      count: z.number().int().min(1),
    })
    .optional(),
});

/**
 * ConnectRoster's args when its entries were checked already (a shard ConnectSite built from the roster its args
 * check passed): every arg but the entries' people as above; entries only a list.
 */
const rosterArgsSchemaEntriesChecked = rosterArgsSchema.extend({ entries: z.array(z.unknown()) });

/** ConnectAdminRole's args. */
export const adminRoleArgsSchema = z.strictObject({
  connection,
  role: z.string().min(1, "must name the security role").max(40),
  requireAdministratorType: bool,
  version: vantagepoint.version,
});

/** ConnectApiClient's args. */
export const apiClientArgsSchema = z.strictObject({
  connection,
  name: vantagepoint.connectApiClient.unwrap().shape.name,
  clientId: vantagepoint.connectApiClient.unwrap().shape.clientId,
  allowCreate: bool,
  clientSecret: z.string().min(1).optional(),
});

/** Every problem with a Vantagepoint resource's args: the shape, the API root, and the resource's own rules. */
function vantagepointProblems(
  schema: z.ZodType,
  view: unknown,
  rules: (v: Record<string, unknown>) => ArgProblem[] = () => [],
): ArgProblem[] {
  const shape = schemaProblems(schema, view);
  if (shape.some((p) => p.path === "args")) return shape;
  const v = view as Record<string, unknown>;
  return dedupe([...shape, ...knownOnly(view, [...connectionRules(v), ...safely(() => rules(v))])]);
}

/** ConnectRosterBrake's args (everyone on a roster kept in shards). */
export const rosterBrakeArgsSchema = z.strictObject({
  userIds: z.array(z.string()),
  removalBrake: vantagepoint.removalBrake,
});

/** Every problem with ConnectRosterBrake's args: the list of user IDs and the brake's settings. */
export function rosterBrakeArgsProblems(view: unknown): ArgProblem[] {
  return dedupe(schemaProblems(rosterBrakeArgsSchema, view));
}

/**
 * Every problem with ConnectRoster's args (duplicates and lookalikes: lib/site/roster.ts). `entriesChecked`: the
 * entries passed these same rules already (ConnectSite's check, components/vantagepoint/siteCheckedEntries.ts), so
 * the per-person rules are skipped; the connection, settings and the shape of every other arg are still checked.
 */
export function rosterArgsProblems(view: unknown, entriesChecked = false): ArgProblem[] {
  if (entriesChecked) return vantagepointProblems(rosterArgsSchemaEntriesChecked, view);
  return vantagepointProblems(rosterArgsSchema, view, (v) =>
    rosterArgRules(v.entries, "entries", LIBRARY_CALLER),
  );
}

/** Every problem with ConnectAdminRole's args. */
export function adminRoleArgsProblems(view: unknown): ArgProblem[] {
  return vantagepointProblems(adminRoleArgsSchema, view);
}

/** Every problem with ConnectApiClient's args (Connect's Client ID is not the one this project signs in with). */
export function apiClientArgsProblems(view: unknown): ArgProblem[] {
  return vantagepointProblems(apiClientArgsSchema, view, (v) =>
    connectApiClientRules(
      {
        vantagepoint: {
          connection: v.connection as { clientId?: string },
          connectApiClient: { clientId: v.clientId as string | undefined },
        },
      },
      VANTAGEPOINT_CALLER,
    ),
  );
}
