/**
 * SiteVerification: after the gateway, certificate and DNS are in place, checks from the machine running
 * `pulumi up` that Connect can reach the site: the public URL answers over HTTPS with a trusted certificate
 * valid for the host and not about to expire, `POST {api}/token` answers like Vantagepoint, and the login
 * redirect URL answers. The checks live in `scripts/verify-site.js` (plain Node.js, no curl) and run through a
 * `@pulumi/command` `local.Command`.
 *
 * When it runs: on create, and again whenever an input changes (the URLs, the minimum days, or a trigger: the
 * public IP, the certificate secret id, the backend address). The command has no `update`, so a trigger change
 * replaces it and runs `create` again. It never runs during `pulumi preview`: the command provider skips
 * `create` in preview by design. It has no `delete` command, so it can never make `pulumi destroy` fail.
 *
 * A failing check fails `pulumi up` (the script exits 1) unless `reportOnly` is true; the report (one line per
 * check with the likely fix) is shown in the deploy log and exported as `report`.
 *
 * Inputs reach the script only through environment variables, never the command line, and none may be a
 * secret: the component refuses Pulumi secrets and URLs carrying credentials.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as local from "@pulumi/command/local";
import { siteVerificationArgsProblems } from "../lib/site/appArgs";
import { secretLookingEntries, verificationEnvironment } from "../lib/siteVerification";
import { afterCheck, checkArgs } from "./argsCheck";

export const SITE_VERIFICATION_TOKEN = "vantagepoint-connect:index:SiteVerification";

export interface SiteVerificationArgs {
  /** The site's public URL as Connect is given it, e.g. https://vp.example.com/vantagepoint. */
  readonly publicUrl: pulumi.Input<string>;
  /** The Vantagepoint API root, e.g. https://vp.example.com/vantagepoint/api (the check posts to {apiUrl}/token). */
  readonly apiUrl: pulumi.Input<string>;
  /** The login redirect URL to check (Entra ID or Vantagepoint OAuth callback); skipped when absent. */
  readonly loginUrl?: pulumi.Input<string>;
  /** Fail when the certificate expires within this many days (default 21). */
  readonly certificateMinDays?: pulumi.Input<number>;
  /** Per-request timeout in milliseconds (default 10000). */
  readonly timeoutMs?: pulumi.Input<number>;
  /** Path of an extra PEM CA bundle on the deploying machine, for private CAs (Connect itself needs a public CA). */
  readonly caFile?: pulumi.Input<string>;
  /** When true, failed checks are reported in `report` but do not fail `pulumi up` (default false). */
  readonly reportOnly?: pulumi.Input<boolean>;
  /** Trigger: the gateway's public IP address; a change re-runs the checks. */
  readonly publicIpAddress?: pulumi.Input<string>;
  /**
   * Connect to this address (the gateway's public IP) for every request to the public URL's host, with SNI and the
   * Host header still the host name: the gateway is tested even where the name resolves elsewhere (split DNS).
   */
  readonly connectAddress?: pulumi.Input<string>;
  /** Trigger: the Key Vault certificate secret id the gateway uses (pass a versioned id to re-run on renewal). */
  readonly certificateSecretId?: pulumi.Input<string>;
  /** Trigger: the backend address (FQDN or IP) behind the gateway; a change re-runs the checks. */
  readonly backendAddress?: pulumi.Input<string>;
  /** Trigger: further values whose change re-runs the checks. */
  readonly extraTriggers?: pulumi.Input<pulumi.Input<string>[]>;
}

/** The names of the inputs that are Pulumi secrets (they must never reach the command). */
export async function secretInputNames(
  inputs: Record<string, pulumi.Input<unknown> | undefined>,
): Promise<string[]> {
  const flags = await Promise.all(
    Object.entries(inputs).map(async ([name, value]) =>
      value !== undefined && (await pulumi.isSecret(pulumi.output(value))) ? name : undefined,
    ),
  );
  return flags.filter((n): n is string => n !== undefined);
}

/**
 * The absolute path of scripts/verify-site.js: beside the project root when run from source (ts-node), or one
 * level further up when compiled into dist/.
 */
export function verifyScriptPath(): string {
  const candidates = [
    path.resolve(__dirname, "..", "scripts", "verify-site.js"),
    path.resolve(__dirname, "..", "..", "scripts", "verify-site.js"),
  ];
  const found = candidates.find((p) => fs.existsSync(p));
  if (!found) {
    throw new Error(
      `SiteVerification: scripts/verify-site.js not found (looked at ${candidates.join(", ")}); reinstall the project`,
    );
  }
  return found;
}

