// Reading Connect's addresses out of saved pages (liberal) and writing the copy (strict), on hand-made pages of
// each kind: the real page's format is unknown (shared/reference/connect-prerequisites.md, P2).
import assert from "node:assert/strict";
import {
  decodeQuotedPrintable,
  diffRanges,
  extractConnectRanges,
  htmlToText,
  maskToPrefix,
  rangeToCidrs,
  renderCopyFile,
} from "../../lib/connectIps";
import { parseConnectIpsCopy } from "../../policies/lib/connectIpsCopy";

const cidrs = (text: string) => extractConnectRanges(text).ranges.map((r) => r.cidr);
const problems = (text: string) => extractConnectRanges(text).problems.map((p) => `${p.line}: ${p.message}`);

const TABLE_PAGE = `<!DOCTYPE html>
<html><head><title>Exposed IP Addresses</title>
<style>td { padding: 2px } /* 10.0.0.1 in CSS is not an address */</style>
<script>var build = "192.168.1.1";</script></head>
<body><h1>Exposed IP Addresses</h1>
<p>Allow these addresses through your firewall for Vantagepoint Connect.</p>
<table>
  <tr><th>Region</th><th>Service</th><th>IP Address</th></tr>
  <tr><td>US East</td><td>Connect</td><td>203.0.113.0/24</td></tr>
  <tr><td>US West</td><td>Connect</td><td>198.51.100.16&#47;28</td></tr>
  <tr><td>EU</td><td>Connect</td><td>2001:DB8:4000::/48</td></tr>
</table>
<!-- old: 198.51.100.99 -->
<footer>&copy; 2026 Deltek, Inc. Version 7.0.3.12</footer>
</body></html>`;

const LIST_PAGE = `<div class="topic"><ul>
<li>203.0.113.10</li><li>203.0.113.11</li>
<li><code>198.51.100.0/255.255.255.192</code></li>
<li>198.51.100.128 - 198.51.100.255</li>
<li>2001:db8:10::1</li>
</ul></div>`;

const PROSE = `Vantagepoint Connect reaches your server from 203.0.113.0/24 and 198.51.100.64/26.
Since 2026-10-01 it also uses 2001:db8:5000::/48, and (temporarily) 192.0.2.77. Updated at 10:30:00 UTC;
see https://help.example.com/path::x for details. Build 1.2.3.4.5 is unrelated.`;

const PLAIN = "203.0.113.0/24\r\n198.51.100.0/24\n\n  2001:db8:4000::/48  \n203.0.113.0/24\n";

