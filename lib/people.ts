/**
 * Rules for the people Connect serves: email addresses and Vantagepoint user IDs (Users form rules from
 * shared/reference/connect-prerequisites.md). Pure, no Pulumi import.
 */
import { idKey } from "./vantagepoint/identifiers";
import { emailProblem as rosterEmailProblem } from "./vantagepoint/roster";

/**
 * Why `email` is not a valid address for an employee record, or undefined when it is. The rule is the
 * ConnectRoster provider's own, so the offline check accepts exactly what `pulumi up` will accept.
 */
export function emailProblem(email: unknown): string | undefined {
  const problem = rosterEmailProblem(email);
  if (problem === undefined) return undefined;
  if (typeof email !== "string" || email.trim() === "")
    return "is empty; every Connect user needs an email address";
  if (email !== email.trim()) return `${JSON.stringify(email)} has leading or trailing spaces`;
  const detail = problem.startsWith("is not a valid email address") ? "" : `: it ${problem}`;
  return `${JSON.stringify(email)} is not a valid email address (expected name@example.com)${detail}`;
}

/** Why `userId` breaks the Vantagepoint Users form rules, or undefined when it is valid. */
export function userIdProblem(userId: unknown): string | undefined {
  if (typeof userId !== "string" || userId.trim() === "") return "is empty; give the Vantagepoint user ID";
  if (userId !== userId.trim()) return `${JSON.stringify(userId)} has leading or trailing spaces`;
  if (/[\u0000-\u001f\u007f]/.test(userId)) return `${JSON.stringify(userId)} contains control characters`;
  // The same rule as the ConnectRoster provider's check (lib/vantagepoint/roster.ts): what the offline check
  // accepts must not fail at deploy time.
  if (/\s/.test(userId)) return `${JSON.stringify(userId)} must not contain spaces`;
  const at = userId.split("@").length - 1;
  if (at === 0) {
    if (userId.length > 120)
      return `${JSON.stringify(userId)} is ${userId.length} characters; a user ID without "@" may have at most 120`;
    return undefined;
  }
  if (at > 1) return `${JSON.stringify(userId)} has ${at} "@"; a user ID written as an email has exactly one`;
  const [local, domain] = userId.split("@") as [string, string];
  if (userId.length > 113)
    return `${JSON.stringify(userId)} is ${userId.length} characters; an email user ID may have at most 113`;
  if (local.length === 0 || local.length > 64)
    return `${JSON.stringify(userId)}: the part before "@" must be 1 to 64 characters`;
  if (domain.length === 0 || domain.length > 48)
    return `${JSON.stringify(userId)}: the part after "@" must be 1 to 48 characters`;
  if (local.endsWith(".")) return `${JSON.stringify(userId)}: a "." may not stand right before "@"`;
  return undefined;
}

/** Keys that compare people as the server does: the one identifier rule (lib/vantagepoint/identifiers.ts). */
export function personKey(value: string): string {
  return idKey(value);
}

/** How people sign in to Vantagepoint (stack config `entra.loginMode`). */
export type LoginMode = "entraId" | "windows";

/**
 * Why `userId` breaks Deltek's user setup for Entra ID or Windows login, or undefined: Deltek's "Complete User
 * Configuration" enters the user name without the domain (john.smith, not john.smith@example.com or
 * EXAMPLE\john.smith; shared/reference/azure-facts.md, "Deltek user IDs with Entra/Windows login").
 */
export function userIdDomainProblem(userId: string, loginMode: LoginMode): string | undefined {
  const how = loginMode === "windows" ? "Windows" : "Entra ID";
  const bare = userId.includes("\\") ? userId.slice(userId.lastIndexOf("\\") + 1) : userId.split("@")[0]!;
  if (bare === userId) return undefined;
  return `${JSON.stringify(userId)} carries a domain; with ${how} login (entra.loginMode "${loginMode}") Deltek's user setup enters the user name without the domain: use ${JSON.stringify(bare)}`;
}
