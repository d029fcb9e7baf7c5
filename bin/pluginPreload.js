// Preloaded (`node -r`) into the Pulumi plugin processes a check starts: the policy packs' analyzers
// (@pulumi/pulumi/cmd/run-policy-pack, evaluator/analyzer.ts) and the dynamic provider host
// (@pulumi/pulumi/cmd/dynamic-provider, evaluator/grpc/dynamicProviderHost.ts). Both load all of @pulumi/pulumi,
// whose runtime/closure/codePaths.js requires @npmcli/arborist (and through it pacote, tar, sigstore, semver...)
// and normalize-package-data for a computation neither process makes (a closure's package dependencies), and
// whose index.js loads the Automation API (execa, js-yaml...), which neither uses. Measured: about 0.3 s of CPU
// per process for arborist alone. They are loaded on first use instead (bin/deferModules.js); the processes are
// otherwise Pulumi's own, started as the engine starts them.
"use strict";
require("./deferModules").deferUnusedPulumiModules(process.cwd());
