/** The stack config's `vpconnect:entra`, `vantagepoint`, `roster` and `policy` sections. Pure (zod only). */
import { z } from "zod";
import { removalBrakeIssues } from "../vantagepoint/removalBrake";
import type { RemovalBrakeSettings } from "../vantagepoint/removalBrake";
import { MAX_SHARDS } from "../vantagepoint/rosterShards";
import { USER_ID_RULES } from "../entraGroup/roster";
import type { UserIdRule } from "../entraGroup/roster";
import { guid, httpsUrl } from "../values/validators";
import {
  apiClientId,
  apiUserName,
  connectClientId,
  databaseName,
  ownerId,
  redirectUri,
  SECRET_LIFETIME_LIMIT_DAYS,
  urlPath,
  date,
  lifetimeDays,
  personSchema,
  secret,
} from "../values/fields";

const appSecretFields = {
  /** Days the client secret lives (at most 730). */
  secretLifetimeDays: lifetimeDays,
  /** Date the current secret was issued; change it to roll the secret. */
  secretRotatedOn: date,
};

export const entraSchema = z.strictObject({
  tenantId: guid("the Entra tenant ID", "must be the Entra tenant ID (a GUID)"),
  /**
   * Object ids of further owners of the Entra apps (users, groups or service principals); the deploying principal
   * is always an owner, so a CI principal with Application.ReadWrite.OwnedBy can manage the apps it created.
   */
  owners: z.array(ownerId).default([]),
  /** How people sign in to Vantagepoint (P7): Entra ID (Azure AD) or Windows Active Directory integrated login. */
  loginMode: z.enum(["entraId", "windows"], { message: 'must be "entraId" or "windows"' }).default("entraId"),
  loginApp: z
    .strictObject({
      displayName: z.string().min(1).max(120).default("Deltek Vantagepoint"),
      ...appSecretFields,
      /** Slot B's issue day: set it to rotate; the slot issued last is active (secretRotatedOn is slot A). */
      secretSlotBRotatedOn: date.optional(),
      /** Days the retiring slot must outlive the active one's issue day (default 30; lib/rotation.ts checks it). */
      secretOverlapDays: z.number({ message: "must be a whole number of days" }).optional(),
      /** Warn this many days before the active slot expires (default secretOverlapDays + 30). */
      secretWarningDays: z.number({ message: "must be a whole number of days" }).optional(),
      /** Application ID URI; default api://<application id>, as Deltek's guide accepts it. */
      identifierUri: z
        .string()
        .regex(
          /^(api:\/\/[^\s/]+(\/[^\s]*)?|https:\/\/[^\s/]+(\/[^\s]*)?)$/,
          "must be an Application ID URI such as api://vantagepoint or https://vp.example.com/api (a verified domain)",
        )
        .optional(),
      /** The API's requested access token version; unset unless given (Deltek's guide does not set it). */
      accessTokenVersion: z.union([z.literal(1), z.literal(2)], { message: "must be 1 or 2" }).optional(),
      /** Web redirect URI; default https://<publicHostname><vantagepointPath>/app. */
      redirectUri: redirectUri.optional(),
      /** Grant tenant-wide admin consent for the app's scopes (tenants that block user consent). */
      grantAdminConsent: z.boolean().default(false),
    })
    .optional(),
  mailboxApp: z
    .strictObject({
      /**
       * Create the mailbox app (Connect's Office 365 OAuth has each person sign in; nothing uses it). Required
       * when the section is present: a stack from when the app was on by default would otherwise lose it silently.
       */
      enabled: z.boolean({ message: "must be true or false" }).optional(),
      displayName: z.string().min(1).max(120).default("Vantagepoint Connect Mailbox"),
      /** Mailbox API (P8): Microsoft Graph, or Exchange Web Services on explicit opt-in. */
      access: z.enum(["graph", "ews"], { message: 'must be "graph" or "ews"' }).default("graph"),
      /** Grant tenant-wide admin consent for the delegated scopes. */
      grantAdminConsent: z.boolean().default(false),
      /** Whole-tenant application permissions (Mail/Calendars/Contacts). Needs a strong reason. */
      applicationPermissions: z.boolean().default(false),
      ...appSecretFields,
    })
    .optional(),
});

