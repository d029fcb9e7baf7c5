/**
 * Saved pages with exact answers (issue 23): an MHTML page as a browser saves it (CRLF, soft breaks, =XX bytes),
 * and addresses a reader never sees (comments, scripts, styles) next to times and version numbers that look alike.
 */
import assert from "node:assert/strict";
import { decodeQuotedPrintable, hiddenAddresses } from "../../lib/savedPage";

const QP = "Content-Transfer-Encoding: quoted-printable";

describe("saved MHTML pages (quoted-printable)", () => {
  it("joins soft line breaks and keeps the line count (a blank line where each break was)", () => {
    assert.equal(
      decodeQuotedPrintable(`${QP}\n<td>203.0.113.=\n0/24</td>\n<td>198.51.=\n100.=\n0/24</td>\nend`),
      `${QP}\n<td>203.0.113.0/24</td>\n\n<td>198.51.100.0/24</td>\n\n\nend`,
    );
  });

  it("reads Windows line endings (CRLF) as a browser on Windows saves them", () => {
    assert.equal(decodeQuotedPrintable(`${QP}\r\n203.0.113.=\r\n0/24\r\n`), `${QP}\n203.0.113.0/24\n\n`);
  });

  it("a soft break on the last line is not lost", () => {
    assert.equal(decodeQuotedPrintable(`${QP}\nabc=\ndef=`), `${QP}\nabcdef\n`);
    assert.equal(decodeQuotedPrintable(`${QP}\nabc=`), `${QP}\nabc`);
  });

  it("decodes =XX bytes, several in a row as one UTF-8 character; =3D is '='", () => {
    assert.equal(decodeQuotedPrintable(`${QP}\nclass=3D"ip" caf=C3=A9`), `${QP}\nclass="ip" café`);
  });

  it("decodes only a page that says quoted-printable, in its own header line", () => {
    const body = 'class=3D"ip" 203.0.113.=\n0/24';
    for (const header of [
      "Content-Transfer-Encoding:quoted-printable",
      "content-transfer-encoding: Quoted-Printable",
      `${QP}  `,
    ])
      assert.equal(
        decodeQuotedPrintable(`${header}\n${body}`),
        `${header}\nclass="ip" 203.0.113.0/24\n`,
        header,
      );
    for (const header of [`X-${QP}`, `${QP}-ish`, "Content-Transfer-Encoding: base64", `see ${QP}`])
      assert.equal(decodeQuotedPrintable(`${header}\n${body}`), `${header}\n${body}`, header);
  });
});

describe("addresses a reader never sees (hidden parts of a page)", () => {
  const message = (where: string) =>
    `${where}, which the page does not show; not read (if it is one of Connect's, it must be in the topic's text)`;

  it("lists each address in a comment, a script and a style with its line, in line order", () => {
    const html = [
      "<style>/* 192.0.2.0/24 */</style >", // 1
      "<table><tr><td>203.0.113.0/24</td></tr></table>", // 2: shown, not listed
      "<script>", // 3
      "  var old = '198.51.100.7';", // 4
      "</script >", // 5
      "<!-- ::: retired ::: ", // 6: separators, not addresses
      "  2001:db8::/32 -->", // 7
    ].join("\n");
    assert.deepEqual(hiddenAddresses(html), [
      { line: 1, text: "192.0.2.0/24", message: message("in a <style>") },
      { line: 4, text: "198.51.100.7", message: message("in a <script>") },
      { line: 7, text: "2001:db8::/32", message: message("in an HTML comment") },
    ]);
  });

  it("leaves out times, version numbers and octets over 255; keeps a full eight-group IPv6 address", () => {
    const html = [
      "<script>", // 1
      "  var built = '12:30:45';", // 2: a time
      "  var ver = '10.0.300.1';", // 3: not an address
      "  var mask = '255.255.255.0';", // 4
      "  var v6 = '2001:db8:0:0:0:0:0:1';", // 5
      "  var bad = '10.0.0.256/8';", // 6
      "</script>",
    ].join("\n");
    assert.deepEqual(
      hiddenAddresses(html).map((p) => `${p.line} ${p.text}`),
      ["4 255.255.255.0", "5 2001:db8:0:0:0:0:0:1"],
    );
  });
});
