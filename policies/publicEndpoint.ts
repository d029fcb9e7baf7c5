// Policies on the public endpoint: the Application Gateway, its public IP, its WAF policy and TLS policy.
import { ResourceValidationPolicy } from "@pulumi/policy";
import { arr, has, lastSegment, read, str, TYPE, Props } from "./lib/props";
import { schemaFor } from "./config";

/** P1: the public endpoint listens on HTTPS with a certificate, HTTP only redirects, it has a public IP. */
export const connectPublicUrlHttps: ResourceValidationPolicy = {
  name: "connect-public-url-https",
  description:
    "The Application Gateway that publishes Vantagepoint must listen on HTTPS with a certificate, use HTTP only to redirect to HTTPS, and have a Standard static public IP.",
  enforcementLevel: "mandatory",
  severity: "critical",
  tags: ["vantagepoint-connect", "P1"],
  remediationSteps:
    "Use the PublicEndpoint component, or give the gateway an Https listener with a Key Vault certificate, a redirect-only Http listener and a public frontend IP.",
  validateResource: (args, reportViolation) => {
    const p = args.props;
    if (args.type === TYPE.publicIp) {
      if (str(p.sku?.name) !== "Standard") {
        reportViolation(
          `Public IP '${args.name}' must use sku.name "Standard" (Application Gateway v2 requires it).`,
        );
      }
      if (str(p.publicIPAllocationMethod) !== "Static") {
        reportViolation(
          `Public IP '${args.name}' must use publicIPAllocationMethod "Static" so the public URL's DNS record stays valid.`,
        );
      }
      return;
    }
    if (args.type !== TYPE.appGateway) return;

    const listeners = arr<Props>(p.httpListeners);
    const https = listeners.filter((l) => str(l.protocol).toLowerCase() === "https");
    const http = listeners.filter((l) => str(l.protocol).toLowerCase() === "http");
    if (https.length === 0) {
      reportViolation(
        `Application Gateway '${args.name}' must have an Https listener: Connect reaches Vantagepoint only over HTTPS.`,
      );
    }
    for (const l of https) {
      if (!has(l, "sslCertificate") || !has(l.sslCertificate, "id")) {
        reportViolation(`Https listener '${str(l.name)}' must reference a certificate (sslCertificate.id).`);
      }
    }
    const certs = arr<Props>(p.sslCertificates);
    if (https.length > 0 && certs.length === 0) {
      reportViolation(
        `Application Gateway '${args.name}' must define sslCertificates for its Https listener.`,
      );
    }
    for (const c of certs) {
      if (!has(c, "keyVaultSecretId") && !has(c, "data")) {
        reportViolation(
          `SSL certificate '${str(c.name)}' must come from Key Vault (keyVaultSecretId) or carry data.`,
        );
      }
    }

    const httpsNames = new Set(https.map((l) => str(l.name)));
    const redirects = new Map(arr<Props>(p.redirectConfigurations).map((r) => [str(r.name), r]));
    const rules = arr<Props>(p.requestRoutingRules);
    // In a first preview the gateway's sub-resource ids (built from its own id) are unknown, and reading one
    // would make the whole policy "can't run during preview". Links are checked where known; the unknown ones are
    // named in one advisory and checked by pulumi up, once the gateway exists.
    const unknownLinks: string[] = [];
    const nameIn = (what: string, get: () => unknown): string | undefined => {
      const r = read(() => lastSegment(get()));
      if (r.known) return r.value;
      unknownLinks.push(what);
      return undefined;
    };
    // By index: the props proxy hands out a new wrapper on every read, so rule objects are not stable keys.
    const ruleListener = rules.map((rule) =>
      nameIn(`routing rule '${str(rule.name)}' listener`, () => rule.httpListener?.id),
    );
    for (const l of http) {
      const name = str(l.name);
      for (const rule of rules.filter((_r, i) => ruleListener[i] === name)) {
        const ruleName = str(rule.name);
        if (!has(rule, "redirectConfiguration")) {
          reportViolation(
            `Routing rule '${ruleName}' on Http listener '${name}' must only redirect to HTTPS (redirectConfiguration), not serve content.`,
          );
          continue;
        }
        if (has(rule, "backendAddressPool") || has(rule, "backendHttpSettings")) {
          reportViolation(
            `Routing rule '${ruleName}' on Http listener '${name}' must not have a backend: HTTP only redirects.`,
          );
        }
        const redirectName = nameIn(
          `routing rule '${ruleName}' redirect`,
          () => rule.redirectConfiguration?.id,
        );
        if (redirectName === undefined) continue;
        const redirect = redirects.get(redirectName);
        const target = redirect
          ? nameIn(`redirect '${redirectName}' target listener`, () => redirect.targetListener?.id)
          : "";
        if (target === undefined) continue;
        const targetUrl = redirect ? str(redirect.targetUrl) : "";
        if (!redirect || !(httpsNames.has(target) || targetUrl.toLowerCase().startsWith("https://"))) {
          reportViolation(
            `Routing rule '${ruleName}' must redirect Http listener '${name}' to an Https listener.`,
          );
        }
      }
    }
    // Where a rule's listener is unknown (a first preview: the id comes from the gateway's own id), the port-80 rule
    // still runs by counting: Azure gives each listener at most one rule (two rules on one listener are refused,
    // ApplicationGatewayRequestRoutingRulesUsingSameHttpListener), so more content-serving rules than Https
    // listeners means one of them serves content on an Http listener.
    const serving = rules.filter(
      (rule) =>
        !has(rule, "redirectConfiguration") &&
        (has(rule, "backendAddressPool") || has(rule, "backendHttpSettings") || has(rule, "urlPathMap")),
    );
    const servingUnknown = serving.filter((rule) => ruleListener[rules.indexOf(rule)] === undefined);
    if (http.length > 0 && servingUnknown.length > 0 && serving.length > https.length) {
      reportViolation(
        `Application Gateway '${args.name}' has ${serving.length} routing rules that serve content (${serving.map((r) => `'${str(r.name)}'`).join(", ")}) and only ${https.length} Https listener${https.length === 1 ? "" : "s"}; a listener takes one rule, so an Http listener serves content on port 80: make its rule only redirect to HTTPS (redirectConfiguration).`,
      );
    }
    if (unknownLinks.length > 0) {
      reportViolation({
        message: `Not known until the gateway exists (preview), so checked by pulumi up: ${unknownLinks.join(", ")}. Everything else of ${args.name} was checked.`,
        enforcementLevel: "advisory",
      } as never);
    }

    const frontends = arr<Props>(p.frontendIPConfigurations);
    if (!frontends.some((f) => has(f, "publicIPAddress") && has(f.publicIPAddress, "id"))) {
      reportViolation(
        `Application Gateway '${args.name}' must have a frontend IP configuration with a public IP (publicIPAddress.id): Connect is a cloud service.`,
      );
    }
  },
};

