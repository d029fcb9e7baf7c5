/**
 * ConnectApiClient: adopts the API Authorization Vantagepoint generated for Connect (P6), identified by its
 * Client ID (as Connect does; the name is only a hint). Outputs its Client ID and, when supplied, the secret as a
 * Pulumi secret. Creates it only when allowCreate and no Client ID is configured; never regenerates a secret (a
 * new one breaks every integration using the old one), never updates or deletes any API Authorization; delete
 * does nothing; refresh shows drift when the Connect one was edited (fingerprint of its non-secret fields). A
 * server without the list (before 5.0 there is one authorization per database) gets `available: false` and the
 * manual steps instead of a failed deployment.
 */
import * as pulumi from "@pulumi/pulumi";
import type { VantagepointConnection } from "../../lib/vantagepoint";
import { connectionSecrets, loadVantagepointLib, resourceOptions, withoutSecrets } from "./common";
import type { VantagepointConnectionArgs } from "./common";
import { apiClientArgsProblems } from "../../lib/site/componentArgs";
import { afterCheck, checkArgs } from "../argsCheck";

export interface ConnectApiClientInputs {
  vpconnectResource: "ConnectApiClient";
  connection: VantagepointConnection;
  name: string;
  /** The Connect Client ID from config: what identifies the record. */
  expectedClientId?: string;
  allowCreate: boolean;
  clientSecret?: string;
}

export interface ConnectApiClientOutputs extends ConnectApiClientInputs {
  clientId: string;
  /** Hash of the record's non-secret fields as last seen. */
  fingerprint: string;
  /** Fingerprint when adopted; differs from fingerprint after someone edited the record. */
  adoptedFingerprint: string;
  /** The record was edited or deleted since it was adopted (set by refresh). */
  drifted: boolean;
  /** The record no longer exists (set by refresh). */
  missing: boolean;
  /** This project created the record (allowCreate). */
  created: boolean;
  /** Checked through the API (true), or left as manual steps (false: the server has no list). */
  available: boolean;
  /** How it was found: "clientId" (configured) or "name" (a hint only). */
  identifiedBy: string;
  /** What to do by hand in Vantagepoint, with the screen (empty when done through the API). */
  manualSteps: string[];
}

function makeClient(connection: VantagepointConnection) {
  const lib = loadVantagepointLib();
  return new lib.VantagepointClient(connection, lib.clientOptionsFromEnv());
}

function secretsOf(i: ConnectApiClientInputs): unknown[] {
  return [...connectionSecrets(i.connection), i.clientSecret];
}

async function adopt(inputs: ConnectApiClientInputs, wasCreated: boolean): Promise<ConnectApiClientOutputs> {
  return withoutSecrets(secretsOf(inputs), async () => {
    const lib = loadVantagepointLib();
    const client = makeClient(inputs.connection);
    try {
      // Serialised per site like the roster: two parallel adopts with allowCreate would create two records.
      let a: Awaited<ReturnType<typeof lib.adoptApiClient>>;
      try {
        a = await lib.withSiteLock(client.site, () =>
          lib.adoptApiClient(client, {
            name: inputs.name,
            clientId: inputs.expectedClientId,
            allowCreate: inputs.allowCreate,
          }),
        );
      } catch (e) {
        if (!(e instanceof lib.ApiAuthorizationUnavailableError)) throw e;
        return manualOnly(inputs, e.message, wasCreated);
      }
      const clientSecret = inputs.clientSecret ?? a.generatedSecret;
      return {
        ...inputs,
        ...(clientSecret !== undefined ? { clientSecret } : {}),
        clientId: a.clientId,
        fingerprint: a.fingerprint,
        adoptedFingerprint: a.fingerprint,
        drifted: false,
        missing: false,
        created: wasCreated || a.created,
        available: true,
        identifiedBy: a.identifiedBy ?? (a.created ? "created" : "name"),
        manualSteps: a.note && a.identifiedBy === "name" ? [a.note] : [],
      };
    } finally {
      client.close();
    }
  });
}

/** Outputs for a server without the API Authorization list: the configured Client ID and the manual steps. */
function manualOnly(
  inputs: ConnectApiClientInputs,
  reason: string,
  wasCreated: boolean,
): ConnectApiClientOutputs {
  return {
    ...inputs,
    clientId: inputs.expectedClientId ?? "",
    fingerprint: "",
    adoptedFingerprint: "",
    drifted: false,
    missing: false,
    created: wasCreated,
    available: false,
    identifiedBy: inputs.expectedClientId ? "clientId" : "name",
    manualSteps: [reason],
  };
}

