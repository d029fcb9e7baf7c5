/**
 * google.protobuf.Struct written straight to protobuf bytes, for the large property bags sent to analyzers.
 *
 * google-protobuf's `Struct.fromJavaScript(...).serializeBinary()` builds a message object per value first: a
 * 100,000-row roster (one ConnectRoster resource's `entries`) becomes millions of short-lived objects, sent
 * three times per pack (Remediate, Analyze, AnalyzeStack), which made garbage collection most of a check's
 * time and its peak memory gigabytes. This writes the same bytes (test/evaluator/structWire.test.ts compares
 * them with google-protobuf's output) without the intermediate objects.
 *
 * Wire format (google/protobuf/struct.proto): Struct { map<string, Value> fields = 1 }, a map entry being
 * { string key = 1; Value value = 2 }; Value is a oneof of null_value = 1 (enum), number_value = 2 (double),
 * string_value = 3, bool_value = 4, struct_value = 5, list_value = 6; ListValue { repeated Value values = 1 }.
 * Values are taken as JSON would give them (undefined dropped, as `toStruct` does with a JSON round trip).
 */

/** Growable byte buffer with the few protobuf writers a Struct needs. */
class Writer {
  private buf = Buffer.allocUnsafe(1 << 16);
  length = 0;

  private ensure(extra: number): void {
    if (this.length + extra <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + extra) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.length);
    this.buf = next;
  }

  varint(value: number): void {
    this.ensure(10);
    let v = value;
    while (v > 0x7f) {
      this.buf[this.length++] = (v & 0x7f) | 0x80;
      v = Math.floor(v / 128);
    }
    this.buf[this.length++] = v;
  }

  byte(value: number): void {
    this.ensure(1);
    this.buf[this.length++] = value;
  }

  double(value: number): void {
    this.ensure(8);
    this.buf.writeDoubleLE(value, this.length);
    this.length += 8;
  }

  /** A length-delimited field's payload written by `body`, its length prefixed afterwards. */
  delimited(tag: number, body: () => void): void {
    this.byte(tag);
    // Reserve one byte for the length, move the body if the length needs more.
    this.ensure(1);
    const at = this.length++;
    const start = this.length;
    body();
    const size = this.length - start;
    if (size < 0x80) {
      this.buf[at] = size;
      return;
    }
    let extra = 0;
    for (let v = size; v > 0x7f; v = Math.floor(v / 128)) extra++;
    this.ensure(extra);
    this.buf.copy(this.buf, start + extra, start, this.length);
    this.length += extra;
    let v = size;
    let i = at;
    while (v > 0x7f) {
      this.buf[i++] = (v & 0x7f) | 0x80;
      v = Math.floor(v / 128);
    }
    this.buf[i] = v;
  }

  string(tag: number, value: string): void {
    const size = Buffer.byteLength(value, "utf8");
    this.byte(tag);
    this.varint(size);
    this.ensure(size);
    this.length += this.buf.write(value, this.length, "utf8");
  }

  bytes(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.length));
  }
}

const TAG = {
  fields: (1 << 3) | 2,
  key: (1 << 3) | 2,
  value: (2 << 3) | 2,
  nullValue: (1 << 3) | 0,
  numberValue: (2 << 3) | 1,
  stringValue: (3 << 3) | 2,
  boolValue: (4 << 3) | 0,
  structValue: (5 << 3) | 2,
  listValue: (6 << 3) | 2,
  listValues: (1 << 3) | 2,
};

function writeValue(w: Writer, value: unknown): void {
  if (value === null) {
    w.byte(TAG.nullValue);
    w.byte(0);
  } else if (typeof value === "number") {
    w.byte(TAG.numberValue);
    w.double(value);
  } else if (typeof value === "string") {
    w.string(TAG.stringValue, value);
  } else if (typeof value === "boolean") {
    w.byte(TAG.boolValue);
    w.byte(value ? 1 : 0);
  } else if (Array.isArray(value)) {
    w.delimited(TAG.listValue, () => {
      for (const item of value) w.delimited(TAG.listValues, () => writeValue(w, item));
    });
  } else if (typeof value === "object") {
    w.delimited(TAG.structValue, () => writeFields(w, value as Record<string, unknown>));
  } else {
    throw new Error(`Unexpected struct type: ${typeof value}`);
  }
}

function writeFields(w: Writer, struct: Record<string, unknown>): void {
  // google-protobuf writes a map's entries in sorted key order (jspb.Map serializeBinary): so does this.
  for (const key of Object.keys(struct).sort()) {
    w.delimited(TAG.fields, () => {
      w.string(TAG.key, key);
      w.delimited(TAG.value, () => writeValue(w, struct[key]));
    });
  }
}

/** The protobuf bytes of `Struct.fromJavaScript(JSON.parse(JSON.stringify(value)))`. */
export function structBytes(value: Record<string, unknown> | undefined): Buffer {
  const plain = JSON.parse(JSON.stringify(value ?? {})) as Record<string, unknown>;
  const w = new Writer();
  writeFields(w, plain);
  return w.bytes();
}

/** A length-delimited field `field` holding `payload` (a message embedded in another's bytes). */
export function messageField(field: number, payload: Uint8Array): Buffer {
  const w = new Writer();
  w.varint((field << 3) | 2);
  w.varint(payload.length);
  return Buffer.concat([w.bytes(), payload]);
}
