/**
 * Faults against the emulator for every dynamic provider operation: 429 with Retry-After, 503, connection reset,
 * timeout, token expiry and a server restart (state lost), each fired mid-run (at the middle request of the
 * operation, and for writing operations also at its first write). Every run either converges or stops with a
 * clear error; once the fault clears, a re-run converges with no duplicate employee, user or API authorization.
 * Also: two ConnectRoster reconciles at once create no duplicates.
 *
 * The existing per-provider fault tests (test/vantagepoint/*.test.ts) cover ConnectRoster.create with
 * hand-placed faults; this file covers every operation systematically.
 */
import "./support/tally";
import assert from "node:assert/strict";
import {
  apiInputsFor,
  connectAdminRoleProvider,
  connectApiClientProvider,
  connectRosterProvider,
  roleInputsFor,
  rosterInputsFor,
} from "./support/providers";
import type {
  ConnectAdminRoleOutputs,
  ConnectApiClientOutputs,
  ConnectRosterInputs,
  ConnectRosterOutputs,
} from "./support/providers";
import { CONNECT_API_NAME, startEmulator } from "../../emulator";
import type { Emulator, FaultKind, FaultSpec } from "../../emulator";
import type { RosterEntry } from "../../lib/vantagepoint";
import { describeFindings, scan, SENTINELS } from "./support/sentinels";
import { tally } from "./support/tally";

const ENV = {
  VPCONNECT_RETRY_BASE_MS: "1",
  VPCONNECT_RETRY_MAX_MS: "4",
  VPCONNECT_MAX_RETRY_AFTER_MS: "4",
  VPCONNECT_HTTP_TIMEOUT_MS: "2000",
  VPCONNECT_MAX_RETRIES: "5",
};
/** Timeout runs: replies slower than this time out (the slow fault waits SLOW_MS). */
const FAST_TIMEOUT_MS = "80";
const SLOW_MS = 200;

const entries = (n: number): RosterEntry[] =>
  Array.from({ length: n }, (_, i) => ({
    userId: `fault.person${i}@contoso.example`,
    email: `fault.person${i}@contoso.example`,
    firstName: "Fault",
    lastName: `Person ${i}`,
    ...(i === 0 ? { role: "ADMIN", configurer: true } : {}),
  }));
const PEOPLE = entries(8);

/** One provider operation: how to set the stage, run it, and check the site converged after a clean re-run. */
interface Operation {
  name: string;
  /** The operation writes (so a fault is also placed on its first write). */
  writes: boolean;
  /** Puts the emulator in the state the operation starts from; returns what `run` needs. */
  setup(emu: Emulator): Promise<unknown>;
  run(emu: Emulator, state: unknown): Promise<unknown>;
  /** After the fault cleared and `run` succeeded once more: the site is as it should be. */
  converged(emu: Emulator, state: unknown, result: unknown): Promise<void>;
  /** A run that did not throw under the fault must already have left the site right (defaults to `converged`). */
  check?(emu: Emulator, state: unknown, result: unknown): void;
}

const rosterInputs = (
  emu: Emulator,
  people: readonly RosterEntry[] = PEOPLE,
  onDelete: ConnectRosterInputs["onDelete"] = "detach",
) => rosterInputsFor(connection(emu), [...people], onDelete);
const roleInputs = (emu: Emulator) => roleInputsFor(connection(emu));
const apiInputs = (emu: Emulator, allowCreate = false) =>
  apiInputsFor(connection(emu), { allowCreate, clientSecret: SENTINELS.connectClientSecret });

function connection(emu: Emulator) {
  return { ...emu.connection(), pageSize: 40 };
}

/** Every roster person: one employee with that email, one linked active user; no employee with a duplicate email. */
function assertRosterConverged(emu: Emulator, people: readonly RosterEntry[]) {
  for (const p of people) {
    const employees = [...emu.state.employees.values()].filter(
      (e) => String(e.EMail).toLowerCase() === p.email.toLowerCase(),
    );
    assert.equal(employees.length, 1, `exactly one employee for ${p.email}, found ${employees.length}`);
    const user = emu.state.users.get(p.userId.toLowerCase());
    assert.ok(user, `user ${p.userId}`);
    assert.equal(user.Employee, employees[0]!.Employee, `${p.userId} linked`);
    assert.deepEqual([employees[0]!.Status, user.Status], ["A", "A"]);
  }
}

/** A follow-up reconcile with the same inputs writes nothing. */
async function assertNoWritesLeft(emu: Emulator, people: readonly RosterEntry[]) {
  const created = await connectRosterProvider.create(rosterInputs(emu, people));
  emu.resetCounters();
  await connectRosterProvider.update!(
    created.id,
    created.outs as ConnectRosterOutputs,
    rosterInputs(emu, people),
  );
  assert.equal(emu.counters.writes, 0, "a reconcile after convergence must write nothing");
}