describe("Connect IPs from a saved page (lib/connectIps)", () => {
  it("reads an HTML table, skipping script, style, comments and the version in the footer", () => {
    const r = extractConnectRanges(TABLE_PAGE);
    assert.equal(r.html, true);
    assert.deepEqual(
      r.ranges.map((x) => x.cidr),
      ["198.51.100.16/28", "203.0.113.0/24", "2001:db8:4000::/48"],
    );
    assert.deepEqual(r.problems, []);
    assert.ok(r.ignored.some((i) => i.text === "7.0.3.12" && /version/.test(i.message)));
    assert.equal(r.ranges.find((x) => x.cidr === "203.0.113.0/24")?.line, 9, "line numbers of the page");
  });

  it("reads an HTML list with netmask and first-last range notation", () => {
    assert.deepEqual(cidrs(LIST_PAGE), [
      "198.51.100.0/26",
      "198.51.100.128/25",
      "203.0.113.10/32",
      "203.0.113.11/32",
      "2001:db8:10::1/128",
    ]);
  });

  it("reads prose, not times, URL paths or longer dotted numbers", () => {
    assert.deepEqual(cidrs(PROSE), [
      "192.0.2.77/32",
      "198.51.100.64/26",
      "203.0.113.0/24",
      "2001:db8:5000::/48",
    ]);
  });

  it("reads a plain list (CRLF, blanks, spaces, duplicates), normalized and sorted", () => {
    assert.deepEqual(cidrs(PLAIN), ["198.51.100.0/24", "203.0.113.0/24", "2001:db8:4000::/48"]);
  });

  it("expands trailing wildcards and ranges to CIDRs", () => {
    assert.deepEqual(cidrs("203.0.113.* and 198.51.*.*"), ["198.51.0.0/16", "203.0.113.0/24"]);
    assert.deepEqual(rangeToCidrs("203.0.113.1", "203.0.113.6"), [
      "203.0.113.1/32",
      "203.0.113.2/31",
      "203.0.113.4/31",
      "203.0.113.6/32",
    ]);
    assert.equal(maskToPrefix("255.255.255.0"), 24);
    assert.equal(maskToPrefix("255.0.255.0"), undefined);
  });

  it("refuses what looks like an address but cannot go into the copy, naming the line", () => {
    const page = [
      "203.0.113.0/24",
      "198.51.100.7/24",
      "203.0.113.300",
      "10.0.0.0/8",
      "0.0.0.0/0",
      "::ffff:0:0/96",
      "2001:db8:::/48",
      "198.51.100.0/255.0.255.0",
      "198.51.100.255 - 198.51.100.0",
    ].join("\n");
    assert.deepEqual(problems(page), [
      '2: "198.51.100.7/24" has host bits set; write the network address 198.51.100.0/24',
      '3: "203.0.113.300" is not a CIDR: "203.0.113.300" is not an IPv4 or IPv6 address',
      "4: 10.0.0.0/8 is private (RFC 1918), not a public address Connect can come from",
      "5: 0.0.0.0/0 admits every address; list Connect's published addresses instead",
      "6: ::ffff:0:0/96 is an IPv4-mapped IPv6 range; write the IPv4 addresses instead",
      '7: "2001:db8:::/48" is not a CIDR: "2001:db8:::" is not an IPv4 or IPv6 address',
      "8: 255.0.255.0 is not a contiguous netmask",
      "9: 198.51.100.255 - 198.51.100.0 runs backwards; write the lower address first",
    ]);
  });

  it("finds nothing in a page without addresses (the caller refuses to write an empty copy)", () => {
    assert.deepEqual(cidrs("<html><body><p>Page not found</p></body></html>"), []);
    assert.deepEqual(cidrs("std::vector, a :: b, 12:30:45, v1.2.3"), []);
  });

  it("keeps line numbers when tags span lines and decodes entities", () => {
    assert.equal(htmlToText('<td\nclass="x">1&amp;2&#x2F;3</td>').split("\n").length, 2);
    assert.match(htmlToText("<b>a</b>&nbsp;&lt;b&gt;"), /a\s+ <b>/);
  });

  it("diffs as sets of normalized ranges", () => {
    assert.deepEqual(diffRanges(["203.0.113.0/24", "198.51.100.0/24"], ["203.0.113.0/24", "20.1.0.0/16"]), {
      added: ["20.1.0.0/16"],
      removed: ["198.51.100.0/24"],
      unchanged: ["203.0.113.0/24"],
    });
  });

  it("writes a copy the pack's reader accepts", () => {
    const text = renderCopyFile({
      connectIps: ["203.0.113.0/24", "2001:db8::/48"],
      provenance: { source: "https://help.example.com/x", copiedOn: "2026-11-30", reviewedBy: "Pat Jones" },
    });
    const copy = parseConnectIpsCopy(JSON.parse(text), "connect-ips.json");
    assert.deepEqual(copy.problems, []);
    assert.deepEqual(
      copy.ranges.map((r) => r.text),
      ["203.0.113.0/24", "2001:db8::/48"],
    );
    assert.equal(copy.provenance?.placeholder, undefined);
  });

  it("accounts for every address-like text: ports, versions, longer numbers, mapped, hidden parts (issue 19)", () => {
    const r = extractConnectRanges(
      [
        "Connect: 203.0.113.0/24", // 1
        "Connect over 203.0.113.10:443", // 2
        "Outlook add-in manifest 2.4.1.87", // 3
        "Build 1.2.3.4.5 is unrelated", // 4
        "mapped ::ffff:20.1.2.3", // 5
      ].join("\n"),
    );
    assert.deepEqual(
      r.ranges.map((x) => x.cidr),
      ["203.0.113.0/24"],
    );
    assert.deepEqual(
      r.problems.map((p) => `${p.line} ${p.text}: ${p.message}`),
      [
        "2 203.0.113.10:443: has a port (:443); Connect's list gives source addresses, which have none: write 203.0.113.10 if it is one of Connect's",
        "5 ::ffff:20.1.2.3: is an IPv4-mapped IPv6 address; Connect's list gives IPv4 addresses: write 20.1.2.3 if it is one of Connect's",
      ],
    );
    assert.deepEqual(
      r.ignored.map((p) => `${p.line} ${p.text}: ${p.message}`),
      [
        "3 2.4.1.87: looks like a version number, not an address",
        "4 1.2.3.4.5: is a longer dotted number (a version?), not an address",
      ],
    );
    const page = extractConnectRanges(TABLE_PAGE);
    assert.deepEqual(
      page.ignored.map((p) => `${p.line} ${p.text}`),
      ["3 10.0.0.1", "4 192.168.1.1", "13 198.51.100.99", "14 7.0.3.12"],
    );
  });

  it("decodes a saved MHTML page's quoted-printable soft line breaks, keeping the file's line numbers (issue 19)", () => {
    const mhtml = [
      "MIME-Version: 1.0", // 1
      'Content-Type: multipart/related; boundary="b"', // 2
      "", // 3
      "--b", // 4
      "Content-Type: text/html", // 5
      "Content-Transfer-Encoding: quoted-printable", // 6
      "", // 7
      '<html><body><table><tr><td class=3D"ip">203.0.113.=', // 8
      "0/24</td></tr>", // 9
      "<tr><td>198.51.100.0/2=", // 10
      "4</td></tr></table></body></html>", // 11
      "--b--", // 12
    ].join("\r\n");
    assert.equal(
      decodeQuotedPrintable("203.0.113.=\n0/24\n"),
      "203.0.113.=\n0/24\n",
      "plain text is left alone",
    );
    const r = extractConnectRanges(mhtml);
    assert.deepEqual(
      r.ranges.map((x) => `${x.cidr} line ${x.line}`),
      ["198.51.100.0/24 line 10", "203.0.113.0/24 line 8"],
    );
    assert.deepEqual(r.problems, []);
  });
});
