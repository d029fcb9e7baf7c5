/** The Vantagepoint dynamic resources. */
export * from "./connectRoster";
export * from "./connectAdminRole";
export * from "./connectApiClient";
export * from "./connectRosterBrake";
export type { VantagepointConnectionArgs } from "./common";
