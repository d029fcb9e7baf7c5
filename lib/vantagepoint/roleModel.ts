/**
 * Which role model a server has, when `vantagepoint.version` is not set. The reference documents no version
 * endpoint (../shared/reference/vantagepoint-rest.md), so the role record itself is the probe: from 7.0 Connect's
 * permission is "Connect" (Deltek's help: Utilities > Integrations > Connect) and the role must be of type
 * Administrator; before 7.0 it is "Connect Administration" and no type is asked for. A role record that carries
 * a `Connect` field is 7.0 or later; one that carries `ConnectAdministration` and no `Connect` is before 7.0;
 * neither (a serializer that leaves empty fields out, a path that answers another shape) tells nothing, and 7.0 is
 * assumed and said so. The field names are this project's best reading (UNVERIFIED, like the role path), so the
 * version stays configurable and a configured one always wins. Pure; no Pulumi import.
 */
import type { RoleRecord } from "./types";

/** Where the version came from: the config, the role record's fields, or neither (a default). */
export type VersionSource = "configured" | "probed" | "assumed";

export interface RoleModel {
  /** The version whose role model is used ("6.0" stands for "before 7.0" when probed). */
  version: string;
  /** For people: "7.1", "7.0 or later", "before 7.0". */
  label: string;
  source: VersionSource;
  /** What the probe saw, or why the version was assumed. */
  evidence: string;
  /** The role permission field of this model. */
  permissionField: "Connect" | "ConnectAdministration";
  /** This model asks for Administrator among the role's types (7.0 and later). */
  administratorType: boolean;
}

/** The version assumed when nothing tells: 7.0 and later (the stricter model: Connect plus type Administrator). */
export const ASSUMED_VERSION = "7.0";

/** major.minor compared numerically: "2025.1" >= "7.0" >= "5.0" >= "3.5". */
export function versionAtLeast(version: string, min: string): boolean {
  const [a = 0, b = 0] = String(version).split(".").map(Number);
  const [c = 0, d = 0] = min.split(".").map(Number);
  return a > c || (a === c && b >= d);
}

function model(version: string, label: string, source: VersionSource, evidence: string): RoleModel {
  const seven = versionAtLeast(version, "7.0");
  return {
    version,
    label,
    source,
    evidence,
    permissionField: seven ? "Connect" : "ConnectAdministration",
    administratorType: seven,
  };
}

/** Does the record carry this field (any case, as serializers vary)? */
function hasField(rec: RoleRecord, field: string): boolean {
  const want = field.toLowerCase();
  return Object.keys(rec).some((k) => k.toLowerCase() === want);
}

/** The role model: the configured version when there is one, else what the role record's fields show. */
export function roleModelOf(rec: RoleRecord | undefined, configured?: string): RoleModel {
  if (configured) return model(configured, configured, "configured", "vantagepoint.version");
  const role = rec && typeof rec.Role === "string" ? `role ${rec.Role}` : "the role record";
  if (rec && hasField(rec, "Connect"))
    return model("7.0", "7.0 or later", "probed", `${role} has a Connect field`);
  if (rec && hasField(rec, "ConnectAdministration"))
    return model("6.0", "before 7.0", "probed", `${role} has ConnectAdministration and no Connect field`);
  return model(
    ASSUMED_VERSION,
    "7.0 or later",
    "assumed",
    `${rec ? `${role} has neither a Connect nor a ConnectAdministration field` : "no role record could be read"}; set vantagepoint.version (doctor: --vantagepoint-version) to say which`,
  );
}

/** One line for people: "Vantagepoint version 7.0 or later (probed: role ADMIN has a Connect field)". */
export function describeRoleModel(m: RoleModel): string {
  return `Vantagepoint version ${m.label} (${m.source}${m.source === "configured" ? "" : `: ${m.evidence}`})`;
}
