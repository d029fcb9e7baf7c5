/**
 * Executing dynamic resources the way `pulumi up` does: through Pulumi's own dynamic provider host
 * (dynamicProviderHost.ts), loading the `__provider` closure the SDK serialized into the resource's inputs.
 * For a new resource the engine calls Check(olds = {}, news) and then Create(checked inputs); the outputs it
 * records are Create's properties (pulumi/pulumi v3.245.0 pkg/resource/deploy/step.go CreateStep.Apply).
 */
import type { DynamicExecutor } from "../program";
import { DYNAMIC_RESOURCE_TYPE, type DynamicProviderHost } from "./dynamicProviderHost";
import type { CreateHandler } from "./monitor";

const PROVIDER_KEY = "__provider";

/**
 * A DynamicExecutor that sends each dynamic resource through `host`: Configure once with the stack config
 * (as the engine configures the `pulumi-nodejs` provider), then Check and Create with the serialized provider.
 * `host` may still be starting (a promise): the first resource waits for it.
 * A Check failure or a Create error rejects with the provider's message (as `pulumi up` fails the resource).
 */
export function hostExecutor(host: DynamicProviderHost | Promise<DynamicProviderHost>): DynamicExecutor {
  let configured: Promise<unknown> | undefined;
  return async (_type, name, inputs, resource) => {
    if (!resource?.serializedProvider) throw new Error(`${name}: no serialized __provider in its inputs`);
    const { config, secretKeys } = resource.stackConfig;
    configured ??= Promise.resolve(host).then((h) => h.configure(config, secretKeys));
    await configured;
    const h = await host;
    const target = { urn: resource.urn, name };
    const news = { ...inputs, [PROVIDER_KEY]: resource.serializedProvider };
    const checked = await h.check(target, {}, news);
    if (checked.failures.length > 0) {
      const kind = typeof inputs.vpconnectResource === "string" ? `${inputs.vpconnectResource} ` : "";
      throw new Error(
        `${kind}${name}: ${checked.failures.map((f) => `${f.property}: ${f.reason}`).join("; ")}`,
      );
    }
    const created = await h.create(target, checked.inputs);
    const { [PROVIDER_KEY]: _provider, ...outs } = created.properties;
    return outs;
  };
}

/**
 * A ResourceMonitor CreateHandler (monitor.ts) that creates dynamic resources through `host` the way the engine
 * does (Check, then Create, with the registration's `__provider`), and every other resource with `fallback`.
 */
export function hostCreateHandler(
  host: DynamicProviderHost | Promise<DynamicProviderHost>,
  stackConfig: { config: Readonly<Record<string, string>>; secretKeys: readonly string[] },
  fallback: CreateHandler,
): CreateHandler {
  let configured: Promise<unknown> | undefined;
  return async (registration) => {
    if (registration.type !== DYNAMIC_RESOURCE_TYPE) return fallback(registration);
    configured ??= Promise.resolve(host).then((h) => h.configure(stackConfig.config, stackConfig.secretKeys));
    await configured;
    const h = await host;
    const target = { urn: registration.urn, name: registration.name };
    const checked = await h.check(target, {}, registration.inputs);
    if (checked.failures.length > 0)
      throw new Error(
        `${registration.name}: ${checked.failures.map((f) => `${f.property}: ${f.reason}`).join("; ")}`,
      );
    const created = await h.create(target, checked.inputs);
    return { id: created.id, outputs: created.properties };
  };
}
