/**
 * evaluator/constructionOrder.ts: a check lists a program's resources in the order the program constructs them,
 * whatever order they finish registering in.
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { runProgram } from "../../evaluator";
import { ConstructionOrder, constructedUrn, withConstructionOrder } from "../../evaluator/constructionOrder";

const root = path.join(__dirname, "..", "..");
const runtimeResource = require("@pulumi/pulumi/runtime/resource") as Record<string, unknown>;

describe("constructionOrder: the URN of a constructed resource", () => {
  const stackRoot = { __pulumiType: "pulumi:pulumi:Stack", __name: "p-dev" };
  const site = { __pulumiType: "vpc:index:ConnectSite", __name: "connect", __parentResource: stackRoot };
  const vault = {
    __pulumiType: "vpc:index:ConnectKeyVault",
    __name: "connect-vault",
    __parentResource: site,
  };

  it("is the engine's: the parents' types (not the root stack's), the type and the name", () => {
    assert.equal(
      constructedUrn(
        { __pulumiType: "random:index/randomString:RandomString", __name: "suffix", __parentResource: vault },
        "dev",
        "p",
      ),
      "urn:pulumi:dev::p::vpc:index:ConnectSite$vpc:index:ConnectKeyVault$random:index/randomString:RandomString::suffix",
    );
    assert.equal(constructedUrn(site, "dev", "p"), "urn:pulumi:dev::p::vpc:index:ConnectSite::connect");
    assert.equal(
      constructedUrn({ __pulumiType: "t:i:X", __name: "x" }, "s", "p"),
      "urn:pulumi:s::p::t:i:X::x",
    );
  });

  it("keeps a root-stack type that is not the whole parent's type (a Stack-typed component under another)", () => {
    const outer = { __pulumiType: "t:i:Outer", __name: "outer" };
    const inner = { __pulumiType: "pulumi:pulumi:Stack", __name: "inner", __parentResource: outer };
    assert.equal(
      constructedUrn({ __pulumiType: "t:i:X", __name: "x", __parentResource: inner }, "s", "p"),
      "urn:pulumi:s::p::t:i:Outer$pulumi:pulumi:Stack$t:i:X::x",
    );
  });

  it("is unknown for an object that is not a constructed resource", () => {
    assert.equal(constructedUrn({}, "dev", "p"), undefined);
    assert.equal(constructedUrn({ __pulumiType: "t:i:X" }, "dev", "p"), undefined);
    assert.equal(constructedUrn({ __name: "x" }, "dev", "p"), undefined);
    assert.equal(
      constructedUrn({ __pulumiType: "t:i:X", __name: "x", __parentResource: {} }, "dev", "p"),
      undefined,
    );
  });
});

describe("constructionOrder: sorting by construction", () => {
  it("puts constructed URNs in construction order and the others after them, in their own order", () => {
    const order = new ConstructionOrder();
    const positions = order as unknown as { positions: Map<string, number> };
    positions.positions.set("b", 0);
    positions.positions.set("a", 1);
    const items = ["x", "a", "y", "b"].map((urn) => ({ urn }));
    assert.deepEqual(
      order.sort(items).map((i) => i.urn),
      ["b", "a", "x", "y"],
    );
    assert.equal(order.positionOf("a"), 1);
    assert.equal(order.positionOf("x"), undefined);
  });
});

describe("constructionOrder: dependencies come first", () => {
  const order = new ConstructionOrder();
  (order as unknown as { positions: Map<string, number> }).positions = new Map([
    ["a", 0],
    ["b", 1],
    ["c", 2],
  ]);
  const item = (urn: string, after: string[] = []) => ({ urn, after });
  const urns = (items: Array<{ urn: string; after: string[] }>) =>
    order.sort(items, (i) => i.after).map((i) => i.urn);

  it("moves a resource after one it depends on that was constructed later, and nothing else", () => {
    assert.deepEqual(urns([item("c"), item("b"), item("a", ["b"])]), ["b", "a", "c"]);
  });

  it("ignores a dependency that is not among the items", () => {
    assert.deepEqual(urns([item("b"), item("a", ["elsewhere"])]), ["a", "b"]);
  });

  it("keeps every item when dependencies form a cycle (which the engine refuses): the cycle in construction order", () => {
    assert.deepEqual(urns([item("b", ["a"]), item("a", ["b"]), item("c")]), ["c", "a", "b"]);
  });
});

describe("constructionOrder: noting constructed resources", () => {
  const urnOf = (res: object) => constructedUrn(res, pulumi.getStack(), pulumi.getProject())!;

  it("gives each URN the place of its first construction, and none to what is not a resource", () => {
    const order = new ConstructionOrder();
    const a = { __pulumiType: "t:i:A", __name: "a" };
    const b = { __pulumiType: "t:i:B", __name: "b" };
    order.note(a);
    order.note({});
    order.note(b);
    order.note(a);
    assert.equal(order.positionOf(urnOf(a)), 0);
    assert.equal(order.positionOf(urnOf(b)), 1);
    assert.deepEqual(
      order.sort([{ urn: urnOf(b) }, { urn: urnOf(a) }]).map((i) => i.urn),
      [urnOf(a), urnOf(b)],
    );
  });
});

describe("constructionOrder: while a program runs", () => {
  it("wraps the SDK's registerResource, and puts it back, also when the run throws", async () => {
    const register = runtimeResource.registerResource;
    await assert.rejects(
      withConstructionOrder(async () => {
        assert.notEqual(runtimeResource.registerResource, register);
        throw new Error("program failed");
      }),
      /program failed/,
    );
    assert.equal(runtimeResource.registerResource, register);
  });
});

describe("constructionOrder: a program run lists resources in construction order", function () {
  this.timeout(60_000);

  /** A fixture program's run under the checker's mocks (no config), which must not fail. */
  const fixture = async (name: string) => {
    const run = await runProgram({
      program: path.join(root, "test", "fixtures", "programs", name, "index.js"),
      projectDir: root,
      project: "vantagepoint-connect",
      stack: "dev",
      config: {},
      secretKeys: [],
    });
    assert.equal(run.error, undefined);
    return run;
  };

  it("a resource that registers late keeps its construction place, and the mocks number by construction", async () => {
    const run = await fixture("slow-registration");
    // `slow` registers about 100 ms after `ip` (its input waits on a timer); the program constructed it first.
    assert.deepEqual(
      run.resources.map((r) => r.name),
      ["vantagepoint-connect-dev", "slow", "ip"],
    );
    // The public IP is the second resource constructed: 20.50.0.2 (by registration it would have been the first).
    assert.equal(run.outputs.ipAddress, "20.50.0.2");
  });

  it("a resource waiting on one constructed after it comes after it; reads get addresses no other resource has", async () => {
    const run = await fixture("order-dependency");
    assert.deepEqual(
      run.resources.map((r) => r.name),
      ["vantagepoint-connect-dev", "b", "a", "ip"],
    );
    const addresses = run.outputs.addresses as string[];
    assert.equal(addresses[0], "20.50.0.3");
    assert.equal(new Set(addresses).size, 3, addresses.join(", "));
  });
});