/** WAF_v2 with a WAF policy in Prevention mode. */
export const appgwWafPrevention: ResourceValidationPolicy = {
  name: "appgw-waf-prevention",
  description:
    "Application Gateways must use the WAF_v2 tier with a WAF policy, and WAF policies must be enabled with a managed rule set, in Prevention mode on production stacks (tag environment prod/production/prd/live; wafPreventionOn: all for every stack).",
  configSchema: schemaFor("wafPreventionOn"),
  enforcementLevel: "mandatory",
  severity: "high",
  tags: ["vantagepoint-connect", "baseline"],
  remediationSteps:
    "Set sku.tier WAF_v2, firewallPolicy.id, and policySettings {state: Enabled, mode: Prevention}.",
  validateResource: (args, reportViolation) => {
    const p = args.props;
    if (args.type === TYPE.appGateway) {
      if (str(p.sku?.tier) !== "WAF_v2" || str(p.sku?.name) !== "WAF_v2") {
        reportViolation(
          `Application Gateway '${args.name}' must use sku name and tier "WAF_v2" (found "${str(p.sku?.name)}"/"${str(p.sku?.tier)}").`,
        );
      }
      if (!has(p.firewallPolicy, "id")) {
        reportViolation(
          `Application Gateway '${args.name}' must reference a WAF policy (firewallPolicy.id); the legacy webApplicationFirewallConfiguration is retired.`,
        );
      }
      return;
    }
    if (args.type !== TYPE.wafPolicy) return;
    const settings = p.policySettings ?? {};
    if (str(settings.state) !== "Enabled") {
      reportViolation(`WAF policy '${args.name}' must have policySettings.state "Enabled".`);
    }
    // Microsoft advises Detection while untuned managed rules may block what should pass; production blocks.
    const on = args.getConfig<{ wafPreventionOn?: string }>().wafPreventionOn ?? "production";
    const environment = Object.entries((p.tags ?? {}) as Record<string, unknown>).find(
      ([k]) => k.toLowerCase() === "environment",
    )?.[1];
    const production = /^(prod|production|prd|live)$/i.test(str(environment).trim());
    if (str(settings.mode) !== "Prevention" && (on === "all" || production)) {
      reportViolation(
        `WAF policy '${args.name}' must have policySettings.mode "Prevention"${production ? " on a production stack" : ""} (Detection only logs, it blocks nothing, including the allow list); after tuning in Detection set azure.waf.mode: Prevention.`,
      );
    }
    if (arr(p.managedRules?.managedRuleSets).length === 0) {
      reportViolation(
        `WAF policy '${args.name}' must enable a managed rule set (managedRules.managedRuleSets, e.g. OWASP 3.2).`,
      );
    }
  },
};

