/* eslint-disable @typescript-eslint/no-explicit-any -- stack config fixtures are untyped YAML, edited freely by each test */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { inspect } from "node:util";
import { ConfigError, didYouMean, loadStackConfig } from "../../lib/config/load";
import type { LoadOptions } from "../../lib/config/load";
import { SecretValue } from "../../lib/values/secret";
import { parseStackFile } from "../../lib/config/stackFile";

const root = path.resolve(__dirname, "../..");
const devFile = "stacks/Pulumi.dev.yaml";
const devConfig = parseStackFile(readFileSync(path.join(root, devFile), "utf8"), devFile).config;

/** A fresh copy of the dev stack's config, changed by `edit`. */
function dev(edit: (c: Record<string, any>) => void = () => {}): Record<string, unknown> {
  const copy = structuredClone(devConfig) as Record<string, any>;
  edit(copy);
  return copy;
}

function load(raw: Record<string, unknown>, options: Partial<LoadOptions> = {}) {
  return loadStackConfig(raw, { source: devFile, ...options });
}

/** Loads `raw`, expects a ConfigError and returns its issues as "key: message" lines. */
function problems(raw: Record<string, unknown>, options: Partial<LoadOptions> = {}): string[] {
  try {
    load(raw, options);
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected ConfigError, got ${String(error)}`);
    for (const issue of error.issues) assert.equal(issue.file, devFile);
    return error.issues.map((i) => `${i.key}: ${i.message}`);
  }
  assert.fail("expected the config to be rejected");
}

function assertProblem(lines: string[], key: string, fragment: RegExp | string): void {
  const hit = lines.find(
    (l) =>
      l.startsWith(`${key}: `) && (typeof fragment === "string" ? l.includes(fragment) : fragment.test(l)),
  );
  assert.ok(hit, `no problem at ${key} matching ${fragment}; got:\n${lines.join("\n")}`);
}

describe("stack config loading", () => {
  it("loads the dev stack with defaults and derived values", () => {
    const loaded = load(dev());
    assert.equal(loaded.publicUrl, "https://vantagepoint.example.com/vantagepoint");
    assert.equal(loaded.loginRedirectUri, "https://vantagepoint.example.com/vantagepoint/app");
    assert.equal(loaded.requireAdministratorType, true);
    assert.equal(loaded.config.site.backend.port, 443);
    assert.equal(loaded.config.vantagepoint.paths.roles, "/security/role");
    assert.equal(loaded.config.vantagepoint.pageSize, 500);
    assert.deepEqual(loaded.warnings, []);
  });

  it("puts the configurer first with the admin role, users after with the default role", () => {
    const { roster } = load(dev());
    assert.equal(roster.length, 6);
    assert.deepEqual(
      { userId: roster[0]!.userId, role: roster[0]!.role, configurer: roster[0]!.configurer },
      { userId: "ADMIN.JONES", role: "ADMIN", configurer: true },
    );
    assert.ok(roster.slice(1).every((p) => p.role === "CONNECT" && !p.configurer));
  });

  it("keeps secure values as secrets that never print", () => {
    const { config } = load(dev());
    const password = config.vantagepoint.password;
    assert.ok(password instanceof SecretValue);
    assert.equal(password.available, false);
    assert.match(password.ciphertext ?? "", /^v1:/);
    assert.equal(String(password), "[secret]");
    assert.equal(JSON.stringify({ password }), '{"password":"[secret]"}');
    assert.equal(inspect(password), "[secret]");
    assert.throws(() => password.reveal("vantagepoint.password"), /cannot be decrypted offline/);
  });

  it("uses a plaintext override for a secure value (emulator runs) without printing it", () => {
    const { config } = load(dev(), { secretOverrides: { "vantagepoint.password": "s3ntinel-pw" } });
    assert.equal(config.vantagepoint.password.reveal(), "s3ntinel-pw");
    assert.ok(!JSON.stringify(config).includes("s3ntinel-pw"));
    assert.ok(!inspect(config, { depth: 10 }).includes("s3ntinel-pw"));
  });

  it("accepts the engine's form: JSON strings and secret keys decrypted", () => {
    const raw: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(dev()))
      raw[key] = typeof value === "string" ? value : JSON.stringify(value);
    const vp = JSON.parse(raw["vpconnect:vantagepoint"] as string);
    vp.password = "decrypted-by-engine";
    vp.clientSecret = "also-decrypted";
    raw["vpconnect:vantagepoint"] = JSON.stringify(vp);
    const { config } = load(raw, { secretKeys: new Set(["vpconnect:vantagepoint"]) });
    assert.equal(config.vantagepoint.password.reveal(), "decrypted-by-engine");
  });

  it("does not change the object it was given", () => {
    const raw = dev();
    const before = JSON.stringify(raw);
    load(raw);
    assert.equal(JSON.stringify(raw), before);
  });

  it("ignores other namespaces", () => {
    assert.doesNotThrow(() => load(dev((c) => (c["aws:region"] = "us-east-1"))));
  });
});

describe("stack config errors", () => {
  it("reports every problem at once, each with file, key path and what is expected", () => {
    const lines = problems(
      dev((c) => {
        c["vpconnect:allowList"].connectIps.push("10.0.0.0/33");
        c["vpconnect:site"].publicHostname = "https://vp.example.com";
        c["vpconnect:entra"].tenantId = "not-a-guid";
      }),
    );
    assert.equal(lines.length, 3);
    assertProblem(lines, "vpconnect:allowList.connectIps[2]", '"10.0.0.0/33" is not a CIDR');
    assertProblem(lines, "vpconnect:site.publicHostname", "has a scheme");
    assertProblem(lines, "vpconnect:entra.tenantId", "GUID");
  });

  it("formats the error message as file: key: message lines", () => {
    try {
      load(dev((c) => c["vpconnect:allowList"].connectIps.push("10.0.0.0/33")));
      assert.fail("expected an error");
    } catch (error) {
      assert.match(
        String((error as Error).message),
        /^1 problem in the stack config; nothing was created:\n {2}stacks\/Pulumi\.dev\.yaml: vpconnect:allowList\.connectIps\[2\]: "10\.0\.0\.0\/33" is not a CIDR/,
      );
    }
  });

  describe("site", () => {
    it("requires the section", () =>
      assertProblem(problems(dev((c) => delete c["vpconnect:site"])), "vpconnect:site", "is required"));
    it("refuses a host name with a path", () =>
      assertProblem(
        problems(dev((c) => (c["vpconnect:site"].publicHostname = "vp.example.com/vantagepoint"))),
        "vpconnect:site.publicHostname",
        "has a path",
      ));
    it("refuses a host name with a port", () =>
      assertProblem(
        problems(dev((c) => (c["vpconnect:site"].publicHostname = "vp.example.com:8443"))),
        "vpconnect:site.publicHostname",
        "has a port",
      ));
    it("refuses a path ending in /", () =>
      assertProblem(
        problems(dev((c) => (c["vpconnect:site"].vantagepointPath = "/vantagepoint/"))),
        "vpconnect:site.vantagepointPath",
        'must start with "/"',
      ));
    it("names the wrong type", () =>
      assertProblem(
        problems(dev((c) => (c["vpconnect:site"].backend.port = "443"))),
        "vpconnect:site.backend.port",
        'must be a number, not "443"',
      ));
    it("suggests the key meant", () =>
      assertProblem(
        problems(dev((c) => (c["vpconnect:site"].publicHostame = "x"))),
        "vpconnect:site.publicHostame",
        'did you mean "publicHostname"?',
      ));
  });

  describe("azure", () => {
    it("refuses a gateway subnet smaller than /26", () =>
      assertProblem(
        problems(dev((c) => (c["vpconnect:azure"].network.gatewaySubnetPrefix = "10.60.1.0/27"))),
        "vpconnect:azure.network.gatewaySubnetPrefix",
        "/26 or larger",
      ));
    it("refuses a gateway subnet outside the address space", () =>
      assertProblem(
        problems(dev((c) => (c["vpconnect:azure"].network.gatewaySubnetPrefix = "10.70.1.0/24"))),
        "vpconnect:azure.network.gatewaySubnetPrefix",
        "outside azure.network.addressSpace",
      ));
    it("refuses an upper-case name prefix", () =>
      assertProblem(
        problems(dev((c) => (c["vpconnect:azure"].namePrefix = "VPC"))),
        "vpconnect:azure.namePrefix",
        "lowercase",
      ));
  });

  describe("tls", () => {
    it("refuses a TLS policy older than TLS 1.2", () =>
      assertProblem(
        problems(dev((c) => (c["vpconnect:tls"].sslPolicy = "AppGwSslPolicy20150501"))),
        "vpconnect:tls.sslPolicy",
        "AppGwSslPolicy20220101S",
      ));
    it("requires the certificate name", () =>
      assertProblem(
        problems(dev((c) => delete c["vpconnect:tls"].certificateName)),
        "vpconnect:tls.certificateName",
        "is required",
      ));
  });

  describe("allowList", () => {
    it("refuses 0.0.0.0/0 and ::/0", () => {
      const lines = problems(dev((c) => c["vpconnect:allowList"].connectIps.push("0.0.0.0/0", "::/0")));
      assertProblem(lines, "vpconnect:allowList.connectIps[2]", "admits every address");
      assertProblem(lines, "vpconnect:allowList.connectIps[3]", "admits every address");
    });
    it("refuses private ranges unless allowed", () => {
      assertProblem(
        problems(dev((c) => c["vpconnect:allowList"].extraRanges.push("192.168.10.0/24"))),
        "vpconnect:allowList.extraRanges[1]",
        "private",
      );
      assert.doesNotThrow(() =>
        load(
          dev((c) => {
            c["vpconnect:allowList"].extraRanges.push("192.168.10.0/24");
            c["vpconnect:allowList"].allowPrivateRanges = true;
          }),
        ),
      );
    });
    it("refuses IPv6 mistakes", () => {
      const lines = problems(
        dev((c) => c["vpconnect:allowList"].connectIps.push("2001:db8:::/48", "2001:db8::1/48", "fe80::/64")),
      );
      assertProblem(lines, "vpconnect:allowList.connectIps[2]", "not an IPv4 or IPv6 address");
      assertProblem(
        lines,
        "vpconnect:allowList.connectIps[3]",
        "host bits set; write the network address 2001:db8::/48",
      );
      assertProblem(lines, "vpconnect:allowList.connectIps[4]", "link-local");
    });
    it("needs at least one Connect address", () =>
      assertProblem(
        problems(dev((c) => (c["vpconnect:allowList"].connectIps = []))),
        "vpconnect:allowList.connectIps",
        "at least one",
      ));
    it("warns that waf-only enforcement leaves the NSG open", () => {
      const loaded = load(
        dev((c) => {
          c["vpconnect:allowList"].enforceAt = "waf";
          c["vpconnect:site"].httpListener = "off";
        }),
      );
      assert.match(loaded.warnings.join("\n"), /allow-list-no-any-source/);
    });
  });

  describe("entra", () => {
    it("refuses a secret lifetime over 730 days", () =>
      assertProblem(
        problems(dev((c) => (c["vpconnect:entra"].loginApp.secretLifetimeDays = 731))),
        "vpconnect:entra.loginApp.secretLifetimeDays",
        "at most 730",
      ));
    it("refuses a lifetime over the stack's own policy", () =>
      assertProblem(
        problems(dev((c) => (c["vpconnect:policy"].maxSecretLifetimeDays = 180))),
        "vpconnect:entra.loginApp.secretLifetimeDays",
        "over policy.maxSecretLifetimeDays (180)",
      ));
    it("refuses EWS unless the policy allows it", () => {
      assertProblem(
        problems(
          dev(
            (c) =>
              (c["vpconnect:entra"].mailboxApp = {
                enabled: true,
                access: "ews",
                secretRotatedOn: "2026-11-01",
              }),
          ),
        ),
        "vpconnect:entra.mailboxApp.access",
        "policy.allowEws",
      );
      const loaded = load(
        dev((c) => {
          c["vpconnect:entra"].mailboxApp = { enabled: true, access: "ews", secretRotatedOn: "2026-11-01" };
          c["vpconnect:policy"].allowEws = true;
        }),
      );
      assert.match(loaded.warnings.join("\n"), /EWS off from 1 October 2026/);
    });
    it("needs the login app for Entra ID login and refuses it for Windows login", () => {
      assertProblem(
        problems(dev((c) => delete c["vpconnect:entra"].loginApp)),
        "vpconnect:entra.loginApp",
        "is required",
      );
      assertProblem(
        problems(dev((c) => (c["vpconnect:entra"].loginMode = "windows"))),
        "vpconnect:entra.loginApp",
        "is not used",
      );
    });
    it("refuses a bad rotation date", () =>
      assertProblem(
        problems(dev((c) => (c["vpconnect:entra"].loginApp.secretRotatedOn = "2026-13-01"))),
        "vpconnect:entra.loginApp.secretRotatedOn",
        "YYYY-MM-DD",
      ));
  });

  describe("vantagepoint", () => {
    it("refuses plaintext secrets and says how to encrypt them", () => {
      const lines = problems(dev((c) => (c["vpconnect:vantagepoint"].password = "hunter2-plain")));
      assertProblem(
        lines,
        "vpconnect:vantagepoint.password",
        "pulumi config set --secret --path 'vpconnect:vantagepoint.password'",
      );
      assert.ok(!lines.join("\n").includes("hunter2-plain"), "the plaintext must not be echoed");
    });
    it("refuses http for a non-loopback API URL", () =>
      assertProblem(
        problems(dev((c) => (c["vpconnect:vantagepoint"].apiUrl = "http://vp.example.com/vantagepoint/api"))),
        "vpconnect:vantagepoint.apiUrl",
        "https://",
      ));
    it("allows http on loopback with a warning", () => {
      const loaded = load(
        dev((c) => (c["vpconnect:vantagepoint"].apiUrl = "http://127.0.0.1:8080/vantagepoint/api")),
      );
      assert.match(loaded.warnings.join("\n"), /never for a real server/);
    });
    it("refuses credentials in the API URL without echoing them", () => {
      const lines = problems(
        dev((c) => (c["vpconnect:vantagepoint"].apiUrl = "http://svc:pa55word@vp.example.com/api")),
      );
      assertProblem(lines, "vpconnect:vantagepoint.apiUrl", "must not carry credentials");
      assertProblem(lines, "vpconnect:vantagepoint.apiUrl", "must use https://");
      assert.ok(!lines.join("\n").includes("pa55word"), "the password in the URL must not be echoed");
    });
    it("flags encrypted values at keys that are not secrets", () =>
      assertProblem(
        problems(dev((c) => (c["vpconnect:vantagepoint"].database = { secure: "v1:abc" }))),
        "vpconnect:vantagepoint.database",
        "not a secret",
      ));
    it("requires the password", () =>
      assertProblem(
        problems(dev((c) => delete c["vpconnect:vantagepoint"].password)),
        "vpconnect:vantagepoint.password",
        "is required (a secret)",
      ));
  });

  describe("roster", () => {
    it("names the row and field of a bad email and a bad user ID", () => {
      const lines = problems(
        dev((c) =>
          c["vpconnect:roster"].users.push(
            { userId: "a@b@c", email: "x@example.com", firstName: "A", lastName: "B" },
            { userId: "OK", email: "not-an-email", firstName: "A", lastName: "B" },
          ),
        ),
      );
      assertProblem(lines, "vpconnect:roster.users[5].userId", 'has 2 "@"');
      assertProblem(lines, "vpconnect:roster.users[6].email", "not a valid email");
    });
    it("refuses duplicate emails and user IDs, case-insensitively", () => {
      const lines = problems(
        dev((c) =>
          c["vpconnect:roster"].users.push(
            { userId: "alee", email: "other@example.com", firstName: "A", lastName: "B" },
            { userId: "NEW1", email: "ALEX.LEE@example.com", firstName: "A", lastName: "B" },
          ),
        ),
      );
      assertProblem(
        lines,
        "vpconnect:roster.users[5].userId",
        "listed twice (also at vpconnect:roster.users[0])",
      );
      assertProblem(lines, "vpconnect:roster.users[6].email", "listed twice");
    });
    it("reads a roster file through the given reader and parser", () => {
      const loaded = load(
        dev((c) => (c["vpconnect:roster"].file = "people.csv")),
        {
          readFile: (p) => (assert.equal(p, "people.csv"), "csv"),
          parseRosterFile: () => ({
            entries: [{ userId: "FILE1", email: "file1@example.com", firstName: "F", lastName: "One" }],
            errors: [],
          }),
        },
      );
      assert.equal(loaded.roster.at(-1)?.userId, "FILE1");
    });
    it("names the file and row of a bad roster file entry", () => {
      const lines = problems(
        dev((c) => (c["vpconnect:roster"].file = "people.csv")),
        {
          readFile: () => "csv",
          parseRosterFile: () => ({
            entries: [{ userId: "FILE1", email: "nope", firstName: "F", lastName: "One" }],
            errors: [{ row: 3, field: "email", message: "is empty" }],
          }),
        },
      );
      assertProblem(lines, "people.csv row 2 email", "not a valid email");
      assertProblem(lines, "people.csv row 3 email", "is empty");
    });
    it("says when the roster file cannot be read", () => {
      const lines = problems(
        dev((c) => (c["vpconnect:roster"].file = "missing.csv")),
        {
          readFile: () => {
            throw Object.assign(new Error("nope"), { code: "ENOENT" });
          },
          parseRosterFile: () => ({ entries: [], errors: [] }),
        },
      );
      assertProblem(lines, "vpconnect:roster.file", "ENOENT");
    });
  });

  describe("unknown keys", () => {
    it("suggests the section meant", () =>
      assertProblem(
        problems(dev((c) => (c["vpconnect:alowList"] = {}))),
        "vpconnect:alowList",
        'did you mean "vpconnect:allowList"?',
      ));
    it("lists the known keys when nothing is close", () =>
      assertProblem(
        problems(dev((c) => (c["vpconnect:site"].zzzzzz = 1))),
        "vpconnect:site.zzzzzz",
        "expected one of publicHostname",
      ));
  });

  it("didYouMean finds close words and nothing for far ones", () => {
    assert.equal(didYouMean("conectIps", ["connectIps", "extraRanges"]), "connectIps");
    assert.equal(didYouMean("ENFORCEAT", ["enforceAt"]), "enforceAt");
    assert.equal(didYouMean("banana", ["connectIps", "extraRanges"]), undefined);
  });
});

describe("stack config with Pulumi ESC environments", () => {
  const withoutSecrets = () =>
    dev((c) => {
      delete c["vpconnect:vantagepoint"].password;
      delete c["vpconnect:vantagepoint"].clientSecret;
    });

  it("takes missing required secrets to come from the imported environment, with a warning", () => {
    const loaded = load(withoutSecrets(), { environments: ["vantagepoint/prod"] });
    assert.equal(loaded.config.vantagepoint.password.available, false);
    assert.match(
      loaded.warnings.join("\n"),
      /vantagepoint\.password, vantagepoint\.clientSecret not in the stack file.*vantagepoint\/prod/,
    );
  });

  it("still requires them when the stack imports no environment", () => {
    const lines = problems(withoutSecrets());
    assertProblem(lines, "vpconnect:vantagepoint.password", "is required (a secret)");
    assertProblem(lines, "vpconnect:vantagepoint.clientSecret", "is required (a secret)");
  });
});

describe("stack config: roster.removalBrake", () => {
  it("names each wrong brake setting with a value that would pass; a good one loads", () => {
    const lines = problems(
      dev((c) => {
        c["vpconnect:roster"].removalBrake = { maxRemovalPercent: "10%", approve: { count: 3 } };
      }),
    );
    assertProblem(
      lines,
      "vpconnect:roster.removalBrake.maxRemovalPercent",
      "must be a number from 0 to 100 (e.g. 10)",
    );
    assertProblem(lines, "vpconnect:roster.removalBrake.approve.digest", "16 hex digits");
    const loaded = load(
      dev((c) => {
        c["vpconnect:roster"].removalBrake = {
          maxRemovals: 25,
          approve: { count: 3, digest: "0123456789abcdef" },
        };
      }),
    );
    assert.deepEqual(loaded.config.roster.removalBrake, {
      maxRemovals: 25,
      approve: { count: 3, digest: "0123456789abcdef" },
    });
  });
});
