/**
 * ConnectAdminRole: the role of whoever configures Connect grants Connect's permission ("Connect" from 7.0,
 * "Connect Administration" before), and has Administrator among its types (7.0 and later) when asked (P3).
 * Writes are additive: no type or permission is ever removed. Where the server has no role endpoint (the path
 * is UNVERIFIED and configurable) or refuses it, the resource reports `available: false` and the manual steps
 * (with the exact Vantagepoint screen) instead of pretending or failing the deployment. A role that does not
 * exist while the roles list answers fails with an error naming it. Without `version` the role record's fields
 * say which role model the server has (lib/vantagepoint/roleModel.ts); `roleModel` says which was used and how.
 */
import * as pulumi from "@pulumi/pulumi";
import type { AdminRoleState, RoleModel, VantagepointConnection } from "../../lib/vantagepoint";
import { connectionSecrets, loadVantagepointLib, resourceOptions, siteId, withoutSecrets } from "./common";
import type { VantagepointConnectionArgs } from "./common";
import { adminRoleArgsProblems } from "../../lib/site/componentArgs";
import { afterCheck, checkArgs } from "../argsCheck";

export interface ConnectAdminRoleInputs {
  vpconnectResource: "ConnectAdminRole";
  connection: VantagepointConnection;
  role: string;
  requireAdministratorType: boolean;
  /** Vantagepoint version; left out, the role record's fields tell the role model (probed, else 7.0 assumed). */
  version?: string;
}

/** The role model a run used: the version, and whether it was configured, probed or assumed. */
export interface RoleModelOutput {
  version: string;
  label: string;
  source: "configured" | "probed" | "assumed";
  evidence: string;
  /** The model asks for Administrator among the role's types (7.0 and later). */
  administratorType: boolean;
}

export interface ConnectAdminRoleOutputs extends ConnectAdminRoleInputs {
  connectAdministration: boolean;
  /** The role's types joined with ",". */
  roleType: string;
  /** The role's types as a set. */
  roleTypes: string[];
  /** The server offers the role endpoint ("api"); false: the steps are in manualSteps. */
  available: boolean;
  /** The role exists (when available). */
  exists: boolean;
  /** What to do by hand in Vantagepoint (empty when done through the API). */
  manualSteps: string[];
  /** The role model used (absent when the role could not be read). */
  roleModel?: RoleModelOutput;
}

function roleModelOutput(m: RoleModel | undefined): RoleModelOutput | undefined {
  return m
    ? {
        version: m.version,
        label: m.label,
        source: m.source,
        evidence: m.evidence,
        administratorType: m.administratorType,
      }
    : undefined;
}

function makeClient(connection: VantagepointConnection) {
  const lib = loadVantagepointLib();
  return new lib.VantagepointClient(connection, lib.clientOptionsFromEnv());
}

/** The outputs a role read or ensure gives (the same for create, update and refresh). */
function roleOutputs(r: AdminRoleState) {
  const roleModel = roleModelOutput(r.model);
  return {
    connectAdministration: r.connectAdministration,
    roleType: r.roleType,
    roleTypes: r.roleTypes ?? [],
    available: r.available,
    exists: r.exists,
    manualSteps: [] as string[],
    ...(roleModel ? { roleModel } : {}),
  };
}

/** The manual step for a role part the server does not offer: why, then what to do by hand. */
function manualRoleStep(
  lib: ReturnType<typeof loadVantagepointLib>,
  manual: string,
  role: string,
  requireAdministratorType: boolean,
): string {
  return `${manual.replace(/ Do it by hand.*$/, "")} ${lib.manualRoleSteps(role, requireAdministratorType)}`;
}

/** A role endpoint the server does not have, or refuses (403): the part becomes manual steps. */
function manualOnly(lib: ReturnType<typeof loadVantagepointLib>, e: unknown): string | undefined {
  if (e instanceof lib.RoleEndpointUnavailableError) return e.message;
  if (e instanceof lib.VantagepointError && e.status === 403 && e.method !== "PUT")
    return `The server refused access to roles (${e.message}).`;
  return undefined;
}

