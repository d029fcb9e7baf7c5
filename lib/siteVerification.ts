/**
 * SiteVerification's plain part, pure (no Pulumi import): the URL checks and the environment the
 * verify-site script reads, refusing anything that looks like a credential.
 */
import { isIP } from "node:net";
import { isLoopbackHost } from "./config/schema";

/** The default number of days a certificate must still be valid for. */
export const DEFAULT_CERTIFICATE_MIN_DAYS = 21;

/** The plain values the environment is built from. */
export interface VerificationSettings {
  publicUrl: string;
  apiUrl: string;
  loginUrl?: string;
  certificateMinDays?: number;
  timeoutMs?: number;
  caFile?: string;
  reportOnly?: boolean;
  /** The IP address requests to the public URL's host connect to (SNI and Host stay the host name). */
  connectAddress?: string;
}

/** Query parameter or variable names that suggest a credential. */
const SECRET_LOOKING = /pass(word)?|secret|token|key|sig|code|credential|auth/i;

/**
 * Checks one URL input: https, no user name or password, no credential-looking query parameters.
 * Throws an error naming the field and the fix.
 */
export function validateVerificationUrl(field: string, raw: string): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new Error(
      `SiteVerification ${field}: ${JSON.stringify(raw)} is not a URL; expected https://host/path`,
    );
  }
  if (u.protocol !== "https:" && !(u.protocol === "http:" && isLoopbackHost(u.hostname))) {
    throw new Error(
      `SiteVerification ${field}: must use https:// (got ${u.protocol}//; http only for 127.0.0.1/localhost); Connect reaches the site only over HTTPS`,
    );
  }
  if (u.username || u.password) {
    throw new Error(
      `SiteVerification ${field}: remove the user name and password from the URL; the checks use no credentials`,
    );
  }
  const suspicious = [...u.searchParams.keys()].filter((k) => SECRET_LOOKING.test(k));
  if (suspicious.length > 0) {
    throw new Error(
      `SiteVerification ${field}: remove the query parameter(s) ${suspicious.join(", ")}; no credential may reach the command's environment`,
    );
  }
  return raw;
}

/**
 * The environment the script reads (every VPC_* key set, empty when unused, so values inherited from the
 * deploying shell never leak in). Pure; throws an error naming the field for a bad value.
 */
export function verificationEnvironment(s: VerificationSettings): Record<string, string> {
  const minDays = s.certificateMinDays ?? DEFAULT_CERTIFICATE_MIN_DAYS;
  if (!Number.isInteger(minDays) || minDays < 0 || minDays > 397) {
    throw new Error(
      `SiteVerification certificateMinDays: ${minDays} is not a whole number of days from 0 to 397`,
    );
  }
  if (
    s.timeoutMs !== undefined &&
    (!Number.isInteger(s.timeoutMs) || s.timeoutMs < 100 || s.timeoutMs > 300000)
  ) {
    throw new Error(
      `SiteVerification timeoutMs: ${s.timeoutMs} is not a whole number of milliseconds from 100 to 300000`,
    );
  }
  const connectAddress = (s.connectAddress ?? "").trim();
  if (connectAddress !== "" && isIP(connectAddress) === 0) {
    throw new Error(
      `SiteVerification connectAddress: ${JSON.stringify(s.connectAddress)} is not an IP address; give the gateway's public IP (the publicIp output)`,
    );
  }
  return {
    VPC_PUBLIC_URL: validateVerificationUrl("publicUrl", s.publicUrl),
    VPC_API_URL: validateVerificationUrl("apiUrl", s.apiUrl),
    VPC_LOGIN_URL: s.loginUrl ? validateVerificationUrl("loginUrl", s.loginUrl) : "",
    VPC_CERT_MIN_DAYS: String(minDays),
    VPC_TIMEOUT_MS: s.timeoutMs === undefined ? "" : String(s.timeoutMs),
    VPC_CA_FILE: s.caFile ?? "",
    VPC_OUTPUT: "text",
    VPC_REPORT_ONLY: s.reportOnly ? "1" : "",
    VPC_CONNECT_ADDRESS: connectAddress,
  };
}

/** Environment entries whose value looks like a credential (used by tests and as a last guard). */
export function secretLookingEntries(env: Record<string, string>): string[] {
  return Object.entries(env)
    .filter(
      ([, v]) =>
        /:\/\/[^/@\s]+:[^/@\s]*@/.test(v) ||
        /[?&][^=]*(pass|secret|token|key|sig|code)[^=]*=/i.test(v) ||
        /^ey[A-Za-z0-9_-]{10,}\./.test(v),
    )
    .map(([k]) => k);
}
