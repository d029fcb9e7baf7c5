/**
 * The fleet plan: for each Vantagepoint site stack, what Pulumi Deployments, a drift schedule, an ESC environment
 * and the policy group need to hold. Pure (no Pulumi import): fleet/index.ts turns it into
 * Pulumi Service resources (Deployments settings, schedules, ESC environments) and tests assert on it directly.
 *
 * Sources (../shared/reference/fleets.md): Deployments needs settings per stack (source, pre-run commands,
 * environment); drift schedules are cron with optional auto-remediation (drift = `refresh --preview-only`); one
 * deployment per stack at a time; ESC environments' `pulumiConfig` values flow into stack config; policy packs
 * apply to stacks through a policy group. ESC reads Key Vault secrets with `fn::open::azure-secrets` after
 * `fn::open::azure-login` (Pulumi ESC provider docs).
 */

/** One site as the fleet config states it. */
export interface FleetSiteInput {
  /** The site's stack name (its stack file is stacks/Pulumi.<stack>.yaml). */
  stack: string;
  /** Cron for the drift check (five fields, UTC); default: the fleet's driftCron. */
  driftCron?: string;
  /** Key Vault holding this site's Vantagepoint API password and client secret. */
  secretsVault?: string;
  /** Azure subscription the site deploys to (OIDC login); default: the fleet's subscriptionId. */
  subscriptionId?: string;
  /** The ESC environments the site's stack file already imports (its `environment:` list), when known. */
  environments?: string[];
}

/** The whole fleet config (stack config of the fleet program, namespace `fleet`). */
export interface FleetInput {
  /** Pulumi organization that owns the site stacks. */
  organization: string;
  /** The site project's name (Pulumi.yaml `name`). */
  project: string;
  /** Git repository the site program lives in (https URL). */
  repoUrl: string;
  /** Branch Deployments takes the program from. */
  branch: string;
  /** Folder of Pulumi.yaml inside the repository ("." for the root). */
  repoDir: string;
  /** Default drift cron for every site. */
  driftCron: string;
  /** Let a drift run fix drift by `pulumi up` (default false: report only; a person reviews). */
  autoRemediate: boolean;
  /** Entra app (client id) Pulumi Deployments and ESC log in to Azure as, through OIDC. */
  azureClientId: string;
  /** Entra tenant. */
  azureTenantId: string;
  /** Default Azure subscription. */
  subscriptionId: string;
  /** The policy pack's name and version as published to Pulumi Cloud (`pulumi policy publish policies`). */
  policyPack: { name: string; versionTag: string };
  /** Policy group mode: "preventative" blocks a deploy on a mandatory violation, "audit" only reports. */
  policyMode: "preventative" | "audit";
  /** The sites. */
  sites: FleetSiteInput[];
}

/** What the fleet program declares for one site. */
export interface FleetSitePlan {
  stack: string;
  /** Pulumi Deployments settings for the site stack. */
  deployment: {
    repoUrl: string;
    branch: string;
    repoDir: string;
    preRunCommands: string[];
    environmentVariables: Record<string, string>;
    oidc: { clientId: string; tenantId: string; subscriptionId: string };
  };
  /** Drift detection schedule. */
  drift: { scheduleCron: string; autoRemediate: boolean };
  /** The ESC environment the site's secrets come from (project/name and its YAML definition). */
  environment: { project: string; name: string; yaml: string };
  /** Stack tags (how the dashboard and `pulumi stack ls --tag` find the fleet). */
  tags: Record<string, string>;
}

export interface FleetPlan {
  sites: FleetSitePlan[];
  policyGroup: {
    name: string;
    mode: "preventative" | "audit";
    policyPack: { name: string; versionTag: string };
    stacks: Array<{ name: string; routingProject: string }>;
  };
}

/** A problem in the fleet config: the key, what is wrong, a fix that would pass. */
export interface FleetIssue {
  key: string;
  message: string;
}

export class FleetConfigError extends Error {
  constructor(readonly issues: FleetIssue[]) {
    super(`invalid fleet config:\n${issues.map((i) => `  fleet:${i.key}: ${i.message}`).join("\n")}`);
    this.name = "FleetConfigError";
  }
}

/** Pulumi stack names: letters, digits, `-`, `_`, `.` (Pulumi CLI rule). */
const STACK_NAME = /^[A-Za-z0-9_.-]{1,100}$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Key Vault names: 3-24 characters, letters, digits and single hyphens, starting with a letter. */
const VAULT_NAME = /^(?!.*--)[A-Za-z][A-Za-z0-9-]{1,22}[A-Za-z0-9]$/;

