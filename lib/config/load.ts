/**
 * Loading stack config: raw `vpconnect:*` values in, a typed config (or every problem at once) out.
 * Pure: the caller reads files and hands in what it read. Used by the Pulumi program (index.ts), the offline
 * checker (`vpconnect check`) and the tests.
 */
import { readGroupSync } from "../entraGroup/readSync";
import { groupSources } from "./groupSource";
import type { GroupReader, GroupSummary } from "./groupSource";
import { z } from "zod";
import { personKey, userIdDomainProblem } from "../people";
import { loginSecretNotes, textIssues } from "./hostile";
import { ProjectFileError, projectPathProblem } from "./projectFile";
import { describeIssue, didYouMean, knownKeysAt } from "./describe";

export { didYouMean };
import { SecretValue } from "./secret";
import { siteRuleIssues } from "./siteRules";
import { siteShapeWarnings } from "./siteShape";
import { day2Warnings } from "./day2Shape";
import { tenantMismatchProblem, windowsLoginVersionNote } from "./valueRules";
import {
  ciphertextProblem,
  confusableSkeleton,
  escapeUnsafe,
  mixedScriptProblem,
  redactUrlCredentials,
} from "./validators";
import {
  crossChecks,
  isLoopbackHost,
  NAMESPACE,
  SECRET_PATHS,
  SECTION_NAMES,
  sections,
  stackConfigSchema,
} from "./schema";
import type { Person, StackConfig } from "./schema";

export interface ConfigIssue {
  /** The stack file (or "stack config" inside the engine). */
  file: string;
  /** Full key path, e.g. `vpconnect:allowList.connectIps[3]`. */
  key: string;
  /** What is wrong and what is expected. */
  message: string;
}

export class ConfigError extends Error {
  readonly issues: ConfigIssue[];
  constructor(issues: ConfigIssue[]) {
    // One place for what every message must not carry: control/bidi characters (escaped) and URL passwords.
    const safe = issues.map((i) => ({ file: clean(i.file), key: clean(i.key), message: clean(i.message) }));
    super(formatIssues(safe));
    this.name = "ConfigError";
    this.issues = safe;
  }
}

function clean(text: string): string {
  return redactUrlCredentials(escapeUnsafe(text));
}

export function formatIssues(issues: readonly ConfigIssue[]): string {
  const head = `${issues.length} problem${issues.length === 1 ? "" : "s"} in the stack config; nothing was created:`;
  return [head, ...issues.map((i) => `  ${i.file}: ${i.key}: ${i.message}`)].join("\n");
}

/** One person Connect serves, from the roster (configurer first). */
export interface RosterEntry extends Person {
  role: string;
  configurer: boolean;
}

export interface LoadedConfig {
  config: StackConfig;
  /** https://host/path: where Connect reaches Vantagepoint (P1). */
  publicUrl: string;
  /** The Entra login app's redirect URI: the public URL's app path (P7). */
  loginRedirectUri: string;
  /**
   * The login app's secret slots: `status` in one line ("login app secret: slot B active since ...; slot A
   * expires ...: paste B into Vantagepoint by ...") and the rotation `warnings` (active slot expiring, short
   * overlap). Kept apart from `warnings`: the component logs its own at `pulumi up`; `check` and doctor print these.
   */
  loginSecret?: { status: string; warnings: string[] };
  /** Vantagepoint 7.0 and later want the Connect role to be of type Administrator (P3). */
  requireAdministratorType: boolean;
  /** Configurer plus users (inline and file), validated, no duplicates. */
  roster: RosterEntry[];
  /** Non-fatal notes for the person deploying. */
  warnings: string[];
  /** What `roster.group` gave (when set). */
  group?: GroupSummary;
}

/**
 * A roster file parser: returns entries or row-level errors (`row` is 1-based, header is row 1). `where` (optional,
 * per entry and per error) says where it is in the file, e.g. "row 7" or "entry 3"; without it entries are
 * numbered as if the file had no blank lines.
 */
