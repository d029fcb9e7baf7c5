// The same package used wrongly, the way a person gets it wrong: the type check must refuse it.
import { ConnectAllowList } from "vantagepoint-connect";

new ConnectAllowList("allow", {
  connectIps: ["203.0.113.0/24"],
  resourceGroupName: "rg",
  location: "westeurope",
  enforceAt: "everywhere",
});
