/**
 * The stack config's size as the engine hands it over, and the rule that keeps an inline roster from making it too
 * big. Pulumi passes the whole stack config to the program and to every policy pack in one environment variable,
 * PULUMI_CONFIG (a JSON map of key to value, object values as JSON text; analyzer_plugin.go constructEnv, and the
 * language host likewise), and Linux caps one environment string at 128 KiB (MAX_ARG_STRLEN, 32 pages of 4 KiB,
 * execve(2)): past it neither the program nor a pack can start, so `pulumi preview` fails before anything runs.
 * A roster is never refused for its size: people listed in a roster file (or read from a group) are not config.
 * Pure; no Pulumi import.
 */

/** Linux's cap on one environment string ("NAME=value"), in bytes (MAX_ARG_STRLEN). */
export const ENV_STRING_MAX_BYTES = 128 * 1024;

/** Bytes of `PULUMI_CONFIG=<json>` for a stack config map (values from a stack file, or JSON text from the engine). */
export function engineConfigBytes(raw: Readonly<Record<string, unknown>>): number {
  const asEngine: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw))
    asEngine[key] = typeof value === "string" ? value : JSON.stringify(value);
  return Buffer.byteLength(`PULUMI_CONFIG=${JSON.stringify(asEngine)}`);
}

/** The people listed inline under `vpconnect:roster.users`, or 0. */
function inlineUsers(raw: Readonly<Record<string, unknown>>): number {
  let roster = raw["vpconnect:roster"];
  if (typeof roster === "string") {
    try {
      roster = JSON.parse(roster) as unknown;
    } catch {
      return 0;
    }
  }
  const users = (roster as { users?: unknown } | null)?.users;
  return Array.isArray(users) ? users.length : 0;
}

/**
 * When people listed inline under roster.users make the stack config too big for the engine: the key and a
 * message with a fix that passes (the same list in a roster file, which has no such limit). Undefined otherwise
 * (a config too big for other reasons is left to the check's own refusal, which names the size).
 */
export function inlineRosterSizeIssue(raw: Readonly<Record<string, unknown>>): [string, string] | undefined {
  const bytes = engineConfigBytes(raw);
  const people = inlineUsers(raw);
  if (bytes <= ENV_STRING_MAX_BYTES || people === 0) return undefined;
  return [
    "vpconnect:roster.users",
    `lists ${people} people inline, which makes the stack config ${Math.ceil(bytes / 1024)} KiB; Pulumi hands the whole stack config to the program and every policy pack in one environment variable, which Linux caps at 128 KiB, so pulumi preview could not start. A roster of any size works from a file: copy the list under roster.users into roster.json in the project folder as a JSON array (the same fields), delete roster.users, and set \`pulumi config set --path 'vpconnect:roster.file' roster.json\` (or a CSV with the header userId,email,firstName,lastName; up to 64 MB)`,
  ];
}
