// `vpconnect ips`: show and update the pack's reviewed copy of Connect's addresses, in a temp pack folder.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { main } from "../../cli/main";
import { readConnectIpsCopy } from "../../policies/lib/connectIpsCopy";
import { captureIo } from "../support/io";

const root = path.join(__dirname, "..", "..");

function tempPack(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vpc-ips-"));
  const pack = path.join(dir, "policies");
  fs.mkdirSync(pack);
  fs.copyFileSync(path.join(root, "policies", "connect-ips.json"), path.join(pack, "connect-ips.json"));
  fs.copyFileSync(path.join(root, "policies", "PulumiPolicy.yaml"), path.join(pack, "PulumiPolicy.yaml"));
  return pack;
}

async function ips(cwd: string, ...argv: string[]) {
  const captured = captureIo(cwd);
  const code = await main(["ips", ...argv], captured.io);
  return { code, stdout: captured.stdout, stderr: captured.stderr };
}

function saved(pack: string, name: string, text: string): string {
  const file = path.join(path.dirname(pack), name);
  fs.writeFileSync(file, text);
  return file;
}

const PAGE = `<html><body><h2>Exposed IP Addresses</h2><table>
<tr><td>Connect</td><td>203.0.113.0/24</td></tr>
<tr><td>Connect</td><td>20.42.10.0/24</td></tr>
<tr><td>Connect (IPv6)</td><td>2001:db8:4000::/48</td></tr>
</table></body></html>`;

