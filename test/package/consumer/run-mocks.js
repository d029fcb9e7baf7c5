// Runs the compiled consumer program under Pulumi mocks; writes what was registered to the file argv[2].
"use strict";
const fs = require("node:fs");
const pulumi = require("@pulumi/pulumi");

const resources = [];
pulumi.runtime.setMocks(
  {
    newResource(args) {
      resources.push({ type: args.type, name: args.name, inputs: args.inputs });
      const extra = args.type === "azure-native:network:PublicIPAddress" ? { ipAddress: "20.0.0.1" } : {};
      const id =
        args.type === "azure-native:keyvault:Vault"
          ? `/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/${args.inputs.resourceGroupName}/providers/Microsoft.KeyVault/vaults/${args.inputs.vaultName}`
          : `${args.name}-id`;
      return { id: args.custom ? id : undefined, state: { ...args.inputs, ...extra } };
    },
    call(args) {
      if (args.token === "azure-native:authorization:getClientConfig")
        return { subscriptionId: "00000000-0000-0000-0000-000000000001", tenantId: "t" };
      if (args.token === "azuread:index/getClientConfig:getClientConfig") return { tenantId: "t" };
      // An existing vault, answered as README "Unit tests with plain mocks" documents.
      if (args.token === "azure-native:keyvault:getVault")
        return {
          id: `/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/${args.inputs.resourceGroupName}/providers/Microsoft.KeyVault/vaults/${args.inputs.vaultName}`,
          name: args.inputs.vaultName,
          properties: {
            vaultUri: `https://${args.inputs.vaultName}.vault.azure.net/`,
            enableRbacAuthorization: true,
          },
        };
      return {};
    },
  },
  "consumer",
  "dev",
  false,
);

const program = require(process.argv[3] ?? "./bin/index.js");
const value = (output) =>
  output ? new Promise((resolve) => output.apply(resolve)) : Promise.resolve(undefined);
(async () => {
  const publicUrl = await value(program.publicUrl);
  const allowedRanges = await value(program.allowedRanges);
  for (let i = 0; i < 50; i++) await new Promise((r) => setTimeout(r, 10));
  fs.writeFileSync(process.argv[2], JSON.stringify({ publicUrl, allowedRanges, resources }));
})();