export type RosterFileParser = (
  text: string,
  fileName: string,
) => {
  entries: unknown[];
  errors: Array<{ row: number; where?: string; field?: string; message: string }>;
  where?: string[];
};

export interface LoadOptions {
  /** The stack file's name as the user knows it, e.g. `stacks/Pulumi.dev.yaml`. */
  source: string;
  /** Config keys the engine marks secret (PULUMI_CONFIG_SECRET_KEYS), e.g. `vpconnect:vantagepoint`. */
  secretKeys?: ReadonlySet<string>;
  /** Reads `roster.file` (relative to the project folder). */
  readFile?: (path: string) => string;
  parseRosterFile?: RosterFileParser;
  /** Plaintext for secrets known outside the stack file (offline runs against the emulator). */
  secretOverrides?: Partial<Record<(typeof SECRET_PATHS)[number], string>>;
  /**
   * Pulumi ESC environments the stack file imports. Offline their values are invisible, so a required secret
   * missing from the stack file is taken to come from them (with a warning) instead of being an error.
   */
  environments?: readonly string[];
  /** Today, for secret rotation dates (default: the clock). */
  now?: Date;
  /** Reads `roster.group`'s members (default: from Microsoft Graph in a child process; tests answer from fixtures). */
  readGroup?: GroupReader;
}

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

  const fromEnvironments: string[] = [];
  for (const path of SECRET_PATHS) {
    const [section] = path.split(".") as [string];
    const value = getPath(input, path);
    if (value === undefined) {
      const sectionValue = input[section];
      if (
        options.environments?.length &&
        REQUIRED_SECRET_PATHS.includes(path) &&
        isPlainObject(sectionValue)
      ) {
        setPath(
          input,
          path,
          new SecretValue(
            options.secretOverrides?.[path as (typeof SECRET_PATHS)[number]],
            "(from Pulumi ESC)",
          ),
        );
        fromEnvironments.push(path);
      }
      continue;
    }
    const override = options.secretOverrides?.[path as (typeof SECRET_PATHS)[number]];
    if (isPlainObject(value) && "secure" in value) {
      const problem = secureValueProblem(value, `${NAMESPACE}:${path}`);
      if (problem) add(`${NAMESPACE}:${path}`, problem);
      setPath(
        input,
        path,
        new SecretValue(override, isSecureMarker(value) ? value.secure : "(malformed ciphertext)"),
      );
    } else if (typeof value === "string") {
      if (options.secretKeys?.has(`${NAMESPACE}:${section}`) || override !== undefined) {
        setPath(input, path, new SecretValue(override ?? value));
      } else {
        add(`${NAMESPACE}:${path}`, plaintextSecretMessage(path));
        setPath(input, path, new SecretValue(undefined, "(plaintext refused)"));
      }
    }
  }
  for (const path of findSecureMarkers(input)) {
    if (!SECRET_PATHS.includes(path)) {
      add(
        `${NAMESPACE}:${path}`,
        "is encrypted, but it is not a secret and must be readable by the offline check; set it in plaintext",
      );
    }
  }

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
  if (issues.length > 0) throw new ConfigError(dedupe(issues));

  const config = stackConfigSchema.parse(parsedSections);
  const groupWarnings: string[] = [];
  const built = buildRoster(config, options, add, groupWarnings);
  const roster = built.entries;
  if (issues.length > 0) throw new ConfigError(dedupe(issues));

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
  return {
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
}

/** What is wrong with a `{ secure: ... }` map at a secret's key, or undefined. */
function secureValueProblem(value: Record<string, unknown>, key: string): string | undefined {
  if (Object.keys(value).length > 1)
    return `has keys beside \`secure:\`; run \`pulumi config set --secret --path '${key}' <value>\` to write it again`;
  return ciphertextProblem(value.secure, key);
}

