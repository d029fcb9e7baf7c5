/**
 * `vpconnect ips`: the policy pack's reviewed copy of Connect's outbound addresses (policies/connect-ips.json,
 * what P2 is checked against).
 *
 *   vpconnect ips show   [--pack DIR]
 *   vpconnect ips update --from FILE [--pack DIR] [--write --reviewed-by NAME [--source URL] [--copied-on DATE]]
 *
 * `update` reads a saved copy of Deltek's "Exposed IP Addresses" topic (HTML or text) or a plain list, shows the
 * difference from the current copy, and with --write replaces it with its provenance.
 * Exit codes: 0 shown / written / no difference; 1 the list differs from the copy (not written); 2 bad input.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { diffRanges, extractConnectRanges, renderCopyFile, renderDiff } from "../lib/connectIps";
import type { RangeProblem } from "../lib/connectIps";
import { CONNECT_IPS_FILE, describeCopy, readConnectIpsCopy } from "../policies/lib/connectIpsCopy";
import type { ConnectIpsCopy } from "../policies/lib/connectIpsCopy";
import { didYouMean } from "../lib/config/load";
import { CommandFlagError, parseFlags } from "./flags";
import type { Command, Io } from "./io";

export const IPS_HELP = `Usage: vpconnect ips show   [--pack DIR]
       vpconnect ips update --from FILE [--pack DIR] [--write --reviewed-by NAME [--source URL] [--copied-on DATE]]

The policy pack checks the stack's allowList.connectIps against its own reviewed copy of Deltek's list,
<pack>/${CONNECT_IPS_FILE}. \`show\` prints it with its provenance; \`update\` reads a saved copy of Deltek's
"Exposed IP Addresses" help topic (HTML or text, as saved from the browser) or a plain list, and shows how it
differs from the copy. Nothing is written without --write.

      --from FILE         the saved page or list to read
      --pack DIR          the policy pack folder (default: the project's policies/)
      --write             replace the copy (needs --reviewed-by)
      --reviewed-by NAME  who compared the new list with Deltek's page (recorded in the copy)
      --source URL        where the page was saved from (default: the --from file's name)
      --copied-on DATE    when it was saved, YYYY-MM-DD (default: today, UTC)
  -h, --help              this help

Exit codes: 0 shown, written, or no difference; 1 the list differs from the copy (not written); 2 bad input.
`;

const SHOW_OPTIONS = {
  pack: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

const UPDATE_OPTIONS = {
  ...SHOW_OPTIONS,
  from: { type: "string" },
  write: { type: "boolean" },
  "reviewed-by": { type: "string" },
  source: { type: "string" },
  "copied-on": { type: "string" },
} as const;

const EXAMPLES = {
  from: "--from exposed-ip-addresses.html",
  pack: "--pack policies",
  "reviewed-by": "--reviewed-by 'Pat Jones'",
  source: "--source https://help.deltek.com/...",
  "copied-on": "--copied-on 2026-12-01",
};

/** Bad input (exit 2). */
class IpsUsageError extends Error {}

export const ipsCommand: Command = {
  summary: "show or update the pack's reviewed copy of Connect's IP addresses (P2) from a saved Deltek page",
  async run(argv, io) {
    const [sub, ...rest] = argv;
    try {
      if (sub === undefined || sub === "--help" || sub === "-h" || sub === "help") {
        (sub === undefined ? io.stderr : io.stdout)(IPS_HELP);
        return sub === undefined ? 2 : 0;
      }
      if (sub === "show") return show(rest, io);
      if (sub === "update") return update(rest, io);
      const hint = didYouMean(sub.replace(/^-+/, ""), ["show", "update"]);
      throw new IpsUsageError(
        `unknown subcommand "${sub}"${hint ? `; did you mean "${hint}"?` : ""}; use vpconnect ips show or vpconnect ips update --from FILE`,
      );
    } catch (error) {
      if (error instanceof IpsUsageError || error instanceof CommandFlagError) {
        io.stderr(`vpconnect ips${sub && !sub.startsWith("-") ? ` ${sub}` : ""}: ${error.message}\n`);
        return 2;
      }
      throw error;
    }
  },
};

