/** Every `vpconnect:<section>` key of the stack config, the whole schema and the types read from it. Pure (zod only). */
import { z } from "zod";
import { entraSchema, policySchema, rosterSchema, vantagepointSchema } from "./peopleSections";
import { allowListSchema, azureSchema, siteSchema, tlsSchema } from "./siteSections";

/** Every `vpconnect:<section>` key. */
export const sections = {
  site: siteSchema,
  azure: azureSchema,
  tls: tlsSchema,
  allowList: allowListSchema,
  entra: entraSchema,
  vantagepoint: vantagepointSchema,
  roster: rosterSchema,
  policy: policySchema.default({
    maxSecretLifetimeDays: 730,
    allowEws: false,
    forbiddenInternetPorts: [22, 3389, 1433, 5985, 5986],
  }),
} as const;

export type SectionName = keyof typeof sections;
export const SECTION_NAMES = Object.keys(sections) as SectionName[];
export const SECRET_PATHS = [
  "tls.pfx",
  "vantagepoint.password",
  "vantagepoint.clientSecret",
  "vantagepoint.connectApiClient.clientSecret",
  "roster.group.graph.clientSecret",
];

export const stackConfigSchema = z.strictObject(sections);

export type StackConfig = z.output<typeof stackConfigSchema>;
export type Sections = { [K in SectionName]?: z.output<(typeof sections)[K]> };
