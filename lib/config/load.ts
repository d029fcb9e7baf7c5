/**
 * Loading stack config: raw `vpconnect:*` values in, a typed config (or every problem at once) out.
 * Pure: the caller reads files and hands in what it read. Used by the Pulumi program (index.ts), the offline
 * checker (`vpconnect check`) and the tests.
 */
import { loginSecretNotes, textIssues } from "../values/hostile";
import { describeIssue, didYouMean, knownKeysAt } from "../values/describe";
import { siteRuleIssues } from "./siteRules";
import { siteShapeWarnings } from "./siteShape";
import { day2Warnings } from "./day2Shape";
import { tenantMismatchProblem, windowsLoginVersionNote } from "../values/valueRules";
import { crossChecks, isLoopbackHost, NAMESPACE, SECTION_NAMES, sections, stackConfigSchema } from "./schema";
import type { StackConfig } from "./schema";
import { ConfigError, dedupe, keyPath } from "./issues";
import type { ConfigIssue } from "./issues";
import type { LoadedConfig, LoadOptions } from "./loadOptions";
import { buildRoster } from "./rosterBuild";
import { rememberRoster, rosterOnce } from "./loadShare";
import { readSecrets } from "./secretKeys";
import { getPath, parseJsonObject } from "./valuePaths";
import { inlineRosterSizeIssue } from "./configSize";
import { markRosterChecked } from "../site/checkedRoster";

export { didYouMean };
export { ConfigError, formatIssues } from "./issues";
export type { ConfigIssue } from "./issues";
export type { LoadedConfig, LoadOptions, RosterEntry, RosterFileParser } from "./loadOptions";
export { plaintextSecretIssues } from "./secretKeys";
export { handOverRoster } from "./loadShare";

/**
 * Validates raw stack config. `raw` maps full keys (`vpconnect:site`) to values: objects from a stack file or
 * JSON strings from the engine. Throws ConfigError listing every problem.
 */
