/**
 * ConnectSite's args with nothing wrong and as little as a caller may give (an existing resource group and vault,
 * one public Connect address, verification off): the happy path the exact args suites change one field of.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- args as a JavaScript caller gets them wrong
export type LooseArgs = Record<string, any>;

export const minimalSiteArgs = (more: LooseArgs = {}): LooseArgs => ({
  namePrefix: "vp",
  location: "westeurope",
  resourceGroup: { name: "rg-vp", create: false },
  publicHostname: "vantagepoint.example.com",
  backend: { address: "10.60.2.4" },
  tls: { keyVault: { name: "kv-vp-dev" }, certificateName: "vantagepoint-tls" },
  allowList: { connectIps: ["20.1.2.3"] },
  verification: { mode: "off" },
  ...more,
});
