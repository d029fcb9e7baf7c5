/**
 * A small Microsoft Graph stand-in on 127.0.0.1 for the offline proof of a roster from an Entra ID group: the
 * client-credentials token endpoint, and `GET /v1.0/groups/{id}/transitiveMembers` and `/members` with `$select`,
 * `$top` capped at the page size (100 by default, Graph's default page), `@odata.nextLink` with an opaque
 * `$skiptoken`, nested groups flattened (the nested group itself is listed too, as Graph does), every member type
 * (users, groups, devices, service principals, contacts), and 429 with `Retry-After` on chosen requests. Shapes
 * as shared/reference/entra-graph-and-rotation.md describes them.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { randomBytes } from "node:crypto";

/** A directory object the stand-in holds. */
export interface DirectoryObject {
  "@odata.type": string;
  id: string;
  [field: string]: unknown;
}

export interface GraphStandInOptions {
  /** Group object ID -> its direct members (a nested group is listed as a member by its object). */
  groups: Record<string, DirectoryObject[]>;
  /** Largest page (default 100); `$top` above it is capped. */
  pageSize?: number;
  /** Requests (1-based, token requests not counted) answered 429 with Retry-After. */
  throttle?: { requests: number[]; retryAfterSeconds: number };
  /** Answer this status for the page requests from this one (1-based) on: a read that breaks half-way. */
  failFrom?: { request: number; status: number };
  clientId?: string;
  clientSecret?: string;
}

export interface GraphStandIn {
  /** Graph's root, like https://graph.microsoft.com/v1.0. */
  url: string;
  /** The token endpoint. */
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  tenantId: string;
  counters: { requests: number; throttled: number; tokens: number };
  stop(): Promise<void>;
}

const TENANT = "00000000-0000-4000-8000-00000000a11c";

/** Every member of a group with nested groups flattened (each object once, nested groups included). */
export function flattenMembers(groups: Record<string, DirectoryObject[]>, id: string): DirectoryObject[] {
  const out: DirectoryObject[] = [];
  const seen = new Set<string>();
  const visit = (gid: string) => {
    for (const m of groups[gid] ?? []) {
      if (seen.has(m.id)) continue;
      seen.add(m.id);
      out.push(m);
      if (m["@odata.type"] === "#microsoft.graph.group") visit(m.id);
    }
  };
  visit(id);
  return out;
}

function select(o: DirectoryObject, fields: string[] | undefined): DirectoryObject {
  if (!fields) return o;
  const out: DirectoryObject = { "@odata.type": o["@odata.type"], id: o.id };
  for (const f of fields) if (f in o) out[f] = o[f];
  // Graph returns the selected user properties as null on objects of other types; left out here.
  return out;
}

