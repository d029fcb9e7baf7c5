/**
 * The order in which a program constructs its resources, which a check reports them in.
 *
 * A resource registers with the engine once its inputs have resolved, so registration order depends on timing:
 * a dynamic resource waits for its provider to be serialized (the SDK's closure serializer, which talks to V8's
 * inspector), which takes longer in a process's first program run than in later ones. The same stack checked
 * alone and as the second site of `check --all` registered in different orders, so its reports listed resources
 * (and, with the order-numbered mocks, gave a mock public IP) differently. Construction order is the program's
 * own: synchronous, the same on every run, and a valid registration order (a resource can only use the outputs of
 * resources constructed before it), so the engine could have registered them so.
 *
 * While a program runs, the SDK's `registerResource` (runtime/resource.js, called by every Resource constructor
 * through the module object, but for a resource read with `id` or `urn`, which a check does not capture) is wrapped
 * to note each resource's URN, computed as the engine computes it (evaluator/mockRuntime.ts engineUrn: the parents'
 * types, then the resource's type and name), in construction order. Everything is back when the run ends.
 */
import * as pulumi from "@pulumi/pulumi";

/** The engine's root stack resource type: not part of its children's URNs. */
const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";

/** What the Resource constructor sets on itself before it registers (resource.js: __pulumiType, __name, parent). */
interface ConstructedResource {
  __pulumiType?: string;
  __name?: string;
  __parentResource?: ConstructedResource;
}

type Register = (res: ConstructedResource, ...rest: unknown[]) => unknown;

// Internal to @pulumi/pulumi (pinned in package.json): the module object resource.js calls it on at call time.
const runtimeResource = require("@pulumi/pulumi/runtime/resource") as { registerResource: Register };

/** The URN the engine gives a constructed resource, from its type, name and parents' types. */
export function constructedUrn(res: ConstructedResource, stack: string, project: string): string | undefined {
  if (res.__pulumiType === undefined || res.__name === undefined) return undefined;
  const types = [res.__pulumiType];
  for (let p = res.__parentResource; p; p = p.__parentResource) {
    if (p.__pulumiType === undefined) return undefined;
    if (p.__pulumiType !== ROOT_STACK_TYPE) types.unshift(p.__pulumiType);
  }
  return `urn:pulumi:${stack}::${project}::${types.join("$")}::${res.__name}`;
}

/** Construction positions by URN, filled while `withConstructionOrder` runs. */
export class ConstructionOrder {
  private readonly positions = new Map<string, number>();

  /** Notes a constructed resource (the first construction of a URN keeps its place). */
  note(res: ConstructedResource): void {
    const urn = constructedUrn(res, pulumi.getStack(), pulumi.getProject());
    if (urn !== undefined && !this.positions.has(urn)) this.positions.set(urn, this.positions.size);
  }

  /** Where the resource of `urn` was constructed (0 first); undefined for one not constructed in the run. */
  positionOf(urn: string): number | undefined {
    return this.positions.get(urn);
  }

  /**
   * `items` in construction order of their URNs; an item whose URN was not constructed in the run keeps its place
   * relative to the others like it, after every constructed one.
   */
  sort<T extends { urn: string }>(items: readonly T[]): T[] {
    const key = (item: T, i: number) => this.positions.get(item.urn) ?? this.positions.size + i;
    return items
      .map((item, i) => ({ item, k: key(item, i) }))
      .sort((a, b) => a.k - b.k)
      .map(({ item }) => item);
  }
}

/** Runs `fn` noting every resource the program constructs, in order; everything is back afterwards. */
export async function withConstructionOrder<T>(fn: (order: ConstructionOrder) => Promise<T>): Promise<T> {
  const order = new ConstructionOrder();
  const original = runtimeResource.registerResource;
  const register: Register = (res, ...rest) => {
    order.note(res);
    return original(res, ...rest);
  };
  runtimeResource.registerResource = register;
  try {
    return await fn(order);
  } finally {
    if (runtimeResource.registerResource === register) runtimeResource.registerResource = original;
  }
}
