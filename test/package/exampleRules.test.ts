// The example programs under examples/ (Pulumi YAML and Python) meet the same rules as ConnectSite's args
// (issue 18 item 4: each uses a shape that passes the rules, so it deploys as written). Their ConnectSite values
// are read as the component provider hands them over (`${...}` interpolations and config reads not known yet) and
// checked with the args check ConnectSite runs before anything registers (lib/site/check.ts siteArgsProblems).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { siteArgsProblems } from "../../lib/site/check";
import { UNKNOWN } from "../../lib/site/view";
import { loadSchema } from "./schemaFile";

const root = path.resolve(__dirname, "../..");
const schema = loadSchema();
const TODAY = new Date("2026-12-07T00:00:00Z");

/** A YAML program's ConnectSite properties, each `${...}` not known yet (as in a preview). */
function yamlSiteArgs(text: string): unknown {
  const program = parse(text) as { resources: Record<string, { type: string; properties: unknown }> };
  const site = Object.values(program.resources).find(
    (r) => r.type === "vantagepoint-connect:index:ConnectSite",
  );
  assert.ok(site, "declares a ConnectSite");
  const walk = (v: unknown): unknown =>
    typeof v === "string" && /\$\{[^}]+\}/.test(v)
      ? UNKNOWN
      : Array.isArray(v)
        ? v.map(walk)
        : v && typeof v === "object"
          ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]))
          : v;
  return walk(site.properties);
}

type PyValue =
  | { kind: "call"; name: string; kwargs: Record<string, PyValue> }
  | { kind: "enum"; name: string; member: string }
  | { kind: "literal"; type: string; value?: unknown }
  | { kind: "list"; items: PyValue[] }
  | { kind: "dict" }
  | { kind: "other" };

const camel = (s: string) => s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const pyEnumMember = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase();

/** A Python SDK value as the component gets it: *Args calls as maps, enum members as their values. */
function pyArg(v: PyValue): unknown {
  switch (v.kind) {
    case "call":
      return Object.fromEntries(Object.entries(v.kwargs).map(([k, x]) => [camel(k), pyArg(x)]));
    case "enum": {
      const type = schema.types[`vantagepoint-connect:index:${v.name}`];
      const found = type?.enum?.find((e) => pyEnumMember(e.name ?? String(e.value)) === v.member);
      assert.ok(found, `${v.name}.${v.member} is an enum member`);
      return found.value;
    }
    case "literal":
      return "value" in v ? v.value : UNKNOWN;
    case "list":
      return v.items.map(pyArg);
    default:
      return UNKNOWN; // config.require_object(...) and the like: known at deploy time
  }
}

/** A Python program's ConnectSite keyword arguments (read with ast by pythonCalls.py; nothing runs). */
function pythonSiteArgs(file: string): unknown {
  const out = execFileSync(
    "python3",
    [path.join(__dirname, "pythonCalls.py"), file, "pulumi_vantagepoint_connect"],
    {
      encoding: "utf8",
    },
  );
  const { calls } = JSON.parse(out) as { calls: Array<Extract<PyValue, { kind: "call" }>> };
  const site = calls.find((c) => c.name === "ConnectSite");
  assert.ok(site, "declares a ConnectSite");
  return pyArg(site);
}

const problems = (args: unknown) =>
  siteArgsProblems(args, { now: TODAY }).map((p) => `${p.path}: ${p.message}`);

/** The mistake the issue found in both examples: a new Key Vault with the default certificate source. */
const newEmptyVault = (args: unknown) => {
  const a = args as { tls: Record<string, unknown> };
  return { ...a, tls: { ...a.tls, keyVault: { name: "kv-vp-example", create: true } } };
};

describe("the example programs meet ConnectSite's rules", () => {
  const yamlArgs = yamlSiteArgs(fs.readFileSync(path.join(root, "examples", "yaml", "Pulumi.yaml"), "utf8"));
  const pyArgs = pythonSiteArgs(path.join(root, "examples", "python", "__main__.py"));

  it("the YAML example's ConnectSite passes the args check", () => {
    assert.deepEqual(problems(yamlArgs), []);
  });

  it("the Python example's ConnectSite passes the args check", () => {
    assert.deepEqual(problems(pyArgs), []);
  });

  it("reads both examples' values (an example with the issue's new empty vault is refused)", () => {
    for (const args of [yamlArgs, pyArgs]) {
      assert.equal((args as { publicHostname: unknown }).publicHostname, "vantagepoint.contoso.com");
      assert.ok(
        problems(newEmptyVault(args)).some((p) => p.startsWith("tls.")),
        problems(newEmptyVault(args)).join("\n"),
      );
    }
  });
});
