import { z } from "zod";
import { ApiError } from "./errors";

const idSchema = z.coerce.number().int().positive().max(0xffffffff);

/** Parses a numeric `:id` path segment; anything else is a plain 404 (no such object). */
export function parseId(raw: string | undefined, what: string): number {
  const parsed = idSchema.safeParse(raw);
  if (!parsed.success || !/^\d+$/.test(raw ?? "")) throw new ApiError("not_found", `${what} not found`);
  return parsed.data;
}
