/**
 * The Graph stand-in in a process of its own (`vpconnect check --emulator` with a roster from a group): the config
 * loader reads the group synchronously through a child process while the checker's own event loop waits, so the
 * stand-in cannot share the checker's process. Prints one JSON line (url, tokenUrl, clientId, clientSecret,
 * tenantId, groupId) and serves until stdin closes.
 */
import { DEMO_GROUP_ID, demoDirectory, startGraphStandIn } from "./graph";

async function main(): Promise<void> {
  const graph = await startGraphStandIn({
    groups: demoDirectory(Number(process.env.VPCONNECT_DEMO_GROUP_USERS ?? 240)),
    throttle: { requests: [2], retryAfterSeconds: 1 },
  });
  const { url, tokenUrl, clientId, clientSecret, tenantId } = graph;
  process.stdout.write(
    `${JSON.stringify({ url, tokenUrl, clientId, clientSecret, tenantId, groupId: DEMO_GROUP_ID })}\n`,
  );
  process.stdin.resume();
  process.stdin.on("end", () => void graph.stop().then(() => process.exit(0)));
}

void main();
