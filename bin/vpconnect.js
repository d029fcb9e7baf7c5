#!/usr/bin/env node
// The `vpconnect` launcher. In a checkout of this repository it runs cli/main.ts through ts-node (no build step);
// installed from the npm package it runs the compiled dist/cli/main.js. `vpconnect check` loads the Pulumi
// program and policy packs it checks, which are usually TypeScript: it uses the ts-node (and typescript) the
// checked project has, the way `pulumi` does, and says what to install when there is none.
// The command's exit code is the process's.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const root = path.join(__dirname, "..");
const fromSource = fs.existsSync(path.join(root, "cli", "main.ts"));
if (process.env.TS_NODE_TRANSPILE_ONLY === undefined) process.env.TS_NODE_TRANSPILE_ONLY = "1";

/** ts-node's entry as seen from the checked project (the working folder), then from this package. */
function findTsNode() {
  for (const from of [process.cwd(), root]) {
    try {
      return require.resolve("ts-node", { paths: [from] });
    } catch {
      // not installed there
    }
  }
  return undefined;
}

/** SWC's transpiler when @swc/core is installed and the run is transpile-only (about half the CPU per start). */
function swcAvailable(from) {
  if (process.env.TS_NODE_TRANSPILE_ONLY === "0") return false;
  try {
    require.resolve("@swc/core", { paths: [from] });
    return true;
  } catch {
    return false;
  }
}

const { reuseOutputs, cacheSwcOutputs } = require("./tsOutputs");
const { deferUnusedPulumiModules } = require("./deferModules");

const tsNode = findTsNode();
if (fromSource) {
  if (swcAvailable(root))
    cacheSwcOutputs(
      require.resolve("@swc/core", { paths: [root] }),
      path.join(root, "node_modules", ".cache", "vpconnect-swc"),
    );
  reuseOutputs(
    require(tsNode || "ts-node").register({
      project: path.join(root, "tsconfig.json"),
      swc: swcAvailable(root),
    }),
  );
} else if (tsNode) {
  reuseOutputs(require(tsNode).register({ transpileOnly: process.env.TS_NODE_TRANSPILE_ONLY !== "0" }));
} else {
  // No TypeScript loader: a .ts program or pack fails with what to do, not with a syntax error.
  require.extensions[".ts"] = (_module, filename) => {
    const error = new Error(
      `${path.relative(process.cwd(), filename) || filename} is TypeScript and no ts-node is installed; run npm install --save-dev ts-node typescript (as any TypeScript Pulumi project has)`,
    );
    error.code = "VPCONNECT_NO_TS_NODE";
    throw error;
  };
}

// Before anything loads @pulumi/pulumi (the program's copy, then this package's).
deferUnusedPulumiModules(process.cwd());
deferUnusedPulumiModules(root);

const { main } = require(
  fromSource ? path.join(root, "cli", "main.ts") : path.join(root, "dist", "cli", "main.js"),
);
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`vpconnect: ${(error && error.stack) || String(error)}\n`);
    process.exitCode = 2;
  },
);
