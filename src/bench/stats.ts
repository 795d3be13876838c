import { count } from "drizzle-orm";
import { conversions, visits } from "../db/schema";
import type { Db } from "../lib/db";

/** Rows the bench compares with the requests it saw answered. */
export async function rowCounts(db: Db): Promise<{ visits: number; conversions: number }> {
  const [v, c] = await Promise.all([
    db.select({ n: count() }).from(visits).get(),
    db.select({ n: count() }).from(conversions).get(),
  ]);
  return { visits: v?.n ?? 0, conversions: c?.n ?? 0 };
}
