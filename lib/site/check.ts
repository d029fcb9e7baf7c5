/**
 * Every problem with a component's args at once: the shape and field checks (./argsSchema.ts), then the site rules
 * (./rules.ts, ./network.ts). Pure. Values not known yet (UNKNOWN in the view) are skipped; the component checks
 * them again when they resolve, with the same words.
 */
import { z } from "zod";
import { describeIssue, didYouMean, knownKeysAt } from "../values/describe";
import { textIssues } from "../values/hostile";
import { escapeUnsafe, redactUrlCredentials } from "../values/validators";
import { siteArgsSchema } from "./argsSchema";
import { rosterCheckedByLoader } from "./checkedRoster";
import { connectApiClientRules, identifierUriRules, siteRosterRules } from "./crossFields";
import { addressSpaceRules, ipv6Rules, networkRules } from "./network";
import {
  allowListRules,
  apiUrlRules,
  backendTlsRules,
  certificateRules,
  httpListenerRules,
  rotationDateRules,
} from "./rules";
import type { ArgProblem, Caller, SiteView } from "./view";
import { LIBRARY_CALLER, UNKNOWN } from "./view";

export interface CheckOptions {
  /** Today (rotation and expiry dates); default the clock. */
  now?: Date;
}

/** An arg path as the caller writes it: `tls.keyVault.name`, `allowList.connectIps[0]`. */
export function argPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (out, part) =>
      typeof part === "number" ? `${out}[${part}]` : out ? `${out}.${String(part)}` : String(part),
    "",
  );
}

/** The value at a path, and whether it (or something above it) is not known yet. */
function at(root: unknown, path: readonly PropertyKey[]): { value: unknown; unknown: boolean } {
  let current = root;
  for (const part of path) {
    if (current === UNKNOWN) return { value: undefined, unknown: true };
    if (current === null || typeof current !== "object") return { value: undefined, unknown: false };
    current = (current as Record<PropertyKey, unknown>)[part as string];
  }
  return { value: current, unknown: current === UNKNOWN };
}

