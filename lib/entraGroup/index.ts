/** A roster from an Entra ID group: the rules (roster.ts) and the Graph reader (graph.ts). No Pulumi import. */
export * from "./roster";
export * from "./graph";
