import { lt, lte, max } from "drizzle-orm";
import { postbackLog } from "../db/schema";
import type { Db } from "../lib/db";

/** The log keeps the last 30 days and at most 100,000 entries, whichever is smaller. */
export const LOG_MAX_AGE_MS = 30 * 24 * 60 * 60 * 1000;
export const LOG_MAX_ROWS = 100_000;

/** Deletes entries past the retention. Ids grow with time, so "the newest N" is "id > max - N". */
export async function pruneLog(
  db: Db,
  now: number,
  limits = { maxAgeMs: LOG_MAX_AGE_MS, maxRows: LOG_MAX_ROWS },
): Promise<void> {
  const newest = await db
    .select({ id: max(postbackLog.id) })
    .from(postbackLog)
    .get();
  const floor = (newest?.id ?? 0) - limits.maxRows;
  await db.batch([
    db.delete(postbackLog).where(lt(postbackLog.receivedAt, now - limits.maxAgeMs)),
    db.delete(postbackLog).where(lte(postbackLog.id, floor)),
  ]);
}
