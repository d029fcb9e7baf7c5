// `npm run schema`: writes schema.json, the component package's schema as the SDK's component provider host
// infers it from components/ (the same analyzer `pulumi package add` runs). schema.test.ts checks it is current.
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { ComponentProvider, getPulumiComponents } from "@pulumi/pulumi/provider/experimental";
import { SCHEMA_FILE } from "./schemaFile";

const root = path.resolve(__dirname, "../..");
const manifest = require(path.join(root, "package.json")) as { name: string };
const components = getPulumiComponents(require(path.join(root, "components")));
const provider = new ComponentProvider({ components, name: manifest.name, dirname: root });
provider.getSchema().then(
  (text) => writeFileSync(SCHEMA_FILE, `${JSON.stringify(JSON.parse(text), null, 2)}\n`),
  (error: Error) => {
    process.stderr.write(`schema: ${error.message}\n`);
    process.exitCode = 1;
  },
);
