/**
 * Sentinel secrets and a scanner that looks for them in everything a run produced. A sentinel counts as leaked in
 * any spelling a log or report could carry it: plain, URL-encoded, form-encoded, JSON-escaped or base64.
 */
import { tally } from "./tally";

/** One value per secret the project handles; long and unique so a hit is never a coincidence. */
export const SENTINELS = {
  password: "Sentinel-Vp-Password-1f3e9a7c",
  clientSecret: "Sentinel-Vp-ClientSecret-5b2d8e41",
  connectClientSecret: "Sentinel-Connect-Secret-9c6a0f13",
} as const;

export const SENTINEL_VALUES: string[] = Object.values(SENTINELS);

/** Every spelling of `secret` that would still reveal it. */
export function spellings(secret: string): string[] {
  return [
    ...new Set([
      secret,
      encodeURIComponent(secret),
      encodeURIComponent(secret).replace(/%20/g, "+"),
      JSON.stringify(secret).slice(1, -1),
      Buffer.from(secret, "utf8").toString("base64").replace(/=+$/, ""),
    ]),
  ];
}

export interface Finding {
  source: string;
  secret: string;
  at: number;
}

/** Finds sentinels in `content`; adds the bytes and any leaks to the secrets tally. */
export function scan(
  source: string,
  content: string | Buffer,
  secrets: readonly string[] = SENTINEL_VALUES,
): Finding[] {
  const text = typeof content === "string" ? content : content.toString("utf8");
  const findings: Finding[] = [];
  for (const secret of secrets) {
    for (const form of spellings(secret)) {
      for (let at = text.indexOf(form); at !== -1; at = text.indexOf(form, at + 1))
        findings.push({ source, secret, at });
    }
  }
  tally.secrets.bytes += Buffer.byteLength(text, "utf8");
  tally.secrets.sources += 1;
  tally.secrets.leaks += findings.length;
  return findings;
}

/** Text around a finding, with the secret itself masked, for assertion messages. */
export function describeFindings(findings: readonly Finding[], content: string): string {
  return findings
    .map((f) => `${f.source} @${f.at}: ...${content.slice(Math.max(0, f.at - 60), f.at)}<SENTINEL>...`)
    .join("\n");
}