function connectAuthorizations(emu: Emulator) {
  return [...emu.state.apiAuthorizations.values()].filter(
    (a) => String(a.Name).toLowerCase() === CONNECT_API_NAME.toLowerCase(),
  );
}

/** The roster operations that write: every person there and linked, and nothing left to write. */
const ROSTER_CONVERGED: Pick<Operation, "check" | "converged"> = {
  check: (emu) => assertRosterConverged(emu, PEOPLE),
  converged: async (emu) => {
    assertRosterConverged(emu, PEOPLE);
    await assertNoWritesLeft(emu, PEOPLE);
  },
};

const OPERATIONS: Operation[] = [
  {
    name: "ConnectRoster create",
    writes: true,
    setup: async () => undefined,
    run: (emu) => connectRosterProvider.create(rosterInputs(emu)),
    ...ROSTER_CONVERGED,
  },
  {
    name: "ConnectRoster update",
    writes: true,
    setup: async (emu) => {
      // Half the people exist with an old email; the update fixes them and adds the rest.
      const old = PEOPLE.slice(0, 4).map((p) => ({ ...p, email: p.email.replace("@", ".old@") }));
      return (await connectRosterProvider.create(rosterInputs(emu, old))).outs;
    },
    run: (emu, olds) =>
      connectRosterProvider.update!("roster", olds as ConnectRosterOutputs, rosterInputs(emu)),
    ...ROSTER_CONVERGED,
  },
  {
    name: "ConnectRoster read",
    writes: false,
    setup: async (emu) => (await connectRosterProvider.create(rosterInputs(emu))).outs,
    run: (_emu, outs) => connectRosterProvider.read!("roster", outs as ConnectRosterOutputs),
    converged: async (emu, _state, result) => {
      const people = (result as { props: ConnectRosterOutputs }).props.people;
      assert.equal(people.length, PEOPLE.length);
      // What read reports is what the server holds now (a restart may have lost the people: then read says so).
      for (const p of people) {
        const user = emu.state.users.get(p.userId.toLowerCase());
        assert.equal(
          p.linked,
          !!user && user.Employee === p.employee && p.employee !== "",
          `${p.userId} linked as reported`,
        );
      }
    },
  },
  {
    name: "ConnectRoster delete (deactivateUsers)",
    writes: true,
    setup: async (emu) => (await connectRosterProvider.create(rosterInputs(emu))).outs,
    run: (_emu, outs) =>
      connectRosterProvider.delete!("roster", {
        ...(outs as ConnectRosterOutputs),
        onDelete: "deactivateUsers",
        // Deleting takes everyone off Connect: a deliberate delete raises the removal brake's limit.
        removalBrake: { maxRemovalPercent: 100 },
      }),
    converged: async (emu) => {
      for (const p of PEOPLE) {
        const user = emu.state.users.get(p.userId.toLowerCase());
        if (user) assert.equal(user.Status, "I", `${p.userId} deactivated`);
        const employee = [...emu.state.employees.values()].find((e) => e.EMail === p.email);
        if (employee) assert.equal(employee.Status, "A", "employees are never deactivated or terminated");
      }
    },
  },
  {
    name: "ConnectAdminRole create",
    writes: true,
    setup: async (emu) => {
      emu.seedBroken(["roleWithoutConnectAdmin"]);
    },
    run: (emu) => connectAdminRoleProvider.create(roleInputs(emu)),
    check: (emu) => {
      const admin = emu.state.roles.get("admin")!;
      assert.deepEqual(
        [admin.Connect, String(admin.Type).split(",").sort().slice(0, 2)],
        ["Y", ["Accounting", "Administrator"]],
      );
    },
    converged: async (emu) => {
      const admin = emu.state.roles.get("admin")!;
      assert.deepEqual(
        [admin.Connect, String(admin.Type).split(",").sort().slice(0, 2)],
        ["Y", ["Accounting", "Administrator"]],
      );
      emu.resetCounters();
      await connectAdminRoleProvider.create(roleInputs(emu));
      assert.equal(emu.counters.writes, 0);
    },
  },
  {
    name: "ConnectAdminRole read",
    writes: false,
    setup: async (emu) => (await connectAdminRoleProvider.create(roleInputs(emu))).outs,
    run: (_emu, outs) => connectAdminRoleProvider.read!("role", outs as ConnectAdminRoleOutputs),
    converged: async (_emu, _state, result) => {
      const props = (result as { props: ConnectAdminRoleOutputs }).props;
      assert.deepEqual(
        [props.connectAdministration, props.roleTypes, props.available],
        [true, ["Administrator", "Accounting"], true],
      );
    },
  },
  {
    name: "ConnectApiClient create (allowCreate, Connect one missing)",
    writes: true,
    setup: async (emu) => {
      emu.seedBroken(["connectApiAuthMissing"]);
    },
    run: (emu) => connectApiClientProvider.create(apiInputs(emu, true)),
    converged: async (emu, _state, result) => {
      const connect = connectAuthorizations(emu);
      assert.equal(connect.length, 1, `exactly one "${CONNECT_API_NAME}", found ${connect.length}`);
      assert.equal((result as { outs: ConnectApiClientOutputs }).outs.clientId, connect[0]!.ClientId);
    },
  },
  {
    name: "ConnectApiClient read",
    writes: false,
    setup: async (emu) => (await connectApiClientProvider.create(apiInputs(emu))).outs,
    run: (_emu, outs) => connectApiClientProvider.read!("client", outs as ConnectApiClientOutputs),
    converged: async (emu, _state, result) => {
      const props = (result as { props: ConnectApiClientOutputs }).props;
      assert.equal(props.clientId, connectAuthorizations(emu)[0]!.ClientId);
      assert.equal(props.drifted, false);
    },
  },
  {
    name: "ConnectApiClient delete",
    writes: false,
    setup: async (emu) => ({
      outs: (await connectApiClientProvider.create(apiInputs(emu))).outs,
      before: emu.snapshotApiAuthorizations(),
    }),
    run: async (emu, state) => {
      emu.resetCounters();
      await connectApiClientProvider.delete!("client", (state as { outs: ConnectApiClientOutputs }).outs);
      assert.equal(emu.counters.requests, 0, "delete never calls the server");
    },
    converged: async (emu, state) => {
      assert.equal(
        emu.snapshotApiAuthorizations(),
        (state as { before: string }).before,
        "every API authorization unchanged",
      );
    },
  },
];