export const vantagepointSchema = z.strictObject({
  /** API root, e.g. https://vantagepoint.example.com/vantagepoint/api. */
  apiUrl: httpsUrl(),
  database: databaseName,
  username: apiUserName,
  password: secret,
  /** Client ID of the API Authorization this project signs in with (needs Allow Password Grant Type). */
  clientId: apiClientId,
  clientSecret: secret,
  /** Windows authentication for the API user (Integrated=Y). */
  integrated: z.boolean().default(false),
  /**
   * Vantagepoint version; 7.0 and later require the Connect role to be of type Administrator. Left out, the role
   * record's fields tell which role model the server has (lib/vantagepoint/roleModel.ts; 7.0 assumed when they
   * cannot, and said so).
   */
  version: z
    .string()
    .regex(/^\d+\.\d+$/, 'must be "major.minor", e.g. "7.0"')
    .optional(),
  /** The role of whoever configures Connect (P3). */
  adminRole: z.string().min(1).max(40).default("ADMIN"),
  connectApiClient: z
    .strictObject({
      /** Name Vantagepoint gave the Connect API Authorization: only a hint, the Client ID identifies it. */
      name: z.string().min(1).default("Vantagepoint Connect"),
      /**
       * Client ID of the Connect API Authorization, as Connect Administration's Settings tab shows it: how the
       * record is identified (a name is only a hint). Before 5.0 a database has one authorization (no list).
       */
      clientId: connectClientId.optional(),
      /**
       * Create it when it does not exist (otherwise a missing one is reported, never created). Never regenerates
       * one: a new secret breaks every integration that uses the old one.
       */
      allowCreate: z.boolean().default(false),
      /** The Connect client's secret, when you want it kept as a stack output. */
      clientSecret: secret.optional(),
      protect: z.boolean().default(true),
    })
    .default({ name: "Vantagepoint Connect", allowCreate: false, protect: true }),
  /** API paths; the roles and API authorization paths are UNVERIFIED in public docs, so they are configurable. */
  paths: z
    .strictObject({
      employees: urlPath.default("/employee"),
      users: urlPath.default("/user"),
      roles: urlPath.default("/security/role"),
      apiAuthorizations: urlPath.default("/apiauthorization"),
    })
    .default({
      employees: "/employee",
      users: "/user",
      roles: "/security/role",
      apiAuthorizations: "/apiauthorization",
    }),
  pageSize: z.number().int().min(1).max(5000, "must be at most 5000").default(500),
  /**
   * How long a write may stay invisible to reads (ms): after a lost reply the record is re-read this long before
   * the person is stopped with "re-run in a minute" (lib/vantagepoint/unknownOutcome.ts, default 10 000).
   */
  readLagMs: z.number().int().min(0).max(600_000, "must be at most 600000 (10 minutes)").optional(),
});

