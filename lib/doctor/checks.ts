/**
 * The doctor's checks, pure: each takes what was read from Vantagepoint (or why it could not be read) and
 * returns one DoctorCheck. No HTTP here, so every rule is tested without a server.
 */
import {
  fingerprintApiAuthorization,
  legacyFingerprintApiAuthorization,
  manualApiClientSteps,
  unchangedSinceAdopted,
} from "../vantagepoint/apiClient";
import type { AdminRoleState } from "../vantagepoint/adminRole";
import { administratorTypeRequired, manualRoleSteps, roleTypesOf } from "../vantagepoint/adminRole";
import { describeRoleModel } from "../vantagepoint/roleModel";
import { sameId } from "../vantagepoint/identifiers";
import type { ApiAuthorizationRecord } from "../vantagepoint/types";
import { check } from "./checkResult";
import { recordUrn } from "./model";
import type { DoctorCheck, DoctorFinding } from "./model";

export * from "./peopleChecks";

/** Every check could not run for the same reason (the token grant failed, bad connection settings). */
export function allCouldNotCheck(reason: string): DoctorCheck[] {
  return (["P3", "P4", "P5", "P6"] as const).map((id) => check(id, [], reason, 0, ""));
}

// ---- P3 ----------------------------------------------------------------------------------------

/** One role to look at, why, and what was read (or why it could not be). */
export interface RoleObservation {
  role: string;
  /** Why this role matters, e.g. "the stack's vantagepoint.adminRole" or "role of configurer PJONES". */
  because: string;
  state?: AdminRoleState;
  /** Could not be read: the reason (an unavailable roles endpoint carries the manual steps). */
  problem?: string;
}

export function checkAdminRole(
  observations: readonly RoleObservation[],
  requireAdministratorType: boolean,
  missingReason?: string,
): DoctorCheck {
  const findings: DoctorFinding[] = [];
  const problems: string[] = [];
  if (missingReason) problems.push(missingReason);
  for (const o of observations) {
    const where = recordUrn("role", o.role);
    // The role model read with the role (configured, probed from its fields, or assumed): before 7.0 no type.
    const needsType = administratorTypeRequired(requireAdministratorType, o.state?.model);
    const steps = manualRoleSteps(o.role, needsType);
    if (o.problem !== undefined || !o.state) {
      problems.push(o.problem ?? `role "${o.role}" could not be read`);
      continue;
    }
    if (!o.state.exists) {
      findings.push({
        kind: "role-missing",
        location: where,
        message: `role "${o.role}" (${o.because}) does not exist in Vantagepoint; create it in Settings > Security > Roles or name an existing role.`,
      });
      continue;
    }
    if (!o.state.connectAdministration) {
      findings.push({
        kind: "role-without-connect-administration",
        location: where,
        message: `role "${o.role}" (${o.because}) does not grant Connect Administration. ${steps}`,
      });
    }
    // A role may be of several types at once (Deltek's CRM documentation): Administrator must be among them.
    const types = o.state.roleTypes ?? roleTypesOf(o.state.roleType);
    if (needsType && !types.some((t) => sameId(t, "Administrator"))) {
      findings.push({
        kind: "role-not-administrator-type",
        location: where,
        message: `role "${o.role}" (${o.because}) has type${types.length === 1 ? "" : "s"} "${types.join(", ") || "(none)"}"; from Vantagepoint 7.0 the Connect role must have Administrator among its types. ${steps}`,
      });
    }
  }
  const checkedRoles = observations.filter((o) => o.state).map((o) => o.role);
  const model = observations.find((o) => o.state?.model)?.state?.model;
  const typeChecked = administratorTypeRequired(requireAdministratorType, model);
  return check(
    "P3",
    findings,
    problems.length ? unique(problems).join(" ") : undefined,
    checkedRoles.length,
    `role${checkedRoles.length === 1 ? "" : "s"} ${checkedRoles.map((r) => `"${r}"`).join(", ")} grant${checkedRoles.length === 1 ? "s" : ""} Connect Administration${typeChecked ? ` and ${checkedRoles.length === 1 ? "is" : "are"} of type Administrator` : ""}`,
    model ? [describeRoleModel(model)] : [],
  );
}

// ---- P6 ----------------------------------------------------------------------------------------

export interface ApiClientRead {
  /** The authorizations named like the Connect one (already filtered by name). */
  hits?: readonly ApiAuthorizationRecord[];
  /** Could not be read: the reason (an unavailable endpoint carries the manual steps). */
  problem?: string;
}

