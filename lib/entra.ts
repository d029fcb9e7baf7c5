/**
 * Entra ID facts and plans the app components share, pure (no Pulumi import): the permission ids the apps ask
 * for (shared/reference/azure-facts.md), the mailbox app's permission plan, and the login app's scope id and
 * redirect URI. Ids, not names: the `requiredResourceAccesses` of an app registration only take ids, and a
 * typo in a name would otherwise surface only at consent time.
 */
import { createHash } from "node:crypto";
import { guidProblem } from "./values/validators";

/** Microsoft Graph's application (client) id. */
export const GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";
/** Office 365 Exchange Online's application (client) id (EWS permissions live here). */
export const EXCHANGE_ONLINE_APP_ID = "00000002-0000-0ff1-ce00-000000000000";

/** Graph delegated permissions (type "Scope"), by claim value. */
export const GRAPH_DELEGATED = {
  openid: "37f7f235-527c-4136-accd-4a02d197296e",
  profile: "14dad69e-099b-42c9-810b-d002981feec1",
  email: "64a6cdd6-aab1-4aaf-94b8-3cc8405e90d0",
  offline_access: "7427e0e9-2fba-42fe-b0c0-848c9e6a8182",
  "User.Read": "e1fe6dd8-ba31-4d61-89e7-88639da4683d",
  "Mail.ReadWrite": "024d486e-b451-40bb-833d-3e66d98c5c73",
  "Calendars.ReadWrite": "1ec239c2-d7c9-4623-a91a-a9775856bb36",
  "Contacts.ReadWrite": "d56682ec-c09e-4743-aaf4-1a3aac4caa21",
} as const;

/** Graph application permissions (type "Role"): whole-tenant mailbox access, opt-in only. */
export const GRAPH_APPLICATION = {
  "Mail.ReadWrite": "e2a3a72e-5f79-4c64-b1b1-878b674786c9",
  "Calendars.ReadWrite": "ef54d2bf-783f-4e0f-bca1-3210c0444d99",
  "Contacts.ReadWrite": "6918b873-d17a-4dc1-b314-35f528134491",
} as const;

/** Exchange Online delegated permissions (EWS; turned off in Exchange Online from 1 October 2026). */
export const EXCHANGE_DELEGATED = {
  "EWS.AccessAsUser.All": "3b5f3d61-589b-4a3c-a359-5dd4b5ee5bd5",
} as const;

/** Exchange Online application permissions (not used by the components; listed so policies can flag them). */
export const EXCHANGE_APPLICATION = {
  full_access_as_app: "dc890d15-9560-4a4c-9b7f-a736ec74ec40",
} as const;

export type GraphDelegatedScope = keyof typeof GRAPH_DELEGATED;
export type GraphApplicationRole = keyof typeof GRAPH_APPLICATION;

/** The sign-in scopes every Connect mailbox app needs. */
export const SIGN_IN_SCOPES: readonly GraphDelegatedScope[] = [
  "openid",
  "profile",
  "email",
  "offline_access",
  "User.Read",
];
/** The delegated mailbox scopes Connect syncs with over Graph. */
export const MAILBOX_SCOPES: readonly GraphDelegatedScope[] = [
  "Mail.ReadWrite",
  "Calendars.ReadWrite",
  "Contacts.ReadWrite",
];

/** Built-in Azure role "Key Vault Secrets User" (read secret values; what the gateway's identity needs). */
export const KEY_VAULT_SECRETS_USER_ROLE_ID = "4633458b-17de-408a-b874-0445c86b69e6";

export type MailboxAccess = "graph" | "ews";

export const EWS_WARNING =
  'mailbox access "ews": Microsoft turns Exchange Web Services (EWS) off in Exchange Online from 1 October 2026; ' +
  "the app is granted EWS.AccessAsUser.All for now. Move Connect to Microsoft Graph (access: graph) before then.";

export const APPLICATION_PERMISSIONS_WARNING =
  "applicationPermissions: true grants the mailbox app Mail, Calendars and Contacts read/write on EVERY mailbox in " +
  "the tenant; limit it with an Exchange Online application access policy or RBAC for Applications.";

export interface PermissionPlan {
  /** The app registration's requiredResourceAccesses. */
  requiredResourceAccesses: Array<{
    resourceAppId: string;
    resourceAccesses: Array<{ id: string; type: "Scope" | "Role" }>;
  }>;
  /** Delegated grants for admin consent, per resource app id: the claim values. */
  delegatedGrants: Array<{ resourceAppId: string; claimValues: string[] }>;
  /** Application role ids (Graph) to assign for admin consent. */
  graphRoles: Array<{ name: GraphApplicationRole; id: string }>;
  /** Warnings to log. */
  warnings: string[];
}