export const rosterSchema = z.strictObject({
  /** Whoever configures Connect (P3, P4). */
  configurer: personSchema,
  /** People who will use Connect (P5), inline. */
  users: z.array(personSchema).default([]),
  /** Or a CSV/JSON file of them, relative to the project folder. */
  file: z
    .string()
    .regex(/\.(csv|json)$/i, "must be a .csv or .json file")
    .optional(),
  defaultRole: z.string().min(1).max(40).default("CONNECT"),
  /**
   * How new employees are keyed and what they get. Real integrations send the key and also EmployeeCompany,
   * HomeCompany, Org, HireDate and Type; whether a site numbers employees itself has no public source.
   */
  newEmployees: z
    .strictObject({
      /** "roster": each row's employee key; "sequence": prefix + zero-padded number; "server": the site numbers them. */
      key: z
        .enum(["roster", "sequence", "server"], { message: 'must be "roster", "sequence" or "server"' })
        .optional(),
      /** Prefix of a sequence key, e.g. "C" gives C00001. */
      prefix: z
        .string()
        .regex(/^[A-Za-z0-9._-]{0,12}$/, "must be up to 12 letters, digits, '.', '_' or '-'")
        .default(""),
      /** Digits of a sequence key, zero-padded. */
      digits: z.number().int().min(1).max(12, "must be at most 12").default(5),
      org: z.string().min(1).max(30).optional(),
      employeeCompany: z.string().min(1).max(14).optional(),
      homeCompany: z.string().min(1).max(14).optional(),
      type: z.string().min(1).max(10).optional(),
      /** "today" or a date written YYYY-MM-DD. */
      hireDate: z.union([z.literal("today"), date]).optional(),
    })
    .optional(),
  /**
   * What `pulumi destroy` (and taking someone off the roster) does to people: "detach" (the default: nothing
   * written) or "deactivateUsers" (sets their users Inactive: Connect then deletes their Connect users and removes
   * Vantagepoint data from their mailboxes). Never the default; every preview warns where it is set.
   */
  onDelete: z
    .enum(["detach", "deactivateUsers"], { message: 'must be "detach" or "deactivateUsers"' })
    .default("detach"),
  /**
   * The brake on mass removal: a run that takes more than `maxRemovals` people or `maxRemovalPercent` (default 10)
   * % of the roster off it stops before writing anything and lists them; `approve` (the count and digest the
   * refusal printed) lets exactly that list through once.
   */
  removalBrake: z
    .unknown()
    .superRefine((value, ctx) => {
      for (const [field, message] of removalBrakeIssues(value, ""))
        ctx.addIssue({ code: "custom", message, path: field.split(".").filter(Boolean) });
    })
    .transform((value) => (value ?? {}) as RemovalBrakeSettings)
    .optional(),
  /**
   * An Entra ID group whose members are Connect users (read from Microsoft Graph with the application permission
   * GroupMember.Read.All): users only, enabled, guests only with includeGuests, address from `mail`.
   */
  group: z
    .strictObject({
      /** The group's object ID. */
      id: guid("the group's object ID (Entra admin center, Groups, Overview)"),
      /** Members of nested groups too (default true). */
      transitive: z.boolean().default(true),
      /** Guests (userType Guest) are Connect users only when true. */
      includeGuests: z.boolean().default(false),
      /** How a member's Vantagepoint user ID is made (default the UPN without the domain, as Deltek's login uses). */
      userIdRule: z
        .enum(USER_ID_RULES as [UserIdRule, ...UserIdRule[]], {
          message: `must be one of ${USER_ID_RULES.map((r) => `"${r}"`).join(", ")}`,
        })
        .default("upnPrefix"),
      /** Security role for the group's people (default roster.defaultRole). */
      role: z.string().min(1).max(40).optional(),
      /** The app that reads the group (client credentials). */
      graph: z.strictObject({
        clientId: guid("the reading app's client ID"),
        clientSecret: secret,
        /** Default entra.tenantId. */
        tenantId: guid("the Entra tenant ID").optional(),
        /** Graph's root (default https://graph.microsoft.com/v1.0; http only on loopback, for the stand-in). */
        url: httpsUrl({ example: "https://graph.microsoft.com/v1.0" }).optional(),
        /** The token endpoint (default https://login.microsoftonline.com/<tenant>/oauth2/v2.0/token). */
        tokenUrl: httpsUrl({
          example: "https://login.microsoftonline.com/<tenant>/oauth2/v2.0/token",
        }).optional(),
      }),
    })
    .optional(),
  /** How many roster resources the people are spread over (default: enough for 2,000 each, a power of two). */
  shards: z.number().int().min(1).max(MAX_SHARDS, `must be at most ${MAX_SHARDS}`).optional(),
});

export const policySchema = z.strictObject({
  maxSecretLifetimeDays: z
    .number()
    .int()
    .min(1)
    .max(SECRET_LIFETIME_LIMIT_DAYS)
    .default(SECRET_LIFETIME_LIMIT_DAYS),
  allowEws: z.boolean().default(false),
  forbiddenInternetPorts: z.array(z.number().int().min(1).max(65535)).default([22, 3389, 1433, 5985, 5986]),
});
