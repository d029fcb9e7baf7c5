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

module.exports = { reuseOutputs };