describe("vpconnect ips", () => {
  it("show prints the copy with its provenance, and says when it is a placeholder", async () => {
    const r = await ips(root, "show");
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /policies\/connect-ips\.json, a PLACEHOLDER list, not Deltek's published list/);
    assert.match(r.stdout, /source: +RFC 5737/);
    assert.match(r.stdout, /^ {2}198\.51\.100\.0\/24$/m);
  });

  it("update shows the difference and writes nothing without --write (exit 1)", async () => {
    const pack = tempPack();
    const before = fs.readFileSync(path.join(pack, "connect-ips.json"), "utf8");
    const page = saved(pack, "exposed.html", PAGE);
    const r = await ips(path.dirname(pack), "update", "--from", page, "--pack", pack);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /read 3 ranges from exposed\.html \(HTML\)/);
    assert.match(r.stdout, /^- 198\.51\.100\.0\/24$/m);
    assert.match(r.stdout, /^\+ 20\.42\.10\.0\/24$/m);
    assert.match(r.stdout, /^\+ 2001:db8:4000::\/48$/m);
    assert.match(r.stdout, /^ {2}203\.0\.113\.0\/24$/m);
    assert.match(r.stdout, /2 added, 1 removed, 1 unchanged/);
    assert.match(r.stdout, /Not written/);
    assert.equal(fs.readFileSync(path.join(pack, "connect-ips.json"), "utf8"), before);
  });

  it("--write replaces the copy with provenance; the pack reads it; prettier leaves it unchanged", async () => {
    const pack = tempPack();
    const page = saved(pack, "exposed.html", PAGE);
    const r = await ips(
      path.dirname(pack),
      "update",
      "--from",
      page,
      "--pack",
      pack,
      "--write",
      "--reviewed-by",
      "Pat Jones",
      "--source",
      "https://help.example.com/exposed-ips",
      "--copied-on",
      "2026-11-30",
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Wrote policies\/connect-ips\.json: 3 ranges/);
    const copy = readConnectIpsCopy(pack);
    assert.deepEqual(copy.problems, []);
    assert.deepEqual(
      copy.ranges.map((c) => c.text),
      ["20.42.10.0/24", "203.0.113.0/24", "2001:db8:4000::/48"],
    );
    assert.deepEqual(
      { ...copy.provenance, note: undefined },
      {
        source: "https://help.example.com/exposed-ips",
        copiedOn: "2026-11-30",
        reviewedBy: "Pat Jones",
        note: undefined,
      },
    );
    execFileSync(
      process.execPath,
      [path.join(root, "node_modules/prettier/bin/prettier.cjs"), "--check", "connect-ips.json"],
      { cwd: pack, stdio: "pipe" },
    );
    // Same list again: nothing to do, exit 0.
    const again = await ips(path.dirname(pack), "update", "--from", page, "--pack", pack);
    assert.equal(again.code, 0, again.stdout);
    assert.match(again.stdout, /already holds this list/);
  });

  it("refuses a page with an entry that cannot go in (host bits), naming file and line; writes nothing", async () => {
    const pack = tempPack();
    const before = fs.readFileSync(path.join(pack, "connect-ips.json"), "utf8");
    const list = saved(pack, "list.txt", "203.0.113.0/24\n198.51.100.7/24\n");
    const r = await ips(
      path.dirname(pack),
      ..."update --from list.txt --pack policies --write --reviewed-by Pat".split(" "),
    );
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /^list\.txt:2: "198\.51\.100\.7\/24" has host bits set; write the network address 198\.51\.100\.0\/24$/m,
    );
    assert.match(r.stderr, /nothing was written/);
    assert.equal(fs.readFileSync(path.join(pack, "connect-ips.json"), "utf8"), before);
    assert.ok(fs.existsSync(list));
  });

  it("refuses a page without any address instead of writing an empty copy", async () => {
    const pack = tempPack();
    saved(pack, "empty.html", "<html><body>Sign in to view this page</body></html>");
    const r = await ips(
      path.dirname(pack),
      ..."update --from empty.html --pack policies --write --reviewed-by Pat".split(" "),
    );
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--from empty\.html: found no IPv4 or IPv6 address or CIDR \(read as HTML\)/);
  });

  const usage: Array<[string, string[], RegExp]> = [
    ["no --from", ["update"], /--from is required/],
    [
      "--write without --reviewed-by",
      ["update", "--from", "x.txt", "--write"],
      /--write needs --reviewed-by NAME/,
    ],
    [
      "--reviewed-by without --write",
      ["update", "--from", "x.txt", "--reviewed-by", "Pat"],
      /--reviewed-by is recorded only when writing/,
    ],
    ["a typo'd flag", ["update", "--form", "x.txt"], /unknown flag --form \(did you mean --from\?\)/],
    ["a missing file", ["update", "--from", "nope.html"], /--from nope\.html: cannot read the file/],
    ["a folder", ["update", "--from", "."], /--from \.: is a folder/],
    [
      "a bad date",
      ["update", "--from", "x.txt", "--write", "--reviewed-by", "P", "--copied-on", "2026-02-30"],
      /--copied-on 2026-02-30: must be a date YYYY-MM-DD/,
    ],
    [
      "a future date",
      ["update", "--from", "x.txt", "--write", "--reviewed-by", "P", "--copied-on", "2999-01-01"],
      /--copied-on 2999-01-01: is in the future/,
    ],
    [
      "a control character in the reviewer",
      ["update", "--from", "x.txt", "--write", "--reviewed-by", "Pat\u202eJones"],
      /--reviewed-by: must be plain text/,
    ],
    [
      "a missing pack folder",
      ["update", "--from", "x.txt", "--pack", "nowhere"],
      /--pack nowhere: no such folder/,
    ],
    [
      "a --pack folder that is no policy pack",
      ["update", "--from", "x.txt", "--pack", "."],
      /--pack \.: is not a policy pack folder \(no PulumiPolicy\.yaml in it\)/,
    ],
    ["an unknown subcommand", ["updte"], /unknown subcommand "updte"; did you mean "update"\?/],
  ];
  for (const [what, argv, message] of usage) {
    it(`exit 2 with the flag named: ${what}`, async () => {
      const pack = tempPack();
      saved(pack, "x.txt", "203.0.113.0/24\n");
      const before = fs.readFileSync(path.join(pack, "connect-ips.json"), "utf8");
      const r = await ips(path.dirname(pack), ...argv);
      assert.equal(r.code, 2, r.stdout);
      assert.match(r.stderr, message);
      assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
      assert.equal(fs.readFileSync(path.join(pack, "connect-ips.json"), "utf8"), before);
    });
  }

  it("--pack pointing at a folder that is no pack writes nothing there (issue 19)", async () => {
    const pack = tempPack();
    const page = saved(pack, "exposed.html", PAGE);
    const project = path.dirname(pack);
    const r = await ips(
      project,
      "update",
      "--from",
      page,
      "--pack",
      project,
      "--write",
      "--reviewed-by",
      "Pat",
    );
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /is not a policy pack folder/);
    assert.equal(fs.existsSync(path.join(project, "connect-ips.json")), false);
  });

  it("lists every address-like text it left out as file:line and why, and refuses ports and mapped forms (issue 19)", async () => {
    const pack = tempPack();
    const page = saved(
      pack,
      "exposed.html",
      [
        "<html><head><script>var probe = '198.51.100.7';</script><style>/* 192.0.2.9 */</style></head><body>",
        "<table><tr><td>Connect</td><td>203.0.113.0/24</td></tr>",
        "<tr><td>Outlook add-in manifest 2.4.1.87</td></tr>",
        "<!-- retired: 198.51.100.99 --></table></body></html>",
      ].join("\n"),
    );
    const r = await ips(path.dirname(pack), "update", "--from", page, "--pack", pack);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /read 1 range from/);
    for (const line of [
      /exposed\.html:1: "198\.51\.100\.7" in a <script>/,
      /exposed\.html:1: "192\.0\.2\.9" in a <style>/,
      /exposed\.html:3: "2\.4\.1\.87" looks like a version number/,
      /exposed\.html:4: "198\.51\.100\.99" in an HTML comment/,
    ])
      assert.match(r.stdout, line);

    const ported = saved(pack, "ported.txt", "203.0.113.0/24\n203.0.113.10:443\n::ffff:20.1.2.3\n");
    const refused = await ips(path.dirname(pack), "update", "--from", ported, "--pack", pack);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /ported\.txt:2: has a port \(:443\)/);
    assert.match(refused.stderr, /ported\.txt:3: is an IPv4-mapped IPv6 address; .*write 20\.1\.2\.3/);
  });
});
