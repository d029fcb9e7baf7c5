/**
 * verify-site: the text and JSON reports and their summary line.
 */
"use strict";

/** The text report: one line per check and a summary line. */
function formatText(results) {
  const lines = results.map((r) => {
    const status = r.skipped ? "skip" : r.ok ? "ok  " : "FAIL";
    const where = r.url ? ` ${r.url}:` : ":";
    const fix = !r.ok && r.fix ? ` -> fix: ${r.fix}` : "";
    return `${status} ${r.name}${where} ${r.message}${fix}`;
  });
  lines.push(summaryLine(results));
  return lines.join("\n");
}

/** The summary line. */
function summaryLine(results) {
  const failed = results.filter((r) => !r.ok);
  const passed = results.filter((r) => r.ok && !r.skipped).length;
  const skipped = results.filter((r) => r.skipped).length;
  const extra = skipped ? `, ${skipped} skipped` : "";
  if (failed.length === 0) return `verify-site: all checks passed (${passed} ok${extra})`;
  return `verify-site: ${failed.length} of ${results.length} checks FAILED (${failed.map((r) => r.name).join(", ")}); ${passed} ok${extra}`;
}

/** The JSON report (VPC_OUTPUT=json). */
function formatJson(results) {
  return JSON.stringify({ ok: results.every((r) => r.ok), summary: summaryLine(results), checks: results });
}

module.exports = {
  formatText,
  formatJson,
  summaryLine,
};
