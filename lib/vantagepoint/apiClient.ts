/**
 * The Connect API Authorization (P6): find it by name, adopt it, fingerprint it for drift. Other
 * integrations' authorizations are read, never written. No Pulumi import.
 */
import { createHash } from "node:crypto";
import type { VantagepointClient } from "./client";
import { VantagepointError } from "./errors";
import type { ApiAuthorizationRecord } from "./types";

/** Non-secret fields that make up the fingerprint. */
export const API_AUTH_FIELDS = ["ClientId", "Name", "CallbackUrl", "Scopes", "AllowPasswordGrant"];

export const DEFAULT_CONNECT_API_NAME = "Vantagepoint Connect";

/** Hash of the record's non-secret fields (the secret never enters it). */
export function fingerprintApiAuthorization(rec: ApiAuthorizationRecord): string {
  const canon = API_AUTH_FIELDS.map((f) => [
    f,
    rec[f] === undefined || rec[f] === null ? "" : String(rec[f]),
  ]);
  return createHash("sha256").update(JSON.stringify(canon)).digest("hex").slice(0, 32);
}

export function manualApiClientSteps(name: string): string {
  return `Do it by hand: in Vantagepoint open Utilities > Integrations (API Authorizations), find "${name}" (Connect generates it on first use from its Sync Options), and copy its Client ID and Secret into the stack config.`;
}

export class ApiAuthorizationUnavailableError extends Error {
  constructor(name: string, path: string, status?: number) {
    super(
      `API Authorizations are not available through the API on this server (${status ?? "no reply"} on ${path}; the path is configurable as connection.paths.apiAuthorizations). ${manualApiClientSteps(name)}`,
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
  const want = name.trim().toLowerCase();
  return all.filter((r) => typeof r.Name === "string" && r.Name.trim().toLowerCase() === want);
}

export interface AdoptedApiClient {
  found: boolean;
  clientId: string;
  fingerprint: string;
  /** Only when this run created the record: the secret the server showed once. */
  generatedSecret?: string;
  created: boolean;
}

/** Reads the Connect API Authorization without writing. */
export async function readApiClient(client: VantagepointClient, name: string): Promise<AdoptedApiClient> {
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
    created: false,
  };
}

/** Adopts the Connect API Authorization; creates it only when allowCreate. Never writes any other one. */
export async function adoptApiClient(
  client: VantagepointClient,
  args: { name: string; allowCreate: boolean; callbackUrl?: string },
): Promise<AdoptedApiClient> {
  const now = await readApiClient(client, args.name);
  if (now.found) return now;
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
  const others = named.filter((r) => String(r.ClientId) !== String(after.ClientId));
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
