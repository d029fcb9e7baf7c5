// The component package's schema as committed in schema.json (written by `npm run schema`, checked against the
// live component provider by schema.test.ts) and the few shapes the tests read from it.
import { readFileSync } from "node:fs";
import * as path from "node:path";

export const SCHEMA_FILE = path.resolve(__dirname, "../../schema.json");

export interface SchemaProperty {
  type?: string;
  $ref?: string;
  items?: SchemaProperty;
  additionalProperties?: SchemaProperty;
  description?: string;
  plain?: boolean;
}

export interface SchemaType {
  type: string;
  description?: string;
  properties: Record<string, SchemaProperty>;
  required?: string[];
  enum?: Array<{ name?: string; value: string | number; description?: string }>;
}

export interface SchemaResource {
  isComponent?: boolean;
  description?: string;
  inputProperties: Record<string, SchemaProperty>;
  requiredInputs?: string[];
  properties: Record<string, SchemaProperty>;
  required?: string[];
}

export interface PackageSchema {
  name: string;
  version: string;
  resources: Record<string, SchemaResource>;
  types: Record<string, SchemaType>;
  [key: string]: unknown;
}

export function loadSchema(file = SCHEMA_FILE): PackageSchema {
  return JSON.parse(readFileSync(file, "utf8")) as PackageSchema;
}

/** The type a `$ref` names, e.g. `#/types/vantagepoint-connect:index:ConnectSiteTls`. */
export function refType(schema: PackageSchema, ref: string): SchemaType | undefined {
  return schema.types[ref.replace(/^#\/types\//, "")];
}
