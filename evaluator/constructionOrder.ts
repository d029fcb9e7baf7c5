/**
 * The order in which a program constructs its resources, which a check reports them in.
 *
 * A resource registers with the engine once its inputs have resolved, so registration order depends on timing:
 * a dynamic resource waits for its provider to be serialized (the SDK's closure serializer, which talks to V8's
 * inspector), which takes longer in a process's first program run than in later ones. The same stack checked
 * alone and as the second site of `check --all` registered in different orders, so its reports listed resources
 * (and, with the order-numbered mocks, gave a mock public IP) differently. Construction order is the program's
 * own, the same on every run for resources constructed synchronously (one constructed inside an apply takes its
 * place when that callback runs). It is moved only as far as dependencies require (a resource whose input waits on
 * a promise that a later-constructed resource settles registers after it), so it is always an order the engine could
 * have registered them in.
 *
 * While a program runs, the SDK's `registerResource` (runtime/resource.js, called by every Resource constructor
 * through the module object, but for a resource read with `id` or `urn`, which a check does not capture) is wrapped
 * to note each resource's URN, computed as the engine computes it (evaluator/mockRuntime.ts engineUrn: the parents'
 * types, then the resource's type and name), in construction order. Everything is back when the run ends.
 * The wrapper is on the checker's copy of @pulumi/pulumi: a program that loads its own copy constructs through that
 * one, so its resources are not noted and keep their registration order (still one the engine could see).
 */
import * as pulumi from "@pulumi/pulumi";
import { engineUrn } from "./mockRuntime";

/** What the Resource constructor sets on itself before it registers (resource.js: __pulumiType, __name, parent). */
interface ConstructedResource {
  __pulumiType?: string;
  __name?: string;
  __parentResource?: ConstructedResource;
}

type Register = (res: ConstructedResource, ...rest: unknown[]) => unknown;

// Internal to @pulumi/pulumi (pinned in package.json): the module object resource.js calls it on at call time.
const runtimeResource = require("@pulumi/pulumi/runtime/resource") as { registerResource: Register };

/** The URN the engine gives a constructed resource: engineUrn over its parents' URNs, from the root down. */
export function constructedUrn(res: ConstructedResource, stack: string, project: string): string | undefined {
  if (res.__pulumiType === undefined || res.__name === undefined) return undefined;
  let parent = "";
  if (res.__parentResource !== undefined) {
    const parentUrn = constructedUrn(res.__parentResource, stack, project);
    if (parentUrn === undefined) return undefined;
    parent = parentUrn;
  }
  return engineUrn(parent, res.__pulumiType, res.__name, stack, project);
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
   * `items` in construction order, moved only as far as their dependencies require: an item comes after every item
   * it names in `after` (its parent, provider and dependencies), so the result is always an order the engine could
   * have registered them in (a resource's input can wait on one constructed later). An item whose URN was not
   * noted (constructed outside the run's SDK copy, or read) sorts by its place among `items`, after the noted ones.
   */
  sort<T extends { urn: string }>(
    items: readonly T[],
    after: (item: T) => readonly string[] = () => [],
  ): T[] {
    const key = (urn: string, i: number) => this.positions.get(urn) ?? this.positions.size + i;
    const pending = items.map((item, i) => ({ item, k: key(item.urn, i) })).sort((a, b) => a.k - b.k);
    const present = new Set(items.map((i) => i.urn));
    const placed = new Set<string>();
    const out: T[] = [];
    while (pending.length > 0) {
      // The first pending item whose dependencies are all placed; with none (a cycle, which the engine refuses),
      // the first pending one, so nothing is lost.
      let next = pending.findIndex(({ item }) => after(item).every((u) => !present.has(u) || placed.has(u)));
      if (next < 0) next = 0;
      const [{ item }] = pending.splice(next, 1) as [{ item: T; k: number }];
      placed.add(item.urn);
      out.push(item);
    }
    return out;
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
