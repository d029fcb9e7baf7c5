import { siteRuleIssues } from "../../lib/config/siteRules";

/** The site rules (lib/site, by stack key) over parsed stack-config sections, as path parts and messages. */
export function siteShapeIssues(
  raw: Record<string, unknown>,
  parsed: Record<string, unknown>,
  now = new Date("2026-12-06T12:00:00Z"),
): Array<{ path: string[]; message: string }> {
  return siteRuleIssues(raw, parsed as never, now).errors.map((p) => ({
    path: p.path.split("."),
    message: p.message,
  }));
}
