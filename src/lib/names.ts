import { z } from "zod";

/** Longest name of an offer or campaign (and of what later features name the same way). */
export const MAX_NAME_LENGTH = 200;

/** C0, DEL and C1 control characters. */
export const CONTROL_CHARS = /\p{Cc}/u;

/** A display name: trimmed, required, at most MAX_NAME_LENGTH characters; the API and forms alike. */
export const nameSchema = z
  .string()
  .trim()
  .min(1, "is required")
  .max(MAX_NAME_LENGTH, `must be at most ${MAX_NAME_LENGTH} characters`)
  // NUL, escapes and line breaks would reach every page and CSV file that shows the name.
  .refine((v) => !CONTROL_CHARS.test(v), "must not contain control characters (U+0000–U+001F, U+007F–U+009F)");