/** P6: the Connect API Authorization exists once and (when an adopted fingerprint is given) is unchanged. */
export function checkApiClient(read: ApiClientRead, name: string, adoptedFingerprint?: string): DoctorCheck {
  if (!read.hits) return check("P6", [], read.problem ?? "API Authorizations could not be read", 0, "");
  const hits = read.hits;
  if (hits.length === 0) {
    return check(
      "P6",
      [
        {
          kind: "api-authorization-missing",
          location: recordUrn("apiauthorization", name),
          message: `no API Authorization named "${name}" exists: Connect cannot sign in. If someone deleted it while tidying Utilities > Integrations, open Connect's Sync Options as the configurer so Vantagepoint generates a new one, then enter its Client ID and Secret wherever Connect is set up. ${manualApiClientSteps(name)}`,
        },
      ],
      undefined,
      0,
      "",
    );
  }
  if (hits.length > 1) {
    return check(
      "P6",
      [
        {
          kind: "api-authorization-duplicated",
          location: recordUrn("apiauthorization", String(hits[0]!.ClientId)),
          message: `${hits.length} API Authorizations are named "${name}" (Client IDs ${hits.map((h) => h.ClientId).join(", ")}); find the one Connect uses and rename the others in Utilities > Integrations (deleting another integration's authorization breaks that integration).`,
        },
      ],
      undefined,
      hits.length,
      "",
    );
  }
  const hit = hits[0]!;
  const fingerprint = fingerprintApiAuthorization(hit);
  const details = [`Client ID ${hit.ClientId}`, `fingerprint ${fingerprint}`];
  const want = adoptedFingerprint?.trim().toLowerCase();
  if (
    want &&
    !unchangedSinceAdopted(want, { fingerprint, legacyFingerprint: legacyFingerprintApiAuthorization(hit) })
  ) {
    return check(
      "P6",
      [
        {
          kind: "api-authorization-changed",
          location: recordUrn("apiauthorization", String(hit.ClientId)),
          message: `the API Authorization "${name}" (Client ID ${hit.ClientId}) changed since it was adopted: fingerprint ${fingerprint}, adopted ${want}. Someone edited its name, callback URL, scopes or password-grant setting in Utilities > Integrations; compare it with what Connect needs and put it back, or run \`pulumi up\` to adopt the new state if the change was intended.`,
        },
      ],
      undefined,
      1,
      "",
      details,
    );
  }
  return check(
    "P6",
    [],
    undefined,
    1,
    want
      ? `"${name}" found (Client ID ${hit.ClientId}), unchanged since adopted`
      : `"${name}" found (Client ID ${hit.ClientId}, fingerprint ${fingerprint}); pass --adopted-fingerprint (the ConnectApiClient output) to detect edits`,
    details,
  );
}

function unique<T>(xs: readonly T[]): T[] {
  return [...new Set(xs)];
}

// ---- P7 ----------------------------------------------------------------------------------------

/** What the stack manages for login (P7): the mode, and for Entra ID the tenant and the login app's client ID. */
export interface LoginExpectation {
  mode: "entraId" | "windows";
  tenantId?: string;
  /** The login app's client ID ("Server Client ID" in Vantagepoint's Active Directory settings), when known. */
  serverClientId?: string;
}

/** GET /LoginConfig[/{database}] as read (one open-source client documents it), or why it could not be read. */
export interface LoginConfigRead {
  config?: Record<string, unknown>;
  problem?: string;
}

const LOGIN_SCREEN = "Settings > General > Options, Active Directory";

/**
 * P7, read-only: LoginConfig's Entra login (WAADEnabled), tenant (WAADSettings.WAADTenant) and Server Client ID
 * (WAADSettings.WAADServerClientID) against what the stack manages. Nothing is ever written: login settings are
 * changed by hand.
 */
export function checkLoginConfig(read: LoginConfigRead, want: LoginExpectation): DoctorCheck {
  if (!read.config) return check("P7", [], read.problem ?? "LoginConfig could not be read", 0, "");
  const c = read.config;
  const settings = (c.WAADSettings ?? {}) as Record<string, unknown>;
  const entra = String(c.WAADEnabled ?? "").toUpperCase() === "Y";
  const tenant = typeof settings.WAADTenant === "string" ? settings.WAADTenant.trim() : "";
  const serverClientId =
    typeof settings.WAADServerClientID === "string" ? settings.WAADServerClientID.trim() : "";
  const where = recordUrn("loginconfig", String(c.database ?? ""));
  const findings: DoctorFinding[] = [];
  const drift = (message: string) => findings.push({ kind: "login-drift", location: where, message });
  if (want.mode === "entraId" && !entra)
    drift(
      `Vantagepoint's Entra ID (Azure AD) login is off (WAADEnabled ${JSON.stringify(c.WAADEnabled ?? "")}) while entra.loginMode is "entraId"; turn it on in ${LOGIN_SCREEN}, or set entra.loginMode to "windows".`,
    );
  if (want.mode === "windows" && entra)
    drift(
      `Vantagepoint's Entra ID (Azure AD) login is on while entra.loginMode is "windows"; Connect then signs people in through Entra, not Vantagepoint's OAuth flow. Set entra.loginMode to "entraId" or turn it off in ${LOGIN_SCREEN}.`,
    );
  if (
    want.mode === "entraId" &&
    entra &&
    want.tenantId &&
    tenant.toLowerCase() !== want.tenantId.toLowerCase()
  )
    drift(
      `Vantagepoint's login points at tenant ${tenant || "(none)"}, not entra.tenantId ${want.tenantId}; correct the tenant in ${LOGIN_SCREEN}.`,
    );
  if (
    want.mode === "entraId" &&
    entra &&
    want.serverClientId &&
    serverClientId.toLowerCase() !== want.serverClientId.toLowerCase()
  )
    drift(
      `Vantagepoint's Server Client ID is ${serverClientId || "(none)"}, not the login app this stack manages (${want.serverClientId}); enter the login app's client ID and secret in ${LOGIN_SCREEN}.`,
    );
  const details = [
    `WAADEnabled ${entra ? "Y" : "N"}`,
    ...(tenant ? [`tenant ${tenant}`] : []),
    ...(serverClientId ? [`Server Client ID ${serverClientId}`] : []),
  ];
  return check(
    "P7",
    findings,
    undefined,
    1,
    want.mode === "entraId"
      ? `Entra ID login on, tenant ${tenant || "(not shown)"}${want.serverClientId ? ", Server Client ID as managed" : " (pass --login-client-id, the stack's loginAppClientId output, to compare the Server Client ID)"}`
      : 'Entra ID login off, as entra.loginMode "windows" says',
    details,
  );
}
