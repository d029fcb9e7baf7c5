/**
 * Value rules that read two args at once (lib/values/valueRules.ts holds the rules and their sources): the login
 * app's identifier URI against the tenant, and Connect's API client against the Client ID this project signs in
 * with. Pure, over the args view; named by the caller's keys, so the stack-config loader runs the same functions.
 */
import { connectClientIdProblem, identifierUriProblem } from "../values/valueRules";
import { rosterArgRules } from "./roster";
import type { ArgProblem, Caller, SiteView } from "./view";
import { str, UNKNOWN } from "./view";

/** The login app's Application ID URI: one Entra accepts for this app in this tenant. */
export function identifierUriRules(v: SiteView, c: Caller): ArgProblem[] {
  const uri = str(v.loginApp?.identifierUri);
  if (uri === undefined || v.tenantId === UNKNOWN) return [];
  const problem = identifierUriProblem(uri, str(v.tenantId));
  return problem ? [{ path: c.key("loginApp.identifierUri"), message: problem }] : [];
}

/** Connect's API Authorization is not the one this project signs in with. */
export function connectApiClientRules(v: SiteView, c: Caller): ArgProblem[] {
  const connection = v.vantagepoint?.connection;
  const connectId = str(v.vantagepoint?.connectApiClient?.clientId);
  const ownId = connection && connection !== UNKNOWN ? str(connection.clientId) : undefined;
  if (connectId === undefined || ownId === undefined) return [];
  const field = c.key("vantagepoint.connectApiClient.clientId");
  const problem = connectClientIdProblem(connectId, ownId, {
    own: c.key("vantagepoint.connection.clientId"),
    field,
  });
  return problem ? [{ path: field, message: problem }] : [];
}

/** The roster's people: duplicates and lookalikes (lib/site/roster.ts). */
export function siteRosterRules(v: SiteView, c: Caller): ArgProblem[] {
  const roster = v.vantagepoint?.roster;
  return roster === UNKNOWN ? [] : rosterArgRules(roster, "vantagepoint.roster", c);
}
