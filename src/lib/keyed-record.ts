import { type ZodType, z } from "zod";

/**
 * Names an outside key may not take: assigning "__proto__" to a plain object changes its
 * prototype instead of adding a key, and "constructor" or "prototype" read back an inherited
 * member wherever a lookup forgets Object.hasOwn.
 */
export const RESERVED_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

export const RESERVED_KEY_MESSAGE = "is a reserved name (__proto__, constructor and prototype are refused)";

/**
 * z.record for objects keyed by outside input (status words, currency codes, filters). zod drops a
 * "__proto__" key without a word, so a refusal would silently become "no such key": reserved keys
 * are refused here, before the record is parsed, each named by its path.
 */
export function keyedRecord<V extends ZodType>(value: V) {
  return z.preprocess(
    (input, ctx) => {
      if (input !== null && typeof input === "object" && !Array.isArray(input))
        for (const key of Object.keys(input))
          if (RESERVED_KEYS.has(key)) ctx.addIssue({ code: "custom", path: [key], message: RESERVED_KEY_MESSAGE });
      return input;
    },
    z.record(z.string(), value),
  );
}
