/**
 * What the reliability tests measured, and the root-level `after` hook that prints one summary line per area
 * once every test has run (`npm run test:reliability`, and inside `npm test`). Tests add to these counters only
 * after their assertions passed, so a line like `faults: 54/54 converged` is a measurement, not a label.
 */

export const tally = {
  /** Bad stack configs: how many the tests ran, and how many were rejected cleanly (every check passed). */
  badConfig: { total: 0, clean: 0 },
  /** Fault runs against the emulator: how many ran, and how many converged (or stopped clearly, then converged). */
  faults: { total: 0, converged: 0 },
  /** Bytes of output scanned for sentinel secrets, and sentinels found in plaintext. */
  secrets: { bytes: 0, leaks: 0, sources: 0 },
  /** Records outside what a run owns that were compared before and after, and how many changed. */
  ownership: { compared: 0, changed: 0, runs: 0, adversarial: 0, adversarialConverged: 0 },
};

/** The summary lines, from the counters (areas no test touched are left out). */
export function summaryLines(): string[] {
  const lines: string[] = [];
  const { badConfig, faults, secrets, ownership } = tally;
  if (badConfig.total > 0) lines.push(`bad-config: ${badConfig.clean}/${badConfig.total} rejected cleanly`);
  if (faults.total > 0) lines.push(`faults: ${faults.converged}/${faults.total} converged`);
  if (secrets.sources > 0) lines.push(`secrets: ${secrets.leaks} leaks in ${secrets.bytes} bytes`);
  if (ownership.runs > 0)
    lines.push(
      `ownership: ${ownership.changed} unrelated records changed (${ownership.compared} compared over ${ownership.runs} runs${ownership.adversarial > 0 ? `; ${ownership.adversarialConverged}/${ownership.adversarial} adversarial starting states converged within two runs` : ""})`,
    );
  return lines;
}

// A root-level hook: this module is imported at the top of each reliability test file, outside any describe.
after(function () {
  const lines = summaryLines();
  if (lines.length > 0) console.log(`\n${lines.join("\n")}`);
});
