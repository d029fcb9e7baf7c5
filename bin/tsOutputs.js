// Shared by bin/vpconnect.js and scripts/ts-register.js (mocha): ts-node's transpiled output reused per file.
"use strict";

/**
 * `check --all` runs the program once per site, and each run requires the project's modules afresh
 * (evaluator/program.ts clearProjectModules): the same sources would be transpiled again for every site. This keeps
 * each file's last output and hands it back while the file's text is the same (ts-node's source-map cache still
 * holds that output, so stack traces stay mapped); any change in the text transpiles again. Transpile-only runs only.
 */
function reuseOutputs(service) {
  // With type checking on, a file must be checked again when what it imports changed: no reuse.
  if (process.env.TS_NODE_TRANSPILE_ONLY === "0") return;
  if (!service || typeof service.compile !== "function") return;
  const compile = service.compile.bind(service);
  const last = new Map();
  service.compile = (code, fileName, lineOffset) => {
    const seen = last.get(fileName);
    if (seen && seen.code === code && lineOffset === undefined) return seen.output;
    const output = compile(code, fileName, lineOffset);
    if (lineOffset === undefined) last.set(fileName, { code, output });
    return output;
  };
}

/**
 * Every `vpconnect check` process transpiles the same TypeScript (the CLI, the evaluator, the program and its
 * library): about 0.75 s of SWC per start, measured. This keeps SWC's answers on disk (node_modules/.cache, where
 * build tools keep theirs), keyed by a hash of the source text, the transpiler options (file name included) and
 * SWC's version, so a changed file, option or SWC is transpiled again. ts-node still builds its output and source
 * map from the answer, so stack traces stay mapped. Writes are atomic (a temporary file renamed), so concurrent
 * processes (`check --all --jobs N`) never read half a file; an unreadable or unwritable cache only costs the
 * transpile. Off with VPCONNECT_TS_CACHE=0.
 */
function cacheSwcOutputs(swcModulePath, cacheDir) {
  if (process.env.VPCONNECT_TS_CACHE === "0") return;
  const fs = require("node:fs");
  const path = require("node:path");
  const { createHash } = require("node:crypto");
  let swc;
  let version;
  try {
    swc = require(swcModulePath);
    version = require(path.join(path.dirname(swcModulePath), "package.json")).version;
  } catch {
    return;
  }
  if (typeof swc.transformSync !== "function" || swc.transformSync.vpconnectCached) return;
  const transform = swc.transformSync.bind(swc);
  const cached = (input, options) => {
    if (typeof input !== "string") return transform(input, options);
    const key = createHash("sha256")
      .update(`${version}\0${JSON.stringify(options)}\0`)
      .update(input)
      .digest("hex");
    const file = path.join(cacheDir, key.slice(0, 2), `${key}.json`);
    try {
      const hit = JSON.parse(fs.readFileSync(file, "utf8"));
      if (typeof hit.code === "string") return hit;
    } catch {
      // not cached yet (or unreadable): transpile
    }
    const output = transform(input, options);
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify({ code: output.code, map: output.map }));
      fs.renameSync(tmp, file);
    } catch {
      // a read-only install: no cache
    }
    return output;
  };
  cached.vpconnectCached = true;
  swc.transformSync = cached;
}

module.exports = { reuseOutputs, cacheSwcOutputs };
