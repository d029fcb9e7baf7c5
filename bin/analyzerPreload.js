// Preloaded (`node -r`) into a policy pack's analyzer process that `vpconnect check --all` keeps for a whole fleet
// run (evaluator/sharedAnalyzers.ts); the single-stack check never loads it. The process is still Pulumi's own
// run-policy-pack. What the analyzer protocol does not carry per stack is the environment the engine starts a
// pack with (PULUMI_CONFIG, PULUMI_CONFIG_SECRET_KEYS, PULUMI_(NODEJS_)PROJECT/STACK/DRY_RUN:
// sdk/go/common/resource/plugin/analyzer_plugin.go constructEnv), which @pulumi/pulumi reads into its store once
// (runtime/state.js LocalStore). Before each stack the checker sends that environment over the IPC channel; this
// sets it in process.env and resets the pack's @pulumi/pulumi store from it the way a fresh process would read
// it (runtime/settings.js resetOptions, runtime/config.js setAllConfig), so pulumi.getStack() and
// new pulumi.Config() in a policy see the stack being checked. It answers when done.
"use strict";
const path = require("node:path");

/** The pack's own @pulumi/pulumi runtime (resolved from the pack's folder, as run-policy-pack was). */
function packRuntime() {
  return require(require.resolve("@pulumi/pulumi/runtime", { paths: [path.resolve(process.cwd())] }));
}

/** Sets `env` (undefined removes) and resets the runtime's options and config from it. */
function useStack(env) {
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined || value === null) delete process.env[key];
    else process.env[key] = String(value);
  }
  const runtime = packRuntime();
  const e = process.env;
  // The values a fresh process's store takes from its environment (runtime/state.js LocalStore constructor).
  runtime.resetOptions(
    e.PULUMI_NODEJS_PROJECT || "project",
    e.PULUMI_NODEJS_STACK || "stack",
    undefined,
    e.PULUMI_NODEJS_ENGINE,
    e.PULUMI_NODEJS_MONITOR,
    e.PULUMI_NODEJS_DRY_RUN === "true",
    e.PULUMI_NODEJS_ORGANIZATION,
  );
  runtime.setAllConfig(
    e.PULUMI_CONFIG ? JSON.parse(e.PULUMI_CONFIG) : {},
    e.PULUMI_CONFIG_SECRET_KEYS ? JSON.parse(e.PULUMI_CONFIG_SECRET_KEYS) : [],
  );
}

// @pulumi/pulumi's unused modules, loaded on first use only, as in every analyzer (bin/pluginPreload.js).
require("./pluginPreload");

if (typeof process.send === "function") {
  process.on("message", (message) => {
    if (!message || message.type !== "vpconnect:use-stack") return;
    let error;
    try {
      useStack(message.env || {});
    } catch (e) {
      error = (e && e.message) || String(e);
    }
    process.send({ type: "vpconnect:stack-used", id: message.id, ...(error ? { error } : {}) });
  });
  // The IPC channel must not keep a pack alive that would otherwise end (the gRPC server keeps it serving).
  if (process.channel && typeof process.channel.unref === "function") process.channel.unref();
  // The checker that kept this analyzer for its fleet is gone (it crashed or was killed): so is its fleet run.
  process.on("disconnect", () => process.exit(0));
}

module.exports = { useStack };
