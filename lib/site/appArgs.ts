/**
 * The args checks of the Entra app components (VantagepointLoginApp, ConnectMailboxApp) and SiteVerification: a
 * JavaScript, YAML or Python caller that gives a wrong type, leaves out a required arg or gives a value the rules
 * refuse gets one error listing every problem, named by arg, before anything registers; never a TypeError. The
 * shapes reuse ConnectSite's schema pieces (./argsSchema.ts), and the rules are the ones ConnectSite's args and the
 * stack config meet (secret rotation: ./rules.ts; the verification's URLs and limits: lib/siteVerification.ts).
 * Pure (zod only). Values not known yet are skipped; the components check them once known.
 */
import { z } from "zod";
import { loginRedirectUri } from "../entra";
import { parseVaultId } from "../secretExpiry";
import { verificationSettingProblems } from "../siteVerification";
import type { VerificationSettings } from "../siteVerification";
import { bool, siteArgsSchema } from "./argsSchema";
import { dedupe, knownOnly, safely, schemaProblems } from "./check";
import { rotationDateRules } from "./rules";
import type { ArgProblem, Caller, SiteView } from "./view";
import { LIBRARY_CALLER } from "./view";

const site = siteArgsSchema.shape;
const login = site.loginApp.unwrap().shape;
const mailbox = site.mailboxApp.unwrap().shape;
const text = z.string().min(1, "must not be empty");
const tags = z.record(z.string(), z.string()).optional();

/** What both app components take: a name prefix, owners, the vault that keeps the client secret, its dates. */
const appRegistration = {
  namePrefix: text,
  owners: site.appOwners,
  keyVaultId: text,
  secretName: text.optional(),
  secretRotatedOn: login.secretRotatedOn,
  secretLifetimeDays: login.secretLifetimeDays,
  tags,
};

/** VantagepointLoginApp's args. */
export const loginAppArgsSchema = z.strictObject({
  ...appRegistration,
  displayName: login.displayName,
  publicUrl: text,
  appPath: z.string().optional(),
  identifierUri: login.identifierUri,
  redirectUri: login.redirectUri,
  accessTokenVersion: login.accessTokenVersion,
  adminConsent: bool,
  secretSlotBRotatedOn: login.secretSlotBRotatedOn,
  secretOverlapDays: login.secretOverlapDays,
  secretWarningDays: login.secretWarningDays,
  now: z.date().optional(),
});

/** ConnectMailboxApp's args. */
export const mailboxAppArgsSchema = z.strictObject({
  ...appRegistration,
  displayName: mailbox.displayName,
  access: mailbox.access,
  adminConsent: bool,
  applicationPermissions: mailbox.applicationPermissions,
  redirectUris: z.array(login.redirectUri.unwrap()).optional(),
});

/** SiteVerification's args (the values' rules: lib/siteVerification.ts). */
export const siteVerificationArgsSchema = z.strictObject({
  publicUrl: z.string(),
  apiUrl: z.string(),
  loginUrl: z.string().optional(),
  certificateMinDays: z.number().optional(),
  timeoutMs: z.number().optional(),
  caFile: text.optional(),
  reportOnly: bool,
  publicIpAddress: z.string().optional(),
  connectAddress: z.string().optional(),
  certificateSecretId: z.string().optional(),
  backendAddress: z.string().optional(),
  extraTriggers: z.array(z.string()).optional(),
});

/** An app component's args as the site rules name them: `secretRotatedOn`, not `loginApp.secretRotatedOn`. */
const APP_CALLER: Caller = {
  ...LIBRARY_CALLER,
  key: (p) => p.replace(/^(loginApp|mailboxApp)\.?/, ""),
};

/** The shape, then the rules over what is known, each problem once. */
function problemsOf(
  schema: z.ZodType,
  view: unknown,
  rules: (v: Record<string, unknown>) => ArgProblem[],
): ArgProblem[] {
  const shape = schemaProblems(schema, view);
  if (shape.some((p) => p.path === "args")) return shape;
  return dedupe([
    ...shape,
    ...knownOnly(
      view,
      safely(() => rules(view as Record<string, unknown>)),
    ),
  ]);
}

/** The vault that keeps the client secret, by its Azure resource id (the secret names its group and vault). */
function keyVaultIdProblems(v: Record<string, unknown>): ArgProblem[] {
  if (typeof v.keyVaultId !== "string" || v.keyVaultId === "") return [];
  try {
    parseVaultId(v.keyVaultId);
    return [];
  } catch (error) {
    return [{ path: "keyVaultId", message: (error as Error).message.replace(/^keyVaultId: /, "") }];
  }
}

/** Every problem with VantagepointLoginApp's args: the shape, the public URL, the secret's two slots. */
export function loginAppArgsProblems(view: unknown, now = new Date()): ArgProblem[] {
  return problemsOf(loginAppArgsSchema, view, (v) => {
    const out: ArgProblem[] = keyVaultIdProblems(v);
    if (typeof v.publicUrl === "string") {
      try {
        loginRedirectUri(v.publicUrl, typeof v.appPath === "string" ? v.appPath : undefined);
      } catch (error) {
        out.push({ path: "publicUrl", message: (error as Error).message.replace(/^publicUrl: /, "") });
      }
    }
    const rotation: SiteView = { loginApp: v as SiteView["loginApp"] };
    out.push(...rotationDateRules(rotation, APP_CALLER, v.now instanceof Date ? v.now : now));
    return out;
  });
}

/** Every problem with ConnectMailboxApp's args: the shape and the secret's dates. */
export function mailboxAppArgsProblems(view: unknown, now = new Date()): ArgProblem[] {
  return problemsOf(mailboxAppArgsSchema, view, (v) => [
    ...keyVaultIdProblems(v),
    ...rotationDateRules({ mailboxApp: v as SiteView["mailboxApp"] }, APP_CALLER, now),
  ]);
}

/** Every problem with SiteVerification's args: the shape, the URLs (https, no credentials) and the limits. */
export function siteVerificationArgsProblems(view: unknown): ArgProblem[] {
  return problemsOf(siteVerificationArgsSchema, view, (v) => {
    const given: Partial<VerificationSettings> = {};
    for (const key of ["publicUrl", "apiUrl", "loginUrl", "connectAddress"] as const)
      if (typeof v[key] === "string") given[key] = v[key];
    for (const key of ["certificateMinDays", "timeoutMs"] as const)
      if (typeof v[key] === "number") given[key] = v[key];
    return verificationSettingProblems(given).map(({ field, message }) => ({ path: field, message }));
  });
}
