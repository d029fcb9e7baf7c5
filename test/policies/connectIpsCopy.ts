// Test copies of the pack's reviewed Connect IP list (policies/connect-ips.json), written to a temp folder inside
// the pack folder (policies/.test-copies/, git-ignored) and handed to the policies through the `connectIpsFile`
// config key as a path relative to the pack folder: the pack never reads a copy outside its folder (issue 19).
import * as fs from "node:fs";
import * as path from "node:path";
import type { ConnectIpsProvenance } from "../../policies/lib/connectIpsCopy";

let dir: string | undefined;
let count = 0;

/** A reviewed (non-placeholder) provenance. */
export const REVIEWED: ConnectIpsProvenance = {
  source: "https://help.deltek.com/ (saved copy of 'Exposed IP Addresses')",
  copiedOn: new Date().toISOString().slice(0, 10),
  reviewedBy: "Pat Jones",
};

/** The pack folder the policies read their copy relative to. */
export const PACK_FOLDER = path.resolve(__dirname, "../../policies");

/** Writes a copy file (`content` raw when a string) and returns its path relative to the pack folder. */
export function writeCopy(content: unknown): string {
  const base = path.join(PACK_FOLDER, ".test-copies");
  fs.mkdirSync(base, { recursive: true });
  if (dir === undefined) {
    const made = fs.mkdtempSync(path.join(base, "copy-"));
    dir = made;
    process.once("exit", () => fs.rmSync(made, { recursive: true, force: true }));
  }
  const file = path.join(dir, `connect-ips-${++count}.json`);
  fs.writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content, null, 2));
  return path.relative(PACK_FOLDER, file);
}

/** Pack config pointing connect-ips-allowed at a copy holding `ips`. */
export function copyConfig(
  ips: readonly string[],
  provenance: ConnectIpsProvenance = REVIEWED,
): { connectIpsFile: string } {
  return { connectIpsFile: writeCopy({ connectIps: [...ips], provenance }) };
}