function show(argv: string[], io: Io): number {
  const { values } = parseFlags("ips show", argv, SHOW_OPTIONS, EXAMPLES);
  if (values.help) {
    io.stdout(IPS_HELP);
    return 0;
  }
  const { copy } = currentCopy(io, values.pack as string | undefined);
  if (copy.problems.length > 0) {
    io.stderr(
      copy.problems.map((p) => `vpconnect ips show: ${p}\n`).join("") +
        "vpconnect ips show: fix the file, or replace it with vpconnect ips update --from <saved page> --reviewed-by <name> --write\n",
    );
    return 2;
  }
  const p = copy.provenance!;
  io.stdout(
    `${describeCopy(copy)}\n` +
      `  source:      ${p.source}\n  copied on:   ${p.copiedOn}\n  reviewed by: ${p.reviewedBy}\n` +
      (p.note ? `  note:        ${p.note}\n` : "") +
      `${plural(copy.ranges.length, "range")}:\n`,
  );
  io.stdout(
    copy.ranges.length === 0
      ? "no addresses: P2 is not checked until the copy holds Deltek's list\n"
      : copy.ranges.map((r) => `  ${r.text}\n`).join(""),
  );
  return 0;
}

function update(argv: string[], io: Io): number {
  const { values } = parseFlags("ips update", argv, UPDATE_OPTIONS, EXAMPLES);
  if (values.help) {
    io.stdout(IPS_HELP);
    return 0;
  }
  const from = values.from as string | undefined;
  if (from === undefined)
    throw new IpsUsageError(
      `--from is required: give the saved "Exposed IP Addresses" page or a list, e.g. ${EXAMPLES.from}`,
    );
  const write = values.write === true;
  const reviewedBy = cleanText(values["reviewed-by"], "--reviewed-by");
  const sourceFlag = cleanText(values.source, "--source");
  const copiedOn = copiedOnOf(values["copied-on"] as string | undefined);
  if (write && reviewedBy === undefined)
    throw new IpsUsageError(
      `--write needs --reviewed-by NAME: the copy records who compared the list with Deltek's page, e.g. ${EXAMPLES["reviewed-by"]}`,
    );
  if (!write) {
    for (const flag of ["reviewed-by", "source", "copied-on"] as const)
      if (values[flag] !== undefined)
        throw new IpsUsageError(`--${flag} is recorded only when writing; add --write (or drop --${flag})`);
  }

  const fromAbs = path.resolve(io.cwd, from);
  let input: string;
  try {
    if (fs.statSync(fromAbs).isDirectory())
      throw new IpsUsageError(`--from ${from}: is a folder; give the saved page or list file`);
    input = fs.readFileSync(fromAbs, "utf8");
  } catch (error) {
    if (error instanceof IpsUsageError) throw error;
    throw new IpsUsageError(`--from ${from}: cannot read the file; give the saved page or list`);
  }
  const extracted = extractConnectRanges(input);
  const shownFrom = path.relative(io.cwd, fromAbs) || from;
  if (extracted.problems.length > 0) {
    io.stderr(
      extracted.problems.map((p) => `${shownFrom}:${p.line}: ${p.message}\n`).join("") +
        `vpconnect ips update: ${plural(extracted.problems.length, "entry", "entries")} of ${shownFrom} cannot go into the copy; nothing was written. Correct ${extracted.problems.length === 1 ? "it" : "them"} in the saved file (or delete the line if it is not one of Connect's addresses) and run again.\n`,
    );
    return 2;
  }
  if (extracted.ranges.length === 0) {
    throw new IpsUsageError(
      `--from ${from}: found no IPv4 or IPv6 address or CIDR (read as ${extracted.html ? "HTML" : "text"}); save the "Exposed IP Addresses" topic itself (HTML or text) or write the addresses one per line`,
    );
  }

  const { copy, file } = currentCopy(io, values.pack as string | undefined);
  const current = copy.problems.length > 0 ? [] : copy.ranges.map((r) => r.text);
  const next = extracted.ranges.map((r) => r.cidr);
  const diff = diffRanges(current, next);
  io.stdout(
    `read ${plural(next.length, "range")} from ${shownFrom} (${extracted.html ? "HTML" : "text"})\n` +
      `current copy: ${copy.problems.length > 0 ? `${copy.file} (unusable: ${copy.problems[0]})` : `${describeCopy(copy)}, ${plural(current.length, "range")}`}\n\n` +
      renderDiff(diff)
        .map((l) => `${l}\n`)
        .join("") +
      `\n${diff.added.length} added, ${diff.removed.length} removed, ${diff.unchanged.length} unchanged.\n`,
  );
  if (extracted.ignored.length > 0)
    io.stdout(
      `Left out (not written), ${plural(extracted.ignored.length, "address-like text", "address-like texts")}:\n` +
        extracted.ignored.map((p) => `  ${shownFrom}:${describeProblem(p)}\n`).join(""),
    );
  const same = diff.added.length === 0 && diff.removed.length === 0;
  if (!write) {
    if (same && !copy.provenance?.placeholder) {
      io.stdout("The copy already holds this list; nothing to do.\n");
      return 0;
    }
    io.stdout(
      `Not written. Review the difference against Deltek's page, then run again with --write --reviewed-by NAME${sourceFlag ? "" : " --source URL"}.\n`,
    );
    return 1;
  }
  const text = renderCopyFile({
    connectIps: next,
    provenance: {
      source: sourceFlag ?? `saved file ${path.basename(fromAbs)}`,
      copiedOn,
      reviewedBy: reviewedBy!,
      note: `Written by vpconnect ips update from ${path.basename(fromAbs)} (${extracted.html ? "HTML" : "text"}).`,
    },
  });
  fs.writeFileSync(file, text);
  io.stdout(
    `Wrote ${path.relative(io.cwd, file) || file}: ${plural(next.length, "range")}. Commit it together with the matching allowList.connectIps of your stacks; vpconnect check fails until they agree.\n`,
  );
  return 0;
}