function plaintextSecretMessage(path: string): string {
  return `is in plaintext; a secret must be encrypted: run \`pulumi config set --secret --path '${NAMESPACE}:${path}' <value>\` (or take it from a Pulumi ESC environment)`;
}

/**
 * Secrets written in plaintext in a stack file's `config` map (as parsed by parseStackFile). Inside the engine a
 * whole `vpconnect:vantagepoint` key is secret as soon as one of its leaves is, so the program cannot tell a
 * plaintext password beside an encrypted client secret from the values alone: it asks the stack file too.
 * Empty or malformed `secure:` values are reported too (the engine would fail to decrypt them).
 */
export function plaintextSecretIssues(
  stackConfig: Readonly<Record<string, unknown>>,
  source: string,
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const path of SECRET_PATHS) {
    const [section, ...rest] = path.split(".") as [string, ...string[]];
    const value = getPath(stackConfig[`${NAMESPACE}:${section}`], rest);
    const key = `${NAMESPACE}:${path}`;
    if (typeof value === "string") issues.push({ file: source, key, message: plaintextSecretMessage(path) });
    // An empty or malformed `secure:` value: the engine would fail to decrypt it; say so before anything runs.
    const problem = isPlainObject(value) && "secure" in value ? secureValueProblem(value, key) : undefined;
    if (problem) issues.push({ file: source, key, message: problem });
  }
  return issues;
}

/** A roster file's rows, checked: people with where they are, and problems as [key, message]. */
interface RosterFileRows {
  file: string;
  text: string;
  people: Array<{ where: string; person: Person }>;
  problems: Array<[string, string]>;
}

/**
 * `vpconnect check` validates the config, then runs the program, which validates it again with a fresh copy
 * of this module: a large roster file's checked rows are kept process-wide (keyed by file name and full
 * text), so the second load reuses them instead of checking 100,000 rows twice. Every caller parses with
 * readRosterFile (the check wraps it to show progress), so the parser is not part of the key.
 */
const ROWS_CACHE = Symbol.for("vantagepoint-connect.config.rosterFileRows");
const CACHE_FROM_CHARS = 1 << 20;

function rosterFileRows(file: string, text: string, parse: RosterFileParser): RosterFileRows {
  const store = globalThis as { [ROWS_CACHE]?: RosterFileRows };
  const hit = store[ROWS_CACHE];
  if (hit && hit.file === file && hit.text === text) return hit;
  const rows: RosterFileRows = { file, text, people: [], problems: [] };
  const add = (key: string, message: string) => rows.problems.push([key, message]);
  const sources = rows.people;
  const result = parse(text, file);
  for (const e of result.errors)
    add(`${file} ${e.where ?? `row ${e.row}`}${e.field ? ` ${e.field}` : ""}`, e.message);
  result.entries.forEach((entry, index) => {
    const where = `${file} ${result.where?.[index] ?? `row ${index + 2}`}`;
    const unsafe = textIssues(entry, []);
    for (const { path, message } of unsafe) add(`${where} ${path.join(".")}`, message);
    if (unsafe.length > 0) return;
    const checked = rosterRowSchema.safeParse(entry);
    if (checked.success) sources.push({ where, person: checked.data });
    else
      for (const issue of checked.error.issues) {
        if (issue.code === "unrecognized_keys") {
          const known = ROSTER_COLUMNS;
          for (const key of issue.keys) {
            const hint =
              key === "configurer"
                ? "name the configurer under roster.configurer instead"
                : didYouMean(key, known)
                  ? `did you mean "${didYouMean(key, known)}"?`
                  : `expected ${known.join(", ")}`;
            add(`${where} ${key}`, `is not a roster column; ${hint}`);
          }
          continue;
        }
        add(`${where} ${issue.path.join(".")}`, describeIssue(issue, getPath(entry, issue.path)));
      }
  });
  if (text.length >= CACHE_FROM_CHARS) store[ROWS_CACHE] = rows;
  else delete store[ROWS_CACHE];
  return rows;
}

