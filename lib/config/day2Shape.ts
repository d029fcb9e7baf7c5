/**
 * The day-2 rules (lib/gatewayRules, lib/waf, lib/keyVault) on the stack config: each problem at the key the person
 * wrote, with a fix that passes; and the notes `vpconnect check` prints. Pure (no Pulumi import). ConnectSite runs
 * the same rule functions on its typed args.
 */
import type { z } from "zod";
import { gatewayChangeProblems, ipv6FrontendProblems, zonesMustBeStated } from "../gatewayRules";
import { vaultNameSuffixProblem } from "../keyVault";
import { wafSettingsProblems } from "../waf";
import type { sections } from "./sections";

type Out<K extends keyof typeof sections> = z.output<(typeof sections)[K]>;
type Day2Config = {
  site?: Out<"site">;
  azure?: Out<"azure">;
  tls?: Out<"tls">;
  allowList?: Out<"allowList">;
};
type Issue = { path: (string | number)[]; message: string };

/** "azure.waf.exclusions[0].selector" -> ["azure", "waf", "exclusions", 0, "selector"]. */
function keyPath(key: string): (string | number)[] {
  return key
    .replace(/\[(\d+)\]/g, ".$1")
    .split(".")
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

/** Day-2 problems in the config; each runs when the sections it reads parsed. */
export function day2Issues(c: Day2Config): Issue[] {
  const out: Issue[] = [];
  const add = (problems: Array<{ key: string; message: string }>) =>
    out.push(...problems.map((p) => ({ path: keyPath(p.key), message: p.message })));
  if (c.azure) {
    const zones = zonesMustBeStated(c.azure.location, c.azure.zones);
    if (zones) out.push({ path: ["azure", "zones"], message: zones });
  }
  if (c.site && c.allowList) {
    add(
      ipv6FrontendProblems({
        ipv6Frontend: c.site.ipv6Frontend,
        enforceAt: c.allowList.enforceAt,
        audience: c.site.audience,
        keys: {
          enforceAt: "allowList.enforceAt",
          audience: "site.audience",
          ipv6Frontend: "site.ipv6Frontend",
        },
      }),
    );
  }
  if (c.site && c.azure) {
    add(
      gatewayChangeProblems(
        { ipv6Frontend: c.site.ipv6Frontend, zones: c.azure.zones ?? [] },
        c.azure.gatewayCreatedWith,
        { ipv6Frontend: "site.ipv6Frontend", zones: "azure.zones", createdWith: "azure.gatewayCreatedWith" },
      ),
    );
  }
  if (c.azure && c.allowList && c.site) {
    add(
      wafSettingsProblems(c.azure.waf, "azure.waf", {
        enforceAt: c.allowList.enforceAt,
        audience: c.site.audience,
        enforceAtKey: "allowList.enforceAt",
      }),
    );
  }
  if (c.tls?.keyVault.nameSuffix !== undefined) {
    const problem = vaultNameSuffixProblem(
      c.tls.keyVault.nameSuffix,
      "tls.keyVault.nameSuffix",
      c.tls.keyVault.uniqueName && c.tls.keyVault.create,
    );
    if (problem) {
      out.push({
        path: ["tls", "keyVault", "nameSuffix"],
        message: problem.replace(/^tls\.keyVault\.nameSuffix: /, ""),
      });
    }
  }
  return out;
}

/**
 * Day-2 notes for the person deploying (nothing refused). Quiet for the bundled stacks: Detection with the NSG
 * enforcing the allow list is Microsoft's advised start, and the upgrade notes (nameSuffix, gatewayCreatedWith) are
 * in the README, since nothing in a stack file says whether it was deployed by an earlier version.
 */
export function day2Warnings(c: Required<Pick<Day2Config, "site" | "azure">>): string[] {
  const out: string[] = [];
  if ((c.azure.waf.mode ?? "Detection") === "Detection" && c.site.audience === "anyone") {
    out.push(
      `azure.waf.mode is "Detection" with site.audience "anyone": nothing blocks attacks on Vantagepoint (in Detection the WAF only logs). Tune with the WAF log (azure.waf.exclusions for false positives), then set azure.waf.mode: Prevention`,
    );
  }
  return out;
}
