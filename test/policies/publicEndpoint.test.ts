import {
  appgwTls12,
  appgwWafPrevention,
  connectPublicUrlHttps,
  tlsPolicyProblem,
} from "../../policies/publicEndpoint";
import type { Props } from "../../policies/lib/props";
import * as assert from "node:assert/strict";
import { appGateway, publicIp, wafPolicy } from "./fixtures";
import { assertHasViolation, assertNoViolations, runPolicy, UNKNOWN } from "./util";

describe("connect-public-url-https (P1)", () => {
  it("passes the gateway and public IP the PublicEndpoint component builds", async () => {
    await assertNoViolations(connectPublicUrlHttps, [appGateway(), publicIp()]);
  });

  it("fails without an Https listener", async () => {
    const agw = appGateway();
    agw.props.httpListeners = agw.props.httpListeners.filter((l: Props) => l.protocol !== "Https");
    await assertHasViolation(connectPublicUrlHttps, agw, "must have an Https listener");
  });

  it("fails when the Https listener has no certificate", async () => {
    const agw = appGateway();
    delete agw.props.httpListeners[0].sslCertificate;
    await assertHasViolation(connectPublicUrlHttps, agw, "must reference a certificate");
  });

  it("fails when the certificate has neither a Key Vault secret nor data", async () => {
    const agw = appGateway();
    delete agw.props.sslCertificates[0].keyVaultSecretId;
    await assertHasViolation(connectPublicUrlHttps, agw, "must come from Key Vault");
  });

  it("fails when the Http listener serves content instead of redirecting", async () => {
    const agw = appGateway();
    const rule = agw.props.requestRoutingRules[1];
    delete rule.redirectConfiguration;
    rule.backendAddressPool = { id: "/x/backendAddressPools/vantagepoint" };
    await assertHasViolation(connectPublicUrlHttps, agw, "must only redirect to HTTPS");
  });

  it("fails when the redirect rule also has a backend", async () => {
    const agw = appGateway();
    agw.props.requestRoutingRules[1].backendAddressPool = { id: "/x/backendAddressPools/vantagepoint" };
    await assertHasViolation(connectPublicUrlHttps, agw, "must not have a backend");
  });

  it("fails when HTTP redirects to another Http listener", async () => {
    const agw = appGateway();
    agw.props.redirectConfigurations[0].targetListener.id = "/x/httpListeners/http";
    await assertHasViolation(connectPublicUrlHttps, agw, "to an Https listener");
  });

  it("fails a preview where the Http listener serves content, though the rules' listener ids are unknown (issue 19)", async () => {
    const agw = appGateway();
    for (const rule of agw.props.requestRoutingRules) rule.httpListener.id = UNKNOWN.string;
    const rule = agw.props.requestRoutingRules[1];
    delete rule.redirectConfiguration;
    rule.backendAddressPool = { id: UNKNOWN.string };
    rule.backendHttpSettings = { id: UNKNOWN.string };
    const result = await runPolicy(connectPublicUrlHttps, agw);
    assert.ok(
      result.violations.some(
        (v) =>
          v.level === "mandatory" &&
          /has 2 routing rules that serve content .* and only 1 Https listener; a listener takes one rule, so an Http listener serves content on port 80/.test(
            v.message,
          ),
      ),
      JSON.stringify(result.violations),
    );
    // The component's own shape (the Http rule redirects) still passes the preview, with the unknown links named.
    const ok = appGateway();
    for (const r of ok.props.requestRoutingRules) r.httpListener.id = UNKNOWN.string;
    const passed = await runPolicy(connectPublicUrlHttps, ok);
    assert.ok(
      !passed.violations.some((v) => typeof v.message === "string" && v.message.includes("serve content")),
      JSON.stringify(passed.violations),
    );
  });

  it("accepts a redirect to an https:// target URL", async () => {
    const agw = appGateway();
    agw.props.redirectConfigurations[0] = {
      name: "http-to-https",
      redirectType: "Permanent",
      targetUrl: "https://vp.example.com",
    };
    await assertNoViolations(connectPublicUrlHttps, agw);
  });

  it("fails without a public frontend IP", async () => {
    const agw = appGateway();
    agw.props.frontendIPConfigurations = [
      { name: "private", privateIPAddress: "10.0.0.10", privateIPAllocationMethod: "Static" },
    ];
    await assertHasViolation(connectPublicUrlHttps, agw, "with a public IP");
  });

  it("counts a public IP whose id is unknown during preview as present", async () => {
    const agw = appGateway();
    agw.props.frontendIPConfigurations[0].publicIPAddress.id = UNKNOWN.string;
    await assertNoViolations(connectPublicUrlHttps, agw);
  });

  it("fails a Basic or dynamic public IP", async () => {
    const ip = publicIp();
    ip.props.sku.name = "Basic";
    await assertHasViolation(connectPublicUrlHttps, ip, 'sku.name "Standard"');
    const dyn = publicIp();
    dyn.props.publicIPAllocationMethod = "Dynamic";
    await assertHasViolation(connectPublicUrlHttps, dyn, '"Static"');
  });

  it("reports an unknown routing rule during preview the way the engine does (advisory, not a pass)", async () => {
    const agw = appGateway();
    agw.props.requestRoutingRules = UNKNOWN.array;
    const result = await runPolicy(connectPublicUrlHttps, agw);
    assert.equal(result.violations.length, 0);
    assert.match(result.unknown[0], /can't be known during preview/);
  });
});

describe("appgw-waf-prevention", () => {
  it("passes a WAF_v2 gateway with a Prevention policy", async () => {
    await assertNoViolations(appgwWafPrevention, [appGateway(), wafPolicy()]);
  });

  it("fails a Standard_v2 gateway", async () => {
    const agw = appGateway();
    agw.props.sku = { name: "Standard_v2", tier: "Standard_v2" };
    await assertHasViolation(appgwWafPrevention, agw, '"WAF_v2"');
  });

  it("fails a gateway without a WAF policy", async () => {
    const agw = appGateway();
    delete agw.props.firewallPolicy;
    await assertHasViolation(appgwWafPrevention, agw, "firewallPolicy.id");
  });

  it("fails a production stack's WAF policy in Detection mode", async () => {
    const waf = wafPolicy();
    waf.props.policySettings.mode = "Detection";
    waf.props.tags = { ...waf.props.tags, Environment: "Production" };
    await assertHasViolation(appgwWafPrevention, waf, '"Prevention" on a production stack');
  });

  it("lets a non-production stack tune in Detection, unless wafPreventionOn is all", async () => {
    const waf = wafPolicy();
    waf.props.policySettings.mode = "Detection";
    waf.props.tags = { ...waf.props.tags, environment: "dev" };
    await assertNoViolations(appgwWafPrevention, [waf]);
    await assertHasViolation(appgwWafPrevention, waf, '"Prevention"', { config: { wafPreventionOn: "all" } });
  });

  it("fails a disabled WAF policy", async () => {
    const waf = wafPolicy();
    waf.props.policySettings.state = "Disabled";
    await assertHasViolation(appgwWafPrevention, waf, '"Enabled"');
  });

  it("fails a WAF policy without managed rules", async () => {
    const waf = wafPolicy();
    waf.props.managedRules.managedRuleSets = [];
    await assertHasViolation(appgwWafPrevention, waf, "managed rule set");
  });

  it("is disabled by policy config like any Pulumi policy", async () => {
    const waf = wafPolicy();
    waf.props.policySettings.mode = "Detection";
    waf.props.tags = { environment: "prod" };
    const result = await runPolicy(appgwWafPrevention, waf, { config: { enforcementLevel: "disabled" } });
    assert.equal(result.skipped, true);
    assert.equal(result.violations.length, 0);
  });

  it("reports at the level set in policy config", async () => {
    const waf = wafPolicy();
    waf.props.policySettings.mode = "Detection";
    waf.props.tags = { environment: "prod" };
    const v = await assertHasViolation(appgwWafPrevention, waf, "Prevention", {
      config: { enforcementLevel: "advisory" },
    });
    assert.equal(v.level, "advisory");
  });
});

describe("appgw-tls-1-2", () => {
  it("passes AppGwSslPolicy20220101S", async () => {
    await assertNoViolations(appgwTls12, appGateway());
  });

  for (const name of ["AppGwSslPolicy20170401S", "AppGwSslPolicy20220101"]) {
    it(`passes ${name}`, async () => {
      const agw = appGateway();
      agw.props.sslPolicy.policyName = name;
      await assertNoViolations(appgwTls12, agw);
    });
  }

  for (const name of ["AppGwSslPolicy20150501", "AppGwSslPolicy20170401"]) {
    it(`fails ${name} (allows TLS 1.0)`, async () => {
      const agw = appGateway();
      agw.props.sslPolicy.policyName = name;
      await assertHasViolation(appgwTls12, agw, `"${name}"`);
    });
  }

  it("fails a gateway without sslPolicy", async () => {
    const agw = appGateway();
    delete agw.props.sslPolicy;
    await assertHasViolation(appgwTls12, agw, "has no sslPolicy");
  });

  it("passes a CustomV2 policy with minimum TLS 1.2 and fails one with TLS 1.1", async () => {
    const ok = appGateway();
    ok.props.sslPolicy = { policyType: "CustomV2", minProtocolVersion: "TLSv1_2" };
    await assertNoViolations(appgwTls12, ok);
    const weak = appGateway();
    weak.props.sslPolicy = { policyType: "Custom", minProtocolVersion: "TLSv1_1" };
    await assertHasViolation(appgwTls12, weak, 'minProtocolVersion "TLSv1_1"');
  });

  it("fails a weak SSL profile even when the gateway policy is strict", async () => {
    const agw = appGateway();
    agw.props.sslProfiles = [
      { name: "legacy", sslPolicy: { policyType: "Predefined", policyName: "AppGwSslPolicy20150501" } },
    ];
    await assertHasViolation(appgwTls12, agw, "SSL profile 'legacy'");
  });

  it("accepts the legacy form only when TLS 1.0 and 1.1 are both disabled", () => {
    assert.equal(tlsPolicyProblem({ disabledSslProtocols: ["TLSv1_0", "TLSv1_1"] }), undefined);
    assert.match(tlsPolicyProblem({ disabledSslProtocols: ["TLSv1_0"] }) ?? "", /Predefined/);
  });
});
