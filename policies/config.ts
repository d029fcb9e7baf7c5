// The pack's configuration: every key, its JSON schema and default. Each policy's `configSchema` carries
// the keys it reads (Pulumi's policy config is per policy: `{"<policy-name>": {"<key>": value}}`), and the
// policies apply these defaults themselves, so they behave the same with or without the engine filling them.
import { PolicyConfigSchema } from "@pulumi/policy";

/** One property schema of a policy config (the JSON schema type @pulumi/policy uses). */
export type PolicyConfigJSONSchema = PolicyConfigSchema["properties"][string];

/** Values of the pack's config keys. */
export interface PackConfig {
  /** The pack's reviewed copy of Connect's addresses, relative to the pack folder (default connect-ips.json). */
  connectIpsFile: string;
  /** Days after which the copy of Connect's addresses must be compared with Deltek's page again. */
  connectIpsMaxAgeDays: number;
  /** Further source ranges the allow list may admit (offices, monitoring). */
  extraAllowedRanges: string[];
  /** The widest IPv4 allow range accepted (prefix length). */
  widestPrefixV4: number;
  /** The widest IPv6 allow range accepted (prefix length). */
  widestPrefixV6: number;
  /** Longest lifetime of an app password or Key Vault secret, in days from now. */
  maxSecretLifetimeDays: number;
  /** Whether Exchange Web Services (EWS) delegated access is allowed for the mailbox app. */
  allowEws: boolean;
  /** TCP ports that must never be open to the Internet. */
  forbiddenInternetPorts: number[];
  /** The Vantagepoint web app path on the public host. */
  vantagepointAppPath: string;
  /** The public URL (https://host); empty means: read it from the ConnectSite/PublicEndpoint output `publicUrl`. */
  publicUrl: string;
  /** Which WAF policies must be in Prevention mode: those of production stacks (default) or all. */
  wafPreventionOn: string;
}

/** Defaults of every pack config key. */
export const packConfigDefaults: Readonly<PackConfig> = Object.freeze({
  connectIpsFile: "connect-ips.json",
  connectIpsMaxAgeDays: 180,
  extraAllowedRanges: [],
  widestPrefixV4: 16,
  widestPrefixV6: 48,
  maxSecretLifetimeDays: 730,
  allowEws: false,
  forbiddenInternetPorts: [22, 3389, 1433, 5985, 5986],
  vantagepointAppPath: "/vantagepoint/app",
  publicUrl: "",
  wafPreventionOn: "production",
});

/** JSON schema of every pack config key. */
export const packConfigSchema: { readonly [K in keyof PackConfig]: PolicyConfigJSONSchema } = {
  connectIpsFile: {
    type: "string",
    minLength: 1,
    default: "connect-ips.json",
    description:
      "The pack's reviewed copy of Connect's outbound addresses (Deltek's 'Exposed IP Addresses' topic), a JSON " +
      "file relative to the pack folder; the stack's allowList.connectIps is checked against it. Update it with " +
      "`vpconnect ips update`.",
  },
  connectIpsMaxAgeDays: {
    type: "integer",
    minimum: 1,
    default: 180,
    description:
      "Deltek's list changes over time: a copy older than this many days (provenance.copiedOn) is reported, " +
      "so someone compares it with the page again.",
  },
  extraAllowedRanges: {
    type: "array",
    items: { type: "string" },
    default: [],
    description: "Further source CIDRs the allow list may admit (offices, monitoring).",
  },
  widestPrefixV4: {
    type: "integer",
    minimum: 0,
    maximum: 32,
    default: 16,
    description: "The widest IPv4 allow range accepted: a shorter prefix is a violation.",
  },
  widestPrefixV6: {
    type: "integer",
    minimum: 0,
    maximum: 128,
    default: 48,
    description: "The widest IPv6 allow range accepted: a shorter prefix is a violation.",
  },
  maxSecretLifetimeDays: {
    type: "integer",
    minimum: 1,
    default: 730,
    description: "Longest lifetime of an app password or Key Vault secret, in days from now.",
  },
  allowEws: {
    type: "boolean",
    default: false,
    description:
      "Allow Exchange Web Services delegated access (Microsoft turns EWS off in Exchange Online on 1 October 2026).",
  },
  forbiddenInternetPorts: {
    type: "array",
    items: { type: "integer", minimum: 0, maximum: 65535 },
    default: [22, 3389, 1433, 5985, 5986],
    description: "TCP ports that must never be open from the Internet or any source.",
  },
  vantagepointAppPath: {
    type: "string",
    pattern: "^/",
    default: "/vantagepoint/app",
    description:
      "The Vantagepoint web app path; the login app's redirect URI is the public URL plus this path.",
  },
  publicUrl: {
    type: "string",
    default: "",
    description:
      "The public URL (https://host). Empty: taken from the ConnectSite/PublicEndpoint output publicUrl.",
  },
  wafPreventionOn: {
    type: "string",
    enum: ["production", "all"],
    default: "production",
    description:
      'Which WAF policies must be in Prevention mode: "production" (tag environment prod, production, prd or ' +
      'live; others may run in Detection while the managed rules are tuned, as Microsoft advises) or "all".',
  },
};

/** A policy configSchema holding the given pack keys with their defaults. */
export function schemaFor(...keys: (keyof PackConfig)[]): PolicyConfigSchema {
  const properties: Record<string, PolicyConfigJSONSchema> = {};
  for (const k of keys) properties[k] = packConfigSchema[k];
  return { properties };
}

/** The defaults of the given pack keys. */
export function defaultsFor<K extends keyof PackConfig>(...keys: K[]): Pick<PackConfig, K> {
  const out = {} as Pick<PackConfig, K>;
  for (const k of keys) {
    const v = packConfigDefaults[k];
    out[k] = (Array.isArray(v) ? [...v] : v) as PackConfig[K];
  }
  return out;
}