/** Checks at deploy time, from the deploying machine, that Connect can reach the site (URL, certificate, API, login). */
export class SiteVerification extends pulumi.ComponentResource {
  /** The script's report: one `ok`/`FAIL` line per check with the likely fix, then a summary line. */
  declare public readonly report: pulumi.Output<string>;
  /** The command that runs the checks. */
  declare public readonly command: local.Command;

  constructor(name: string, args: SiteVerificationArgs, opts?: pulumi.ComponentResourceOptions) {
    // Checked before super(): bad input registers nothing; every problem at once, named by arg.
    const argsChecked = checkArgs("SiteVerification", name, args, siteVerificationArgsProblems);
    super(SITE_VERIFICATION_TOKEN, name, {}, opts);
    this.command = verificationCommand(name, args, argsChecked, this);
    this.report = this.command.stdout;
    this.registerOutputs({ report: this.report, argsChecked });
  }
}

/** The environment as an Output; fails the deployment when any input is a Pulumi secret. */
function environmentOutput(args: SiteVerificationArgs): pulumi.Output<Record<string, string>> {
  const inputs = {
    publicUrl: args.publicUrl,
    apiUrl: args.apiUrl,
    loginUrl: args.loginUrl,
    certificateMinDays: args.certificateMinDays,
    timeoutMs: args.timeoutMs,
    caFile: args.caFile,
    reportOnly: args.reportOnly,
    connectAddress: args.connectAddress,
  };
  const secrets = pulumi.output(secretInputNames(inputs));
  const values = pulumi.all([
    args.publicUrl,
    args.apiUrl,
    args.loginUrl,
    args.certificateMinDays,
    args.timeoutMs,
    args.caFile,
    args.reportOnly,
    args.connectAddress,
  ]);
  return pulumi.all([secrets, values]).apply(([secretNames, v]) => {
    if (secretNames.length > 0) {
      throw new Error(
        `SiteVerification: ${secretNames.join(", ")} must not be secret; the checks use no credentials and their environment is stored in plain text`,
      );
    }
    const [publicUrl, apiUrl, loginUrl, certificateMinDays, timeoutMs, caFile, reportOnly, connectAddress] =
      v;
    const env = verificationEnvironment({
      publicUrl,
      apiUrl,
      loginUrl,
      certificateMinDays,
      timeoutMs,
      caFile,
      reportOnly,
      connectAddress,
    });
    const suspicious = secretLookingEntries(env);
    if (suspicious.length > 0) {
      throw new Error(
        `SiteVerification: ${suspicious.join(", ")} look like they carry a credential; remove it`,
      );
    }
    return env;
  });
}

/** The values whose change re-runs the checks. */
function triggerValues(args: SiteVerificationArgs): pulumi.Output<string[]> {
  return pulumi
    .all([
      args.publicUrl,
      args.apiUrl,
      args.loginUrl ?? "",
      args.publicIpAddress ?? "",
      args.certificateSecretId ?? "",
      args.backendAddress ?? "",
      pulumi.output(args.extraTriggers ?? []),
    ])
    .apply(([publicUrl, apiUrl, loginUrl, ip, cert, backend, extra]) => [
      `publicUrl=${publicUrl}`,
      `apiUrl=${apiUrl}`,
      `loginUrl=${loginUrl}`,
      `publicIp=${ip}`,
      `certificate=${cert}`,
      `backend=${backend}`,
      ...extra.map((v) => `extra=${v}`),
    ]);
}

/**
 * The command: `node <absolute path of verify-site.js>` with no shell in between (interpreter ["node"]: the
 * provider executes the interpreter with the script path as its one argument, on every OS; `node` is on PATH
 * wherever a Pulumi Node.js program runs). No update or delete command.
 */
function verificationCommand(
  name: string,
  args: SiteVerificationArgs,
  argsChecked: pulumi.Output<boolean>,
  parent: pulumi.Resource,
): local.Command {
  return new local.Command(
    `${name}-verify`,
    {
      interpreter: ["node"],
      create: verifyScriptPath(),
      // Waits for the args check of values given as Outputs: a command whose args are found bad is never created.
      environment: afterCheck(environmentOutput(args), argsChecked),
      triggers: triggerValues(args),
      addPreviousOutputInEnv: false,
      logging: "stdoutAndStderr",
    },
    { parent },
  );
}
