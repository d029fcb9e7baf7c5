// Shared by bin/vpconnect.js and bin/pluginPreload.js: modules @pulumi/pulumi loads eagerly that a check never
// uses, loaded on first use.
"use strict";
const Module = require("node:module");

/**
 * Puts `standIn(load)` in require.cache for `file` (when it is not loaded yet): `load()` requires the real module
 * the first time it is called (and from then on require() gives the real one). Any problem leaves the ordinary
 * require in place.
 */
function deferFile(file, standIn) {
  if (require.cache[file]) return;
  let real;
  let cached;
  const load = () => {
    if (!real) {
      if (require.cache[file] === cached) delete require.cache[file];
      real = require(file);
    }
    return real;
  };
  cached = new Module(file);
  cached.filename = file;
  cached.loaded = true;
  cached.exports = standIn(load);
  require.cache[file] = cached;
}

/** `request` as @pulumi/pulumi (resolved from `from`) resolves it; undefined when either is not installed. */
function resolveForPulumi(from, request) {
  try {
    const pulumi = require.resolve("@pulumi/pulumi", { paths: [from] });
    return require.resolve(request, { paths: [pulumi] });
  } catch {
    return undefined;
  }
}

/**
 * @pulumi/pulumi's runtime/closure/codePaths.js requires @npmcli/arborist (and through it pacote, npm-registry
 * fetch...) when the SDK loads, for one call: `new arborist.Arborist(...)` when a closure's package dependencies
 * are computed (CallbackFunction code paths), which a check never does. Loading it costs about 0.19 s of CPU per
 * process (measured, Node 20). The stand-in's Arborist loads the real package on first use, so nothing changes
 * for a caller that does use it.
 */
function deferArborist(from) {
  const file = resolveForPulumi(from, "@npmcli/arborist");
  if (file === undefined) return;
  // codePaths.js copies the module's own properties (its __importStar) and constructs `Arborist` only.
  deferFile(file, (load) => ({
    Arborist: function Arborist(...args) {
      return new (load().Arborist)(...args);
    },
  }));
}

/**
 * codePaths.js also requires normalize-package-data (and through it spdx-correct, spdx-expression-parse,
 * hosted-git-info, semver: about a third of the SDK's load time, measured) for the same computation, calling it
 * as a function (`normalize_package_data_1.default(data)`). The stand-in is a function that loads the real one
 * when called, or when any of its properties is read.
 */
function deferNormalizePackageData(from) {
  const file = resolveForPulumi(from, "normalize-package-data");
  if (file === undefined) return;
  deferFile(file, (load) => {
    const target = function normalize() {};
    return new Proxy(target, {
      apply: (_t, self, args) => load().apply(self, args),
      // Not an ES module (its importer's __importDefault asks): answered without loading it.
      get: (t, key) => (key === "__esModule" ? undefined : key === "prototype" ? t.prototype : load()[key]),
    });
  });
}

/**
 * @pulumi/pulumi's index.js loads its Automation API (`pulumi.automation`: LocalWorkspace, execa, js-yaml, tmp,
 * tail-file...) with the SDK; a program run, a policy pack or a provider host never uses it. The stand-in is the
 * module object whose every property read (or key listing) loads the real module, marked as an ES module without
 * loading it (the SDK's __importStar keeps it as it is).
 */
function deferAutomation(from) {
  const file = resolveForPulumi(from, "@pulumi/pulumi/automation");
  if (file === undefined) return;
  deferFile(file, (load) => {
    const descriptor = (key) => {
      const d = Object.getOwnPropertyDescriptor(load(), key);
      return d && { ...d, configurable: true };
    };
    return new Proxy(
      {},
      {
        get: (_t, key) => (key === "__esModule" ? true : load()[key]),
        has: (_t, key) => key in load(),
        ownKeys: () => Reflect.ownKeys(load()),
        getOwnPropertyDescriptor: (_t, key) => descriptor(key),
        set: (_t, key, value) => Reflect.set(load(), key, value),
        defineProperty: (_t, key, d) => Reflect.defineProperty(load(), key, d),
        deleteProperty: (_t, key) => Reflect.deleteProperty(load(), key),
      },
    );
  });
}

/** Every deferral above, for the @pulumi/pulumi that `from` resolves (before anything loads it). */
function deferUnusedPulumiModules(from) {
  deferArborist(from);
  deferNormalizePackageData(from);
  deferAutomation(from);
}

module.exports = { deferArborist, deferAutomation, deferNormalizePackageData, deferUnusedPulumiModules };
