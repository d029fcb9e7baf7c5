/**
 * The Connect API Authorization (P6): identify it by its Client ID (as Connect itself does: Connect
 * Administration's Settings tab stores the Client ID and Secret), falling back to its name only as a hint, adopt
 * it, fingerprint it for drift. Other integrations' authorizations are read, never written. No public REST
 * source documents the API Authorization list (the path is configurable); before 5.0 a database has one
 * authorization and no list, so the hub answers 404 and the check becomes a manual step. Never creates one
 * unless allowed and never regenerates a secret: a new secret breaks every integration that uses the old one.
 * No Pulumi import.
 */
import { createHash } from "node:crypto";
import type { VantagepointClient } from "./client";
import { VantagepointError } from "./errors";
import { idKey, sameId } from "./identifiers";
import type { ApiAuthorizationRecord } from "./types";

/** Non-secret fields that make up the fingerprint. */
export const API_AUTH_FIELDS = ["ClientId", "Name", "CallbackUrl", "Scopes", "AllowPasswordGrant"];

export const DEFAULT_CONNECT_API_NAME = "Vantagepoint Connect";

/**
 * Hash of the record's non-secret fields (the secret never enters it). The Client ID enters by its identifier key
 * (lib/vantagepoint/identifiers.ts): the server answering it in another case is not an edit.
 */
export function fingerprintApiAuthorization(rec: ApiAuthorizationRecord): string {
  return fingerprintOf(rec, (v) => idKey(v));
}

/**
 * The fingerprint releases before issue 17 stored: the Client ID entered as the server spelled it. A client
 * adopted then whose Client ID has upper case or padding must not read as edited after the upgrade.
 */
export function legacyFingerprintApiAuthorization(rec: ApiAuthorizationRecord): string {
  return fingerprintOf(rec, (v) => String(v));
}

function fingerprintOf(rec: ApiAuthorizationRecord, clientIdText: (v: unknown) => string): string {
  const canon = API_AUTH_FIELDS.map((f) => [
    f,
    rec[f] === undefined || rec[f] === null ? "" : f === "ClientId" ? clientIdText(rec[f]) : String(rec[f]),
  ]);
  return createHash("sha256").update(JSON.stringify(canon)).digest("hex").slice(0, 32);
}

/**
 * Is the record unchanged since it was adopted with fingerprint `adopted`? Today's fingerprint or the one older
 * releases stored (legacyFingerprintApiAuthorization) both mean "no drift". The one rule for refresh, diff and
 * doctor. Case and surrounding spaces of `adopted` itself are ignored (it is hex).
 */
export function unchangedSinceAdopted(
  adopted: string,
  now: { fingerprint: string; legacyFingerprint?: string },
): boolean {
  const want = adopted.trim().toLowerCase();
  return want === now.fingerprint || (now.legacyFingerprint !== undefined && want === now.legacyFingerprint);
}

export function manualApiClientSteps(name: string, clientId?: string): string {
  const which = clientId ? `the one with Client ID ${clientId}` : `"${name}"`;
  return `Do it by hand: in Vantagepoint open Utilities > Integrations (API Authorizations; before 5.0 there is one per database), find ${which} (Connect generates it on first use from its Sync Options), check that Connect Administration's Settings tab shows the same Client ID, and set vantagepoint.connectApiClient.clientId to it. Do not generate a new secret: that breaks every integration using the old one.`;
}

export class ApiAuthorizationUnavailableError extends Error {
  constructor(name: string, path: string, status?: number, clientId?: string) {
    super(
      `API Authorizations are not available through the API on this server (${status ?? "no reply"} on ${path}; the path is configurable as connection.paths.apiAuthorizations; Vantagepoint before 5.0 has no list). ${manualApiClientSteps(name, clientId)}`,
    );
    this.name = "ApiAuthorizationUnavailableError";
  }
}

function isUnavailable(e: unknown): boolean {
  return e instanceof VantagepointError && (e.status === 404 || e.status === 405 || e.status === 501);
}

