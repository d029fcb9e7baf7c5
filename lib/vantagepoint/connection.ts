/** Checks of a VantagepointConnection, and client options from the environment. No Pulumi import. */
import type { ClientOptions } from "./client";
import { parseApiRoot } from "./client";
import type { VantagepointConnection } from "./types";
import { MAX_READ_LAG_MS } from "./unknownOutcome";

export interface ConnectionIssue {
  field: string;
  message: string;
}

/** Every problem with a connection, each naming the field and the fix. Never echoes a secret. */
export function validateConnection(conn: unknown, prefix = "connection"): ConnectionIssue[] {
  if (!conn || typeof conn !== "object") {
    return [
      {
        field: prefix,
        message: `${prefix} is required: url, database, username, password, clientId, clientSecret`,
      },
    ];
  }
  const c = conn as Partial<VantagepointConnection> & Record<string, unknown>;
  const issues: ConnectionIssue[] = [];
  const need = (f: keyof VantagepointConnection, what: string) => {
    if (typeof c[f] !== "string" || (c[f] as string).trim() === "")
      issues.push({ field: `${prefix}.${f}`, message: `${prefix}.${f} is required (${what})` });
  };
  need("url", "the API root, e.g. https://vp.example.com/vantagepoint/api");
  need("database", "the Vantagepoint database name");
  need("username", "the Vantagepoint user the project signs in as");
  need("password", "that user's password, as a Pulumi secret");
  need("clientId", "the Client ID of an API Authorization that allows the password grant");
  need("clientSecret", "that API Authorization's secret, as a Pulumi secret");
  if (typeof c.url === "string" && c.url.trim() !== "") {
    try {
      parseApiRoot(c.url);
    } catch (e) {
      issues.push({ field: `${prefix}.url`, message: (e as Error).message });
    }
  }
  if (
    c.pageSize !== undefined &&
    (!Number.isInteger(c.pageSize) || (c.pageSize as number) < 1 || (c.pageSize as number) > 10000)
  ) {
    issues.push({
      field: `${prefix}.pageSize`,
      message: `${prefix}.pageSize must be a whole number from 1 to 10000`,
    });
  }
  if (
    c.readLagMs !== undefined &&
    (!Number.isInteger(c.readLagMs) ||
      (c.readLagMs as number) < 0 ||
      (c.readLagMs as number) > MAX_READ_LAG_MS)
  ) {
    issues.push({
      field: `${prefix}.readLagMs`,
      message: `${prefix}.readLagMs must be a whole number of milliseconds from 0 to ${MAX_READ_LAG_MS}, e.g. 10000`,
    });
  }
  if (c.integrated !== undefined && typeof c.integrated !== "boolean") {
    issues.push({ field: `${prefix}.integrated`, message: `${prefix}.integrated must be true or false` });
  }
  if (c.paths !== undefined) {
    if (!c.paths || typeof c.paths !== "object")
      issues.push({ field: `${prefix}.paths`, message: `${prefix}.paths must be an object` });
    else {
      for (const [k, v] of Object.entries(c.paths)) {
        if (!["employees", "users", "roles", "apiAuthorizations"].includes(k)) {
          issues.push({
            field: `${prefix}.paths.${k}`,
            message: `${prefix}.paths.${k} is not known; use employees, users, roles or apiAuthorizations`,
          });
        } else if (v !== undefined && (typeof v !== "string" || !v.startsWith("/"))) {
          issues.push({
            field: `${prefix}.paths.${k}`,
            message: `${prefix}.paths.${k} must be a path starting with "/", e.g. /employee`,
          });
        }
      }
    }
  }
  return issues;
}

/**
 * Client options from the environment (used inside dynamic providers, where nothing else can be
 * passed): VPCONNECT_HTTP_TIMEOUT_MS, VPCONNECT_RETRY_BASE_MS, VPCONNECT_RETRY_MAX_MS,
 * VPCONNECT_MAX_RETRY_AFTER_MS, VPCONNECT_MAX_RETRIES, VPCONNECT_WRITE_CONCURRENCY,
 * VPCONNECT_MAX_RESPONSE_BYTES.
 */
export function clientOptionsFromEnv(env: Record<string, string | undefined> = process.env): ClientOptions {
  const problems = environmentProblems(env);
  if (problems.length > 0) throw new EnvironmentError(problems);
  const n = (k: string) => {
    const v = env[k];
    if (v === undefined || v.trim() === "") return undefined;
    return Number(v);
  };
  const o: ClientOptions = {};
  const set = <K extends keyof ClientOptions>(key: K, value: ClientOptions[K] | undefined) => {
    if (value !== undefined) o[key] = value;
  };
  set("timeoutMs", n("VPCONNECT_HTTP_TIMEOUT_MS"));
  set("baseDelayMs", n("VPCONNECT_RETRY_BASE_MS"));
  set("maxDelayMs", n("VPCONNECT_RETRY_MAX_MS"));
  set("maxRetryAfterMs", n("VPCONNECT_MAX_RETRY_AFTER_MS"));
  set("maxRetries", n("VPCONNECT_MAX_RETRIES"));
  set("writeConcurrency", n("VPCONNECT_WRITE_CONCURRENCY"));
  set("maxResponseBytes", n("VPCONNECT_MAX_RESPONSE_BYTES"));
  return o;
}

/** The numeric client settings read from the environment: name, unit, smallest value, an example. */
export const ENVIRONMENT_NUMBERS: ReadonlyArray<{
  name: string;
  unit: string;
  min: number;
  example: string;
}> = [
  { name: "VPCONNECT_HTTP_TIMEOUT_MS", unit: "milliseconds", min: 1, example: "30000 (30 seconds)" },
  { name: "VPCONNECT_RETRY_BASE_MS", unit: "milliseconds", min: 0, example: "500" },
  { name: "VPCONNECT_RETRY_MAX_MS", unit: "milliseconds", min: 0, example: "10000" },
  { name: "VPCONNECT_MAX_RETRY_AFTER_MS", unit: "milliseconds", min: 0, example: "60000" },
  { name: "VPCONNECT_MAX_RETRIES", unit: "retries", min: 0, example: "3" },
  { name: "VPCONNECT_WRITE_CONCURRENCY", unit: "parallel writes", min: 1, example: "4" },
  { name: "VPCONNECT_MAX_RESPONSE_BYTES", unit: "bytes", min: 1, example: "10485760 (10 MB)" },
];

/**
 * Every malformed client setting in `env`, each naming the variable, what it holds and a value that passes: a
 * unit written into it ("30s"), a fraction, a negative number. Unset or empty means the default. Pure.
 */
export function environmentProblems(env: Record<string, string | undefined>): string[] {
  const out: string[] = [];
  for (const { name, unit, min, example } of ENVIRONMENT_NUMBERS) {
    const value = env[name];
    if (value === undefined || value.trim() === "") continue;
    const ok = /^\s*\d+\s*$/.test(value) && Number(value) >= min && Number.isSafeInteger(Number(value));
    if (ok) continue;
    out.push(
      `${name}=${JSON.stringify(value)} is not a whole number of ${unit}${min > 0 ? ` (at least ${min})` : ""}; set it to a number such as ${example}, or unset it for the default`,
    );
  }
  return out;
}

/** A malformed client setting in the environment (see environmentProblems); the message names the variable. */
export class EnvironmentError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(problems.join("; "));
    this.name = "EnvironmentError";
    this.problems = problems;
  }
}
