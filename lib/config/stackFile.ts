/**
 * Reads a Pulumi stack file (`stacks/Pulumi.<stack>.yaml`) the way the Pulumi CLI lays it out: a `config`
 * map of `namespace:key` to values (secure values as `{ secure: ciphertext }`), optional `environment`
 * (Pulumi ESC) imports and secrets-provider fields. Pure: takes the file's text (or its bytes, to tell
 * invalid UTF-8 exactly). Every problem is a ConfigError naming a line or key, never a stack trace: invalid
 * UTF-8, YAML errors, alias bombs, absurd nesting, unknown top-level keys (with "did you mean").
 */
import { parseDocument } from "yaml";
import { ConfigError, didYouMean } from "./load";
import type { ConfigIssue } from "./load";
import { MAX_DEPTH } from "../values/hostile";
import { decodeUtf8 } from "./text";
import { unsafeTextProblem } from "../values/validators";

export interface StackFile {
  /** `namespace:key` to value, as written (secure values stay `{ secure: ... }`). */
  config: Record<string, unknown>;
  /** Pulumi ESC environments the stack imports; their values are not visible offline. */
  environments: string[];
}

/**
 * Top-level keys of a stack file (pulumi/pulumi sdk/go/common/workspace/project.go, `ProjectStack`:
 * secretsprovider, encryptedkey, encryptionsalt, config, environment).
 */
export const STACK_FILE_KEYS = ["config", "environment", "encryptionsalt", "secretsprovider", "encryptedkey"];

/** Alias expansions allowed when reading (the yaml package's own default, named here on purpose). */
const MAX_ALIAS_COUNT = 100;

export function parseStackFile(input: string | Uint8Array, fileName: string): StackFile {
  const fail = (key: string, message: string): never => {
    throw new ConfigError([{ file: fileName, key, message }]);
  };
  const decoded = decodeUtf8(input);
  if ("error" in decoded) fail(`line ${decoded.line}`, decoded.error);
  const text = (decoded as { text: string }).text;

  let root: unknown;
  try {
    // `<<: *anchor` merge keys are expanded as Pulumi's own reader (go-yaml v3, YAML 1.1 merge) does.
    const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true, merge: true });
    if (document.errors.length > 0) {
      throw new ConfigError(
        document.errors.map((error): ConfigIssue => ({
          file: fileName,
          key: error.linePos ? `line ${error.linePos[0].line}` : "(file)",
          message: /Maximum call stack/i.test(error.message)
            ? `is nested too deeply to read; no stack file needs more than a few levels`
            : `is not valid YAML: ${error.message.split("\n")[0]}`,
        })),
      );
    }
    root = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const message = (error as Error).message ?? String(error);
    if (/alias/i.test(message)) {
      fail(
        "(file)",
        `uses YAML aliases (*name) that expand to more than ${MAX_ALIAS_COUNT} copies (an alias bomb); write the values out, a stack file needs no aliases`,
      );
    }
    if (error instanceof RangeError || /call stack/i.test(message)) {
      fail("(file)", "is nested too deeply to read; no stack file needs more than a few levels");
    }
    fail("(file)", `could not be read as YAML: ${message.split("\n")[0]}`);
  }
  const deepest = depthPast(root, MAX_DEPTH + 2);
  if (deepest !== undefined)
    fail(
      deepest.length ? deepest : "(file)",
      `is nested more than ${MAX_DEPTH} levels deep; no stack file needs that many, so remove the extra levels`,
    );

  if (root === null || root === undefined) return { config: {}, environments: [] };
  if (typeof root !== "object" || Array.isArray(root)) {
    fail("(file)", "must be a YAML map with a `config:` section");
  }
  const unknown = Object.keys(root as object).filter((k) => !STACK_FILE_KEYS.includes(k));
  if (unknown.length > 0) {
    throw new ConfigError(
      unknown.map((key) => {
        const hint = didYouMean(key, STACK_FILE_KEYS);
        return {
          file: fileName,
          key,
          message: `is not a stack file key${hint ? `; did you mean "${hint}"?` : `; expected ${STACK_FILE_KEYS.join(", ")}`}`,
        };
      }),
    );
  }
  const { config = {}, environment } = root as { config?: unknown; environment?: unknown };
  if (config === null || typeof config !== "object" || Array.isArray(config)) {
    fail("config", "must be a map of `namespace:key: value`");
  }
  const environments = Array.isArray(environment) ? environment.map(String) : [];
  // ESC environment names are printed in notes and reports: the same text rules as config values.
  const unsafe = environments.flatMap((name, i) => {
    const problem = unsafeTextProblem(name);
    return problem ? [{ file: fileName, key: `environment[${i}]`, message: problem }] : [];
  });
  if (unsafe.length > 0) throw new ConfigError(unsafe);
  return { config: config as Record<string, unknown>, environments };
}

/** The key path (dotted) of the first value nested deeper than `limit`, or undefined. Iterative. */
function depthPast(root: unknown, limit: number): string | undefined {
  const stack: Array<{ value: unknown; path: string[] }> = [{ value: root, path: [] }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (value === null || typeof value !== "object") continue;
    // Named as the user writes keys: `vpconnect:site.backend...` under config, else the top-level key.
    if (path.length >= limit) {
      const shown = path[0] === "config" ? path.slice(1, 4) : path.slice(0, 3);
      return shown.reduce(
        (out, part, i) => (/^\[\d+\]$/.test(part) ? out + part : i === 0 ? part : `${out}.${part}`),
        "",
      );
    }
    const array = Array.isArray(value);
    for (const [key, child] of Object.entries(value))
      stack.push({ value: child, path: [...path, array ? `[${key}]` : key] });
  }
  return undefined;
}