const FAULTS: Array<{ kind: FaultKind; spec: Partial<FaultSpec>; label: string }> = [
  { kind: "429", label: "429 with Retry-After", spec: { retryAfter: 2, count: 2 } },
  { kind: "503", label: "503 (after the write landed)", spec: { count: 2, afterHandling: true } },
  {
    kind: "reset",
    label: "connection reset (after the write landed)",
    spec: { count: 1, afterHandling: true },
  },
  { kind: "slow", label: "timeout", spec: { count: 1, delayMs: SLOW_MS } },
  { kind: "expireToken", label: "token expiry", spec: { count: 1 } },
  { kind: "restart", label: "server restart (state lost)", spec: { count: 1 } },
];

/** Words a clear error is made of (a TypeError or an undefined is not clear). */
function assertClearError(error: Error) {
  assert.match(
    error.message,
    /^(Vantagepoint (GET|POST|PUT|DELETE) |The roster was not fully applied|Role "|No API Authorization|The API Authorization)/,
    error.message,
  );
  assert.doesNotMatch(
    error.message,
    /TypeError|is not a function|Cannot read propert|undefined/,
    error.message,
  );
  const findings = scan("fault error", error.message);
  assert.deepEqual(findings, [], describeFindings(findings, error.message));
}

describe("faults: every provider operation under every fault converges", function () {
  this.timeout(60_000);
  let emu: Emulator;
  const saved: Record<string, string | undefined> = {};

  before(async () => {
    for (const [k, v] of Object.entries(ENV)) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
    emu = await startEmulator({
      seed: { employees: 60 },
      credentials: { password: SENTINELS.password, clientSecret: SENTINELS.clientSecret },
    });
  });
  after(async () => {
    await emu.stop();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });
  afterEach(() => {
    process.env.VPCONNECT_HTTP_TIMEOUT_MS = ENV.VPCONNECT_HTTP_TIMEOUT_MS;
  });

  /** Requests the operation makes without faults (to place a fault at its middle), and its first write's position. */
  async function profile(
    op: Operation,
  ): Promise<{ requests: number; firstWrite?: { method: string; path: string } }> {
    emu.reset();
    const state = await op.setup(emu);
    emu.resetCounters();
    const seen: Array<{ method: string; path: string }> = [];
    await op.run(emu, state);
    for (const [route, n] of Object.entries(emu.counters.byRoute)) {
      const [method, path] = route.split(" ") as [string, string];
      if (method !== "GET" && path !== "/token")
        for (let i = 0; i < n; i++) seen.push({ method, path: path.replace("/{key}", "") });
    }
    return { requests: emu.counters.requests, ...(seen[0] ? { firstWrite: seen[0] } : {}) };
  }

  for (const op of OPERATIONS) {
    describe(op.name, () => {
      let plan: Awaited<ReturnType<typeof profile>>;
      before(async () => {
        plan = await profile(op);
      });

      const placements: Array<"middle request" | "first write"> = op.writes
        ? ["middle request", "first write"]
        : ["middle request"];
      for (const fault of FAULTS) {
        for (const placement of placements) {
          it(`${fault.label} at the ${placement}`, async () => {
            tally.faults.total++;
            emu.reset();
            const state = await op.setup(emu);
            if (fault.kind === "slow") process.env.VPCONNECT_HTTP_TIMEOUT_MS = FAST_TIMEOUT_MS;
            const where: Partial<FaultSpec> =
              placement === "first write" && plan.firstWrite
                ? { method: plan.firstWrite.method, path: plan.firstWrite.path }
                : { nth: Math.max(1, Math.ceil(plan.requests / 2)) };
            emu.faults.add({ kind: fault.kind, ...fault.spec, ...where });

            let error: Error | undefined;
            let outcome: unknown;
            try {
              outcome = await op.run(emu, state);
            } catch (e) {
              error = e as Error;
            }
            if (fault.kind === "slow") await new Promise((r) => setTimeout(r, SLOW_MS)); // let the slow request land
            if (error) assertClearError(error);
            else if (op.check) op.check(emu, state, outcome);
            // The fault really hit the operation (ConnectApiClient delete sends no request at all, by design).
            if (plan.requests > 0)
              assert.ok(
                emu.faults.active.every((f) => f.fired > 0),
                "the fault fired",
              );

            emu.faults.clear();
            process.env.VPCONNECT_HTTP_TIMEOUT_MS = ENV.VPCONNECT_HTTP_TIMEOUT_MS;
            const result = await op.run(emu, state);
            await op.converged(emu, state, result);
            assert.deepEqual(emu.leaks, [], "no request carried credentials it should not have");
            tally.faults.converged++;
          });
        }
      }
    });
  }

  describe("a server restart at every request of a roster reconcile", () => {
    // A restart loses what was written before it and lets the server reuse employee keys, so a run can receive
    // success for writes that are gone, or link a user to someone else's employee. Whatever request it hits, the
    // run must stop with a clear error or leave the roster right, and the next run must converge.
    for (const op of OPERATIONS.filter(
      (o) => o.name === "ConnectRoster create" || o.name === "ConnectRoster update",
    )) {
      it(`${op.name}: restart at request 1..N`, async () => {
        const { requests } = await profile(op);
        assert.ok(requests > 10, `only ${requests} requests`);
        for (let nth = 1; nth <= requests; nth++) {
          tally.faults.total++;
          emu.reset();
          const state = await op.setup(emu);
          emu.faults.add({ kind: "restart", nth });
          let error: Error | undefined;
          let outcome: unknown;
          try {
            outcome = await op.run(emu, state);
          } catch (e) {
            error = e as Error;
          }
          if (error) assertClearError(error);
          else op.check!(emu, state, outcome);
          emu.faults.clear();
          await op.converged(emu, state, await op.run(emu, state));
          tally.faults.converged++;
        }
      });
    }
  });

  describe("two reconciles at once", () => {
    beforeEach(() => emu.reset());

    it("two ConnectRoster creates of the same roster (Promise.all) create each person once", async () => {
      tally.faults.total++;
      const results = await Promise.all([
        connectRosterProvider.create(rosterInputs(emu)),
        connectRosterProvider.create(rosterInputs(emu)),
      ]);
      assert.equal(results[0].id, results[1].id);
      assertRosterConverged(emu, PEOPLE);
      assert.equal(emu.counters.byRoute["POST /employee"], PEOPLE.length, "one employee create per person");
      assert.equal(emu.counters.byRoute["POST /user"], PEOPLE.length, "one user create per person");
      tally.faults.converged++;
    });

    it("an update and a create of overlapping rosters at once create no duplicates", async () => {
      tally.faults.total++;
      const first = await connectRosterProvider.create(rosterInputs(emu, PEOPLE.slice(0, 3)));
      await Promise.all([
        connectRosterProvider.update!(
          first.id,
          first.outs as ConnectRosterOutputs,
          rosterInputs(emu, PEOPLE.slice(0, 6)),
        ),
        connectRosterProvider.create(rosterInputs(emu, PEOPLE.slice(2))),
      ]);
      assertRosterConverged(emu, PEOPLE);
      tally.faults.converged++;
    });

    it("two ConnectApiClient creates with allowCreate at once create one API authorization", async () => {
      tally.faults.total++;
      emu.seedBroken(["connectApiAuthMissing"]);
      const [a, b] = await Promise.all([
        connectApiClientProvider.create(apiInputs(emu, true)),
        connectApiClientProvider.create(apiInputs(emu, true)),
      ]);
      assert.equal(connectAuthorizations(emu).length, 1);
      assert.equal(a.id, b.id);
      tally.faults.converged++;
    });
  });
});
