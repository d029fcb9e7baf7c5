/**
 * Rules for files a config or a flag names, pure (node:path only, so the standalone policy pack can use them):
 * a path stays inside its folder, a JSON syntax error is described without repeating any of the file's text
 * (a path that reached /etc/passwd must not print its first bytes), and a key written twice in a JSON object
 * is found (JSON.parse, and Go's encoding/json the Pulumi CLI reads --policy-pack-config with, keep only the last).
 */
import * as path from "node:path";

/**
 * Why `relative` does not name a file inside `folder` (what the message calls the folder, e.g. "the policy pack
 * folder"), judged from the text: absolute paths, drive letters, UNC paths, `~`, or `..` climbing out. `example` is
 * a path that passes. Symbolic links are the reader's job (realpath), this is the lexical rule.
 */
export function insideFolderProblem(relative: string, folder: string, example: string): string | undefined {
  const shown = JSON.stringify(relative);
  if (relative.trim() === "") return `is empty; give a file inside ${folder}, e.g. ${example}`;
  if (
    path.posix.isAbsolute(relative) ||
    path.win32.isAbsolute(relative) ||
    /^[a-z]:/i.test(relative) ||
    relative.startsWith("~")
  )
    return `${shown} is an absolute path; give a path inside ${folder}, e.g. ${example}`;
  const normal = path.posix.normalize(relative.replace(/\\/g, "/"));
  if (normal === ".." || normal.startsWith("../"))
    return `${shown} leaves ${folder}; give a path inside it, e.g. ${example}`;
  return undefined;
}

/** True when `target` (absolute, symbolic links resolved) is `folder` or inside it. */
export function isInside(folder: string, target: string): boolean {
  const rel = path.relative(folder, target);
  return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
}

/**
 * A JSON.parse failure described by place and kind only, never with the file's text: V8's messages quote the
 * start of the input (`Unexpected token 'r', "root:x:0:0"... is not valid JSON`), which would echo whatever file
 * a path reached. Line and column come from V8's "at position N" when it gives one.
 */
export function jsonSyntaxProblem(error: unknown, text: string): string {
  const message = error instanceof Error ? error.message : String(error);
  const at = /at position (\d+)/.exec(message);
  if (at) {
    const offset = Number(at[1]);
    const before = text.slice(0, offset);
    const line = before.split("\n").length;
    const column = offset - before.lastIndexOf("\n");
    const kind = message
      .replace(/\s*in JSON at position \d+.*$/s, "")
      .replace(/\s*\(line \d+ column \d+\)$/, "")
      .replace(/[^\x20-\x7e]/g, "");
    return `not valid JSON at line ${line}, column ${column} (${kind})`;
  }
  if (/Unexpected end of JSON input/i.test(message))
    return "not valid JSON (it ends too early: a bracket or quote is not closed)";
  const first = /\S/.exec(text)?.[0];
  if (first !== undefined && first !== "{" && first !== "[" && first !== '"' && !/[-\d tfn]/.test(first))
    return "not valid JSON (it does not start like JSON: is it the right file?)";
  return "not valid JSON (an unexpected character: check quotes, commas and brackets)";
}

/** A key written more than once in one JSON object of `text` (already known to parse), with both lines. */
export interface DuplicateJsonKey {
  key: string;
  /** Dotted path of the object holding it ("" for the top level). */
  at: string;
  firstLine: number;
  line: number;
}

/** Every key written twice in one object of `text` (valid JSON), in order. A small scanner: strings, nesting, lines. */
export function duplicateJsonKeys(text: string): DuplicateJsonKey[] {
  const out: DuplicateJsonKey[] = [];
  /** Per open container: for objects, the keys seen (with their line) and whether a key is expected next. */
  const stack: Array<{
    object: boolean;
    keys: Map<string, number>;
    expectKey: boolean;
    path: string;
    lastKey?: string;
  }> = [];
  let line = 1;
  let i = 0;
  const readString = (): string => {
    let value = "";
    i++; // opening quote
    while (i < text.length && text[i] !== '"') {
      if (text[i] === "\\") {
        value += text.slice(i, i + 2);
        i += 2;
        continue;
      }
      if (text[i] === "\n") line++;
      value += text[i];
      i++;
    }
    i++; // closing quote
    try {
      return JSON.parse(`"${value}"`) as string;
    } catch {
      return value;
    }
  };
  while (i < text.length) {
    const c = text[i]!;
    if (c === "\n") {
      line++;
      i++;
      continue;
    }
    const top = stack[stack.length - 1];
    if (c === '"') {
      const startLine = line;
      const value = readString();
      if (top?.object && top.expectKey) {
        const seen = top.keys.get(value);
        if (seen !== undefined) out.push({ key: value, at: top.path, firstLine: seen, line: startLine });
        else top.keys.set(value, startLine);
        top.expectKey = false;
        top.lastKey = value;
      }
      continue;
    }
    if (c === "{" || c === "[") {
      const parentPath = top
        ? top.object
          ? [top.path, top.lastKey ?? ""].filter(Boolean).join(".")
          : top.path
        : "";
      stack.push({ object: c === "{", keys: new Map(), expectKey: c === "{", path: parentPath });
    } else if (c === "}" || c === "]") stack.pop();
    else if (c === "," && top?.object) top.expectKey = true;
    i++;
  }
  return out;
}