/** Problems with a five-field cron expression (minute hour day-of-month month day-of-week), or undefined. */
export function cronProblem(cron: string): string | undefined {
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 5)
    return `"${cron}" has ${fields.length} fields; a drift schedule takes five (minute hour day month weekday), for example "0 6 * * *"`;
  const ranges: Array<[string, number, number]> = [
    ["minute", 0, 59],
    ["hour", 0, 23],
    ["day of month", 1, 31],
    ["month", 1, 12],
    ["day of week", 0, 7],
  ];
  for (let i = 0; i < 5; i++) {
    const [what, min, max] = ranges[i];
    for (const part of fields[i].split(",")) {
      const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
      if (!m) return `"${cron}": the ${what} field "${fields[i]}" is not a number, range, list or */step`;
      for (const n of [m[2], m[3]]) {
        if (n !== undefined && (Number(n) < min || Number(n) > max))
          return `"${cron}": the ${what} field allows ${min}-${max}, not ${n}`;
      }
      if (m[4] !== undefined && Number(m[4]) === 0)
        return `"${cron}": a step of 0 in the ${what} field never fires`;
    }
  }
  return undefined;
}

/** Every problem in the fleet config at once. */
export function fleetIssues(input: FleetInput): FleetIssue[] {
  const issues: FleetIssue[] = [];
  const need = (key: keyof FleetInput, value: unknown, fix: string) => {
    if (typeof value !== "string" || value.trim() === "")
      issues.push({ key, message: `is required: ${fix}` });
  };
  need("organization", input.organization, "the Pulumi organization that owns the site stacks");
  need("project", input.project, 'the site project\'s name, "vantagepoint-connect" for this repository');
  need("branch", input.branch, 'the branch to deploy, for example "main"');
  if (!/^https:\/\/[^\s/@]+\/\S+$/.test(input.repoUrl ?? ""))
    issues.push({
      key: "repoUrl",
      message: `"${input.repoUrl ?? ""}" must be the repository's https URL (no credentials in it), for example https://github.com/contoso/vantagepoint-connect.git`,
    });
  if (
    typeof input.repoDir === "string" &&
    (input.repoDir.startsWith("/") || input.repoDir.split("/").includes(".."))
  )
    issues.push({
      key: "repoDir",
      message: `"${input.repoDir}" must be a folder inside the repository, for example "."`,
    });
  for (const key of ["azureClientId", "azureTenantId"] as const) {
    if (!GUID.test(input[key] ?? ""))
      issues.push({
        key,
        message: `"${input[key] ?? ""}" must be a GUID (the Entra app and tenant Deployments log in as through OIDC)`,
      });
  }
  if (!GUID.test(input.subscriptionId ?? ""))
    issues.push({
      key: "subscriptionId",
      message: `"${input.subscriptionId ?? ""}" must be a subscription GUID`,
    });
  const cron = cronProblem(input.driftCron ?? "");
  if (cron) issues.push({ key: "driftCron", message: cron });
  if (input.policyMode !== "preventative" && input.policyMode !== "audit")
    issues.push({
      key: "policyMode",
      message: `"${String(input.policyMode)}" must be "preventative" or "audit"`,
    });
  if (!input.policyPack?.name || !/^\d+\.\d+\.\d+/.test(input.policyPack?.versionTag ?? ""))
    issues.push({
      key: "policyPack",
      message:
        'must name the published pack and its version, for example {"name":"vantagepoint-connect","versionTag":"0.1.0"} (pulumi policy publish policies)',
    });
  if (!Array.isArray(input.sites) || input.sites.length === 0) {
    issues.push({
      key: "sites",
      message: 'must list at least one site stack, for example [{"stack":"dev"}]',
    });
    return issues;
  }
  const seen = new Map<string, number>();
  input.sites.forEach((site, i) => {
    const key = `sites[${i}]`;
    if (!STACK_NAME.test(site?.stack ?? "")) {
      issues.push({
        key: `${key}.stack`,
        message: `"${site?.stack ?? ""}" is not a stack name (letters, digits, - _ .)`,
      });
      return;
    }
    const lower = site.stack.toLowerCase();
    if (seen.has(lower))
      issues.push({
        key: `${key}.stack`,
        message: `"${site.stack}" is listed twice (also sites[${seen.get(lower)}]); list each site once`,
      });
    seen.set(lower, i);
    if (site.driftCron !== undefined) {
      const p = cronProblem(site.driftCron);
      if (p) issues.push({ key: `${key}.driftCron`, message: p });
    }
    if (site.secretsVault !== undefined && !VAULT_NAME.test(site.secretsVault))
      issues.push({
        key: `${key}.secretsVault`,
        message: `"${site.secretsVault}" is not a Key Vault name (3-24 letters, digits, single hyphens)`,
      });
    if (site.subscriptionId !== undefined && !GUID.test(site.subscriptionId))
      issues.push({
        key: `${key}.subscriptionId`,
        message: `"${site.subscriptionId}" must be a subscription GUID`,
      });
  });
  return issues;
}

