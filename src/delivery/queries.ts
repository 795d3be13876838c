import { and, desc, eq, lt, type SQL, sql } from "drizzle-orm";
import { type SourcePostbackRow, sourcePostbacks } from "../db/schema";
import type { Db } from "../lib/db";
import type { DeliveryState } from "../model/status";

export interface DeliveryPage {
  rows: SourcePostbackRow[];
  nextCursor: string | null;
}

/** Newest first; the cursor is the `seq` of the last row of the previous page. */
export async function listDeliveries(
  db: Db,
  opts: { limit: number; cursor?: number; status?: DeliveryState },
): Promise<DeliveryPage> {
  const where: SQL[] = [];
  if (opts.cursor !== undefined) where.push(lt(sourcePostbacks.seq, opts.cursor));
  if (opts.status) where.push(eq(sourcePostbacks.state, opts.status));
  const rows = await db
    .select()
    .from(sourcePostbacks)
    .where(and(...where))
    .orderBy(desc(sourcePostbacks.seq))
    .limit(opts.limit + 1)
    .all();
  const more = rows.length > opts.limit;
  const page = more ? rows.slice(0, opts.limit) : rows;
  return { rows: page, nextCursor: more ? String(page[page.length - 1]!.seq) : null };
}

export function getDelivery(db: Db, id: string): Promise<SourcePostbackRow | undefined> {
  return db.select().from(sourcePostbacks).where(eq(sourcePostbacks.id, id)).get();
}

/** The API's and the log page's view of a delivery. `url` is null until the first call. */
export function deliveryJson(row: SourcePostbackRow) {
  return {
    id: row.id,
    kind: row.kind,
    conversionId: row.conversionId,
    conversionStatus: row.conversionStatus,
    trafficSourceId: row.trafficSourceId,
    url: row.url,
    status: row.state,
    attempts: row.attempts,
    lastHttpStatus: row.lastHttpStatus,
    lastError: row.lastError,
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
}

/**
 * Takes a pending delivery for one call, unless another consumer holds it: two copies of a
 * message (queues deliver at least once) never call the network at the same time.
 */
export function claimDelivery(db: Db, id: string, now: number, leaseMs: number) {
  return db
    .update(sourcePostbacks)
    .set({ leaseUntil: now + leaseMs })
    .where(
      and(
        eq(sourcePostbacks.id, id),
        eq(sourcePostbacks.state, "pending"),
        sql`(${sourcePostbacks.leaseUntil} IS NULL OR ${sourcePostbacks.leaseUntil} < ${now})`,
      ),
    )
    .returning()
    .get();
}

export function releaseDelivery(db: Db, id: string) {
  return db.update(sourcePostbacks).set({ leaseUntil: null }).where(eq(sourcePostbacks.id, id)).run();
}

/** One call made: its URL, answer and the state it leaves the delivery in. */
export function recordAttempt(
  db: Db,
  id: string,
  attempt: { state: DeliveryState; url: string | null; httpStatus: number | null; error: string | null },
  now: number,
) {
  return db
    .update(sourcePostbacks)
    .set({
      state: attempt.state,
      url: attempt.url,
      attempts: sql`${sourcePostbacks.attempts} + 1`,
      lastHttpStatus: attempt.httpStatus,
      lastError: attempt.error,
      leaseUntil: null,
      updatedAt: now,
    })
    .where(eq(sourcePostbacks.id, id))
    .run();
}

/** A delivery given up without a call (its visit never came). */
export function failWithoutCall(db: Db, id: string, error: string, now: number) {
  return db
    .update(sourcePostbacks)
    .set({ state: "failed", lastError: error, leaseUntil: null, updatedAt: now })
    .where(and(eq(sourcePostbacks.id, id), eq(sourcePostbacks.state, "pending")))
    .run();
}

/** A platform delivery with nothing to send (the visit lacks the platform's click ID): it leaves the log. */
export function dropDelivery(db: Db, id: string) {
  return db
    .delete(sourcePostbacks)
    .where(and(eq(sourcePostbacks.id, id), eq(sourcePostbacks.state, "pending")))
    .run();
}

/** The dead-letter queue's verdict: still pending after every retry, so failed (its last error stays). */
export function markFailed(db: Db, id: string, now: number) {
  return db
    .update(sourcePostbacks)
    .set({ state: "failed", leaseUntil: null, updatedAt: now })
    .where(and(eq(sourcePostbacks.id, id), eq(sourcePostbacks.state, "pending")))
    .run();
}

/** A failed delivery back to pending for another round of calls; undefined when it was not failed. */
export function reopenFailed(db: Db, id: string, now: number) {
  return db
    .update(sourcePostbacks)
    .set({ state: "pending", enqueuedAt: null, leaseUntil: null, updatedAt: now })
    .where(and(eq(sourcePostbacks.id, id), eq(sourcePostbacks.state, "failed")))
    .returning()
    .get();
}
