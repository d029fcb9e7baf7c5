// The pack's own reviewed copy of Connect's outbound addresses (P2), kept as data beside the policies in
// `connect-ips.json`. Deltek publishes the list in its "Exposed IP Addresses" help topic; it changes over time
// and is not in this repository (shared/reference/connect-prerequisites.md, P2), so the copy records where it
// was copied from, when, and who reviewed it. The stack's allowList.connectIps is checked against this copy,
// never against itself. Self-contained (node:fs, node:path only): the pack ships standalone, and
// `vpconnect ips` reads the same format through this module.
import * as fs from "node:fs";
import * as path from "node:path";
import { Cidr, parseCidr } from "../../lib/cidr";
import { insideFolderProblem, isInside, jsonSyntaxProblem } from "../../lib/fileRules";
import type { ConnectIpsCopyFile, ConnectIpsProvenance } from "../../lib/connectIpsFile";
export type { ConnectIpsCopyFile, ConnectIpsProvenance };

/** The copy's file name, beside the pack's policies. */
export const CONNECT_IPS_FILE = "connect-ips.json";

/** A copy as read: its ranges, its provenance, and every problem found (empty when it is usable). */
export interface ConnectIpsCopy {
  /** The file, as given (for messages). */
  file: string;
  ranges: Cidr[];
  provenance?: ConnectIpsProvenance;
  problems: string[];
}

/** The pack folder a policy module sits in (compiled packs run from `bin/`, their data stays beside it). */
export function packFolderOf(moduleDir: string): string {
  if (fs.existsSync(path.join(moduleDir, CONNECT_IPS_FILE))) return moduleDir;
  // Compiled (bin/policies/*.js, see tsconfig.json): the pack folder is the nearest one with PulumiPolicy.yaml.
  for (let dir = path.dirname(moduleDir); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "PulumiPolicy.yaml"))) return dir;
  }
  return moduleDir;
}

/** Why one entry of the copy is not a network range in canonical form, or undefined. */
export function copyEntryProblem(text: unknown): string | undefined {
  if (typeof text !== "string") return `${JSON.stringify(text)} must be a string`;
  const c = parseCidr(text);
  if (!c || text.trim() !== text) return `${JSON.stringify(text)} must be an IPv4 or IPv6 address or CIDR`;
  const address = text.split("/")[0]!;
  const host = parseCidr(address);
  if (host && host.start !== c.start)
    return `${JSON.stringify(text)} has host bits set; the network is not clear`;
  if (c.prefix === 0) return `${JSON.stringify(text)} admits every address; it cannot be Connect's`;
  return undefined;
}

/** Validates parsed JSON as a copy; `file` names it in problems. Pure. */
export function parseConnectIpsCopy(value: unknown, file: string): ConnectIpsCopy {
  const problems: string[] = [];
  const out: ConnectIpsCopy = { file, ranges: [], problems };
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    problems.push(`${file}: must be a JSON object with "connectIps" (a list) and "provenance"`);
    return out;
  }
  const v = value as Record<string, unknown>;
  if (!Array.isArray(v.connectIps)) {
    problems.push(`${file}: connectIps must be a list of IPv4/IPv6 addresses or CIDRs`);
  } else {
    v.connectIps.forEach((entry, i) => {
      const problem = copyEntryProblem(entry);
      if (problem) problems.push(`${file}: connectIps[${i}] ${problem}`);
      else out.ranges.push(parseCidr(entry as string)!);
    });
  }
  const p = v.provenance as Record<string, unknown> | undefined;
  if (p === null || typeof p !== "object" || Array.isArray(p)) {
    problems.push(`${file}: provenance must say where the list was copied from, when, and who reviewed it`);
  } else {
    for (const key of ["source", "copiedOn", "reviewedBy"] as const) {
      if (typeof p[key] !== "string" || (p[key] as string).trim() === "")
        problems.push(`${file}: provenance.${key} must be a non-empty string`);
    }
    if (typeof p.copiedOn === "string" && !/^\d{4}-\d{2}-\d{2}$/.test(p.copiedOn))
      problems.push(`${file}: provenance.copiedOn must be a date YYYY-MM-DD`);
    if (p.placeholder !== undefined && typeof p.placeholder !== "boolean")
      problems.push(`${file}: provenance.placeholder must be true or false`);
    out.provenance = {
      source: String(p.source ?? ""),
      copiedOn: String(p.copiedOn ?? ""),
      reviewedBy: String(p.reviewedBy ?? ""),
      ...(p.placeholder === true ? { placeholder: true } : {}),
      ...(typeof p.note === "string" ? { note: p.note } : {}),
    };
  }
  return out;
}

/** Reads a copy from disk. `file` is resolved against `packDir`; `shown` names it in messages. Never throws. */
export function readConnectIpsCopy(packDir: string, file: string = CONNECT_IPS_FILE): ConnectIpsCopy {
  const abs = path.resolve(packDir, file);
  const shown = path.isAbsolute(file) ? file : path.join(path.basename(packDir), file);
  // The copy lives in the pack folder: a path out of it (../../../etc/passwd, an absolute path, a symbolic link
  // leading out) is never read, so nothing of another file can reach a message or a report.
  const outside = insideFolderProblem(file, "the policy pack folder", '"connect-ips.json"');
  if (outside) return { file: JSON.stringify(file), ranges: [], problems: [`connectIpsFile ${outside}`] };
  let text: string;
  try {
    if (!isInside(fs.realpathSync(packDir), fs.realpathSync(abs)))
      return {
        file: shown,
        ranges: [],
        problems: [
          `${shown}: leads out of the policy pack folder through a symbolic link; keep the copy in the pack folder`,
        ],
      };
    text = fs.readFileSync(abs, "utf8");
  } catch {
    return {
      file: shown,
      ranges: [],
      problems: [
        `${shown}: cannot be read; the pack needs its reviewed copy of Connect's addresses (create it with \`vpconnect ips update --from <saved page> --reviewed-by <name> --write\`)`,
      ],
    };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return {
      file: shown,
      ranges: [],
      problems: [`${shown}: ${jsonSyntaxProblem(error, text)}`],
    };
  }
  return parseConnectIpsCopy(value, shown);
}

/** One line saying what P2 was checked against, for messages and reports. */
export function describeCopy(copy: ConnectIpsCopy): string {
  const p = copy.provenance;
  if (!p) return `${copy.file}`;
  if (p.placeholder) return `${copy.file}, a PLACEHOLDER list, not Deltek's published list`;
  return `${copy.file} (copied from ${p.source} on ${p.copiedOn}, reviewed by ${p.reviewedBy})`;
}
