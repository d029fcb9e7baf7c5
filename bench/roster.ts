/**
 * npm run bench:roster: ConnectRoster against the emulator with 5 ms added latency, for N = 100, 1,000
 * and 5,000 entries. One JSON line per N on stdout; a target check per N on stderr.
 * Targets (L = list pages of the employee and user reads, ceil(records / pageSize) + 1 each: a list ends only at
 * an empty page, so every list costs one end-of-list page more than its records fill):
 *   first run requests <= writes + L + 3; re-run 0 writes and requests <= L + 2.
 */
import { startEmulator } from "../emulator";
import {
  connectRosterProvider,
  ConnectRosterInputs,
  ConnectRosterOutputs,
} from "../components/vantagepoint/connectRoster";
import type { RosterEntry } from "../lib/vantagepoint";

const SIZES = (process.env.BENCH_SIZES ?? "100,1000,5000").split(",").map(Number);
const LATENCY_MS = 5;
const PAGE_SIZE = 500;

function entriesFor(n: number): RosterEntry[] {
  return Array.from({ length: n }, (_, i) => {
    const id = String(i + 1).padStart(5, "0");
    return {
      userId: `connect.user${id}@contoso.example`,
      email: `connect.user${id}@contoso.example`,
      firstName: "Connect",
      lastName: `User ${id}`,
    };
  });
}

async function main() {
  let peakRss = 0;
  const sample = () => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  };
  const timer = setInterval(sample, 25);
  let allMet = true;
  for (const n of SIZES) {
    const emu = await startEmulator({ latencyMs: LATENCY_MS });
    const inputs: ConnectRosterInputs = {
      vpconnectResource: "ConnectRoster",
      connection: { ...emu.connection(), pageSize: PAGE_SIZE },
      entries: entriesFor(n),
      onDelete: "detach",
      // The strict emulator (the default) refuses a keyless employee create, as a site that does not number them.
      newEmployees: { key: "sequence", prefix: "C" },
    };
    // List pages of one hub read: the pages its records fill, then the empty page that proves the end.
    const pages = (records: number) => Math.ceil(records / PAGE_SIZE) + 1;
    const l0 = pages(emu.state.employees.size) + pages(emu.state.users.size);

    emu.resetCounters();
    let t = Date.now();
    const created = await connectRosterProvider.create(inputs);
    const first = {
      requests: emu.counters.requests,
      writes: emu.counters.writes,
      writesAccepted: emu.counters.writesAccepted,
      ms: Date.now() - t,
    };
    sample();

    const l1 = pages(emu.state.employees.size) + pages(emu.state.users.size);
    emu.resetCounters();
    t = Date.now();
    await connectRosterProvider.update!(created.id, created.outs as ConnectRosterOutputs, inputs);
    const rerun = { requests: emu.counters.requests, writes: emu.counters.writes, ms: Date.now() - t };
    sample();
    await emu.stop();

    const line = {
      n,
      pageSize: PAGE_SIZE,
      listCalls: l1,
      first,
      rerun,
      perRecordBaselineRequests: 1 + 2 * n,
      peakRssMb: Math.round((peakRss / 1024 / 1024) * 10) / 10,
    };
    console.log(JSON.stringify(line));
    const firstOk = first.requests <= first.writes + l0 + 3;
    const rerunOk = rerun.writes === 0 && rerun.requests <= l1 + 2;
    allMet &&= firstOk && rerunOk;
    console.error(
      `n=${n}: first ${first.requests} requests <= ${first.writes} writes + L ${l0} + 3: ${firstOk ? "met" : "MISSED"}; ` +
        `re-run ${rerun.requests} requests <= L ${l1} + 2 and ${rerun.writes} writes: ${rerunOk ? "met" : "MISSED"}`,
    );
  }
  clearInterval(timer);
  process.exitCode = allMet ? 0 : 1;
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
