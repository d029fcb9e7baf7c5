/**
 * ConnectSite's args check before anything registers: the shape and rules of lib/site, the day-2 rules of lib/, and
 * whether the Vantagepoint side's dynamic resources can run where the component runs.
 */
import * as pulumi from "@pulumi/pulumi";
import { gatewayChangeProblems, ipv6FrontendProblems } from "../../lib/gatewayRules";
import { removalBrakeIssues } from "../../lib/vantagepoint/removalBrake";
import { shardsProblem } from "../../lib/vantagepoint/rosterShards";
import { siteArgsProblems } from "../../lib/site/check";
import type { ArgProblem } from "../../lib/site/view";
import { checkArgs } from "../argsCheck";
import type { ConnectSiteArgs } from "./args";

/** Where the component runs: the process entry (Pulumi's plugin runner when served to another language) and the program's folder. */
export interface SiteHost {
  /** process.argv[1]: `@pulumi/pulumi/cmd/run-plugin` inside the component provider host. */
  entry?: string;
  /** The folder the engine runs the program (and starts the dynamic provider) in. */
  programDir: string;
}

/**
 * Why the Vantagepoint side cannot run here, or undefined. Its resources are Node.js dynamic resources: the engine
 * runs them in `pulumi-resource-pulumi-nodejs`, which starts `node` on
 * `require.resolve('@pulumi/pulumi/cmd/dynamic-provider')` from the program's folder (pulumi/pulumi
 * sdk/nodejs/dist/pulumi-resource-pulumi-nodejs; plugins run in the program's folder, sdk/go/common/resource/plugin
 * plugin.go). A TypeScript program's folder has it; a Python, Go, .NET, Java or YAML program's folder, where this
 * component is served by the component provider host, does not, and the deployment would fail half-way.
 */
export function dynamicResourcesProblem(host: SiteHost): string | undefined {
  if (!host.entry || !/[\\/]cmd[\\/]run-plugin([\\/]|$)/.test(host.entry)) return undefined;
  try {
    require.resolve("@pulumi/pulumi/cmd/dynamic-provider", { paths: [host.programDir] });
    return undefined;
  } catch {
    return `vantagepoint: the roster, admin role and Connect API client are Node.js dynamic resources, and Pulumi starts their provider from your program's folder (${host.programDir}), which has no @pulumi/pulumi; leave vantagepoint out and manage that side from a TypeScript program (README: "Use it from your own program"), or run npm install @pulumi/pulumi@^3.245.0 in that folder (not verified here)`;
  }
}

/**
 * Checks the args before anything registers: every problem at once, named by arg path, with a fix (the rules are
 * pure, in lib/site, and the stack-config loader calls the same ones). Values given as Outputs are checked once
 * known; the returned Output then fails with the same message.
 */
export function checkSiteArgs(
  name: string,
  args: ConnectSiteArgs,
  host: SiteHost = { entry: process.argv[1], programDir: process.cwd() },
): pulumi.Output<boolean> {
  const dynamic = args.vantagepoint ? dynamicResourcesProblem(host) : undefined;
  if (dynamic) throw new pulumi.RunError(`ConnectSite ${name}: ${dynamic}`);
  let day2: ArgProblem[] = [];
  try {
    day2 = day2Problems(args);
  } catch {
    // A value of the wrong type: the shape check names it.
  }
  return checkArgs("ConnectSite", name, args, (view) => [...siteArgsProblems(view), ...day2]);
}

/** The removal brake, roster shards, IPv6 frontend and gateway-change rules over the args (lib/), as arg problems. */
function day2Problems(args: ConnectSiteArgs): ArgProblem[] {
  const enforceAt = args.allowList?.enforceAt;
  return [
    ...removalBrakeIssues(args.vantagepoint?.removalBrake, "vantagepoint.removalBrake").map(
      ([path, message]) => ({ path, message }),
    ),
    ...[shardsProblem(args.vantagepoint?.rosterShards)]
      .filter((message): message is string => message !== undefined)
      .map((message) => ({ path: "vantagepoint.rosterShards", message })),
    ...ipv6FrontendProblems({
      ipv6Frontend: args.ipv6Frontend,
      enforceAt: typeof enforceAt === "string" ? enforceAt : undefined,
      audience: args.allowList?.audience,
      keys: {
        enforceAt: "allowList.enforceAt",
        audience: "allowList.audience",
        ipv6Frontend: "ipv6Frontend",
      },
    }).map((p) => ({ path: p.key, message: p.message })),
    ...gatewayChangeProblems(
      { ipv6Frontend: args.ipv6Frontend ?? false, zones: args.zones ?? [] },
      args.gatewayCreatedWith,
      { ipv6Frontend: "ipv6Frontend", zones: "zones", createdWith: "gatewayCreatedWith" },
    ).map((p) => ({ path: p.key, message: p.message })),
  ];
}
