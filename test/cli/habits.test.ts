// Command-line habits: --version, a busy emulator port in one line, and progress on stderr only on a terminal
// (nothing extra in pipes or CI logs), for the roster file, `check --emulator` seeding and `doctor`.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { main } from "../../cli/main";
import { runDoctor } from "../../cli/doctor";
import { startEmulator } from "../../emulator";
import { applyRoster, VantagepointClient } from "../../lib/vantagepoint";
import { createProgress, formatProgress, watchProgress } from "../../lib/progress";
import { captureIo } from "../support/io";

const root = path.join(__dirname, "..", "..");
const ERASE = "\x1b[K";

function tty(env: NodeJS.ProcessEnv = {}) {
  let err = "";
  return {
    out: { stderr: (t: string) => (err += t), stderrIsTTY: true, env },
    get err() {
      return err;
    },
  };
}

describe("vpconnect --version", () => {
  it("prints the package version and exits 0", async () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as {
      version: string;
    };
    for (const flag of ["--version", "-V"]) {
      const c = captureIo(root);
      assert.equal(await main([flag], c.io), 0);
      assert.equal(c.stdout, `vpconnect ${version}\n`);
      assert.equal(c.stderr, "");
    }
  });

  it("a misspelt top-level flag gets a did-you-mean and exit 2", async () => {
    const c = captureIo(root);
    assert.equal(await main(["--verison"], c.io), 2);
    assert.match(c.stderr, /^vpconnect: unknown flag --verison \(did you mean --version\?\)/);
  });
});

