import { fc } from "./harness";

/** Keys and words that name Object.prototype's members: an outside value must never reach them. */
export const PROTO_WORDS = ["__proto__", "constructor", "prototype", "toString", "__PROTO__", "Constructor"];

/** Building blocks for fuzzers: mostly near-valid values, so inputs get past the first check. */

/** Any JSON value, including deep and odd ones. */
export const jsonJunk = fc.jsonValue({ maxDepth: 3 });

/** Text from plain to hostile: empty, blank, long, control characters, unpaired surrogates. */
export const text = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.string({ unit: "grapheme", maxLength: 20 }),
  fc.string({ unit: "binary", maxLength: 20 }),
  fc.constantFrom("", " ", "\u0000", "\ud800", "<script>", "a".repeat(201), "é", "{clickid}", "../", "null"),
  // Names of Object.prototype's members, control characters and line breaks, a huge value.
  fc.constantFrom(...PROTO_WORDS, "\u001b[31m", "\r\n=1+1", "\n@SUM(A1)", "\u0085", "x".repeat(20_000)),
);

/** Numbers as JSON sends them, edges included (JSON has no NaN: it arrives as null). */
export const number = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -0, 1, -1, 0.5, 1.123456, 1.1234567, 1e9, 1e9 + 1, -1e9, 2 ** 53, 1e300, 4_294_967_296),
  fc.constantFrom(1e6 + 0.000001, 1e15, 2 ** 63, -(2 ** 63), 999_999.999999),
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

/** A field of a body: values it should accept, and anything a hostile client might send. */
export interface Field {
  valid: fc.Arbitrary<unknown>;
  any: fc.Arbitrary<unknown>;
}

/**
 * Bodies from valid to hostile, weighted so that a good share is accepted and each refusal is
 * usually about one field: every field valid; each field valid or hostile; keys left out; an
 * unknown key added; or any JSON value at all.
 */
export function body(fields: Record<string, Field>): fc.Arbitrary<unknown> {
  const pick = (choose: (f: Field) => fc.Arbitrary<unknown>) =>
    Object.fromEntries(Object.entries(fields).map(([key, f]) => [key, choose(f)]));
  const mixed = pick((f) => fc.oneof({ arbitrary: f.valid, weight: 4 }, { arbitrary: f.any, weight: 1 }));
  return fc.oneof(
    { arbitrary: fc.record(pick((f) => f.valid)), weight: 3 },
    { arbitrary: fc.record(mixed), weight: 3 },
    { arbitrary: fc.record(mixed, { requiredKeys: [] }), weight: 2 },
    {
      arbitrary: fc
        .tuple(
          fc.record(mixed),
          fc.oneof(fc.string({ minLength: 0, maxLength: 8 }), fc.constantFrom(...PROTO_WORDS)),
          jsonJunk,
        )
        .map(([b, key, value]) => ({ ...b, [key]: value })),
      weight: 1,
    },
    { arbitrary: jsonJunk, weight: 1 },
  );
}

/** Valid names: 1–200 characters, not blank. */
export const name = fc.string({ unit: "grapheme", minLength: 1, maxLength: 40 }).filter((s) => s.trim() !== "");

/** Decimal amounts the API takes: at most 6 decimal places, within ±1,000,000,000. */
export const amount = fc
  .integer({ min: -1_000_000_000_000_000, max: 1_000_000_000_000_000 })
  .map((micros) => Number((micros / 1_000_000).toFixed(6)));

/** URL templates the rule accepts: tokens after the host only. */
export const goodUrlTemplate = fc
  .tuple(
    fc.constantFrom("https://", "http://"),
    fc.domain(),
    fc.array(fc.oneof(fc.webSegment(), token), { maxLength: 3 }),
    token,
  )
  .map(([scheme, h, path, t]) => `${scheme}${h}/${path.join("/")}?cid=${t}`);