/** One roster file row: a person, built once (zod compiles a schema on first use: per row it cost seconds). */
const rosterRowSchema = z.strictObject(sections.roster.shape.configurer.shape);
const ROSTER_COLUMNS = Object.keys(sections.roster.shape.configurer.shape);

/** Merges configurer, inline users and the roster file; reports bad rows and duplicates by row or index. */
function buildRoster(
  config: StackConfig,
  options: LoadOptions,
  add: (key: string, message: string) => void,
  warnings: string[],
): { entries: RosterEntry[]; group?: GroupSummary } {
  const { roster } = config;
  const sources: Array<{ where: string; person: Person }> = [];
  sources.push({ where: `${NAMESPACE}:roster.configurer`, person: roster.configurer });
  roster.users.forEach((person, index) =>
    sources.push({ where: `${NAMESPACE}:roster.users[${index}]`, person }),
  );

  if (roster.file) {
    if (!options.readFile || !options.parseRosterFile) {
      add(
        `${NAMESPACE}:roster.file`,
        "a roster file cannot be read here; list the users inline under roster.users",
      );
    } else {
      let text: string | undefined;
      const lexical = projectPathProblem(roster.file);
      try {
        if (lexical) throw new ProjectFileError(lexical);
        text = options.readFile(roster.file);
      } catch (error) {
        add(
          `${NAMESPACE}:roster.file`,
          error instanceof ProjectFileError
            ? error.message
            : `cannot read ${JSON.stringify(roster.file)} (${(error as NodeJS.ErrnoException).code ?? "error"}); the path is relative to the project folder`,
        );
      }
      if (text !== undefined) {
        const rows = rosterFileRows(roster.file, text, options.parseRosterFile);
        for (const [key, message] of rows.problems) add(key, message);
        for (const row of rows.people) sources.push(row);
      }
    }
  }

  // The group's people after everyone listed: the static entry wins for the same person.
  const fromGroup = groupSources(config, sources, options.readGroup ?? readGroupSync, add, warnings);
  sources.push(...fromGroup.sources);

  const byEmail = new Map<string, string>();
  const byUser = new Map<string, string>();
  const byEmployee = new Map<string, string>();
  const out: RosterEntry[] = [];
  /** Emails with letters beyond ASCII, checked against everyone once all are known. */
  const nonAscii: Array<{ where: string; email: string }> = [];
  for (const [index, { where, person }] of sources.entries()) {
    if (!/^[\x00-\x7f]*$/.test(person.email)) {
      const mixed = mixedScriptProblem(person.email);
      if (mixed) {
        add(`${where}.email`, mixed);
        continue;
      }
      nonAscii.push({ where, email: person.email });
    }
    const domain = userIdDomainProblem(person.userId, config.entra.loginMode);
    if (domain) add(`${where}.userId`, domain);
    const emailKey = personKey(person.email);
    const userKey = personKey(person.userId);
    const sameEmail = byEmail.get(emailKey);
    const sameUser = byUser.get(userKey);
    if (sameUser !== undefined) {
      if (index > 0)
        add(
          `${where}.userId`,
          `${JSON.stringify(person.userId)} is listed twice (also at ${sameUser}); each user ID once`,
        );
      continue;
    }
    if (sameEmail !== undefined) {
      add(
        `${where}.email`,
        `${JSON.stringify(person.email)} is listed twice (also at ${sameEmail}); Connect needs one email per person`,
      );
      continue;
    }
    if (person.employee !== undefined) {
      // One employee record per person: two users linked to one employee make Connect match the wrong person
      // (Deltek, Connect Administration troubleshooting); keys compare as SQL Server does, ignoring case.
      const employeeKey = personKey(person.employee);
      const sameEmployee = byEmployee.get(employeeKey);
      if (sameEmployee !== undefined) {
        add(
          `${where}.employee`,
          `${JSON.stringify(person.employee)} is also the employee key at ${sameEmployee}; each person needs their own employee record: give this person's key, or leave employee out to match by email`,
        );
        continue;
      }
      byEmployee.set(employeeKey, where);
    }
    byEmail.set(emailKey, where);
    byUser.set(userKey, where);
    out.push({
      ...person,
      role:
        index === 0 ? (person.role ?? config.vantagepoint.adminRole) : (person.role ?? roster.defaultRole),
      configurer: index === 0,
    });
  }
  lookalikeEmails(nonAscii, byEmail, add);
  return { entries: out, ...(fromGroup.summary ? { group: fromGroup.summary } : {}) };
}

