/**
 * ConnectAdminRole: the role of whoever configures Connect grants Connect Administration, and is of
 * Administrator type (7.0 and later) when asked (P3). Where the server has no role endpoint (the path is
 * UNVERIFIED and configurable), it fails with the manual steps instead of pretending.
 */
import * as pulumi from "@pulumi/pulumi";
import type { VantagepointConnection } from "../../lib/vantagepoint";
import { connectionSecrets, loadVantagepointLib, resourceOptions, siteId, withoutSecrets } from "./common";

export interface ConnectAdminRoleInputs {
  vpconnectResource: "ConnectAdminRole";
  connection: VantagepointConnection;
  role: string;
  requireAdministratorType: boolean;
}

export interface ConnectAdminRoleOutputs extends ConnectAdminRoleInputs {
  connectAdministration: boolean;
  roleType: string;
  available: boolean;
}

function makeClient(connection: VantagepointConnection) {
  const lib = loadVantagepointLib();
  return new lib.VantagepointClient(connection, lib.clientOptionsFromEnv());
}

async function ensure(inputs: ConnectAdminRoleInputs): Promise<ConnectAdminRoleOutputs> {
  return withoutSecrets(connectionSecrets(inputs.connection), async () => {
    const lib = loadVantagepointLib();
    const client = makeClient(inputs.connection);
    try {
      const r = await lib.ensureAdminRole(client, inputs.role, inputs.requireAdministratorType);
      return {
        ...inputs,
        connectAdministration: r.connectAdministration,
        roleType: r.roleType,
        available: r.available,
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
    return { inputs: { ...news, vpconnectResource: "ConnectAdminRole", requireAdministratorType }, failures };
  },

  async diff(_id, olds, news) {
    const detailedDiff: Record<string, { kind: "UPDATE" | "UPDATE_REPLACE"; inputDiff: boolean }> = {};
    if ((olds.role ?? "").toLowerCase() !== (news.role ?? "").toLowerCase())
      detailedDiff.role = { kind: "UPDATE", inputDiff: true };
    if (olds.requireAdministratorType !== news.requireAdministratorType)
      detailedDiff.requireAdministratorType = { kind: "UPDATE", inputDiff: true };
    if (olds.connectAdministration === false)
      detailedDiff.connectAdministration = { kind: "UPDATE", inputDiff: false };
    if (news.requireAdministratorType && olds.roleType !== undefined && olds.roleType !== "Administrator") {
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
        const r = await lib.readAdminRole(client, props.role, props.requireAdministratorType);
        return {
          id,
          props: {
            ...props,
            connectAdministration: r.connectAdministration,
            roleType: r.roleType,
            available: r.available,
          },
        };
      } catch (e) {
        if (e instanceof lib.RoleEndpointUnavailableError)
          return { id, props: { ...props, available: false } };
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
  readonly connection: pulumi.Input<VantagepointConnection>;
  /** The security role of whoever configures Connect. */
  readonly role: pulumi.Input<string>;
  /** Also require role type Administrator (Vantagepoint 7.0 and later); default true. */
  readonly requireAdministratorType?: pulumi.Input<boolean>;
}

/** Ensures a security role grants Connect Administration (P3). */
export class ConnectAdminRole extends pulumi.dynamic.Resource {
  declare public readonly connection: pulumi.Output<VantagepointConnection>;
  declare public readonly role: pulumi.Output<string>;
  declare public readonly requireAdministratorType: pulumi.Output<boolean>;
  /** The role grants Connect Administration. */
  declare public readonly connectAdministration: pulumi.Output<boolean>;
  /** The role's type, e.g. Administrator. */
  declare public readonly roleType: pulumi.Output<string>;
  /** The server offers the role endpoint. */
  declare public readonly available: pulumi.Output<boolean>;

  constructor(name: string, args: ConnectAdminRoleArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      connectAdminRoleProvider,
      name,
      {
        vpconnectResource: "ConnectAdminRole",
        connection: pulumi.secret(args.connection),
        role: args.role,
        requireAdministratorType: args.requireAdministratorType ?? true,
        connectAdministration: undefined,
        roleType: undefined,
        available: undefined,
      },
      resourceOptions({ additionalSecretOutputs: ["connection"] }, opts),
    );
  }
}