/** Predefined TLS policies whose minimum protocol is TLS 1.2. */
export const TLS12_PREDEFINED = [
  "AppGwSslPolicy20170401S",
  "AppGwSslPolicy20220101",
  "AppGwSslPolicy20220101S",
];

/** Returns why an Application Gateway sslPolicy allows less than TLS 1.2, or undefined. */
export function tlsPolicyProblem(sslPolicy: Props | undefined): string | undefined {
  if (!sslPolicy || typeof sslPolicy !== "object") {
    return "has no sslPolicy: set policyType Predefined with AppGwSslPolicy20220101S (older API versions default to TLS 1.0)";
  }
  const type = str(sslPolicy.policyType);
  if (type === "Predefined") {
    const name = str(sslPolicy.policyName);
    return TLS12_PREDEFINED.includes(name)
      ? undefined
      : `uses predefined policy "${name}", which must be one of ${TLS12_PREDEFINED.join(", ")} (minimum TLS 1.2)`;
  }
  if (type === "Custom" || type === "CustomV2") {
    const min = str(sslPolicy.minProtocolVersion);
    return min === "TLSv1_2" || min === "TLSv1_3"
      ? undefined
      : `uses a ${type} policy with minProtocolVersion "${min || "(unset)"}", which must be TLSv1_2 or TLSv1_3`;
  }
  const disabled = arr<string>(sslPolicy.disabledSslProtocols).map(str);
  return ["TLSv1_0", "TLSv1_1"].every((v) => disabled.includes(v))
    ? undefined
    : "must set policyType Predefined (AppGwSslPolicy20220101S) or a Custom policy with minProtocolVersion TLSv1_2";
}

/** TLS policy with minimum protocol 1.2 or a predefined policy at least that strict. */
export const appgwTls12: ResourceValidationPolicy = {
  name: "appgw-tls-1-2",
  description:
    "Application Gateway TLS policies (gateway-wide and per SSL profile) must require TLS 1.2 or later.",
  enforcementLevel: "mandatory",
  severity: "high",
  tags: ["vantagepoint-connect", "baseline"],
  remediationSteps: 'Set sslPolicy {policyType: "Predefined", policyName: "AppGwSslPolicy20220101S"}.',
  validateResource: (args, reportViolation) => {
    if (args.type !== TYPE.appGateway) return;
    const problem = tlsPolicyProblem(args.props.sslPolicy);
    if (problem) reportViolation(`Application Gateway '${args.name}' ${problem}.`);
    for (const profile of arr<Props>(args.props.sslProfiles)) {
      if (!has(profile, "sslPolicy")) continue;
      const pp = tlsPolicyProblem(profile.sslPolicy);
      if (pp)
        reportViolation(`SSL profile '${str(profile.name)}' of Application Gateway '${args.name}' ${pp}.`);
    }
  },
};

/** The public endpoint's policies. */
export const publicEndpointPolicies = [connectPublicUrlHttps, appgwWafPrevention, appgwTls12];