export function loadStackConfig(raw: Readonly<Record<string, unknown>>, options: LoadOptions): LoadedConfig {
  const issues: ConfigIssue[] = [];
  const add = (key: string, message: string) => issues.push({ file: options.source, key, message });
  const input: Record<string, unknown> = {};

  for (const [fullKey, value] of Object.entries(raw)) {
    const [namespace, section, ...rest] = fullKey.split(":");
    if (namespace !== NAMESPACE) {
      // A near miss (`vpconnnect:site`, `VPConnect:site`) would be ignored silently, and its keys with it.
      if (namespace && section !== undefined && didYouMean(namespace, [NAMESPACE]))
        add(
          fullKey,
          `unknown namespace ${JSON.stringify(namespace)}; did you mean "${NAMESPACE}:${[section, ...rest].join(":")}"?`,
        );
      continue;
    }
    if (section === undefined || rest.length > 0 || !(SECTION_NAMES as string[]).includes(section)) {
      const hint = didYouMean(section ?? "", SECTION_NAMES);
      add(
        fullKey,
        `unknown key${hint ? `; did you mean "${NAMESPACE}:${hint}"?` : `; known keys are ${SECTION_NAMES.map((s) => `${NAMESPACE}:${s}`).join(", ")}`}`,
      );
      continue;
    }
    input[section] = typeof value === "string" ? parseJsonObject(value) : structuredClone(value);
  }

  const fromEnvironments = readSecrets(input, options, add);

  // Every string and key a person or a report will read, in one pass (secrets skipped: never shown).
  for (const section of SECTION_NAMES)
    for (const { path, message } of textIssues(input[section], [section])) add(keyPath(path), message);

  const parsedSections: Record<string, unknown> = {};
  for (const section of SECTION_NAMES) {
    const parsed = sections[section].safeParse(input[section]);
    if (parsed.success) {
      parsedSections[section] = parsed.data;
      continue;
    }
    for (const issue of parsed.error.issues) {
      const path = [section, ...issue.path];
      if (issue.code === "unrecognized_keys") {
        for (const key of issue.keys) {
          const known = knownKeysAt(stackConfigSchema, path);
          const hint = didYouMean(key, known);
          add(
            keyPath([...path, key]),
            `unknown key${hint ? `; did you mean "${hint}"?` : known.length ? `; expected one of ${known.join(", ")}` : ""}`,
          );
        }
        continue;
      }
      if (issue.path.length === 0 && input[section] === undefined) {
        add(
          keyPath([section]),
          `is required; add the \`${NAMESPACE}:${section}\` section (see the README's config reference)`,
        );
        continue;
      }
      add(keyPath(path), describeIssue(issue, getPath(input, path)));
    }
  }
  for (const { path, message } of crossChecks(parsedSections)) add(keyPath(path), message);
  const parsedEntra = parsedSections.entra as StackConfig["entra"] | undefined;
  const tenantProblem = parsedEntra && tenantMismatchProblem(parsedEntra.tenantId, raw["azuread:tenantId"]);
  if (tenantProblem) add(keyPath(["entra", "tenantId"]), tenantProblem);
  // The site's rules are ConnectSite's (lib/site), run over the args view of what parsed, named by stack key.
  const site = siteRuleIssues(input, parsedSections, options.now ?? new Date());
  for (const { path, message } of site.errors) add(`${NAMESPACE}:${path}`, message);
  const hostileWarnings = site.warnings;
  // People listed inline past what the engine can hand the program: refused with the file that passes instead.
  const oversized = inlineRosterSizeIssue(raw);
  if (oversized) add(...oversized);
  if (issues.length > 0) throw new ConfigError(dedupe(issues));

  const config = stackConfigSchema.parse(parsedSections);
  // Under `vpconnect check` the program's load takes the roster the check's own load built (lib/config/loadShare.ts).
  const { built, made } = rosterOnce(config, options, (opts) => {
    const warnings: string[] = [];
    return { ...buildRoster(config, opts, add, warnings), warnings };
  });
  const groupWarnings = built.warnings;
  if (issues.length > 0) throw new ConfigError(dedupe(issues));
  // Frozen and marked when ConnectSite's per-person rules passed for every entry, so its args check skips them
  // (lib/site/checkedRoster.ts); a hand-over gives a copy of the list, marked here in this module's registry.
  const roster = built.checked ? markRosterChecked(built.entries) : built.entries;

  const publicUrl = `https://${config.site.publicHostname}${config.site.vantagepointPath === "/" ? "" : config.site.vantagepointPath}`;
  const warnings: string[] = [...hostileWarnings, ...groupWarnings];
  if (fromEnvironments.length > 0) {
    warnings.push(
      `${fromEnvironments.join(", ")} not in the stack file: taken to come from the Pulumi ESC environment(s) ${options.environments!.join(", ")}, which only \`pulumi preview\`/\`up\` can read`,
    );
  }
  if (config.allowList.enforceAt === "waf") {
    warnings.push(
      'allowList.enforceAt is "waf": the NSG admits HTTPS from the whole Internet and the mandatory policy allow-list-no-any-source will fail; prefer "both"',
    );
  }
  if (config.entra.mailboxApp?.access === "ews") {
    warnings.push(
      'entra.mailboxApp.access is "ews": Exchange Online turned EWS off from 1 October 2026; plan the move to Graph',
    );
  }
  if (config.entra.mailboxApp?.applicationPermissions) {
    warnings.push(
      "entra.mailboxApp.applicationPermissions grants whole-tenant mailbox access; the advisory policy mailbox-app-least-privilege will flag it",
    );
  }
  warnings.push(...siteShapeWarnings(config));
  warnings.push(...day2Warnings(config));
  const loginSecret = loginSecretNotes(config.entra, options.now ?? new Date());
  const windowsNote =
    config.entra.loginMode === "windows" && config.vantagepoint.version !== undefined
      ? windowsLoginVersionNote(config.vantagepoint.version)
      : undefined;
  if (windowsNote) warnings.push(windowsNote);
  const api = new URL(config.vantagepoint.apiUrl);
  if (api.protocol === "http:" && isLoopbackHost(api.hostname)) {
    warnings.push(
      `vantagepoint.apiUrl uses http on ${api.hostname}: fine for the emulator, never for a real server`,
    );
  }
  const loaded: LoadedConfig = {
    config,
    publicUrl,
    loginRedirectUri: `${publicUrl}/app`,
    ...(loginSecret.status
      ? { loginSecret: { status: loginSecret.status, warnings: loginSecret.warnings } }
      : {}),
    // Without a version the role model is probed at run time: Administrator is asked for only where it is 7.0+.
    requireAdministratorType:
      config.vantagepoint.version === undefined || versionAtLeast(config.vantagepoint.version, 7, 0),
    roster,
    warnings,
    ...(built.group ? { group: built.group } : {}),
  };
  rememberRoster(loaded, made);
  return loaded;
}

function versionAtLeast(version: string, major: number, minor: number): boolean {
  const [a = 0, b = 0] = version.split(".").map(Number);
  return a > major || (a === major && b >= minor);
}
