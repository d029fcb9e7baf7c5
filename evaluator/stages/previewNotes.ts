/**
 * The notes of a check run as a first `pulumi preview` (--preview): which mandatory policies could not run on
 * what a first preview knows, and why, so a preview never claims more than it checked.
 */

/**
 * What a first preview could not check: every mandatory policy the engine would report as "can't run ...
 * during preview" (it reads a value that is unknown until the resources exist), with when it will run.
 */
export function previewNotes(
  result: { violations: ReadonlyArray<{ pack: string; policy: string; message: string }> },
  packs: ReadonlyArray<{ name: string; resolved: ReadonlyMap<string, { level: string }> }>,
  /** The policies as evaluated: a mandatory one that checked nothing (not applicable in a preview) did not run. */
  policies: ReadonlyArray<{
    pack: string;
    name: string;
    level: string;
    prerequisite?: string | null;
    notChecked?: string;
  }> = [],
): string[] {
  const notes = [
    "preview: evaluated as a first pulumi preview of a new stack sees it: resource ids and outputs the providers compute are unknown, dynamic resources (the Vantagepoint side) are not run",
  ];
  const blind = new Map<string, string>();
  for (const v of result.violations) {
    const m =
      /^can't run (?:policy|remediation) '[^']+' from policy pack '[^']+' during preview: (.*)$/s.exec(
        v.message,
      );
    if (!m) continue;
    const level = packs.find((p) => p.name === v.pack)?.resolved.get(v.policy)?.level;
    if (level === "mandatory" || level === "remediate") blind.set(`${v.pack}/${v.policy}`, m[1]!);
  }
  for (const [policy, why] of blind) {
    notes.push(
      `preview: mandatory policy ${policy} cannot run in a first preview (${why}); the engine reports that as advisory, so it is not enforced until pulumi up evaluates it with the created resources' values (or vpconnect check without --preview)`,
    );
  }
  // Mandatory policies that answered "not applicable" (P3-P5 before the roster has read Vantagepoint: dynamic
  // resources do not run in a preview) did not run either: named with why, never counted as checked.
  const idle = policies.filter(
    (p) =>
      (p.level === "mandatory" || p.level === "remediate") &&
      p.notChecked &&
      !blind.has(`${p.pack}/${p.name}`),
  );
  for (const p of idle) {
    notes.push(
      `preview: mandatory policy ${p.pack}/${p.name}${p.prerequisite ? ` (${p.prerequisite})` : ""} did not run: ${p.notChecked!.replace(/\.$/, "")}; pulumi up checks it once the resources exist (or vpconnect check without --preview)`,
    );
  }
  if (blind.size === 0 && idle.length === 0)
    notes.push("preview: every mandatory policy ran on what is known");
  else
    notes.push(
      `preview: ${blind.size + idle.length} mandatory polic${blind.size + idle.length === 1 ? "y" : "ies"} did not run (${[...blind.keys(), ...idle.map((p) => `${p.pack}/${p.name}`)].join(", ")}); the others ran on what a first preview knows, and pulumi up evaluates all of them`,
    );
  return notes;
}
