/**
 * The stack config schema: every key under the `vpconnect` namespace, with defaults and the checks that need
 * more than one field. Pure (zod only). Loading, error wording and secret handling live in ./load.ts.
 */
export * from "../values/fields";
export * from "./sections";
export { crossChecks } from "./crossChecks";
