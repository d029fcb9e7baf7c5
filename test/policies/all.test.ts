import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { packConfigDefaults, packConfigSchema, packName, policies, prerequisite } from "../../policies/all";
import { broken } from "./examples";
import { CONNECT_IPS, publicIp, stack } from "./fixtures";
import { copyConfig } from "./connectIpsCopy";
import { assertHasViolation, assertNoViolations, AnyPolicy } from "./util";

const POLICIES_DIR = path.join(__dirname, "..", "..", "policies");

function tsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.name === "node_modules") return [];
    const p = path.join(dir, e.name);
    return e.isDirectory() ? tsFiles(p) : e.name.endsWith(".ts") ? [p] : [];
  });
}

describe("policies/all.ts", () => {
  it("names every policy once, in kebab-case, with a description and a prerequisite", () => {
    const names = policies.map((p) => p.name);
    assert.equal(new Set(names).size, names.length, "policy names must be unique");
    for (const p of policies) {
      assert.match(p.name, /^[a-z0-9]+(-[a-z0-9]+)*$/, `${p.name} must be kebab-case`);
      assert.ok(
        p.description.length > 20 && p.description.endsWith("."),
        `${p.name} needs a one-sentence description`,
      );
      assert.match(prerequisite[p.name] ?? "", /^(P[1-8]|baseline)$/, `${p.name} needs a prerequisite`);
      assert.ok(
        p.enforcementLevel === "mandatory" || p.enforcementLevel === "advisory",
        `${p.name} needs a level`,
      );
      assert.ok(p.name !== "all", '"all" is reserved by the engine');
    }
    assert.deepEqual(
      Object.keys(prerequisite).sort(),
      [...names].sort(),
      "prerequisite map and policy list must agree",
    );
  });

  it("has every policy the issue lists, at the listed level", () => {
    const expected: Record<string, string> = {
      "connect-public-url-https": "mandatory",
      "connect-ips-allowed": "mandatory",
      "allow-list-no-any-source": "mandatory",
      "connect-admin-role": "mandatory",
      "connect-admin-linked": "mandatory",
      "connect-users-linked": "mandatory",
      "connect-api-client-protected": "mandatory",
      "entra-login-redirect-matches-public-url": "mandatory",
      "entra-secret-max-lifetime": "mandatory",
      "mailbox-app-least-privilege": "advisory",
      "appgw-waf-prevention": "mandatory",
      "appgw-tls-1-2": "mandatory",
      "nsg-no-open-management-ports": "mandatory",
      "keyvault-purge-protection": "advisory",
    };
    for (const [name, level] of Object.entries(expected)) {
      assert.equal(policies.find((p) => p.name === name)?.enforcementLevel, level, name);
    }
  });

  it("gives every config key a schema whose default equals the pack default", () => {
    for (const [k, s] of Object.entries(packConfigSchema)) {
      assert.deepEqual(s.default, packConfigDefaults[k as keyof typeof packConfigDefaults], k);
      assert.ok(s.description, `${k} needs a description`);
    }
    for (const p of policies) {
      const props = p.configSchema?.properties ?? {};
      assert.ok(
        !("enforcementLevel" in props),
        `${p.name}: the engine rejects enforcementLevel in configSchema`,
      );
      for (const k of Object.keys(props)) assert.ok(k in packConfigSchema, `${p.name}: unknown key ${k}`);
    }
  });

  it("ships a config.example.json that names real policies and keys", () => {
    const example = JSON.parse(
      fs.readFileSync(path.join(POLICIES_DIR, "config.example.json"), "utf8"),
    ) as Record<string, unknown>;
    for (const [name, value] of Object.entries(example)) {
      const policy = policies.find((p) => p.name === name);
      assert.ok(policy, `config.example.json: unknown policy ${name}`);
      if (typeof value === "string") continue;
      for (const k of Object.keys(value as object)) {
        assert.ok(
          k === "enforcementLevel" || k in (policy.configSchema?.properties ?? {}),
          `${name}.${k} is not in its configSchema`,
        );
      }
    }
  });

  it("constructs the PolicyPack only in index.ts, and reaches outside the pack only for lib/'s pure modules", () => {
    // The pack's build compiles what it imports from lib/ into the pack (policies/bin/lib), so a standalone
    // install needs exactly the pack's own dependencies: every npm import, the pack's and its lib modules', must
    // be one of them (test/policies/packaging.test.ts installs and runs the built pack on its own).
    const LIB_DIR = path.resolve(POLICIES_DIR, "..", "lib");
    const pkg = JSON.parse(fs.readFileSync(path.join(POLICIES_DIR, "package.json"), "utf8"));
    const declared = Object.keys(pkg.dependencies);
    const seen = new Set<string>();
    const visit = (file: string, from: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = fs.readFileSync(file, "utf8");
      const rel = path.relative(POLICIES_DIR, file);
      if (rel !== "index.ts")
        assert.doesNotMatch(text, /new PolicyPack\(/, `${rel} must not construct a PolicyPack`);
      for (const m of text.matchAll(/from "([^"]+)"/g)) {
        const spec = m[1];
        if (spec.startsWith(".")) {
          const target = path.resolve(path.dirname(file), spec);
          assert.ok(
            target.startsWith(POLICIES_DIR + path.sep) || target.startsWith(LIB_DIR + path.sep),
            `${rel} imports ${spec} (via ${from}): a pack module may import the pack's own modules and lib/'s pure modules only`,
          );
          visit(`${target}.ts`, rel);
        } else if (!spec.startsWith("node:")) {
          const name = spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0];
          assert.ok(
            declared.includes(name),
            `${rel} imports ${spec} (via ${from}); declare ${name} in policies/package.json dependencies`,
          );
          if (file.startsWith(LIB_DIR + path.sep))
            assert.doesNotMatch(spec, /^@pulumi\//, `${rel}: lib/ modules must stay free of Pulumi`);
        }
      }
    };
    for (const file of tsFiles(POLICIES_DIR)) visit(file, "the pack");
    assert.ok(
      [...seen].some((f) => f.startsWith(LIB_DIR + path.sep)),
      "the pack uses lib/'s CIDR and email modules (no copies of its own)",
    );
    assert.match(fs.readFileSync(path.join(POLICIES_DIR, "index.ts"), "utf8"), /new PolicyPack\(packName,/);
  });

  it("index.ts registers every policy under the pack name (captured without a gRPC server)", () => {
    const policyModule = require("@pulumi/policy/policy") as { PolicyPack: unknown };
    const original = policyModule.PolicyPack;
    const captured: { name: string; args: { policies: AnyPolicy[] } }[] = [];
    policyModule.PolicyPack = class {
      constructor(name: string, args: { policies: AnyPolicy[] }) {
        captured.push({ name, args });
      }
    };
    const entry = require.resolve("../../policies/index");
    try {
      delete require.cache[entry];
      require(entry);
    } finally {
      policyModule.PolicyPack = original;
      delete require.cache[entry];
    }
    assert.equal(captured.length, 1);
    assert.equal(captured[0].name, packName);
    assert.deepEqual(
      captured[0].args.policies.map((p) => p.name),
      policies.map((p) => p.name),
    );
  });

  it("has PulumiPolicy.yaml (nodejs) and a package.json that declares the SDKs and the CIDR library lib/ uses", () => {
    assert.match(fs.readFileSync(path.join(POLICIES_DIR, "PulumiPolicy.yaml"), "utf8"), /^runtime: nodejs$/m);
    const pkg = JSON.parse(fs.readFileSync(path.join(POLICIES_DIR, "package.json"), "utf8"));
    assert.deepEqual(Object.keys(pkg.dependencies).sort(), [
      "@pulumi/policy",
      "@pulumi/pulumi",
      "cidr-tools",
    ]);
    const root = JSON.parse(fs.readFileSync(path.join(POLICIES_DIR, "..", "package.json"), "utf8"));
    for (const dep of Object.keys(pkg.dependencies))
      assert.equal(
        pkg.dependencies[dep],
        // The project's own SDK pin is a devDependency (its package takes @pulumi/pulumi as a peer).
        root.dependencies[dep] ?? root.devDependencies[dep],
        `${dep}: the pack pins what the project pins`,
      );
    // The analyzer runs `main`: the compiled build (the pack starts without type-checking TypeScript).
    assert.equal(pkg.main, "bin/policies/index.js");
    assert.ok(pkg.version, "PolicyPack reads the version from package.json");
  });
});

describe("one broken example per policy", () => {
  it("covers every policy in the pack", () => {
    assert.deepEqual(Object.keys(broken).sort(), policies.map((p) => p.name).sort());
  });

  it("the whole happy stack passes every policy (given the Connect IPs)", async () => {
    const all = [...stack(), publicIp()];
    for (const p of policies) {
      await assertNoViolations(
        p,
        all,
        p.name.startsWith("connect-ips-") ? { config: copyConfig(CONNECT_IPS) } : {},
      );
    }
  });

  for (const p of policies) {
    it(`${p.name} catches its broken example`, async () => {
      const example = broken[p.name]();
      await assertHasViolation(p, example.input, example.message, example.options);
    });
  }
});