/** Parses an arg path back into its parts. */
function parts(path: string): Array<string | number> {
  return [...path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((m) => (m[2] !== undefined ? Number(m[2]) : m[1]!));
}

/** Problems a zod schema finds, named by arg path, skipping values not known yet. */
export function schemaProblems(
  schema: z.ZodType,
  view: unknown,
  prefix: readonly PropertyKey[] = [],
): ArgProblem[] {
  if (view === null || typeof view !== "object" || Array.isArray(view)) {
    return [{ path: argPath(prefix) || "args", message: "must be an object of named args" }];
  }
  const parsed = schema.safeParse(view);
  if (parsed.success) return [];
  const out: ArgProblem[] = [];
  for (const issue of parsed.error.issues) {
    const found = at(view, issue.path);
    if (found.unknown) continue;
    if (issue.code === "unrecognized_keys") {
      const known = knownKeysAt(schema, issue.path);
      for (const key of issue.keys) {
        const hint = didYouMean(key, known);
        out.push({
          path: argPath([...prefix, ...issue.path, key]),
          message: `is not an arg here${hint ? `; did you mean "${hint}"?` : `; expected one of ${known.join(", ")}`}`,
        });
      }
      continue;
    }
    out.push({ path: argPath([...prefix, ...issue.path]), message: describeIssue(issue, found.value) });
  }
  return out;
}

/** Runs one rule group; a rule that meets a value of the wrong type leaves it to the shape check. */
export function safely(rule: () => ArgProblem[]): ArgProblem[] {
  try {
    return rule();
  } catch {
    return [];
  }
}

/** The site rules with `caller`'s names (shared with the stack-config loader). */
export function siteRuleProblems(view: SiteView, caller: Caller, options: CheckOptions = {}): ArgProblem[] {
  const now = options.now ?? new Date();
  return [
    ...safely(() => certificateRules(view, caller, now)),
    ...safely(() => networkRules(view, caller)),
    ...safely(() => addressSpaceRules(view, caller).errors),
    ...safely(() => ipv6Rules(view, caller)),
    ...safely(() => allowListRules(view, caller)),
    ...safely(() => httpListenerRules(view, caller)),
    ...safely(() => backendTlsRules(view, caller, now)),
    ...safely(() => rotationDateRules(view, caller, now)),
    ...safely(() => apiUrlRules(view, caller)),
    ...safely(() => identifierUriRules(view, caller)),
    ...safely(() => connectApiClientRules(view, caller)),
    ...safely(() => siteRosterRules(view, caller)),
  ];
}

/** Every problem with ConnectSite's args (as plain data; values not known yet are UNKNOWN). */
export function siteArgsProblems(view: unknown, options: CheckOptions = {}): ArgProblem[] {
  view = withoutLoaderCheckedRoster(view);
  const shape = schemaProblems(siteArgsSchema, view);
  if (shape.some((p) => p.path === "args")) return shape;
  // Every string a person or a report will read: no control, bidi-override or invisible characters.
  const text = textIssues(view, []).map((i) => ({ path: argPath(i.path), message: i.message }));
  const rules = siteRuleProblems(view as SiteView, LIBRARY_CALLER, options).filter(
    (p) => !at(view, parts(p.path)).unknown,
  );
  return dedupe([...text, ...shape, ...rules]);
}

/**
 * The args with `vantagepoint.roster` left empty when it is a list the stack-config loader checked with the same
 * per-person rules (lib/site/checkedRoster.ts): the roster's entry shape, unsafe-text and roster rules are the only
 * rules that read it, and they passed for exactly these frozen values. Any other list is checked in full.
 */
function withoutLoaderCheckedRoster(view: unknown): unknown {
  if (view === null || typeof view !== "object" || Array.isArray(view)) return view;
  const vantagepoint = (view as { vantagepoint?: unknown }).vantagepoint;
  if (vantagepoint === null || typeof vantagepoint !== "object") return view;
  if (!rosterCheckedByLoader((vantagepoint as { roster?: unknown }).roster)) return view;
  return { ...view, vantagepoint: { ...vantagepoint, roster: [] } };
}

/** The allow list's args as ConnectAllowList takes them (top level: `connectIps`, not `allowList.connectIps`). */
const ALLOW_LIST_CALLER: Caller = { ...LIBRARY_CALLER, key: (p) => p.replace(/^allowList\./, "") };

/** Every problem with ConnectAllowList's args. */
export function allowListArgsProblems(view: unknown): ArgProblem[] {
  const schema = siteArgsSchema.shape.allowList.extend({
    resourceGroupName: z.string().min(1),
    location: z.string().min(1),
  });
  const shape = schemaProblems(schema, view);
  if (shape.some((p) => p.path === "args")) return shape;
  // Whether the gateway has an IPv6 frontend is ConnectSite's to check (ipv6Frontend): the list alone cannot know.
  const rules = safely(() =>
    allowListRules({ allowList: view as SiteView["allowList"], ipv6Frontend: true }, ALLOW_LIST_CALLER),
  );
  return dedupe([...shape, ...rules.filter((p) => !at(view, parts(p.path)).unknown)]);
}

/** The problems whose arg (or something above it) is known: a rule never speaks for a value not known yet. */
export function knownOnly(view: unknown, problems: readonly ArgProblem[]): ArgProblem[] {
  return problems.filter((p) => !at(view, parts(p.path)).unknown);
}

/** Each problem once. */
export function dedupe(problems: ArgProblem[]): ArgProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.path}\u0000${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * One error message for every problem: the component and its name, each arg and what to do. No stack frame, no
 * internal name; control characters escaped and URL passwords masked.
 */
export function formatArgProblems(
  component: string,
  name: string,
  problems: readonly ArgProblem[],
  later = false,
): string {
  const n = problems.length;
  const head = `${component} ${JSON.stringify(name)}: ${n} problem${n === 1 ? "" : "s"} in its args; ${later ? "found once the values were known, the deployment stops here" : "nothing was created"}:`;
  const clean = (text: string) => redactUrlCredentials(escapeUnsafe(text));
  return [head, ...problems.map((p) => `  ${clean(p.path)}: ${clean(p.message)}`)].join("\n");
}
