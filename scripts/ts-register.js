// Registers ts-node for mocha (.mocharc.json): transpile-only, through SWC's native transpiler when @swc/core is
// installed (a devDependency: about half the CPU of TypeScript's transpileModule per process start), else
// TypeScript's. Only for transpile-only runs: `pulumi preview/up` and `tsc` still type-check (ts-node refuses
// swc with type checking, so the option stays out of tsconfig.json).
"use strict";
let swc = false;
try {
  require.resolve("@swc/core");
  swc = true;
} catch {
  // not installed: TypeScript's transpiler
}
// A test that runs a check several times transpiles each project module once (bin/tsOutputs.js).
require("../bin/tsOutputs").reuseOutputs(require("ts-node").register({ transpileOnly: true, swc }));
