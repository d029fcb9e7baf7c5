/**
 * The end of a program run: awaiting the program's exported stack outputs (plain, masked and as the engine sends
 * them) and waiting until no registration or invoke is pending. Used by program.ts.
 */
import * as pulumi from "@pulumi/pulumi";
import { SECRET_MARKER } from "../lib/reports/model";
import { waitForRPCs } from "./mockRuntime";
import { SIG, toPlain, UNKNOWN } from "./plain";
import { collectAll } from "./programSecrets";

/** Awaits the program's exported outputs (every export; secret ones masked). */
export async function resolveOutputs(
  exported: unknown,
  secrets: Set<string>,
  errors: unknown[],
  failure: Promise<void>,
): Promise<{
  masked: Record<string, unknown>;
  plain: Record<string, unknown>;
  engine: Record<string, unknown>;
}> {
  const out: Record<string, unknown> = {};
  const plainOut: Record<string, unknown> = {};
  const engineOut: Record<string, unknown> = {};
  const result = { masked: out, plain: plainOut, engine: engineOut };
  if (exported === null || typeof exported !== "object") return result;
  for (const [key, value] of Object.entries(exported as Record<string, unknown>)) {
    if (key === "__esModule" || typeof value === "function") continue;
    try {
      const output = pulumi.output(value);
      const resolved = await Promise.race([Promise.all([valueOf(output), pulumi.isSecret(output)]), failure]);
      if (resolved === undefined) return result;
      const [plain, secret] = resolved;
      plainOut[key] = toPlain(plain);
      const known = plain === undefined ? UNKNOWN : toPlain(plain);
      engineOut[key] = secret ? { [SIG.key]: SIG.secret, value: known } : known;
      if (secret) {
        collectAll(plain, secrets);
        out[key] = SECRET_MARKER;
      } else {
        out[key] = toPlain(plain);
      }
    } catch (error) {
      errors.push(error);
    }
  }
  return result;
}

function valueOf<T>(output: pulumi.Output<T>): Promise<T | undefined> {
  return new Promise((resolve, reject) => {
    // An unknown value (preview) never reaches apply: resolve undefined once the output settled.
    const internal = output as unknown as { promise?: (withUnknowns?: boolean) => Promise<T> };
    if (typeof internal.promise === "function") internal.promise(true).then(resolve, reject);
    else output.apply((v) => resolve(v));
  });
}

/** Waits until no registration or call is pending (registrations chain: outputs feed further inputs). */
export async function settle(resources: unknown[], invokes: unknown[], errors: unknown[]): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const before = resources.length + invokes.length;
    try {
      await waitForRPCs();
    } catch (error) {
      errors.push(error);
      return;
    }
    await new Promise((r) => setImmediate(r));
    if (resources.length + invokes.length === before) return;
  }
}
