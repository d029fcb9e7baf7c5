/**
 * The WAF policy's own settings, pure (no Pulumi import): mode, request body and file upload limits, managed-rule
 * exclusions; the checks ConnectAllowList and the stack config run on them.
 *
 * Sources (shared/reference/azure-facts.md, "Day-2 and review facts"): Microsoft's WAF best practices advise
 * Detection mode while untuned managed rules "might accidentally block requests that should be allowed"; the
 * request body limit is 128 KB unless set, enforced in Prevention mode. Microsoft's custom-rules overview: "If the
 * WAF policy is set to detection mode, and a custom block rule is triggered, the request is logged and no blocking
 * action is taken" -- so in Detection the WAF half of the allow list only logs.
 * Limits: Microsoft, "Application Gateway WAF request size limits": with CRS 3.2 and later (WAF_v2) the request
 * body limit is 8 KB to 2,000 KB and the file upload limit 1 MB to 4,000 MB.
 */

/** The WAF policy's mode. */
export const WafMode = { Detection: "Detection", Prevention: "Prevention" } as const;
/** "Detection" (log only) or "Prevention" (block). */
export type WafMode = (typeof WafMode)[keyof typeof WafMode];
export const WAF_MODES = [WafMode.Detection, WafMode.Prevention] as const;
/** The default for a stack that does not say: Detection, as Microsoft advises for untuned managed rules. */
export const DEFAULT_WAF_MODE: WafMode = "Detection";

/**
 * The mode the policy runs in: the stated one; else Prevention where the WAF is the only place the allow list is
 * enforced (`enforceAt: waf` for an allow-list audience: in Detection nothing would block), else Detection.
 */
export function effectiveWafMode(
  mode: WafMode | undefined,
  allowList: { enforceAt?: string; audience?: string },
): WafMode {
  if (mode !== undefined) return mode;
  return allowList.enforceAt === "waf" && allowList.audience !== "anyone" ? "Prevention" : DEFAULT_WAF_MODE;
}

/** What a managed-rule exclusion applies to. */
export const WafExclusionVariable = {
  RequestHeaderNames: "RequestHeaderNames",
  RequestHeaderKeys: "RequestHeaderKeys",
  RequestHeaderValues: "RequestHeaderValues",
  RequestCookieNames: "RequestCookieNames",
  RequestCookieKeys: "RequestCookieKeys",
  RequestCookieValues: "RequestCookieValues",
  RequestArgNames: "RequestArgNames",
  RequestArgKeys: "RequestArgKeys",
  RequestArgValues: "RequestArgValues",
} as const;
/** A request part a managed-rule exclusion applies to (the WAF log's matchVariableName kind). */
export type WafExclusionVariable = (typeof WafExclusionVariable)[keyof typeof WafExclusionVariable];
export const WAF_EXCLUSION_VARIABLES = Object.values(WafExclusionVariable) as [
  WafExclusionVariable,
  ...WafExclusionVariable[],
];
/** How an exclusion's selector matches. */
export const WafExclusionOperator = {
  Equals: "Equals",
  Contains: "Contains",
  StartsWith: "StartsWith",
  EndsWith: "EndsWith",
  EqualsAny: "EqualsAny",
} as const;
/** "Equals", "Contains", "StartsWith", "EndsWith" or "EqualsAny". */
export type WafExclusionOperator = (typeof WafExclusionOperator)[keyof typeof WafExclusionOperator];
export const WAF_EXCLUSION_OPERATORS = Object.values(WafExclusionOperator) as [
  WafExclusionOperator,
  ...WafExclusionOperator[],
];

/** One managed-rule exclusion: requests' `matchVariable` elements selected by `selector` are not inspected. */
export interface WafExclusion {
  /** The request part, e.g. "RequestArgNames". */
  readonly matchVariable: WafExclusionVariable;
  /** How `selector` matches, e.g. "Equals". */
  readonly selectorMatchOperator: WafExclusionOperator;
  /** The header, cookie or argument name. */
  readonly selector: string;
}

