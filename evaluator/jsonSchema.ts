/* eslint-disable @typescript-eslint/no-explicit-any -- resource inputs, outputs and schemas here are untyped JSON (as in pulumi.dynamic.ResourceProvider) */
/**
 * A minimal JSON Schema validator for policy config schemas (the subset @pulumi/policy's PolicyConfigJSONSchema
 * describes: type, enum, const, properties, required, additionalProperties, items, min/max, lengths, pattern,
 * uniqueItems, allOf/anyOf/oneOf/not). Pure. Returns every problem with its path.
 */

export interface SchemaProblem {
  /** JSON-pointer-like path inside the checked value, e.g. `connectIps[2]`. */
  path: string;
  message: string;
}

type Schema = Record<string, any>;

export function validateSchema(value: unknown, schema: Schema, path = ""): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  check(value, schema, path, problems);
  return problems;
}

function check(
  value: unknown,
  schema: Schema | boolean | undefined,
  path: string,
  out: SchemaProblem[],
): void {
  if (schema === undefined || schema === true) return;
  if (schema === false) {
    out.push({ path, message: "is not allowed" });
    return;
  }
  const at = path || "(value)";
  if (schema.type !== undefined) {
    const types: string[] = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!types.some((t) => hasType(value, t))) {
      out.push({ path: at, message: `must be ${types.map(article).join(" or ")}, not ${describe(value)}` });
      return;
    }
  }
  if (schema.enum !== undefined && !(schema.enum as unknown[]).some((e) => deepEqual(e, value))) {
    out.push({
      path: at,
      message: `must be one of ${(schema.enum as unknown[]).map((e) => JSON.stringify(e)).join(", ")}`,
    });
  }
  if ("const" in schema && !deepEqual(schema.const, value))
    out.push({ path: at, message: `must be ${JSON.stringify(schema.const)}` });

  if (typeof value === "number") {
    if (typeof schema.minimum === "number" && value < schema.minimum)
      out.push({ path: at, message: `must be at least ${schema.minimum}` });
    if (typeof schema.maximum === "number" && value > schema.maximum)
      out.push({ path: at, message: `must be at most ${schema.maximum}` });
    if (typeof schema.exclusiveMinimum === "number" && value <= schema.exclusiveMinimum)
      out.push({ path: at, message: `must be over ${schema.exclusiveMinimum}` });
    if (typeof schema.exclusiveMaximum === "number" && value >= schema.exclusiveMaximum)
      out.push({ path: at, message: `must be under ${schema.exclusiveMaximum}` });
    if (typeof schema.multipleOf === "number" && value % schema.multipleOf !== 0)
      out.push({ path: at, message: `must be a multiple of ${schema.multipleOf}` });
  }
  if (typeof value === "string") {
    if (typeof schema.minLength === "number" && [...value].length < schema.minLength)
      out.push({ path: at, message: `must be at least ${schema.minLength} characters` });
    if (typeof schema.maxLength === "number" && [...value].length > schema.maxLength)
      out.push({ path: at, message: `must be at most ${schema.maxLength} characters` });
    if (typeof schema.pattern === "string" && !new RegExp(schema.pattern, "u").test(value)) {
      out.push({ path: at, message: `${JSON.stringify(value)} must match ${schema.pattern}` });
    }
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === "number" && value.length < schema.minItems)
      out.push({ path: at, message: `must have at least ${schema.minItems} items` });
    if (typeof schema.maxItems === "number" && value.length > schema.maxItems)
      out.push({ path: at, message: `must have at most ${schema.maxItems} items` });
    if (schema.uniqueItems === true) {
      const seen: unknown[] = [];
      value.forEach((v, i) => {
        if (seen.some((s) => deepEqual(s, v)))
          out.push({ path: `${path}[${i}]`, message: "repeats an earlier item; items must be unique" });
        seen.push(v);
      });
    }
    if (Array.isArray(schema.items)) value.forEach((v, i) => check(v, schema.items[i], `${path}[${i}]`, out));
    else if (schema.items !== undefined)
      value.forEach((v, i) => check(v, schema.items, `${path}[${i}]`, out));
  }
  if (isObject(value)) {
    const obj = value as Record<string, unknown>;
    for (const key of (schema.required ?? []) as string[]) {
      if (obj[key] === undefined) out.push({ path: join(path, key), message: "is required" });
    }
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    for (const [key, child] of Object.entries(obj)) {
      if (key in properties) check(child, properties[key], join(path, key), out);
      else if (schema.additionalProperties === false)
        out.push({
          path: join(path, key),
          message: `is not a known key${Object.keys(properties).length ? `; expected one of ${Object.keys(properties).join(", ")}` : ""}`,
        });
      else if (isObject(schema.additionalProperties))
        check(child, schema.additionalProperties, join(path, key), out);
    }
  }
  for (const sub of (schema.allOf ?? []) as Schema[]) check(value, sub, path, out);
  if (
    Array.isArray(schema.anyOf) &&
    !schema.anyOf.some((s: Schema) => validateSchema(value, s, path).length === 0)
  ) {
    out.push({ path: at, message: "matches none of the allowed forms (anyOf)" });
  }
  if (
    Array.isArray(schema.oneOf) &&
    schema.oneOf.filter((s: Schema) => validateSchema(value, s, path).length === 0).length !== 1
  ) {
    out.push({ path: at, message: "must match exactly one of the allowed forms (oneOf)" });
  }
  if (schema.not !== undefined && validateSchema(value, schema.not, path).length === 0)
    out.push({ path: at, message: "matches a form that is not allowed" });
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case "string":
      return typeof value === "string";
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "integer":
      return typeof value === "number" && Number.isInteger(value);
    case "boolean":
      return typeof value === "boolean";
    case "array":
      return Array.isArray(value);
    case "object":
      return isObject(value);
    case "null":
      return value === null;
    default:
      return true;
  }
}

function isObject(value: unknown): boolean {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  return JSON.stringify(value);
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
