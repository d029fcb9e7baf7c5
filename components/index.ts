/**
 * The components, one per file, for programs of one's own (TypeScript and JavaScript) and for the component
 * provider (PulumiPlugin.yaml) that serves them to every other Pulumi language.
 */
export * from "./connectSite";
export * from "./publicEndpoint";
export * from "./connectAllowList";
export * from "./connectKeyVault";
export * from "./vantagepointLoginApp";
export * from "./connectMailboxApp";
export * from "./siteVerification";
export * from "./vantagepoint";
