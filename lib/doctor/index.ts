/** `vpconnect doctor`: read-only checks of P3..P6 on a live Vantagepoint. Pure logic; no Pulumi import. */
export * from "./model";
export * from "./checks";
export * from "./collect";
export * from "./render";
