/**
 * Entra ID permission ids the apps ask for (shared/reference/azure-facts.md). Ids, not names: the
 * `requiredResourceAccesses` of an app registration only take ids, and a typo in a name would otherwise
 * surface only at consent time.
 */

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
