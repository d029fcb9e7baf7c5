#!/usr/bin/env node
// The `vpconnect` launcher: runs cli/main.ts through ts-node with the project's tsconfig (transpile-only
// unless TS_NODE_TRANSPILE_ONLY is set), so no build step is needed. The command's exit code is the process's.
"use strict";
const path = require("node:path");

if (process.env.TS_NODE_TRANSPILE_ONLY === undefined) process.env.TS_NODE_TRANSPILE_ONLY = "1";
const root = path.join(__dirname, "..");
require("ts-node").register({ project: path.join(root, "tsconfig.json") });

const { main } = require(path.join(root, "cli", "main.ts"));
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`vpconnect: ${(error && error.stack) || String(error)}\n`);
    process.exitCode = 2;
  },
);
