// Every command line the tool suggests (in messages, reports, next steps) exists (issue 19): each is taken from the
// sources as written, its placeholders filled, and run through the command's real flag parser; every "pass --flag"
// hint names a flag the command has. A suggestion that names a flag which does not exist fails here.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseCheckArgs } from "../../cli/check";
import { DOCTOR_OPTIONS, parseDoctorArgs } from "../../cli/doctor";
import { emulatorCheckOptions } from "../../cli/emulatorCheck";
import { main } from "../../cli/main";
import { captureIo } from "../support/io";

const root = path.join(__dirname, "..", "..");
const SOURCES = ["lib", "cli", "evaluator", "policies", "components", "program"];

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name === "bin" || entry.name.startsWith(".")) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(full));
    else if (entry.name.endsWith(".ts")) out.push(full);
  }
  return out;
}

const VALUE = String.raw`(?:<[^>]+>|\$\{[^}]*\}?|\{[a-z]+\}|[^\s\x60"'\\;,)\]]+)`;
const SUGGESTION = new RegExp(
  String.raw`vpconnect (check|doctor|ips show|ips update)((?: (?:--[a-z][a-z-]*|-[a-z])(?: (?!-)${VALUE})?)+)`,
  "g",
);

interface Suggestion {
  file: string;
  command: string;
  argv: string[];
  text: string;
}

/** Fills a placeholder with a value of the right kind. */
function fill(value: string, flag: string): string {
  if (!/^<|^\$\{|^\{|^[A-Z]+$/.test(value)) return value;
  const samples: Record<string, string> = {
    "--stack": "dev",
    "--url": "https://vp.example.com/vantagepoint/api",
    "--from": "saved.html",
    "--reviewed-by": "Pat Jones",
    "--login-client-id": "0b5f6a7c-1d2e-4f3a-8b9c-0d1e2f3a4b5c",
  };
  return samples[flag] ?? "VALUE";
}

function suggestions(): Suggestion[] {
  const out: Suggestion[] = [];
  for (const file of SOURCES.flatMap((d) => sourceFiles(path.join(root, d)))) {
    const text = fs.readFileSync(file, "utf8");
    for (const m of text.matchAll(SUGGESTION)) {
      const tokens = m[2]!.trim().match(new RegExp(String.raw`--?[a-z][a-z-]*|${VALUE}`, "g")) ?? [];
      const argv: string[] = [];
      for (const token of tokens) {
        if (token.startsWith("-")) argv.push(token);
        else argv.push(fill(token, argv[argv.length - 1] ?? ""));
      }
      // Usage synopses ([--flag]) and help pointers are not suggestions of a command to run.
      if (argv.includes("--help")) continue;
      out.push({ file: path.relative(root, file), command: m[1]!, argv, text: m[0] });
    }
  }
  return out;
}

describe("every command the tool suggests exists (issue 19)", function () {
  this.timeout(60_000);
  const found = suggestions();

  it("finds the suggestions (doctor's P7, the next steps, ips)", () => {
    assert.ok(found.some((s) => s.command === "doctor" && s.argv.includes("--stack")));
    assert.ok(found.some((s) => s.command === "check"));
    assert.ok(found.some((s) => s.command === "ips update"));
  });

  for (const s of suggestions()) {
    it(`${s.file}: ${s.text}`, async () => {
      // doctor takes --all off before its parser (cli/doctorAll.ts runs doctor per stack with the rest).
      if (s.command === "doctor")
        assert.doesNotThrow(() => parseDoctorArgs(s.argv.filter((a) => a !== "--all")), s.text);
      else if (s.command === "check")
        assert.doesNotThrow(() => parseCheckArgs(s.argv, emulatorCheckOptions.extraOptions), s.text);
      else {
        // ips: the real command, in a temp pack, on a saved page: anything but a usage error (exit 2).
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vpc-suggest-"));
        const pack = path.join(dir, "policies");
        fs.mkdirSync(pack);
        for (const f of ["connect-ips.json", "PulumiPolicy.yaml"])
          fs.copyFileSync(path.join(root, "policies", f), path.join(pack, f));
        fs.writeFileSync(path.join(dir, "saved.html"), "<p>203.0.113.0/24</p>");
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: x\nruntime: nodejs\n");
        const captured = captureIo(dir);
        const code = await main(["ips", ...s.command.split(" ").slice(1), ...s.argv], captured.io);
        fs.rmSync(dir, { recursive: true, force: true });
        assert.notEqual(code, 2, `${s.text}\n${captured.stderr}`);
      }
    });
  }

  it('every "pass --flag" hint names a flag of the command', () => {
    const flags = new Set(Object.keys(DOCTOR_OPTIONS).map((k) => `--${k}`));
    for (const file of sourceFiles(path.join(root, "lib/doctor"))) {
      for (const m of fs.readFileSync(file, "utf8").matchAll(/\bpass (--[a-z][a-z-]*)/g))
        assert.ok(flags.has(m[1]!), `${path.relative(root, file)}: "pass ${m[1]}" names no doctor flag`);
    }
  });
});