describe("vpconnect emulator on a busy port", () => {
  it("is one clear line naming --port, exit 2, no stack trace", async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const c = captureIo(root);
      assert.equal(await main(["emulator", "--port", String(port)], c.io), 2);
      assert.equal(
        c.stderr,
        `vpconnect emulator: --port ${port}: 127.0.0.1:${port} is already in use (another emulator?); stop it, pick another port, or leave --port out for a free one\n`,
      );
      assert.equal(c.stdout, "");
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});

describe("progress (lib/progress.ts)", () => {
  it("draws nothing at all when stderr is not a terminal (pipes, CI logs)", () => {
    let err = "";
    for (const out of [
      { stderr: (t: string) => (err += t) },
      { stderr: (t: string) => (err += t), stderrIsTTY: false },
      { stderr: (t: string) => (err += t), stderrIsTTY: true, env: { TERM: "dumb" } },
    ]) {
      const p = createProgress(out, "seeding");
      assert.equal(p.enabled, false);
      p.update(5, 10);
      p.stop();
    }
    assert.equal(err, "");
  });

  it("on a terminal redraws one line in place, throttled, and clears it at the end", () => {
    const t = tty();
    let now = 0;
    const p = createProgress(t.out, "seeding", { unit: "people", minIntervalMs: 100, now: () => now });
    p.update(1, 4000);
    now = 50;
    p.update(2, 4000); // within 100 ms: skipped
    now = 150;
    p.update(1200, 4000);
    p.update(4000, 4000); // the end is always drawn
    p.stop();
    p.stop();
    assert.equal(
      t.err,
      `\rseeding: 1/4,000 people (0%)${ERASE}\rseeding: 1,200/4,000 people (30%)${ERASE}` +
        `\rseeding: 4,000/4,000 people (100%)${ERASE}\r${ERASE}`,
    );
  });

  it("formats counts without a total", () => {
    assert.equal(formatProgress("doctor", 12345, undefined, "requests"), "doctor: 12,345 requests");
  });

  it("watchProgress samples a counter while async work runs, and stops", async () => {
    const t = tty();
    let done = 0;
    const w = watchProgress(t.out, "reading", () => ({ done }), { intervalMs: 5, unit: "requests" });
    for (let i = 0; i < 5; i++) {
      done += 10;
      await new Promise((r) => setTimeout(r, 12));
    }
    w.stop();
    const drawn = t.err;
    assert.match(drawn, /\rreading: \d+ requests\x1b\[K/);
    assert.ok(drawn.endsWith(`\r${ERASE}`));
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(t.err, drawn, "nothing after stop");
  });
});

describe("progress hooked into long work", function () {
  this.timeout(120_000);

  async function checkProd(stderrIsTTY: boolean) {
    const c = captureIo(root);
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "vpc-progress-"));
    const code = await main(["check", "--stack", "prod", "--format", "table", "--out", out], {
      ...c.io,
      stderrIsTTY,
    });
    return { code, stdout: c.stdout, stderr: c.stderr };
  }

  it("check on a stack with a roster file: a line on a terminal, nothing in a pipe, same stdout", async () => {
    const onTty = await checkProd(true);
    const piped = await checkProd(false);
    assert.equal(onTty.code, piped.code);
    assert.match(
      onTty.stderr,
      /\rchecking roster file stacks\/roster\.prod\.csv: [\d,]+ lines\x1b\[K\r\x1b\[K/,
    );
    assert.doesNotMatch(piped.stderr, /\r|\x1b/);
    assert.equal(onTty.stdout, piped.stdout);
  });

  it("check --emulator counts the records seeding writes, on a terminal only", async () => {
    // One run (it seeds for real, ~10 s): the no-terminal side of the same hook is the roster test above and
    // every other check --emulator test, whose captured stderr has no progress.
    const c = captureIo(root);
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "vpc-seed-"));
    const code = await main(["check", "--stack", "dev", "--emulator", "--format", "json", "--out", out], {
      ...c.io,
      stderrIsTTY: true,
    });
    assert.equal(code, 0, c.stderr);
    assert.match(c.stderr, /\rseeding the emulator: \d+ records written\x1b\[K/);
    const cleared = c.stderr.lastIndexOf(`\r${ERASE}`);
    assert.ok(cleared > c.stderr.lastIndexOf("records written"), "the line is cleared before the verdict");
  });

  it("doctor over a slow site counts requests on a terminal only", async () => {
    const emu = await startEmulator({ latencyMs: 150 });
    try {
      const c = emu.credentials;
      const run = async (stderrIsTTY: boolean) => {
        let err = "";
        const code = await runDoctor(
          ["--url", emu.url, "--database", c.database, "--username", c.username, "--client-id", c.clientId],
          {
            stdout: () => undefined,
            stderr: (t) => (err += t),
            env: {
              VPCONNECT_PASSWORD: c.password,
              VPCONNECT_CLIENT_SECRET: c.clientSecret,
              VPCONNECT_MAX_RETRIES: "0",
            },
            cwd: root,
            stderrIsTTY,
          },
        );
        return { code, err };
      };
      const onTty = await run(true);
      assert.match(onTty.err, /\rdoctor: reading Vantagepoint: \d+ requests answered\x1b\[K/);
      const piped = await run(false);
      assert.doesNotMatch(piped.err, /\r|\x1b/);
      assert.equal(onTty.code, piped.code);
    } finally {
      await emu.stop();
    }
  });
});

describe("roster sync reports progress (applyRoster onProgress)", () => {
  it("calls back after each write that landed, ending at done = total", async () => {
    const emu = await startEmulator({});
    try {
      const client = new VantagepointClient(emu.connection(), { sleep: async () => undefined });
      const people = [1, 2, 3].map((i) => ({
        userId: `PROGRESS${i}`,
        email: `progress.person${i}@example.com`,
        firstName: "Pro",
        lastName: `Gress${i}`,
        role: "CONNECT",
      }));
      const calls: Array<[number, number]> = [];
      const run = await applyRoster(client, people, undefined, {
        newEmployees: { key: "sequence", prefix: "P" }, // the strict emulator needs employee keys
        onProgress: (d, t) => calls.push([d, t]),
      });
      assert.ok(
        calls.length > 0 && calls.length === run.writes,
        `one call per write: ${JSON.stringify(calls)}`,
      );
      assert.deepEqual(
        calls.map(([d]) => d),
        calls.map((_, i) => i + 1),
      );
      const [last] = calls.slice(-1);
      assert.equal(last![0], last![1], "the last call is done = total");
      // A second run has nothing to write: no call.
      const again: number[] = [];
      await applyRoster(client, people, undefined, { onProgress: (d) => again.push(d) });
      assert.deepEqual(again, []);
    } finally {
      await emu.stop();
    }
  });
});
