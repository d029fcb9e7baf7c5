// The example programs under examples/ (Pulumi YAML and Python) against the component package's schema
// (schema.json, which schema.test.ts keeps equal to what the component provider serves): every resource
// type, argument, nested type, enum value and output they use exists, and every required input is given.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { loadSchema, refType, type PackageSchema, type SchemaProperty } from "./schemaFile";

const root = path.resolve(__dirname, "../..");
const PKG = "vantagepoint-connect";
const PY_MODULE = "pulumi_vantagepoint_connect";
const schema = loadSchema();

const camel = (s: string) => s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
/** The Python SDK's name for an enum member (Pulumi's Python codegen: UPPER_SNAKE of the member name). */
const pyEnumMember = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase();
const typeName = (ref: string) => ref.replace(/^#\/types\/[^:]+:index:/, "");

type PyValue =
  | { kind: "call"; name: string; kwargs: Record<string, PyValue> }
  | { kind: "enum"; name: string; member: string }
  | { kind: "literal"; type: string }
  | { kind: "list"; items: PyValue[] }
  | { kind: "dict" }
  | { kind: "other" };

const SCALAR_PY: Record<string, string[]> = {
  string: ["str"],
  boolean: ["bool"],
  integer: ["int"],
  number: ["int", "float"],
};

/** Problems with one Python value for a schema property. */
function checkPy(s: PackageSchema, where: string, prop: SchemaProperty, value: PyValue): string[] {
  if (value.kind === "other" || value.kind === "dict") return [];
  if (prop.$ref) {
    const type = refType(s, prop.$ref);
    if (!type) return [`${where}: ${prop.$ref} is not in the schema`];
    if (type.enum) {
      if (value.kind !== "enum" || value.name !== typeName(prop.$ref))
        return [`${where}: expected ${typeName(prop.$ref)}.<member>`];
      const members = type.enum.map((e) => pyEnumMember(String(e.name ?? e.value)));
      return members.includes(value.member)
        ? []
        : [`${where}: ${value.name}.${value.member} is not one of ${members.join(", ")}`];
    }
    if (value.kind !== "call" || value.name !== `${typeName(prop.$ref)}Args`)
      return [`${where}: expected ${typeName(prop.$ref)}Args(...)`];
    return checkPyArgs(s, `${where}`, value.kwargs, type.properties, type.required ?? []);
  }
  if (prop.type === "array") {
    if (value.kind !== "list") return value.kind === "literal" ? [`${where}: expected a list`] : [];
    return value.items.flatMap((item, i) => checkPy(s, `${where}[${i}]`, prop.items ?? {}, item));
  }
  const accepted = SCALAR_PY[prop.type ?? ""];
  if (accepted && value.kind === "literal" && !accepted.includes(value.type))
    return [`${where}: a ${value.type} where the schema wants ${prop.type}`];
  if (accepted && value.kind !== "literal") return [`${where}: expected a ${prop.type}`];
  return [];
}

function checkPyArgs(
  s: PackageSchema,
  where: string,
  kwargs: Record<string, PyValue>,
  properties: Record<string, SchemaProperty>,
  required: string[],
): string[] {
  const problems: string[] = [];
  for (const [key, value] of Object.entries(kwargs)) {
    if (key === "opts") continue;
    const prop = properties[camel(key)];
    if (!prop) problems.push(`${where}.${key}: no such argument`);
    else problems.push(...checkPy(s, `${where}.${key}`, prop, value));
  }
  for (const r of required)
    if (!Object.keys(kwargs).some((k) => camel(k) === r)) problems.push(`${where}: ${r} is required`);
  return problems;
}

/** Problems with a Python program's use of the SDK (its module-level resource declarations and output reads). */
export function checkPython(s: PackageSchema, file: string): string[] {
  const out = execFileSync("python3", [path.join(__dirname, "pythonCalls.py"), file, PY_MODULE], {
    encoding: "utf8",
  });
  const { calls, resources, reads } = JSON.parse(out) as {
    calls: Array<Extract<PyValue, { kind: "call" }>>;
    resources: Record<string, string>;
    reads: Array<[string, string]>;
  };
  const problems: string[] = [];
  for (const call of calls) {
    const resource = s.resources[`${PKG}:index:${call.name}`];
    if (!resource) {
      problems.push(`${call.name}: not a component of ${PKG}`);
      continue;
    }
    problems.push(
      ...checkPyArgs(s, call.name, call.kwargs, resource.inputProperties, resource.requiredInputs ?? []),
    );
  }
  for (const [variable, attribute] of reads) {
    const resource = s.resources[`${PKG}:index:${resources[variable]}`];
    const builtIn = ["urn", "id"].includes(attribute);
    if (resource && !builtIn && !resource.properties[camel(attribute)])
      problems.push(`${variable}.${attribute}: ${resources[variable]} has no such output`);
  }
  if (calls.length === 0) problems.push(`${file}: declares no ${PKG} component`);
  return problems;
}

const SCALAR_YAML: Record<string, string[]> = {
  string: ["string"],
  boolean: ["boolean"],
  integer: ["number"],
  number: ["number"],
};

/** Problems with one YAML value for a schema property (`${...}` interpolations are taken as they come). */
function checkYaml(s: PackageSchema, where: string, prop: SchemaProperty, value: unknown): string[] {
  if (typeof value === "string" && /^\$\{[^}]+\}$/.test(value)) return [];
  if (prop.$ref) {
    const type = refType(s, prop.$ref);
    if (!type) return [`${where}: ${prop.$ref} is not in the schema`];
    if (type.enum) {
      const values = type.enum.map((e) => e.value);
      return values.includes(value as string)
        ? []
        : [`${where}: ${JSON.stringify(value)} is not one of ${values.join(", ")}`];
    }
    if (typeof value !== "object" || value === null || Array.isArray(value))
      return [`${where}: expected a ${typeName(prop.$ref)} object`];
    return checkYamlObject(s, where, value as Record<string, unknown>, type.properties, type.required ?? []);
  }
  if (prop.type === "array") {
    if (!Array.isArray(value)) return [`${where}: expected a list`];
    return value.flatMap((item, i) => checkYaml(s, `${where}[${i}]`, prop.items ?? {}, item));
  }
  if (prop.type === "object") {
    return typeof value === "object" && value !== null ? [] : [`${where}: expected a map`];
  }
  const accepted = SCALAR_YAML[prop.type ?? ""];
  if (accepted && !accepted.includes(typeof value))
    return [`${where}: a ${typeof value} where the schema wants ${prop.type}`];
  return [];
}

