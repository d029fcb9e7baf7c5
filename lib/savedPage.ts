/**
 * Reading a saved web page the way a person saw it, for lib/connectIps.ts: a saved MHTML page's quoted-printable
 * encoding undone, and the addresses in parts of an HTML page a reader never sees (comments, scripts, styles)
 * found so they can be listed as left out. Pure, no Pulumi import.
 */
import type { RangeProblem } from "./connectIpsFile";

export const V4 = String.raw`\d{1,3}(?:\.\d{1,3}){3}`;
export const V6 = String.raw`[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}`;

/**
 * A saved MHTML page ("Webpage, single file") is MIME with quoted-printable parts: a line ends in "=" where the
 * encoder wrapped it (a soft line break, RFC 2045 section 6.7) and "=XX" stands for a byte, so "203.0.113.=\n0/24"
 * is "203.0.113.0/24". Decoded only when the file says quoted-printable; the line count is kept (each removed
 * break is put back after the logical line), so file:line stays the saved file's line.
 */
export function decodeQuotedPrintable(text: string): string {
  if (!/^Content-Transfer-Encoding:\s*quoted-printable\s*$/im.test(text)) return text;
  const out: string[] = [];
  let pending = "";
  let owed = 0;
  for (const raw of text.split("\n")) {
    const line = raw.replace(/\r$/, "");
    if (line.endsWith("=")) {
      pending += line.slice(0, -1);
      owed++;
      continue;
    }
    out.push(pending + line);
    for (; owed > 0; owed--) out.push("");
    pending = "";
  }
  if (owed > 0) out.push(pending, ...Array<string>(owed - 1).fill(""));
  return out
    .join("\n")
    .replace(/(?:=[0-9A-F]{2})+/g, (run) => Buffer.from(run.replace(/=/g, ""), "hex").toString("utf8"));
}

/** IPv4 and IPv6 addresses inside comments, scripts and styles of an HTML page, with their lines. */
export function hiddenAddresses(html: string): RangeProblem[] {
  const out: RangeProblem[] = [];
  const parts: Array<[RegExp, string]> = [
    [/<!--[\s\S]*?-->/g, "in an HTML comment"],
    [/<script\b[\s\S]*?<\/script\s*>/gi, "in a <script>"],
    [/<style\b[\s\S]*?<\/style\s*>/gi, "in a <style>"],
  ];
  const lineAt = (index: number) => html.slice(0, index).split("\n").length;
  const ADDRESS = new RegExp(
    String.raw`(?<![\w.:])(?:${V4}(?:\/\d{1,2})?|${V6}(?:\/\d{1,3})?)(?![\w.:])`,
    "g",
  );
  for (const [pattern, where] of parts) {
    for (const block of html.matchAll(pattern)) {
      for (const m of block[0].matchAll(ADDRESS)) {
        const value = m[0];
        if (
          value.includes(":") &&
          (!/[0-9a-f]/i.test(value) || (!value.includes("::") && value.split(":").length !== 8))
        )
          continue;
        if (
          !value.includes(":") &&
          value
            .split("/")[0]!
            .split(".")
            .some((o) => Number(o) > 255)
        )
          continue;
        out.push({
          line: lineAt(block.index + m.index),
          text: value,
          message: `${where}, which the page does not show; not read (if it is one of Connect's, it must be in the topic's text)`,
        });
      }
    }
  }
  return out.sort((a, b) => a.line - b.line);
}
