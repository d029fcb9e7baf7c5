import { strict as assert } from "node:assert";
import { messageField, structBytes } from "../../evaluator/grpc/structWire";
import { analyzerProto, structproto } from "../../evaluator/grpc/proto";

/** google-protobuf's own bytes for the same bag (what analyzer.ts sent before structWire.ts). */
function reference(value: Record<string, unknown>): Buffer {
  const struct = structproto.Struct.fromJavaScript(JSON.parse(JSON.stringify(value)));
  return Buffer.from(struct.serializeBinary() as Uint8Array);
}

describe("structWire: google.protobuf.Struct bytes without intermediate messages", () => {
  const cases: Array<[string, Record<string, unknown>]> = [
    ["an empty bag", {}],
    ["numbers (negative, fractional, huge, zero)", { z: -0.1, neg: -5, big: 1e300, zero: 0 }],
    ["booleans and null, keys out of order", { ok: false, yes: true, nul: null, a: "" }],
    ["non-ASCII strings", { name: "Zoë 日本", emoji: "🙂" }],
    [
      "a roster-sized list with nested lists and objects (multi-byte lengths)",
      {
        __provider: "p".repeat(70_000),
        entries: Array.from({ length: 2000 }, (_, i) => ({
          userId: `U${i}`,
          email: `user${i}@contoso.example`,
          index: i,
          nested: { list: [1, "x", { b: null }], empty: [], obj: {} },
          dropped: undefined,
        })),
      },
    ],
  ];
  for (const [what, value] of cases) {
    it(`writes the same bytes as google-protobuf: ${what}`, () => {
      assert.ok(structBytes(value).equals(reference(value)));
    });
  }

  it("an AnalyzeRequest with the properties appended decodes to the properties and the other fields", () => {
    const request = new analyzerProto.AnalyzeRequest();
    request.setUrn("urn:pulumi:dev::p::t::n");
    request.setType("t");
    const bytes = Buffer.concat([
      request.serializeBinary() as Uint8Array,
      messageField(2, structBytes({ entries: [{ userId: "U1" }], n: 300 })),
    ]);
    const decoded = analyzerProto.AnalyzeRequest.deserializeBinary(new Uint8Array(bytes));
    assert.equal(decoded.getUrn(), "urn:pulumi:dev::p::t::n");
    assert.equal(decoded.getType(), "t");
    assert.deepEqual(decoded.getProperties().toJavaScript(), { entries: [{ userId: "U1" }], n: 300 });
  });

  it("a value JSON cannot hold is refused, as google-protobuf refuses it", () => {
    assert.throws(() => structBytes({ n: 1n } as unknown as Record<string, unknown>));
  });
});