/** The copy `--pack` (default: the project's policies/) holds, and its file. */
function currentCopy(io: Io, pack: string | undefined): { copy: ConnectIpsCopy; file: string } {
  const dir = pack !== undefined ? path.resolve(io.cwd, pack) : defaultPackDir(io.cwd);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory())
    throw new IpsUsageError(
      `--pack ${pack ?? path.relative(io.cwd, dir)}: no such folder; give the policy pack's folder (the one with PulumiPolicy.yaml), e.g. ${EXAMPLES.pack}`,
    );
  // Only a policy pack folder is read or written: --pack pointing elsewhere (the project root, a stack folder) would
  // drop a connect-ips.json where no pack reads it.
  if (!fs.existsSync(path.join(dir, "PulumiPolicy.yaml")))
    throw new IpsUsageError(
      `--pack ${pack ?? path.relative(io.cwd, dir)}: is not a policy pack folder (no PulumiPolicy.yaml in it); give the pack's folder, e.g. ${EXAMPLES.pack}`,
    );
  const file = path.join(dir, CONNECT_IPS_FILE);
  const copy = readConnectIpsCopy(dir);
  return { copy: { ...copy, file: path.relative(io.cwd, file) || file }, file };
}

/** The policies/ folder of the Pulumi project at or above `cwd` (else `cwd/policies`). */
function defaultPackDir(cwd: string): string {
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "Pulumi.yaml"))) return path.join(dir, "policies");
    if (path.dirname(dir) === dir) return path.join(path.resolve(cwd), "policies");
  }
}

function cleanText(value: unknown, flag: string): string | undefined {
  if (value === undefined) return undefined;
  const text = String(value).trim();
  if (/[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/.test(text))
    throw new IpsUsageError(`${flag}: must be plain text on one line (no control or direction characters)`);
  return text;
}

function copiedOnOf(value: string | undefined): string {
  const today = new Date().toISOString().slice(0, 10);
  if (value === undefined) return today;
  const date = new Date(`${value}T00:00:00Z`);
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(value) ||
    Number.isNaN(date.getTime()) ||
    date.toISOString().slice(0, 10) !== value
  )
    throw new IpsUsageError(`--copied-on ${value}: must be a date YYYY-MM-DD, e.g. --copied-on ${today}`);
  if (value > today)
    throw new IpsUsageError(
      `--copied-on ${value}: is in the future; give the day the page was saved, e.g. --copied-on ${today}`,
    );
  return value;
}

function describeProblem(p: RangeProblem): string {
  return `${p.line}: ${JSON.stringify(p.text)} ${p.message}`;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