/** Finds API Authorizations named `name` (case-insensitive, trimmed). */
export async function findApiAuthorizations(
  client: VantagepointClient,
  name: string,
): Promise<ApiAuthorizationRecord[]> {
  let all: ApiAuthorizationRecord[];
  try {
    all = await client.list<ApiAuthorizationRecord>(client.paths.apiAuthorizations, {
      fieldFilter: API_AUTH_FIELDS,
    });
  } catch (e) {
    if (isUnavailable(e))
      throw new ApiAuthorizationUnavailableError(
        name,
        client.paths.apiAuthorizations,
        (e as VantagepointError).status,
      );
    throw e;
  }
  return all.filter((r) => sameId(r.Name, name));
}

export interface AdoptedApiClient {
  found: boolean;
  clientId: string;
  fingerprint: string;
  /** The fingerprint releases before issue 17 computed for the same record (unchangedSinceAdopted). */
  legacyFingerprint?: string;
  /** Only when this run created the record: the secret the server showed once. */
  generatedSecret?: string;
  created: boolean;
  /** How it was found: by the configured Client ID, or by name only (a hint). */
  identifiedBy?: "clientId" | "name";
  /** Something worth saying about the match (a name that differs, a Client ID to configure). */
  note?: string;
}

/** How the Connect API Authorization is named in the config: its Client ID (the identity) and its name (a hint). */
export interface ApiClientRef {
  name: string;
  clientId?: string;
}

/**
 * The API Authorization with this Client ID (one cheap read), or undefined when the list answers but the record
 * is not in it (an empty reply, or a 404 for the one record: the client's getOne tells the two 404s apart). A
 * Client ID the server spells in another case is the same record (identifiers.ts); the configured spelling is kept.
 */
export async function findApiAuthorizationById(
  client: VantagepointClient,
  clientId: string,
  name = DEFAULT_CONNECT_API_NAME,
): Promise<ApiAuthorizationRecord | undefined> {
  try {
    const rec = await client.getOne<ApiAuthorizationRecord>(
      client.paths.apiAuthorizations,
      clientId,
      API_AUTH_FIELDS,
    );
    if (!rec || !sameId(rec.ClientId ?? clientId, clientId)) return undefined;
    const found: ApiAuthorizationRecord = { ...rec, ClientId: clientId };
    // The server's own spelling, for the fingerprint older releases stored (not enumerable: never written).
    Object.defineProperty(found, SERVER_CLIENT_ID, { value: rec.ClientId ?? clientId, enumerable: false });
    return found;
  } catch (e) {
    if (isUnavailable(e))
      throw new ApiAuthorizationUnavailableError(
        name,
        client.paths.apiAuthorizations,
        (e as VantagepointError).status,
        clientId,
      );
    throw e;
  }
}

const SERVER_CLIENT_ID = Symbol("serverClientId");

function legacyOf(rec: ApiAuthorizationRecord): string {
  const raw = (rec as unknown as Record<symbol, unknown>)[SERVER_CLIENT_ID];
  return legacyFingerprintApiAuthorization(raw === undefined ? rec : { ...rec, ClientId: raw as string });
}

/** Reads the Connect API Authorization without writing: by Client ID when configured, else by name. */
export async function readApiClient(
  client: VantagepointClient,
  ref: string | ApiClientRef,
): Promise<AdoptedApiClient> {
  const { name, clientId } = typeof ref === "string" ? { name: ref, clientId: undefined } : ref;
  if (clientId) {
    const rec = await findApiAuthorizationById(client, clientId, name);
    if (!rec) return { found: false, clientId: "", fingerprint: "", created: false };
    return {
      found: true,
      clientId: String(rec.ClientId),
      fingerprint: fingerprintApiAuthorization(rec),
      legacyFingerprint: legacyOf(rec),
      created: false,
      identifiedBy: "clientId",
      ...(typeof rec.Name === "string" && !sameId(rec.Name, name)
        ? { note: `its name is "${rec.Name}", not "${name}" (the name is only a hint)` }
        : {}),
    };
  }
  const hits = await findApiAuthorizations(client, name);
  if (hits.length > 1) {
    throw new Error(
      `${hits.length} API Authorizations are named "${name}" (Client IDs ${hits.map((h) => h.ClientId).join(", ")}); rename the extra ones in Utilities > Integrations or set name to the one Connect uses.`,
    );
  }
  if (!hits.length) return { found: false, clientId: "", fingerprint: "", created: false };
  return {
    found: true,
    clientId: String(hits[0].ClientId),
    fingerprint: fingerprintApiAuthorization(hits[0]),
    legacyFingerprint: legacyOf(hits[0]),
    created: false,
    identifiedBy: "name",
    note: `found by its name only; set vantagepoint.connectApiClient.clientId to ${String(hits[0].ClientId)} (Connect Administration's Settings tab shows the Client ID Connect uses)`,
  };
}

