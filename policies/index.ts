// The pack's entry point: the only place a PolicyPack is constructed (it starts the engine's gRPC server).
// Run it with `pulumi preview --policy-pack policies [--policy-pack-config policies/config.example.json]`.
import { PolicyPack } from "@pulumi/policy";
import { packName, policies } from "./all";

new PolicyPack(packName, {
  description:
    "Enforces every prerequisite of Deltek Vantagepoint Connect (P1-P8) and the Azure baseline around it.",
  displayName: "Vantagepoint Connect",
  provider: "azure",
  tags: ["vantagepoint", "connect", "azure", "entra"],
  policies,
});
