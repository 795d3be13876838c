import { drizzle } from "drizzle-orm/d1";
import * as schema from "../db/schema";

export type Db = ReturnType<typeof getDb>;

export function getDb(d1: D1Database) {
  return drizzle(d1, { schema });
}

/** D1 reports constraint violations only through the message text. */
export function isUniqueViolation(err: unknown): boolean {
  const text = String((err as { cause?: unknown })?.cause ?? "") + String((err as Error)?.message ?? "");
  return text.includes("UNIQUE constraint failed");
}