export const connectApiClientProvider: pulumi.dynamic.ResourceProvider<
  ConnectApiClientInputs,
  ConnectApiClientOutputs
> = {
  async check(_olds, news) {
    const lib = loadVantagepointLib();
    const failures: pulumi.dynamic.CheckFailure[] = lib
      .validateConnection(news.connection)
      .map((i) => ({ property: i.field, reason: i.message }));
    const name = news.name ?? lib.DEFAULT_CONNECT_API_NAME;
    if (typeof name !== "string" || name.trim() === "") {
      failures.push({
        property: "name",
        reason: `name must be the API Authorization's name as shown in Utilities > Integrations (default "${lib.DEFAULT_CONNECT_API_NAME}")`,
      });
    }
    const allowCreate = news.allowCreate ?? false;
    if (typeof allowCreate !== "boolean")
      failures.push({
        property: "allowCreate",
        reason: "allowCreate must be true or false (default false: adopt only)",
      });
    if (
      news.expectedClientId !== undefined &&
      (typeof news.expectedClientId !== "string" || !/^[A-Za-z0-9._:-]{1,100}$/.test(news.expectedClientId))
    ) {
      failures.push({
        property: "clientId",
        reason: "clientId must be the Client ID shown on Connect Administration's Settings tab, or left out",
      });
    }
    if (
      news.clientSecret !== undefined &&
      (typeof news.clientSecret !== "string" || news.clientSecret === "")
    ) {
      failures.push({
        property: "clientSecret",
        reason: "clientSecret must be the secret shown when the API Authorization was generated, or left out",
      });
    }
    return { inputs: { ...news, vpconnectResource: "ConnectApiClient", name, allowCreate }, failures };
  },

  async diff(_id, olds, news) {
    const detailedDiff: Record<string, { kind: "UPDATE"; inputDiff: boolean }> = {};
    const lib = loadVantagepointLib();
    if (olds.name !== news.name) detailedDiff.name = { kind: "UPDATE", inputDiff: true };
    // A Client ID re-cased in the config is the same record (lib/vantagepoint/identifiers.ts).
    if (
      (olds.expectedClientId ?? "") !== (news.expectedClientId ?? "") &&
      !lib.sameId(olds.expectedClientId, news.expectedClientId)
    )
      detailedDiff.expectedClientId = { kind: "UPDATE", inputDiff: true };
    if (olds.allowCreate !== news.allowCreate) detailedDiff.allowCreate = { kind: "UPDATE", inputDiff: true };
    if (news.clientSecret !== undefined && olds.clientSecret !== news.clientSecret)
      detailedDiff.clientSecret = { kind: "UPDATE", inputDiff: true };
    if (olds.drifted || olds.missing)
      detailedDiff[olds.missing ? "clientId" : "fingerprint"] = { kind: "UPDATE", inputDiff: false };
    const oc = olds.connection ?? ({} as VantagepointConnection);
    const nc = news.connection ?? ({} as VantagepointConnection);
    if (JSON.stringify(oc) !== JSON.stringify(nc))
      detailedDiff.connection = { kind: "UPDATE", inputDiff: true };
    return { changes: Object.keys(detailedDiff).length > 0, detailedDiff } as pulumi.dynamic.DiffResult;
  },

  async create(inputs) {
    const outs = await adopt(inputs, false);
    const lib = loadVantagepointLib();
    return { id: outs.clientId || `${lib.DEFAULT_CONNECT_API_NAME}-manual`, outs };
  },

  async update(_id, olds, news) {
    // Re-adopts (no write to the record); creates only when it is gone and allowCreate.
    return { outs: await adopt(news, olds.created === true) };
  },

  async read(id, props) {
    if (!props)
      throw new Error(
        "ConnectApiClient cannot be imported without its inputs; declare it and run pulumi up.",
      );
    return withoutSecrets(secretsOf(props), async () => {
      const lib = loadVantagepointLib();
      const client = makeClient(props.connection);
      try {
        let now: Awaited<ReturnType<typeof lib.readApiClient>>;
        try {
          now = await lib.readApiClient(client, { name: props.name, clientId: props.expectedClientId });
        } catch (e) {
          if (!(e instanceof lib.ApiAuthorizationUnavailableError)) throw e;
          return { id, props: manualOnly(props, e.message, props.created ?? false) };
        }
        if (!now.found) return { id, props: { ...props, missing: true, drifted: true } };
        // Import (inputs only, no adopted state yet): adopt what is there now, provided it is the record asked for.
        const importing = props.adoptedFingerprint === undefined;
        if (importing && id && !lib.sameId(id, now.clientId)) {
          throw new Error(
            `The API Authorization named "${props.name}" has Client ID ${now.clientId}, not ${id}; import it with that id or set name to the one you meant.`,
          );
        }
        const adoptedFingerprint = props.adoptedFingerprint ?? now.fingerprint;
        // A fingerprint adopted by an older release (Client ID as the server spelled it) is not drift.
        const drifted =
          !lib.unchangedSinceAdopted(adoptedFingerprint, now) ||
          (props.clientId !== undefined && !lib.sameId(now.clientId, props.clientId));
        return {
          id,
          props: {
            ...props,
            clientId: now.clientId,
            fingerprint: now.fingerprint,
            adoptedFingerprint,
            drifted,
            missing: false,
            created: props.created ?? false,
            available: true,
            identifiedBy: now.identifiedBy ?? "name",
            manualSteps: now.note && now.identifiedBy === "name" ? [now.note] : [],
          },
        };
      } finally {
        client.close();
      }
    });
  },

  async delete() {
    // Never deletes an API Authorization: it belongs to Connect, not to this project.
  },
};