/**
 * An email written in another script that looks like someone else's (Cyrillic "аlex.lee@" for "alex.lee@")
 * is refused: Connect would match mailboxes by it and a person would not see the difference.
 */
function lookalikeEmails(
  candidates: ReadonlyArray<{ where: string; email: string }>,
  byEmail: ReadonlyMap<string, string>,
  add: (key: string, message: string) => void,
): void {
  if (candidates.length === 0) return;
  const bySkeleton = new Map<string, Array<{ where: string; email: string }>>();
  for (const [email, where] of byEmail) {
    const skeleton = confusableSkeleton(email);
    const list = bySkeleton.get(skeleton);
    if (list) list.push({ where, email });
    else bySkeleton.set(skeleton, [{ where, email }]);
  }
  for (const { where, email } of candidates) {
    const others = (bySkeleton.get(confusableSkeleton(email)) ?? []).filter((o) => o.where !== where);
    // Prefer the plain-ASCII address it imitates.
    const other = others.find((o) => /^[\x00-\x7f]*$/.test(o.email)) ?? others[0];
    if (!other) continue;
    add(
      `${where}.email`,
      `${JSON.stringify(email)} looks like ${JSON.stringify(other.email)} (at ${other.where}) but uses letters of another script; give this person's real address`,
    );
  }
}

function keyPath(path: readonly PropertyKey[]): string {
  let out = NAMESPACE + ":";
  path.forEach((part, index) => {
    if (typeof part === "number") out += `[${part}]`;
    else out += (index === 0 ? "" : ".") + String(part);
  });
  return out;
}

function versionAtLeast(version: string, major: number, minor: number): boolean {
  const [a = 0, b = 0] = version.split(".").map(Number);
  return a > major || (a === major && b >= minor);
}

function parseJsonObject(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function isSecureMarker(value: unknown): value is { secure: string } {
  return (
    value !== null &&
    typeof value === "object" &&
    !(value instanceof SecretValue) &&
    Object.keys(value).length === 1 &&
    typeof (value as { secure?: unknown }).secure === "string"
  );
}

function findSecureMarkers(value: unknown, prefix = ""): string[] {
  if (isSecureMarker(value)) return [prefix];
  if (value === null || typeof value !== "object" || value instanceof SecretValue) return [];
  const out: string[] = [];
  for (const [key, child] of Object.entries(value)) {
    const path = Array.isArray(value) ? `${prefix}[${key}]` : prefix ? `${prefix}.${key}` : key;
    out.push(...findSecureMarkers(child, path));
  }
  return out;
}

function getPath(root: unknown, path: string | readonly PropertyKey[]): unknown {
  const parts = typeof path === "string" ? path.split(".") : path;
  let current = root;
  for (const part of parts) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[part as string];
  }
  return current;
}

function setPath(root: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split(".");
  let current: Record<string, unknown> = root;
  for (const part of parts.slice(0, -1)) current = current[part] as Record<string, unknown>;
  current[parts[parts.length - 1]!] = value;
}

function dedupe(issues: ConfigIssue[]): ConfigIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.key}\u0000${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Secrets every stack needs (the Connect API client's secret is optional). */
const REQUIRED_SECRET_PATHS = ["vantagepoint.password", "vantagepoint.clientSecret"];

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
