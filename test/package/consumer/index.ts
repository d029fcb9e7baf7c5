// A platform team's own Pulumi program using the installed package (type-checked and run by tarball.test.ts).
import * as pulumi from "@pulumi/pulumi";
import { AllowListEnforcement, ConnectApiClient, ConnectRoster, ConnectSite } from "vantagepoint-connect";
import { parseRange } from "vantagepoint-connect/lib/allowList";
import { emailProblem } from "vantagepoint-connect/lib/people";
import type { Emulator } from "vantagepoint-connect/emulator";

const office = parseRange("198.51.100.0/24");
if ("error" in office) throw new Error(office.error);
const configurer = "k.smith@contoso.example";
if (emailProblem(configurer)) throw new Error(`bad email: ${configurer}`);

const connection = pulumi.secret({
  url: "https://vp.contoso.example/vantagepoint/api",
  database: "VP",
  username: "api",
  password: "consumer-sentinel-password",
  clientId: "client",
  clientSecret: "consumer-sentinel-secret",
});

const site = new ConnectSite("site", {
  namePrefix: "vp-consumer",
  location: "westeurope",
  resourceGroup: { name: "rg-vp-consumer" },
  publicHostname: "vp.contoso.example",
  network: {
    existingVirtualNetwork: { name: "vnet-hub", resourceGroupName: "rg-network" },
    gatewaySubnetPrefix: "10.9.4.0/24",
  },
  backend: { address: "10.1.2.3" },
  tls: {
    keyVault: { name: "kv-vp-consumer", resourceGroupName: "rg-security" },
    certificateName: "vp-contoso-example",
  },
  allowList: {
    connectIps: ["203.0.113.0/24"],
    extraRanges: [office.cidr],
    enforceAt: AllowListEnforcement.Both,
  },
  loginApp: { secretRotatedOn: new Date().toISOString().slice(0, 10) },
  vantagepoint: {
    connection,
    roster: [{ userId: "KSMITH", email: configurer, firstName: "Kim", lastName: "Smith", configurer: true }],
  },
});

// The parts alone, against another site that has no Azure resources here.
new ConnectRoster("other-roster", {
  connection,
  entries: [{ userId: "LBROWN", email: "l.brown@contoso.example", firstName: "Lee", lastName: "Brown" }],
});
new ConnectApiClient("other-client", { connection });

export const publicUrl = site.publicUrl;
export const allowedRanges = site.allowedRanges;
export type { Emulator };
