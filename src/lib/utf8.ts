const encoder = new TextEncoder();
// Sizes are counted into this buffer rather than into a new array per text (a click's visit row,
// every row of a D1 chunk): a UTF-16 unit takes at most 3 bytes, so a text of up to a third of it
// always fits; a longer one is encoded on its own.
const scratch = new Uint8Array(65_536);

/** The UTF-8 size of a text in bytes (a lone surrogate counts as U+FFFD, as TextEncoder writes it). */
export function utf8Length(text: string): number {
  return text.length * 3 <= scratch.length ? encoder.encodeInto(text, scratch).written : encoder.encode(text).length;
}
