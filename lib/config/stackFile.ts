/**
 * Reads a Pulumi stack file (`stacks/Pulumi.<stack>.yaml`) the way the Pulumi CLI lays it out: a `config`
 * map of `namespace:key` to values (secure values as `{ secure: ciphertext }`), optional `environment`
 * (Pulumi ESC) imports and secrets-provider fields. Pure: takes the file's text.
 */
import { parseDocument } from "yaml";
import { ConfigError } from "./load";

export interface StackFile {
  /** `namespace:key` to value, as written (secure values stay `{ secure: ... }`). */
  config: Record<string, unknown>;
  /** Pulumi ESC environments the stack imports; their values are not visible offline. */
  environments: string[];
}

export function parseStackFile(text: string, fileName: string): StackFile {
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (document.errors.length > 0) {
    throw new ConfigError(
      document.errors.map((error) => ({
        file: fileName,
        key: error.linePos ? `line ${error.linePos[0].line}` : "(file)",
        message: `is not valid YAML: ${error.message.split("\n")[0]}`,
      })),
    );
  }
  const root: unknown = document.toJS();
  if (root === null || root === undefined) return { config: {}, environments: [] };
  if (typeof root !== "object" || Array.isArray(root)) {
    throw new ConfigError([
      { file: fileName, key: "(file)", message: "must be a YAML map with a `config:` section" },
    ]);
  }
  const { config = {}, environment } = root as { config?: unknown; environment?: unknown };
  if (config === null || typeof config !== "object" || Array.isArray(config)) {
    throw new ConfigError([
      { file: fileName, key: "config", message: "must be a map of `namespace:key: value`" },
    ]);
  }
  const environments = Array.isArray(environment) ? environment.map(String) : [];
  return { config: config as Record<string, unknown>, environments };
}
