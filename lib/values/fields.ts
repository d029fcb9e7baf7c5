/**
 * The stack config's field rules shared by every section (and by ConnectSite's args check, lib/site/argsSchema.ts):
 * names, host names, ranges, addresses, dates, people. Pure (zod only).
 */
import { isIP } from "node:net";
import { z } from "zod";
import { parseRange } from "../allowList";
import { emailProblem, userIdProblem } from "../people";
import { isSecretValue, SecretValue } from "./secret";
import { backendAddressProblem, hostnameShapeProblem, quote, resourceIdProblem } from "./validators";
import { ownerIdProblem } from "../entra";
import {
  backendIpProblem,
  databaseNameProblem,
  identifierTextProblem,
  invisibleCharProblem,
  keyVaultNameProblem,
  redirectUriProblem,
  resourceGroupNameProblem,
} from "./valueRules";

/** A string checked by one of the value rules (lib/values/valueRules.ts). */
export const ruled = (problem: (value: string) => string | undefined) =>
  z.string().superRefine((value, ctx) => {
    const message = problem(value);
    if (message) ctx.addIssue({ code: "custom", message });
  });

/** An Azure resource group name (Microsoft naming rules, lib/values/valueRules.ts). */
export const resourceGroupName = ruled(resourceGroupNameProblem);

/** Stack config namespace: keys are `vpconnect:<section>`. */
export const NAMESPACE = "vpconnect";

export const SECRET_LIFETIME_LIMIT_DAYS = 730;

/** The predefined Application Gateway TLS policies that require TLS 1.2 or newer. */
export const TLS_POLICIES = ["AppGwSslPolicy20220101S", "AppGwSslPolicy20220101"] as const;

const hostnamePattern =
  /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/i;

/** Why `value` is not a bare DNS host name (no scheme, path or port), or undefined when it is one. */
export function hostnameProblem(value: string): string | undefined {
  if (isIP(value.replace(/^\[|\]$/g, "")) !== 0) {
    return `${quote(value)} is an IP address; give the DNS name Connect reaches Vantagepoint at (the certificate is issued for a name), e.g. vantagepoint.example.com`;
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    // Suggest the URL's host only when that passes this check itself.
    let host: string | undefined;
    try {
      host = new URL(value).hostname;
    } catch {
      host = undefined;
    }
    const fix = host && hostnameProblem(host) === undefined ? `, e.g. ${JSON.stringify(host)}` : "";
    return `${quote(value)} has a scheme; give the host name only${fix}`;
  }
  if (value.includes("/"))
    return `${JSON.stringify(value)} has a path; give the host name only and put the path in site.vantagepointPath`;
  if (value.includes(":"))
    return `${JSON.stringify(value)} has a port; the public endpoint always answers on 443`;
  if (!hostnamePattern.test(value) || hostnameShapeProblem(value) !== undefined)
    return `${JSON.stringify(value)} is not a DNS host name such as vantagepoint.example.com`;
  return undefined;
}

