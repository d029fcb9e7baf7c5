/**
 * Text from files a person wrote (the stack file, roster files): strictly UTF-8. Invalid bytes are an error
 * naming the line, never silently replaced by U+FFFD. Pure.
 */

/** Decoded text (a leading byte order mark removed), or where the first invalid byte is. */
export function decodeUtf8(input: string | Uint8Array): { text: string } | { error: string; line: number } {
  if (typeof input === "string") {
    // Text read with Node's "utf8" decoding already had invalid bytes replaced by U+FFFD: refuse those too.
    const at = input.indexOf("\ufffd");
    if (at !== -1) return { error: INVALID, line: lineOf(input, at) };
    return { text: input.replace(/^\uFEFF/, "") };
  }
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(input).replace(/^\uFEFF/, "") };
  } catch {
    const bad = firstInvalidByte(input);
    const before = new TextDecoder("utf-8").decode(input.subarray(0, bad));
    return { error: INVALID, line: lineOf(before, before.length) };
  }
}

const INVALID =
  "is not valid UTF-8 text (a byte sequence that is not UTF-8, or U+FFFD where one was replaced); save the file as UTF-8";

function lineOf(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** Index of the first byte that does not start or continue a valid UTF-8 sequence. */
function firstInvalidByte(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const need =
      b < 0x80 ? 0 : b >= 0xc2 && b < 0xe0 ? 1 : b >= 0xe0 && b < 0xf0 ? 2 : b >= 0xf0 && b < 0xf5 ? 3 : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
    }
    i += need + 1;
  }
  return i;
}
