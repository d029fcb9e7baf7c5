// Test copies of the pack's reviewed Connect IP list (policies/connect-ips.json), written to a temp folder and
// handed to the policies through the `connectIpsFile` config key (an absolute path is used as is).
import * as fs from "node:fs";
import * as os from "node:os";
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

/** Writes a copy file (`content` raw when a string) and returns its absolute path. */
export function writeCopy(content: unknown): string {
  dir ??= fs.mkdtempSync(path.join(os.tmpdir(), "vpconnect-copy-"));
  const file = path.join(dir, `connect-ips-${++count}.json`);
  fs.writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content, null, 2));
  return file;
}

/** Pack config pointing connect-ips-allowed at a copy holding `ips`. */
export function copyConfig(
  ips: readonly string[],
  provenance: ConnectIpsProvenance = REVIEWED,
): { connectIpsFile: string } {
  return { connectIpsFile: writeCopy({ connectIps: [...ips], provenance }) };
}
