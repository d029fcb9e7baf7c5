/**
 * The roster the loader builds: configurer, inline users, a roster file's rows (checked once per process for a
 * large file) and a group's members, merged with duplicates and look-alike emails refused by row or index.
 */
import { readGroupSync } from "../entraGroup/readSync";
import { groupSources } from "./groupSource";
import type { GroupSummary } from "./groupSource";
import { z } from "zod";
import { userIdDomainProblem } from "../people";
import { rosterRules } from "../site/roster";
import { rosterEntry } from "../site/argsSchema";
import { textIssues } from "../values/hostile";
import { ProjectFileError, projectPathProblem } from "./projectFile";
import { describeIssue, didYouMean } from "../values/describe";
import { NAMESPACE, sections } from "./schema";
import type { Person, StackConfig } from "./schema";
import type { LoadOptions, RosterEntry, RosterFileParser } from "./loadOptions";
import { getPath } from "./valuePaths";

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

/**
 * Lets go of the rows kept for a second load: the program's load under `vpconnect check` took the roster handed over
 * (lib/config/loadShare.ts) instead, so nothing reads them again, and 100,000 rows kept 16 MB of heap for the rest
 * of the check.
 */
export function forgetRosterFileRows(): void {
  delete (globalThis as { [ROWS_CACHE]?: RosterFileRows })[ROWS_CACHE];
}

/** One roster file row: a person, built once (zod compiles a schema on first use: per row it cost seconds). */
const rosterRowSchema = z.strictObject(sections.roster.shape.configurer.shape);
const ROSTER_COLUMNS = Object.keys(sections.roster.shape.configurer.shape);

/** Merges configurer, inline users and the roster file; reports bad rows and duplicates by row or index. */
export function buildRoster(
  config: StackConfig,
  options: LoadOptions,
  add: (key: string, message: string) => void,
  warnings: string[],
): { entries: RosterEntry[]; group?: GroupSummary; checked: boolean } {
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

  // Who may sign in how is the stack's (entra.loginMode); duplicates and lookalikes are the shared roster rules.
  for (const { where, person } of sources) {
    const domain = userIdDomainProblem(person.userId, config.entra.loginMode);
    if (domain) add(`${where}.userId`, domain);
  }
  // One object literal per person: \`{ ...person, where }\` gave each of 100,000 people a hidden class of its own, and
  // the rules' reads of them went megamorphic (seconds of CPU). The rules read where, userId, email and employee.
  const checked = rosterRules(
    sources.map(({ where, person }) => ({
      where,
      userId: person.userId,
      email: person.email,
      employee: person.employee,
    })),
  );
  for (const { path, message } of checked.problems) add(path, message);
  const out: RosterEntry[] = [];
  const roles = new Set<string>();
  sources.forEach(({ person }, index) => {
    if (!checked.kept[index]) return;
    const role =
      index === 0 ? (person.role ?? config.vantagepoint.adminRole) : (person.role ?? roster.defaultRole);
    roles.add(role);
    out.push(rosterEntryOf(person, role, index === 0));
  });
  return {
    entries: out,
    checked: checkedAsSiteChecks(fromGroup.sources.length, roles),
    ...(fromGroup.summary ? { group: fromGroup.summary } : {}),
  };
}

/**
 * Whether the roster built (when it has no problem) passed every per-person rule ConnectSite's args check runs on
 * `vantagepoint.roster` (lib/site/checkedRoster.ts), so the loader may mark it and ConnectSite skip them: the
 * configurer, inline users and file rows were checked by the person schema (the same field rules as rosterEntry)
 * and the unsafe-text rule, and the list by rosterRules above. Not so for a group's people (the group reader's rules
 * are its own) nor for a role the person schema did not check (roster.defaultRole, vantagepoint.adminRole): each
 * distinct role is put through ConnectSite's own role rule here, so a default that rule refuses leaves the roster
 * unmarked and ConnectSite refuses it in its own words.
 */
function checkedAsSiteChecks(groupPeople: number, roles: ReadonlySet<string>): boolean {
  if (groupPeople > 0) return false;
  for (const role of roles) if (!rosterEntry.shape.role.safeParse(role).success) return false;
  return true;
}

/**
 * A roster entry built as one object literal, so every entry shares one hidden class: a spread (`{ ...person, role }`)
 * gave each of 100,000 entries a hidden class of its own (about 300 bytes each, and seconds of CPU). The employee key
 * is added only when given, as the spread did.
 */
function rosterEntryOf(person: Person, role: string, configurer: boolean): RosterEntry {
  const entry: RosterEntry = {
    userId: person.userId,
    email: person.email,
    firstName: person.firstName,
    lastName: person.lastName,
    role,
    configurer,
  };
  if (person.employee !== undefined) entry.employee = person.employee;
  return entry;
}
