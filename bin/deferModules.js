// Shared by bin/vpconnect.js: modules @pulumi/pulumi loads eagerly that a check never uses, loaded on first use.
"use strict";
const Module = require("node:module");

/**
 * @pulumi/pulumi's runtime/closure/codePaths.js requires @npmcli/arborist (and through it pacote, npm-registry
 * fetch...) when the SDK loads, for one call: `new arborist.Arborist(...)` when a closure's package dependencies
 * are computed (CallbackFunction code paths), which a check never does. Loading it costs about 0.19 s of CPU per
 * process (measured, Node 20). This puts a stand-in in require.cache whose Arborist loads the real package on
 * first use, so nothing changes for a caller that does use it. Only when @pulumi/pulumi resolves it and it is not
 * loaded yet; any problem leaves the ordinary require in place.
 */
function deferArborist(from) {
  try {
    const pulumi = require.resolve("@pulumi/pulumi", { paths: [from] });
    const file = require.resolve("@npmcli/arborist", { paths: [pulumi] });
    if (require.cache[file]) return;
    let real;
    const load = () => {
      if (!real) {
        delete require.cache[file];
        real = require(file);
      }
      return real;
    };
    const standIn = new Module(file);
    standIn.filename = file;
    standIn.loaded = true;
    // codePaths.js copies the module's own properties (its __importStar) and constructs `Arborist` only.
    standIn.exports = {
      Arborist: function Arborist(...args) {
        return new (load().Arborist)(...args);
      },
    };
    require.cache[file] = standIn;
  } catch {
    // not installed there: nothing to defer
  }
}

module.exports = { deferArborist };
