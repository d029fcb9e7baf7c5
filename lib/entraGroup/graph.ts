/**
 * Reads an Entra ID group's members from Microsoft Graph, to the end, or not at all. No Pulumi import.
 *
 * Why Graph and not the azuread provider package (shared/reference/entra-graph-and-rotation.md): azuread 6.9.1 has no
 * group-members function; `getGroup` returns object IDs of every type (and had a bug returning incomplete lists
 * for groups holding service principals, terraform-provider-azuread#1019), and `getUsers` resolves them with one
 * `GET /users/{id}` per member and has no `userType`, so guests cannot be told apart. For 5,000 members that is
 * 5,000 Graph calls (5,000 resource units: over the 3,500 per 10 s a tenant under 50 users gets). Graph's
 * `GET /groups/{id}/transitiveMembers?$select=...&$top=999` returns every nested member flat, with `@odata.type`,
 * `accountEnabled`, `userType` and `mail`: 5 pages for 5,000 members at 4 units each ($select saves one): 20 units.
 * Least-privileged application permission: `GroupMember.Read.All` (hidden-membership groups also need
 * `Member.Read.Hidden`).
 *
 * Rules: pages are followed through `@odata.nextLink` until it is absent (a short page is not the end); 429 and
 * 503 wait for `Retry-After` (bounded) and retry; anything else, or a page that is not a list, stops the read with
 * an error naming how far it got: a partial member list would remove everyone it missed.
 */
import { MEMBER_FIELDS } from "./roster";
import type { GraphMember } from "./roster";

export const GRAPH_URL = "https://graph.microsoft.com/v1.0";
/** Graph's resource units per request (throttling-limits, identity and access), with $select (one less). */
export const GRAPH_UNITS = { transitiveMembers: 4, members: 2 } as const;
/** Largest $top Graph accepts for members. */
export const GRAPH_MAX_PAGE = 999;

export interface GraphReadOptions {
  /** Graph's root (default https://graph.microsoft.com/v1.0; the offline stand-in's for tests). */
  url?: string;
  /** A bearer token for Graph (asked again for each request: the caller caches it). */
  token: () => Promise<string>;
  /** Nested groups flattened (default true). */
  transitive?: boolean;
  /** Members per page (default 999). */
  pageSize?: number;
  /** Retries of one page on 429/503 (default 6). */
  maxRetries?: number;
  /** Longest Retry-After honoured in milliseconds (default 120,000); longer stops the read. */
  maxRetryAfterMs?: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

export interface GroupRead {
  members: GraphMember[];
  /** Requests sent, retries included. */
  requests: number;
  /** Pages read. */
  pages: number;
  /** Graph resource units the read cost (pages times the operation's cost). */
  units: number;
  /** How long it waited for Retry-After, in milliseconds. */
  waitedMs: number;
}

/** A read that did not reach the end: nothing may be planned from it. */
export class GraphReadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GraphReadError";
  }
}

/** Retry-After in milliseconds: seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** The first page's URL. */
export function membersUrl(
  groupId: string,
  options: Pick<GraphReadOptions, "url" | "transitive" | "pageSize">,
) {
  const base = (options.url ?? GRAPH_URL).replace(/\/+$/, "");
  const kind = options.transitive === false ? "members" : "transitiveMembers";
  const top = Math.min(GRAPH_MAX_PAGE, Math.max(1, options.pageSize ?? GRAPH_MAX_PAGE));
  return `${base}/groups/${encodeURIComponent(groupId)}/${kind}?$select=${MEMBER_FIELDS.join(",")}&$top=${top}`;
}