function checkYamlObject(
  s: PackageSchema,
  where: string,
  value: Record<string, unknown>,
  properties: Record<string, SchemaProperty>,
  required: string[],
): string[] {
  const problems: string[] = [];
  for (const [key, v] of Object.entries(value)) {
    const prop = properties[key];
    if (!prop) problems.push(`${where}.${key}: no such property`);
    else problems.push(...checkYaml(s, `${where}.${key}`, prop, v));
  }
  for (const r of required) if (!(r in value)) problems.push(`${where}: ${r} is required`);
  return problems;
}

/** Problems with a Pulumi YAML program's resources of this package and the outputs it reads from them. */
export function checkYamlProgram(s: PackageSchema, text: string): string[] {
  const doc = parse(text) as {
    resources?: Record<string, { type: string; properties?: Record<string, unknown> }>;
    outputs?: Record<string, unknown>;
  };
  const problems: string[] = [];
  const declared = new Map<string, string>();
  for (const [name, r] of Object.entries(doc.resources ?? {})) {
    if (!r.type.startsWith(`${PKG}:`)) continue;
    const resource = s.resources[r.type];
    if (!resource) {
      problems.push(`${name}: ${r.type} is not a component of ${PKG}`);
      continue;
    }
    declared.set(name, r.type);
    problems.push(
      ...checkYamlObject(
        s,
        name,
        r.properties ?? {},
        resource.inputProperties,
        resource.requiredInputs ?? [],
      ),
    );
  }
  for (const match of text.matchAll(/\$\{(\w+)\.(\w+)/g)) {
    const type = declared.get(match[1]!);
    if (type && !["urn", "id"].includes(match[2]!) && !s.resources[type]!.properties[match[2]!])
      problems.push(`\${${match[1]}.${match[2]}}: ${type} has no such output`);
  }
  if (declared.size === 0) problems.push(`declares no ${PKG} component`);
  return problems;
}

describe("the example programs against the component package's schema", () => {
  const yamlFile = path.join(root, "examples", "yaml", "Pulumi.yaml");
  const pyFile = path.join(root, "examples", "python", "__main__.py");

  it("the YAML example uses only what the schema has, with every required input", () => {
    assert.deepEqual(checkYamlProgram(schema, fs.readFileSync(yamlFile, "utf8")), []);
  });

  it("the Python example uses only what the generated SDK has, with every required input", () => {
    assert.deepEqual(checkPython(schema, pyFile), []);
  });

  it("both name this repository as the package source, as `pulumi package add` writes it", () => {
    for (const dir of ["yaml", "python"]) {
      const project = parse(fs.readFileSync(path.join(root, "examples", dir, "Pulumi.yaml"), "utf8")) as {
        packages?: Record<string, string>;
      };
      assert.equal(path.resolve(root, "examples", dir, project.packages?.[PKG] ?? ""), root);
    }
  });

  it("catches a YAML program that gets the package wrong the way people do", () => {
    const wrong = fs
      .readFileSync(yamlFile, "utf8")
      .replace("namePrefix: vp-yaml", "prefix: vp-yaml")
      .replace("enforceAt: both", "enforceAt: everywhere")
      .replace("${site.publicIp}", "${site.publicIP}");
    const problems = checkYamlProgram(schema, wrong);
    assert.ok(problems.includes("site.prefix: no such property"), problems.join("\n"));
    assert.ok(problems.includes("site: namePrefix is required"), problems.join("\n"));
    assert.ok(
      problems.some((p) => p.startsWith('site.allowList.enforceAt: "everywhere" is not one of')),
      problems.join("\n"),
    );
    assert.ok(
      problems.some((p) => p.startsWith("${site.publicIP}")),
      problems.join("\n"),
    );
  });

  it("catches a Python program that gets the SDK wrong the way people do", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vpconnect-example-"));
    try {
      const wrong = path.join(dir, "__main__.py");
      fs.writeFileSync(
        wrong,
        fs
          .readFileSync(pyFile, "utf8")
          .replace("certificate_name=", "certificate=")
          .replace("AllowListEnforcement.BOTH", "AllowListEnforcement.EVERYWHERE")
          .replace("vpc.ConnectSiteLoginAppArgs(", "vpc.ConnectSiteLoginArgs(")
          .replace("site.public_ip", "site.public_ip_address"),
      );
      const problems = checkPython(schema, wrong);
      for (const expected of [
        "ConnectSite.tls.certificate: no such argument",
        "ConnectSite.tls: certificateName is required",
        "ConnectSite.login_app: expected ConnectSiteLoginAppArgs(...)",
        "site.public_ip_address: ConnectSite has no such output",
      ]) {
        assert.ok(problems.includes(expected), `${expected}\n in \n${problems.join("\n")}`);
      }
      assert.ok(
        problems.some((p) => p.includes("AllowListEnforcement.EVERYWHERE is not one of")),
        problems.join("\n"),
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
