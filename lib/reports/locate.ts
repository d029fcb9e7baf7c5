/**
 * Finds the line of a stack-config key in a stack file, for SARIF regions and readable pointers (pure).
 * `vpconnect:allowList.connectIps[1]` -> the line of that list item; falls back to the deepest key found.
 * Also where the working directory sits in its repository (`repoBaseOf`, reads the file system).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from "yaml";
import type { Node } from "yaml";

/** 1-based line of `key` (a full key path) under `config:`; undefined when not even the top key is there. */
export function findKeyLine(text: string, key: string): number | undefined {
  const lineCounter = new LineCounter();
  let document;
  try {
    document = parseDocument(text, { lineCounter, keepSourceTokens: false });
  } catch {
    return undefined;
  }
  const root = document.contents;
  if (!isMap(root)) return undefined;
  const configPair = root.items.find((p) => isScalar(p.key) && p.key.value === "config");
  if (!configPair || !isMap(configPair.value)) return undefined;

  const colon = key.indexOf(":");
  const rest = colon >= 0 ? key.slice(colon + 1) : key;
  const ns = colon >= 0 ? key.slice(0, colon) : "";
  const [section = "", ...pathRest] = splitKey(rest);
  const topName = ns ? `${ns}:${section}` : section;

  const line = (node: { range?: [number, number, number] | null } | null | undefined) =>
    node?.range ? lineCounter.linePos(node.range[0]).line : undefined;

  const top = configPair.value.items.find((p) => isScalar(p.key) && p.key.value === topName);
  if (!top) return undefined;
  let found = line(top.key as Node);
  let node: unknown = top.value;
  for (const part of pathRest) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === part);
      if (!pair) break;
      found = line(pair.key as Node) ?? found;
      node = pair.value;
    } else if (isSeq(node) && /^\d+$/.test(part)) {
      const item = node.items[Number(part)] as Node | undefined;
      if (!item) break;
      found = line(item) ?? found;
      node = item;
    } else {
      break;
    }
  }
  return found;
}

function splitKey(path: string): string[] {
  const parts: string[] = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) parts.push(m[1] ?? m[2]!);
  return parts;
}

/**
 * `repoBase` for a report (check's and the doctor's): `cwd` relative to the nearest folder above it holding
 * `.git`, "/"-separated; none outside a repository.
 */
export function repoBaseOf(cwd: string): { repoBase?: string } {
  let dir = path.resolve(cwd);
  for (;;) {
    if (fs.existsSync(path.join(dir, ".git")))
      return { repoBase: path.relative(dir, path.resolve(cwd)).split(path.sep).join("/") };
    const up = path.dirname(dir);
    if (up === dir) return {};
    dir = up;
  }
}
