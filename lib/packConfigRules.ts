/**
 * Rules for the values of the policy pack's config (a `--policy-pack-config` file or the pack's initial config),
 * pure and dependency-free (lib/cidr, node:path), so the offline check refuses them up front (exit 2) and the
 * policies refuse them under the engine with the same words.
 */
import { parseCidr } from "./cidr";
import { insideFolderProblem } from "./fileRules";

/**
 * Why one `extraAllowedRanges` entry cannot widen P2's allow list: not an address or CIDR, every address
 * (`0.0.0.0/0`, `::/0`), or wider than the widest prefix the pack accepts (`widestPrefixV4`/`widestPrefixV6`,
 * default /16 and /48): the pack would then pass an NSG open to a large part of the Internet.
 */
export function extraAllowedRangeProblem(
  text: unknown,
  widest: { v4: number; v6: number } = { v4: 16, v6: 48 },
): string | undefined {
  if (typeof text !== "string") return `${JSON.stringify(text)} must be an IPv4 or IPv6 address or CIDR`;
  const c = parseCidr(text);
  if (!c) return `${JSON.stringify(text)} must be an IPv4 or IPv6 address or CIDR, e.g. "192.0.2.64/27"`;
  if (c.prefix === 0)
    return `${JSON.stringify(text)} admits every address, so P2's allow list would admit anyone; list the office or monitoring ranges themselves, e.g. "192.0.2.64/27"`;
  // Wider than widestPrefixV4/V6 is the policy's own finding on the NSG (a mandatory violation), not a config error.
  void widest;
  return undefined;
}

/** The pack's copy of Connect's addresses stays inside the pack folder (a path never reaches /etc/passwd). */
export function connectIpsFileProblem(file: unknown): string | undefined {
  if (typeof file !== "string")
    return `${JSON.stringify(file)} must be a file name inside the policy pack folder`;
  return insideFolderProblem(file, "the policy pack folder", '"connect-ips.json"');
}

/** Every problem of one policy's resolved config values, keyed by the config key (and index). */
export function packConfigValueProblems(
  config: Readonly<Record<string, unknown>>,
): Array<{ key: string; message: string }> {
  const out: Array<{ key: string; message: string }> = [];
  if (config.connectIpsFile !== undefined) {
    const problem = connectIpsFileProblem(config.connectIpsFile);
    if (problem) out.push({ key: "connectIpsFile", message: problem });
  }
  if (Array.isArray(config.extraAllowedRanges)) {
    const widest = {
      v4: typeof config.widestPrefixV4 === "number" ? config.widestPrefixV4 : 16,
      v6: typeof config.widestPrefixV6 === "number" ? config.widestPrefixV6 : 48,
    };
    config.extraAllowedRanges.forEach((entry, i) => {
      const problem = extraAllowedRangeProblem(entry, widest);
      if (problem) out.push({ key: `extraAllowedRanges[${i}]`, message: problem });
    });
  }
  return out;
}
