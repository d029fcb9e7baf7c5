/**
 * Runs the Pulumi program (index.ts) under the project's mock harness with the config the engine would hand it
 * for a stack file: `ns:key` -> JSON text, secure leaves decrypted (to stand-in plaintext), keys holding a secure
 * leaf marked secret. VPCONNECT_STACK_FILE points the program's plaintext-secret check at the same file.
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { Harness } from "../../support/pulumiMocks";

const ROOT = path.resolve(__dirname, "../../..");

/** The plaintext the engine would decrypt each `{ secure: ... }` leaf to (by key path). */
export function decryptedStandIn(keyPath: string): string {
  if (/\.pfx$/.test(keyPath)) {
    // The config check reads a PFX as base64 of a DER SEQUENCE ("MII..."): the stand-in must look like one.
    const body = `MIIDecryptedStandin${keyPath.replace(/[^A-Za-z0-9]+/g, "")}7d41`;
    return body.padEnd(Math.ceil(body.length / 4) * 4, "A");
  }
  return `Decrypted-Standin-${keyPath.replace(/[^A-Za-z0-9]+/g, "-")}-7d41`;
}

/** Stack file config to engine config. */
export function engineConfigFor(raw: Readonly<Record<string, unknown>>): {
  config: Record<string, string>;
  secretKeys: string[];
} {
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [key, value] of Object.entries(raw)) {
    let secret = false;
    const decrypt = (v: unknown, at: string): unknown => {
      if (v !== null && typeof v === "object" && !Array.isArray(v)) {
        const o = v as Record<string, unknown>;
        if (Object.keys(o).length === 1 && typeof o.secure === "string") {
          secret = true;
          return decryptedStandIn(at);
        }
        return Object.fromEntries(Object.entries(o).map(([k, c]) => [k, decrypt(c, `${at}.${k}`)]));
      }
      if (Array.isArray(v)) return v.map((c, i) => decrypt(c, `${at}[${i}]`));
      return v;
    };
    const plain = decrypt(value, key);
    config[key] = typeof plain === "string" ? plain : JSON.stringify(plain);
    if (secret) secretKeys.push(key);
  }
  return { config, secretKeys };
}

/**
 * Requires index.ts afresh with this config; returns what it threw (undefined when it ran) once every
 * registration settled. The harness records what was registered.
 */
export async function runProgramUnderMocks(
  harness: Harness,
  engine: { config: Record<string, string>; secretKeys: string[] },
  stackFile: string,
): Promise<unknown> {
  const saved = process.env.VPCONNECT_STACK_FILE;
  process.env.VPCONNECT_STACK_FILE = stackFile;
  pulumi.runtime.setAllConfig(engine.config, engine.secretKeys);
  const entry = require.resolve(path.join(ROOT, "index.ts"));
  delete require.cache[entry];
  let thrown: unknown;
  try {
    require(entry);
  } catch (error) {
    thrown = error;
  } finally {
    if (saved === undefined) delete process.env.VPCONNECT_STACK_FILE;
    else process.env.VPCONNECT_STACK_FILE = saved;
  }
  await harness.settle();
  return thrown;
}

/** Resources the program registered (the engine's root stack resource is not one of the program's). */
export function registered(harness: Harness): string[] {
  return harness.resources.filter((r) => r.type !== "pulumi:pulumi:Stack").map((r) => `${r.type} ${r.name}`);
}
