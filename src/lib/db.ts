import { drizzle } from "drizzle-orm/d1";
import * as schema from "../db/schema";

export type Db = ReturnType<typeof getDb>;

const makeDb = (d1: D1Database) => drizzle(d1, { schema });
/**
 * One drizzle instance per D1 binding object: building one walks the whole schema (a tenth of a
 * redirect's CPU when done per request), and it holds nothing but the binding.
 */
const instances = new WeakMap<D1Database, ReturnType<typeof makeDb>>();

export function getDb(d1: D1Database) {
  let db = instances.get(d1);
  if (!db) {
    db = makeDb(d1);
    instances.set(d1, db);
  }
  return db;
}

/** D1 reports constraint violations only through the message text. */
export function isUniqueViolation(err: unknown): boolean {
  const text = String((err as { cause?: unknown })?.cause ?? "") + String((err as Error)?.message ?? "");
  return text.includes("UNIQUE constraint failed");
}
