// One broken example per policy, shared by the pack tests and the engine-parity test.
import {
  adminRole,
  apiClient,
  appGateway,
  appPassword,
  CONNECT_IPS,
  loginApp,
  mailboxApp,
  nsg,
  roster,
  stack,
  vault,
  wafPolicy,
} from "./fixtures";
import { copyConfig, REVIEWED } from "./connectIpsCopy";
import type { RunOptions, TestResource } from "./util";

/** One broken example per policy: the resources, the config, and what the message must say. */
export const broken: Record<
  string,
  () => { input: TestResource | TestResource[]; message: string; options?: RunOptions }
> = {
  "connect-public-url-https": () => {
    const agw = appGateway();
    agw.props.httpListeners = [{ name: "http", protocol: "Http" }];
    return { input: agw, message: "must have an Https listener" };
  },
  "nsg-gateway-infrastructure-rules": () => {
    const n = nsg();
    n.props.securityRules = n.props.securityRules.slice(1);
    return { input: n, message: "GatewayManager" };
  },
  "connect-ips-allowed": () => ({
    input: stack().map((r) => (r.name === "waf" ? wafPolicy(["203.0.113.10/32"]) : r)),
    message: "missing: 203.0.113.11/32",
    options: { config: copyConfig(CONNECT_IPS) },
  }),
  "connect-ips-reviewed-copy": () => ({
    input: stack(),
    message: "PLACEHOLDER",
    options: { config: copyConfig(CONNECT_IPS, { ...REVIEWED, placeholder: true }) },
  }),
  "allow-list-no-any-source": () => {
    const n = nsg();
    n.props.securityRules[2].sourceAddressPrefixes = ["0.0.0.0/0"];
    return { input: n, message: "must not admit 0.0.0.0/0" };
  },
  "connect-admin-role": () => {
    const r = adminRole();
    r.props.connectAdministration = false;
    return {
      input: [...stack().filter((x) => x.name !== "admin-role"), r],
      message: "Connect Administration",
    };
  },
  "connect-admin-linked": () => {
    const r = roster();
    r.props.people[0].userStatus = "I";
    return { input: [...stack().filter((x) => x.name !== "roster"), r], message: "user status I" };
  },
  "connect-users-linked": () => {
    const r = roster();
    r.props.entries[1].email = "grace@";
    return { input: [...stack().filter((x) => x.name !== "roster"), r], message: "valid email" };
  },
  "connect-api-client-protected": () => {
    const c = apiClient();
    c.opts = {};
    return { input: [...stack().filter((x) => x.name !== "api-client"), c], message: "protect: true" };
  },
  "entra-login-redirect-matches-public-url": () => {
    const app = loginApp();
    app.props.web.redirectUris = ["http://localhost/vantagepoint/app"];
    return { input: [...stack().filter((x) => x.name !== "login"), app], message: "must use HTTPS" };
  },
  "entra-secret-max-lifetime": () => ({ input: appPassword(3650), message: "must expire within 730 days" }),
  "mailbox-app-least-privilege": () => {
    const app = mailboxApp();
    app.props.requiredResourceAccesses[0].resourceAccesses = [
      { id: "e2a3a72e-5f79-4c64-b1b1-878b674786c9", type: "Role" },
    ];
    return { input: app, message: "Mail.ReadWrite" };
  },
  "appgw-waf-prevention": () => {
    const waf = wafPolicy();
    waf.props.policySettings.mode = "Detection";
    waf.props.tags = { environment: "prod" };
    return { input: waf, message: "Prevention" };
  },
  "appgw-tls-1-2": () => {
    const agw = appGateway();
    agw.props.sslPolicy = { policyType: "Predefined", policyName: "AppGwSslPolicy20150501" };
    return { input: agw, message: "minimum TLS 1.2" };
  },
  "nsg-no-open-management-ports": () => {
    const n = nsg();
    n.props.securityRules.push({
      name: "Rdp",
      priority: 300,
      direction: "Inbound",
      access: "Allow",
      protocol: "Tcp",
      sourceAddressPrefix: "*",
      destinationPortRange: "3389",
    });
    return { input: n, message: "3389" };
  },
  "keyvault-purge-protection": () => {
    const v = vault();
    v.props.properties.enablePurgeProtection = false;
    return { input: v, message: "purge protection" };
  },
};