async function ensure(inputs: ConnectAdminRoleInputs): Promise<ConnectAdminRoleOutputs> {
  return withoutSecrets(connectionSecrets(inputs.connection), async () => {
    const lib = loadVantagepointLib();
    const client = makeClient(inputs.connection);
    try {
      const r = await lib.ensureAdminRole(
        client,
        inputs.role,
        inputs.requireAdministratorType,
        inputs.version,
      );
      return { ...inputs, ...roleOutputs(r) };
    } catch (e) {
      const manual = manualOnly(lib, e);
      if (manual === undefined) throw e;
      return {
        ...inputs,
        connectAdministration: false,
        roleType: "",
        roleTypes: [],
        available: false,
        exists: false,
        manualSteps: [manualRoleStep(lib, manual, inputs.role, inputs.requireAdministratorType)],
      };
    } finally {
      client.close();
    }
  });
}

export const connectAdminRoleProvider: pulumi.dynamic.ResourceProvider<
  ConnectAdminRoleInputs,
  ConnectAdminRoleOutputs
> = {
  async check(_olds, news) {
    const lib = loadVantagepointLib();
    const failures: pulumi.dynamic.CheckFailure[] = lib
      .validateConnection(news.connection)
      .map((i) => ({ property: i.field, reason: i.message }));
    if (typeof news.role !== "string" || news.role.trim() === "") {
      failures.push({
        property: "role",
        reason: "role is required: the security role of whoever configures Connect (for example ADMIN)",
      });
    }
    const requireAdministratorType = news.requireAdministratorType ?? true;
    if (typeof requireAdministratorType !== "boolean") {
      failures.push({
        property: "requireAdministratorType",
        reason: "requireAdministratorType must be true (Vantagepoint 7.0 and later) or false",
      });
    }
    if (news.version !== undefined && (typeof news.version !== "string" || !/^\d+\.\d+$/.test(news.version)))
      failures.push({ property: "version", reason: 'version must be "major.minor", e.g. "7.0" or "2025.1"' });
    return { inputs: { ...news, vpconnectResource: "ConnectAdminRole", requireAdministratorType }, failures };
  },

  async diff(_id, olds, news) {
    const detailedDiff: Record<string, { kind: "UPDATE" | "UPDATE_REPLACE"; inputDiff: boolean }> = {};
    // One identifier rule (lib/vantagepoint/identifiers.ts): a role renamed only in case is the same role.
    const lib = loadVantagepointLib();
    if (!lib.sameId(olds.role ?? "", news.role ?? ""))
      detailedDiff.role = { kind: "UPDATE", inputDiff: true };
    if (olds.requireAdministratorType !== news.requireAdministratorType)
      detailedDiff.requireAdministratorType = { kind: "UPDATE", inputDiff: true };
    if (olds.connectAdministration === false)
      detailedDiff.connectAdministration = { kind: "UPDATE", inputDiff: false };
    if ((olds.version ?? "") !== (news.version ?? ""))
      detailedDiff.version = { kind: "UPDATE", inputDiff: true };
    if (olds.available === false) detailedDiff.available = { kind: "UPDATE", inputDiff: false };
    // Before 7.0 (the role model last seen) no type is asked for: the preview shows only what up would write.
    const modelAsksType =
      olds.roleModel === undefined || (news.version ?? "") !== (olds.version ?? "")
        ? true
        : olds.roleModel.administratorType;
    if (
      news.requireAdministratorType &&
      modelAsksType &&
      olds.roleType !== undefined &&
      !lib.roleTypesOf(olds.roleTypes ?? olds.roleType).some((t) => lib.sameId(t, "Administrator"))
    ) {
      detailedDiff.roleType = { kind: "UPDATE", inputDiff: false };
    }
    const oc = olds.connection ?? ({} as VantagepointConnection);
    const nc = news.connection ?? ({} as VantagepointConnection);
    if (JSON.stringify(oc) !== JSON.stringify(nc))
      detailedDiff.connection = { kind: "UPDATE", inputDiff: true };
    return { changes: Object.keys(detailedDiff).length > 0, detailedDiff } as pulumi.dynamic.DiffResult;
  },

  async create(inputs) {
    const outs = await ensure(inputs);
    return { id: `${siteId("connect-admin-role", inputs.connection)}-${inputs.role.toLowerCase()}`, outs };
  },

  async update(_id, _olds, news) {
    return { outs: await ensure(news) };
  },

  async read(id, props) {
    if (!props)
      throw new Error(
        "ConnectAdminRole cannot be imported without its inputs; declare it and run pulumi up.",
      );
    return withoutSecrets(connectionSecrets(props.connection), async () => {
      const lib = loadVantagepointLib();
      const client = makeClient(props.connection);
      try {
        const r = await lib.readAdminRole(client, props.role, props.requireAdministratorType, props.version);
        return { id, props: { ...props, ...roleOutputs(r) } };
      } catch (e) {
        const manual = manualOnly(lib, e);
        if (manual !== undefined)
          return {
            id,
            props: {
              ...props,
              available: false,
              manualSteps: [manualRoleStep(lib, manual, props.role, props.requireAdministratorType)],
            },
          };
        throw e;
      } finally {
        client.close();
      }
    });
  },

  async delete() {
    // Leaves the grant in place: revoking Connect Administration could lock the configurer out.
  },
};