/** Reads every member of the group (nested ones flattened by default), following nextLink to the end. */
export async function readGroupMembers(groupId: string, options: GraphReadOptions): Promise<GroupRead> {
  const doFetch = options.fetch ?? fetch;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const maxRetries = options.maxRetries ?? 6;
  const maxWait = options.maxRetryAfterMs ?? 120_000;
  const origin = new URL(options.url ?? GRAPH_URL).origin;
  const read: GroupRead = { members: [], requests: 0, pages: 0, units: 0, waitedMs: 0 };
  const cost = options.transitive === false ? GRAPH_UNITS.members : GRAPH_UNITS.transitiveMembers;
  const stop = (why: string) =>
    new GraphReadError(
      `Entra ID group ${groupId}: ${why}; read ${read.members.length} members in ${read.pages} pages before it stopped. A partial list would take everyone it missed off the roster, so nothing was planned or written; run again.`,
    );
  let next: string | undefined = membersUrl(groupId, options);
  while (next) {
    if (new URL(next).origin !== origin)
      throw stop(`@odata.nextLink leads to another host (${new URL(next).origin})`);
    let attempt = 0;
    let body: unknown;
    for (;;) {
      read.requests++;
      let res: Response;
      try {
        res = await doFetch(next, {
          headers: { authorization: `Bearer ${await options.token()}`, accept: "application/json" },
        });
      } catch (e) {
        throw stop(`Graph did not answer (${(e as Error).message})`);
      }
      if (res.status === 429 || res.status === 503) {
        const wait = retryAfterMs(res.headers.get("retry-after")) ?? Math.min(maxWait, 2 ** attempt * 1000);
        await res.arrayBuffer().catch(() => undefined);
        if (attempt >= maxRetries)
          throw stop(`Graph answered ${res.status} ${maxRetries + 1} times in a row`);
        if (wait > maxWait)
          throw stop(`Graph asked to wait ${Math.round(wait / 1000)} s (Retry-After), longer than allowed`);
        attempt++;
        read.waitedMs += wait;
        await sleep(wait);
        continue;
      }
      if (!res.ok) {
        const text = (await res.text().catch(() => "")).slice(0, 300);
        const hint =
          res.status === 403
            ? " (the app needs the application permission GroupMember.Read.All, admin-consented)"
            : res.status === 404
              ? " (no group with that object ID in this tenant)"
              : res.status === 401
                ? " (the token was refused: check tenant, client ID and secret)"
                : "";
        throw stop(`Graph answered ${res.status}${hint}${text ? `: ${text.replace(/\s+/g, " ")}` : ""}`);
      }
      try {
        body = await res.json();
      } catch {
        throw stop("a page was not JSON");
      }
      break;
    }
    const page = body as { value?: unknown; "@odata.nextLink"?: unknown };
    if (!page || !Array.isArray(page.value)) throw stop("a page had no member list (value)");
    for (const m of page.value) {
      if (!m || typeof m !== "object" || typeof (m as GraphMember).id !== "string")
        throw stop("a member without an id");
      read.members.push(m as GraphMember);
    }
    read.pages++;
    read.units += cost;
    const link = page["@odata.nextLink"];
    if (link !== undefined && typeof link !== "string") throw stop("@odata.nextLink was not a URL");
    next = link;
  }
  return read;
}

/** A client-credentials token for Graph (Entra ID's v2.0 token endpoint), fetched once. */
export function clientCredentialsToken(options: {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** The token endpoint (default login.microsoftonline.com for the tenant; the stand-in's for tests). */
  tokenUrl?: string;
  fetch?: typeof fetch;
}): () => Promise<string> {
  let token: Promise<string> | undefined;
  const doFetch = options.fetch ?? fetch;
  return () =>
    (token ??= (async () => {
      const url =
        options.tokenUrl ??
        `https://login.microsoftonline.com/${encodeURIComponent(options.tenantId)}/oauth2/v2.0/token`;
      const res = await doFetch(url, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          grant_type: "client_credentials",
          client_id: options.clientId,
          client_secret: options.clientSecret,
          scope: "https://graph.microsoft.com/.default",
        }).toString(),
      });
      const body = (await res.json().catch(() => ({}))) as { access_token?: unknown; error?: unknown };
      if (!res.ok || typeof body.access_token !== "string")
        throw new GraphReadError(
          `Entra ID refused a Graph token for client ${options.clientId} (${res.status}${typeof body.error === "string" ? ` ${body.error}` : ""}); check roster.group.graph.clientId, its secret and the tenant`,
        );
      return body.access_token;
    })());
}