/** Adopts the Connect API Authorization; creates it only when allowCreate. Never writes any other one. */
export async function adoptApiClient(
  client: VantagepointClient,
  args: { name: string; clientId?: string; allowCreate: boolean; callbackUrl?: string },
): Promise<AdoptedApiClient> {
  const now = await readApiClient(client, { name: args.name, clientId: args.clientId });
  if (now.found) return now;
  if (args.clientId) {
    // A configured Client ID that is not there (the list answers; only this record is missing) was deleted or is
    // mistyped: a new record would have another Client ID and secret, so creating one cannot bring it back and
    // would break whatever still holds the old secret.
    throw new Error(
      `No API Authorization has Client ID ${args.clientId} (vantagepoint.connectApiClient.clientId): it does not exist on this server. The ID is mistyped or someone deleted it; nothing was created. ${manualApiClientSteps(args.name, args.clientId)}`,
    );
  }
  if (!args.allowCreate) {
    throw new Error(
      `No API Authorization named "${args.name}" exists. Connect generates it on first use (open Connect's Sync Options as the configurer), or set allowCreate: true to let this project create it. ${manualApiClientSteps(args.name)}`,
    );
  }
  const record: Record<string, string> = {
    Name: args.name,
    AllowPasswordGrant: "Y",
    Scopes: "Match Role Access",
  };
  if (args.callbackUrl) record.CallbackUrl = args.callbackUrl;
  let reply: ApiAuthorizationRecord | undefined;
  try {
    reply = await client.create<ApiAuthorizationRecord>(client.paths.apiAuthorizations, record, async () => {
      const hits = await findApiAuthorizations(client, args.name);
      return hits[0];
    });
  } catch (e) {
    if (isUnavailable(e))
      throw new ApiAuthorizationUnavailableError(
        args.name,
        client.paths.apiAuthorizations,
        (e as VantagepointError).status,
      );
    throw e;
  }
  const named = await findApiAuthorizations(client, args.name);
  const after = reply?.ClientId ? reply : named[0];
  if (!after)
    throw new Error(
      `The API Authorization "${args.name}" was created but could not be read back; run again to adopt it.`,
    );
  // Someone (Connect itself, or a server restored from a backup) made one with this name while this run was
  // creating its own: keep theirs, remove the one this run made seconds ago (its secret was never handed out).
  const others = named.filter((r) => !sameId(r.ClientId, after.ClientId));
  if (others.length === 1) {
    try {
      await client.remove(client.paths.apiAuthorizations, String(after.ClientId));
    } catch (e) {
      throw new Error(
        `Two API Authorizations are now named "${args.name}": ${others[0].ClientId} (made by someone else during this run) and ${after.ClientId} (made by this run, which could not remove it: ${(e as Error).message}). Delete ${after.ClientId} in Utilities > Integrations, then run again.`,
      );
    }
    return {
      found: true,
      clientId: String(others[0].ClientId),
      fingerprint: fingerprintApiAuthorization(others[0]),
      created: false,
    };
  }
  return {
    found: true,
    clientId: String(after.ClientId),
    fingerprint: fingerprintApiAuthorization(after),
    generatedSecret: typeof reply?.ClientSecret === "string" ? reply.ClientSecret : undefined,
    created: true,
  };
}
