/**
 * The stack-config loader's call of the site rules (lib/site): the parsed sections as ConnectSite's args view (the
 * same mapping program/siteArgs.ts makes), each rule group run only when the sections it reads parsed, and the
 * problems named by stack key. One copy of each rule: the components call the same functions with arg paths.
 */
import { siteRuleProblems } from "../site/check";
import { addressSpaceRules } from "../site/network";
import type { ArgProblem, SiteView } from "../site/view";
import { STACK_CALLER, UNKNOWN } from "../site/view";
import type { StackConfig } from "./schema";

type Parsed = { [K in keyof StackConfig]?: StackConfig[K] };

/** Raw (unparsed) sections, for the allow list's items when a sibling item failed to parse. */
type Raw = Record<string, unknown>;

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** ConnectSite's args view of what parsed (program/siteArgs.ts maps a full config the same way). */
export function siteViewOf(raw: Raw, c: Parsed): SiteView {
  const view: SiteView = {};
  const rawSite = isObject(raw.site) ? raw.site : {};
  if (c.azure) {
    view.namePrefix = c.azure.namePrefix;
    view.location = c.azure.location;
    view.resourceGroup = { name: c.azure.resourceGroupName, create: c.azure.createResourceGroup };
    view.network = c.azure.network;
  }
  if (c.site) {
    view.publicHostname = c.site.publicHostname;
    view.vantagepointPath = c.site.vantagepointPath;
    view.backend = {
      address: c.site.backend.address,
      port: c.site.backend.port,
      protocol: c.site.backend.protocol === "https" ? "Https" : "Http",
      hostName: c.site.backend.hostHeader,
      trustedRootCertificates: c.site.backend.trustedRootCertificates.map((r) => ({ name: r.name })),
    };
    view.httpListener = c.site.httpListener;
    view.verification = { mode: c.site.verification };
  }
  view.ipv6Frontend = c.site ? c.site.ipv6Frontend : rawSite.ipv6Frontend === true;
  if (c.tls) {
    const pfx = c.tls.pfx;
    view.tls = {
      ...c.tls,
      pfx: pfx === undefined ? undefined : pfx.available ? pfx.reveal("tls.pfx") : UNKNOWN,
    };
    // Without the azure section the resource group's fate is unknown: do not guess.
    if (!c.azure) view.resourceGroup = { create: false };
  }
  if (isObject(raw.allowList)) {
    const a = raw.allowList;
    view.allowList = {
      connectIps: a.connectIps as string[],
      extraRanges: a.extraRanges as string[],
      enforceAt: c.allowList?.enforceAt ?? (a.enforceAt as string),
      allowPrivateRanges: a.allowPrivateRanges === true,
      audience: c.site?.audience ?? (rawSite.audience as string),
    };
  }
  if (c.entra) {
    view.tenantId = c.entra.tenantId;
    if (c.entra.loginApp) view.loginApp = c.entra.loginApp;
    if (c.entra.mailboxApp?.enabled) view.mailboxApp = c.entra.mailboxApp;
  }
  if (c.vantagepoint) {
    // The roster is the loader's to merge (configurer, users, file, group): it runs the roster rules itself.
    view.vantagepoint = {
      connection: { url: c.vantagepoint.apiUrl, clientId: c.vantagepoint.clientId },
      connectApiClient: { clientId: c.vantagepoint.connectApiClient.clientId },
    };
    view.verification = { ...view.verification, apiUrl: c.vantagepoint.apiUrl };
  }
  return view;
}

/** The site rules' problems and warnings for the parsed sections, named by stack key (without the namespace). */
export function siteRuleIssues(raw: Raw, c: Parsed, now: Date): { errors: ArgProblem[]; warnings: string[] } {
  const view = siteViewOf(raw, c);
  const all = siteRuleProblems(view, STACK_CALLER, { now });
  // A rule group runs only when the sections it reads parsed, so one bad value does not hide or fake another.
  const needs: Array<[RegExp, boolean]> = [
    [/^azure\.network\.hub\.virtualNetworkId$/, Boolean(c.azure)],
    [/^(azure\.network|site\.backend\.address)/, Boolean(c.site && c.azure)],
    [/^tls\./, Boolean(c.tls)],
    [/^allowList\./, true],
    [/^site\.httpListener/, Boolean(c.site && c.allowList)],
    [/^site\.backend\.trustedRootCertificates/, Boolean(c.site)],
    [/^entra\./, Boolean(c.entra)],
    [/^vantagepoint\./, Boolean(c.vantagepoint)],
  ];
  const errors = all.filter((p) => {
    const rule = needs.find(([re]) => re.test(p.path));
    return rule ? rule[1] : true;
  });
  const warnings = c.azure ? addressSpaceRules(view, STACK_CALLER).warnings : [];
  return { errors, warnings };
}
