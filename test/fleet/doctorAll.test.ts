/**
 * `vpconnect doctor --all` against the emulator: every stack in stacks/, each site's own secrets, a site that
 * cannot sign in never stopping the others, one exit code.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { doctorCommand } from "../../cli/doctor";
import { fleetDoctorExit, runDoctorAll, siteSecretEnv } from "../../cli/doctorAll";
import { startEmulator } from "../../emulator";

const root = path.join(__dirname, "..", "..");

describe("vpconnect doctor --all", function () {
  this.timeout(120_000);

  it("checks every site with its own secrets; a site that cannot sign in does not stop the others", async () => {
    const emu = await startEmulator({});
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "vpconnect-doctor-all-"));
    try {
      const c = emu.credentials;
      let stdout = "";
      let stderr = "";
      const code = await doctorCommand.run(
        [
          "--all",
          "--url",
          emu.url,
          "--database",
          c.database,
          "--username",
          c.username,
          "--client-id",
          c.clientId,
          "--format",
          "table,json",
          "--out",
          out,
        ],
        {
          stdout: (t) => (stdout += t),
          stderr: (t) => (stderr += t),
          cwd: root,
          env: {
            VPCONNECT_CLIENT_SECRET: c.clientSecret,
            [siteSecretEnv("VPCONNECT_PASSWORD", "dev")]: c.password,
            [siteSecretEnv("VPCONNECT_PASSWORD", "prod")]: "wrong-password-3e1f",
            VPCONNECT_MAX_RETRIES: "0",
          },
        },
      );
      const row = (stack: string) => new RegExp(`^${stack}\\s+(\\d)\\s`, "m").exec(stdout)?.[1];
      assert.equal(row("prod"), "3", stdout + stderr);
      assert.notEqual(row("dev"), "3", "dev signed in with its own password");
      assert.notEqual(row("dev"), "2");
      assert.equal(code, 3);
      assert.match(stdout, /DOCTOR FLEET: 2 sites, \d ok\. Exit 3\./);
      assert.ok(!(stdout + stderr).includes("wrong-password-3e1f"), "a secret never appears");
      // Each site wrote its own report.
      assert.ok(
        fs.readdirSync(out).some((f) => /doctor-dev\.json$/.test(f)),
        fs.readdirSync(out).join(","),
      );
      assert.ok(fs.readdirSync(out).some((f) => /doctor-prod\.json$/.test(f)));
    } finally {
      await emu.stop();
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  it("refuses --stack with --all", async () => {
    let stderr = "";
    const code = await doctorCommand.run(["--all", "--stack", "dev"], {
      stdout: () => {},
      stderr: (t) => (stderr += t),
      cwd: root,
      env: {},
    });
    assert.equal(code, 2);
    assert.match(stderr, /drop --stack, or drop --all/);
  });

  it("refuses two stacks whose secret variables would have one name (one site's password sent to another)", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vpconnect-doctor-all-"));
    try {
      for (const name of ["prod-east", "prod.east"])
        fs.copyFileSync(path.join(root, "stacks", "Pulumi.dev.yaml"), path.join(dir, `Pulumi.${name}.yaml`));
      let stderr = "";
      let ran = 0;
      const code = await runDoctorAll(
        [],
        { stdout: () => {}, stderr: (t) => (stderr += t), env: {}, cwd: root },
        async () => ++ran,
        dir,
      );
      assert.equal(code, 2);
      assert.equal(ran, 0, "no site was checked");
      assert.match(
        stderr,
        /stacks "prod-east" and "prod\.east" would both read VPCONNECT_PASSWORD_PROD_EAST/,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a site whose doctor throws could not be checked (3), and the others still run", async () => {
    const seen: string[] = [];
    let out = "";
    const code = await runDoctorAll(
      [],
      { stdout: (t: string) => (out += t), stderr: () => {}, env: {}, cwd: root },
      async (argv) => {
        seen.push(argv[1]);
        if (argv[1] === "dev") throw new TypeError("fetch failed");
        return 0;
      },
      path.join(root, "stacks"),
    );
    assert.deepEqual(seen, ["dev", "prod"]);
    assert.match(out, /^dev\s+3\s+COULD NOT CHECK/m);
    assert.equal(code, 3);
  });

  it("site secret variables and the fleet exit code", () => {
    assert.equal(siteSecretEnv("VPCONNECT_PASSWORD", "prod-east.2"), "VPCONNECT_PASSWORD_PROD_EAST_2");
    assert.equal(fleetDoctorExit([0, 0]), 0);
    assert.equal(fleetDoctorExit([0, 1]), 1);
    assert.equal(fleetDoctorExit([1, 3]), 3);
    assert.equal(fleetDoctorExit([3, 2, 1]), 2);
  });
});
