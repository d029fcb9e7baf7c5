/**
 * The fleet program: for every Vantagepoint site stack, Pulumi Deployments settings (source, `npm ci`, the
 * offline gate), a drift-detection schedule, the ESC environment its secrets come from, stack tags, and one
 * policy group that applies the Connect policy pack to all of them. The plan is pure (lib/fleet/plan.ts); this
 * file only declares it with @pulumi/pulumiservice.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as service from "@pulumi/pulumiservice";
import { planFleet } from "../lib/fleet/plan";
import type { FleetInput, FleetSiteInput } from "../lib/fleet/plan";
import { discoverStackFiles } from "../lib/fleet/sites";
import { parseStackFile } from "../lib/config/stackFile";

const config = new pulumi.Config("fleet");

const STACKS = path.join(__dirname, "..", "stacks");

/** The ESC environments a stack file imports (its `environment:` list); undefined when it cannot be read. */
function importedEnvironments(file: string): string[] | undefined {
  try {
    return parseStackFile(fs.readFileSync(file), file).environments;
  } catch {
    return undefined; // the deployment's gate (vpconnect check) names what is wrong with the file
  }
}

/** The sites: `fleet:sites`, else every stack file of the site project (../stacks), with what each imports. */
function sites(): FleetSiteInput[] {
  const listed = config.getObject<FleetSiteInput[]>("sites");
  const found = discoverStackFiles(STACKS);
  const fileOf = (stack: string) => found.find((s) => s.stack === stack)?.file;
  const withImports = (site: FleetSiteInput): FleetSiteInput => {
    const file = fileOf(site.stack);
    const environments = file === undefined ? undefined : importedEnvironments(file);
    return environments === undefined ? site : { ...site, environments };
  };
  return (listed ?? found.map((s) => ({ stack: s.stack }))).map(withImports);
}

const input: FleetInput = {
  organization: config.require("organization"),
  project: config.get("project") ?? "vantagepoint-connect",
  repoUrl: config.require("repoUrl"),
  branch: config.get("branch") ?? "main",
  repoDir: config.get("repoDir") ?? ".",
  driftCron: config.get("driftCron") ?? "0 6 * * *",
  autoRemediate: config.getBoolean("autoRemediate") ?? false,
  azureClientId: config.require("azureClientId"),
  azureTenantId: config.require("azureTenantId"),
  subscriptionId: config.require("subscriptionId"),
  policyPack: config.getObject<{ name: string; versionTag: string }>("policyPack") ?? {
    name: "vantagepoint-connect",
    versionTag: "0.1.0",
  },
  policyMode: (config.get("policyMode") ?? "preventative") as FleetInput["policyMode"],
  sites: sites(),
};

const plan = planFleet(input);
const { organization, project } = input;

export const sitesDeclared = plan.sites.map((site) => {
  const stack = site.stack;
  const environment = new service.Environment(`env-${stack}`, {
    organization,
    project: site.environment.project,
    name: site.environment.name,
    yaml: new pulumi.asset.StringAsset(site.environment.yaml),
  });
  const settings = new service.DeploymentSettings(`deploy-${stack}`, {
    organization,
    project,
    stack,
    sourceContext: {
      git: {
        repoUrl: site.deployment.repoUrl,
        branch: site.deployment.branch,
        repoDir: site.deployment.repoDir,
      },
    },
    operationContext: {
      preRunCommands: site.deployment.preRunCommands,
      environmentVariables: site.deployment.environmentVariables,
      oidc: { azure: site.deployment.oidc },
      // npm ci is the first pre-run command: the lockfile decides, not a fresh resolve.
      options: { skipInstallDependencies: true, skipIntermediateDeployments: true },
    },
  });
  new service.DriftSchedule(
    `drift-${stack}`,
    {
      organization,
      project,
      stack,
      scheduleCron: site.drift.scheduleCron,
      autoRemediate: site.drift.autoRemediate,
    },
    { dependsOn: [settings] },
  );
  for (const [name, value] of Object.entries(site.tags)) {
    new service.StackTag(`tag-${stack}-${name.replace(/[^A-Za-z0-9-]/g, "-")}`, {
      organization,
      project,
      stack,
      name,
      value,
    });
  }
  return { stack, environment: pulumi.interpolate`${site.environment.project}/${environment.name}` };
});

export const policyGroup = new service.PolicyGroup("connect-policy", {
  organizationName: organization,
  name: plan.policyGroup.name,
  mode: plan.policyGroup.mode,
  entityType: "stacks",
  policyPacks: [plan.policyGroup.policyPack],
  stacks: plan.policyGroup.stacks,
}).name;
