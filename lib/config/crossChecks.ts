/** The stack config's checks that span fields or sections (login mode, the policy section, day-2 rules). Pure. */
import { MAILBOX_ENABLED_REQUIRED } from "../entra";
import { day2Issues } from "./day2Shape";
import { windowsLoginVersionProblem } from "../values/valueRules";
import type { Sections } from "./sections";

/**
 * Checks that span fields or sections of the stack config alone (login mode, the policy section). Each check runs
 * when the sections it needs parsed, so one bad value does not hide another problem.
 */
export function crossChecks(config: Sections): Array<{ path: (string | number)[]; message: string }> {
  const out: Array<{ path: (string | number)[]; message: string }> = [];
  const issue = (path: (string | number)[], message: string) => out.push({ path, message });

  const entra = config.entra;
  if (entra) {
    if (entra.loginMode === "entraId" && !entra.loginApp) {
      issue(
        ["entra", "loginApp"],
        'is required when entra.loginMode is "entraId"; add loginApp.secretRotatedOn (YYYY-MM-DD)',
      );
    }
    // The identifier URI against the tenant: a site rule (lib/site/crossFields.ts, run by ./siteRules.ts).
    const windowsProblem =
      entra.loginMode === "windows" &&
      config.vantagepoint?.version !== undefined &&
      windowsLoginVersionProblem(config.vantagepoint.version);
    if (windowsProblem) issue(["entra", "loginMode"], windowsProblem);
    if (entra.loginMode === "windows" && entra.loginApp) {
      issue(
        ["entra", "loginApp"],
        'is not used with entra.loginMode "windows" (Connect signs in through Vantagepoint\'s own OAuth flow); remove it',
      );
    }
    if (entra.mailboxApp && entra.mailboxApp.enabled === undefined) {
      issue(["entra", "mailboxApp", "enabled"], MAILBOX_ENABLED_REQUIRED);
    }
    const policy = config.policy;
    if (policy) {
      for (const app of ["loginApp", "mailboxApp"] as const) {
        const lifetime = entra[app]?.secretLifetimeDays;
        if (lifetime !== undefined && lifetime > policy.maxSecretLifetimeDays) {
          issue(
            ["entra", app, "secretLifetimeDays"],
            `${lifetime} is over policy.maxSecretLifetimeDays (${policy.maxSecretLifetimeDays}); lower it`,
          );
        }
      }
      if (entra.mailboxApp?.access === "ews" && !policy.allowEws) {
        issue(
          ["entra", "mailboxApp", "access"],
          '"ews" needs policy.allowEws: true (Exchange Online turned EWS off from 1 October 2026); use "graph"',
        );
      }
    }
  }

  // The hub VNet being this stack's own: a site rule (lib/site/network.ts, run by ./siteRules.ts).

  out.push(...day2Issues(config));

  // The API root and Connect's Client ID: site rules (lib/site/rules.ts, crossFields.ts, run by ./siteRules.ts).
  return out;
}