export async function startGraphStandIn(options: GraphStandInOptions): Promise<GraphStandIn> {
  const pageSize = options.pageSize ?? 100;
  const clientId = options.clientId ?? "11111111-2222-4333-8444-555555555555";
  const clientSecret = options.clientSecret ?? `demo-graph-secret-${randomBytes(6).toString("hex")}`;
  const tokens = new Set<string>();
  const counters = { requests: 0, throttled: 0, tokens: 0 };
  let base = "";
  const send = (
    res: http.ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ) => {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(JSON.stringify(body));
  };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", base);
    if (req.method === "POST" && /^\/[^/]+\/oauth2\/v2\.0\/token$/.test(url.pathname)) {
      let text = "";
      req.on("data", (c: Buffer) => (text += c.toString()));
      req.on("end", () => {
        counters.tokens++;
        const form = new URLSearchParams(text);
        if (form.get("client_id") !== clientId || form.get("client_secret") !== clientSecret)
          return send(res, 401, {
            error: "invalid_client",
            error_description: "AADSTS7000215: Invalid client secret provided.",
          });
        const token = randomBytes(16).toString("hex");
        tokens.add(token);
        send(res, 200, { token_type: "Bearer", expires_in: 3599, access_token: token });
      });
      return;
    }
    counters.requests++;
    const auth = req.headers.authorization ?? "";
    if (!tokens.has(auth.replace(/^Bearer /, "")))
      return send(res, 401, {
        error: { code: "InvalidAuthenticationToken", message: "Access token is empty." },
      });
    if (options.throttle?.requests.includes(counters.requests)) {
      counters.throttled++;
      return send(
        res,
        429,
        { error: { code: "TooManyRequests", message: "Too many requests." } },
        { "retry-after": String(options.throttle.retryAfterSeconds) },
      );
    }
    if (options.failFrom && counters.requests >= options.failFrom.request)
      return send(res, options.failFrom.status, {
        error: { code: "serviceNotAvailable", message: "Service unavailable." },
      });
    const m = /^\/v1\.0\/groups\/([^/]+)\/(transitiveMembers|members)$/.exec(url.pathname);
    if (req.method !== "GET" || !m)
      return send(res, 404, { error: { code: "Request_ResourceNotFound", message: "Resource not found." } });
    const groupId = decodeURIComponent(m[1]);
    if (!(groupId in options.groups))
      return send(res, 404, {
        error: { code: "Request_ResourceNotFound", message: `Resource '${groupId}' does not exist.` },
      });
    const all =
      m[2] === "members" ? (options.groups[groupId] ?? []) : flattenMembers(options.groups, groupId);
    const top = Math.min(pageSize, Number(url.searchParams.get("$top") ?? pageSize) || pageSize);
    const skip = Number(
      url.searchParams.get("$skiptoken")
        ? Buffer.from(url.searchParams.get("$skiptoken")!, "base64url").toString()
        : 0,
    );
    const fields = url.searchParams.get("$select")?.split(",");
    const page = all.slice(skip, skip + top).map((o) => select(o, fields));
    const body: Record<string, unknown> = {
      "@odata.context": `${base}/v1.0/$metadata#directoryObjects`,
      value: page,
    };
    if (skip + top < all.length) {
      const next = new URL(url.toString());
      next.searchParams.set("$skiptoken", Buffer.from(String(skip + top)).toString("base64url"));
      body["@odata.nextLink"] = next.toString();
    }
    send(res, 200, body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${base}/v1.0`,
    tokenUrl: `${base}/${TENANT}/oauth2/v2.0/token`,
    clientId,
    clientSecret,
    tenantId: TENANT,
    counters,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The demo directory's group (object ID). */
export const DEMO_GROUP_ID = "6a7f0c1e-8d2b-4c3a-9e5f-0123456789ab";

/**
 * A demo directory: the group "Connect users" with `users` members in a nested group, plus a disabled account, a
 * guest, a user without mail, a device, a service principal and a contact (each ignored or reported).
 */
export function demoDirectory(users = 240): Record<string, DirectoryObject[]> {
  const user = (i: number, extra: Record<string, unknown> = {}): DirectoryObject => {
    const n = String(i).padStart(4, "0");
    return {
      "@odata.type": "#microsoft.graph.user",
      id: `00000000-0000-4000-a000-00000000${n}`,
      userPrincipalName: `demo.user${n}@contoso.example`,
      mail: `demo.user${n}@contoso.example`,
      accountEnabled: true,
      userType: "Member",
      givenName: "Demo",
      surname: `User ${n}`,
      displayName: `Demo User ${n}`,
      ...extra,
    };
  };
  const nested = "6a7f0c1e-8d2b-4c3a-9e5f-0000000000ee";
  const half = Math.floor(users / 2);
  return {
    [DEMO_GROUP_ID]: [
      ...Array.from({ length: half }, (_, i) => user(i + 1)),
      { "@odata.type": "#microsoft.graph.group", id: nested, displayName: "Connect users (projects)" },
      user(9001, { accountEnabled: false }),
      user(9002, {
        userType: "Guest",
        userPrincipalName: "partner_fabrikam.example#EXT#@contoso.onmicrosoft.com",
        mail: "partner@fabrikam.example",
      }),
      user(9003, { mail: null }),
      {
        "@odata.type": "#microsoft.graph.device",
        id: "d0000000-0000-4000-a000-000000000001",
        displayName: "LAPTOP-1",
      },
      {
        "@odata.type": "#microsoft.graph.servicePrincipal",
        id: "5p000000-0000-4000-a000-000000000001",
        displayName: "Backup app",
      },
      {
        "@odata.type": "#microsoft.graph.orgContact",
        id: "c0000000-0000-4000-a000-000000000001",
        displayName: "Vendor contact",
      },
    ],
    [nested]: [...Array.from({ length: users - half }, (_, i) => user(half + i + 1)), user(1)],
  };
}
