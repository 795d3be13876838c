import { z } from "zod";
import { ApiError } from "./errors";

const idSchema = z.coerce.number().int().positive().max(0xffffffff);

/** Parses a numeric `:id` path segment; anything else is a plain 404 (no such object). */
export function parseId(raw: string | undefined, what: string): number {
  const parsed = idSchema.safeParse(raw);
  if (!parsed.success || !/^\d+$/.test(raw ?? "")) throw new ApiError("not_found", `${what} not found`);
  return parsed.data;
}

/** `limit` and `cursor` of the logs' pages (postback log, source postbacks): one rule for both. */
export const pageFields = {
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z
    .string()
    .regex(/^\d{1,15}$/, "must be a nextCursor from an earlier page")
    .transform(Number)
    .optional(),
};