export const hostname = z.string().superRefine((value, ctx) => {
  const problem = hostnameProblem(value);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

export const urlPath = z
  .string()
  .regex(/^\/[A-Za-z0-9._~\-/]*[^/]$|^\/$/, 'must start with "/" and not end with "/", e.g. "/vantagepoint"');

export const name = (what: string) =>
  z
    .string()
    .min(1, `must not be empty; give the ${what}`)
    .max(80, "must be at most 80 characters")
    .regex(
      /^[A-Za-z0-9][A-Za-z0-9._()-]*$/,
      `must be an Azure ${what}: letters, digits, ".", "_", "-", "(", ")"`,
    );

/** An address range for the allow list, checked with the allow-list rules (syntax, no 0.0.0.0/0, no private ranges unless allowed). */
export const range = z.string().superRefine((value, ctx) => {
  const parsed = parseRange(value);
  if ("error" in parsed) ctx.addIssue({ code: "custom", message: parsed.error });
});

export const ipv4Cidr = z.string().superRefine((value, ctx) => {
  const parsed = parseRange(value);
  if ("error" in parsed) ctx.addIssue({ code: "custom", message: parsed.error });
  else if (parsed.version !== 4) ctx.addIssue({ code: "custom", message: `${value} must be an IPv4 range` });
});

export const ipv4Address = z.string().superRefine((value, ctx) => {
  if (isIP(value) !== 4)
    ctx.addIssue({ code: "custom", message: `${JSON.stringify(value)} must be an IPv4 address` });
});

export const ipv6Cidr = z.string().superRefine((value, ctx) => {
  const parsed = parseRange(value);
  if ("error" in parsed) ctx.addIssue({ code: "custom", message: parsed.error });
  else if (parsed.version !== 6) ctx.addIssue({ code: "custom", message: `${value} must be an IPv6 range` });
});

/** A full Azure resource id of one type, e.g. /subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Network/virtualNetworks/<name>. */
export const armId = (type: string, what: string) =>
  z.string().superRefine((value, ctx) => {
    const problem = resourceIdProblem(value, type, what);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

/**
 * A secret value: `{ secure: ... }` in a stack file, or the decrypted string the engine passes for a secret key.
 * The loader turns both into a SecretValue before parsing; a plain string left here was given in plaintext.
 */
export const secret = z.custom<SecretValue>((value) => isSecretValue(value), {
  message: "must be a secret",
});

export const date = z.iso.date({ message: "must be a date written YYYY-MM-DD" });

export const lifetimeDays = z
  .number({ message: "must be a whole number of days" })
  .int("must be a whole number of days")
  .min(1, "must be at least 1 day")
  .max(
    SECRET_LIFETIME_LIMIT_DAYS,
    `must be at most ${SECRET_LIFETIME_LIMIT_DAYS} days (Deltek's guide uses 730)`,
  )
  .default(SECRET_LIFETIME_LIMIT_DAYS);

export const email = z.string().superRefine((value, ctx) => {
  const problem = invisibleCharProblem(value) ?? emailProblem(value);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

export const userId = z.string().superRefine((value, ctx) => {
  const problem = invisibleCharProblem(value) ?? userIdProblem(value);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

/** An employee key such as 00201. */
export const employeeKey = z
  .string()
  .regex(
    /^[A-Za-z0-9._-]{1,20}$/,
    "must be an employee key such as 00201 (letters, digits, '.', '_', '-'; at most 20)",
  )
  .superRefine((value, ctx) => {
    const problem = invisibleCharProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

export const personName = z
  .string()
  .min(1, "must not be empty")
  .max(50, "must be at most 50 characters")
  .regex(
    /^[^\u0000-\u001f\u007f]*$/,
    "must not contain line breaks or control characters; keep the name on one line",
  );

export const personSchema = z.strictObject({
  /** Vantagepoint user ID (Users form). */
  userId,
  /** Email on the employee record (EMail); Connect matches mailboxes by it. */
  email,
  firstName: personName,
  lastName: personName,
  /** Employee key when the employee already exists (e.g. "00201"); otherwise matched by email or created. */
  employee: employeeKey.optional(),
  /** Security role for the user; defaults to roster.defaultRole. */
  role: z.string().min(1).max(40).optional(),
});

/** A Key Vault name (global across Azure). */
export const keyVaultName = ruled(keyVaultNameProblem);

/** A Key Vault certificate (object) name. */
export const certificateName = z
  .string()
  .regex(/^[a-zA-Z0-9-]{1,127}$/, "must be a Key Vault object name (letters, digits, '-')");

/** The name of an internal-CA root certificate on the gateway (Application Gateway's trustedRootCertificates[].name). */
export const trustedRootName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$/, "must be 1-80 letters, digits, '.', '_' or '-'");

/** A predefined TLS policy with TLS 1.2 or newer. */
export const sslPolicy = z.enum(TLS_POLICIES, {
  message: `must be one of ${TLS_POLICIES.join(", ")} (TLS 1.2 or newer)`,
});

/** The gateway's backend address. */
export const backendAddress = z.string().superRefine((value, ctx) => {
  const problem = backendAddressProblem(value) ?? backendIpProblem(value);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

/** An Azure region name. */
export const location = z.string().regex(/^[a-z0-9]+$/, "must be an Azure region name such as westeurope");

/** The prefix of every Azure resource name. */
export const namePrefix = z
  .string()
  .regex(/^[a-z][a-z0-9-]{1,20}$/, 'must be 2-21 lowercase letters, digits or "-", starting with a letter');

export type Person = z.output<typeof personSchema>;

export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "");
  return h === "localhost" || h === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/** An Entra object id (lib/entra.ts ownerIdProblem). */
export const ownerId = z.string().superRefine((value, ctx) => {
  const problem = ownerIdProblem(value);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

/** A web redirect URI: https, no fragment. */
export const redirectUri = z
  .url({ protocol: /^https$/, message: "must be an https:// URL" })
  .superRefine((value, ctx) => {
    const problem = redirectUriProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

/** The Vantagepoint database name (lib/values/valueRules.ts databaseNameProblem). */
export const databaseName = z
  .string()
  .min(1, "must name the Vantagepoint database")
  .pipe(ruled(databaseNameProblem));
/** The API user's name. */
export const apiUserName = z.string().min(1, "must name the API user").pipe(ruled(identifierTextProblem));
/** The Client ID of the API Authorization this project signs in with. */
export const apiClientId = z.string().min(1).pipe(ruled(identifierTextProblem));
/** The Client ID of Connect's API Authorization, as Connect Administration's Settings tab shows it. */
export const connectClientId = z
  .string()
  .pipe(ruled(identifierTextProblem))
  .pipe(
    z
      .string()
      .regex(
        /^[A-Za-z0-9._:-]{1,100}$/,
        "must be the Client ID shown on Connect Administration's Settings tab",
      ),
  );
