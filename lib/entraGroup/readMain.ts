/**
 * The child process behind readGroupSync: reads a GroupReadRequest as JSON on stdin (the client secret never on
 * the command line), reads the group from Graph to the end, and writes `{ ok, result | message }` as JSON on
 * stdout. No Pulumi import.
 */
import { clientCredentialsToken, GraphReadError, readGroupMembers } from "./graph";
import type { GroupReadRequest } from "../config/groupSource";

async function main(): Promise<void> {
  let text = "";
  for await (const chunk of process.stdin) text += String(chunk);
  let reply: unknown;
  try {
    const request = JSON.parse(text) as GroupReadRequest;
    const token = clientCredentialsToken({
      tenantId: request.tenantId,
      clientId: request.clientId,
      clientSecret: request.clientSecret,
      ...(request.tokenUrl ? { tokenUrl: request.tokenUrl } : {}),
    });
    const read = await readGroupMembers(request.groupId, {
      token,
      transitive: request.transitive,
      ...(request.url ? { url: request.url } : {}),
    });
    reply = {
      ok: true,
      result: { members: read.members, pages: read.pages, requests: read.requests, units: read.units },
    };
  } catch (e) {
    reply = {
      ok: false,
      message: e instanceof GraphReadError ? e.message : `Graph could not be read: ${(e as Error).message}`,
    };
  }
  process.stdout.write(JSON.stringify(reply));
}

void main();