/** The permissions for a mailbox access mode. Pure. */
export function mailboxPermissions(options: {
  access: MailboxAccess;
  applicationPermissions?: boolean;
}): PermissionPlan {
  if (options.access !== "graph" && options.access !== "ews") {
    throw new Error(`access: ${JSON.stringify(options.access)} is not "graph" (the default) or "ews"`);
  }
  const scopes = [...SIGN_IN_SCOPES, ...MAILBOX_SCOPES];
  const graphRoles =
    options.applicationPermissions === true
      ? (Object.keys(GRAPH_APPLICATION) as GraphApplicationRole[]).map((name) => ({
          name,
          id: GRAPH_APPLICATION[name],
        }))
      : [];
  const plan: PermissionPlan = {
    requiredResourceAccesses: [
      {
        resourceAppId: GRAPH_APP_ID,
        resourceAccesses: [
          ...scopes.map((s) => ({ id: GRAPH_DELEGATED[s], type: "Scope" as const })),
          ...graphRoles.map((r) => ({ id: r.id, type: "Role" as const })),
        ],
      },
    ],
    delegatedGrants: [{ resourceAppId: GRAPH_APP_ID, claimValues: [...scopes] }],
    graphRoles,
    warnings: [],
  };
  if (options.access === "ews") {
    plan.requiredResourceAccesses.push({
      resourceAppId: EXCHANGE_ONLINE_APP_ID,
      resourceAccesses: [{ id: EXCHANGE_DELEGATED["EWS.AccessAsUser.All"], type: "Scope" }],
    });
    plan.delegatedGrants.push({
      resourceAppId: EXCHANGE_ONLINE_APP_ID,
      claimValues: ["EWS.AccessAsUser.All"],
    });
    plan.warnings.push(EWS_WARNING);
  }
  if (graphRoles.length > 0) plan.warnings.push(APPLICATION_PERMISSIONS_WARNING);
  return plan;
}

/** Namespace for the name-based (version 5) UUIDs of scopes this project exposes. */
const SCOPE_NAMESPACE = "8d1f3c2e-6b7a-4e0f-9a51-2c4b6d8e0f13";

/** A version 5 (SHA-1, name-based) UUID: the same name always gives the same id, so scope ids never churn. */
export function stableUuid(name: string, namespace = SCOPE_NAMESPACE): string {
  const ns = Buffer.from(namespace.replace(/-/g, ""), "hex");
  const hash = createHash("sha1").update(ns).update(name, "utf8").digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** `${publicUrl}${appPath}` with exactly one slash between them; publicUrl is https://host/vantagepoint. */
export function loginRedirectUri(publicUrl: string, appPath = "/app"): string {
  if (!/^https:\/\/[^/\s]+(\/[^\s]*)?$/.test(publicUrl)) {
    throw new Error(
      `publicUrl: ${JSON.stringify(publicUrl)} is not an https URL; expected https://<host>/vantagepoint`,
    );
  }
  const path = appPath.trim().replace(/^\/+/, "").replace(/\/+$/, "");
  return path === "" ? publicUrl.replace(/\/+$/, "") : `${publicUrl.replace(/\/+$/, "")}/${path}`;
}

/**
 * The owners of an app registration and its service principal: the deploying principal first, then the listed
 * object ids, each once (object ids compare case-insensitively). Source: azuread provider docs advise always
 * setting owners including the deploying principal; Application.ReadWrite.OwnedBy only manages owned apps
 * (shared/reference/azure-facts.md, "Entra app owners").
 */
export function appOwners(deployerObjectId: string, more: readonly string[] = []): string[] {
  const out: string[] = [];
  for (const id of [deployerObjectId, ...more]) {
    if (!out.some((o) => o.toLowerCase() === id.toLowerCase())) out.push(id);
  }
  return out;
}

/** Why `id` is not an owner object id (a user's, group's or service principal's), or undefined. */
export function ownerIdProblem(id: string): string | undefined {
  return guidProblem(id, "an Entra object id (a user's, group's or service principal's)");
}

/** Why a list of owner object ids is wrong (an entry that is not an object id), naming `field[i]`; or undefined. */
export function ownersProblem(owners: readonly unknown[], field = "owners"): string | undefined {
  for (const [i, id] of owners.entries()) {
    const problem = typeof id === "string" ? ownerIdProblem(id) : "must be an Entra object id (a GUID)";
    if (problem) return `${field}[${i}]: ${problem}`;
  }
  return undefined;
}

/**
 * A `mailboxApp` section without `enabled`: the app was on by default in earlier versions and is off by default
 * now, so reading the missing key either way would create or delete an app the stack did not ask about.
 */
export const MAILBOX_ENABLED_REQUIRED =
  "is required when entra.mailboxApp is present: the mailbox app was created by default in earlier versions and is off by default now, so a stack without it would delete its mailbox app on the next pulumi up; add enabled: true to keep it, or enabled: false (or remove the section) to have none";