/** The ESC environment for a site: Azure login by OIDC, the site's secrets from its Key Vault, into stack config. */
export function siteEnvironmentYaml(site: FleetSiteInput, input: FleetInput): string {
  const subscription = site.subscriptionId ?? input.subscriptionId;
  const lines = [
    "# Managed by the vantagepoint-connect fleet program: edit the fleet config, not this environment.",
    "values:",
    "  azure:",
    "    login:",
    "      fn::open::azure-login:",
    `        clientId: ${input.azureClientId}`,
    `        tenantId: ${input.azureTenantId}`,
    `        subscriptionId: /subscriptions/${subscription}`,
    "        oidc: true",
  ];
  if (site.secretsVault) {
    lines.push(
      "    secrets:",
      "      fn::open::azure-secrets:",
      "        login: ${azure.login}",
      `        vault: ${site.secretsVault}`,
      "        get:",
      "          vantagepointPassword:",
      "            name: vantagepoint-password",
      "          vantagepointClientSecret:",
      "            name: vantagepoint-client-secret",
    );
  }
  lines.push(
    "  environmentVariables:",
    '    ARM_USE_OIDC: "true"',
    "    ARM_CLIENT_ID: ${azure.login.clientId}",
    "    ARM_TENANT_ID: ${azure.login.tenantId}",
    "    ARM_SUBSCRIPTION_ID: ${azure.login.subscriptionId}",
    "    ARM_OIDC_TOKEN: ${azure.login.oidc.token}",
  );
  if (site.secretsVault) {
    lines.push(
      "  pulumiConfig:",
      "    vpconnect:vantagepoint.password: ${azure.secrets.vantagepointPassword}",
      "    vpconnect:vantagepoint.clientSecret: ${azure.secrets.vantagepointClientSecret}",
    );
  }
  return `${lines.join("\n")}\n`;
}

/** The site's ESC environment as a stack imports it: `<project>/<name>`. */
export function siteEnvironmentRef(site: FleetSiteInput, input: FleetInput): string {
  return `${input.project}/${site.stack}`;
}

/**
 * The pre-run command that makes the site stack import its ESC environment (its `pulumiConfig` secrets reach the
 * stack only through the stack's `environment:` import list, ../shared/reference/fleets.md): `pulumi config env add`
 * appends it to the stack file in the deployment's checkout ("Adds environments to the end of a stack's import
 * list", Pulumi CLI docs, pulumi_config_env_add). None when the stack file already imports it.
 */
export function attachEnvironment(site: FleetSiteInput, input: FleetInput): string[] {
  const ref = siteEnvironmentRef(site, input);
  if (site.environments?.includes(ref)) return [];
  return [`pulumi config env add ${ref} --yes --stack ${site.stack}`];
}

/** The fleet plan, or FleetConfigError listing every problem. */
export function planFleet(input: FleetInput): FleetPlan {
  const issues = fleetIssues(input);
  if (issues.length > 0) throw new FleetConfigError(issues);
  const sites = input.sites.map((site): FleetSitePlan => {
    const subscriptionId = site.subscriptionId ?? input.subscriptionId;
    return {
      stack: site.stack,
      deployment: {
        repoUrl: input.repoUrl,
        branch: input.branch,
        repoDir: input.repoDir || ".",
        // The gate runs before the engine: a site whose config cannot deploy stops here with the same message
        // `vpconnect check` prints in CI. The pack itself runs inside the engine through the policy group.
        preRunCommands: [
          "npm ci --no-audit --no-fund",
          ...attachEnvironment(site, input),
          `npx vpconnect check --stack ${site.stack} --format table`,
        ],
        environmentVariables: { VPCONNECT_SITE: site.stack },
        oidc: { clientId: input.azureClientId, tenantId: input.azureTenantId, subscriptionId },
      },
      drift: { scheduleCron: site.driftCron ?? input.driftCron, autoRemediate: input.autoRemediate },
      environment: { project: input.project, name: site.stack, yaml: siteEnvironmentYaml(site, input) },
      tags: { "vpconnect:fleet": "true", "vpconnect:site": site.stack },
    };
  });
  return {
    sites,
    policyGroup: {
      name: `${input.project}-fleet`,
      mode: input.policyMode,
      policyPack: input.policyPack,
      stacks: input.sites.map((s) => ({ name: s.stack, routingProject: input.project })),
    },
  };
}
