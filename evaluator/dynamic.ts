/* eslint-disable @typescript-eslint/no-explicit-any -- resource inputs, outputs and schemas here are untyped JSON (as in pulumi.dynamic.ResourceProvider) */
/**
 * Executing dynamic Vantagepoint resources for real during `vpconnect check` (e.g. against the emulator), so
 * policies see the state a real `create` produces. The components/vantagepoint/*.ts modules export their
 * provider objects; hand them to `providerExecutor` keyed by the resource's `vpconnectResource` input.
 */
import type { DynamicExecutor } from "./program";

/** The subset of a dynamic provider the executor calls (pulumi.dynamic.ResourceProvider). */
export interface ExecutableProvider {
  check?(
    olds: any,
    news: any,
  ): Promise<{ inputs?: any; failures?: Array<{ property: string; reason: string }> }>;
  create(inputs: any): Promise<{ id: string; outs?: any }>;
}

/**
 * An executor that runs `check` then `create` of the provider registered for the resource's
 * `vpconnectResource` input and returns its outs (merged over the inputs). Resources of other kinds, and kinds
 * with no provider here, are echoed (outputs = inputs).
 */
export function providerExecutor(providers: Readonly<Record<string, ExecutableProvider>>): DynamicExecutor {
  return async (_type, name, inputs) => {
    const kind = inputs.vpconnectResource;
    const provider = typeof kind === "string" ? providers[kind] : undefined;
    if (!provider) return inputs;
    let news = inputs;
    if (provider.check) {
      const checked = await provider.check({}, inputs);
      if (checked.failures && checked.failures.length > 0) {
        throw new Error(
          `${kind} ${name}: ${checked.failures.map((f) => `${f.property}: ${f.reason}`).join("; ")}`,
        );
      }
      news = checked.inputs ?? inputs;
    }
    const created = await provider.create(news);
    return { ...news, ...(created.outs ?? {}) };
  };
}
