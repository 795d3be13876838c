import { fc } from "./harness";

/** Building blocks for fuzzers: mostly near-valid values, so inputs get past the first check. */

/** Any JSON value, including deep and odd ones. */
export const jsonJunk = fc.jsonValue({ maxDepth: 3 });

/** Text from plain to hostile: empty, blank, long, control characters, unpaired surrogates. */
export const text = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.string({ unit: "grapheme", maxLength: 20 }),
  fc.string({ unit: "binary", maxLength: 20 }),
  fc.constantFrom("", " ", "\u0000", "\ud800", "<script>", "a".repeat(201), "é", "{clickid}", "../", "null"),
);

/** Numbers as JSON sends them, edges included (JSON has no NaN: it arrives as null). */
export const number = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -0, 1, -1, 0.5, 1.123456, 1.1234567, 1e9, 1e9 + 1, -1e9, 2 ** 53, 1e300, 4_294_967_296),
);

const host = fc.oneof(fc.domain(), fc.constantFrom("offer.example", "127.0.0.1", "[2001:db8::1]", "{var1}", "a@b"));
const token = fc.constantFrom("{clickid}", "{var1}", "{campaign.id}", "{unknown}", "{", "}");
const urlPart = fc.oneof(fc.webSegment(), token, text);

/** URL templates: real URLs, tokens in every position, broken schemes. */
export const urlTemplate = fc.oneof(
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
  fc
    .tuple(
      fc.constantFrom("https://", "http://", "HTTPS://", "http:/\\", "ftp://", "{var1}://", "//", ""),
      host,
      urlPart,
      urlPart,
    )
    .map(([scheme, h, a, b]) => `${scheme}${h}/${a}?x=${b}`),
  text,
);

/** Optional fields: each key absent, valid-ish, or junk; sometimes an unknown key on top. */
export function body(fields: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<unknown> {
  const mixed: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [key, arb] of Object.entries(fields)) {
    mixed[key] = fc.oneof({ arbitrary: arb, weight: 4 }, { arbitrary: jsonJunk, weight: 1 });
  }
  const record = fc.record(mixed, { requiredKeys: [] });
  return fc.oneof(
    { arbitrary: record, weight: 6 },
    {
      arbitrary: fc
        .tuple(record, fc.string({ minLength: 1, maxLength: 8 }), jsonJunk)
        .map(([b, key, value]) => ({ ...b, [key]: value })),
      weight: 1,
    },
    { arbitrary: jsonJunk, weight: 1 },
  );
}