export interface ConnectApiClientArgs {
  /** How to reach Vantagepoint; password and clientSecret are made Pulumi secrets. */
  readonly connection: pulumi.Input<VantagepointConnectionArgs>;
  /** Name of the Connect API Authorization in Utilities > Integrations (default "Vantagepoint Connect"); a hint. */
  readonly name?: pulumi.Input<string>;
  /** Its Client ID, as Connect Administration's Settings tab shows it: what identifies the record. */
  readonly clientId?: pulumi.Input<string>;
  /**
   * Create it when missing and no clientId is configured (default false: adopt only). Never regenerates a
   * secret: a new secret breaks every integration using the old one.
   */
  readonly allowCreate?: pulumi.Input<boolean>;
  /** Its secret, when you have it (output as a Pulumi secret). */
  readonly clientSecret?: pulumi.Input<string>;
}

/** Adopts the Connect API Authorization (P6). protect and retainOnDelete are on by default. */
export class ConnectApiClient extends pulumi.dynamic.Resource {
  declare public readonly connection: pulumi.Output<VantagepointConnection>;
  declare public readonly name: pulumi.Output<string>;
  declare public readonly allowCreate: pulumi.Output<boolean>;
  /** The Connect Client ID (consumer key). */
  declare public readonly clientId: pulumi.Output<string>;
  /** The secret (supplied, or generated when this project created it); a Pulumi secret. */
  declare public readonly clientSecret: pulumi.Output<string | undefined>;
  /** Hash of the record's non-secret fields as last seen. */
  declare public readonly fingerprint: pulumi.Output<string>;
  declare public readonly adoptedFingerprint: pulumi.Output<string>;
  /** The record was edited or deleted since adoption (after refresh). */
  declare public readonly drifted: pulumi.Output<boolean>;
  declare public readonly missing: pulumi.Output<boolean>;
  declare public readonly created: pulumi.Output<boolean>;
  /** Checked through the API (true) or left as manual steps (false). */
  declare public readonly available: pulumi.Output<boolean>;
  /** What to do by hand, with the Vantagepoint screen (empty when done through the API). */
  declare public readonly manualSteps: pulumi.Output<string[]>;

  constructor(name: string, args: ConnectApiClientArgs, opts?: pulumi.CustomResourceOptions) {
    // Checked before super(): bad input registers nothing; values given as Outputs hold the connection until known.
    const argsChecked = checkArgs("ConnectApiClient", name, args, apiClientArgsProblems);
    super(
      connectApiClientProvider,
      name,
      {
        vpconnectResource: "ConnectApiClient",
        connection: pulumi.secret(afterCheck(args.connection, argsChecked)),
        name: args.name ?? "Vantagepoint Connect",
        expectedClientId: args.clientId,
        allowCreate: args.allowCreate ?? false,
        clientSecret: args.clientSecret !== undefined ? pulumi.secret(args.clientSecret) : undefined,
        clientId: undefined,
        fingerprint: undefined,
        adoptedFingerprint: undefined,
        drifted: undefined,
        missing: undefined,
        created: undefined,
        available: undefined,
        identifiedBy: undefined,
        manualSteps: undefined,
      },
      resourceOptions(
        { protect: true, retainOnDelete: true, additionalSecretOutputs: ["clientSecret", "connection"] },
        opts,
      ),
    );
    pulumi.output(this.manualSteps).apply((steps) => {
      if (Array.isArray(steps) && steps.length)
        pulumi.log.warn(`Connect API Authorization: ${steps.join(" ")}`, this);
    });
  }
}
