/**
 * SiteVerification's plain part, pure (no Pulumi import): the URL checks and the environment the
 * verify-site script reads, refusing anything that looks like a credential.
 */
import { isIP } from "node:net";
import { isLoopbackHost } from "./values/fields";

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

/** Why one URL input is wrong (not https, a user name or password, credential-looking query parameters), or undefined. */
export function verificationUrlProblem(raw: string): string | undefined {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return `${JSON.stringify(raw)} is not a URL; expected https://host/path`;
  }
  if (u.protocol !== "https:" && !(u.protocol === "http:" && isLoopbackHost(u.hostname))) {
    return `must use https:// (got ${u.protocol}//; http only for 127.0.0.1/localhost); Connect reaches the site only over HTTPS`;
  }
  if (u.username || u.password) {
    return "remove the user name and password from the URL; the checks use no credentials";
  }
  const suspicious = [...u.searchParams.keys()].filter((k) => SECRET_LOOKING.test(k));
  if (suspicious.length > 0) {
    return `remove the query parameter(s) ${suspicious.join(", ")}; no credential may reach the command's environment`;
  }
  return undefined;
}

/**
 * Checks one URL input: https, no user name or password, no credential-looking query parameters.
 * Throws an error naming the field and the fix.
 */
export function validateVerificationUrl(field: string, raw: string): string {
  const problem = verificationUrlProblem(raw);
  if (problem) throw new Error(`SiteVerification ${field}: ${problem}`);
  return raw;
}

/** One wrong setting: the field and what is wrong, with the fix. */
export interface SettingProblem {
  field: string;
  message: string;
}

/**
 * Every wrong value among the settings given (the args check lists them all before anything registers; the
 * environment below refuses the first). A URL left out is not checked; an empty loginUrl means none.
 */
export function verificationSettingProblems(s: Partial<VerificationSettings>): SettingProblem[] {
  const out: SettingProblem[] = [];
  const minDays = s.certificateMinDays;
  if (minDays !== undefined && (!Number.isInteger(minDays) || minDays < 0 || minDays > 397)) {
    out.push({
      field: "certificateMinDays",
      message: `${minDays} is not a whole number of days from 0 to 397`,
    });
  }
  if (
    s.timeoutMs !== undefined &&
    (!Number.isInteger(s.timeoutMs) || s.timeoutMs < 100 || s.timeoutMs > 300000)
  ) {
    out.push({
      field: "timeoutMs",
      message: `${s.timeoutMs} is not a whole number of milliseconds from 100 to 300000`,
    });
  }
  const connectAddress = (s.connectAddress ?? "").trim();
  if (connectAddress !== "" && isIP(connectAddress) === 0) {
    out.push({
      field: "connectAddress",
      message: `${JSON.stringify(s.connectAddress)} is not an IP address; give the gateway's public IP (the publicIp output)`,
    });
  }
  for (const field of ["publicUrl", "apiUrl", "loginUrl"] as const) {
    const url = s[field];
    if (url === undefined || (field === "loginUrl" && !url)) continue;
    const problem = verificationUrlProblem(url);
    if (problem) out.push({ field, message: problem });
  }
  return out;
}

/**
 * The environment the script reads (every VPC_* key set, empty when unused, so values inherited from the
 * deploying shell never leak in). Pure; throws an error naming the field for a bad value.
 */
export function verificationEnvironment(s: VerificationSettings): Record<string, string> {
  const [first] = verificationSettingProblems({
    ...s,
    publicUrl: String(s.publicUrl),
    apiUrl: String(s.apiUrl),
  });
  if (first) throw new Error(`SiteVerification ${first.field}: ${first.message}`);
  const minDays = s.certificateMinDays ?? DEFAULT_CERTIFICATE_MIN_DAYS;
  const connectAddress = (s.connectAddress ?? "").trim();
  return {
    VPC_PUBLIC_URL: s.publicUrl,
    VPC_API_URL: s.apiUrl,
    VPC_LOGIN_URL: s.loginUrl || "",
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