export interface ConnectAdminRoleArgs {
  /** How to reach Vantagepoint; password and clientSecret are made Pulumi secrets. */
  readonly connection: pulumi.Input<VantagepointConnectionArgs>;
  /** The security role of whoever configures Connect. */
  readonly role: pulumi.Input<string>;
  /** Also require Administrator among the role's types (Vantagepoint 7.0 and later); default true. */
  readonly requireAdministratorType?: pulumi.Input<boolean>;
  /**
   * Vantagepoint version, e.g. "7.0": from 7.0 the permission is named "Connect" and the role must be of type
   * Administrator. Left out, the role record's fields tell (probed; 7.0 assumed when they cannot).
   */
  readonly version?: pulumi.Input<string>;
}

/** Ensures a security role grants Connect Administration (P3). */
export class ConnectAdminRole extends pulumi.dynamic.Resource {
  declare public readonly connection: pulumi.Output<VantagepointConnection>;
  declare public readonly role: pulumi.Output<string>;
  declare public readonly requireAdministratorType: pulumi.Output<boolean>;
  /** The role grants Connect Administration. */
  declare public readonly connectAdministration: pulumi.Output<boolean>;
  /** The role's types joined with ",", e.g. "Accounting,Administrator". */
  declare public readonly roleType: pulumi.Output<string>;
  /** The role's types as a set. */
  declare public readonly roleTypes: pulumi.Output<string[]>;
  /** Done through the API (true), or left as manual steps because the server has no role endpoint (false). */
  declare public readonly available: pulumi.Output<boolean>;
  /** What to do by hand, with the Vantagepoint screen (empty when done through the API). */
  declare public readonly manualSteps: pulumi.Output<string[]>;
  /** The role model used: version, and whether it was configured, probed or assumed. */
  declare public readonly roleModel: pulumi.Output<RoleModelOutput | undefined>;

  constructor(name: string, args: ConnectAdminRoleArgs, opts?: pulumi.CustomResourceOptions) {
    // Checked before super(): bad input registers nothing; values given as Outputs hold the connection until known.
    const argsChecked = checkArgs("ConnectAdminRole", name, args, adminRoleArgsProblems);
    super(
      connectAdminRoleProvider,
      name,
      {
        vpconnectResource: "ConnectAdminRole",
        connection: pulumi.secret(afterCheck(args.connection, argsChecked)),
        role: args.role,
        requireAdministratorType: args.requireAdministratorType ?? true,
        version: args.version,
        connectAdministration: undefined,
        roleType: undefined,
        roleTypes: undefined,
        available: undefined,
        exists: undefined,
        manualSteps: undefined,
        roleModel: undefined,
      },
      resourceOptions({ additionalSecretOutputs: ["connection"] }, opts),
    );
    pulumi.output(this.manualSteps).apply((steps) => {
      if (Array.isArray(steps) && steps.length)
        pulumi.log.warn(`Vantagepoint role: do by hand: ${steps.join(" ")}`, this);
    });
  }
}
