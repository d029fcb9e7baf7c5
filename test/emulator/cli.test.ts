/** `vpconnect emulator` flags: a bad one is a one-line message naming the flag and the fix, exit 2. In-process; no server starts. */
import assert from "node:assert/strict";
import { main } from "../../cli/main";
import { captureIo } from "../support/io";
import { EmulatorUsageError, parseEmulatorArgs } from "../../emulator/cli";

async function vpconnect(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const captured = captureIo(process.cwd());
  const code = await main(argv, captured.io);
  return { code, stdout: captured.stdout, stderr: captured.stderr };
}

/** Runs `vpconnect emulator ...argv`, expects exit 2 and one line on stderr; returns that line. */
async function usageError(...argv: string[]): Promise<string> {
  const r = await vpconnect("emulator", ...argv);
  assert.equal(r.code, 2, r.stderr);
  assert.equal(r.stdout, "");
  assert.match(r.stderr, /^vpconnect emulator: [^\n]+\n$/, `one line: ${r.stderr}`);
  assert.doesNotMatch(r.stderr, /\bat .*\(|Error:/, "no stack trace");
  return r.stderr.trimEnd();
}

describe("vpconnect emulator: flags", () => {
  it("an unknown flag names it and points at --help, exit 2", async () => {
    assert.equal(
      await usageError("--bogus"),
      "vpconnect emulator: Unknown option --bogus; run vpconnect emulator --help for the flags",
    );
  });

  it("a misspelt flag gets a did-you-mean", async () => {
    assert.match(await usageError("--prot", "8080"), /Unknown option --prot \(did you mean --port\?\)/);
    assert.match(await usageError("--no-role"), /did you mean --no-roles\?/);
  });

  it("bad values name the flag and show an example", async () => {
    assert.match(await usageError("--latency", "x"), /--latency needs a number, got x, e\.g\. --latency 50$/);
    assert.match(await usageError("--port"), /--port needs a value, e\.g\. --port 8080$/);
    assert.match(await usageError("--port", "70000"), /--port needs a number \(a whole number up to 65535\)/);
    assert.match(await usageError("--employees", "2.5"), /--employees needs a number \(a whole number\)/);
    assert.match(await usageError("--json=yes"), /--json takes no value/);
    assert.match(await usageError("serve"), /unexpected argument serve: vpconnect emulator takes flags only/);
  });

  it("an unknown broken state is refused with the list and a did-you-mean", async () => {
    assert.match(
      await usageError("--broken", "duplicateEmail"),
      /--broken duplicateEmail: unknown broken state \(did you mean duplicateEmails\?\); use a comma list of roleWithoutConnectAdmin,/,
    );
    assert.throws(() => parseEmulatorArgs(["--broken", ","]), EmulatorUsageError);
  });

  it("--help prints the usage through the command's io and exits 0", async () => {
    const r = await vpconnect("emulator", "--help");
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^Usage: vpconnect emulator \[options\]/);
    assert.equal(r.stderr, "");
  });

  it("good flags still parse", () => {
    const { options, json } = parseEmulatorArgs([
      "--port=0",
      "--employees",
      "10",
      "--token-expires-in",
      "60",
      "--html-errors",
      "--no-api-authorizations",
      "--no-connect-api-authorization",
      "--json",
    ]);
    assert.equal(options.port, 0);
    assert.equal(options.seed?.employees, 10);
    assert.equal(options.seed?.connectApiAuthorization, false);
    assert.equal(options.tokenExpiresIn, 60);
    assert.equal(options.htmlErrors, true);
    assert.deepEqual(options.disable, { apiAuthorizations: true });
    assert.equal(json, true);
  });
});

describe("vpconnect emulator: profile flags", () => {
  it("--lenient, --server-keys and --vantagepoint-version set the profile", () => {
    const { options } = parseEmulatorArgs(["--lenient", "--server-keys", "--vantagepoint-version", "3.5"]);
    assert.deepEqual([options.profile, options.employeeKeys, options.version], ["lenient", "server", "3.5"]);
    assert.equal(parseEmulatorArgs([]).options.profile, undefined, "strict unless asked");
    assert.equal(parseEmulatorArgs(["--busy"]).options.profile, "busy");
    assert.throws(() => parseEmulatorArgs(["--busy", "--lenient"]), /two profiles; pick one/);
  });

  it("a bad --vantagepoint-version names the flag and an example, exit 2", async () => {
    assert.match(
      await usageError("--vantagepoint-version", "seven"),
      /--vantagepoint-version needs major\.minor, got seven, e\.g\. --vantagepoint-version 7\.0/,
    );
  });
});
