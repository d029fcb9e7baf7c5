/** The Vantagepoint side, pure: REST client, errors, roster logic and roster files. No Pulumi import. */
export * from "./types";
export * from "./identifiers";
export * from "./errors";
export * from "./client";
export * from "./paging";
export * from "./unknownOutcome";
export * from "./roster";
export * from "./rosterSync";
export * from "./removalBrake";
export * from "./rosterShards";
export * from "./rosterFile";
export * from "./apiClient";
export * from "./adminRole";
export * from "./roleModel";
export * from "./connection";
export * from "./rosterText";
export * from "./rosterChanges";
