import { z } from "zod";

/** Longest name of an offer or campaign (and of what later features name the same way). */
export const MAX_NAME_LENGTH = 200;

/** A display name: trimmed, required, at most MAX_NAME_LENGTH characters; the API and forms alike. */
export const nameSchema = z
  .string()
  .trim()
  .min(1, "is required")
  .max(MAX_NAME_LENGTH, `must be at most ${MAX_NAME_LENGTH} characters`);