/** The WAF policy's settings as a site states them. */
export interface WafSettings {
  /** "Detection" (log only, custom rules too) or "Prevention" (block); default effectiveWafMode. */
  mode?: WafMode;
  /** Inspect request bodies (default true). */
  requestBodyCheck?: boolean;
  /** Largest request body in KB, 8 to 2000 (Azure's default 128 when unset). */
  maxRequestBodySizeInKb?: number;
  /** Largest file upload in MB, 1 to 4000 (Azure's default when unset). */
  fileUploadLimitInMb?: number;
  /** Managed-rule exclusions for false positives found in Detection mode. */
  exclusions?: WafExclusion[];
}

export const WAF_LIMITS = {
  requestBodyKb: { min: 8, max: 2000 },
  fileUploadMb: { min: 1, max: 4000 },
} as const;

/** The policy's `policySettings`: state, mode, body check, and the limits only where the site sets them (else Azure's). */
export function wafPolicySettings(
  w: WafSettings = {},
  allowList: { enforceAt?: string; audience?: string } = {},
) {
  return {
    state: "Enabled" as const,
    mode: effectiveWafMode(w.mode, allowList),
    requestBodyCheck: w.requestBodyCheck ?? true,
    ...(w.maxRequestBodySizeInKb !== undefined ? { maxRequestBodySizeInKb: w.maxRequestBodySizeInKb } : {}),
    ...(w.fileUploadLimitInMb !== undefined ? { fileUploadLimitInMb: w.fileUploadLimitInMb } : {}),
  };
}

/** Problems with the WAF settings, each naming `<prefix>.<field>`. */
export function wafSettingsProblems(
  w: WafSettings,
  prefix: string,
  allowList: { enforceAt?: string; audience?: string; enforceAtKey: string },
): Array<{ key: string; message: string }> {
  const out: Array<{ key: string; message: string }> = [];
  const mode = effectiveWafMode(w.mode, allowList);
  if (!(WAF_MODES as readonly string[]).includes(mode)) {
    out.push({
      key: `${prefix}.mode`,
      message: `${JSON.stringify(mode)} is not "Detection" or "Prevention"`,
    });
  }
  const range = (key: string, v: number | undefined, r: { min: number; max: number }, unit: string) => {
    if (v !== undefined && (!Number.isInteger(v) || v < r.min || v > r.max)) {
      out.push({
        key: `${prefix}.${key}`,
        message: `${JSON.stringify(v)} is not ${r.min} to ${r.max} ${unit} (Application Gateway WAF_v2 with CRS 3.2 or later)`,
      });
    }
  };
  range("maxRequestBodySizeInKb", w.maxRequestBodySizeInKb, WAF_LIMITS.requestBodyKb, "KB");
  range("fileUploadLimitInMb", w.fileUploadLimitInMb, WAF_LIMITS.fileUploadMb, "MB");
  (w.exclusions ?? []).forEach((e, i) => {
    if (!(WAF_EXCLUSION_VARIABLES as readonly string[]).includes(e.matchVariable)) {
      out.push({
        key: `${prefix}.exclusions[${i}].matchVariable`,
        message: `${JSON.stringify(e.matchVariable)} is not one of ${WAF_EXCLUSION_VARIABLES.join(", ")}`,
      });
    }
    if (!(WAF_EXCLUSION_OPERATORS as readonly string[]).includes(e.selectorMatchOperator)) {
      out.push({
        key: `${prefix}.exclusions[${i}].selectorMatchOperator`,
        message: `${JSON.stringify(e.selectorMatchOperator)} is not one of ${WAF_EXCLUSION_OPERATORS.join(", ")}`,
      });
    }
    if (typeof e.selector !== "string" || e.selector.trim() === "") {
      out.push({
        key: `${prefix}.exclusions[${i}].selector`,
        message:
          "is empty; name the header, cookie or argument the exclusion is for (e.g. a false positive's matchVariableName in the WAF log)",
      });
    }
  });
  if (mode === "Detection" && allowList.enforceAt === "waf" && allowList.audience !== "anyone") {
    out.push({
      key: `${prefix}.mode`,
      message: `"Detection" with ${allowList.enforceAtKey}: waf enforces no allow list at all: in Detection mode a custom block rule only logs (Microsoft: custom rules overview), and the NSG admits the Internet. Set ${allowList.enforceAtKey}: both (the NSG enforces the list while the WAF is tuned), or ${prefix}.mode: Prevention`,
    });
  }
  return out;
}
